//! Hallmark's media layer: what a file is, whether it is acceptable, what it contains, and the
//! identity of its exact bytes.
//!
//! - [`sniff`] recognises the accepted types ([`MediaType`]) from magic bytes only, and refuses
//!   documents, archives and programs with a precise reason ([`Refusal`]).
//! - [`Limits`] bound file size, image pixels and GIF frames; image dimensions are checked from
//!   the header before anything is decoded.
//! - [`probe`] holds small bounded parsers for durations and video dimensions.
//! - [`ingest_with_sink`] reads a file once, computing its sha-256, Hallmark's canonical CIDv1
//!   (blocks to a [`hallmark_unixfs::BlockSink`]) and the CIDv0 `ipfs add` prints, and writes
//!   PNG thumbnails and previews of images.
//! - [`metadata`] builds and parses the ERC-721 work metadata document.

mod error;
mod ingest;
pub mod keyframes;
mod limits;
mod media_type;
pub mod metadata;
pub mod probe;
mod raster;
mod sniff;

pub use error::{MediaError, Refusal};
/// Perceptual hashing and the similarity index (copy detection).
pub use hallmark_perceptual as perceptual;
pub use ingest::{IngestOptions, Ingested, Perceptual, READ_CHUNK, ingest, ingest_with_sink};
pub use limits::Limits;
pub use media_type::{MediaKind, MediaType};
pub use metadata::{Attribute, AttributeValue, WorkFields, WorkMetadata};
pub use probe::AvInfo;
pub use raster::{Derivative, PREVIEW_SIDE, THUMBNAIL_SIDE, WORKING_MAX_PIXELS};
pub use sniff::{SNIFF_LEN, sniff};
