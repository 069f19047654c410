//! `hallmark status`, `hallmark library` and `hallmark chain up|down|status`.

use super::{open_engine, print_line};
use crate::cli::{ChainCommand, Cli, LibraryArgs, StatusArgs};
use crate::failure::Failure;
use crate::json::pretty as json;
use crate::terminal::shown;

/// Prints the engine's status.
pub(crate) async fn run(cli: &Cli, args: &StatusArgs) -> Result<(), Failure> {
    let engine = open_engine(cli).await?;
    let started = if args.start_chain {
        engine.start_dev_chain().await
    } else {
        Ok(())
    };
    let status = engine.status().await;
    engine.shutdown().await;
    started?;
    if args.json {
        return print_line(&json(&status)?);
    }
    let none = || "-".to_owned();
    let chain = &status.chain;
    let lines = [
        format!("data folder     {}", status.data_dir.display()),
        format!(
            "database        {} ({} works)",
            status.database.display(),
            status.library_items
        ),
        format!(
            "content store   {}{}",
            status.store.backend,
            status
                .store
                .error
                .as_ref()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default()
        ),
        format!(
            "chain           {} (chain id {})",
            chain.kind, chain.chain_id
        ),
        format!(
            "  rpc           {}",
            chain.rpc_url.clone().unwrap_or_else(none)
        ),
        format!(
            "  head block    {}",
            chain.head_block.map(|b| b.to_string()).unwrap_or_else(none)
        ),
        format!(
            "  served by     {}",
            chain.served_by.map_or_else(
                || {
                    if chain.rpc_url.is_some() && chain.kind == "dev" {
                        "this process".to_owned()
                    } else {
                        "-".to_owned()
                    }
                },
                |pid| format!("process {pid} (`hallmark chain up` or the app)")
            )
        ),
        format!(
            "  works         {}",
            chain
                .contracts
                .as_ref()
                .map(|c| c.works.clone())
                .unwrap_or_else(none)
        ),
        format!(
            "  market        {}",
            chain
                .contracts
                .as_ref()
                .map(|c| c.market.clone())
                .unwrap_or_else(none)
        ),
        format!(
            "  state         {}",
            chain.error.clone().unwrap_or_else(|| "ok".to_owned())
        ),
    ];
    print_line(&lines.join("\n"))
}

/// Lists the library.
pub(crate) async fn library(cli: &Cli, args: &LibraryArgs) -> Result<(), Failure> {
    let engine = open_engine(cli).await?;
    let items = engine.library_page(usize::from(args.limit), None)?;
    if args.json {
        return print_line(&json(&items)?);
    }
    if items.is_empty() {
        return print_line("the library is empty (add works with `hallmark ingest FILE`)");
    }
    let lines: Vec<String> = items
        .iter()
        .map(|i| {
            format!(
                "{}  {:>12}  {:<10}  {}",
                i.cid,
                i.size,
                shown(&i.mime),
                shown(&i.file_name)
            )
        })
        .collect();
    print_line(&lines.join("\n"))
}

/// Runs the dev chain in the foreground.
pub(crate) async fn chain(cli: &Cli, command: &ChainCommand) -> Result<(), Failure> {
    match command {
        ChainCommand::Up => {
            let engine = open_engine(cli).await?;
            // It runs until stopped: the other commands on this data folder use it meanwhile.
            engine.set_dev_chain_shared(true);
            engine.start_dev_chain().await?;
            let status = engine.status().await;
            let url = status.chain.rpc_url.unwrap_or_default();
            if let Some(pid) = engine.dev_chain_served_by().await {
                engine.shutdown().await;
                return Err(Failure::other(hallmark_domain::ErrorCode::ChainDevChain, format!(
                    "the dev chain of this data folder is already served by process {pid} at {url}"
                ))
                .with_hint("other commands on this data folder use it as it is; stop it with `hallmark chain down`"));
            }
            print_line(&format!(
                "dev chain {} at {url} — works contract {}; Ctrl-C to stop\nother hallmark commands on this data folder use this chain while it runs",
                status.chain.chain_id,
                status.chain.contracts.map(|c| c.works).unwrap_or_default()
            ))?;
            let stop = tokio::signal::ctrl_c().await;
            engine.shutdown().await;
            stop.map_err(|e| {
                Failure::other(
                    hallmark_domain::ErrorCode::InternalTask,
                    format!("cannot wait for Ctrl-C: {e}"),
                )
            })
        }
        ChainCommand::Down => {
            let config = hallmark_engine::Config::load(cli.data_dir.clone())?;
            match hallmark_engine::devchain::request_stop(&config.chain_dir()) {
                Some(pid) => print_line(&format!("asked process {pid} to stop the dev chain")),
                None => print_line("no dev chain is running for this data folder"),
            }
        }
        ChainCommand::Status(args) => run(cli, args).await,
    }
}
