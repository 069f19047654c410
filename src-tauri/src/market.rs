//! The accounts the app signs as, and the market actions it signs. Keys stay in the Rust core;
//! the UI asks for confirmation (showing what will be signed) before calling `market_action`.

use hallmark_api::{
    AccountInfo, AccountKind, MarketReport, MarketRequest, SetAccountRequest, events,
};
use hallmark_engine::{AppAccount, Engine};
use tauri::{AppHandle, Emitter, State};

use crate::convert;
use crate::error::{CommandError, CommandResult, guarded};
use crate::input::checked_address;

/// An engine account as the UI sees it (wallet accounts have no demo index: `u32::MAX`).
pub(crate) fn info(a: AppAccount) -> CommandResult<AccountInfo> {
    Ok(AccountInfo {
        index: a
            .index
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(u32::MAX),
        label: a.label,
        address: a.address,
        active: a.active,
        balance_cents: a.balance_cents,
        roles: a.roles,
        kind: convert::wire::<AccountKind>(a.kind)?,
        unlocked: a.unlocked,
    })
}

/// Every account the app can sign as, as the UI sees them.
pub(crate) async fn accounts(engine: &Engine) -> CommandResult<Vec<AccountInfo>> {
    engine.app_accounts().await?.into_iter().map(info).collect()
}

/// The accounts the app can sign as, with balances and roles.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn app_accounts(engine: State<'_, Engine>) -> CommandResult<Vec<AccountInfo>> {
    guarded(async move { accounts(&engine).await }).await
}

/// Switches the account the app signs as.
#[tauri::command]
#[tracing::instrument(skip_all, fields(index = request.index))]
pub(crate) async fn set_account(
    engine: State<'_, Engine>,
    request: SetAccountRequest,
) -> CommandResult<Vec<AccountInfo>> {
    guarded(async move {
        engine.set_app_account(request.index as usize)?;
        accounts(&engine).await
    })
    .await
}

/// Lists, withdraws, buys or gives a token as the active account.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn market_action(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: MarketRequest,
) -> CommandResult<MarketReport> {
    guarded(async move {
        let outcome = match checked(&request)? {
            MarketRequest::List {
                token_id,
                price_cents,
            } => engine.list_token(token_id, price_cents).await?,
            MarketRequest::Cancel { token_id } => engine.cancel_listing(token_id).await?,
            MarketRequest::Buy {
                token_id,
                price_cents,
            } => engine.buy_token(token_id, price_cents).await?,
            MarketRequest::Gift { token_id, to } => engine.gift_token(token_id, &to).await?,
            MarketRequest::MintEdition { work_id, to } => {
                engine.mint_edition_to(work_id, &to).await?
            }
        };
        let _ = app.emit(events::CHAIN_CHANGED, ());
        Ok(MarketReport {
            tx_hash: format!("{:#x}", outcome.tx_hash),
            block_number: outcome.block_number,
        })
    })
    .await
}

/// Prices between 0.01 and 10 million credits; addresses of the right shape.
fn checked(request: &MarketRequest) -> CommandResult<MarketRequest> {
    let invalid = |m: &str| CommandError::invalid(m);
    match request {
        MarketRequest::List { price_cents, .. } | MarketRequest::Buy { price_cents, .. }
            if !(1..=1_000_000_000).contains(price_cents) =>
        {
            Err(invalid(
                "the price must be between 0.01 and 10,000,000 credits",
            ))
        }
        MarketRequest::Gift { to, .. } | MarketRequest::MintEdition { to, .. }
            if checked_address(to).is_err() =>
        {
            Err(invalid(
                "the recipient must be an address: 0x and 40 hex digits",
            ))
        }
        other => Ok(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hallmark_api::ErrorCode;

    #[test]
    fn market_requests_are_validated() {
        let bad = [
            MarketRequest::List {
                token_id: 1,
                price_cents: 0,
            },
            MarketRequest::List {
                token_id: 1,
                price_cents: 1_000_000_001,
            },
            MarketRequest::Buy {
                token_id: 1,
                price_cents: 0,
            },
            MarketRequest::Gift {
                token_id: 1,
                to: "0x12".into(),
            },
            MarketRequest::Gift {
                token_id: 1,
                to: format!("0x{}", "g".repeat(40)),
            },
        ];
        for request in bad {
            assert_eq!(
                checked(&request).expect_err("refused").code(),
                ErrorCode::RequestInvalid
            );
        }
        let good = MarketRequest::Gift {
            token_id: 1,
            to: format!("0x{}", "a".repeat(40)),
        };
        assert_eq!(checked(&good).expect("valid"), good);
    }

    #[test]
    fn market_requests_have_a_pinned_json_shape() {
        let json = serde_json::to_string(&MarketRequest::List {
            token_id: 1_000_001,
            price_cents: 1500,
        })
        .expect("json");
        assert_eq!(
            json,
            r#"{"action":"list","token_id":1000001,"price_cents":1500}"#
        );
    }
}
