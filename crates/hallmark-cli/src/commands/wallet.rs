//! `hallmark wallet list|create|import-phrase|import-keystore|export|password|forget|join`: the
//! wallet accounts of the data folder (scrypt keystores, see docs/wallet.md). Passwords come from
//! `$HALLMARK_PASSWORD` (and a new one from `$HALLMARK_NEW_PASSWORD`) and recovery phrases from
//! standard input, never from the command line; any command then signs as a wallet account with
//! `--as 0x…`.

use std::io::BufRead;
use std::path::PathBuf;

use clap::Subcommand;
use zeroize::Zeroizing;

use super::market::with_chain;
use super::{open_engine, print_line};
use crate::cli::Cli;
use crate::failure::Failure;
use crate::progress::spinner;

/// `hallmark wallet …`.
#[derive(Debug, Subcommand)]
pub(crate) enum WalletCommand {
    /// The wallet's accounts (address, name, origin).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// A new account with a random key, encrypted with $HALLMARK_PASSWORD (8+ characters, not
    /// easy to guess).
    Create {
        /// The account's name.
        #[arg(long)]
        label: String,
    },
    /// The account of a BIP-39 recovery phrase read from standard input (one line), at
    /// m/44'/60'/0'/0/INDEX, encrypted with $HALLMARK_PASSWORD.
    ImportPhrase {
        /// The account's name.
        #[arg(long)]
        label: String,
        /// Which account of the phrase (0 = the first).
        #[arg(long, default_value_t = 0)]
        index: u32,
    },
    /// A keystore file from another wallet, opened with $HALLMARK_PASSWORD (its password).
    ImportKeystore {
        /// The keystore (.json).
        file: PathBuf,
        /// The account's name.
        #[arg(long)]
        label: String,
    },
    /// Copy an account's encrypted keystore to the data folder's exports/ (a backup).
    Export {
        /// The account's 0x address.
        address: String,
    },
    /// Change an account's password: $HALLMARK_PASSWORD opens the keystore, which is then
    /// re-encrypted with $HALLMARK_NEW_PASSWORD (replaced atomically; a wrong password changes
    /// nothing).
    Password {
        /// The account's 0x address.
        address: String,
    },
    /// Remove an account and delete its keystore, confirmed by its password ($HALLMARK_PASSWORD)
    /// or --yes. Without --yes, an account with no exported backup is kept (its keystore may be
    /// the only copy of the key).
    Forget {
        /// The account's 0x address.
        address: String,
        /// Forget it even without its password, and even when no backup was exported.
        #[arg(long)]
        yes: bool,
    },
    /// Dev chain only: the council admits the account to the demo consortium (member role,
    /// 1000 credits, gas money).
    Join {
        /// The account's 0x address.
        address: String,
    },
}

fn password() -> Result<Zeroizing<String>, Failure> {
    std::env::var("HALLMARK_PASSWORD")
        .map(Zeroizing::new)
        .map_err(|_| Failure::bad_input("set HALLMARK_PASSWORD to the account's password"))
}

fn new_password() -> Result<Zeroizing<String>, Failure> {
    std::env::var("HALLMARK_NEW_PASSWORD")
        .map(Zeroizing::new)
        .map_err(|_| Failure::bad_input("set HALLMARK_NEW_PASSWORD to the account's new password"))
}

fn phrase_from_stdin() -> Result<Zeroizing<String>, Failure> {
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure::other(
            hallmark_domain::ErrorCode::CliInput,
            format!("standard input: {}", hallmark_files::plain_reason(&e)),
        )
    })?;
    Ok(line)
}

/// Runs one wallet command.
pub(crate) async fn run(cli: &Cli, command: &WalletCommand) -> Result<(), Failure> {
    if let WalletCommand::Join { address } = command {
        with_chain(cli, async |engine| {
            Ok(engine.join_demo_consortium(address).await?)
        })
        .await?;
        return print_line(&format!("{address} joined the demo consortium"));
    }
    let engine = open_engine(cli).await?;
    let outcome = async {
        let added = match command {
            WalletCommand::List { json } => {
                let accounts = engine.wallet_accounts()?;
                if *json {
                    let text = serde_json::to_string_pretty(&accounts)
                        .map_err(|e| Failure::other(hallmark_domain::ErrorCode::InternalEncode, format!("JSON: {e}")))?;
                    return print_line(&text);
                }
                if accounts.is_empty() {
                    return print_line("no wallet accounts (hallmark wallet create --label NAME)");
                }
                let lines: Vec<String> = accounts
                    .iter()
                    .map(|a| {
                        format!(
                            "{}  {}  ({:?})",
                            a.address,
                            crate::terminal::shown(&a.label),
                            a.origin
                        )
                    })
                    .collect();
                return print_line(&lines.join("\n"));
            }
            WalletCommand::Create { label } => {
                let password = password()?;
                let _spinner = spinner("encrypting the key (scrypt, about a second)");
                engine.create_account(label, &password).await?
            }
            WalletCommand::ImportPhrase { label, index } => {
                let phrase = phrase_from_stdin()?;
                let password = password()?;
                let _spinner = spinner("encrypting the key (scrypt, about a second)");
                engine.import_phrase(label, &phrase, *index, &password).await?
            }
            WalletCommand::ImportKeystore { file, label } => {
                let password = password()?;
                let _spinner = spinner("opening the keystore (its key derivation takes up to a second or two)");
                engine.import_keystore(label, file, &password).await?
            }
            WalletCommand::Export { address } => {
                let path = engine.export_keystore(address)?;
                return print_line(&format!(
                    "keystore copied to {} (still encrypted with its password)",
                    path.display()
                ));
            }
            WalletCommand::Password { address } => {
                let (old, new) = (password()?, new_password()?);
                let spinner = spinner("re-encrypting the keystore (scrypt, a few seconds)");
                let changed = engine.change_password(address, &old, &new).await?;
                drop(spinner);
                let mut text = format!("{address}: password changed (keystore re-encrypted)");
                if let Some(backup) = changed.stale_backup {
                    text.push_str(&format!(
                        "\nthe backup {} still opens with the old password: export again (hallmark wallet export {address}) and delete the old copy",
                        backup.display()
                    ));
                }
                return print_line(&text);
            }
            WalletCommand::Forget { address, yes } => {
                let password = std::env::var("HALLMARK_PASSWORD").ok().map(Zeroizing::new);
                let forgotten = engine
                    .forget_account(address, password.as_deref().map(String::as_str), *yes)
                    .await?;
                return print_line(&match forgotten.backup {
                    Some(backup) => format!(
                        "{} forgotten; its key is still in the backup {} (with the password it had when exported)",
                        forgotten.address,
                        backup.display()
                    ),
                    None => format!(
                        "{} forgotten; no exported backup was found: the key is gone unless you kept another copy",
                        forgotten.address
                    ),
                });
            }
            WalletCommand::Join { .. } => return Ok(()),
        };
        print_line(&format!(
            "{}  {}  added; sign with --as {}",
            added.address, added.label, added.address
        ))
    }
    .await;
    engine.shutdown().await;
    outcome
}
