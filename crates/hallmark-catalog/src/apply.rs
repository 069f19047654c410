//! Applying one event: its row in the event log and its effect on the derived tables.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::event::CatalogEvent;
use crate::fts::index_text;

/// Where an event happened.
pub(crate) struct EventContext<'a> {
    /// `block << 20 | log_index`: the global order of events.
    pub seq: i64,
    pub block: u64,
    pub log_index: u64,
    pub timestamp: u64,
    pub tx_hash: &'a str,
}

/// Log index bits in `seq`.
pub(crate) const LOG_INDEX_BITS: u32 = 20;

/// The order key of an event.
pub(crate) fn seq_of(block: u64, log_index: u64) -> Option<i64> {
    if log_index >= 1 << LOG_INDEX_BITS {
        return None;
    }
    let seq = block.checked_shl(LOG_INDEX_BITS)? | log_index;
    i64::try_from(seq).ok()
}

fn as_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Who did it, to whom, and how much: the columns of `events` that queries filter on.
fn parties(event: &CatalogEvent) -> (Option<&str>, Option<&str>, Option<i64>) {
    use CatalogEvent as E;
    match event {
        E::WorkRegistered {
            issuer, creator, ..
        } => (Some(issuer), Some(creator), None),
        E::EditionMinted { to, .. } => (None, Some(to), None),
        E::Frozen { by, .. } | E::Unfrozen { by, .. } => (Some(by), None, None),
        E::MetadataUpdate { .. } | E::HoldingPeriodSet { .. } => (None, None, None),
        E::Listed { seller, price, .. } => (Some(seller), None, Some(*price)),
        E::ListingCancelled { seller, .. } => (Some(seller), None, None),
        E::Sold {
            seller,
            buyer,
            price,
            ..
        } => (Some(seller), Some(buyer), Some(*price)),
        E::Gifted { from, to, .. } => (Some(from), Some(to), None),
        E::Payout { to, amount, .. } => (None, Some(to), Some(*amount)),
        E::LicenceOffered {
            holder,
            licensee,
            fee,
            ..
        } => (Some(holder), Some(licensee), Some(*fee)),
        E::LicenceOfferRevoked { .. } => (None, None, None),
        E::LicenceAccepted { licensee, fee, .. } => (None, Some(licensee), Some(*fee)),
        E::RoleGranted { account, by, .. }
        | E::RoleSuspended { account, by, .. }
        | E::RoleReinstated { account, by, .. }
        | E::CouncilAdded { account, by }
        | E::CouncilRemoved { account, by } => (Some(by), Some(account), None),
        E::ReviewRequested {
            issuer, creator, ..
        } => (Some(issuer), Some(creator), None),
        E::ReviewDecided { by, .. } => (Some(by), None, None),
        E::ReviewWithdrawn { .. } => (None, None, None),
        E::EndorsementRequested {
            creator, issuer, ..
        } => (Some(creator), Some(issuer), None),
        E::EndorsementApproved { issuer, .. } | E::EndorsementRejected { issuer, .. } => {
            (Some(issuer), None, None)
        }
        E::EndorsementWithdrawn { .. } => (None, None, None),
    }
}

/// Appends the event to the log.
pub(crate) fn log_event(
    tx: &Transaction<'_>,
    ctx: &EventContext<'_>,
    event: &CatalogEvent,
) -> rusqlite::Result<()> {
    let body = serde_json::to_string(event)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let (actor, counterparty, amount) = parties(event);
    tx.prepare_cached(
        "INSERT INTO events (seq, block, log_index, tx_hash, kind, work_id, token_id, actor,
                             counterparty, amount, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        ctx.seq,
        as_i64(ctx.block),
        as_i64(ctx.log_index),
        ctx.tx_hash,
        event.kind(),
        event.work_id().map(as_i64),
        event.token_id().map(as_i64),
        actor,
        counterparty,
        amount,
        body,
    ])?;
    Ok(())
}

fn role_name(role: u8) -> &'static str {
    match role {
        0 => "member",
        1 => "issuer",
        2 => "reviewer",
        _ => "unknown",
    }
}

