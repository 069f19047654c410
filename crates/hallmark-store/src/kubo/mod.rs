//! [`KuboStore`]: a thin client of a Kubo-compatible node's RPC API (Kubo, or js-ipfs in tests).
//!
//! It never trusts the node with a CID: `add` uploads with explicit import settings and compares
//! the node's CID with the one computed locally from the same bytes, and every block read back
//! is verified against its CID.

mod identity;
pub(crate) mod rpc;
mod upload;

use std::collections::HashMap;
use std::io::{self, BufReader};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use hallmark_unixfs::{CarReader, Cid, CidVersion, ImportSettings, NullSink, import_reader};
use reqwest::multipart::{Form, Part};
use serde::Deserialize;
use tracing::{debug, instrument};

pub use identity::NodeIdentity;

use crate::error::StoreError;
use crate::store::{AddedContent, ContentStore};
use crate::verified::{MAX_BLOCK_BYTES, export_to_file, read_to_vec, verify_block};
use rpc::{FlexibleSize, Rpc, SHORT_CALL};

/// How long `has_block`/`block_stat` let the node look for a block it may not have.
const LOOKUP_TIMEOUT: &str = "3s";
/// How long the node may look for a block to return.
const GET_TIMEOUT: &str = "30s";

/// A Kubo RPC API client (`http://host:5001`). Cheap to clone.
#[derive(Debug, Clone)]
pub struct KuboStore {
    rpc: Rpc,
}

/// What the node says about itself (`/api/v0/version`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NodeVersion {
    /// The implementation's version, e.g. `0.43.1` (Kubo) or `0.18.1` (js-ipfs' ipfs-core).
    #[serde(rename = "Version")]
    pub version: String,
    /// Kubo's Go version; absent for js-ipfs.
    #[serde(rename = "Golang", default)]
    pub golang: Option<String>,
}

#[derive(Deserialize)]
struct AddEntry {
    #[serde(rename = "Hash")]
    hash: String,
    #[serde(rename = "Size")]
    size: Option<FlexibleSize>,
}

#[derive(Deserialize)]
struct BlockStat {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Size")]
    size: FlexibleSize,
}

#[derive(Deserialize)]
struct PinList {
    #[serde(rename = "Keys", default)]
    keys: HashMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct CarRootLine {
    #[serde(rename = "Root")]
    root: Option<CarRoot>,
}

#[derive(Deserialize)]
struct CarRoot {
    #[serde(rename = "Cid")]
    cid: CarRootCid,
    #[serde(rename = "PinErrorMsg", default)]
    pin_error: String,
}

#[derive(Deserialize)]
struct CarRootCid {
    #[serde(rename = "/")]
    text: String,
}

impl KuboStore {
    /// A client of the node whose RPC API is at `api_url` (e.g. `http://127.0.0.1:5001`).
    /// Nothing is sent yet; [`ContentStore::ping`] checks that the node answers.
    pub fn new(api_url: &str) -> Result<Self, StoreError> {
        Ok(Self {
            rpc: Rpc::new(api_url)?,
        })
    }

    /// This client, sending `value` (`Bearer <token>` or `Basic <base64>`) as the
    /// `Authorization` header of every call, for a node behind an authenticating proxy. The
    /// value is marked sensitive and never appears in messages or logs.
    pub fn with_authorization(mut self, value: &str) -> Result<Self, StoreError> {
        self.rpc.authorize(value)?;
        Ok(self)
    }

    /// The node's API address.
    pub fn url(&self) -> &str {
        self.rpc.url()
    }

    /// The node's version (`/api/v0/version`).
    pub async fn version(&self) -> Result<NodeVersion, StoreError> {
        let request = self.rpc.post("version", &[])?.timeout(SHORT_CALL);
        self.rpc.json_read("version", request).await
    }

    fn parse_cid(&self, endpoint: &'static str, text: &str) -> Result<Cid, StoreError> {
        Cid::from_str(text.trim()).map_err(|e| {
            self.rpc
                .bad_response(endpoint, &format!("`{text}` is not a CID: {e}"))
        })
    }

    /// The import parameters sent with `add`, all explicit so the node's defaults never matter.
    fn add_query(settings: &ImportSettings) -> Vec<(&'static str, String)> {
        let version = match settings.cid_version {
            CidVersion::V0 => "0",
            CidVersion::V1 => "1",
        };
        vec![
            ("cid-version", version.to_owned()),
            ("raw-leaves", settings.raw_leaves.to_string()),
            ("chunker", format!("size-{}", settings.chunk_size)),
            ("hash", settings.hash.clone()),
            ("trickle", "false".to_owned()),
            ("pin", "false".to_owned()),
            ("progress", "false".to_owned()),
            ("wrap-with-directory", "false".to_owned()),
        ]
    }

