//! The account switcher of the top bar: which account the app signs as (on the dev chain, one of
//! the seeded demo accounts), with its credit balance.

use hallmark_api::{AccountInfo, SetAccountRequest, commands};
use leptos::prelude::*;
use serde::Serialize;

use crate::i18n::{Text, t, use_lang};
use crate::{api, format};

#[derive(Serialize)]
struct Args {
    request: SetAccountRequest,
}

/// Loads the accounts into `accounts` (and again whenever `version` changes).
pub fn load_accounts(accounts: RwSignal<Vec<AccountInfo>>) {
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::call::<_, Vec<AccountInfo>>(commands::APP_ACCOUNTS, &()).await {
            accounts.set(list);
        }
    });
}

/// The `<select>` of accounts.
#[component]
pub fn AccountSwitcher(accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    let lang = use_lang();
    let choose = move |index: u32| {
        leptos::task::spawn_local(async move {
            let request = SetAccountRequest { index };
            if let Ok(list) =
                api::call::<_, Vec<AccountInfo>>(commands::SET_ACCOUNT, &Args { request }).await
            {
                accounts.set(list);
            }
        });
    };
    view! {
        <Show when=move || accounts.with(|a| !a.is_empty())>
            <label class="account">
                <span class="muted small">{t(Text::SigningAs)}</span>
                <select
                    id="account-select"
                    aria-label=t(Text::AccountSelect)
                    on:change=move |ev| {
                        if let Ok(index) = event_target_value(&ev).parse() {
                            choose(index);
                        }
                    }
                >
                    {move || accounts.get().into_iter().map(|a| {
                        let balance = a.balance_cents.map(|c| format::credits(lang.get(), c)).unwrap_or_default();
                        view! {
                            <option value=a.index.to_string() selected=a.active>
                                {format!("{} · {}", a.label, balance)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
        </Show>
    }
}
