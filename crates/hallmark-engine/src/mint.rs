//! The mint pipeline: file → ingest (checked, hashed, stored, pinned) → the first-registration
//! check → metadata document on IPFS → on-chain registration of the content hash.
//!
//! The content hash is checked on-chain *before* anything is uploaded or sent, so a copy of a
//! registered work is refused with the existing work's id and registration time; the contract
//! refuses it anyway if two mints race.

use std::path::PathBuf;
use std::time::Instant;

use hallmark_chain::{
    Address, B256, ChainClient, ChainError, ConfirmationPolicy, EDITION_BASE, PrivateKeySigner,
    ReviewMatch, ReviewStatus, ReviewSubmission, RoyaltySplit, U256, WorkInput,
};
use hallmark_media::metadata::{Attribute, AttributeValue};
use hallmark_media::{WorkFields, WorkMetadata};
use hallmark_store::ContentStore;
use hallmark_unixfs::ImportSettings;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::info;

use crate::engine::Engine;
use crate::error::EngineError;
use crate::job::CancelToken;

/// What the artist fills in.
#[derive(Debug, Clone, Default)]
pub struct MintRequest {
    /// The media file.
    pub path: PathBuf,
    /// Title.
    pub name: String,
    /// Longer text.
    pub description: Option<String>,
    /// Licence text (e.g. `CC BY-NC 4.0` or `All rights reserved`).
    pub licence: String,
    /// N editions (fixed forever).
    pub editions: u32,
    /// Royalty on every resale, in basis points.
    pub royalty_bps: u16,
    /// Traits shown with the work (`trait_type` → text value).
    pub attributes: Vec<(String, String)>,
    /// Co-creators and their share of the royalty in basis points; the creator keeps the rest.
    pub co_creators: Vec<CoCreator>,
}

/// A co-creator paid a share of every royalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoCreator {
    /// Who is paid.
    pub payee: Address,
    /// Share of the royalty in basis points (1..=10000).
    pub bps: u16,
}

/// The step a mint is at, reported as each one starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MintStage {
    /// Reading, checking, hashing and storing the file.
    Ingest,
    /// Comparing it with every registered work.
    CopyCheck,
    /// Putting the metadata document in the content store.
    Upload,
    /// Sending the registration transaction and waiting for its receipt (cannot be cancelled).
    Register,
    /// Registered.
    Done,
}

impl MintStage {
    /// Whether the mint can still be cancelled once it reached this stage.
    pub fn cancellable(self) -> bool {
        matches!(self, Self::Ingest | Self::CopyCheck | Self::Upload)
    }
}

/// The on-chain royalty splits: empty (all to the creator) without co-creators, else every
/// co-creator's share and the creator's remainder, summing to 10000.
fn royalty_splits(
    creator: Address,
    co_creators: &[CoCreator],
) -> Result<Vec<RoyaltySplit>, EngineError> {
    if co_creators.is_empty() {
        return Ok(Vec::new());
    }
    let invalid = |reason: &str| {
        EngineError::Chain(ChainError::InvalidInput {
            reason: format!("co-creator splits: {reason}"),
        })
    };
    if co_creators.len() > MAX_CO_CREATORS {
        return Err(invalid(&format!("at most {MAX_CO_CREATORS} co-creators")));
    }
    let mut splits = Vec::with_capacity(co_creators.len() + 1);
    let mut shared: u32 = 0;
    for co in co_creators {
        if co.payee == creator || co.payee == Address::ZERO {
            return Err(invalid("a co-creator must be another, non-zero address"));
        }
        if splits.iter().any(|s: &RoyaltySplit| s.payee == co.payee) {
            return Err(invalid("each co-creator may be listed once"));
        }
        if co.bps == 0 {
            return Err(invalid("every share must be above 0 %"));
        }
        shared += u32::from(co.bps);
        splits.push(RoyaltySplit {
            payee: co.payee,
            bps: co.bps,
        });
    }
    match 10_000u32.checked_sub(shared) {
        None => return Err(invalid("the shares add up to more than 100 %")),
        Some(0) => {}
        Some(rest) => splits.insert(
            0,
            RoyaltySplit {
                payee: creator,
                bps: u16::try_from(rest).unwrap_or(u16::MAX),
            },
        ),
    }
    Ok(splits)
}

