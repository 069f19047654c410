//! The council acting together, in the app: proposals read from the chain, votes and proposals
//! signed as the active account, and the next step of an approved proposal.

use std::str::FromStr;

use hallmark_api::{
    self as api, CouncilActionView, CouncilAdvanceRequest, CouncilOverview, CouncilProposeRequest,
    CouncilVoteRequest, events,
};
use hallmark_engine::{Address, CouncilAction, Engine, Proposal, ProposalState, U256};
use tauri::{AppHandle, Emitter, State};

use crate::error::{CommandError, CommandResult, guarded};

/// Settings, proposals, and whether the active account holds a seat.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn council_overview(engine: State<'_, Engine>) -> CommandResult<CouncilOverview> {
    guarded(async move {
        let state = engine.council_state().await?;
        Ok(CouncilOverview {
            seats: state.settings.seats,
            voting_blocks: state.settings.voting_blocks,
            delay_seconds: state.settings.delay_seconds,
            has_seat: state.has_seat,
            proposals: state
                .proposals
                .into_iter()
                .map(|(p, ready)| proposal(p, ready))
                .collect(),
        })
    })
    .await
}

/// Approves or rejects a proposal with the active account's seat.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = request.id, approve = request.approve))]
pub(crate) async fn council_vote(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: CouncilVoteRequest,
) -> CommandResult<api::CouncilProposal> {
    guarded(async move {
        if request
            .seen
            .iter()
            .any(|a| matches!(a, CouncilActionView::Unknown { .. }))
        {
            return Err(CommandError::invalid(format!(
                "the app votes only on proposals it can put into words; check proposal {} with `hallmark council show {}` and vote there",
                request.id, request.id
            )));
        }
        let seen = request
            .seen
            .iter()
            .map(action_from_view)
            .collect::<CommandResult<Vec<_>>>()?;
        let (p, ready) = engine
            .council_vote(request.id, request.approve, &seen)
            .await?;
        let _ = app.emit(events::CHAIN_CHANGED, ());
        Ok(proposal(p, ready))
    })
    .await
}

/// Takes a proposal's next step.
#[tauri::command]
#[tracing::instrument(skip_all, fields(id = request.id))]
pub(crate) async fn council_advance(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: CouncilAdvanceRequest,
) -> CommandResult<api::CouncilProposal> {
    guarded(async move {
        let (p, ready) = engine.council_advance(request.id).await?;
        let _ = app.emit(events::CHAIN_CHANGED, ());
        Ok(proposal(p, ready))
    })
    .await
}

/// Proposes one action as the active account.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn council_propose(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: CouncilProposeRequest,
) -> CommandResult<api::CouncilProposal> {
    guarded(async move {
        let action = action_from_view(&request.action)?;
        if matches!(action, CouncilAction::Unknown { .. }) {
            return Err(CommandError::invalid(
                "the app proposes only the actions it can describe",
            ));
        }
        let note = request.note.trim();
        if note.len() > 500 {
            return Err(CommandError::invalid("the note is longer than 500 bytes"));
        }
        let (p, ready) = engine.council_propose(action, note).await?;
        let _ = app.emit(events::CHAIN_CHANGED, ());
        Ok(proposal(p, ready))
    })
    .await
}

fn proposal(p: Proposal, can_advance: bool) -> api::CouncilProposal {
    api::CouncilProposal {
        id: p.id,
        actions: p.actions.iter().map(action_view).collect(),
        proposer: format!("{:#x}", p.proposer),
        state: state(p.state),
        approvals: p.approvals,
        rejections: p.rejections,
        needed: p.needed,
        deadline_block: p.deadline_block,
        ready_at: p.ready_at,
        can_advance,
    }
}

fn state(s: ProposalState) -> api::ProposalState {
    match s {
        ProposalState::Pending => api::ProposalState::Pending,
        ProposalState::Active => api::ProposalState::Active,
        ProposalState::Canceled => api::ProposalState::Canceled,
        ProposalState::Defeated => api::ProposalState::Defeated,
        ProposalState::Succeeded => api::ProposalState::Succeeded,
        ProposalState::Queued => api::ProposalState::Queued,
        ProposalState::Expired => api::ProposalState::Expired,
        ProposalState::Executed => api::ProposalState::Executed,
    }
}

