//! The catalog side of the shell: the background sync the app owns (started once the chain is
//! up, stopped on quit), its status, and the Explore and Work commands.

use std::sync::Mutex;

use hallmark_api::{
    Earnings, EarningsRequest, ErrorCode, ExplorePage, ExploreRequest, ExploreSort, SyncStatus,
    WorkDetail, WorkDetailRequest, events,
};
use hallmark_engine::catalog::{BrowseQuery, Sort, work_of};
use hallmark_engine::{Engine, IndexerConfig, SyncProgress};
use tauri::{AppHandle, Emitter, State};
use tokio::sync::watch;

use crate::convert;
use crate::error::{CommandError, CommandResult, guarded};
use crate::input::checked_address_text;

/// The app's sync task: its last status and the switch that stops it.
pub(crate) struct CatalogSync {
    status: Mutex<SyncStatus>,
    stop: watch::Sender<bool>,
}

impl CatalogSync {
    pub(crate) fn new() -> Self {
        Self {
            status: Mutex::new(SyncStatus::default()),
            stop: watch::channel(false).0,
        }
    }

    fn snapshot(&self) -> SyncStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn update(&self, f: impl FnOnce(&mut SyncStatus)) -> SyncStatus {
        match self.status.lock() {
            Ok(mut status) => {
                f(&mut status);
                status.clone()
            }
            Err(_) => SyncStatus::default(),
        }
    }

    /// Asks the sync task to stop (on quit).
    pub(crate) fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

/// Follows the chain into the catalog until the app quits, emitting `catalog-changed`.
pub(crate) async fn run_sync(app: AppHandle, engine: Engine, sync: &CatalogSync) {
    let stop = sync.stop.subscribe();
    let emit = |progress: &SyncProgress| {
        let (works, listed) = engine.catalog().market_counts().unwrap_or_default();
        let status = sync.update(|s| {
            s.head_block = Some(progress.head_block);
            s.synced_block = progress.synced_block;
            s.blocks_behind = progress.blocks_behind;
            s.works = works;
            s.listed = listed;
            s.error = None;
        });
        let _ = app.emit(events::CATALOG_CHANGED, status);
    };
    let result = engine
        .follow_catalog(IndexerConfig::default(), stop, emit)
        .await;
    if let Err(e) = result {
        tracing::error!(code = %e.code(), error = %e, "catalog sync stopped");
        let status = sync.update(|s| s.error = Some(e.to_string()));
        let _ = app.emit(events::CATALOG_CHANGED, status);
    }
}

/// Where the catalog is.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn sync_status(sync: State<'_, CatalogSync>) -> CommandResult<SyncStatus> {
    guarded(async move { Ok(sync.snapshot()) }).await
}

/// A page of the Explore grid, from the local catalog (works offline).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn explore_page(
    engine: State<'_, Engine>,
    request: ExploreRequest,
) -> CommandResult<ExplorePage> {
    guarded(async move {
        let query = checked_explore(&request)?;
        let page = engine.catalog().browse(&query)?;
        Ok(ExplorePage {
            items: page
                .items
                .into_iter()
                .map(convert::card)
                .collect::<CommandResult<_>>()?,
            next: page.next,
        })
    })
    .await
}

/// A token with its work and provenance timeline, from the local catalog.
#[tauri::command]
#[tracing::instrument(skip_all, fields(token = request.token_id))]
pub(crate) async fn work_detail(
    engine: State<'_, Engine>,
    request: WorkDetailRequest,
) -> CommandResult<WorkDetail> {
    guarded(async move {
        let catalog = engine.catalog();
        let work_id = work_of(request.token_id);
        let not_found = || {
            CommandError::new(
                ErrorCode::CatalogNotFound,
                format!("token {} is not in the catalog", request.token_id),
            )
        };
        let work = catalog.work(work_id)?.ok_or_else(not_found)?;
        let timeline = catalog.provenance(work_id)?;
        convert::work_detail(work, request.token_id, timeline)?.ok_or_else(not_found)
    })
    .await
}

/// Royalties and proceeds paid to an address (the Studio page).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn earnings(
    engine: State<'_, Engine>,
    request: EarningsRequest,
) -> CommandResult<Earnings> {
    guarded(async move {
        let address = checked_address_text(&request.address)?;
        let e = engine.catalog().earnings(&address)?;
        Ok(Earnings {
            royalties_cents: e.royalties,
            proceeds_cents: e.proceeds,
            payouts: e.payouts,
        })
    })
    .await
}

/// The Explore request, checked: lengths and page size (kinds and sorts are closed lists).
fn checked_explore(request: &ExploreRequest) -> CommandResult<BrowseQuery> {
    let text = request
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if text.is_some_and(|t| t.chars().count() > 200) {
        return Err(CommandError::invalid(
            "the search text is too long (200 characters at most)",
        ));
    }
    if request.after.as_ref().is_some_and(|a| a.len() > 80) {
        return Err(CommandError::invalid("the page cursor is malformed"));
    }
    let sort = match request.sort {
        ExploreSort::Newest => Sort::Newest,
        ExploreSort::PriceAsc => Sort::PriceAsc,
        ExploreSort::PriceDesc => Sort::PriceDesc,
        ExploreSort::RecentlySold => Sort::RecentlySold,
    };
    let owner = request
        .owner
        .as_deref()
        .map(checked_address_text)
        .transpose()?;
    let creator = request
        .creator
        .as_deref()
        .map(checked_address_text)
        .transpose()?;
    Ok(BrowseQuery {
        kind: request.kind.map(|kind| kind.as_str().to_owned()),
        owner,
        creator,
        listed_only: request.listed_only,
        text: text.map(str::to_owned),
        sort,
        limit: request.limit.clamp(1, 100),
        after: request.after.clone(),
        ..BrowseQuery::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explore_requests_are_validated() {
        let ok = ExploreRequest {
            text: Some("  dawn ".into()),
            sort: ExploreSort::PriceAsc,
            limit: 1000,
            ..ExploreRequest::default()
        };
        let query = checked_explore(&ok).expect("valid");
        assert_eq!(
            (query.text.as_deref(), query.sort, query.limit),
            (Some("dawn"), Sort::PriceAsc, 100)
        );
        for bad in [
            ExploreRequest {
                owner: Some("0x12".into()),
                ..ExploreRequest::default()
            },
            ExploreRequest {
                text: Some("x".repeat(201)),
                ..ExploreRequest::default()
            },
            ExploreRequest {
                after: Some("n:".repeat(50)),
                ..ExploreRequest::default()
            },
        ] {
            let error = checked_explore(&bad).expect_err("refused");
            assert_eq!(error.code(), ErrorCode::RequestInvalid);
        }
        // An unknown sort or kind cannot reach the command: the request does not deserialize
        // (the shell refuses it before the command runs).
        for bad in [
            r#""sort":"cheapest","kind":null"#,
            r#""sort":"newest","kind":"svg""#,
        ] {
            let json =
                format!(r#"{{"text":null,{bad},"listed_only":false,"limit":5,"after":null}}"#);
            assert!(
                serde_json::from_str::<ExploreRequest>(&json).is_err(),
                "{json}"
            );
        }
    }
}
