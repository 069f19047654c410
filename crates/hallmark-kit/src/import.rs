//! Importing an exit kit ([`ExitKit::import_kit`](crate::ExitKit::import_kit)).
//!
//! Nothing in the kit is trusted. In order, before anything reaches the content store:
//! 1. `manifest.json` is read (at most [`MAX_MANIFEST_BYTES`]), parsed strictly and checked:
//!    plain relative paths only, every work's files listed, ids and hashes well formed;
//! 2. every listed file must be a regular file inside the kit with the listed size and sha-256;
//! 3. every CAR is read block by block (sections capped by the CAR reader, blocks at
//!    [`MAX_BLOCK_BYTES`], at most [`MAX_CAR_BLOCKS`] per file): its one root must be the CID
//!    the manifest names and every block must match its CID;
//! 4. the CARs go into a staging store in the data folder, where every work's DAGs must be
//!    complete, the metadata must have the listed hash and bind the listed media (CID, sha-256,
//!    size), the media must have the listed sha-256, and every evidence bundle must pass the
//!    offline checks and speak of its token, work and the kit's account.
//!
//! Only then are the CARs imported into the content store (the embedded one, or `ipfs dag
//! import` on a Kubo node), their roots pinned, the media added to the library and the kit's
//! evidence (manifest, chain, ABIs, bundles) kept in `<data>/kits/<id>/`. A failure while
//! pinning removes the pins this import added.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use hallmark_domain::ErrorCode;
use hallmark_engine::{Engine, EngineError};
use hallmark_evidence::VerifyOptions;
use hallmark_media::WorkMetadata;
use hallmark_store::{AnyStore, ContentStore, EmbeddedStore, MAX_BLOCK_BYTES, StoreError};
use hallmark_unixfs::{CarReader, Cid};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::{debug, info, warn};

use super::{
    KIT_FORMAT, KitManifest, KitWork, MANIFEST_FILE, MAX_CAR_BLOCKS, MAX_KIT_BUNDLE_BYTES,
    MAX_KIT_FILES, MAX_KIT_WORKS, MAX_MANIFEST_BYTES, RemoveOnDrop, SUMS_FILE, hash_file, io_error,
    is_safe_kit_path, kit_error, plain_hex, slug, unique_suffix,
};

/// One imported work.
#[derive(Debug, Clone, Serialize)]
pub struct ImportedWork {
    /// Work id.
    pub work_id: u64,
    /// Title.
    pub title: Option<String>,
    /// sha-256 of the media.
    pub content_sha256: String,
    /// The media's CID (stored and pinned).
    pub media_cid: String,
    /// The metadata's CID (stored and pinned).
    pub metadata_cid: String,
    /// The picture's CID, when the kit had one (stored and pinned).
    pub image_cid: Option<String>,
    /// The kept copies of the work's evidence bundles, in the data folder.
    #[serde(serialize_with = "hallmark_domain::paths::lossy_all")]
    pub bundles: Vec<PathBuf>,
    /// Whether the media is in the local library (the app shows it).
    pub in_library: bool,
    /// Anything the user should know (e.g. why it is not in the library).
    pub note: Option<String>,
}

/// What [`ExitKit::import_kit`](crate::ExitKit::import_kit) did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// The kit folder.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub kit: PathBuf,
    /// Where the kit's evidence (manifest, chain, ABIs, bundles) is kept in the data folder.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub kept_in: PathBuf,
    /// The account that made the kit.
    pub account: String,
    /// The chain the works are registered on.
    pub chain_id: u64,
    /// The content store: `embedded` or `kubo`.
    pub backend: String,
    /// Files checked against the manifest.
    pub files_checked: usize,
    /// Their total size in bytes.
    pub bytes_checked: u64,
    /// Blocks read from the CARs, each verified against its CID.
    pub blocks_verified: u64,
    /// CIDs pinned.
    pub pinned: Vec<String>,
    /// Evidence bundles that passed the offline checks.
    pub bundles_verified: usize,
    /// The works.
    pub works: Vec<ImportedWork>,
    /// Wall time, in milliseconds.
    pub elapsed_ms: u64,
}

/// A CAR of the kit and the root the manifest names for it.
#[derive(Debug, Clone)]
struct KitCar {
    relative: String,
    root: Cid,
}

/// The kit after the file checks (steps 1–3).
struct CheckedKit {
    root: PathBuf,
    manifest: KitManifest,
    manifest_sha256: String,
    cars: Vec<KitCar>,
    blocks: u64,
    bytes: u64,
}

fn manifest_error(reason: impl std::fmt::Display) -> EngineError {
    kit_error(
        ErrorCode::KitManifest,
        format!("{MANIFEST_FILE}: {reason}; the kit is refused and nothing was imported"),
    )
}

