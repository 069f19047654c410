//! Hallmark's one schema migration mechanism, shared by its two SQLite files: the library
//! (`hallmark.sqlite`, in `hallmark-engine`) and the catalog (`catalog.sqlite`, in
//! `hallmark-catalog`).
//!
//! A schema is a list of SQL steps, [`Migrations`]: step `i` moves a database from version `i` to
//! `i + 1`. The version is SQLite's `PRAGMA user_version` (0 in a new file), the same record the
//! earlier per-crate loops kept, so every file they wrote opens here unchanged. Migrations only
//! move forward; a file with a higher version than the build knows is refused, never touched.
//!
//! Each step runs in its own `BEGIN IMMEDIATE` transaction together with the version bump, so a
//! crash leaves the file at a whole version, and two processes opening one new file at once do
//! not both run a step: the second waits for the first (give the connection a busy timeout) and
//! then finds the work done.

use rusqlite::{Connection, TransactionBehavior};

/// What can stop a migration.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The file was written by a newer build (its version is above the last step known).
    #[error("the database has schema {found}, newer than this build knows ({known})")]
    Newer {
        /// The file's version.
        found: usize,
        /// The newest version this build knows.
        known: usize,
    },
    /// SQLite failed (a step's SQL, I/O, a lock held beyond the busy timeout).
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// The versions a call to [`Migrations::apply`] moved a database between (equal when it was
/// already current).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// The version found.
    pub from: usize,
    /// The version now (the latest).
    pub to: usize,
}

/// A schema as forward-only SQL steps.
#[derive(Debug, Clone, Copy)]
pub struct Migrations {
    steps: &'static [&'static str],
}

impl Migrations {
    /// The schema whose step `i` moves a database from version `i` to `i + 1`. Steps are never
    /// edited or removed once released: a change is a new step at the end.
    pub const fn new(steps: &'static [&'static str]) -> Self {
        Self { steps }
    }

    /// The newest version: the number of steps.
    pub fn latest(&self) -> usize {
        self.steps.len()
    }

    /// The version a database is at (`PRAGMA user_version`; a negative value, which no Hallmark
    /// writes, reads as 0).
    pub fn version(conn: &Connection) -> rusqlite::Result<usize> {
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .map(|v| usize::try_from(v).unwrap_or(0))
    }

    /// Brings the database to the latest version, one step per transaction.
    pub fn apply(&self, conn: &mut Connection) -> Result<Migrated, MigrationError> {
        let from = Self::version(conn)?;
        self.refuse_newer(from)?;
        loop {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Read again under the write lock: another connection may have migrated meanwhile.
            let version = Self::version(&tx)?;
            self.refuse_newer(version)?;
            let Some(step) = self.steps.get(version) else {
                tx.commit()?;
                return Ok(Migrated {
                    from,
                    to: self.latest(),
                });
            };
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", version as i64 + 1)?;
            tx.commit()?;
        }
    }

    fn refuse_newer(&self, found: usize) -> Result<(), MigrationError> {
        if found > self.latest() {
            return Err(MigrationError::Newer {
                found,
                known: self.latest(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;
    use std::time::Duration;

    use super::*;

    const STEPS: &[&str] = &[
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);",
        "ALTER TABLE notes ADD COLUMN tag TEXT; CREATE INDEX notes_tag ON notes(tag);",
        "CREATE TABLE tags (name TEXT PRIMARY KEY) WITHOUT ROWID;",
    ];
    const SCHEMA: Migrations = Migrations::new(STEPS);

    fn tables(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn open(path: &Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.busy_timeout(Duration::from_secs(10)).unwrap();
        conn
    }

    #[test]
    fn a_new_database_gets_every_step() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(Migrations::version(&conn).unwrap(), 0);
        let migrated = SCHEMA.apply(&mut conn).unwrap();
        assert_eq!(migrated, Migrated { from: 0, to: 3 });
        assert_eq!(Migrations::version(&conn).unwrap(), 3);
        assert_eq!(tables(&conn), ["notes", "tags"]);
    }

    /// What the per-crate loops this mechanism replaced did, step by step: run the step's SQL,
    /// then record `user_version`. A file they left at `version` keeps its rows here.
    #[test]
    fn a_file_the_earlier_loop_wrote_keeps_its_rows_and_gets_only_the_missing_steps() {
        for version in 1..=STEPS.len() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.sqlite");
            {
                let conn = open(&path);
                for (i, step) in STEPS.iter().take(version).enumerate() {
                    conn.execute_batch(step).unwrap();
                    conn.pragma_update(None, "user_version", i as i64 + 1)
                        .unwrap();
                }
                conn.execute("INSERT INTO notes (id, body) VALUES (7, 'kept')", [])
                    .unwrap();
            }
            let mut conn = open(&path);
            let migrated = SCHEMA.apply(&mut conn).unwrap();
            assert_eq!(
                migrated,
                Migrated {
                    from: version,
                    to: 3
                },
                "from {version}"
            );
            let body: String = conn
                .query_row("SELECT body FROM notes WHERE id = 7", [], |r| r.get(0))
                .unwrap();
            assert_eq!(body, "kept");
            assert_eq!(tables(&conn), ["notes", "tags"]);
            // Again: nothing to do (re-running a step would fail: its tables exist).
            assert_eq!(
                SCHEMA.apply(&mut conn).unwrap(),
                Migrated { from: 3, to: 3 }
            );
        }
    }

    #[test]
    fn a_newer_file_is_refused_and_left_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", 9).unwrap();
        let err = SCHEMA.apply(&mut conn).unwrap_err();
        assert!(
            matches!(err, MigrationError::Newer { found: 9, known: 3 }),
            "{err}"
        );
        assert_eq!(Migrations::version(&conn).unwrap(), 9);
        assert!(tables(&conn).is_empty());
    }

    #[test]
    fn a_failing_step_leaves_the_last_whole_version() {
        const BROKEN: Migrations = Migrations::new(&[
            "CREATE TABLE a (x);",
            "CREATE TABLE b (y); INSERT INTO nowhere VALUES (1);",
        ]);
        let mut conn = Connection::open_in_memory().unwrap();
        let err = BROKEN.apply(&mut conn).unwrap_err();
        assert!(matches!(err, MigrationError::Sqlite(_)), "{err}");
        assert!(err.to_string().contains("nowhere"), "{err}");
        assert_eq!(Migrations::version(&conn).unwrap(), 1);
        assert_eq!(
            tables(&conn),
            ["a"],
            "the failed step's table is rolled back"
        );
    }

    #[test]
    fn two_connections_migrating_one_new_file_run_each_step_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.sqlite");
        let results: Vec<Migrated> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..2)
                .map(|_| scope.spawn(|| SCHEMA.apply(&mut open(&path)).unwrap()))
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        assert!(results.iter().all(|m| m.to == 3), "{results:?}");
        assert_eq!(Migrations::version(&open(&path)).unwrap(), 3);
    }
}
