//! Availability health: are an account's works still retrievable, intact and pinned?
//!
//! For every work the account created or holds (from the local catalog), each item — the
//! media, the metadata document, the thumbnail and the preview — is checked
//!
//! - in the **local store** (embedded or the Kubo node): every block read back and verified
//!   against its CID, the media's sha-256 compared with the content hash registered on chain and
//!   the metadata document's with the registered metadata hash, and the root pinned;
//! - at each configured **pinning service**: which pin requests exist for the CID and their
//!   status (`GET /pins?cid=…`, every status).
//!
//! Each (work, backend) outcome is recorded in the library database (`availability`), with the
//! last time the work was verified OK there. `fix` re-pins from the local copy: an unpinned
//! item is pinned, a missing or damaged item is restored from a copy on this machine (a
//! thumbnail or preview file in `derivatives/`, or, with a Kubo node as the store, the data
//! folder's embedded blockstore), and absent or failed remote pins are requested again for items
//! whose local copy verifies. Then everything is checked again.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hallmark_catalog::AccountWork;
use hallmark_domain::ErrorCode;
use hallmark_media::WorkMetadata;
use hallmark_pinning::{PinningClient, PinningError};
use hallmark_store::{AnyStore, ContentStore, EmbeddedStore, StoreError};
use hallmark_unixfs::{Cid, ImportSettings, ReadError};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::{info, warn};

use crate::engine::Engine;
use crate::error::EngineError;
use crate::pinning::{
    PinItem, PinningServiceInfo, RemoteState, ServiceIssue, ServiceTarget, remote_states,
};

/// The backend name of the local store in reports and the `availability` table.
pub const LOCAL_BACKEND: &str = "local";

/// Largest metadata document read.
const MAX_DOCUMENT_BYTES: u64 = 1 << 20;

pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The backend name of a pinning service: `pinning:<name>`.
pub(crate) fn remote_backend(name: &str) -> String {
    format!("pinning:{name}")
}

/// The state of one item (or one work) at one backend. `ok` is the only good one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Retrievable, every block verified (local), or pinned (remote).
    Ok,
    /// Local: a block is not in the store.
    Missing,
    /// Local: a block's bytes do not match its CID.
    CidMismatch,
    /// Local: the blocks match their CIDs but do not form a valid file (bad node, sizes).
    Corrupt,
    /// Local: the file verifies but its sha-256 is not what the chain registered.
    ContentMismatch,
    /// Local: retrievable and verified, but not pinned (a Kubo node may collect it).
    NotPinned,
    /// The item's CID is unknown here (its metadata document is not available).
    UnknownCid,
    /// Local: the store (the Kubo node) did not answer.
    StoreUnreachable,
    /// Local: another store failure.
    StoreError,
    /// Remote: the service has no pin request for the CID.
    PinAbsent,
    /// Remote: the request is queued or pinning.
    PinPending,
    /// Remote: the request failed.
    PinFailed,
    /// Remote: the service refused the access token.
    Unauthorized,
    /// Remote: the service did not answer.
    ServiceUnreachable,
    /// Remote: the service answered with an error, or cannot be used by this build.
    ServiceError,
    /// Remote: no access token is stored for the service.
    NoToken,
}

impl Availability {
    /// The wire name, e.g. `cid_mismatch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Missing => "missing",
            Self::CidMismatch => "cid_mismatch",
            Self::Corrupt => "corrupt",
            Self::ContentMismatch => "content_mismatch",
            Self::NotPinned => "not_pinned",
            Self::UnknownCid => "unknown_cid",
            Self::StoreUnreachable => "store_unreachable",
            Self::StoreError => "store_error",
            Self::PinAbsent => "pin_absent",
            Self::PinPending => "pin_pending",
            Self::PinFailed => "pin_failed",
            Self::Unauthorized => "unauthorized",
            Self::ServiceUnreachable => "service_unreachable",
            Self::ServiceError => "service_error",
            Self::NoToken => "no_token",
        }
    }

    /// Whether this is [`Availability::Ok`].
    pub fn is_ok(self) -> bool {
        self == Self::Ok
    }

    /// A service-level issue's availability (from its `pinning.*` code).
    pub(crate) fn of_issue(issue: &ServiceIssue) -> Self {
        match issue.code {
            ErrorCode::PinningUnauthorized => Self::Unauthorized,
            ErrorCode::PinningUnreachable => Self::ServiceUnreachable,
            ErrorCode::PinningNoToken => Self::NoToken,
            _ => Self::ServiceError,
        }
    }
}

/// What to check.
#[derive(Debug, Clone)]
pub struct HealthRequest {
    /// The account (`0x…`): every work it created or holds an edition of is checked.
    pub account: String,
    /// Only these works (ids), if set.
    pub works: Option<Vec<u64>>,
    /// Re-pin from the local copy what can be fixed, then check again.
    pub fix: bool,
    /// With `fix`: how long to wait for re-requested remote pins to be pinned.
    pub wait: Duration,
}

