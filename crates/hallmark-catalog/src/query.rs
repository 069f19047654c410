//! Read queries: browse with filters, sorts and keyset pages; full-text search; a work with its
//! editions and provenance timeline; collections, creators' and issuers' works; the activity
//! feed; earnings. SQL text is assembled only from fixed fragments; every value is bound.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use serde::Serialize;

use crate::catalog::Catalog;
use crate::error::{CatalogError, CatalogResult};
use crate::fts::match_expression;

/// Orders of the browse grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Most recently listed first (listed only) or most recently minted first.
    #[default]
    Newest,
    /// Cheapest listing first (listed tokens only).
    PriceAsc,
    /// Dearest listing first (listed tokens only).
    PriceDesc,
    /// Most recently sold first (tokens sold at least once).
    RecentlySold,
}

impl Sort {
    fn tag(self) -> &'static str {
        match self {
            Self::Newest => "n",
            Self::PriceAsc => "pa",
            Self::PriceDesc => "pd",
            Self::RecentlySold => "s",
        }
    }
}

/// A browse request. Empty filters match everything.
#[derive(Debug, Clone, Default)]
pub struct BrowseQuery {
    /// `image`, `audio` or `video`.
    pub kind: Option<String>,
    /// Lowest listing price (cents); implies listed.
    pub min_price: Option<i64>,
    /// Highest listing price (cents); implies listed.
    pub max_price: Option<i64>,
    /// Works by this creator.
    pub creator: Option<String>,
    /// Works endorsed by this issuer.
    pub issuer: Option<String>,
    /// Tokens held by this account.
    pub owner: Option<String>,
    /// Works with this `(trait, value)` attribute.
    pub attribute: Option<(String, String)>,
    /// Only tokens for sale.
    pub listed_only: bool,
    /// Only tokens with no licence running at this time (unix seconds).
    pub licence_free_at: Option<u64>,
    /// Full-text filter.
    pub text: Option<String>,
    /// Order.
    pub sort: Sort,
    /// Page size (1..=200).
    pub limit: u32,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

/// One token in a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenCard {
    /// Token id.
    pub token_id: u64,
    /// Work id.
    pub work_id: u64,
    /// Edition n …
    pub edition: u32,
    /// … of N.
    pub max_editions: u32,
    /// Title, once the metadata was fetched.
    pub title: Option<String>,
    /// `image`, `audio`, `video`, once known.
    pub kind: Option<String>,
    /// Media type, once known.
    pub mime: Option<String>,
    /// CID of the picture to show.
    pub thumbnail_cid: Option<String>,
    /// Creator.
    pub creator: String,
    /// Current holder.
    pub owner: String,
    /// Listing price, if for sale.
    pub price: Option<i64>,
    /// Last sale price.
    pub last_price: Option<i64>,
    /// Frozen by review.
    pub frozen: bool,
    /// `available`, `pending`, `unavailable` or `invalid`.
    pub media_status: String,
    /// When it was minted (unix seconds).
    pub minted_at: u64,
    /// When the running licence ends, if one was ever accepted.
    pub licence_until: Option<u64>,
    /// When the holder received it (unix seconds).
    pub acquired_at: u64,
}

/// One page of a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrowsePage {
    /// The tokens.
    pub items: Vec<TokenCard>,
    /// Cursor for the next page, `None` at the end.
    pub next: Option<String>,
}

/// A full-text hit: one work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// Work id.
    pub work_id: u64,
    /// Title.
    pub title: Option<String>,
    /// Creator.
    pub creator: String,
    /// Kind.
    pub kind: Option<String>,
    /// Thumbnail.
    pub thumbnail_cid: Option<String>,
    /// Cheapest listing among its editions.
    pub floor_price: Option<i64>,
    /// Editions for sale.
    pub listed: u32,
    /// Relevance: how many of the query's words start a word of the title (higher is better).
    pub rank: f64,
}

