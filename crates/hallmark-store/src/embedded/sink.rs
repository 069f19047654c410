//! [`StoreSink`]: the importer's block sink writing into the embedded store.

use std::sync::Arc;

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
}

impl StoreSink {
    pub(super) fn new(layout: Arc<Layout>) -> Self {
        Self {
            layout,
            new_blocks: 0,
            new_bytes: 0,
        }
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
        }
        Ok(())
    }
}
