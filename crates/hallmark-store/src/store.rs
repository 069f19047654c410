//! The [`ContentStore`] trait and [`AnyStore`], the backend picked at run time.

use std::future::Future;
use std::path::Path;

use hallmark_unixfs::{Cid, ImportSettings};
use serde::Serialize;

use crate::embedded::EmbeddedStore;
use crate::error::StoreError;
use crate::kubo::KuboStore;

/// What adding a file produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AddedContent {
    /// The root CID of the file's UnixFS DAG.
    pub root: Cid,
    /// The file's size in bytes.
    pub size: u64,
    /// How many blocks the DAG has.
    pub blocks: u64,
}

/// A store of content-addressed blocks holding UnixFS files.
///
/// Every byte a store hands back (blocks, files, exports) has been verified against its CID;
/// bytes that do not match are an error ([`StoreError::CidMismatch`]), never data. The futures
/// are `Send`, so they can be spawned on tokio or by the Tauri shell.
pub trait ContentStore: Send + Sync {
    /// A short name of the backend for logs: `embedded` or `kubo`.
    fn backend_name(&self) -> &'static str;

    /// Adds the file at `path` as a UnixFS DAG built with `settings`, streaming it (memory stays
    /// bounded whatever its size). Does not pin it.
    fn add_file(
        &self,
        path: &Path,
        settings: &ImportSettings,
    ) -> impl Future<Output = Result<AddedContent, StoreError>> + Send;

    /// Adds `bytes` as a UnixFS file built with `settings`. Does not pin it.
    fn add_bytes(
        &self,
        bytes: Vec<u8>,
        settings: &ImportSettings,
    ) -> impl Future<Output = Result<AddedContent, StoreError>> + Send;

    /// The block stored under `cid`, verified against it.
    fn get_block(&self, cid: &Cid) -> impl Future<Output = Result<Vec<u8>, StoreError>> + Send;

    /// Whether the store has the block `cid` (without reading or verifying it).
    fn has_block(&self, cid: &Cid) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The size in bytes of the block `cid`.
    fn block_stat(&self, cid: &Cid) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// The whole UnixFS file rooted at `cid`, every block verified; refuses files larger than
    /// `max_bytes` ([`StoreError::TooLarge`]).
    fn read_file(
        &self,
        cid: &Cid,
        max_bytes: u64,
    ) -> impl Future<Output = Result<Vec<u8>, StoreError>> + Send;

    /// Writes the UnixFS file rooted at `cid` to `dest`, every block verified. The bytes go to a
    /// temporary file beside `dest` that is renamed over it only when complete.
    fn export_file_to(
        &self,
        cid: &Cid,
        dest: &Path,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Pins `cid` recursively: its whole DAG must be (and stays) in the store.
    fn pin_add(&self, cid: &Cid) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Removes the recursive pin of `cid`.
    fn pin_rm(&self, cid: &Cid) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The recursively pinned CIDs, sorted.
    fn pin_ls(&self) -> impl Future<Output = Result<Vec<Cid>, StoreError>> + Send;

    /// Whether the backend is usable right now (the folder is writable, the node answers).
    fn ping(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// One of the two backends, chosen at run time (from the configuration).
#[derive(Debug, Clone)]
pub enum AnyStore {
    /// The embedded on-disk blockstore.
    Embedded(EmbeddedStore),
    /// A Kubo-compatible IPFS node over its RPC API.
    Kubo(KuboStore),
}

impl ContentStore for AnyStore {
    fn backend_name(&self) -> &'static str {
        match self {
            Self::Embedded(s) => s.backend_name(),
            Self::Kubo(s) => s.backend_name(),
        }
    }

    async fn add_file(
        &self,
        path: &Path,
        settings: &ImportSettings,
    ) -> Result<AddedContent, StoreError> {
        match self {
            Self::Embedded(s) => s.add_file(path, settings).await,
            Self::Kubo(s) => s.add_file(path, settings).await,
        }
    }

    async fn add_bytes(
        &self,
        bytes: Vec<u8>,
        settings: &ImportSettings,
    ) -> Result<AddedContent, StoreError> {
        match self {
            Self::Embedded(s) => s.add_bytes(bytes, settings).await,
            Self::Kubo(s) => s.add_bytes(bytes, settings).await,
        }
    }

    async fn get_block(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        match self {
            Self::Embedded(s) => s.get_block(cid).await,
            Self::Kubo(s) => s.get_block(cid).await,
        }
    }

    async fn has_block(&self, cid: &Cid) -> Result<bool, StoreError> {
        match self {
            Self::Embedded(s) => s.has_block(cid).await,
            Self::Kubo(s) => s.has_block(cid).await,
        }
    }

    async fn block_stat(&self, cid: &Cid) -> Result<u64, StoreError> {
        match self {
            Self::Embedded(s) => s.block_stat(cid).await,
            Self::Kubo(s) => s.block_stat(cid).await,
        }
    }

    async fn read_file(&self, cid: &Cid, max_bytes: u64) -> Result<Vec<u8>, StoreError> {
        match self {
            Self::Embedded(s) => s.read_file(cid, max_bytes).await,
            Self::Kubo(s) => s.read_file(cid, max_bytes).await,
        }
    }

    async fn export_file_to(&self, cid: &Cid, dest: &Path) -> Result<u64, StoreError> {
        match self {
            Self::Embedded(s) => s.export_file_to(cid, dest).await,
            Self::Kubo(s) => s.export_file_to(cid, dest).await,
        }
    }

    async fn pin_add(&self, cid: &Cid) -> Result<(), StoreError> {
        match self {
            Self::Embedded(s) => s.pin_add(cid).await,
            Self::Kubo(s) => s.pin_add(cid).await,
        }
    }

    async fn pin_rm(&self, cid: &Cid) -> Result<(), StoreError> {
        match self {
            Self::Embedded(s) => s.pin_rm(cid).await,
            Self::Kubo(s) => s.pin_rm(cid).await,
        }
    }

    async fn pin_ls(&self) -> Result<Vec<Cid>, StoreError> {
        match self {
            Self::Embedded(s) => s.pin_ls().await,
            Self::Kubo(s) => s.pin_ls().await,
        }
    }

    async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Self::Embedded(s) => s.ping().await,
            Self::Kubo(s) => s.ping().await,
        }
    }
}
