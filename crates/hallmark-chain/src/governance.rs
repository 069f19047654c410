//! The council acting together: proposals to the HallmarkCouncil governor, approvals, the time
//! lock, and what each proposal will do, in words.
//!
//! The dangerous powers of the suite (council membership, credit issuance, system accounts, the
//! market address and the market's policy) belong to the consortium's TimelockController. A
//! council member proposes [`CouncilAction`]s; council members approve or reject during the voting
//! period; a proposal that a strict majority of the seats approved is queued in the time lock and
//! runs after its delay. Every installation lists proposals from the chain (the governor stores
//! them) and decodes their calls back into actions, so what a proposal does is shown from its
//! calls, never from the proposer's description.

use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::sol_types::SolCall;
use serde::{Deserialize, Serialize};

use crate::bindings::{
    HallmarkConsortium, HallmarkCouncil, HallmarkCredit, HallmarkMarket, HallmarkTimelock,
    HallmarkWorks,
};
use crate::client::ChainClient;
use crate::deploy::{Deployment, credit_text};
use crate::error::{ChainError, ChainResult, saturating_u64};
use crate::types::TxOutcome;

/// One dangerous power used through the council's governance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CouncilAction {
    /// Issue credit (units of 0.01) to a member or system account.
    MintCredit {
        /// The receiver.
        to: Address,
        /// Units of 0.01 credit.
        amount: U256,
    },
    /// Give an account a council seat.
    AddCouncil {
        /// The new council member.
        account: Address,
    },
    /// Take an account's council seat.
    RemoveCouncil {
        /// The council member leaving.
        account: Address,
    },
    /// Allow or disallow a contract to hold and move credit.
    SetSystemAccount {
        /// The contract.
        account: Address,
        /// Allowed or not.
        allowed: bool,
    },
    /// Set the platform fee and where it is paid.
    SetPlatformFee {
        /// Basis points of each price (at most 1000).
        bps: u16,
        /// The receiver of the fee.
        treasury: Address,
    },
    /// Set how long a buyer holds a token before reselling it.
    SetHoldingPeriod {
        /// Seconds.
        seconds: u64,
    },
    /// Point the works contract at another market (the only mover of tokens).
    SetMarket {
        /// The new market.
        market: Address,
    },
    /// Set how many blocks a proposal is open for approval.
    SetVotingPeriod {
        /// Blocks.
        blocks: u32,
    },
    /// Set the time lock's delay.
    SetDelay {
        /// Seconds.
        seconds: u64,
    },
    /// A call this client does not know how to describe (shown with its target and selector).
    Unknown {
        /// The called contract.
        target: Address,
        /// The call data.
        data: Bytes,
    },
}

impl CouncilAction {
    /// The call that performs this action on `deployment`.
    pub fn call(&self, deployment: &Deployment) -> (Address, Bytes) {
        let d = deployment;
        match self {
            Self::MintCredit { to, amount } => (
                d.credit,
                HallmarkCredit::mintCall {
                    to: *to,
                    amount: *amount,
                }
                .abi_encode()
                .into(),
            ),
            Self::AddCouncil { account } => (
                d.consortium,
                HallmarkConsortium::addCouncilCall { account: *account }
                    .abi_encode()
                    .into(),
            ),
            Self::RemoveCouncil { account } => (
                d.consortium,
                HallmarkConsortium::removeCouncilCall { account: *account }
                    .abi_encode()
                    .into(),
            ),
            Self::SetSystemAccount { account, allowed } => (
                d.credit,
                HallmarkCredit::setSystemAccountCall {
                    account: *account,
                    allowed: *allowed,
                }
                .abi_encode()
                .into(),
            ),
            Self::SetPlatformFee { bps, treasury } => (
                d.market,
                HallmarkMarket::setPlatformFeeCall {
                    feeBps: *bps,
                    treasury_: *treasury,
                }
                .abi_encode()
                .into(),
            ),
            Self::SetHoldingPeriod { seconds } => (
                d.market,
                HallmarkMarket::setHoldingPeriodCall { seconds_: *seconds }
                    .abi_encode()
                    .into(),
            ),
            Self::SetMarket { market } => (
                d.works,
                HallmarkWorks::setMarketCall { market_: *market }
                    .abi_encode()
                    .into(),
            ),
            Self::SetVotingPeriod { blocks } => (
                d.council,
                HallmarkCouncil::setVotingPeriodCall {
                    newVotingPeriod: *blocks,
                }
                .abi_encode()
                .into(),
            ),
            Self::SetDelay { seconds } => (
                d.timelock,
                HallmarkTimelock::updateDelayCall {
                    newDelay: U256::from(*seconds),
                }
                .abi_encode()
                .into(),
            ),
            Self::Unknown { target, data } => (*target, data.clone()),
        }
    }

