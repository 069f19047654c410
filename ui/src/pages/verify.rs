//! The Verify page: an evidence bundle gets its report check by check (offline, then against
//! the chain); a media file gets "who registered it, when, who holds it", then near copies.

use hallmark_api::{
    BundleConclusion, BundleReport, CheckStatus, ChosenFile, FilePurpose, FileReport,
    VerifyOutcome, VerifyRequest, commands, media_url,
};
use leptos::prelude::*;

use super::matches::MatchGrid;
use super::{ChooseFile, Dropped, ErrorBox};
use crate::i18n::{self, Text, t, tr};
use crate::{api, format};

/// The page.
#[component]
pub fn VerifyPage(dropped: Dropped) -> impl IntoView {
    let chosen = RwSignal::new(None::<ChosenFile>);
    let challenge = RwSignal::new(String::new());
    let verify = Action::new_local(|request: &VerifyRequest| {
        let request = request.clone();
        async move { api::invoke::<commands::Verify>(&request).await }
    });
    let (busy, result) = (verify.pending(), verify.value());
    let run = move || {
        let Some(file) = chosen.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let request = VerifyRequest {
            file: file.token,
            challenge: Some(challenge.get_untracked()).filter(|c| !c.trim().is_empty()),
        };
        verify.clear();
        verify.dispatch(request);
    };
    super::take_dropped_files(dropped, move |file| {
        chosen.set(Some(file));
        run();
    });
    view! {
        <section class="page">
            <h1>{t(Text::Verify)}</h1>
            <p class="lede">{t(Text::VerifyLede)}</p>
            <div class="dropzone">
                <div class="drop-hint">{t(Text::DropBundle)}</div>
                <form class="pathform" on:submit=move |ev| { ev.prevent_default(); run(); }>
                    <ChooseFile id="verify-choose" purpose=FilePurpose::Verify chosen=chosen on_chosen=run disabled=busy />
                    <input id="verify-challenge" class="narrow" type="text" inputmode="numeric" placeholder=t(Text::ChallengeOptional) aria-label=t(Text::Challenge)
                        prop:value=move || challenge.get() on:input=move |ev| challenge.set(event_target_value(&ev)) />
                    <button id="verify-button" class="primary" type="submit" disabled=move || busy.get() || chosen.with(Option::is_none)>
                        {tr(move |l| if busy.get() { Text::Checking } else { Text::Verify }.text(l).into())}
                    </button>
                </form>
            </div>
            {move || result.get().map(|outcome| match outcome {
                Ok(VerifyOutcome::Bundle(report)) => view! { <Bundle report=report /> }.into_any(),
                Ok(VerifyOutcome::File(report)) => view! { <File report=report /> }.into_any(),
                Err(e) => view! { <ErrorBox error=e id="verify-error" /> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Bundle(report: BundleReport) -> impl IntoView {
    let failed = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .count();
    let unanswered = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Unanswered)
        .map(|c| c.id.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let conclusion = report.conclusion;
    let consortium = report.consortium.clone().unwrap_or_default();
    let class = match conclusion {
        BundleConclusion::Verified => "verdict ok",
        BundleConclusion::PartlyVerified | BundleConclusion::Consistent => "verdict warn",
        BundleConclusion::NotThisConsortium | BundleConclusion::Failed => "verdict bad",
    };
    let verdict = tr(move |l| match conclusion {
        BundleConclusion::Verified => i18n::verified_on(l, &consortium),
        BundleConclusion::PartlyVerified => i18n::partly_verified_on(l, &consortium, &unanswered),
        BundleConclusion::Consistent => Text::ConsistentOnly.text(l).to_owned(),
        BundleConclusion::NotThisConsortium => i18n::not_from(l, &consortium),
        BundleConclusion::Failed => i18n::not_verified(l, failed),
    });
    let title = report.title.clone();
    view! {
        <div class=class id="verify-verdict" role="status">{verdict}</div>
        <div class="card">
            <h2>{tr(move |l| title.clone().unwrap_or_else(|| Text::Untitled.text(l).to_owned()))}</h2>
            <div class="row"><span class="label">{t(Text::Token)}</span><span class="mono">{report.token_id.clone().unwrap_or_default()}</span></div>
            <div class="row"><span class="label">{t(Text::Holder)}</span><span class="mono">{report.holder.clone().unwrap_or_default()}</span></div>
            <div class="row"><span class="label">{t(Text::Creator)}</span><span class="mono">{report.creator.clone().unwrap_or_default()}</span></div>
            <div class="row"><span class="label">{t(Text::RegisteredAt)}</span><span class="mono">{report.registered_at.map(format::utc).unwrap_or_default()}</span></div>
            <div class="row"><span class="label">{t(Text::BundleSha)}</span><span class="mono">{report.bundle_sha256.clone().unwrap_or_default()}</span></div>
        </div>
        <table class="checks" id="verify-checks">
            <tbody>
                {report.checks.into_iter().map(|c| view! {
                    <tr class=c.status.as_str()>
                        <td class="status">{match c.status { CheckStatus::Pass => "✓", CheckStatus::Fail => "✗", CheckStatus::Skip => "–", CheckStatus::Unanswered => "?" }}</td>
                        <td><strong>{c.title}</strong><span class="mono small muted">{c.id}</span></td>
                        <td class="small">{c.detail}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn File(report: FileReport) -> impl IntoView {
    let near = report.near.clone();
    view! {
        {match report.exact.clone() {
            Some(work) => {
                let picture = work.thumbnail_cid.as_deref().map(media_url);
                let (work_id, title) = (work.work_id, work.title.clone());
                let registered = format::utc(work.registered_at);
                let block = report.registration.as_ref().map(|r| r.0).unwrap_or_default();
                view! {
                    <div class="verdict ok" id="verify-verdict" role="status">{tr(move |l| i18n::registered_work(l, work_id))}</div>
                    <div class="result">
                        <div class="preview">{picture.map(|url| view! { <img src=url alt=t(Text::RegisteredWork) /> })}</div>
                        <div class="facts">
                            <h2>{tr(move |l| title.clone().unwrap_or_else(|| Text::Untitled.text(l).to_owned()))}</h2>
                            <div class="row"><span class="label">{t(Text::Creator)}</span><span class="mono">{work.creator.clone()}</span></div>
                            <div class="row"><span class="label">{t(Text::Issuer)}</span><span class="mono">{report.issuer.clone().unwrap_or_default()}</span></div>
                            <div class="row"><span class="label">{t(Text::RegisteredAt)}</span><span class="mono">{tr(move |l| i18n::date_at_block(l, &registered, block))}</span></div>
                            <div class="row"><span class="label">{t(Text::Transaction)}</span><span class="mono">{report.registration.clone().map(|r| r.1).unwrap_or_default()}</span></div>
                            <div class="row"><span class="label">"sha-256"</span><span class="mono">{report.sha256.clone()}</span></div>
                            {report.holders.iter().map(|(token, holder)| {
                                let (token, holder) = (*token, holder.clone());
                                view! {
                                    <div class="row">
                                        <span class="label">{tr(move |l| i18n::token_no(l, token))}</span>
                                        <span class="mono">{tr(move |l| i18n::held_by(l, &holder))}</span>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </div>
                }.into_any()
            }
            None => view! {
                <div class="verdict neutral" id="verify-verdict" role="status">{t(Text::NotRegistered)}</div>
                <p class="muted mono small">{format!("sha-256 {}", report.sha256)}</p>
                {report.note.clone().map(|n| view! { <p class="note">{tr(move |l| i18n::only_exact_checked(l, &n))}</p> })}
            }.into_any(),
        }}
        {(!near.is_empty()).then(|| view! {
            <h2>{t(Text::LooksLike)}</h2>
            <MatchGrid matches=near id="verify-near" />
        })}
        {(report.near.is_empty() && report.exact.is_none()).then_some(report.quality).flatten().map(|quality| view! {
            <p class="ok" id="verify-no-near">{tr(move |l| i18n::verify_no_near(l, quality))}</p>
        })}
    }
}