/// Applies the event to the derived tables. `replaying` is true while rebuilding from the log
/// (then nothing outside the derived tables is touched).
pub(crate) fn derive(
    tx: &Transaction<'_>,
    ctx: &EventContext<'_>,
    event: &CatalogEvent,
    replaying: bool,
) -> rusqlite::Result<()> {
    use CatalogEvent as E;
    let now = as_i64(ctx.timestamp);
    match event {
        E::WorkRegistered {
            work_id,
            content_hash,
            creator,
            issuer,
            metadata_hash,
            metadata_cid,
            max_editions,
            royalty_bps,
        } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO works (work_id, content_hash, creator, issuer, metadata_hash,
                    metadata_cid, max_editions, minted, royalty_bps, registered_block,
                    registered_at, registered_tx, frozen_reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, ?11, 0)",
            )?
            .execute(params![
                as_i64(*work_id),
                content_hash,
                creator,
                issuer,
                metadata_hash,
                metadata_cid,
                max_editions,
                royalty_bps,
                as_i64(ctx.block),
                now,
                ctx.tx_hash
            ])?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO metadata (cid, status) VALUES (?1, 'pending')",
            )?
            .execute(params![metadata_cid])?;
            index_work(tx, as_i64(*work_id))?;
        }
        E::EditionMinted {
            work_id,
            token_id,
            edition,
            to,
        } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO tokens (token_id, work_id, edition, owner, acquired_at,
                    minted_seq, creator, issuer, kind, frozen)
                 SELECT ?1, w.work_id, ?2, ?3, ?4, ?5, w.creator, w.issuer, m.kind,
                        w.frozen_reason <> 0
                 FROM works w LEFT JOIN metadata m ON m.cid = w.metadata_cid
                 WHERE w.work_id = ?6",
            )?
            .execute(params![
                as_i64(*token_id),
                edition,
                to,
                now,
                ctx.seq,
                as_i64(*work_id)
            ])?;
            tx.prepare_cached("UPDATE works SET minted = max(minted, ?1) WHERE work_id = ?2")?
                .execute(params![edition, as_i64(*work_id)])?;
        }
        E::Frozen {
            work_id, reason, ..
        } => set_frozen(tx, *work_id, *reason)?,
        E::Unfrozen { work_id, .. } => set_frozen(tx, *work_id, 0)?,
        E::MetadataUpdate {
            from_token,
            to_token,
        } => {
            if !replaying {
                tx.prepare_cached(
                    "UPDATE metadata SET status = 'pending', next_attempt_at = 0, attempts = 0
                     WHERE cid IN (SELECT metadata_cid FROM works WHERE work_id BETWEEN ?1 AND ?2)",
                )?
                .execute(params![
                    as_i64(crate::event::work_of(*from_token)),
                    as_i64(crate::event::work_of(*to_token))
                ])?;
            }
        }
        E::Listed {
            token_id,
            seller,
            price,
        } => {
            tx.prepare_cached(
                "UPDATE tokens SET price = ?1, seller = ?2, listed_seq = ?3, listed_at = ?4
                 WHERE token_id = ?5",
            )?
            .execute(params![price, seller, ctx.seq, now, as_i64(*token_id)])?;
        }
        E::ListingCancelled { token_id, .. } => {
            tx.prepare_cached(
                "UPDATE tokens SET price = NULL, seller = NULL, listed_seq = NULL, listed_at = NULL
                 WHERE token_id = ?1",
            )?
            .execute(params![as_i64(*token_id)])?;
        }
        E::Sold {
            token_id,
            buyer,
            price,
            ..
        } => {
            change_hands(tx, *token_id, buyer, now)?;
            tx.prepare_cached(
                "UPDATE tokens SET last_price = ?1, sold_seq = ?2, sold_at = ?3 WHERE token_id = ?4",
            )?
            .execute(params![price, ctx.seq, now, as_i64(*token_id)])?;
        }
        E::Gifted { token_id, to, .. } => change_hands(tx, *token_id, to, now)?,
        E::Payout { .. } => {}
        E::HoldingPeriodSet { seconds } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('holding_period', ?1)",
            )?
            .execute(params![as_i64(*seconds)])?;
        }
        E::LicenceOffered {
            offer_id,
            token_id,
            licensee,
            holder,
            kind,
            scope_hash,
            duration,
            fee,
        } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO licences (offer_id, token_id, holder, licensee, kind,
                    scope_hash, duration, fee, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'offered')",
            )?
            .execute(params![
                as_i64(*offer_id),
                as_i64(*token_id),
                holder,
                licensee,
                kind,
                scope_hash,
                as_i64(*duration),
                fee
            ])?;
        }
        E::LicenceOfferRevoked { offer_id, .. } => {
            tx.prepare_cached("UPDATE licences SET status = 'revoked' WHERE offer_id = ?1")?
                .execute(params![as_i64(*offer_id)])?;
        }
        E::LicenceAccepted {
            offer_id,
            token_id,
            starts,
            expires,
            ..
        } => {
            tx.prepare_cached(
                "UPDATE licences SET status = 'accepted', starts = ?1, expires = ?2
                 WHERE offer_id = ?3",
            )?
            .execute(params![
                as_i64(*starts),
                as_i64(*expires),
                as_i64(*offer_id)
            ])?;
            tx.prepare_cached("UPDATE tokens SET licence_until = ?1 WHERE token_id = ?2")?
                .execute(params![as_i64(*expires), as_i64(*token_id)])?;
        }
        E::RoleGranted {
            role,
            account,
            attested_by,
            ..
        } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO members (account, role, status, attested_by, since)
                 VALUES (?1, ?2, 'active', ?3, ?4)",
            )?
            .execute(params![account, role_name(*role), attested_by, now])?;
        }
        E::RoleSuspended { role, account, .. } => set_role_status(tx, account, *role, "suspended")?,
        E::RoleReinstated { role, account, .. } => set_role_status(tx, account, *role, "active")?,
        E::CouncilAdded { account, .. } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO members (account, role, status, attested_by, since)
                 VALUES (?1, 'council', 'active', NULL, ?2)",
            )?
            .execute(params![account, now])?;
        }
        E::ReviewRequested {
            request_id,
            content_hash,
            issuer,
            creator,
            metadata_hash,
            metadata_cid,
            matched_works,
            distances,
        } => {
            let matches: Vec<serde_json::Value> = matched_works
                .iter()
                .zip(distances)
                .map(|(work, distance)| serde_json::json!({"work_id": work, "distance": distance}))
                .collect();
            let matches = serde_json::to_string(&matches)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            tx.prepare_cached(
                "INSERT OR REPLACE INTO reviews (request_id, content_hash, issuer, creator,
                    metadata_hash, metadata_cid, matches, status, submitted_at, submitted_tx)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9)",
            )?
            .execute(params![
                as_i64(*request_id),
                content_hash,
                issuer,
                creator,
                metadata_hash,
                metadata_cid,
                matches,
                now,
                ctx.tx_hash
            ])?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO metadata (cid, status) VALUES (?1, 'pending')",
            )?
            .execute(params![metadata_cid])?;
        }
        E::ReviewDecided {
            request_id,
            approved,
            by,
            reason,
            ..
        } => {
            tx.prepare_cached(
                "UPDATE reviews SET status = ?2, decided_by = ?3, reason = ?4, decided_at = ?5
                 WHERE request_id = ?1",
            )?
            .execute(params![
                as_i64(*request_id),
                if *approved { "approved" } else { "rejected" },
                by,
                reason,
                now
            ])?;
        }
        E::ReviewWithdrawn { request_id, .. } => {
            tx.prepare_cached(
                "UPDATE reviews SET status = 'withdrawn', decided_at = ?2 WHERE request_id = ?1",
            )?
            .execute(params![as_i64(*request_id), now])?;
        }
        E::CouncilRemoved { account, .. } => {
            tx.prepare_cached("DELETE FROM members WHERE account = ?1 AND role = 'council'")?
                .execute(params![account])?;
        }
        E::EndorsementRequested { .. }
        | E::EndorsementApproved { .. }
        | E::EndorsementRejected { .. }
        | E::EndorsementWithdrawn { .. } => {
            crate::endorsements::derive(tx, ctx, event, now)?;
        }
    }
    Ok(())
}

