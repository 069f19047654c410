//! Media travels with the work: before a work is registered, its blocks (media, metadata,
//! thumbnail, preview) are uploaded to the consortium's IPFS node as one CAR file
//! (`dag/import`, roots pinned), and the node's answer is checked against our CIDs. A work
//! registered on the chain is then never "media unavailable" to other members.

use std::collections::HashSet;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

use hallmark_store::{AnyStore, ContentStore, KuboStore, StoreError};
use hallmark_unixfs::{CarWriter, Cid};
use tracing::info;

use crate::engine::Engine;
use crate::error::EngineError;

/// What an upload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    /// The node's RPC API.
    pub node: String,
    /// The roots it pinned.
    pub roots: Vec<Cid>,
    /// Size of the CAR file.
    pub bytes: u64,
    /// Wall time, in milliseconds.
    pub elapsed_ms: u64,
}

impl Engine {
    /// Uploads the DAGs of `roots` to the consortium's upload node
    /// (`consortium_ipfs.upload`) and checks that it pinned exactly them. `None` when there is
    /// no upload node, or when this installation's store is that node.
    pub async fn upload_to_consortium(
        &self,
        roots: &[Cid],
    ) -> Result<Option<Uploaded>, EngineError> {
        let Some(url) = self.config().consortium_ipfs.upload.clone() else {
            return Ok(None);
        };
        let failed = |source: StoreError| EngineError::UploadFailed {
            url: url.clone(),
            source,
        };
        let node = KuboStore::new(&url).map_err(failed)?;
        let node = match crate::ipfs_auth::IpfsAuth::load(&self.config().data_dir)?.header_for(&url)
        {
            Some(value) => node.with_authorization(&value).map_err(failed)?,
            None => node,
        };
        if let AnyStore::Kubo(own) = self.store()
            && own.url() == node.url()
        {
            return Ok(None);
        }
        let started = Instant::now();
        let mut unique = Vec::new();
        for root in roots {
            if !unique.contains(root) {
                unique.push(*root);
            }
        }
        let tmp = self.config().data_dir.join("tmp");
        std::fs::create_dir_all(&tmp).map_err(|e| EngineError::DataDir {
            path: tmp.clone(),
            reason: e.to_string(),
        })?;
        let car = tmp.join(format!(
            "upload-{}-{}.car",
            std::process::id(),
            upload_number()
        ));
        let result = self.upload_car(&node, &unique, &car).await;
        let _ = std::fs::remove_file(&car);
        let bytes = result.map_err(failed)?;
        let uploaded = Uploaded {
            node: node.url().to_owned(),
            roots: unique,
            bytes,
            elapsed_ms: started.elapsed().as_millis() as u64,
        };
        info!(node = %uploaded.node, roots = uploaded.roots.len(), bytes, ms = uploaded.elapsed_ms,
            "work uploaded to the consortium's IPFS node");
        Ok(Some(uploaded))
    }

    async fn upload_car(
        &self,
        node: &KuboStore,
        roots: &[Cid],
        car: &Path,
    ) -> Result<u64, StoreError> {
        match self.store() {
            AnyStore::Embedded(store) => {
                store.export_car(roots, car).await?;
            }
            AnyStore::Kubo(store) => write_car_from(store, roots, car).await?,
        }
        let bytes = std::fs::metadata(car)
            .map(|m| m.len())
            .map_err(|e| StoreError::Io {
                action: "inspect",
                path: car.to_owned(),
                source: e,
            })?;
        // `add_car` verifies the CAR locally and requires the node to report exactly its roots.
        let pinned = node.add_car(car).await?;
        let pinned: HashSet<Cid> = pinned.into_iter().collect();
        for root in roots {
            if !pinned.contains(root) || !node.has_block(root).await? {
                return Err(StoreError::BadResponse {
                    url: node.url().to_owned(),
                    endpoint: "dag/import",
                    reason: format!("the node did not keep {root}"),
                });
            }
        }
        Ok(bytes)
    }
}

/// A number no other upload of this process had.
fn upload_number() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Writes a CAR of `roots` and their DAGs from any store (each block verified by the store).
async fn write_car_from<S: ContentStore>(
    store: &S,
    roots: &[Cid],
    dest: &Path,
) -> Result<(), StoreError> {
    let io = |action: &'static str, path: &PathBuf, e: std::io::Error| StoreError::Io {
        action,
        path: path.clone(),
        source: e,
    };
    let path = dest.to_owned();
    let file = std::fs::File::create(&path).map_err(|e| io("create", &path, e))?;
    let car_error = |e: hallmark_unixfs::CarError| StoreError::Car {
        path: path.clone(),
        reason: e.to_string(),
    };
    let mut car = CarWriter::new(BufWriter::new(file), roots).map_err(car_error)?;
    let mut seen = HashSet::new();
    for root in roots {
        let mut stack = vec![*root];
        while let Some(cid) = stack.pop() {
            if !seen.insert(cid) {
                continue;
            }
            let block = store.get_block(&cid).await?;
            let links =
                hallmark_unixfs::block_links(&cid, &block).map_err(|e| StoreError::Dag {
                    cid: *root,
                    reason: e.to_string(),
                })?;
            stack.extend(links.into_iter().rev());
            car.write_block(&cid, &block).map_err(car_error)?;
        }
    }
    let out = car.finish().map_err(car_error)?;
    out.into_inner()
        .map_err(|e| io("write", &path, e.into_error()))?
        .sync_all()
        .map_err(|e| io("flush to disk", &path, e))
}
