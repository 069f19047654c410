//! Credentials of IPFS nodes behind an authenticating proxy (a bearer token, or basic
//! credentials), sent as the `Authorization` header to the node they belong to.
//!
//! They are secrets, kept with the account secrets in `<data>/keystores/ipfs-auth.json` (mode
//! 0600, written atomically), never in `config.json`, the webview or the logs; a node is named by
//! its origin (`scheme://host:port`), so the header never goes to another host.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::EngineError;
use crate::pinning::{ensure_secret_dir, read_secret_json, write_secret_atomically};

const FILE: &str = "ipfs-auth.json";
const VERSION: u32 = 1;

/// How an IPFS node wants to be authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpfsCredential {
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// `Authorization: Basic base64(user:password)`.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
}

impl IpfsCredential {
    fn header_value(&self) -> Result<String, EngineError> {
        let value = match self {
            Self::Bearer(token) => format!("Bearer {}", token.trim()),
            Self::Basic { user, password } => {
                if user.contains(':') {
                    return Err(invalid("a basic user name cannot contain `:`"));
                }
                let pair = Zeroizing::new(format!("{user}:{password}"));
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair.as_bytes())
                )
            }
        };
        if value.bytes().any(|b| b.is_ascii_control()) || value.ends_with(' ') {
            return Err(invalid("the credential is empty or has control characters"));
        }
        Ok(value)
    }
}

fn invalid(reason: &str) -> EngineError {
    EngineError::Config {
        path: PathBuf::from(FILE),
        reason: reason.to_owned(),
    }
}

#[derive(Serialize, Deserialize)]
struct AuthFile {
    version: u32,
    /// Origin → `Authorization` header value.
    nodes: BTreeMap<String, String>,
}

/// The credentials of a data folder's IPFS nodes.
#[derive(Default, Clone)]
pub(crate) struct IpfsAuth {
    nodes: BTreeMap<String, Zeroizing<String>>,
}

impl std::fmt::Debug for IpfsAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IpfsAuth")
            .field("nodes", &self.nodes.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// `https://Host:443/api/v0` → `https://host:443`; `None` for a URL that is not one.
fn origin(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let port = url.port_or_known_default()?;
    Some(format!("{}://{host}:{port}", url.scheme()))
}

fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join("keystores").join(FILE)
}

impl IpfsAuth {
    /// Reads `<data_dir>/keystores/ipfs-auth.json` (absent: no credentials). A file others
    /// could read is made private.
    pub(crate) fn load(data_dir: &Path) -> Result<Self, EngineError> {
        let path = path_in(data_dir);
        let Some(file) = read_secret_json::<AuthFile>(&path, "IPFS credentials file")? else {
            return Ok(Self::default());
        };
        if file.version != VERSION {
            return Err(EngineError::DataDir {
                path,
                reason: format!(
                    "IPFS credentials file version {} is not supported",
                    file.version
                ),
            });
        }
        Ok(Self {
            nodes: file
                .nodes
                .into_iter()
                .map(|(k, v)| (k, Zeroizing::new(v)))
                .collect(),
        })
    }

    /// The `Authorization` header value for the node at `url`, if it has credentials.
    pub(crate) fn header_for(&self, url: &str) -> Option<String> {
        let key = origin(url)?;
        self.nodes.get(&key).map(|v| v.as_str().to_owned())
    }

    fn save(&self, data_dir: &Path) -> Result<(), EngineError> {
        let path = path_in(data_dir);
        let fail = |e: std::io::Error| EngineError::DataDir {
            path: path.clone(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            ensure_secret_dir(dir).map_err(fail)?;
        }
        let file = AuthFile {
            version: VERSION,
            nodes: self
                .nodes
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
                .collect(),
        };
        let bytes =
            Zeroizing::new(serde_json::to_vec_pretty(&file).map_err(|e| invalid(&e.to_string()))?);
        write_secret_atomically(&path, &bytes).map_err(fail)
    }
}

/// Keeps `credential` for the IPFS node at `url` in `data_dir` (replacing any), used from the
/// next start. Returns the origin it is kept under.
pub fn set_ipfs_credential(
    data_dir: &Path,
    url: &str,
    credential: &IpfsCredential,
) -> Result<String, EngineError> {
    let key = origin(url).ok_or_else(|| invalid(&format!("`{url}` is not a node URL")))?;
    let mut auth = IpfsAuth::load(data_dir)?;
    auth.nodes
        .insert(key.clone(), Zeroizing::new(credential.header_value()?));
    auth.save(data_dir)?;
    Ok(key)
}

/// Forgets the credentials of the IPFS node at `url`; whether there were any.
pub fn remove_ipfs_credential(data_dir: &Path, url: &str) -> Result<bool, EngineError> {
    let key = origin(url).ok_or_else(|| invalid(&format!("`{url}` is not a node URL")))?;
    let mut auth = IpfsAuth::load(data_dir)?;
    let removed = auth.nodes.remove(&key).is_some();
    if removed {
        auth.save(data_dir)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_kept_private_by_origin_and_never_debug_printed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let key = set_ipfs_credential(
            dir.path(),
            "https://IPFS.guild.example/api/v0",
            &IpfsCredential::Basic {
                user: "ada".into(),
                password: "open sesame".into(),
            },
        )
        .expect("set");
        assert_eq!(key, "https://ipfs.guild.example:443");
        let path = path_in(dir.path());
        let mode = std::fs::metadata(&path).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let auth = IpfsAuth::load(dir.path()).expect("load");
        assert_eq!(
            auth.header_for("https://ipfs.guild.example:443").as_deref(),
            Some("Basic YWRhOm9wZW4gc2VzYW1l")
        );
        // Another host or port never gets it.
        assert_eq!(auth.header_for("https://evil.example"), None);
        assert_eq!(auth.header_for("https://ipfs.guild.example:5001"), None);
        assert!(!format!("{auth:?}").contains("YWRh"));

        set_ipfs_credential(
            dir.path(),
            "http://127.0.0.1:5001",
            &IpfsCredential::Bearer("t0k".into()),
        )
        .expect("set");
        let auth = IpfsAuth::load(dir.path()).expect("load");
        assert_eq!(
            auth.header_for("http://127.0.0.1:5001").as_deref(),
            Some("Bearer t0k")
        );
        assert!(remove_ipfs_credential(dir.path(), "http://127.0.0.1:5001").expect("rm"));
        assert!(!remove_ipfs_credential(dir.path(), "http://127.0.0.1:5001").expect("rm"));
        assert!(
            set_ipfs_credential(
                dir.path(),
                "http://127.0.0.1:5001",
                &IpfsCredential::Bearer("a\nb".into())
            )
            .is_err()
        );
        assert!(
            set_ipfs_credential(dir.path(), "not a url", &IpfsCredential::Bearer("x".into()))
                .is_err()
        );
    }
}