/// A freeze (`reason` ≠ 0) or an unfreeze. A freeze voids the work's listings, as the market
/// does: they do not come back at their old price after the unfreeze.
fn set_frozen(tx: &Transaction<'_>, work_id: u64, reason: u16) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE works SET frozen_reason = ?1 WHERE work_id = ?2")?
        .execute(params![reason, as_i64(work_id)])?;
    tx.prepare_cached("UPDATE tokens SET frozen = ?1 WHERE work_id = ?2")?
        .execute(params![reason != 0, as_i64(work_id)])?;
    if reason != 0 {
        tx.prepare_cached(
            "UPDATE tokens SET price = NULL, seller = NULL, listed_seq = NULL, listed_at = NULL
             WHERE work_id = ?1 AND price IS NOT NULL",
        )?
        .execute(params![as_i64(work_id)])?;
    }
    Ok(())
}

fn set_role_status(
    tx: &Transaction<'_>,
    account: &str,
    role: u8,
    status: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE members SET status = ?1 WHERE account = ?2 AND role = ?3")?
        .execute(params![status, account, role_name(role)])?;
    // A suspended member's listings are void, as the market has them: a reinstatement does not
    // bring them back.
    if status == "suspended" && role_name(role) == "member" {
        tx.prepare_cached(
            "UPDATE tokens SET price = NULL, seller = NULL, listed_seq = NULL, listed_at = NULL
             WHERE seller = ?1 AND price IS NOT NULL",
        )?
        .execute(params![account])?;
    }
    Ok(())
}

