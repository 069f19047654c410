//! Copy checks, verification and proofs: thin commands over the engine. Media and bundles are
//! read from paths in the Rust core; only reports cross the IPC boundary.

use hallmark_api::{
    BundleConclusion, BundleReport, CheckLine, CheckStatus, CopyCheckReport, ExportProofReport,
    ExportProofRequest, FileReport, FileRequest, MatchedWork, VerifyOutcome, VerifyRequest,
};
use hallmark_engine::evidence::{Conclusion, Status, VerifyOptions};
use hallmark_engine::{Engine, NearMatch, U256};
use tauri::State;

use crate::convert;
use crate::error::{CommandError, CommandResult, guarded};
use crate::files::FileGrants;
use crate::jobs::Jobs;

/// A near copy, as a match.
pub(crate) fn near(m: NearMatch) -> CommandResult<MatchedWork> {
    Ok(MatchedWork {
        work_id: m.work_id,
        title: m.title,
        creator: m.creator,
        registered_at: m.registered_at,
        thumbnail_cid: m.thumbnail_cid,
        distance: Some(m.distance),
        transform: Some(convert::wire(&m.transform)?),
    })
}

/// A registered work from the catalog, as a match.
pub(crate) fn registered(engine: &Engine, work_id: u64) -> CommandResult<MatchedWork> {
    let view = engine.catalog().work(work_id)?;
    Ok(MatchedWork {
        work_id,
        title: view.as_ref().and_then(|v| v.title.clone()),
        creator: view.as_ref().map(|v| v.creator.clone()).unwrap_or_default(),
        registered_at: view.as_ref().map_or(0, |v| v.registered_at),
        thumbnail_cid: view.and_then(|v| v.thumbnail_cid),
        distance: None,
        transform: None,
    })
}

/// The copy check of a file before minting: exact bytes, then near copies.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn copy_check(
    engine: State<'_, Engine>,
    grants: State<'_, FileGrants>,
    request: FileRequest,
) -> CommandResult<CopyCheckReport> {
    guarded(check_copies(&engine, &grants, request)).await
}

/// [`copy_check`] of a granted file.
pub(crate) async fn check_copies(
    engine: &Engine,
    grants: &FileGrants,
    request: FileRequest,
) -> CommandResult<CopyCheckReport> {
    let path = grants.file(&request.file)?;
    let check = engine.copy_check_file(&path).await?;
    let exact = check.exact.map(|id| registered(engine, id)).transpose()?;
    Ok(CopyCheckReport {
        sha256: check.sha256,
        exact,
        near: check
            .near
            .into_iter()
            .map(near)
            .collect::<CommandResult<_>>()?,
        quality: check.quality,
        max_distance: check.thresholds.max_distance,
        min_quality: check.thresholds.min_quality,
        compared: check.compared as u64,
        unchecked: check.unchecked,
    })
}

/// Verifies an evidence bundle (offline, then against the running chain) or identifies a
/// media file (exact bytes, then near copies); cancellable as job `job`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn verify(
    engine: State<'_, Engine>,
    jobs: State<'_, Jobs>,
    grants: State<'_, FileGrants>,
    request: VerifyRequest,
    job: Option<String>,
) -> CommandResult<VerifyOutcome> {
    guarded(verify_chosen(&engine, &jobs, &grants, request, job)).await
}

