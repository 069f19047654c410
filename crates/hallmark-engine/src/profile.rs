//! Consortium profiles: one signed file a consortium publishes and a member imports to join it.
//!
//! A profile names the chain (id, genesis hash, consensus, RPC and WebSocket URLs), the deployment
//! (every contract address), the consortium's IPFS endpoints and pinning services, and the extra
//! CA certificates its TLS endpoints need. A council account signs it (EIP-191 over the profile's
//! canonical JSON), so a copy changed on the way — a swapped contract, an added CA, another node —
//! no longer verifies.
//!
//! [`check_profile`] checks a profile against the chain before anything is changed: the signature,
//! the chain id and genesis hash the node reports, code at every address, the contracts wired to
//! each other as the deployment says, the suite version, and the signer on the council.
//! [`use_profile`] then writes the deployment record, the CA certificates and the new
//! `config.json` (last, atomically: a crash before it leaves the old configuration in force).

use std::path::{Path, PathBuf};

use hallmark_chain::{Address, B256, Deployment, PrivateKeySigner};
use serde::{Deserialize, Serialize};

use crate::config::{ChainConfig, Config};
use crate::error::EngineError;
use crate::fsutil::write_atomically;

/// The largest profile (or CA certificate) file read: a profile is a few kilobytes.
pub(crate) const MAX_PROFILE_FILE_BYTES: u64 = 1024 * 1024;

/// The `format` of the profiles this version writes and reads.
pub const PROFILE_FORMAT: &str = "hallmark-consortium-profile/1";

/// How the chain's block hash is computed (evidence bundles record it); one type with the
/// evidence model's, from `hallmark-domain`.
pub use hallmark_domain::Consensus;

/// The chain of a consortium.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileChain {
    /// The chain id.
    pub chain_id: u64,
    /// The hash of block 0: with the chain id, what tells this chain from any other.
    pub genesis_hash: B256,
    /// How its block hashes are computed.
    pub consensus: Consensus,
    /// JSON-RPC URLs of the consortium's nodes (the first is used; https for remote nodes).
    pub rpc_urls: Vec<String>,
    /// WebSocket URLs for new-block subscriptions (optional).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ws_urls: Vec<String>,
}

pub use hallmark_store::{ReadEndpoint, ReadKind};

/// The consortium's IPFS.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileIpfs {
    /// The Kubo RPC API members write to (`None`: members keep the embedded store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubo_rpc: Option<String>,
    /// Endpoints members read blocks from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<ReadEndpoint>,
}

/// A pinning service of the consortium (each member brings their own access token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilePinning {
    /// Its name.
    pub name: String,
    /// Its Pinning Service API endpoint.
    pub endpoint: String,
}

/// What the council signs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileBody {
    /// [`PROFILE_FORMAT`].
    pub format: String,
    /// The consortium's name, as members see it.
    pub name: String,
    /// The chain.
    pub chain: ProfileChain,
    /// Every contract address.
    pub deployment: Deployment,
    /// The consortium's IPFS.
    #[serde(default)]
    pub ipfs: ProfileIpfs,
    /// Its pinning services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinning: Vec<ProfilePinning>,
    /// PEM CA certificates its TLS endpoints are signed by (besides the system's roots).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ca_certificates: Vec<String>,
    /// The council account that signs the profile.
    pub signed_by: Address,
}

/// A consortium profile: its body and the council's signature of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumProfile {
    /// What is signed.
    #[serde(flatten)]
    pub body: ProfileBody,
    /// EIP-191 signature of [`ProfileBody::signed_bytes`] by `signed_by`, `0x` hex.
    pub signature: String,
}

impl ProfileBody {
    /// The bytes the council signs: the body's compact JSON (fields in their fixed order).
    pub fn signed_bytes(&self) -> Result<Vec<u8>, EngineError> {
        serde_json::to_vec(self).map_err(|e| EngineError::ProfileInvalid {
            reason: e.to_string(),
        })
    }

    /// Signs the body as `council` (which becomes `signed_by`).
    pub fn sign(mut self, council: &PrivateKeySigner) -> Result<ConsortiumProfile, EngineError> {
        self.signed_by = council.address();
        let bytes = self.signed_bytes()?;
        let signature = hallmark_chain::keys::sign_message(council, &bytes)
            .map_err(|reason| EngineError::ProfileInvalid { reason })?;
        Ok(ConsortiumProfile {
            body: self,
            signature,
        })
    }
}

