//! `hallmark endorse request|list|show|approve|reject|withdraw`: artists who are not issuers ask
//! an issuer to endorse a work, then mint it themselves (`hallmark mint FILE --as ARTIST`).

use hallmark_chain::format_utc;
use hallmark_engine::catalog::{EndorsementEntry, EndorsementFilter};
use hallmark_engine::{CancelToken, CopyCheck, EngineError};

use super::market::{account_address, mint_request, signer, with_chain};
use super::print_line;
use crate::cli::{Cli, EndorseCommand, EndorseRequestArgs, EndorsementStatusArg};
use crate::failure::Failure;
use crate::terminal::shown;

fn status_name(status: EndorsementStatusArg) -> &'static str {
    match status {
        EndorsementStatusArg::Pending => "pending",
        EndorsementStatusArg::Approved => "approved",
        EndorsementStatusArg::Rejected => "rejected",
        EndorsementStatusArg::Withdrawn => "withdrawn",
        EndorsementStatusArg::Expired => "expired",
        EndorsementStatusArg::Registered => "registered",
    }
}

/// `hallmark endorse …`.
pub(crate) async fn run(cli: &Cli, command: &EndorseCommand) -> Result<(), Failure> {
    match command {
        EndorseCommand::Request(args) => request(cli, args).await,
        EndorseCommand::List {
            status,
            creator,
            issuer,
            json,
        } => {
            let filter = EndorsementFilter {
                status: status.map(|s| status_name(s).to_owned()),
                creator: creator
                    .as_deref()
                    .map(account_address)
                    .transpose()?
                    .map(|a| format!("{a:#x}")),
                decidable_by: issuer
                    .as_deref()
                    .map(account_address)
                    .transpose()?
                    .map(|a| format!("{a:#x}")),
            };
            let entries = with_chain(cli, async |engine| {
                Ok(engine.endorsements(&filter, 200).await?)
            })
            .await?;
            if *json {
                return print_line(&crate::json::pretty(&entries)?);
            }
            if entries.is_empty() {
                return print_line("no endorsement requests");
            }
            let text: Vec<String> = entries.iter().map(describe).collect();
            print_line(&text.join("\n"))
        }
        EndorseCommand::Show { request, json } => {
            let candidate = with_chain(cli, async |engine| {
                Ok(engine.examine_endorsement(*request).await?)
            })
            .await?;
            if *json {
                return print_line(&crate::json::pretty(&candidate)?);
            }
            let roles: Vec<String> = candidate
                .creator_roles
                .iter()
                .map(|(role, status)| format!("{role} ({status})"))
                .collect();
            print_line(&format!(
                "{}\n  artist's roles   {}\n  media            verified: its sha-256 is the requested content\n{}",
                describe(&candidate.request),
                if roles.is_empty() {
                    "none (not a member: the mint would be refused)".to_owned()
                } else {
                    roles.join(", ")
                },
                copies(&candidate.check)
            ))
        }
        EndorseCommand::Approve {
            request,
            valid_days,
            account,
        } => {
            let signer = signer(cli, *account)?;
            let decided = with_chain(cli, async |engine| {
                Ok(engine
                    .approve_endorsement(*request, *valid_days, signer)
                    .await?)
            })
            .await?;
            print_line(&format!(
                "request {request} endorsed (block {}); the artist may mint it until {}",
                decided.block_number,
                format_utc(decided.deadline.unwrap_or_default())
            ))
        }
        EndorseCommand::Reject {
            request,
            reason,
            account,
        } => {
            let signer = signer(cli, *account)?;
            let reason = reason.trim().to_owned();
            let decided = with_chain(cli, async |engine| {
                Ok(engine.reject_endorsement(*request, &reason, signer).await?)
            })
            .await?;
            print_line(&format!(
                "request {request} declined (block {})",
                decided.block_number
            ))
        }
        EndorseCommand::Withdraw { request, account } => {
            let signer = signer(cli, *account)?;
            let decided = with_chain(cli, async |engine| {
                Ok(engine.withdraw_endorsement(*request, signer).await?)
            })
            .await?;
            print_line(&format!(
                "request {request} withdrawn (block {})",
                decided.block_number
            ))
        }
    }
}

/// `hallmark endorse request`.
async fn request(cli: &Cli, args: &EndorseRequestArgs) -> Result<(), Failure> {
    let request = mint_request(&args.work)?;
    // Checked here too, so a refused request starts no chain.
    request.validate().map_err(EngineError::from)?;
    let issuer = args.issuer.as_deref().map(account_address).transpose()?;
    let signer = signer(cli, args.account)?;
    let sent = with_chain(cli, async |engine| {
        Ok(engine
            .request_endorsement(&request, issuer, signer, &CancelToken::new())
            .await?)
    })
    .await?;
    if args.json {
        return print_line(&crate::json::pretty(&sent)?);
    }
    print_line(&format!(
        "endorsement request {} sent to {} (block {})\n  content sha-256  {}\n  media            ipfs://{}\n  metadata         ipfs://{}\n{}\nOnce endorsed, mint it with `hallmark mint {} --as ARTIST`.",
        sent.request_id,
        sent.issuer
            .as_deref()
            .map_or_else(|| "any issuer".to_owned(), |i| format!("issuer {i}")),
        sent.block_number,
        sent.content_sha256,
        sent.media_cid,
        sent.metadata_cid,
        copies(&sent.check),
        shown(&args.work.file.display().to_string())
    ))
}

/// One request in a few lines.
fn describe(e: &EndorsementEntry) -> String {
    let mut out = format!(
        "request {:<4} {:<10} “{}” by {} to {}, asked {}\n    {} edition(s), royalty {} bps, content {}",
        e.request_id,
        e.status,
        shown(e.title.as_deref().unwrap_or("(metadata not fetched)")),
        shown(&e.creator),
        e.issuer.as_deref().map_or_else(
            || "any issuer".to_owned(),
            |i| format!("issuer {}", shown(i))
        ),
        format_utc(e.requested_at),
        e.max_editions,
        e.royalty_bps,
        shown(&e.content_hash)
    );
    match e.status.as_str() {
        "approved" => out.push_str(&format!(
            "\n    endorsed by {}; mint it until {}",
            shown(e.decided_by.as_deref().unwrap_or("?")),
            format_utc(e.deadline.unwrap_or_default())
        )),
        "rejected" => out.push_str(&format!(
            "\n    declined by {}: {}",
            shown(e.decided_by.as_deref().unwrap_or("?")),
            shown(e.reason.as_deref().unwrap_or(""))
        )),
        "registered" => {
            if let Some(work) = e.work_id {
                out.push_str(&format!("\n    minted as work {work}"));
            }
        }
        _ => {}
    }
    out
}

/// The copy check in words.
fn copies(check: &CopyCheck) -> String {
    if check.near.is_empty() {
        return format!(
            "  copy check       no near copy among {} registered works",
            check.compared
        );
    }
    let mut out = format!(
        "  copy check       looks like {} registered work(s) (an issuer's approval sends it to review first):",
        check.near.len()
    );
    for m in &check.near {
        out.push_str(&format!(
            "\n    work {} “{}” (distance {}, {})",
            m.work_id,
            shown(m.title.as_deref().unwrap_or("?")),
            m.distance,
            m.transform
        ));
    }
    out
}
