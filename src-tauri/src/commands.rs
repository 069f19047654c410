//! The app's commands: each validates its arguments and delegates to the engine in one call.

use hallmark_api::{
    AppStatus, IngestProgress, IngestReport, IngestRequest, LibraryPage, LibraryPageRequest,
    MintProgress, MintWorkReport, MintWorkRequest, UnfinishedMintView, UnfinishedMintsReport,
    UnfinishedMintsRequest, events,
};
use hallmark_api::{ErrorCode, MintStep};
use hallmark_engine::{CancelToken, CoCreator, Engine, EngineError, MintOutcome, MintRequest};
use tauri::{AppHandle, Emitter, State};

use crate::convert;
use crate::error::{CommandError, CommandResult, guarded};
use crate::files::FileGrants;
use crate::jobs::Jobs;

/// Health of the chain, the store and the local data.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn app_status(engine: State<'_, Engine>) -> CommandResult<AppStatus> {
    guarded(async move { convert::status(engine.status().await) }).await
}

/// Ingests a file: progress is emitted as `ingest-progress` events; cancellable as job `job`.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn ingest_file(
    app: AppHandle,
    engine: State<'_, Engine>,
    jobs: State<'_, Jobs>,
    grants: State<'_, FileGrants>,
    request: IngestRequest,
    job: Option<String>,
) -> CommandResult<IngestReport> {
    let emit = move |progress: IngestProgress| {
        let _ = app.emit(events::INGEST_PROGRESS, progress);
    };
    guarded(ingest(&engine, &jobs, &grants, request, job, emit)).await
}

/// [`ingest_file`] without the window: progress goes to `emit`.
pub(crate) async fn ingest(
    engine: &Engine,
    jobs: &Jobs,
    grants: &FileGrants,
    request: IngestRequest,
    job: Option<String>,
    emit: impl Fn(IngestProgress) + Send + Sync + 'static,
) -> CommandResult<IngestReport> {
    let path = grants.file(&request.file)?;
    let job = jobs.start(job)?;
    let ingested = engine
        .ingest_job(&path, &job.token, move |p| {
            emit(IngestProgress {
                stage: convert::ingest_stage(p.stage),
                done: p.done,
                total: p.total,
            });
        })
        .await?;
    let cid = ingested.cid_v1.to_string();
    let item = engine.library().get(&cid)?.ok_or_else(|| {
        CommandError::new(ErrorCode::InternalLibrary, "the work was not recorded")
    })?;
    let exact_copies = engine
        .library()
        .find_by_sha256(&ingested.sha256)?
        .into_iter()
        .filter(|other| other.file_name != item.file_name)
        .map(convert::item)
        .collect::<CommandResult<_>>()?;
    Ok(IngestReport {
        item: convert::item(item)?,
        ingest_ms: ingested.ingest_ms,
        exact_copies,
    })
}

/// A page of the library, newest first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn library_page(
    engine: State<'_, Engine>,
    request: LibraryPageRequest,
) -> CommandResult<LibraryPage> {
    guarded(async move {
        let limit = request.limit.clamp(1, 500) as usize;
        if request.after.as_ref().is_some_and(|a| a.len() > 128) {
            return Err(CommandError::invalid("the page cursor is not a CID"));
        }
        let items = engine.library_page(limit + 1, request.after.as_deref())?;
        let more = items.len() > limit;
        Ok(LibraryPage {
            items: items
                .into_iter()
                .take(limit)
                .map(convert::item)
                .collect::<CommandResult<_>>()?,
            more,
        })
    })
    .await
}

/// Registers a work on-chain, signed in the Rust core (keys never reach the webview). Each step
/// is emitted as a `mint-progress` event; cancellable as job `job` until the transaction is sent.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn mint_work(
    app: AppHandle,
    engine: State<'_, Engine>,
    jobs: State<'_, Jobs>,
    grants: State<'_, FileGrants>,
    request: MintWorkRequest,
    job: Option<String>,
) -> CommandResult<MintWorkReport> {
    let emitter = app.clone();
    let emit = move |progress: MintProgress| {
        let _ = emitter.emit(events::MINT_PROGRESS, progress);
    };
    let report = guarded(mint(&engine, &jobs, &grants, request, job, emit)).await?;
    let _ = app.emit(events::CHAIN_CHANGED, ());
    Ok(report)
}