/// A sale or gift: new holder, listing void, open licence offers void.
fn change_hands(tx: &Transaction<'_>, token_id: u64, to: &str, now: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "UPDATE tokens SET owner = ?1, acquired_at = ?2, price = NULL, seller = NULL,
             listed_seq = NULL, listed_at = NULL
         WHERE token_id = ?3",
    )?
    .execute(params![to, now, as_i64(token_id)])?;
    tx.prepare_cached(
        "UPDATE licences SET status = 'void' WHERE token_id = ?1 AND status = 'offered'",
    )?
    .execute(params![as_i64(token_id)])?;
    Ok(())
}

/// Creator, title, description and attributes JSON of a work, for its full-text row.
type IndexedText = (String, Option<String>, Option<String>, Option<String>);

/// (Re)writes a work's attributes and full-text row from its fetched metadata, if any.
pub(crate) fn index_work(tx: &Transaction<'_>, work_id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached("DELETE FROM work_attributes WHERE work_id = ?1")?
        .execute(params![work_id])?;
    tx.prepare_cached("DELETE FROM works_fts WHERE rowid = ?1")?
        .execute(params![work_id])?;
    let row: Option<IndexedText> = tx
        .prepare_cached(
            "SELECT w.creator, m.title, m.description, m.attributes
             FROM works w JOIN metadata m ON m.cid = w.metadata_cid
             WHERE w.work_id = ?1 AND m.title IS NOT NULL",
        )?
        .query_row(params![work_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((creator, title, description, attributes)) = row else {
        return Ok(());
    };
    let pairs: Vec<(String, String)> = attributes
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let mut insert = tx.prepare_cached(
        "INSERT INTO work_attributes (work_id, trait, value) VALUES (?1, ?2, ?3)",
    )?;
    let mut attribute_text = String::new();
    for (name, value) in &pairs {
        insert.execute(params![work_id, name, value])?;
        attribute_text.push_str(name);
        attribute_text.push(' ');
        attribute_text.push_str(value);
        attribute_text.push('\n');
    }
    tx.prepare_cached(
        "INSERT INTO works_fts (rowid, title, description, creator, attributes)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        work_id,
        index_text(title.as_deref().unwrap_or_default()),
        index_text(description.as_deref().unwrap_or_default()),
        creator,
        index_text(&attribute_text),
    ])?;
    Ok(())
}