    /// Reads a call of a proposal back as an action (calls to other contracts, or functions this
    /// client does not describe, come back as [`CouncilAction::Unknown`]).
    pub fn decode(deployment: &Deployment, target: Address, data: &[u8]) -> Self {
        let d = deployment;
        let known = if target == d.credit {
            HallmarkCredit::mintCall::abi_decode(data)
                .map(|c| Self::MintCredit {
                    to: c.to,
                    amount: c.amount,
                })
                .or_else(|_| {
                    HallmarkCredit::setSystemAccountCall::abi_decode(data).map(|c| {
                        Self::SetSystemAccount {
                            account: c.account,
                            allowed: c.allowed,
                        }
                    })
                })
                .ok()
        } else if target == d.consortium {
            HallmarkConsortium::addCouncilCall::abi_decode(data)
                .map(|c| Self::AddCouncil { account: c.account })
                .or_else(|_| {
                    HallmarkConsortium::removeCouncilCall::abi_decode(data)
                        .map(|c| Self::RemoveCouncil { account: c.account })
                })
                .ok()
        } else if target == d.market {
            HallmarkMarket::setPlatformFeeCall::abi_decode(data)
                .map(|c| Self::SetPlatformFee {
                    bps: c.feeBps,
                    treasury: c.treasury_,
                })
                .or_else(|_| {
                    HallmarkMarket::setHoldingPeriodCall::abi_decode(data).map(|c| {
                        Self::SetHoldingPeriod {
                            seconds: c.seconds_,
                        }
                    })
                })
                .ok()
        } else if target == d.works {
            HallmarkWorks::setMarketCall::abi_decode(data)
                .map(|c| Self::SetMarket { market: c.market_ })
                .ok()
        } else if target == d.council {
            HallmarkCouncil::setVotingPeriodCall::abi_decode(data)
                .map(|c| Self::SetVotingPeriod {
                    blocks: c.newVotingPeriod,
                })
                .ok()
        } else if target == d.timelock {
            HallmarkTimelock::updateDelayCall::abi_decode(data)
                .ok()
                .and_then(|c| u64::try_from(c.newDelay).ok())
                .map(|seconds| Self::SetDelay { seconds })
        } else {
            None
        };
        known.unwrap_or_else(|| Self::Unknown {
            target,
            data: Bytes::copy_from_slice(data),
        })
    }

    /// What the action does, in one sentence.
    pub fn describe(&self) -> String {
        match self {
            Self::MintCredit { to, amount } => {
                format!("Issue {} credits to {to:#x}", credit_text(*amount))
            }
            Self::AddCouncil { account } => format!("Give {account:#x} a seat on the council"),
            Self::RemoveCouncil { account } => {
                format!("Take {account:#x}'s seat on the council")
            }
            Self::SetSystemAccount {
                account,
                allowed: true,
            } => format!("Let contract {account:#x} hold and move credit"),
            Self::SetSystemAccount {
                account,
                allowed: false,
            } => format!("Stop contract {account:#x} from holding and moving credit"),
            Self::SetPlatformFee { bps, treasury } => format!(
                "Set the platform fee to {}.{:02} % of each price, paid to {treasury:#x}",
                bps / 100,
                bps % 100
            ),
            Self::SetHoldingPeriod { seconds } => format!(
                "Make buyers hold a token for {} before reselling it",
                duration_words(*seconds)
            ),
            Self::SetMarket { market } => {
                format!("Make {market:#x} the market: the only contract that can move every token")
            }
            Self::SetVotingPeriod { blocks } => {
                format!("Keep each council proposal open for approval for {blocks} blocks")
            }
            Self::SetDelay { seconds } => format!(
                "Make approved council proposals wait {} before they run",
                duration_words(*seconds)
            ),
            Self::Unknown { target, data } => {
                let selector = data
                    .get(..4)
                    .map(alloy::primitives::hex::encode)
                    .unwrap_or_else(|| "none".into());
                format!(
                    "An unrecognised call to {target:#x} (function selector 0x{selector}, {} bytes): check it before approving",
                    data.len()
                )
            }
        }
    }
}

