//! The local library: every work this installation ingested, in SQLite (`hallmark.sqlite` in the
//! data folder, WAL mode). Migrations are versioned in code with `PRAGMA user_version` and only
//! ever move forward (the `hallmark-sqlite` mechanism the catalog uses too). All SQL uses bound
//! parameters.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use hallmark_media::Ingested;
use hallmark_sqlite::{MigrationError, Migrations};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::error::EngineError;

/// The library's schema, applied by [`Library::open`].
const SCHEMA: Migrations = Migrations::new(MIGRATIONS);

/// The schema, one entry per version; entry `i` moves the database from version `i` to `i + 1`
/// (released entries are never edited: a change is a new entry at the end).
const MIGRATIONS: &[&str] = &[
    // 1: ingested works and their derivatives
    "CREATE TABLE library_items (
        cid           TEXT PRIMARY KEY,
        cid_v0        TEXT NOT NULL,
        sha256        TEXT NOT NULL,
        file_name     TEXT NOT NULL,
        mime          TEXT NOT NULL,
        kind          TEXT NOT NULL,
        size          INTEGER NOT NULL,
        width         INTEGER,
        height        INTEGER,
        duration_ms   INTEGER,
        thumbnail_cid TEXT,
        thumbnail_mime TEXT,
        preview_cid   TEXT,
        preview_mime  TEXT,
        added_at      INTEGER NOT NULL
    );
    CREATE INDEX library_items_sha256 ON library_items(sha256);
    CREATE INDEX library_items_added ON library_items(added_at DESC, cid);",
    // 2: availability health: per work and backend (the local store, each pinning service), the
    // last check and when the work was last verified OK there (see health.rs)
    "CREATE TABLE availability (
        work_id      INTEGER NOT NULL,
        backend      TEXT NOT NULL,
        metadata_cid TEXT NOT NULL,
        status       TEXT NOT NULL,
        detail       TEXT,
        checked_at   INTEGER NOT NULL,
        verified_at  INTEGER,
        PRIMARY KEY (work_id, backend)
    ) WITHOUT ROWID;",
];

/// One ingested work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryItem {
    /// CIDv1 (raw leaves) of the exact bytes.
    pub cid: String,
    /// The CIDv0 `ipfs add` prints.
    pub cid_v0: String,
    /// sha-256 of the exact bytes, hex.
    pub sha256: String,
    /// The file's name when ingested.
    pub file_name: String,
    /// MIME type sniffed from the bytes.
    pub mime: String,
    /// `image`, `audio` or `video`.
    pub kind: String,
    /// Size in bytes.
    pub size: u64,
    /// Pixel width, for images and videos whose header says.
    pub width: Option<u32>,
    /// Pixel height.
    pub height: Option<u32>,
    /// Duration, for audio and video.
    pub duration_ms: Option<u64>,
    /// CID of the thumbnail, for images.
    pub thumbnail_cid: Option<String>,
    /// CID of the preview, for images.
    pub preview_cid: Option<String>,
    /// When it was first ingested (unix seconds).
    pub added_at: i64,
}

/// The library database.
#[derive(Debug)]
pub struct Library {
    path: PathBuf,
    conn: Mutex<Connection>,
}

