//! Fetching works' metadata documents and thumbnails from the content store, CID-verified, with
//! bounded concurrency. A missing or invalid document is recorded (and retried with backoff when it
//! may come back) and never blocks the rest.

use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use hallmark_catalog::{Catalog, MetadataFetch, WorkDetails};
use hallmark_media::{AttributeValue, WorkMetadata};
use hallmark_store::ContentStore;
use hallmark_unixfs::Cid;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::{debug, info};

use crate::error::IndexerError;

/// Largest metadata document read.
const MAX_DOCUMENT_BYTES: u64 = 1 << 20;
/// Largest thumbnail read.
const MAX_THUMBNAIL_BYTES: u64 = 16 << 20;

/// What a round of fetching did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct FetchReport {
    /// Documents tried.
    pub attempted: u64,
    /// Retrieved, verified, thumbnail present.
    pub available: u64,
    /// Not retrievable (document or thumbnail); retried later.
    pub unavailable: u64,
    /// Not valid metadata, or not what the chain registered.
    pub invalid: u64,
}

/// Fetches due metadata for a catalog from a content store.
#[derive(Debug)]
pub struct MetadataFetcher<'a, S> {
    store: &'a S,
    catalog: &'a Catalog,
    concurrency: usize,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn strip_0x(s: &str) -> &str {
    s.strip_prefix("0x").unwrap_or(s)
}

impl<'a, S: ContentStore> MetadataFetcher<'a, S> {
    /// A fetcher running at most `concurrency` fetches at once.
    pub fn new(store: &'a S, catalog: &'a Catalog, concurrency: usize) -> Self {
        Self {
            store,
            catalog,
            concurrency: concurrency.max(1),
        }
    }

    /// Fetches every document due now, in rounds of up to `batch`, until none is due.
    pub async fn fetch_due(&self, batch: u32) -> Result<FetchReport, IndexerError> {
        self.fetch_due_reporting(batch, |_| {}).await
    }

    /// [`fetch_due`](Self::fetch_due), calling `after_batch` with the report so far after each
    /// batch is recorded (a caller redraws what arrived: the newest works' documents come first).
    pub async fn fetch_due_reporting(
        &self,
        batch: u32,
        mut after_batch: impl FnMut(&FetchReport),
    ) -> Result<FetchReport, IndexerError> {
        let mut report = FetchReport::default();
        loop {
            let now = now_secs();
            let due = self.catalog.due_metadata(now, batch.max(1))?;
            if due.is_empty() {
                break;
            }
            let outcomes: Vec<(String, MetadataFetch)> = futures_util::stream::iter(due)
                .map(|cid| async move {
                    let expected = self.catalog.registered_hashes(&cid).ok().flatten();
                    let fetch = self.fetch_one(&cid, expected).await;
                    (cid, fetch)
                })
                .buffer_unordered(self.concurrency)
                .collect()
                .await;
            for (cid, fetch) in outcomes {
                report.attempted += 1;
                match &fetch {
                    MetadataFetch::Available(_) => report.available += 1,
                    MetadataFetch::MediaUnavailable(..) | MetadataFetch::Unavailable(_) => {
                        report.unavailable += 1;
                    }
                    MetadataFetch::Invalid(why) => {
                        info!(%cid, reason = %why, "metadata refused");
                        report.invalid += 1;
                    }
                }
                self.catalog.record_metadata(&cid, &fetch, now)?;
            }
            after_batch(&report);
        }
        if report.attempted > 0 {
            debug!(?report, "metadata fetched");
        }
        Ok(report)
    }

