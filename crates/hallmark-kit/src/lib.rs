//! The exit kit: everything a holder or creator needs to keep, re-host and prove their works
//! without Hallmark, in one self-contained folder ([`ExitKit::export_kit`]), and its import into
//! another installation ([`ExitKit::import_kit`]). Both work through the engine's public API
//! (catalog, content store, chain, evidence): `use hallmark_kit::ExitKit` and call them on an
//! [`Engine`].
//!
//! A kit holds, per work, the media, the metadata document and the picture the metadata shows as
//! CAR v1 files (any IPFS node imports them with `ipfs dag import`), the evidence bundle of every
//! token the account holds, `chain.json` (chain id, genesis block hash, contracts, RPC URLs) with
//! the contracts' ABIs, `manifest.json` (every file's sha-256 and size, every work) and
//! `SHA256SUMS`, and a README that says how to check each claim with standard tools. See
//! `docs/durability.md`.
//!
//! Import trusts nothing in the kit: every file is checked against the manifest, every block of
//! every CAR against its CID, every DAG must be complete, the metadata must bind the media the
//! manifest names and every bundle must pass the offline checks, all in a staging store, before
//! anything reaches the content store or is pinned.

mod export;
mod import;
mod readme;

use std::future::Future;
use std::path::{Component, Path};

use hallmark_chain::PrivateKeySigner;
use hallmark_domain::ErrorCode;
use hallmark_engine::{Engine, EngineError};
use serde::{Deserialize, Serialize};

pub use export::KitReport;
pub use import::{ImportReport, ImportedWork};

/// The exit kit's operations on an [`Engine`].
pub trait ExitKit {
    /// Writes an exit kit of the works `selection` names into `out` (a new or empty folder),
    /// signing the evidence bundles as `signer`: the catalog is synced first, the kit is built
    /// in `OUT.partial-…` beside `out` and renamed into place only when complete.
    ///
    /// Every token of a selected work that `signer` holds gets an evidence bundle; a work it
    /// created but no longer holds gets its media, metadata and registration facts, and a note
    /// saying why there is no bundle.
    fn export_kit(
        &self,
        selection: &KitSelection,
        out: &Path,
        signer: PrivateKeySigner,
    ) -> impl Future<Output = Result<KitReport, EngineError>> + Send;

    /// Imports the exit kit in the folder `kit`: checks every file, block, DAG, metadata binding
    /// and evidence bundle (nothing in the kit is trusted, see the crate notes), then stores and
    /// pins the content in this engine's content store, adds the media to the library and keeps
    /// the kit's evidence in `<data>/kits/<id>/`. A kit that fails any check is refused with the
    /// file named, and nothing of it is stored or pinned. Needs no chain.
    fn import_kit(
        &self,
        kit: &Path,
    ) -> impl Future<Output = Result<ImportReport, EngineError>> + Send;
}

impl ExitKit for Engine {
    fn export_kit(
        &self,
        selection: &KitSelection,
        out: &Path,
        signer: PrivateKeySigner,
    ) -> impl Future<Output = Result<KitReport, EngineError>> + Send {
        export::export_kit(self, selection, out, signer)
    }

    fn import_kit(
        &self,
        kit: &Path,
    ) -> impl Future<Output = Result<ImportReport, EngineError>> + Send {
        import::import_kit(self, kit)
    }
}

/// The `format` of a kit's `manifest.json`.
pub const KIT_FORMAT: &str = "hallmark-exit-kit/1";
/// The manifest's file name.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The checksum list's file name (`sha256sum -c SHA256SUMS`).
pub const SUMS_FILE: &str = "SHA256SUMS";
/// The chain description's file name.
pub const CHAIN_FILE: &str = "chain.json";
/// The README's file name.
pub const README_FILE: &str = "README.md";
/// Largest `manifest.json` an import reads.
pub const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;
/// Most works a kit may list.
pub const MAX_KIT_WORKS: usize = 100_000;
/// Most files a kit may list.
pub const MAX_KIT_FILES: usize = 1_000_000;
/// Most blocks one CAR file of a kit may hold (with 256 KiB chunks: 256 GiB of media).
pub const MAX_CAR_BLOCKS: u64 = 1 << 20;
/// A bundle embeds the media only up to this size; larger media is in the kit's CAR only (the
/// bundle still names its CID and sha-256).
pub const KIT_BUNDLE_MEDIA_MAX: u64 = 64 * 1024 * 1024;
/// Largest evidence bundle an import reads (it is verified in memory).
pub const MAX_KIT_BUNDLE_BYTES: u64 = KIT_BUNDLE_MEDIA_MAX + 128 * 1024 * 1024;