fn bad_car(relative: &str, reason: impl std::fmt::Display) -> EngineError {
    kit_error(
        ErrorCode::KitBadCar,
        format!("{relative}: {reason}; the kit is refused and nothing was imported"),
    )
}

fn inconsistent(relative: &str, reason: impl std::fmt::Display) -> EngineError {
    kit_error(
        ErrorCode::KitInconsistent,
        format!("{relative}: {reason}; the kit is refused and nothing was imported"),
    )
}

fn parse_cid(text: &str, what: &str) -> Result<Cid, EngineError> {
    Cid::from_str(text)
        .map_err(|e| manifest_error(format!("the {what} `{text}` is not a CID: {e}")))
}

fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Reads a file of at most `limit` bytes.
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, EngineError> {
    let file = File::open(path).map_err(|e| io_error("read", path, &e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error("read", path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(manifest_error(format!("it is larger than {limit} bytes")));
    }
    Ok(bytes)
}

/// Step 1: the manifest's shape. Returns every CAR with its root.
fn validate_manifest(manifest: &KitManifest) -> Result<Vec<KitCar>, EngineError> {
    if manifest.format != KIT_FORMAT {
        return Err(manifest_error(format!(
            "the format is `{}`, this Hallmark reads `{KIT_FORMAT}`",
            manifest.format
        )));
    }
    if manifest.works.len() > MAX_KIT_WORKS || manifest.files.len() > MAX_KIT_FILES {
        return Err(manifest_error(format!(
            "it lists {} works and {} files, more than the {MAX_KIT_WORKS} and {MAX_KIT_FILES} allowed",
            manifest.works.len(),
            manifest.files.len()
        )));
    }
    let mut listed = HashSet::new();
    for file in &manifest.files {
        if !is_safe_kit_path(&file.path) {
            return Err(manifest_error(format!(
                "`{}` is not a plain relative path inside the kit",
                file.path.escape_debug()
            )));
        }
        if file.path == MANIFEST_FILE || file.path == SUMS_FILE {
            return Err(manifest_error(format!("it lists {}", file.path)));
        }
        if !is_sha256_hex(&file.sha256) {
            return Err(manifest_error(format!(
                "the sha-256 of {} is not 64 lowercase hex digits",
                file.path
            )));
        }
        if !listed.insert(file.path.as_str()) {
            return Err(manifest_error(format!("it lists {} twice", file.path)));
        }
    }
    let mut work_ids = HashSet::new();
    let mut cars = Vec::new();
    for work in &manifest.works {
        let id = work.work_id;
        if !work_ids.insert(id) {
            return Err(manifest_error(format!("it lists work {id} twice")));
        }
        if !is_sha256_hex(&work.content_sha256) || !is_sha256_hex(&work.metadata_sha256) {
            return Err(manifest_error(format!(
                "work {id}: a sha-256 is not 64 lowercase hex digits"
            )));
        }
        let named = |path: &str| -> Result<(), EngineError> {
            if listed.contains(path) {
                Ok(())
            } else {
                Err(manifest_error(format!(
                    "work {id} names {path}, which it does not list with a hash"
                )))
            }
        };
        let files = &work.files;
        let mut work_cars = vec![
            (
                files.media_car.as_str(),
                parse_cid(&work.media_cid, "media CID")?,
            ),
            (
                files.metadata_car.as_str(),
                parse_cid(&work.metadata_cid, "metadata CID")?,
            ),
        ];
        match (&files.image_car, &work.image_cid) {
            (Some(path), Some(cid)) => {
                work_cars.push((path.as_str(), parse_cid(cid, "image CID")?))
            }
            (None, None) => {}
            _ => {
                return Err(manifest_error(format!(
                    "work {id} names a picture CID without its CAR, or the reverse"
                )));
            }
        }
        for (path, root) in work_cars {
            named(path)?;
            if !path.ends_with(".car") {
                return Err(manifest_error(format!(
                    "work {id}: {path} is not a .car file"
                )));
            }
            cars.push(KitCar {
                relative: path.to_owned(),
                root,
            });
        }
        named(&files.metadata_json)?;
        for token in &work.tokens {
            if hallmark_catalog::work_of(token.token_id) != id {
                return Err(manifest_error(format!(
                    "token {} is not an edition of work {id}",
                    token.token_id
                )));
            }
            if let Some(bundle) = &token.bundle {
                named(bundle)?;
            }
        }
    }
    Ok(cars)
}

/// Step 2: one listed file is a regular file inside the kit with the listed size and hash.
fn check_file(root: &Path, file: &super::KitFile) -> Result<(), EngineError> {
    let mismatch = |reason: String| {
        kit_error(
            ErrorCode::KitFileMismatch,
            format!(
                "{}: {reason}: the file was damaged or altered after the kit was made; the kit is \
                 refused and nothing was imported",
                file.path
            ),
        )
    };
    let path = root.join(&file.path);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(mismatch("it is missing".to_owned()));
        }
        Err(e) => return Err(io_error("inspect", &path, &e)),
    };
    if !meta.is_file() {
        return Err(mismatch("it is not a regular file".to_owned()));
    }
    // A symbolic link among its folders could lead outside the kit.
    let real = std::fs::canonicalize(&path).map_err(|e| io_error("inspect", &path, &e))?;
    if !real.starts_with(root) {
        return Err(mismatch("it lies outside the kit folder".to_owned()));
    }
    if meta.len() != file.size {
        return Err(mismatch(format!(
            "it has {} bytes, the manifest says {}",
            meta.len(),
            file.size
        )));
    }
    let (sha256, size) = hash_file(&path)?;
    if size != file.size || sha256 != file.sha256 {
        return Err(mismatch(format!(
            "its sha-256 is {sha256}, the manifest says {}",
            file.sha256
        )));
    }
    Ok(())
}