/// A work with everything the Work page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkView {
    /// Work id.
    pub work_id: u64,
    /// sha-256 of the media.
    pub content_hash: String,
    /// Creator.
    pub creator: String,
    /// Issuer.
    pub issuer: String,
    /// Metadata document CID.
    pub metadata_cid: String,
    /// Hash of the metadata, as registered.
    pub metadata_hash: String,
    /// N.
    pub max_editions: u32,
    /// Editions minted.
    pub minted: u32,
    /// Royalty in basis points.
    pub royalty_bps: u16,
    /// Registration block.
    pub registered_block: u64,
    /// Registration time.
    pub registered_at: u64,
    /// Registration transaction.
    pub registered_tx: String,
    /// 0 = not frozen.
    pub frozen_reason: u16,
    /// Metadata fetch state.
    pub media_status: String,
    /// Why the metadata or media is unavailable.
    pub media_error: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Licence text.
    pub licence: Option<String>,
    /// Attributes.
    pub attributes: Vec<(String, String)>,
    /// Media CID.
    pub media_cid: Option<String>,
    /// Media type.
    pub mime: Option<String>,
    /// Kind.
    pub kind: Option<String>,
    /// Thumbnail CID.
    pub thumbnail_cid: Option<String>,
    /// Holding period before resale (seconds), as last set by the council.
    pub holding_period: u64,
    /// The editions.
    pub editions: Vec<TokenCard>,
}

/// One entry of a provenance timeline or activity feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvenanceEntry {
    /// Global order (block << 20 | log index).
    pub seq: i64,
    /// Block number.
    pub block: u64,
    /// Block time.
    pub timestamp: u64,
    /// Transaction.
    pub tx_hash: String,
    /// `registered`, `minted`, `sold`, `gifted`, `listed`, `licence_accepted`, `frozen` …
    pub kind: String,
    /// Work, if any.
    pub work_id: Option<u64>,
    /// Token, if any.
    pub token_id: Option<u64>,
    /// Who acted (seller, giver, issuer, reviewer).
    pub actor: Option<String>,
    /// The other party (buyer, recipient, creator, licensee, payee).
    pub counterparty: Option<String>,
    /// Price, fee or amount.
    pub amount: Option<i64>,
    /// The full event as JSON.
    pub detail: String,
}

/// A licence offer or grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceRecord {
    /// Offer id.
    pub offer_id: u64,
    /// Token.
    pub token_id: u64,
    /// Holder when offered.
    pub holder: String,
    /// Licensee.
    pub licensee: String,
    /// Kind code.
    pub kind: u8,
    /// Hash of the terms.
    pub scope_hash: String,
    /// Seconds.
    pub duration: u64,
    /// Fee.
    pub fee: i64,
    /// `offered`, `revoked`, `accepted` or `void` (the token changed hands).
    pub status: String,
    /// Start, once accepted.
    pub starts: Option<u64>,
    /// End, once accepted.
    pub expires: Option<u64>,
}

/// What an account earned through the market and licences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Earnings {
    /// Royalties received.
    pub royalties: i64,
    /// Proceeds of sales and licence fees received.
    pub proceeds: i64,
    /// Platform fees received (treasury).
    pub fees: i64,
    /// Number of payouts.
    pub payouts: u64,
}

/// Counts for status pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CatalogStats {
    /// Works.
    pub works: u64,
    /// Tokens.
    pub tokens: u64,
    /// Tokens for sale.
    pub listed: u64,
    /// Events in the log.
    pub events: u64,
    /// Metadata documents waiting for a first fetch.
    pub metadata_pending: u64,
    /// Metadata documents or media that could not be retrieved (retried).
    pub metadata_unavailable: u64,
    /// Metadata documents that are not valid.
    pub metadata_invalid: u64,
}

const CARD_COLUMNS: &str = "t.token_id, t.work_id, t.edition, w.max_editions, m.title, t.kind, \
     m.mime, m.thumbnail_cid, t.creator, t.owner, t.price, t.last_price, t.frozen, \
     COALESCE(m.status, 'pending'), w.registered_at, t.licence_until, t.minted_seq, t.listed_seq, \
     t.sold_seq, t.acquired_at";
const CARD_FROM: &str = "FROM tokens t JOIN works w ON w.work_id = t.work_id \
     LEFT JOIN metadata m ON m.cid = w.metadata_cid";

struct CardRow {
    card: TokenCard,
    minted_seq: i64,
    listed_seq: Option<i64>,
    sold_seq: Option<i64>,
}

fn card_row(r: &Row<'_>) -> rusqlite::Result<CardRow> {
    Ok(CardRow {
        card: TokenCard {
            token_id: r.get::<_, i64>(0)? as u64,
            work_id: r.get::<_, i64>(1)? as u64,
            edition: r.get(2)?,
            max_editions: r.get(3)?,
            title: r.get(4)?,
            kind: r.get(5)?,
            mime: r.get(6)?,
            thumbnail_cid: r.get(7)?,
            creator: r.get(8)?,
            owner: r.get(9)?,
            price: r.get(10)?,
            last_price: r.get(11)?,
            frozen: r.get(12)?,
            media_status: r.get(13)?,
            minted_at: r.get::<_, i64>(14)? as u64,
            licence_until: r.get::<_, Option<i64>>(15)?.map(|v| v as u64),
            acquired_at: r.get::<_, i64>(19)? as u64,
        },
        minted_seq: r.get(16)?,
        listed_seq: r.get(17)?,
        sold_seq: r.get(18)?,
    })
}

