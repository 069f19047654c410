//! Engine values → the shared API types the UI sees.

use hallmark_api as api;
use hallmark_engine::catalog::{ProvenanceEntry, TokenCard, WorkView};
use hallmark_engine::{LibraryItem, Status};

/// The engine's status as the UI shows it.
pub(crate) fn status(s: Status) -> api::AppStatus {
    let contracts = s.chain.contracts;
    api::AppStatus {
        data_dir: s.data_dir.display().to_string(),
        database: s.database.display().to_string(),
        library_items: s.library_items,
        store_backend: s.store.backend,
        store_error: s.store.error,
        chain_kind: s.chain.kind,
        chain_rpc: s.chain.rpc_url,
        chain_id: s.chain.chain_id,
        head_block: s.chain.head_block,
        chain_error: s.chain.error,
        works_contract: contracts.as_ref().map(|c| c.works.clone()),
        market_contract: contracts.as_ref().map(|c| c.market.clone()),
        deployment_block: contracts.map(|c| c.block),
    }
}

/// A library row as the UI shows it.
pub(crate) fn item(i: LibraryItem) -> api::LibraryItem {
    api::LibraryItem {
        cid: i.cid,
        cid_v0: i.cid_v0,
        sha256: i.sha256,
        file_name: i.file_name,
        mime: i.mime,
        kind: i.kind,
        size: i.size,
        width: i.width,
        height: i.height,
        duration_ms: i.duration_ms,
        thumbnail_cid: i.thumbnail_cid,
        preview_cid: i.preview_cid,
        added_at: i.added_at,
    }
}

/// A catalog token as a card of the Explore grid.
pub(crate) fn card(c: TokenCard) -> api::WorkCard {
    api::WorkCard {
        token_id: c.token_id,
        work_id: c.work_id,
        edition: c.edition,
        max_editions: c.max_editions,
        title: c.title,
        kind: c.kind,
        thumbnail_cid: c.thumbnail_cid,
        creator: c.creator,
        owner: c.owner,
        price_cents: c.price,
        frozen: c.frozen,
        media_status: c.media_status,
    }
}

fn timeline_entry(e: ProvenanceEntry) -> api::TimelineEntry {
    api::TimelineEntry {
        kind: e.kind,
        block: e.block,
        timestamp: e.timestamp,
        tx_hash: e.tx_hash,
        token_id: e.token_id,
        actor: e.actor,
        counterparty: e.counterparty,
        amount_cents: e.amount,
    }
}

/// A work and one of its tokens as the Work page shows them; `None` if the work has no such token.
pub(crate) fn work_detail(
    work: WorkView,
    token_id: u64,
    timeline: Vec<ProvenanceEntry>,
) -> Option<api::WorkDetail> {
    let token = work
        .editions
        .iter()
        .find(|c| c.token_id == token_id)?
        .clone();
    let transferable_at = if work.holding_period == 0 {
        0
    } else {
        token.acquired_at.saturating_add(work.holding_period)
    };
    Some(api::WorkDetail {
        card: card(token),
        description: work.description,
        licence: work.licence,
        attributes: work.attributes,
        content_hash: work.content_hash,
        metadata_cid: work.metadata_cid,
        media_cid: work.media_cid,
        mime: work.mime,
        media_error: work.media_error,
        issuer: work.issuer,
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
            .collect(),
    })
}