/// Step 3: one CAR holds exactly `root` and blocks that match their CIDs. Returns its blocks.
fn scan_car(path: &Path, car: &KitCar) -> Result<u64, EngineError> {
    let relative = car.relative.as_str();
    let file = File::open(path).map_err(|e| io_error("read", path, &e))?;
    let mut reader = CarReader::new(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| bad_car(relative, e))?;
    if reader.roots() != [car.root] {
        return Err(bad_car(
            relative,
            format!(
                "its roots are {:?}, the manifest names {}",
                reader
                    .roots()
                    .iter()
                    .map(Cid::to_string)
                    .collect::<Vec<_>>(),
                car.root
            ),
        ));
    }
    let mut blocks = 0u64;
    let mut has_root = false;
    while let Some((cid, block)) = reader.next_block().map_err(|e| bad_car(relative, e))? {
        blocks += 1;
        if blocks > MAX_CAR_BLOCKS {
            return Err(bad_car(
                relative,
                format!("it has more than {MAX_CAR_BLOCKS} blocks"),
            ));
        }
        if block.len() > MAX_BLOCK_BYTES {
            return Err(bad_car(
                relative,
                format!(
                    "block {cid} has {} bytes, more than the {MAX_BLOCK_BYTES}-byte limit",
                    block.len()
                ),
            ));
        }
        if cid.verify(&block).is_err() {
            return Err(bad_car(
                relative,
                format!(
                    "block {blocks} ({cid}) does not match its CID: the file was damaged or altered"
                ),
            ));
        }
        has_root |= cid == car.root;
    }
    if !has_root {
        return Err(bad_car(
            relative,
            format!("its root block {} is not in it", car.root),
        ));
    }
    Ok(blocks)
}

/// Steps 1–3, on a blocking thread.
fn check_kit(kit: &Path) -> Result<CheckedKit, EngineError> {
    let not_a_kit = |reason: String| {
        kit_error(
            ErrorCode::KitNotAKit,
            format!("{}: {reason}", kit.display()),
        )
    };
    match std::fs::metadata(kit) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(not_a_kit("is not a folder".to_owned())),
        Err(e) => return Err(not_a_kit(format!("cannot be read: {e}"))),
    }
    let root = std::fs::canonicalize(kit).map_err(|e| io_error("inspect", kit, &e))?;
    let manifest_path = root.join(MANIFEST_FILE);
    if !manifest_path.is_file() {
        return Err(not_a_kit(format!(
            "has no {MANIFEST_FILE}: it is not a Hallmark exit kit"
        )));
    }
    let bytes = read_bounded(&manifest_path, MAX_MANIFEST_BYTES)?;
    let manifest: KitManifest = serde_json::from_slice(&bytes)
        .map_err(|e| manifest_error(format!("it is not a kit manifest: {e}")))?;
    let cars = validate_manifest(&manifest)?;
    let mut bytes_checked = 0u64;
    for file in &manifest.files {
        check_file(&root, file)?;
        bytes_checked += file.size;
    }
    let mut blocks = 0u64;
    for car in &cars {
        blocks += scan_car(&root.join(&car.relative), car)?;
    }
    Ok(CheckedKit {
        root,
        manifest_sha256: hex::encode(Sha256::digest(&bytes)),
        manifest,
        cars,
        blocks,
        bytes: bytes_checked,
    })
}

/// A work checked in the staging store: its media written out, its roots.
struct CheckedWork {
    media_file: PathBuf,
    roots: Vec<Cid>,
}

fn sha256_of_file(path: &Path) -> Result<String, EngineError> {
    hash_file(path).map(|(sha, _)| sha)
}

/// Where [`stream_dag`] sends a file's bytes: a sha-256, and a file if asked; it refuses to go
/// past `limit` (a DAG that links one block many times must not fill the disk).
struct BoundedSink {
    file: Option<std::io::BufWriter<File>>,
    hasher: Sha256,
    written: u64,
    limit: u64,
    exceeded: bool,
}

