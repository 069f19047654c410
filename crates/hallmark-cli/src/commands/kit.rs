//! `hallmark export-kit|import-kit`: the exit kit, a self-contained folder with the works' media
//! and metadata as CAR files, the evidence bundles, the chain's description and a README on how
//! to check it all with standard tools.

use std::path::PathBuf;

use clap::Args;
use hallmark_domain::ErrorCode;
use hallmark_engine::EngineError;
use hallmark_kit::{ExitKit, ImportReport, KitReport, KitSelection};

use super::market::{parse_id, signer, with_chain};
use super::{open_engine, print_line};
use crate::cli::{Cli, Signer};
use crate::failure::Failure;
use crate::terminal::{shown, shown_path};

/// `hallmark export-kit`.
#[derive(Debug, Args)]
#[command(
    override_usage = "hallmark export-kit [--owned] [--created] [--as ACCOUNT] [--json] [TOKEN]... <OUT>"
)]
pub(crate) struct ExportKitArgs {
    /// Every work in which the account holds a token.
    #[arg(long)]
    pub(crate) owned: bool,
    /// Every work the account created.
    #[arg(long)]
    pub(crate) created: bool,
    /// Tokens whose works to include (with neither flag nor token: --owned --created), then
    /// OUT, the kit folder to write (it must not exist or be empty).
    #[arg(value_name = "TOKEN|OUT", required = true, num_args = 1..)]
    pub(crate) targets: Vec<String>,
    /// The account whose tokens are proven (it signs the evidence bundles).
    #[arg(long = "as", value_name = "ACCOUNT", default_value = "issuer")]
    pub(crate) account: Signer,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `hallmark import-kit`.
#[derive(Debug, Args)]
pub(crate) struct ImportKitArgs {
    /// The kit folder (it holds manifest.json).
    pub(crate) kit: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

fn to_json(value: &impl serde::Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::InternalEncode,
            format!("JSON: {e}"),
        )
    })
}

