//! The mint journal: one JSON file per unfinished mint in `<data>/jobs/`, named by the content's
//! sha-256 and written atomically at each step, so a mint killed at any point is finished or
//! resumed later — never registered twice and never paid for twice.
//!
//! Steps: `prepared` (the file is ingested and unregistered; the request is kept so a resume can
//! run it again) → `signed` (the registration transaction's exact signed bytes, kept *before*
//! they are sent) → the file is removed once the receipt is in. Resuming a `signed` mint sends
//! the same bytes again, which the chain can mine at most once.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use hallmark_chain::{Address, SignedTx};
use hallmark_domain::ErrorCode;
use serde::{Deserialize, Serialize};
use tracing::warn;

use crate::error::EngineError;
use crate::fsutil::write_atomically;
use crate::mint_request::MintRequest;

/// The journal's folder inside the data folder.
pub const JOBS_DIR: &str = "jobs";
/// The journal file format.
const FORMAT: u32 = 1;
/// A journal file is a few kilobytes; anything far larger is not one of ours.
const MAX_RECORD_BYTES: u64 = 1 << 20;

/// What an unfinished mint had done when it stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum MintStep {
    /// Ingested and checked; nothing was signed. A resume runs the mint again.
    Prepared,
    /// The registration transaction was signed (and perhaps sent). A resume sends the same
    /// bytes again or finds them mined.
    Signed {
        /// The metadata document the transaction registers.
        metadata_cid: String,
        /// sha-256 of that document (hex).
        metadata_sha256: String,
        /// The signed transaction.
        tx: SignedTx,
        /// The issuer's endorsement it mints with (an artist's mint); `None`: an issuer's own
        /// registration.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        endorsed: Option<Box<EndorsedMint>>,
    },
}

/// The approved endorsement an artist's journalled mint uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndorsedMint {
    /// The endorsement request.
    pub request_id: u64,
    /// The issuer's voucher.
    pub voucher: hallmark_chain::MintVoucher,
    /// The issuer's signature of it.
    pub signature: hallmark_chain::Bytes,
}

/// One unfinished mint, as kept on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MintRecord {
    /// The file format.
    pub format: u32,
    /// sha-256 of the media (hex): the record's name and the on-chain content hash.
    pub content_sha256: String,
    /// CIDv1 of the media.
    pub media_cid: String,
    /// The account that signs the registration.
    pub creator: Address,
    /// What the artist asked for.
    pub request: MintRequest,
    /// How far it got.
    #[serde(flatten)]
    pub step: MintStep,
    /// Unix seconds of the last step.
    pub updated_at: u64,
}

impl MintRecord {
    /// A record at `step`, stamped now.
    pub(crate) fn new(
        content_sha256: &str,
        media_cid: &str,
        creator: Address,
        request: &MintRequest,
        step: MintStep,
    ) -> Self {
        let mut request = request.clone();
        // A resume may run from another working folder.
        if let Ok(absolute) = std::path::absolute(&request.path) {
            request.path = absolute;
        }
        Self {
            format: FORMAT,
            content_sha256: content_sha256.to_owned(),
            media_cid: media_cid.to_owned(),
            creator,
            request,
            step,
            updated_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default(),
        }
    }
}

/// An unfinished mint, as listed for the user.
#[derive(Debug, Clone, Serialize)]
pub struct UnfinishedMint {
    /// sha-256 of the media (hex): what `resume` and `discard` take.
    pub content_sha256: String,
    /// The title asked for.
    pub name: String,
    /// The media file.
    #[serde(serialize_with = "hallmark_domain::paths::lossy")]
    pub path: PathBuf,
    /// The signing account.
    pub creator: String,
    /// `prepared` or `signed`.
    pub step: &'static str,
    /// The kept transaction, once signed.
    pub tx_hash: Option<String>,
    /// Unix seconds of the last step.
    pub updated_at: u64,
}

