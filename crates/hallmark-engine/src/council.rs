//! The council acting together, for the app: proposals read from the chain, votes and new
//! proposals signed as the active account, and the next step of an approved proposal.

use hallmark_chain::{
    Address, B256, ChainClient, CouncilAction, GovernanceSettings, PrivateKeySigner, Proposal,
    ProposalState, U256, dev_signer,
};

use crate::error::EngineError;
use crate::wallet::ActiveAccount;
use crate::{ChainConfig, Engine};

/// The council's governance as the chain has it, for the active account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilState {
    /// Seats, voting period, delay.
    pub settings: GovernanceSettings,
    /// Whether the active account holds a seat.
    pub has_seat: bool,
    /// Every proposal, newest first, each with whether it can take its next step now.
    pub proposals: Vec<(Proposal, bool)>,
}

impl Engine {
    /// The council's settings and proposals (read without signing).
    pub async fn council_state(&self) -> Result<CouncilState, EngineError> {
        let reader = self.reader_client().await?;
        let settings = reader.governance_settings().await?;
        let has_seat = match self.active_address() {
            Some(address) => reader.is_council(address).await?,
            None => false,
        };
        let mut proposals = Vec::new();
        for proposal in reader.proposals().await? {
            let ready = can_advance(&reader, &proposal).await?;
            proposals.push((proposal, ready));
        }
        Ok(CouncilState {
            settings,
            has_seat,
            proposals,
        })
    }

    /// Approves or rejects proposal `id` with the active account's seat. `seen` is what the
    /// member was shown: a proposal that does something else is refused before signing.
    pub async fn council_vote(
        &self,
        id: u64,
        approve: bool,
        seen: &[CouncilAction],
    ) -> Result<(Proposal, bool), EngineError> {
        let client = self.chain_client(self.app_signer()?).await?;
        let id = U256::from(id);
        let proposal = client.proposal(id).await?;
        if proposal.actions != seen {
            return Err(hallmark_chain::ChainError::Proposal {
                reason: format!(
                    "council proposal {id} does not do what was shown; reload it and look again"
                ),
            }
            .into());
        }
        if approve {
            client.approve_proposal(id).await?;
        } else {
            client.reject_proposal(id).await?;
        }
        if matches!(self.config().chain, ChainConfig::DevChain { .. }) {
            // The app's own chain mines only when something is sent: once the outcome is
            // certain, close the vote now (a consortium's validators close it with their blocks).
            let now = client.proposal(id).await?;
            let seats = client.governance_settings().await?.seats;
            let decided =
                now.approvals >= now.needed || seats.saturating_sub(now.rejections) < now.needed;
            if decided {
                client.close_vote_on_dev_chain(id).await?;
            }
        }
        with_readiness(&client, client.proposal(id).await?).await
    }

    /// Takes the next step of proposal `id`: into the time lock, or run it (any account).
    pub async fn council_advance(&self, id: u64) -> Result<(Proposal, bool), EngineError> {
        let client = self.chain_client(self.app_signer()?).await?;
        let id = U256::from(id);
        client.advance_proposal(id).await?;
        with_readiness(&client, client.proposal(id).await?).await
    }

    /// Proposes `action` as the active account (a council member).
    pub async fn council_propose(
        &self,
        action: CouncilAction,
        note: &str,
    ) -> Result<(Proposal, bool), EngineError> {
        let client = self.chain_client(self.app_signer()?).await?;
        let (id, _) = client.propose(&[action], note).await?;
        if matches!(self.config().chain, ChainConfig::DevChain { .. }) {
            client.open_vote_on_dev_chain(id).await?;
        }
        with_readiness(&client, client.proposal(id).await?).await
    }

    /// A client of the deployed contracts that only reads: its key is a fixed, public one
    /// (nothing is ever signed with it).
    pub async fn reader_client(&self) -> Result<ChainClient, EngineError> {
        let key = PrivateKeySigner::from_bytes(&B256::with_last_byte(1))
            .map_err(|e| EngineError::Task(format!("reader key: {e}")))?;
        self.chain_client(key).await
    }

    /// The address the app signs as, locked or not.
    fn active_address(&self) -> Option<Address> {
        match self.wallet_state().active {
            ActiveAccount::Wallet(address) => Some(address),
            ActiveAccount::Demo(index) => match self.config().chain {
                ChainConfig::DevChain { .. } => dev_signer(index).ok().map(|s| s.address()),
                ChainConfig::Rpc { .. } => None,
            },
        }
    }
}

async fn with_readiness(
    client: &ChainClient,
    proposal: Proposal,
) -> Result<(Proposal, bool), EngineError> {
    let ready = can_advance(client, &proposal).await?;
    Ok((proposal, ready))
}

/// Whether the proposal can take its next step now.
async fn can_advance(client: &ChainClient, proposal: &Proposal) -> Result<bool, EngineError> {
    Ok(match proposal.state {
        ProposalState::Succeeded => true,
        ProposalState::Queued => client.proposal_ready(U256::from(proposal.id)).await?,
        _ => false,
    })
}