impl ConsortiumProfile {
    /// Parses a profile file's text: a truncated, non-JSON or other-format file is
    /// [`EngineError::ProfileInvalid`].
    pub fn parse(bytes: &[u8]) -> Result<Self, EngineError> {
        let profile: Self =
            serde_json::from_slice(bytes).map_err(|e| EngineError::ProfileInvalid {
                reason: format!("it is not a complete profile file ({e})"),
            })?;
        if profile.body.format != PROFILE_FORMAT {
            return Err(EngineError::ProfileInvalid {
                reason: format!(
                    "its format is {:?}; this Hallmark reads {PROFILE_FORMAT:?}",
                    profile.body.format
                ),
            });
        }
        Ok(profile)
    }

    /// Reads and parses a profile file.
    pub fn read(path: &Path) -> Result<Self, EngineError> {
        // A regular file only (a pipe or a device is refused before reading), bounded.
        let bytes = hallmark_files::read(path, MAX_PROFILE_FILE_BYTES).map_err(|e| {
            EngineError::ProfileInvalid {
                reason: format!("{}: {e}", path.display()),
            }
        })?;
        Self::parse(&bytes)
    }

    /// The profile as a file (pretty JSON).
    pub fn to_file_bytes(&self) -> Result<Vec<u8>, EngineError> {
        let mut bytes =
            serde_json::to_vec_pretty(self).map_err(|e| EngineError::ProfileInvalid {
                reason: e.to_string(),
            })?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Checks the signature offline: it must be `signed_by`'s signature of the body.
    pub fn check_signature(&self) -> Result<(), EngineError> {
        let bytes = self.body.signed_bytes()?;
        match hallmark_chain::keys::message_signer(&bytes, &self.signature) {
            Ok(signer) if signer == self.body.signed_by => Ok(()),
            Ok(other) => Err(EngineError::ProfileBadSignature {
                reason: format!(
                    "it says it is signed by {:#x}, but the signature is {other:#x}'s: the \
                     profile was changed after it was signed",
                    self.body.signed_by
                ),
            }),
            Err(reason) => Err(EngineError::ProfileBadSignature { reason }),
        }
    }

    /// The extra CA certificates as one trust (with the installation's plain-http rule).
    fn trust(&self, base: hallmark_net::Trust) -> Result<hallmark_net::Trust, EngineError> {
        let mut trust = base;
        for (i, pem) in self.body.ca_certificates.iter().enumerate() {
            trust = trust
                .with_pem(
                    pem.as_bytes(),
                    &format!("the profile's CA certificate {}", i + 1),
                )
                .map_err(EngineError::CaCertificate)?;
        }
        Ok(trust)
    }

    /// The node the profile's chain is reached at.
    pub fn rpc_url(&self) -> Result<&str, EngineError> {
        self.body
            .chain
            .rpc_urls
            .first()
            .map(String::as_str)
            .ok_or_else(|| EngineError::ProfileInvalid {
                reason: "it names no JSON-RPC URL for the chain".to_owned(),
            })
    }
}

/// What [`check_profile`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileCheck {
    /// The node checked.
    pub rpc_url: String,
    /// Its head block.
    pub head_block: u64,
    /// The council account that signed the profile.
    pub signed_by: Address,
}

