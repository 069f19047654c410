//! Endorsement requests (artists who are not issuers ask an issuer to endorse a work) and the
//! issuers' decisions: derived from the events of HallmarkEndorsements, queried with the status
//! the contract would give as of a moment (`expired` and `registered` depend on time and on the
//! works registered since, so they are computed, never stored).

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::apply::EventContext;
use crate::catalog::Catalog;
use crate::error::CatalogResult;
use crate::event::CatalogEvent;

/// How long a request stays pending without a decision (the contract's `REQUEST_TTL`).
pub const ENDORSEMENT_REQUEST_TTL: u64 = 30 * 24 * 3600;

/// One endorsement request, as the catalog knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndorsementEntry {
    /// The request id.
    pub request_id: u64,
    /// sha-256 of the work's media (`0x…`).
    pub content_hash: String,
    /// The artist (the work's creator).
    pub creator: String,
    /// The issuer asked; `None`: any issuer.
    pub issuer: Option<String>,
    /// sha-256 of its metadata document (`0x…`).
    pub metadata_hash: String,
    /// Its metadata document.
    pub metadata_cid: String,
    /// N.
    pub max_editions: u32,
    /// Royalty in basis points.
    pub royalty_bps: u16,
    /// Royalty splits `(payee, bps)`; empty: all to the creator.
    pub splits: Vec<(String, u16)>,
    /// `pending`, `approved`, `rejected`, `withdrawn`, `expired` or `registered`, as of the
    /// moment asked for.
    pub status: String,
    /// The issuer that decided it.
    pub decided_by: Option<String>,
    /// A rejection's reason.
    pub reason: Option<String>,
    /// An approval's voucher nonce (`0x…`).
    pub nonce: Option<String>,
    /// An approval's voucher deadline (unix seconds).
    pub deadline: Option<u64>,
    /// An approval's voucher signature (`0x…`).
    pub signature: Option<String>,
    /// When it was asked (unix seconds).
    pub requested_at: u64,
    /// When it was decided or withdrawn.
    pub decided_at: Option<u64>,
    /// Title, once its metadata was fetched.
    pub title: Option<String>,
    /// Its picture, once its metadata was fetched.
    pub thumbnail_cid: Option<String>,
    /// Its media, once its metadata was fetched.
    pub media_cid: Option<String>,
    /// The work its content was registered as, if it was.
    pub work_id: Option<u64>,
}

/// Which requests to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndorsementFilter {
    /// Only those with this status (as of `now`).
    pub status: Option<String>,
    /// Only those of this artist (`0x…`, any case).
    pub creator: Option<String>,
    /// Only those an issuer may decide: addressed to it or to any issuer (`0x…`, any case).
    pub decidable_by: Option<String>,
}

const ZERO_ADDRESS: &str = "0x0000000000000000000000000000000000000000";

/// The status as of `?1` (unix seconds), from the stored one, as the contract gives it: a
/// request is `registered` only when its content was registered while it held it (only its
/// artist could register it then); a registration after it ended leaves it `expired`.
const STATUS_AS_OF: &str = "CASE
        WHEN e.status IN ('pending', 'approved') AND w.work_id IS NOT NULL
            AND w.registered_at <= (CASE e.status WHEN 'pending' THEN e.requested_at + 2592000
                                    ELSE e.deadline END) THEN 'registered'
        WHEN e.status = 'pending' AND ?1 > e.requested_at + 2592000 THEN 'expired'
        WHEN e.status = 'approved' AND ?1 > e.deadline THEN 'expired'
        ELSE e.status END";

