//! The Review page: near-copy mints waiting for a reviewer, each beside the registered works it
//! resembles, with approve / reject and a reason that is kept on the chain.

use hallmark_api::{
    AccountInfo, ReviewDecisionRequest, ReviewItem, ReviewQueueRequest, ReviewStatus, Role,
    commands, media_url,
};
use leptos::prelude::*;

use super::matches::MatchGrid;
use crate::i18n::{self, Message, Text, t, tr};
use crate::{api, format};

/// The page.
#[component]
pub fn ReviewPage(version: RwSignal<u32>, accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    let only_pending = RwSignal::new(true);
    let items = LocalResource::new(move || {
        version.track();
        let status = only_pending.get().then_some(ReviewStatus::Pending);
        async move { api::invoke::<commands::ReviewQueue>(&ReviewQueueRequest { status }).await }
    });
    let reviewer = move || {
        accounts.with(|a| {
            a.iter()
                .find(|x| x.active)
                .is_some_and(|x| x.holds(Role::Reviewer))
        })
    };
    view! {
        <section class="page">
            <div class="page-head">
                <h1>{t(Text::Review)}</h1>
                <label class="check">
                    <input id="review-only-pending" type="checkbox" prop:checked=move || only_pending.get()
                        on:change=move |ev| only_pending.set(event_target_checked(&ev)) />
                    {t(Text::PendingOnly)}
                </label>
            </div>
            <p class="lede">{t(Text::ReviewLede)}</p>
            {move || (!reviewer()).then(|| view! { <p class="note" id="review-not-reviewer">{t(Text::NotReviewer)}</p> })}
            {move || match items.get() {
                None => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="review-empty">{t(Text::QueueEmpty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <div id="review-list">
                        {list.into_iter().map(|item| view! { <Request item=item can_decide=reviewer() /> }).collect_view()}
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Request(item: ReviewItem, can_decide: bool) -> impl IntoView {
    let id = item.request_id;
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<Text, Message>>);
    let send = Action::new_local(move |request: &ReviewDecisionRequest| {
        let request = request.clone();
        async move {
            let outcome = api::invoke::<commands::ReviewDecide>(&request).await;
            message.set(Some(match outcome {
                Ok(()) if request.approve => Ok(Text::ApprovedNote),
                Ok(()) => Ok(Text::RejectedNote),
                Err(e) => Err(Message::Raw(e.message)),
            }));
        }
    });
    let busy = send.pending();
    let decide = move |approve: bool| {
        let request = ReviewDecisionRequest {
            request_id: id,
            approve,
            reason: reason.get_untracked(),
        };
        if request.reason.trim().is_empty() {
            message.set(Some(Err(Message::Text(Text::GiveReason))));
            return;
        }
        send.dispatch(request);
    };
    let picture = item.thumbnail_cid.as_deref().map(media_url);
    let title = {
        let title = item.title.clone();
        tr(move |l| {
            title
                .clone()
                .unwrap_or_else(|| Text::MetadataNotFetched.text(l).to_owned())
        })
    };
    let pending = item.status == ReviewStatus::Pending;
    let status = item.status;
    let (submitted, issuer) = (
        format::utc(item.submitted_at),
        format::address(&item.issuer),
    );
    let creator = format::address(&item.creator);
    let decided_by = item
        .decided_by
        .as_deref()
        .map(format::address)
        .unwrap_or_default();
    view! {
        <div class="review card" id=format!("review-{id}")>
            <div class="review-head">
                <strong>{tr(move |l| i18n::request_no(l, id))}</strong>
                <span class=format!("tag {}", match item.status { ReviewStatus::Approved => "ok", ReviewStatus::Rejected => "bad", ReviewStatus::Pending => "warn", ReviewStatus::Withdrawn => "" })>
                    {tr(move |l| i18n::review_status(l, status.as_str()))}
                </span>
                <span class="muted small">{tr(move |l| i18n::submitted_by(l, &submitted, &issuer))}</span>
            </div>
            <div class="review-body">
                <div class="candidate">
                    {match picture {
                        Some(url) => view! { <img src=url alt=title /> }.into_any(),
                        None => view! { <div class="placeholder">{t(Text::NoPictureYet)}</div> }.into_any(),
                    }}
                    <strong>{title}</strong>
                    <span class="muted small">{tr(move |l| i18n::by(l, &creator))}</span>
                </div>
                <div class="vs">{t(Text::LooksLikeVs)}</div>
                <MatchGrid matches=item.matches.clone() id="review-matches" />
            </div>
            {item.reason.clone().map(|r| view! { <p class="small">{tr(move |l| i18n::decided_by(l, &decided_by, &r))}</p> })}
            {(pending && can_decide).then(|| view! {
                <div class="trade-row">
                    <input id=format!("review-reason-{id}") type="text" placeholder=t(Text::ReasonPlaceholder) aria-label=t(Text::Reason)
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <button id=format!("review-approve-{id}") class="primary" disabled=move || busy.get() on:click=move |_| decide(true)>{t(Text::Approve)}</button>
                    <button id=format!("review-reject-{id}") class="danger" disabled=move || busy.get() on:click=move |_| decide(false)>{t(Text::Reject)}</button>
                </div>
            })}
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="ok" id=format!("review-done-{id}") role="status">{t(text)}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{tr(move |l| text.text(l))}</p> }.into_any(),
            })}
        </div>
    }
}
