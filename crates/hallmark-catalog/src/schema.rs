//! The catalog schema, versioned in code: entry `i` of [`MIGRATIONS`] moves a database from
//! version `i` to `i + 1` (`PRAGMA user_version`), only ever forward; [`SCHEMA`] applies them
//! with the mechanism the library database uses too (`hallmark-sqlite`).
//!
//! Three groups of tables:
//! - the **log**: `sync_state` (the checkpoint), `blocks` (hashes of blocks with events and of
//!   checkpoints, for reorg detection) and `events` (every decoded event, the source of truth);
//! - **derived** tables (`works`, `tokens`, `licences`, `members`, `settings`, `work_attributes`,
//!   `works_fts`), rebuilt from `events` by a replay after a rollback;
//! - **fetched** metadata (`metadata`), keyed by CID, which survives replays.

use hallmark_sqlite::Migrations;

/// The catalog's schema, applied by [`Catalog::open`](crate::Catalog::open).
pub(crate) const SCHEMA: Migrations = Migrations::new(MIGRATIONS);

/// The migrations (released steps are never edited: a change is a new step at the end).
const MIGRATIONS: &[&str] = &[
    // 1
    r#"
CREATE TABLE sync_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    chain_id      INTEGER NOT NULL,
    works_address TEXT NOT NULL,
    start_block   INTEGER NOT NULL,
    next_block    INTEGER NOT NULL,
    last_hash     TEXT,
    updated_at    INTEGER NOT NULL
);
CREATE TABLE blocks (
    number    INTEGER PRIMARY KEY,
    hash      TEXT NOT NULL,
    timestamp INTEGER NOT NULL
);
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    block        INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    work_id      INTEGER,
    token_id     INTEGER,
    actor        TEXT,
    counterparty TEXT,
    amount       INTEGER,
    body         TEXT NOT NULL
);
CREATE INDEX events_work ON events(work_id, seq) WHERE work_id IS NOT NULL;
CREATE INDEX events_actor ON events(actor, seq) WHERE actor IS NOT NULL;
CREATE INDEX events_counterparty ON events(counterparty, kind, seq) WHERE counterparty IS NOT NULL;
CREATE INDEX events_block ON events(block);

