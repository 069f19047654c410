//! The Endorsements page: an artist's requests with their status (mint an endorsed one here, or
//! withdraw a pending one), and for an issuer the requests it may decide: examine the media and
//! its copies, then endorse (the artist has N days to mint) or decline with a reason.

use hallmark_api::{
    AccountInfo, EndorsementDecisionRequest, EndorsementExamination, EndorsementItem,
    EndorsementListRequest, EndorsementRequestId, EndorsementScope, EndorsementStatus, Role,
    commands, media_url,
};
use leptos::prelude::*;

use super::ErrorBox;

use super::matches::MatchGrid;
use crate::i18n::{self, Message, Text, t, tr};
use crate::{api, format};

/// The page.
#[component]
pub fn EndorsementsPage(
    version: RwSignal<u32>,
    accounts: RwSignal<Vec<AccountInfo>>,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let issuer = move || {
        accounts.with(|a| {
            a.iter()
                .find(|x| x.active)
                .is_some_and(|x| x.holds(Role::Issuer))
        })
    };
    let list = move |scope: EndorsementScope| {
        LocalResource::new(move || {
            version.track();
            // The list is the active account's: it follows a switch of account.
            accounts.track();
            async move { api::invoke::<commands::Endorsements>(&EndorsementListRequest { scope }).await }
        })
    };
    let mine = list(EndorsementScope::Mine);
    let to_decide = list(EndorsementScope::ToDecide);
    view! {
        <section class="page">
            <div class="page-head"><h1>{t(Text::Endorsements)}</h1></div>
            <p class="lede">{t(Text::EndorsementsLede)}</p>
            <h2>{t(Text::MyRequests)}</h2>
            {move || match mine.get() {
                None => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="endorse-mine-empty">{t(Text::NoRequests)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <div id="endorse-mine">
                        {list.into_iter().map(|item| view! { <Request item=item role=Side::Artist open_work=open_work /> }).collect_view()}
                    </div>
                }.into_any(),
            }}
            <h2>{t(Text::ToDecide)}</h2>
            {move || if !issuer() {
                view! { <p class="note" id="endorse-not-issuer">{t(Text::NotIssuerToDecide)}</p> }.into_any()
            } else {
                match to_decide.get() {
                    None => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="empty" id="endorse-decide-empty">{t(Text::NothingToDecide)}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <div id="endorse-decide">
                            {list.into_iter().map(|item| view! { <Request item=item role=Side::Issuer open_work=open_work /> }).collect_view()}
                        </div>
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// Which side of a request the page shows it for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Artist,
    Issuer,
}

fn status_class(status: EndorsementStatus) -> &'static str {
    match status {
        EndorsementStatus::Approved | EndorsementStatus::Registered => "ok",
        EndorsementStatus::Rejected => "bad",
        EndorsementStatus::Pending => "warn",
        EndorsementStatus::Withdrawn | EndorsementStatus::Expired => "",
    }
}

/// One request: what it asks, where it is, and what this side can do with it.
#[component]
fn Request(
    item: EndorsementItem,
    role: Side,
    open_work: impl Fn(u64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = item.request_id;
    let side = match role {
        Side::Artist => "mine",
        Side::Issuer => "decide",
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
    let status = item.status;
    let asked = format::utc(item.requested_at);
    let issuer = item.issuer.as_deref().map(format::address);
    let creator = format::address(&item.creator);
    let (editions, royalty) = (
        item.editions,
        format::percent_bps(u32::from(item.royalty_bps)),
    );
    let decided_by = item
        .decided_by
        .as_deref()
        .map(format::address)
        .unwrap_or_default();
    let outcome = match (status, item.deadline, item.reason.clone(), item.work_id) {
        (EndorsementStatus::Approved, Some(deadline), _, _) => {
            let until = format::utc(deadline);
            let by = decided_by.clone();
            Some(tr(move |l| i18n::endorsed_until(l, &by, &until)).into_any())
        }
        (EndorsementStatus::Rejected, _, Some(reason), _) => {
            let by = decided_by.clone();
            Some(tr(move |l| i18n::declined_by(l, &by, &reason)).into_any())
        }
        (EndorsementStatus::Registered, _, _, Some(work)) => {
            Some(tr(move |l| i18n::minted_as(l, work)).into_any())
        }
        _ => None,
    };
    view! {
        <div class="review card" id=format!("endorse-{side}-{id}")>
            <div class="review-head">
                <strong>{tr(move |l| i18n::request_no(l, id))}</strong>
                <span class=format!("tag {}", status_class(status)) id=format!("endorse-{side}-{id}-status")>
                    {tr(move |l| i18n::review_status(l, status.as_str()))}
                </span>
                <span class="muted small">{tr(move |l| {
                    let issuer = issuer.clone().unwrap_or_else(|| Text::AnyIssuer.text(l).to_owned());
                    i18n::asked_of(l, &asked, &issuer)
                })}</span>
            </div>
            <div class="review-body">
                <div class="candidate">
                    {match picture {
                        Some(url) => view! { <img src=url alt=title /> }.into_any(),
                        None => view! { <div class="placeholder">{t(Text::NoPictureYet)}</div> }.into_any(),
                    }}
                    <strong>{title}</strong>
                    <span class="muted small">{tr(move |l| i18n::by(l, &creator))}</span>
                    <span class="muted small">{tr(move |l| i18n::editions_royalty(l, editions, &royalty))}</span>
                </div>
                {(role == Side::Issuer && status == EndorsementStatus::Pending)
                    .then(|| view! { <Examine id=id /> })}
            </div>
            {outcome.map(|o| view! { <p class="small" id=format!("endorse-{side}-{id}-outcome")>{o}</p> })}
            {match (role, status, item.work_id) {
                (Side::Artist, EndorsementStatus::Approved, _) => Some(view! { <MintEndorsed id=id open_work=open_work /> }.into_any()),
                (Side::Artist, EndorsementStatus::Pending, _) => Some(view! { <WithdrawButton id=id /> }.into_any()),
                (_, EndorsementStatus::Registered, Some(work)) => Some(view! {
                    <div class="trade-row">
                        <button id=format!("endorse-open-work-{id}") type="button"
                            on:click=move |_| open_work(work * format::EDITION_BASE + 1)>{t(Text::OpenWork)}</button>
                    </div>
                }.into_any()),
                _ => None,
            }}
        </div>
    }
}

/// The issuer's examination of a pending request, then its decision.
#[component]
fn Examine(id: u64) -> impl IntoView {
    let examine = Action::new_local(move |_: &()| async move {
        api::invoke::<commands::EndorsementExamine>(&EndorsementRequestId { request_id: id }).await
    });
    let (busy, found) = (examine.pending(), examine.value());
    view! {
        <div class="examine">
            {move || match found.get() {
                None => view! {
                    <button id=format!("endorse-examine-{id}") type="button" disabled=move || busy.get()
                        on:click=move |_| { examine.dispatch(()); }>
                        {move || if busy.get() { t(Text::Loading)() } else { t(Text::Examine)() }}
                    </button>
                }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e id="endorse-examine-error" /> }.into_any(),
                Some(Ok(found)) => view! { <Examination found=found /> }.into_any(),
            }}
        </div>
    }
}

/// What the examination found, and the decision.
#[component]
fn Examination(found: EndorsementExamination) -> impl IntoView {
    let id = found.item.request_id;
    let roles = found.creator_roles.join(", ");
    let member = found
        .creator_roles
        .iter()
        .any(|r| r.starts_with("member") && r.contains("active"));
    let compared = found.compared;
    let reason = RwSignal::new(String::new());
    let days = RwSignal::new("14".to_owned());
    let message = RwSignal::new(None::<Result<Text, Message>>);
    let send = Action::new_local(move |request: &EndorsementDecisionRequest| {
        let request = request.clone();
        async move {
            let outcome = api::invoke::<commands::EndorsementDecide>(&request).await;
            message.set(Some(match outcome {
                Ok(_) if request.approve => Ok(Text::EndorsedNote),
                Ok(_) => Ok(Text::DeclinedNote),
                Err(e) => Err(Message::Raw(e.message)),
            }));
        }
    });
    let busy = send.pending();
    let decide = move |approve: bool| {
        let request = EndorsementDecisionRequest {
            request_id: id,
            approve,
            reason: reason.get_untracked(),
            valid_days: days.get_untracked().trim().parse().unwrap_or(0),
        };
        if !approve && request.reason.trim().is_empty() {
            message.set(Some(Err(Message::Text(Text::GiveReason))));
            return;
        }
        send.dispatch(request);
    };
    let done = move || message.with(|m| matches!(m, Some(Ok(_))));
    view! {
        <div class="examination" id=format!("endorse-examination-{id}")>
            <p class="ok small">{t(Text::MediaVerified)}</p>
            {if member {
                view! { <p class="small">{tr(move |l| i18n::artist_roles(l, &roles))}</p> }.into_any()
            } else {
                view! { <p class="warn small">{t(Text::ArtistNotMember)}</p> }.into_any()
            }}
            {if found.near.is_empty() {
                view! { <p class="ok small" id=format!("endorse-copies-{id}")>{tr(move |l| i18n::no_near_copy(l, compared))}</p> }.into_any()
            } else {
                let n = found.near.len();
                view! {
                    <p class="warn small" id=format!("endorse-copies-{id}")>{tr(move |l| i18n::looks_like_registered(l, n))}</p>
                    <MatchGrid matches=found.near.clone() id="endorse-matches" />
                }.into_any()
            }}
            <Show when=move || !done()>
                <div class="trade-row">
                    <label class="field compact">
                        <span>{t(Text::ValidDays)}</span>
                        <input id=format!("endorse-days-{id}") type="number" min="1" max="30"
                            prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev)) />
                    </label>
                    <button id=format!("endorse-approve-{id}") class="primary" disabled=move || busy.get() on:click=move |_| decide(true)>{t(Text::Endorse)}</button>
                </div>
                <div class="trade-row">
                    <input id=format!("endorse-reason-{id}") type="text" placeholder=t(Text::ReasonPlaceholder) aria-label=t(Text::Reason)
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    <button id=format!("endorse-reject-{id}") class="danger" disabled=move || busy.get() on:click=move |_| decide(false)>{t(Text::Decline)}</button>
                </div>
            </Show>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="ok" id=format!("endorse-done-{id}") role="status">{t(text)}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{tr(move |l| text.text(l))}</p> }.into_any(),
            })}
        </div>
    }
}