/// A duration in the largest whole unit that fits ("2 days", "90 minutes", "0 seconds").
pub fn duration_words(seconds: u64) -> String {
    let unit = |n: u64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match seconds {
        s if s > 0 && s % 86_400 == 0 => unit(s / 86_400, "day"),
        s if s > 0 && s % 3_600 == 0 => unit(s / 3_600, "hour"),
        s if s > 0 && s % 60 == 0 => unit(s / 60, "minute"),
        s => unit(s, "second"),
    }
}

/// Where a proposal stands (OpenZeppelin's `IGovernor.ProposalState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// Not yet open for votes.
    Pending,
    /// Open for approval.
    Active,
    /// Withdrawn.
    Canceled,
    /// Voting ended without a majority of approvals.
    Defeated,
    /// Approved; waiting to be queued in the time lock.
    Succeeded,
    /// In the time lock.
    Queued,
    /// Expired (not used by a timelock governor).
    Expired,
    /// Done.
    Executed,
}

impl ProposalState {
    /// From the governor's `uint8`.
    pub fn from_raw(raw: u8) -> Self {
        match raw {
            0 => Self::Pending,
            1 => Self::Active,
            2 => Self::Canceled,
            3 => Self::Defeated,
            4 => Self::Succeeded,
            5 => Self::Queued,
            6 => Self::Expired,
            _ => Self::Executed,
        }
    }

    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Pending => "not yet open for approval",
            Self::Active => "open for approval",
            Self::Canceled => "withdrawn",
            Self::Defeated => "not approved",
            Self::Succeeded => "approved, waiting to enter the time lock",
            Self::Queued => "in the time lock",
            Self::Expired => "expired",
            Self::Executed => "done",
        }
    }
}

/// A council proposal as every installation reads it from the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// The governor's id (1, 2, 3…).
    pub id: u64,
    /// Who proposed it.
    pub proposer: Address,
    /// What it does, decoded from its calls.
    pub actions: Vec<CouncilAction>,
    /// Where it stands.
    pub state: ProposalState,
    /// Approvals (seats).
    pub approvals: u64,
    /// Rejections (seats).
    pub rejections: u64,
    /// Approvals needed: a strict majority of the seats at the snapshot.
    pub needed: u64,
    /// Last block of the vote.
    pub deadline_block: u64,
    /// When the time lock lets it run (Unix seconds; 0 until queued).
    pub ready_at: u64,
}

impl Proposal {
    /// One line per action.
    pub fn describe(&self) -> Vec<String> {
        self.actions.iter().map(CouncilAction::describe).collect()
    }
}

/// The governance settings of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernanceSettings {
    /// Council seats now.
    pub seats: u64,
    /// Blocks a proposal is open for approval.
    pub voting_blocks: u64,
    /// Seconds an approved proposal waits in the time lock.
    pub delay_seconds: u64,
}

/// The description stored with a proposal: the actions in words (the id depends on it, so two
/// proposals of the same actions need different notes).
fn description_of(actions: &[CouncilAction], note: &str) -> String {
    let mut text = actions
        .iter()
        .map(CouncilAction::describe)
        .collect::<Vec<_>>()
        .join("; ");
    if !note.trim().is_empty() {
        text.push_str(" — ");
        text.push_str(note.trim());
    }
    text
}