impl HealthRequest {
    /// Checks every work of `account`, without fixing.
    pub fn new(account: impl Into<String>) -> Self {
        Self {
            account: account.into(),
            works: None,
            fix: false,
            wait: Duration::from_secs(30),
        }
    }
}

/// One item of a work at one backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemHealth {
    /// `media`, `metadata`, `thumbnail` or `preview`.
    pub item: String,
    /// Its CID, when known.
    pub cid: Option<String>,
    /// Its state.
    pub status: Availability,
    /// Why it is not `ok`.
    pub detail: Option<String>,
    /// Remote: the service's id of the pin request looked at.
    pub requestid: Option<String>,
}

/// One work at one backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthEntry {
    /// Work id.
    pub work_id: u64,
    /// Title, once the catalog fetched the metadata.
    pub title: Option<String>,
    /// `local` or `pinning:<service name>`.
    pub backend: String,
    /// For people: `local store (embedded)`, `pinning service 'x' (https://…)`.
    pub backend_label: String,
    /// `ok`, or the first problem of its items (or of the service).
    pub status: Availability,
    /// Each item.
    pub items: Vec<ItemHealth>,
    /// A problem of the whole backend (e.g. the service refused the token).
    pub detail: Option<String>,
    /// When this work was last verified OK at this backend (unix seconds), if ever.
    pub last_verified_at: Option<u64>,
    /// When this check ran (unix seconds).
    pub checked_at: u64,
}

impl HealthEntry {
    /// Whether the work is fine at this backend.
    pub fn is_ok(&self) -> bool {
        self.status.is_ok()
    }
}

/// What `fix` did for one item at one backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixAction {
    /// Work id.
    pub work_id: u64,
    /// `local` or `pinning:<service name>`.
    pub backend: String,
    /// The item.
    pub item: String,
    /// Its CID, when known.
    pub cid: Option<String>,
    /// `pinned_locally`, `restored`, `pin_requested`, `pin_replaced`, `already_requested` or
    /// `cannot_fix`.
    pub action: String,
    /// Whether the action succeeded (a pin request counts once the service accepted it).
    pub done: bool,
    /// Where the copy came from, the request's status, or why nothing could be done.
    pub detail: Option<String>,
}

/// The result of [`Engine::health`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReport {
    /// The account checked.
    pub account: String,
    /// When (unix seconds).
    pub checked_at: u64,
    /// The local store: `embedded` or `kubo <url>`.
    pub store: String,
    /// The pinning services checked (never their tokens).
    pub services: Vec<PinningServiceInfo>,
    /// Works checked.
    pub works: usize,
    /// Whether the catalog has been synced at all (if not, it knows no works).
    pub catalog_synced: bool,
    /// One entry per work and backend: problems first, then the OK ones.
    pub entries: Vec<HealthEntry>,
    /// Entries that are not OK.
    pub problems: usize,
    /// What `fix` did (empty without it).
    pub fixes: Vec<FixAction>,
    /// Blocks of the embedded store that nothing references (left by a refused or interrupted
    /// write, older than [`hallmark_store::UNREFERENCED_GRACE`]); removed by `fix`. `None` for
    /// a Kubo node, which collects its own garbage (`ipfs repo gc`).
    pub unreferenced: Option<hallmark_store::Unreferenced>,
}

impl HealthReport {
    /// No problem remains (unreferenced blocks count until they are removed).
    pub fn healthy(&self) -> bool {
        self.problems == 0 && self.unreferenced.is_none_or(|u| u.blocks == 0 || u.removed)
    }
}

/// A recorded check of a work at one backend (the `availability` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AvailabilityRecord {
    /// Work id.
    pub work_id: u64,
    /// `local` or `pinning:<name>`.
    pub backend: String,
    /// The last status (`ok` or a problem, see [`Availability`]; `pin_pending` after a request).
    pub status: String,
    /// Why, for a problem.
    pub detail: Option<String>,
    /// When it was last checked.
    pub checked_at: u64,
    /// When it was last verified OK.
    pub verified_at: Option<u64>,
}

/// A work's items as far as they are known here.
#[derive(Debug, Clone, Default)]
pub(crate) struct WorkItems {
    /// The items with a CID, each CID once.
    pub(crate) items: Vec<PinItem>,
    /// Items whose CID is unknown (the metadata document is not available).
    pub(crate) unknown: Vec<&'static str>,
}

/// A writer that only hashes.
struct HashingSink(Sha256);

impl Write for HashingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn strip_0x(s: &str) -> &str {
    s.strip_prefix("0x").unwrap_or(s)
}

