//! Where Hallmark keeps its data and which backends it talks to.
//!
//! The configuration lives in `<data_dir>/config.json`. A missing file means the embedded default:
//! the app-owned dev chain, the embedded content store, SQLite in the data dir. Environment variables
//! override the file for one run (`HALLMARK_IPFS_API`, `HALLMARK_CHAIN_RPC`, `HALLMARK_ANVIL`).

use std::path::{Path, PathBuf};

use hallmark_media::Limits;
use hallmark_media::perceptual::Thresholds;
use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::fsutil::write_atomically;

/// The chain id of the embedded dev chain (anvil's conventional id; consortium chains use their own).
pub const DEV_CHAIN_ID: u64 = 31337;

/// Which content store holds the media.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IpfsBackend {
    /// Blocks on disk in `<data_dir>/ipfs`, no daemon.
    Embedded,
    /// A Kubo-compatible node reached through its RPC API, e.g. `http://127.0.0.1:5001`.
    Kubo {
        /// Base URL of the RPC API (without `/api/v0`).
        api_url: String,
    },
}

/// Which chain the engine talks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChainConfig {
    /// A local anvil started and owned by the engine, its state persisted in the data dir. The
    /// anvil binary comes from the installation and the environment only
    /// ([`find_anvil`](crate::devchain::find_anvil)), never from a data folder: a `chain.anvil`
    /// left in an older `config.json` is ignored, so a folder cannot name a program to run.
    DevChain {
        /// Port on 127.0.0.1; `None` picks a free one at start.
        port: Option<u16>,
        /// Chain id of the dev chain.
        chain_id: u64,
    },
    /// A consortium node reached through JSON-RPC.
    Rpc {
        /// JSON-RPC URL of the node.
        url: String,
        /// The chain id the node must report.
        chain_id: u64,
        /// WebSocket URL (`wss://`, or `ws://` under the plain-http rule) for new-block
        /// notifications; `None` derives it from `url` (`https` → `wss`, same host and port).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ws_url: Option<String>,
    },
}

/// Everything the engine needs to know to open.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Folder holding the content store, derivatives, chain state and cache.
    pub data_dir: PathBuf,
    /// Content store backend.
    pub ipfs: IpfsBackend,
    /// Chain backend.
    pub chain: ChainConfig,
    /// Media limits applied at ingest.
    #[serde(default)]
    pub limits: Limits,
    /// When a new image counts as a near copy of a registered one (PDQ distance and quality;
    /// Meta's recommended 31 and 50 by default).
    #[serde(default)]
    pub copy_detection: Thresholds,
    /// Remote pinning services (IPFS Pinning Service API); their access tokens are kept with the
    /// account secrets (`keystores/pinning-tokens.json`), never here.
    #[serde(default)]
    pub pinning: Vec<crate::pinning::PinningServiceConfig>,
    /// What connections to nodes and services trust (extra CA certificates, plain http).
    #[serde(default)]
    pub network: NetworkConfig,
    /// The consortium's IPFS as the embedded store uses it: where new works are uploaded and
    /// where blocks missing here are read from.
    #[serde(default)]
    pub consortium_ipfs: ConsortiumIpfs,
}

/// The default cap of the read-through cache: 2 GiB of other people's works.
pub const DEFAULT_CACHE_MAX_BYTES: u64 = 2 << 30;

/// The consortium's IPFS, for an installation whose own store is the embedded one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumIpfs {
    /// The Kubo RPC API every new work's blocks are uploaded to (a CAR, its roots pinned)
    /// before the work is registered; `None`: works stay on this machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<String>,
    /// Endpoints blocks missing here are read from, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<hallmark_store::ReadEndpoint>,
    /// Most bytes of read-through works kept here (default [`DEFAULT_CACHE_MAX_BYTES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_max_bytes: Option<u64>,
}

impl ConsortiumIpfs {
    /// The cache cap in force.
    pub fn cache_max_bytes(&self) -> u64 {
        self.cache_max_bytes.unwrap_or(DEFAULT_CACHE_MAX_BYTES)
    }

    /// Whether nothing is set.
    pub fn is_unset(&self) -> bool {
        *self == Self::default()
    }
}

