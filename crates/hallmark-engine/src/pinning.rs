//! Remote pinning services (IPFS Pinning Service API): which ones are configured, their access
//! tokens, and pinning a work's CIDs to every one of them.
//!
//! - The list lives in `config.json` as `pinning: [{name, endpoint}]`. The engine reads it from
//!   the file each time it is used (so a service added by the CLI is used by a running app at
//!   once); without a `config.json`, the list of the configuration the engine was opened with.
//! - Access tokens are secrets kept with the account secrets, in
//!   `<data>/keystores/pinning-tokens.json` (mode 0600, written atomically), never in
//!   `config.json`, never logged and never handed back: callers only learn whether one is set.
//! - [`Engine::pin_remote`] pins a work's media, metadata, thumbnail and preview to every
//!   service by CID (each pin named `hallmark:<work>:<item>`, meta `work` and `kind`). The
//!   service then fetches the blocks from the IPFS network: with a Kubo node as the content
//!   store, that node's addresses go with the request as `origins`; the embedded store is not
//!   on the network, so its content reaches a service only if another node provides it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use hallmark_domain::ErrorCode;
use hallmark_pinning::{
    ClientOptions, ListFilter, MultiPin, Pin, PinStatus, PinningClient, PinningError,
    PinningService, Status, limits::MAX_ORIGINS,
};
use hallmark_store::AnyStore;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};
use zeroize::Zeroizing;

use crate::engine::Engine;
use crate::error::EngineError;
use crate::health::Availability;

/// Longest name of a pinning service.
pub const MAX_SERVICE_NAME_CHARS: usize = 64;

const TOKENS_FILE: &str = "pinning-tokens.json";
const TOKENS_VERSION: u32 = 1;

/// Serialises read-modify-write of `config.json` and the token file within this process.
static CONFIG_LOCK: Mutex<()> = Mutex::new(());

/// Remote pin requests running in the background after mints.
static BACKGROUND_PINS: Mutex<Vec<tokio::task::JoinHandle<()>>> = Mutex::new(Vec::new());

/// How long [`Engine::shutdown`] lets background pin requests finish.
pub(crate) const BACKGROUND_PIN_GRACE: Duration = Duration::from_secs(20);

fn background_pins() -> std::sync::MutexGuard<'static, Vec<tokio::task::JoinHandle<()>>> {
    let mut tasks = BACKGROUND_PINS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tasks.retain(|t| !t.is_finished());
    tasks
}

/// A remote pinning service as `config.json` lists it (its token is kept elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinningServiceConfig {
    /// The name people know it by (unique, 1 to 64 characters).
    pub name: String,
    /// The API endpoint that `/pins` is appended to, e.g. `https://api.example.com/psa`.
    pub endpoint: String,
}

/// A configured pinning service as callers see it: never its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PinningServiceInfo {
    /// Its name.
    pub name: String,
    /// Its endpoint.
    pub endpoint: String,
    /// Whether an access token is stored for it.
    pub token_set: bool,
}

/// The outcome of asking one service to pin one item of a work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemotePinOutcome {
    /// The service's name.
    pub service: String,
    /// `media`, `metadata`, `thumbnail` or `preview`.
    pub item: String,
    /// The CID pinned.
    pub cid: String,
    /// `requested` (a new pin request), `replaced` (a failed request replaced),
    /// `already_pinned`, `already_requested` (queued or pinning there) or `failed`.
    pub action: String,
    /// The pin request's status at the service (`queued`, `pinning`, `pinned`, `failed`), when
    /// known.
    pub status: Option<String>,
    /// The service's id of the pin request.
    pub requestid: Option<String>,
    /// What went wrong (`action` = `failed`).
    pub error: Option<ServiceIssue>,
}

/// What [`Engine::pin_remote`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemotePinReport {
    /// The work.
    pub work_id: u64,
    /// The multiaddrs sent as `origins` (the Kubo node's; empty with the embedded store).
    pub origins: Vec<String>,
    /// One entry per service and item.
    pub outcomes: Vec<RemotePinOutcome>,
}

impl RemotePinReport {
    /// Every request was accepted (or the CID was already pinned or requested there).
    pub fn all_ok(&self) -> bool {
        self.outcomes.iter().all(|o| o.error.is_none())
    }
}

