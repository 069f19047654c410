//! Media that outlives the platform: availability health (with "re-pin from the local copy"),
//! the remote pinning services, the exit kit and refreshing one work's metadata — thin commands
//! over the engine. Pinning tokens arrive from the UI, go to the engine and are wiped; they are
//! never returned.

use std::time::Duration;

use hallmark_api::{
    FixLine, HealthCheckRequest, HealthLine, HealthView, KitOutcome, KitRequest, PinningRequest,
    PinningServiceView, RefreshOutcome, RefreshRequest,
};
use hallmark_engine::{Engine, HealthRequest, PinningServiceInfo};
use hallmark_kit::{ExitKit, KitSelection};
use tauri::State;
use zeroize::Zeroize;

use crate::convert;
use crate::error::{CommandError, CommandResult, guarded};
use crate::files::FileGrants;
use crate::jobs::Jobs;

/// How long a fix waits for re-requested remote pins.
const FIX_WAIT: Duration = Duration::from_secs(20);

/// Checks (and with `fix`, repairs) the availability of the active account's works; a
/// cancellable job.
#[tauri::command]
#[tracing::instrument(skip_all, fields(fix = request.fix))]
pub(crate) async fn health(
    engine: State<'_, Engine>,
    jobs: State<'_, Jobs>,
    request: HealthCheckRequest,
    job: Option<String>,
) -> CommandResult<HealthView> {
    guarded(async move {
        let account = format!("{:#x}", engine.app_signer()?.address());
        let mut check = HealthRequest::new(account);
        check.fix = request.fix;
        check.wait = FIX_WAIT;
        let job = jobs.start(job)?;
        let report = job.token.run(engine.health(&check)).await?;
        let lines = report
            .entries
            .into_iter()
            .map(|e| HealthLine {
                work_id: e.work_id,
                title: e.title,
                backend: e.backend_label,
                status: convert::availability(e.status),
                ok: e.status.is_ok(),
                detail: e.detail,
                items: e
                    .items
                    .into_iter()
                    .map(|i| (i.item, convert::availability(i.status)))
                    .collect(),
                last_verified_at: e.last_verified_at,
            })
            .collect();
        Ok(HealthView {
            account: report.account,
            checked_at: report.checked_at,
            store: report.store,
            works: report.works as u64,
            problems: report.problems as u64,
            lines,
            fixes: report
                .fixes
                .into_iter()
                .map(|f| FixLine {
                    work_id: f.work_id,
                    backend: f.backend,
                    item: f.item,
                    action: f.action,
                    done: f.done,
                })
                .collect(),
        })
    })
    .await
}

fn view(info: PinningServiceInfo) -> PinningServiceView {
    PinningServiceView {
        name: info.name,
        endpoint: info.endpoint,
        token_set: info.token_set,
    }
}

/// Lists, adds or removes a remote pinning service; answers with the services after it.
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = ?request))]
pub(crate) async fn pinning(
    engine: State<'_, Engine>,
    mut request: PinningRequest,
) -> CommandResult<Vec<PinningServiceView>> {
    guarded(async move {
        let outcome = match &request {
            PinningRequest::List => Ok(()),
            PinningRequest::Add {
                name,
                endpoint,
                token,
            } => {
                if token.len() > 4096 {
                    Err(CommandError::invalid("that token is too long"))
                } else {
                    engine
                        .add_pinning_service(name, endpoint, token)
                        .map(|_| ())
                        .map_err(CommandError::from)
                }
            }
            PinningRequest::Remove { name } => engine
                .remove_pinning_service(name)
                .map_err(CommandError::from),
        };
        if let PinningRequest::Add { token, .. } = &mut request {
            token.zeroize();
        }
        outcome?;
        Ok(engine.pinning_services()?.into_iter().map(view).collect())
    })
    .await
}

/// Exports the exit kit of the active account's works to `<data>/exports/kit-<time>/`, or
/// imports a kit; a cancellable job (an export is renamed into place only when complete, an
/// import keeps nothing until every check passed).
#[tauri::command]
#[tracing::instrument(skip_all, fields(request = ?request))]
pub(crate) async fn kit(
    engine: State<'_, Engine>,
    jobs: State<'_, Jobs>,
    grants: State<'_, FileGrants>,
    request: KitRequest,
    job: Option<String>,
) -> CommandResult<KitOutcome> {
    guarded(kit_job(&engine, &jobs, &grants, request, job)).await
}

/// [`kit`]: an export, or an import of a granted folder.
pub(crate) async fn kit_job(
    engine: &Engine,
    jobs: &Jobs,
    grants: &FileGrants,
    request: KitRequest,
    job: Option<String>,
) -> CommandResult<KitOutcome> {
    let job = jobs.start(job)?;
    match request {
        KitRequest::Export => {
            let signer = engine.app_signer()?;
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let out = engine
                .config()
                .data_dir
                .join("exports")
                .join(format!("kit-{stamp}"));
            let selection = KitSelection {
                owned: true,
                created: true,
                tokens: Vec::new(),
            };
            let report = job
                .token
                .run(engine.export_kit(&selection, &out, signer))
                .await?;
            Ok(KitOutcome {
                path: report.path.display().to_string(),
                works: report.works.len() as u64,
                bundles: report.bundles as u64,
                files: report.files as u64,
                bytes: report.bytes,
            })
        }
        KitRequest::Import { folder } => {
            let path = grants.folder(&folder)?;
            let report = job.token.run(engine.import_kit(&path)).await?;
            Ok(KitOutcome {
                path: report.kit.display().to_string(),
                works: report.works.len() as u64,
                bundles: report.bundles_verified as u64,
                files: report.files_checked as u64,
                bytes: report.bytes_checked,
            })
        }
    }
}

/// Fetches one work's metadata again now (the indexer also does so on ERC-4906 events).
#[tauri::command]
#[tracing::instrument(skip_all, fields(work = request.work_id))]
pub(crate) async fn refresh_work(
    engine: State<'_, Engine>,
    request: RefreshRequest,
) -> CommandResult<RefreshOutcome> {
    guarded(async move {
        let report = engine.refresh_work(request.work_id).await?;
        Ok(RefreshOutcome {
            status: convert::wire(&report.status)?,
            error: report.error,
        })
    })
    .await
}