/// The contract's limit of splits, less the creator's own.
pub const MAX_CO_CREATORS: usize = 7;

/// A registered work.
#[derive(Debug, Clone, Serialize)]
pub struct MintOutcome {
    /// The work id.
    pub work_id: String,
    /// The first edition's token id.
    pub token_id: String,
    /// The registration transaction.
    pub tx_hash: String,
    /// Its block: the proof of existence.
    pub block_number: u64,
    /// sha-256 of the exact bytes (the on-chain content hash).
    pub content_sha256: String,
    /// CIDv1 of the media.
    pub media_cid: String,
    /// CIDv1 of the metadata document (`tokenURI` = `ipfs://<cid>`).
    pub metadata_cid: String,
    /// The creator's address.
    pub creator: String,
    /// Milliseconds from start to confirmed registration.
    pub elapsed_ms: u64,
}

fn to_b256(hex_digest: &str) -> Result<B256, EngineError> {
    let bytes = hex::decode(hex_digest).map_err(|e| EngineError::Task(format!("digest: {e}")))?;
    Ok(B256::from_slice(&bytes))
}

impl Engine {
    /// A client of the deployed contracts acting as `signer`.
    pub async fn chain_client(&self, signer: PrivateKeySigner) -> Result<ChainClient, EngineError> {
        let rpc = self
            .chain_rpc()
            .await
            .ok_or_else(|| EngineError::ChainNotReady {
                reason: "no chain is running (start it with `hallmark chain up` or open the app)"
                    .to_owned(),
            })?;
        let deployment = self
            .deployment()
            .ok_or_else(|| EngineError::ChainNotReady {
                reason: "the Hallmark contracts are not deployed on this chain".to_owned(),
            })?;
        Ok(
            ChainClient::connect(rpc.url(), signer, deployment, ConfirmationPolicy::default())
                .await?,
        )
    }

    /// Ingests, checks, uploads and registers a work, minting edition 1 to the signer (who must
    /// be an endorsed issuer and a member).
    pub async fn mint(
        &self,
        request: &MintRequest,
        signer: PrivateKeySigner,
    ) -> Result<MintOutcome, EngineError> {
        self.mint_job(request, signer, &CancelToken::new(), |_| {})
            .await
    }

