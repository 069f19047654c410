//! The Explore page: every work on the chain from the local catalog (instant, offline), with
//! search, filters, sorts and keyset pages, and the catalog's sync state.

use hallmark_api::{
    AccountInfo, Earnings, EarningsRequest, ExplorePage, ExploreRequest, SyncStatus, WorkCard,
    commands, media_url,
};
use leptos::prelude::*;
use serde::Serialize;

use crate::{api, format};

const PAGE: u32 = 24;

#[derive(Serialize)]
struct Args<'a> {
    request: &'a ExploreRequest,
}

#[derive(Serialize)]
struct EarningsArgs {
    request: EarningsRequest,
}

/// Which tokens the grid shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every work on the chain.
    All,
    /// Tokens the active account holds.
    Collection,
    /// Works the active account created, with what they earned.
    Studio,
}

impl Scope {
    fn heading(self) -> &'static str {
        match self {
            Scope::All => "Explore",
            Scope::Collection => "My collection",
            Scope::Studio => "Studio",
        }
    }

    fn lede(self, who: &str) -> String {
        match self {
            Scope::All => "Every work registered on the chain, from this computer's catalog: browsing and search work offline.".to_owned(),
            Scope::Collection => format!("The tokens {who} holds."),
            Scope::Studio => format!("The works {who} created, and what their sales and resales paid."),
        }
    }
}

/// The sync indicator: up to date, blocks behind, or why it is paused.
#[component]
pub fn SyncIndicator(sync: RwSignal<Option<SyncStatus>>) -> impl IntoView {
    move || {
        let (class, text) = match sync.get() {
            None => ("badge wait", "catalog: waiting for the chain".to_owned()),
            Some(s) => match (&s.error, s.synced_block) {
                (Some(e), _) => ("badge bad", format!("catalog paused: {e}")),
                (None, Some(block)) if s.blocks_behind == 0 => {
                    ("badge ok", format!("catalog up to date · block {block}"))
                }
                (None, _) => (
                    "badge wait",
                    format!("catalog {} blocks behind", s.blocks_behind),
                ),
            },
        };
        view! { <span id="sync-indicator" class=class>{text}</span> }
    }
}

