//! One module per command.

pub(crate) mod catalog;
pub(crate) mod cid;
pub(crate) mod consortium;
pub(crate) mod council;
pub(crate) mod endorse;
pub(crate) mod health;
pub(crate) mod ingest;
pub(crate) mod ipfs;
pub(crate) mod jobs;
pub(crate) mod kit;
pub(crate) mod market;
pub(crate) mod pinning;
pub(crate) mod profile;
pub(crate) mod proof;
pub(crate) mod review;
pub(crate) mod status;
pub(crate) mod wallet;

use std::io::{self, Write};
use std::path::Path;

use hallmark_engine::{Config, Engine, IpfsBackend};
use hallmark_unixfs::ImportSettings;

use crate::cli::Cli;
use crate::failure::Failure;

/// Import settings for `--cid-version`.
pub(crate) fn settings_for(cid_version: u8) -> ImportSettings {
    if cid_version == 0 {
        ImportSettings::kubo_v0()
    } else {
        ImportSettings::kubo_v1()
    }
}

/// Opens the engine for the global options: the data folder's configuration, with
/// `--ipfs-api` selecting a Kubo node. A dev chain the command starts is its own (it stops when
/// the command ends); one that `hallmark chain up` or the app serves is used as it is.
pub(crate) async fn open_engine(cli: &Cli) -> Result<Engine, Failure> {
    let mut config = Config::load(cli.data_dir.clone())?;
    if let Some(url) = &cli.ipfs_api {
        config.ipfs = IpfsBackend::Kubo {
            api_url: url.clone(),
        };
    }
    let engine = Engine::open(config).await?;
    engine.set_dev_chain_shared(false);
    Ok(engine)
}

/// Checks that `path` names a regular file before a command reads it: a folder, a pipe, a
/// device or a socket is refused at once (a pipe would block the command, a device never ends).
/// Its size.
pub(crate) fn check_input_file(path: &Path) -> Result<u64, Failure> {
    match hallmark_files::open(path, u64::MAX) {
        Ok((_, size)) => Ok(size),
        Err(hallmark_files::UserFileError::NotFound) => {
            Err(input_refused(path, hallmark_files::UserFileError::NotFound)
                .with_hint("check the path"))
        }
        Err(e) => Err(input_refused(path, e)),
    }
}

/// A file argument refused: the path (escaped) and why, with its code.
pub(crate) fn input_refused(path: &Path, why: hallmark_files::UserFileError) -> Failure {
    Failure::bad_input(format!("{}: {why}", crate::terminal::shown_path(path)))
        .with_code(hallmark_domain::ErrorCode::RequestInvalid)
}

/// Writes `text` and a newline to stdout, control characters escaped
/// ([`safe_lines`](crate::terminal::safe_lines)); a closed pipe is not an error.
pub(crate) fn print_line(text: &str) -> Result<(), Failure> {
    let text = crate::terminal::safe_lines(text);
    let mut out = io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Failure::other(
            hallmark_domain::ErrorCode::CliOutput,
            format!(
                "cannot write to stdout: {}",
                hallmark_files::plain_reason(&e)
            ),
        )),
        _ => Ok(()),
    }
}

/// Writes an output file the user named ([`hallmark_files::write`]: a regular file beside its
/// name and renamed, a pipe only if a program reads it, never a folder).
pub(crate) fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    hallmark_files::write(path, bytes).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::CliOutput,
            format!("cannot write {}: {e}", crate::terminal::shown_path(path)),
        )
    })
}
