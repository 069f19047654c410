//! `hallmark sync|browse|search|show|catalog`: the local catalog. Queries run offline against
//! the SQLite cache; `sync` and `catalog rebuild` need the chain, and `show` syncs first when
//! the catalog does not know the token yet (a mint a moment ago).

use std::time::{SystemTime, UNIX_EPOCH};

use hallmark_chain::format_utc;
use hallmark_engine::catalog::{BrowseQuery, Sort, TokenCard, WorkView};
use hallmark_engine::{Engine, IndexerConfig, SyncProgress, SyncReport};

use super::market::with_chain;
use super::{open_engine, print_line};
use crate::cli::{BrowseArgs, CatalogCommand, Cli, SearchArgs, ShowArgs, SortArg, SyncArgs};
use crate::failure::Failure;
use crate::json::pretty as to_json;
use crate::terminal::shown;

/// Credits (`12`, `12.5`, `12.50`) to cents.
pub(crate) fn parse_credits(text: &str) -> Result<i64, Failure> {
    hallmark_domain::credits::parse(text)
        .and_then(|c| i64::try_from(c).ok())
        .ok_or_else(|| {
            Failure::bad_input(format!("`{text}` is not an amount of credits (like 12.50)"))
        })
}

/// Cents as credits, `12.50`.
pub(crate) fn format_credits(cents: i64) -> String {
    hallmark_domain::credits::format(cents)
}

fn progress_line(p: &SyncProgress) -> String {
    format!(
        "synced block {} of {} ({} behind), {} events, {:.0} events/s",
        p.synced_block
            .map_or_else(|| "-".to_owned(), |b| b.to_string()),
        p.head_block,
        p.blocks_behind,
        p.events,
        p.events_per_second
    )
}

fn indexer_config(args: &SyncArgs) -> IndexerConfig {
    IndexerConfig {
        initial_page_blocks: args.page_blocks,
        max_page_blocks: args.max_page_blocks.max(args.page_blocks),
        ..IndexerConfig::default()
    }
}

fn print_report(report: &SyncReport, json: bool) -> Result<(), Failure> {
    if json {
        return print_line(&to_json(report)?);
    }
    print_line(&progress_line(&report.progress))?;
    print_line(&format!(
        "metadata: {} fetched, {} unavailable (retried later), {} invalid\ncatalog: {} works, {} tokens, {} listed, {} events",
        report.metadata.available,
        report.metadata.unavailable,
        report.metadata.invalid,
        report.catalog.works,
        report.catalog.tokens,
        report.catalog.listed,
        report.catalog.events
    ))
}

/// `hallmark sync`.
pub(crate) async fn sync(cli: &Cli, args: &SyncArgs) -> Result<(), Failure> {
    let config = indexer_config(args);
    let verbose = !args.json;
    if !args.follow {
        let report = with_chain(cli, async |engine| {
            Ok(engine
                .sync_catalog(config, |p| {
                    if verbose && p.blocks_behind > 0 {
                        eprintln!("{}", progress_line(p));
                    }
                })
                .await?)
        })
        .await?;
        return print_report(&report, args.json);
    }
    with_chain(cli, async |engine| {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = stop_tx.send(true);
            }
        });
        let progress = engine
            .follow_catalog(config, stop_rx, |p| {
                if verbose {
                    eprintln!("{}", progress_line(p));
                }
            })
            .await?;
        print_line(&progress_line(&progress))
    })
    .await
}

/// `hallmark catalog …`.
pub(crate) async fn run(cli: &Cli, command: &CatalogCommand) -> Result<(), Failure> {
    match command {
        CatalogCommand::Rebuild(args) => {
            let config = indexer_config(args);
            let report = with_chain(cli, async |engine| {
                Ok(engine.rebuild_catalog(config, |_| {}).await?)
            })
            .await?;
            print_report(&report, args.json)
        }
        CatalogCommand::Status(args) => {
            let engine = open_engine(cli).await?;
            let catalog = engine.catalog();
            let state = catalog.sync_state()?;
            let stats = catalog.stats()?;
            if args.json {
                return print_line(&to_json(&serde_json::json!({
                    "path": catalog.path(),
                    "sync": state,
                    "stats": stats,
                }))?);
            }
            let sync = match &state {
                Some(s) => format!(
                    "chain {} (works {}), synced to block {}",
                    s.chain_id,
                    s.works_address,
                    s.synced_block()
                        .map_or_else(|| "-".to_owned(), |b| b.to_string())
                ),
                None => "not synced yet (run `hallmark sync`)".to_owned(),
            };
            print_line(&format!(
                "catalog {}\n  {sync}\n  {} works, {} tokens, {} listed, {} events\n  metadata: {} pending, {} unavailable, {} invalid",
                catalog.path().display(),
                stats.works,
                stats.tokens,
                stats.listed,
                stats.events,
                stats.metadata_pending,
                stats.metadata_unavailable,
                stats.metadata_invalid
            ))
        }
    }
}

