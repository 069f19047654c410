//! The "Add a work" page: the first step of minting. A file (dropped on the window or typed as a
//! path) is sniffed, checked, hashed and stored; the page shows its content address and any
//! exact copy already in the library.

use hallmark_api::{
    CopyCheckReport, IngestProgress, IngestReport, IngestRequest, MintWorkReport, MintWorkRequest,
    PathRequest, commands, events, media_url,
};
use leptos::prelude::*;
use serde::Serialize;

use super::matches::MatchGrid;
use crate::i18n::{self, Text, t, tr, use_lang};
use crate::{api, format};

#[derive(Serialize)]
struct Args<'a> {
    request: &'a IngestRequest,
}

/// The ingest form, its progress and its result.
#[component]
pub fn AddPage(
    dropped: RwSignal<(u32, String)>,
    on_added: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let path = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(None::<IngestProgress>);
    let result = RwSignal::new(None::<Result<IngestReport, hallmark_api::ApiError>>);

    let run = move || {
        let request = IngestRequest {
            path: path.get_untracked().trim().to_owned(),
        };
        if request.path.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        result.set(None);
        progress.set(None);
        leptos::task::spawn_local(async move {
            let outcome =
                api::call::<_, IngestReport>(commands::INGEST_FILE, &Args { request: &request })
                    .await;
            if outcome.is_ok() {
                on_added();
            }
            result.set(Some(outcome));
            busy.set(false);
        });
    };
    api::listen::<IngestProgress>(events::INGEST_PROGRESS, move |p| progress.set(Some(p)));
    super::take_dropped_files(dropped, move |file| {
        path.set(file);
        run();
    });

    view! {
        <section class="page">
            <h1>{t(Text::MintTitle)}</h1>
            <p class="lede">{t(Text::MintLede)}</p>
            <div class="dropzone">
                <div class="drop-hint">{t(Text::DropFile)}</div>
                <form class="pathform" on:submit=move |ev| { ev.prevent_default(); run(); }>
                    <input
                        id="ingest-path"
                        type="text"
                        placeholder="/home/you/Pictures/work.png"
                        spellcheck="false"
                        prop:value=move || path.get()
                        on:input=move |ev| path.set(event_target_value(&ev))
                    />
                    <button id="ingest-button" class="primary" type="submit" disabled=move || busy.get() || path.with(|p| p.trim().is_empty())>
                        {tr(move |l| if busy.get() { Text::Ingesting } else { Text::Ingest }.text(l).into())}
                    </button>
                </form>
                <p class="muted small">{t(Text::AcceptedFormats)}</p>
            </div>
            <Show when=move || busy.get()>
                <ProgressBar progress=progress />
            </Show>
            {move || result.get().map(|outcome| match outcome {
                Ok(report) => view! { <Report report=report path=path.get_untracked() /> }.into_any(),
                Err(e) => view! {
                    <div class="error-box" id="ingest-error">
                        <strong>{e.message.clone()}</strong>
                        <span class="mono small">{e.code.clone()}</span>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn ProgressBar(progress: RwSignal<Option<IngestProgress>>) -> impl IntoView {
    let percent = move || {
        progress.get().map_or(0.0, |p| {
            if p.total == 0 {
                100.0
            } else {
                p.done as f64 * 100.0 / p.total as f64
            }
        })
    };
    let label = tr(move |l| match progress.get() {
        None => Text::Starting.text(l).to_owned(),
        Some(p) => i18n::progress(l, &p.stage, &format::bytes(p.done), &format::bytes(p.total)),
    });
    view! {
        <div class="progress" id="ingest-progress">
            <div class="bar" style:width=move || format!("{:.0}%", percent())></div>
            <span>{label}</span>
        </div>
    }
}

#[component]
fn Report(report: IngestReport, path: String) -> impl IntoView {
    let item = report.item;
    let preview = item
        .preview_cid
        .as_deref()
        .or(item.thumbnail_cid.as_deref())
        .map(media_url);
    let copies = report.exact_copies;
    let facts = {
        let (mime, size) = (item.mime.clone(), format::bytes(item.size));
        let dimensions = format::dimensions(item.width, item.height);
        let ms = report.ingest_ms;
        tr(move |l| i18n::ingest_facts(l, &mime, &size, &dimensions, ms))
    };
    let kind = item.kind.clone();
    view! {
        <div class="result" id="ingest-result">
            <div class="preview">
                {match preview {
                    Some(url) => view! { <img id="ingest-preview" src=url alt=item.file_name.clone() /> }.into_any(),
                    None => view! { <div class="placeholder big">{tr(move |l| i18n::kind(l, &kind))}</div> }.into_any(),
                }}
            </div>
            <div class="facts">
                <h2>{item.file_name.clone()}</h2>
                <p class="muted">{facts}</p>
                <dl>
                    <dt>{t(Text::ContentAddress)}</dt><dd class="mono" id="result-cid">{item.cid.clone()}</dd>
                    <dt>{t(Text::IpfsAdd)}</dt><dd class="mono" id="result-cid-v0">{item.cid_v0.clone()}</dd>
                    <dt>"sha-256"</dt><dd class="mono" id="result-sha256">{item.sha256.clone()}</dd>
                </dl>
                {if copies.is_empty() {
                    view! { <p class="ok" id="copy-check">{t(Text::NoOtherFile)}</p> }.into_any()
                } else {
                    let names = copies.iter().map(|c| c.file_name.clone()).collect::<Vec<_>>().join(", ");
                    view! { <p class="warn" id="copy-check">{tr(move |l| i18n::exact_copy_of(l, &names))}</p> }.into_any()
                }}
                <RegistryCheck path=path.clone() />
                <MintForm path=path default_title=title_from(&item.file_name) />
            </div>
        </div>
    }
}

#[derive(Serialize)]
struct PathArgs<'a> {
    request: &'a PathRequest,
}

/// The copy check against every registered work: exact bytes, then near copies side by side.
#[component]
fn RegistryCheck(path: String) -> impl IntoView {
    let report = RwSignal::new(None::<Result<CopyCheckReport, hallmark_api::ApiError>>);
    leptos::task::spawn_local(async move {
        let request = PathRequest { path };
        let answer =
            api::call::<_, CopyCheckReport>(commands::COPY_CHECK, &PathArgs { request: &request })
                .await;
        report.set(Some(answer));
    });
    view! {
        <div class="registry-check" id="registry-check">
            {move || match report.get() {
                None => view! { <p class="muted">{t(Text::ComparingRegistered)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message}</p> }.into_any(),
                Some(Ok(r)) => match (r.exact.clone(), r.near.is_empty()) {
                    (Some(work), _) => view! {
                        <p class="warn" id="registry-exact">{tr(move |l| i18n::already_registered(l, work.work_id))}</p>
                    }.into_any(),
                    (None, true) => view! {
                        <p class="ok" id="registry-clear">{tr(move |l| match r.quality {
                            Some(q) => i18n::registry_clear_image(l, r.compared, q),
                            None => i18n::registry_clear_exact(l, r.compared),
                        })}</p>
                    }.into_any(),
                    (None, false) => {
                        let (count, distance) = (r.near.len(), r.max_distance);
                        view! {
                            <div class="notice" id="registry-near">
                                <p>
                                    <strong>{tr(move |l| i18n::looks_like_registered(l, count))}</strong>
                                    {tr(move |l| i18n::near_copy_note(l, distance))}
                                </p>
                                <MatchGrid matches=r.near id="registry-matches" />
                            </div>
                        }.into_any()
                    }
                },
            }}
        </div>
    }
}

/// A title from a file name: `sunrise-over-sea.png` → `sunrise over sea`.
fn title_from(file_name: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    stem.replace(['-', '_'], " ")
}

#[derive(Serialize)]
struct MintArgs<'a> {
    request: &'a MintWorkRequest,
}

/// Step two: the work's details, then registration on-chain (signed in the Rust core).
#[component]
fn MintForm(path: String, default_title: String) -> impl IntoView {
    let lang = use_lang();
    let title = RwSignal::new(default_title);
    let description = RwSignal::new(String::new());
    // The default licence in the language the form opened in (it is the work's metadata).
    let licence = RwSignal::new(
        Text::AllRightsReserved
            .text(lang.get_untracked())
            .to_owned(),
    );
    let editions = RwSignal::new("1".to_owned());
    let royalty = RwSignal::new("10".to_owned());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<MintWorkReport, hallmark_api::ApiError>>);
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        let percent: f64 = royalty.get_untracked().trim().parse().unwrap_or(-1.0);
        let request = MintWorkRequest {
            path: path.clone(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            licence: licence.get_untracked(),
            editions: editions.get_untracked().trim().parse().unwrap_or(0),
            royalty_bps: if (0.0..=100.0).contains(&percent) {
                (percent * 100.0).round() as u16
            } else {
                u16::MAX
            },
        };
        busy.set(true);
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let result = api::call::<_, MintWorkReport>(
                commands::MINT_WORK,
                &MintArgs { request: &request },
            )
            .await;
            outcome.set(Some(result));
            busy.set(false);
        });
    };
    let field = |label: Text, id: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <input id=id type="text" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <form class="mintform" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3>{t(Text::RegisterOnChain)}</h3>
            {field(Text::Title, "mint-title", title)}
            {field(Text::Description, "mint-description", description)}
            {field(Text::Licence, "mint-licence", licence)}
            <div class="pair">
                {field(Text::EditionsField, "mint-editions", editions)}
                {field(Text::RoyaltyField, "mint-royalty", royalty)}
            </div>
            <button id="mint-button" class="primary" type="submit" disabled=move || busy.get()>
                {tr(move |l| if busy.get() { Text::Registering } else { Text::RegisterWork }.text(l).into())}
            </button>
            {move || outcome.get().map(|o| match o {
                Ok(r) => view! {
                    <p class="ok" id="mint-result">
                        {tr(move |l| i18n::registered_as(l, &r.work_id, &r.token_id, r.block_number, r.elapsed_ms))}
                        <br />
                        <span class="mono small">{tr(move |l| i18n::tx(l, &r.tx_hash))}</span>
                    </p>
                }.into_any(),
                Err(e) if e.code == "review.submitted" || e.code == "review.pending" => view! {
                    <div class="notice" id="mint-review">
                        <strong>{t(Text::SentToReview)}</strong>{e.message.clone()}
                    </div>
                }.into_any(),
                Err(e) => view! {
                    <div class="error-box" id="mint-error">
                        <strong>{e.message.clone()}</strong>
                        <span class="mono small">{e.code.clone()}</span>
                    </div>
                }.into_any(),
            })}
        </form>
    }
}
