//! The [`Catalog`] handle: opening and migrating the database, the checkpoint, applying pages
//! of events, rollback and replay, and recording fetched metadata.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use hallmark_sqlite::{MigrationError, Migrations};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use tracing::{debug, info, warn};

use crate::apply::{EventContext, derive, index_work, log_event, seq_of};
use crate::error::{CatalogError, CatalogResult};
use crate::event::{CatalogEvent, Page};
use crate::schema::{DERIVED_TABLES, SCHEMA};

/// Where the catalog is in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncState {
    /// The chain followed.
    pub chain_id: u64,
    /// The works contract (identifies the deployment).
    pub works_address: String,
    /// The first block indexed (the deployment block).
    pub start_block: u64,
    /// The first block not yet applied.
    pub next_block: u64,
    /// Hash of block `next_block - 1`, once any page was applied.
    pub last_hash: Option<String>,
}

impl SyncState {
    /// The last block applied, if any.
    pub fn synced_block(&self) -> Option<u64> {
        self.next_block
            .checked_sub(1)
            .filter(|_| self.last_hash.is_some())
    }
}

/// What a fetch of a work's metadata document (and thumbnail) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataFetch {
    /// Document and thumbnail retrieved and CID-verified.
    Available(WorkDetails),
    /// The document is fine but its media or thumbnail could not be retrieved; retried later.
    MediaUnavailable(WorkDetails, String),
    /// The document could not be retrieved; retried later.
    Unavailable(String),
    /// The document was retrieved but is not valid metadata; not retried until an ERC-4906 update.
    Invalid(String),
}

/// What the catalog keeps of a work's metadata document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkDetails {
    /// Title.
    pub title: String,
    /// Longer text.
    pub description: Option<String>,
    /// `(trait, value)` pairs.
    pub attributes: Vec<(String, String)>,
    /// Licence text.
    pub licence: Option<String>,
    /// CID of the media.
    pub media_cid: Option<String>,
    /// Media type.
    pub mime: Option<String>,
    /// `image`, `audio` or `video`.
    pub kind: Option<String>,
    /// CID of the picture to show (the `image` field).
    pub thumbnail_cid: Option<String>,
    /// The published perceptual hashes of an image work.
    pub perceptual: Option<PublishedHashes>,
}

/// The perceptual hashes a work's metadata publishes (hex text, as published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedHashes {
    /// PDQ, 64 hex digits.
    pub pdq: String,
    /// The other PDQ hashes the similarity index holds for the work (of the picture with its
    /// borders trimmed, of centred crops), 64 hex digits each.
    pub pdq_extra: Vec<String>,
    /// PDQ quality, 0..=100.
    pub pdq_quality: u8,
    /// pHash, 16 hex digits.
    pub phash: String,
}

/// The result of a rollback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rollback {
    /// The block the catalog now ends at.
    pub to_block: u64,
    /// Events removed.
    pub events_removed: u64,
    /// Events replayed into the derived tables.
    pub events_replayed: u64,
}

/// The local catalog database.
#[derive(Debug)]
pub struct Catalog {
    path: PathBuf,
    conn: Mutex<Connection>,
}

/// Seconds before retrying a failed fetch: 30 s doubling per attempt, at most an hour.
pub fn retry_delay(attempts: u32) -> Duration {
    let secs = 30u64.saturating_mul(1u64 << attempts.min(7));
    Duration::from_secs(secs.min(3600))
}

impl Catalog {
    /// Opens (creating and migrating) the catalog at `path`.
    pub fn open(path: &Path) -> CatalogResult<Self> {
        let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
        Self::setup(path, conn)
    }

