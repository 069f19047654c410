//! Endorsed minting in the app: an artist (the active account, not an issuer) sends a work for
//! endorsement and mints it once endorsed; an issuer examines and decides the requests.

use hallmark_api::{
    EndorsementDecidedReport, EndorsementDecisionRequest, EndorsementExamination, EndorsementItem,
    EndorsementListRequest, EndorsementRequestId, EndorsementScope, EndorsementSendRequest,
    EndorsementSentReport, MintProgress, MintWorkReport, events,
};
use hallmark_engine::catalog::{EndorsementEntry, EndorsementFilter};
use hallmark_engine::{CancelToken, EndorsementDecided, Engine};
use tauri::{AppHandle, Emitter, State};

use crate::commands::{checked_mint, mint_report};
use crate::convert;
use crate::error::{CommandError, CommandResult, guarded};
use crate::files::FileGrants;
use crate::jobs::Jobs;
use crate::proof::near;

fn item(e: EndorsementEntry) -> CommandResult<EndorsementItem> {
    Ok(EndorsementItem {
        request_id: e.request_id,
        status: convert::wire(&e.status)?,
        title: e.title,
        creator: e.creator,
        issuer: e.issuer,
        thumbnail_cid: e.thumbnail_cid,
        editions: e.max_editions,
        royalty_bps: e.royalty_bps,
        decided_by: e.decided_by,
        reason: e.reason,
        deadline: e.deadline,
        requested_at: e.requested_at,
        work_id: e.work_id,
    })
}

fn decided(d: EndorsementDecided) -> CommandResult<EndorsementDecidedReport> {
    Ok(EndorsementDecidedReport {
        status: convert::wire(&d.status)?,
        deadline: d.deadline,
        block_number: d.block_number,
    })
}

/// Sends the Mint form's work for endorsement, as the active account.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn endorsement_send(
    app: AppHandle,
    engine: State<'_, Engine>,
    grants: State<'_, FileGrants>,
    request: EndorsementSendRequest,
) -> CommandResult<EndorsementSentReport> {
    let sent = guarded(send(&engine, &grants, request)).await?;
    let _ = app.emit(events::CHAIN_CHANGED, ());
    Ok(sent)
}

/// [`endorsement_send`] without the window.
pub(crate) async fn send(
    engine: &Engine,
    grants: &FileGrants,
    request: EndorsementSendRequest,
) -> CommandResult<EndorsementSentReport> {
    let work = checked_mint(&request.work, grants.file(&request.work.file)?)?;
    let issuer = match request.issuer.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse().map_err(|_| {
            CommandError::invalid(format!(
                "the issuer {text:?} is not an address (0x and 40 hex digits)"
            ))
        })?),
    };
    let signer = engine.app_signer()?;
    let sent = engine
        .request_endorsement(&work, issuer, signer, &CancelToken::new())
        .await?;
    Ok(EndorsementSentReport {
        request_id: sent.request_id,
        issuer: sent.issuer,
        block_number: sent.block_number,
    })
}

/// The active account's requests, or those it may decide, newest first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn endorsements(
    engine: State<'_, Engine>,
    request: EndorsementListRequest,
) -> CommandResult<Vec<EndorsementItem>> {
    guarded(async move {
        let account = format!("{:#x}", engine.app_signer()?.address());
        let filter = match request.scope {
            EndorsementScope::Mine => EndorsementFilter {
                creator: Some(account),
                ..Default::default()
            },
            EndorsementScope::ToDecide => EndorsementFilter {
                decidable_by: Some(account),
                ..Default::default()
            },
        };
        engine
            .endorsements(&filter, 200)
            .await?
            .into_iter()
            .map(item)
            .collect()
    })
    .await
}

/// One request as an issuer decides it.
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = request.request_id))]
pub(crate) async fn endorsement_examine(
    engine: State<'_, Engine>,
    request: EndorsementRequestId,
) -> CommandResult<EndorsementExamination> {
    guarded(async move {
        let candidate = engine.examine_endorsement(request.request_id).await?;
        Ok(EndorsementExamination {
            item: item(candidate.request)?,
            creator_roles: candidate
                .creator_roles
                .into_iter()
                .map(|(role, status)| format!("{role} ({status})"))
                .collect(),
            compared: candidate.check.compared as u64,
            near: candidate
                .check
                .near
                .into_iter()
                .map(near)
                .collect::<CommandResult<_>>()?,
        })
    })
    .await
}

/// Endorses or declines a request as the active account (an issuer).
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = request.request_id, approve = request.approve))]
pub(crate) async fn endorsement_decide(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: EndorsementDecisionRequest,
) -> CommandResult<EndorsementDecidedReport> {
    let report = guarded(decide(&engine, request)).await?;
    let _ = app.emit(events::CHAIN_CHANGED, ());
    Ok(report)
}

/// [`endorsement_decide`] without the window.
pub(crate) async fn decide(
    engine: &Engine,
    request: EndorsementDecisionRequest,
) -> CommandResult<EndorsementDecidedReport> {
    let signer = engine.app_signer()?;
    let outcome = if request.approve {
        engine
            .approve_endorsement(request.request_id, request.valid_days, signer)
            .await?
    } else {
        let reason = request.reason.trim();
        if reason.is_empty() || reason.len() > 500 {
            return Err(CommandError::invalid(
                "give a reason (up to 500 bytes): the artist sees it, and it is kept on the chain",
            ));
        }
        engine
            .reject_endorsement(request.request_id, reason, signer)
            .await?
    };
    decided(outcome)
}

/// The artist withdraws a pending request.
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = request.request_id))]
pub(crate) async fn endorsement_withdraw(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: EndorsementRequestId,
) -> CommandResult<EndorsementDecidedReport> {
    let report = guarded(async {
        let signer = engine.app_signer()?;
        decided(
            engine
                .withdraw_endorsement(request.request_id, signer)
                .await?,
        )
    })
    .await?;
    let _ = app.emit(events::CHAIN_CHANGED, ());
    Ok(report)
}

/// The artist mints an endorsed request (progress as `mint-progress`; cancellable as `job`
/// until its transaction is sent).
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = request.request_id))]
pub(crate) async fn endorsement_mint(
    app: AppHandle,
    engine: State<'_, Engine>,
    jobs: State<'_, Jobs>,
    request: EndorsementRequestId,
    job: Option<String>,
) -> CommandResult<MintWorkReport> {
    let emitter = app.clone();
    let report = guarded(async {
        let signer = engine.app_signer()?;
        let running = jobs.start(job.clone())?;
        let outcome = engine
            .mint_endorsed_request(request.request_id, signer, &running.token, move |stage| {
                let _ = emitter.emit(
                    events::MINT_PROGRESS,
                    MintProgress {
                        job: job.clone(),
                        stage: convert::mint_stage(stage),
                        cancellable: stage.cancellable(),
                    },
                );
            })
            .await?;
        Ok(mint_report(outcome))
    })
    .await?;
    let _ = app.emit(events::CHAIN_CHANGED, ());
    Ok(report)
}