/// Checks `profile` against its chain before it is used (see the module docs). `config` gives the
/// installation's own trust and plain-http rule; the profile's CA certificates are added for the
/// check.
pub async fn check_profile(
    profile: &ConsortiumProfile,
    config: &Config,
) -> Result<ProfileCheck, EngineError> {
    let body = &profile.body;
    if body.deployment.chain_id != body.chain.chain_id {
        return Err(EngineError::ProfileInvalid {
            reason: format!(
                "its deployment is for chain {}, its chain is {}",
                body.deployment.chain_id, body.chain.chain_id
            ),
        });
    }
    profile.check_signature()?;
    let plain_http = config.network.plain_http();
    let mut urls: Vec<(&str, &str)> = body
        .chain
        .rpc_urls
        .iter()
        .map(|u| ("chain.rpc_urls", u.as_str()))
        .collect();
    urls.extend(
        body.ipfs
            .kubo_rpc
            .iter()
            .map(|u| ("ipfs.kubo_rpc", u.as_str())),
    );
    urls.extend(body.ipfs.read.iter().map(|r| ("ipfs.read", r.url.as_str())));
    urls.extend(
        body.pinning
            .iter()
            .map(|p| ("pinning", p.endpoint.as_str())),
    );
    let websockets = body
        .chain
        .ws_urls
        .iter()
        .map(|u| ("chain.ws_urls", u.as_str()));
    let checks = urls
        .into_iter()
        .map(|(setting, url)| (setting, url, hallmark_net::check_url(url, plain_http)))
        .chain(websockets.map(|(setting, url)| {
            let checked = hallmark_net::check_websocket_url(url, plain_http);
            (setting, url, checked)
        }));
    for (setting, _url, checked) in checks {
        match checked {
            Ok(_) => {}
            Err(hallmark_net::UrlRefused::PlainHttpToRemote { url }) => {
                return Err(EngineError::PlainHttpRefused {
                    setting: format!("the profile's {setting}"),
                    url,
                });
            }
            Err(other) => {
                return Err(EngineError::ProfileInvalid {
                    reason: format!("its {setting}: {other}"),
                });
            }
        }
    }
    let trust = profile.trust(config.network.trust()?)?;
    let rpc_url = profile.rpc_url()?;
    let provider = hallmark_chain::connect_reader_trusting(rpc_url, &trust)?;
    let chain_id = hallmark_chain::node_chain_id(&provider).await?;
    if chain_id != body.chain.chain_id {
        return Err(EngineError::ProfileWrongChain {
            reason: format!(
                "the node at {rpc_url} serves chain {chain_id}, the profile says {}",
                body.chain.chain_id
            ),
        });
    }
    let genesis = hallmark_chain::genesis_hash(&provider).await?;
    if genesis != body.chain.genesis_hash {
        return Err(EngineError::ProfileWrongChain {
            reason: format!(
                "the node at {rpc_url} serves a chain whose block 0 is {genesis:#x}, the \
                 profile's is {:#x} (another network with the same chain id)",
                body.chain.genesis_hash
            ),
        });
    }
    let deployment = &body.deployment;
    // This build's code at every address, this version, wired as recorded.
    deployment.verify(&provider).await?;
    if !deployment.is_council(&provider, body.signed_by).await? {
        return Err(EngineError::ProfileSignerNotCouncil {
            signer: body.signed_by,
        });
    }
    let head_block = hallmark_chain::head_block(&provider).await?;
    Ok(ProfileCheck {
        rpc_url: rpc_url.to_owned(),
        head_block,
        signed_by: body.signed_by,
    })
}

/// Where a data folder keeps the consortium it joined.
pub fn consortium_dir(config: &Config) -> PathBuf {
    config.data_dir.join("consortium")
}

/// How the block hashes of the chain `config` points at are computed: the consensus of the
/// consortium profile the data folder joined (kept in [`consortium_dir`] by [`use_profile`]) when
/// that profile is of this chain; Ethereum's otherwise (the dev chain, or a node configured by
/// hand). Evidence bundles record it.
pub fn chain_consensus(config: &Config) -> Result<Consensus, EngineError> {
    let ChainConfig::Rpc { chain_id, .. } = &config.chain else {
        return Ok(Consensus::Ethereum);
    };
    let path = consortium_dir(config).join("profile.json");
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Consensus::Ethereum),
        Err(e) => {
            return Err(EngineError::ProfileInvalid {
                reason: format!("cannot read {}: {e}", path.display()),
            });
        }
    };
    let chain = ConsortiumProfile::parse(&bytes)?.body.chain;
    Ok(if chain.chain_id == *chain_id {
        chain.consensus
    } else {
        Consensus::Ethereum
    })
}

