//! Copy checks before a mint, verification of files and evidence bundles, and proof export.

use serde::{Deserialize, Serialize};

/// A file the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRequest {
    /// The file, as the user chose it (dialog or drop).
    pub file: crate::FileToken,
}

/// A registered work that a file matches or resembles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedWork {
    /// The work.
    pub work_id: u64,
    /// Its title, once known.
    pub title: Option<String>,
    /// Its creator.
    pub creator: String,
    /// When it was registered (unix seconds).
    pub registered_at: u64,
    /// Its picture.
    pub thumbnail_cid: Option<String>,
    /// PDQ distance (of 256 bits) for a near copy; `None` for the exact bytes.
    pub distance: Option<u32>,
    /// Which rotation/reflection matched (`original`, `rotate90`, `flip_y` …).
    pub transform: Option<Transform>,
}

/// The copy check of a file before it is minted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyCheckReport {
    /// sha-256 of the file.
    pub sha256: String,
    /// The work already registered with these exact bytes (the chain refuses a second one).
    pub exact: Option<MatchedWork>,
    /// Near copies, closest first: minting sends the work to the review queue.
    pub near: Vec<MatchedWork>,
    /// PDQ quality of the image or video keyframe (0..=100), `None` for audio.
    pub quality: Option<u8>,
    /// Largest distance that counts as a near copy.
    pub max_distance: u32,
    /// Smallest quality for the perceptual check to count.
    pub min_quality: u8,
    /// Registered works compared.
    pub compared: u64,
    /// Why a video's appearance could not be compared with registered works (only its exact
    /// bytes were): registering it is refused (`media.unchecked`).
    #[serde(default)]
    pub unchecked: Option<String>,
}

/// Verify a file: an evidence bundle (`.zip`) or a media file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyRequest {
    /// The bundle or media file, as the user chose it (dialog or drop).
    pub file: crate::FileToken,
    /// For a bundle: the challenge the statement must carry (a decimal number).
    pub challenge: Option<String>,
}

/// One check of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLine {
    /// Stable id, e.g. `media.sha256`.
    pub id: String,
    /// What was checked.
    pub title: String,
    /// `pass`, `fail` or `skip`.
    pub status: CheckStatus,
    /// Why.
    pub detail: String,
}

/// A bundle's verification report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleReport {
    /// Verified against the consortium's own chain ([`BundleConclusion::Verified`]): the only
    /// case the app shows as verified.
    pub verified: bool,
    /// What the checks conclude.
    pub conclusion: BundleConclusion,
    /// The consortium the bundle was checked against (this data folder's), when one is known.
    pub consortium: Option<String>,
    /// The work's title.
    pub title: Option<String>,
    /// The token.
    pub token_id: Option<String>,
    /// The holder the bundle names.
    pub holder: Option<String>,
    /// The creator.
    pub creator: Option<String>,
    /// Registration time (unix seconds).
    pub registered_at: Option<u64>,
    /// sha-256 of the bundle file.
    pub bundle_sha256: Option<String>,
    /// The checks, in order.
    pub checks: Vec<CheckLine>,
}

/// Who registered a media file, and what it resembles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// sha-256 of the file.
    pub sha256: String,
    /// The registered work with these exact bytes.
    pub exact: Option<MatchedWork>,
    /// Its issuer.
    pub issuer: Option<String>,
    /// Its registration block and transaction.
    pub registration: Option<(u64, String)>,
    /// `(token id, holder)` of its editions.
    pub holders: Vec<(u64, String)>,
    /// Near copies among registered works.
    pub near: Vec<MatchedWork>,
    /// PDQ quality of the file's image.
    pub quality: Option<u8>,
    /// Why only the exact check ran, if so.
    pub note: Option<String>,
}

/// What [`Verify`](crate::commands::Verify) found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VerifyOutcome {
    /// The file was an evidence bundle.
    Bundle(BundleReport),
    /// The file was media.
    File(FileReport),
}

/// Export the evidence bundle and certificate of a token the active account holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportProofRequest {
    /// The token id (decimal).
    pub token_id: String,
}

/// Where the proof was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportProofReport {
    /// The evidence bundle (.zip).
    pub bundle_path: String,
    /// The certificate (.pdf).
    pub certificate_path: String,
    /// sha-256 of the bundle (the certificate's QR code).
    pub sha256: String,
    /// Bundle size in bytes.
    pub bytes: u64,
}

hallmark_domain::wire_enum! {
    /// The rotation or reflection under which a near copy matched (PDQ's eight dihedral forms).
    pub enum Transform {
        /// The image as it is.
        Original = "original",
        /// Turned a quarter.
        Rotate90 = "rotate90",
        /// Turned half.
        Rotate180 = "rotate180",
        /// Turned three quarters.
        Rotate270 = "rotate270",
        /// Upside down (rows reversed).
        FlipX = "flip_x",
        /// Mirrored (columns reversed).
        FlipY = "flip_y",
        /// Transposed (mirrored about the main diagonal).
        FlipPlus1 = "flip_plus1",
        /// Anti-transposed.
        FlipMinus1 = "flip_minus1",
    }
}

hallmark_domain::wire_enum! {
    /// What a bundle's checks conclude, strongest first.
    pub enum BundleConclusion {
        /// Every check passed, the bundle names the consortium's deployment and was checked
        /// against the consortium's own chain.
        Verified = "verified",
        /// As verified, except for checks the consortium's node could not answer because it keeps
        /// no state for an old block (their lines say which): nothing is false, but the bundle is
        /// not fully verified until an archive node answers them.
        PartlyVerified = "partly_verified",
        /// No check failed, but the bundle was not checked against the consortium's chain.
        Consistent = "consistent",
        /// The bundle (or the node it was checked against) is of another deployment or chain.
        NotThisConsortium = "not_this_consortium",
        /// A check failed: do not trust the bundle.
        Failed = "failed",
    }
}

hallmark_domain::wire_enum! {
    /// The outcome of one check of a bundle.
    pub enum CheckStatus {
        /// Checked and true.
        Pass = "pass",
        /// Checked and false: the bundle must not be trusted.
        Fail = "fail",
        /// Not checkable here.
        Skip = "skip",
        /// Asked, but the node could not answer (it keeps no state for an old block): neither
        /// true nor false.
        Unanswered = "unanswered",
    }
}
