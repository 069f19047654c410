//! [`StoreSink`]: the importer's block sink writing into the embedded store.

use std::sync::{Arc, Mutex, PoisonError};

use hallmark_unixfs::{BlockSink, Cid};

use super::layout::Layout;
use crate::error::StoreError;

/// A [`BlockSink`] that stores every block the importer produces in an
/// [`EmbeddedStore`](super::EmbeddedStore), so one pass over a file both computes its CID and
/// stores it. Each block is written to a temporary file and renamed into place; blocks already
/// present are not written again. Does blocking I/O.
#[derive(Debug, Clone)]
pub struct StoreSink {
    layout: Arc<Layout>,
    new_blocks: u64,
    new_bytes: u64,
    written: Arc<Mutex<Vec<Cid>>>,
}

impl StoreSink {
    pub(super) fn new(layout: Arc<Layout>) -> Self {
        Self {
            layout,
            new_blocks: 0,
            new_bytes: 0,
            written: Arc::default(),
        }
    }

    /// The blocks this sink (and its clones) wrote so far, readable after the sink itself was
    /// consumed: an ingest refused after storing blocks hands them to
    /// [`EmbeddedStore::discard`](super::EmbeddedStore::discard).
    pub fn written(&self) -> WrittenBlocks {
        WrittenBlocks(Arc::clone(&self.written))
    }

    /// Blocks this sink wrote (those not already in the store).
    pub fn new_blocks(&self) -> u64 {
        self.new_blocks
    }

    /// Bytes of the blocks this sink wrote.
    pub fn new_bytes(&self) -> u64 {
        self.new_bytes
    }
}

impl BlockSink for StoreSink {
    type Error = StoreError;

    fn put(&mut self, cid: &Cid, block: &[u8]) -> Result<(), StoreError> {
        if self.layout.put_block(cid, block)? {
            self.new_blocks += 1;
            self.new_bytes += block.len() as u64;
            self.written
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(*cid);
        }
        Ok(())
    }
}

/// A handle on the blocks a [`StoreSink`] wrote (those that were not in the store before).
#[derive(Debug, Clone)]
pub struct WrittenBlocks(Arc<Mutex<Vec<Cid>>>);

impl WrittenBlocks {
    /// The blocks written so far, taken out of the handle.
    pub fn take(&self) -> Vec<Cid> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
