//! The catalog's view of chain events: plain, serialisable facts decoded from the Hallmark
//! contracts' logs (the indexer does the decoding; this crate knows nothing of the EVM).
//!
//! Addresses and hashes are `0x`-prefixed lowercase hex strings; amounts of settlement credit are
//! in cents (`i64`: the credit has two decimals and a supply far below `i64::MAX`).

use serde::{Deserialize, Serialize};

/// One fact emitted by a Hallmark contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CatalogEvent {
    /// A work was registered (its content hash is now taken).
    WorkRegistered {
        /// The work id.
        work_id: u64,
        /// sha-256 of the exact media bytes.
        content_hash: String,
        /// The creator.
        creator: String,
        /// The issuer that endorsed it.
        issuer: String,
        /// keccak/sha hash of the metadata document, as registered.
        metadata_hash: String,
        /// CID of the metadata document.
        metadata_cid: String,
        /// N editions.
        max_editions: u32,
        /// Royalty in basis points.
        royalty_bps: u16,
    },
    /// An edition was minted to `to`.
    EditionMinted {
        /// The work id.
        work_id: u64,
        /// The token id (`work_id * 1_000_000 + edition`).
        token_id: u64,
        /// 1-based edition number.
        edition: u32,
        /// The first holder.
        to: String,
    },
    /// A reviewer froze a work (no trades, no new editions).
    Frozen {
        /// The work id.
        work_id: u64,
        /// The reviewer's reason code.
        reason: u16,
        /// The reviewer.
        by: String,
    },
    /// The council lifted a freeze.
    Unfrozen {
        /// The work id.
        work_id: u64,
        /// The council member.
        by: String,
    },
    /// ERC-4906: the metadata of tokens `from_token..=to_token` changed; refetch it.
    MetadataUpdate {
        /// First token id.
        from_token: u64,
        /// Last token id.
        to_token: u64,
    },
    /// A holder listed a token.
    Listed {
        /// The token.
        token_id: u64,
        /// The holder.
        seller: String,
        /// Price in credit cents.
        price: i64,
    },
    /// A listing was withdrawn.
    ListingCancelled {
        /// The token.
        token_id: u64,
        /// The holder.
        seller: String,
    },
    /// A token was sold through the market.
    Sold {
        /// The token.
        token_id: u64,
        /// The previous holder.
        seller: String,
        /// The new holder.
        buyer: String,
        /// The price paid.
        price: i64,
        /// The royalty part of it.
        royalty: i64,
        /// The platform fee part of it.
        fee: i64,
    },
    /// A token was given away.
    Gifted {
        /// The token.
        token_id: u64,
        /// The previous holder.
        from: String,
        /// The new holder.
        to: String,
    },
    /// The market or the licence contract paid someone.
    Payout {
        /// The token the payment was for.
        token_id: u64,
        /// The payee.
        to: String,
        /// 0 royalty, 1 platform fee, 2 proceeds (seller or licensor), as the contract codes them.
        kind: u8,
        /// The amount.
        amount: i64,
        /// Whether it went into escrow.
        held: bool,
    },
    /// The council set the holding period before resale.
    HoldingPeriodSet {
        /// Seconds.
        seconds: u64,
    },
    /// A holder offered a licence to a member.
    LicenceOffered {
        /// The offer id.
        offer_id: u64,
        /// The token.
        token_id: u64,
        /// Who may accept.
        licensee: String,
        /// The holder.
        holder: String,
        /// Licence kind code.
        kind: u8,
        /// Hash of the terms text.
        scope_hash: String,
        /// Seconds.
        duration: u64,
        /// Fee in credit cents.
        fee: i64,
    },
    /// An offer was withdrawn.
    LicenceOfferRevoked {
        /// The offer id.
        offer_id: u64,
        /// The token.
        token_id: u64,
    },
    /// A licence was accepted and paid.
    LicenceAccepted {
        /// The offer id.
        offer_id: u64,
        /// The token.
        token_id: u64,
        /// The licensee.
        licensee: String,
        /// Unix seconds.
        starts: u64,
        /// Unix seconds.
        expires: u64,
        /// The fee paid.
        fee: i64,
    },
    /// The council granted a role (0 member, 1 issuer, 2 reviewer).
    RoleGranted {
        /// Role code.
        role: u8,
        /// The account.
        account: String,
        /// The organisation that attested the identity.
        attested_by: String,
        /// The council member.
        by: String,
    },
    /// A role was suspended.
    RoleSuspended {
        /// Role code.
        role: u8,
        /// The account.
        account: String,
        /// Reason code.
        reason: u16,
        /// The council member.
        by: String,
    },
    /// A suspended role was reinstated.
    RoleReinstated {
        /// Role code.
        role: u8,
        /// The account.
        account: String,
        /// The council member.
        by: String,
    },
    /// An account joined the council.
    CouncilAdded {
        /// The account.
        account: String,
        /// Who added it.
        by: String,
    },
    /// An account left the council.
    CouncilRemoved {
        /// The account.
        account: String,
        /// Who removed it.
        by: String,
    },
    /// An issuer sent a near-copy mint to the review queue.
    ReviewRequested {
        /// The request id.
        request_id: u64,
        /// sha-256 of the new work's media.
        content_hash: String,
        /// The issuer that wants to register it.
        issuer: String,
        /// Its creator.
        creator: String,
        /// sha-256 of its metadata document.
        metadata_hash: String,
        /// CID of its metadata document.
        metadata_cid: String,
        /// The registered works it resembles.
        matched_works: Vec<u64>,
        /// Their PDQ distances, in the same order.
        distances: Vec<u16>,
    },
    /// A reviewer decided a request.
    ReviewDecided {
        /// The request id.
        request_id: u64,
        /// sha-256 of the work's media.
        content_hash: String,
        /// Approved (the issuer may register it) or rejected.
        approved: bool,
        /// The reviewer.
        by: String,
        /// Why.
        reason: String,
    },
    /// The issuer withdrew a pending request.
    ReviewWithdrawn {
        /// The request id.
        request_id: u64,
        /// sha-256 of the work's media.
        content_hash: String,
    },
    /// An artist asked an issuer to endorse a work (the exact registration they will mint).
    EndorsementRequested {
        /// The request id.
        request_id: u64,
        /// sha-256 of the work's media.
        content_hash: String,
        /// The artist (the work's creator).
        creator: String,
        /// The issuer asked (the zero address: any issuer).
        issuer: String,
        /// sha-256 of its metadata document.
        metadata_hash: String,
        /// CID of its metadata document.
        metadata_cid: String,
        /// N.
        max_editions: u32,
        /// Royalty in basis points.
        royalty_bps: u16,
        /// Royalty splits `(payee, bps)`; empty: all to the creator.
        splits: Vec<(String, u16)>,
    },
    /// An issuer endorsed a request: the voucher the artist mints with.
    EndorsementApproved {
        /// The request id.
        request_id: u64,
        /// sha-256 of the work's media.
        content_hash: String,
        /// The endorsing issuer.
        issuer: String,
        /// The voucher's nonce (`0x…`, 32 bytes).
        nonce: String,
        /// The voucher's deadline (unix seconds).
        deadline: u64,
        /// The issuer's EIP-712 signature of the voucher (`0x…`).
        signature: String,
    },
    /// An issuer declined a request.
    EndorsementRejected {
        /// The request id.
        request_id: u64,
        /// sha-256 of the work's media.
        content_hash: String,
        /// The issuer.
        issuer: String,
        /// Why.
        reason: String,
    },
    /// The artist withdrew a pending request.
    EndorsementWithdrawn {
        /// The request id.
        request_id: u64,
        /// sha-256 of the work's media.
        content_hash: String,
    },
}

