//! The account switcher of the top bar: which account the app signs as — an unlocked wallet
//! account, or on the dev chain one of the seeded demo accounts — with its credit balance.
//! Option values are `demo:<index>` and `wallet:<address>`.

use hallmark_api::{AccountInfo, AccountKind, SetAccountRequest, WalletRequest, commands};
use leptos::prelude::*;

use crate::i18n::{Text, t, use_lang};
use crate::{api, format};

/// Loads the accounts into `accounts` (and again whenever `version` changes).
pub fn load_accounts(accounts: RwSignal<Vec<AccountInfo>>) {
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::invoke::<commands::AppAccounts>(&()).await {
            accounts.set(list);
        }
    });
}

/// The `<select>` of accounts.
#[component]
pub fn AccountSwitcher(accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    let lang = use_lang();
    // Signs as the chosen account; the shell answers with the accounts, the chosen one active.
    let choose = Action::new_local(move |value: &String| {
        let value = value.clone();
        async move {
            let list = if let Some(index) = value.strip_prefix("demo:") {
                let Ok(index) = index.parse() else { return };
                let request = SetAccountRequest { index };
                api::invoke::<commands::SetAccount>(&request).await
            } else if let Some(address) = value.strip_prefix("wallet:") {
                let request = WalletRequest::Use {
                    address: address.to_owned(),
                };
                api::invoke::<commands::Wallet>(&request)
                    .await
                    .map(|r| r.accounts)
            } else {
                return;
            };
            if let Ok(list) = list {
                accounts.set(list);
            }
        }
    });
    view! {
        <Show when=move || accounts.with(|a| !a.is_empty())>
            <label class="account">
                <span class="muted small">{t(Text::SigningAs)}</span>
                <select
                    id="account-select"
                    aria-label=t(Text::AccountSelect)
                    on:change=move |ev| { choose.dispatch(event_target_value(&ev)); }
                >
                    // Locked wallet accounts are unlocked in Settings first.
                    {move || accounts.get().into_iter().filter(|a| a.kind != AccountKind::Wallet || a.unlocked).map(|a| {
                        let balance = a.balance_cents.map(|c| format::credits(lang.get(), c)).unwrap_or_default();
                        let value = if a.kind == AccountKind::Wallet {
                            format!("wallet:{}", a.address)
                        } else {
                            format!("demo:{}", a.index)
                        };
                        view! {
                            <option value=value selected=a.active>
                                {format!("{} · {}", a.label, balance)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
        </Show>
    }
}