/// Which works go into a kit. Flags and tokens add up; nothing selected means
/// `owned` and `created`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitSelection {
    /// Every work in which the signing account holds a token.
    pub owned: bool,
    /// Every work the signing account created.
    pub created: bool,
    /// These tokens' works.
    pub tokens: Vec<u64>,
}

impl KitSelection {
    /// The selection with its default applied: nothing named means owned and created.
    pub fn resolved(&self) -> Self {
        if !self.owned && !self.created && self.tokens.is_empty() {
            Self {
                owned: true,
                created: true,
                tokens: Vec::new(),
            }
        } else {
            self.clone()
        }
    }
}

/// `manifest.json`: what a kit holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitManifest {
    /// Always [`KIT_FORMAT`].
    pub format: String,
    /// When the kit was made (unix seconds).
    pub created_at: u64,
    /// The software that made it, e.g. `hallmark 0.1.0`.
    pub created_by: String,
    /// The signing account (`0x…`, lowercase): the holder of the bundles.
    pub account: String,
    /// The chain the works are registered on.
    pub chain_id: u64,
    /// What was asked for.
    pub selection: KitSelection,
    /// The works, by work id.
    pub works: Vec<KitWork>,
    /// Every file of the kit but `manifest.json` and `SHA256SUMS`, sorted by path.
    pub files: Vec<KitFile>,
}

/// One file of a kit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitFile {
    /// Path inside the kit, `/`-separated.
    pub path: String,
    /// sha-256 of the file, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// One work of a kit: its registration facts and its files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitWork {
    /// Work id.
    pub work_id: u64,
    /// Title (from the metadata).
    pub title: Option<String>,
    /// Creator (`0x…`).
    pub creator: String,
    /// Issuer that registered it (`0x…`).
    pub issuer: String,
    /// sha-256 of the media, lowercase hex (the registered content hash).
    pub content_sha256: String,
    /// CID of the media (the root of `files.media_car`).
    pub media_cid: String,
    /// Size of the media in bytes.
    pub media_size: u64,
    /// Media type, e.g. `image/png`.
    pub mime: String,
    /// CID of the metadata document (the root of `files.metadata_car`).
    pub metadata_cid: String,
    /// sha-256 of the metadata document, lowercase hex (the registered metadata hash).
    pub metadata_sha256: String,
    /// CID of the picture the metadata shows (`image`), when it is not the media itself.
    pub image_cid: Option<String>,
    /// Editions the work may have.
    pub max_editions: u32,
    /// Editions minted when the kit was made.
    pub minted: u32,
    /// Royalty in basis points.
    pub royalty_bps: u16,
    /// Registration block.
    pub registered_block: u64,
    /// Registration time (unix seconds).
    pub registered_at: u64,
    /// Registration transaction.
    pub registered_tx: String,
    /// Review freeze reason (0: not frozen).
    pub frozen_reason: u16,
    /// Whether the kit's account created it.
    pub created_by_account: bool,
    /// The work's files in the kit.
    pub files: KitWorkFiles,
    /// Its minted tokens, with their holders when the kit was made.
    pub tokens: Vec<KitToken>,
    /// Why there is no evidence bundle, if there is none.
    pub note: Option<String>,
}

/// The files of one work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitWorkFiles {
    /// CAR v1 of the media (root: `media_cid`).
    pub media_car: String,
    /// CAR v1 of the metadata document (root: `metadata_cid`).
    pub metadata_car: String,
    /// The metadata document, byte for byte.
    pub metadata_json: String,
    /// CAR v1 of the picture the metadata shows (root: `image_cid`).
    pub image_car: Option<String>,
}

