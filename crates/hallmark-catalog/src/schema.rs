//! The catalog schema, versioned in code: entry `i` of [`MIGRATIONS`] moves a database from
//! version `i` to `i + 1` (`PRAGMA user_version`), only ever forward.
//!
//! Three groups of tables:
//! - the **log**: `sync_state` (the checkpoint), `blocks` (hashes of blocks with events and of
//!   checkpoints, for reorg detection) and `events` (every decoded event, the source of truth);
//! - **derived** tables (`works`, `tokens`, `licences`, `members`, `settings`, `work_attributes`,
//!   `works_fts`), rebuilt from `events` by a replay after a rollback;
//! - **fetched** metadata (`metadata`), keyed by CID, which survives replays.

/// The migrations.
pub(crate) const MIGRATIONS: &[&str] = &[
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
];
