//! The review queue of near-copy mints and a reviewer's decision.

use serde::{Deserialize, Serialize};

use crate::MatchedWork;

/// The review queue, optionally only one state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReviewQueueRequest {
    /// `pending`, `approved`, `rejected`, `withdrawn`, or `None` for all.
    pub status: Option<ReviewStatus>,
}

/// A near-copy mint waiting for (or decided by) a reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The request id.
    pub request_id: u64,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: ReviewStatus,
    /// The new work's title, once its metadata was fetched.
    pub title: Option<String>,
    /// Its creator.
    pub creator: String,
    /// The issuer that submitted it.
    pub issuer: String,
    /// Its picture.
    pub thumbnail_cid: Option<String>,
    /// The registered works it resembles.
    pub matches: Vec<MatchedWork>,
    /// The reviewer's reason.
    pub reason: Option<String>,
    /// The reviewer.
    pub decided_by: Option<String>,
    /// When it was submitted (unix seconds).
    pub submitted_at: u64,
}

/// A reviewer's decision, signed as the active account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDecisionRequest {
    /// The request id.
    pub request_id: u64,
    /// Approve (the issuer may register it) or reject.
    pub approve: bool,
    /// Why (required, up to 500 bytes).
    pub reason: String,
}

hallmark_domain::wire_enum! {
    /// Where a review request is.
    pub enum ReviewStatus {
        /// Waiting for a reviewer.
        Pending = "pending",
        /// Approved: the issuer may register the work.
        Approved = "approved",
        /// Rejected.
        Rejected = "rejected",
        /// Withdrawn by its issuer.
        Withdrawn = "withdrawn",
    }
}
