//! Kubo-identical UnixFS in-process: CIDs, the streaming file importer (fixed-size chunker,
//! balanced layout, CIDv0 or CIDv1 with raw leaves), verified DAG reads, and CAR v1 files.
//!
//! `import_reader(file, &ImportSettings::kubo_v0(), NullSink)` gives the CID that
//! `ipfs add --only-hash` prints; `kubo_v1()` the one of `ipfs add --cid-version=1`.

mod car;
mod cid;
mod import;
mod pb;
mod read;
mod settings;
mod sink;
mod varint;

pub use car::{CarError, CarReader, CarWriter};
pub use cid::{Cid, CidError, CidVersion, Codec};
pub use import::{FileImporter, ImportError, Imported, import_reader};
pub use read::{MAX_DEPTH, ReadError, block_links, dag_cids, read_file};
pub use settings::{DEFAULT_CHUNK_SIZE, DEFAULT_MAX_LINKS, ImportSettings, Layout, MAX_CHUNK_SIZE};
pub use sink::{BlockSink, MemorySink, NullSink};
