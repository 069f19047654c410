//! Proving and verifying: evidence bundles of a held token ([`Engine::prove`]), their
//! verification offline and against the chain ([`Engine::verify_bundle`]), and "who registered
//! this file" from a file alone ([`Engine::identify_file`]).

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use hallmark_chain::{Address, B256, PrivateKeySigner, U256};
use hallmark_evidence::{
    Anchor, ChainInfo, LicenceEntry, ProofInputs, Report, TokenInfo, Transfer, TransferKind,
    VerifyOptions, WorkInfo,
};
use hallmark_unixfs::Cid;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::info;

use crate::config::ChainConfig;
use crate::engine::Engine;
use crate::error::EngineError;

/// Largest media a bundle embeds; larger works are proven by CID only.
pub const MAX_EMBEDDED_MEDIA: u64 = 1024 * 1024 * 1024;

/// What to prove.
#[derive(Debug, Clone)]
pub struct ProveRequest {
    /// The token.
    pub token_id: u64,
    /// The verifier's challenge (becomes the statement's nonce).
    pub challenge: Option<U256>,
    /// Embed the media (else only its CID).
    pub include_media: bool,
}

/// A made bundle.
#[derive(Debug, Clone)]
pub struct Proof {
    /// The zip bytes.
    pub bytes: Vec<u8>,
    /// Their sha-256 (hex): what a certificate's QR code holds.
    pub sha256: String,
    /// A file name for it, e.g. `hallmark-token-1000001.zip`.
    pub file_name: String,
    /// The holder who signed.
    pub holder: String,
    /// The block the statement speaks of.
    pub statement_block: u64,
}

fn parse_b256(text: &str, what: &str) -> Result<B256, EngineError> {
    text.parse::<B256>()
        .map_err(|e| EngineError::Task(format!("the catalog's {what} `{text}` is not a hash: {e}")))
}

fn parse_address(text: &str, what: &str) -> Result<Address, EngineError> {
    text.parse::<Address>().map_err(|e| {
        EngineError::Task(format!(
            "the catalog's {what} `{text}` is not an address: {e}"
        ))
    })
}

