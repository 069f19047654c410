//! The wallet: accounts the user creates or imports, kept as Web3 Secret Storage keystores
//! (scrypt) in `<data>/keystores/`, one file per account, and unlocked with their password for
//! the session. Keys stay in this process: only addresses and labels leave it, and an unlocked
//! key is dropped (and zeroized, by `k256`) when the account is locked or the app quits.
//!
//! `wallet.json` beside the keystores lists the accounts (address, label, origin, time); it is
//! rewritten atomically, and a keystore is written before the list names it, so a crash leaves
//! at worst an unlisted keystore file, never a listed account without its key.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hallmark_chain::keys::{self, KeyError};
use hallmark_chain::{Address, PrivateKeySigner, Role, U256, demo_attestation, dev_signer};
use hallmark_domain::ErrorCode;
use serde::{Deserialize, Serialize};
use tracing::info;
use zeroize::Zeroizing;

use crate::config::ChainConfig;
use crate::engine::Engine;
use crate::error::EngineError;
use crate::fsutil;

/// Fewest characters of a new keystore password.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Lowest `zxcvbn` strength score (0 to 4) a new keystore password may have: 3 means "more than
/// 10⁸ guesses" (safely unguessable against an online attack, and with scrypt n = 2¹⁸ about
/// a second per guess and 256 MiB per guessing thread against an offline one).
pub const MIN_PASSWORD_SCORE: u8 = 3;
/// Longest account label.
pub(crate) const MAX_LABEL_CHARS: usize = 40;
/// Credits a newcomer gets when joining the demo consortium on the dev chain.
pub const DEMO_JOIN_CREDITS: u64 = 1_000 * 100;

const LIST_FILE: &str = "wallet.json";

/// How an account came into the wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A fresh random key made here.
    Created,
    /// Derived from a recovery phrase.
    Phrase,
    /// A keystore file from another wallet.
    Keystore,
}

/// One account of the wallet as the list stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Listed {
    address: Address,
    label: String,
    origin: Origin,
    added_at: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct WalletList {
    accounts: Vec<Listed>,
}

/// A wallet account as callers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalletAccount {
    /// `0x…`, lowercase.
    pub address: String,
    /// The user's name for it.
    pub label: String,
    /// How it was added.
    pub origin: Origin,
    /// Unix seconds it was added.
    pub added_at: u64,
    /// Whether its key is unlocked for this session.
    pub unlocked: bool,
}

/// What [`Engine::change_password`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChanged {
    /// An exported backup made before: it still opens with the old password (export again).
    pub stale_backup: Option<PathBuf>,
}

/// What [`Engine::forget_account`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forgotten {
    /// `0x…`, lowercase.
    pub address: String,
    /// The exported backup that still holds the key, if any.
    pub backup: Option<PathBuf>,
}

/// Who the app signs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveAccount {
    /// A seeded demo account of the dev chain, by dev key index.
    Demo(usize),
    /// A wallet account.
    Wallet(Address),
}

/// The session's wallet state: unlocked keys and the active account.
#[derive(Debug)]
pub(crate) struct WalletState {
    unlocked: HashMap<Address, PrivateKeySigner>,
    pub(crate) active: ActiveAccount,
}

impl WalletState {
    pub(crate) fn new(active: ActiveAccount) -> Self {
        Self {
            unlocked: HashMap::new(),
            active,
        }
    }
}

impl From<KeyError> for EngineError {
    fn from(e: KeyError) -> Self {
        Self::Wallet(e)
    }
}

fn checked_label(label: &str) -> Result<String, EngineError> {
    let label = label.trim();
    if label.is_empty()
        || label.chars().count() > MAX_LABEL_CHARS
        || label.chars().any(char::is_control)
    {
        return Err(EngineError::WalletRule {
            code: ErrorCode::WalletBadLabel,
            reason: format!("give the account a name of 1 to {MAX_LABEL_CHARS} characters"),
        });
    }
    Ok(label.to_owned())
}

