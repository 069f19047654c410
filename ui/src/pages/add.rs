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
            <h1>"Mint a work"</h1>
            <p class="lede">"Drop an image, audio or video file anywhere on this window, or type its path. Hallmark reads the real type from the bytes, checks size and pixel limits, computes its sha-256 and IPFS content address, and stores it locally."</p>
            <div class="dropzone">
                <div class="drop-hint">"⬇ Drop a file here"</div>
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
                        {move || if busy.get() { "Ingesting…" } else { "Ingest" }}
                    </button>
                </form>
                <p class="muted small">"PNG, JPEG, WebP, GIF · MP3, WAV, FLAC, OGG · MP4, WebM. SVG is refused: Hallmark never renders documents that can carry scripts."</p>
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
    let label = move || match progress.get() {
        None => "Starting…".to_owned(),
        Some(p) => format!(
            "{} · {} of {}",
            p.stage,
            format::bytes(p.done),
            format::bytes(p.total)
        ),
    };
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
    view! {
        <div class="result" id="ingest-result">
            <div class="preview">
                {match preview {
                    Some(url) => view! { <img id="ingest-preview" src=url alt=item.file_name.clone() /> }.into_any(),
                    None => view! { <div class="placeholder big">{item.kind.clone()}</div> }.into_any(),
                }}
            </div>
            <div class="facts">
                <h2>{item.file_name.clone()}</h2>
                <p class="muted">{format!("{} · {} · {} · ingested in {} ms", item.mime, format::bytes(item.size), format::dimensions(item.width, item.height), report.ingest_ms)}</p>
                <dl>
                    <dt>"Content address (CIDv1)"</dt><dd class="mono" id="result-cid">{item.cid.clone()}</dd>
                    <dt>"ipfs add (CIDv0)"</dt><dd class="mono" id="result-cid-v0">{item.cid_v0.clone()}</dd>
                    <dt>"sha-256"</dt><dd class="mono" id="result-sha256">{item.sha256.clone()}</dd>
                </dl>
                {if copies.is_empty() {
                    view! { <p class="ok" id="copy-check">"✓ No other file in your library has these exact bytes."</p> }.into_any()
                } else {
                    let names = copies.iter().map(|c| c.file_name.clone()).collect::<Vec<_>>().join(", ");
                    view! { <p class="warn" id="copy-check">{format!("Exact copy of: {names}")}</p> }.into_any()
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
                None => view! { <p class="muted">"Comparing with every registered work…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message}</p> }.into_any(),
                Some(Ok(r)) => match (r.exact.clone(), r.near.is_empty()) {
                    (Some(work), _) => view! {
                        <p class="warn" id="registry-exact">{format!("Already registered as work {} — the chain refuses a second registration of the same bytes.", work.work_id)}</p>
                    }.into_any(),
                    (None, true) => view! {
                        <p class="ok" id="registry-clear">{match r.quality {
                            Some(q) => format!("✓ No registered work has these bytes or looks like them ({} compared; image quality {q} of 100).", r.compared),
                            None => format!("✓ No registered work has these bytes ({} compared; audio and video are checked by their exact bytes).", r.compared),
                        }}</p>
                    }.into_any(),
                    (None, false) => view! {
                        <div class="notice" id="registry-near">
                            <p><strong>{format!("Looks like {} registered work{}", r.near.len(), if r.near.len() == 1 { "" } else { "s" })}</strong>{format!(" (PDQ distance ≤ {} of 256). Registering it sends it to the consortium's review queue; a reviewer approves or rejects it with a reason.", r.max_distance)}</p>
                            <MatchGrid matches=r.near.clone() id="registry-matches" />
                        </div>
                    }.into_any(),
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
    let title = RwSignal::new(default_title);
    let description = RwSignal::new(String::new());
    let licence = RwSignal::new("All rights reserved".to_owned());
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
    let field = |label: &'static str, id: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input id=id type="text" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <form class="mintform" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h3>"Register on the chain"</h3>
            {field("Title", "mint-title", title)}
            {field("Description", "mint-description", description)}
            {field("Licence", "mint-licence", licence)}
            <div class="pair">
                {field("Editions (fixed forever)", "mint-editions", editions)}
                {field("Royalty on resales, %", "mint-royalty", royalty)}
            </div>
            <button id="mint-button" class="primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Registering…" } else { "Register work" }}
            </button>
            {move || outcome.get().map(|o| match o {
                Ok(r) => view! {
                    <p class="ok" id="mint-result">
                        {format!("✓ Registered as work {} (token {}) in block {} — {} ms", r.work_id, r.token_id, r.block_number, r.elapsed_ms)}
                        <br />
                        <span class="mono small">{format!("tx {}", r.tx_hash)}</span>
                    </p>
                }.into_any(),
                Err(e) if e.code == "review.submitted" || e.code == "review.pending" => view! {
                    <div class="notice" id="mint-review">
                        <strong>"Sent to review. "</strong>{e.message.clone()}
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
