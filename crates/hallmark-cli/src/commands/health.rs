//! `hallmark health` (are my works still retrievable, intact and pinned?) and
//! `hallmark refresh` (fetch a work's metadata again now). Both work offline from the chain:
//! the works come from the local catalog.

use std::time::Duration;

use clap::{Args, ValueEnum};
use hallmark_chain::format_utc;
use hallmark_engine::catalog::EDITION_BASE;
use hallmark_engine::{Availability, HealthEntry, HealthReport, HealthRequest, dev_signer};
use serde::Serialize;

use super::{open_engine, print_line};
use crate::cli::{Cli, DemoAccount};
use crate::failure::Failure;

/// `hallmark health`.
#[derive(Debug, Args)]
pub(crate) struct HealthArgs {
    /// Whose works (those it created or holds): a demo account (issuer, member1, …) or an
    /// address (0x…).
    #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
    pub(crate) account: String,
    /// Only this work (repeatable).
    #[arg(long = "work", value_name = "WORK")]
    pub(crate) works: Vec<u64>,
    /// Re-pin from the local copy: pin what is unpinned, restore what a copy on this machine
    /// can restore, request absent or failed remote pins again; then check again.
    #[arg(long)]
    pub(crate) fix: bool,
    /// With --fix: how long to wait for re-requested remote pins to be pinned.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub(crate) wait: u64,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark refresh`.
#[derive(Debug, Args)]
pub(crate) struct RefreshArgs {
    /// The work id (a token id names its work).
    pub(crate) work: u64,
    /// Print the result as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

fn to_json(value: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::InternalEncode,
            format!("JSON: {e}"),
        )
    })
}

/// `0x…` (40 hex digits) as is, else a demo account's address.
pub(crate) fn account_address(text: &str) -> Result<String, Failure> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        if hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(format!("0x{}", hex.to_ascii_lowercase()));
        }
        return Err(Failure::bad_input(format!(
            "`{text}` is not an address (0x and 40 hex digits)"
        )));
    }
    let demo = DemoAccount::from_str(text, true).map_err(|_| {
        Failure::bad_input(format!(
            "`{text}` is neither an address nor a demo account (council, issuer, reviewer, member1 … member4)"
        ))
    })?;
    Ok(format!("{:#x}", dev_signer(demo.key_index())?.address()))
}

fn when(secs: Option<u64>) -> String {
    secs.map_or_else(|| "never".to_owned(), format_utc)
}

fn entry_lines(entry: &HealthEntry) -> Vec<String> {
    let title = entry
        .title
        .as_deref()
        .map(|t| format!(" \"{}\"", crate::terminal::shown(t)))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "  work {}{title} — {}: {}",
        entry.work_id,
        entry.backend_label,
        entry.status.as_str()
    )];
    if let Some(detail) = &entry.detail {
        lines.push(format!("      {}", crate::terminal::shown(detail)));
    }
    if entry.is_ok() {
        let items: Vec<&str> = entry.items.iter().map(|i| i.item.as_str()).collect();
        let verb = if entry.backend == hallmark_engine::LOCAL_BACKEND {
            "verified"
        } else {
            "pinned"
        };
        lines.push(format!("      {} {verb}", items.join(", ")));
    } else {
        for item in entry.items.iter().filter(|i| i.status != Availability::Ok) {
            lines.push(format!(
                "      {} {}: {}{}",
                item.item,
                item.cid.as_deref().unwrap_or("(CID unknown)"),
                item.status.as_str(),
                item.detail
                    .as_deref()
                    .map(|d| format!(" — {d}"))
                    .unwrap_or_default()
            ));
        }
    }
    lines.push(format!(
        "      last verified OK: {}",
        when(entry.last_verified_at)
    ));
    lines
}

