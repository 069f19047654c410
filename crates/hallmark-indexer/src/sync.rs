//! The sync loop: catch-up in block-range pages with an adaptive page size, reorg detection and
//! rollback, then following the head by polling.
//!
//! Each page is applied with its checkpoint in one SQLite transaction, so killing the process at
//! any point resumes from the last committed page without losing or duplicating an event.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::B256;
use alloy::providers::{DynProvider, Provider};
use alloy::rpc::types::{Filter, Log};
use hallmark_catalog::{BlockEvents, Catalog, LoggedEvent, Page, Rollback, SyncState};
use hallmark_chain::Deployment;
use serde::Serialize;
use tokio::sync::watch;
use tracing::{debug, info, warn};

use crate::decode::{decode_log, followed_addresses, followed_topics};
use crate::error::IndexerError;

/// Tuning of the sync loop.
#[derive(Debug, Clone)]
pub struct IndexerConfig {
    /// First page size in blocks.
    pub initial_page_blocks: u64,
    /// Largest page in blocks.
    pub max_page_blocks: u64,
    /// A page returning more logs than this halves the next page.
    pub target_logs_per_page: usize,
    /// How often to look for new blocks when following.
    pub poll_interval: Duration,
    /// How many known blocks to compare when looking for a fork point.
    pub reorg_search_depth: u32,
    /// WebSocket endpoint for new-head notifications while following; `None` derives it from the
    /// HTTP URL (`http` → `ws`, same host and port, as anvil serves both). Without a working
    /// subscription the follow loop polls every `poll_interval`.
    pub ws_url: Option<String>,
}

impl Default for IndexerConfig {
    fn default() -> Self {
        Self {
            initial_page_blocks: 2_000,
            max_page_blocks: 50_000,
            target_logs_per_page: 5_000,
            poll_interval: Duration::from_millis(500),
            reorg_search_depth: 4_096,
            ws_url: None,
        }
    }
}

/// Where a sync is.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SyncProgress {
    /// The chain's head block.
    pub head_block: u64,
    /// The last block in the catalog.
    pub synced_block: Option<u64>,
    /// Blocks not yet in the catalog.
    pub blocks_behind: u64,
    /// Events applied in this run.
    pub events: u64,
    /// Pages applied in this run.
    pub pages: u64,
    /// Reorgs rolled back in this run.
    pub rollbacks: u64,
    /// Events applied per second in this run.
    pub events_per_second: f64,
}

/// What one step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A page was applied: blocks `from..=to`, `events` events.
    Applied {
        /// First block.
        from: u64,
        /// Last block.
        to: u64,
        /// Events in it.
        events: u64,
    },
    /// A reorg was found and rolled back.
    RolledBack(Rollback),
    /// Nothing to do: the catalog is at the head.
    AtHead,
}

/// Follows one deployment's events into a catalog.
pub struct Indexer {
    catalog: Arc<Catalog>,
    provider: DynProvider,
    url: String,
    deployment: Deployment,
    config: IndexerConfig,
    page_blocks: u64,
    progress: SyncProgress,
    started: Instant,
}

impl std::fmt::Debug for Indexer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexer")
            .field("url", &self.url)
            .field("progress", &self.progress)
            .finish_non_exhaustive()
    }
}

impl Indexer {
    /// Connects to `rpc_url`, checks the chain id and binds the catalog to the deployment
    /// (starting at its deployment block).
    pub async fn connect(
        rpc_url: &str,
        deployment: Deployment,
        catalog: Arc<Catalog>,
        config: IndexerConfig,
    ) -> Result<Self, IndexerError> {
        // Timeouts, and bounded retries of reads that fail fast (hallmark_chain::transport).
        let provider = hallmark_chain::connect_reader(rpc_url).map_err(|e| IndexerError::Rpc {
            url: rpc_url.to_owned(),
            reason: e.to_string(),
        })?;
        let indexer = Self {
            catalog,
            provider,
            url: rpc_url.to_owned(),
            page_blocks: config.initial_page_blocks.max(1),
            config,
            deployment,
            progress: SyncProgress::default(),
            started: Instant::now(),
        };
        let chain_id = indexer
            .provider
            .get_chain_id()
            .await
            .map_err(|e| indexer.rpc(e))?;
        if chain_id != indexer.deployment.chain_id {
            return Err(IndexerError::Rpc {
                url: indexer.url.clone(),
                reason: format!(
                    "the node is on chain {chain_id}, the deployment on chain {}",
                    indexer.deployment.chain_id
                ),
            });
        }
        indexer.catalog.init_sync(
            chain_id,
            &format!("{:#x}", indexer.deployment.works),
            indexer.deployment.block,
        )?;
        Ok(indexer)
    }