    /// Fetches the document `cid` now, whether it is due or not, checks it like
    /// [`fetch_due`](Self::fetch_due) does (against the hashes the chain registered) and records
    /// the outcome in the catalog.
    pub async fn fetch_now(&self, cid: &str) -> Result<FetchReport, IndexerError> {
        let now = now_secs();
        let expected = self.catalog.registered_hashes(cid)?;
        let fetch = self.fetch_one(cid, expected).await;
        let mut report = FetchReport {
            attempted: 1,
            ..FetchReport::default()
        };
        match &fetch {
            MetadataFetch::Available(_) => report.available = 1,
            MetadataFetch::MediaUnavailable(..) | MetadataFetch::Unavailable(_) => {
                report.unavailable = 1;
            }
            MetadataFetch::Invalid(why) => {
                info!(%cid, reason = %why, "metadata refused");
                report.invalid = 1;
            }
        }
        self.catalog.record_metadata(cid, &fetch, now)?;
        Ok(report)
    }

    /// Fetches and checks one document: it must be valid metadata, hash to the registered
    /// `metadata_hash` and describe the registered content hash; then its thumbnail must be
    /// retrievable.
    async fn fetch_one(&self, cid_text: &str, expected: Option<(String, String)>) -> MetadataFetch {
        let Ok(cid) = cid_text.parse::<Cid>() else {
            return MetadataFetch::Invalid(format!("{cid_text:?} is not a CID"));
        };
        let bytes = match self.store.read_file(&cid, MAX_DOCUMENT_BYTES).await {
            Ok(bytes) => bytes,
            Err(e) => return MetadataFetch::Unavailable(e.to_string()),
        };
        if let Some((metadata_hash, _)) = &expected {
            let actual = hex::encode(Sha256::digest(&bytes));
            if !actual.eq_ignore_ascii_case(strip_0x(metadata_hash)) {
                return MetadataFetch::Invalid(format!(
                    "the document hashes to {actual}, the chain registered {metadata_hash}"
                ));
            }
        }
        let document = match WorkMetadata::from_json(&bytes) {
            Ok(d) => d,
            Err(e) => return MetadataFetch::Invalid(e.to_string()),
        };
        if let Some((_, content_hash)) = &expected {
            let claimed = &document.hallmark.content_sha256;
            if !claimed.eq_ignore_ascii_case(strip_0x(content_hash)) {
                return MetadataFetch::Invalid(format!(
                    "the document describes content {claimed}, the chain registered {content_hash}"
                ));
            }
        }
        let details = details_of(&document);
        let Some(thumbnail) = details.thumbnail_cid.as_deref() else {
            return MetadataFetch::Available(details);
        };
        let Ok(thumbnail_cid) = thumbnail.parse::<Cid>() else {
            return MetadataFetch::Invalid(format!("the image {thumbnail:?} is not a CID"));
        };
        match self
            .store
            .read_file(&thumbnail_cid, MAX_THUMBNAIL_BYTES)
            .await
        {
            Ok(_) => MetadataFetch::Available(details),
            Err(e) => MetadataFetch::MediaUnavailable(details, format!("thumbnail: {e}")),
        }
    }
}

/// What the catalog keeps of a document.
fn details_of(document: &WorkMetadata) -> WorkDetails {
    let mime = document.hallmark.mime.clone();
    let kind = mime.split('/').next().map(str::to_owned);
    WorkDetails {
        title: document.name.clone(),
        description: document.description.clone(),
        attributes: document
            .attributes
            .iter()
            .map(|a| {
                let value = match &a.value {
                    AttributeValue::Text(t) => t.clone(),
                    AttributeValue::Number(n) => n.to_string(),
                };
                (a.trait_type.clone(), value)
            })
            .collect(),
        licence: Some(document.hallmark.licence.clone()),
        media_cid: Some(document.hallmark.content_cid.to_string()),
        mime: Some(mime),
        kind,
        thumbnail_cid: document
            .thumbnail_url()
            .map(|url| url.strip_prefix("ipfs://").unwrap_or(url).to_owned()),
        perceptual: document
            .hallmark
            .perceptual
            .map(|p| hallmark_catalog::PublishedHashes {
                pdq: p.pdq.to_hex(),
                pdq_extra: p.pdq_all().iter().skip(1).map(|h| h.to_hex()).collect(),
                pdq_quality: p.pdq_quality,
                phash: hallmark_media::perceptual::phash_to_hex(p.phash),
            }),
    }
}
