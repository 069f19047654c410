//! The review queue in the app: near-copy mints with the works they resemble, and a reviewer's
//! decision signed as the active account.

use hallmark_api::{ReviewDecisionRequest, ReviewItem, ReviewQueueRequest, events};
use hallmark_engine::Engine;
use tauri::{AppHandle, Emitter, State};

use crate::error::{CommandError, CommandResult};
use crate::proof::registered;

const STATES: &[&str] = &["pending", "approved", "rejected", "withdrawn"];

/// The queue, newest first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn review_queue(
    engine: State<'_, Engine>,
    request: ReviewQueueRequest,
) -> CommandResult<Vec<ReviewItem>> {
    if let Some(status) = request.status.as_deref()
        && !STATES.contains(&status)
    {
        return Err(CommandError::new(
            "request.invalid",
            "status is pending, approved, rejected or withdrawn",
        ));
    }
    let entries = engine.catalog().reviews(request.status.as_deref(), 200)?;
    entries
        .into_iter()
        .map(|r| {
            let matches = r
                .matches
                .iter()
                .map(|(work, distance)| {
                    registered(&engine, *work).map(|mut m| {
                        m.distance = Some(u32::from(*distance));
                        m
                    })
                })
                .collect::<CommandResult<Vec<_>>>()?;
            Ok(ReviewItem {
                request_id: r.request_id,
                status: r.status,
                title: r.title,
                creator: r.creator,
                issuer: r.issuer,
                thumbnail_cid: r.thumbnail_cid,
                matches,
                reason: r.reason,
                decided_by: r.decided_by,
                submitted_at: r.submitted_at,
            })
        })
        .collect()
}

/// Approves or rejects a pending request as the active account (a reviewer).
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = request.request_id, approve = request.approve))]
pub(crate) async fn review_decide(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: ReviewDecisionRequest,
) -> CommandResult<()> {
    let reason = request.reason.trim();
    if reason.is_empty() || reason.len() > 500 {
        return Err(CommandError::new(
            "request.invalid",
            "give a reason (up to 500 bytes): it is kept on the chain",
        ));
    }
    engine
        .decide_review(request.request_id, request.approve, reason)
        .await?;
    let _ = app.emit(events::CHAIN_CHANGED, ());
    Ok(())
}
