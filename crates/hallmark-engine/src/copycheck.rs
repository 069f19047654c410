//! Copy detection before a mint: the exact content hash first, then perceptual near copies
//! among every registered work whose metadata publishes a PDQ hash (the catalog holds them; the
//! index is rebuilt from it when it changed).

use std::sync::Arc;

use hallmark_media::Ingested;
use hallmark_media::perceptual::{Hash256, SimilarityIndex, Thresholds};
use serde::Serialize;
use tracing::{debug, warn};

use crate::engine::Engine;
use crate::error::EngineError;

/// The similarity index and the catalog generation it was built from.
pub(crate) type CachedIndex = Option<((u64, u64), Arc<SimilarityIndex<u64>>)>;

/// A registered work that looks like the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMatch {
    /// The registered work.
    pub work_id: u64,
    /// PDQ Hamming distance (of 256 bits) at the best rotation/reflection.
    pub distance: u32,
    /// Which rotation/reflection of the new image matched (`original`, `rotate90`, `flip_x` …).
    pub transform: String,
    /// Its title, when the catalog has its metadata.
    pub title: Option<String>,
    /// Its creator.
    pub creator: String,
    /// When it was registered (unix seconds).
    pub registered_at: u64,
    /// Its picture, for showing the two side by side.
    pub thumbnail_cid: Option<String>,
}

/// What the copy check found for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyCheck {
    /// sha-256 of the file.
    pub sha256: String,
    /// The work already registered with exactly these bytes (a mint is refused by the chain).
    pub exact: Option<u64>,
    /// PDQ quality of the new image or video keyframe (`None` for audio: exact check only).
    pub quality: Option<u8>,
    /// Near copies within the thresholds, closest first (empty when the image's quality is
    /// under the threshold: its hash is not reliable enough to accuse anyone).
    pub near: Vec<NearMatch>,
    /// The thresholds used.
    pub thresholds: Thresholds,
    /// How many registered works were compared.
    pub compared: usize,
    /// Why a video's appearance could not be compared (only its exact bytes were): a mint
    /// refuses it (`media.unchecked`).
    pub unchecked: Option<String>,
}

impl CopyCheck {
    /// A near copy was found: the mint goes to the consortium's review queue.
    pub fn needs_review(&self) -> bool {
        self.exact.is_none() && !self.near.is_empty()
    }
}

impl Engine {
    /// The index of every published PDQ hash, rebuilt when the catalog's hashes changed.
    pub(crate) fn similarity_index(&self) -> Result<Arc<SimilarityIndex<u64>>, EngineError> {
        let generation = self.catalog().perceptual_generation()?;
        let mut cached = self
            .similarity_cache()
            .lock()
            .map_err(|_| EngineError::Task("the similarity index lock is poisoned".to_owned()))?;
        if let Some((built_for, index)) = cached.as_ref()
            && *built_for == generation
        {
            return Ok(index.clone());
        }
        let mut index = SimilarityIndex::new();
        for (work_id, published, _quality) in self.catalog().perceptual_hashes()? {
            let hashes: Vec<Hash256> = published
                .iter()
                .filter_map(|hex| match Hash256::from_hex(hex) {
                    Ok(hash) => Some(hash),
                    Err(e) => {
                        warn!(work_id, "published PDQ hash skipped: {e}");
                        None
                    }
                })
                .collect();
            index.insert_all(work_id, &hashes);
        }
        debug!(works = index.len(), "similarity index built");
        let index = Arc::new(index);
        *cached = Some((generation, index.clone()));
        Ok(index)
    }

    /// Checks an ingested file against every registered work: exact bytes, then near copies.
    pub fn copy_check(&self, ingested: &Ingested) -> Result<CopyCheck, EngineError> {
        let thresholds = self.config().copy_detection;
        let exact = self.catalog().work_by_content_hash(&ingested.sha256)?;
        let index = self.similarity_index()?;
        let mut near = Vec::new();
        let quality = ingested.perceptual.map(|p| p.hashes.pdq_quality);
        if let Some(perceptual) = &ingested.perceptual
            && perceptual.hashes.pdq_quality >= thresholds.min_quality
        {
            // The picture in every orientation; for a video also its further keyframes.
            let mut best: std::collections::BTreeMap<u64, (u32, String)> = Default::default();
            for m in index.query_dihedral(&perceptual.dihedral, thresholds.max_distance) {
                best.insert(m.key, (m.distance, m.transform.name().to_owned()));
            }
            for frame in perceptual.hashes.pdq_frames.iter() {
                for (key, distance) in index.query(frame, thresholds.max_distance) {
                    if best.get(&key).is_none_or(|(d, _)| distance < *d) {
                        best.insert(key, (distance, "keyframe".to_owned()));
                    }
                }
            }
            let mut found: Vec<(u64, u32, String)> =
                best.into_iter().map(|(k, (d, t))| (k, d, t)).collect();
            found.sort_by_key(|(k, d, _)| (*d, *k));
            for (key, distance, transform) in found {
                if Some(key) == exact {
                    continue;
                }
                let view = self.catalog().work(key)?;
                near.push(NearMatch {
                    work_id: key,
                    distance,
                    transform,
                    title: view.as_ref().and_then(|v| v.title.clone()),
                    creator: view.as_ref().map(|v| v.creator.clone()).unwrap_or_default(),
                    registered_at: view.as_ref().map_or(0, |v| v.registered_at),
                    thumbnail_cid: view.and_then(|v| v.thumbnail_cid),
                });
            }
        }
        Ok(CopyCheck {
            sha256: ingested.sha256.clone(),
            exact,
            quality,
            near,
            thresholds,
            compared: index.len(),
            unchecked: ingested.appearance_unchecked.clone(),
        })
    }
}

impl Engine {
    /// The copy check of a file on disk, without storing it (for a check before minting).
    pub async fn copy_check_file(&self, path: &std::path::Path) -> Result<CopyCheck, EngineError> {
        let path = path.to_owned();
        let options = hallmark_media::IngestOptions {
            limits: self.config().limits.clone(),
            derivatives_dir: None,
        };
        let ingested =
            tokio::task::spawn_blocking(move || hallmark_media::ingest(&path, &options)).await??;
        self.copy_check(&ingested)
    }

    /// A reviewer's decision on a review request, signed as the app's active account.
    pub async fn decide_review(
        &self,
        request_id: u64,
        approve: bool,
        reason: &str,
    ) -> Result<hallmark_chain::TxOutcome, EngineError> {
        let client = self.chain_client(self.app_signer()?).await?;
        Ok(client
            .decide_review(hallmark_chain::U256::from(request_id), approve, reason)
            .await?)
    }
}