/// A parsed keyset cursor: the sort it belongs to and the last row's key.
#[derive(Debug, PartialEq, Eq)]
struct Cursor {
    key: i64,
    token_id: i64,
}

fn parse_cursor(sort: Sort, text: &str) -> CatalogResult<Cursor> {
    let bad = || CatalogError::InvalidQuery(format!("malformed page cursor {text:?}"));
    let mut parts = text.split(':');
    let (Some(tag), Some(key), Some(token), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if tag != sort.tag() {
        return Err(CatalogError::InvalidQuery(
            "the page cursor belongs to another sort order".into(),
        ));
    }
    Ok(Cursor {
        key: key.parse().map_err(|_| bad())?,
        token_id: token.parse().map_err(|_| bad())?,
    })
}

fn normalise_address(value: &str) -> String {
    value.trim().to_ascii_lowercase()
}

impl Catalog {
    /// One page of tokens matching `query`.
    pub fn browse(&self, query: &BrowseQuery) -> CatalogResult<BrowsePage> {
        let limit = query.limit.clamp(1, 200);
        let Some(statement) = browse_statement(query)? else {
            return Ok(BrowsePage {
                items: Vec::new(),
                next: None,
            });
        };
        let mut values = statement.values;
        values.push(Value::Integer(i64::from(limit) + 1));
        let mut rows: Vec<CardRow> = self.with(|c| {
            let mut stmt = c.prepare_cached(&statement.sql)?;
            let rows = stmt.query_map(params_from_iter(values.iter()), card_row)?;
            rows.collect()
        })?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = match rows.last() {
            Some(last) if more => {
                let key = match (query.sort, statement.listed) {
                    (Sort::Newest, true) => last.listed_seq.unwrap_or_default(),
                    (Sort::Newest, false) => last.minted_seq,
                    (Sort::PriceAsc | Sort::PriceDesc, _) => last.card.price.unwrap_or_default(),
                    (Sort::RecentlySold, _) => last.sold_seq.unwrap_or_default(),
                };
                Some(format!("{}:{key}:{}", query.sort.tag(), last.card.token_id))
            }
            _ => None,
        };
        Ok(BrowsePage {
            items: rows.into_iter().map(|r| r.card).collect(),
            next,
        })
    }

    /// The query plan of a browse request (`EXPLAIN QUERY PLAN`), one line per step.
    pub fn browse_plan(&self, query: &BrowseQuery) -> CatalogResult<Vec<String>> {
        let Some(statement) = browse_statement(query)? else {
            return Ok(Vec::new());
        };
        let mut values = statement.values;
        values.push(Value::Integer(1));
        self.with(|c| {
            let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {}", statement.sql))?;
            let rows =
                stmt.query_map(params_from_iter(values.iter()), |r| r.get::<_, String>(3))?;
            rows.collect()
        })
    }

    /// Works whose title, description, creator or attributes match `text`: among the
    /// [`SEARCH_WINDOW`] newest matches, those with the most query words in their title first,
    /// then newest first. (FTS5's bm25 reads the whole posting list of every word to weigh it,
    /// 5–20 ms for a common word on a million works; this stays under a millisecond.)
    pub fn search(&self, text: &str, limit: u32) -> CatalogResult<Vec<SearchHit>> {
        let Some(expression) = match_expression(text) else {
            return Ok(Vec::new());
        };
        let mut hits: Vec<SearchHit> = self.with(|c| {
            let mut stmt = c.prepare_cached(
                "WITH found(id) AS (SELECT rowid FROM works_fts WHERE works_fts MATCH ?1
                                    ORDER BY rowid DESC LIMIT ?2)
                 SELECT w.work_id, m.title, w.creator, m.kind, m.thumbnail_cid,
                        (SELECT min(price) FROM tokens t WHERE t.work_id = w.work_id AND t.price IS NOT NULL),
                        (SELECT count(*) FROM tokens t WHERE t.work_id = w.work_id AND t.price IS NOT NULL)
                 FROM found JOIN works w ON w.work_id = found.id
                 LEFT JOIN metadata m ON m.cid = w.metadata_cid",
            )?;
            let rows = stmt.query_map(params![expression, SEARCH_WINDOW], |r| {
                Ok(SearchHit {
                    work_id: r.get::<_, i64>(0)? as u64,
                    title: r.get(1)?,
                    creator: r.get(2)?,
                    kind: r.get(3)?,
                    thumbnail_cid: r.get(4)?,
                    floor_price: r.get(5)?,
                    listed: r.get(6)?,
                    rank: 0.0,
                })
            })?;
            rows.collect()
        })?;
        let words = query_words(text);
        for hit in &mut hits {
            hit.rank = title_score(hit.title.as_deref().unwrap_or_default(), &words);
        }
        hits.sort_by(|a, b| b.rank.total_cmp(&a.rank).then(b.work_id.cmp(&a.work_id)));
        hits.truncate(limit.clamp(1, 200) as usize);
        Ok(hits)
    }

    /// A work, its metadata and editions, or `None` if the catalog does not know it.
    pub fn work(&self, work_id: u64) -> CatalogResult<Option<WorkView>> {
        let work_key = i64::try_from(work_id).unwrap_or(i64::MAX);
        let view = self.with(|c| {
            c.query_row(
                "SELECT w.work_id, w.content_hash, w.creator, w.issuer, w.metadata_cid,
                        w.metadata_hash, w.max_editions, w.minted, w.royalty_bps,
                        w.registered_block, w.registered_at, w.registered_tx, w.frozen_reason,
                        COALESCE(m.status, 'pending'), m.last_error, m.title, m.description,
                        m.licence, m.attributes, m.media_cid, m.mime, m.kind, m.thumbnail_cid,
                        COALESCE((SELECT value FROM settings WHERE key = 'holding_period'), 0)
                 FROM works w LEFT JOIN metadata m ON m.cid = w.metadata_cid
                 WHERE w.work_id = ?1",
                params![work_key],
                |r| {
                    let attributes: Option<String> = r.get(18)?;
                    Ok(WorkView {
                        work_id: r.get::<_, i64>(0)? as u64,
                        content_hash: r.get(1)?,
                        creator: r.get(2)?,
                        issuer: r.get(3)?,
                        metadata_cid: r.get(4)?,
                        metadata_hash: r.get(5)?,
                        max_editions: r.get(6)?,
                        minted: r.get(7)?,
                        royalty_bps: r.get(8)?,
                        registered_block: r.get::<_, i64>(9)? as u64,
                        registered_at: r.get::<_, i64>(10)? as u64,
                        registered_tx: r.get(11)?,
                        frozen_reason: r.get(12)?,
                        media_status: r.get(13)?,
                        media_error: r.get(14)?,
                        title: r.get(15)?,
                        description: r.get(16)?,
                        licence: r.get(17)?,
                        attributes: attributes
                            .and_then(|a| serde_json::from_str(&a).ok())
                            .unwrap_or_default(),
                        media_cid: r.get(19)?,
                        mime: r.get(20)?,
                        kind: r.get(21)?,
                        thumbnail_cid: r.get(22)?,
                        holding_period: r.get::<_, i64>(23)? as u64,
                        editions: Vec::new(),
                    })
                },
            )
            .optional()
        })?;
        let Some(mut view) = view else {
            return Ok(None);
        };
        view.editions = self.with(|c| {
            let sql = format!(
                "SELECT {CARD_COLUMNS} {CARD_FROM} WHERE t.work_id = ?1 ORDER BY t.edition LIMIT 10000"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![work_key], |r| card_row(r).map(|row| row.card))?;
            rows.collect()
        })?;
        Ok(Some(view))
    }

    /// Whether a metadata document the catalog fetched names `cid` as its picture or media (the
    /// app serves only such CIDs, and those of its own library).
    pub fn knows_media(&self, cid: &str) -> CatalogResult<bool> {
        self.with(|c| {
            c.query_row(
                "SELECT EXISTS (SELECT 1 FROM metadata WHERE thumbnail_cid = ?1)
                     OR EXISTS (SELECT 1 FROM metadata WHERE media_cid = ?1)",
                params![cid],
                |r| r.get(0),
            )
        })
    }

    /// The work a content hash (sha-256 hex, with or without `0x`) was registered as.
    pub fn work_by_content_hash(&self, sha256: &str) -> CatalogResult<Option<u64>> {
        let hash = format!("0x{}", sha256.trim_start_matches("0x").to_ascii_lowercase());
        self.with(|c| {
            c.query_row(
                "SELECT work_id FROM works WHERE content_hash = ?1",
                params![hash],
                |r| r.get::<_, i64>(0),
            )
            .optional()
        })
        .map(|id| id.map(|v| v as u64))
    }

    /// Review requests, newest first; only those with `status` (`pending`, `approved`,
    /// `rejected`, `withdrawn`) if given.
    pub fn reviews(&self, status: Option<&str>, limit: u32) -> CatalogResult<Vec<ReviewEntry>> {
        let limit = i64::from(limit.clamp(1, 500));
        self.with(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {REVIEW_COLUMNS} WHERE (?1 IS NULL OR r.status = ?1)
                 ORDER BY r.request_id DESC LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![status, limit], review_row)?;
            rows.collect()
        })
    }

    /// One review request.
    pub fn review(&self, request_id: u64) -> CatalogResult<Option<ReviewEntry>> {
        self.with(|c| {
            c.query_row(
                &format!("SELECT {REVIEW_COLUMNS} WHERE r.request_id = ?1"),
                params![i64::try_from(request_id).unwrap_or(i64::MAX)],
                review_row,
            )
            .optional()
        })
    }

    /// The latest review request of a content hash (sha-256 hex, with or without `0x`).
    pub fn latest_review_of(&self, sha256: &str) -> CatalogResult<Option<ReviewEntry>> {
        let hash = format!("0x{}", sha256.trim_start_matches("0x").to_ascii_lowercase());
        self.with(|c| {
            c.query_row(
                &format!(
                    "SELECT {REVIEW_COLUMNS} WHERE r.content_hash = ?1
                     ORDER BY r.request_id DESC LIMIT 1"
                ),
                params![hash],
                review_row,
            )
            .optional()
        })
    }

    /// The published PDQ hashes and quality of every registered work whose metadata carries
    /// them: `(work_id, [pdq, extra…] as hex, quality)`, in work order.
    pub fn perceptual_hashes(&self) -> CatalogResult<Vec<(u64, Vec<String>, u8)>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT w.work_id, m.pdq, m.pdq_extra, m.pdq_quality FROM works w
                 JOIN metadata m ON m.cid = w.metadata_cid
                 WHERE m.pdq IS NOT NULL ORDER BY w.work_id",
            )?;
            let rows = stmt.query_map([], |r| {
                let mut hashes = vec![r.get::<_, String>(1)?];
                let extra: Option<String> = r.get(2)?;
                hashes.extend(
                    extra
                        .iter()
                        .flat_map(|e| e.split_whitespace())
                        .map(str::to_owned),
                );
                Ok((r.get::<_, i64>(0)? as u64, hashes, r.get(3)?))
            })?;
            rows.collect()
        })
    }

    /// Changes whenever [`Self::perceptual_hashes`] may give another answer: the number of
    /// works with published hashes and the latest metadata fetch.
    pub fn perceptual_generation(&self) -> CatalogResult<(u64, u64)> {
        self.with(|c| {
            c.query_row(
                "SELECT count(*), COALESCE(max(m.fetched_at), 0) FROM works w
                 JOIN metadata m ON m.cid = w.metadata_cid WHERE m.pdq IS NOT NULL",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
        })
    }

    /// Every event of a work (registration, mints, listings, sales, gifts, licences, freezes,
    /// payouts), oldest first.
    pub fn provenance(&self, work_id: u64) -> CatalogResult<Vec<ProvenanceEntry>> {
        self.events_where(
            "e.work_id = ?1 ORDER BY e.seq LIMIT 100000",
            vec![Value::Integer(i64::try_from(work_id).unwrap_or(i64::MAX))],
        )
    }

    /// Recent market activity (registrations, sales, gifts, listings, licences, freezes), newest
    /// first, before `before_seq` when paging; only events involving `account` if given.
    pub fn activity(
        &self,
        account: Option<&str>,
        before_seq: Option<i64>,
        limit: u32,
    ) -> CatalogResult<Vec<ProvenanceEntry>> {
        let before = Value::Integer(before_seq.unwrap_or(i64::MAX));
        let limit = Value::Integer(i64::from(limit.clamp(1, 500)));
        const KINDS: &str = "e.kind IN ('registered', 'sold', 'gifted', 'listed', \
             'licence_accepted', 'frozen', 'unfrozen')";
        match account {
            None => self.events_where(
                &format!("{KINDS} AND e.seq < ?1 ORDER BY e.seq DESC LIMIT ?2"),
                vec![before, limit],
            ),
            Some(account) => {
                let account = Value::Text(normalise_address(account));
                self.events_where(
                    &format!(
                        "e.seq IN (SELECT seq FROM events WHERE actor = ?1 AND seq < ?2
                                   UNION SELECT seq FROM events WHERE counterparty = ?1 AND seq < ?2)
                         AND {KINDS} ORDER BY e.seq DESC LIMIT ?3"
                    ),
                    vec![account, before, limit],
                )
            }
        }
    }

    fn events_where(&self, tail: &str, values: Vec<Value>) -> CatalogResult<Vec<ProvenanceEntry>> {
        let sql = format!(
            "SELECT e.seq, e.block, COALESCE(b.timestamp, 0), e.tx_hash, e.kind, e.work_id,
                    e.token_id, e.actor, e.counterparty, e.amount, e.body
             FROM events e LEFT JOIN blocks b ON b.number = e.block WHERE {tail}"
        );
        self.with(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(values.iter()), |r| {
                Ok(ProvenanceEntry {
                    seq: r.get(0)?,
                    block: r.get::<_, i64>(1)? as u64,
                    timestamp: r.get::<_, i64>(2)? as u64,
                    tx_hash: r.get(3)?,
                    kind: r.get(4)?,
                    work_id: r.get::<_, Option<i64>>(5)?.map(|v| v as u64),
                    token_id: r.get::<_, Option<i64>>(6)?.map(|v| v as u64),
                    actor: r.get(7)?,
                    counterparty: r.get(8)?,
                    amount: r.get(9)?,
                    detail: r.get(10)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Licence offers and grants of a token, newest first.
    pub fn licences(&self, token_id: u64) -> CatalogResult<Vec<LicenceRecord>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT offer_id, token_id, holder, licensee, kind, scope_hash, duration, fee,
                        status, starts, expires
                 FROM licences WHERE token_id = ?1 ORDER BY offer_id DESC",
            )?;
            let rows =
                stmt.query_map(params![i64::try_from(token_id).unwrap_or(i64::MAX)], |r| {
                    Ok(LicenceRecord {
                        offer_id: r.get::<_, i64>(0)? as u64,
                        token_id: r.get::<_, i64>(1)? as u64,
                        holder: r.get(2)?,
                        licensee: r.get(3)?,
                        kind: r.get(4)?,
                        scope_hash: r.get(5)?,
                        duration: r.get::<_, i64>(6)? as u64,
                        fee: r.get(7)?,
                        status: r.get(8)?,
                        starts: r.get::<_, Option<i64>>(9)?.map(|v| v as u64),
                        expires: r.get::<_, Option<i64>>(10)?.map(|v| v as u64),
                    })
                })?;
            rows.collect()
        })
    }

    /// Royalties, proceeds and fees paid to `account`.
    pub fn earnings(&self, account: &str) -> CatalogResult<Earnings> {
        self.with(|c| {
            c.query_row(
                "SELECT
                    COALESCE(sum(CASE WHEN json_extract(body, '$.kind') = 0 THEN amount END), 0),
                    COALESCE(sum(CASE WHEN json_extract(body, '$.kind') = 2 THEN amount END), 0),
                    COALESCE(sum(CASE WHEN json_extract(body, '$.kind') = 1 THEN amount END), 0),
                    count(*)
                 FROM events WHERE counterparty = ?1 AND kind = 'payout'",
                params![normalise_address(account)],
                |r| {
                    Ok(Earnings {
                        royalties: r.get(0)?,
                        proceeds: r.get(1)?,
                        fees: r.get(2)?,
                        payouts: r.get::<_, i64>(3)? as u64,
                    })
                },
            )
        })
    }

    /// The roles an account holds: `(role, status)` pairs.
    pub fn roles(&self, account: &str) -> CatalogResult<Vec<(String, String)>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT role, status FROM members WHERE account = ?1 ORDER BY role",
            )?;
            let rows = stmt.query_map(params![normalise_address(account)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            rows.collect()
        })
    }

    /// Counts for status pages.
    pub fn stats(&self) -> CatalogResult<CatalogStats> {
        self.with(|c| {
            c.query_row(
                "SELECT (SELECT count(*) FROM works), (SELECT count(*) FROM tokens),
                        (SELECT count(*) FROM tokens WHERE price IS NOT NULL),
                        (SELECT count(*) FROM events),
                        (SELECT count(*) FROM metadata WHERE status = 'pending'),
                        (SELECT count(*) FROM metadata WHERE status = 'unavailable'),
                        (SELECT count(*) FROM metadata WHERE status = 'invalid')",
                [],
                |r| {
                    Ok(CatalogStats {
                        works: r.get::<_, i64>(0)? as u64,
                        tokens: r.get::<_, i64>(1)? as u64,
                        listed: r.get::<_, i64>(2)? as u64,
                        events: r.get::<_, i64>(3)? as u64,
                        metadata_pending: r.get::<_, i64>(4)? as u64,
                        metadata_unavailable: r.get::<_, i64>(5)? as u64,
                        metadata_invalid: r.get::<_, i64>(6)? as u64,
                    })
                },
            )
        })
    }
}

