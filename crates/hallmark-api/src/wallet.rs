//! The accounts the app signs as, and the wallet that keeps their keys.

use serde::{Deserialize, Serialize};

/// An account the app can sign as (on the dev chain: the seeded demo accounts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// Index to select it with.
    pub index: u32,
    /// `Issuer`, `Member 1` …
    pub label: String,
    /// `0x…` address.
    pub address: String,
    /// The app signs as this account now.
    pub active: bool,
    /// Settlement credit in cents, when known.
    pub balance_cents: Option<i64>,
    /// Roles held (`member`, `issuer`, `reviewer`, `council`); a role that is not active carries
    /// its state (`member (suspended)`). See [`AccountInfo::holds`].
    pub roles: Vec<String>,
    /// `demo` (a seeded dev-chain account) or `wallet` (a keystore of this app).
    #[serde(default)]
    pub kind: AccountKind,
    /// Whether it can sign now (wallet accounts must be unlocked with their password).
    #[serde(default)]
    pub unlocked: bool,
}

/// Which account to sign as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAccountRequest {
    /// [`AccountInfo::index`].
    pub index: u32,
}

impl AccountInfo {
    /// Whether the account holds `role` and it is active (not suspended).
    pub fn holds(&self, role: Role) -> bool {
        self.roles.iter().any(|held| held == role.as_str())
    }
}

/// What to do with the wallet. Passwords and phrases travel only from the UI to the Rust core,
/// never back; `Debug` hides them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WalletRequest {
    /// A new account with a random key, protected by `password`.
    Create {
        /// The account's name.
        label: String,
        /// At least 8 characters.
        password: String,
    },
    /// The account of a BIP-39 recovery phrase (`m/44'/60'/0'/0/index`).
    ImportPhrase {
        /// The account's name.
        label: String,
        /// 12–24 English words.
        phrase: String,
        /// Which account of the phrase (0 = the first).
        index: u32,
        /// Protects the keystore kept here; at least 8 characters.
        password: String,
    },
    /// A Web3 Secret Storage keystore file from another wallet.
    ImportKeystore {
        /// The account's name.
        label: String,
        /// The `.json` file, as the user chose it.
        file: crate::FileToken,
        /// The file's password.
        password: String,
    },
    /// Opens an account's keystore for this session and signs as it.
    Unlock {
        /// `0x…`.
        address: String,
        /// Its password.
        password: String,
    },
    /// Forgets every unlocked key.
    Lock,
    /// Signs as an unlocked wallet account.
    Use {
        /// `0x…`.
        address: String,
    },
    /// Copies the account's encrypted keystore to the exports folder (a backup).
    ExportKeystore {
        /// `0x…`.
        address: String,
    },
    /// Re-encrypts the account's keystore with a new password (judged for strength first).
    ChangePassword {
        /// `0x…`.
        address: String,
        /// The password that opens it now.
        current_password: String,
        /// The new one.
        new_password: String,
    },
    /// Removes the account and deletes its keystore, after its password opened it. Refused when
    /// no exported backup exists, unless `lose_key` says the key may be lost.
    Forget {
        /// `0x…`.
        address: String,
        /// Its password (the confirmation).
        password: String,
        /// The user accepts that this keystore may be the only copy of the key.
        lose_key: bool,
    },
    /// Dev chain only: the council admits the account to the demo consortium with credits.
    JoinDemo {
        /// `0x…`.
        address: String,
    },
}

impl std::fmt::Debug for WalletRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let action = match self {
            Self::Create { .. } => "create",
            Self::ImportPhrase { .. } => "import_phrase",
            Self::ImportKeystore { .. } => "import_keystore",
            Self::Unlock { .. } => "unlock",
            Self::Lock => "lock",
            Self::Use { .. } => "use",
            Self::ExportKeystore { .. } => "export_keystore",
            Self::JoinDemo { .. } => "join_demo",
            Self::ChangePassword { .. } => "change_password",
            Self::Forget { .. } => "forget",
        };
        write!(f, "WalletRequest::{action} {{ .. }}")
    }
}

/// The wallet after an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletReport {
    /// Every account the app can sign as, as after the action.
    pub accounts: Vec<AccountInfo>,
    /// A file the action wrote (an exported keystore).
    pub path: Option<String>,
    /// After a password change: an exported backup that still opens with the old password.
    #[serde(default)]
    pub stale_backup: Option<String>,
}

hallmark_domain::wire_enum! {
    /// A role an account holds in the consortium.
    pub enum Role {
        /// A verified member: may hold, buy and sell works.
        Member = "member",
        /// May register works.
        Issuer = "issuer",
        /// Decides near-copy reviews.
        Reviewer = "reviewer",
        /// Admits members and grants roles.
        Council = "council",
    }
}

hallmark_domain::wire_enum! {
    /// Where an account's key lives.
    #[derive(Default)]
    pub enum AccountKind {
        /// A seeded dev-chain account (the default of answers that predate wallets).
        #[default]
        Demo = "demo",
        /// A keystore of this app's wallet.
        Wallet = "wallet",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_active_roles_are_held() {
        let account: AccountInfo = serde_json::from_str(
            r#"{"index":0,"label":"Ada","address":"0x00","active":true,"balance_cents":null,
                "roles":["issuer","member (suspended)"]}"#,
        )
        .expect("json");
        assert!(account.holds(Role::Issuer));
        assert!(!account.holds(Role::Member));
        assert_eq!(
            account.kind,
            AccountKind::Demo,
            "the default of older answers"
        );
    }
}