impl CatalogEvent {
    /// The short name stored with each provenance row (`sold`, `gifted` …).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::WorkRegistered { .. } => "registered",
            Self::EditionMinted { .. } => "minted",
            Self::Frozen { .. } => "frozen",
            Self::Unfrozen { .. } => "unfrozen",
            Self::MetadataUpdate { .. } => "metadata_update",
            Self::Listed { .. } => "listed",
            Self::ListingCancelled { .. } => "listing_cancelled",
            Self::Sold { .. } => "sold",
            Self::Gifted { .. } => "gifted",
            Self::Payout { .. } => "payout",
            Self::HoldingPeriodSet { .. } => "holding_period_set",
            Self::LicenceOffered { .. } => "licence_offered",
            Self::LicenceOfferRevoked { .. } => "licence_offer_revoked",
            Self::LicenceAccepted { .. } => "licence_accepted",
            Self::RoleGranted { .. } => "role_granted",
            Self::RoleSuspended { .. } => "role_suspended",
            Self::RoleReinstated { .. } => "role_reinstated",
            Self::CouncilAdded { .. } => "council_added",
            Self::CouncilRemoved { .. } => "council_removed",
            Self::ReviewRequested { .. } => "review_requested",
            Self::ReviewDecided { .. } => "review_decided",
            Self::ReviewWithdrawn { .. } => "review_withdrawn",
            Self::EndorsementRequested { .. } => "endorsement_requested",
            Self::EndorsementApproved { .. } => "endorsement_approved",
            Self::EndorsementRejected { .. } => "endorsement_rejected",
            Self::EndorsementWithdrawn { .. } => "endorsement_withdrawn",
        }
    }

    /// The work this event concerns, if any.
    pub fn work_id(&self) -> Option<u64> {
        match self {
            Self::WorkRegistered { work_id, .. }
            | Self::EditionMinted { work_id, .. }
            | Self::Frozen { work_id, .. }
            | Self::Unfrozen { work_id, .. } => Some(*work_id),
            other => other.token_id().map(work_of),
        }
    }

    /// The token this event concerns, if any.
    pub fn token_id(&self) -> Option<u64> {
        match self {
            Self::EditionMinted { token_id, .. }
            | Self::Listed { token_id, .. }
            | Self::ListingCancelled { token_id, .. }
            | Self::Sold { token_id, .. }
            | Self::Gifted { token_id, .. }
            | Self::Payout { token_id, .. }
            | Self::LicenceOffered { token_id, .. }
            | Self::LicenceOfferRevoked { token_id, .. }
            | Self::LicenceAccepted { token_id, .. } => Some(*token_id),
            _ => None,
        }
    }
}

/// Token ids are `work_id * EDITION_BASE + edition`.
pub const EDITION_BASE: u64 = 1_000_000;

/// The work a token belongs to.
pub fn work_of(token_id: u64) -> u64 {
    token_id / EDITION_BASE
}

/// One event with where it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedEvent {
    /// Position of the log in its block.
    pub log_index: u64,
    /// The transaction that emitted it.
    pub tx_hash: String,
    /// The fact.
    pub event: CatalogEvent,
}

/// The events of one block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockEvents {
    /// Block number.
    pub number: u64,
    /// Block hash.
    pub hash: String,
    /// Block time (unix seconds).
    pub timestamp: u64,
    /// Its events in log order.
    pub events: Vec<LoggedEvent>,
}

/// A contiguous range of blocks `from..=to` with every Hallmark event in it, and the hash of
/// block `to`, which becomes the checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// First block covered.
    pub from: u64,
    /// Last block covered.
    pub to: u64,
    /// Hash of block `to`.
    pub to_hash: String,
    /// Blocks in the range that have events, ascending.
    pub blocks: Vec<BlockEvents>,
}