impl From<&MintRecord> for UnfinishedMint {
    fn from(record: &MintRecord) -> Self {
        let (step, tx_hash) = match &record.step {
            MintStep::Prepared => ("prepared", None),
            MintStep::Signed { tx, .. } => ("signed", Some(format!("{:#x}", tx.hash))),
        };
        Self {
            content_sha256: record.content_sha256.clone(),
            name: record.request.name.clone(),
            path: record.request.path.clone(),
            creator: format!("{:#x}", record.creator),
            step,
            tx_hash,
            updated_at: record.updated_at,
        }
    }
}

/// The journal folder of a data folder.
#[derive(Debug, Clone)]
pub(crate) struct Journal {
    dir: PathBuf,
}

fn journal_error(reason: String) -> EngineError {
    EngineError::Journal {
        code: ErrorCode::MintJournal,
        reason,
    }
}

/// Whether `text` names a mint as the journal does: a content sha-256 in 64 lowercase hex
/// digits.
pub fn is_content_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A content hash as the journal names files: 64 lowercase hex digits.
fn checked_sha(content_sha256: &str) -> Result<&str, EngineError> {
    if is_content_sha256(content_sha256) {
        Ok(content_sha256)
    } else {
        Err(EngineError::NotFound {
            what: format!("mint {content_sha256:?}"),
            reason: "name an unfinished mint by its content sha-256 (64 hex digits, see `hallmark jobs`)".to_owned(),
        })
    }
}