CREATE TABLE works (
    work_id          INTEGER PRIMARY KEY,
    content_hash     TEXT NOT NULL,
    creator          TEXT NOT NULL,
    issuer           TEXT NOT NULL,
    metadata_hash    TEXT NOT NULL,
    metadata_cid     TEXT NOT NULL,
    max_editions     INTEGER NOT NULL,
    minted           INTEGER NOT NULL DEFAULT 0,
    royalty_bps      INTEGER NOT NULL,
    registered_block INTEGER NOT NULL,
    registered_at    INTEGER NOT NULL,
    registered_tx    TEXT NOT NULL,
    frozen_reason    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX works_content ON works(content_hash);
CREATE INDEX works_creator ON works(creator, work_id);
CREATE INDEX works_issuer ON works(issuer, work_id);
CREATE INDEX works_metadata ON works(metadata_cid);

CREATE TABLE tokens (
    token_id      INTEGER PRIMARY KEY,
    work_id       INTEGER NOT NULL,
    edition       INTEGER NOT NULL,
    owner         TEXT NOT NULL,
    acquired_at   INTEGER NOT NULL,
    minted_seq    INTEGER NOT NULL,
    creator       TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    kind          TEXT,
    frozen        INTEGER NOT NULL DEFAULT 0,
    price         INTEGER,
    seller        TEXT,
    listed_seq    INTEGER,
    listed_at     INTEGER,
    last_price    INTEGER,
    sold_seq      INTEGER,
    sold_at       INTEGER,
    licence_until INTEGER
);
CREATE INDEX tokens_work ON tokens(work_id, edition);
CREATE INDEX tokens_owner ON tokens(owner, minted_seq);
CREATE INDEX tokens_minted ON tokens(minted_seq);
CREATE INDEX tokens_creator ON tokens(creator, minted_seq);
CREATE INDEX tokens_issuer ON tokens(issuer, minted_seq);
CREATE INDEX tokens_sold ON tokens(sold_seq) WHERE sold_seq IS NOT NULL;
CREATE INDEX tokens_listed_newest ON tokens(listed_seq) WHERE price IS NOT NULL;
CREATE INDEX tokens_listed_price ON tokens(price, token_id) WHERE price IS NOT NULL;
CREATE INDEX tokens_listed_kind_price ON tokens(kind, price, token_id) WHERE price IS NOT NULL;
CREATE INDEX tokens_listed_kind_newest ON tokens(kind, listed_seq) WHERE price IS NOT NULL;
CREATE INDEX tokens_listed_creator ON tokens(creator, listed_seq) WHERE price IS NOT NULL;

CREATE TABLE licences (
    offer_id   INTEGER PRIMARY KEY,
    token_id   INTEGER NOT NULL,
    holder     TEXT NOT NULL,
    licensee   TEXT NOT NULL,
    kind       INTEGER NOT NULL,
    scope_hash TEXT NOT NULL,
    duration   INTEGER NOT NULL,
    fee        INTEGER NOT NULL,
    status     TEXT NOT NULL,
    starts     INTEGER,
    expires    INTEGER
);
CREATE INDEX licences_token ON licences(token_id, offer_id);
CREATE INDEX licences_licensee ON licences(licensee, offer_id);

CREATE TABLE members (
    account     TEXT NOT NULL,
    role        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attested_by TEXT,
    since       INTEGER NOT NULL,
    PRIMARY KEY (account, role)
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE work_attributes (
    work_id INTEGER NOT NULL,
    trait   TEXT NOT NULL,
    value   TEXT NOT NULL
);
CREATE INDEX work_attributes_lookup ON work_attributes(trait, value, work_id);
CREATE INDEX work_attributes_work ON work_attributes(work_id, trait, value);

CREATE VIRTUAL TABLE works_fts USING fts5(
    title, description, creator, attributes,
    content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);

CREATE TABLE metadata (
    cid             TEXT PRIMARY KEY,
    status          TEXT NOT NULL,
    title           TEXT,
    description     TEXT,
    attributes      TEXT,
    licence         TEXT,
    media_cid       TEXT,
    mime            TEXT,
    kind            TEXT,
    thumbnail_cid   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    fetched_at      INTEGER
) WITHOUT ROWID;
CREATE INDEX metadata_due ON metadata(status, next_attempt_at);
"#,
    // 2: lookups of media CIDs named by metadata (the app serves only CIDs the catalog knows)
    r#"
CREATE INDEX metadata_thumbnail ON metadata(thumbnail_cid) WHERE thumbnail_cid IS NOT NULL;
CREATE INDEX metadata_media ON metadata(media_cid) WHERE media_cid IS NOT NULL;
"#,
    // 3: published perceptual hashes (copy detection rebuilds its index from these)
    r#"
ALTER TABLE metadata ADD COLUMN pdq TEXT;
ALTER TABLE metadata ADD COLUMN pdq_quality INTEGER;
ALTER TABLE metadata ADD COLUMN phash TEXT;

CREATE TABLE reviews (
    request_id    INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL,
    issuer        TEXT NOT NULL,
    creator       TEXT NOT NULL,
    metadata_hash TEXT NOT NULL,
    metadata_cid  TEXT NOT NULL,
    matches       TEXT NOT NULL,
    status        TEXT NOT NULL,
    reason        TEXT,
    decided_by    TEXT,
    submitted_at  INTEGER NOT NULL,
    submitted_tx  TEXT NOT NULL,
    decided_at    INTEGER
);
CREATE INDEX reviews_by_status ON reviews(status, request_id);
CREATE INDEX reviews_by_content ON reviews(content_hash, request_id);
"#,
    // 4: the other published PDQ hashes (borders trimmed, centred crops), space-separated hex
    r#"
ALTER TABLE metadata ADD COLUMN pdq_extra TEXT;
"#,
    // 5: endorsement requests of artists who are not issuers, and the issuers' decisions
    r#"
CREATE TABLE endorsements (
    request_id    INTEGER PRIMARY KEY,
    content_hash  TEXT NOT NULL,
    creator       TEXT NOT NULL,
    issuer        TEXT,
    metadata_hash TEXT NOT NULL,
    metadata_cid  TEXT NOT NULL,
    max_editions  INTEGER NOT NULL,
    royalty_bps   INTEGER NOT NULL,
    splits        TEXT NOT NULL,
    status        TEXT NOT NULL,
    decided_by    TEXT,
    reason        TEXT,
    nonce         TEXT,
    deadline      INTEGER,
    signature     TEXT,
    requested_at  INTEGER NOT NULL,
    requested_tx  TEXT NOT NULL,
    decided_at    INTEGER
);
CREATE INDEX endorsements_by_status ON endorsements(status, request_id);
CREATE INDEX endorsements_by_content ON endorsements(content_hash, request_id);
CREATE INDEX endorsements_by_creator ON endorsements(creator, request_id);
"#,
];

/// Tables rebuilt from the event log by a replay, in deletion order.
pub(crate) const DERIVED_TABLES: &[&str] = &[
    "works",
    "tokens",
    "licences",
    "members",
    "settings",
    "work_attributes",
    "works_fts",
    "reviews",
    "endorsements",
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    use rusqlite::Connection;

    use super::MIGRATIONS;
    use crate::{Catalog, MetadataRecord, SyncState};

    /// A catalog file as the per-crate migration loop before `hallmark-sqlite` left it at
    /// `version` (that loop ran each step, then set `PRAGMA user_version` to the step's number).
    fn write_as_the_earlier_loop_left_it(path: &Path, version: usize) -> Connection {
        let conn = Connection::open(path).expect("open");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        // Its end state: the steps' tables and the version recorded after the last one.
        conn.execute_batch(&MIGRATIONS[..version].concat())
            .expect("steps");
        conn.pragma_update(None, "user_version", version as i64)
            .expect("version");
        conn
    }

    #[test]
    fn catalogs_written_before_the_shared_mechanism_open_with_their_rows() {
        // The schema today's releases write; 2: a catalog from before the perceptual hashes.
        for version in [MIGRATIONS.len(), 2] {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("catalog.sqlite");
            let conn = write_as_the_earlier_loop_left_it(&path, version);
            conn.execute_batch(
                "INSERT INTO sync_state VALUES (1, 31337, '0xworks', 10, 13, '0xbeef', 0);
                 INSERT INTO blocks VALUES (12, '0xbeef', 1700000000);
                 INSERT INTO events VALUES (1, 12, 0, '0xtx', 'registered', 1, NULL, '0xa', NULL,
                     NULL, '{\"kept\":true}');
                 INSERT INTO metadata (cid, status, title, attempts, next_attempt_at, fetched_at)
                     VALUES ('bafymeta', 'available', 'Old work', 1, 0, 1700000001);",
            )
            .expect("rows");
            drop(conn);

            let catalog = Catalog::open(&path).expect("open");
            assert_eq!(
                catalog.schema_version().expect("v"),
                MIGRATIONS.len(),
                "from {version}"
            );
            assert_eq!(
                catalog.sync_state().expect("state"),
                Some(SyncState {
                    chain_id: 31337,
                    works_address: "0xworks".to_owned(),
                    start_block: 10,
                    next_block: 13,
                    last_hash: Some("0xbeef".to_owned()),
                })
            );
            assert_eq!(
                catalog.metadata_record("bafymeta").expect("metadata"),
                Some(MetadataRecord {
                    cid: "bafymeta".to_owned(),
                    status: "available".to_owned(),
                    attempts: 1,
                    fetched_at: Some(1_700_000_001),
                    next_attempt_at: 0,
                    last_error: None,
                })
            );
            let dump = catalog.dump().expect("dump");
            let event = [
                "Integer(1)",
                r#"Text("0xtx")"#,
                r#"Text("{\"kept\":true}")"#,
            ];
            assert!(dump.contains(&event.join("\t")), "{dump}");
            assert_eq!(catalog.integrity_check().expect("check"), "ok");
            // The columns and tables of the later steps are there.
            let later = "UPDATE metadata SET pdq_extra = '', pdq = 'ab' WHERE cid = 'bafymeta';
                         SELECT COUNT(*) FROM reviews;
                         SELECT COUNT(*) FROM endorsements;";
            catalog
                .with(|c| c.execute_batch(later))
                .expect("steps 3 to 5");
        }
    }
}