fn random_nonce() -> Result<U256, EngineError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| EngineError::Task(format!("no randomness for the nonce: {e}")))?;
    Ok(U256::from_be_bytes(bytes))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Engine {
    /// Makes the evidence bundle of `request.token_id`, signed by `signer`, who must hold it.
    /// The catalog is brought to the chain's head first.
    #[tracing::instrument(skip(self, signer), err(Display))]
    pub async fn prove(
        &self,
        request: &ProveRequest,
        signer: PrivateKeySigner,
    ) -> Result<Proof, EngineError> {
        self.sync_catalog(Default::default(), |_| {}).await?;
        let client = self.chain_client(signer.clone()).await?;
        let token_id = request.token_id;
        let work_id = hallmark_catalog::work_of(token_id);
        let catalog = self.catalog();
        let view = catalog
            .work(work_id)?
            .ok_or_else(|| EngineError::NotFound {
                what: format!("token {token_id}"),
                reason: "no such work is registered on this chain".to_owned(),
            })?;
        if !view.editions.iter().any(|e| e.token_id == token_id) {
            return Err(EngineError::NotFound {
                what: format!("token {token_id}"),
                reason: format!("work {work_id} has no such edition minted"),
            });
        }
        let owner = client.owner_of(U256::from(token_id)).await?;
        if owner != signer.address() {
            return Err(hallmark_evidence::EvidenceError::Invalid(format!(
                "only the holder can prove ownership: token {token_id} is held by {owner:#x}, not {:#x}",
                signer.address()
            ))
            .into());
        }

        let metadata_cid: Cid = view.metadata_cid.parse().map_err(|e| {
            EngineError::Task(format!("the catalog's metadata CID is invalid: {e}"))
        })?;
        let metadata = self
            .read_verified(
                &metadata_cid,
                hallmark_media::metadata::MAX_DOCUMENT_BYTES as u64,
            )
            .await?;
        let media_cid = view
            .media_cid
            .clone()
            .ok_or_else(|| EngineError::NotFound {
                what: "the work's media".to_owned(),
                reason: "its metadata has not been fetched yet (run `hallmark sync`)".to_owned(),
            })?;
        let media = if request.include_media {
            let cid: Cid = media_cid
                .parse()
                .map_err(|e| EngineError::Task(format!("the media CID is invalid: {e}")))?;
            let bytes = self.read_verified(&cid, MAX_EMBEDDED_MEDIA).await?;
            let extension = view
                .mime
                .as_deref()
                .and_then(hallmark_media::MediaType::from_mime)
                .map_or("bin", hallmark_media::MediaType::extension);
            let title = view.title.clone().unwrap_or_default();
            let name = hallmark_evidence::media_file_name(
                &format!("{}.{extension}", title.replace(' ', "-")),
                extension,
            );
            Some((name, bytes))
        } else {
            None
        };

        let deployment = client.deployment().clone();
        let consensus = crate::profile::chain_consensus(self.config())?;
        let registration_tx = parse_b256(&view.registered_tx, "registration transaction")?;
        let registration = hallmark_evidence::collect::registration_block(
            client.provider(),
            view.registered_block,
            registration_tx,
            consensus,
        )
        .await?;
        let head = self
            .chain_rpc()
            .await
            .ok_or_else(|| EngineError::ChainNotReady {
                reason: "no chain is running".to_owned(),
            })?
            .block_number()
            .await?;

        let inputs = ProofInputs {
            chain: chain_info(&deployment, consensus),
            token: TokenInfo {
                token_id: U256::from(token_id),
                work_id: U256::from(work_id),
                edition: u32::try_from(token_id % hallmark_catalog::EDITION_BASE).unwrap_or(0),
            },
            work: WorkInfo {
                title: view.title.clone(),
                content_hash: parse_b256(&view.content_hash, "content hash")?,
                content_cid: media_cid,
                media_file: None,
                metadata_cid: view.metadata_cid.clone(),
                metadata_hash: parse_b256(&view.metadata_hash, "metadata hash")?,
                creator: parse_address(&view.creator, "creator")?,
                issuer: parse_address(&view.issuer, "issuer")?,
                max_editions: view.max_editions,
                royalty_bps: view.royalty_bps,
            },
            registration,
            provenance: self.transfers(work_id, token_id)?,
            licences: self.licence_entries(token_id)?,
            metadata,
            media,
            statement_block: head,
            nonce: match request.challenge {
                Some(challenge) => challenge,
                None => random_nonce()?,
            },
            created_at: now(),
        };
        let bundle = hallmark_evidence::build_bundle(inputs, &signer)?;
        let bytes = bundle.to_bytes()?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        info!(token_id, bytes = bytes.len(), %sha256, "evidence bundle made");
        Ok(Proof {
            bytes,
            sha256,
            file_name: format!("hallmark-token-{token_id}.zip"),
            holder: format!("{:#x}", signer.address()),
            statement_block: head,
        })
    }

    /// The token's changes of holder, mint first, from the catalog.
    fn transfers(&self, work_id: u64, token_id: u64) -> Result<Vec<Transfer>, EngineError> {
        let mut transfers = Vec::new();
        for entry in self.catalog().provenance(work_id)? {
            if entry.token_id != Some(token_id) {
                continue;
            }
            let kind = match entry.kind.as_str() {
                "minted" => TransferKind::Minted,
                "sold" => TransferKind::Sold,
                "gifted" => TransferKind::Gifted,
                _ => continue,
            };
            let to = entry
                .counterparty
                .as_deref()
                .ok_or_else(|| EngineError::Task(format!("{} without a receiver", entry.kind)))?;
            transfers.push(Transfer {
                kind,
                from: match kind {
                    TransferKind::Minted => None,
                    _ => entry
                        .actor
                        .as_deref()
                        .map(|a| parse_address(a, "sender"))
                        .transpose()?,
                },
                to: parse_address(to, "receiver")?,
                price: match kind {
                    TransferKind::Sold => entry.amount.map(|a| U256::from(a.max(0) as u64)),
                    _ => None,
                },
                block: entry.block,
                timestamp: entry.timestamp,
                tx_hash: parse_b256(&entry.tx_hash, "transaction")?,
            });
        }
        Ok(transfers)
    }

    fn licence_entries(&self, token_id: u64) -> Result<Vec<LicenceEntry>, EngineError> {
        self.catalog()
            .licences(token_id)?
            .into_iter()
            .map(|l| {
                Ok(LicenceEntry {
                    offer_id: l.offer_id,
                    licensee: parse_address(&l.licensee, "licensee")?,
                    kind: l.kind,
                    scope_hash: parse_b256(&l.scope_hash, "licence scope")?,
                    duration: l.duration,
                    fee: U256::from(l.fee.max(0) as u64),
                    status: l.status,
                    starts: l.starts,
                    expires: l.expires,
                })
            })
            .collect()
    }

    /// Verifies a bundle file offline, then against `rpc_url` if given (else against this
    /// engine's running chain, if any, unless `offline`). Unless `options` names one, the
    /// bundle is anchored to this data folder's consortium ([`Engine::anchor`]).
    pub async fn verify_bundle(
        &self,
        path: &Path,
        options: &VerifyOptions,
        rpc_url: Option<&str>,
        offline: bool,
    ) -> Result<Report, EngineError> {
        let mut options = options.clone();
        if options.anchor.is_none() {
            options.anchor = self.anchor(!offline).await;
        }
        verify_bundle_at(path, &options, self.online_url(rpc_url, offline).await).await
    }

    /// The consortium this data folder trusts, as a verification anchor: the chain id and the
    /// contracts of its recorded deployment and, when `online` and its node answers, that node's
    /// genesis block. `None` when no deployment is recorded.
    pub async fn anchor(&self, online: bool) -> Option<Anchor> {
        let chain_id = self.config().chain_id();
        let deployment = match self.deployment() {
            Some(deployment) => deployment,
            None => hallmark_chain::read_deployment(&self.config().chain_dir(), chain_id)
                .ok()
                .flatten()?,
        };
        let name = match &self.config().chain {
            ChainConfig::DevChain { .. } => {
                "this data folder's dev chain (a demo chain, not evidence)".to_owned()
            }
            ChainConfig::Rpc { .. } => format!("the consortium of chain {chain_id}"),
        };
        let genesis_hash = match (online, self.chain_rpc().await) {
            (true, Some(rpc)) => hallmark_evidence::online::genesis_hash(rpc.url())
                .await
                .ok(),
            _ => None,
        };
        // The anchor's consensus is informative: the consortium check compares the chain id and
        // the contracts, and the block hash is checked by the bundle's own rule and the node.
        let consensus = crate::profile::chain_consensus(self.config()).unwrap_or_default();
        Some(Anchor {
            name,
            chain: chain_info(&deployment, consensus),
            genesis_hash,
        })
    }

    async fn online_url(&self, rpc_url: Option<&str>, offline: bool) -> Option<String> {
        if offline {
            return None;
        }
        match rpc_url {
            Some(url) => Some(url.to_owned()),
            None => self.chain_rpc().await.map(|rpc| rpc.url().to_owned()),
        }
    }
}

