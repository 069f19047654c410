//! The Review page: near-copy mints waiting for a reviewer, each beside the registered works it
//! resembles, with approve / reject and a reason that is kept on the chain.

use hallmark_api::{
    AccountInfo, ReviewDecisionRequest, ReviewItem, ReviewQueueRequest, commands, media_url,
};
use leptos::prelude::*;
use serde::Serialize;

use super::matches::MatchGrid;
use crate::{api, format};

#[derive(Serialize)]
struct QueueArgs {
    request: ReviewQueueRequest,
}

#[derive(Serialize)]
struct DecideArgs<'a> {
    request: &'a ReviewDecisionRequest,
}

/// The page.
#[component]
pub fn ReviewPage(version: RwSignal<u32>, accounts: RwSignal<Vec<AccountInfo>>) -> impl IntoView {
    let only_pending = RwSignal::new(true);
    let items = RwSignal::new(None::<Result<Vec<ReviewItem>, hallmark_api::ApiError>>);
    Effect::new(move |_| {
        version.track();
        let status = only_pending.get().then(|| "pending".to_owned());
        leptos::task::spawn_local(async move {
            let answer = api::call::<_, Vec<ReviewItem>>(
                commands::REVIEW_QUEUE,
                &QueueArgs {
                    request: ReviewQueueRequest { status },
                },
            )
            .await;
            items.set(Some(answer));
        });
    });
    let reviewer = move || {
        accounts.with(|a| {
            a.iter()
                .find(|x| x.active)
                .is_some_and(|x| x.roles.iter().any(|r| r == "reviewer"))
        })
    };
    view! {
        <section class="page">
            <div class="page-head">
                <h1>"Review"</h1>
                <label class="check">
                    <input id="review-only-pending" type="checkbox" prop:checked=move || only_pending.get()
                        on:change=move |ev| only_pending.set(event_target_checked(&ev)) />
                    "Pending only"
                </label>
            </div>
            <p class="lede">"Mints that look like registered works wait here for a consortium reviewer. Nothing is blocked silently: CC0 works and licensed remixes are legitimate. Approve or reject with a reason; the decision and reason are kept on the chain."</p>
            {move || (!reviewer()).then(|| view! { <p class="note" id="review-not-reviewer">"Switch to a reviewer account to decide."</p> })}
            {move || match items.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="review-empty">"The queue is empty."</p> }.into_any(),
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
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<Result<String, String>>);
    let decide = move |approve: bool| {
        let request = ReviewDecisionRequest {
            request_id: id,
            approve,
            reason: reason.get_untracked(),
        };
        if request.reason.trim().is_empty() {
            message.set(Some(Err("Give a reason: it is kept on the chain.".into())));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome =
                api::call::<_, ()>(commands::REVIEW_DECIDE, &DecideArgs { request: &request })
                    .await;
            message.set(Some(match outcome {
                Ok(()) => Ok(format!(
                    "{} — the queue updates as the chain confirms it.",
                    if approve { "Approved" } else { "Rejected" }
                )),
                Err(e) => Err(e.message),
            }));
            busy.set(false);
        });
    };
    let picture = item.thumbnail_cid.as_deref().map(media_url);
    let title = item
        .title
        .clone()
        .unwrap_or_else(|| "(metadata not fetched yet)".into());
    let pending = item.status == "pending";
    view! {
        <div class="review card" id=format!("review-{id}")>
            <div class="review-head">
                <strong>{format!("Request {id}")}</strong>
                <span class=format!("tag {}", match item.status.as_str() { "approved" => "ok", "rejected" => "bad", "pending" => "warn", _ => "" })>{item.status.clone()}</span>
                <span class="muted small">{format!("submitted {} by issuer {}", format::utc(item.submitted_at), format::address(&item.issuer))}</span>
            </div>
            <div class="review-body">
                <div class="candidate">
                    {match picture {
                        Some(url) => view! { <img src=url alt=title.clone() /> }.into_any(),
                        None => view! { <div class="placeholder">"no picture yet"</div> }.into_any(),
                    }}
                    <strong>{title}</strong>
                    <span class="muted small">{format!("by {}", format::address(&item.creator))}</span>
                </div>
                <div class="vs">"looks like"</div>
                <MatchGrid matches=item.matches.clone() id="review-matches" />
            </div>
            {item.reason.clone().map(|r| view! { <p class="small">{format!("Decided by {}: {r}", item.decided_by.as_deref().map(format::address).unwrap_or_default())}</p> })}
            {(pending && can_decide).then(|| view! {
                <div class="trade-row">
                    <input id=format!("review-reason-{id}") type="text" placeholder="Reason (kept on the chain)" aria-label="Reason"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <button id=format!("review-approve-{id}") class="primary" disabled=move || busy.get() on:click=move |_| decide(true)>"Approve"</button>
                    <button id=format!("review-reject-{id}") class="danger" disabled=move || busy.get() on:click=move |_| decide(false)>"Reject"</button>
                </div>
            })}
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="ok" id=format!("review-done-{id}")>{text}</p> }.into_any(),
                Err(text) => view! { <p class="error">{text}</p> }.into_any(),
            })}
        </div>
    }
}