fn card_line(card: &TokenCard) -> String {
    let price = card.price.map_or_else(
        || "not listed".to_owned(),
        |p| format!("{} credits", format_credits(p)),
    );
    let title = match (&card.title, card.media_status.as_str()) {
        (Some(t), "available") => shown(t).into_owned(),
        (Some(t), _) => format!("{} [media unavailable]", shown(t)),
        (None, "pending") => "(metadata not fetched yet)".to_owned(),
        (None, _) => "[media unavailable]".to_owned(),
    };
    let frozen = if card.frozen { "  FROZEN" } else { "" };
    format!(
        "{:>14}  {:<32}  {}/{}  {:<6}  {}{frozen}",
        card.token_id,
        title,
        card.edition,
        card.max_editions,
        shown(card.kind.as_deref().unwrap_or("?")),
        price
    )
}

/// `hallmark browse`.
pub(crate) async fn browse(cli: &Cli, args: &BrowseArgs) -> Result<(), Failure> {
    let attribute = args
        .attr
        .as_deref()
        .map(|a| {
            a.split_once('=')
                .map(|(t, v)| (t.to_owned(), v.to_owned()))
                .ok_or_else(|| Failure::bad_input(format!("`{a}` is not TRAIT=VALUE")))
        })
        .transpose()?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let query = BrowseQuery {
        kind: args.kind.clone(),
        min_price: args.min_price.as_deref().map(parse_credits).transpose()?,
        max_price: args.max_price.as_deref().map(parse_credits).transpose()?,
        creator: args.creator.clone(),
        issuer: args.issuer.clone(),
        owner: args.owner.clone(),
        attribute,
        listed_only: args.listed,
        licence_free_at: args.licence_free.then_some(now),
        text: args.text.clone(),
        sort: match args.sort {
            SortArg::Newest => Sort::Newest,
            SortArg::Price => Sort::PriceAsc,
            SortArg::PriceDesc => Sort::PriceDesc,
            SortArg::Sold => Sort::RecentlySold,
        },
        limit: args.limit,
        after: args.after.clone(),
    };
    let engine = open_engine(cli).await?;
    let page = engine.catalog().browse(&query)?;
    if args.json {
        return print_line(&to_json(&page)?);
    }
    if page.items.is_empty() {
        return print_line("no tokens match");
    }
    for card in &page.items {
        print_line(&card_line(card))?;
    }
    if let Some(next) = &page.next {
        print_line(&format!("more: --after {next}"))?;
    }
    Ok(())
}

/// `hallmark search`.
pub(crate) async fn search(cli: &Cli, args: &SearchArgs) -> Result<(), Failure> {
    let engine = open_engine(cli).await?;
    let hits = engine.catalog().search(&args.text, args.limit)?;
    if args.json {
        return print_line(&to_json(&hits)?);
    }
    if hits.is_empty() {
        return print_line("no works match");
    }
    for hit in &hits {
        let floor = hit.floor_price.map_or_else(
            || "none for sale".to_owned(),
            |p| format!("{} for sale from {} credits", hit.listed, format_credits(p)),
        );
        print_line(&format!(
            "work {:>6}  {:<32}  by {}  {}",
            hit.work_id,
            shown(hit.title.as_deref().unwrap_or("[media unavailable]")),
            shown(&hit.creator),
            floor
        ))?;
    }
    Ok(())
}

