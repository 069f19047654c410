//! The Explore page: every work on the chain from the local catalog (instant, offline), with
//! search, filters, sorts and keyset pages, and the catalog's sync state.

use hallmark_api::{
    AccountInfo, EarningsRequest, ExploreRequest, ExploreSort, MediaKind, MetadataStatus,
    SyncStatus, WorkCard, commands, media_url,
};
use leptos::prelude::*;

use crate::i18n::{self, Lang, Text, t, tr, use_lang};
use crate::{api, format};

const PAGE: u32 = 24;
/// Above this many cards the grid draws only the rows near the view, with padding standing in
/// for the rest: however many pages infinite scroll loads, the page keeps at most about 100
/// cards, so frames do not slow down as pages accumulate and its elements stay bounded
/// (bench/ui-scroll.sh). Shorter lists (search results, a collection) are drawn whole.
const VIRTUALIZE_ABOVE: usize = 8 * PAGE as usize;
/// Rows drawn beyond each edge of the view when the drawn rows are chosen again.
const OVERSCAN_ROWS: usize = 6;
/// The drawn rows are chosen again only when the view comes within this many rows of their
/// edge: the grid changes every few rows scrolled, not at every row.
const MARGIN_ROWS: usize = 1;

/// The grid's columns and row pitch (a card's height and the gap), measured from the drawn grid
/// at a width; cards all have the same height (single lines, a fixed-height price row).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Geometry {
    width: i32,
    cols: usize,
    pitch: f64,
}

/// The cards to draw, `start..end` (`(0, usize::MAX)`: all): whole rows from [`OVERSCAN_ROWS`]
/// above the view to as many below it (to the end when that is less than a page further), or
/// the `drawn` ones while the view stays more than [`MARGIN_ROWS`] inside them. `view_top` is
/// the view's top relative to the grid's first row.
fn visible_range(
    len: usize,
    cols: usize,
    pitch: f64,
    (view_top, view_height): (f64, f64),
    drawn: (usize, usize),
) -> (usize, usize) {
    if len <= VIRTUALIZE_ABOVE || cols == 0 || pitch <= 0.0 {
        return (0, usize::MAX);
    }
    let rows = len.div_ceil(cols);
    let first = ((view_top.max(0.0) / pitch).floor() as usize).min(rows - 1);
    let last = (((view_top + view_height).max(0.0) / pitch).ceil() as usize).clamp(first + 1, rows);
    // Less than a page from the end: draw to the end, so that the next page's arrival changes
    // the grid once (every change repaints the view).
    let to_end = last + OVERSCAN_ROWS + (PAGE as usize).div_ceil(cols) >= rows;
    let (drawn_start, drawn_end) = (drawn.0 / cols, drawn.1.min(len).div_ceil(cols));
    let top_ok = drawn_start == 0 || first >= drawn_start + MARGIN_ROWS;
    let bottom_ok = if to_end {
        drawn_end == rows
    } else {
        last + MARGIN_ROWS <= drawn_end
    };
    if drawn.0.is_multiple_of(cols)
        && drawn.1 != usize::MAX
        && drawn.1 <= len
        && top_ok
        && bottom_ok
    {
        return drawn;
    }
    let start_row = first.saturating_sub(OVERSCAN_ROWS);
    let end_row = if to_end { rows } else { last + OVERSCAN_ROWS };
    (start_row * cols, (end_row * cols).min(len))
}

/// Columns, from the grid's resolved `grid-template-columns`, and the row pitch: a drawn card's
/// height plus the row gap. `None` until a card is drawn.
fn measure(grid: &leptos::web_sys::HtmlElement) -> Option<Geometry> {
    let style = |element: &leptos::web_sys::Element, property: &str| {
        window()
            .get_computed_style(element)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value(property).ok())
    };
    let px = |value: Option<String>| {
        value.and_then(|v| v.trim().trim_end_matches("px").parse::<f64>().ok())
    };
    let cols = style(grid, "grid-template-columns")?
        .split_whitespace()
        .count();
    let card = grid.first_element_child()?;
    let pitch = px(style(&card, "height"))? + px(style(grid, "row-gap")).unwrap_or(0.0);
    (cols > 0 && pitch > 0.0).then_some(Geometry {
        width: grid.client_width(),
        cols,
        pitch,
    })
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

