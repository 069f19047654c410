//! The review queue in the app: near-copy mints with the works they resemble, and a reviewer's
//! decision signed as the active account.

use hallmark_api::{ReviewDecisionRequest, ReviewItem, ReviewQueueRequest, ReviewStatus, events};
use hallmark_engine::Engine;
use tauri::{AppHandle, Emitter, State};

use crate::convert;
use crate::error::{CommandError, CommandResult, guarded};
use crate::proof::registered;

/// The queue, newest first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn review_queue(
    engine: State<'_, Engine>,
    request: ReviewQueueRequest,
) -> CommandResult<Vec<ReviewItem>> {
    guarded(async move {
        let status = request.status.map(ReviewStatus::as_str);
        let entries = engine.catalog().reviews(status, 200)?;
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
                    status: convert::wire(&r.status)?,
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
    })
    .await
}

/// Approves or rejects a pending request as the active account (a reviewer).
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = request.request_id, approve = request.approve))]
pub(crate) async fn review_decide(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: ReviewDecisionRequest,
) -> CommandResult<()> {
    guarded(async move {
        let reason = request.reason.trim();
        if reason.is_empty() || reason.len() > 500 {
            return Err(CommandError::invalid(
                "give a reason (up to 500 bytes): it is kept on the chain",
            ));
        }
        engine
            .decide_review(request.request_id, request.approve, reason)
            .await?;
        let _ = app.emit(events::CHAIN_CHANGED, ());
        Ok(())
    })
    .await
}