/// A service-level problem: a stable code and a sentence (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceIssue {
    /// `pinning.unauthorized`, `pinning.unreachable`, `pinning.no_token`, …
    pub code: ErrorCode,
    /// What happened.
    pub message: String,
}

impl ServiceIssue {
    pub(crate) fn from_error(e: &PinningError) -> Self {
        Self {
            code: pinning_code(e),
            message: e.to_string(),
        }
    }
}

/// The engine's code of a pinning error: `pinning.<the client's code>`; the pinning client
/// keeps its own short codes, and this is the one place they become [`ErrorCode`]s.
pub(crate) fn pinning_code(e: &PinningError) -> ErrorCode {
    match e {
        PinningError::InvalidInput { .. } => ErrorCode::PinningInvalidInput,
        PinningError::Unauthorized { .. } => ErrorCode::PinningUnauthorized,
        PinningError::NotFound { .. } => ErrorCode::PinningNotFound,
        PinningError::BadRequest { .. } => ErrorCode::PinningBadRequest,
        PinningError::InsufficientFunds { .. } => ErrorCode::PinningInsufficientFunds,
        PinningError::RateLimited { .. } => ErrorCode::PinningRateLimited,
        PinningError::Service { .. } => ErrorCode::PinningServiceError,
        PinningError::Server { .. } => ErrorCode::PinningServerError,
        PinningError::Unreachable { .. } => ErrorCode::PinningUnreachable,
        PinningError::Tls { problem, .. } => problem.code(),
        PinningError::InvalidResponse { .. } => ErrorCode::PinningInvalidResponse,
        PinningError::PinFailed { .. } => ErrorCode::PinningPinFailed,
        PinningError::WaitTimeout { .. } => ErrorCode::PinningWaitTimeout,
        PinningError::ClientSetup { .. } => ErrorCode::PinningClientSetup,
        _ => ErrorCode::PinningError,
    }
}

fn check_name(name: &str) -> Result<(), String> {
    let chars = name.chars().count();
    if name.trim() != name || chars == 0 || chars > MAX_SERVICE_NAME_CHARS {
        return Err(format!(
            "a service name has 1 to {MAX_SERVICE_NAME_CHARS} characters and no leading or trailing spaces (got {name:?})"
        ));
    }
    if name.chars().any(char::is_control) || name.contains(':') {
        return Err(format!(
            "a service name has no control characters or ':' (got {name:?})"
        ));
    }
    Ok(())
}

fn check_endpoint(endpoint: &str) -> Result<(), String> {
    // The client's own checks (http/https, a host, no credentials, query or fragment), with a
    // placeholder token.
    PinningService::new("check", endpoint, "placeholder")
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Checks the `pinning` list of `config.json`: valid names, unique (ignoring case), and
/// `http`/`https` endpoints.
pub(crate) fn validate_services(services: &[PinningServiceConfig]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for service in services {
        check_name(&service.name)?;
        check_endpoint(&service.endpoint).map_err(|r| format!("{}: {r}", service.name))?;
        if !seen.insert(service.name.to_lowercase()) {
            return Err(format!(
                "two services are named {:?}; each name must be unique",
                service.name
            ));
        }
    }
    Ok(())
}

/// The access tokens by service name; wiped from memory on drop.
#[derive(Default)]
pub(crate) struct Tokens(BTreeMap<String, Zeroizing<String>>);

impl Tokens {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|t| t.as_str())
    }
}

#[derive(Deserialize)]
struct TokenFile {
    version: u32,
    #[serde(default)]
    tokens: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct TokenFileOut<'a> {
    version: u32,
    tokens: BTreeMap<&'a str, &'a str>,
}

