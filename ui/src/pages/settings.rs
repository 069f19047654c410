//! Settings: the network, the content store and the copy-detection thresholds, saved in the data
//! folder's `config.json` and used from the next start.

use hallmark_api::{
    ChainKind, JoinConsortiumRequest, MAX_PROFILE_BYTES, Settings, StoreKind, commands,
};
use leptos::prelude::*;

use super::ErrorBox;
use crate::api;
use crate::i18n::{Text, t, tr};

/// The page.
#[component]
pub fn SettingsPage(accounts: RwSignal<Vec<hallmark_api::AccountInfo>>) -> impl IntoView {
    let loaded = LocalResource::new(|| api::invoke::<commands::Settings>(&()));
    // The consortium joined, from the saved settings (reloaded after a join).
    let joined = Signal::derive(move || {
        loaded
            .get()
            .and_then(Result::ok)
            .map(|s| s.consortium)
            .unwrap_or_default()
    });
    view! {
        <section class="page">
            <h1>{t(Text::Settings)}</h1>
            <p class="lede">{t(Text::SettingsLede)}</p>
            <super::wallet::WalletPanel accounts=accounts />
            <super::durability::PinningCard />
            <JoinCard joined=joined on_joined=Callback::new(move |()| loaded.refetch()) />
            {move || match loaded.get() {
                None => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(s)) => view! { <Form initial=s /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Form(initial: Settings) -> impl IntoView {
    let save_settings = Action::new_local(|request: &Settings| {
        let request = request.clone();
        async move { api::invoke::<commands::SaveSettings>(&request).await }
    });
    let saved = save_settings.value();
    let network = RwSignal::new(initial.network);
    let rpc_url = RwSignal::new(initial.rpc_url.clone());
    let chain_id = RwSignal::new(initial.chain_id.to_string());
    let ipfs = RwSignal::new(initial.ipfs);
    let kubo_url = RwSignal::new(initial.kubo_url.clone());
    let max_distance = RwSignal::new(initial.max_distance.to_string());
    let min_quality = RwSignal::new(initial.min_quality.to_string());
    let data_dir = initial.data_dir.clone();
    let next_data_dir = RwSignal::new(if initial.next_data_dir.is_empty() {
        initial.data_dir.clone()
    } else {
        initial.next_data_dir.clone()
    });
    let data_dir_fixed = initial.data_dir_fixed;
    // A folder chosen in the shell's folder dialog (a typed path is never accepted).
    let chosen_folder = RwSignal::new(None::<hallmark_api::ChosenFile>);
    let consortium = initial.consortium.clone();
    let save = move || {
        let request = Settings {
            data_dir: data_dir.clone(),
            network: network.get_untracked(),
            rpc_url: rpc_url.get_untracked(),
            chain_id: chain_id.get_untracked().trim().parse().unwrap_or(0),
            ipfs: ipfs.get_untracked(),
            kubo_url: kubo_url.get_untracked(),
            max_distance: max_distance
                .get_untracked()
                .trim()
                .parse()
                .unwrap_or(u32::MAX),
            min_quality: min_quality
                .get_untracked()
                .trim()
                .parse()
                .unwrap_or(u8::MAX),
            restart_needed: false,
            next_data_dir: next_data_dir.get_untracked(),
            next_data_folder: chosen_folder.get_untracked().map(|c| c.token),
            data_dir_fixed,
            consortium: consortium.clone(),
        };
        save_settings.dispatch(request);
    };
    let text = |id: &'static str, label: Text, signal: RwSignal<String>, enabled: Signal<bool>| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <input id=id type="text" spellcheck="false" disabled=move || !enabled.get()
                    prop:value=move || signal.get() on:input=move |ev| signal.set(event_target_value(&ev)) />
            </label>
        }
    };
    let is_rpc = Signal::derive(move || network.get() == ChainKind::Rpc);
    let is_kubo = Signal::derive(move || ipfs.get() == StoreKind::Kubo);
    view! {
        <form class="card settings" id="settings-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
            <h2>{t(Text::Network)}</h2>
            {radio("network", ChainKind::Dev, Text::NetworkDev, network)}
            {radio("network", ChainKind::Rpc, Text::NetworkRpc, network)}
            <div class="pair">
                {text("settings-rpc-url", Text::NodeUrl, rpc_url, is_rpc)}
                {text("settings-chain-id", Text::ChainId, chain_id, is_rpc)}
            </div>
            <h2>{t(Text::ContentStore)}</h2>
            {radio("ipfs", StoreKind::Embedded, Text::StoreEmbedded, ipfs)}
            {radio("ipfs", StoreKind::Kubo, Text::StoreKubo, ipfs)}
            {text("settings-kubo-url", Text::KuboUrl, kubo_url, is_kubo)}
            <h2>{t(Text::CopyDetection)}</h2>
            <div class="pair">
                {text("settings-max-distance", Text::MaxDistance, max_distance, Signal::derive(|| true))}
                {text("settings-min-quality", Text::MinQuality, min_quality, Signal::derive(|| true))}
            </div>
            <h2>{t(Text::DataFolder)}</h2>
            <p class="small">{t(Text::DataFolderNow)}" "<span class="mono" id="settings-data-dir">{initial.data_dir.clone()}</span></p>
            <div class="field">
                <span>{t(Text::DataFolderNext)}</span>
                <div class="pathform">
                    <input id="settings-next-data-dir" type="text" readonly spellcheck="false" aria-label=t(Text::DataFolderNext)
                        disabled=data_dir_fixed prop:value=move || next_data_dir.get() />
                    <super::ChooseFile id="settings-choose-data-dir" purpose=hallmark_api::FilePurpose::DataFolder chosen=chosen_folder
                        on_chosen=move || if let Some(c) = chosen_folder.get_untracked() { next_data_dir.set(c.display) }
                        disabled=data_dir_fixed hide_name=true />
                </div>
            </div>
            <p class="muted small" id="settings-data-dir-note">
                {t(if data_dir_fixed { Text::DataFolderFixed } else { Text::DataFolderNote })}
            </p>
            <button id="settings-save" class="primary" type="submit">{t(Text::Save)}</button>
            {move || saved.get().map(|r| match r {
                Ok(s) => view! {
                    <p class="ok" id="settings-saved" role="status">
                        {tr(move |l| if s.restart_needed { Text::SavedRestart } else { Text::SavedInUse }.text(l).into())}
                    </p>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e id="settings-error" /> }.into_any(),
            })}
        </form>
    }
}

/// "Join a consortium": a profile file checked against its chain, then used from the next start.
#[component]
fn JoinCard(joined: Signal<String>, on_joined: Callback<()>) -> impl IntoView {
    // A file chosen in the picker: its name and text (the webview never sees its path).
    let picked = RwSignal::new(None::<(String, String)>);
    let unreadable = RwSignal::new(false);
    let join = Action::new_local(|request: &JoinConsortiumRequest| {
        let request = request.clone();
        async move { api::invoke::<commands::JoinConsortium>(&request).await }
    });
    let busy = join.pending();
    let outcome = join.value();
    // The settings form below shows the joined chain once the saved settings are read again.
    Effect::new(move |_| {
        if matches!(outcome.get(), Some(Ok(_))) {
            on_joined.run(());
        }
    });
    let pick = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        unreadable.set(false);
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else { return };
        if file.size() > MAX_PROFILE_BYTES as f64 {
            picked.set(None);
            unreadable.set(true);
            return;
        }
        let name = file.name();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(text) => match text.as_string() {
                    Some(text) => picked.set(Some((name, text))),
                    None => unreadable.set(true),
                },
                Err(_) => unreadable.set(true),
            }
        });
    };
    let run = move || {
        if busy.get_untracked() {
            return;
        }
        if let Some((_, text)) = picked.get_untracked() {
            join.dispatch(JoinConsortiumRequest { profile: text });
        }
    };
    view! {
        <section class="card" id="join-consortium">
            <h2>{t(Text::JoinConsortium)}</h2>
            <p class="small">{t(Text::JoinConsortiumLede)}</p>
            {move || (!joined.get().is_empty()).then(|| view! {
                <p class="small">{t(Text::JoinedConsortium)}" "<strong id="joined-consortium">{joined.get()}</strong></p>
            })}
            <form class="pathform" on:submit=move |ev| { ev.prevent_default(); run(); }>
                <label class="filepick">
                    {t(Text::ChooseProfileFile)}
                    <input id="join-profile-file" type="file" accept=".json,application/json" on:change=pick />
                </label>
                {move || picked.with(|p| p.as_ref().map(|(name, _)| view! {
                    <span class="small">{t(Text::ChosenProfile)}" "<strong id="join-picked">{name.clone()}</strong></span>
                }))}
                <button id="join-button" class="primary" type="submit"
                    disabled=move || busy.get() || picked.with(Option::is_none)>
                    {t(Text::CheckAndJoin)}
                </button>
            </form>
            {move || unreadable.get().then(|| view! { <p class="error" id="join-unreadable" role="alert">{t(Text::ProfileUnreadable)}</p> })}
            {move || outcome.get().map(|r| match r {
                Ok(joined) => view! {
                    <p class="ok" id="join-outcome" role="status">
                        {tr(move |l| crate::i18n::consortium_joined(l, &joined.name, joined.chain_id,
                            joined.head_block, joined.contracts, &joined.signed_by))}
                    </p>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e id="join-error" /> }.into_any(),
            })}
        </section>
    }
}

/// A radio button that sets `signal` to `value`; its id is `<name>-<value>`.
fn radio<T>(name: &'static str, value: T, label: Text, signal: RwSignal<T>) -> impl IntoView
where
    T: Copy + PartialEq + std::fmt::Display + Send + Sync + 'static,
{
    view! {
        <label class="check">
            <input type="radio" name=name id=format!("{name}-{value}") prop:checked=move || signal.get() == value
                on:change=move |_| signal.set(value) />
            {t(label)}
        </label>
    }
}