fn report_text(report: &HealthReport) -> String {
    let services = if report.services.is_empty() {
        "no pinning service".to_owned()
    } else {
        let names: Vec<String> = report
            .services
            .iter()
            .map(|s| {
                format!(
                    "{} (token set: {})",
                    s.name,
                    if s.token_set { "yes" } else { "no" }
                )
            })
            .collect();
        format!("pinning: {}", names.join(", "))
    };
    let mut lines = vec![format!(
        "availability of {} work(s) created or held by {} — local store: {}; {services}",
        report.works, report.account, report.store
    )];
    if report.works == 0 {
        lines.push(if report.catalog_synced {
            "no works of this account in the local catalog".to_owned()
        } else {
            "the local catalog is empty: run `hallmark sync` first".to_owned()
        });
    }
    let (bad, good): (Vec<&HealthEntry>, Vec<&HealthEntry>) =
        report.entries.iter().partition(|e| !e.is_ok());
    if !bad.is_empty() {
        lines.push(format!("PROBLEMS ({})", bad.len()));
        lines.extend(bad.iter().flat_map(|e| entry_lines(e)));
    }
    if !good.is_empty() {
        lines.push(format!("OK ({})", good.len()));
        lines.extend(good.iter().flat_map(|e| entry_lines(e)));
    }
    if !report.fixes.is_empty() {
        lines.push(format!("FIX ({})", report.fixes.len()));
        for fix in &report.fixes {
            lines.push(format!(
                "  work {} {} {}{}: {}{}",
                fix.work_id,
                fix.backend,
                fix.item,
                fix.cid
                    .as_deref()
                    .map(|c| format!(" {c}"))
                    .unwrap_or_default(),
                fix.action,
                fix.detail
                    .as_deref()
                    .map(|d| format!(" — {d}"))
                    .unwrap_or_default()
            ));
        }
    }
    if let Some(u) = report.unreferenced.filter(|u| u.blocks > 0) {
        lines.push(format!(
            "UNREFERENCED BLOCKS: {} ({} bytes) in the local store, left by refused or interrupted writes: {}",
            u.blocks,
            u.bytes,
            if u.removed {
                "removed"
            } else {
                "`hallmark health --fix` removes them"
            }
        ));
    }
    lines.join("\n")
}

/// `hallmark health`: exit status 0 only when no problem remains.
pub(crate) async fn health(cli: &Cli, args: &HealthArgs) -> Result<(), Failure> {
    let account = account_address(&args.account)?;
    let engine = open_engine(cli).await?;
    let request = HealthRequest {
        account,
        works: (!args.works.is_empty()).then(|| args.works.clone()),
        fix: args.fix,
        wait: Duration::from_secs(args.wait),
    };
    let report = engine.health(&request).await;
    engine.shutdown().await;
    let report = report?;
    if args.json {
        print_line(&to_json(&report)?)?;
    } else {
        print_line(&report_text(&report))?;
    }
    if report.healthy() {
        return Ok(());
    }
    let failure = if report.problems == 0 {
        Failure::other(
            hallmark_domain::ErrorCode::HealthProblems,
            "the local store holds blocks nothing references",
        )
    } else {
        Failure::other(
            hallmark_domain::ErrorCode::HealthProblems,
            format!(
                "{} problem(s) remain in the availability of these works",
                report.problems
            ),
        )
    };
    Err(if args.fix {
        failure
    } else {
        failure.with_hint("`hallmark health --fix` re-pins from the local copy what it can, and removes unreferenced blocks")
    })
}

/// `hallmark refresh`: exit status 0 only when the document is available.
pub(crate) async fn refresh(cli: &Cli, args: &RefreshArgs) -> Result<(), Failure> {
    let work = if args.work >= EDITION_BASE {
        args.work / EDITION_BASE
    } else {
        args.work
    };
    let engine = open_engine(cli).await?;
    let report = engine.refresh_work(work).await;
    engine.shutdown().await;
    let report = report?;
    if args.json {
        print_line(&to_json(&report)?)?;
    } else {
        print_line(&format!(
            "work {}: metadata {} {} (fetched {})",
            report.work_id,
            report.metadata_cid,
            report.status,
            when(report.fetched_at)
        ))?;
    }
    match report.status.as_str() {
        "available" => Ok(()),
        status => Err(Failure::other(
            hallmark_domain::ErrorCode::MetadataUnavailable,
            format!(
                "the metadata of work {} is {status}: {}",
                report.work_id,
                report.error.as_deref().unwrap_or("no reason recorded")
            ),
        )),
    }
}