/// Refuses a new keystore password shorter than [`MIN_PASSWORD_CHARS`] or whose `zxcvbn`
/// estimate is below [`MIN_PASSWORD_SCORE`] (`context`: words the password should not be built
/// from, such as the account's name), with zxcvbn's own warning and suggestions.
fn checked_new_password(password: &str, context: &[&str]) -> Result<(), EngineError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(EngineError::WalletRule {
            code: ErrorCode::WalletWeakPassword,
            reason: format!("choose a password of at least {MIN_PASSWORD_CHARS} characters"),
        });
    }
    let mut inputs = vec!["hallmark", "wallet", "keystore", "password"];
    inputs.extend(context.iter().copied().filter(|w| !w.trim().is_empty()));
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    let score = u8::from(estimate.score());
    if score >= MIN_PASSWORD_SCORE {
        return Ok(());
    }
    let mut reason = format!(
        "this password is easy to guess (strength {score} of 4; at least {MIN_PASSWORD_SCORE} is needed)"
    );
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            reason.push_str(&format!(": {warning}"));
        }
        for suggestion in feedback.suggestions() {
            reason.push_str(&format!(" {suggestion}"));
        }
    }
    if !reason.ends_with('.') {
        reason.push('.');
    }
    if !reason.contains("Add another word") {
        reason.push_str(" A few unrelated words together are strong and easy to remember.");
    }
    Err(EngineError::WalletRule {
        code: ErrorCode::WalletGuessablePassword,
        reason,
    })
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn keystore_name(address: Address) -> String {
    format!("{address:#x}.json")
}

/// Opens the keystore of wallet account `address` in the data folder `data_dir` with
/// `password`, without an engine (the CLI signs this way).
pub fn unlock_keystore(
    data_dir: &Path,
    address: Address,
    password: &str,
) -> Result<PrivateKeySigner, EngineError> {
    let path = data_dir.join("keystores").join(keystore_name(address));
    if !path.is_file() {
        return Err(EngineError::NotFound {
            what: format!("account {address:#x}"),
            reason: format!(
                "it is not in the wallet of {} (create or import it first)",
                data_dir.display()
            ),
        });
    }
    let key = keys::read_keystore(
        &path,
        Zeroizing::new(password.as_bytes().to_vec()).as_slice(),
    )?;
    if key.address() != address {
        return Err(EngineError::WalletRule {
            code: ErrorCode::WalletMismatch,
            reason: format!("the keystore of {address:#x} holds another key"),
        });
    }
    Ok(key)
}

impl Engine {
    fn keystore_dir(&self) -> PathBuf {
        self.config().data_dir.join("keystores")
    }

