//! Plain Rust values passed to and returned by the chain operations.

use std::fmt;

use alloy::primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};

use crate::bindings::HallmarkWorks;

/// Token ids are `work_id * EDITION_BASE + edition`.
pub const EDITION_BASE: u64 = 1_000_000;

/// One co-creator's share of a work's royalty (shares of one work add up to 10000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoyaltySplit {
    /// Who is paid.
    pub payee: Address,
    /// Share of the royalty in basis points.
    pub bps: u16,
}

/// What registering a work records on-chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkInput {
    /// sha-256 of the exact content bytes.
    pub content_hash: B256,
    /// sha-256 of the metadata document.
    pub metadata_hash: B256,
    /// IPFS CID of the metadata document (`tokenURI` = `ipfs://<cid>`).
    pub metadata_cid: String,
    /// The creator (a member).
    pub creator: Address,
    /// N, the number of editions (fixed).
    pub max_editions: u32,
    /// Royalty in basis points of each sale price.
    pub royalty_bps: u16,
    /// Co-creator splits; empty means 100% to the creator.
    pub splits: Vec<RoyaltySplit>,
}

impl WorkInput {
    pub(crate) fn to_sol(&self) -> HallmarkWorks::WorkInput {
        HallmarkWorks::WorkInput {
            contentHash: self.content_hash,
            metadataHash: self.metadata_hash,
            metadataCid: self.metadata_cid.clone(),
            creator: self.creator,
            maxEditions: self.max_editions,
            royaltyBps: self.royalty_bps,
            splits: self
                .splits
                .iter()
                .map(|s| HallmarkWorks::Split {
                    payee: s.payee,
                    bps: s.bps,
                })
                .collect(),
        }
    }
}

impl From<crate::bindings::endorsements::WorkInput> for WorkInput {
    fn from(w: crate::bindings::endorsements::WorkInput) -> Self {
        Self {
            content_hash: w.contentHash,
            metadata_hash: w.metadataHash,
            metadata_cid: w.metadataCid,
            creator: w.creator,
            max_editions: w.maxEditions,
            royalty_bps: w.royaltyBps,
            splits: w
                .splits
                .into_iter()
                .map(|s| RoyaltySplit {
                    payee: s.payee,
                    bps: s.bps,
                })
                .collect(),
        }
    }
}

impl WorkInput {
    pub(crate) fn to_endorsement_sol(&self) -> crate::bindings::endorsements::WorkInput {
        use crate::bindings::endorsements as E;
        E::WorkInput {
            contentHash: self.content_hash,
            metadataHash: self.metadata_hash,
            metadataCid: self.metadata_cid.clone(),
            creator: self.creator,
            maxEditions: self.max_editions,
            royaltyBps: self.royalty_bps,
            splits: self
                .splits
                .iter()
                .map(|s| E::Split {
                    payee: s.payee,
                    bps: s.bps,
                })
                .collect(),
        }
    }
}

impl MintVoucher {
    pub(crate) fn to_endorsement_sol(&self) -> crate::bindings::endorsements::MintVoucher {
        crate::bindings::endorsements::MintVoucher {
            work: self.work.to_endorsement_sol(),
            nonce: self.nonce,
            deadline: U256::from(self.deadline),
        }
    }
}

/// An issuer's permission for the creator to register a work themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintVoucher {
    /// The work to register (edition 1 goes to `work.creator`, who submits the voucher).
    pub work: WorkInput,
    /// Issuer-chosen nonce; each works once.
    pub nonce: U256,
    /// Unix seconds after which the voucher is refused.
    pub deadline: u64,
}

impl MintVoucher {
    pub(crate) fn to_sol(&self) -> HallmarkWorks::MintVoucher {
        HallmarkWorks::MintVoucher {
            work: self.work.to_sol(),
            nonce: self.nonce,
            deadline: U256::from(self.deadline),
        }
    }
}