/// The artist mints an endorsed request from the media the consortium holds.
#[component]
fn MintEndorsed(id: u64, open_work: impl Fn(u64) + Copy + Send + Sync + 'static) -> impl IntoView {
    let mint = Action::new_local(move |_: &()| async move {
        let job = api::job_id("endorsed-mint");
        api::invoke_job::<commands::EndorsementMint>(&EndorsementRequestId { request_id: id }, &job)
            .await
    });
    let (busy, outcome) = (mint.pending(), mint.value());
    view! {
        {move || match outcome.get() {
            None => view! {
                <div class="trade-row">
                    <button id=format!("endorse-mint-{id}") class="primary" type="button" disabled=move || busy.get()
                        on:click=move |_| { mint.dispatch(()); }>
                        {move || if busy.get() { t(Text::Sending)() } else { t(Text::MintNow)() }}
                    </button>
                </div>
            }.into_any(),
            Some(Ok(r)) => {
                let token: Option<u64> = r.token_id.parse().ok();
                view! {
                    <div class="ok" id=format!("endorse-minted-{id}") role="status">
                        <p>{tr(move |l| i18n::registered_as(l, &r.work_id, &r.token_id, r.block_number, r.elapsed_ms))}</p>
                        {token.map(|token| view! {
                            <button id=format!("endorse-open-work-{id}") type="button" on:click=move |_| open_work(token)>{t(Text::OpenWork)}</button>
                        })}
                    </div>
                }.into_any()
            }
            Some(Err(e)) => view! { <ErrorBox error=e id="endorse-mint-error" /> }.into_any(),
        }}
    }
}

/// The artist withdraws a pending request.
#[component]
fn WithdrawButton(id: u64) -> impl IntoView {
    let withdraw = Action::new_local(move |_: &()| async move {
        api::invoke::<commands::EndorsementWithdraw>(&EndorsementRequestId { request_id: id }).await
    });
    let (busy, outcome) = (withdraw.pending(), withdraw.value());
    view! {
        {move || match outcome.get() {
            None => view! {
                <div class="trade-row">
                    <button id=format!("endorse-withdraw-{id}") type="button" disabled=move || busy.get()
                        on:click=move |_| { withdraw.dispatch(()); }>{t(Text::Withdraw)}</button>
                </div>
            }.into_any(),
            Some(Ok(_)) => view! { <p class="ok" role="status">{t(Text::WithdrawnNote)}</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e id="endorse-withdraw-error" /> }.into_any(),
        }}
    }
}
