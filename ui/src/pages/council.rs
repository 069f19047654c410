//! The Council page: every council proposal with what it does in words, its votes and its time
//! lock; council members propose, approve or reject, and anyone takes an approved proposal's next
//! step.

use hallmark_api::{
    CouncilActionView, CouncilAdvanceRequest, CouncilOverview, CouncilProposal,
    CouncilProposeRequest, CouncilVoteRequest, ProposalState, commands,
};
use leptos::prelude::*;

use crate::i18n::{self, Message, Text, t, tr};
use crate::{api, format};

/// Shows how a signed step went; on success the page reloads from the chain.
fn report<T>(
    outcome: Result<T, hallmark_api::ApiError>,
    done: Text,
    message: RwSignal<Option<Result<Text, Message>>>,
    changed: impl Fn(),
) {
    message.set(Some(match outcome {
        Ok(_) => {
            changed();
            Ok(done)
        }
        Err(e) => Err(Message::Raw(e.message)),
    }));
}

/// The page.
#[component]
pub fn CouncilPage(version: RwSignal<u32>) -> impl IntoView {
    let overview = LocalResource::new(move || {
        version.track();
        async move { api::invoke::<commands::CouncilOverview>(&()).await }
    });
    let changed = move || version.update(|v| *v += 1);
    view! {
        <section class="page">
            <div class="page-head"><h1>{t(Text::Council)}</h1></div>
            <p class="lede">{t(Text::CouncilLede)}</p>
            {move || match overview.get() {
                None => view! { <p class="muted">{t(Text::Loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(o)) => view! { <Overview overview=o changed=changed /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Overview(
    overview: CouncilOverview,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (seats, blocks, delay) = (
        overview.seats,
        overview.voting_blocks,
        overview.delay_seconds,
    );
    let has_seat = overview.has_seat;
    view! {
        <p class="muted small" id="council-settings">
            {tr(move |l| i18n::council_settings(l, seats, blocks, &i18n::duration(l, delay)))}
        </p>
        {if has_seat {
            view! { <ProposeForm changed=changed /> }.into_any()
        } else {
            view! { <p class="note" id="council-no-seat">{t(Text::CouncilNoSeat)}</p> }.into_any()
        }}
        {if overview.proposals.is_empty() {
            view! { <p class="empty" id="council-empty">{t(Text::NoProposals)}</p> }.into_any()
        } else {
            view! {
                <div id="council-proposals">
                    {overview.proposals.into_iter().map(|p| view! { <ProposalCard proposal=p has_seat=has_seat changed=changed /> }).collect_view()}
                </div>
            }.into_any()
        }}
    }
}

/// What the form proposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    MintCredit,
    AddSeat,
    RemoveSeat,
    Fee,
    Holding,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::MintCredit,
        Kind::AddSeat,
        Kind::RemoveSeat,
        Kind::Fee,
        Kind::Holding,
    ];

    fn key(self) -> &'static str {
        match self {
            Kind::MintCredit => "mint_credit",
            Kind::AddSeat => "add_seat",
            Kind::RemoveSeat => "remove_seat",
            Kind::Fee => "fee",
            Kind::Holding => "holding",
        }
    }

    fn label(self) -> Text {
        match self {
            Kind::MintCredit => Text::KindMintCredit,
            Kind::AddSeat => Text::KindAddSeat,
            Kind::RemoveSeat => Text::KindRemoveSeat,
            Kind::Fee => Text::KindFee,
            Kind::Holding => Text::KindHolding,
        }
    }

    /// The action from the form's fields, or what is missing.
    fn action(self, account: &str, amount: &str) -> Result<CouncilActionView, Text> {
        let account = account.trim().to_owned();
        let needs_account = !matches!(self, Kind::Holding);
        if needs_account && !(account.len() == 42 && account.starts_with("0x")) {
            return Err(Text::AccountField);
        }
        let number = amount.trim();
        Ok(match self {
            Kind::MintCredit => CouncilActionView::MintCredit {
                to: account,
                amount_cents: hallmark_api::credits::parse(number)
                    .filter(|c| *c > 0)
                    .and_then(|c| i64::try_from(c).ok())
                    .ok_or(Text::CreditsField)?,
            },
            Kind::AddSeat => CouncilActionView::AddCouncil { account },
            Kind::RemoveSeat => CouncilActionView::RemoveCouncil { account },
            Kind::Fee => {
                let percent: f64 = number.parse().map_err(|_| Text::FeeField)?;
                if !(0.0..=10.0).contains(&percent) {
                    return Err(Text::FeeField);
                }
                CouncilActionView::SetPlatformFee {
                    bps: (percent * 100.0).round() as u16,
                    treasury: account,
                }
            }
            Kind::Holding => {
                let days: u64 = number.parse().map_err(|_| Text::DaysField)?;
                CouncilActionView::SetHoldingPeriod {
                    seconds: days.saturating_mul(86_400),
                }
            }
        })
    }
}

#[component]
fn ProposeForm(changed: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let kind = RwSignal::new(Kind::MintCredit);
    let account = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<Text, Message>>);
    let send = Action::new_local(move |request: &CouncilProposeRequest| {
        let request = request.clone();
        async move {
            let outcome = api::invoke::<commands::CouncilPropose>(&request).await;
            report(outcome, Text::ProposedNote, message, changed);
        }
    });
    let busy = send.pending();
    let propose = move |_| match kind
        .get_untracked()
        .action(&account.get_untracked(), &amount.get_untracked())
    {
        Ok(action) => {
            send.dispatch(CouncilProposeRequest {
                action,
                note: note.get_untracked(),
            });
        }
        Err(field) => message.set(Some(Err(Message::Text(field)))),
    };
    let amount_label = move || match kind.get() {
        Kind::MintCredit => Some(Text::CreditsField),
        Kind::Fee => Some(Text::FeeField),
        Kind::Holding => Some(Text::DaysField),
        Kind::AddSeat | Kind::RemoveSeat => None,
    };
    let account_label = move || match kind.get() {
        Kind::Fee => Some(Text::TreasuryField),
        Kind::Holding => None,
        _ => Some(Text::AccountField),
    };
    view! {
        <div class="card" id="council-propose">
            <h2>{t(Text::ProposeTitle)}</h2>
            <div class="trade-row">
                <label>{t(Text::ChangeKind)}
                    <select id="council-kind" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(k) = Kind::ALL.into_iter().find(|k| k.key() == value) {
                            kind.set(k);
                        }
                    }>
                        {Kind::ALL.into_iter().map(|k| view! { <option value=k.key() selected=move || kind.get() == k>{t(k.label())}</option> }).collect_view()}
                    </select>
                </label>
                {move || account_label().map(|label| view! {
                    <input id="council-account" type="text" placeholder=t(label) aria-label=t(label)
                        prop:value=move || account.get() on:input=move |ev| account.set(event_target_value(&ev)) />
                })}
                {move || amount_label().map(|label| view! {
                    <input id="council-amount" type="text" inputmode="decimal" placeholder=t(label) aria-label=t(label)
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) />
                })}
            </div>
            <div class="trade-row">
                <input id="council-note" type="text" placeholder=t(Text::NoteField) aria-label=t(Text::NoteField)
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                <button id="council-propose-button" class="primary" disabled=move || busy.get() on:click=propose>{t(Text::Propose)}</button>
            </div>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="ok" id="council-proposed" role="status">{t(text)}</p> }.into_any(),
                Err(text) => view! { <p class="error" id="council-propose-error" role="alert">{tr(move |l| text.text(l))}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn ProposalCard(
    proposal: CouncilProposal,
    has_seat: bool,
    changed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = proposal.id;
    let state = proposal.state;
    let message = RwSignal::new(None::<Result<Text, Message>>);
    let seen = proposal.actions.clone();
    let vote = Action::new_local(move |approve: &bool| {
        let request = CouncilVoteRequest {
            id,
            approve: *approve,
            seen: seen.clone(),
        };
        async move {
            let outcome = api::invoke::<commands::CouncilVote>(&request).await;
            report(outcome, Text::VotedNote, message, changed);
        }
    });
    let advance = Action::new_local(move |_: &()| async move {
        let outcome = api::invoke::<commands::CouncilAdvance>(&CouncilAdvanceRequest { id }).await;
        report(outcome, Text::AdvancedNote, message, changed);
    });
    let busy = move || vote.pending().get() || advance.pending().get();
    let unknown = proposal
        .actions
        .iter()
        .any(|a| matches!(a, CouncilActionView::Unknown { .. }));
    let can_vote =
        has_seat && matches!(state, ProposalState::Active | ProposalState::Pending) && !unknown;
    let (approvals, needed, rejections) =
        (proposal.approvals, proposal.needed, proposal.rejections);
    let proposer = format::address(&proposal.proposer);
    let when = match state {
        ProposalState::Pending | ProposalState::Active => {
            let block = proposal.deadline_block;
            Some(tr(move |l| i18n::proposal_open_until(l, block)))
        }
        ProposalState::Queued => {
            let date = format::utc(proposal.ready_at);
            Some(tr(move |l| i18n::proposal_ready_at(l, &date)))
        }
        _ => None,
    };
    let tag = match state {
        ProposalState::Executed | ProposalState::Succeeded => "ok",
        ProposalState::Defeated | ProposalState::Canceled | ProposalState::Expired => "bad",
        ProposalState::Active | ProposalState::Pending | ProposalState::Queued => "warn",
    };
    let next = match state {
        ProposalState::Succeeded => Some(Text::PutInTimeLock),
        ProposalState::Queued => Some(Text::RunIt),
        _ => None,
    }
    .filter(|_| proposal.can_advance);
    let actions = proposal.actions.clone();
    view! {
        <div class="review card proposal" id=format!("proposal-{id}")>
            <div class="review-head">
                <strong>{tr(move |l| i18n::proposal_no(l, id))}</strong>
                <span class=format!("tag {tag}") id=format!("proposal-{id}-state")>{tr(move |l| i18n::proposal_state(l, state).to_owned())}</span>
                <span class="muted small">{tr(move |l| i18n::proposed_by(l, &proposer))}</span>
            </div>
            <ul class="proposal-actions" id=format!("proposal-{id}-actions")>
                {actions.into_iter().map(|a| view! { <li>{tr(move |l| i18n::council_action(l, &a))}</li> }).collect_view()}
            </ul>
            <p class="small" id=format!("proposal-{id}-votes")>
                {tr(move |l| i18n::proposal_votes(l, approvals, needed, rejections))}
                {when.map(|w| view! { " · " {w} })}
            </p>
            {unknown.then(|| view! { <p class="note">{t(Text::UnknownCallNote)}</p> })}
            {can_vote.then(|| view! {
                <div class="trade-row">
                    <button id=format!("proposal-{id}-approve") class="primary" disabled=busy on:click=move |_| { vote.dispatch(true); }>{t(Text::Approve)}</button>
                    <button id=format!("proposal-{id}-reject") class="danger" disabled=busy on:click=move |_| { vote.dispatch(false); }>{t(Text::Reject)}</button>
                </div>
            })}
            {next.map(|label| view! {
                <div class="trade-row">
                    <button id=format!("proposal-{id}-advance") class="primary" disabled=busy on:click=move |_| { advance.dispatch(()); }>{t(label)}</button>
                </div>
            })}
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="ok" id=format!("proposal-{id}-done") role="status">{t(text)}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert">{tr(move |l| text.text(l))}</p> }.into_any(),
            })}
        </div>
    }
}