    fn rpc(&self, e: alloy::transports::TransportError) -> IndexerError {
        match hallmark_chain::transport::node_unreachable(&e) {
            Some(unreachable) => IndexerError::Unreachable {
                url: unreachable.url.clone(),
                reason: unreachable.reason.clone(),
                tls: unreachable.tls.clone(),
            },
            None => IndexerError::Rpc {
                url: self.url.clone(),
                reason: e.to_string(),
            },
        }
    }

    /// The catalog being filled.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// Progress of this run.
    pub fn progress(&self) -> SyncProgress {
        self.progress
    }

    fn state(&self) -> Result<SyncState, IndexerError> {
        Ok(self
            .catalog
            .sync_state()?
            .ok_or(hallmark_catalog::CatalogError::NotInitialised)?)
    }

    async fn block_header(&self, number: u64) -> Result<Option<(B256, B256, u64)>, IndexerError> {
        let block = self
            .provider
            .get_block_by_number(BlockNumberOrTag::Number(number))
            .await
            .map_err(|e| self.rpc(e))?;
        Ok(block.map(|b| (b.header.hash, b.header.parent_hash, b.header.timestamp)))
    }

    async fn block_hash(&self, number: u64) -> Result<Option<B256>, IndexerError> {
        Ok(self.block_header(number).await?.map(|(hash, _, _)| hash))
    }

    /// If the chain no longer holds the catalog's last block, finds the fork point among the
    /// blocks the catalog knows and rolls back to it.
    async fn check_reorg(&self, state: &SyncState) -> Result<Option<Rollback>, IndexerError> {
        let (Some(synced), Some(last_hash)) = (state.synced_block(), state.last_hash.as_deref())
        else {
            return Ok(None);
        };
        let on_chain = self.block_hash(synced).await?;
        if on_chain.map(|h| format!("{h:#x}")).as_deref() == Some(last_hash) {
            return Ok(None);
        }
        warn!(
            block = synced,
            "the chain no longer holds the catalog's last block: reorg"
        );
        let candidates = self
            .catalog
            .known_blocks(synced.saturating_sub(1), self.config.reorg_search_depth)?;
        for (number, hash) in candidates {
            if number < state.start_block {
                break;
            }
            let on_chain = self.block_hash(number).await?;
            if on_chain.map(|h| format!("{h:#x}")).as_deref() == Some(hash.as_str()) {
                return Ok(Some(self.catalog.rollback_to(number)?));
            }
        }
        let before_start = state
            .start_block
            .checked_sub(1)
            .ok_or_else(|| IndexerError::Decode("cannot roll back past block 0".to_owned()))?;
        Ok(Some(self.catalog.rollback_to(before_start)?))
    }

    /// Does one unit of work: roll back a reorg, apply one page, or report being at the head.
    pub async fn step(&mut self) -> Result<Step, IndexerError> {
        let state = self.state()?;
        if let Some(rollback) = self.check_reorg(&state).await? {
            self.progress.rollbacks += 1;
            return Ok(Step::RolledBack(rollback));
        }
        let head = self
            .provider
            .get_block_number()
            .await
            .map_err(|e| self.rpc(e))?;
        self.progress.head_block = head;
        let from = state.next_block;
        if from > head {
            self.update_progress(head);
            return Ok(Step::AtHead);
        }
        let to = head.min(from.saturating_add(self.page_blocks - 1));
        let page = match self.fetch_page(&state, from, to).await {
            Ok(page) => page,
            Err(IndexerError::Rpc { reason, .. })
                if self.page_blocks > 1 && looks_like_too_many(&reason) =>
            {
                self.page_blocks = (self.page_blocks / 2).max(1);
                debug!(
                    page_blocks = self.page_blocks,
                    "node refused the range: smaller pages"
                );
                return Box::pin(self.step()).await;
            }
            Err(e) => return Err(e),
        };
        let logs: usize = page.blocks.iter().map(|b| b.events.len()).sum();
        let events = self.catalog.apply_page(&page)?;
        self.adapt_page_size(logs);
        self.progress.events += events;
        self.progress.pages += 1;
        self.update_progress(head);
        Ok(Step::Applied { from, to, events })
    }