/// Verifies a bundle file offline and, with `rpc_url`, online. `Err` only when the file is not
/// a bundle at all; failed checks are in the report.
pub async fn verify_bundle_at(
    path: &Path,
    options: &VerifyOptions,
    rpc_url: Option<String>,
) -> Result<Report, EngineError> {
    let path = path.to_owned();
    let options_owned = options.clone();
    let (mut report, parsed) =
        tokio::task::spawn_blocking(move || hallmark_evidence::verify_file(&path, &options_owned))
            .await??;
    match (rpc_url, parsed) {
        (Some(url), Some(parsed)) => match hallmark_evidence::online::connect(&url) {
            Ok(provider) => {
                hallmark_evidence::online::verify_online(
                    &mut report,
                    &parsed,
                    &provider,
                    options.anchor.as_ref(),
                )
                .await;
            }
            Err(reason) => report.checks.push(hallmark_evidence::Check {
                id: "online.chain",
                title: "the node is on the bundle's chain",
                status: hallmark_evidence::Status::Fail,
                detail: reason,
            }),
        },
        (None, Some(_)) => report.checks.push(hallmark_evidence::Check {
            id: "online",
            title: "the chain confirms the block and the holder",
            status: hallmark_evidence::Status::Skip,
            detail: "offline: no node given (pass --rpc URL)".to_owned(),
        }),
        (_, None) => {}
    }
    Ok(report)
}

/// What the catalog knows of a file: the work with its exact bytes, and near copies.
#[derive(Debug, Clone, Serialize)]
pub struct FileIdentity {
    /// sha-256 of the file.
    pub sha256: String,
    /// The registered work with exactly these bytes, if any.
    pub exact: Option<hallmark_catalog::WorkView>,
    /// Registered works that look like it (images only), closest first.
    pub near: Vec<crate::NearMatch>,
    /// PDQ quality of the file's image (`None` when it is not an image Hallmark reads).
    pub quality: Option<u8>,
    /// Why only the exact check ran, if so.
    pub note: Option<String>,
    /// How current the catalog the answer came from is (synced just now, or as of a block
    /// with the chain unreachable).
    pub catalog: crate::CatalogFreshness,
}