    /// Uploads `part` with `settings` and checks the node's CID against `local`.
    async fn add_part(
        &self,
        part: Part,
        settings: &ImportSettings,
        local: impl LocalImport,
    ) -> Result<AddedContent, StoreError> {
        let part = part
            .file_name("data")
            .mime_str("application/octet-stream")
            .map_err(|e| StoreError::Task(format!("cannot build the upload: {e}")))?;
        let query = Self::add_query(settings);
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let request = self
            .rpc
            .post("add", &query)?
            .multipart(Form::new().part("file", part));
        let answer = self.rpc.json::<AddEntry>("add", request).await;
        // A failed local read explains a failed upload better than the node's view of it.
        let (entry, added) = match (answer, local.result()) {
            (_, Some(Err(local_error))) => return Err(local_error),
            (Err(e), _) => return Err(e),
            (Ok(_), None) => {
                return Err(self
                    .rpc
                    .bad_response("add", "the node answered before the whole file was sent"));
            }
            (Ok(entry), Some(Ok(added))) => (entry, added),
        };
        let node_cid = self.parse_cid("add", &entry.hash)?;
        if node_cid != added.root {
            return Err(StoreError::CidMismatch {
                expected: added.root,
                actual: node_cid,
                context: format!(
                    "the IPFS node at {} stored the file under another CID than Hallmark computed \
                     (its import settings differ)",
                    self.rpc.url()
                ),
            });
        }
        debug!(root = %node_cid, node_size = ?entry.size.map(|s| s.0), "added to the node");
        Ok(added)
    }

    /// Fetches a block without verifying it, at most [`MAX_BLOCK_BYTES`].
    async fn fetch_block(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        let arg = cid.to_string();
        let request = self
            .rpc
            .post("block/get", &[("arg", &arg), ("timeout", GET_TIMEOUT)])?
            .timeout(SHORT_CALL);
        let response = self.rpc.send_read("block/get", request).await?;
        self.rpc
            .read_limited("block/get", response, MAX_BLOCK_BYTES)
            .await
    }

    /// Uploads a CAR file with `/api/v0/dag/import` and pins its roots, as `ipfs dag import`
    /// does. The CAR is read and verified locally first (js-ipfs does not check that blocks
    /// match their CIDs), and the roots the node reports must be the CAR's roots.
    #[instrument(skip(self), err(Display))]
    pub async fn add_car(&self, path: &Path) -> Result<Vec<Cid>, StoreError> {
        let checked = path.to_owned();
        let roots = tokio::task::spawn_blocking(move || check_car(&checked)).await??;
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| StoreError::io("open", path, e))?;
        let length = file
            .metadata()
            .await
            .map_err(|e| StoreError::io("inspect", path, e))?
            .len();
        let part = Part::stream_with_length(file, length)
            .file_name("data.car")
            .mime_str("application/octet-stream")
            .map_err(|e| StoreError::Task(format!("cannot build the upload: {e}")))?;
        let request = self
            .rpc
            .post("dag/import", &[("pin-roots", "true")])?
            .multipart(Form::new().part("file", part));
        let response = self.rpc.send("dag/import", request).await?;
        let body = self
            .rpc
            .read_limited("dag/import", response, 1 << 20)
            .await?;
        let mut reported = Vec::new();
        for line in body
            .split(|b| *b == b'\n')
            .filter(|l| !l.trim_ascii().is_empty())
        {
            let line: CarRootLine = self.rpc.decode_last_line("dag/import", line)?;
            let Some(root) = line.root else { continue };
            if !root.pin_error.is_empty() {
                return Err(StoreError::Node {
                    url: self.rpc.url().to_owned(),
                    endpoint: "dag/import",
                    message: format!("pinning root {}: {}", root.cid.text, root.pin_error),
                });
            }
            reported.push(self.parse_cid("dag/import", &root.cid.text)?);
        }
        let mut expected = roots.clone();
        expected.sort();
        reported.sort();
        if expected != reported {
            return Err(self.rpc.bad_response(
                "dag/import",
                &format!("it reported the roots {reported:?}, the CAR has {expected:?}"),
            ));
        }
        Ok(roots)
    }

