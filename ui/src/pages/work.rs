//! The Work page: one token with its work, the facts that prove it, and its provenance drawn as
//! a timeline.

use hallmark_api::{TimelineEntry, WorkDetail, WorkDetailRequest, commands, media_url};
use leptos::prelude::*;
use serde::Serialize;

use crate::{api, format};

#[derive(Serialize)]
struct Args {
    request: WorkDetailRequest,
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
                Some(Ok(d)) => view! { <Detail d=d /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Detail(d: WorkDetail) -> impl IntoView {
    let card = d.card.clone();
    let unavailable = matches!(card.media_status.as_str(), "unavailable" | "invalid");
    let picture = card
        .thumbnail_cid
        .as_deref()
        .filter(|_| !unavailable)
        .map(media_url);
    let title = card.title.clone().unwrap_or_else(|| "Untitled".into());
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let trade_note = if d.frozen_reason != 0 {
        format!(
            "Frozen by review (reason {}): it cannot be sold, given or licensed.",
            d.frozen_reason
        )
    } else if d.transferable_at > now {
        format!(
            "Resale possible after {} (holding period).",
            format::utc(d.transferable_at)
        )
    } else {
        "Buying, giving and licensing from the app need a wallet, which comes next; the hallmark buy, gift and licence commands do them today.".to_owned()
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
                <p class="note" id="work-trade-note">{trade_note}</p>
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