/// Checks `profile` ([`check_profile`]) and makes it this data folder's consortium: the deployment
/// record, the profile and its CA certificates go into the data folder, then `config.json` points
/// at the profile's chain, IPFS node and pinning services. Nothing is written when a check fails.
/// Returns the new configuration.
pub async fn use_profile(
    profile: &ConsortiumProfile,
    config: &Config,
) -> Result<(Config, ProfileCheck), EngineError> {
    let check = check_profile(profile, config).await?;
    let body = &profile.body;
    let write = |path: &Path, bytes: &[u8]| {
        write_atomically(path, bytes).map_err(|e| EngineError::DataDir {
            path: path.to_owned(),
            reason: e.to_string(),
        })
    };
    let dir = consortium_dir(config);
    let mut next = config.clone();
    if !body.ca_certificates.is_empty() {
        let ca_file = dir.join("ca-certificates.pem");
        let mut pem = String::new();
        for cert in &body.ca_certificates {
            pem.push_str(cert.trim_end());
            pem.push('\n');
        }
        write(&ca_file, pem.as_bytes())?;
        if !next.network.ca_certificates.contains(&ca_file) {
            next.network.ca_certificates.push(ca_file);
        }
    }
    write(&dir.join("profile.json"), &profile.to_file_bytes()?)?;
    let deployment_bytes =
        serde_json::to_vec_pretty(&body.deployment).map_err(|e| EngineError::ProfileInvalid {
            reason: e.to_string(),
        })?;
    write(
        &hallmark_chain::deployment_path(&config.chain_dir(), body.chain.chain_id),
        &deployment_bytes,
    )?;
    next.chain = ChainConfig::Rpc {
        url: check.rpc_url.clone(),
        chain_id: body.chain.chain_id,
        ws_url: body.chain.ws_urls.first().cloned(),
    };
    // The installation keeps its own store (the embedded one by default): new works are
    // uploaded to the consortium's node, and other people's are read through from its read
    // endpoints (or, without any, from the upload node).
    let mut read = body.ipfs.read.clone();
    if read.is_empty()
        && let Some(api_url) = &body.ipfs.kubo_rpc
    {
        read.push(ReadEndpoint {
            kind: ReadKind::KuboRpc,
            url: api_url.clone(),
        });
    }
    next.consortium_ipfs = crate::config::ConsortiumIpfs {
        upload: body.ipfs.kubo_rpc.clone(),
        read,
        cache_max_bytes: config.consortium_ipfs.cache_max_bytes,
    };
    for service in &body.pinning {
        if !next.pinning.iter().any(|p| p.name == service.name) {
            next.pinning.push(crate::pinning::PinningServiceConfig {
                name: service.name.clone(),
                endpoint: service.endpoint.clone(),
            });
        }
    }
    next.validate()?;
    next.save()?;
    Ok((next, check))
}

/// What the council puts into a profile besides what the data folder knows.
#[derive(Debug, Clone, Default)]
pub struct ProfileOptions {
    /// The consortium's name.
    pub name: String,
    /// Public JSON-RPC URLs; empty: the data folder's chain URL.
    pub rpc_urls: Vec<String>,
    /// WebSocket URLs.
    pub ws_urls: Vec<String>,
    /// How block hashes are computed.
    pub consensus: Option<Consensus>,
    /// The Kubo RPC API members write to.
    pub kubo_rpc: Option<String>,
    /// Read endpoints.
    pub read: Vec<ReadEndpoint>,
    /// PEM files of the CA certificates to include.
    pub ca_files: Vec<PathBuf>,
}

