//! Mints a crash, a forced quit or a lost connection interrupted: each with what it had done,
//! "Resume" (signed by the active account) and, when nothing was signed, "Discard". Shown only
//! when there are some.

use hallmark_api::{MintStep, UnfinishedMintsRequest, commands};
use leptos::prelude::*;

use super::ErrorBox;
use crate::i18n::{self, Text, t, tr};
use crate::{api, format};

/// The unfinished mints of this data folder.
#[component]
pub fn UnfinishedMintsCard() -> impl IntoView {
    let unfinished = |request: UnfinishedMintsRequest| async move {
        api::invoke::<commands::UnfinishedMints>(&request).await
    };
    // The mints as last answered: listed on opening, then after each resume or discard.
    let listed = LocalResource::new(move || unfinished(UnfinishedMintsRequest::List));
    let act =
        Action::new_local(move |request: &UnfinishedMintsRequest| unfinished(request.clone()));
    let (busy, answer) = (act.pending(), act.value());
    Effect::new(move |_| {
        if let Some(Ok(report)) = answer.get() {
            listed.set(Some(Ok(report)));
        }
    });
    let send = move |request: UnfinishedMintsRequest| {
        if !busy.get_untracked() {
            act.dispatch(request);
        }
    };
    let report = move || listed.get().and_then(Result::ok);
    // The last answer's error (a later success clears it).
    let error = move || match answer.get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => listed.get().and_then(Result::err),
    };
    let resumed = move || report().and_then(|r| r.resumed);
    let visible = move || {
        report().is_some_and(|r| !r.mints.is_empty() || r.resumed.is_some()) || error().is_some()
    };
    view! {
        <Show when=visible>
            <div class="card unfinished" id="unfinished-mints">
                <h2>{t(Text::UnfinishedMints)}</h2>
                <p class="muted small">{t(Text::UnfinishedMintsLede)}</p>
                {move || error().map(|e| view! { <ErrorBox error=e id="unfinished-error" /> })}
                {move || resumed().map(|done| {
                    let (work, block) = (done.work_id.clone(), done.block_number);
                    view! { <p class="ok" id="unfinished-resumed" role="status">{tr(move |l| i18n::resumed_mint(l, &work, block))}</p> }
                })}
                <ul class="unfinished-lines">
                    {move || report().map(|r| r.mints).unwrap_or_default().into_iter().map(|mint| {
                        let signed = mint.step == MintStep::Signed;
                        let step = if signed { Text::StepSigned } else { Text::StepPrepared };
                        let when = format::utc(mint.updated_at);
                        let (resume_sha, discard_sha) = (mint.content_sha256.clone(), mint.content_sha256.clone());
                        view! {
                            <li class="unfinished-line">
                                <strong>{mint.title.clone()}</strong>
                                <span class="status-tag">{t(step)}</span>
                                <span class="mono small">{mint.path.clone()}</span>
                                <span class="muted small">{tr(move |l| i18n::started_at(l, &when))}</span>
                                {mint.tx_hash.clone().map(|tx| view! { <span class="mono small">{tr(move |l| i18n::tx(l, &tx))}</span> })}
                                <div class="actions">
                                    <button class="primary unfinished-resume" type="button" disabled=move || busy.get()
                                        on:click=move |_| send(UnfinishedMintsRequest::Resume { content_sha256: resume_sha.clone() })>
                                        {t(Text::ResumeMint)}
                                    </button>
                                    {(!signed).then(|| view! {
                                        <button class="unfinished-discard" type="button" disabled=move || busy.get()
                                            on:click=move |_| send(UnfinishedMintsRequest::Discard { content_sha256: discard_sha.clone() })>
                                            {t(Text::DiscardMint)}
                                        </button>
                                    })}
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}
