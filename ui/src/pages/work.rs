//! The Work page: one token with its work, the facts that prove it, and its provenance drawn as
//! a timeline.

use hallmark_api::{
    AccountInfo, ExportProofReport, ExportProofRequest, MarketReport, MarketRequest, TimelineEntry,
    WorkDetail, WorkDetailRequest, commands, media_url,
};
use leptos::prelude::*;
use serde::Serialize;

use crate::{api, format};

#[derive(Serialize)]
struct Args {
    request: WorkDetailRequest,
}

#[derive(Serialize)]
struct MarketArgs<'a> {
    request: &'a MarketRequest,
}

/// A sentence for one timeline entry.
fn describe(e: &TimelineEntry) -> String {
    let who = |a: &Option<String>| a.as_deref().map(format::address).unwrap_or_default();
    let amount = e.amount_cents.map(format::credits).unwrap_or_default();
    match e.kind.as_str() {
        "registered" => format!(
            "Registered by issuer {} for creator {}",
            who(&e.actor),
            who(&e.counterparty)
        ),
        "minted" => format!("Edition minted to {}", who(&e.counterparty)),
        "listed" => format!("Listed for {amount} by {}", who(&e.actor)),
        "listing_cancelled" => format!("Listing withdrawn by {}", who(&e.actor)),
        "sold" => format!(
            "Sold for {amount}: {} → {}",
            who(&e.actor),
            who(&e.counterparty)
        ),
        "gifted" => format!("Given: {} → {}", who(&e.actor), who(&e.counterparty)),
        "licence_offered" => format!("Licence offered to {} for {amount}", who(&e.counterparty)),
        "licence_offer_revoked" => "Licence offer withdrawn".to_owned(),
        "licence_accepted" => format!("Licence accepted by {} for {amount}", who(&e.counterparty)),
        "frozen" => format!("Frozen by reviewer {}", who(&e.actor)),
        "unfrozen" => format!("Unfrozen by {}", who(&e.actor)),
        "metadata_update" => "Metadata updated".to_owned(),
        other => other.replace('_', " "),
    }
}