/// Writes `bytes` to `path` with mode 0600 from the first byte: a fresh temporary file in the
/// same folder, fsync, rename, fsync of the folder.
pub(crate) fn write_secret_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("secret"),
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    ));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Creates the secrets folder (mode 0700) if it does not exist.
pub(crate) fn ensure_secret_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Reads and parses a secrets file (absent: `None`). A file others could read is made private
/// first; a parse error names only its position, never the text (it could quote a secret).
pub(crate) fn read_secret_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
) -> Result<Option<T>, EngineError> {
    use std::os::unix::fs::PermissionsExt;
    let bytes = match std::fs::read(path) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(EngineError::DataDir {
                path: path.to_owned(),
                reason: e.to_string(),
            });
        }
    };
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        warn!(path = %path.display(), "{what} was readable by others; made private");
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| EngineError::DataDir {
            path: path.to_owned(),
            reason: format!(
                "not a {what} (JSON error at line {}, column {})",
                e.line(),
                e.column()
            ),
        })
}

/// `127.0.0.0/8`, `::1` or `localhost` endpoints.
fn is_loopback_url(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

fn is_loopback_multiaddr(addr: &str) -> bool {
    addr.starts_with("/ip4/127.")
        || addr.starts_with("/ip6/::1/")
        || addr.starts_with("/dns/localhost/")
        || addr.starts_with("/dns4/localhost/")
        || addr.starts_with("/dns6/localhost/")
}

/// A configured service, ready to use or not (no token, an endpoint this build cannot reach).
pub(crate) struct ServiceTarget {
    pub(crate) name: String,
    pub(crate) endpoint: String,
    pub(crate) client: Result<PinningClient, ServiceIssue>,
}

/// What a service holds for one CID, from `GET /pins?cid=…` over every status.
#[derive(Debug, Clone)]
pub(crate) enum RemoteState {
    /// At least one request is `pinned`.
    Pinned(Box<PinStatus>),
    /// None pinned, at least one `queued` or `pinning`.
    Pending(Box<PinStatus>),
    /// Only `failed` requests (the newest one).
    Failed(Box<PinStatus>),
    /// No request for this CID.
    Absent,
}

/// The state of every CID in `cids` at the service, reading its pin requests 10 CIDs at a time.
pub(crate) async fn remote_states(
    client: &PinningClient,
    cids: &[String],
) -> Result<HashMap<String, RemoteState>, PinningError> {
    let mut unique: Vec<String> = Vec::new();
    for cid in cids {
        if !unique.contains(cid) {
            unique.push(cid.clone());
        }
    }
    let mut found: HashMap<String, Vec<PinStatus>> = HashMap::new();
    for chunk in unique.chunks(hallmark_pinning::limits::MAX_CID_FILTER) {
        let filter = ListFilter::new().cids(chunk.iter().cloned()).any_status();
        for status in client.list_all(&filter).await? {
            found
                .entry(status.pin.cid.clone())
                .or_default()
                .push(status);
        }
    }
    Ok(unique
        .into_iter()
        .map(|cid| {
            let mut statuses = found.remove(&cid).unwrap_or_default();
            // newest first, as the service lists them
            statuses.sort_by(|a, b| b.created.cmp(&a.created));
            let pick = |wanted: &[Status]| {
                statuses
                    .iter()
                    .find(|s| wanted.contains(&s.status))
                    .cloned()
                    .map(Box::new)
            };
            let state = if let Some(s) = pick(&[Status::Pinned]) {
                RemoteState::Pinned(s)
            } else if let Some(s) = pick(&[Status::Queued, Status::Pinning]) {
                RemoteState::Pending(s)
            } else if let Some(s) = pick(&[Status::Failed]) {
                RemoteState::Failed(s)
            } else {
                RemoteState::Absent
            };
            (cid, state)
        })
        .collect())
}

/// One CID of a work to keep available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PinItem {
    pub(crate) item: &'static str,
    pub(crate) cid: String,
}

/// The pin request Hallmark sends for `item` of `work_id`.
pub(crate) fn pin_request(work_id: u64, item: &PinItem, origins: &[String]) -> Pin {
    Pin::new(item.cid.clone())
        .with_name(format!("hallmark:{work_id}:{}", item.item))
        .with_meta("app_id", "hallmark")
        .with_meta("work", work_id.to_string())
        .with_meta("kind", item.item)
        .with_origins(origins.iter().cloned())
}

impl Engine {
    fn config_file(&self) -> PathBuf {
        self.config().data_dir.join("config.json")
    }

    fn tokens_path(&self) -> PathBuf {
        self.config().data_dir.join("keystores").join(TOKENS_FILE)
    }

