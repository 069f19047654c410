//! The Status page and the chain badge of the top bar.

use hallmark_api::{AppStatus, ChainKind, commands, events};
use leptos::prelude::*;

use crate::api;
use crate::i18n::{self, Text, t, use_lang};

/// The status, loaded now, again on every `chain-changed` event, and every few seconds (the
/// chain may still be starting). Its listener and timer go with the calling component.
fn status_resource() -> LocalResource<Result<AppStatus, hallmark_api::ApiError>> {
    let status = LocalResource::new(|| api::invoke::<commands::AppStatus>(&()));
    api::listen::<serde_json_value::Any>(events::CHAIN_CHANGED, move |_| status.refetch());
    let handle =
        set_interval_with_handle(move || status.refetch(), std::time::Duration::from_secs(4)).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    status
}

/// Any payload (the event carries none that matters).
mod serde_json_value {
    /// Accepts and ignores any JSON value.
    #[derive(Debug)]
    pub struct Any;

    impl<'de> serde::Deserialize<'de> for Any {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            serde::de::IgnoredAny::deserialize(d).map(|_| Any)
        }
    }
}

/// The top bar's chain indicator.
#[component]
pub fn ChainBadge() -> impl IntoView {
    let lang = use_lang();
    let status = status_resource();
    move || {
        let lang = lang.get();
        let (class, text) = match status.get() {
            None => ("badge wait", Text::Connecting.text(lang).to_owned()),
            Some(Err(e)) => ("badge bad", e.message),
            Some(Ok(s)) => match (s.head_block, &s.works_contract) {
                (Some(block), Some(_)) => {
                    ("badge ok", i18n::chain_at_block(lang, s.chain_id, block))
                }
                (Some(block), None) => ("badge wait", i18n::block_no_contracts(lang, block)),
                (None, _) => (
                    "badge wait",
                    s.chain_error
                        .unwrap_or_else(|| Text::ChainStarting.text(lang).to_owned()),
                ),
            },
        };
        let title = text.clone();
        view! { <div id="chain-badge" class=class title=title>{text}</div> }
    }
}

#[component]
fn Row(label: Text, value: String, #[prop(optional)] id: &'static str) -> impl IntoView {
    view! {
        <div class="row">
            <span class="label">{t(label)}</span>
            <span class="value mono" id=id>{value}</span>
        </div>
    }
}

/// Everything the app depends on, and whether it is healthy.
#[component]
pub fn StatusPage() -> impl IntoView {
    let lang = use_lang();
    let status = status_resource();
    view! {
        <section class="page">
            <h1>{t(Text::Status)}</h1>
            <super::unfinished::UnfinishedMintsCard />
            {move || match status.get() {
                None => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" id="status-error">{e.to_string()}</p> }.into_any(),
                Some(Ok(s)) => {
                    // The page is redrawn with every status, so reading the language here is enough.
                    let lang = lang.get();
                    let none = || "—".to_owned();
                    let chain_state = match (&s.chain_error, s.head_block) {
                        (None, Some(_)) => Text::Running.text(lang).to_owned(),
                        (Some(e), _) => e.clone(),
                        (None, None) => Text::ChainStarting.text(lang).to_owned(),
                    };
                    let chain_kind = match s.chain_kind { ChainKind::Dev => Text::DevChain, ChainKind::Rpc => Text::ConsortiumNode };
                    let lede = match s.chain_kind { ChainKind::Dev => Text::StatusLede, ChainKind::Rpc => Text::StatusLedeConsortium };
                    view! {
                        <p class="lede" id="status-lede">{lede.text(lang)}</p>
                        <div class="cards">
                            <div class="card">
                                <h2>{t(Text::Chain)}</h2>
                                <Row label=Text::State value=chain_state id="chain-state" />
                                <Row label=Text::Kind value=chain_kind.text(lang).to_owned() />
                                <Row label=Text::ChainId value=s.chain_id.to_string() />
                                <Row label=Text::Rpc value=s.chain_rpc.clone().unwrap_or_else(none) />
                                <Row label=Text::HeadBlock value=s.head_block.map(|b| b.to_string()).unwrap_or_else(none) id="head-block" />
                                <Row label=Text::WorksContract value=s.works_contract.clone().unwrap_or_else(none) id="works-contract" />
                                <Row label=Text::MarketContract value=s.market_contract.clone().unwrap_or_else(none) />
                                <Row label=Text::DeployedInBlock value=s.deployment_block.map(|b| b.to_string()).unwrap_or_else(none) />
                            </div>
                            <div class="card">
                                <h2>{t(Text::ContentStore)}</h2>
                                <Row label=Text::Backend value=s.store_backend.clone() id="store-backend" />
                                <Row label=Text::Health value=s.store_error.clone().unwrap_or_else(|| Text::HealthOk.text(lang).to_owned()) />
                                {s.consortium_upload.clone().map(|u| view! { <Row label=Text::UploadsTo value=u id="store-upload" /> })}
                                {(!s.consortium_read.is_empty()).then(|| view! { <Row label=Text::ReadsFrom value=s.consortium_read.join(", ") id="store-read" /> })}
                                {s.cache.map(|c| view! { <Row label=Text::ReadThroughCache value=i18n::cache_usage(lang, c.bytes, c.max_bytes, c.files) id="store-cache" /> })}
                                <h2>{t(Text::LocalData)}</h2>
                                <Row label=Text::DataFolder value=s.data_dir.clone() />
                                <Row label=Text::Database value=s.database.clone() />
                                <Row label=Text::WorksInLibrary value=s.library_items.to_string() id="library-count" />
                            </div>
                        </div>
                    }
                    .into_any()
                }
            }}
            // Outside the status redraw, so a running check keeps its state.
            <div class="cards durability">
                <super::durability::HealthCard />
                <super::durability::KitCard />
            </div>
        </section>
    }
}