impl Write for BoundedSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() as u64 > self.limit {
            self.exceeded = true;
            return Err(std::io::Error::other("past the limit"));
        }
        self.hasher.update(buf);
        if let Some(file) = &mut self.file {
            file.write_all(buf)?;
        }
        self.written += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

/// Reads the UnixFS file `root` from `store` (every block verified against its CID, the tree's
/// sizes checked), at most `limit` bytes, into its sha-256 and, with `dest`, a file. Returns
/// the sha-256 and size, or why the DAG cannot be read.
async fn stream_dag(
    store: &EmbeddedStore,
    root: Cid,
    limit: u64,
    dest: Option<PathBuf>,
) -> Result<Result<(String, u64), String>, EngineError> {
    let store = store.clone();
    let handle = tokio::runtime::Handle::current();
    Ok(tokio::task::spawn_blocking(move || {
        let file = match &dest {
            Some(path) => Some(std::io::BufWriter::with_capacity(
                1 << 20,
                File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?,
            )),
            None => None,
        };
        let mut sink = BoundedSink {
            file,
            hasher: Sha256::new(),
            written: 0,
            limit,
            exceeded: false,
        };
        let read = hallmark_unixfs::read_file(
            &root,
            |cid| handle.block_on(store.get_block(cid)),
            &mut sink,
        );
        match read {
            Ok(size) => {
                if let Some(file) = sink.file.take() {
                    file.into_inner()
                        .map_err(|e| e.error().to_string())
                        .and_then(|f| f.sync_all().map_err(|e| e.to_string()))?;
                }
                Ok((hex::encode(sink.hasher.finalize()), size))
            }
            Err(_) if sink.exceeded => Err(format!("it holds more than {limit} bytes")),
            Err(e) => Err(format!("its DAG cannot be read: {e}")),
        }
    })
    .await?)
}

/// Step 4 for one work.
async fn check_work(
    staging: &EmbeddedStore,
    work: &KitWork,
    manifest: &KitManifest,
    scratch: &Path,
    limit: u64,
) -> Result<CheckedWork, EngineError> {
    let files = &work.files;
    let metadata_cid = parse_cid(&work.metadata_cid, "metadata CID")?;
    let media_cid = parse_cid(&work.media_cid, "media CID")?;
    let metadata = staging
        .read_file(
            &metadata_cid,
            hallmark_media::metadata::MAX_DOCUMENT_BYTES as u64,
        )
        .await
        .map_err(|e| inconsistent(&files.metadata_car, format!("its DAG cannot be read: {e}")))?;
    let metadata_sha256 = hex::encode(Sha256::digest(&metadata));
    if metadata_sha256 != work.metadata_sha256 {
        return Err(inconsistent(
            &files.metadata_car,
            format!(
                "the metadata's sha-256 is {metadata_sha256}, the manifest says {}",
                work.metadata_sha256
            ),
        ));
    }
    let json_sha = manifest
        .files
        .iter()
        .find(|f| f.path == files.metadata_json)
        .map(|f| f.sha256.as_str());
    if json_sha != Some(work.metadata_sha256.as_str()) {
        return Err(inconsistent(
            &files.metadata_json,
            "it is not the metadata document of the CAR",
        ));
    }
    let document = WorkMetadata::from_json(&metadata).map_err(|e| {
        inconsistent(
            &files.metadata_car,
            format!("it is not a valid metadata document: {e}"),
        )
    })?;
    let binding = &document.hallmark;
    if binding.content_cid != media_cid
        || plain_hex(&binding.content_sha256) != work.content_sha256
        || binding.size != work.media_size
    {
        return Err(inconsistent(
            &files.metadata_car,
            format!(
                "the metadata binds media {} (sha-256 {}, {} bytes), the manifest names {} (sha-256 {}, {} bytes)",
                binding.content_cid,
                binding.content_sha256,
                binding.size,
                work.media_cid,
                work.content_sha256,
                work.media_size
            ),
        ));
    }
    if work.media_size > limit {
        return Err(inconsistent(
            &files.media_car,
            format!(
                "the media has {} bytes, more than the {limit} this installation accepts \
                 (`limits.max_file_bytes` in config.json)",
                work.media_size
            ),
        ));
    }
    let shown = document
        .image
        .as_deref()
        .and_then(|url| url.strip_prefix("ipfs://"))
        .and_then(|cid| Cid::from_str(cid).ok());
    let mut roots = vec![media_cid, metadata_cid];
    if let (Some(image), Some(image_car)) = (&work.image_cid, &files.image_car) {
        let image_cid = parse_cid(image, "image CID")?;
        if shown != Some(image_cid) {
            return Err(inconsistent(
                image_car,
                "the metadata does not show this picture",
            ));
        }
        // The whole picture must be there.
        stream_dag(staging, image_cid, limit, None)
            .await?
            .map_err(|reason| inconsistent(image_car, reason))?;
        roots.push(image_cid);
    }

    let extension = hallmark_media::MediaType::from_mime(&binding.mime)
        .map_or("bin", hallmark_media::MediaType::extension);
    let folder = scratch.join(format!("media-{}", work.work_id));
    std::fs::create_dir_all(&folder).map_err(|e| io_error("create", &folder, &e))?;
    let media_file = folder.join(format!(
        "{}.{extension}",
        slug(
            work.title.as_deref().unwrap_or(&document.name),
            &format!("work-{}", work.work_id)
        )
    ));
    let (media_file_sha, size) = stream_dag(
        staging,
        media_cid,
        work.media_size,
        Some(media_file.clone()),
    )
    .await?
    .map_err(|reason| inconsistent(&files.media_car, reason))?;
    if size != work.media_size || media_file_sha != work.content_sha256 {
        return Err(inconsistent(
            &files.media_car,
            format!(
                "the media has sha-256 {media_file_sha} and {size} bytes, the manifest says {} and {} bytes",
                work.content_sha256, work.media_size
            ),
        ));
    }
    Ok(CheckedWork { media_file, roots })
}

