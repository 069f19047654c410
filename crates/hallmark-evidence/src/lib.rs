//! Evidence bundles: a single file that proves, to anyone and without Hallmark's servers, that a
//! work was registered on the chain (when, by whom, with which content hash) and that an account
//! holds a token of it.
//!
//! A bundle is a plain zip ([`BundleFiles`]) holding the work's media (or only its CID), its
//! metadata document, `evidence.json` ([`Evidence`]: the registration transaction with its whole
//! block in canonical encodings, the provenance, licences and the holder's EIP-712 ownership
//! statement) and `seal.json` ([`Seal`]: the holder's signature over the exact bytes of
//! `evidence.json`). [`build_bundle`] makes one; [`verify_offline`] checks everything that can
//! be checked from the bytes alone and [`online::verify_online`] re-checks the rest against a
//! node. A README inside explains how to check each claim with standard tools.
//!
//! A bundle records its chain's [`Consensus`]: the block hash is keccak-256 of the RLP header
//! on an Ethereum chain, and Besu's QBFT hash (the header without its commit seals, [`qbft`]) on
//! a QBFT chain; [`block_hash`] computes either.

mod anchor;
mod bundle;
pub mod collect;
mod container;
mod error;
mod model;
pub mod online;
mod prove;
pub mod qbft;
pub mod seal;
mod typed_data;
mod verify;

pub use anchor::{Anchor, CONSORTIUM_CHECK, Conclusion, GENESIS_CHECK};
pub use bundle::{BundleFiles, MAX_ENTRIES, MAX_JSON_BYTES, MAX_MEDIA_BYTES};
pub use error::EvidenceError;
pub use hallmark_domain::Consensus;
pub use model::{
    ChainInfo, EVIDENCE_FILE, Evidence, FORMAT, FORMAT_1, LicenceEntry, MEDIA_DIR, METADATA_FILE,
    README_FILE, Registration, SEAL_FILE, Seal, Statement, TokenInfo, Transfer, TransferKind,
    WorkInfo,
};
pub use prove::{ProofInputs, build_bundle, media_file_name};
pub use qbft::{QbftError, block_hash};
pub use typed_data::{DOMAIN_NAME, DOMAIN_VERSION, DomainSpec, Member, TypedDataSpec};
pub use verify::{Check, Parsed, Report, Status, Summary, VerifyOptions, verify_offline};

/// Reads and verifies a bundle file offline; `Err` only when it is not a bundle at all.
pub fn verify_file(
    path: &std::path::Path,
    options: &VerifyOptions,
) -> Result<(Report, Option<Parsed>), EvidenceError> {
    let bytes = read_bundle_file(path)?;
    verify_bytes(&bytes, options)
}

/// The largest bundle file read: the largest media and room for its documents.
pub const MAX_BUNDLE_BYTES: u64 = MAX_MEDIA_BYTES + 64 * 1024 * 1024;

/// Reads a bundle file a person named: a regular file of at most [`MAX_BUNDLE_BYTES`] (a pipe
/// or a device is refused before reading).
pub fn read_bundle_file(path: &std::path::Path) -> Result<Vec<u8>, EvidenceError> {
    hallmark_files::read(path, MAX_BUNDLE_BYTES).map_err(|e| EvidenceError::NotABundle {
        reason: format!("{}: {e}", path.display()),
    })
}

/// Verifies a bundle's bytes offline (as [`verify_file`]); also checks that the zip is exactly
/// in the canonical form Hallmark writes (its own byte-level rules, independent of any zip
/// library), so that not one byte of the file can change unnoticed.
pub fn verify_bytes(
    bytes: &[u8],
    options: &VerifyOptions,
) -> Result<(Report, Option<Parsed>), EvidenceError> {
    use sha2::Digest;
    let files = BundleFiles::parse(bytes)?;
    let (mut report, parsed) = verify::verify_view(&files, options);
    report.bundle_sha256 = Some(hex::encode(sha2::Sha256::digest(bytes)));
    let (status, detail) = match container::check(bytes) {
        Ok(detail) => (Status::Pass, detail),
        Err(why) => (Status::Fail, why.to_string()),
    };
    let outcome = Check {
        id: "container",
        title: "the zip is in canonical form",
        status,
        detail,
    };
    report.checks.insert(1.min(report.checks.len()), outcome);
    Ok((report, parsed))
}