    /// [`mint`](Self::mint) as a job: `on_stage` hears each step as it starts, and tripping
    /// `cancel` stops the mint before its registration transaction is sent (never after).
    #[tracing::instrument(skip_all, fields(path = %request.path.display()), err(Display))]
    pub async fn mint_job(
        &self,
        request: &MintRequest,
        signer: PrivateKeySigner,
        cancel: &CancelToken,
        on_stage: impl Fn(MintStage) + Send + Sync,
    ) -> Result<MintOutcome, EngineError> {
        let started = Instant::now();
        let client = self.chain_client(signer).await?;
        let creator: Address = client.address();
        let splits = royalty_splits(creator, &request.co_creators)?;
        let attributes = request
            .attributes
            .iter()
            .map(|(name, value)| Attribute {
                trait_type: name.clone(),
                value: AttributeValue::Text(value.clone()),
                display_type: None,
            })
            .collect();
        on_stage(MintStage::Ingest);
        let ingested = self.ingest_job(&request.path, cancel, |_| {}).await?;
        let content_hash = to_b256(&ingested.sha256)?;
        on_stage(MintStage::CopyCheck);

        if let Some(work_id) = client.work_by_content_hash(content_hash).await? {
            let work = client.work(work_id).await?;
            return Err(ChainError::ContentAlreadyRegistered {
                work_id,
                first_token_id: work_id * U256::from(EDITION_BASE) + U256::from(1),
                registered_at: work.registered_at,
            }
            .into());
        }

        // Near copies of registered works go to the consortium's review queue first.
        cancel
            .run(self.sync_catalog(Default::default(), |_| {}))
            .await?;
        let check = self.copy_check(&ingested)?;
        cancel.check()?;

        let fields = WorkFields {
            name: request.name.clone(),
            description: request.description.clone(),
            external_url: None,
            creator: format!("{creator:#x}"),
            licence: request.licence.clone(),
            attributes,
            cover_image: None,
        };
        let document = WorkMetadata::build(&ingested, fields)?.to_canonical_json()?;
        let metadata_hash = B256::from_slice(&Sha256::digest(&document));

        if check.needs_review() {
            self.review_gate(&client, &check, content_hash, metadata_hash)
                .await?;
        }

        on_stage(MintStage::Upload);
        let added = cancel
            .run(async {
                let added = self
                    .store()
                    .add_bytes(document, &ImportSettings::kubo_v1())
                    .await?;
                self.store().pin_add(&added.root).await?;
                Ok(added)
            })
            .await?;
        // The last moment a cancel is honoured: a sent transaction cannot be called back.
        cancel.check()?;

        if check.needs_review() && !client.is_review_approved(content_hash).await? {
            let matches = check
                .near
                .iter()
                .take(16)
                .map(|m| ReviewMatch {
                    work_id: U256::from(m.work_id),
                    distance: u16::try_from(m.distance).unwrap_or(u16::MAX),
                })
                .collect();
            let (request_id, _) = client
                .submit_review(&ReviewSubmission {
                    content_hash,
                    metadata_hash,
                    metadata_cid: added.root.to_string(),
                    creator,
                    matches,
                })
                .await?;
            let closest = &check.near[0];
            info!(%request_id, work = closest.work_id, distance = closest.distance, "sent to review");
            return Err(EngineError::SentToReview {
                request_id: u64::try_from(request_id).unwrap_or(u64::MAX),
                work_id: closest.work_id,
                distance: closest.distance,
            });
        }

        let input = WorkInput {
            content_hash,
            metadata_hash,
            metadata_cid: added.root.to_string(),
            creator,
            max_editions: request.editions,
            royalty_bps: request.royalty_bps,
            splits,
        };
        on_stage(MintStage::Register);
        let minted = client.register_work(&input, creator).await?;
        on_stage(MintStage::Done);
        let outcome = MintOutcome {
            work_id: minted.work_id.to_string(),
            token_id: minted.token_id.to_string(),
            tx_hash: format!("{:#x}", minted.tx.tx_hash),
            block_number: minted.tx.block_number,
            content_sha256: ingested.sha256.clone(),
            media_cid: ingested.cid_v1.to_string(),
            metadata_cid: added.root.to_string(),
            creator: format!("{creator:#x}"),
            elapsed_ms: started.elapsed().as_millis() as u64,
        };
        info!(work = %outcome.work_id, block = outcome.block_number, ms = outcome.elapsed_ms, "work registered");
        self.pin_after_mint(&outcome);
        Ok(outcome)
    }

    /// A near copy may be registered only once a reviewer approved it, with the metadata that
    /// was reviewed; a pending or rejected request stops the mint with what to do.
    async fn review_gate(
        &self,
        client: &ChainClient,
        check: &crate::CopyCheck,
        content_hash: B256,
        metadata_hash: B256,
    ) -> Result<(), EngineError> {
        let Some(request_id) = client.latest_review_of(content_hash).await? else {
            return Ok(());
        };
        let record = client.review(request_id).await?;
        let request_id = u64::try_from(request_id).unwrap_or(u64::MAX);
        match record.status {
            ReviewStatus::Approved if record.metadata_hash == metadata_hash => {
                info!(
                    request_id,
                    near = check.near.len(),
                    "near copy approved by review"
                );
                Ok(())
            }
            ReviewStatus::Approved => Err(EngineError::ReviewMismatch { request_id }),
            ReviewStatus::Pending => Err(EngineError::ReviewPending { request_id }),
            ReviewStatus::Rejected => Err(EngineError::ReviewRejected {
                request_id,
                reason: self
                    .catalog()
                    .review(request_id)?
                    .and_then(|r| r.reason)
                    .unwrap_or_else(|| "no reason recorded".to_owned()),
            }),
            // Withdrawn: a new request is sent.
            ReviewStatus::Withdrawn => Ok(()),
        }
    }
}