/// [`verify`] of a granted file.
pub(crate) async fn verify_chosen(
    engine: &Engine,
    jobs: &Jobs,
    grants: &FileGrants,
    request: VerifyRequest,
    job: Option<String>,
) -> CommandResult<VerifyOutcome> {
    let path = grants.file(&request.file)?;
    let challenge = match request.challenge.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<U256>()
                .map_err(|_| CommandError::invalid("the challenge must be a whole number"))?,
        ),
    };
    let job = jobs.start(job)?;
    if is_bundle(&path) {
        let options = VerifyOptions {
            challenge,
            ..VerifyOptions::default()
        };
        let report = job
            .token
            .run(engine.verify_bundle(&path, &options, None, false))
            .await?;
        let summary = report.summary.clone();
        let conclusion = match report.conclusion() {
            Conclusion::Verified { .. } => BundleConclusion::Verified,
            Conclusion::PartlyVerified { .. } => BundleConclusion::PartlyVerified,
            Conclusion::Consistent => BundleConclusion::Consistent,
            Conclusion::NotThisConsortium => BundleConclusion::NotThisConsortium,
            Conclusion::Failed => BundleConclusion::Failed,
        };
        return Ok(VerifyOutcome::Bundle(BundleReport {
            verified: conclusion == BundleConclusion::Verified,
            conclusion,
            consortium: report.consortium.clone(),
            title: summary.as_ref().and_then(|s| s.title.clone()),
            token_id: summary.as_ref().map(|s| s.token_id.clone()),
            holder: summary.as_ref().map(|s| format!("{:#x}", s.holder)),
            creator: summary.as_ref().map(|s| format!("{:#x}", s.creator)),
            registered_at: summary.as_ref().map(|s| s.registered_at),
            bundle_sha256: report.bundle_sha256.clone(),
            checks: report
                .checks
                .into_iter()
                .map(|c| CheckLine {
                    id: c.id.to_owned(),
                    title: c.title.to_owned(),
                    status: match c.status {
                        Status::Pass => CheckStatus::Pass,
                        Status::Fail => CheckStatus::Fail,
                        Status::Skip => CheckStatus::Skip,
                        Status::Unanswered => CheckStatus::Unanswered,
                    },
                    detail: c.detail,
                })
                .collect(),
        }));
    }
    let identity = job.token.run(engine.identify_file(&path)).await?;
    let exact = identity.exact.as_ref();
    Ok(VerifyOutcome::File(FileReport {
        sha256: identity.sha256.clone(),
        exact: exact.map(|w| MatchedWork {
            work_id: w.work_id,
            title: w.title.clone(),
            creator: w.creator.clone(),
            registered_at: w.registered_at,
            thumbnail_cid: w.thumbnail_cid.clone(),
            distance: None,
            transform: None,
        }),
        issuer: exact.map(|w| w.issuer.clone()),
        registration: exact.map(|w| (w.registered_block, w.registered_tx.clone())),
        holders: exact
            .map(|w| {
                w.editions
                    .iter()
                    .map(|e| (e.token_id, e.owner.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        near: identity
            .near
            .into_iter()
            .map(near)
            .collect::<CommandResult<_>>()?,
        quality: identity.quality,
        note: identity.note,
    }))
}

/// A zip file (by its first bytes) is treated as an evidence bundle.
/// Opened as a person's file (a pipe or a device is not opened, so never blocks here; the
/// identification that follows refuses it with its reason).
fn is_bundle(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    hallmark_files::open(path, u64::MAX)
        .ok()
        .is_some_and(|(mut file, _)| file.read_exact(&mut head).is_ok() && head == *b"PK\x03\x04")
}

/// Writes the evidence bundle and certificate of a token the active account holds; cancellable
/// as job `job`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn export_proof(
    engine: State<'_, Engine>,
    jobs: State<'_, Jobs>,
    request: ExportProofRequest,
    job: Option<String>,
) -> CommandResult<ExportProofReport> {
    guarded(async move {
        let token_id: u64 = request
            .token_id
            .trim()
            .parse()
            .map_err(|_| CommandError::invalid("the token id must be a number"))?;
        let job = jobs.start(job)?;
        // The bundle and certificate are each written to a temporary name and renamed.
        let proof = job.token.run(engine.export_proof(token_id)).await?;
        Ok(ExportProofReport {
            bundle_path: proof.bundle_path.display().to_string(),
            certificate_path: proof.certificate_path.display().to_string(),
            sha256: proof.sha256,
            bytes: proof.bytes,
        })
    })
    .await
}