fn store_availability(e: &StoreError) -> Availability {
    match e {
        StoreError::NotFound { .. } => Availability::Missing,
        StoreError::CidMismatch { .. } => Availability::CidMismatch,
        StoreError::Dag { .. } => Availability::Corrupt,
        StoreError::Unreachable { .. } => Availability::StoreUnreachable,
        _ => Availability::StoreError,
    }
}

fn read_availability(e: &ReadError<StoreError>) -> Availability {
    match e {
        ReadError::Fetch(e) => store_availability(e),
        ReadError::Cid(_) => Availability::CidMismatch,
        _ => Availability::Corrupt,
    }
}

fn remote_item(item: &PinItem, state: Option<&RemoteState>) -> ItemHealth {
    let (status, detail, requestid) = match state {
        Some(RemoteState::Pinned(st)) => (Availability::Ok, None, Some(st.requestid.clone())),
        Some(RemoteState::Pending(st)) => (
            Availability::PinPending,
            Some(format!("the pin request is {}", st.status)),
            Some(st.requestid.clone()),
        ),
        Some(RemoteState::Failed(st)) => (
            Availability::PinFailed,
            Some(
                st.info
                    .get("status_details")
                    .map_or_else(|| "the service could not pin it".to_owned(), Clone::clone),
            ),
            Some(st.requestid.clone()),
        ),
        Some(RemoteState::Absent) | None => (
            Availability::PinAbsent,
            Some("the service has no pin request for this CID".to_owned()),
            None,
        ),
    };
    ItemHealth {
        item: item.item.to_owned(),
        cid: Some(item.cid.clone()),
        status,
        detail,
        requestid,
    }
}

fn unknown_items(work: &WorkItems) -> impl Iterator<Item = ItemHealth> + '_ {
    work.unknown.iter().map(|item| ItemHealth {
        item: (*item).to_owned(),
        cid: None,
        status: Availability::UnknownCid,
        detail: Some(
            "its CID is unknown here: the metadata document is not available (run `hallmark sync`)"
                .to_owned(),
        ),
        requestid: None,
    })
}

fn first_problem(items: &[ItemHealth]) -> Availability {
    items
        .iter()
        .map(|i| i.status)
        .find(|s| !s.is_ok())
        .unwrap_or(Availability::Ok)
}

impl Engine {
    fn store_label(&self) -> String {
        match self.store() {
            AnyStore::Embedded(_) => "embedded".to_owned(),
            AnyStore::Kubo(node) => format!("kubo {}", node.url()),
        }
    }

    /// Whether the store has the block `cid` — asked first of a Kubo node, which would look for
    /// an absent block on the network for a long time; the embedded store answers at once.
    async fn has_root(&self, cid: &Cid) -> bool {
        match self.store() {
            AnyStore::Kubo(_) => self.store().has_block(cid).await.unwrap_or(false),
            AnyStore::Embedded(_) => true,
        }
    }

    /// The CIDs of a work: the metadata document (as registered), and the media, thumbnail and
    /// preview it names (read from the local store, else as the catalog recorded them; the
    /// preview from the library of this machine, else the document's `image` when that is
    /// another file than the media and the thumbnail).
    pub(crate) async fn work_items(&self, work: &AccountWork) -> WorkItems {
        let mut media = work.media_cid.clone();
        let mut thumbnail = work.thumbnail_cid.clone();
        let mut shown = None;
        if let Ok(cid) = work.metadata_cid.parse::<Cid>()
            && self.has_root(&cid).await
            && let Ok(bytes) = self.store().read_file(&cid, MAX_DOCUMENT_BYTES).await
            && let Ok(document) = WorkMetadata::from_json(&bytes)
        {
            media = Some(document.hallmark.content_cid.to_string());
            let cid_of = |url: &str| url.strip_prefix("ipfs://").unwrap_or(url).to_owned();
            thumbnail = document.thumbnail_url().map(cid_of);
            shown = document.image.as_deref().map(cid_of);
        }
        let local = media
            .as_deref()
            .and_then(|m| self.library().get(m).ok().flatten());
        let preview = local.as_ref().and_then(|l| l.preview_cid.clone()).or(shown);
        if thumbnail.is_none() {
            thumbnail = local.as_ref().and_then(|l| l.thumbnail_cid.clone());
        }
        let mut out = WorkItems::default();
        let mut seen = HashSet::new();
        for (item, cid) in [
            ("media", media),
            ("metadata", Some(work.metadata_cid.clone())),
            ("thumbnail", thumbnail),
            ("preview", preview),
        ] {
            match cid {
                Some(cid) if seen.insert(cid.clone()) => out.items.push(PinItem { item, cid }),
                Some(_) => {}
                None if item == "media" => out.unknown.push(item),
                None => {}
            }
        }
        out
    }

