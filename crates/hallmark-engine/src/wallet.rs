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

fn checked_new_password(password: &str) -> Result<(), EngineError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(EngineError::WalletRule {
            code: ErrorCode::WalletWeakPassword,
            reason: format!("choose a password of at least {MIN_PASSWORD_CHARS} characters"),
        });
    }
    Ok(())
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
        checked_new_password(password)?;
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
        checked_new_password(password)?;
        let phrase = phrase.to_owned();
        let key =
            tokio::task::spawn_blocking(move || keys::key_from_phrase(&phrase, index)).await??;
        self.add_encrypted(key, label, Origin::Phrase, password)
            .await
    }

    /// Adds the account of a keystore file from another wallet (opened with its `password`,
    /// which keeps protecting the copy kept here).
    pub async fn import_keystore(
        &self,
        label: &str,
        path: &Path,
        password: &str,
    ) -> Result<WalletAccount, EngineError> {
        let label = checked_label(label)?;
        let (source, secret) = (
            path.to_owned(),
            Zeroizing::new(password.as_bytes().to_vec()),
        );
        let key =
            tokio::task::spawn_blocking(move || keys::read_keystore(&source, &secret)).await??;
        let source = path.to_owned();
        self.add_key(key, label, Origin::Keystore, move |dir, name| {
            let bytes = std::fs::read(&source).map_err(|e| EngineError::DataDir {
                path: source.clone(),
                reason: e.to_string(),
            })?;
            let target = dir.join(name);
            fsutil::write_atomically(&target, &bytes).map_err(|e| EngineError::DataDir {
                path: target,
                reason: e.to_string(),
            })
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
        assert!(checked_new_password("12345678").is_ok());
        assert!(checked_new_password("1234567").is_err());
        assert!(checked_new_password("密码密码密码密码").is_ok());
    }
}
