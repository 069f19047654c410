//! `hallmark review list|approve|reject|withdraw`: the consortium's queue of near-copy mints.

use hallmark_chain::format_utc;
use hallmark_engine::{IndexerConfig, U256};

use super::market::{as_account, with_chain};
use super::print_line;
use crate::cli::{Cli, ReviewCommand, ReviewStatusArg};
use crate::failure::Failure;
use crate::terminal::shown;

fn status_name(status: ReviewStatusArg) -> &'static str {
    match status {
        ReviewStatusArg::Pending => "pending",
        ReviewStatusArg::Approved => "approved",
        ReviewStatusArg::Rejected => "rejected",
        ReviewStatusArg::Withdrawn => "withdrawn",
    }
}

/// `hallmark review …`.
pub(crate) async fn run(cli: &Cli, command: &ReviewCommand) -> Result<(), Failure> {
    match command {
        ReviewCommand::List { status, json } => {
            let status = status.map(status_name);
            let entries = with_chain(cli, async |engine| {
                engine
                    .sync_catalog(IndexerConfig::default(), |_| {})
                    .await?;
                Ok(engine.catalog().reviews(status, 200)?)
            })
            .await?;
            if *json {
                let text = serde_json::to_string_pretty(&entries).map_err(|e| {
                    Failure::other(
                        hallmark_domain::ErrorCode::InternalEncode,
                        format!("JSON: {e}"),
                    )
                })?;
                return print_line(&text);
            }
            if entries.is_empty() {
                return print_line("the review queue is empty");
            }
            let mut out = String::new();
            for r in &entries {
                out.push_str(&format!(
                    "request {:<4} {:<9} “{}” by {} (issuer {}), submitted {}\n",
                    r.request_id,
                    r.status,
                    shown(r.title.as_deref().unwrap_or("(metadata not fetched)")),
                    shown(&r.creator),
                    shown(&r.issuer),
                    format_utc(r.submitted_at)
                ));
                for (work, distance) in &r.matches {
                    out.push_str(&format!(
                        "    looks like work {work} (distance {distance})\n"
                    ));
                }
                if let Some(reason) = &r.reason {
                    out.push_str(&format!(
                        "    decided by {}: {}\n",
                        shown(r.decided_by.as_deref().unwrap_or("?")),
                        shown(reason)
                    ));
                }
            }
            print_line(out.trim_end())
        }
        ReviewCommand::Approve(d) | ReviewCommand::Reject(d) => {
            let approve = matches!(command, ReviewCommand::Approve(_));
            let reason = d.reason.trim().to_owned();
            let tx = as_account(cli, d.account, async |client| {
                client
                    .decide_review(U256::from(d.request), approve, &reason)
                    .await
            })
            .await?;
            print_line(&format!(
                "request {} {} (block {})",
                d.request,
                if approve { "approved" } else { "rejected" },
                tx.block_number
            ))
        }
        ReviewCommand::Withdraw { request, account } => {
            let tx = as_account(cli, *account, async |client| {
                client.withdraw_review(U256::from(*request)).await
            })
            .await?;
            print_line(&format!(
                "request {request} withdrawn (block {})",
                tx.block_number
            ))
        }
    }
}