    /// Reads the file `cid` from the local store, verifying every block, and compares its
    /// sha-256 with `expected_sha256` (hex, with or without `0x`) when given.
    async fn verify_local(
        &self,
        cid_text: &str,
        expected_sha256: Option<&str>,
    ) -> (Availability, Option<String>) {
        let Ok(cid) = cid_text.parse::<Cid>() else {
            return (
                Availability::UnknownCid,
                Some(format!("{cid_text:?} is not a CID")),
            );
        };
        if let AnyStore::Kubo(_) = self.store() {
            // A node looks for an absent block on the network for a long time: ask first.
            match self.store().has_block(&cid).await {
                Ok(true) => {}
                Ok(false) => {
                    return (
                        Availability::Missing,
                        Some("the IPFS node does not have it".to_owned()),
                    );
                }
                Err(e) => return (store_availability(&e), Some(e.to_string())),
            }
        }
        let store = self.store().clone();
        let handle = tokio::runtime::Handle::current();
        let walked = tokio::task::spawn_blocking(move || {
            let mut sink = HashingSink(Sha256::new());
            hallmark_unixfs::read_file(&cid, |c| handle.block_on(store.get_block(c)), &mut sink)
                .map(|_| hex::encode(sink.0.finalize()))
        })
        .await;
        match walked {
            Ok(Ok(sha)) => match expected_sha256 {
                Some(expected) if !sha.eq_ignore_ascii_case(strip_0x(expected)) => (
                    Availability::ContentMismatch,
                    Some(format!(
                        "the file hashes to {sha}, the chain registered {}",
                        strip_0x(expected)
                    )),
                ),
                _ => (Availability::Ok, None),
            },
            Ok(Err(e)) => {
                let status = read_availability(&e);
                let detail = match e {
                    ReadError::Fetch(e) => e.to_string(),
                    other => other.to_string(),
                };
                (status, Some(detail))
            }
            Err(e) => (Availability::StoreError, Some(e.to_string())),
        }
    }

    async fn check_local(
        &self,
        work: &AccountWork,
        items: &WorkItems,
        pins: &Result<HashSet<Cid>, String>,
        now: u64,
    ) -> HealthEntry {
        let mut checked = Vec::new();
        for item in &items.items {
            let expected = match item.item {
                "media" => Some(work.content_hash.as_str()),
                "metadata" => Some(work.metadata_hash.as_str()),
                _ => None,
            };
            let (mut status, mut detail) = self.verify_local(&item.cid, expected).await;
            if status.is_ok() {
                match (pins, item.cid.parse::<Cid>()) {
                    (Ok(pins), Ok(cid)) if !pins.contains(&cid) => {
                        status = Availability::NotPinned;
                        detail = Some("stored and verified, but not pinned".to_owned());
                    }
                    (Err(why), _) => {
                        status = Availability::StoreError;
                        detail = Some(format!("the pins could not be listed: {why}"));
                    }
                    _ => {}
                }
            }
            checked.push(ItemHealth {
                item: item.item.to_owned(),
                cid: Some(item.cid.clone()),
                status,
                detail,
                requestid: None,
            });
        }
        checked.extend(unknown_items(items));
        HealthEntry {
            work_id: work.work_id,
            title: work.title.clone(),
            backend: LOCAL_BACKEND.to_owned(),
            backend_label: format!("local store ({})", self.store_label()),
            status: first_problem(&checked),
            items: checked,
            detail: None,
            last_verified_at: None,
            checked_at: now,
        }
    }

    /// One service's entries for every work.
    async fn check_remote(
        &self,
        target: &ServiceTarget,
        works: &[(AccountWork, WorkItems)],
        now: u64,
    ) -> Vec<HealthEntry> {
        let label = format!("pinning service '{}' ({})", target.name, target.endpoint);
        let entry = |work: &AccountWork, status, items, detail| HealthEntry {
            work_id: work.work_id,
            title: work.title.clone(),
            backend: remote_backend(&target.name),
            backend_label: label.clone(),
            status,
            items,
            detail,
            last_verified_at: None,
            checked_at: now,
        };
        let cids: Vec<String> = works
            .iter()
            .flat_map(|(_, items)| items.items.iter().map(|i| i.cid.clone()))
            .collect();
        let states = match &target.client {
            Err(issue) => Err(issue.clone()),
            Ok(client) => remote_states(client, &cids)
                .await
                .map_err(|e| ServiceIssue::from_error(&e)),
        };
        match states {
            Err(issue) => works
                .iter()
                .map(|(work, _)| {
                    entry(
                        work,
                        Availability::of_issue(&issue),
                        Vec::new(),
                        Some(issue.message.clone()),
                    )
                })
                .collect(),
            Ok(states) => works
                .iter()
                .map(|(work, items)| {
                    let mut checked: Vec<ItemHealth> = items
                        .items
                        .iter()
                        .map(|i| remote_item(i, states.get(&i.cid)))
                        .collect();
                    checked.extend(unknown_items(items));
                    entry(work, first_problem(&checked), checked, None)
                })
                .collect(),
        }
    }

