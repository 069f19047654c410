//! The Explore grid and the Work page, read from the local catalog.

use serde::{Deserialize, Serialize};

use crate::MediaKind;

/// A page request of the Explore grid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExploreRequest {
    /// Full-text search (title, description, creator, attributes).
    pub text: Option<String>,
    /// `image`, `audio` or `video`.
    pub kind: Option<MediaKind>,
    /// `newest`, `price_asc`, `price_desc` or `recently_sold`.
    pub sort: ExploreSort,
    /// Only tokens for sale.
    pub listed_only: bool,
    /// Page size (1–100).
    pub limit: u32,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Only tokens held by this address (a collection).
    #[serde(default)]
    pub owner: Option<String>,
    /// Only works by this creator (a studio).
    #[serde(default)]
    pub creator: Option<String>,
}

/// One token in the Explore grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCard {
    /// Token id.
    pub token_id: u64,
    /// Work id.
    pub work_id: u64,
    /// Edition n …
    pub edition: u32,
    /// … of N.
    pub max_editions: u32,
    /// Title, once the metadata was fetched.
    pub title: Option<String>,
    /// `image`, `audio`, `video`, once known.
    pub kind: Option<MediaKind>,
    /// CID of the picture, servable through `media://`.
    pub thumbnail_cid: Option<String>,
    /// Creator address.
    pub creator: String,
    /// Holder address.
    pub owner: String,
    /// Listing price in credit cents, if for sale.
    pub price_cents: Option<i64>,
    /// Frozen by review.
    pub frozen: bool,
    /// `available`, `pending`, `unavailable` or `invalid`.
    pub media_status: MetadataStatus,
}

/// One page of the Explore grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplorePage {
    /// The tokens.
    pub items: Vec<WorkCard>,
    /// Cursor of the next page, `None` at the end.
    pub next: Option<String>,
}

/// Which token to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDetailRequest {
    /// Token id.
    pub token_id: u64,
}

/// One event of a work's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// `registered`, `minted`, `listed`, `listing_cancelled`, `sold`, `gifted`, `payout`,
    /// `licence_offered`, `licence_accepted`, `frozen`, `unfrozen` …
    pub kind: EventKind,
    /// Block number.
    pub block: u64,
    /// Block time (unix seconds).
    pub timestamp: u64,
    /// Transaction hash.
    pub tx_hash: String,
    /// The token, for token events.
    pub token_id: Option<u64>,
    /// Who acted.
    pub actor: Option<String>,
    /// The other party.
    pub counterparty: Option<String>,
    /// Price, fee or amount in credit cents.
    pub amount_cents: Option<i64>,
}

/// Everything the Work page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDetail {
    /// The token shown.
    pub card: WorkCard,
    /// Description (plain text).
    pub description: Option<String>,
    /// Licence text.
    pub licence: Option<String>,
    /// Attributes as `(trait, value)`.
    pub attributes: Vec<(String, String)>,
    /// sha-256 of the media, as registered.
    pub content_hash: String,
    /// Metadata document CID.
    pub metadata_cid: String,
    /// Media CID.
    pub media_cid: Option<String>,
    /// Media type.
    pub mime: Option<String>,
    /// Why the media is unavailable, if it is.
    pub media_error: Option<String>,
    /// Issuer address.
    pub issuer: String,
    /// Editions minted so far (of `card.max_editions`).
    pub minted: u32,
    /// Royalty in basis points.
    pub royalty_bps: u16,
    /// Registration block (the proof of existence).
    pub registered_block: u64,
    /// Registration time.
    pub registered_at: u64,
    /// Registration transaction.
    pub registered_tx: String,
    /// Reason code of a freeze, 0 if none.
    pub frozen_reason: u16,
    /// When the holder may sell or give it (unix seconds; 0 = now).
    pub transferable_at: u64,
    /// The work's history, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

hallmark_domain::wire_enum! {
    /// Orders of the Explore grid.
    #[derive(Default)]
    pub enum ExploreSort {
        /// Most recently listed (listed only) or minted first; also the empty string.
        #[default]
        #[serde(alias = "")]
        Newest = "newest",
        /// Cheapest listing first.
        PriceAsc = "price_asc",
        /// Dearest listing first.
        PriceDesc = "price_desc",
        /// Most recently sold first.
        RecentlySold = "recently_sold",
    }
}

hallmark_domain::wire_enum! {
    /// The state of a work's metadata document (and so of its media) in the catalog.
    pub enum MetadataStatus {
        /// Fetched, verified and readable.
        Available = "available",
        /// Not fetched yet.
        Pending = "pending",
        /// Could not be fetched (retried later).
        Unavailable = "unavailable",
        /// Not the document the chain registered, or not valid metadata.
        Invalid = "invalid",
    }
}

hallmark_domain::wire_enum! {
    /// What happened in one event of a work's history (the catalog's provenance kinds).
    pub enum EventKind {
        /// The work was registered.
        Registered = "registered",
        /// An edition was minted.
        Minted = "minted",
        /// A reviewer froze the work.
        Frozen = "frozen",
        /// A reviewer unfroze the work.
        Unfrozen = "unfrozen",
        /// Its metadata document changed.
        MetadataUpdate = "metadata_update",
        /// Listed for sale.
        Listed = "listed",
        /// Its listing was withdrawn.
        ListingCancelled = "listing_cancelled",
        /// Sold.
        Sold = "sold",
        /// Given to another member.
        Gifted = "gifted",
        /// A payment from a sale or licence.
        Payout = "payout",
        /// Its holding period was set.
        HoldingPeriodSet = "holding_period_set",
        /// A licence was offered.
        LicenceOffered = "licence_offered",
        /// A licence offer was revoked.
        LicenceOfferRevoked = "licence_offer_revoked",
        /// A licence was accepted.
        LicenceAccepted = "licence_accepted",
        /// A role was granted.
        RoleGranted = "role_granted",
        /// A role was suspended.
        RoleSuspended = "role_suspended",
        /// A role was reinstated.
        RoleReinstated = "role_reinstated",
        /// An account joined the council.
        CouncilAdded = "council_added",
        /// An account left the council.
        CouncilRemoved = "council_removed",
        /// A near copy was sent to review.
        ReviewRequested = "review_requested",
        /// A reviewer decided.
        ReviewDecided = "review_decided",
        /// The issuer withdrew its review request.
        ReviewWithdrawn = "review_withdrawn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explore_requests_keep_their_wire_form() {
        let request: ExploreRequest = serde_json::from_str(
            r#"{"text":null,"kind":"audio","sort":"price_desc","listed_only":true,"limit":5,"after":null}"#,
        )
        .expect("json");
        assert_eq!(request.kind, Some(MediaKind::Audio));
        assert_eq!(request.sort, ExploreSort::PriceDesc);
        let empty: ExploreRequest = serde_json::from_str(
            r#"{"text":null,"kind":null,"sort":"","listed_only":false,"limit":5,"after":null}"#,
        )
        .expect("the empty sort is the newest first");
        assert_eq!(empty.sort, ExploreSort::Newest);
        assert!("cheapest".parse::<ExploreSort>().is_err());
        assert!("svg".parse::<MediaKind>().is_err());
    }
}
