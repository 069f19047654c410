//! Writing an exit kit ([`ExitKit::export_kit`](crate::ExitKit::export_kit)).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use hallmark_catalog::{BrowseQuery, WorkView};
use hallmark_chain::{Deployment, PrivateKeySigner};
use hallmark_domain::ErrorCode;
use hallmark_engine::{ChainConfig, Engine, EngineError, ProveRequest, RpcEndpoint};
use hallmark_media::WorkMetadata;
use hallmark_store::{AnyStore, ContentStore};
use hallmark_unixfs::{CarWriter, Cid, ReadError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::{debug, info};

use super::readme::{self, KitChain};
use super::{
    CHAIN_FILE, KIT_BUNDLE_MEDIA_MAX, KIT_FORMAT, KitFile, KitManifest, KitSelection, KitToken,
    KitWork, KitWorkFiles, MANIFEST_FILE, README_FILE, RemoveOnDrop, SUMS_FILE, hash_file,
    io_error, kit_error, plain_hex, unique_suffix,
};

/// What [`ExitKit::export_kit`](crate::ExitKit::export_kit) wrote.
#[derive(Debug, Clone, Serialize)]
pub struct KitReport {
    /// The kit folder.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub path: PathBuf,
    /// The signing account (`0x…`).
    pub account: String,
    /// The chain id.
    pub chain_id: u64,
    /// The works, as the manifest lists them.
    pub works: Vec<KitWork>,
    /// Evidence bundles written.
    pub bundles: usize,
    /// Files in the kit (with `manifest.json` and `SHA256SUMS`).
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Wall time, in milliseconds.
    pub elapsed_ms: u64,
}

/// The kit folder being written: files are created under `root` and remembered.
struct KitWriter {
    root: PathBuf,
    written: Vec<String>,
}

impl KitWriter {
    /// The absolute path of `relative`, its folder created.
    fn prepare(&self, relative: &str) -> Result<PathBuf, EngineError> {
        let path = self.root.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, &e))?;
        }
        Ok(path)
    }

    /// Writes `bytes` as `relative`, flushed to disk.
    fn write(&mut self, relative: &str, bytes: &[u8]) -> Result<(), EngineError> {
        let path = self.prepare(relative)?;
        let mut file = File::create(&path).map_err(|e| io_error("create", &path, &e))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| io_error("write", &path, &e))?;
        self.written.push(relative.to_owned());
        Ok(())
    }
}

/// Refuses a destination that is a file or a non-empty folder.
fn check_destination(out: &Path) -> Result<(), EngineError> {
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("inspect", out, &e)),
        Ok(meta) if meta.is_dir() => {
            let mut entries = std::fs::read_dir(out).map_err(|e| io_error("read", out, &e))?;
            if entries.next().is_some() {
                Err(kit_error(
                    ErrorCode::KitExists,
                    format!(
                        "{} is not empty: a kit is written into a new or empty folder",
                        out.display()
                    ),
                ))
            } else {
                Ok(())
            }
        }
        Ok(_) => Err(kit_error(
            ErrorCode::KitExists,
            format!(
                "{} exists and is not a folder: a kit is written into a new or empty folder",
                out.display()
            ),
        )),
    }
}

/// `OUT.partial-<unique>` beside `out`.
fn partial_path(out: &Path) -> Result<PathBuf, EngineError> {
    let name = out.file_name().ok_or_else(|| {
        kit_error(
            ErrorCode::KitExists,
            format!("{} names no folder", out.display()),
        )
    })?;
    let mut partial = name.to_owned();
    partial.push(format!(".partial-{}", unique_suffix()));
    Ok(out.with_file_name(partial))
}

fn not_ready(reason: &str) -> EngineError {
    EngineError::ChainNotReady {
        reason: reason.to_owned(),
    }
}

fn parse_cid(text: &str, what: &str) -> Result<Cid, EngineError> {
    Cid::from_str(text.trim())
        .map_err(|e| EngineError::Task(format!("the catalog's {what} `{text}` is not a CID: {e}")))
}

/// `ipfs://<cid>` → the CID.
fn ipfs_url_cid(url: &str) -> Option<Cid> {
    url.strip_prefix("ipfs://")
        .and_then(|rest| Cid::from_str(rest.trim_end_matches('/')).ok())
}