/// The on-chain record of a work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkRecord {
    /// The work id.
    pub work_id: U256,
    /// sha-256 of the content.
    pub content_hash: B256,
    /// sha-256 of the metadata document.
    pub metadata_hash: B256,
    /// IPFS CID of the metadata document.
    pub metadata_cid: String,
    /// The creator.
    pub creator: Address,
    /// The issuer that registered it (or signed its voucher).
    pub issuer: Address,
    /// Block of the registration.
    pub registered_block: u64,
    /// Time of the registration (unix seconds).
    pub registered_at: u64,
    /// N.
    pub max_editions: u32,
    /// Editions minted so far.
    pub minted: u32,
    /// Royalty in basis points.
    pub royalty_bps: u16,
    /// Non-zero when frozen by review.
    pub frozen_reason: u16,
    /// Royalty splits.
    pub splits: Vec<RoyaltySplit>,
}

/// A mined transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxOutcome {
    /// Its hash.
    pub tx_hash: B256,
    /// Its block.
    pub block_number: u64,
    /// Gas it used.
    pub gas_used: u64,
}

/// A token minted by a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minted {
    /// The work.
    pub work_id: U256,
    /// The new token.
    pub token_id: U256,
    /// Its edition number (1-based).
    pub edition: u32,
    /// The transaction.
    pub tx: TxOutcome,
}

/// An active listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// The seller (current holder).
    pub seller: Address,
    /// When the seller acquired the token.
    pub holder_since: u64,
    /// Price in credit units.
    pub price: U256,
}

/// What a licence allows (the contract's `Kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceKind {
    /// Showing the work in an exhibition.
    Exhibition,
    /// Commercial use.
    Commercial,
    /// Reproduction (prints, copies).
    Reproduction,
    /// Adaptation into a derived work.
    Adaptation,
    /// Broadcasting.
    Broadcast,
}

impl LicenceKind {
    /// Every kind, in contract order.
    pub const ALL: [Self; 5] = [
        Self::Exhibition,
        Self::Commercial,
        Self::Reproduction,
        Self::Adaptation,
        Self::Broadcast,
    ];

    /// The contract's number of the kind.
    pub fn as_u8(self) -> u8 {
        match self {
            Self::Exhibition => 0,
            Self::Commercial => 1,
            Self::Reproduction => 2,
            Self::Adaptation => 3,
            Self::Broadcast => 4,
        }
    }
}

/// A licence offer from the holder to one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceTerms {
    /// The token licensed.
    pub token_id: U256,
    /// The member offered the licence.
    pub licensee: Address,
    /// What the licence allows.
    pub kind: LicenceKind,
    /// sha-256 (or keccak) of the terms text.
    pub scope_hash: B256,
    /// Duration in seconds from acceptance.
    pub duration: u64,
    /// Fee in credit units.
    pub fee: U256,
}

/// The active licence of a token (EIP-4907 user and expiry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveLicence {
    /// The licensee.
    pub user: Address,
    /// When it ends (unix seconds).
    pub expires: u64,
    /// The accepted offer.
    pub offer_id: U256,
}

/// One registered work a submitted mint resembles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewMatch {
    /// The registered work.
    pub work_id: U256,
    /// The perceptual (PDQ) distance between the two, in bits (near duplicates are <= 31).
    pub distance: u16,
}

/// A near-duplicate mint an issuer puts up for review (`HallmarkReviews.submit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewSubmission {
    /// sha-256 of the exact content bytes.
    pub content_hash: B256,
    /// sha-256 of the metadata document.
    pub metadata_hash: B256,
    /// IPFS CID of the metadata document (only emitted in `ReviewRequested`).
    pub metadata_cid: String,
    /// The creator the work would be registered for.
    pub creator: Address,
    /// The registered works it resembles (1 to 16; only emitted in `ReviewRequested`).
    pub matches: Vec<ReviewMatch>,
}

/// Where a review request is (the contract's `Status`, without `None`: unknown requests revert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for a reviewer.
    Pending,
    /// A reviewer approved the mint; the issuer may register the work.
    Approved,
    /// A reviewer rejected the mint; the content may be submitted again.
    Rejected,
    /// The submitting issuer withdrew the request; the content may be submitted again.
    Withdrawn,
    /// Nobody decided it within 30 days, or its approval is older than 30 days; the content may
    /// be submitted again.
    Expired,
}

