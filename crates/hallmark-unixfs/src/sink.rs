//! Where an import puts the blocks it makes.

use std::convert::Infallible;

use crate::cid::Cid;

/// Receives every block of an import, in the order they are made (leaves before parents).
pub trait BlockSink {
    /// The sink's failure.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Stores `block`, whose CID is `cid`.
    fn put(&mut self, cid: &Cid, block: &[u8]) -> Result<(), Self::Error>;
}

/// Drops every block: for computing a CID only (`ipfs add --only-hash`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NullSink;

impl BlockSink for NullSink {
    type Error = Infallible;

    fn put(&mut self, _cid: &Cid, _block: &[u8]) -> Result<(), Infallible> {
        Ok(())
    }
}

/// Collects every block in memory (tests and small files).
#[derive(Debug, Clone, Default)]
pub struct MemorySink {
    /// The blocks, in the order they were made.
    pub blocks: Vec<(Cid, Vec<u8>)>,
}

impl BlockSink for MemorySink {
    type Error = Infallible;

    fn put(&mut self, cid: &Cid, block: &[u8]) -> Result<(), Infallible> {
        self.blocks.push((*cid, block.to_vec()));
        Ok(())
    }
}

impl<S: BlockSink + ?Sized> BlockSink for &mut S {
    type Error = S::Error;

    fn put(&mut self, cid: &Cid, block: &[u8]) -> Result<(), S::Error> {
        (**self).put(cid, block)
    }
}
