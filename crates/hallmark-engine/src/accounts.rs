//! Who the desktop app signs as, and the market actions it signs.
//!
//! On the dev chain the app acts as one of the seeded demo accounts (anvil's public dev keys:
//! council, issuer, reviewer, members 1–4), chosen by the user; their keys are public test keys,
//! so nothing secret is stored. On a consortium chain signing needs a wallet (keystores), which
//! this version does not have: every signing action says so.

use hallmark_chain::{ChainClient, ChainError, PrivateKeySigner, TxOutcome, U256, dev_signer};
use serde::Serialize;

use crate::config::ChainConfig;
use crate::engine::Engine;
use crate::error::EngineError;

/// The seeded demo accounts, by anvil dev key index.
pub const DEMO_ACCOUNTS: [&str; 7] = [
    "Council", "Issuer", "Reviewer", "Member 1", "Member 2", "Member 3", "Member 4",
];

/// The account the app starts as: the issuer (it may register works).
pub(crate) const DEFAULT_ACCOUNT: usize = 1;

/// One account the app can sign as.
#[derive(Debug, Clone, Serialize)]
pub struct AppAccount {
    /// Dev key index.
    pub index: usize,
    /// `Issuer`, `Member 1` …
    pub label: String,
    /// `0x…` address, lowercase.
    pub address: String,
    /// Whether the app signs as this account now.
    pub active: bool,
    /// Settlement credit balance in cents, when the chain answered.
    pub balance_cents: Option<i64>,
    /// Roles from the catalog: `member`, `issuer`, `reviewer`, `council` (suspended ones marked).
    pub roles: Vec<String>,
}

fn wallet_needed() -> EngineError {
    EngineError::ChainNotReady {
        reason: "signing on a consortium chain needs a wallet, which is not set up yet".to_owned(),
    }
}

impl Engine {
    /// The key the app signs with: the active demo account on the dev chain.
    pub fn app_signer(&self) -> Result<PrivateKeySigner, EngineError> {
        match self.config().chain {
            ChainConfig::DevChain { .. } => Ok(dev_signer(self.active_account_index())?),
            ChainConfig::Rpc { .. } => Err(wallet_needed()),
        }
    }

    /// The accounts the app can sign as (the demo accounts on the dev chain, none otherwise),
    /// with balances and roles.
    pub async fn app_accounts(&self) -> Result<Vec<AppAccount>, EngineError> {
        if !matches!(self.config().chain, ChainConfig::DevChain { .. }) {
            return Ok(Vec::new());
        }
        let active = self.active_account_index();
        let client = self.chain_client(dev_signer(0)?).await.ok();
        let mut accounts = Vec::with_capacity(DEMO_ACCOUNTS.len());
        for (index, label) in DEMO_ACCOUNTS.iter().enumerate() {
            let address = dev_signer(index)?.address();
            let balance_cents = match &client {
                Some(c) => c
                    .credit_balance(address)
                    .await
                    .ok()
                    .and_then(|b| i64::try_from(b).ok()),
                None => None,
            };
            let address = format!("{address:#x}");
            let roles = self
                .catalog()
                .roles(&address)?
                .into_iter()
                .map(|(role, status)| {
                    if status == "active" {
                        role
                    } else {
                        format!("{role} ({status})")
                    }
                })
                .collect();
            accounts.push(AppAccount {
                index,
                label: (*label).to_owned(),
                address,
                active: index == active,
                balance_cents,
                roles,
            });
        }
        Ok(accounts)
    }

    /// Makes the app sign as demo account `index` (dev chain only).
    pub fn set_app_account(&self, index: usize) -> Result<(), EngineError> {
        if !matches!(self.config().chain, ChainConfig::DevChain { .. }) {
            return Err(wallet_needed());
        }
        if index >= DEMO_ACCOUNTS.len() {
            return Err(EngineError::Task(format!(
                "there is no demo account {index}"
            )));
        }
        self.set_active_account_index(index);
        Ok(())
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

    /// Buys the listed `token_id` as the app's account (royalties and fee paid by the contract).
    pub async fn buy_token(&self, token_id: u64) -> Result<TxOutcome, EngineError> {
        Ok(self.app_client().await?.buy(U256::from(token_id)).await?)
    }

    /// Gives `token_id` to the member `to` (a `0x…` address).
    pub async fn gift_token(&self, token_id: u64, to: &str) -> Result<TxOutcome, EngineError> {
        let to = to.trim().parse().map_err(|_| {
            EngineError::Chain(ChainError::InvalidInput {
                reason: format!("{to:?} is not an address (0x and 40 hex digits)"),
            })
        })?;
        Ok(self
            .app_client()
            .await?
            .gift(U256::from(token_id), to)
            .await?)
    }
}