/// Builds and signs the profile of the consortium this data folder is on (its RPC chain and
/// recorded deployment), checking it as a member would before returning it.
pub async fn export_profile(
    config: &Config,
    options: &ProfileOptions,
    council: &PrivateKeySigner,
) -> Result<ConsortiumProfile, EngineError> {
    let ChainConfig::Rpc { url, chain_id, .. } = &config.chain else {
        return Err(EngineError::ProfileInvalid {
            reason: "this data folder is on its own dev chain, which no other installation can \
                     reach; found a consortium with `hallmark consortium deploy --rpc URL` first"
                .to_owned(),
        });
    };
    let deployment =
        hallmark_chain::read_deployment(&config.chain_dir(), *chain_id)?.ok_or_else(|| {
            EngineError::ChainNotReady {
                reason: format!("no Hallmark deployment is recorded for chain {chain_id}"),
            }
        })?;
    let mut ca_certificates = Vec::new();
    for path in &options.ca_files {
        let pem = hallmark_files::read_text(path, MAX_PROFILE_FILE_BYTES).map_err(|e| {
            EngineError::CaCertificate(hallmark_net::TrustError::Unreadable {
                path: path.clone(),
                reason: e.to_string(),
            })
        })?;
        // Checked as a trust anchor, then carried as text.
        hallmark_net::Trust::system()
            .with_pem(pem.as_bytes(), &path.display().to_string())
            .map_err(EngineError::CaCertificate)?;
        ca_certificates.push(pem);
    }
    let provider = hallmark_chain::connect_reader(url)?;
    let genesis_hash = hallmark_chain::genesis_hash(&provider).await?;
    let rpc_urls = if options.rpc_urls.is_empty() {
        vec![url.clone()]
    } else {
        options.rpc_urls.clone()
    };
    let body = ProfileBody {
        format: PROFILE_FORMAT.to_owned(),
        name: options.name.clone(),
        chain: ProfileChain {
            chain_id: *chain_id,
            genesis_hash,
            consensus: options.consensus.unwrap_or(Consensus::Ethereum),
            rpc_urls,
            ws_urls: options.ws_urls.clone(),
        },
        deployment,
        ipfs: ProfileIpfs {
            kubo_rpc: options.kubo_rpc.clone(),
            read: options.read.clone(),
        },
        pinning: config
            .pinning
            .iter()
            .map(|p| ProfilePinning {
                name: p.name.clone(),
                endpoint: p.endpoint.clone(),
            })
            .collect(),
        ca_certificates,
        signed_by: council.address(),
    };
    let profile = body.sign(council)?;
    check_profile(&profile, config).await?;
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(chain_id: u64, consensus: Consensus) -> Vec<u8> {
        let body = ProfileBody {
            format: PROFILE_FORMAT.to_owned(),
            name: "test".to_owned(),
            chain: ProfileChain {
                chain_id,
                genesis_hash: B256::repeat_byte(1),
                consensus,
                rpc_urls: vec!["http://127.0.0.1:8545".to_owned()],
                ws_urls: Vec::new(),
            },
            deployment: Deployment {
                chain_id,
                consortium: Address::repeat_byte(1),
                works: Address::repeat_byte(2),
                credit: Address::repeat_byte(3),
                market: Address::repeat_byte(4),
                licences: Address::repeat_byte(5),
                reviews: Address::repeat_byte(6),
                council: Address::repeat_byte(7),
                timelock: Address::repeat_byte(8),
                endorsements: Address::repeat_byte(9),
                block: 1,
            },
            ipfs: ProfileIpfs::default(),
            pinning: Vec::new(),
            ca_certificates: Vec::new(),
            signed_by: Address::ZERO,
        };
        let council = hallmark_chain::dev_signer(0).expect("a dev key");
        body.sign(&council)
            .expect("signed")
            .to_file_bytes()
            .expect("json")
    }

    #[test]
    fn the_chain_consensus_is_the_joined_profiles_when_it_is_of_this_chain() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut config = Config::embedded(dir.path().to_owned());
        // The dev chain, and an RPC chain without a profile: Ethereum.
        assert_eq!(chain_consensus(&config).expect("read"), Consensus::Ethereum);
        config.chain = ChainConfig::Rpc {
            url: "http://127.0.0.1:8545".to_owned(),
            chain_id: 2024,
            ws_url: None,
        };
        assert_eq!(chain_consensus(&config).expect("read"), Consensus::Ethereum);

        let file = consortium_dir(&config).join("profile.json");
        std::fs::create_dir_all(consortium_dir(&config)).expect("mkdir");
        std::fs::write(&file, profile(2024, Consensus::Qbft)).expect("write");
        assert_eq!(chain_consensus(&config).expect("read"), Consensus::Qbft);

        // A profile of another chain does not speak for this one.
        std::fs::write(&file, profile(7, Consensus::Qbft)).expect("write");
        assert_eq!(chain_consensus(&config).expect("read"), Consensus::Ethereum);

        // A damaged profile is an error, not a guess.
        std::fs::write(&file, b"{").expect("write");
        assert!(chain_consensus(&config).is_err());
    }
}