/// The grid of works on the chain.
#[component]
pub fn ExplorePage(
    scope: Scope,
    version: RwSignal<u32>,
    sync: RwSignal<Option<SyncStatus>>,
    accounts: RwSignal<Vec<AccountInfo>>,
    open: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let active = move || accounts.with(|a| a.iter().find(|x| x.active).cloned());
    let earnings = RwSignal::new(None::<Earnings>);
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let sort = RwSignal::new("newest".to_owned());
    let listed = RwSignal::new(false);
    let items = RwSignal::new(Vec::<WorkCard>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    // Answers to superseded requests (the user kept typing) are dropped.
    let generation = StoredValue::new(0u64);
    let load = move |after: Option<String>| {
        let request = ExploreRequest {
            text: Some(text.get_untracked()).filter(|t| !t.trim().is_empty()),
            kind: Some(kind.get_untracked()).filter(|k| !k.is_empty()),
            sort: sort.get_untracked(),
            listed_only: listed.get_untracked(),
            limit: PAGE,
            after: after.clone(),
            owner: None,
            creator: None,
        };
        let me = active().map(|a| a.address);
        let request = match (scope, me) {
            (Scope::All, _) => request,
            (Scope::Collection, Some(me)) => ExploreRequest {
                owner: Some(me),
                ..request
            },
            (Scope::Studio, Some(me)) => ExploreRequest {
                creator: Some(me),
                ..request
            },
            (_, None) => {
                items.set(Vec::new());
                next.set(None);
                loading.set(false);
                return;
            }
        };
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        loading.set(true);
        leptos::task::spawn_local(async move {
            let answer =
                api::call::<_, ExplorePage>(commands::EXPLORE_PAGE, &Args { request: &request })
                    .await;
            if generation.get_value() != mine {
                return;
            }
            match answer {
                Ok(page) => {
                    next.set(page.next);
                    if after.is_none() {
                        items.set(page.items);
                    } else {
                        items.update(|v| v.extend(page.items));
                    }
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        text.track();
        kind.track();
        sort.track();
        listed.track();
        version.track();
        if scope != Scope::All {
            accounts.track();
        }
        load(None);
    });
    if scope == Scope::Studio {
        Effect::new(move |_| {
            version.track();
            let Some(me) =
                accounts.with(|a| a.iter().find(|x| x.active).map(|x| x.address.clone()))
            else {
                return;
            };
            leptos::task::spawn_local(async move {
                let request = EarningsRequest { address: me };
                if let Ok(e) =
                    api::call::<_, Earnings>(commands::EARNINGS, &EarningsArgs { request }).await
                {
                    earnings.set(Some(e));
                }
            });
        });
    }
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{scope.heading()}</h1>
                <SyncIndicator sync=sync />
            </div>
            <p class="lede">{move || scope.lede(&active().map(|a| a.label).unwrap_or_else(|| "this account".into()))}</p>
            {move || earnings.get().filter(|_| scope == Scope::Studio).map(|e| view! {
                <div class="card earnings" id="studio-earnings">
                    <div><span class="label">"Royalties earned"</span><strong>{format::credits(e.royalties_cents)}</strong></div>
                    <div><span class="label">"Sales and licence proceeds"</span><strong>{format::credits(e.proceeds_cents)}</strong></div>
                    <div><span class="label">"Payments received"</span><strong>{e.payouts.to_string()}</strong></div>
                </div>
            })}
            <div class="toolbar" role="search">
                <input
                    id="explore-search"
                    type="search"
                    placeholder="Search titles, descriptions, creators, attributes"
                    aria-label="Search"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <select id="explore-kind" aria-label="Kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">"All kinds"</option>
                    <option value="image">"Images"</option>
                    <option value="audio">"Audio"</option>
                    <option value="video">"Video"</option>
                </select>
                <select id="explore-sort" aria-label="Order" on:change=move |ev| sort.set(event_target_value(&ev))>
                    <option value="newest">"Newest"</option>
                    <option value="price_asc">"Price: low to high"</option>
                    <option value="price_desc">"Price: high to low"</option>
                    <option value="recently_sold">"Recently sold"</option>
                </select>
                <label class="check">
                    <input id="explore-listed" type="checkbox" on:change=move |ev| listed.set(event_target_checked(&ev)) />
                    "For sale only"
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" id="explore-error">{e}</p> })}
            <Show when=move || !loading.get() && items.with(Vec::is_empty) && error.get().is_none()>
                <div class="empty" id="explore-empty">
                    {move || match (scope, text.with(|t| t.trim().is_empty())) {
                        (_, false) => "No works match this search.",
                        (Scope::All, true) => "No works on the chain match yet.",
                        (Scope::Collection, true) => "This account holds no tokens yet.",
                        (Scope::Studio, true) => "This account has not created any work yet.",
                    }}
                </div>
            </Show>
            <div class="grid" id="explore-grid">
                <For each=move || items.get() key=|card| card.token_id let:card>
                    <Card card=card open=open />
                </For>
            </div>
            <Show when=move || next.with(Option::is_some)>
                <button id="explore-more" class="secondary" on:click=move |_| load(next.get_untracked())>"Load more"</button>
            </Show>
        </section>
    }
}

/// One token in the grid; a button, so it opens with the keyboard too.
#[component]
fn Card(card: WorkCard, open: impl Fn(u64) + Copy + Send + Sync + 'static) -> impl IntoView {
    let token = card.token_id;
    let unavailable = matches!(card.media_status.as_str(), "unavailable" | "invalid");
    let thumb = card
        .thumbnail_cid
        .as_deref()
        .filter(|_| !unavailable)
        .map(media_url);
    let title = card.title.clone().unwrap_or_else(|| {
        if card.media_status == "pending" {
            "Fetching metadata…".into()
        } else {
            "Untitled".into()
        }
    });
    let price = card
        .price_cents
        .map_or_else(|| "Not for sale".to_owned(), format::credits);
    let kind = card.kind.clone().unwrap_or_default();
    view! {
        <button class="work card-button" data-token=token.to_string() on:click=move |_| open(token)>
            <div class="thumb">
                {match thumb {
                    Some(url) => view! { <img src=url alt=title.clone() loading="lazy" /> }.into_any(),
                    None if unavailable => view! { <div class="placeholder">"media unavailable"</div> }.into_any(),
                    None => view! { <div class="placeholder">{kind}</div> }.into_any(),
                }}
            </div>
            <div class="meta">
                <div class="title">{title.clone()}</div>
                <div class="muted small">{format!("Edition {} of {}", card.edition, card.max_editions)}</div>
                <div class="muted small mono">{format!("by {}", format::address(&card.creator))}</div>
                <div class="price-row">
                    <span class="price">{price}</span>
                    {card.frozen.then(|| view! { <span class="tag bad">"frozen"</span> })}
                    {unavailable.then(|| view! { <span class="tag warn">"media unavailable"</span> })}
                </div>
            </div>
        </button>
    }
}
