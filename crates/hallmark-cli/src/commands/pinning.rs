//! `hallmark pinning add|remove|list|pin`: remote pinning services (IPFS Pinning Service API).
//! Tokens are read from standard input (or an environment variable), never from the command
//! line, and never printed.

use std::io::{BufRead, IsTerminal};

use clap::{Args, Subcommand};
use hallmark_domain::ErrorCode;
use hallmark_engine::EngineError;
use hallmark_engine::catalog::EDITION_BASE;
use serde::Serialize;

use super::{open_engine, print_line};
use crate::cli::Cli;
use crate::failure::Failure;

/// `hallmark pinning …`.
#[derive(Debug, Subcommand)]
pub(crate) enum PinningCommand {
    /// Add a service; its access token is read from standard input (one line) or from the
    /// environment variable named by --token-env, and kept with the account secrets.
    Add(AddArgs),
    /// Remove a service and its token (the pins it holds stay there).
    Remove {
        /// The service's name.
        name: String,
    },
    /// The configured services (never their tokens).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ask every service to pin a work's media, metadata, thumbnail and preview (those not
    /// already pinned or queued there).
    Pin {
        /// The work id (a token id names its work).
        work: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `hallmark pinning add`.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// A name for the service (unique).
    pub(crate) name: String,
    /// Its API endpoint, e.g. https://api.example.com/psa.
    pub(crate) endpoint: String,
    /// Read the token from this environment variable instead of standard input.
    #[arg(long, value_name = "VAR")]
    pub(crate) token_env: Option<String>,
}

fn to_json(value: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::InternalEncode,
            format!("JSON: {e}"),
        )
    })
}

fn read_token(args: &AddArgs) -> Result<zeroize::Zeroizing<String>, Failure> {
    if let Some(var) = &args.token_env {
        let token = std::env::var(var).map_err(|_| {
            Failure::bad_input(format!("the environment variable {var} is not set"))
        })?;
        return Ok(zeroize::Zeroizing::new(token.trim().to_owned()));
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("access token for {}: ", args.name);
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    stdin.lock().read_line(&mut line).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::CliInput,
            format!(
                "cannot read the token from standard input: {}",
                hallmark_files::plain_reason(&e)
            ),
        )
    })?;
    Ok(zeroize::Zeroizing::new(line.trim().to_owned()))
}

fn input_failure(e: EngineError) -> Failure {
    if e.code() == ErrorCode::PinningInvalidInput {
        Failure::bad_input(e.to_string())
    } else {
        e.into()
    }
}

/// `hallmark pinning …`.
pub(crate) async fn run(cli: &Cli, command: &PinningCommand) -> Result<(), Failure> {
    let engine = open_engine(cli).await?;
    let result = run_on(&engine, command).await;
    engine.shutdown().await;
    result
}

async fn run_on(engine: &hallmark_engine::Engine, command: &PinningCommand) -> Result<(), Failure> {
    match command {
        PinningCommand::Add(args) => {
            let token = read_token(args)?;
            let info = engine
                .add_pinning_service(&args.name, &args.endpoint, &token)
                .map_err(input_failure)?;
            print_line(&format!(
                "pinning service {} added ({}; token set: yes)",
                info.name, info.endpoint
            ))
        }
        PinningCommand::Remove { name } => {
            engine.remove_pinning_service(name)?;
            print_line(&format!("pinning service {name} removed"))
        }
        PinningCommand::List { json } => {
            let services = engine.pinning_services()?;
            if *json {
                return print_line(&to_json(&services)?);
            }
            if services.is_empty() {
                return print_line("no pinning service is configured");
            }
            let lines: Vec<String> = services
                .iter()
                .map(|s| {
                    format!(
                        "{}  {}  token set: {}",
                        s.name,
                        s.endpoint,
                        if s.token_set { "yes" } else { "no" }
                    )
                })
                .collect();
            print_line(&lines.join("\n"))
        }
        PinningCommand::Pin { work, json } => {
            let work = if *work >= EDITION_BASE {
                work / EDITION_BASE
            } else {
                *work
            };
            let report = engine.pin_remote(work).await?;
            if *json {
                print_line(&to_json(&report)?)?;
            } else {
                let mut lines = vec![format!(
                    "work {}: {} pin request(s){}",
                    report.work_id,
                    report.outcomes.len(),
                    if report.origins.is_empty() {
                        String::new()
                    } else {
                        format!(", origins {}", report.origins.join(" "))
                    }
                )];
                for o in &report.outcomes {
                    lines.push(format!(
                        "  {} {} {}: {}{}",
                        o.service,
                        o.item,
                        o.cid,
                        o.action,
                        match (&o.status, &o.error) {
                            (_, Some(e)) => format!(" — {}", crate::terminal::shown(&e.message)),
                            (Some(s), None) => format!(" ({s})"),
                            _ => String::new(),
                        }
                    ));
                }
                print_line(&lines.join("\n"))?;
            }
            if report.all_ok() {
                Ok(())
            } else {
                Err(Failure::other(
                    hallmark_domain::ErrorCode::PinningPinFailed,
                    "some pinning services did not accept the pin requests",
                ))
            }
        }
    }
}