    /// Records a check of `work_id` at `backend`; `verified_at` moves on when `status` is `ok`
    /// and is forgotten if the work id now names another registration (another metadata CID).
    pub(crate) fn record_availability(
        &self,
        work_id: u64,
        backend: &str,
        metadata_cid: &str,
        status: &str,
        detail: Option<&str>,
        now: u64,
    ) -> Result<Option<u64>, EngineError> {
        let work = i64::try_from(work_id).unwrap_or(i64::MAX);
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        self.library().with(|conn| {
            conn.execute(
                "INSERT INTO availability (work_id, backend, metadata_cid, status, detail,
                     checked_at, verified_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?4 = 'ok' THEN ?6 END)
                 ON CONFLICT (work_id, backend) DO UPDATE SET
                     verified_at = CASE
                         WHEN excluded.status = 'ok' THEN excluded.checked_at
                         WHEN availability.metadata_cid <> excluded.metadata_cid THEN NULL
                         ELSE availability.verified_at END,
                     metadata_cid = excluded.metadata_cid, status = excluded.status,
                     detail = excluded.detail, checked_at = excluded.checked_at",
                params![work, backend, metadata_cid, status, detail, now],
            )?;
            conn.query_row(
                "SELECT verified_at FROM availability WHERE work_id = ?1 AND backend = ?2",
                params![work, backend],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()
            .map(|v| v.flatten().map(|t| t as u64))
        })
    }