impl ReviewStatus {
    /// The contract's number of the status (`None` is 0).
    pub fn as_u8(self) -> u8 {
        match self {
            Self::Pending => 1,
            Self::Approved => 2,
            Self::Rejected => 3,
            Self::Withdrawn => 4,
            Self::Expired => 5,
        }
    }
}

impl TryFrom<u8> for ReviewStatus {
    type Error = u8;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        match value {
            1 => Ok(Self::Pending),
            2 => Ok(Self::Approved),
            3 => Ok(Self::Rejected),
            4 => Ok(Self::Withdrawn),
            5 => Ok(Self::Expired),
            other => Err(other),
        }
    }
}

impl fmt::Display for ReviewStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
        })
    }
}

/// The on-chain record of a review request (the CID, matches and the decision's reviewer and
/// reason are in the contract's events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRecord {
    /// The request id.
    pub request_id: U256,
    /// The issuer that submitted it.
    pub issuer: Address,
    /// The creator the work would be registered for.
    pub creator: Address,
    /// sha-256 of the content.
    pub content_hash: B256,
    /// sha-256 of the metadata document.
    pub metadata_hash: B256,
    /// When it was submitted (unix seconds).
    pub submitted_at: u64,
    /// Where it is.
    pub status: ReviewStatus,
}

/// Where an endorsement request is (the contract's `Status`, without `None`: unknown requests
/// revert).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndorsementStatus {
    /// Waiting for an issuer.
    Pending,
    /// An issuer signed a voucher; the artist may mint until its deadline.
    Approved,
    /// An issuer declined it, with a reason.
    Rejected,
    /// The artist withdrew it.
    Withdrawn,
    /// Nobody decided it within 30 days, or its voucher's deadline passed unused.
    Expired,
    /// Its content is registered (the artist minted it).
    Registered,
}

impl EndorsementStatus {
    /// Every status, in the contract's order.
    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Approved,
        Self::Rejected,
        Self::Withdrawn,
        Self::Expired,
        Self::Registered,
    ];

    /// The contract's number of the status (`None` is 0).
    pub fn as_u8(self) -> u8 {
        match self {
            Self::Pending => 1,
            Self::Approved => 2,
            Self::Rejected => 3,
            Self::Withdrawn => 4,
            Self::Expired => 5,
            Self::Registered => 6,
        }
    }

    /// The status's name (`pending`, `approved`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
            Self::Registered => "registered",
        }
    }
}

impl TryFrom<u8> for EndorsementStatus {
    type Error = u8;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_u8() == value)
            .ok_or(value)
    }
}

impl fmt::Display for EndorsementStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The on-chain record of an endorsement request (the requested input, the voucher's signature
/// and a rejection's reason are in the contract's events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsementRecord {
    /// The request id.
    pub request_id: U256,
    /// The artist who asked (the work's creator).
    pub creator: Address,
    /// The issuer asked ([`Address::ZERO`]: any issuer).
    pub issuer: Address,
    /// The issuer that decided it ([`Address::ZERO`] while pending).
    pub decided_by: Address,
    /// sha-256 of the content.
    pub content_hash: B256,
    /// When it was asked (unix seconds).
    pub requested_at: u64,
    /// When it was decided (unix seconds; 0 while pending).
    pub decided_at: u64,
    /// The approval's voucher deadline (unix seconds; 0 unless approved).
    pub deadline: u64,
    /// Where it is, as of now.
    pub status: EndorsementStatus,
}

/// The work id of a token id.
pub fn work_of(token_id: U256) -> U256 {
    token_id / U256::from(EDITION_BASE)
}

/// The edition number of a token id.
pub fn edition_of(token_id: U256) -> u32 {
    let edition = token_id % U256::from(EDITION_BASE);
    u32::try_from(edition).unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn review_status_numbers_roundtrip_and_none_is_refused() {
        for status in [
            ReviewStatus::Pending,
            ReviewStatus::Approved,
            ReviewStatus::Rejected,
            ReviewStatus::Withdrawn,
            ReviewStatus::Expired,
        ] {
            assert_eq!(ReviewStatus::try_from(status.as_u8()), Ok(status));
        }
        assert_eq!(ReviewStatus::try_from(0), Err(0));
        assert_eq!(ReviewStatus::try_from(6), Err(6));
    }
}
