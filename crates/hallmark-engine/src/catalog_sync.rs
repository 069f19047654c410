//! Keeping the local catalog in step with the chain: one-shot sync, following the head, and
//! rebuilding the cache from scratch.

use hallmark_catalog::CatalogStats;
use hallmark_indexer::{FetchReport, Indexer, IndexerConfig, MetadataFetcher, SyncProgress};
use serde::Serialize;
use tokio::sync::watch;
use tracing::info;

use crate::engine::Engine;
use crate::error::EngineError;

/// Concurrent metadata fetches.
const METADATA_CONCURRENCY: usize = 8;
/// Metadata documents per fetch round.
const METADATA_BATCH: u32 = 256;

/// What a sync did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SyncReport {
    /// Chain progress.
    pub progress: SyncProgress,
    /// Metadata fetching.
    pub metadata: FetchReport,
    /// The catalog's counts afterwards.
    pub catalog: CatalogStats,
}

impl Engine {
    async fn indexer(&self, config: IndexerConfig) -> Result<Indexer, EngineError> {
        let not_ready = |reason: &str| EngineError::ChainNotReady {
            reason: reason.to_owned(),
        };
        let rpc = self.chain_rpc().await.ok_or_else(|| {
            not_ready("no chain is running (start it with `hallmark chain up` or open the app)")
        })?;
        let deployment = self
            .deployment()
            .ok_or_else(|| not_ready("the Hallmark contracts are not deployed on this chain"))?;
        Ok(Indexer::connect(rpc.url(), deployment, self.catalog().clone(), config).await?)
    }

    /// Fetches every metadata document that is due (new, or failed and due for a retry).
    pub async fn fetch_metadata(&self) -> Result<FetchReport, EngineError> {
        let fetcher = MetadataFetcher::new(self.store(), self.catalog(), METADATA_CONCURRENCY);
        Ok(fetcher.fetch_due(METADATA_BATCH).await?)
    }

    /// Brings the catalog to the chain's head, then fetches due metadata.
    pub async fn sync_catalog(
        &self,
        config: IndexerConfig,
        on_progress: impl FnMut(&SyncProgress),
    ) -> Result<SyncReport, EngineError> {
        let mut indexer = self.indexer(config).await?;
        let progress = indexer.sync_to_head(on_progress).await?;
        let metadata = self.fetch_metadata().await?;
        let catalog = self.catalog().stats()?;
        info!(?progress, ?metadata, "catalog synced");
        Ok(SyncReport {
            progress,
            metadata,
            catalog,
        })
    }

    /// Follows the chain until `stop` turns true, fetching metadata after every pass.
    /// `on_change` is called after each applied page and again after a metadata round that
    /// fetched something (titles and thumbnails arrived).
    pub async fn follow_catalog(
        &self,
        config: IndexerConfig,
        stop: watch::Receiver<bool>,
        on_change: impl FnMut(&SyncProgress) + Send,
    ) -> Result<SyncProgress, EngineError> {
        let mut indexer = self.indexer(config).await?;
        let on_change = std::sync::Mutex::new(on_change);
        let notify = |progress: &SyncProgress| {
            if let Ok(mut f) = on_change.lock() {
                f(progress);
            }
        };
        let progress = indexer
            .follow(stop, notify, |progress| async move {
                match self.fetch_metadata().await {
                    Ok(report) if report.attempted > 0 => notify(&progress),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "metadata fetch failed"),
                }
            })
            .await?;
        Ok(progress)
    }

    /// Empties the catalog and syncs it again from the deployment block: the cache is a pure
    /// derivative of the chain (and of the metadata on IPFS).
    pub async fn rebuild_catalog(
        &self,
        config: IndexerConfig,
        on_progress: impl FnMut(&SyncProgress),
    ) -> Result<SyncReport, EngineError> {
        self.catalog().clear()?;
        self.sync_catalog(config, on_progress).await
    }
}