    fn config_error(&self, reason: String) -> EngineError {
        EngineError::Config {
            path: self.config_file(),
            reason,
        }
    }

    /// The access tokens (an absent file: none). A file others could read is made private.
    pub(crate) fn read_pinning_tokens(&self) -> Result<Tokens, EngineError> {
        let path = self.tokens_path();
        let Some(file) = read_secret_json::<TokenFile>(&path, "pinning token file")? else {
            return Ok(Tokens::default());
        };
        if file.version != TOKENS_VERSION {
            return Err(EngineError::DataDir {
                path,
                reason: format!(
                    "pinning token file version {} is not known to this Hallmark",
                    file.version
                ),
            });
        }
        Ok(Tokens(
            file.tokens
                .into_iter()
                .map(|(name, token)| (name, Zeroizing::new(token)))
                .collect(),
        ))
    }

    fn write_pinning_tokens(&self, tokens: &Tokens) -> Result<(), EngineError> {
        let path = self.tokens_path();
        let fail = |e: &dyn std::fmt::Display| EngineError::DataDir {
            path: path.clone(),
            reason: e.to_string(),
        };
        let out = TokenFileOut {
            version: TOKENS_VERSION,
            tokens: tokens
                .0
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        };
        let bytes = Zeroizing::new(serde_json::to_vec_pretty(&out).map_err(|e| fail(&e))?);
        let dir = path.parent().map(Path::to_owned).unwrap_or_default();
        ensure_secret_dir(&dir).map_err(|e| fail(&e))?;
        write_secret_atomically(&path, &bytes).map_err(|e| fail(&e))
    }