fn columns() -> String {
    format!(
        "e.request_id, e.content_hash, e.creator, e.issuer, e.metadata_hash, e.metadata_cid,
         e.max_editions, e.royalty_bps, e.splits, {STATUS_AS_OF} AS status, e.decided_by, e.reason, e.nonce,
         e.deadline, e.signature, e.requested_at, e.decided_at, m.title, m.thumbnail_cid,
         m.media_cid, w.work_id
         FROM endorsements e
         LEFT JOIN metadata m ON m.cid = e.metadata_cid
         LEFT JOIN works w ON w.content_hash = e.content_hash"
    )
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EndorsementEntry> {
    let splits: String = r.get(8)?;
    let splits: Vec<(String, u16)> = serde_json::from_str(&splits).unwrap_or_default();
    Ok(EndorsementEntry {
        request_id: r.get::<_, i64>(0)? as u64,
        content_hash: r.get(1)?,
        creator: r.get(2)?,
        issuer: r.get(3)?,
        metadata_hash: r.get(4)?,
        metadata_cid: r.get(5)?,
        max_editions: r.get(6)?,
        royalty_bps: r.get(7)?,
        splits,
        status: r.get(9)?,
        decided_by: r.get(10)?,
        reason: r.get(11)?,
        nonce: r.get(12)?,
        deadline: r.get::<_, Option<i64>>(13)?.map(|v| v as u64),
        signature: r.get(14)?,
        requested_at: r.get::<_, i64>(15)? as u64,
        decided_at: r.get::<_, Option<i64>>(16)?.map(|v| v as u64),
        title: r.get(17)?,
        thumbnail_cid: r.get(18)?,
        media_cid: r.get(19)?,
        work_id: r.get::<_, Option<i64>>(20)?.map(|v| v as u64),
    })
}

fn as_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl Catalog {
    /// Endorsement requests matching `filter`, newest first, with their status as of `now`
    /// (unix seconds).
    pub fn endorsements(
        &self,
        filter: &EndorsementFilter,
        now: u64,
        limit: u32,
    ) -> CatalogResult<Vec<EndorsementEntry>> {
        let creator = filter.creator.as_deref().map(str::to_ascii_lowercase);
        let issuer = filter.decidable_by.as_deref().map(str::to_ascii_lowercase);
        self.with(|c| {
            let sql = format!(
                "SELECT * FROM (SELECT {} WHERE (?2 IS NULL OR e.creator = ?2)
                   AND (?3 IS NULL OR e.issuer IS NULL OR e.issuer = ?3))
                 WHERE (?4 IS NULL OR status = ?4)
                 ORDER BY request_id DESC LIMIT ?5",
                columns()
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(
                params![as_i64(now), creator, issuer, filter.status, limit],
                row,
            )?;
            rows.collect()
        })
    }

    /// One endorsement request, with its status as of `now`.
    pub fn endorsement(
        &self,
        request_id: u64,
        now: u64,
    ) -> CatalogResult<Option<EndorsementEntry>> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {} WHERE e.request_id = ?2", columns()),
                params![as_i64(now), as_i64(request_id)],
                row,
            )
            .optional()
        })
    }

    /// The latest endorsement request of a content hash (sha-256 hex, with or without `0x`),
    /// with its status as of `now`.
    pub fn latest_endorsement_of(
        &self,
        sha256: &str,
        now: u64,
    ) -> CatalogResult<Option<EndorsementEntry>> {
        let hash = format!("0x{}", sha256.trim_start_matches("0x").to_ascii_lowercase());
        self.with(|c| {
            c.query_row(
                &format!(
                    "SELECT {} WHERE e.content_hash = ?2 ORDER BY e.request_id DESC LIMIT 1",
                    columns()
                ),
                params![as_i64(now), hash],
                row,
            )
            .optional()
        })
    }
}

/// Applies an endorsement event to the `endorsements` table.
pub(crate) fn derive(
    tx: &Transaction<'_>,
    ctx: &EventContext<'_>,
    event: &CatalogEvent,
    now: i64,
) -> rusqlite::Result<()> {
    match event {
        CatalogEvent::EndorsementRequested {
            request_id,
            content_hash,
            creator,
            issuer,
            metadata_hash,
            metadata_cid,
            max_editions,
            royalty_bps,
            splits,
        } => {
            let splits = serde_json::to_string(splits)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            let issuer = (issuer != ZERO_ADDRESS).then_some(issuer);
            tx.prepare_cached(
                "INSERT OR REPLACE INTO endorsements (request_id, content_hash, creator, issuer,
                    metadata_hash, metadata_cid, max_editions, royalty_bps, splits, status,
                    requested_at, requested_tx)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10, ?11)",
            )?
            .execute(params![
                as_i64(*request_id),
                content_hash,
                creator,
                issuer,
                metadata_hash,
                metadata_cid,
                max_editions,
                royalty_bps,
                splits,
                now,
                ctx.tx_hash
            ])?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO metadata (cid, status) VALUES (?1, 'pending')",
            )?
            .execute(params![metadata_cid])?;
        }
        CatalogEvent::EndorsementApproved {
            request_id,
            issuer,
            nonce,
            deadline,
            signature,
            ..
        } => {
            tx.prepare_cached(
                "UPDATE endorsements SET status = 'approved', decided_by = ?2, nonce = ?3,
                    deadline = ?4, signature = ?5, decided_at = ?6
                 WHERE request_id = ?1",
            )?
            .execute(params![
                as_i64(*request_id),
                issuer,
                nonce,
                as_i64(*deadline),
                signature,
                now
            ])?;
        }
        CatalogEvent::EndorsementRejected {
            request_id,
            issuer,
            reason,
            ..
        } => {
            tx.prepare_cached(
                "UPDATE endorsements SET status = 'rejected', decided_by = ?2, reason = ?3,
                    decided_at = ?4
                 WHERE request_id = ?1",
            )?
            .execute(params![as_i64(*request_id), issuer, reason, now])?;
        }
        CatalogEvent::EndorsementWithdrawn { request_id, .. } => {
            tx.prepare_cached(
                "UPDATE endorsements SET status = 'withdrawn', decided_at = ?2
                 WHERE request_id = ?1",
            )?
            .execute(params![as_i64(*request_id), now])?;
        }
        _ => {}
    }
    Ok(())
}
