//! The wallet, in Settings: the accounts the app can sign as, with membership and balance;
//! create an account, import one (recovery phrase or keystore file), unlock, lock, back up, and
//! on the dev chain join the demo consortium. Passwords and phrases go to the Rust core and are
//! cleared from the form; keys never come back.

use hallmark_api::{AccountInfo, AccountKind, Role, WalletRequest, commands};
use leptos::prelude::*;

use super::ErrorBox;
use crate::i18n::{self, Text, t, tr, use_lang};
use crate::{api, format};

/// The wallet card.
#[component]
pub fn WalletPanel(accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    // Demo accounts are listed only on the embedded dev chain.
    let dev_chain =
        Signal::derive(move || accounts.with(|a| a.iter().any(|a| a.kind == AccountKind::Demo)));
    let wallet = Action::new_local(move |request: &WalletRequest| {
        let request = request.clone();
        async move {
            let answer = api::invoke::<commands::Wallet>(&request).await;
            if let Ok(report) = &answer {
                accounts.set(report.accounts.clone());
            }
            answer
        }
    });
    let (busy, answer) = (wallet.pending(), wallet.value());
    // Runs one action; `then` clears the form's secrets (the request has them) whatever the
    // outcome.
    // Whether the last action was a password change (its success gets its own note).
    let changing = RwSignal::new(false);
    let act = move |request: WalletRequest, then: Box<dyn FnOnce() + Send + Sync>| {
        if busy.get_untracked() {
            return;
        }
        changing.set(matches!(request, WalletRequest::ChangePassword { .. }));
        wallet.clear();
        wallet.dispatch(request);
        then();
    };
    let notice = move || answer.get().and_then(Result::ok).and_then(|r| r.path);
    let stale = move || {
        answer
            .get()
            .and_then(Result::ok)
            .and_then(|r| r.stale_backup)
    };
    let password_changed = move || changing.get() && answer.get().is_some_and(|a| a.is_ok());
    let error = move || answer.get().and_then(Result::err);
    let wallet_accounts = move || {
        accounts.with(|all| {
            all.iter()
                .filter(|a| a.kind == AccountKind::Wallet)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="card wallet" id="wallet">
            <h2>{t(Text::Wallet)}</h2>
            <p class="muted small">{t(Text::WalletLede)}</p>
            <Show when=move || wallet_accounts().is_empty()>
                <p class="muted" id="wallet-empty">{t(Text::WalletEmpty)}</p>
            </Show>
            <ul class="accounts" id="wallet-accounts">
                <For each=wallet_accounts key=|a| (a.address.clone(), a.unlocked, a.active, a.roles.clone(), a.balance_cents) let:account>
                    <AccountRow account=account dev_chain=dev_chain busy=busy act=act />
                </For>
            </ul>
            <div class="wallet-forms">
                <CreateForm busy=busy act=act />
                <ImportForm busy=busy act=act />
            </div>
            <Show when=move || accounts.with(|a| a.iter().any(|a| a.kind == AccountKind::Wallet && a.unlocked))>
                <button id="wallet-lock" type="button" disabled=move || busy.get()
                    on:click=move |_| act(WalletRequest::Lock, Box::new(|| ()))>{t(Text::LockAll)}</button>
            </Show>
            {move || notice().map(|path| view! {
                <p class="ok" id="wallet-notice" role="status">{tr(move |l| i18n::keystore_saved(l, &path))}</p>
            })}
            <Show when=password_changed>
                <p class="ok" id="wallet-password-changed" role="status">{t(Text::PasswordChanged)}</p>
            </Show>
            {move || stale().map(|path| view! {
                <p class="note" id="wallet-stale-backup" role="status">{tr(move |l| i18n::stale_backup(l, &path))}</p>
            })}
            {move || error().map(|e| view! { <ErrorBox error=e id="wallet-error" /> })}
        </div>
    }
}

/// One wallet account: status, and what can be done with it.
#[component]
fn AccountRow(
    account: AccountInfo,
    dev_chain: Signal<bool>,
    busy: Memo<bool>,
    act: impl Fn(WalletRequest, Box<dyn FnOnce() + Send + Sync>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let password = RwSignal::new(String::new());
    let address = account.address.clone();
    let member = account.holds(Role::Member);
    let roles = if account.roles.is_empty() {
        None
    } else {
        Some(account.roles.join(", "))
    };
    let balance = account.balance_cents;
    let slug = account.address.clone();
    let (unlock_address, use_address, backup_address, join_address) = (
        address.clone(),
        address.clone(),
        address.clone(),
        address.clone(),
    );
    view! {
        <li class="account-row" id=format!("wallet-{slug}") class:active=account.active>
            <div class="who">
                <strong>{account.label.clone()}</strong>
                <span class="mono small">{account.address.clone()}</span>
            </div>
            <div class="status small">
                <span class=if account.unlocked { "ok" } else { "muted" }>
                    {t(if account.unlocked { Text::Unlocked } else { Text::Locked })}
                </span>
                " · "
                <span class="membership">{move || match &roles {
                    Some(roles) => roles.clone(),
                    None => Text::NotMember.text(lang.get()).to_owned(),
                }}</span>
                {balance.map(|c| view! { " · " <span class="balance">{move || format::credits(lang.get(), c)}</span> })}
                {account.active.then(|| view! { " · " <strong>{t(Text::SigningNow)}</strong> })}
            </div>
            <div class="actions">
                {if account.active && account.unlocked {
                    ().into_any()
                } else if account.unlocked {
                    view! {
                        <button type="button" class="use" disabled=move || busy.get()
                            on:click=move |_| act(WalletRequest::Use { address: use_address.clone() }, Box::new(|| ()))>
                            {t(Text::SignAsThis)}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <form class="unlock" on:submit=move |ev| {
                            ev.prevent_default();
                            let request = WalletRequest::Unlock { address: unlock_address.clone(), password: password.get_untracked() };
                            act(request, Box::new(move || password.set(String::new())));
                        }>
                            <input type="password" class="unlock-password" autocomplete="current-password"
                                aria-label=t(Text::Password) placeholder=t(Text::Password)
                                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                            <button type="submit" class="unlock-button" disabled=move || busy.get()>{t(Text::Unlock)}</button>
                        </form>
                    }.into_any()
                }}
                <Show when=move || dev_chain.get() && !member>
                    <button type="button" class="join primary" disabled=move || busy.get()
                        on:click={
                            let address = join_address.clone();
                            move |_| act(WalletRequest::JoinDemo { address: address.clone() }, Box::new(|| ()))
                        }>
                        {t(Text::JoinDemo)}
                    </button>
                </Show>
                <button type="button" class="backup" disabled=move || busy.get()
                    on:click=move |_| act(WalletRequest::ExportKeystore { address: backup_address.clone() }, Box::new(|| ()))>
                    {t(Text::BackUpKeystore)}
                </button>
            </div>
            <ManageAccount address=address busy=busy act=act />
        </li>
    }
}

/// Change the password, or forget the account (each with its password), folded away.
#[component]
fn ManageAccount(
    address: String,
    busy: Memo<bool>,
    act: impl Fn(WalletRequest, Box<dyn FnOnce() + Send + Sync>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (current, new, again) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (forget_password, lose_key) = (RwSignal::new(String::new()), RwSignal::new(false));
    let mismatch = RwSignal::new(false);
    let (change_address, forget_address) = (address.clone(), address);
    let clear = move || {
        current.set(String::new());
        new.set(String::new());
        again.set(String::new());
    };
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != again.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        let request = WalletRequest::ChangePassword {
            address: change_address.clone(),
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        act(request, Box::new(clear));
    };
    let forget = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = WalletRequest::Forget {
            address: forget_address.clone(),
            password: forget_password.get_untracked(),
            lose_key: lose_key.get_untracked(),
        };
        act(
            request,
            Box::new(move || forget_password.set(String::new())),
        );
    };
    let field = |value: RwSignal<String>,
                 label: Text,
                 class: &'static str,
                 complete: &'static str| {
        view! {
            <input type="password" class=class autocomplete=complete aria-label=t(label) placeholder=t(label)
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <details class="manage small">
            <summary>{t(Text::ManageAccount)}</summary>
            <form class="change-password" on:submit=change>
                <strong>{t(Text::ChangePassword)}</strong>
                {field(current, Text::CurrentPassword, "current-password", "current-password")}
                {field(new, Text::NewPassword, "new-password", "new-password")}
                {field(again, Text::NewPasswordAgain, "new-password-again", "new-password")}
                <button type="submit" class="change-button" disabled=move || busy.get()>{t(Text::ChangePassword)}</button>
                <Show when=move || mismatch.get()><p class="error" role="alert">{t(Text::PasswordsDiffer)}</p></Show>
            </form>
            <form class="forget" on:submit=forget>
                <strong>{t(Text::ForgetAccount)}</strong>
                <p class="muted">{t(Text::ForgetNote)}</p>
                {field(forget_password, Text::Password, "forget-password", "current-password")}
                <label class="check">
                    <input type="checkbox" class="lose-key" prop:checked=move || lose_key.get()
                        on:change=move |ev| lose_key.set(event_target_checked(&ev)) />
                    {t(Text::LoseKey)}
                </label>
                <button type="submit" class="danger forget-button" disabled=move || busy.get()>{t(Text::Forget)}</button>
            </form>
        </details>
    }
}

/// A new account: a name and a password typed twice.
#[component]
fn CreateForm(
    busy: Memo<bool>,
    act: impl Fn(WalletRequest, Box<dyn FnOnce() + Send + Sync>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let label = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let mismatch = move || repeat.with(|r| !r.is_empty() && *r != password.get());
    let submit = move || {
        if mismatch() {
            return;
        }
        let request = WalletRequest::Create {
            label: label.get_untracked(),
            password: password.get_untracked(),
        };
        act(
            request,
            Box::new(move || {
                password.set(String::new());
                repeat.set(String::new());
            }),
        );
    };
    view! {
        <form class="create" id="wallet-create" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3>{t(Text::CreateAccount)}</h3>
            <label class="field"><span>{t(Text::AccountName)}</span>
                <input id="wallet-create-label" type="text" prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
            </label>
            <label class="field"><span>{t(Text::NewPassword)}</span>
                <input id="wallet-create-password" type="password" autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            </label>
            <label class="field"><span>{t(Text::RepeatPassword)}</span>
                <input id="wallet-create-repeat" type="password" autocomplete="new-password" prop:value=move || repeat.get() on:input=move |ev| repeat.set(event_target_value(&ev)) />
            </label>
            <Show when=mismatch>
                <p class="error small" id="wallet-create-mismatch">{t(Text::PasswordsDiffer)}</p>
            </Show>
            <button id="wallet-create-button" class="primary" type="submit" disabled=move || busy.get() || mismatch()>
                {t(Text::CreateAccount)}
            </button>
        </form>
    }
}

/// An account from elsewhere: a recovery phrase (and which of its accounts) or a keystore file.
#[component]
fn ImportForm(
    busy: Memo<bool>,
    act: impl Fn(WalletRequest, Box<dyn FnOnce() + Send + Sync>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let from_phrase = RwSignal::new(true);
    let label = RwSignal::new(String::new());
    let phrase = RwSignal::new(String::new());
    let index = RwSignal::new("0".to_owned());
    let keystore = RwSignal::new(None::<hallmark_api::ChosenFile>);
    let password = RwSignal::new(String::new());
    let submit = move || {
        let request = if from_phrase.get_untracked() {
            WalletRequest::ImportPhrase {
                label: label.get_untracked(),
                phrase: phrase.get_untracked(),
                index: index.get_untracked().trim().parse().unwrap_or(u32::MAX),
                password: password.get_untracked(),
            }
        } else {
            WalletRequest::ImportKeystore {
                label: label.get_untracked(),
                file: keystore
                    .get_untracked()
                    .map(|chosen| chosen.token)
                    .unwrap_or_default(),
                password: password.get_untracked(),
            }
        };
        act(
            request,
            Box::new(move || {
                phrase.set(String::new());
                password.set(String::new());
            }),
        );
    };
    view! {
        <form class="import" id="wallet-import" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3>{t(Text::ImportAccount)}</h3>
            <div class="choice">
                <label class="check"><input type="radio" name="import-kind" id="import-phrase" prop:checked=move || from_phrase.get() on:change=move |_| from_phrase.set(true) />{t(Text::RecoveryPhrase)}</label>
                <label class="check"><input type="radio" name="import-kind" id="import-keystore" prop:checked=move || !from_phrase.get() on:change=move |_| from_phrase.set(false) />{t(Text::KeystoreFile)}</label>
            </div>
            <label class="field"><span>{t(Text::AccountName)}</span>
                <input id="wallet-import-label" type="text" prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
            </label>
            <Show when=move || from_phrase.get() fallback=move || view! {
                <div class="field" role="group" aria-label=t(Text::KeystorePath)><span>{t(Text::KeystorePath)}</span>
                    <super::ChooseFile id="wallet-import-choose" purpose=hallmark_api::FilePurpose::Keystore chosen=keystore on_chosen=|| () disabled=busy />
                </div>
            }>
                <label class="field"><span>{t(Text::RecoveryPhrase)}</span>
                    <textarea id="wallet-import-phrase" rows="2" spellcheck="false" autocomplete="off" prop:value=move || phrase.get() on:input=move |ev| phrase.set(event_target_value(&ev))></textarea>
                </label>
                <label class="field narrow"><span>{t(Text::AccountIndex)}</span>
                    <input id="wallet-import-index" type="text" prop:value=move || index.get() on:input=move |ev| index.set(event_target_value(&ev)) />
                </label>
            </Show>
            <label class="field"><span>{tr(move |l| if from_phrase.get() { Text::NewPassword } else { Text::KeystorePassword }.text(l).into())}</span>
                <input id="wallet-import-password" type="password" autocomplete="off" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            </label>
            <button id="wallet-import-button" type="submit" disabled=move || busy.get()>{t(Text::Import)}</button>
        </form>
    }
}