    fn adapt_page_size(&mut self, logs: usize) {
        let target = self.config.target_logs_per_page.max(1);
        if logs > target {
            self.page_blocks = (self.page_blocks / 2).max(1);
        } else if logs < target / 4 {
            self.page_blocks = (self.page_blocks * 2).min(self.config.max_page_blocks.max(1));
        }
    }

    fn update_progress(&mut self, head: u64) {
        let synced = self
            .catalog
            .sync_state()
            .ok()
            .flatten()
            .and_then(|s| s.synced_block());
        self.progress.synced_block = synced;
        self.progress.blocks_behind = head.saturating_sub(synced.unwrap_or(0));
        let secs = self.started.elapsed().as_secs_f64();
        self.progress.events_per_second = if secs > 0.0 {
            self.progress.events as f64 / secs
        } else {
            0.0
        };
    }

    /// Reads blocks `from..=to`: the logs, and the hash of `to` before and after, so a page read
    /// while the chain changed is refused rather than mixed.
    async fn fetch_page(
        &self,
        state: &SyncState,
        from: u64,
        to: u64,
    ) -> Result<Page, IndexerError> {
        let (to_hash, _, _) = self
            .block_header(to)
            .await?
            .ok_or(IndexerError::Unstable { block: to })?;
        if let Some(last_hash) = &state.last_hash {
            let (_, parent, _) = self
                .block_header(from)
                .await?
                .ok_or(IndexerError::Unstable { block: from })?;
            if &format!("{parent:#x}") != last_hash {
                return Err(IndexerError::Unstable { block: from });
            }
        }
        let filter = Filter::new()
            .address(followed_addresses(&self.deployment))
            .event_signature(followed_topics())
            .from_block(from)
            .to_block(to);
        let logs = self
            .provider
            .get_logs(&filter)
            .await
            .map_err(|e| self.rpc(e))?;
        let after = self.block_hash(to).await?;
        if after != Some(to_hash) {
            return Err(IndexerError::Unstable { block: to });
        }
        let blocks = self.group_logs(logs).await?;
        Ok(Page {
            from,
            to,
            to_hash: format!("{to_hash:#x}"),
            blocks,
        })
    }