/// A browse statement: SQL from fixed fragments, its bound values (the LIMIT is appended last).
struct BrowseStatement {
    sql: String,
    values: Vec<Value>,
    listed: bool,
}

/// Builds the browse statement, or `None` when a text filter has no searchable term.
fn browse_statement(query: &BrowseQuery) -> CatalogResult<Option<BrowseStatement>> {
    let mut clauses: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let listed = query.listed_only
        || query.min_price.is_some()
        || query.max_price.is_some()
        || matches!(query.sort, Sort::PriceAsc | Sort::PriceDesc);
    if listed {
        clauses.push("t.price IS NOT NULL");
    }
    if let Some(kind) = &query.kind {
        clauses.push("t.kind = ?");
        values.push(Value::Text(kind.clone()));
    }
    // With a newest-first order, a price range is checked while walking the newest-listed index
    // (unary `+` keeps SQLite from sorting the whole range instead); price orders use the price index.
    let newest = query.sort == Sort::Newest;
    if let Some(min) = query.min_price {
        clauses.push(if newest {
            "+t.price >= ?"
        } else {
            "t.price >= ?"
        });
        values.push(Value::Integer(min));
    }
    if let Some(max) = query.max_price {
        clauses.push(if newest {
            "+t.price <= ?"
        } else {
            "t.price <= ?"
        });
        values.push(Value::Integer(max));
    }
    if let Some(creator) = &query.creator {
        clauses.push("t.creator = ?");
        values.push(Value::Text(normalise_address(creator)));
    }
    if let Some(issuer) = &query.issuer {
        clauses.push("t.issuer = ?");
        values.push(Value::Text(normalise_address(issuer)));
    }
    if let Some(owner) = &query.owner {
        clauses.push("t.owner = ?");
        values.push(Value::Text(normalise_address(owner)));
    }
    if let Some((name, value)) = &query.attribute {
        // Probed per row in the chosen order (no materialised list of every matching work).
        clauses.push(
            "EXISTS (SELECT 1 FROM work_attributes a WHERE a.work_id = t.work_id AND a.trait = ? AND a.value = ?)",
        );
        values.push(Value::Text(name.clone()));
        values.push(Value::Text(value.clone()));
    }
    if let Some(at) = query.licence_free_at {
        clauses.push("(t.licence_until IS NULL OR t.licence_until <= ?)");
        values.push(Value::Integer(i64::try_from(at).unwrap_or(i64::MAX)));
    }
    if let Some(text) = &query.text {
        let Some(expression) = match_expression(text) else {
            return Ok(None);
        };
        // Bounded: the newest 2,000 matching works are considered.
        clauses.push(
            "t.work_id IN (SELECT rowid FROM works_fts WHERE works_fts MATCH ? ORDER BY rowid DESC LIMIT 2000)",
        );
        values.push(Value::Text(expression));
    }
    let cursor = query
        .after
        .as_deref()
        .map(|c| parse_cursor(query.sort, c))
        .transpose()?;
    let order = match (query.sort, listed) {
        (Sort::Newest, true) => {
            if let Some(c) = &cursor {
                clauses.push("t.listed_seq < ?");
                values.push(Value::Integer(c.key));
            }
            "t.listed_seq DESC"
        }
        (Sort::Newest, false) => {
            if let Some(c) = &cursor {
                clauses.push("t.minted_seq < ?");
                values.push(Value::Integer(c.key));
            }
            "t.minted_seq DESC"
        }
        (Sort::PriceAsc, _) => {
            if let Some(c) = &cursor {
                clauses.push("(t.price, t.token_id) > (?, ?)");
                values.push(Value::Integer(c.key));
                values.push(Value::Integer(c.token_id));
            }
            "t.price, t.token_id"
        }
        (Sort::PriceDesc, _) => {
            if let Some(c) = &cursor {
                clauses.push("(t.price, t.token_id) < (?, ?)");
                values.push(Value::Integer(c.key));
                values.push(Value::Integer(c.token_id));
            }
            "t.price DESC, t.token_id DESC"
        }
        (Sort::RecentlySold, _) => {
            clauses.push("t.sold_seq IS NOT NULL");
            if let Some(c) = &cursor {
                clauses.push("t.sold_seq < ?");
                values.push(Value::Integer(c.key));
            }
            "t.sold_seq DESC"
        }
    };
    // With a text filter the (bounded) list of matching works drives the query and its rows are
    // sorted in memory: walking an order index would pass over most of the catalog.
    let order = if query.text.is_some() {
        format!("+{order}")
    } else {
        order.to_owned()
    };
    Ok(Some(BrowseStatement {
        sql: browse_sql(&clauses, &order),
        values,
        listed,
    }))
}

