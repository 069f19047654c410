//! Ingesting files into the local library, and serving its media (`media://`).

use serde::{Deserialize, Serialize};

/// The URL scheme of verified media: `media://localhost/<cid>` on Linux.
pub const MEDIA_SCHEME: &str = "media";

/// The `media://` URL of a CID.
pub fn media_url(cid: &str) -> String {
    format!("{MEDIA_SCHEME}://localhost/{cid}")
}

/// Ingest a media file from the local disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestRequest {
    /// The file, as the user chose it (dialog or drop).
    pub file: crate::FileToken,
}

/// What ingest found out about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// The library entry (now stored and pinned locally).
    pub item: LibraryItem,
    /// Milliseconds the ingest took.
    pub ingest_ms: u64,
    /// Other library entries with the same bytes under another name (exact copies).
    pub exact_copies: Vec<LibraryItem>,
}

/// A progress report of a running ingest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestProgress {
    /// `hashing`, `storing` or `done`.
    pub stage: IngestStage,
    /// Bytes done.
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
}

/// A work in the local library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryItem {
    /// CIDv1 of the exact bytes (Hallmark's canonical content address).
    pub cid: String,
    /// The CIDv0 `ipfs add` prints for the same bytes.
    pub cid_v0: String,
    /// sha-256 of the exact bytes, hex.
    pub sha256: String,
    /// The file name when ingested.
    pub file_name: String,
    /// MIME type sniffed from the bytes.
    pub mime: String,
    /// `image`, `audio` or `video`.
    pub kind: MediaKind,
    /// Size in bytes.
    pub size: u64,
    /// Pixel width, when known.
    pub width: Option<u32>,
    /// Pixel height, when known.
    pub height: Option<u32>,
    /// Duration in milliseconds, for audio and video.
    pub duration_ms: Option<u64>,
    /// CID of the thumbnail, for images.
    pub thumbnail_cid: Option<String>,
    /// CID of the preview, for images.
    pub preview_cid: Option<String>,
    /// When it was first ingested (unix seconds).
    pub added_at: i64,
}

/// A page of the library.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LibraryPageRequest {
    /// Page size (1..=500).
    pub limit: u32,
    /// The CID of the last item of the previous page.
    pub after: Option<String>,
}

/// Items of the library, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryPage {
    /// The items.
    pub items: Vec<LibraryItem>,
    /// Whether another page may follow.
    pub more: bool,
}

hallmark_domain::wire_enum! {
    /// The stage a running ingest reached.
    pub enum IngestStage {
        /// Reading the file once: sha-256, CIDs, blocks into the store.
        Hashing = "hashing",
        /// Adding derivatives and pinning.
        Storing = "storing",
        /// Finished.
        Done = "done",
    }
}

hallmark_domain::wire_enum! {
    /// The broad kind of a media file.
    pub enum MediaKind {
        /// A still or animated picture.
        Image = "image",
        /// Sound only.
        Audio = "audio",
        /// Moving pictures, usually with sound.
        Video = "video",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_urls() {
        assert_eq!(media_url("bafk"), "media://localhost/bafk");
    }

    #[test]
    fn kinds_and_stages_keep_their_wire_names() {
        let json = serde_json::to_string(&IngestProgress {
            stage: IngestStage::Storing,
            done: 1,
            total: 2,
        })
        .expect("json");
        assert_eq!(json, r#"{"stage":"storing","done":1,"total":2}"#);
        let kinds: Vec<&str> = MediaKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds, ["image", "audio", "video"]);
    }
}