    async fn group_logs(&self, logs: Vec<Log>) -> Result<Vec<BlockEvents>, IndexerError> {
        let mut blocks: BTreeMap<u64, BlockEvents> = BTreeMap::new();
        for log in logs {
            let (Some(number), Some(hash), Some(tx), Some(index)) = (
                log.block_number,
                log.block_hash,
                log.transaction_hash,
                log.log_index,
            ) else {
                return Err(IndexerError::Unstable {
                    block: log.block_number.unwrap_or_default(),
                });
            };
            if log.removed {
                return Err(IndexerError::Unstable { block: number });
            }
            let Some(event) = decode_log(&self.deployment, log.address(), log.data())? else {
                continue;
            };
            let hash_text = format!("{hash:#x}");
            let entry = match blocks.entry(number) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    let timestamp = match log.block_timestamp {
                        Some(t) => t,
                        None => {
                            self.block_header(number)
                                .await?
                                .ok_or(IndexerError::Unstable { block: number })?
                                .2
                        }
                    };
                    v.insert(BlockEvents {
                        number,
                        hash: hash_text.clone(),
                        timestamp,
                        events: Vec::new(),
                    })
                }
            };
            if entry.hash != hash_text {
                return Err(IndexerError::Unstable { block: number });
            }
            entry.events.push(LoggedEvent {
                log_index: index,
                tx_hash: format!("{tx:#x}"),
                event,
            });
        }
        Ok(blocks.into_values().collect())
    }

    /// Applies pages until the catalog is at the chain's head, reporting progress after each step.
    /// A page read while the chain changed is read again (a few times).
    pub async fn sync_to_head(
        &mut self,
        mut on_progress: impl FnMut(&SyncProgress),
    ) -> Result<SyncProgress, IndexerError> {
        let mut unstable = 0;
        loop {
            match self.step().await {
                Ok(Step::AtHead) => break,
                Ok(Step::Applied { .. } | Step::RolledBack(_)) => {
                    unstable = 0;
                    on_progress(&self.progress);
                }
                Err(IndexerError::Unstable { block }) if unstable < 5 => {
                    unstable += 1;
                    debug!(block, "chain changed during a read; reading again");
                    tokio::time::sleep(Duration::from_millis(50 * unstable)).await;
                }
                Err(e) => return Err(e),
            }
        }
        on_progress(&self.progress);
        Ok(self.progress)
    }

    /// The WebSocket URL to subscribe to new heads on.
    fn ws_url(&self) -> Option<String> {
        if let Some(url) = &self.config.ws_url {
            return Some(url.clone());
        }
        self.url
            .strip_prefix("http://")
            .map(|rest| format!("ws://{rest}"))
            .or_else(|| {
                self.url
                    .strip_prefix("https://")
                    .map(|rest| format!("wss://{rest}"))
            })
    }

    /// A stream of new block numbers from a WebSocket subscription, if the node offers one.
    async fn subscribe_heads(&self) -> Option<futures_util::stream::BoxStream<'static, u64>> {
        let url = self.ws_url()?;
        let trust = hallmark_net::default_trust();
        let subscribed = tokio::time::timeout(
            Duration::from_secs(10),
            crate::heads::subscribe_new_heads(&url, &trust),
        )
        .await;
        match subscribed {
            Ok(Ok(stream)) => {
                info!(%url, "following new blocks through a WebSocket subscription");
                Some(stream)
            }
            Ok(Err(e)) => {
                info!(%url, error = %e, "no WebSocket subscription; polling for new blocks");
                None
            }
            Err(_) => {
                info!(%url, "WebSocket subscription timed out; polling for new blocks");
                None
            }
        }
    }

    /// Syncs to the head, then keeps following new blocks until `stop` turns true: woken by a
    /// WebSocket new-head subscription when the node offers one (re-subscribing if it drops),
    /// else by polling. Node errors are retried with backoff (1 s doubling to 30 s); `after_pass`
    /// runs after each successful pass with its progress (the caller fetches metadata there).
    pub async fn follow<F, Fut>(
        &mut self,
        mut stop: watch::Receiver<bool>,
        mut on_progress: impl FnMut(&SyncProgress),
        mut after_pass: F,
    ) -> Result<SyncProgress, IndexerError>
    where
        F: FnMut(SyncProgress) -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        use futures_util::StreamExt;
        let mut backoff = Duration::from_secs(1);
        let mut heads = self.subscribe_heads().await;
        let mut last_subscribe = Instant::now();
        loop {
            if *stop.borrow() {
                return Ok(self.progress);
            }
            let wait = match self.sync_to_head(&mut on_progress).await {
                Ok(_) => {
                    backoff = Duration::from_secs(1);
                    after_pass(self.progress).await;
                    self.config.poll_interval
                }
                Err(
                    e @ (IndexerError::Rpc { .. }
                    | IndexerError::Unreachable { .. }
                    | IndexerError::Unstable { .. }),
                ) => {
                    warn!(error = %e, retry_in = ?backoff, "sync paused");
                    let wait = backoff;
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                    heads = None;
                    wait
                }
                Err(e) => return Err(e),
            };
            let woken = match heads.as_mut() {
                Some(stream) => {
                    tokio::select! {
                        head = stream.next() => match head {
                            Some(number) => { debug!(number, "new head"); true }
                            None => { warn!("the WebSocket subscription ended; polling"); heads = None; true }
                        },
                        // A safety net: also look every 30 s in case a notification was missed.
                        _ = tokio::time::sleep(Duration::from_secs(30)) => true,
                        changed = stop.changed() => changed.is_ok() && !*stop.borrow(),
                    }
                }
                None => {
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {
                            if last_subscribe.elapsed() > Duration::from_secs(60) {
                                last_subscribe = Instant::now();
                                heads = self.subscribe_heads().await;
                            }
                            true
                        }
                        changed = stop.changed() => changed.is_ok() && !*stop.borrow(),
                    }
                }
            };
            if !woken {
                info!("sync stopped");
                return Ok(self.progress);
            }
        }
    }
}

/// Whether a node's error means "too many results in this range" (geth, Besu, anvil wordings).
fn looks_like_too_many(reason: &str) -> bool {
    let reason = reason.to_ascii_lowercase();
    [
        "too many",
        "limit exceeded",
        "more than",
        "range too large",
        "block range",
        "exceeds",
    ]
    .iter()
    .any(|needle| reason.contains(needle))
}