/// How many of the newest matching works a search ranks.
pub const SEARCH_WINDOW: u32 = 300;

/// The lowercase words of a query.
fn query_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Query words that begin a word of the title (CJK words: that occur in it).
fn title_score(title: &str, words: &[String]) -> f64 {
    let title = title.to_lowercase();
    let title_words: Vec<&str> = title.split(|c: char| !c.is_alphanumeric()).collect();
    words
        .iter()
        .filter(|w| {
            title_words.iter().any(|t| t.starts_with(w.as_str()))
                || (!w.is_ascii() && title.contains(w.as_str()))
        })
        .count() as f64
}

fn browse_sql(clauses: &[&str], order: &str) -> String {
    let filter = if clauses.is_empty() {
        String::from("1")
    } else {
        clauses.join(" AND ")
    };
    format!("SELECT {CARD_COLUMNS} {CARD_FROM} WHERE {filter} ORDER BY {order} LIMIT ?")
}

/// One entry of the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewEntry {
    /// The request id.
    pub request_id: u64,
    /// sha-256 of the new work's media (`0x…`).
    pub content_hash: String,
    /// The issuer that submitted it.
    pub issuer: String,
    /// The creator.
    pub creator: String,
    /// Its metadata document.
    pub metadata_cid: String,
    /// `(work id, PDQ distance)` of the registered works it resembles.
    pub matches: Vec<(u64, u16)>,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: String,
    /// The reviewer's reason.
    pub reason: Option<String>,
    /// The reviewer.
    pub decided_by: Option<String>,
    /// When it was submitted (unix seconds).
    pub submitted_at: u64,
    /// When it was decided or withdrawn.
    pub decided_at: Option<u64>,
    /// Title, once its metadata was fetched.
    pub title: Option<String>,
    /// Its picture.
    pub thumbnail_cid: Option<String>,
    /// Its media.
    pub media_cid: Option<String>,
}