impl ChainClient {
    /// The raw governor binding.
    pub fn council_governor(
        &self,
    ) -> HallmarkCouncil::HallmarkCouncilInstance<alloy::providers::DynProvider> {
        HallmarkCouncil::new(self.deployment().council, self.provider().clone())
    }

    /// The raw time-lock binding.
    pub fn timelock(
        &self,
    ) -> HallmarkTimelock::HallmarkTimelockInstance<alloy::providers::DynProvider> {
        HallmarkTimelock::new(self.deployment().timelock, self.provider().clone())
    }

    /// Seats, voting period and delay.
    pub async fn governance_settings(&self) -> ChainResult<GovernanceSettings> {
        let seats = self.consortium().councilCount().call().await?;
        let voting = self.council_governor().votingPeriod().call().await?;
        let delay = self.timelock().getMinDelay().call().await?;
        Ok(GovernanceSettings {
            seats: saturating_u64(seats),
            voting_blocks: saturating_u64(voting),
            delay_seconds: saturating_u64(delay),
        })
    }

    /// Proposes `actions` (a council member only); `note` is added to the description (it makes
    /// the proposal distinct from an earlier one with the same actions). Returns its id.
    pub async fn propose(
        &self,
        actions: &[CouncilAction],
        note: &str,
    ) -> ChainResult<(U256, TxOutcome)> {
        if actions.is_empty() {
            return Err(ChainError::InvalidInput {
                reason: "a council proposal needs at least one action".into(),
            });
        }
        let calls: Vec<(Address, Bytes)> =
            actions.iter().map(|a| a.call(self.deployment())).collect();
        let targets: Vec<Address> = calls.iter().map(|(t, _)| *t).collect();
        let values = vec![U256::ZERO; calls.len()];
        let datas: Vec<Bytes> = calls.into_iter().map(|(_, d)| d).collect();
        let description = description_of(actions, note);
        let governor = self.council_governor();
        let receipt = self
            .submit(governor.propose(targets, values, datas, description))
            .await?;
        let created = receipt
            .decoded_log::<HallmarkCouncil::ProposalCreated>()
            .ok_or_else(|| ChainError::Rpc {
                reason: "the proposal's transaction has no ProposalCreated event".into(),
            })?;
        Ok((
            created.data.proposalId,
            TxOutcome {
                tx_hash: receipt.transaction_hash,
                block_number: receipt.block_number.unwrap_or_default(),
                gas_used: receipt.gas_used,
            },
        ))
    }

    /// Puts an approved proposal into the time lock.
    pub async fn queue_proposal(&self, id: U256) -> ChainResult<TxOutcome> {
        let governor = self.council_governor();
        self.send(governor.queue(id)).await
    }

    /// Runs a queued proposal whose delay has passed (any account may).
    pub async fn execute_proposal(&self, id: U256) -> ChainResult<TxOutcome> {
        let governor = self.council_governor();
        self.send(governor.execute(id)).await
    }

    /// Approves proposal `id` (votes for it with our seat).
    pub async fn approve_proposal(&self, id: U256) -> ChainResult<TxOutcome> {
        self.vote(id, 1).await
    }

    /// Rejects proposal `id` (votes against it with our seat).
    pub async fn reject_proposal(&self, id: U256) -> ChainResult<TxOutcome> {
        self.vote(id, 0).await
    }

    /// A vote opens in the block after the proposal's: on a dev chain that block is mined here
    /// (elsewhere the next block comes within seconds, and until then the refusal says so).
    async fn vote(&self, id: U256, support: u8) -> ChainResult<TxOutcome> {
        // The governor would count a vote without a seat as zero; refuse it instead of
        // reporting an approval that counts for nothing.
        if !self.is_council(self.address()).await? {
            return Err(ChainError::NotCouncil {
                account: self.address(),
            });
        }
        if self.proposal_state(id).await? == ProposalState::Pending {
            self.mine_dev_block().await;
        }
        let governor = self.council_governor();
        self.send(governor.castVote(id, support)).await
    }