    /// The recorded checks of a work, one per backend (no network: what the last
    /// [`Engine::health`] or [`Engine::pin_remote`] found).
    pub fn availability(&self, work_id: u64) -> Result<Vec<AvailabilityRecord>, EngineError> {
        let work = i64::try_from(work_id).unwrap_or(i64::MAX);
        self.library().with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT work_id, backend, status, detail, checked_at, verified_at
                 FROM availability WHERE work_id = ?1 ORDER BY backend",
            )?;
            let rows = stmt.query_map(params![work], |r| {
                Ok(AvailabilityRecord {
                    work_id: r.get::<_, i64>(0)? as u64,
                    backend: r.get(1)?,
                    status: r.get(2)?,
                    detail: r.get(3)?,
                    checked_at: r.get::<_, i64>(4)? as u64,
                    verified_at: r.get::<_, Option<i64>>(5)?.map(|t| t as u64),
                })
            })?;
            rows.collect()
        })
    }

    /// Checks (and with `fix`, repairs) the availability of the account's works in the local
    /// store and at every configured pinning service. Works offline from the chain: the works
    /// come from the local catalog (run a sync first to include new ones).
    pub async fn health(&self, request: &HealthRequest) -> Result<HealthReport, EngineError> {
        if request
            .account
            .trim()
            .parse::<hallmark_chain::Address>()
            .is_err()
        {
            return Err(EngineError::Chain(
                hallmark_chain::ChainError::InvalidInput {
                    reason: format!("{:?} is not an account address (0x…)", request.account),
                },
            ));
        }
        let mut works = self.catalog().works_of_account(&request.account)?;
        if let Some(only) = &request.works {
            works.retain(|w| only.contains(&w.work_id));
            for id in only {
                if !works.iter().any(|w| w.work_id == *id)
                    && let Some(work) = self.catalog().account_work(*id)?
                {
                    works.push(work);
                }
            }
        }
        let mut with_items = Vec::with_capacity(works.len());
        for work in works {
            let items = self.work_items(&work).await;
            with_items.push((work, items));
        }
        let targets = self.pinning_targets()?;
        let mut first = self.check_all(request, &with_items, &targets).await?;
        first.unreferenced = self.unreferenced_blocks(request.fix).await?;
        if !request.fix || first.healthy() {
            return Ok(first);
        }
        let fixes = self
            .fix_problems(&first, &with_items, &targets, request.wait)
            .await;
        // The items may be known better now (a restored metadata document names the media).
        let mut refreshed = Vec::with_capacity(with_items.len());
        for (work, _) in with_items {
            let items = self.work_items(&work).await;
            refreshed.push((work, items));
        }
        let mut report = self.check_all(request, &refreshed, &targets).await?;
        info!(
            fixed = fixes.iter().filter(|f| f.done).count(),
            remaining = report.problems,
            "availability fixed"
        );
        report.fixes = fixes;
        report.unreferenced = first.unreferenced;
        Ok(report)
    }

    /// The embedded store's unreferenced blocks, removed when `remove`; `None` for Kubo.
    async fn unreferenced_blocks(
        &self,
        remove: bool,
    ) -> Result<Option<hallmark_store::Unreferenced>, EngineError> {
        match self.store() {
            AnyStore::Embedded(store) => Ok(Some(
                store
                    .unreferenced_blocks(hallmark_store::UNREFERENCED_GRACE, remove)
                    .await?,
            )),
            AnyStore::Kubo(_) => Ok(None),
        }
    }

    async fn check_all(
        &self,
        request: &HealthRequest,
        works: &[(AccountWork, WorkItems)],
        targets: &[ServiceTarget],
    ) -> Result<HealthReport, EngineError> {
        let now = now_secs();
        let pins = if works.is_empty() {
            Ok(HashSet::new())
        } else {
            self.store()
                .pin_ls()
                .await
                .map(|p| p.into_iter().collect::<HashSet<Cid>>())
                .map_err(|e| e.to_string())
        };
        let mut entries = Vec::new();
        for (work, items) in works {
            entries.push(self.check_local(work, items, &pins, now).await);
        }
        for target in targets {
            entries.extend(self.check_remote(target, works, now).await);
        }
        for entry in &mut entries {
            let metadata_cid = works
                .iter()
                .find(|(w, _)| w.work_id == entry.work_id)
                .map(|(w, _)| w.metadata_cid.as_str())
                .unwrap_or_default();
            let detail = entry.detail.clone().or_else(|| {
                entry
                    .items
                    .iter()
                    .find(|i| !i.status.is_ok())
                    .map(|i| format!("{}: {}", i.item, i.detail.as_deref().unwrap_or("")))
            });
            entry.last_verified_at = self.record_availability(
                entry.work_id,
                &entry.backend,
                metadata_cid,
                entry.status.as_str(),
                detail.as_deref(),
                now,
            )?;
        }
        entries.sort_by(|a, b| {
            (a.is_ok(), a.work_id, a.backend != LOCAL_BACKEND, &a.backend).cmp(&(
                b.is_ok(),
                b.work_id,
                b.backend != LOCAL_BACKEND,
                &b.backend,
            ))
        });
        let problems = entries.iter().filter(|e| !e.is_ok()).count();
        Ok(HealthReport {
            account: request.account.trim().to_ascii_lowercase(),
            checked_at: now,
            store: self.store_label(),
            services: self.pinning_services()?,
            works: works.len(),
            catalog_synced: self
                .catalog()
                .sync_state()?
                .is_some_and(|s| s.synced_block().is_some()),
            entries,
            problems,
            fixes: Vec::new(),
            unreferenced: None,
        })
    }

    /// Re-pins from the local copy what `report` found wrong (see the module docs).
    async fn fix_problems(
        &self,
        report: &HealthReport,
        works: &[(AccountWork, WorkItems)],
        targets: &[ServiceTarget],
        wait: Duration,
    ) -> Vec<FixAction> {
        let mut fixes = Fixes::default();
        let origins = self.store_origins().await;
        for (work, items) in works {
            let entries: Vec<&HealthEntry> = report
                .entries
                .iter()
                .filter(|e| e.work_id == work.work_id)
                .collect();
            // Local first: what verifies locally afterwards can be pinned remotely.
            let local_ok = match entries.iter().find(|e| e.backend == LOCAL_BACKEND) {
                Some(local) => self.fix_local_entry(work, local, &mut fixes).await,
                None => HashSet::new(),
            };
            for entry in entries.iter().filter(|e| e.backend != LOCAL_BACKEND) {
                if entry.is_ok() || entry.status == Availability::PinPending {
                    continue;
                }
                let Some(target) = targets
                    .iter()
                    .find(|t| remote_backend(&t.name) == entry.backend)
                else {
                    continue;
                };
                if entry.items.is_empty() {
                    // the service itself is the problem (token, unreachable, …)
                    fixes.cannot_fix(
                        work.work_id,
                        &entry.backend,
                        "*",
                        None,
                        entry.detail.clone(),
                    );
                    continue;
                }
                let to_pin = pins_to_request(work.work_id, items, entry, &local_ok, &mut fixes);
                if !to_pin.is_empty() {
                    self.request_pins(
                        work.work_id,
                        &entry.backend,
                        target,
                        &to_pin,
                        &origins,
                        &mut fixes,
                    )
                    .await;
                }
            }
        }
        fixes.wait_for_requests(wait).await
    }

    /// Repairs the local items of one work's local entry. Returns the CIDs that verify locally
    /// afterwards.
    async fn fix_local_entry(
        &self,
        work: &AccountWork,
        local: &HealthEntry,
        fixes: &mut Fixes,
    ) -> HashSet<String> {
        let mut local_ok: HashSet<String> = HashSet::new();
        for item in &local.items {
            let Some(cid) = &item.cid else {
                fixes.cannot_fix(
                    work.work_id,
                    LOCAL_BACKEND,
                    &item.item,
                    None,
                    item.detail.clone(),
                );
                continue;
            };
            if item.status.is_ok() {
                local_ok.insert(cid.clone());
                continue;
            }
            let expected = match item.item.as_str() {
                "media" => Some(work.content_hash.as_str()),
                "metadata" => Some(work.metadata_hash.as_str()),
                _ => None,
            };
            let action = self.fix_local(work.work_id, item, cid, expected).await;
            if action.done {
                local_ok.insert(cid.clone());
            }
            fixes.actions.push(action);
        }
        local_ok
    }

    /// Asks `target` to pin `to_pin` again, and records each outcome (and each new request, to
    /// wait for).
    async fn request_pins(
        &self,
        work_id: u64,
        backend: &str,
        target: &ServiceTarget,
        to_pin: &[PinItem],
        origins: &[String],
        fixes: &mut Fixes,
    ) {
        let single = std::slice::from_ref(target);
        let outcomes = self
            .request_remote_pins(work_id, to_pin, single, origins, None)
            .await;
        for o in outcomes {
            let done = o.error.is_none();
            let action = match o.action.as_str() {
                "replaced" => "pin_replaced",
                "requested" => "pin_requested",
                "already_pinned" | "already_requested" => "already_requested",
                _ => "cannot_fix",
            };
            if let (Some(requestid), Ok(client)) = (&o.requestid, &target.client)
                && matches!(o.action.as_str(), "requested" | "replaced")
            {
                fixes
                    .sent
                    .push((fixes.actions.len(), client.clone(), requestid.clone()));
            }
            fixes.actions.push(FixAction {
                work_id,
                backend: backend.to_owned(),
                item: o.item,
                cid: Some(o.cid),
                action: action.to_owned(),
                done,
                detail: match o.error {
                    Some(issue) => Some(issue.message),
                    None => o.status.map(|s| format!("request {s}")),
                },
            });
        }
    }

    /// Repairs one local item: pins it if it only lacks a pin, else restores it from a copy on
    /// this machine.
    async fn fix_local(
        &self,
        work_id: u64,
        item: &ItemHealth,
        cid_text: &str,
        expected: Option<&str>,
    ) -> FixAction {
        let mut action = FixAction {
            work_id,
            backend: LOCAL_BACKEND.to_owned(),
            item: item.item.clone(),
            cid: Some(cid_text.to_owned()),
            action: "cannot_fix".to_owned(),
            done: false,
            detail: None,
        };
        let Ok(cid) = cid_text.parse::<Cid>() else {
            action.detail = item.detail.clone();
            return action;
        };
        match item.status {
            Availability::NotPinned => match self.store().pin_add(&cid).await {
                Ok(()) => {
                    action.action = "pinned_locally".to_owned();
                    action.done = true;
                }
                Err(e) => action.detail = Some(e.to_string()),
            },
            Availability::Missing | Availability::CidMismatch | Availability::Corrupt => {
                match self.restore_from_copy(&cid, item.item.as_str()).await {
                    Ok(Some(source)) => {
                        let (status, detail) = self.verify_local(cid_text, expected).await;
                        if status.is_ok() {
                            action.action = "restored".to_owned();
                            action.done = true;
                            action.detail = Some(format!("from {source}"));
                        } else {
                            action.detail = Some(format!(
                                "a copy from {source} was added but the item still does not verify: {}",
                                detail.unwrap_or_default()
                            ));
                        }
                    }
                    Ok(None) => {
                        action.detail = Some(
                            "no copy of it on this machine (only the local store held it); a pinning service or another node that has it can restore it"
                                .to_owned(),
                        );
                    }
                    Err(e) => action.detail = Some(e.to_string()),
                }
            }
            _ => action.detail = item.detail.clone(),
        }
        action
    }

    /// Adds the file `cid` back into the store from a copy on this machine and pins it:
    /// a derivative file (`derivatives/<cid>.png`), or, with a Kubo node as the store, the data
    /// folder's embedded blockstore. Returns where the copy came from, `None` without a copy.
    async fn restore_from_copy(
        &self,
        cid: &Cid,
        item: &str,
    ) -> Result<Option<String>, EngineError> {
        let derivative: PathBuf = self.config().derivatives_dir().join(format!("{cid}.png"));
        if matches!(item, "thumbnail" | "preview") && derivative.is_file() {
            // Adding rewrites absent blocks and blocks of another size; a damaged block of the
            // right size is removed first (one per round, as far as the DAG can be read).
            for _ in 0..8 {
                if let AnyStore::Embedded(store) = self.store() {
                    remove_a_damaged_block(store, cid).await;
                }
                let added = self
                    .store()
                    .add_file(&derivative, &ImportSettings::kubo_v1())
                    .await?;
                if added.root != *cid {
                    warn!(%cid, root = %added.root, "the derivative file is not this item");
                    break;
                }
                if self.verify_local(&cid.to_string(), None).await.0.is_ok() {
                    self.store().pin_add(cid).await?;
                    return Ok(Some(format!("the file {}", derivative.display())));
                }
            }
        }
        if let AnyStore::Kubo(node) = self.store() {
            let dir = self.config().ipfs_dir();
            if dir.join("blocks").is_dir() {
                let local = EmbeddedStore::open(&dir)?;
                if local.pin_add(cid).await.is_ok() {
                    let car = dir.join("tmp").join(format!(
                        "restore-{}-{}.car",
                        std::process::id(),
                        now_secs()
                    ));
                    let exported = local.export_car(&[*cid], &car).await;
                    let added = match exported {
                        Ok(_) => node.add_car(&car).await.map(|_| ()),
                        Err(e) => Err(e),
                    };
                    let _ = std::fs::remove_file(&car);
                    added?;
                    return Ok(Some(format!(
                        "the data folder's blockstore {}",
                        dir.display()
                    )));
                }
            }
        }
        Ok(None)
    }
}

