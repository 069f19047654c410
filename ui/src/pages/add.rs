//! The "Add a work" page: the first step of minting. A file (dropped on the window or typed as a
//! path) is sniffed, checked, hashed and stored; the page shows its content address and any
//! exact copy already in the library.

use hallmark_api::{
    AttributeInput, CopyCheckReport, ErrorCode, IngestProgress, IngestReport, IngestRequest,
    MintProgress, MintStage, MintWorkReport, MintWorkRequest, PathRequest, ShareInput, commands,
    events, media_url,
};
use leptos::prelude::*;

use super::matches::MatchGrid;
use crate::i18n::{self, Text, t, tr, use_lang};
use crate::{api, format};

/// The ingest form, its progress and its result.
#[component]
pub fn AddPage(
    dropped: RwSignal<(u32, String)>,
    on_added: impl Fn() + Copy + Send + Sync + 'static,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let path = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let job = RwSignal::new(String::new());
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
        let id = api::job_id("ingest");
        job.set(id.clone());
        leptos::task::spawn_local(async move {
            let outcome = api::invoke_job::<commands::IngestFile>(&request, &id).await;
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
                <div class="progress-row">
                    <ProgressBar progress=progress />
                    <button id="ingest-cancel" type="button" on:click=move |_| api::cancel(job.get_untracked())>
                        {t(Text::Cancel)}
                    </button>
                </div>
            </Show>
            {move || result.get().map(|outcome| match outcome {
                Ok(report) => view! { <Report report=report path=path.get_untracked() open_work=open_work /> }.into_any(),
                Err(e) => view! {
                    <div class="error-box" id="ingest-error">
                        <strong>{e.message.clone()}</strong>
                        <span class="mono small">{e.code.as_str()}</span>
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
        Some(p) => i18n::progress(
            l,
            p.stage.as_str(),
            &format::bytes(p.done),
            &format::bytes(p.total),
        ),
    });
    view! {
        <div class="progress" id="ingest-progress">
            <div class="bar" style:width=move || format!("{:.0}%", percent())></div>
            <span>{label}</span>
        </div>
    }
}

#[component]
fn Report(
    report: IngestReport,
    path: String,
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
                    view! { <p class="ok" id="copy-check">{t(Text::NoOtherFile)}</p> }.into_any()
                } else {
                    let names = copies.iter().map(|c| c.file_name.clone()).collect::<Vec<_>>().join(", ");
                    view! { <p class="warn" id="copy-check">{tr(move |l| i18n::exact_copy_of(l, &names))}</p> }.into_any()
                }}
                <RegistryCheck path=path.clone() />
                <MintForm path=path default_title=title_from(&item.file_name) open_work=open_work />
            </div>
        </div>
    }
}

/// The copy check against every registered work: exact bytes, then near copies side by side.
#[component]
fn RegistryCheck(path: String) -> impl IntoView {
    let report = RwSignal::new(None::<Result<CopyCheckReport, hallmark_api::ApiError>>);
    leptos::task::spawn_local(async move {
        let request = PathRequest { path };
        let answer = api::invoke::<commands::CopyCheck>(&request).await;
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

/// The steps of a mint, in order, as the shell names them.
const MINT_STAGES: [(MintStage, Text); 4] = [
    (MintStage::Ingest, Text::StageIngest),
    (MintStage::CopyCheck, Text::StageCopyCheck),
    (MintStage::Upload, Text::StageUpload),
    (MintStage::Register, Text::StageRegister),
];

/// One editable row of a two-field list (attributes, co-creators).
type Row = (u32, RwSignal<String>, RwSignal<String>);

fn add_row(rows: RwSignal<Vec<Row>>) {
    rows.update(|r| {
        let id = r.last().map_or(0, |last| last.0 + 1);
        r.push((
            id,
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
        ));
    });
}

/// A percentage typed by the user (`25`, `12.5`) in basis points, if it is one.
fn percent_to_bps(text: &str) -> Option<u16> {
    let percent: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0)
        .contains(&percent)
        .then(|| (percent * 100.0).round() as u16)
}

/// Step two: the work's details (title, description, licence, attributes, editions, royalty and
/// co-creator splits), a summary to confirm, then registration on-chain, signed in the Rust
/// core, with each step shown and a cancel button until the transaction is sent.
#[component]
fn MintForm(
    path: String,
    default_title: String,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
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
    let attributes = RwSignal::new(Vec::<Row>::new());
    let co_creators = RwSignal::new(Vec::<Row>::new());
    let confirming = RwSignal::new(None::<MintWorkRequest>);
    let busy = RwSignal::new(false);
    let job = RwSignal::new(String::new());
    let stage = RwSignal::new(None::<MintProgress>);
    let outcome = RwSignal::new(None::<Result<MintWorkReport, hallmark_api::ApiError>>);
    api::listen::<MintProgress>(events::MINT_PROGRESS, move |p| {
        if p.job.as_deref() == Some(job.get_untracked().as_str()) {
            stage.set(Some(p));
        }
    });

    let request = move || MintWorkRequest {
        path: path.clone(),
        title: title.get_untracked(),
        description: description.get_untracked(),
        licence: licence.get_untracked(),
        editions: editions.get_untracked().trim().parse().unwrap_or(0),
        royalty_bps: percent_to_bps(&royalty.get_untracked()).unwrap_or(u16::MAX),
        attributes: attributes
            .get_untracked()
            .into_iter()
            .map(|(_, name, value)| AttributeInput {
                name: name.get_untracked(),
                value: value.get_untracked(),
            })
            .collect(),
        co_creators: co_creators
            .get_untracked()
            .into_iter()
            .filter(|(_, address, _)| !address.get_untracked().trim().is_empty())
            .map(|(_, address, share)| ShareInput {
                address: address.get_untracked().trim().to_owned(),
                bps: percent_to_bps(&share.get_untracked()).unwrap_or(0),
            })
            .collect(),
    };
    let registered = move || outcome.with(|o| matches!(o, Some(Ok(_))));
    let review = move || {
        if !busy.get_untracked() {
            outcome.set(None);
            confirming.set(Some(request()));
        }
    };
    let sign = move || {
        let Some(request) = confirming.get_untracked() else {
            return;
        };
        let id = api::job_id("mint");
        job.set(id.clone());
        stage.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::invoke_job::<commands::MintWork>(&request, &id).await;
            // A registered work keeps its summary with every step done; otherwise back to the form.
            if result.is_err() {
                confirming.set(None);
            }
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
        <form class="mintform" on:submit=move |ev| { ev.prevent_default(); review(); }>
            <h3>{t(Text::RegisterOnChain)}</h3>
            {field(Text::Title, "mint-title", title)}
            {field(Text::Description, "mint-description", description)}
            {field(Text::Licence, "mint-licence", licence)}
            <div class="pair">
                {field(Text::EditionsField, "mint-editions", editions)}
                {field(Text::RoyaltyField, "mint-royalty", royalty)}
            </div>
            <RowList rows=attributes id="mint-attributes" legend=Text::Attributes
                first=Text::AttributeName second=Text::AttributeValue add=Text::AddAttribute />
            <RowList rows=co_creators id="mint-co-creators" legend=Text::CoCreators
                first=Text::CoCreatorAddress second=Text::CoCreatorShare add=Text::AddCoCreator />
            <Show when=move || confirming.with(Option::is_none) && !registered()>
                <button id="mint-button" class="primary" type="submit">{t(Text::ReviewAndSign)}</button>
            </Show>
            {move || confirming.get().map(|r| view! {
                <MintSummary request=r busy=busy stage=stage done=Signal::derive(registered)
                    on_sign=sign
                    on_back=move || confirming.set(None)
                    on_cancel=move || api::cancel(job.get_untracked()) />
            })}
            {move || outcome.get().map(|o| match o {
                Ok(r) => {
                    let token: Option<u64> = r.token_id.parse().ok();
                    view! {
                        <div class="ok" id="mint-result">
                            <p>{tr(move |l| i18n::registered_as(l, &r.work_id, &r.token_id, r.block_number, r.elapsed_ms))}</p>
                            <p class="mono small">{tr(move |l| i18n::tx(l, &r.tx_hash))}</p>
                            {token.map(|token| view! {
                                <button id="mint-open-work" type="button" on:click=move |_| open_work(token)>{t(Text::OpenWork)}</button>
                            })}
                        </div>
                    }.into_any()
                }
                Err(e) if matches!(e.code, ErrorCode::ReviewSubmitted | ErrorCode::ReviewPending) => view! {
                    <div class="notice" id="mint-review">
                        <strong>{t(Text::SentToReview)}</strong>{e.message.clone()}
                    </div>
                }.into_any(),
                Err(e) if e.code == ErrorCode::JobCancelled => view! {
                    <div class="notice" id="mint-cancelled">{t(Text::MintCancelled)}</div>
                }.into_any(),
                Err(e) => view! {
                    <div class="error-box" id="mint-error">
                        <strong>{e.message.clone()}</strong>
                        <span class="mono small">{e.code.as_str()}</span>
                    </div>
                }.into_any(),
            })}
        </form>
    }
}

/// A list of two-field rows with an "add" and a "remove" button per row.
#[component]
fn RowList(
    rows: RwSignal<Vec<Row>>,
    id: &'static str,
    legend: Text,
    first: Text,
    second: Text,
    add: Text,
) -> impl IntoView {
    view! {
        <fieldset class="rows" id=id>
            <legend>{t(legend)}</legend>
            <For each=move || rows.get() key=|row| row.0 let:row>
                <div class="entry">
                    <input type="text" class="row-first" aria-label=t(first) placeholder=t(first)
                        prop:value=move || row.1.get() on:input=move |ev| row.1.set(event_target_value(&ev)) />
                    <input type="text" class="row-second" aria-label=t(second) placeholder=t(second)
                        prop:value=move || row.2.get() on:input=move |ev| row.2.set(event_target_value(&ev)) />
                    <button type="button" class="remove" aria-label=t(Text::Remove) title=t(Text::Remove)
                        on:click=move |_| rows.update(|r| r.retain(|x| x.0 != row.0))>"×"</button>
                </div>
            </For>
            <button type="button" class="add-row" on:click=move |_| add_row(rows)>{t(add)}</button>
        </fieldset>
    }
}

/// What will be signed, in plain words, then the steps of the mint as they happen.
#[component]
fn MintSummary(
    request: MintWorkRequest,
    busy: RwSignal<bool>,
    stage: RwSignal<Option<MintProgress>>,
    done: Signal<bool>,
    on_sign: impl Fn() + Copy + Send + Sync + 'static,
    on_back: impl Fn() + Copy + Send + Sync + 'static,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let shared: u32 = request.co_creators.iter().map(|c| u32::from(c.bps)).sum();
    let creator_share = 10_000u32.saturating_sub(shared);
    let royalty = format::percent_bps(u32::from(request.royalty_bps));
    let editions = request.editions;
    let title = request.title.clone();
    let licence = request.licence.clone();
    let attributes = request.attributes.clone();
    let co_creators = request.co_creators.clone();
    let reached = move |name: MintStage| {
        let at = stage.with(|s| s.as_ref().map(|p| p.stage));
        let order = |n: MintStage| MINT_STAGES.iter().position(|(s, _)| *s == n);
        match (at.and_then(order), order(name)) {
            (Some(current), Some(this)) if this < current => "done",
            (Some(current), Some(this)) if this == current => "active",
            _ if at == Some(MintStage::Done) || done.get() => "done",
            _ => "waiting",
        }
    };
    let cancellable = move || stage.with(|s| s.as_ref().is_none_or(|p| p.cancellable));
    view! {
        <div class="confirm" id="mint-confirm">
            <h4>{t(Text::ConfirmMint)}</h4>
            <dl>
                <dt>{t(Text::Title)}</dt><dd>{title}</dd>
                <dt>{t(Text::EditionsField)}</dt><dd>{editions}</dd>
                <dt>{t(Text::Licence)}</dt><dd>{licence}</dd>
                <dt>{t(Text::RoyaltyField)}</dt><dd>{royalty}</dd>
                <dt>{t(Text::RoyaltySplit)}</dt>
                <dd>
                    <div>{tr(move |l| i18n::creator_share(l, &format::percent_bps(creator_share)))}</div>
                    {co_creators.into_iter().map(|c| {
                        let share = format::percent_bps(u32::from(c.bps));
                        view! { <div class="mono small">{format!("{} · {share}", c.address)}</div> }
                    }).collect_view()}
                </dd>
                {(!attributes.is_empty()).then(|| view! {
                    <dt>{t(Text::Attributes)}</dt>
                    <dd>{attributes.into_iter().filter(|a| !a.name.trim().is_empty()).map(|a| view! {
                        <div>{format!("{}: {}", a.name, a.value)}</div>
                    }).collect_view()}</dd>
                })}
            </dl>
            <p class="muted small">{t(Text::MintSignNote)}</p>
            <Show when=move || busy.get() || done.get() fallback=move || view! {
                <div class="actions">
                    <button id="mint-sign" class="primary" type="button" on:click=move |_| on_sign()>{t(Text::SignAndRegister)}</button>
                    <button id="mint-back" type="button" on:click=move |_| on_back()>{t(Text::Back)}</button>
                </div>
            }>
                <ol class="stages" id="mint-stages">
                    {MINT_STAGES.into_iter().map(|(name, label)| view! {
                        <li class=move || reached(name)>{t(label)}</li>
                    }).collect_view()}
                </ol>
                <Show when=move || busy.get()>
                    <button id="mint-cancel" type="button" disabled=move || !cancellable() on:click=move |_| on_cancel()>
                        {tr(move |l| if cancellable() { Text::Cancel } else { Text::TooLateToCancel }.text(l).into())}
                    </button>
                </Show>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_percentages_become_basis_points() {
        assert_eq!(percent_to_bps("25"), Some(2500));
        assert_eq!(percent_to_bps(" 12.5 % "), Some(1250));
        assert_eq!(percent_to_bps("0"), Some(0));
        assert_eq!(percent_to_bps("100"), Some(10_000));
        for bad in ["", "-1", "100.5", "ten", "NaN"] {
            assert_eq!(percent_to_bps(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(title_from("sunrise-over_sea.png"), "sunrise over sea");
        assert_eq!(title_from("noext"), "noext");
    }
}