/// Step 4 for one bundle: it passes the offline checks and speaks of this token and account.
async fn check_bundle(
    root: &Path,
    relative: &str,
    token_id: u64,
    work: &KitWork,
    manifest: &KitManifest,
) -> Result<(), EngineError> {
    let refused = |reason: String| {
        kit_error(
            ErrorCode::KitBundle,
            format!("{relative}: {reason}; the kit is refused and nothing was imported"),
        )
    };
    let size = manifest
        .files
        .iter()
        .find(|f| f.path == relative)
        .map_or(0, |f| f.size);
    if size > MAX_KIT_BUNDLE_BYTES {
        return Err(refused(format!(
            "the bundle has {size} bytes, more than the {MAX_KIT_BUNDLE_BYTES} an import reads"
        )));
    }
    let report =
        hallmark_engine::verify_bundle_at(&root.join(relative), &VerifyOptions::default(), None)
            .await
            .map_err(|e| refused(e.to_string()))?;
    if !report.passed() {
        let failed: Vec<String> = report
            .failures()
            .map(|c| format!("{} ({})", c.id, c.detail))
            .collect();
        return Err(refused(format!(
            "the evidence bundle fails the offline checks: {}",
            failed.join("; ")
        )));
    }
    let summary = report
        .summary
        .ok_or_else(|| refused("the bundle has no summary".to_owned()))?;
    let holder = format!("{:#x}", summary.holder);
    if summary.token_id != token_id.to_string()
        || plain_hex(&summary.content_sha256) != work.content_sha256
        || summary.chain_id != manifest.chain_id
        || !holder.eq_ignore_ascii_case(&manifest.account)
    {
        return Err(refused(format!(
            "the bundle proves token {} (content {}) on chain {} held by {holder}, not token {token_id} of work {} held by {} on chain {}",
            summary.token_id,
            summary.content_sha256,
            summary.chain_id,
            work.work_id,
            manifest.account,
            manifest.chain_id
        )));
    }
    Ok(())
}