/// What a fix did so far: its actions, and the pin requests it sent (the index of their action,
/// the service and the request id) to wait for.
#[derive(Default)]
struct Fixes {
    actions: Vec<FixAction>,
    sent: Vec<(usize, PinningClient, String)>,
}

impl Fixes {
    /// Records an item nothing could be done for.
    fn cannot_fix(
        &mut self,
        work_id: u64,
        backend: &str,
        item: &str,
        cid: Option<String>,
        detail: Option<String>,
    ) {
        self.actions.push(FixAction {
            work_id,
            backend: backend.to_owned(),
            item: item.to_owned(),
            cid,
            action: "cannot_fix".to_owned(),
            done: false,
            detail,
        });
    }

    /// Waits for every sent request at once (at most `wait`), noting each one's last status.
    async fn wait_for_requests(mut self, wait: Duration) -> Vec<FixAction> {
        let waits = self
            .sent
            .iter()
            .map(|(index, client, requestid)| async move {
                (*index, client.wait_pinned(requestid, wait).await)
            });
        for (index, result) in futures_util::future::join_all(waits).await {
            let status = match result {
                Ok(st) => st.status.as_str().to_owned(),
                Err(PinningError::WaitTimeout { last, .. }) => {
                    last.map_or("still waiting", |s| s.as_str()).to_owned()
                }
                Err(PinningError::PinFailed { .. }) => "failed".to_owned(),
                Err(e) => format!("unknown ({e})"),
            };
            self.actions[index].detail = Some(format!("request {status}"));
        }
        self.actions
    }
}

