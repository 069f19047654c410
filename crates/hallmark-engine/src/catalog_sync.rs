//! Keeping the local catalog in step with the chain: one-shot sync, following the head, and
//! rebuilding the cache from scratch.

use hallmark_catalog::CatalogStats;
use hallmark_indexer::{FetchReport, Indexer, IndexerConfig, MetadataFetcher, SyncProgress};
use hallmark_store::AnyStore;
use hallmark_unixfs::Cid;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use tokio::sync::watch;
use tracing::info;

use crate::config::ChainConfig;
use crate::engine::Engine;
use crate::error::EngineError;

/// How long a one-shot sync waits for the running follower to reach the head.
const CATCH_UP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Marks the follower as running for as long as it lives.
struct FollowerGuard<'a>(&'a AtomicBool);

impl<'a> FollowerGuard<'a> {
    fn new(flag: &'a AtomicBool) -> Self {
        flag.store(true, Ordering::SeqCst);
        Self(flag)
    }
}

impl Drop for FollowerGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

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

/// How current the catalog is that an answer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogFreshness {
    /// The last block the catalog holds (`None` before its first sync).
    pub synced_block: Option<u64>,
    /// Whether it was brought up to the chain's head just now.
    pub up_to_date: bool,
    /// Why it could not be (no chain running, the chain unreachable), when it was not.
    pub chain_error: Option<String>,
}

/// Whether `e` says the chain could not be used (not running, not deployed, unreachable),
/// rather than that the catalog or the data folder failed.
fn chain_unusable(e: &EngineError) -> bool {
    matches!(
        e,
        EngineError::ChainUnavailable { .. }
            | EngineError::ChainNotReady { .. }
            | EngineError::DevChain { .. }
            | EngineError::Chain(_)
            | EngineError::Indexer(
                hallmark_indexer::IndexerError::Rpc { .. }
                    | hallmark_indexer::IndexerError::Unreachable { .. }
                    | hallmark_indexer::IndexerError::Unstable { .. }
            )
    )
}

impl Engine {
    /// Brings the catalog to the chain's head when the chain can be used, and says how current
    /// it is. A chain that is not running or cannot be reached is not an error: the answer is
    /// then the catalog as it is, and [`CatalogFreshness::chain_error`] says why.
    pub async fn refresh_catalog(&self) -> Result<CatalogFreshness, EngineError> {
        let synced = self.sync_catalog(IndexerConfig::default(), |_| {}).await;
        let chain_error = match synced {
            Ok(_) => None,
            Err(e) if chain_unusable(&e) => Some(e.to_string()),
            Err(e) => return Err(e),
        };
        Ok(CatalogFreshness {
            synced_block: self.catalog().sync_state()?.and_then(|s| s.synced_block()),
            up_to_date: chain_error.is_none(),
            chain_error,
        })
    }

    async fn indexer(&self, mut config: IndexerConfig) -> Result<Indexer, EngineError> {
        if config.ws_url.is_none()
            && let ChainConfig::Rpc {
                ws_url: Some(ws_url),
                ..
            } = &self.config().chain
        {
            config.ws_url = Some(ws_url.clone());
        }
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
        self.fetch_metadata_reporting(|_| {}).await
    }

    /// [`fetch_metadata`](Self::fetch_metadata), calling `after_batch` after each batch of
    /// 256 documents is recorded — the newest works' first, so a caller that
    /// redraws then shows Explore's first page complete after the first batch.
    pub async fn fetch_metadata_reporting(
        &self,
        after_batch: impl FnMut(&FetchReport),
    ) -> Result<FetchReport, EngineError> {
        let fetcher = MetadataFetcher::new(self.store(), self.catalog(), METADATA_CONCURRENCY);
        let report = fetcher
            .fetch_due_reporting(METADATA_BATCH, after_batch)
            .await?;
        // The media CIDs of held works are known once their metadata is.
        self.protect_held_works();
        Ok(report)
    }

    /// Tells the read-through cache which works this installation's accounts created or hold
    /// (their metadata, media and thumbnail), so it never evicts them.
    pub fn protect_held_works(&self) {
        let AnyStore::Embedded(store) = self.store() else {
            return;
        };
        if store.cache_usage().is_none() {
            return;
        }
        let mut accounts: Vec<String> = match self.wallet_accounts() {
            Ok(accounts) => accounts.into_iter().map(|a| a.address).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the accounts whose works the cache keeps");
                return;
            }
        };
        // The demo accounts the app can sign as, too.
        accounts.extend(
            (0..crate::DEMO_ACCOUNTS.len())
                .filter_map(|i| hallmark_chain::dev_signer(i).ok())
                .map(|s| format!("{:#x}", s.address())),
        );
        let mut roots = Vec::new();
        for account in accounts {
            let works = match self.catalog().works_of_account(&account) {
                Ok(works) => works,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot list an account's works for the cache");
                    return;
                }
            };
            for work in works {
                let cids = [Some(work.metadata_cid), work.media_cid, work.thumbnail_cid];
                roots.extend(
                    cids.into_iter()
                        .flatten()
                        .filter_map(|c| c.parse::<Cid>().ok()),
                );
            }
        }
        store.protect(roots);
    }

    /// Brings the catalog to the chain's head, then fetches due metadata.
    pub async fn sync_catalog(
        &self,
        config: IndexerConfig,
        on_progress: impl FnMut(&SyncProgress),
    ) -> Result<SyncReport, EngineError> {
        if self.follower_running() {
            return self.catch_up_with_follower().await;
        }
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
        // While the follower runs it is the catalog's only writer: a one-shot sync waits for it.
        let _running = FollowerGuard::new(self.follower_flag());
        let on_change = std::sync::Mutex::new(on_change);
        let notify = |progress: &SyncProgress| {
            if let Ok(mut f) = on_change.lock() {
                f(progress);
            }
        };
        let progress = indexer
            .follow(stop, notify, |progress| async move {
                // Each batch is shown as it arrives (titles and thumbnails of the newest first).
                let fetched = self
                    .fetch_metadata_reporting(|report| {
                        if report.attempted > 0 {
                            notify(&progress);
                        }
                    })
                    .await;
                if let Err(e) = fetched {
                    tracing::warn!(error = %e, "metadata fetch failed");
                }
            })
            .await?;
        Ok(progress)
    }

    fn follower_running(&self) -> bool {
        self.follower_flag().load(Ordering::SeqCst)
    }

    /// Waits (up to [`CATCH_UP_TIMEOUT`]) until the running follower has applied the chain's
    /// current head, then fetches due metadata.
    async fn catch_up_with_follower(&self) -> Result<SyncReport, EngineError> {
        let rpc = self
            .chain_rpc()
            .await
            .ok_or_else(|| EngineError::ChainNotReady {
                reason: "no chain is running".to_owned(),
            })?;
        let head = rpc.block_number().await?;
        let started = std::time::Instant::now();
        let synced = loop {
            let synced = self
                .catalog()
                .sync_state()?
                .and_then(|s| s.next_block.checked_sub(1));
            if synced.is_some_and(|b| b >= head) || started.elapsed() > CATCH_UP_TIMEOUT {
                break synced;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        let metadata = self.fetch_metadata().await?;
        Ok(SyncReport {
            progress: SyncProgress {
                head_block: head,
                synced_block: synced,
                blocks_behind: head.saturating_sub(synced.unwrap_or(0)),
                events: 0,
                pages: 0,
                rollbacks: 0,
                events_per_second: 0.0,
            },
            metadata,
            catalog: self.catalog().stats()?,
        })
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
