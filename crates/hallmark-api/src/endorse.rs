//! Endorsed minting: an artist who is not an issuer sends a work for endorsement, an issuer
//! examines and decides it, and the artist mints the endorsed registration.

use serde::{Deserialize, Serialize};

use crate::{MatchedWork, MintWorkRequest};

/// Send a prepared work (the Mint form's file and details) for an issuer's endorsement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementSendRequest {
    /// The file and the registration's details, as the Mint form has them.
    pub work: MintWorkRequest,
    /// The issuer asked (`0x…`); `None`: any issuer of the consortium.
    pub issuer: Option<String>,
}

/// A request sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementSentReport {
    /// The request id.
    pub request_id: u64,
    /// The issuer asked (`None`: any issuer).
    pub issuer: Option<String>,
    /// The block that published it.
    pub block_number: u64,
}

/// Which requests to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementListRequest {
    /// The active account's own requests, or those it may decide as an issuer.
    pub scope: EndorsementScope,
}

/// One endorsement request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementItem {
    /// The request id.
    pub request_id: u64,
    /// Where it is, as of now.
    pub status: EndorsementStatus,
    /// The work's title, once its metadata was fetched.
    pub title: Option<String>,
    /// The artist (the work's creator).
    pub creator: String,
    /// The issuer asked (`None`: any issuer).
    pub issuer: Option<String>,
    /// Its picture.
    pub thumbnail_cid: Option<String>,
    /// N editions.
    pub editions: u32,
    /// Royalty in basis points.
    pub royalty_bps: u16,
    /// The issuer that decided it.
    pub decided_by: Option<String>,
    /// A rejection's reason.
    pub reason: Option<String>,
    /// An approval's deadline to mint (unix seconds).
    pub deadline: Option<u64>,
    /// When it was asked (unix seconds).
    pub requested_at: u64,
    /// The work it was minted as.
    pub work_id: Option<u64>,
}

/// One request, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementRequestId {
    /// The request id.
    pub request_id: u64,
}

/// What an issuer decides on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementExamination {
    /// The request.
    pub item: EndorsementItem,
    /// The artist's roles, `member (active)` …; empty: not a member.
    pub creator_roles: Vec<String>,
    /// Registered works the media resembles (fetched by CID and found to be the requested
    /// content), closest first.
    pub near: Vec<MatchedWork>,
    /// How many registered works were compared.
    pub compared: u64,
}

/// An issuer's decision, signed as the active account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementDecisionRequest {
    /// The request id.
    pub request_id: u64,
    /// Endorse (sign the voucher) or decline.
    pub approve: bool,
    /// Why, for a decline (required, up to 500 bytes; kept on chain).
    pub reason: String,
    /// How many days the artist has to mint an endorsed work (1..=30).
    pub valid_days: u32,
}

/// A decision or a withdrawal, as the chain confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementDecidedReport {
    /// Where the request is now.
    pub status: EndorsementStatus,
    /// An approval's deadline to mint (unix seconds).
    pub deadline: Option<u64>,
    /// The block.
    pub block_number: u64,
}

hallmark_domain::wire_enum! {
    /// Whose requests to list.
    pub enum EndorsementScope {
        /// The active account's own requests (as an artist).
        Mine = "mine",
        /// Requests the active account may decide (as an issuer).
        ToDecide = "to_decide",
    }
}

hallmark_domain::wire_enum! {
    /// Where an endorsement request is.
    pub enum EndorsementStatus {
        /// Waiting for an issuer.
        Pending = "pending",
        /// Endorsed: the artist may mint it until the deadline.
        Approved = "approved",
        /// Declined by an issuer, with a reason.
        Rejected = "rejected",
        /// Withdrawn by the artist.
        Withdrawn = "withdrawn",
        /// Undecided for 30 days, or endorsed and not minted in time.
        Expired = "expired",
        /// Minted.
        Registered = "registered",
    }
}
