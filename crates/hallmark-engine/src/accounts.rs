//! Who the desktop app signs as, and the market actions it signs.
//!
//! On the dev chain the app may act as one of the seeded demo accounts (anvil's public dev keys:
//! council, issuer, reviewer, members 1–4), whose keys are public test keys. Any chain can be
//! signed on with a wallet account (see [`crate::wallet`]): a keystore unlocked by its password.

use hallmark_chain::{Address, ChainClient, ChainError, TxOutcome, U256, dev_signer};
use serde::Serialize;

use crate::config::ChainConfig;
use crate::engine::Engine;
use crate::error::EngineError;
use crate::wallet::ActiveAccount;

/// The seeded demo accounts, by anvil dev key index.
pub const DEMO_ACCOUNTS: [&str; 7] = [
    "Council", "Issuer", "Reviewer", "Member 1", "Member 2", "Member 3", "Member 4",
];

/// The account the app starts as: the issuer (it may register works).
pub(crate) const DEFAULT_ACCOUNT: usize = 1;

/// One account the app can sign as.
#[derive(Debug, Clone, Serialize)]
pub struct AppAccount {
    /// Demo accounts: the dev key index.
    pub index: Option<usize>,
    /// `Issuer`, `Member 1`, or a wallet account's label.
    pub label: String,
    /// `0x…` address, lowercase.
    pub address: String,
    /// `demo` or `wallet`.
    pub kind: &'static str,
    /// Whether its key is usable now (demo keys always are; wallet keys once unlocked).
    pub unlocked: bool,
    /// Whether the app signs as this account now.
    pub active: bool,
    /// Settlement credit balance in cents, when the chain answered.
    pub balance_cents: Option<i64>,
    /// Roles from the catalog: `member`, `issuer`, `reviewer`, `council` (suspended ones marked).
    pub roles: Vec<String>,
}

impl Engine {
    /// The accounts the app can sign as (wallet accounts, and the demo accounts on the dev
    /// chain), with balances and roles.
    pub async fn app_accounts(&self) -> Result<Vec<AppAccount>, EngineError> {
        let dev = matches!(self.config().chain, ChainConfig::DevChain { .. });
        let active = self.wallet_state().active;
        // Balances are reads: any key serves.
        let client = self.chain_client(dev_signer(0)?).await.ok();
        let mut accounts = Vec::new();
        for wallet in self.wallet_accounts()? {
            let address: Address = wallet
                .address
                .parse()
                .map_err(|_| EngineError::Task("a listed address does not parse".to_owned()))?;
            accounts.push(AppAccount {
                index: None,
                label: wallet.label,
                address: wallet.address,
                kind: "wallet",
                unlocked: wallet.unlocked,
                active: active == ActiveAccount::Wallet(address),
                balance_cents: None,
                roles: Vec::new(),
            });
        }
        if dev {
            for (index, label) in DEMO_ACCOUNTS.iter().enumerate() {
                accounts.push(AppAccount {
                    index: Some(index),
                    label: (*label).to_owned(),
                    address: format!("{:#x}", dev_signer(index)?.address()),
                    kind: "demo",
                    unlocked: true,
                    active: active == ActiveAccount::Demo(index),
                    balance_cents: None,
                    roles: Vec::new(),
                });
            }
        }
        for account in &mut accounts {
            if let (Some(client), Ok(address)) = (&client, account.address.parse::<Address>()) {
                account.balance_cents = client
                    .credit_balance(address)
                    .await
                    .ok()
                    .and_then(|b| i64::try_from(b).ok());
            }
            account.roles = self
                .catalog()
                .roles(&account.address)?
                .into_iter()
                .map(|(role, status)| {
                    if status == "active" {
                        role
                    } else {
                        format!("{role} ({status})")
                    }
                })
                .collect();
        }
        Ok(accounts)
    }

    /// Makes the app sign as demo account `index` (dev chain only).
    pub fn set_app_account(&self, index: usize) -> Result<(), EngineError> {
        self.use_account(ActiveAccount::Demo(index))
    }

    async fn app_client(&self) -> Result<ChainClient, EngineError> {
        self.chain_client(self.app_signer()?).await
    }

    /// Lists `token_id` for sale at `price_cents`, as the app's account.
    pub async fn list_token(
        &self,
        token_id: u64,
        price_cents: u64,
    ) -> Result<TxOutcome, EngineError> {
        if price_cents == 0 {
            return Err(EngineError::Chain(ChainError::InvalidPrice));
        }
        Ok(self
            .app_client()
            .await?
            .list(U256::from(token_id), U256::from(price_cents))
            .await?)
    }

    /// Withdraws the app account's listing of `token_id`.
    pub async fn cancel_listing(&self, token_id: u64) -> Result<TxOutcome, EngineError> {
        Ok(self
            .app_client()
            .await?
            .cancel_listing(U256::from(token_id))
            .await?)
    }

    /// Buys the listed `token_id` as the app's account at `price_cents`, the price the user
    /// confirmed (royalties and fee paid by the contract; refused if the listing asks another).
    pub async fn buy_token(
        &self,
        token_id: u64,
        price_cents: u64,
    ) -> Result<TxOutcome, EngineError> {
        Ok(self
            .app_client()
            .await?
            .buy(U256::from(token_id), U256::from(price_cents))
            .await?)
    }

    /// Gives `token_id` to the member `to` (a `0x…` address).
    pub async fn gift_token(&self, token_id: u64, to: &str) -> Result<TxOutcome, EngineError> {
        let to = recipient(to)?;
        Ok(self
            .app_client()
            .await?
            .gift(U256::from(token_id), to)
            .await?)
    }

    /// Mints work `work_id`'s next edition to the member `to` (a `0x…` address), signed as the
    /// app's account: the work's creator, or the issuer that registered it.
    pub async fn mint_edition_to(&self, work_id: u64, to: &str) -> Result<TxOutcome, EngineError> {
        let to = recipient(to)?;
        Ok(self
            .app_client()
            .await?
            .mint_edition(U256::from(work_id), to)
            .await?
            .tx)
    }
}

/// A recipient typed or chosen as `0x…`.
fn recipient(to: &str) -> Result<hallmark_chain::Address, EngineError> {
    to.trim().parse().map_err(|_| {
        EngineError::Chain(ChainError::InvalidInput {
            reason: format!("{to:?} is not an address (0x and 40 hex digits)"),
        })
    })
}