    /// The services listed in `config.json` (see the module docs).
    pub(crate) fn configured_pinning(&self) -> Result<Vec<PinningServiceConfig>, EngineError> {
        let path = self.config_file();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(self.config().pinning.clone());
            }
            Err(e) => return Err(self.config_error(e.to_string())),
        };
        let doc: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| self.config_error(e.to_string()))?;
        let services: Vec<PinningServiceConfig> = match doc.get("pinning") {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(list) => serde_json::from_value(list.clone())
                .map_err(|e| self.config_error(format!("pinning: {e}")))?,
        };
        validate_services(&services).map_err(|r| self.config_error(format!("pinning: {r}")))?;
        Ok(services)
    }

    /// Rewrites the `pinning` list of `config.json`, keeping everything else as it is. Without
    /// a file, writes the embedded default (what a missing file means) with this list.
    fn store_pinning(&self, services: &[PinningServiceConfig]) -> Result<(), EngineError> {
        validate_services(services).map_err(|r| self.config_error(format!("pinning: {r}")))?;
        let path = self.config_file();
        let mut doc = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(serde_json::Value::Object(map)) => map,
                Ok(_) => return Err(self.config_error("not a JSON object".to_owned())),
                Err(e) => return Err(self.config_error(e.to_string())),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut default = crate::Config::embedded(self.config().data_dir.clone());
                default.pinning = services.to_vec();
                return default.save();
            }
            Err(e) => return Err(self.config_error(e.to_string())),
        };
        doc.insert(
            "pinning".to_owned(),
            serde_json::to_value(services).map_err(|e| self.config_error(e.to_string()))?,
        );
        let bytes = serde_json::to_vec_pretty(&serde_json::Value::Object(doc))
            .map_err(|e| self.config_error(e.to_string()))?;
        crate::fsutil::write_atomically(&path, &bytes).map_err(|e| EngineError::DataDir {
            path,
            reason: e.to_string(),
        })
    }

    /// The configured pinning services and whether each has a token (never the token).
    pub fn pinning_services(&self) -> Result<Vec<PinningServiceInfo>, EngineError> {
        let services = self.configured_pinning()?;
        let tokens = self.read_pinning_tokens()?;
        Ok(services
            .into_iter()
            .map(|s| PinningServiceInfo {
                token_set: tokens.get(&s.name).is_some_and(|t| !t.is_empty()),
                name: s.name,
                endpoint: s.endpoint,
            })
            .collect())
    }

    /// Adds a pinning service: `name` (unique), its API `endpoint` and its access `token`,
    /// which is stored with the account secrets (never in `config.json`). A name already in
    /// use is refused (remove it first to change it).
    pub fn add_pinning_service(
        &self,
        name: &str,
        endpoint: &str,
        token: &str,
    ) -> Result<PinningServiceInfo, EngineError> {
        let name = name.trim();
        let endpoint = endpoint.trim();
        check_name(name).map_err(|r| self.config_error(format!("pinning: {r}")))?;
        // Checks the endpoint and that the token can be sent (not empty, visible ASCII).
        let checked = PinningService::new(name, endpoint, token)?;
        let endpoint = checked.endpoint().as_str().trim_end_matches('/').to_owned();
        drop(checked);
        let _guard = CONFIG_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut services = self.configured_pinning()?;
        if services.iter().any(|s| s.name.eq_ignore_ascii_case(name)) {
            return Err(self.config_error(format!(
                "pinning: a service named {name:?} already exists; remove it first to change it"
            )));
        }
        services.push(PinningServiceConfig {
            name: name.to_owned(),
            endpoint: endpoint.clone(),
        });
        validate_services(&services).map_err(|r| self.config_error(format!("pinning: {r}")))?;
        // The token first: a crash leaves at worst an unused token, never a listed service
        // without one.
        let mut tokens = self.read_pinning_tokens()?;
        tokens
            .0
            .insert(name.to_owned(), Zeroizing::new(token.to_owned()));
        self.write_pinning_tokens(&tokens)?;
        self.store_pinning(&services)?;
        info!(service = name, %endpoint, "pinning service added");
        Ok(PinningServiceInfo {
            name: name.to_owned(),
            endpoint,
            token_set: true,
        })
    }

    /// Removes a pinning service and its token (the pins it holds stay there).
    pub fn remove_pinning_service(&self, name: &str) -> Result<(), EngineError> {
        let _guard = CONFIG_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut services = self.configured_pinning()?;
        let before = services.len();
        services.retain(|s| s.name != name.trim());
        if services.len() == before {
            return Err(EngineError::NotFound {
                what: format!("pinning service {name:?}"),
                reason: "no service of that name is configured".to_owned(),
            });
        }
        self.store_pinning(&services)?;
        let mut tokens = self.read_pinning_tokens()?;
        if tokens.0.remove(name.trim()).is_some() {
            self.write_pinning_tokens(&tokens)?;
        }
        info!(service = name, "pinning service removed");
        Ok(())
    }

    /// Every configured service with a client, or why it cannot be used.
    pub(crate) fn pinning_targets(&self) -> Result<Vec<ServiceTarget>, EngineError> {
        let services = self.configured_pinning()?;
        if services.is_empty() {
            return Ok(Vec::new());
        }
        let tokens = self.read_pinning_tokens()?;
        Ok(services
            .into_iter()
            .map(|s| {
                let client = match tokens.get(&s.name) {
                    None | Some("") => Err(ServiceIssue {
                        code: ErrorCode::PinningNoToken,
                        message: format!(
                            "no access token is stored for pinning service '{}'; add the service again with its token",
                            s.name
                        ),
                    }),
                    Some(token) => PinningService::new(s.name.clone(), &s.endpoint, token)
                        .and_then(|service| {
                            PinningClient::with_options(service, ClientOptions::default())
                        })
                        .map_err(|e| ServiceIssue::from_error(&e)),
                };
                ServiceTarget {
                    name: s.name,
                    endpoint: s.endpoint,
                    client,
                }
            })
            .collect())
    }

    /// The content store's addresses on the IPFS network, for `origins`: the Kubo node's
    /// (`/api/v0/id`), none for the embedded store or when the node does not say.
    pub(crate) async fn store_origins(&self) -> Vec<String> {
        match self.store() {
            AnyStore::Kubo(node) => match node.id().await {
                Ok(identity) => identity.peer_addresses(),
                Err(e) => {
                    warn!(error = %e, "the IPFS node's addresses are unknown; pinning without origins");
                    Vec::new()
                }
            },
            AnyStore::Embedded(_) => Vec::new(),
        }
    }

    /// Pins the work's media, metadata document, thumbnail and preview to every configured
    /// pinning service (by CID, `hallmark:<work>:<item>`), skipping those already pinned or
    /// queued there and replacing failed requests. Does not wait for the services to finish.
    /// Each service's failure is in the report; the call fails only if the work or the
    /// configuration cannot be read.
    pub async fn pin_remote(&self, work_id: u64) -> Result<RemotePinReport, EngineError> {
        let work = self
            .catalog()
            .account_work(work_id)?
            .ok_or_else(|| EngineError::NotFound {
                what: format!("work {work_id}"),
                reason: "the local catalog does not know it; run `hallmark sync`".to_owned(),
            })?;
        self.pin_work_remote(&work).await
    }

    async fn pin_work_remote(
        &self,
        work: &hallmark_catalog::AccountWork,
    ) -> Result<RemotePinReport, EngineError> {
        let work_id = work.work_id;
        let items = self.work_items(work).await.items;
        let targets = self.pinning_targets()?;
        let origins = self.store_origins().await;
        let outcomes = self
            .request_remote_pins(work_id, &items, &targets, &origins, None)
            .await;
        let now = crate::health::now_secs();
        for target in &targets {
            let mine: Vec<&RemotePinOutcome> = outcomes
                .iter()
                .filter(|o| o.service == target.name)
                .collect();
            let (status, detail) = summarise_outcomes(&mine);
            self.record_availability(
                work_id,
                &crate::health::remote_backend(&target.name),
                &work.metadata_cid,
                status.as_str(),
                detail.as_deref(),
                now,
            )?;
        }
        Ok(RemotePinReport {
            work_id,
            origins: origins_for(&origins, &targets),
            outcomes,
        })
    }

    /// After a registration: when pinning services are configured, pins the new work to them
    /// in the background (best effort; the registration never waits for it or depends on it).
    /// Failures are logged and recorded as the work's availability at each service, where
    /// [`Engine::health`] and [`Engine::availability`] show them.
    pub(crate) fn pin_after_mint(&self, outcome: &crate::MintOutcome) {
        match self.configured_pinning() {
            Ok(services) if !services.is_empty() => {}
            Ok(_) => return,
            Err(e) => {
                warn!(error = %e, "pinning services unreadable; the new work is not pinned remotely");
                return;
            }
        }
        let Ok(work_id) = outcome.work_id.parse::<u64>() else {
            return;
        };
        // The catalog has not seen the registration yet: the work as the mint knows it.
        let work = hallmark_catalog::AccountWork {
            work_id,
            created: true,
            held_editions: 1,
            title: None,
            content_hash: format!("0x{}", outcome.content_sha256),
            metadata_cid: outcome.metadata_cid.clone(),
            metadata_hash: String::new(),
            media_cid: Some(outcome.media_cid.clone()),
            thumbnail_cid: None,
        };
        let engine = self.clone();
        let task = tokio::spawn(async move {
            match engine.pin_work_remote(&work).await {
                Ok(report) => {
                    for o in report.outcomes.iter().filter(|o| o.error.is_some()) {
                        warn!(work = work_id, service = %o.service, item = %o.item,
                            error = o.error.as_ref().map_or("", |e| e.message.as_str()),
                            "remote pin after mint failed");
                    }
                    info!(
                        work = work_id,
                        requests = report.outcomes.len(),
                        ok = report.all_ok(),
                        "remote pins requested after mint"
                    );
                }
                Err(e) => warn!(work = work_id, error = %e, "remote pin after mint failed"),
            }
        });
        background_pins().push(task);
    }

    /// Waits up to `timeout` for the remote pin requests started after mints (see
    /// [`Engine::pin_after_mint`]) to be sent; those still running then are abandoned.
    pub async fn finish_background_pins(&self, timeout: Duration) {
        let tasks: Vec<tokio::task::JoinHandle<()>> = std::mem::take(&mut *background_pins());
        if tasks.is_empty() {
            return;
        }
        let all = futures_util::future::join_all(tasks);
        if tokio::time::timeout(timeout, all).await.is_err() {
            warn!("remote pin requests after mint still running at shutdown; abandoned");
        }
    }

    /// Asks every usable service in `targets` to pin every item it does not hold (pinned or
    /// queued), replacing failed requests; then, with `wait`, waits (all at once) up to that
    /// long for each new request to be pinned.
    pub(crate) async fn request_remote_pins(
        &self,
        work_id: u64,
        items: &[PinItem],
        targets: &[ServiceTarget],
        origins: &[String],
        wait: Option<Duration>,
    ) -> Vec<RemotePinOutcome> {
        let cids: Vec<String> = items.iter().map(|i| i.cid.clone()).collect();
        let origins = origins_for(origins, targets);
        let mut outcomes = Vec::new();
        // The state at each usable service; a service that cannot be listed is reported.
        let mut usable: Vec<(&PinningClient, HashMap<String, RemoteState>)> = Vec::new();
        for target in targets {
            let client = match &target.client {
                Ok(client) => client,
                Err(issue) => {
                    outcomes.extend(items.iter().map(|i| failed(&target.name, i, issue.clone())));
                    continue;
                }
            };
            match remote_states(client, &cids).await {
                Ok(states) => usable.push((client, states)),
                Err(e) => {
                    let issue = ServiceIssue::from_error(&e);
                    outcomes.extend(items.iter().map(|i| failed(&target.name, i, issue.clone())));
                }
            }
        }
        let mut waiting: Vec<(usize, PinningClient)> = Vec::new();
        for item in items {
            let pin = pin_request(work_id, item, &origins);
            let mut absent: Vec<PinningClient> = Vec::new();
            for (client, states) in &usable {
                let client: &PinningClient = client;
                let service = client.service().name();
                match states.get(&item.cid).unwrap_or(&RemoteState::Absent) {
                    RemoteState::Pinned(st) => {
                        outcomes.push(outcome(service, item, "already_pinned", Some(st)));
                    }
                    RemoteState::Pending(st) => {
                        outcomes.push(outcome(service, item, "already_requested", Some(st)));
                    }
                    RemoteState::Failed(st) => match client.replace(&st.requestid, &pin).await {
                        Ok(new) => {
                            waiting.push((outcomes.len(), client.clone()));
                            outcomes.push(outcome(service, item, "replaced", Some(&new)));
                        }
                        Err(e) => {
                            outcomes.push(failed(service, item, ServiceIssue::from_error(&e)));
                        }
                    },
                    RemoteState::Absent => absent.push(client.clone()),
                }
            }
            if absent.is_empty() {
                continue;
            }
            let multi = MultiPin::new(absent);
            match multi.add(&pin).await {
                Ok(report) => {
                    // the report lists the services in the order they were given
                    for (o, client) in report.outcomes.into_iter().zip(multi.clients()) {
                        match o.result {
                            Ok(st) => {
                                waiting.push((outcomes.len(), client.clone()));
                                outcomes.push(outcome(&o.service, item, "requested", Some(&st)));
                            }
                            Err(e) => outcomes.push(failed(
                                &o.service,
                                item,
                                ServiceIssue::from_error(&e),
                            )),
                        }
                    }
                }
                Err(e) => {
                    let issue = ServiceIssue::from_error(&e);
                    for c in multi.clients() {
                        outcomes.push(failed(c.service().name(), item, issue.clone()));
                    }
                }
            }
        }
        if let Some(timeout) = wait {
            let waits = waiting.iter().filter_map(|(index, client)| {
                let requestid = outcomes[*index].requestid.clone()?;
                Some(async move { (*index, client.wait_pinned(&requestid, timeout).await) })
            });
            for (index, result) in futures_util::future::join_all(waits).await {
                let entry = &mut outcomes[index];
                match result {
                    Ok(st) => entry.status = Some(st.status.as_str().to_owned()),
                    Err(PinningError::WaitTimeout { last, .. }) => {
                        if let Some(last) = last {
                            entry.status = Some(last.as_str().to_owned());
                        }
                    }
                    Err(PinningError::PinFailed { .. }) => {
                        entry.status = Some("failed".to_owned());
                    }
                    Err(e) => {
                        warn!(service = %entry.service, code = e.code(), "waiting for a pin failed");
                    }
                }
            }
        }
        outcomes
    }
}