    /// Takes the next step an approved proposal can take now: into the time lock when the vote
    /// succeeded, run it when the delay has passed. Returns its state afterwards.
    pub async fn advance_proposal(&self, id: U256) -> ChainResult<ProposalState> {
        let mut state = self.proposal_state(id).await?;
        if state == ProposalState::Succeeded {
            self.queue_proposal(id).await?;
            state = self.proposal_state(id).await?;
        }
        if state == ProposalState::Queued && self.proposal_ready(id).await? {
            self.execute_proposal(id).await?;
            state = self.proposal_state(id).await?;
        }
        Ok(state)
    }

    /// Proposes, approves and takes every step it can at once: what a council that this account
    /// alone is a majority of, with no delay (the dev chain), does in one go. On a dev chain
    /// (anvil) the block that ends the vote is mined on the spot; elsewhere the proposal waits
    /// for the chain's next blocks and its time lock, and its state says so.
    pub async fn enact(
        &self,
        actions: &[CouncilAction],
        note: &str,
    ) -> ChainResult<(U256, ProposalState)> {
        let (id, _) = self.propose(actions, note).await?;
        self.approve_proposal(id).await?;
        let mut state = self.proposal_state(id).await?;
        if state == ProposalState::Active && self.mine_dev_block().await {
            state = self.proposal_state(id).await?;
        }
        if matches!(state, ProposalState::Succeeded | ProposalState::Queued) {
            state = self.advance_proposal(id).await?;
        }
        Ok((id, state))
    }

    /// On a dev chain (anvil), mines the block that opens the vote on a new proposal (elsewhere
    /// the chain's next block opens it). Returns the proposal's state.
    pub async fn open_vote_on_dev_chain(&self, id: U256) -> ChainResult<ProposalState> {
        let state = self.proposal_state(id).await?;
        if state == ProposalState::Pending && self.mine_dev_block().await {
            return self.proposal_state(id).await;
        }
        Ok(state)
    }

    /// On a dev chain (anvil), mines empty blocks until the vote on proposal `id` has closed (at
    /// most 16), so its outcome shows at once; elsewhere the chain's own blocks close it. Returns
    /// the proposal's state.
    pub async fn close_vote_on_dev_chain(&self, id: U256) -> ChainResult<ProposalState> {
        let mut state = self.proposal_state(id).await?;
        for _ in 0..16 {
            if !matches!(state, ProposalState::Pending | ProposalState::Active)
                || !self.mine_dev_block().await
            {
                break;
            }
            state = self.proposal_state(id).await?;
        }
        Ok(state)
    }

    /// Mines one empty block on a dev chain (anvil's `evm_mine`); false elsewhere.
    async fn mine_dev_block(&self) -> bool {
        self.provider()
            .raw_request::<_, serde_json::Value>("evm_mine".into(), ())
            .await
            .is_ok()
    }

    /// The state of proposal `id`.
    pub async fn proposal_state(&self, id: U256) -> ChainResult<ProposalState> {
        let raw = self.council_governor().state(id).call().await?;
        Ok(ProposalState::from_raw(raw))
    }

    /// True when a queued proposal's delay has passed (as of the latest block).
    pub async fn proposal_ready(&self, id: U256) -> ChainResult<bool> {
        let eta = saturating_u64(self.council_governor().proposalEta(id).call().await?);
        let latest = self
            .provider()
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await
            .map_err(ChainError::from_rpc)?
            .map(|b| b.header.timestamp)
            .unwrap_or(0);
        // The next block is at least one second later than the latest.
        Ok(eta != 0 && eta <= latest + 1)
    }

    /// Proposal `id` with its actions in words, votes and timing.
    pub async fn proposal(&self, id: U256) -> ChainResult<Proposal> {
        let governor = self.council_governor();
        let details = governor.proposalDetails(id).call().await?;
        self.proposal_from(id, details.targets, details.calldatas)
            .await
    }

