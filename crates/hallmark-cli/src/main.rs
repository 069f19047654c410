//! `hallmark`: the command line over Hallmark's engine.
//!
//! Output contract: results on stdout (with `--json`, the shapes of docs/cli.md); on failure
//! exactly one `error: …` line (plus an optional `hint: …` line), each ending with a newline, on
//! stderr, exit status 2 for bad input or usage and 1 for anything else. An engine error's line
//! ends with its stable code in brackets, e.g. `error: the disk holding the data folder /data is
//! full: free some space there and try again [storage.full]`.
//! Logs go to stderr only when asked for (`-v`, or `RUST_LOG`).

mod cli;
mod commands;
mod failure;
mod json;
mod progress;
mod terminal;

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use clap::FromArgMatches;
use tracing_subscriber::EnvFilter;

use crate::cli::{Cli, Command};
use crate::failure::{EXIT_FAILURE, Failure};

fn main() -> ExitCode {
    let cli = match cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    init_logging(cli.verbose);
    panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".to_owned());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: internal error: {}{place} (please report this) [{}]",
            failure::one_line(&message),
            hallmark_domain::ErrorCode::InternalPanic
        );
    }));
    match panic::catch_unwind(AssertUnwindSafe(|| run(&cli))) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(failure)) => {
            let failure = failure.with_store_hint(cli.ipfs_api.as_deref(), cli.data_dir.clone());
            failure.print();
            ExitCode::from(failure.exit_code())
        }
        Err(_) => ExitCode::from(EXIT_FAILURE),
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "off",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

fn run(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Cid(args) => commands::cid::run(args),
        Command::Ingest(args) => block_on(commands::ingest::run(cli, args)),
        Command::Ipfs(command) => block_on(commands::ipfs::run(cli, command)),
        Command::Status(args) => block_on(commands::status::run(cli, args)),
        Command::Library(args) => block_on(commands::status::library(cli, args)),
        Command::Chain(command) => block_on(commands::status::chain(cli, command)),
        Command::Mint(args) => block_on(commands::market::mint(cli, args)),
        Command::Work(args) => block_on(commands::market::work(cli, args)),
        Command::List(args) => block_on(commands::market::list(cli, args)),
        Command::Cancel(args) => block_on(commands::market::cancel(cli, args)),
        Command::Buy(args) => block_on(commands::market::buy(cli, args)),
        Command::Gift(args) => block_on(commands::market::gift(cli, args)),
        Command::Edition(args) => block_on(commands::market::edition(cli, args)),
        Command::Freeze(args) => block_on(commands::market::freeze(cli, args)),
        Command::Consortium(command) => block_on(commands::consortium::run(cli, command)),
        Command::Council(command) => block_on(commands::council::run(cli, command)),
        Command::Licence(command) => block_on(commands::consortium::licence(cli, command)),
        Command::Sync(args) => block_on(commands::catalog::sync(cli, args)),
        Command::Browse(args) => block_on(commands::catalog::browse(cli, args)),
        Command::Search(args) => block_on(commands::catalog::search(cli, args)),
        Command::Show(args) => block_on(commands::catalog::show(cli, args)),
        Command::Catalog(command) => block_on(commands::catalog::run(cli, command)),
        Command::Prove(args) => block_on(commands::proof::prove(cli, args)),
        Command::Verify(args) => block_on(commands::proof::verify(cli, args)),
        Command::VerifyFile(args) => block_on(commands::proof::verify_file(cli, args)),
        Command::Certificate(args) => commands::proof::certificate(args),
        Command::Review(command) => block_on(commands::review::run(cli, command)),
        Command::Endorse(command) => block_on(commands::endorse::run(cli, command)),
        Command::Health(args) => block_on(commands::health::health(cli, args)),
        Command::Refresh(args) => block_on(commands::health::refresh(cli, args)),
        Command::Pinning(command) => block_on(commands::pinning::run(cli, command)),
        Command::Wallet(command) => block_on(commands::wallet::run(cli, command)),
        Command::ExportKit(args) => block_on(commands::kit::export(cli, args)),
        Command::ImportKit(args) => block_on(commands::kit::import(cli, args)),
        Command::Jobs(command) => block_on(commands::jobs::run(cli, command)),
    }
}

fn block_on<F: Future<Output = Result<(), Failure>>>(future: F) -> Result<(), Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Failure::other(
                hallmark_domain::ErrorCode::InternalTask,
                format!("cannot start the async runtime: {e}"),
            )
        })?
        .block_on(future)
}
