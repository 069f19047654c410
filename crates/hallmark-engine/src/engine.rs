//! The [`Engine`]: one handle shared by the app's commands and the CLI.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hallmark_media::{IngestOptions, Ingested};
use hallmark_store::{AnyStore, ContentStore, EmbeddedStore, KuboStore};
use hallmark_unixfs::{Cid, ImportSettings};
use serde::Serialize;
use tokio::sync::Mutex;
use tracing::{info, instrument, warn};

use crate::config::{ChainConfig, Config, IpfsBackend};
use crate::devchain::{
    Claim, DevChain, DevChainOptions, ServedChain, claim, find_anvil, find_served,
};
use crate::error::EngineError;
use crate::job::{CancelToken, CancellableSink};
use crate::library::{Library, LibraryItem};
use crate::rpc::RpcEndpoint;
use hallmark_catalog::Catalog;

/// Stages of a long ingest, reported through [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading the file once: sha-256, CIDs, blocks into the store.
    Hashing,
    /// Adding derivatives and pinning.
    Storing,
    /// Finished.
    Done,
}

/// Progress of a long job: `done` of `total` bytes in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// What the job is doing.
    pub stage: Stage,
    /// Bytes done in this stage.
    pub done: u64,
    /// Bytes in this stage.
    pub total: u64,
}

/// Health of the content store.
#[derive(Debug, Clone, Serialize)]
pub struct StoreStatus {
    /// `embedded` or the Kubo API URL.
    pub backend: String,
    /// `None` when reachable, else why not.
    pub error: Option<String>,
    /// The consortium's node new works are uploaded to, if any.
    pub consortium_upload: Option<String>,
    /// The endpoints other people's works are read through from.
    pub consortium_read: Vec<String>,
    /// What the read-through cache holds, when read-through is on.
    pub cache: Option<hallmark_store::CacheUsage>,
}

/// Health of the chain connection.
#[derive(Debug, Clone, Serialize)]
pub struct ChainStatus {
    /// `dev` for the app-owned dev chain, `rpc` for a consortium node.
    pub kind: String,
    /// The JSON-RPC URL once known.
    pub rpc_url: Option<String>,
    /// The configured chain id.
    pub chain_id: u64,
    /// The head block, when the chain answered.
    pub head_block: Option<u64>,
    /// Why the chain is not usable, if it is not.
    pub error: Option<String>,
    /// The Hallmark contracts on this chain, once deployed or found.
    pub contracts: Option<ContractsStatus>,
    /// The process serving the dev chain when it is another one (`hallmark chain up`, the app).
    pub served_by: Option<u32>,
}

/// Where the Hallmark contracts live.
#[derive(Debug, Clone, Serialize)]
pub struct ContractsStatus {
    /// The work registry (ERC-721).
    pub works: String,
    /// The market.
    pub market: String,
    /// The consortium membership contract.
    pub consortium: String,
    /// Block of the deployment (where an indexer starts).
    pub block: u64,
}

/// A snapshot of the engine's health, for status pages and `hallmark status`.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The data folder.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub data_dir: PathBuf,
    /// Content store health.
    pub store: StoreStatus,
    /// Chain health.
    pub chain: ChainStatus,
    /// Works in the local library.
    pub library_items: u64,
    /// The local database file.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub database: PathBuf,
}

enum ChainState {
    /// The dev chain has not been started (yet).
    Idle,
    /// The engine owns a running dev chain.
    Dev(Box<DevChain>),
    /// Another process of the same data folder serves the dev chain; the engine uses it.
    Served(ServedChain),
    /// A consortium endpoint.
    External(RpcEndpoint),
    /// Starting failed; the reason is shown in the status.
    Failed(String),
}

struct Inner {
    config: Config,
    store: AnyStore,
    library: Library,
    catalog: Arc<Catalog>,
    chain: Mutex<ChainState>,
    deployment: std::sync::Mutex<Option<hallmark_chain::Deployment>>,
    /// Unlocked wallet keys and the account the app signs as.
    wallet: std::sync::Mutex<crate::wallet::WalletState>,
    /// The copy-detection index, with the catalog generation it was built from.
    similarity: std::sync::Mutex<crate::copycheck::CachedIndex>,
    /// A follower is keeping the catalog in step (then it is the catalog's only writer).
    follower: std::sync::atomic::AtomicBool,
    /// Whether a dev chain this engine starts is offered to the data folder's other processes.
    share_dev_chain: std::sync::atomic::AtomicBool,
    /// The consortium's recorded deployment was verified against the chain (this build's code,
    /// version and wiring) before the first signature of this process.
    pub(crate) deployment_verified: std::sync::atomic::AtomicBool,
}