/// Imports the kit (see [`ExitKit::import_kit`](crate::ExitKit::import_kit)).
#[tracing::instrument(skip(engine), fields(kit = %kit.display()), err(Display))]
pub(crate) async fn import_kit(engine: &Engine, kit: &Path) -> Result<ImportReport, EngineError> {
    let started = Instant::now();
    let kit_dir = kit.to_owned();
    let checked = tokio::task::spawn_blocking(move || check_kit(&kit_dir)).await??;
    let manifest = &checked.manifest;
    info!(
        works = manifest.works.len(),
        files = manifest.files.len(),
        blocks = checked.blocks,
        "kit files and blocks verified"
    );

    let scratch = engine
        .config()
        .data_dir
        .join("tmp")
        .join(format!("kit-import-{}", unique_suffix()));
    std::fs::create_dir_all(&scratch).map_err(|e| io_error("create", &scratch, &e))?;
    let _scratch_guard = RemoveOnDrop::new(scratch.clone());
    let staged =
        check_in_staging(&checked, &scratch, engine.config().limits.max_file_bytes).await?;
    info!(
        bundles = staged.bundles_verified,
        "kit content verified in staging"
    );

    let pinned = commit_kit(engine.store(), &checked).await?;
    let kept_in = keep_kit_evidence(&engine.config().data_dir, &checked)?;
    let mut imported = Vec::with_capacity(staged.works.len());
    for (work, checked_work) in staged.works {
        imported.push(add_to_library(engine, work, &checked_work, &kept_in).await);
    }
    let report = ImportReport {
        kit: checked.root.clone(),
        kept_in,
        account: manifest.account.clone(),
        chain_id: manifest.chain_id,
        backend: engine.store().backend_name().to_owned(),
        files_checked: manifest.files.len(),
        bytes_checked: checked.bytes,
        blocks_verified: checked.blocks,
        pinned: pinned.iter().map(Cid::to_string).collect(),
        bundles_verified: staged.bundles_verified,
        works: imported,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    info!(
        works = report.works.len(),
        pinned = report.pinned.len(),
        ms = report.elapsed_ms,
        "kit imported"
    );
    Ok(report)
}

/// The kit after step 4: every work checked, with its media written out in the scratch folder.
struct StagedKit<'a> {
    works: Vec<(&'a KitWork, CheckedWork)>,
    bundles_verified: usize,
}

/// Step 4: the CARs go into a staging store under `scratch`, where every work and bundle is
/// checked.
async fn check_in_staging<'a>(
    checked: &'a CheckedKit,
    scratch: &Path,
    max_file_bytes: u64,
) -> Result<StagedKit<'a>, EngineError> {
    let manifest = &checked.manifest;
    let staging = EmbeddedStore::open(scratch.join("store"))?;
    for car in &checked.cars {
        staging
            .import_car(&checked.root.join(&car.relative))
            .await
            .map_err(|e| bad_car(&car.relative, e))?;
    }
    let mut works = Vec::with_capacity(manifest.works.len());
    let mut bundles_verified = 0;
    for work in &manifest.works {
        let checked_work = check_work(&staging, work, manifest, scratch, max_file_bytes).await?;
        for token in &work.tokens {
            if let Some(bundle) = &token.bundle {
                check_bundle(&checked.root, bundle, token.token_id, work, manifest).await?;
                bundles_verified += 1;
            }
        }
        works.push((work, checked_work));
    }
    Ok(StagedKit {
        works,
        bundles_verified,
    })
}

/// Adds an imported work's media to the library; a failure there is only noted (the content is
/// stored and pinned already).
async fn add_to_library(
    engine: &Engine,
    work: &KitWork,
    checked_work: &CheckedWork,
    kept_in: &Path,
) -> ImportedWork {
    let (in_library, note) = match engine.ingest(&checked_work.media_file, |_| {}).await {
        Ok(ingested) if ingested.cid_v1 == checked_work.roots[0] => (true, None),
        Ok(ingested) => (
            true,
            Some(format!(
                "the library lists it under {} (this Hallmark's import settings differ from the kit's)",
                ingested.cid_v1
            )),
        ),
        Err(e) => {
            warn!(work = work.work_id, error = %e, "imported media not added to the library");
            (
                false,
                Some(format!(
                    "stored and pinned, but not added to the library: {e}"
                )),
            )
        }
    };
    ImportedWork {
        work_id: work.work_id,
        title: work.title.clone(),
        content_sha256: work.content_sha256.clone(),
        media_cid: work.media_cid.clone(),
        metadata_cid: work.metadata_cid.clone(),
        image_cid: work.image_cid.clone(),
        bundles: work
            .tokens
            .iter()
            .filter_map(|t| t.bundle.as_deref())
            .map(|b| kept_in.join(b))
            .collect(),
        in_library,
        note,
    }
}

/// Imports every CAR into the content store and pins every root; on failure, removes the
/// pins this import added. Returns the pinned roots.
async fn commit_kit(store: &AnyStore, checked: &CheckedKit) -> Result<Vec<Cid>, EngineError> {
    let before: HashSet<Cid> = store.pin_ls().await?.into_iter().collect();
    let roots: BTreeSet<Cid> = checked.cars.iter().map(|c| c.root).collect();
    let mut added = Vec::new();
    let result = async {
        for car in &checked.cars {
            import_car(store, checked, car, &mut added).await?;
        }
        for root in &roots {
            added.push(*root);
            store.pin_add(root).await?;
        }
        Ok::<(), EngineError>(())
    }
    .await;
    if let Err(e) = result {
        for cid in added.iter().filter(|c| !before.contains(c)) {
            if let Err(unpin) = store.pin_rm(cid).await
                && unpin.code() != ErrorCode::StoreNotPinned
            {
                warn!(%cid, error = %unpin, "could not remove a pin of a failed import");
            }
        }
        return Err(e);
    }
    Ok(roots.into_iter().collect())
}

