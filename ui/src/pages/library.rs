//! The Library page: every work ingested on this machine, newest first, with thumbnails served
//! by the verified `media://` protocol.

use hallmark_api::{ApiError, LibraryItem, LibraryPage, LibraryPageRequest, commands, media_url};
use leptos::prelude::*;

use crate::i18n::{self, Text, t, tr};
use crate::{api, format};

const PAGE: u32 = 48;

/// The grid of works.
#[component]
pub fn LibraryPage(
    version: RwSignal<u32>,
    go_add: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    // The works loaded so far: the first page (again whenever the library changes), then each
    // next page appended.
    let items = RwSignal::new(Vec::<LibraryItem>::new());
    let more = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let page = |after: Option<String>| async move {
        let request = LibraryPageRequest { limit: PAGE, after };
        api::invoke::<commands::LibraryPage>(&request).await
    };
    let first = LocalResource::new(move || {
        version.track();
        page(None)
    });
    let next = Action::new_local(move |after: &Option<String>| page(after.clone()));
    let show = move |answer: Result<LibraryPage, ApiError>, append: bool| match answer {
        Ok(page) => {
            more.set(page.more);
            if append {
                items.update(|v| v.extend(page.items));
            } else {
                items.set(page.items);
            }
            error.set(None);
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    Effect::new(move |_| {
        if let Some(answer) = first.get() {
            show(answer, false);
        }
    });
    let appended = next.value();
    Effect::new(move |_| {
        if let Some(answer) = appended.get() {
            show(answer, true);
        }
    });
    let loading = move || first.with(Option::is_none);
    view! {
        <section class="page">
            <h1>{t(Text::Library)}</h1>
            <p class="lede">{t(Text::LibraryLede)}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <Show when=move || !loading() && items.with(Vec::is_empty) && error.get().is_none()>
                <div class="empty" id="library-empty">
                    <p>{t(Text::NothingYet)}</p>
                    <button class="primary" on:click=move |_| go_add()>{t(Text::AddFirstWork)}</button>
                </div>
            </Show>
            <div class="grid" id="library-grid">
                <For each=move || items.get() key=|item| item.cid.clone() let:item>
                    <WorkCard item=item />
                </For>
            </div>
            <Show when=move || more.get()>
                <button class="secondary" on:click=move |_| { next.dispatch(items.with(|v| v.last().map(|i| i.cid.clone()))); }>{t(Text::LoadMore)}</button>
            </Show>
        </section>
    }
}

/// One work in the grid.
#[component]
fn WorkCard(item: LibraryItem) -> impl IntoView {
    let thumb = item.thumbnail_cid.as_deref().map(media_url);
    let kind = item.kind;
    let details = [
        format::bytes(item.size),
        format::dimensions(item.width, item.height),
        item.mime.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <article class="work" data-cid=item.cid.clone()>
            <div class="thumb">
                {match thumb {
                    Some(url) => view! { <img src=url alt=item.file_name.clone() loading="lazy" /> }.into_any(),
                    None => view! { <div class="placeholder">{tr(move |l| i18n::kind(l, kind.as_str()))}</div> }.into_any(),
                }}
            </div>
            <div class="meta">
                <div class="title" title=item.file_name.clone()>{item.file_name.clone()}</div>
                <div class="muted small">{details}</div>
                <div class="mono small cid" title=item.cid.clone()>{format::short(&item.cid)}</div>
            </div>
        </article>
    }
}