/// The engine. Cheap to clone; all clones share one store and one chain.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

impl Engine {
    /// Opens the engine on `config`: creates the data folder and opens the content store.
    /// The dev chain is started separately ([`Engine::start_dev_chain`]) so a CLI command that
    /// needs no chain never pays for it.
    pub async fn open(config: Config) -> Result<Self, EngineError> {
        config.validate()?;
        // Every connection from here on (chain, IPFS, pinning) trusts what this installation
        // trusts: the system's roots, the configured CA certificates, the plain-http rule.
        hallmark_net::set_default_trust(config.network.trust()?);
        // A full or read-only disk is then said as "the data folder …" (EngineError::for_user).
        crate::fault::remember_data_dir(&config.data_dir);
        std::fs::create_dir_all(&config.data_dir).map_err(|e| EngineError::DataDir {
            path: config.data_dir.clone(),
            reason: e.to_string(),
        })?;
        let auth = crate::ipfs_auth::IpfsAuth::load(&config.data_dir)?;
        let store = match &config.ipfs {
            IpfsBackend::Embedded => AnyStore::Embedded(open_embedded(&config, &auth)?),
            IpfsBackend::Kubo { api_url } => {
                let node = KuboStore::new(api_url)?;
                AnyStore::Kubo(match auth.header_for(api_url) {
                    Some(value) => node.with_authorization(&value)?,
                    None => node,
                })
            }
        };
        let chain = match &config.chain {
            ChainConfig::Rpc { url, .. } => {
                ChainState::External(RpcEndpoint::new(url.clone(), Duration::from_secs(3))?)
            }
            ChainConfig::DevChain { .. } => ChainState::Idle,
        };
        let library = Library::open(&config.database_path())?;
        let catalog = Arc::new(Catalog::open(&config.catalog_path())?);
        info!(data_dir = %config.data_dir.display(), store = store.backend_name(), "engine open");
        let engine = Self {
            inner: Arc::new(Inner {
                config,
                store,
                library,
                catalog,
                chain: Mutex::new(chain),
                deployment: std::sync::Mutex::new(None),
                wallet: std::sync::Mutex::new(crate::wallet::WalletState::new(
                    crate::wallet::ActiveAccount::Demo(crate::accounts::DEFAULT_ACCOUNT),
                )),
                similarity: std::sync::Mutex::new(None),
                follower: std::sync::atomic::AtomicBool::new(false),
                share_dev_chain: std::sync::atomic::AtomicBool::new(true),
                deployment_verified: std::sync::atomic::AtomicBool::new(false),
            }),
        };
        engine.protect_held_works();
        Ok(engine)
    }

    /// The configuration the engine was opened with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Whether a dev chain this engine starts is offered to the other processes of the data
    /// folder: yes by default, as the app and `hallmark chain up` do, which keep it running; a
    /// one-off command says no, since its chain stops when it ends (another process is then
    /// told at once which command holds it). Set it before
    /// [`start_dev_chain`](Self::start_dev_chain).
    pub fn set_dev_chain_shared(&self, shared: bool) {
        self.inner
            .share_dev_chain
            .store(shared, std::sync::atomic::Ordering::SeqCst);
    }

    pub(crate) fn follower_flag(&self) -> &std::sync::atomic::AtomicBool {
        &self.inner.follower
    }

    pub(crate) fn similarity_cache(&self) -> &std::sync::Mutex<crate::copycheck::CachedIndex> {
        &self.inner.similarity
    }

    /// The content store.
    pub fn store(&self) -> &AnyStore {
        &self.inner.store
    }

    /// The local library database.
    pub fn library(&self) -> &Library {
        &self.inner.library
    }