    fn read_list(&self) -> Result<WalletList, EngineError> {
        let path = self.keystore_dir().join(LIST_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| EngineError::Config {
                path,
                reason: format!("the wallet list is damaged: {e}"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WalletList::default()),
            Err(e) => Err(EngineError::DataDir {
                path,
                reason: e.to_string(),
            }),
        }
    }

    fn write_list(&self, list: &WalletList) -> Result<(), EngineError> {
        let path = self.keystore_dir().join(LIST_FILE);
        let json = serde_json::to_vec_pretty(list)
            .map_err(|e| EngineError::Task(format!("wallet list: {e}")))?;
        fsutil::write_atomically(&path, &json).map_err(|e| EngineError::DataDir {
            path,
            reason: e.to_string(),
        })
    }

    /// The wallet's accounts, oldest first.
    pub fn wallet_accounts(&self) -> Result<Vec<WalletAccount>, EngineError> {
        let list = self.read_list()?;
        let state = self.wallet_state();
        Ok(list
            .accounts
            .into_iter()
            .map(|a| WalletAccount {
                address: format!("{:#x}", a.address),
                unlocked: state.unlocked.contains_key(&a.address),
                label: a.label,
                origin: a.origin,
                added_at: a.added_at,
            })
            .collect())
    }

    /// Stores `key` encrypted with `password`, lists it, unlocks it and signs as it from now on.
    async fn add_key(
        &self,
        key: PrivateKeySigner,
        label: String,
        origin: Origin,
        write: impl FnOnce(&Path, &str) -> Result<(), EngineError> + Send + 'static,
    ) -> Result<WalletAccount, EngineError> {
        let address = key.address();
        let mut list = self.read_list()?;
        if list.accounts.iter().any(|a| a.address == address) {
            return Err(EngineError::WalletRule {
                code: ErrorCode::WalletExists,
                reason: format!("{address:#x} is already in the wallet"),
            });
        }
        // Keystores are readable by their owner only: a 0700 folder of 0600 files.
        let dir = self.keystore_dir();
        fsutil::private_dir(&dir).map_err(|e| EngineError::DataDir {
            path: dir.clone(),
            reason: e.to_string(),
        })?;
        let name = keystore_name(address);
        let written = dir.join(&name);
        // scrypt is deliberately slow: off the async threads.
        tokio::task::spawn_blocking(move || write(&dir, &name)).await??;
        fsutil::private_file(&written).map_err(|e| EngineError::DataDir {
            path: written.clone(),
            reason: e.to_string(),
        })?;
        list.accounts.push(Listed {
            address,
            label,
            origin,
            added_at: now(),
        });
        self.write_list(&list)?;
        info!(%address, ?origin, "account added to the wallet");
        {
            let mut state = self.wallet_state();
            state.unlocked.insert(address, key);
            state.active = ActiveAccount::Wallet(address);
        }
        self.wallet_accounts()?
            .into_iter()
            .find(|a| a.address == format!("{address:#x}"))
            .ok_or_else(|| EngineError::Task("the new account is not listed".to_owned()))
    }

    /// Makes a new account with a random key, protected by `password`.
    pub async fn create_account(
        &self,
        label: &str,
        password: &str,
    ) -> Result<WalletAccount, EngineError> {
        let label = checked_label(label)?;
        checked_new_password(password, &[&label])?;
        self.add_encrypted(keys::random_key(), label, Origin::Created, password)
            .await
    }

    /// [`add_key`](Self::add_key) with a keystore made here, encrypted with `password`.
    async fn add_encrypted(
        &self,
        key: PrivateKeySigner,
        label: String,
        origin: Origin,
        password: &str,
    ) -> Result<WalletAccount, EngineError> {
        let (copy, password) = (key.clone(), Zeroizing::new(password.as_bytes().to_vec()));
        self.add_key(key, label, origin, move |dir, name| {
            Ok(keys::write_keystore(&copy, &password, dir, name)?)
        })
        .await
    }

    /// Adds the account at `m/44'/60'/0'/0/index` of a recovery phrase, protected by `password`.
    pub async fn import_phrase(
        &self,
        label: &str,
        phrase: &str,
        index: u32,
        password: &str,
    ) -> Result<WalletAccount, EngineError> {
        let label = checked_label(label)?;
        checked_new_password(password, &[&label])?;
        let phrase = phrase.to_owned();
        let key =
            tokio::task::spawn_blocking(move || keys::key_from_phrase(&phrase, index)).await??;
        self.add_encrypted(key, label, Origin::Phrase, password)
            .await
    }

    /// Adds the account of a keystore file from another wallet (opened with its `password`,
    /// which keeps protecting the copy kept here; a keystore weaker than scrypt n = 2¹⁸ is
    /// re-encrypted at that cost).
    pub async fn import_keystore(
        &self,
        label: &str,
        path: &Path,
        password: &str,
    ) -> Result<WalletAccount, EngineError> {
        let label = checked_label(label)?;
        // Read once: the bytes checked and opened are the bytes kept.
        let bytes = keys::read_keystore_bytes(path)?;
        let (copy, secret) = (bytes.clone(), Zeroizing::new(password.as_bytes().to_vec()));
        let key = tokio::task::spawn_blocking(move || keys::decrypt_key(&copy, &secret)).await??;
        // The copy kept here is at least as costly to attack as a keystore made here: a weaker
        // one (geth's "light" n = 2¹², Hallmark's earlier 2¹³, PBKDF2) is re-encrypted with the
        // same password at n = 2¹⁸; a standard or stronger scrypt one is copied as is.
        let strong = hallmark_chain::keystore::scrypt_cost(&bytes)
            .is_some_and(keys::ScryptCost::at_least_standard);
        if !strong {
            return self
                .add_encrypted(key, label, Origin::Keystore, password)
                .await;
        }
        self.add_key(key, label, Origin::Keystore, move |dir, name| {
            Ok(keys::write_private_atomically(&dir.join(name), &bytes)?)
        })
        .await
    }

    /// Opens the keystore of `address` with `password` and signs as it from now on.
    pub async fn unlock_account(&self, address: &str, password: &str) -> Result<(), EngineError> {
        let address = self.listed_address(address)?;
        let path = self.keystore_dir().join(keystore_name(address));
        let secret = Zeroizing::new(password.as_bytes().to_vec());
        let key =
            tokio::task::spawn_blocking(move || keys::read_keystore(&path, &secret)).await??;
        if key.address() != address {
            return Err(EngineError::WalletRule {
                code: ErrorCode::WalletMismatch,
                reason: format!("the keystore of {address:#x} holds another key"),
            });
        }
        let mut state = self.wallet_state();
        state.unlocked.insert(address, key);
        state.active = ActiveAccount::Wallet(address);
        Ok(())
    }

    /// Forgets every unlocked key (they are zeroized on drop); the wallet needs passwords again.
    pub fn lock_wallet(&self) {
        let mut state = self.wallet_state();
        state.unlocked.clear();
    }

    /// Copies the (encrypted) keystore of `address` into `<data>/exports/` as a backup.
    pub fn export_keystore(&self, address: &str) -> Result<PathBuf, EngineError> {
        let address = self.listed_address(address)?;
        let name = keystore_name(address);
        let source = self.keystore_dir().join(&name);
        let bytes = std::fs::read(&source).map_err(|e| EngineError::DataDir {
            path: source,
            reason: e.to_string(),
        })?;
        let exports = self.config().data_dir.join("exports");
        let target = exports.join(format!("keystore-{name}"));
        // The backup is as private as the keystore: a 0600 file in a 0700 folder.
        fsutil::private_dir(&exports)
            .and_then(|()| fsutil::write_atomically(&target, &bytes))
            .and_then(|()| fsutil::private_file(&target))
            .map_err(|e| EngineError::DataDir {
                path: target.clone(),
                reason: e.to_string(),
            })?;
        Ok(target)
    }

    /// Where [`export_keystore`](Self::export_keystore) puts the backup of `address`.
    fn backup_path(&self, address: Address) -> PathBuf {
        self.config()
            .data_dir
            .join("exports")
            .join(format!("keystore-{}", keystore_name(address)))
    }

    /// The exported backup of `address`, when one is there and is a well-formed keystore.
    fn existing_backup(&self, address: Address) -> Option<PathBuf> {
        let path = self.backup_path(address);
        let bytes = std::fs::read(&path).ok()?;
        hallmark_chain::keystore::check_keystore(&bytes)
            .is_ok()
            .then_some(path)
    }

    /// Re-encrypts the keystore of `address` with `new_password` (scrypt n = 2¹⁸), after
    /// `current_password` opens it. The new keystore is a 0600 temp file, fsynced, then renamed
    /// over the old one: a wrong password, a weak new one or a crash leaves the old file whole.
    /// Returns an exported backup that still opens with the old password, if there is one.
    pub async fn change_password(
        &self,
        address: &str,
        current_password: &str,
        new_password: &str,
    ) -> Result<PasswordChanged, EngineError> {
        let address = self.listed_address(address)?;
        let label = self
            .read_list()?
            .accounts
            .into_iter()
            .find(|a| a.address == address)
            .map(|a| a.label)
            .unwrap_or_default();
        // The new password is judged before the slow unlock.
        checked_new_password(new_password, &[&label])?;
        let path = self.keystore_dir().join(keystore_name(address));
        let (current, new) = (
            Zeroizing::new(current_password.as_bytes().to_vec()),
            Zeroizing::new(new_password.as_bytes().to_vec()),
        );
        let key = tokio::task::spawn_blocking(move || -> Result<_, EngineError> {
            let key = keys::read_keystore(&path, &current)?;
            if key.address() != address {
                return Err(EngineError::WalletRule {
                    code: ErrorCode::WalletMismatch,
                    reason: format!("the keystore of {address:#x} holds another key"),
                });
            }
            let bytes = keys::encrypt_key(&key, &new, keys::ScryptCost::STANDARD)?;
            keys::write_private_atomically(&path, &bytes)?;
            Ok(key)
        })
        .await??;
        info!(%address, "keystore password changed");
        {
            let mut state = self.wallet_state();
            if state.unlocked.contains_key(&address) {
                state.unlocked.insert(address, key);
            }
        }
        Ok(PasswordChanged {
            stale_backup: self.existing_backup(address),
        })
    }

    /// Removes the account `address` from the wallet and deletes its keystore. It needs a
    /// confirmation: `password` must open the keystore, or `confirmed` be true. And unless
    /// `confirmed`, an account with no exported backup (`<data>/exports/`) is kept: the keystore
    /// may be the only copy of the key ([`ErrorCode::WalletOnlyCopy`]).
    pub async fn forget_account(
        &self,
        address: &str,
        password: Option<&str>,
        confirmed: bool,
    ) -> Result<Forgotten, EngineError> {
        let address = self.listed_address(address)?;
        let path = self.keystore_dir().join(keystore_name(address));
        match password {
            Some(password) => {
                let (source, secret) = (path.clone(), Zeroizing::new(password.as_bytes().to_vec()));
                let key =
                    tokio::task::spawn_blocking(move || keys::read_keystore(&source, &secret))
                        .await??;
                if key.address() != address {
                    return Err(EngineError::WalletRule {
                        code: ErrorCode::WalletMismatch,
                        reason: format!("the keystore of {address:#x} holds another key"),
                    });
                }
            }
            None if confirmed => {}
            None => {
                return Err(EngineError::WalletRule {
                    code: ErrorCode::WalletUnconfirmed,
                    reason: format!("give the password of {address:#x} (or confirm) to forget it"),
                });
            }
        }
        let backup = self.existing_backup(address);
        if backup.is_none() && !confirmed {
            return Err(EngineError::WalletRule {
                code: ErrorCode::WalletOnlyCopy,
                reason: format!(
                    "{address:#x} has no exported backup: this keystore may be the only copy of its key, so it was kept (export it first, or confirm that the key may be lost)"
                ),
            });
        }
        // The list first, then the file: a crash in between leaves an unlisted keystore (as
        // adding does), never a listed account without its key.
        let mut list = self.read_list()?;
        list.accounts.retain(|a| a.address != address);
        self.write_list(&list)?;
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(EngineError::DataDir {
                    path,
                    reason: e.to_string(),
                });
            }
        }
        {
            let mut state = self.wallet_state();
            state.unlocked.remove(&address);
            if state.active == ActiveAccount::Wallet(address) {
                state.active = ActiveAccount::Demo(crate::accounts::DEFAULT_ACCOUNT);
            }
        }
        info!(%address, backup = backup.is_some(), "account forgotten");
        Ok(Forgotten {
            address: format!("{address:#x}"),
            backup,
        })
    }

    fn listed_address(&self, text: &str) -> Result<Address, EngineError> {
        let address: Address = text.trim().parse().map_err(|_| EngineError::NotFound {
            what: format!("account {text:?}"),
            reason: "that is not an address (0x and 40 hex digits)".to_owned(),
        })?;
        if self
            .read_list()?
            .accounts
            .iter()
            .all(|a| a.address != address)
        {
            return Err(EngineError::NotFound {
                what: format!("account {address:#x}"),
                reason: "it is not in this wallet".to_owned(),
            });
        }
        Ok(address)
    }

    /// Signs as `account` from now on (a wallet account must be unlocked first).
    pub fn use_account(&self, account: ActiveAccount) -> Result<(), EngineError> {
        let mut state = self.wallet_state();
        match account {
            ActiveAccount::Demo(index) => {
                if !matches!(self.config().chain, ChainConfig::DevChain { .. }) {
                    return Err(EngineError::WalletRule {
                        code: ErrorCode::WalletDemoOnly,
                        reason: "demo accounts exist only on the embedded dev chain".to_owned(),
                    });
                }
                if index >= crate::accounts::DEMO_ACCOUNTS.len() {
                    return Err(EngineError::NotFound {
                        what: format!("demo account {index}"),
                        reason: "there are 7 demo accounts (0 to 6)".to_owned(),
                    });
                }
            }
            ActiveAccount::Wallet(address) => {
                if !state.unlocked.contains_key(&address) {
                    return Err(EngineError::WalletLocked {
                        address: format!("{address:#x}"),
                    });
                }
            }
        }
        state.active = account;
        Ok(())
    }

    /// The key the app signs with: the active wallet account (unlocked), or the active demo
    /// account on the dev chain.
    pub fn app_signer(&self) -> Result<PrivateKeySigner, EngineError> {
        let state = self.wallet_state();
        match state.active {
            ActiveAccount::Wallet(address) => {
                state
                    .unlocked
                    .get(&address)
                    .cloned()
                    .ok_or_else(|| EngineError::WalletLocked {
                        address: format!("{address:#x}"),
                    })
            }
            ActiveAccount::Demo(index) => match self.config().chain {
                ChainConfig::DevChain { .. } => Ok(dev_signer(index)?),
                ChainConfig::Rpc { .. } => Err(EngineError::WalletRule {
                    code: ErrorCode::WalletNoAccount,
                    reason: "create or import an account in Settings to sign on this chain"
                        .to_owned(),
                }),
            },
        }
    }

    /// Dev chain only: the council admits `address` to the demo consortium as a member with
    /// [`DEMO_JOIN_CREDITS`] credits, and the chain gives it gas money. A real consortium admits
    /// members after identity checks, off this app.
    pub async fn join_demo_consortium(&self, address: &str) -> Result<(), EngineError> {
        if !matches!(self.config().chain, ChainConfig::DevChain { .. }) {
            return Err(EngineError::WalletRule {
                code: ErrorCode::WalletDemoOnly,
                reason: "only the embedded dev chain admits members from the app; a consortium admits members after its identity checks".to_owned(),
            });
        }
        let address = self.listed_address(address)?;
        let rpc = self
            .chain_rpc()
            .await
            .ok_or_else(|| EngineError::ChainNotReady {
                reason: "the dev chain is not running".to_owned(),
            })?;
        // 100 ether of gas money (the dev chain's gas is not scarce).
        rpc.admin(
            "anvil_setBalance",
            serde_json::json!([format!("{address:#x}"), "0x56bc75e2d63100000"]),
        )
        .await?;
        let council = self.chain_client(dev_signer(0)?).await?;
        let granted = council
            .consortium()
            .grantOf(Role::Member.as_u8(), address)
            .call()
            .await
            .map_err(hallmark_chain::ChainError::from)?
            .granted;
        if !granted {
            council
                .grant_role(
                    Role::Member,
                    address,
                    demo_attestation(address),
                    council.address(),
                )
                .await?;
        }
        let balance = council.credit_balance(address).await?;
        let target = U256::from(DEMO_JOIN_CREDITS);
        if balance < target {
            council.mint_credit(address, target - balance).await?;
        }
        info!(%address, "joined the demo consortium");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_passwords_are_checked() {
        assert!(checked_label("  Ada ").is_ok_and(|l| l == "Ada"));
        for bad in ["", "   ", "a\nb", &"x".repeat(41)] {
            assert!(checked_label(bad).is_err(), "{bad:?}");
        }
        let code = |password: &str| checked_new_password(password, &["Ada"]).map_err(|e| e.code());
        assert_eq!(code("1234567"), Err(ErrorCode::WalletWeakPassword));
        for guessable in [
            "12345678",
            "password1",
            "Ada12345",
            "hallmark2024",
            "qwertyuiop",
        ] {
            assert_eq!(
                code(guessable),
                Err(ErrorCode::WalletGuessablePassword),
                "{guessable}"
            );
        }
        for strong in [
            "correct horse battery",
            "violet kettle under granite",
            "山川湖海风雨雷电云雪",
        ] {
            assert_eq!(code(strong), Ok(()), "{strong}");
        }
        let explained = checked_new_password("password1", &[]).expect_err("weak");
        let text = explained.to_string();
        assert!(text.contains("easy to guess"), "{text}");
        assert!(text.contains("common"), "zxcvbn's warning is shown: {text}");
    }
}