    async fn proposal_from(
        &self,
        id: U256,
        targets: Vec<Address>,
        datas: Vec<Bytes>,
    ) -> ChainResult<Proposal> {
        let governor = self.council_governor();
        let actions = targets
            .iter()
            .zip(&datas)
            .map(|(t, d)| CouncilAction::decode(self.deployment(), *t, d))
            .collect();
        let votes = governor.proposalVotes(id).call().await?;
        let snapshot = governor.proposalSnapshot(id).call().await?;
        // The seats at the snapshot; in the snapshot's own block they are today's seats.
        let needed = match governor.quorum(snapshot).call().await {
            Ok(needed) => needed,
            Err(_) => {
                self.consortium().councilCount().call().await? / U256::from(2) + U256::from(1)
            }
        };
        Ok(Proposal {
            id: saturating_u64(id),
            proposer: governor.proposalProposer(id).call().await?,
            actions,
            state: self.proposal_state(id).await?,
            approvals: saturating_u64(votes.forVotes),
            rejections: saturating_u64(votes.againstVotes),
            needed: saturating_u64(needed),
            deadline_block: saturating_u64(governor.proposalDeadline(id).call().await?),
            ready_at: saturating_u64(governor.proposalEta(id).call().await?),
        })
    }

    /// Every proposal, newest first.
    pub async fn proposals(&self) -> ChainResult<Vec<Proposal>> {
        let governor = self.council_governor();
        let count = saturating_u64(governor.proposalCount().call().await?);
        let mut all = Vec::new();
        for index in (0..count).rev() {
            let d = governor.proposalDetailsAt(U256::from(index)).call().await?;
            all.push(
                self.proposal_from(d.proposalId, d.targets, d.calldatas)
                    .await?,
            );
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment() -> Deployment {
        let a = |n: u8| Address::repeat_byte(n);
        Deployment {
            chain_id: 1,
            consortium: a(1),
            works: a(2),
            credit: a(3),
            market: a(4),
            licences: a(5),
            reviews: a(6),
            council: a(7),
            timelock: a(8),
            endorsements: a(9),
            block: 0,
        }
    }

    #[test]
    fn every_action_reads_back_from_its_call() {
        let d = deployment();
        let someone = Address::repeat_byte(0x42);
        let actions = [
            CouncilAction::MintCredit {
                to: someone,
                amount: U256::from(12_345u64),
            },
            CouncilAction::AddCouncil { account: someone },
            CouncilAction::RemoveCouncil { account: someone },
            CouncilAction::SetSystemAccount {
                account: someone,
                allowed: false,
            },
            CouncilAction::SetPlatformFee {
                bps: 250,
                treasury: someone,
            },
            CouncilAction::SetHoldingPeriod { seconds: 86_400 },
            CouncilAction::SetMarket { market: someone },
            CouncilAction::SetVotingPeriod { blocks: 100 },
            CouncilAction::SetDelay { seconds: 7_200 },
        ];
        for action in actions {
            let (target, data) = action.call(&d);
            assert_eq!(CouncilAction::decode(&d, target, &data), action);
        }
    }

    #[test]
    fn a_call_to_another_contract_is_shown_as_unrecognised() {
        let d = deployment();
        let (_, data) = CouncilAction::MintCredit {
            to: Address::ZERO,
            amount: U256::from(1u64),
        }
        .call(&d);
        let elsewhere = Address::repeat_byte(0x99);
        let action = CouncilAction::decode(&d, elsewhere, &data);
        assert!(matches!(action, CouncilAction::Unknown { .. }));
        assert!(action.describe().contains("unrecognised call"));
    }

    #[test]
    fn actions_are_described_in_words() {
        let someone = Address::repeat_byte(0x42);
        assert_eq!(
            CouncilAction::MintCredit {
                to: someone,
                amount: U256::from(50_000u64)
            }
            .describe(),
            format!("Issue 500 credits to {someone:#x}")
        );
        assert_eq!(
            CouncilAction::SetPlatformFee {
                bps: 250,
                treasury: someone
            }
            .describe(),
            format!("Set the platform fee to 2.50 % of each price, paid to {someone:#x}")
        );
        assert_eq!(duration_words(2 * 86_400), "2 days");
        assert_eq!(duration_words(90 * 60), "90 minutes");
        assert_eq!(duration_words(0), "0 seconds");
    }
}