/// The items of a remote entry whose pin is absent or failed and that can be pinned again from
/// a verified local copy; the others are recorded as not fixable.
fn pins_to_request(
    work_id: u64,
    items: &WorkItems,
    entry: &HealthEntry,
    local_ok: &HashSet<String>,
    fixes: &mut Fixes,
) -> Vec<PinItem> {
    let mut to_pin = Vec::new();
    for item in &entry.items {
        if !matches!(
            item.status,
            Availability::PinAbsent | Availability::PinFailed
        ) {
            continue;
        }
        let Some(pin) = items
            .items
            .iter()
            .find(|p| Some(&p.cid) == item.cid.as_ref())
        else {
            continue;
        };
        if local_ok.contains(&pin.cid) {
            to_pin.push(pin.clone());
        } else {
            fixes.cannot_fix(
                work_id,
                &entry.backend,
                &item.item,
                item.cid.clone(),
                Some("no verified copy in the local store to pin from".to_owned()),
            );
        }
    }
    to_pin
}

/// Deletes the first block file of `root`'s DAG found not to match its CID (adding the file
/// again rewrites only blocks that are absent or of another size).
async fn remove_a_damaged_block(store: &EmbeddedStore, root: &Cid) {
    let copy = store.clone();
    let handle = tokio::runtime::Handle::current();
    let root = *root;
    let damaged = tokio::task::spawn_blocking(move || {
        let mut damaged = None;
        let _ = hallmark_unixfs::dag_cids(&root, |c| {
            let block = handle.block_on(copy.get_block(c));
            if let Err(StoreError::CidMismatch { .. }) = &block {
                damaged = Some(*c);
            }
            block
        });
        damaged
    })
    .await
    .ok()
    .flatten();
    if let Some(cid) = damaged {
        let path = store.block_path(&cid);
        warn!(%cid, path = %path.display(), "removing a damaged block before restoring it");
        let _ = std::fs::remove_file(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_names_are_stable() {
        for (status, name) in [
            (Availability::Ok, "ok"),
            (Availability::Missing, "missing"),
            (Availability::CidMismatch, "cid_mismatch"),
            (Availability::PinAbsent, "pin_absent"),
            (Availability::Unauthorized, "unauthorized"),
        ] {
            assert_eq!(status.as_str(), name);
            assert_eq!(
                serde_json::to_value(status).expect("json"),
                serde_json::Value::String(name.to_owned())
            );
        }
    }
}