/// `hallmark show`.
pub(crate) async fn show(cli: &Cli, args: &ShowArgs) -> Result<(), Failure> {
    let id: u64 = args.token.trim().parse().map_err(|_| {
        Failure::bad_input(format!(
            "`{}` is not a token or work id (a number)",
            args.token
        ))
    })?;
    let token_id = if id < hallmark_engine::catalog::EDITION_BASE {
        id * hallmark_engine::catalog::EDITION_BASE + 1
    } else {
        id
    };
    let work_id = hallmark_engine::catalog::work_of(token_id);
    let engine = open_engine(cli).await?;
    let found = find_token(&engine, work_id, token_id).await;
    engine.shutdown().await;
    let (work, token) = found?;
    let catalog = engine.catalog();
    let timeline = catalog.provenance(work_id)?;
    let licences = catalog.licences(token_id)?;
    if args.json {
        return print_line(&to_json(&serde_json::json!({
            "work": work,
            "token": token,
            "provenance": crate::json::provenance(&timeline)?,
            "licences": licences,
        }))?);
    }
    let mut out = String::new();
    out.push_str(&format!(
        "token {token_id}: {} (edition {} of {})\n",
        shown(work.title.as_deref().unwrap_or("[media unavailable]")),
        token.edition,
        work.max_editions
    ));
    if work.media_status != "available" {
        out.push_str(&format!(
            "  media            unavailable{}\n",
            work.media_error
                .as_deref()
                .map(|e| format!(": {}", shown(e)))
                .unwrap_or_default()
        ));
    }
    out.push_str(&format!("  creator          {}\n", work.creator));
    out.push_str(&format!("  holder           {}\n", token.owner));
    out.push_str(&format!(
        "  listing          {}\n",
        token.price.map_or_else(
            || "not listed".to_owned(),
            |p| format!("{} credits", format_credits(p))
        )
    ));
    if work.frozen_reason != 0 {
        out.push_str(&format!(
            "  frozen           by review (reason {})\n",
            work.frozen_reason
        ));
    }
    out.push_str(&format!(
        "  content sha-256  {}\n",
        work.content_hash.trim_start_matches("0x")
    ));
    out.push_str(&format!(
        "  metadata         ipfs://{}\n",
        work.metadata_cid
    ));
    out.push_str(&format!(
        "  registered       block {} at {} (tx {})\n",
        work.registered_block,
        format_utc(work.registered_at),
        work.registered_tx
    ));
    out.push_str("provenance:\n");
    for entry in timeline
        .iter()
        .filter(|e| e.token_id.is_none() || e.token_id == Some(token_id))
    {
        let who = match (&entry.actor, &entry.counterparty) {
            (Some(a), Some(b)) => format!("{a} → {b}"),
            (Some(a), None) => a.clone(),
            (None, Some(b)) => format!("→ {b}"),
            (None, None) => String::new(),
        };
        let amount = entry
            .amount
            .map(|a| format!("  {} credits", format_credits(a)))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {}  block {:>6}  {:<18} {who}{amount}\n",
            format_utc(entry.timestamp),
            entry.block,
            entry.kind
        ));
    }
    for licence in &licences {
        out.push_str(&format!(
            "licence offer {}: {} to {} for {} credits\n",
            licence.offer_id,
            licence.status,
            licence.licensee,
            format_credits(licence.fee)
        ));
    }
    print_line(out.trim_end())
}

/// The work and token from the catalog; when the catalog does not know them yet (minted since
/// the last sync), it is synced first, or the error says why it could not be.
async fn find_token(
    engine: &Engine,
    work_id: u64,
    token_id: u64,
) -> Result<(WorkView, TokenCard), Failure> {
    let lookup = || -> Result<Option<(WorkView, TokenCard)>, Failure> {
        let Some(work) = engine.catalog().work(work_id)? else {
            return Ok(None);
        };
        let token = work
            .editions
            .iter()
            .find(|c| c.token_id == token_id)
            .cloned();
        Ok(token.map(|token| (work, token)))
    };
    if let Some(found) = lookup()? {
        return Ok(found);
    }
    let started = engine.start_dev_chain().await;
    let freshness = engine.refresh_catalog().await?;
    if let Some(found) = lookup()? {
        return Ok(found);
    }
    let block = freshness
        .synced_block
        .map_or_else(|| "-".to_owned(), |b| b.to_string());
    let work_known = engine.catalog().work(work_id)?.is_some();
    if freshness.up_to_date {
        let missing = if work_known {
            format!("work {work_id} has no token {token_id}")
        } else {
            format!("no work {work_id} is registered")
        };
        return Err(Failure::bad_input(format!(
            "{missing} (the catalog was synced to block {block} just now)"
        )));
    }
    let missing = if work_known {
        format!("the catalog's work {work_id} has no token {token_id}")
    } else {
        format!("the catalog has no work {work_id}")
    };
    let reason = match started {
        Err(e) => e.to_string(),
        Ok(()) => freshness
            .chain_error
            .unwrap_or_else(|| "no reason given".to_owned()),
    };
    Err(Failure::other(
        hallmark_domain::ErrorCode::CatalogNotFound,
        format!("{missing} (as of block {block}) and it could not be synced: {reason}"),
    )
    .with_hint("start the chain (`hallmark chain up`) and try again"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_errors_name_the_input() {
        assert_eq!(parse_credits("12.5").ok(), Some(1250));
        let failure = parse_credits("1.234").expect_err("refused");
        assert!(failure.message.contains("`1.234`"));
    }
}
