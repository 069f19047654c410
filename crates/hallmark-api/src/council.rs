//! The council acting together: its proposals, a council member's vote, and new proposals.

use serde::{Deserialize, Serialize};

/// The council's governance as the chain has it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilOverview {
    /// Council seats.
    pub seats: u64,
    /// Blocks a proposal is open for approval.
    pub voting_blocks: u64,
    /// Seconds an approved proposal waits in the time lock.
    pub delay_seconds: u64,
    /// Whether the active account holds a seat (may propose and vote).
    pub has_seat: bool,
    /// Every proposal, newest first.
    pub proposals: Vec<CouncilProposal>,
}

/// One proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilProposal {
    /// 1, 2, 3…
    pub id: u64,
    /// What it does, decoded from its calls (never the proposer's description).
    pub actions: Vec<CouncilActionView>,
    /// Who proposed it.
    pub proposer: String,
    /// Where it stands.
    pub state: ProposalState,
    /// Approvals (seats).
    pub approvals: u64,
    /// Rejections (seats).
    pub rejections: u64,
    /// Approvals needed: a strict majority of the seats.
    pub needed: u64,
    /// Last block of the vote.
    pub deadline_block: u64,
    /// When the time lock lets it run (unix seconds; 0 until queued).
    pub ready_at: u64,
    /// Whether it can take its next step now (into the time lock, or run).
    pub can_advance: bool,
}

/// One action of a proposal, as data the UI puts into words in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CouncilActionView {
    /// Issue credit.
    MintCredit {
        /// The receiver.
        to: String,
        /// Cents.
        amount_cents: i64,
    },
    /// A new seat.
    AddCouncil {
        /// The account.
        account: String,
    },
    /// A seat taken.
    RemoveCouncil {
        /// The account.
        account: String,
    },
    /// A contract allowed (or not) to hold and move credit.
    SetSystemAccount {
        /// The contract.
        account: String,
        /// Allowed or not.
        allowed: bool,
    },
    /// The platform fee.
    SetPlatformFee {
        /// Basis points.
        bps: u16,
        /// Its receiver.
        treasury: String,
    },
    /// The holding period.
    SetHoldingPeriod {
        /// Seconds.
        seconds: u64,
    },
    /// Another market.
    SetMarket {
        /// The market contract.
        market: String,
    },
    /// The voting period.
    SetVotingPeriod {
        /// Blocks.
        blocks: u32,
    },
    /// The time lock's delay.
    SetDelay {
        /// Seconds.
        seconds: u64,
    },
    /// A call this app does not recognise.
    Unknown {
        /// The called contract.
        target: String,
        /// Its 4-byte function selector (`0x…`).
        selector: String,
    },
}

hallmark_domain::wire_enum! {
    /// Where a proposal stands.
    pub enum ProposalState {
        /// Not yet open (the next block opens it).
        Pending = "pending",
        /// Open for approval.
        Active = "active",
        /// Withdrawn.
        Canceled = "canceled",
        /// Not approved.
        Defeated = "defeated",
        /// Approved; waiting to enter the time lock.
        Succeeded = "succeeded",
        /// In the time lock.
        Queued = "queued",
        /// Expired.
        Expired = "expired",
        /// Done.
        Executed = "executed",
    }
}

/// A council member's vote, signed as the active account. It carries the actions the member
/// saw: the shell refuses the vote when the proposal on the chain does something else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilVoteRequest {
    /// The proposal.
    pub id: u64,
    /// Approve (true) or reject.
    pub approve: bool,
    /// The actions shown when the member decided.
    pub seen: Vec<CouncilActionView>,
}

/// Takes a proposal's next step (into the time lock, or run it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilAdvanceRequest {
    /// The proposal.
    pub id: u64,
}

/// A new proposal of one action, signed as the active account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilProposeRequest {
    /// What it does.
    pub action: CouncilActionView,
    /// Why (stored with the proposal).
    pub note: String,
}