/// The page of one token.
#[component]
pub fn WorkPage(
    token_id: u64,
    version: RwSignal<u32>,
    accounts: RwSignal<Vec<AccountInfo>>,
    back: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let detail = RwSignal::new(None::<Result<WorkDetail, hallmark_api::ApiError>>);
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move {
            let answer = api::call::<_, WorkDetail>(
                commands::WORK_DETAIL,
                &Args {
                    request: WorkDetailRequest { token_id },
                },
            )
            .await;
            detail.set(Some(answer));
        });
    });
    view! {
        <section class="page">
            <button id="work-back" class="link" on:click=move |_| back()>"← Explore"</button>
            {move || match detail.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" id="work-error">{e.to_string()}</p> }.into_any(),
                Some(Ok(d)) => view! { <Detail d=d accounts=accounts /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Detail(d: WorkDetail, accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    let card = d.card.clone();
    let unavailable = matches!(card.media_status.as_str(), "unavailable" | "invalid");
    let picture = card
        .thumbnail_cid
        .as_deref()
        .filter(|_| !unavailable)
        .map(media_url);
    let title = card.title.clone().unwrap_or_else(|| "Untitled".into());
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let blocked = if d.frozen_reason != 0 {
        Some(format!(
            "Frozen by review (reason {}): it cannot be sold, given or licensed.",
            d.frozen_reason
        ))
    } else if d.transferable_at > now {
        Some(format!(
            "Resale possible after {} (holding period).",
            format::utc(d.transferable_at)
        ))
    } else {
        None
    };
    let rows: Vec<(&str, String)> = vec![
        ("Creator", card.creator.clone()),
        ("Holder", card.owner.clone()),
        ("Issuer", d.issuer.clone()),
        (
            "Royalty",
            format!("{:.2} % on every resale", f64::from(d.royalty_bps) / 100.0),
        ),
        (
            "Registered",
            format!(
                "{} · block {}",
                format::utc(d.registered_at),
                d.registered_block
            ),
        ),
        ("Transaction", d.registered_tx.clone()),
        (
            "Content sha-256",
            d.content_hash.trim_start_matches("0x").to_owned(),
        ),
        (
            "Media",
            d.media_cid
                .clone()
                .map(|c| format!("ipfs://{c}"))
                .unwrap_or_else(|| "unknown".into()),
        ),
        ("Metadata", format!("ipfs://{}", d.metadata_cid)),
        ("Licence", d.licence.clone().unwrap_or_else(|| "—".into())),
    ];
    view! {
        <div class="work-detail">
            <div class="preview-pane">
                {match picture {
                    Some(url) => view! { <img id="work-picture" src=url alt=title.clone() /> }.into_any(),
                    None => view! { <div class="placeholder big">{if unavailable { "media unavailable".to_owned() } else { card.kind.clone().unwrap_or_default() }}</div> }.into_any(),
                }}
                {d.media_error.clone().filter(|_| unavailable).map(|e| view! { <p class="warn small">{e}</p> })}
            </div>
            <div class="facts">
                <h1 id="work-title">{title}</h1>
                <p class="muted">{format!("Edition {} of {} · token {}", card.edition, card.max_editions, card.token_id)}</p>
                <p class="price big-price" id="work-price">
                    {card.price_cents.map_or_else(|| "Not for sale".to_owned(), |p| format!("For sale: {}", format::credits(p)))}
                </p>
                {blocked.clone().map(|b| view! { <p class="note" id="work-trade-note">{b}</p> })}
                {blocked.is_none().then(|| view! { <TradePanel card=card.clone() royalty_bps=d.royalty_bps accounts=accounts /> })}
                <ProofPanel token_id=card.token_id owner=card.owner.clone() accounts=accounts />
                {d.description.clone().map(|t| view! { <p class="description">{t}</p> })}
                {(!d.attributes.is_empty()).then(|| view! {
                    <div class="attributes">
                        {d.attributes.iter().map(|(k, v)| view! { <span class="tag">{format!("{k}: {v}")}</span> }).collect_view()}
                    </div>
                })}
                <div class="card">
                    {rows.into_iter().map(|(label, value)| view! {
                        <div class="row"><span class="label">{label}</span><span class="mono">{value}</span></div>
                    }).collect_view()}
                </div>
            </div>
        </div>
        <h2>"Provenance"</h2>
        <ol class="timeline" id="work-timeline">
            {d.timeline.iter().map(|e| view! {
                <li class=format!("event {}", e.kind)>
                    <span class="dot"></span>
                    <div class="what">{describe(e)}</div>
                    <div class="when muted small">
                        {format!("{} · block {} · tx {}", format::utc(e.timestamp), e.block, format::short(&e.tx_hash))}
                    </div>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// What the active account can do with this token, with a confirmation step that says in plain
/// words what will be signed.
#[component]
fn TradePanel(
    card: hallmark_api::WorkCard,
    royalty_bps: u16,
    accounts: RwSignal<Vec<AccountInfo>>,
) -> impl IntoView {
    let token = card.token_id;
    let pending = RwSignal::new(None::<(String, MarketRequest)>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let price_text = RwSignal::new(String::new());
    let gift_to = RwSignal::new(String::new());
    let active = move || accounts.with(|a| a.iter().find(|x| x.active).cloned());
    let owner = card.owner.clone();
    let price = card.price_cents;
    let sign = move || {
        let Some((_, request)) = pending.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::call::<_, MarketReport>(
                commands::MARKET_ACTION,
                &MarketArgs { request: &request },
            )
            .await
            {
                Ok(_) => pending.set(None),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="trade" id="trade-panel">
            {move || {
                let Some(me) = active() else {
                    return view! { <p class="note">"Signing needs an account (a wallet on a consortium chain)."</p> }.into_any();
                };
                let mine = me.address == owner;
                let others: Vec<AccountInfo> = accounts.get().into_iter().filter(|a| a.address != owner && a.roles.iter().any(|r| r == "member")).collect();
                if mine {
                    match price {
                        Some(p) => view! {
                            <button id="cancel-button" class="secondary" on:click=move |_| pending.set(Some((
                                format!("withdraw the listing of token {token} at {}", format::credits(p)),
                                MarketRequest::Cancel { token_id: token },
                            )))>"Withdraw listing"</button>
                        }.into_any(),
                        None => view! {
                            <div class="trade-row">
                                <input id="list-price" type="text" inputmode="decimal" placeholder="Price in credits" aria-label="Price in credits"
                                    prop:value=move || price_text.get() on:input=move |ev| price_text.set(event_target_value(&ev)) />
                                <button id="list-button" class="primary" on:click=move |_| {
                                    match hallmark_api::credits::parse(&price_text.get_untracked()).filter(|c| *c > 0) {
                                        Some(cents) => {
                                            error.set(None);
                                            pending.set(Some((
                                                format!("list token {token} for {} (a {:.2} % royalty goes to the creator on the sale)", format::credits(cents as i64), f64::from(royalty_bps) / 100.0),
                                                MarketRequest::List { token_id: token, price_cents: cents },
                                            )));
                                        }
                                        None => error.set(Some("Type a price like 15 or 12.50".into())),
                                    }
                                }>"List for sale"</button>
                            </div>
                            <div class="trade-row">
                                <select id="gift-to" aria-label="Give to" on:change=move |ev| gift_to.set(event_target_value(&ev))>
                                    <option value="">"Give to…"</option>
                                    {others.into_iter().map(|a| view! { <option value=a.address.clone()>{format!("{} ({})", a.label, format::address(&a.address))}</option> }).collect_view()}
                                </select>
                                <button id="gift-button" class="secondary" on:click=move |_| {
                                    let to = gift_to.get_untracked();
                                    if to.is_empty() {
                                        error.set(Some("Choose who receives it".into()));
                                    } else {
                                        error.set(None);
                                        pending.set(Some((
                                            format!("give token {token} to {}", format::address(&to)),
                                            MarketRequest::Gift { token_id: token, to },
                                        )));
                                    }
                                }>"Give"</button>
                            </div>
                        }.into_any(),
                    }
                } else if let Some(p) = price {
                    view! {
                        <button id="buy-button" class="primary" on:click=move |_| pending.set(Some((
                            format!("buy token {token} for {} (the contract pays the seller, a {:.2} % royalty to the creator and the platform fee)", format::credits(p), f64::from(royalty_bps) / 100.0),
                            MarketRequest::Buy { token_id: token },
                        )))>{format!("Buy for {}", format::credits(p))}</button>
                    }.into_any()
                } else {
                    view! { <p class="note">"Not for sale. Only its holder can list it."</p> }.into_any()
                }
            }}
            {move || pending.get().map(|(what, _)| {
                let who = active().map(|a| format!("{} ({})", a.label, format::address(&a.address))).unwrap_or_default();
                view! {
                    <div class="confirm" id="confirm-box" role="alertdialog" aria-label="Confirm the transaction">
                        <p>{format!("Sign as {who}: {what}.")}</p>
                        <div class="trade-row">
                            <button id="confirm-sign" class="primary" disabled=move || busy.get() on:click=move |_| sign()>
                                {move || if busy.get() { "Signing…" } else { "Confirm and sign" }}
                            </button>
                            <button class="secondary" disabled=move || busy.get() on:click=move |_| pending.set(None)>"Cancel"</button>
                        </div>
                    </div>
                }
            })}
            {move || error.get().map(|e| view! { <p class="error" id="trade-error">{e}</p> })}
        </div>
    }
}

#[derive(Serialize)]
struct ProofArgs {
    request: ExportProofRequest,
}

/// For the holder: write the evidence bundle and its certificate (signed in the Rust core).
#[component]
fn ProofPanel(token_id: u64, owner: String, accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<ExportProofReport, hallmark_api::ApiError>>);
    let holder = move || accounts.with(|a| a.iter().any(|x| x.active && x.address == owner));
    let export = move |_| {
        busy.set(true);
        result.set(None);
        leptos::task::spawn_local(async move {
            let answer = api::call::<_, ExportProofReport>(
                commands::EXPORT_PROOF,
                &ProofArgs {
                    request: ExportProofRequest {
                        token_id: token_id.to_string(),
                    },
                },
            )
            .await;
            result.set(Some(answer));
            busy.set(false);
        });
    };
    view! {
        {move || holder().then(|| view! {
            <div class="proof" id="proof-panel">
                <button id="export-proof" class="secondary" disabled=move || busy.get() on:click=export>
                    {move || if busy.get() { "Signing the proof…" } else { "Export proof of ownership" }}
                </button>
                <p class="muted small">"An evidence bundle anyone can verify without Hallmark's servers, signed by you, and a printable certificate."</p>
            </div>
        })}
        {move || result.get().map(|r| match r {
            Ok(p) => view! {
                <div class="card" id="proof-result">
                    <div class="row"><span class="label">"Bundle"</span><span class="mono" id="proof-bundle-path">{p.bundle_path}</span></div>
                    <div class="row"><span class="label">"Certificate"</span><span class="mono" id="proof-certificate-path">{p.certificate_path}</span></div>
                    <div class="row"><span class="label">"sha-256"</span><span class="mono">{p.sha256}</span></div>
                </div>
            }.into_any(),
            Err(e) => view! { <p class="error" id="proof-error">{e.message}</p> }.into_any(),
        })}
    }
}