impl Engine {
    /// "Who registered this work, when, who owns it now": the file's sha-256 in the catalog,
    /// then its perceptual near copies. The catalog is synced first; when the chain cannot be
    /// reached the answer comes from the catalog as it is, and [`FileIdentity::catalog`] says so.
    pub async fn identify_file(&self, path: &Path) -> Result<FileIdentity, EngineError> {
        let catalog = self.refresh_catalog().await?;
        let path = path.to_owned();
        let options = hallmark_media::IngestOptions {
            limits: self.config().limits.clone(),
            derivatives_dir: None,
        };
        let limit = options.limits.max_file_bytes;
        let read = tokio::task::spawn_blocking(move || {
            match hallmark_media::ingest(&path, &options) {
                Ok(ingested) => {
                    let note = ingested.appearance_unchecked.as_ref().map(|why| {
                        format!(
                            "its appearance could not be compared with registered works ({why})"
                        )
                    });
                    Ok((ingested.sha256.clone(), Some(ingested), note))
                }
                // Nothing to look up (no file, a folder, a pipe), or larger than any work
                // Hallmark registers: said as it is, nothing more is read.
                Err(
                    refused @ (hallmark_media::MediaError::NotFound { .. }
                    | hallmark_media::MediaError::IsDirectory { .. }
                    | hallmark_media::MediaError::Unreadable { .. }
                    | hallmark_media::MediaError::Empty { .. }
                    | hallmark_media::MediaError::TooLarge { .. }
                    | hallmark_media::MediaError::Changed { .. }),
                ) => Err(EngineError::from(refused)),
                Err(refused) => {
                    // Not media Hallmark registers: only the exact bytes can be looked up, read
                    // once more within the size limit the ingest already checked.
                    let note = refused.to_string();
                    let unreadable = |reason: String| EngineError::NotFound {
                        what: path.display().to_string(),
                        reason,
                    };
                    let (sha256, _) = hallmark_files::sha256(&path, limit)
                        .map_err(|e| unreadable(e.to_string()))?;
                    Ok::<_, EngineError>((sha256, None, Some(note)))
                }
            }
        })
        .await??;
        let (sha256, ingested, note) = read;
        let exact_id = self.catalog().work_by_content_hash(&sha256)?;
        let (near, quality) = match &ingested {
            Some(ingested) => {
                let check = self.copy_check(ingested)?;
                (check.near, check.quality)
            }
            None => (Vec::new(), None),
        };
        let exact = match exact_id {
            Some(work_id) => self.catalog().work(work_id)?,
            None => None,
        };
        Ok(FileIdentity {
            sha256,
            exact,
            near,
            quality,
            note,
            catalog,
        })
    }
}

/// A proof written to disk by [`Engine::export_proof`].
#[derive(Debug, Clone, Serialize)]
pub struct ExportedProof {
    /// The evidence bundle.
    pub bundle_path: std::path::PathBuf,
    /// Its certificate (PDF).
    pub certificate_path: std::path::PathBuf,
    /// sha-256 of the bundle.
    pub sha256: String,
    /// Bundle size.
    pub bytes: u64,
}

impl Engine {
    /// Proves a token the app's active account holds: the bundle and its PDF certificate are
    /// written to `<data>/exports/` (each written beside and renamed, never half a file).
    pub async fn export_proof(&self, token_id: u64) -> Result<ExportedProof, EngineError> {
        let proof = self
            .prove(
                &ProveRequest {
                    token_id,
                    challenge: None,
                    include_media: true,
                },
                self.app_signer()?,
            )
            .await?;
        let dir = self.config().data_dir.join("exports");
        let bundle_path = dir.join(&proof.file_name);
        let certificate_path = dir.join(format!("hallmark-token-{token_id}-certificate.pdf"));
        let certificate =
            crate::certificate_from_bundle(&proof.bytes, crate::CertificateFormat::Pdf, now())?;
        let write = |path: &std::path::Path, bytes: &[u8]| -> Result<(), EngineError> {
            let partial = path.with_extension("partial");
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&partial, bytes))
                .and_then(|()| std::fs::rename(&partial, path))
                .map_err(|e| EngineError::DataDir {
                    path: path.to_owned(),
                    reason: e.to_string(),
                })
        };
        write(&bundle_path, &proof.bytes)?;
        write(&certificate_path, &certificate)?;
        Ok(ExportedProof {
            bundle_path,
            certificate_path,
            sha256: proof.sha256,
            bytes: proof.bytes.len() as u64,
        })
    }
}

/// The chain and contracts of a deployment, as a bundle names them.
fn chain_info(
    deployment: &hallmark_chain::Deployment,
    consensus: hallmark_evidence::Consensus,
) -> ChainInfo {
    ChainInfo {
        chain_id: deployment.chain_id,
        works: deployment.works,
        market: deployment.market,
        licences: deployment.licences,
        consortium: deployment.consortium,
        consensus,
    }
}
