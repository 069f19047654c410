//! Engine values → the shared API types the UI sees.

use std::str::FromStr;

use hallmark_api::{self as api, ErrorCode, UnknownValue};
use hallmark_engine::catalog::{ProvenanceEntry, TokenCard, WorkView};
use hallmark_engine::{Availability, LibraryItem, MintStage, Stage, Status};

use crate::error::{CommandError, CommandResult};

/// An engine value kept as text (a catalog or library column) as one of the API's closed lists.
/// A value the list does not know is an error, never guessed.
pub(crate) fn wire<T: FromStr<Err = UnknownValue>>(text: &str) -> CommandResult<T> {
    text.parse().map_err(|e: UnknownValue| {
        tracing::error!(kind = e.kind, value = %e.value, "unknown value from the engine");
        CommandError::new(
            ErrorCode::InternalUnknownValue,
            format!("the app does not know the {} {:?}", e.kind, e.value),
        )
    })
}

/// The stage of a running ingest.
pub(crate) fn ingest_stage(stage: Stage) -> api::IngestStage {
    match stage {
        Stage::Hashing => api::IngestStage::Hashing,
        Stage::Storing => api::IngestStage::Storing,
        Stage::Done => api::IngestStage::Done,
    }
}

/// A health line's state.
pub(crate) fn availability(state: Availability) -> api::Availability {
    match state {
        Availability::Ok => api::Availability::Ok,
        Availability::Missing => api::Availability::Missing,
        Availability::CidMismatch => api::Availability::CidMismatch,
        Availability::Corrupt => api::Availability::Corrupt,
        Availability::ContentMismatch => api::Availability::ContentMismatch,
        Availability::NotPinned => api::Availability::NotPinned,
        Availability::UnknownCid => api::Availability::UnknownCid,
        Availability::StoreUnreachable => api::Availability::StoreUnreachable,
        Availability::StoreError => api::Availability::StoreError,
        Availability::PinAbsent => api::Availability::PinAbsent,
        Availability::PinPending => api::Availability::PinPending,
        Availability::PinFailed => api::Availability::PinFailed,
        Availability::Unauthorized => api::Availability::Unauthorized,
        Availability::ServiceUnreachable => api::Availability::ServiceUnreachable,
        Availability::ServiceError => api::Availability::ServiceError,
        Availability::NoToken => api::Availability::NoToken,
    }
}

/// The step a mint reached.
pub(crate) fn mint_stage(stage: MintStage) -> api::MintStage {
    match stage {
        MintStage::Ingest => api::MintStage::Ingest,
        MintStage::CopyCheck => api::MintStage::CopyCheck,
        MintStage::Upload => api::MintStage::Upload,
        MintStage::Register => api::MintStage::Register,
        MintStage::Done => api::MintStage::Done,
    }
}

/// The engine's status as the UI shows it.
pub(crate) fn status(s: Status) -> CommandResult<api::AppStatus> {
    let contracts = s.chain.contracts;
    Ok(api::AppStatus {
        data_dir: s.data_dir.display().to_string(),
        database: s.database.display().to_string(),
        library_items: s.library_items,
        store_backend: s.store.backend,
        store_error: s.store.error,
        consortium_upload: s.store.consortium_upload,
        consortium_read: s.store.consortium_read,
        cache: s.store.cache.map(|c| api::CacheStatus {
            bytes: c.bytes,
            max_bytes: c.max_bytes,
            files: c.roots,
        }),
        chain_kind: wire(&s.chain.kind)?,
        chain_rpc: s.chain.rpc_url,
        chain_id: s.chain.chain_id,
        head_block: s.chain.head_block,
        chain_error: s.chain.error,
        works_contract: contracts.as_ref().map(|c| c.works.clone()),
        market_contract: contracts.as_ref().map(|c| c.market.clone()),
        deployment_block: contracts.map(|c| c.block),
    })
}

/// A library row as the UI shows it.
pub(crate) fn item(i: LibraryItem) -> CommandResult<api::LibraryItem> {
    Ok(api::LibraryItem {
        cid: i.cid,
        cid_v0: i.cid_v0,
        sha256: i.sha256,
        file_name: i.file_name,
        mime: i.mime,
        kind: wire(&i.kind)?,
        size: i.size,
        width: i.width,
        height: i.height,
        duration_ms: i.duration_ms,
        thumbnail_cid: i.thumbnail_cid,
        preview_cid: i.preview_cid,
        added_at: i.added_at,
    })
}

/// A catalog token as a card of the Explore grid.
pub(crate) fn card(c: TokenCard) -> CommandResult<api::WorkCard> {
    Ok(api::WorkCard {
        token_id: c.token_id,
        work_id: c.work_id,
        edition: c.edition,
        max_editions: c.max_editions,
        title: c.title,
        // The kind comes from a metadata document (the mime type's first part): one this build
        // does not know is shown as not known rather than refusing the whole page.
        kind: c.kind.as_deref().and_then(|kind| wire(kind).ok()),
        thumbnail_cid: c.thumbnail_cid,
        creator: c.creator,
        owner: c.owner,
        price_cents: c.price,
        frozen: c.frozen,
        media_status: wire(&c.media_status)?,
    })
}

fn timeline_entry(e: ProvenanceEntry) -> CommandResult<api::TimelineEntry> {
    Ok(api::TimelineEntry {
        kind: wire(&e.kind)?,
        block: e.block,
        timestamp: e.timestamp,
        tx_hash: e.tx_hash,
        token_id: e.token_id,
        actor: e.actor,
        counterparty: e.counterparty,
        amount_cents: e.amount,
    })
}

/// A work and one of its tokens as the Work page shows them; `None` if the work has no such token.
pub(crate) fn work_detail(
    work: WorkView,
    token_id: u64,
    timeline: Vec<ProvenanceEntry>,
) -> CommandResult<Option<api::WorkDetail>> {
    let Some(token) = work
        .editions
        .iter()
        .find(|c| c.token_id == token_id)
        .cloned()
    else {
        return Ok(None);
    };
    let transferable_at = if work.holding_period == 0 {
        0
    } else {
        token.acquired_at.saturating_add(work.holding_period)
    };
    Ok(Some(api::WorkDetail {
        card: card(token)?,
        description: work.description,
        licence: work.licence,
        attributes: work.attributes,
        content_hash: work.content_hash,
        metadata_cid: work.metadata_cid,
        media_cid: work.media_cid,
        mime: work.mime,
        media_error: work.media_error,
        issuer: work.issuer,
        minted: work.minted,
        royalty_bps: work.royalty_bps,
        registered_block: work.registered_block,
        registered_at: work.registered_at,
        registered_tx: work.registered_tx,
        frozen_reason: work.frozen_reason,
        transferable_at,
        timeline: timeline
            .into_iter()
            // Work events and this token's events; other editions' trades are theirs.
            .filter(|e| e.token_id.is_none_or(|t| t == token_id) && e.kind != "payout")
            .map(timeline_entry)
            .collect::<CommandResult<_>>()?,
    }))
}