/// Writes the DAG under `root` as a CAR v1 file at `dest` (root first, depth first, each block
/// once and verified against its CID by the store), flushed to disk. Returns the block count.
async fn write_car(store: &AnyStore, root: Cid, dest: &Path) -> Result<u64, EngineError> {
    let store = store.clone();
    let dest = dest.to_owned();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let file = File::create(&dest).map_err(|e| io_error("create", &dest, &e))?;
        let car_failed = |e: hallmark_unixfs::CarError| {
            kit_error(
                ErrorCode::KitIo,
                format!("cannot write {}: {e}", dest.display()),
            )
        };
        let mut car =
            CarWriter::new(BufWriter::with_capacity(1 << 20, file), &[root]).map_err(car_failed)?;
        let mut blocks = 0u64;
        hallmark_unixfs::dag_cids(&root, |cid| -> Result<Vec<u8>, EngineError> {
            let block = handle.block_on(store.get_block(cid))?;
            car.write_block(cid, &block).map_err(car_failed)?;
            blocks += 1;
            Ok(block)
        })
        .map_err(|e| match e {
            ReadError::Fetch(e) => e,
            other => kit_error(
                ErrorCode::KitContent,
                format!("{root} in the content store is not a readable UnixFS file: {other}"),
            ),
        })?;
        let file = car
            .finish()
            .map_err(car_failed)?
            .into_inner()
            .map_err(|e| io_error("write", &dest, e.error()))?;
        file.sync_all().map_err(|e| io_error("write", &dest, &e))?;
        Ok(blocks)
    })
    .await?
}

/// Adds context to a failed export of a work's content.
fn content_error(work_id: u64, what: &str, cid: &Cid, error: EngineError) -> EngineError {
    if error.code() == ErrorCode::StoreNotFound {
        kit_error(
            ErrorCode::KitMissingContent,
            format!(
                "the {what} of work {work_id} ({cid}) is not complete in the content store: {error}; \
                 fetch it first (e.g. `hallmark sync` with its IPFS node reachable) or leave the work out"
            ),
        )
    } else {
        error
    }
}