/// One token of a work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitToken {
    /// Token id (work id × 1,000,000 + edition).
    pub token_id: u64,
    /// Edition number.
    pub edition: u32,
    /// Holder when the kit was made (`0x…`).
    pub holder: String,
    /// Whether the kit's account held it.
    pub held_by_account: bool,
    /// Its evidence bundle in the kit (tokens the account held).
    pub bundle: Option<String>,
}

/// A `kit.*` error.
pub(crate) fn kit_error(code: ErrorCode, reason: impl Into<String>) -> EngineError {
    EngineError::Kit {
        code,
        reason: reason.into(),
    }
}

/// An I/O failure on a kit file.
pub(crate) fn io_error(action: &str, path: &Path, e: &std::io::Error) -> EngineError {
    kit_error(
        ErrorCode::KitIo,
        format!("cannot {action} {}: {e}", path.display()),
    )
}

/// Lowercase hex without `0x`.
pub(crate) fn plain_hex(text: &str) -> String {
    text.trim()
        .trim_start_matches("0x")
        .trim_start_matches("0X")
        .to_ascii_lowercase()
}

/// sha-256 and size of a file, streamed.
pub(crate) fn hash_file(path: &Path) -> Result<(String, u64), EngineError> {
    hallmark_files::sha256(path, u64::MAX).map_err(|e| {
        kit_error(
            ErrorCode::KitIo,
            format!("cannot read {}: {e}", path.display()),
        )
    })
}

/// Whether `path` is a safe relative kit path: `/`-separated plain names, no `..`, no root,
/// no empty or hidden-dot-only parts, at most 255 bytes.
pub(crate) fn is_safe_kit_path(path: &str) -> bool {
    if path.is_empty() || path.len() > 255 || path.contains('\\') || path.contains('\0') {
        return false;
    }
    path.split('/').all(|part| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    }) && Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

/// A file-name-safe form of a title: ASCII letters, digits, `-` and `_`, at most 60 characters.
pub(crate) fn slug(title: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if out.len() >= 60 {
            break;
        }
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

/// Unix seconds now.
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A suffix unique to this process and moment, for staging folders.
pub(crate) fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}-{}-{nanos:08x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Removes a folder when dropped, unless disarmed: nothing half-made is left behind.
pub(crate) struct RemoveOnDrop {
    path: Option<std::path::PathBuf>,
}

impl RemoveOnDrop {
    pub(crate) fn new(path: std::path::PathBuf) -> Self {
        Self { path: Some(path) }
    }

    pub(crate) fn disarm(&mut self) {
        self.path = None;
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.path.take()
            && let Err(e) = std::fs::remove_dir_all(&path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %path.display(), error = %e, "could not remove a staging folder");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kit_paths_are_plain_and_relative() {
        for good in [
            "README.md",
            "works/12/media.car",
            "bundles/hallmark-token-12000001.zip",
            "abi/HallmarkWorks.json",
        ] {
            assert!(is_safe_kit_path(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "works/../../x",
            "works//media.car",
            "./x",
            "a\\b",
            "works/a b.car",
            "works/x\0",
            "C:/x",
        ] {
            assert!(!is_safe_kit_path(bad), "{bad}");
        }
        assert!(!is_safe_kit_path(&"a".repeat(256)));
    }

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Dawn over the bay", "w"), "Dawn-over-the-bay");
        assert_eq!(slug("  ../etc/passwd ", "w"), "etc-passwd");
        assert_eq!(slug("日の出", "work-3"), "work-3");
        assert!(slug(&"x".repeat(500), "w").len() <= 60);
    }

    #[test]
    fn nothing_selected_means_owned_and_created() {
        let all = KitSelection::default().resolved();
        assert!(all.owned && all.created);
        let one = KitSelection {
            tokens: vec![1_000_001],
            ..KitSelection::default()
        }
        .resolved();
        assert!(!one.owned && !one.created);
    }

    #[test]
    fn hex_is_normalised() {
        assert_eq!(plain_hex("0xABcd"), "abcd");
        assert_eq!(plain_hex("abcd"), "abcd");
    }
}