const REVIEW_COLUMNS: &str = "r.request_id, r.content_hash, r.issuer, r.creator, r.metadata_cid,
    r.matches, r.status, r.reason, r.decided_by, r.submitted_at, r.decided_at, m.title,
    m.thumbnail_cid, m.media_cid
    FROM reviews r LEFT JOIN metadata m ON m.cid = r.metadata_cid";

fn review_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReviewEntry> {
    let matches: String = r.get(5)?;
    let matches: Vec<serde_json::Value> = serde_json::from_str(&matches).unwrap_or_default();
    Ok(ReviewEntry {
        request_id: r.get::<_, i64>(0)? as u64,
        content_hash: r.get(1)?,
        issuer: r.get(2)?,
        creator: r.get(3)?,
        metadata_cid: r.get(4)?,
        matches: matches
            .iter()
            .filter_map(|m| {
                Some((
                    m.get("work_id")?.as_u64()?,
                    u16::try_from(m.get("distance")?.as_u64()?).ok()?,
                ))
            })
            .collect(),
        status: r.get(6)?,
        reason: r.get(7)?,
        decided_by: r.get(8)?,
        submitted_at: r.get::<_, i64>(9)? as u64,
        decided_at: r.get::<_, Option<i64>>(10)?.map(|v| v as u64),
        title: r.get(11)?,
        thumbnail_cid: r.get(12)?,
        media_cid: r.get(13)?,
    })
}