/// [`mint_work`] without the window: each step goes to `emit`.
pub(crate) async fn mint(
    engine: &Engine,
    jobs: &Jobs,
    grants: &FileGrants,
    request: MintWorkRequest,
    job: Option<String>,
    emit: impl Fn(MintProgress) + Send + Sync + 'static,
) -> CommandResult<MintWorkReport> {
    let mint = checked_mint(&request, grants.file(&request.file)?)?;
    let signer = engine.app_signer()?;
    let running = jobs.start(job.clone())?;
    let outcome = engine
        .mint_job(&mint, signer, &running.token, move |stage| {
            emit(MintProgress {
                job: job.clone(),
                stage: convert::mint_stage(stage),
                cancellable: stage.cancellable(),
            });
        })
        .await?;
    Ok(mint_report(outcome))
}

pub(crate) fn mint_report(outcome: MintOutcome) -> MintWorkReport {
    MintWorkReport {
        work_id: outcome.work_id,
        token_id: outcome.token_id,
        block_number: outcome.block_number,
        tx_hash: outcome.tx_hash,
        creator: outcome.creator,
        metadata_cid: outcome.metadata_cid,
        elapsed_ms: outcome.elapsed_ms,
    }
}

/// Lists, resumes (signed by the active account) or discards the mints a crash, a kill or a
/// lost node interrupted.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn unfinished_mints(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: UnfinishedMintsRequest,
) -> CommandResult<UnfinishedMintsReport> {
    guarded(async move {
        let resumed = match &request {
            UnfinishedMintsRequest::List => None,
            UnfinishedMintsRequest::Resume { content_sha256 } => {
                let signer = engine.app_signer()?;
                let outcome = engine
                    .resume_mint(
                        checked_sha256(content_sha256)?,
                        signer,
                        &CancelToken::new(),
                        |_| {},
                    )
                    .await?;
                let _ = app.emit(events::CHAIN_CHANGED, ());
                Some(mint_report(outcome))
            }
            UnfinishedMintsRequest::Discard { content_sha256 } => {
                engine.discard_mint(checked_sha256(content_sha256)?)?;
                None
            }
        };
        let mints = engine
            .unfinished_mints()?
            .into_iter()
            .map(|m| {
                Ok(UnfinishedMintView {
                    content_sha256: m.content_sha256,
                    title: m.name,
                    path: m.path.display().to_string(),
                    step: convert::wire::<MintStep>(m.step)?,
                    creator: m.creator,
                    tx_hash: m.tx_hash,
                    updated_at: m.updated_at,
                })
            })
            .collect::<CommandResult<_>>()?;
        Ok(UnfinishedMintsReport { mints, resumed })
    })
    .await
}

/// A content sha-256 as the UI names a mint: 64 lowercase hex digits.
fn checked_sha256(text: &str) -> CommandResult<&str> {
    if hallmark_engine::journal::is_content_sha256(text) {
        Ok(text)
    } else {
        Err(CommandError::invalid(
            "a mint is named by its content sha-256 (64 hex digits)",
        ))
    }
}