/// What connections to chain nodes, IPFS nodes, gateways and pinning services trust.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkConfig {
    /// PEM files of CA certificates trusted besides the system's roots (a consortium's own CA).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ca_certificates: Vec<PathBuf>,
    /// Allow plain `http://` to other machines (a private network the user trusts). Off by
    /// default: plain http then goes to this machine only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_plain_http: bool,
}

impl NetworkConfig {
    /// Makes this the trust of every connection the process opens from now on
    /// ([`hallmark_net::set_default_trust`]); [`Engine::open`](crate::Engine::open) does it too.
    pub fn install(&self) -> Result<(), EngineError> {
        hallmark_net::set_default_trust(self.trust()?);
        Ok(())
    }

    /// Where plain http may go.
    pub fn plain_http(&self) -> hallmark_net::PlainHttp {
        if self.allow_plain_http {
            hallmark_net::PlainHttp::Anywhere
        } else {
            hallmark_net::PlainHttp::LoopbackOnly
        }
    }

    /// The trust every connection of this installation uses: system roots, these CAs, and the
    /// plain-http rule. A CA file that cannot be read or is not PEM is an error.
    pub fn trust(&self) -> Result<hallmark_net::Trust, EngineError> {
        let mut trust = hallmark_net::Trust::system().with_plain_http(self.plain_http());
        for path in &self.ca_certificates {
            trust = trust
                .with_pem_file(path)
                .map_err(EngineError::CaCertificate)?;
        }
        Ok(trust)
    }
}

/// The part of [`Config`] stored in `config.json` (the data dir is where the file is).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredConfig {
    ipfs: IpfsBackend,
    chain: ChainConfig,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    copy_detection: Thresholds,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pinning: Vec<crate::pinning::PinningServiceConfig>,
    #[serde(default, skip_serializing_if = "is_default_network")]
    network: NetworkConfig,
    #[serde(default, skip_serializing_if = "ConsortiumIpfs::is_unset")]
    consortium_ipfs: ConsortiumIpfs,
}

fn is_default_network(network: &NetworkConfig) -> bool {
    *network == NetworkConfig::default()
}

impl Config {
    /// The default data folder: `$HALLMARK_DATA_DIR`, else the folder chosen in Settings (see
    /// [`data_dir_pointer`](Self::data_dir_pointer)), else `$XDG_DATA_HOME/hallmark`, else
    /// `~/.local/share/hallmark`. As the XDG spec says, a relative `$XDG_DATA_HOME` is ignored;
    /// the home folder is `$HOME`, else the account's. Without either this is an error, never
    /// the current folder.
    pub fn default_data_dir() -> Result<PathBuf, EngineError> {
        if let Some(dir) = non_empty_env("HALLMARK_DATA_DIR") {
            return Ok(PathBuf::from(dir));
        }
        if let Some(dir) = Self::chosen_data_dir() {
            return Ok(dir);
        }
        xdg_base(dirs::data_dir(), "~/.local/share/hallmark").map(|dir| dir.join("hallmark"))
    }

    /// Whether `$HALLMARK_DATA_DIR` fixes the data folder (then Settings cannot move it).
    pub fn data_dir_from_env() -> bool {
        non_empty_env("HALLMARK_DATA_DIR").is_some()
    }

    /// The file naming the data folder chosen in Settings:
    /// `$XDG_CONFIG_HOME/hallmark/data-dir`, else `~/.config/hallmark/data-dir` (a relative
    /// `$XDG_CONFIG_HOME` is ignored; no home folder is an error, as for
    /// [`default_data_dir`](Self::default_data_dir)).
    pub fn data_dir_pointer() -> Result<PathBuf, EngineError> {
        xdg_base(dirs::config_dir(), "~/.config/hallmark/data-dir")
            .map(|dir| dir.join("hallmark").join("data-dir"))
    }

    /// The data folder the next start will use, if Settings chose one.
    pub fn chosen_data_dir() -> Option<PathBuf> {
        read_pointer(&Self::data_dir_pointer().ok()?)
    }

