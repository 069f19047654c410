//! `hallmark jobs list|resume|discard`: mints interrupted by a crash, a kill or a lost node,
//! kept in the data folder's journal until they finish (see the engine's `journal` module).

use clap::Subcommand;
use hallmark_domain::ErrorCode;
use hallmark_engine::{CancelToken, UnfinishedMint};
use serde::Serialize;

use super::market::{signer, with_chain};
use super::{open_engine, print_line};
use crate::cli::{Cli, Signer};
use crate::failure::Failure;
use crate::json::{Minted, pretty as to_json};

/// `hallmark jobs …`.
#[derive(Debug, Subcommand)]
pub(crate) enum JobsCommand {
    /// The unfinished mints, oldest first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Finish unfinished mints: every one, or the one named by its content sha-256. A signed
    /// mint sends its kept transaction again (it can be mined only once); a prepared one runs
    /// again from its file.
    Resume {
        /// The content sha-256 of one mint (see `hallmark jobs list`).
        content: Option<String>,
        /// The account that signed them.
        #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
        account: Signer,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Forget an unfinished mint that was never signed.
    Discard {
        /// Its content sha-256.
        content: String,
    },
}

/// One resumed mint's result.
#[derive(Debug, Serialize)]
struct Resumed {
    content_sha256: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<Minted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Failed>,
}

#[derive(Debug, Serialize)]
struct Failed {
    code: ErrorCode,
    message: String,
}

fn describe(mint: &UnfinishedMint) -> String {
    format!(
        "{}  {:<8} {:?} ({}){}",
        mint.content_sha256,
        mint.step,
        mint.name,
        mint.path.display(),
        mint.tx_hash
            .as_deref()
            .map(|tx| format!("\n  transaction {tx}"))
            .unwrap_or_default()
    )
}

/// Runs `hallmark jobs …`.
pub(crate) async fn run(cli: &Cli, command: &JobsCommand) -> Result<(), Failure> {
    match command {
        JobsCommand::List { json } => {
            let engine = open_engine(cli).await?;
            let mints = engine.unfinished_mints()?;
            if *json {
                return print_line(&to_json(&mints)?);
            }
            if mints.is_empty() {
                return print_line("no unfinished mints");
            }
            let lines: Vec<String> = mints.iter().map(describe).collect();
            print_line(&lines.join("\n"))
        }
        JobsCommand::Discard { content } => {
            let engine = open_engine(cli).await?;
            engine.discard_mint(content)?;
            print_line(&format!("discarded the unfinished mint {content}"))
        }
        JobsCommand::Resume {
            content,
            account,
            json,
        } => resume(cli, content.as_deref(), *account, *json).await,
    }
}

async fn resume(
    cli: &Cli,
    content: Option<&str>,
    account: Signer,
    json: bool,
) -> Result<(), Failure> {
    let key = signer(cli, account)?;
    let results = with_chain(cli, async |engine| {
        let pending: Vec<UnfinishedMint> = match content {
            Some(sha) => engine
                .unfinished_mints()?
                .into_iter()
                .filter(|m| m.content_sha256 == sha)
                .collect(),
            None => engine.unfinished_mints()?,
        };
        if let (Some(sha), true) = (content, pending.is_empty()) {
            return Err(Failure::bad_input(format!(
                "no unfinished mint {sha} (see `hallmark jobs list`)"
            )));
        }
        let mut results = Vec::with_capacity(pending.len());
        for mint in pending {
            let done = engine
                .resume_mint(
                    &mint.content_sha256,
                    key.clone(),
                    &CancelToken::new(),
                    |_| {},
                )
                .await;
            results.push(match done {
                Ok(outcome) => Resumed {
                    content_sha256: mint.content_sha256,
                    name: mint.name,
                    outcome: Some(Minted::try_from(&outcome)?),
                    error: None,
                },
                Err(e) => Resumed {
                    content_sha256: mint.content_sha256,
                    name: mint.name,
                    outcome: None,
                    error: Some(Failed {
                        code: e.code(),
                        message: e.to_string(),
                    }),
                },
            });
        }
        Ok(results)
    })
    .await?;
    let failed = results.iter().filter(|r| r.error.is_some()).count();
    if json {
        print_line(&to_json(&results)?)?;
    } else if results.is_empty() {
        print_line("no unfinished mints")?;
    } else {
        let lines: Vec<String> = results
            .iter()
            .map(|r| match (&r.outcome, &r.error) {
                (Some(o), _) => format!(
                    "{:?}: registered work {} (token {}) in block {}, transaction {}",
                    r.name, o.work_id, o.token_id, o.block_number, o.tx_hash
                ),
                (None, Some(e)) => format!(
                    "{:?}: not finished [{}] {}",
                    r.name,
                    e.code,
                    crate::terminal::shown(&e.message)
                ),
                (None, None) => format!("{:?}: nothing to do", r.name),
            })
            .collect();
        print_line(&lines.join("\n"))?;
    }
    if failed > 0 {
        return Err(Failure::other(
            hallmark_domain::ErrorCode::MintUnfinished,
            format!(
                "{failed} of {} unfinished mints could not be finished",
                results.len()
            ),
        ));
    }
    Ok(())
}
