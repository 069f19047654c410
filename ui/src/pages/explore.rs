//! The Explore page: every work on the chain from the local catalog (instant, offline), with
//! search, filters, sorts and keyset pages, and the catalog's sync state.

use hallmark_api::{
    AccountInfo, Earnings, EarningsRequest, ExplorePage, ExploreRequest, SyncStatus, WorkCard,
    commands, media_url,
};
use leptos::prelude::*;
use serde::Serialize;

use crate::i18n::{self, Lang, Text, t, tr, use_lang};
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
    fn heading(self) -> Text {
        match self {
            Scope::All => Text::Explore,
            Scope::Collection => Text::MyCollection,
            Scope::Studio => Text::Studio,
        }
    }

    fn lede(self, lang: Lang, who: &str) -> String {
        match self {
            Scope::All => Text::ExploreLede.text(lang).to_owned(),
            Scope::Collection => i18n::collection_lede(lang, who),
            Scope::Studio => i18n::studio_lede(lang, who),
        }
    }
}

/// The sync indicator: up to date, blocks behind, or why it is paused.
#[component]
pub fn SyncIndicator(sync: RwSignal<Option<SyncStatus>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let (class, text) = match sync.get() {
            None => ("badge wait", Text::CatalogWaiting.text(lang).to_owned()),
            Some(s) => match (&s.error, s.synced_block) {
                (Some(e), _) => ("badge bad", i18n::catalog_paused(lang, e)),
                (None, Some(block)) if s.blocks_behind == 0 => {
                    ("badge ok", i18n::catalog_up_to_date(lang, block))
                }
                (None, _) => ("badge wait", i18n::catalog_behind(lang, s.blocks_behind)),
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
    let lang = use_lang();
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
    // Infinite scroll: the next keyset page loads when the end of the grid comes near (the
    // "Load more" button stays for keyboard users).
    let near_end = window_event_listener(leptos::ev::scroll, move |_| {
        if loading.get_untracked() {
            return;
        }
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        let window = window();
        let (Ok(height), Ok(scrolled)) = (window.inner_height(), window.scroll_y()) else {
            return;
        };
        let total = document()
            .document_element()
            .map_or(0.0, |e| f64::from(e.scroll_height()));
        if height.as_f64().unwrap_or(0.0) + scrolled >= total - 600.0 {
            load(Some(cursor));
        }
    });
    on_cleanup(move || near_end.remove());
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
                <h1>{t(scope.heading())}</h1>
                <SyncIndicator sync=sync />
            </div>
            <p class="lede">{tr(move |l| {
                let who = active().map_or_else(|| Text::ThisAccount.text(l).to_owned(), |a| a.label);
                scope.lede(l, &who)
            })}</p>
            {move || earnings.get().filter(|_| scope == Scope::Studio).map(|e| {
                let lang = lang.get();
                view! {
                    <div class="card earnings" id="studio-earnings">
                        <div><span class="label">{Text::RoyaltiesEarned.text(lang)}</span><strong>{format::credits(lang, e.royalties_cents)}</strong></div>
                        <div><span class="label">{Text::Proceeds.text(lang)}</span><strong>{format::credits(lang, e.proceeds_cents)}</strong></div>
                        <div><span class="label">{Text::PaymentsReceived.text(lang)}</span><strong>{e.payouts.to_string()}</strong></div>
                    </div>
                }
            })}
            <div class="toolbar" role="search">
                <input
                    id="explore-search"
                    type="search"
                    placeholder=t(Text::SearchPlaceholder)
                    aria-label=t(Text::Search)
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <select id="explore-kind" aria-label=t(Text::Kind) on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{t(Text::AllKinds)}</option>
                    <option value="image">{t(Text::Images)}</option>
                    <option value="audio">{t(Text::Audio)}</option>
                    <option value="video">{t(Text::Video)}</option>
                </select>
                <select id="explore-sort" aria-label=t(Text::Order) on:change=move |ev| sort.set(event_target_value(&ev))>
                    <option value="newest">{t(Text::Newest)}</option>
                    <option value="price_asc">{t(Text::PriceLowHigh)}</option>
                    <option value="price_desc">{t(Text::PriceHighLow)}</option>
                    <option value="recently_sold">{t(Text::RecentlySold)}</option>
                </select>
                <label class="check">
                    <input id="explore-listed" type="checkbox" on:change=move |ev| listed.set(event_target_checked(&ev)) />
                    {t(Text::ForSaleOnly)}
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="error" id="explore-error">{e}</p> })}
            <Show when=move || !loading.get() && items.with(Vec::is_empty) && error.get().is_none()>
                <div class="empty" id="explore-empty">
                    {tr(move |l| match (scope, text.with(|t| t.trim().is_empty())) {
                        (_, false) => Text::NoMatch,
                        (Scope::All, true) => Text::NoWorksYet,
                        (Scope::Collection, true) => Text::HoldsNoTokens,
                        (Scope::Studio, true) => Text::CreatedNothing,
                    }.text(l).into())}
                </div>
            </Show>
            <div class="grid" id="explore-grid">
                <For each=move || items.get() key=|card| card.token_id let:card>
                    <Card card=card open=open />
                </For>
            </div>
            <Show when=move || next.with(Option::is_some)>
                <button id="explore-more" class="secondary" on:click=move |_| load(next.get_untracked())>{t(Text::LoadMore)}</button>
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
    let title = {
        let (title, pending) = (card.title.clone(), card.media_status == "pending");
        tr(move |l| {
            title.clone().unwrap_or_else(|| {
                let key = if pending {
                    Text::FetchingMetadata
                } else {
                    Text::Untitled
                };
                key.text(l).to_owned()
            })
        })
    };
    let price = tr(move |l| {
        card.price_cents.map_or_else(
            || Text::NotForSale.text(l).to_owned(),
            |p| format::credits(l, p),
        )
    });
    let kind = card.kind.clone().unwrap_or_default();
    let (edition, max_editions) = (card.edition, card.max_editions);
    let creator = format::address(&card.creator);
    view! {
        <button class="work card-button" data-token=token.to_string() on:click=move |_| open(token)>
            <div class="thumb">
                {match thumb {
                    Some(url) => view! { <img src=url alt=title loading="lazy" /> }.into_any(),
                    None if unavailable => view! { <div class="placeholder">{t(Text::MediaUnavailable)}</div> }.into_any(),
                    None => view! { <div class="placeholder">{tr(move |l| i18n::kind(l, &kind))}</div> }.into_any(),
                }}
            </div>
            <div class="meta">
                <div class="title">{title}</div>
                <div class="muted small">{tr(move |l| i18n::edition_of(l, edition, max_editions))}</div>
                <div class="muted small mono">{tr(move |l| i18n::by(l, &creator))}</div>
                <div class="price-row">
                    <span class="price">{price}</span>
                    {card.frozen.then(|| view! { <span class="tag bad">{t(Text::Frozen)}</span> })}
                    {unavailable.then(|| view! { <span class="tag warn">{t(Text::MediaUnavailable)}</span> })}
                </div>
            </div>
        </button>
    }
}