    /// A catalog in memory (tests, benchmarks).
    pub fn open_in_memory() -> CatalogResult<Self> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| db_error(path, e))?;
        Self::setup(path, conn)
    }

    fn setup(path: &Path, conn: Connection) -> CatalogResult<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
            .and_then(|()| conn.busy_timeout(Duration::from_secs(5)))
            .map_err(|e| db_error(path, e))?;
        conn.set_prepared_statement_cache_capacity(64);
        let catalog = Self {
            path: path.to_owned(),
            conn: Mutex::new(conn),
        };
        catalog.migrate()?;
        Ok(catalog)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on the connection, mapping SQLite errors.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> CatalogResult<T> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut conn).map_err(|e| db_error(&self.path, e))
    }

    /// Runs `f` in one transaction, committed only if `f` succeeds.
    fn transaction<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> CatalogResult<T>,
    ) -> CatalogResult<T> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let tx = conn.transaction().map_err(|e| db_error(&self.path, e))?;
        let value = f(&tx)?;
        tx.commit().map_err(|e| db_error(&self.path, e))?;
        Ok(value)
    }

    /// The schema version in use.
    pub fn schema_version(&self) -> CatalogResult<usize> {
        self.with(|c| Migrations::version(c))
    }

    fn migrate(&self) -> CatalogResult<()> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let migrated = SCHEMA.apply(&mut conn).map_err(|e| match e {
            MigrationError::Newer { found, known } => CatalogError::NewerSchema {
                path: self.path.clone(),
                found,
                known,
            },
            MigrationError::Sqlite(e) => db_error(&self.path, e),
        })?;
        if migrated.from != migrated.to {
            info!(
                path = %self.path.display(),
                from = migrated.from,
                to = migrated.to,
                "catalog migrated"
            );
        }
        Ok(())
    }

    /// The checkpoint, or `None` before the first sync.
    pub fn sync_state(&self) -> CatalogResult<Option<SyncState>> {
        self.with(|c| {
            c.query_row(
                "SELECT chain_id, works_address, start_block, next_block, last_hash
                 FROM sync_state WHERE id = 1",
                [],
                |r| {
                    Ok(SyncState {
                        chain_id: r.get::<_, i64>(0)? as u64,
                        works_address: r.get(1)?,
                        start_block: r.get::<_, i64>(2)? as u64,
                        next_block: r.get::<_, i64>(3)? as u64,
                        last_hash: r.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Binds the catalog to a chain and deployment on first use; afterwards checks it is the same.
    pub fn init_sync(
        &self,
        chain_id: u64,
        works_address: &str,
        start_block: u64,
    ) -> CatalogResult<SyncState> {
        let works_address = works_address.to_ascii_lowercase();
        if let Some(state) = self.sync_state()? {
            if state.chain_id != chain_id || state.works_address != works_address {
                return Err(CatalogError::OtherChain {
                    found_chain: state.chain_id,
                    found_works: state.works_address,
                    chain: chain_id,
                    works: works_address,
                });
            }
            return Ok(state);
        }
        self.with(|c| {
            c.execute(
                "INSERT INTO sync_state (id, chain_id, works_address, start_block, next_block,
                     last_hash, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?3, NULL, strftime('%s','now'))",
                params![chain_id as i64, works_address, start_block as i64],
            )
        })?;
        self.sync_state()?.ok_or(CatalogError::NotInitialised)
    }

    /// Applies a page of events and moves the checkpoint to `page.to`, all in one transaction:
    /// after a crash the catalog holds either the whole page or none of it. Pages must arrive in
    /// order (`page.from` = the checkpoint's next block).
    pub fn apply_page(&self, page: &Page) -> CatalogResult<u64> {
        self.transaction(|tx| {
            let expected: Option<i64> = tx
                .query_row("SELECT next_block FROM sync_state WHERE id = 1", [], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(|e| db_error(&self.path, e))?;
            let expected = expected.ok_or(CatalogError::NotInitialised)? as u64;
            if page.from != expected || page.to < page.from {
                return Err(CatalogError::OutOfOrder {
                    expected,
                    got: page.from,
                });
            }
            let mut applied = 0u64;
            for block in &page.blocks {
                if block.number < page.from || block.number > page.to {
                    return Err(CatalogError::OutOfOrder {
                        expected,
                        got: block.number,
                    });
                }
                tx.prepare_cached(
                    "INSERT OR REPLACE INTO blocks (number, hash, timestamp) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        block.number as i64,
                        block.hash,
                        block.timestamp as i64
                    ])
                })
                .map_err(|e| db_error(&self.path, e))?;
                for logged in &block.events {
                    let seq = seq_of(block.number, logged.log_index).ok_or_else(|| {
                        CatalogError::InvalidQuery(format!(
                            "log index {} of block {} is out of range",
                            logged.log_index, block.number
                        ))
                    })?;
                    let ctx = EventContext {
                        seq,
                        block: block.number,
                        log_index: logged.log_index,
                        timestamp: block.timestamp,
                        tx_hash: &logged.tx_hash,
                    };
                    log_event(tx, &ctx, &logged.event)
                        .and_then(|()| derive(tx, &ctx, &logged.event, false))
                        .map_err(|e| db_error(&self.path, e))?;
                    applied += 1;
                }
            }
            tx.prepare_cached(
                "INSERT OR IGNORE INTO blocks (number, hash, timestamp)
                 VALUES (?1, ?2, COALESCE((SELECT timestamp FROM blocks WHERE number = ?1), 0))",
            )
            .and_then(|mut s| s.execute(params![page.to as i64, page.to_hash]))
            .and_then(|_| {
                tx.execute(
                    "UPDATE sync_state SET next_block = ?1, last_hash = ?2,
                         updated_at = strftime('%s','now') WHERE id = 1",
                    params![page.to as i64 + 1, page.to_hash],
                )
            })
            .map_err(|e| db_error(&self.path, e))?;
            debug!(
                from = page.from,
                to = page.to,
                events = applied,
                "page applied"
            );
            Ok(applied)
        })
    }

    /// Forgets everything: checkpoint, events, derived tables and fetched metadata (before a
    /// rebuild from the chain).
    pub fn clear(&self) -> CatalogResult<()> {
        self.transaction(|tx| {
            let mut tables = vec!["sync_state", "blocks", "events", "metadata"];
            tables.extend_from_slice(DERIVED_TABLES);
            for table in tables {
                tx.execute(&format!("DELETE FROM {table}"), [])
                    .map_err(|e| db_error(&self.path, e))?;
            }
            Ok(())
        })?;
        info!(path = %self.path.display(), "catalog cleared");
        Ok(())
    }

    /// Known blocks at or below `below`, newest first: the candidates for a fork point.
    pub fn known_blocks(&self, below: u64, limit: u32) -> CatalogResult<Vec<(u64, String)>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT number, hash FROM blocks WHERE number <= ?1 ORDER BY number DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![below as i64, limit], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
            })?;
            rows.collect()
        })
    }

    /// Forgets everything after block `block` (a fork point the catalog holds, or the block
    /// before the start block) and rebuilds the derived tables from the remaining log, in one
    /// transaction.
    pub fn rollback_to(&self, block: u64) -> CatalogResult<Rollback> {
        let state = self.sync_state()?.ok_or(CatalogError::NotInitialised)?;
        let hash: Option<String> = if block + 1 == state.start_block {
            None
        } else {
            let known: Option<String> = self.with(|c| {
                c.query_row(
                    "SELECT hash FROM blocks WHERE number = ?1",
                    params![block as i64],
                    |r| r.get(0),
                )
                .optional()
            })?;
            Some(known.ok_or(CatalogError::UnknownBlock { block })?)
        };
        let rollback = self.transaction(|tx| {
            let removed = tx
                .execute("DELETE FROM events WHERE block > ?1", params![block as i64])
                .and_then(|n| {
                    tx.execute(
                        "DELETE FROM blocks WHERE number > ?1",
                        params![block as i64],
                    )?;
                    tx.execute(
                        "UPDATE sync_state SET next_block = ?1, last_hash = ?2,
                             updated_at = strftime('%s','now') WHERE id = 1",
                        params![block as i64 + 1, hash],
                    )?;
                    Ok(n as u64)
                })
                .map_err(|e| db_error(&self.path, e))?;
            let replayed = self.replay_in(tx)?;
            Ok(Rollback {
                to_block: block,
                events_removed: removed,
                events_replayed: replayed,
            })
        })?;
        warn!(
            to_block = rollback.to_block,
            removed = rollback.events_removed,
            "catalog rolled back after a reorg"
        );
        Ok(rollback)
    }

    /// Rebuilds every derived table from the event log (one transaction).
    pub fn replay(&self) -> CatalogResult<u64> {
        self.transaction(|tx| self.replay_in(tx))
    }

    fn replay_in(&self, tx: &Transaction<'_>) -> CatalogResult<u64> {
        for table in DERIVED_TABLES {
            tx.execute(&format!("DELETE FROM {table}"), [])
                .map_err(|e| db_error(&self.path, e))?;
        }
        let mut stmt = tx
            .prepare(
                "SELECT e.seq, e.block, e.log_index, e.tx_hash, e.body, COALESCE(b.timestamp, 0)
                 FROM events e LEFT JOIN blocks b ON b.number = e.block ORDER BY e.seq",
            )
            .map_err(|e| db_error(&self.path, e))?;
        let mut rows = stmt.query([]).map_err(|e| db_error(&self.path, e))?;
        let mut count = 0u64;
        while let Some(row) = rows.next().map_err(|e| db_error(&self.path, e))? {
            let read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, i64, i64, String, String, i64)> {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
            };
            let (seq, block, log_index, tx_hash, body, timestamp) =
                read(row).map_err(|e| db_error(&self.path, e))?;
            let event: CatalogEvent =
                serde_json::from_str(&body).map_err(|e| CatalogError::CorruptEvent {
                    seq,
                    reason: e.to_string(),
                })?;
            let ctx = EventContext {
                seq,
                block: block as u64,
                log_index: log_index as u64,
                timestamp: timestamp as u64,
                tx_hash: &tx_hash,
            };
            derive(tx, &ctx, &event, true).map_err(|e| db_error(&self.path, e))?;
            count += 1;
        }
        Ok(count)
    }

    /// Metadata documents due for a (re)fetch at `now` (unix seconds): those waiting longest
    /// first, and among equals the newest works' first — what Explore shows on its first page,
    /// so a fresh member over a large consortium sees that page complete after one batch.
    pub fn due_metadata(&self, now: u64, limit: u32) -> CatalogResult<Vec<String>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT cid FROM metadata
                 WHERE status IN ('pending', 'unavailable') AND next_attempt_at <= ?1
                 ORDER BY next_attempt_at,
                          (SELECT MAX(work_id) FROM works WHERE works.metadata_cid = metadata.cid)
                          DESC,
                          cid
                 LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![now as i64, limit], |r| r.get(0))?;
            rows.collect()
        })
    }

    /// What the chain registered for works using the metadata document `cid`:
    /// `(metadata_hash, content_hash)` of the first such work (else of the first review request
    /// naming it, else of the first endorsement request), to check a fetched document against.
    pub fn registered_hashes(&self, cid: &str) -> CatalogResult<Option<(String, String)>> {
        self.with(|c| {
            c.query_row(
                "SELECT metadata_hash, content_hash FROM (
                     SELECT 0 AS src, work_id AS id, metadata_hash, content_hash FROM works
                     WHERE metadata_cid = ?1
                     UNION ALL
                     SELECT 1, request_id, metadata_hash, content_hash FROM reviews
                     WHERE metadata_cid = ?1
                     UNION ALL
                     SELECT 2, request_id, metadata_hash, content_hash FROM endorsements
                     WHERE metadata_cid = ?1)
                 ORDER BY src, id LIMIT 1",
                params![cid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
        })
    }

    /// Records the outcome of fetching the metadata document `cid` at `now`; updates every work
    /// that uses it (kind for browsing, attributes and full-text row).
    pub fn record_metadata(&self, cid: &str, fetch: &MetadataFetch, now: u64) -> CatalogResult<()> {
        self.transaction(|tx| {
            let attempts: i64 = tx
                .query_row(
                    "SELECT attempts FROM metadata WHERE cid = ?1",
                    params![cid],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| db_error(&self.path, e))?
                .unwrap_or(0);
            let retry_at = now + retry_delay(u32::try_from(attempts).unwrap_or(u32::MAX)).as_secs();
            let (status, details, error, next): (&str, Option<&WorkDetails>, Option<&str>, u64) =
                match fetch {
                    MetadataFetch::Available(d) => ("available", Some(d), None, 0),
                    MetadataFetch::MediaUnavailable(d, why) => {
                        ("unavailable", Some(d), Some(why.as_str()), retry_at)
                    }
                    MetadataFetch::Unavailable(why) => {
                        ("unavailable", None, Some(why.as_str()), retry_at)
                    }
                    MetadataFetch::Invalid(why) => ("invalid", None, Some(why.as_str()), 0),
                };
            let result = (|| -> rusqlite::Result<()> {
                tx.execute(
                    "INSERT OR IGNORE INTO metadata (cid, status) VALUES (?1, 'pending')",
                    params![cid],
                )?;
                tx.execute(
                    "UPDATE metadata SET status = ?2, attempts = attempts + 1, last_error = ?3,
                         next_attempt_at = ?4, fetched_at = ?5 WHERE cid = ?1",
                    params![cid, status, error, next as i64, now as i64],
                )?;
                if let Some(d) = details {
                    let attributes = serde_json::to_string(&d.attributes)
                        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                    tx.execute(
                        "UPDATE metadata SET title = ?2, description = ?3, attributes = ?4,
                             licence = ?5, media_cid = ?6, mime = ?7, kind = ?8, thumbnail_cid = ?9
                         WHERE cid = ?1",
                        params![
                            cid,
                            d.title,
                            d.description,
                            attributes,
                            d.licence,
                            d.media_cid,
                            d.mime,
                            d.kind,
                            d.thumbnail_cid
                        ],
                    )?;
                    let p = d.perceptual.as_ref();
                    tx.execute(
                        "UPDATE metadata SET pdq = ?2, pdq_quality = ?3, phash = ?4, pdq_extra = ?5
                         WHERE cid = ?1",
                        params![
                            cid,
                            p.map(|p| p.pdq.as_str()),
                            p.map(|p| p.pdq_quality),
                            p.map(|p| p.phash.as_str()),
                            p.map(|p| p.pdq_extra.join(" "))
                        ],
                    )?;
                    tx.execute(
                        "UPDATE tokens SET kind = ?2
                         WHERE work_id IN (SELECT work_id FROM works WHERE metadata_cid = ?1)",
                        params![cid, d.kind],
                    )?;
                    let work_ids: Vec<i64> = tx
                        .prepare("SELECT work_id FROM works WHERE metadata_cid = ?1")?
                        .query_map(params![cid], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    for work_id in work_ids {
                        index_work(tx, work_id)?;
                    }
                }
                Ok(())
            })();
            result.map_err(|e| db_error(&self.path, e))
        })
    }

    /// Moves the write-ahead log into the database file and truncates it.
    pub fn checkpoint_wal(&self) -> CatalogResult<()> {
        self.with(|c| c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())))
    }

    /// Merges the full-text index into one segment and refreshes the planner's statistics (the
    /// benchmark runs it before measuring; at 1 M listings it did not change query times).
    pub fn optimize(&self) -> CatalogResult<()> {
        self.with(|c| {
            c.execute("INSERT INTO works_fts(works_fts) VALUES ('optimize')", [])?;
            c.execute_batch("PRAGMA optimize")
        })
    }

    /// Works and tokens for sale: the two counts the app's sync status shows, without the full
    /// [`Catalog::stats`] (which also counts the whole event log).
    pub fn market_counts(&self) -> CatalogResult<(u64, u64)> {
        self.with(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM works),
                        (SELECT count(*) FROM tokens WHERE price IS NOT NULL)",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
        })
    }

    /// SQLite's own consistency check: `ok` when the file is sound.
    pub fn integrity_check(&self) -> CatalogResult<String> {
        self.with(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
    }

    /// A canonical text dump of everything derived from the chain (event log, checkpoint and
    /// derived tables), for comparing two catalogs: a rebuilt cache must equal a live-synced one.
    pub fn dump(&self) -> CatalogResult<String> {
        const QUERIES: &[&str] = &[
            "SELECT next_block, last_hash FROM sync_state",
            "SELECT seq, tx_hash, body FROM events ORDER BY seq",
            "SELECT * FROM works ORDER BY work_id",
            "SELECT * FROM tokens ORDER BY token_id",
            "SELECT * FROM licences ORDER BY offer_id",
            "SELECT * FROM members ORDER BY account, role",
            "SELECT * FROM settings ORDER BY key",
            "SELECT * FROM work_attributes ORDER BY work_id, trait, value",
            "SELECT rowid FROM works_fts ORDER BY rowid",
            "SELECT * FROM reviews ORDER BY request_id",
        ];
        self.with(|c| {
            let mut out = String::new();
            for query in QUERIES {
                out.push_str(query);
                out.push('\n');
                let mut stmt = c.prepare(query)?;
                let columns = stmt.column_count();
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    for i in 0..columns {
                        let value: rusqlite::types::Value = row.get(i)?;
                        out.push_str(&format!("{value:?}\t"));
                    }
                    out.push('\n');
                }
            }
            Ok(out)
        })
    }
}

pub(crate) fn db_error(path: &Path, e: impl std::fmt::Display) -> CatalogError {
    CatalogError::Database {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}