/// The origins to send to `targets`: loopback addresses only when every service is on
/// loopback too (a remote service cannot use them); at most the spec's 20.
fn origins_for(origins: &[String], targets: &[ServiceTarget]) -> Vec<String> {
    let all_loopback = targets.iter().all(|t| match &t.client {
        Ok(c) => is_loopback_url(c.service().endpoint()),
        Err(_) => true,
    });
    origins
        .iter()
        .filter(|a| all_loopback || !is_loopback_multiaddr(a))
        .take(MAX_ORIGINS)
        .cloned()
        .collect()
}

fn outcome(
    service: &str,
    item: &PinItem,
    action: &str,
    status: Option<&PinStatus>,
) -> RemotePinOutcome {
    RemotePinOutcome {
        service: service.to_owned(),
        item: item.item.to_owned(),
        cid: item.cid.clone(),
        action: action.to_owned(),
        status: status.map(|s| s.status.as_str().to_owned()),
        requestid: status.map(|s| s.requestid.clone()),
        error: None,
    }
}

fn failed(service: &str, item: &PinItem, issue: ServiceIssue) -> RemotePinOutcome {
    RemotePinOutcome {
        error: Some(issue),
        ..outcome(service, item, "failed", None)
    }
}

/// The availability one service's outcomes amount to, and the first problem's text.
fn summarise_outcomes(outcomes: &[&RemotePinOutcome]) -> (Availability, Option<String>) {
    if let Some(issue) = outcomes.iter().find_map(|o| o.error.as_ref()) {
        return (Availability::of_issue(issue), Some(issue.message.clone()));
    }
    if outcomes
        .iter()
        .all(|o| o.status.as_deref() == Some("pinned"))
    {
        return (Availability::Ok, None);
    }
    if outcomes
        .iter()
        .any(|o| o.status.as_deref() == Some("failed"))
    {
        return (Availability::PinFailed, None);
    }
    (Availability::PinPending, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(name: &str, endpoint: &str) -> PinningServiceConfig {
        PinningServiceConfig {
            name: name.to_owned(),
            endpoint: endpoint.to_owned(),
        }
    }

    #[test]
    fn service_lists_are_checked() {
        assert!(validate_services(&[]).is_ok());
        assert!(
            validate_services(&[
                svc("pinata", "https://api.pinata.cloud/psa"),
                svc("local", "http://127.0.0.1:5000"),
            ])
            .is_ok()
        );
        let dup = validate_services(&[
            svc("Pinata", "https://a.example/psa"),
            svc("pinata", "https://b.example/psa"),
        ])
        .expect_err("duplicate names");
        assert!(dup.contains("unique"), "{dup}");
        for bad in [
            svc("", "https://a.example"),
            svc(" padded", "https://a.example"),
            svc("a:b", "https://a.example"),
            svc(&"x".repeat(65), "https://a.example"),
            svc("ftp", "ftp://a.example"),
            svc("creds", "https://user:pw@a.example"),
            svc("query", "https://a.example/psa?key=1"),
        ] {
            assert!(
                validate_services(std::slice::from_ref(&bad)).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn origins_keep_loopback_only_for_loopback_services() {
        let all = vec![
            "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWA".to_owned(),
            "/ip4/203.0.113.7/tcp/4001/p2p/12D3KooWA".to_owned(),
        ];
        let target = |endpoint: &str| ServiceTarget {
            name: "s".to_owned(),
            endpoint: endpoint.to_owned(),
            client: PinningService::new("s", endpoint, "t")
                .and_then(|s| {
                    PinningClient::with_options(
                        s,
                        ClientOptions {
                            allow_insecure_http: true,
                            ..ClientOptions::default()
                        },
                    )
                })
                .map_err(|e| ServiceIssue::from_error(&e)),
        };
        assert_eq!(origins_for(&all, &[target("http://127.0.0.1:5000")]), all);
        assert_eq!(
            origins_for(&all, &[target("http://pin.example:5000")]),
            vec![all[1].clone()]
        );
    }

    #[test]
    fn pin_requests_are_named_and_tagged() {
        let item = PinItem {
            item: "media",
            cid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy".to_owned(),
        };
        let pin = pin_request(42, &item, &[]);
        assert_eq!(pin.name.as_deref(), Some("hallmark:42:media"));
        assert_eq!(pin.meta["work"], "42");
        assert_eq!(pin.meta["kind"], "media");
        assert!(pin.validate().is_ok());
    }
}
