//! Engine values → the shared API types the UI sees.

use hallmark_api as api;
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
