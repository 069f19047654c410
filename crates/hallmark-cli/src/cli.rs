//! The command line grammar (clap derive).

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

/// Hallmark: copyright-confirmed digital collectibles. Media on IPFS, works on an EVM chain.
#[derive(Debug, Parser)]
#[command(name = "hallmark", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// Data folder (default: $HALLMARK_DATA_DIR, $XDG_DATA_HOME/hallmark or ~/.local/share/hallmark).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Use the Kubo node at this RPC URL instead of the configured store (e.g. http://127.0.0.1:5001).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) ipfs_api: Option<String>,
    /// More log output on stderr (-v info, -vv debug, -vvv trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub(crate) verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The top-level commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print the CID `ipfs add` would give FILE (any file; nothing is stored), like `ipfs add -nq`.
    Cid(CidArgs),
    /// Check a media file, hash it, store it and its thumbnails, and report what it is.
    Ingest(IngestArgs),
    /// Content store commands (the embedded store, or the Kubo node given by --ipfs-api).
    #[command(subcommand)]
    Ipfs(IpfsCommand),
    /// Health of the data folder, the content store and the chain.
    Status(StatusArgs),
    /// The works ingested into the local library, newest first.
    Library(LibraryArgs),
    /// The app's local dev chain.
    #[command(subcommand)]
    Chain(ChainCommand),
}

/// `hallmark status`.
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// Start the dev chain first (deploying the contracts on first use), then report.
    #[arg(long)]
    pub(crate) start_chain: bool,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark library`.
#[derive(Debug, Args)]
pub(crate) struct LibraryArgs {
    /// How many works to list (1..=500).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=500))]
    pub(crate) limit: u16,
    /// Print JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark chain …`.
#[derive(Debug, Subcommand)]
pub(crate) enum ChainCommand {
    /// Start the dev chain (deploying the contracts on first use) and keep it running until
    /// Ctrl-C; the state is saved in the data folder.
    Up,
}

/// `hallmark cid`.
#[derive(Debug, Args)]
pub(crate) struct CidArgs {
    /// The file.
    pub(crate) file: PathBuf,
    #[command(flatten)]
    pub(crate) version: CidVersionArg,
}

/// `--cid-version 0|1`.
#[derive(Debug, Args)]
pub(crate) struct CidVersionArg {
    /// CID version: 0 (Kubo's default, dag-pb leaves) or 1 (raw leaves, Hallmark's canonical).
    #[arg(long = "cid-version", value_name = "0|1", default_value_t = 0,
          value_parser = clap::value_parser!(u8).range(0..=1))]
    pub(crate) cid_version: u8,
}

/// `hallmark ingest`.
#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// The media file.
    pub(crate) file: PathBuf,
    /// Print the full report as JSON on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark ipfs …`.
#[derive(Debug, Subcommand)]
pub(crate) enum IpfsCommand {
    /// Add FILE to the store (and pin it); prints its CID.
    Add {
        /// The file.
        file: PathBuf,
        #[command(flatten)]
        version: CidVersionArg,
    },
    /// Write the file with this CID (every block verified) to stdout or to OUT.
    Cat {
        /// The CID (Qm…, b…).
        cid: String,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// Pins keep content in the store.
    #[command(subcommand)]
    Pin(PinCommand),
}

/// `hallmark ipfs pin …`.
#[derive(Debug, Subcommand)]
pub(crate) enum PinCommand {
    /// Pin content already in the store.
    Add {
        /// The CID.
        cid: String,
    },
    /// Remove a pin.
    Rm {
        /// The CID.
        cid: String,
    },
    /// List pinned CIDs.
    Ls,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn grammar_is_consistent() {
        Cli::command().debug_assert();
    }
}