fn db_error(path: &Path, e: impl std::fmt::Display) -> EngineError {
    EngineError::Database {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

impl Library {
    /// Opens (creating and migrating) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, EngineError> {
        let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|()| conn.busy_timeout(std::time::Duration::from_secs(5)))
            .map_err(|e| db_error(path, e))?;
        let library = Self {
            path: path.to_owned(),
            conn: Mutex::new(conn),
        };
        library.migrate()?;
        Ok(library)
    }

    /// SQLite's own consistency check: `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, EngineError> {
        self.with(|conn| conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
    }

    /// The schema version in use.
    pub fn schema_version(&self) -> Result<usize, EngineError> {
        self.with(|conn| Migrations::version(conn))
    }

    fn migrate(&self) -> Result<(), EngineError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| db_error(&self.path, "a previous query panicked"))?;
        let migrated = SCHEMA.apply(&mut conn).map_err(|e| match e {
            MigrationError::Newer { found, known } => db_error(
                &self.path,
                format!(
                    "it was written by a newer Hallmark (schema {found}, this one knows {known})"
                ),
            ),
            MigrationError::Sqlite(e) => db_error(&self.path, e),
        })?;
        if migrated.from != migrated.to {
            tracing::info!(
                from = migrated.from,
                to = migrated.to,
                "library schema migrated"
            );
        }
        Ok(())
    }

    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, EngineError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| db_error(&self.path, "a previous query panicked"))?;
        f(&mut conn).map_err(|e| db_error(&self.path, e))
    }

    /// Records an ingested work (again: refreshes its details, keeps its first `added_at`).
    pub fn record(&self, ingested: &Ingested) -> Result<LibraryItem, EngineError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let cid = ingested.cid_v1.to_string();
        self.with(|conn| {
            conn.execute(
                "INSERT INTO library_items (cid, cid_v0, sha256, file_name, mime, kind, size, width,
                    height, duration_ms, thumbnail_cid, thumbnail_mime, preview_cid, preview_mime,
                    added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT(cid) DO UPDATE SET file_name = excluded.file_name,
                    thumbnail_cid = excluded.thumbnail_cid, thumbnail_mime = excluded.thumbnail_mime,
                    preview_cid = excluded.preview_cid, preview_mime = excluded.preview_mime",
                params![
                    cid,
                    ingested.cid_v0.to_string(),
                    ingested.sha256,
                    ingested.file_name,
                    ingested.mime,
                    ingested.kind.to_string(),
                    ingested.size as i64,
                    ingested.width,
                    ingested.height,
                    ingested.duration_ms.map(|d| d as i64),
                    ingested.thumbnail.as_ref().map(|t| t.cid.to_string()),
                    ingested.thumbnail.as_ref().map(|t| t.mime.clone()),
                    ingested.preview.as_ref().map(|t| t.cid.to_string()),
                    ingested.preview.as_ref().map(|t| t.mime.clone()),
                    now,
                ],
            )
        })?;
        self.get(&cid)?
            .ok_or_else(|| db_error(&self.path, "the row just written is missing"))
    }

    /// One work by its CIDv1.
    pub fn get(&self, cid: &str) -> Result<Option<LibraryItem>, EngineError> {
        self.with(|conn| {
            conn.query_row(
                &format!("SELECT {COLUMNS} FROM library_items WHERE cid = ?1"),
                [cid],
                row_to_item,
            )
            .optional()
        })
    }

    /// Works, newest first, `limit` at a time; pass the last item of a page to get the next.
    pub fn list(
        &self,
        limit: usize,
        after: Option<&LibraryItem>,
    ) -> Result<Vec<LibraryItem>, EngineError> {
        let limit = limit.clamp(1, 500) as i64;
        self.with(|conn| {
            let (added, cid) = after
                .map(|a| (a.added_at, a.cid.clone()))
                .unwrap_or((i64::MAX, String::new()));
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM library_items
                 WHERE added_at < ?1 OR (added_at = ?1 AND cid > ?2)
                 ORDER BY added_at DESC, cid ASC LIMIT ?3"
            ))?;
            stmt.query_map(params![added, cid, limit], row_to_item)?
                .collect()
        })
    }

    /// Works whose bytes have this sha-256 (an exact copy ingested under another name).
    pub fn find_by_sha256(&self, sha256: &str) -> Result<Vec<LibraryItem>, EngineError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM library_items WHERE sha256 = ?1"
            ))?;
            stmt.query_map([sha256], row_to_item)?.collect()
        })
    }

    /// The MIME type of a CID the library knows (a work, a thumbnail or a preview); `None` for
    /// anything else, which the app then refuses to serve.
    pub fn mime_of(&self, cid: &str) -> Result<Option<String>, EngineError> {
        self.with(|conn| {
            conn.query_row(
                "SELECT mime FROM library_items WHERE cid = ?1
                 UNION ALL SELECT thumbnail_mime FROM library_items WHERE thumbnail_cid = ?1
                 UNION ALL SELECT preview_mime FROM library_items WHERE preview_cid = ?1
                 LIMIT 1",
                [cid],
                |r| r.get(0),
            )
            .optional()
        })
    }

    /// How many works the library holds.
    pub fn count(&self) -> Result<u64, EngineError> {
        self.with(|conn| {
            conn.query_row("SELECT COUNT(*) FROM library_items", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .map(|n| n as u64)
    }
}

const COLUMNS: &str = "cid, cid_v0, sha256, file_name, mime, kind, size, width, height, \
                       duration_ms, thumbnail_cid, preview_cid, added_at";

fn row_to_item(row: &rusqlite::Row<'_>) -> rusqlite::Result<LibraryItem> {
    Ok(LibraryItem {
        cid: row.get(0)?,
        cid_v0: row.get(1)?,
        sha256: row.get(2)?,
        file_name: row.get(3)?,
        mime: row.get(4)?,
        kind: row.get(5)?,
        size: row.get::<_, i64>(6)? as u64,
        width: row.get(7)?,
        height: row.get(8)?,
        duration_ms: row.get::<_, Option<i64>>(9)?.map(|d| d as u64),
        thumbnail_cid: row.get(10)?,
        preview_cid: row.get(11)?,
        added_at: row.get(12)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hallmark_media::{IngestOptions, ingest};

    fn png(dir: &Path, name: &str, shade: u8) -> PathBuf {
        let path = dir.join(name);
        image::RgbImage::from_pixel(40, 30, image::Rgb([shade, 10, 200]))
            .save(&path)
            .expect("png");
        path
    }

    fn ingested(dir: &Path, name: &str, shade: u8) -> Ingested {
        let options = IngestOptions {
            derivatives_dir: Some(dir.join("derivatives")),
            ..IngestOptions::default()
        };
        ingest(&png(dir, name, shade), &options).expect("ingest")
    }

    #[test]
    fn records_pages_and_serves_only_known_cids() {
        let dir = tempfile::tempdir().expect("tempdir");
        let library = Library::open(&dir.path().join("h.sqlite")).expect("open");
        assert_eq!(library.schema_version().expect("version"), MIGRATIONS.len());
        let works: Vec<Ingested> = (0..5u8)
            .map(|i| ingested(dir.path(), &format!("w{i}.png"), i * 40))
            .collect();
        for work in &works {
            library.record(work).expect("record");
        }
        library.record(&works[0]).expect("recording again is fine");
        assert_eq!(library.count().expect("count"), 5);

        let first = library.list(2, None).expect("page 1");
        let second = library.list(2, first.last()).expect("page 2");
        let third = library.list(2, second.last()).expect("page 3");
        let mut seen: Vec<String> = [first, second, third.clone()]
            .concat()
            .into_iter()
            .map(|i| i.cid)
            .collect();
        assert_eq!(third.len(), 1);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 5, "keyset pages neither repeat nor skip");

        let work = &works[2];
        let item = library
            .get(&work.cid_v1.to_string())
            .expect("get")
            .expect("some");
        assert_eq!(item.sha256, work.sha256);
        assert_eq!((item.width, item.height), (Some(40), Some(30)));
        assert_eq!(
            library.mime_of(&item.cid).expect("mime").as_deref(),
            Some("image/png")
        );
        let thumb = item.thumbnail_cid.expect("thumbnail");
        assert!(library.mime_of(&thumb).expect("mime").is_some());
        assert_eq!(library.mime_of("bafkreinotknown").expect("mime"), None);
        assert_eq!(library.find_by_sha256(&work.sha256).expect("sha").len(), 1);
    }

    /// A library file as the per-crate migration loop before `hallmark-sqlite` left it at
    /// `version` (that loop ran each step, then set `PRAGMA user_version` to the step's number),
    /// holding one work.
    fn write_as_the_earlier_loop_left_it(path: &Path, version: usize) {
        let conn = Connection::open(path).expect("open");
        let steps = MIGRATIONS[..version].concat();
        conn.execute_batch(&format!("{steps} PRAGMA user_version = {version};"))
            .expect("steps and version");
        conn.execute(
            "INSERT INTO library_items (cid, cid_v0, sha256, file_name, mime, kind, size, width,
                height, duration_ms, thumbnail_cid, thumbnail_mime, preview_cid, preview_mime,
                added_at)
             VALUES ('bafkreiold', 'Qmold', 'ab12', 'old.png', 'image/png', 'image', 42, 40, 30,
                NULL, 'bafkreithumb', 'image/webp', NULL, NULL, 1700000000)",
            [],
        )
        .expect("row");
    }

    #[test]
    fn libraries_written_before_the_shared_mechanism_open_with_their_rows() {
        // 2: the schema today's releases write; 1: a library from before availability health.
        for version in [MIGRATIONS.len(), 1] {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("hallmark.sqlite");
            write_as_the_earlier_loop_left_it(&path, version);
            let library = Library::open(&path).expect("open");
            assert_eq!(
                library.schema_version().expect("version"),
                2,
                "from {version}"
            );
            assert_eq!(library.count().expect("count"), 1);
            let item = library
                .get("bafkreiold")
                .expect("get")
                .expect("the old row");
            assert_eq!(
                (
                    item.file_name.as_str(),
                    item.size,
                    item.width,
                    item.added_at
                ),
                ("old.png", 42, Some(40), 1_700_000_000)
            );
            assert_eq!(
                library.mime_of("bafkreithumb").expect("mime").as_deref(),
                Some("image/webp")
            );
            assert_eq!(library.integrity_check().expect("check"), "ok");
            library
                .with(|c| {
                    c.execute(
                        "INSERT INTO availability VALUES (1, 'local', 'bafymeta', 'ok', NULL, 1, 1)",
                        [],
                    )
                })
                .expect("the step 2 table is there");
        }
    }

    #[test]
    fn reopening_keeps_rows_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("h.sqlite");
        let work = ingested(dir.path(), "a.png", 1);
        Library::open(&path)
            .expect("open")
            .record(&work)
            .expect("record");
        let again = Library::open(&path).expect("reopen");
        assert_eq!(again.count().expect("count"), 1);
        again
            .with(|c| c.pragma_update(None, "user_version", 99))
            .expect("bump");
        drop(again);
        let err = Library::open(&path).expect_err("newer schema");
        assert_eq!(err.code(), "storage.database");
        assert!(err.to_string().contains("newer Hallmark"), "{err}");
    }
}