/// The mint form as the engine's request (text trimmed, empty attribute rows dropped, the
/// licence defaulted), checked by the engine's rules ([`MintRequest::validate`]); `path` is the
/// file the user chose.
pub(crate) fn checked_mint(
    request: &MintWorkRequest,
    path: std::path::PathBuf,
) -> CommandResult<MintRequest> {
    let description = request.description.trim();
    let licence = request.licence.trim();
    let attributes = request
        .attributes
        .iter()
        .map(|a| (a.name.trim(), a.value.trim()))
        .filter(|(name, value)| !name.is_empty() || !value.is_empty())
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let co_creators = request
        .co_creators
        .iter()
        .map(|c| {
            let payee = c.address.trim().parse().map_err(|_| {
                CommandError::invalid(format!(
                    "co-creator {:?} is not an address (0x and 40 hex digits)",
                    c.address
                ))
            })?;
            Ok(CoCreator { payee, bps: c.bps })
        })
        .collect::<CommandResult<Vec<_>>>()?;
    let mint = MintRequest {
        path,
        name: request.title.trim().to_owned(),
        description: (!description.is_empty()).then(|| description.to_owned()),
        licence: if licence.is_empty() {
            "All rights reserved".to_owned()
        } else {
            licence.to_owned()
        },
        editions: request.editions,
        royalty_bps: request.royalty_bps,
        attributes,
        co_creators,
    };
    mint.validate().map_err(EngineError::from)?;
    Ok(mint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mint_forms_are_validated() {
        use hallmark_api::{AttributeInput, ShareInput};
        let good = MintWorkRequest {
            file: hallmark_api::FileToken("f3a9".into()),
            title: " Sunrise ".into(),
            description: String::new(),
            licence: String::new(),
            editions: 5,
            royalty_bps: 1000,
            attributes: vec![
                AttributeInput {
                    name: " Medium ".into(),
                    value: "Ink".into(),
                },
                AttributeInput {
                    name: String::new(),
                    value: String::new(),
                },
            ],
            co_creators: vec![ShareInput {
                address: "0x90f79bf6eb2c4f870365e785982e1f101e93b906".into(),
                bps: 2500,
            }],
        };
        let path = || std::path::PathBuf::from("/tmp/a.png");
        let Ok(mint) = checked_mint(&good, path()) else {
            panic!("a valid form was refused")
        };
        assert_eq!((mint.name.as_str(), mint.description), ("Sunrise", None));
        assert_eq!(mint.licence, "All rights reserved");
        assert_eq!(
            mint.attributes,
            vec![("Medium".to_owned(), "Ink".to_owned())]
        );
        assert_eq!(mint.co_creators[0].bps, 2500);
        for bad in [
            MintWorkRequest {
                title: "  ".into(),
                ..good.clone()
            },
            MintWorkRequest {
                editions: 0,
                ..good.clone()
            },
            MintWorkRequest {
                royalty_bps: 2501,
                ..good.clone()
            },
            MintWorkRequest {
                attributes: vec![AttributeInput {
                    name: String::new(),
                    value: "orphan value".into(),
                }],
                ..good.clone()
            },
            MintWorkRequest {
                co_creators: vec![ShareInput {
                    address: "nobody".into(),
                    bps: 100,
                }],
                ..good
            },
        ] {
            assert!(checked_mint(&bad, path()).is_err(), "{bad:?}");
        }
    }

    /// The names the shell registers (in `main.rs` and `build.rs`) are exactly the names of the
    /// typed commands in `hallmark_api::commands`.
    #[test]
    fn the_shell_registers_exactly_the_typed_commands() {
        use std::collections::BTreeSet;
        let typed: BTreeSet<&str> = hallmark_api::commands::ALL.iter().copied().collect();
        let main = include_str!("main.rs");
        let handler = main
            .split("generate_handler![")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("the handler list in main.rs");
        let registered: BTreeSet<&str> = handler
            .split(',')
            .map(str::trim)
            .filter(|path| !path.is_empty())
            .map(|path| path.rsplit("::").next().unwrap_or(path))
            .collect();
        assert_eq!(registered, typed, "main.rs");
        let build = include_str!("../build.rs");
        let listed = build
            .split("const COMMANDS: &[&str] = &[")
            .nth(1)
            .and_then(|rest| rest.split("];").next())
            .expect("the command list in build.rs");
        let built: BTreeSet<&str> = listed
            .split(',')
            .map(|name| name.trim().trim_matches('"'))
            .filter(|name| !name.is_empty())
            .collect();
        assert_eq!(built, typed, "build.rs");
    }

    #[test]
    fn the_build_script_knows_every_command() {
        let build = include_str!("../build.rs");
        let capability = include_str!("../capabilities/default.json");
        for command in hallmark_api::commands::ALL {
            assert!(
                build.contains(&format!("\"{command}\"")),
                "{command} missing in build.rs"
            );
            let permission = format!("allow-{}", command.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "{permission} missing in the capability"
            );
        }
    }
}