    /// The dev key index of the active demo account.
    /// The session's wallet state (a poisoned lock is recovered: the state stays consistent).
    pub(crate) fn wallet_state(&self) -> std::sync::MutexGuard<'_, crate::wallet::WalletState> {
        self.inner
            .wallet
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The local catalog of the chain (filled by [`Engine::sync_catalog`]).
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.inner.catalog
    }

    /// Whether the recorded deployment was verified against the chain in this process.
    pub(crate) fn deployment_verified(&self) -> bool {
        self.inner
            .deployment_verified
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(crate) fn set_deployment_verified(&self) {
        self.inner
            .deployment_verified
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The Hallmark contracts on the chain, once [`Engine::start_dev_chain`] deployed or found them.
    pub fn deployment(&self) -> Option<hallmark_chain::Deployment> {
        self.inner.deployment.lock().ok().and_then(|d| d.clone())
    }

    /// Starts the app-owned dev chain if the configuration asks for one and it is not running.
    /// When another process of the same data folder already serves it (`hallmark chain up`, the
    /// app), that chain is used instead: it must answer with the chain id and genesis block it
    /// recorded, and its deployment is read from the data folder (see `devchain::serving`).
    /// For a consortium RPC endpoint it only loads the deployment recorded in the data folder
    /// (`chain/deployment-<chain id>.json`).
    #[instrument(skip(self), err(Display))]
    pub async fn start_dev_chain(&self) -> Result<(), EngineError> {
        let ChainConfig::DevChain { port, chain_id } = &self.inner.config.chain else {
            // A consortium node: use the deployment recorded in the data folder, if any.
            let recorded = hallmark_chain::read_deployment(
                &self.inner.config.chain_dir(),
                self.inner.config.chain_id(),
            )?;
            if let (Some(deployment), Ok(mut slot)) = (recorded, self.inner.deployment.lock()) {
                *slot = Some(deployment);
            }
            return Ok(());
        };
        let mut state = self.inner.chain.lock().await;
        if matches!(*state, ChainState::Dev(_) | ChainState::Served(_)) {
            return Ok(());
        }
        let chain_dir = self.inner.config.chain_dir();
        let shared = self
            .inner
            .share_dev_chain
            .load(std::sync::atomic::Ordering::SeqCst);
        let deployed = match claim(&chain_dir, *chain_id, shared).await {
            Ok(Claim::Served(served)) => {
                let recorded = hallmark_chain::read_deployment(&chain_dir, *chain_id)
                    .map_err(EngineError::from)
                    .and_then(|found| {
                        found.ok_or_else(|| EngineError::ChainNotReady {
                            reason: format!(
                                "the dev chain served by process {} has no contracts recorded in {}",
                                served.owner_pid,
                                chain_dir.display()
                            ),
                        })
                    });
                if recorded.is_ok() {
                    *state = ChainState::Served(served);
                }
                recorded
            }
            Ok(Claim::Owner(owner)) => {
                let started = async {
                    let options = DevChainOptions {
                        anvil: find_anvil()?,
                        chain_dir: chain_dir.clone(),
                        port: *port,
                        chain_id: *chain_id,
                    };
                    DevChain::start_owned(&options, owner).await
                }
                .await;
                match started {
                    Ok(chain) => {
                        let url = chain.rpc().url().to_owned();
                        let deployed = self.deploy_dev_contracts(&url).await;
                        if shared && deployed.is_ok() {
                            chain.announce().await;
                        }
                        *state = ChainState::Dev(Box::new(chain));
                        deployed
                    }
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        };
        match deployed {
            Ok(deployment) => {
                if let Ok(mut slot) = self.inner.deployment.lock() {
                    *slot = Some(deployment);
                }
                Ok(())
            }
            Err(e) => {
                *state = ChainState::Failed(e.to_string());
                Err(e)
            }
        }
    }

    /// Deploys the contract suite on the dev chain the first time (council = anvil dev key 0)
    /// and gives the demo accounts their roles and credit; later starts find the recorded
    /// deployment and check its code is still on the chain.
    async fn deploy_dev_contracts(
        &self,
        url: &str,
    ) -> Result<hallmark_chain::Deployment, EngineError> {
        use hallmark_chain::{
            ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, credits, deploy_suite,
            dev_signer, read_deployment,
        };
        let dir = self.inner.config.chain_dir();
        let chain_id = self.inner.config.chain_id();
        let previous = read_deployment(&dir, chain_id)?;
        let council = dev_signer(0)?;
        let deployment = deploy_suite(url, &council, &DeployParams::dev(&dir)).await?;
        let replaced = previous
            .as_ref()
            .is_some_and(|p| p.market != deployment.market);
        if replaced {
            // A new suite (the old one was gone or outdated): the catalog followed the old one.
            self.catalog().clear()?;
            warn!(works = %deployment.works, "the dev chain's contracts were replaced; the catalog starts again");
        }
        if previous.is_none() || replaced {
            let client = ChainClient::connect(
                url,
                council,
                deployment.clone(),
                ConfirmationPolicy::default(),
            )
            .await?;
            hallmark_chain::seed_demo(&client, &DemoAccounts::standard(4)?, credits(1_000)).await?;
            info!(works = %deployment.works, block = deployment.block, "contracts deployed and demo accounts seeded");
        }
        Ok(deployment)
    }

    /// The process serving the dev chain this engine uses, when it is another one.
    pub async fn dev_chain_served_by(&self) -> Option<u32> {
        match &*self.inner.chain.lock().await {
            ChainState::Served(served) => Some(served.owner_pid),
            _ => None,
        }
    }

    /// Stops what the engine owns (the dev chain; a chain another process serves keeps
    /// running). Safe to call more than once.
    pub async fn shutdown(&self) {
        self.finish_background_pins(crate::pinning::BACKGROUND_PIN_GRACE)
            .await;
        let mut state = self.inner.chain.lock().await;
        if let ChainState::Dev(chain) = std::mem::replace(&mut *state, ChainState::Idle) {
            chain.stop().await;
        }
    }

    /// The chain's JSON-RPC endpoint, when one is running or configured.
    pub async fn chain_rpc(&self) -> Option<RpcEndpoint> {
        match &*self.inner.chain.lock().await {
            ChainState::Dev(chain) => Some(chain.rpc().clone()),
            ChainState::Served(served) => Some(served.rpc.clone()),
            ChainState::External(rpc) => Some(rpc.clone()),
            ChainState::Idle | ChainState::Failed(_) => None,
        }
    }

    /// Health of the data folder, the store and the chain.
    pub async fn status(&self) -> Status {
        let store = StoreStatus {
            backend: match &self.inner.config.ipfs {
                IpfsBackend::Embedded => "embedded".to_owned(),
                IpfsBackend::Kubo { api_url } => api_url.clone(),
            },
            error: self.inner.store.ping().await.err().map(|e| e.to_string()),
            consortium_upload: self.inner.config.consortium_ipfs.upload.clone(),
            consortium_read: self
                .inner
                .config
                .consortium_ipfs
                .read
                .iter()
                .map(ToString::to_string)
                .collect(),
            cache: match &self.inner.store {
                AnyStore::Embedded(store) => store.cache_usage(),
                AnyStore::Kubo(_) => None,
            },
        };
        let (kind, chain_id) = match &self.inner.config.chain {
            ChainConfig::DevChain { chain_id, .. } => ("dev", *chain_id),
            ChainConfig::Rpc { chain_id, .. } => ("rpc", *chain_id),
        };
        let state = match &*self.inner.chain.lock().await {
            ChainState::Dev(chain) => Ok((chain.rpc().clone(), None)),
            ChainState::Served(served) => Ok((served.rpc.clone(), Some(served.owner_pid))),
            ChainState::External(rpc) => Ok((rpc.clone(), None)),
            ChainState::Idle => Err("the dev chain is not started".to_owned()),
            ChainState::Failed(reason) => Err(reason.clone()),
        };
        // Not started here, but maybe served by another process (`hallmark chain up`, the app).
        let chain_dir = self.inner.config.chain_dir();
        let (served_elsewhere, state) = match state {
            Err(_) if matches!(self.inner.config.chain, ChainConfig::DevChain { .. }) => {
                match find_served(&chain_dir, chain_id).await {
                    Some(served) => (true, Ok((served.rpc, Some(served.owner_pid)))),
                    None => (false, state),
                }
            }
            other => (false, other),
        };
        let deployment = match self.deployment() {
            None if served_elsewhere => hallmark_chain::read_deployment(&chain_dir, chain_id)
                .ok()
                .flatten(),
            known => known,
        };
        let (rpc, served_by, error) = match state {
            Ok((rpc, served_by)) => (Some(rpc), served_by, None),
            Err(reason) => (None, None, Some(reason)),
        };
        let mut chain = ChainStatus {
            kind: kind.to_owned(),
            rpc_url: rpc.as_ref().map(|r| r.url().to_owned()),
            chain_id,
            head_block: None,
            error,
            contracts: deployment.map(|d| ContractsStatus {
                works: d.works.to_string(),
                market: d.market.to_string(),
                consortium: d.consortium.to_string(),
                block: d.block,
            }),
            served_by,
        };
        if let Some(rpc) = rpc {
            match rpc.block_number().await {
                Ok(block) => chain.head_block = Some(block),
                Err(e) => chain.error = Some(e.to_string()),
            }
        }
        Status {
            data_dir: self.inner.config.data_dir.clone(),
            store,
            chain,
            library_items: self.inner.library.count().unwrap_or(0),
            database: self.inner.config.database_path(),
        }
    }

    /// Ingests a media file: checks and hashes it in one streaming pass, stores its blocks (and
    /// its thumbnail and preview) in the content store, pins it, and returns the report.
    pub async fn ingest(
        &self,
        path: &Path,
        progress: impl Fn(Progress) + Send + Sync + 'static,
    ) -> Result<Ingested, EngineError> {
        self.ingest_job(path, &CancelToken::new(), progress).await
    }

    /// [`ingest`](Self::ingest) as a cancellable job: tripping `cancel` stops the streaming pass
    /// at the next block; nothing is pinned or recorded in the library then.
    #[instrument(skip(self, cancel, progress), fields(path = %path.display()), err(Display))]
    pub async fn ingest_job(
        &self,
        path: &Path,
        cancel: &CancelToken,
        progress: impl Fn(Progress) + Send + Sync + 'static,
    ) -> Result<Ingested, EngineError> {
        cancel.check()?;
        let options = IngestOptions {
            limits: self.inner.config.limits.clone(),
            derivatives_dir: Some(self.inner.config.derivatives_dir()),
        };
        let progress = Arc::new(progress);
        let report_hashing = {
            let progress = Arc::clone(&progress);
            move |done: u64, total: u64| {
                progress(Progress {
                    stage: Stage::Hashing,
                    done,
                    total,
                })
            }
        };
        let ingested = match &self.inner.store {
            AnyStore::Embedded(store) => {
                let sink = store.block_sink();
                let written = sink.written();
                match hash_cancellably(path, options, sink, cancel, report_hashing).await {
                    Ok(ingested) => ingested,
                    Err(refused) => {
                        // Refused or cancelled after storing blocks: nothing of it is kept.
                        if let Err(e) = store.discard(written.take()).await {
                            warn!(error = %e, "blocks of the refused ingest stay until `health --fix`");
                        }
                        return Err(refused);
                    }
                }
            }
            AnyStore::Kubo(_) => {
                let ingested = hash_cancellably(
                    path,
                    options,
                    hallmark_unixfs::NullSink,
                    cancel,
                    report_hashing,
                )
                .await?;
                // The Kubo client compares the node's CID with ours and refuses a mismatch.
                let added = self.inner.store.add_file(path, &ingested.import_settings);
                cancel.run(async { Ok(added.await?) }).await?;
                ingested
            }
        };
        // The pins this ingest adds (not those of a work already kept), undone if a later step
        // fails.
        let mut new_pins = Vec::new();
        let kept = async {
            cancel.check()?;
            progress(Progress {
                stage: Stage::Storing,
                done: 0,
                total: ingested.size,
            });
            let pinned: std::collections::HashSet<Cid> = self
                .inner
                .store
                .pin_ls()
                .await?
                .iter()
                .map(Cid::to_v1)
                .collect();
            for derivative in [&ingested.thumbnail, &ingested.preview]
                .into_iter()
                .flatten()
            {
                let added = self
                    .inner
                    .store
                    .add_file(&derivative.path, &ImportSettings::kubo_v1())
                    .await?;
                if !pinned.contains(&added.root.to_v1()) {
                    self.inner.store.pin_add(&added.root).await?;
                    new_pins.push(added.root);
                }
            }
            if !pinned.contains(&ingested.cid_v1.to_v1()) {
                self.inner.store.pin_add(&ingested.cid_v1).await?;
                new_pins.push(ingested.cid_v1);
            }
            self.inner.library.record(&ingested)?;
            Ok::<(), EngineError>(())
        }
        .await;
        if let Err(failed) = kept {
            self.forget_unkept(&ingested, &new_pins).await;
            return Err(failed);
        }
        progress(Progress {
            stage: Stage::Done,
            done: ingested.size,
            total: ingested.size,
        });
        Ok(ingested)
    }

    /// Undoes what an ingest stored before a later step failed (a cancel, a pin, the library):
    /// the pins it added, the blocks of its DAGs no pin references, the derivative files no
    /// library entry names. What cannot be removed is logged; `health --fix` finds it later.
    async fn forget_unkept(&self, ingested: &Ingested, new_pins: &[Cid]) {
        for pin in new_pins {
            if let Err(e) = self.inner.store.pin_rm(pin).await {
                warn!(%pin, error = %e, "a pin of the failed ingest stays");
            }
        }
        let derivatives: Vec<_> = [&ingested.thumbnail, &ingested.preview]
            .into_iter()
            .flatten()
            .collect();
        if let AnyStore::Embedded(store) = &self.inner.store {
            let mut roots = vec![ingested.cid_v1];
            roots.extend(derivatives.iter().map(|d| d.cid));
            if let Err(e) = store.discard_dags(roots).await {
                warn!(error = %e, "blocks of the failed ingest stay until `health --fix`");
            }
        }
        for derivative in derivatives {
            let named = self.inner.library.mime_of(&derivative.cid.to_string());
            if matches!(named, Ok(None)) {
                let _ = std::fs::remove_file(&derivative.path);
            }
        }
    }

    /// A page of the library, newest first (see [`Library::list`]).
    pub fn library_page(
        &self,
        limit: usize,
        after_cid: Option<&str>,
    ) -> Result<Vec<LibraryItem>, EngineError> {
        let after = match after_cid {
            Some(cid) => self.inner.library.get(cid)?,
            None => None,
        };
        self.inner.library.list(limit, after.as_ref())
    }

    /// The bytes of a stored file, every block verified against its CID; refuses files larger
    /// than `max_bytes`.
    pub async fn read_verified(&self, cid: &Cid, max_bytes: u64) -> Result<Vec<u8>, EngineError> {
        Ok(self.inner.store.read_file(cid, max_bytes).await?)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let ChainState::Dev(_) = self.chain.get_mut() {
            // The child is killed on drop; the state dumped at the last interval survives.
            warn!(
                "engine dropped without shutdown(): the dev chain is killed without a final state dump"
            );
        }
    }
}

/// The embedded store of `config`, reading missing blocks through from the consortium's read
/// endpoints when it has any.
fn open_embedded(
    config: &Config,
    auth: &crate::ipfs_auth::IpfsAuth,
) -> Result<EmbeddedStore, EngineError> {
    let store = EmbeddedStore::open(config.ipfs_dir())?;
    let ipfs = &config.consortium_ipfs;
    if ipfs.read.is_empty() {
        return Ok(store);
    }
    let remote =
        hallmark_store::RemoteBlocks::with_authorization(&ipfs.read, |url| auth.header_for(url))?;
    Ok(store.with_read_through(remote, ipfs.cache_max_bytes())?)
}

/// The streaming check-hash-import pass of ingest on a blocking thread, its blocks going to
/// `sink` until `cancel` is tripped.
async fn hash_cancellably<S: hallmark_unixfs::BlockSink + Send + 'static>(
    path: &Path,
    options: IngestOptions,
    sink: S,
    cancel: &CancelToken,
    report: impl FnMut(u64, u64) + Send + 'static,
) -> Result<Ingested, EngineError> {
    let path = path.to_owned();
    let sink = CancellableSink {
        inner: sink,
        token: cancel.clone(),
    };
    let hashed = tokio::task::spawn_blocking(move || {
        hallmark_media::ingest_with_sink(&path, &options, sink, report)
            .map(|(ingested, _sink)| ingested)
    })
    .await?;
    cancel.check()?;
    Ok(hashed?)
}
