//! The app's commands: each validates its arguments and delegates to the engine in one call.

use std::path::PathBuf;

use hallmark_api::{
    AppStatus, IngestProgress, IngestReport, IngestRequest, LibraryPage, LibraryPageRequest, events,
};
use hallmark_engine::Engine;
use tauri::{AppHandle, Emitter, State};

use crate::convert;
use crate::error::{CommandError, CommandResult};

/// Longest path accepted from the UI.
const MAX_PATH_BYTES: usize = 4096;

/// Health of the chain, the store and the local data.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn app_status(engine: State<'_, Engine>) -> CommandResult<AppStatus> {
    Ok(convert::status(engine.status().await))
}

/// Ingests a file: progress is emitted as `ingest-progress` events.
#[tauri::command]
#[tracing::instrument(skip_all, fields(path = %request.path))]
pub(crate) async fn ingest_file(
    app: AppHandle,
    engine: State<'_, Engine>,
    request: IngestRequest,
) -> CommandResult<IngestReport> {
    let path = checked_path(&request.path)?;
    let ingested = engine
        .ingest(&path, move |p| {
            let progress = IngestProgress {
                stage: serde_json::to_value(p.stage)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                done: p.done,
                total: p.total,
            };
            let _ = app.emit(events::INGEST_PROGRESS, progress);
        })
        .await?;
    let cid = ingested.cid_v1.to_string();
    let item = engine
        .library()
        .get(&cid)?
        .ok_or_else(|| CommandError::new("internal.library", "the work was not recorded"))?;
    let exact_copies = engine
        .library()
        .find_by_sha256(&ingested.sha256)?
        .into_iter()
        .filter(|other| other.file_name != item.file_name)
        .map(convert::item)
        .collect();
    Ok(IngestReport {
        item: convert::item(item),
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
    let limit = request.limit.clamp(1, 500) as usize;
    if request.after.as_ref().is_some_and(|a| a.len() > 128) {
        return Err(CommandError::new(
            "request.invalid",
            "the page cursor is not a CID",
        ));
    }
    let items = engine.library_page(limit + 1, request.after.as_deref())?;
    let more = items.len() > limit;
    Ok(LibraryPage {
        items: items.into_iter().take(limit).map(convert::item).collect(),
        more,
    })
}

/// A path from the UI: non-empty, bounded, absolute.
fn checked_path(text: &str) -> CommandResult<PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CommandError::new("request.invalid", "choose a file first"));
    }
    if text.len() > MAX_PATH_BYTES || text.contains('\0') {
        return Err(CommandError::new(
            "request.invalid",
            "that is not a file path",
        ));
    }
    let path = PathBuf::from(text);
    if !path.is_absolute() {
        return Err(CommandError::new(
            "request.invalid",
            "give the full path of the file (starting with /)",
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_validated() {
        assert!(checked_path("").is_err());
        assert!(checked_path("relative/file.png").is_err());
        assert!(checked_path("/a\0b").is_err());
        assert!(checked_path(&format!("/{}", "a".repeat(5000))).is_err());
        assert_eq!(
            checked_path(" /tmp/x.png ").ok(),
            Some(PathBuf::from("/tmp/x.png"))
        );
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
