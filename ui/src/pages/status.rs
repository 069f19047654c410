//! The Status page and the chain badge of the top bar.

use hallmark_api::{AppStatus, commands, events};
use leptos::prelude::*;

use crate::api;

/// Loads the status now, again on every `chain-changed` event, and every few seconds while the
/// chain is still starting.
fn status_signal() -> RwSignal<Option<Result<AppStatus, hallmark_api::ApiError>>> {
    let status = RwSignal::new(None);
    let load = move || {
        leptos::task::spawn_local(async move {
            status.set(Some(
                api::call::<_, AppStatus>(commands::APP_STATUS, &()).await,
            ));
        })
    };
    load();
    api::listen::<serde_json_value::Any>(events::CHAIN_CHANGED, move |_| load());
    let handle = set_interval_with_handle(load, std::time::Duration::from_secs(4)).ok();
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
    let status = status_signal();
    move || {
        let (class, text) = match status.get() {
            None => ("badge wait", "connecting…".to_owned()),
            Some(Err(e)) => ("badge bad", e.message),
            Some(Ok(s)) => match (s.head_block, &s.works_contract) {
                (Some(block), Some(_)) => {
                    ("badge ok", format!("chain {} · block {block}", s.chain_id))
                }
                (Some(block), None) => ("badge wait", format!("block {block} · no contracts")),
                (None, _) => (
                    "badge wait",
                    s.chain_error.unwrap_or_else(|| "starting…".into()),
                ),
            },
        };
        let title = text.clone();
        view! { <div id="chain-badge" class=class title=title>{text}</div> }
    }
}

#[component]
fn Row(label: &'static str, value: String, #[prop(optional)] id: &'static str) -> impl IntoView {
    view! {
        <div class="row">
            <span class="label">{label}</span>
            <span class="value mono" id=id>{value}</span>
        </div>
    }
}

/// Everything the app depends on, and whether it is healthy.
#[component]
pub fn StatusPage() -> impl IntoView {
    let status = status_signal();
    view! {
        <section class="page">
            <h1>"Status"</h1>
            <p class="lede">"Hallmark runs on its own: a local chain it owns, an embedded content store and a SQLite catalog in your data folder."</p>
            {move || match status.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" id="status-error">{e.to_string()}</p> }.into_any(),
                Some(Ok(s)) => {
                    let none = || "—".to_owned();
                    let chain_state = match (&s.chain_error, s.head_block) {
                        (None, Some(_)) => "running".to_owned(),
                        (Some(e), _) => e.clone(),
                        (None, None) => "starting…".to_owned(),
                    };
                    view! {
                        <div class="cards">
                            <div class="card">
                                <h2>"Chain"</h2>
                                <Row label="State" value=chain_state id="chain-state" />
                                <Row label="Kind" value=if s.chain_kind == "dev" { "local dev chain (anvil, owned by the app)".to_owned() } else { "consortium node".to_owned() } />
                                <Row label="Chain id" value=s.chain_id.to_string() />
                                <Row label="RPC" value=s.chain_rpc.clone().unwrap_or_else(none) />
                                <Row label="Head block" value=s.head_block.map(|b| b.to_string()).unwrap_or_else(none) id="head-block" />
                                <Row label="Works contract" value=s.works_contract.clone().unwrap_or_else(none) id="works-contract" />
                                <Row label="Market contract" value=s.market_contract.clone().unwrap_or_else(none) />
                                <Row label="Deployed in block" value=s.deployment_block.map(|b| b.to_string()).unwrap_or_else(none) />
                            </div>
                            <div class="card">
                                <h2>"Content store"</h2>
                                <Row label="Backend" value=s.store_backend.clone() id="store-backend" />
                                <Row label="Health" value=s.store_error.clone().unwrap_or_else(|| "ok".into()) />
                                <h2>"Local data"</h2>
                                <Row label="Data folder" value=s.data_dir.clone() />
                                <Row label="Database" value=s.database.clone() />
                                <Row label="Works in library" value=s.library_items.to_string() id="library-count" />
                            </div>
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