fn action_view(action: &CouncilAction) -> CouncilActionView {
    let text = |a: &Address| format!("{a:#x}");
    match action {
        CouncilAction::MintCredit { to, amount } => CouncilActionView::MintCredit {
            to: text(to),
            amount_cents: i64::try_from(*amount).unwrap_or(i64::MAX),
        },
        CouncilAction::AddCouncil { account } => CouncilActionView::AddCouncil {
            account: text(account),
        },
        CouncilAction::RemoveCouncil { account } => CouncilActionView::RemoveCouncil {
            account: text(account),
        },
        CouncilAction::SetSystemAccount { account, allowed } => {
            CouncilActionView::SetSystemAccount {
                account: text(account),
                allowed: *allowed,
            }
        }
        CouncilAction::SetPlatformFee { bps, treasury } => CouncilActionView::SetPlatformFee {
            bps: *bps,
            treasury: text(treasury),
        },
        CouncilAction::SetHoldingPeriod { seconds } => {
            CouncilActionView::SetHoldingPeriod { seconds: *seconds }
        }
        CouncilAction::SetMarket { market } => CouncilActionView::SetMarket {
            market: text(market),
        },
        CouncilAction::SetVotingPeriod { blocks } => {
            CouncilActionView::SetVotingPeriod { blocks: *blocks }
        }
        CouncilAction::SetDelay { seconds } => CouncilActionView::SetDelay { seconds: *seconds },
        CouncilAction::Unknown { target, data } => CouncilActionView::Unknown {
            target: text(target),
            selector: format!(
                "0x{}",
                data.iter()
                    .take(4)
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            ),
        },
    }
}

fn address(text: &str) -> CommandResult<Address> {
    Address::from_str(text.trim())
        .map_err(|_| CommandError::invalid(format!("{text:?} is not a 0x address")))
}

/// The UI's view of an action back as the action (an unrecognised call cannot be rebuilt from
/// its selector, so it is kept as the call with only that selector: it never equals a real one).
fn action_from_view(view: &CouncilActionView) -> CommandResult<CouncilAction> {
    Ok(match view {
        CouncilActionView::MintCredit { to, amount_cents } => {
            let cents = u64::try_from(*amount_cents)
                .ok()
                .filter(|c| *c > 0)
                .ok_or_else(|| CommandError::invalid("issue a positive amount of credit"))?;
            CouncilAction::MintCredit {
                to: address(to)?,
                amount: U256::from(cents),
            }
        }
        CouncilActionView::AddCouncil { account } => CouncilAction::AddCouncil {
            account: address(account)?,
        },
        CouncilActionView::RemoveCouncil { account } => CouncilAction::RemoveCouncil {
            account: address(account)?,
        },
        CouncilActionView::SetSystemAccount { account, allowed } => {
            CouncilAction::SetSystemAccount {
                account: address(account)?,
                allowed: *allowed,
            }
        }
        CouncilActionView::SetPlatformFee { bps, treasury } => CouncilAction::SetPlatformFee {
            bps: *bps,
            treasury: address(treasury)?,
        },
        CouncilActionView::SetHoldingPeriod { seconds } => {
            CouncilAction::SetHoldingPeriod { seconds: *seconds }
        }
        CouncilActionView::SetMarket { market } => CouncilAction::SetMarket {
            market: address(market)?,
        },
        CouncilActionView::SetVotingPeriod { blocks } => {
            CouncilAction::SetVotingPeriod { blocks: *blocks }
        }
        CouncilActionView::SetDelay { seconds } => CouncilAction::SetDelay { seconds: *seconds },
        CouncilActionView::Unknown { target, selector } => {
            let bytes = (0..selector.len().saturating_sub(2) / 2)
                .filter_map(|i| u8::from_str_radix(selector.get(2 + 2 * i..4 + 2 * i)?, 16).ok())
                .collect::<Vec<u8>>();
            CouncilAction::Unknown {
                target: address(target)?,
                data: bytes.into(),
            }
        }
    })
}
