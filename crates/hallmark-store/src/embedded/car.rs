//! CAR v1 export and import for the embedded store.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use hallmark_unixfs::{CarReader, CarWriter, Cid};
use tracing::{debug, warn};

use super::layout::Layout;
use crate::error::StoreError;
use crate::verified::{MAX_BLOCK_BYTES, map_read_error, verify_block};

fn car_error(path: &Path, reason: impl std::fmt::Display) -> StoreError {
    StoreError::Car {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

/// Writes `roots` and their DAGs' blocks to `dest` (through a temporary file beside it).
pub(super) fn export(layout: &Layout, roots: &[Cid], dest: &Path) -> Result<u64, StoreError> {
    if roots.is_empty() {
        return Err(car_error(dest, "a CAR file needs at least one root"));
    }
    let temp = layout.temp_path("car-export");
    let result = write_car(layout, roots, dest, &temp).and_then(|count| {
        fs::rename(&temp, dest).map_err(|e| StoreError::io("move into place", dest, e))?;
        Ok(count)
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn write_car(layout: &Layout, roots: &[Cid], dest: &Path, temp: &Path) -> Result<u64, StoreError> {
    let file = File::create(temp).map_err(|e| StoreError::io("create", temp, e))?;
    let mut car = CarWriter::new(BufWriter::with_capacity(1 << 20, file), roots)
        .map_err(|e| car_error(dest, e))?;
    let mut written: HashSet<Cid> = HashSet::new();
    for root in roots {
        // Blocks are written as the walk fetches them (root first, depth first): one read each.
        let mut write_error = None;
        let cids = hallmark_unixfs::dag_cids(root, |c| {
            let block = layout.get_block(c)?;
            if written.insert(*c)
                && let Err(e) = car.write_block(c, &block)
            {
                write_error = Some(car_error(dest, e));
            }
            Ok::<_, StoreError>(block)
        })
        .map_err(|e| map_read_error(root, e))?;
        if let Some(e) = write_error {
            return Err(e);
        }
        for c in cids {
            if written.insert(c) {
                let block = layout.get_block(&c)?;
                car.write_block(&c, &block)
                    .map_err(|e| car_error(dest, e))?;
            }
        }
    }
    let out = car.finish().map_err(|e| car_error(dest, e))?;
    let file = out
        .into_inner()
        .map_err(|e| StoreError::io("write", temp, e.into_error()))?;
    file.sync_all()
        .map_err(|e| StoreError::io("flush to disk", temp, e))?;
    debug!(blocks = written.len(), dest = %dest.display(), "CAR exported");
    Ok(written.len() as u64)
}

/// Imports the CAR at `path`: every block verified into a staging folder, then moved into
/// place only when the whole file is good.
pub(super) fn import(layout: &Layout, path: &Path) -> Result<Vec<Cid>, StoreError> {
    let staging = layout.temp_path("car-import");
    fs::create_dir(&staging).map_err(|e| StoreError::io("create", &staging, e))?;
    let result = stage(layout, path, &staging).and_then(|(roots, staged)| {
        // Only the blocks of the roots' DAGs are kept: a CAR may carry any number of blocks
        // besides, which nothing would ever reference.
        let wanted = reachable(layout, &roots, &staged)?;
        let mut kept = 0usize;
        for (cid, file) in &staged {
            if wanted.contains(&cid.to_v1()) {
                layout.adopt_block(cid, file)?;
                kept += 1;
            }
        }
        let dropped = staged.len() - kept;
        if dropped > 0 {
            warn!(dropped, path = %path.display(), "CAR blocks outside its roots' DAGs not kept");
        }
        debug!(blocks = kept, "CAR imported");
        Ok(roots)
    });
    let _ = fs::remove_dir_all(&staging);
    result
}

type Staged = (Vec<Cid>, HashMap<Cid, PathBuf>);

/// The CIDs of the DAGs under `roots`, reading each node from the staging folder or the store.
fn reachable(
    layout: &Layout,
    roots: &[Cid],
    staged: &HashMap<Cid, PathBuf>,
) -> Result<HashSet<Cid>, StoreError> {
    let by_v1: HashMap<Cid, &PathBuf> = staged.iter().map(|(c, f)| (c.to_v1(), f)).collect();
    let mut wanted = HashSet::new();
    for root in roots {
        let cids = hallmark_unixfs::dag_cids(root, |c| match by_v1.get(&c.to_v1()) {
            Some(file) => fs::read(file).map_err(|e| StoreError::io("read", file, e)),
            None => layout.get_block(c),
        })
        .map_err(|e| map_read_error(root, e))?;
        wanted.extend(cids.iter().map(Cid::to_v1));
        wanted.insert(root.to_v1());
    }
    Ok(wanted)
}

fn stage(layout: &Layout, path: &Path, staging: &Path) -> Result<Staged, StoreError> {
    let file = File::open(path).map_err(|e| StoreError::io("open", path, e))?;
    let mut reader =
        CarReader::new(BufReader::with_capacity(1 << 20, file)).map_err(|e| car_error(path, e))?;
    let roots = reader.roots().to_vec();
    if roots.is_empty() {
        return Err(car_error(path, "it has no root"));
    }
    let mut staged: HashMap<Cid, PathBuf> = HashMap::new();
    while let Some((cid, block)) = reader.next_block().map_err(|e| car_error(path, e))? {
        if block.len() > MAX_BLOCK_BYTES {
            return Err(car_error(
                path,
                format!(
                    "block {cid} has {} bytes, more than the {MAX_BLOCK_BYTES}-byte limit",
                    block.len()
                ),
            ));
        }
        let block = verify_block(&cid, block, || {
            format!("block {cid} of the CAR file {}", path.display())
        })?;
        // Already staged, or already stored intact-sized (a damaged copy of another size is replaced).
        if staged.contains_key(&cid) || layout.block_size(&cid).ok() == Some(block.len() as u64) {
            continue;
        }
        let file = staging.join(staged.len().to_string());
        let mut out = File::create(&file).map_err(|e| StoreError::io("create", &file, e))?;
        out.write_all(&block)
            .map_err(|e| StoreError::io("write", &file, e))?;
        staged.insert(cid, file);
    }
    for root in &roots {
        if !staged.contains_key(root) && !layout.has_block(root) {
            return Err(car_error(path, format!("its root {root} is not in it")));
        }
    }
    // Staged files reach their final names by rename only after this whole pass succeeded, so
    // a bad block anywhere in the CAR leaves the store untouched.
    Ok((roots, staged))
}