/// A refused kit or destination is the input's fault (exit status 2); the rest is not.
fn kit_failure(error: EngineError) -> Failure {
    let code = error.code();
    if code.family() == "kit" && !matches!(code, ErrorCode::KitIo | ErrorCode::KitMissingContent) {
        let failure = Failure::bad_input(error.to_string()).with_code(code);
        match code {
            ErrorCode::KitExists => failure.with_hint("give a new folder, or an empty one"),
            ErrorCode::KitEmpty => {
                failure.with_hint("name tokens, or use --as with another account")
            }
            _ => failure,
        }
    } else {
        error.into()
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        0..1_024 => format!("{bytes} B"),
        1_024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1_024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// `hallmark export-kit`.
pub(crate) async fn export(cli: &Cli, args: &ExportKitArgs) -> Result<(), Failure> {
    let Some((out, tokens)) = args.targets.split_last() else {
        return Err(Failure::bad_input("name the kit folder to write (OUT)"));
    };
    let out = PathBuf::from(out);
    let tokens = tokens
        .iter()
        .map(|t| {
            u64::try_from(parse_id(t)?)
                .map_err(|_| Failure::bad_input(format!("token {t} does not exist")))
        })
        .collect::<Result<Vec<u64>, Failure>>()?;
    let selection = KitSelection {
        owned: args.owned,
        created: args.created,
        tokens,
    };
    let signer = signer(cli, args.account)?;
    let report = with_chain(cli, async |engine| {
        engine
            .export_kit(&selection, &out, signer)
            .await
            .map_err(kit_failure)
    })
    .await?;
    if args.json {
        return print_line(&to_json(&report)?);
    }
    print_line(&render_export(&report))
}

fn render_export(report: &KitReport) -> String {
    let mut out = format!(
        "wrote the exit kit {}\n  account   {}\n  chain     {}\n  works     {}, {} evidence bundle{}\n  files     {}, {}\n",
        report.path.display(),
        report.account,
        report.chain_id,
        report.works.len(),
        report.bundles,
        if report.bundles == 1 { "" } else { "s" },
        report.files,
        size(report.bytes),
    );
    for work in &report.works {
        out.push_str(&format!(
            "\nwork {} “{}”\n  media     {}\n  metadata  {}\n",
            work.work_id,
            shown(work.title.as_deref().unwrap_or("(untitled)")),
            shown(&work.media_cid),
            work.metadata_cid
        ));
        for token in &work.tokens {
            out.push_str(&format!(
                "  token {}  {}\n",
                token.token_id,
                token
                    .bundle
                    .as_deref()
                    .map_or_else(|| format!("held by {}", token.holder), str::to_owned)
            ));
        }
        if let Some(note) = &work.note {
            out.push_str(&format!("  note      {note}\n"));
        }
    }
    out.push_str(&format!(
        "\ncheck it with: (cd {} && sha256sum -c SHA256SUMS); README.md says the rest",
        report.path.display()
    ));
    out
}

/// `hallmark import-kit`.
pub(crate) async fn import(cli: &Cli, args: &ImportKitArgs) -> Result<(), Failure> {
    if let Err(why) = hallmark_files::check_folder(&args.kit) {
        let failure = match why {
            hallmark_files::UserFileError::NotFound => {
                Failure::bad_input(format!("{}: no such kit folder", shown_path(&args.kit)))
                    .with_code(hallmark_domain::ErrorCode::RequestInvalid)
            }
            other => super::input_refused(&args.kit, other),
        };
        return Err(failure.with_hint("give the folder that holds manifest.json"));
    }
    let engine = open_engine(cli).await?;
    let report = engine.import_kit(&args.kit).await;
    engine.shutdown().await;
    let report = report.map_err(kit_failure)?;
    if args.json {
        return print_line(&to_json(&report)?);
    }
    print_line(&render_import(&report))
}

fn render_import(report: &ImportReport) -> String {
    let mut out = format!(
        "imported the exit kit {}\n  made by   {} on chain {}\n  checked   {} files ({}), {} blocks against their CIDs, {} evidence bundle{} offline\n  store     {}, {} CIDs pinned\n  kept in   {}\n",
        shown_path(&report.kit),
        shown(&report.account),
        report.chain_id,
        report.files_checked,
        size(report.bytes_checked),
        report.blocks_verified,
        report.bundles_verified,
        if report.bundles_verified == 1 {
            ""
        } else {
            "s"
        },
        report.backend,
        report.pinned.len(),
        shown_path(&report.kept_in),
    );
    for work in &report.works {
        out.push_str(&format!(
            "\nwork {} “{}”\n  media     {}{}\n  metadata  {}\n",
            work.work_id,
            shown(work.title.as_deref().unwrap_or("(untitled)")),
            shown(&work.media_cid),
            if work.in_library {
                " (in the library)"
            } else {
                ""
            },
            shown(&work.metadata_cid)
        ));
        for bundle in &work.bundles {
            out.push_str(&format!("  bundle    {}\n", shown_path(bundle)));
        }
        if let Some(note) = &work.note {
            out.push_str(&format!("  note      {}\n", shown(note)));
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::{Cli, Command};

    #[test]
    fn tokens_come_before_the_kit_folder() {
        let cli = Cli::try_parse_from([
            "hallmark",
            "export-kit",
            "--owned",
            "1000001",
            "2000002",
            "kit",
        ])
        .expect("parses");
        let Command::ExportKit(args) = cli.command else {
            unreachable!("export-kit parses as export-kit")
        };
        assert!(args.owned && !args.created);
        assert_eq!(args.targets, ["1000001", "2000002", "kit"]);
        assert!(Cli::try_parse_from(["hallmark", "export-kit", "--created"]).is_err());
        let cli = Cli::try_parse_from(["hallmark", "import-kit", "kit", "--json"]).expect("parses");
        assert!(matches!(cli.command, Command::ImportKit(ref a) if a.json));
    }
}
