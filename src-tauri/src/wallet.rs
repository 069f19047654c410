//! The wallet command: create, import, unlock and back up accounts. Passwords and recovery
//! phrases arrive from the UI, are handed to the engine and wiped from memory here; keys never
//! leave the Rust core, and nothing secret is logged (the request's `Debug` hides it).

use hallmark_api::{AccountInfo, WalletReport, WalletRequest, events};
use hallmark_engine::{ActiveAccount, Engine};
use tauri::{AppHandle, Emitter, State};
use zeroize::Zeroize;

use crate::error::{CommandError, CommandResult, guarded};
use crate::files::FileGrants;
use crate::input::checked_address;
use crate::market::accounts;

/// Longest password or phrase accepted (scrypt hashes whatever it gets).
const MAX_SECRET_BYTES: usize = 1024;

fn checked_secret(secret: &str) -> CommandResult<()> {
    if secret.len() > MAX_SECRET_BYTES {
        return Err(CommandError::invalid("that password or phrase is too long"));
    }
    Ok(())
}

/// Runs one wallet action and returns the accounts as they are after it.
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = ?request))]
pub(crate) async fn wallet(
    app: AppHandle,
    engine: State<'_, Engine>,
    grants: State<'_, FileGrants>,
    mut request: WalletRequest,
) -> CommandResult<WalletReport> {
    guarded(async move {
        let outcome = act(&engine, &grants, &request).await;
        wipe(&mut request);
        let done = outcome?;
        let accounts: Vec<AccountInfo> = accounts(&engine).await?;
        let _ = app.emit(events::CHAIN_CHANGED, ());
        Ok(WalletReport {
            accounts,
            path: done.path,
            stale_backup: done.stale_backup,
        })
    })
    .await
}

/// Files an action wrote or left behind.
#[derive(Default)]
pub(crate) struct Done {
    path: Option<String>,
    stale_backup: Option<String>,
}

pub(crate) async fn act(
    engine: &Engine,
    grants: &FileGrants,
    request: &WalletRequest,
) -> CommandResult<Done> {
    match request {
        WalletRequest::Create { label, password } => {
            checked_secret(password)?;
            engine.create_account(label, password).await?;
        }
        WalletRequest::ImportPhrase {
            label,
            phrase,
            index,
            password,
        } => {
            checked_secret(password)?;
            checked_secret(phrase)?;
            engine
                .import_phrase(label, phrase, *index, password)
                .await?;
        }
        WalletRequest::ImportKeystore {
            label,
            file,
            password,
        } => {
            checked_secret(password)?;
            let path = grants.file(file)?;
            engine.import_keystore(label, &path, password).await?;
        }
        WalletRequest::Unlock { address, password } => {
            checked_secret(password)?;
            engine.unlock_account(address, password).await?;
        }
        WalletRequest::Lock => engine.lock_wallet(),
        WalletRequest::Use { address } => {
            engine.use_account(ActiveAccount::Wallet(checked_address(address)?))?;
        }
        WalletRequest::ExportKeystore { address } => {
            let path = engine.export_keystore(address)?;
            return Ok(Done {
                path: Some(path.display().to_string()),
                stale_backup: None,
            });
        }
        WalletRequest::ChangePassword {
            address,
            current_password,
            new_password,
        } => {
            checked_secret(current_password)?;
            checked_secret(new_password)?;
            let changed = engine
                .change_password(address, current_password, new_password)
                .await?;
            return Ok(Done {
                path: None,
                stale_backup: changed.stale_backup.map(|p| p.display().to_string()),
            });
        }
        WalletRequest::Forget {
            address,
            password,
            lose_key,
        } => {
            checked_secret(password)?;
            if password.is_empty() {
                return Err(CommandError::invalid(
                    "type the account's password to forget it",
                ));
            }
            engine
                .forget_account(address, Some(password), *lose_key)
                .await?;
        }
        WalletRequest::JoinDemo { address } => engine.join_demo_consortium(address).await?,
    }
    Ok(Done::default())
}

/// Overwrites the secrets the request carried.
fn wipe(request: &mut WalletRequest) {
    match request {
        WalletRequest::Create { password, .. }
        | WalletRequest::ImportKeystore { password, .. }
        | WalletRequest::Unlock { password, .. }
        | WalletRequest::Forget { password, .. } => password.zeroize(),
        WalletRequest::ChangePassword {
            current_password,
            new_password,
            ..
        } => {
            current_password.zeroize();
            new_password.zeroize();
        }
        WalletRequest::ImportPhrase {
            phrase, password, ..
        } => {
            phrase.zeroize();
            password.zeroize();
        }
        WalletRequest::Lock
        | WalletRequest::Use { .. }
        | WalletRequest::ExportKeystore { .. }
        | WalletRequest::JoinDemo { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_wiped_and_never_printed() {
        let mut request = WalletRequest::ImportPhrase {
            label: "Ada".into(),
            phrase: "test test test test test test test test test test test junk".into(),
            index: 0,
            password: "hunter2hunter2".into(),
        };
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("junk"),
            "{shown}"
        );
        wipe(&mut request);
        let WalletRequest::ImportPhrase {
            phrase, password, ..
        } = &request
        else {
            panic!("variant");
        };
        assert!(phrase.is_empty() && password.is_empty());
    }
}