/// Writes the kit (see [`ExitKit::export_kit`](crate::ExitKit::export_kit)).
#[tracing::instrument(skip(engine, signer), fields(out = %out.display()), err(Display))]
pub(crate) async fn export_kit(
    engine: &Engine,
    selection: &KitSelection,
    out: &Path,
    signer: PrivateKeySigner,
) -> Result<KitReport, EngineError> {
    let started = Instant::now();
    check_destination(out)?;
    let selection = selection.resolved();
    engine.sync_catalog(Default::default(), |_| {}).await?;
    let (deployment, rpc) = running_chain(engine).await?;
    let account = format!("{:#x}", signer.address());
    let work_ids = kit_work_ids(engine, &selection, &account)?;
    if work_ids.is_empty() {
        return Err(kit_error(
            ErrorCode::KitEmpty,
            format!(
                "nothing to export: {account} holds no token and created no work on chain {}",
                deployment.chain_id
            ),
        ));
    }
    info!(works = work_ids.len(), %account, "exporting a kit");

    let partial = partial_path(out)?;
    std::fs::create_dir_all(&partial).map_err(|e| io_error("create", &partial, &e))?;
    let mut guard = RemoveOnDrop::new(partial.clone());
    let mut writer = KitWriter {
        root: partial.clone(),
        written: Vec::new(),
    };

    let mut works = Vec::with_capacity(work_ids.len());
    for work_id in work_ids {
        works.push(export_work(engine, &mut writer, work_id, &account, &signer).await?);
    }
    let chain = kit_chain(engine, &deployment, rpc.url()).await?;
    write_chain(&mut writer, &deployment, &chain)?;

    let mut manifest = KitManifest {
        format: KIT_FORMAT.to_owned(),
        created_at: super::now(),
        created_by: format!("hallmark {}", env!("CARGO_PKG_VERSION")),
        account: account.clone(),
        chain_id: deployment.chain_id,
        selection,
        works,
        files: Vec::new(),
    };
    let readme = readme::render(&manifest, &chain, env!("CARGO_PKG_VERSION"));
    writer.write(README_FILE, readme.as_bytes())?;
    let bytes = write_listings(&mut writer, &mut manifest)?;
    move_into_place(&partial, out)?;
    guard.disarm();

    let report = KitReport {
        path: out.to_owned(),
        account,
        chain_id: manifest.chain_id,
        bundles: manifest
            .works
            .iter()
            .flat_map(|w| &w.tokens)
            .filter(|t| t.bundle.is_some())
            .count(),
        works: manifest.works,
        files: manifest.files.len() + 2,
        bytes,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    info!(
        works = report.works.len(),
        bundles = report.bundles,
        bytes,
        ms = report.elapsed_ms,
        "kit written"
    );
    Ok(report)
}

/// The deployed contracts and the node that serves them.
async fn running_chain(engine: &Engine) -> Result<(Deployment, RpcEndpoint), EngineError> {
    let deployment = engine
        .deployment()
        .ok_or_else(|| not_ready("the Hallmark contracts are not deployed on this chain"))?;
    let rpc = engine
        .chain_rpc()
        .await
        .ok_or_else(|| not_ready("no chain is running"))?;
    Ok((deployment, rpc))
}

/// Writes every contract's ABI and `chain.json`.
fn write_chain(
    writer: &mut KitWriter,
    deployment: &Deployment,
    chain: &KitChain,
) -> Result<(), EngineError> {
    for (name, abi) in readme::abis(deployment)? {
        writer.write(&format!("abi/{name}.json"), &abi)?;
    }
    let mut chain_json = serde_json::to_vec_pretty(chain)
        .map_err(|e| EngineError::Task(format!("chain.json: {e}")))?;
    chain_json.push(b'\n');
    writer.write(CHAIN_FILE, &chain_json)
}

/// Hashes every file written so far into the manifest, then writes `manifest.json` and
/// `SHA256SUMS`. Returns the kit's total size in bytes.
fn write_listings(writer: &mut KitWriter, manifest: &mut KitManifest) -> Result<u64, EngineError> {
    // Hash what is on disk, not what was meant to be written.
    let mut files = Vec::with_capacity(writer.written.len());
    for relative in &writer.written {
        let (sha256, size) = hash_file(&writer.root.join(relative))?;
        files.push(KitFile {
            path: relative.clone(),
            sha256,
            size,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    manifest.files = files;
    let mut manifest_json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| EngineError::Task(format!("manifest.json: {e}")))?;
    manifest_json.push(b'\n');
    writer.write(MANIFEST_FILE, &manifest_json)?;
    let sums = checksum_list(manifest, &manifest_json);
    writer.write(SUMS_FILE, sums.as_bytes())?;
    Ok(manifest.files.iter().map(|f| f.size).sum::<u64>()
        + manifest_json.len() as u64
        + sums.len() as u64)
}

/// `SHA256SUMS`: every listed file and `manifest.json`, sorted by path, as `sha256sum` writes it.
fn checksum_list(manifest: &KitManifest, manifest_json: &[u8]) -> String {
    let mut listed: Vec<(String, String)> = manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();
    listed.push((
        MANIFEST_FILE.to_owned(),
        hex::encode(Sha256::digest(manifest_json)),
    ));
    listed.sort();
    let mut sums = String::new();
    for (path, sha256) in &listed {
        sums.push_str(&format!("{sha256}  {path}\n"));
    }
    sums
}

/// Renames the finished `partial` folder to `out` (replacing an empty folder there), with the
/// folders' entries flushed to disk.
fn move_into_place(partial: &Path, out: &Path) -> Result<(), EngineError> {
    if let Ok(dir) = File::open(partial) {
        // Persist the folder's entries; failure only weakens durability.
        let _ = dir.sync_all();
    }
    // An empty folder given as OUT is replaced by the finished kit.
    if out.is_dir() {
        std::fs::remove_dir(out).map_err(|e| io_error("replace", out, &e))?;
    }
    std::fs::rename(partial, out).map_err(|e| io_error("move the kit to", out, &e))?;
    if let Some(parent) = out.parent()
        && let Ok(dir) = File::open(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The works a selection names, by id.
fn kit_work_ids(
    engine: &Engine,
    selection: &KitSelection,
    account: &str,
) -> Result<BTreeSet<u64>, EngineError> {
    let mut ids = BTreeSet::new();
    for &token in &selection.tokens {
        let work_id = hallmark_catalog::work_of(token);
        let known = engine
            .catalog()
            .work(work_id)?
            .is_some_and(|view| view.editions.iter().any(|e| e.token_id == token));
        if !known {
            return Err(EngineError::NotFound {
                what: format!("token {token}"),
                reason: "no such token is minted on this chain".to_owned(),
            });
        }
        ids.insert(work_id);
    }
    let mut browse = |query: BrowseQuery| -> Result<(), EngineError> {
        let mut query = BrowseQuery {
            limit: 200,
            ..query
        };
        loop {
            let page = engine.catalog().browse(&query)?;
            ids.extend(page.items.iter().map(|card| card.work_id));
            match page.next {
                Some(next) => query.after = Some(next),
                None => return Ok(()),
            }
        }
    };
    if selection.owned {
        browse(BrowseQuery {
            owner: Some(account.to_owned()),
            ..BrowseQuery::default()
        })?;
    }
    if selection.created {
        browse(BrowseQuery {
            creator: Some(account.to_owned()),
            ..BrowseQuery::default()
        })?;
    }
    Ok(ids)
}

/// A work's metadata document as registered: its bytes (with the registered hash) and parsed.
struct RegisteredMetadata {
    cid: Cid,
    bytes: Vec<u8>,
    sha256: String,
    document: WorkMetadata,
}

/// Reads a work's metadata document from the content store and checks it has the registered
/// hash.
async fn registered_metadata(
    engine: &Engine,
    view: &WorkView,
) -> Result<RegisteredMetadata, EngineError> {
    let work_id = view.work_id;
    let cid = parse_cid(&view.metadata_cid, "metadata CID")?;
    let bytes = engine
        .read_verified(&cid, hallmark_media::metadata::MAX_DOCUMENT_BYTES as u64)
        .await
        .map_err(|e| content_error(work_id, "metadata", &cid, e))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    if sha256 != plain_hex(&view.metadata_hash) {
        return Err(kit_error(
            ErrorCode::KitContent,
            format!("the metadata of work {work_id} ({cid}) does not have the registered hash"),
        ));
    }
    let document = WorkMetadata::from_json(&bytes)?;
    Ok(RegisteredMetadata {
        cid,
        bytes,
        sha256,
        document,
    })
}

/// Writes one work's CARs, metadata and bundles into the kit.
async fn export_work(
    engine: &Engine,
    writer: &mut KitWriter,
    work_id: u64,
    account: &str,
    signer: &PrivateKeySigner,
) -> Result<KitWork, EngineError> {
    let view: WorkView = engine
        .catalog()
        .work(work_id)?
        .ok_or_else(|| EngineError::NotFound {
            what: format!("work {work_id}"),
            reason: "it is not in the catalog".to_owned(),
        })?;
    let metadata = registered_metadata(engine, &view).await?;
    let media_cid = metadata.document.hallmark.content_cid;
    let image_cid = metadata
        .document
        .image
        .as_deref()
        .and_then(ipfs_url_cid)
        .filter(|cid| *cid != media_cid);

    let dir = format!("works/{work_id}");
    let files = KitWorkFiles {
        media_car: format!("{dir}/media.car"),
        metadata_car: format!("{dir}/metadata.car"),
        metadata_json: format!("{dir}/metadata.json"),
        image_car: image_cid.map(|_| format!("{dir}/image.car")),
    };
    let mut cars = vec![
        ("media", media_cid, files.media_car.clone()),
        ("metadata", metadata.cid, files.metadata_car.clone()),
    ];
    if let (Some(cid), Some(path)) = (image_cid, &files.image_car) {
        cars.push(("picture", cid, path.clone()));
    }
    for (what, cid, relative) in cars {
        let dest = writer.prepare(&relative)?;
        let blocks = write_car(engine.store(), cid, &dest)
            .await
            .map_err(|e| content_error(work_id, what, &cid, e))?;
        writer.written.push(relative);
        debug!(work_id, what, %cid, blocks, "CAR written");
    }
    writer.write(&files.metadata_json, &metadata.bytes)?;

    let include_media = metadata.document.hallmark.size <= KIT_BUNDLE_MEDIA_MAX;
    let tokens = export_tokens(engine, writer, &view, account, signer, include_media).await?;
    let created_by_account = view.creator.eq_ignore_ascii_case(account);
    let note = missing_bundle_note(&tokens, created_by_account);
    let document = &metadata.document;
    Ok(KitWork {
        work_id,
        title: view.title.clone().or_else(|| Some(document.name.clone())),
        creator: view.creator.to_ascii_lowercase(),
        issuer: view.issuer.to_ascii_lowercase(),
        content_sha256: document.hallmark.content_sha256.clone(),
        media_cid: media_cid.to_string(),
        media_size: document.hallmark.size,
        mime: document.hallmark.mime.clone(),
        metadata_cid: metadata.cid.to_string(),
        metadata_sha256: metadata.sha256,
        image_cid: image_cid.map(|c| c.to_string()),
        max_editions: view.max_editions,
        minted: view.minted,
        royalty_bps: view.royalty_bps,
        registered_block: view.registered_block,
        registered_at: view.registered_at,
        registered_tx: view.registered_tx.to_ascii_lowercase(),
        frozen_reason: view.frozen_reason,
        created_by_account,
        files,
        tokens,
        note,
    })
}

/// The work's tokens, with an evidence bundle written for every one `account` holds.
async fn export_tokens(
    engine: &Engine,
    writer: &mut KitWriter,
    view: &WorkView,
    account: &str,
    signer: &PrivateKeySigner,
    include_media: bool,
) -> Result<Vec<KitToken>, EngineError> {
    let mut tokens = Vec::with_capacity(view.editions.len());
    for edition in &view.editions {
        let held = edition.owner.eq_ignore_ascii_case(account);
        let bundle = if held {
            let proof = engine
                .prove(
                    &ProveRequest {
                        token_id: edition.token_id,
                        challenge: None,
                        include_media,
                    },
                    signer.clone(),
                )
                .await?;
            let relative = format!("bundles/{}", proof.file_name);
            writer.write(&relative, &proof.bytes)?;
            Some(relative)
        } else {
            None
        };
        tokens.push(KitToken {
            token_id: edition.token_id,
            edition: edition.edition,
            holder: edition.owner.to_ascii_lowercase(),
            held_by_account: held,
            bundle,
        });
    }
    Ok(tokens)
}

/// Why a work has no evidence bundle, if it has none.
fn missing_bundle_note(tokens: &[KitToken], created_by_account: bool) -> Option<String> {
    if tokens.iter().any(|t| t.bundle.is_some()) {
        None
    } else if created_by_account {
        Some(
            "This account created the work but holds none of its tokens, so there is no \
             holder statement to make and no evidence bundle: the media, the metadata and the \
             registration facts are included, and the chain confirms them (README, step 4)."
                .to_owned(),
        )
    } else {
        Some(
            "This account holds none of the work's tokens, so there is no evidence bundle: \
             the media, the metadata and the registration facts are included."
                .to_owned(),
        )
    }
}

/// `chain.json` for the running chain.
async fn kit_chain(
    engine: &Engine,
    deployment: &Deployment,
    rpc_url: &str,
) -> Result<KitChain, EngineError> {
    let genesis_block_hash = readme::genesis_hash(rpc_url).await?;
    let head_block = match engine.chain_rpc().await {
        Some(rpc) => rpc.block_number().await?,
        None => 0,
    };
    let (kind, note) = match &engine.config().chain {
        ChainConfig::DevChain { .. } => ("dev", readme::DEV_CHAIN_NOTE),
        ChainConfig::Rpc { .. } => ("consortium", readme::CONSORTIUM_NOTE),
    };
    let contracts: BTreeMap<String, String> = deployment
        .contracts()
        .into_iter()
        .map(|(name, address)| (name.to_owned(), format!("{address:#x}")))
        .collect();
    let abi = contracts
        .keys()
        .map(|name| (name.clone(), format!("abi/{name}.json")))
        .collect();
    Ok(KitChain {
        chain_id: deployment.chain_id,
        kind,
        note: note.to_owned(),
        genesis_block_hash,
        rpc_urls: vec![rpc_url.to_owned()],
        deployment_block: deployment.block,
        head_block,
        contracts,
        abi,
        works_selectors: readme::WORKS_FUNCTIONS
            .iter()
            .map(|sig| ((*sig).to_owned(), readme::selector(sig)))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_must_be_new_or_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(check_destination(&dir.path().join("new")).is_ok());
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).expect("mkdir");
        assert!(check_destination(&empty).is_ok());
        std::fs::write(empty.join("x"), b"x").expect("write");
        let err = check_destination(&empty).expect_err("not empty");
        assert_eq!(err.code(), "kit.exists");
        assert!(err.to_string().contains("not empty"), "{err}");
        let err = check_destination(&empty.join("x")).expect_err("a file");
        assert_eq!(err.code(), "kit.exists");
    }

    #[test]
    fn partial_folders_sit_beside_the_kit() {
        let p = partial_path(Path::new("/tmp/out/kit")).expect("path");
        assert_eq!(p.parent(), Some(Path::new("/tmp/out")));
        let name = p.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(name.starts_with("kit.partial-"), "{name}");
    }

    #[test]
    fn ipfs_urls_name_cids() {
        let cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
        assert_eq!(
            ipfs_url_cid(&format!("ipfs://{cid}")).map(|c| c.to_string()),
            Some(cid.to_owned())
        );
        assert!(ipfs_url_cid("https://example.com/x").is_none());
    }
}
