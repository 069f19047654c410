//! The "Add a work" page: the first step of minting. A file (dropped on the window or chosen in
//! the shell's file dialog) is sniffed, checked, hashed and stored; the page shows its content address and any
//! exact copy already in the library.

use hallmark_api::{
    ChosenFile, CopyCheckReport, FilePurpose, FileRequest, FileToken, IngestProgress, IngestReport,
    IngestRequest, commands, events, media_url,
};
use leptos::prelude::*;

use super::matches::MatchGrid;
use super::mint::MintForm;
use super::{ChooseFile, Dropped, ErrorBox};
use crate::i18n::{self, Text, t, tr};
use crate::{api, format};

/// The ingest form, its progress and its result.
#[component]
pub fn AddPage(
    dropped: Dropped,
    accounts: RwSignal<Vec<hallmark_api::AccountInfo>>,
    on_added: impl Fn() + Copy + Send + Sync + 'static,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<ChosenFile>);
    let job = RwSignal::new(String::new());
    let progress = RwSignal::new(None::<IngestProgress>);
    let ingest = Action::new_local(move |(request, id): &(IngestRequest, String)| {
        let (request, id) = (request.clone(), id.clone());
        async move {
            let outcome = api::invoke_job::<commands::IngestFile>(&request, &id).await;
            if outcome.is_ok() {
                on_added();
            }
            outcome
        }
    });
    let (busy, result) = (ingest.pending(), ingest.value());

    let run = move || {
        let Some(file) = chosen.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let request = IngestRequest { file: file.token };
        ingest.clear();
        progress.set(None);
        let id = api::job_id("ingest");
        job.set(id.clone());
        ingest.dispatch((request, id));
    };
    api::listen::<IngestProgress>(events::INGEST_PROGRESS, move |p| progress.set(Some(p)));
    super::take_dropped_files(dropped, move |file| {
        chosen.set(Some(file));
        run();
    });

    view! {
        <section class="page">
            <h1>{t(Text::MintTitle)}</h1>
            <p class="lede">{t(Text::MintLede)}</p>
            <div class="dropzone">
                <div class="drop-hint">{t(Text::DropFile)}</div>
                <div class="pathform">
                    <ChooseFile id="ingest-choose" purpose=FilePurpose::Media chosen=chosen on_chosen=run disabled=busy />
                    <button id="ingest-button" class="primary" type="button" on:click=move |_| run()
                        disabled=move || busy.get() || chosen.with(Option::is_none)>
                        {tr(move |l| if busy.get() { Text::Ingesting } else { Text::Ingest }.text(l).into())}
                    </button>
                </div>
                <p class="muted small">{t(Text::AcceptedFormats)}</p>
            </div>
            <Show when=move || busy.get()>
                <div class="progress-row">
                    <ProgressBar progress=progress />
                    <button id="ingest-cancel" type="button" on:click=move |_| api::cancel(job.get_untracked())>
                        {t(Text::Cancel)}
                    </button>
                </div>
            </Show>
            {move || result.get().map(|outcome| match outcome {
                Ok(report) => view! { <Report report=report file=chosen.get_untracked().map(|c| c.token).unwrap_or_default() accounts=accounts open_work=open_work /> }.into_any(),
                Err(e) => view! { <ErrorBox error=e id="ingest-error" /> }.into_any(),
            })}
        </section>
    }
}

/// How far a stage is, in percent (an empty file is done at once).
fn percent(done: u64, total: u64) -> f64 {
    if total == 0 {
        100.0
    } else {
        done as f64 * 100.0 / total as f64
    }
}

/// The ingest's progress, a `progressbar` for assistive technology too.
#[component]
fn ProgressBar(progress: RwSignal<Option<IngestProgress>>) -> impl IntoView {
    let percent = move || progress.with(|p| p.as_ref().map_or(0.0, |p| percent(p.done, p.total)));
    let label = tr(move |l| match progress.get() {
        None => Text::Starting.text(l).to_owned(),
        Some(p) => i18n::progress(
            l,
            p.stage.as_str(),
            &format::bytes(p.done),
            &format::bytes(p.total),
        ),
    });
    view! {
        <div class="progress" id="ingest-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
            aria-valuenow=move || format!("{:.0}", percent()) aria-valuetext=label>
            <div class="bar" style:width=move || format!("{:.0}%", percent())></div>
            <span>{label}</span>
        </div>
    }
}

#[component]
fn Report(
    report: IngestReport,
    file: FileToken,
    accounts: RwSignal<Vec<hallmark_api::AccountInfo>>,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
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
    let kind = item.kind;
    view! {
        <div class="result" id="ingest-result">
            <div class="preview">
                {match preview {
                    Some(url) => view! { <img id="ingest-preview" src=url alt=item.file_name.clone() /> }.into_any(),
                    None => view! { <div class="placeholder big">{tr(move |l| i18n::kind(l, kind.as_str()))}</div> }.into_any(),
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
                    view! { <p class="ok" id="copy-check" role="status">{t(Text::NoOtherFile)}</p> }.into_any()
                } else {
                    let names = copies.iter().map(|c| c.file_name.clone()).collect::<Vec<_>>().join(", ");
                    view! { <p class="warn" id="copy-check" role="status">{tr(move |l| i18n::exact_copy_of(l, &names))}</p> }.into_any()
                }}
                <RegistryCheck file=file.clone() />
                <MintForm file=file default_title=title_from(&item.file_name) accounts=accounts open_work=open_work />
            </div>
        </div>
    }
}

/// The copy check against every registered work: exact bytes, then near copies side by side.
#[component]
fn RegistryCheck(file: FileToken) -> impl IntoView {
    let report = LocalResource::new(move || {
        let request = FileRequest { file: file.clone() };
        async move { api::invoke::<commands::CopyCheck>(&request).await }
    });
    view! {
        <div class="registry-check" id="registry-check" aria-live="polite">
            {move || match report.get() {
                None => view! { <p class="muted">{t(Text::ComparingRegistered)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(r)) => view! { <RegistryVerdict report=r /> }.into_any(),
            }}
        </div>
    }
}

/// What the copy check found: already registered, nothing alike, or near copies.
#[component]
fn RegistryVerdict(report: CopyCheckReport) -> impl IntoView {
    let r = report;
    if let (None, Some(reason)) = (&r.exact, r.unchecked.clone()) {
        return view! {
            <p class="warn" id="registry-unchecked">{tr(move |l| i18n::registry_unchecked(l, &reason))}</p>
        }
        .into_any();
    }
    match (r.exact.clone(), r.near.is_empty()) {
        (Some(work), _) => view! {
            <p class="warn" id="registry-exact">{tr(move |l| i18n::already_registered(l, work.work_id))}</p>
        }
        .into_any(),
        (None, true) => view! {
            <p class="ok" id="registry-clear">{tr(move |l| match r.quality {
                Some(q) => i18n::registry_clear_image(l, r.compared, q),
                None => i18n::registry_clear_exact(l, r.compared),
            })}</p>
        }
        .into_any(),
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
            }
            .into_any()
        }
    }
}

/// A title from a file name: `sunrise-over-sea.png` → `sunrise over sea`.
fn title_from(file_name: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    stem.replace(['-', '_'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_a_percentage_of_the_stage() {
        assert_eq!(percent(25, 100), 25.0);
        assert_eq!(percent(100, 100), 100.0);
        assert_eq!(percent(0, 0), 100.0, "an empty file is done at once");
    }

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(title_from("sunrise-over_sea.png"), "sunrise over sea");
        assert_eq!(title_from("noext"), "noext");
    }
}