impl Journal {
    /// The journal of the data folder `data_dir`.
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join(JOBS_DIR),
        }
    }

    fn path(&self, content_sha256: &str) -> Result<PathBuf, EngineError> {
        Ok(self
            .dir
            .join(format!("mint-{}.json", checked_sha(content_sha256)?)))
    }

    /// The record of `content_sha256`, if a mint of it is unfinished.
    pub(crate) fn load(&self, content_sha256: &str) -> Result<Option<MintRecord>, EngineError> {
        let path = self.path(content_sha256)?;
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(journal_error(format!(
                    "the mint journal {} cannot be read: {e}",
                    path.display()
                )));
            }
            Ok(meta) if meta.len() > MAX_RECORD_BYTES => {
                return Err(journal_error(format!(
                    "the mint journal {} is {} bytes, not a journal record",
                    path.display(),
                    meta.len()
                )));
            }
            Ok(_) => {}
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            journal_error(format!(
                "the mint journal {} cannot be read: {e}",
                path.display()
            ))
        })?;
        let record: MintRecord = serde_json::from_slice(&bytes).map_err(|e| {
            journal_error(format!(
                "the mint journal {} is damaged ({e}); move it away to start the mint again",
                path.display()
            ))
        })?;
        if record.format != FORMAT || record.content_sha256 != content_sha256 {
            return Err(journal_error(format!(
                "the mint journal {} is not a format {FORMAT} record of this content",
                path.display()
            )));
        }
        Ok(Some(record))
    }

    /// Writes `record` atomically (the old record or the new one, never half of either).
    pub(crate) fn save(&self, record: &MintRecord) -> Result<(), EngineError> {
        let path = self.path(&record.content_sha256)?;
        let bytes = serde_json::to_vec_pretty(record)
            .map_err(|e| journal_error(format!("the mint journal cannot be written: {e}")))?;
        write_atomically(&path, &bytes).map_err(|e| EngineError::DataDir {
            path: path.clone(),
            reason: format!("the mint journal cannot be written: {e}"),
        })
    }

    /// Removes the record of a finished (or abandoned) mint.
    pub(crate) fn remove(&self, content_sha256: &str) -> Result<(), EngineError> {
        let path = self.path(content_sha256)?;
        match std::fs::remove_file(&path) {
            Ok(()) => {
                if let Ok(dir) = std::fs::File::open(&self.dir) {
                    let _ = dir.sync_all();
                }
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(EngineError::DataDir {
                path,
                reason: format!("the finished mint's journal cannot be removed: {e}"),
            }),
        }
    }

    /// Every unfinished mint, oldest first. A record that cannot be read is logged and left
    /// in place (never deleted: it may hold a signed transaction).
    pub(crate) fn list(&self) -> Result<Vec<MintRecord>, EngineError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(journal_error(format!(
                    "the mint journal folder {} cannot be read: {e}",
                    self.dir.display()
                )));
            }
        };
        let mut records = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(sha) = name
                .strip_prefix("mint-")
                .and_then(|rest| rest.strip_suffix(".json"))
            else {
                continue;
            };
            match self.load(sha) {
                Ok(Some(record)) => records.push(record),
                Ok(None) => {}
                Err(e) => {
                    warn!(file = %name, error = %e, "unreadable mint journal record left in place")
                }
            }
        }
        records.sort_by(|a, b| {
            (a.updated_at, &a.content_sha256).cmp(&(b.updated_at, &b.content_sha256))
        });
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hallmark_chain::{B256, Bytes};

    fn request() -> MintRequest {
        MintRequest {
            path: PathBuf::from("/art/dawn.png"),
            name: "Dawn".to_owned(),
            licence: "CC BY 4.0".to_owned(),
            editions: 3,
            royalty_bps: 500,
            attributes: vec![("Medium".to_owned(), "Oil".to_owned())],
            ..Default::default()
        }
    }

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn records_round_trip_and_are_removed() {
        let dir = tempfile::tempdir().expect("tmp");
        let journal = Journal::new(dir.path());
        assert!(journal.load(SHA).expect("load").is_none());
        assert!(journal.list().expect("list").is_empty());

        let creator = Address::repeat_byte(7);
        journal
            .save(&MintRecord::new(
                SHA,
                "bafy",
                creator,
                &request(),
                MintStep::Prepared,
            ))
            .expect("save");
        let tx = SignedTx {
            hash: B256::repeat_byte(1),
            from: creator,
            nonce: 4,
            raw: Bytes::from(vec![2, 0xf8, 1]),
        };
        let signed = MintStep::Signed {
            metadata_cid: "bafymeta".to_owned(),
            metadata_sha256: "00".repeat(32),
            tx: tx.clone(),
            endorsed: None,
        };
        journal
            .save(&MintRecord::new(
                SHA,
                "bafy",
                creator,
                &request(),
                signed.clone(),
            ))
            .expect("save");
        let record = journal.load(SHA).expect("load").expect("present");
        assert_eq!(record.step, signed);
        assert_eq!(record.request.attributes, request().attributes);
        let listed = journal.list().expect("list");
        assert_eq!(listed.len(), 1);
        let shown = UnfinishedMint::from(&listed[0]);
        assert_eq!(shown.step, "signed");
        assert_eq!(shown.tx_hash.as_deref(), Some(&*format!("{:#x}", tx.hash)));

        journal.remove(SHA).expect("remove");
        journal.remove(SHA).expect("removing twice is fine");
        assert!(journal.load(SHA).expect("load").is_none());
    }

    #[test]
    fn refuses_names_that_are_not_content_hashes() {
        let dir = tempfile::tempdir().expect("tmp");
        let journal = Journal::new(dir.path());
        for bad in ["", "../../etc/passwd", &SHA.to_uppercase(), &SHA[..63]] {
            assert_eq!(
                journal.load(bad).expect_err("refused").code(),
                "not_found",
                "{bad}"
            );
        }
    }

    #[test]
    fn damaged_records_are_reported_and_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let journal = Journal::new(dir.path());
        std::fs::create_dir_all(dir.path().join(JOBS_DIR)).expect("dir");
        let path = dir.path().join(JOBS_DIR).join(format!("mint-{SHA}.json"));
        std::fs::write(&path, b"{\"format\": 1, \"content_sha").expect("write");
        let err = journal.load(SHA).expect_err("damaged");
        assert_eq!(err.code(), "mint.journal");
        assert!(err.to_string().contains("damaged"), "{err}");
        assert!(journal.list().expect("list").is_empty());
        assert!(path.exists(), "a damaged record is never deleted");
    }
}