/// The search text, kind, order and "for sale only" of the grid.
#[derive(Debug, Clone, Copy)]
struct Filters {
    text: RwSignal<String>,
    kind: RwSignal<Option<MediaKind>>,
    sort: RwSignal<ExploreSort>,
    listed: RwSignal<bool>,
}

impl Filters {
    fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            kind: RwSignal::new(None),
            sort: RwSignal::new(ExploreSort::Newest),
            listed: RwSignal::new(false),
        }
    }

    /// The page after `after` of every work that passes the filters (read tracked).
    fn request(&self, after: Option<String>) -> ExploreRequest {
        ExploreRequest {
            text: Some(self.text.get()).filter(|t| !t.trim().is_empty()),
            kind: self.kind.get(),
            sort: self.sort.get(),
            listed_only: self.listed.get(),
            limit: PAGE,
            after,
            owner: None,
            creator: None,
        }
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
    let filters = Filters::new();
    // The cards loaded so far (the first page, then each next page appended) and the cursor of
    // the page after them.
    let items = RwSignal::new(Vec::<WorkCard>::new());
    let next = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // The page after `after` (reading the filters, and the account outside Explore, tracks
    // them); `None` when the scope needs an active account and there is none.
    let request = move |after: Option<String>| {
        let request = filters.request(after);
        match scope {
            Scope::All => Some(request),
            Scope::Collection => active().map(|me| ExploreRequest {
                owner: Some(me.address),
                ..request
            }),
            Scope::Studio => active().map(|me| ExploreRequest {
                creator: Some(me.address),
                ..request
            }),
        }
    };
    let fetch = |request: Option<ExploreRequest>| async move {
        match request {
            Some(request) => Some(api::invoke::<commands::ExplorePage>(&request).await),
            None => None,
        }
    };
    // The first page follows the filters; later pages are loaded on demand.
    let first = LocalResource::new(move || fetch(request(None)));
    let more = Action::new_local(move |after: &String| fetch(request(Some(after.clone()))));
    let more_busy = more.pending();
    // A next page asked for before the first page changed belongs to the old list.
    let in_flight = StoredValue::new(None::<ActionAbortHandle>);
    Effect::new(move |_| {
        let Some(answer) = first.get() else {
            return;
        };
        if let Some(stale) = in_flight.try_update_value(Option::take).flatten() {
            stale.abort();
        }
        match answer {
            Some(Ok(page)) => {
                next.set(page.next);
                items.set(page.items);
                error.set(None);
            }
            Some(Err(e)) => error.set(Some(e.to_string())),
            None => {
                items.set(Vec::new());
                next.set(None);
            }
        }
    });
    let more_answer = more.value();
    Effect::new(move |_| match more_answer.get().flatten() {
        Some(Ok(page)) => {
            next.set(page.next);
            items.update(|v| v.extend(page.items));
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    let load_more = move || {
        if more_busy.get_untracked() {
            return;
        }
        if let Some(cursor) = next.get_untracked() {
            in_flight.set_value(Some(more.dispatch(cursor)));
        }
    };
    // A catalog change (each new block) refreshes the first page, but never pulls a reader who
    // scrolled further down back to the top.
    Effect::new(move |seen: Option<()>| {
        version.track();
        if seen.is_some() && items.with_untracked(|v| v.len() <= PAGE as usize) {
            first.refetch();
        }
    });
    let empty = move || {
        first.with(Option::is_some) && items.with(Vec::is_empty) && error.with(Option::is_none)
    };
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
            {(scope == Scope::Studio).then(|| view! { <EarningsCard version=version accounts=accounts /> })}
            <Toolbar filters=filters />
            {move || error.get().map(|e| view! { <p class="error" id="explore-error" role="alert">{e}</p> })}
            <Show when=empty>
                <div class="empty" id="explore-empty" role="status">
                    {tr(move |l| match (scope, filters.text.with(|t| t.trim().is_empty())) {
                        (_, false) => Text::NoMatch,
                        (Scope::All, true) => Text::NoWorksYet,
                        (Scope::Collection, true) => Text::HoldsNoTokens,
                        (Scope::Studio, true) => Text::CreatedNothing,
                    }.text(l).into())}
                </div>
            </Show>
            <Grid items=items open=open near_end=load_more />
            <Show when=move || next.with(Option::is_some)>
                <button id="explore-more" class="secondary" on:click=move |_| load_more()>{t(Text::LoadMore)}</button>
            </Show>
        </section>
    }
}

/// What the active account's works earned (Studio), again on every catalog change.
#[component]
fn EarningsCard(version: RwSignal<u32>, accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    let lang = use_lang();
    let earnings = LocalResource::new(move || {
        version.track();
        let me = accounts.with(|a| a.iter().find(|x| x.active).map(|x| x.address.clone()));
        async move {
            let request = EarningsRequest { address: me? };
            api::invoke::<commands::Earnings>(&request).await.ok()
        }
    });
    move || {
        earnings.get().flatten().map(|e| {
            let lang = lang.get();
            view! {
                <div class="card earnings" id="studio-earnings">
                    <div><span class="label">{Text::RoyaltiesEarned.text(lang)}</span><strong>{format::credits(lang, e.royalties_cents)}</strong></div>
                    <div><span class="label">{Text::Proceeds.text(lang)}</span><strong>{format::credits(lang, e.proceeds_cents)}</strong></div>
                    <div><span class="label">{Text::PaymentsReceived.text(lang)}</span><strong>{e.payouts.to_string()}</strong></div>
                </div>
            }
        })
    }
}

/// Search, kind, order and "for sale only".
#[component]
fn Toolbar(filters: Filters) -> impl IntoView {
    let Filters {
        text,
        kind,
        sort,
        listed,
    } = filters;
    view! {
        <div class="toolbar" role="search">
            <input
                id="explore-search"
                type="search"
                placeholder=t(Text::SearchPlaceholder)
                aria-label=t(Text::Search)
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <select id="explore-kind" aria-label=t(Text::Kind) on:change=move |ev| kind.set(event_target_value(&ev).parse().ok())>
                <option value="">{t(Text::AllKinds)}</option>
                <option value=MediaKind::Image.as_str()>{t(Text::Images)}</option>
                <option value=MediaKind::Audio.as_str()>{t(Text::Audio)}</option>
                <option value=MediaKind::Video.as_str()>{t(Text::Video)}</option>
            </select>
            <select id="explore-sort" aria-label=t(Text::Order) on:change=move |ev| sort.set(event_target_value(&ev).parse().unwrap_or_default())>
                <option value=ExploreSort::Newest.as_str()>{t(Text::Newest)}</option>
                <option value=ExploreSort::PriceAsc.as_str()>{t(Text::PriceLowHigh)}</option>
                <option value=ExploreSort::PriceDesc.as_str()>{t(Text::PriceHighLow)}</option>
                <option value=ExploreSort::RecentlySold.as_str()>{t(Text::RecentlySold)}</option>
            </select>
            <label class="check">
                <input id="explore-listed" type="checkbox" on:change=move |ev| listed.set(event_target_checked(&ev)) />
                {t(Text::ForSaleOnly)}
            </label>
        </div>
    }
}

/// The cards; a long list draws only the rows near the view (see [`VIRTUALIZE_ABOVE`]), and
/// `near_end` is called when the end of the list comes near (infinite scroll).
#[component]
fn Grid(
    items: RwSignal<Vec<WorkCard>>,
    open: impl Fn(u64) + Copy + Send + Sync + 'static,
    near_end: impl Fn() + Copy + 'static,
) -> impl IntoView {
    // The cards drawn (`start..end` of `items`) and the grid's measured geometry.
    let range = RwSignal::new((0usize, usize::MAX));
    let geometry = RwSignal::new(None::<Geometry>);
    let grid = NodeRef::<leptos::html::Div>::new();
    let update_range = move || {
        let len = items.with(Vec::len);
        let mut shape = geometry.get_untracked();
        if len > VIRTUALIZE_ABOVE
            && let Some(element) = grid.get_untracked()
        {
            if shape.is_none_or(|g| g.width != element.client_width()) {
                shape = measure(&element);
                geometry.set(shape);
            }
            if let Some(g) = shape {
                let window = window();
                let scrolled = window.scroll_y().unwrap_or(0.0);
                let height = window
                    .inner_height()
                    .ok()
                    .and_then(|h| h.as_f64())
                    .unwrap_or(0.0);
                let view_top = scrolled - f64::from(element.offset_top());
                let drawn = range.get_untracked();
                let wanted = visible_range(len, g.cols, g.pitch, (view_top, height), drawn);
                if range.get_untracked() != wanted {
                    range.set(wanted);
                }
                return;
            }
        }
        if range.get_untracked() != (0, usize::MAX) {
            range.set((0, usize::MAX));
        }
    };
    Effect::new(move |_| {
        items.track();
        update_range();
    });
    let resized = window_event_listener(leptos::ev::resize, move |_| update_range());
    // The "Load more" button stays for keyboard users.
    let scrolled = window_event_listener(leptos::ev::scroll, move |_| {
        update_range();
        let window = window();
        let (Ok(height), Ok(scrolled)) = (window.inner_height(), window.scroll_y()) else {
            return;
        };
        let total = document()
            .document_element()
            .map_or(0.0, |e| f64::from(e.scroll_height()));
        if height.as_f64().unwrap_or(0.0) + scrolled >= total - 600.0 {
            near_end();
        }
    });
    on_cleanup(move || {
        scrolled.remove();
        resized.remove();
    });
    // Padding stands in for the rows above and below the drawn ones.
    let padding = move |above: bool| {
        let (start, end) = range.get();
        let (Some(g), true) = (geometry.get(), end != usize::MAX) else {
            return "0px".to_owned();
        };
        let rows = if above {
            start / g.cols
        } else {
            // (Saturating: a new query's first page may arrive before the range follows it.)
            items
                .with(Vec::len)
                .div_ceil(g.cols)
                .saturating_sub(end.div_ceil(g.cols))
        };
        format!("{:.3}px", rows as f64 * g.pitch)
    };
    view! {
        <div
            class="grid"
            id="explore-grid"
            node_ref=grid
            data-loaded=move || items.with(Vec::len).to_string()
            style:padding-top=move || padding(true)
            style:padding-bottom=move || padding(false)
        >
            <For
                each=move || {
                    let (start, end) = range.get();
                    items.with(|v| v[start.min(v.len())..end.min(v.len())].to_vec())
                }
                key=|card| card.token_id
                let:card
            >
                <Card card=card open=open />
            </For>
        </div>
    }
}

/// One token in the grid; a button, so it opens with the keyboard too.
#[component]
fn Card(card: WorkCard, open: impl Fn(u64) + Copy + Send + Sync + 'static) -> impl IntoView {
    let token = card.token_id;
    let unavailable = matches!(
        card.media_status,
        MetadataStatus::Unavailable | MetadataStatus::Invalid
    );
    let thumb = card
        .thumbnail_cid
        .as_deref()
        .filter(|_| !unavailable)
        .map(media_url);
    let title = {
        let (title, pending) = (
            card.title.clone(),
            card.media_status == MetadataStatus::Pending,
        );
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
    let kind = card.kind.map(MediaKind::as_str).unwrap_or_default();
    let (edition, max_editions) = (card.edition, card.max_editions);
    let creator = format::address(&card.creator);
    view! {
        <button class="work card-button" data-token=token.to_string() on:click=move |_| open(token)>
            <div class="thumb">
                {match thumb {
                    Some(url) => view! { <img src=url alt=title loading="lazy" /> }.into_any(),
                    None if unavailable => view! { <div class="placeholder">{t(Text::MediaUnavailable)}</div> }.into_any(),
                    None => view! { <div class="placeholder">{tr(move |l| i18n::kind(l, kind))}</div> }.into_any(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: (usize, usize) = (0, usize::MAX);

    #[test]
    fn short_lists_are_drawn_whole() {
        assert_eq!(visible_range(100, 5, 314.0, (5_000.0, 700.0), ALL), ALL);
        assert_eq!(
            visible_range(VIRTUALIZE_ABOVE, 5, 314.0, (0.0, 700.0), ALL),
            ALL
        );
        assert_eq!(visible_range(1_000, 0, 314.0, (0.0, 700.0), ALL), ALL);
    }

    #[test]
    fn long_lists_draw_whole_rows_around_the_view() {
        // At the top: the view's 3 rows and 6 below.
        assert_eq!(visible_range(1_000, 5, 300.0, (0.0, 700.0), ALL), (0, 45));
        // Row 20 at the view's top, which shows rows 20..=22: rows 14..=28.
        let (start, end) = visible_range(1_000, 5, 300.0, (6_000.0, 700.0), ALL);
        assert_eq!((start, end), (70, 145));
        assert_eq!(start % 5, 0, "whole rows, so the columns stay aligned");
        // Above the grid (the page head in view) and past its end.
        assert_eq!(
            visible_range(1_000, 5, 300.0, (-400.0, 700.0), ALL),
            (0, 35)
        );
        assert_eq!(
            visible_range(1_000, 5, 300.0, (1e9, 700.0), ALL),
            (965, 1_000)
        );
        // A short last row.
        assert_eq!(
            visible_range(1_003, 5, 300.0, (199.0 * 300.0, 700.0), ALL),
            (965, 1_003)
        );
    }

    #[test]
    fn the_drawn_rows_stay_until_the_view_nears_their_edge() {
        let drawn = (70, 145); // rows 14..=28
        let at = |row: f64| visible_range(1_000, 5, 300.0, (row * 300.0, 700.0), drawn);
        for row in [15.0, 20.0, 25.0] {
            assert_eq!(at(row), drawn, "view at row {row}");
        }
        // Within a row of the top or the bottom: chosen again around the view.
        assert_eq!(at(14.5), (40, 115));
        assert_eq!(at(26.5), (100, 175));
        // A page arrived while the last row was drawn: the new rows are drawn too, at once.
        assert_eq!(
            visible_range(1_024, 5, 300.0, (197.0 * 300.0, 700.0), (955, 1_000)),
            (955, 1_024)
        );
        assert_eq!(
            visible_range(1_024, 5, 300.0, (195.0 * 300.0, 700.0), (945, 1_000)),
            (945, 1_024)
        );
        // Then the grid stays as it is until the next page.
        assert_eq!(
            visible_range(1_024, 5, 300.0, (199.0 * 300.0, 700.0), (945, 1_024)),
            (945, 1_024)
        );
        // Less than a page from the end: drawn to the end.
        assert_eq!(
            visible_range(1_000, 5, 300.0, (188.0 * 300.0, 700.0), ALL),
            (910, 1_000)
        );
        // The columns changed (the window was resized): whole rows again.
        assert_eq!(
            visible_range(1_000, 4, 300.0, (20.0 * 300.0, 700.0), (70, 145)),
            (56, 116)
        );
    }
}