    /// Runs a synchronous DAG reader on the blocking pool, fetching verified blocks over HTTP.
    async fn with_block_reader<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn FnMut(&Cid) -> Result<Vec<u8>, StoreError>) -> Result<T, StoreError>
            + Send
            + 'static,
    {
        let store = self.clone();
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || {
            let mut get = |cid: &Cid| handle.block_on(store.get_block(cid));
            work(&mut get)
        })
        .await?
    }
}

/// The CID computed locally from the uploaded bytes: known before the upload (bytes in memory)
/// or once the upload stream has ended (a streamed file).
trait LocalImport {
    fn result(self) -> Option<Result<AddedContent, StoreError>>;
}

impl LocalImport for upload::LocalResult {
    fn result(self) -> Option<Result<AddedContent, StoreError>> {
        let taken = self.lock().ok().and_then(|mut guard| guard.take());
        taken.map(|r| {
            r.map(|imported| AddedContent {
                root: imported.root,
                size: imported.file_size,
                blocks: imported.blocks,
            })
        })
    }
}

impl LocalImport for AddedContent {
    fn result(self) -> Option<Result<AddedContent, StoreError>> {
        Some(Ok(self))
    }
}

/// Reads a CAR completely, verifying every block and that each root is in it; returns the roots.
fn check_car(path: &Path) -> Result<Vec<Cid>, StoreError> {
    let car_error = |reason: String| StoreError::Car {
        path: path.to_owned(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| StoreError::io("open", path, e))?;
    let mut reader = CarReader::new(BufReader::with_capacity(1 << 20, file))
        .map_err(|e| car_error(e.to_string()))?;
    let roots = reader.roots().to_vec();
    if roots.is_empty() {
        return Err(car_error("it has no root".to_owned()));
    }
    let mut missing: std::collections::HashSet<Cid> = roots.iter().copied().collect();
    while let Some((cid, block)) = reader.next_block().map_err(|e| car_error(e.to_string()))? {
        verify_block(&cid, block, || {
            format!("block {cid} of the CAR file {}", path.display())
        })?;
        missing.remove(&cid);
    }
    if let Some(root) = missing.iter().next() {
        return Err(car_error(format!("its root {root} is not in it")));
    }
    Ok(roots)
}

/// Whether the node's error means "I do not have this block" (Kubo: "… not found locally …",
/// js-ipfs: "… not found" or a timeout while it looked for it).
fn means_absent(error: &StoreError) -> bool {
    match error {
        StoreError::Node { message, .. } => {
            let m = message.to_ascii_lowercase();
            m.contains("not found")
                || m.contains("timeout")
                || m.contains("timed out")
                || m.contains("aborted")
        }
        _ => false,
    }
}

impl ContentStore for KuboStore {
    fn backend_name(&self) -> &'static str {
        "kubo"
    }

    #[instrument(skip(self, settings), err(Display))]
    async fn add_file(
        &self,
        path: &Path,
        settings: &ImportSettings,
    ) -> Result<AddedContent, StoreError> {
        let length = tokio::fs::metadata(path)
            .await
            .map_err(|e| StoreError::io("inspect", path, e))?
            .len();
        let (stream, local) = upload::tee_file(path, settings)?;
        let part = Part::stream_with_length(reqwest::Body::wrap_stream(stream), length);
        let added = self.add_part(part, settings, local).await?;
        if added.size != length {
            return Err(StoreError::io(
                "upload",
                path,
                io::Error::other("the file changed size while it was being uploaded"),
            ));
        }
        Ok(added)
    }

    async fn add_bytes(
        &self,
        bytes: Vec<u8>,
        settings: &ImportSettings,
    ) -> Result<AddedContent, StoreError> {
        let owned = settings.clone();
        let (bytes, local) = tokio::task::spawn_blocking(move || {
            let imported = import_reader(&bytes[..], &owned, NullSink);
            (bytes, imported)
        })
        .await?;
        let imported = local.map_err(|e| match e {
            hallmark_unixfs::ImportError::InvalidSettings(reason) => {
                StoreError::InvalidSettings(reason)
            }
            other => StoreError::Task(format!("the local importer failed: {other}")),
        })?;
        let local = AddedContent {
            root: imported.root,
            size: imported.file_size,
            blocks: imported.blocks,
        };
        self.add_part(Part::bytes(bytes), settings, local).await
    }

    async fn get_block(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        let block = self.fetch_block(cid).await?;
        verify_block(cid, block, || {
            format!("block {cid} from the IPFS node at {}", self.rpc.url())
        })
    }

    async fn has_block(&self, cid: &Cid) -> Result<bool, StoreError> {
        match self.block_stat(cid).await {
            Ok(_) => Ok(true),
            Err(e) if means_absent(&e) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn block_stat(&self, cid: &Cid) -> Result<u64, StoreError> {
        let arg = cid.to_string();
        let request = self
            .rpc
            .post(
                "block/stat",
                &[
                    ("arg", &arg),
                    ("offline", "true"),
                    ("timeout", LOOKUP_TIMEOUT),
                ],
            )?
            .timeout(SHORT_CALL);
        let stat: BlockStat = self.rpc.json_read("block/stat", request).await?;
        let key = self.parse_cid("block/stat", &stat.key)?;
        if key.digest() != cid.digest() {
            return Err(self.rpc.bad_response(
                "block/stat",
                &format!("it described block {key} when asked for {cid}"),
            ));
        }
        Ok(stat.size.0)
    }

    async fn read_file(&self, cid: &Cid, max_bytes: u64) -> Result<Vec<u8>, StoreError> {
        let root = *cid;
        self.with_block_reader(move |get| read_to_vec(&root, get, max_bytes))
            .await
    }

    #[instrument(skip(self), err(Display))]
    async fn export_file_to(&self, cid: &Cid, dest: &Path) -> Result<u64, StoreError> {
        let root = *cid;
        let dest = dest.to_owned();
        self.with_block_reader(move |get| export_to_file(&root, get, &dest))
            .await
    }

    async fn pin_add(&self, cid: &Cid) -> Result<(), StoreError> {
        let arg = cid.to_string();
        let request = self
            .rpc
            .post("pin/add", &[("arg", &arg), ("recursive", "true")])?
            .timeout(Duration::from_secs(600));
        let _: serde_json::Value = self.rpc.json("pin/add", request).await?;
        Ok(())
    }

    async fn pin_rm(&self, cid: &Cid) -> Result<(), StoreError> {
        let arg = cid.to_string();
        let request = self
            .rpc
            .post("pin/rm", &[("arg", &arg), ("recursive", "true")])?
            .timeout(SHORT_CALL);
        match self.rpc.json::<serde_json::Value>("pin/rm", request).await {
            Ok(_) => Ok(()),
            Err(StoreError::Node { message, .. })
                if message.to_ascii_lowercase().contains("not pinned") =>
            {
                Err(StoreError::NotPinned { cid: *cid })
            }
            Err(e) => Err(e),
        }
    }

    async fn pin_ls(&self) -> Result<Vec<Cid>, StoreError> {
        let request = self
            .rpc
            .post("pin/ls", &[("type", "recursive")])?
            .timeout(SHORT_CALL);
        let list: PinList = self.rpc.json_read("pin/ls", request).await?;
        let mut pins = list
            .keys
            .keys()
            .map(|key| self.parse_cid("pin/ls", key))
            .collect::<Result<Vec<_>, _>>()?;
        pins.sort();
        Ok(pins)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.version().await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_sends_every_import_setting() {
        let q = KuboStore::add_query(&ImportSettings::kubo_v1());
        let get = |k: &str| q.iter().find(|(key, _)| *key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("cid-version"), Some("1"));
        assert_eq!(get("raw-leaves"), Some("true"));
        assert_eq!(get("chunker"), Some("size-262144"));
        assert_eq!(get("hash"), Some("sha2-256"));
        assert_eq!(get("pin"), Some("false"));
        let q = KuboStore::add_query(&ImportSettings::kubo_v0());
        assert!(q.contains(&("cid-version", "0".to_owned())));
        assert!(q.contains(&("raw-leaves", "false".to_owned())));
    }

    #[test]
    fn absent_block_messages_are_recognised() {
        let node = |m: &str| StoreError::Node {
            url: "u".into(),
            endpoint: "block/stat",
            message: m.into(),
        };
        assert!(means_absent(&node("block was not found locally (offline)")));
        assert!(means_absent(&node(
            "Failed to get block stats: request timed out"
        )));
        assert!(!means_absent(&node("invalid path")));
        assert!(!means_absent(&StoreError::Task("x".into())));
    }

    #[tokio::test]
    async fn a_node_that_is_not_there_is_unreachable_with_the_url() {
        // Port 9 (discard) on loopback: nothing listens there on a test machine.
        let store = KuboStore::new("http://127.0.0.1:9").expect("url");
        let e = store.ping().await.expect_err("nothing listens");
        assert_eq!(e.code(), "store.unreachable");
        assert!(
            e.to_string()
                .starts_with("IPFS node at http://127.0.0.1:9 is not reachable"),
            "{e}"
        );
    }
}
