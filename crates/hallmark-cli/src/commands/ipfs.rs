//! `hallmark ipfs add|cat|pin` against the configured content store.

use std::io::Write;
use std::str::FromStr;

use hallmark_engine::{Cid, EngineError};
use hallmark_store::ContentStore;

use super::{check_input_file, open_engine, print_line, settings_for};
use crate::cli::{Cli, IpfsCommand, PinCommand};
use crate::failure::Failure;

/// Runs an `ipfs` subcommand.
pub(crate) async fn run(cli: &Cli, command: &IpfsCommand) -> Result<(), Failure> {
    // Check the arguments before opening (and perhaps creating) the data folder.
    match command {
        IpfsCommand::Add { file, .. } => {
            check_input_file(file)?;
        }
        IpfsCommand::Cat { cid, .. }
        | IpfsCommand::Pin(PinCommand::Add { cid } | PinCommand::Rm { cid }) => {
            parse_cid(cid)?;
        }
        IpfsCommand::Pin(PinCommand::Ls) => {}
        IpfsCommand::Auth { url, basic, remove } => {
            return auth(cli, url, basic.as_deref(), *remove);
        }
    }
    let engine = open_engine(cli).await?;
    let result = run_with(&engine, command).await;
    engine.shutdown().await;
    result
}

/// `hallmark ipfs auth`: the secret comes from the environment, never from the command line
/// (where other users could read it in the process list).
fn auth(cli: &Cli, url: &str, basic: Option<&str>, remove: bool) -> Result<(), Failure> {
    let data_dir = hallmark_engine::Config::load(cli.data_dir.clone())?.data_dir;
    if remove {
        let removed = hallmark_engine::remove_ipfs_credential(&data_dir, url)?;
        return print_line(if removed {
            "credentials removed"
        } else {
            "no credentials were kept for this node"
        });
    }
    let secret = |var: &str| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .map(zeroize::Zeroizing::new)
            .ok_or_else(|| Failure::bad_input(format!("set {var} to the node's secret")))
    };
    let credential = match basic {
        Some(user) => hallmark_engine::IpfsCredential::Basic {
            user: user.to_owned(),
            password: secret("HALLMARK_IPFS_PASSWORD")?.to_string(),
        },
        None => hallmark_engine::IpfsCredential::Bearer(secret("HALLMARK_IPFS_TOKEN")?.to_string()),
    };
    let origin = hallmark_engine::set_ipfs_credential(&data_dir, url, &credential)?;
    print_line(&format!(
        "credentials kept for {origin} (sent only to it, from the next start)"
    ))
}

async fn run_with(engine: &hallmark_engine::Engine, command: &IpfsCommand) -> Result<(), Failure> {
    let store = engine.store();
    match command {
        IpfsCommand::Add { file, version } => {
            let added = store
                .add_file(file, &settings_for(version.cid_version))
                .await
                .map_err(EngineError::from)?;
            store
                .pin_add(&added.root)
                .await
                .map_err(EngineError::from)?;
            print_line(&added.root.to_string())
        }
        IpfsCommand::Cat { cid, output } => {
            let cid = parse_cid(cid)?;
            let limit = engine.config().limits.max_file_bytes;
            let bytes = engine.read_verified(&cid, limit).await?;
            match output {
                Some(path) => super::write_output(path, &bytes),
                None => {
                    let mut out = std::io::stdout().lock();
                    match out.write_all(&bytes).and_then(|()| out.flush()) {
                        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                            Err(Failure::other(
                                hallmark_domain::ErrorCode::CliOutput,
                                format!(
                                    "cannot write to stdout: {}",
                                    hallmark_files::plain_reason(&e)
                                ),
                            ))
                        }
                        _ => Ok(()),
                    }
                }
            }
        }
        IpfsCommand::Pin(PinCommand::Add { cid }) => {
            let cid = parse_cid(cid)?;
            store.pin_add(&cid).await.map_err(EngineError::from)?;
            print_line(&format!("pinned {cid}"))
        }
        IpfsCommand::Pin(PinCommand::Rm { cid }) => {
            let cid = parse_cid(cid)?;
            store.pin_rm(&cid).await.map_err(EngineError::from)?;
            print_line(&format!("unpinned {cid}"))
        }
        IpfsCommand::Pin(PinCommand::Ls) => {
            for cid in store.pin_ls().await.map_err(EngineError::from)? {
                print_line(&cid.to_string())?;
            }
            Ok(())
        }
        // Handled before the engine opens.
        IpfsCommand::Auth { .. } => Ok(()),
    }
}

fn parse_cid(text: &str) -> Result<Cid, Failure> {
    Cid::from_str(text.trim()).map_err(|e| {
        Failure::bad_input(format!("`{text}` is not a CID: {e}"))
            .with_hint("CIDs look like Qm… (version 0) or bafy…/bafk… (version 1)")
    })
}
