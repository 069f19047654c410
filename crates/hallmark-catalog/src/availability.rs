//! What availability checks and metadata refreshes need from the catalog: the works an account
//! created or holds, a work's metadata fetch state, and asking for a work's metadata to be
//! fetched again (what an ERC-4906 `MetadataUpdate` does, on demand).

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::error::CatalogResult;

/// A work an account created or holds an edition of, with what the chain registered for it and
/// what the catalog learned from its metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountWork {
    /// Work id.
    pub work_id: u64,
    /// The account created it.
    pub created: bool,
    /// Editions of it the account holds.
    pub held_editions: u32,
    /// Title, once the metadata was fetched.
    pub title: Option<String>,
    /// sha-256 of the media as registered (`0x…`).
    pub content_hash: String,
    /// The metadata document's CID as registered.
    pub metadata_cid: String,
    /// sha-256 of the metadata document as registered (`0x…`).
    pub metadata_hash: String,
    /// The media CID named by the fetched metadata.
    pub media_cid: Option<String>,
    /// The thumbnail CID named by the fetched metadata.
    pub thumbnail_cid: Option<String>,
}

/// The fetch state of one metadata document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetadataRecord {
    /// The document's CID.
    pub cid: String,
    /// `pending`, `available`, `unavailable` or `invalid`.
    pub status: String,
    /// Fetches since it was first seen or last refreshed.
    pub attempts: u32,
    /// When it was last fetched (unix seconds), if ever.
    pub fetched_at: Option<u64>,
    /// When it is due again (unix seconds; 0 = now).
    pub next_attempt_at: u64,
    /// Why the last fetch failed.
    pub last_error: Option<String>,
}

fn key(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

impl Catalog {
    /// Every work `account` (an address, any case) created or holds an edition of, by work id.
    pub fn works_of_account(&self, account: &str) -> CatalogResult<Vec<AccountWork>> {
        let account = account.trim().to_ascii_lowercase();
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT w.work_id, w.creator = ?1,
                        (SELECT count(*) FROM tokens t WHERE t.work_id = w.work_id AND t.owner = ?1),
                        m.title, w.content_hash, w.metadata_cid, w.metadata_hash, m.media_cid,
                        m.thumbnail_cid
                 FROM works w LEFT JOIN metadata m ON m.cid = w.metadata_cid
                 WHERE w.creator = ?1
                    OR w.work_id IN (SELECT work_id FROM tokens WHERE owner = ?1)
                 ORDER BY w.work_id",
            )?;
            let rows = stmt.query_map(params![account], |r| {
                Ok(AccountWork {
                    work_id: r.get::<_, i64>(0)? as u64,
                    created: r.get(1)?,
                    held_editions: r.get(2)?,
                    title: r.get(3)?,
                    content_hash: r.get(4)?,
                    metadata_cid: r.get(5)?,
                    metadata_hash: r.get(6)?,
                    media_cid: r.get(7)?,
                    thumbnail_cid: r.get(8)?,
                })
            })?;
            rows.collect()
        })
    }

    /// One work as [`Catalog::works_of_account`] describes it (`created` and `held_editions`
    /// relative to nobody: false and 0), or `None` if the catalog does not know it.
    pub fn account_work(&self, work_id: u64) -> CatalogResult<Option<AccountWork>> {
        self.with(|c| {
            c.query_row(
                "SELECT w.work_id, m.title, w.content_hash, w.metadata_cid, w.metadata_hash,
                        m.media_cid, m.thumbnail_cid
                 FROM works w LEFT JOIN metadata m ON m.cid = w.metadata_cid
                 WHERE w.work_id = ?1",
                params![key(work_id)],
                |r| {
                    Ok(AccountWork {
                        work_id: r.get::<_, i64>(0)? as u64,
                        created: false,
                        held_editions: 0,
                        title: r.get(1)?,
                        content_hash: r.get(2)?,
                        metadata_cid: r.get(3)?,
                        metadata_hash: r.get(4)?,
                        media_cid: r.get(5)?,
                        thumbnail_cid: r.get(6)?,
                    })
                },
            )
            .optional()
        })
    }

    /// The fetch state of the metadata document `cid`, if the catalog knows it.
    pub fn metadata_record(&self, cid: &str) -> CatalogResult<Option<MetadataRecord>> {
        self.with(|c| {
            c.query_row(
                "SELECT cid, status, attempts, fetched_at, next_attempt_at, last_error
                 FROM metadata WHERE cid = ?1",
                params![cid],
                |r| {
                    Ok(MetadataRecord {
                        cid: r.get(0)?,
                        status: r.get(1)?,
                        attempts: r.get(2)?,
                        fetched_at: r.get::<_, Option<i64>>(3)?.map(|t| t as u64),
                        next_attempt_at: r.get::<_, i64>(4)? as u64,
                        last_error: r.get(5)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Marks the metadata document of `work_id` as due for a fetch now, whatever its state (what
    /// an ERC-4906 `MetadataUpdate` of the work does). Returns the document's CID, or `None` if
    /// the catalog does not know the work.
    pub fn request_metadata_refresh(&self, work_id: u64) -> CatalogResult<Option<String>> {
        self.with(|c| {
            let cid: Option<String> = c
                .query_row(
                    "SELECT metadata_cid FROM works WHERE work_id = ?1",
                    params![key(work_id)],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(cid) = &cid {
                c.execute(
                    "INSERT OR IGNORE INTO metadata (cid, status) VALUES (?1, 'pending')",
                    params![cid],
                )?;
                c.execute(
                    "UPDATE metadata SET status = 'pending', next_attempt_at = 0, attempts = 0
                     WHERE cid = ?1",
                    params![cid],
                )?;
            }
            Ok(cid)
        })
    }
}