    /// Makes `dir` the data folder from the next start: it must be an absolute path to a folder
    /// that exists or can be made, and that Hallmark can write. The current folder is left as
    /// it is (its data stays there; choose it again to go back).
    pub fn choose_data_dir(dir: &Path) -> Result<(), EngineError> {
        choose_data_dir_at(&Self::data_dir_pointer()?, dir)
    }

    /// The embedded default for a data folder.
    pub fn embedded(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            ipfs: IpfsBackend::Embedded,
            chain: ChainConfig::DevChain {
                port: None,
                chain_id: DEV_CHAIN_ID,
            },
            limits: Limits::default(),
            copy_detection: Thresholds::default(),
            pinning: Vec::new(),
            network: NetworkConfig::default(),
            consortium_ipfs: ConsortiumIpfs::default(),
        }
    }

    /// Loads `<data_dir>/config.json` (or the embedded default when absent), then applies the
    /// environment overrides.
    pub fn load(data_dir: Option<PathBuf>) -> Result<Self, EngineError> {
        let data_dir = match data_dir {
            Some(dir) => dir,
            None => Self::default_data_dir()?,
        };
        let path = config_path(&data_dir);
        let mut config = match std::fs::read(&path) {
            Ok(bytes) => {
                let stored: StoredConfig =
                    serde_json::from_slice(&bytes).map_err(|e| EngineError::Config {
                        path: path.clone(),
                        reason: e.to_string(),
                    })?;
                Self {
                    data_dir,
                    ipfs: stored.ipfs,
                    chain: stored.chain,
                    limits: stored.limits,
                    copy_detection: stored.copy_detection,
                    pinning: stored.pinning,
                    network: stored.network,
                    consortium_ipfs: stored.consortium_ipfs,
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::embedded(data_dir),
            Err(e) => {
                return Err(EngineError::Config {
                    path,
                    reason: e.to_string(),
                });
            }
        };
        config.apply_env();
        config.validate()?;
        Ok(config)
    }

    /// Writes `config.json` atomically (temp file, fsync, rename).
    pub fn save(&self) -> Result<(), EngineError> {
        let stored = StoredConfig {
            ipfs: self.ipfs.clone(),
            chain: self.chain.clone(),
            limits: self.limits.clone(),
            copy_detection: self.copy_detection,
            pinning: self.pinning.clone(),
            network: self.network.clone(),
            consortium_ipfs: self.consortium_ipfs.clone(),
        };
        let path = config_path(&self.data_dir);
        let bytes = serde_json::to_vec_pretty(&stored).map_err(|e| EngineError::Config {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        write_atomically(&path, &bytes).map_err(|e| EngineError::DataDir {
            path,
            reason: e.to_string(),
        })
    }

    fn apply_env(&mut self) {
        if let Some(api_url) = non_empty_env("HALLMARK_IPFS_API") {
            self.ipfs = IpfsBackend::Kubo { api_url };
        }
        if let Some(url) = non_empty_env("HALLMARK_CHAIN_RPC") {
            let chain_id = non_empty_env("HALLMARK_CHAIN_ID")
                .and_then(|id| id.parse().ok())
                .unwrap_or(DEV_CHAIN_ID);
            self.chain = ChainConfig::Rpc {
                url,
                chain_id,
                ws_url: non_empty_env("HALLMARK_CHAIN_WS"),
            };
        }
    }

    /// Checks values a user may have typed into `config.json`.
    pub fn validate(&self) -> Result<(), EngineError> {
        let invalid = |reason: String| EngineError::Config {
            path: config_path(&self.data_dir),
            reason,
        };
        let plain_http = self.network.plain_http();
        if let IpfsBackend::Kubo { api_url } = &self.ipfs {
            check_http_url(api_url).map_err(|r| invalid(format!("ipfs.api_url: {r}")))?;
            check_url_rule("ipfs.api_url", api_url, plain_http)?;
        }
        if let ChainConfig::Rpc { url, ws_url, .. } = &self.chain {
            check_http_url(url).map_err(|r| invalid(format!("chain.url: {r}")))?;
            check_url_rule("chain.url", url, plain_http)?;
            if let Some(ws_url) = ws_url {
                check_websocket_url_rule("chain.ws_url", ws_url, plain_http, invalid)?;
            }
        }
        let t = &self.copy_detection;
        if t.max_distance > 128 || t.min_quality > 100 {
            return Err(invalid(format!(
                "copy_detection: max_distance must be 0..=128 and min_quality 0..=100 (got {} and {})",
                t.max_distance, t.min_quality
            )));
        }
        crate::pinning::validate_services(&self.pinning)
            .map_err(|r| invalid(format!("pinning: {r}")))?;
        if let Some(url) = &self.consortium_ipfs.upload {
            check_http_url(url).map_err(|r| invalid(format!("consortium_ipfs.upload: {r}")))?;
            check_url_rule("consortium_ipfs.upload", url, plain_http)?;
        }
        for endpoint in &self.consortium_ipfs.read {
            check_http_url(&endpoint.url)
                .map_err(|r| invalid(format!("consortium_ipfs.read: {r}")))?;
            check_url_rule("consortium_ipfs.read", &endpoint.url, plain_http)?;
        }
        if self.consortium_ipfs.cache_max_bytes == Some(0) {
            return Err(invalid(
                "consortium_ipfs.cache_max_bytes: the cache needs room for at least one work"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// Folder of the embedded content store.
    pub fn ipfs_dir(&self) -> PathBuf {
        self.data_dir.join("ipfs")
    }

    /// Folder of thumbnails and previews made at ingest.
    pub fn derivatives_dir(&self) -> PathBuf {
        self.data_dir.join("derivatives")
    }

    /// Folder of the dev chain's state and of the contract deployment record.
    pub fn chain_dir(&self) -> PathBuf {
        self.data_dir.join("chain")
    }

    /// The local SQLite database.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("hallmark.sqlite")
    }

    /// The local catalog (a cache of the chain, rebuilt with `hallmark catalog rebuild`).
    pub fn catalog_path(&self) -> PathBuf {
        self.data_dir.join("catalog.sqlite")
    }

    /// The configured chain id.
    pub fn chain_id(&self) -> u64 {
        match &self.chain {
            ChainConfig::DevChain { chain_id, .. } | ChainConfig::Rpc { chain_id, .. } => *chain_id,
        }
    }
}

fn config_path(data_dir: &Path) -> PathBuf {
    data_dir.join("config.json")
}

/// An XDG base folder from `dirs` (`None` when neither an absolute `$XDG_*` value nor a home
/// folder is known, which is an error naming `usual`, the file or folder that was wanted).
fn xdg_base(base: Option<PathBuf>, usual: &str) -> Result<PathBuf, EngineError> {
    base.ok_or_else(|| EngineError::DataDir {
        path: PathBuf::from(usual),
        reason: "no home folder is known ($HOME is not set and the account has none); set \
                 $HALLMARK_DATA_DIR, or $XDG_DATA_HOME and $XDG_CONFIG_HOME, to absolute paths"
            .to_owned(),
    })
}

/// The folder named by a pointer file, if the file holds an absolute path.
fn read_pointer(pointer: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(pointer).ok()?;
    let dir = PathBuf::from(text.trim());
    dir.is_absolute().then_some(dir)
}

fn choose_data_dir_at(pointer: &Path, dir: &Path) -> Result<(), EngineError> {
    let refused = |reason: String| EngineError::DataDir {
        path: dir.to_owned(),
        reason,
    };
    if !dir.is_absolute() {
        return Err(refused(
            "give the folder's full path (starting with /)".to_owned(),
        ));
    }
    let text = dir
        .to_str()
        .filter(|t| !t.contains('\n'))
        .ok_or_else(|| refused("the path must be UTF-8 on one line".to_owned()))?;
    std::fs::create_dir_all(dir).map_err(|e| refused(e.to_string()))?;
    let probe = dir.join(".hallmark-write-test");
    std::fs::write(&probe, b"ok").map_err(|e| refused(format!("cannot write there: {e}")))?;
    let _ = std::fs::remove_file(&probe);
    write_atomically(pointer, format!("{text}\n").as_bytes()).map_err(|e| EngineError::DataDir {
        path: pointer.to_owned(),
        reason: e.to_string(),
    })
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The plain-http rule for one configured URL (`setting` names it in the error).
fn check_url_rule(
    setting: &str,
    url: &str,
    plain_http: hallmark_net::PlainHttp,
) -> Result<(), EngineError> {
    match hallmark_net::check_url(url, plain_http) {
        Ok(_) => Ok(()),
        Err(hallmark_net::UrlRefused::PlainHttpToRemote { url }) => {
            Err(EngineError::PlainHttpRefused {
                setting: setting.to_owned(),
                url,
            })
        }
        // The shape of the URL was checked by check_http_url.
        Err(_) => Ok(()),
    }
}

/// A WebSocket URL: `ws`/`wss` with a host, under the plain-http rule.
fn check_websocket_url_rule(
    setting: &str,
    url: &str,
    plain_http: hallmark_net::PlainHttp,
    invalid: impl Fn(String) -> EngineError,
) -> Result<(), EngineError> {
    match hallmark_net::check_websocket_url(url, plain_http) {
        Ok(parsed) if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        Ok(_) => Err(invalid(format!("{setting}: {url:?} has no host"))),
        Err(hallmark_net::UrlRefused::PlainHttpToRemote { url }) => {
            Err(EngineError::PlainHttpRefused {
                setting: setting.to_owned(),
                url,
            })
        }
        Err(other) => Err(invalid(format!("{setting}: {other}"))),
    }
}

fn check_http_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| format!("{url:?} must start with http:// or https://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("{url:?} has no host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_the_embedded_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = Config::load(Some(dir.path().to_owned())).expect("load");
        assert_eq!(config.ipfs, IpfsBackend::Embedded);
        assert!(matches!(
            config.chain,
            ChainConfig::DevChain {
                chain_id: DEV_CHAIN_ID,
                ..
            }
        ));
    }

    #[test]
    fn save_then_load_roundtrips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config::embedded(dir.path().to_owned());
        config.ipfs = IpfsBackend::Kubo {
            api_url: "http://127.0.0.1:5001".into(),
        };
        config.save().expect("save");
        let loaded = Config::load(Some(dir.path().to_owned())).expect("load");
        assert_eq!(loaded.ipfs, config.ipfs);
    }

    #[test]
    fn broken_file_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("config.json"), b"{ not json").expect("write");
        let err = Config::load(Some(dir.path().to_owned())).expect_err("must fail");
        assert_eq!(err.code(), "config.invalid");
        assert!(err.to_string().contains("config.json"), "{err}");
    }

    #[test]
    fn bad_urls_are_refused() {
        assert!(check_http_url("http://127.0.0.1:5001").is_ok());
        assert!(check_http_url("ftp://x").is_err());
        assert!(check_http_url("http://").is_err());
    }

    /// Not a check itself: the child process of the XDG tests below, run with the environment
    /// they choose (environment variables cannot be changed safely inside a test process).
    #[test]
    #[ignore = "run in a child process by the XDG tests"]
    fn print_default_locations() {
        let shown = |r: Result<PathBuf, EngineError>| format!("{:?}", r.map_err(|e| e.to_string()));
        println!("data-dir={}", shown(Config::default_data_dir()));
        println!("pointer={}", shown(Config::data_dir_pointer()));
    }

    /// `(data folder, Settings pointer)` as `Result` debug text, in a process whose whole
    /// environment is `env`.
    fn default_locations(env: &[(&str, &Path)]) -> (String, String) {
        let out = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "config::tests::print_default_locations",
                "--exact",
                "--ignored",
            ])
            .args(["--nocapture", "--test-threads=1"])
            .env_clear()
            .envs(env.iter().copied())
            .output()
            .expect("run the test binary");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        let line = |key: &str| {
            // libtest may print the test's name on the same line, before the output.
            text.lines()
                .find_map(|l| l.find(key).map(|at| &l[at + key.len()..]))
                .unwrap_or_else(|| panic!("no {key} in {text}"))
                .to_owned()
        };
        (line("data-dir="), line("pointer="))
    }

    fn ok(path: PathBuf) -> String {
        format!("{:?}", Ok::<_, String>(path))
    }

    #[test]
    fn absolute_xdg_folders_are_used() {
        let home = tempfile::tempdir().expect("tempdir");
        let (data, config) = (home.path().join("data"), home.path().join("config"));
        let (data_dir, pointer) = default_locations(&[
            ("HOME", home.path()),
            ("XDG_DATA_HOME", &data),
            ("XDG_CONFIG_HOME", &config),
        ]);
        assert_eq!(data_dir, ok(data.join("hallmark")));
        assert_eq!(pointer, ok(config.join("hallmark/data-dir")));
    }

    #[test]
    fn relative_xdg_folders_are_ignored_as_the_spec_says() {
        let home = tempfile::tempdir().expect("tempdir");
        let (data_dir, pointer) = default_locations(&[
            ("HOME", home.path()),
            ("XDG_DATA_HOME", Path::new("relative/data")),
            ("XDG_CONFIG_HOME", Path::new("relative/config")),
        ]);
        assert_eq!(data_dir, ok(home.path().join(".local/share/hallmark")));
        assert_eq!(pointer, ok(home.path().join(".config/hallmark/data-dir")));
    }

    #[test]
    fn without_home_the_data_folder_is_the_accounts_or_an_error_never_the_current_folder() {
        for home in [None, Some(Path::new(""))] {
            let mut env = vec![("XDG_DATA_HOME", Path::new("relative/data"))];
            env.extend(home.map(|h| ("HOME", h)));
            let (data_dir, _) = default_locations(&env);
            // The account's home folder (from the user database) when it has one.
            let from_account =
                data_dir.starts_with("Ok(\"/") && data_dir.ends_with("/.local/share/hallmark\")");
            let refused = data_dir.starts_with("Err(") && data_dir.contains("no home folder");
            assert!(from_account || refused, "{data_dir}");
        }
    }

    #[test]
    fn a_chain_websocket_url_is_ws_or_wss_under_the_plain_http_rule() {
        let dir = tempfile::tempdir().expect("tempdir");
        let with_ws = |ws: &str| {
            let mut config = Config::embedded(dir.path().to_owned());
            config.chain = ChainConfig::Rpc {
                url: "https://node.example:8545".to_owned(),
                chain_id: 2024,
                ws_url: Some(ws.to_owned()),
            };
            config.validate().err().map(|e| e.code().to_string())
        };
        assert_eq!(with_ws("wss://node.example:8546"), None);
        assert_eq!(with_ws("ws://127.0.0.1:8545"), None);
        assert_eq!(
            with_ws("ws://node.example:8546").as_deref(),
            Some("net.plain_http_refused")
        );
        assert_eq!(
            with_ws("https://node.example:8546").as_deref(),
            Some("config.invalid")
        );
        assert_eq!(with_ws("wss://").as_deref(), Some("config.invalid"));
    }

    #[test]
    fn no_home_folder_is_a_clear_error() {
        let err = xdg_base(None, "~/.local/share/hallmark").expect_err("no folder");
        assert_eq!(err.code(), "storage.data_dir");
        let text = err.to_string();
        assert!(text.contains("~/.local/share/hallmark"), "{text}");
        assert!(text.contains("$HOME is not set"), "{text}");
        assert!(text.contains("$HALLMARK_DATA_DIR"), "{text}");
        assert_eq!(
            xdg_base(Some(PathBuf::from("/home/a/.local/share")), "~").expect("known"),
            Path::new("/home/a/.local/share")
        );
    }

    #[test]
    fn a_chosen_data_folder_is_recorded_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pointer = dir.path().join("config/hallmark/data-dir");
        assert_eq!(read_pointer(&pointer), None);
        let chosen = dir.path().join("elsewhere/hallmark data");
        choose_data_dir_at(&pointer, &chosen).expect("choose");
        assert!(chosen.is_dir());
        assert_eq!(read_pointer(&pointer), Some(chosen.clone()));
        assert!(choose_data_dir_at(&pointer, Path::new("relative/dir")).is_err());
        // A file where the folder should be: refused, and the old choice stays.
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").expect("file");
        assert!(choose_data_dir_at(&pointer, &file).is_err());
        assert_eq!(read_pointer(&pointer), Some(chosen));
        std::fs::write(&pointer, "not/absolute").expect("write");
        assert_eq!(read_pointer(&pointer), None);
    }
}
