//! Fetching a work's metadata again now: what an ERC-4906 `MetadataUpdate` of the work makes
//! the next sync do, on demand.

use hallmark_indexer::MetadataFetcher;
use serde::Serialize;

use crate::engine::Engine;
use crate::error::EngineError;

/// What [`Engine::refresh_work`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefreshReport {
    /// The work.
    pub work_id: u64,
    /// Its metadata document (as registered on chain).
    pub metadata_cid: String,
    /// The document's state now: `available`, `unavailable` (retried later) or `invalid` (not
    /// the document the chain registered, or not valid metadata).
    pub status: String,
    /// Why it is not `available`.
    pub error: Option<String>,
    /// When it was fetched (unix seconds).
    pub fetched_at: Option<u64>,
}

impl Engine {
    /// Fetches the work's metadata document again now, from the content store (CID-verified),
    /// checks it against the hashes the chain registered and records it in the catalog, like
    /// the indexer does after an ERC-4906 `MetadataUpdate`. Needs no chain: the registration is
    /// in the local catalog (sync first for a new work).
    pub async fn refresh_work(&self, work_id: u64) -> Result<RefreshReport, EngineError> {
        let cid = self
            .catalog()
            .request_metadata_refresh(work_id)?
            .ok_or_else(|| EngineError::NotFound {
                what: format!("work {work_id}"),
                reason: "the local catalog does not know it; run `hallmark sync`".to_owned(),
            })?;
        MetadataFetcher::new(self.store(), self.catalog(), 1)
            .fetch_now(&cid)
            .await?;
        let record = self.catalog().metadata_record(&cid)?.ok_or_else(|| {
            EngineError::Task("the metadata record just written is missing".into())
        })?;
        Ok(RefreshReport {
            work_id,
            metadata_cid: cid,
            status: record.status,
            error: record.last_error,
            fetched_at: record.fetched_at,
        })
    }
}