/// Imports one CAR of the kit into the content store; a root a Kubo node pins as it imports
/// is recorded in `added`.
async fn import_car(
    store: &AnyStore,
    checked: &CheckedKit,
    car: &KitCar,
    added: &mut Vec<Cid>,
) -> Result<(), EngineError> {
    let path = checked.root.join(&car.relative);
    match store {
        AnyStore::Embedded(embedded) => {
            embedded
                .import_car(&path)
                .await
                .map_err(|e| bad_car(&car.relative, e))?;
        }
        AnyStore::Kubo(node) => {
            // `dag/import` pins the CAR's root as it imports it.
            added.push(car.root);
            node.add_car(&path).await.map_err(|e| match e {
                StoreError::Car { .. } | StoreError::CidMismatch { .. } => {
                    bad_car(&car.relative, e)
                }
                other => other.into(),
            })?;
        }
    }
    debug!(car = %car.relative, root = %car.root, "CAR imported");
    Ok(())
}

/// Copies the kit's evidence (every listed file but the CARs, and the manifest) to
/// `<data>/kits/<first 16 hex digits of the manifest's sha-256>/`, each copy checked again.
fn keep_kit_evidence(data_dir: &Path, checked: &CheckedKit) -> Result<PathBuf, EngineError> {
    let kits = data_dir.join("kits");
    let target = kits.join(format!("kit-{}", &checked.manifest_sha256[..16]));
    if target.is_dir() {
        return Ok(target);
    }
    let partial = kits.join(format!(".partial-{}", unique_suffix()));
    let mut guard = RemoveOnDrop::new(partial.clone());
    let copy = |relative: &str, expected: &str| -> Result<(), EngineError> {
        let from = checked.root.join(relative);
        let to = partial.join(relative);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, &e))?;
        }
        std::fs::copy(&from, &to).map_err(|e| io_error("copy", &from, &e))?;
        if sha256_of_file(&to)? != expected {
            return Err(kit_error(
                ErrorCode::KitFileMismatch,
                format!("{relative}: it changed while the kit was imported"),
            ));
        }
        Ok(())
    };
    for file in &checked.manifest.files {
        if !file.path.ends_with(".car") {
            copy(&file.path, &file.sha256)?;
        }
    }
    copy(MANIFEST_FILE, &checked.manifest_sha256)?;
    std::fs::rename(&partial, &target).map_err(|e| io_error("keep the kit in", &target, &e))?;
    guard.disarm();
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hallmark_unixfs::{CarWriter, CidVersion, Codec};

    fn raw(bytes: &[u8]) -> Cid {
        Cid::for_block(CidVersion::V1, Codec::Raw, bytes).expect("cid")
    }

    fn car(dir: &Path, name: &str, roots: &[Cid], blocks: &[(Cid, &[u8])]) -> PathBuf {
        let mut writer = CarWriter::new(Vec::new(), roots).expect("header");
        for (cid, block) in blocks {
            writer.write_block(cid, block).expect("block");
        }
        let path = dir.join(name);
        std::fs::write(&path, writer.finish().expect("finish")).expect("write");
        path
    }

    fn kit_car(name: &str, root: Cid) -> KitCar {
        KitCar {
            relative: format!("works/1/{name}"),
            root,
        }
    }

    #[test]
    fn a_car_must_hold_its_named_root_and_honest_blocks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = raw(b"a");
        let b = raw(b"b");
        let good = car(dir.path(), "good.car", &[a], &[(a, b"a"), (b, b"b")]);
        assert_eq!(scan_car(&good, &kit_car("good.car", a)).expect("good"), 2);

        let err = scan_car(&good, &kit_car("good.car", b)).expect_err("other root");
        assert_eq!(err.code(), "kit.bad_car");
        assert!(
            err.to_string()
                .starts_with("works/1/good.car: its roots are"),
            "{err}"
        );

        let lying = car(dir.path(), "lying.car", &[a], &[(a, b"a"), (b, b"x")]);
        let err = scan_car(&lying, &kit_car("lying.car", a)).expect_err("bad block");
        assert_eq!(err.code(), "kit.bad_car");
        assert!(err.to_string().contains("does not match its CID"), "{err}");
        assert!(err.to_string().contains("works/1/lying.car"), "{err}");

        let rootless = car(dir.path(), "rootless.car", &[a], &[(b, b"b")]);
        let err = scan_car(&rootless, &kit_car("rootless.car", a)).expect_err("no root");
        assert!(err.to_string().contains("is not in it"), "{err}");

        let two = car(dir.path(), "two.car", &[a, b], &[(a, b"a"), (b, b"b")]);
        assert!(scan_car(&two, &kit_car("two.car", a)).is_err());

        // A section announcing 1 TB is refused before anything is allocated.
        let mut huge = std::fs::read(&good).expect("read");
        let header_len = huge[0] as usize + 1;
        huge.truncate(header_len);
        huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x1f]);
        let path = dir.path().join("huge.car");
        std::fs::write(&path, &huge).expect("write");
        let err = scan_car(&path, &kit_car("huge.car", a)).expect_err("huge section");
        assert_eq!(err.code(), "kit.bad_car");
    }

    #[tokio::test]
    async fn a_dag_that_repeats_one_block_is_read_within_its_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = EmbeddedStore::open(dir.path().join("store")).expect("store");
        let settings = hallmark_unixfs::ImportSettings {
            chunk_size: 1024,
            ..hallmark_unixfs::ImportSettings::kubo_v1()
        };
        // 64 links to one and the same 1 KiB leaf: a few blocks that read as 64 KiB.
        let bytes = vec![7u8; 64 * 1024];
        let added = store
            .add_bytes(bytes.clone(), &settings)
            .await
            .expect("add");
        let out = dir.path().join("out");
        let (sha, size) = stream_dag(&store, added.root, 64 * 1024, Some(out.clone()))
            .await
            .expect("join")
            .expect("read");
        assert_eq!((sha, size), (hex::encode(Sha256::digest(&bytes)), 65_536));
        assert_eq!(std::fs::read(&out).expect("written"), bytes);
        let refused = stream_dag(&store, added.root, 10_000, None)
            .await
            .expect("join")
            .expect_err("past the limit");
        assert!(refused.contains("more than 10000 bytes"), "{refused}");
    }

    #[test]
    fn oversized_manifests_are_refused_unread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b' '; 101]).expect("write");
        let err = read_bounded(&path, 100).expect_err("too big");
        assert_eq!(err.code(), "kit.manifest");
        assert_eq!(read_bounded(&path, 101).expect("fits").len(), 101);
    }

    fn manifest() -> KitManifest {
        let sha = "a".repeat(64);
        let file = |path: &str| super::super::KitFile {
            path: path.to_owned(),
            sha256: sha.clone(),
            size: 1,
        };
        KitManifest {
            format: KIT_FORMAT.to_owned(),
            created_at: 0,
            created_by: "test".to_owned(),
            account: "0x0000000000000000000000000000000000000001".to_owned(),
            chain_id: 31337,
            selection: super::super::KitSelection::default(),
            works: vec![KitWork {
                work_id: 1,
                title: None,
                creator: String::new(),
                issuer: String::new(),
                content_sha256: sha.clone(),
                media_cid: raw(b"m").to_string(),
                media_size: 1,
                mime: "image/png".to_owned(),
                metadata_cid: raw(b"d").to_string(),
                metadata_sha256: sha.clone(),
                image_cid: None,
                max_editions: 1,
                minted: 1,
                royalty_bps: 0,
                registered_block: 1,
                registered_at: 0,
                registered_tx: String::new(),
                frozen_reason: 0,
                created_by_account: true,
                files: super::super::KitWorkFiles {
                    media_car: "works/1/media.car".to_owned(),
                    metadata_car: "works/1/metadata.car".to_owned(),
                    metadata_json: "works/1/metadata.json".to_owned(),
                    image_car: None,
                },
                tokens: vec![super::super::KitToken {
                    token_id: 1_000_001,
                    edition: 1,
                    holder: String::new(),
                    held_by_account: true,
                    bundle: Some("bundles/hallmark-token-1000001.zip".to_owned()),
                }],
                note: None,
            }],
            files: vec![
                file("bundles/hallmark-token-1000001.zip"),
                file("works/1/media.car"),
                file("works/1/metadata.car"),
                file("works/1/metadata.json"),
            ],
        }
    }

    #[test]
    fn manifests_are_checked_before_any_file_is_read() {
        assert_eq!(validate_manifest(&manifest()).expect("valid").len(), 2);
        let refuse = |edit: &dyn Fn(&mut KitManifest), words: &str| {
            let mut m = manifest();
            edit(&mut m);
            let err = validate_manifest(&m).expect_err(words);
            assert_eq!(err.code(), "kit.manifest");
            assert!(err.to_string().contains(words), "{err}");
        };
        refuse(&|m| m.format = "other/9".to_owned(), "format");
        refuse(
            &|m| m.files[0].path = "../../etc/passwd".to_owned(),
            "plain relative path",
        );
        refuse(
            &|m| m.files[0].path = "/etc/passwd".to_owned(),
            "plain relative path",
        );
        refuse(
            &|m| m.files[1].sha256 = "XYZ".to_owned(),
            "64 lowercase hex",
        );
        refuse(
            &|m| {
                m.files.remove(1);
            },
            "does not list with a hash",
        );
        refuse(
            &|m| m.works[0].tokens[0].token_id = 2_000_001,
            "not an edition",
        );
        refuse(
            &|m| m.works[0].media_cid = "not-a-cid".to_owned(),
            "not a CID",
        );
        refuse(
            &|m| m.works[0].image_cid = Some(raw(b"i").to_string()),
            "picture CID without its CAR",
        );
        refuse(
            &|m| {
                let again = m.files[0].clone();
                m.files.push(again);
            },
            "twice",
        );
        refuse(
            &|m| {
                let again = m.works[0].clone();
                m.works.push(again);
            },
            "work 1 twice",
        );
    }
}
