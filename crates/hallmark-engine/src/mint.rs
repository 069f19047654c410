//! The mint pipeline: file → ingest (checked, hashed, stored, pinned) → the first-registration
//! check → metadata document on IPFS → on-chain registration of the content hash.
//!
//! The content hash is checked on-chain *before* anything is uploaded or sent, so a copy of a
//! registered work is refused with the existing work's id and registration time; the contract
//! refuses it anyway if two mints race.

use std::time::Instant;

use hallmark_chain::{
    Address, B256, ChainClient, ChainError, ConfirmationPolicy, EDITION_BASE, PrivateKeySigner,
    ReviewMatch, ReviewStatus, ReviewSubmission, Role, RoyaltySplit, U256, WorkInput,
};
use hallmark_domain::ErrorCode;
use hallmark_media::metadata::{Attribute, AttributeValue};
use hallmark_media::{WorkFields, WorkMetadata};
use hallmark_store::ContentStore;
use hallmark_unixfs::ImportSettings;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tracing::{info, warn};

use crate::engine::Engine;
use crate::error::EngineError;
use crate::job::CancelToken;
use crate::journal::{EndorsedMint, Journal, MintRecord, MintStep, UnfinishedMint};
use crate::mint_request::{CoCreator, MAX_CO_CREATORS, MintRequest};

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

/// How often a journalled registration is signed anew after losing its nonce.
const MAX_RESIGNS: usize = 3;

/// The registration a journal record describes.
fn work_input(
    record: &MintRecord,
    metadata_cid: &str,
    metadata_sha256: &str,
) -> Result<WorkInput, EngineError> {
    work_input_for(
        &record.content_sha256,
        metadata_cid,
        metadata_sha256,
        record.creator,
        &record.request,
    )
}

/// The registration of `request`'s work by `creator`.
pub(crate) fn work_input_for(
    content_sha256: &str,
    metadata_cid: &str,
    metadata_sha256: &str,
    creator: Address,
    request: &MintRequest,
) -> Result<WorkInput, EngineError> {
    Ok(WorkInput {
        content_hash: to_b256(content_sha256)?,
        metadata_hash: to_b256(metadata_sha256)?,
        metadata_cid: metadata_cid.to_owned(),
        creator,
        max_editions: request.editions,
        royalty_bps: request.royalty_bps,
        splits: royalty_splits(creator, &request.co_creators)?,
    })
}

/// The refusal of a content registered as `work_id`, with its first token and time.
pub(crate) async fn already_registered(client: &ChainClient, work_id: U256) -> EngineError {
    match client.work(work_id).await {
        Ok(work) => ChainError::ContentAlreadyRegistered {
            work_id,
            first_token_id: work_id * U256::from(EDITION_BASE) + U256::from(1),
            registered_at: work.registered_at,
        }
        .into(),
        Err(e) => e.into(),
    }
}

/// The mint was started by another account, which must finish it.
fn started_by_other(record: &MintRecord) -> EngineError {
    let how = match record.step {
        MintStep::Prepared => "was started",
        MintStep::Signed { .. } => "stopped after its transaction was signed",
    };
    EngineError::Journal {
        code: ErrorCode::MintUnfinished,
        reason: format!(
            "this mint {how} by {:#x}: switch to that account to resume it (`hallmark jobs resume --as {:#x}`)",
            record.creator, record.creator
        ),
    }
}

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

/// The canonical metadata document of a work and its sha-256 (hex).
pub(crate) fn work_document(
    request: &MintRequest,
    ingested: &hallmark_media::Ingested,
    creator: Address,
) -> Result<(Vec<u8>, String), EngineError> {
    let fields = WorkFields {
        name: request.name.clone(),
        description: request.description.clone(),
        external_url: None,
        creator: format!("{creator:#x}"),
        licence: request.licence.clone(),
        attributes: request
            .attributes
            .iter()
            .map(|(name, value)| Attribute {
                trait_type: name.clone(),
                value: AttributeValue::Text(value.clone()),
                display_type: None,
                other: Default::default(),
            })
            .collect(),
        cover_image: None,
    };
    let document = WorkMetadata::build(ingested, fields)?.to_canonical_json()?;
    let metadata_sha256 = hex::encode(Sha256::digest(&document));
    Ok((document, metadata_sha256))
}

pub(crate) fn to_b256(hex_digest: &str) -> Result<B256, EngineError> {
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
        let verify = matches!(self.config().chain, crate::ChainConfig::Rpc { .. })
            && !self.deployment_verified();
        let client = ChainClient::connect(
            rpc.url(),
            signer,
            deployment.clone(),
            ConfirmationPolicy::default(),
        )
        .await?;
        if verify {
            // A consortium's record is a file in the data folder: before anything is signed for
            // it (an approval to its market, above all), its addresses must hold this build's
            // contracts, wired as recorded.
            deployment.verify(client.provider()).await?;
            self.set_deployment_verified();
        }
        Ok(client)
    }

    /// Ingests, checks, uploads and registers a work, minting edition 1 to the signer (who must
    /// be an endorsed issuer and a member). A request that breaks a rule of
    /// [`MintRequest::validate`] is refused (`request.invalid`) before anything is read,
    /// uploaded or signed.
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
    ///
    /// The mint is journalled (see [`crate::journal`]): if the same file's mint by the same
    /// account was interrupted after its transaction was signed, this finishes that mint instead
    /// of starting another.
    #[tracing::instrument(skip_all, fields(path = %request.path.display()), err(Display))]
    pub async fn mint_job(
        &self,
        request: &MintRequest,
        signer: PrivateKeySigner,
        cancel: &CancelToken,
        on_stage: impl Fn(MintStage) + Send + Sync,
    ) -> Result<MintOutcome, EngineError> {
        self.run_mint(request, signer, cancel, &on_stage, None, false)
            .await
    }

    /// An artist's mint of `path` with the registration an issuer endorsed (see
    /// [`request_endorsement`](Self::request_endorsement)): the details were published with the
    /// request, so none are given. Journalled and cancellable as [`mint_job`](Self::mint_job).
    pub async fn mint_endorsed_job(
        &self,
        path: &std::path::Path,
        signer: PrivateKeySigner,
        cancel: &CancelToken,
        on_stage: impl Fn(MintStage) + Send + Sync,
    ) -> Result<MintOutcome, EngineError> {
        let request = MintRequest {
            path: path.to_owned(),
            name: String::new(),
            description: None,
            licence: String::new(),
            editions: 1,
            royalty_bps: 0,
            attributes: Vec::new(),
            co_creators: Vec::new(),
        };
        self.run_mint(&request, signer, cancel, &on_stage, None, true)
            .await
    }

    /// The unfinished mints of this data folder (interrupted by a crash, a kill or a lost
    /// connection), oldest first.
    pub fn unfinished_mints(&self) -> Result<Vec<UnfinishedMint>, EngineError> {
        Ok(self
            .journal()
            .list()?
            .iter()
            .map(UnfinishedMint::from)
            .collect())
    }

    /// Finishes an unfinished mint: a signed one sends its kept transaction again (or finds it
    /// mined), signed by the same account; a prepared one runs again from its file, which must
    /// still hold the same bytes.
    #[tracing::instrument(skip_all, fields(content = %content_sha256), err(Display))]
    pub async fn resume_mint(
        &self,
        content_sha256: &str,
        signer: PrivateKeySigner,
        cancel: &CancelToken,
        on_stage: impl Fn(MintStage) + Send + Sync,
    ) -> Result<MintOutcome, EngineError> {
        let record = self.unfinished(content_sha256)?;
        if signer.address() != record.creator {
            return Err(started_by_other(&record));
        }
        match record.step {
            MintStep::Prepared => {
                self.run_mint(
                    &record.request,
                    signer,
                    cancel,
                    &on_stage,
                    Some(content_sha256),
                    true,
                )
                .await
            }
            MintStep::Signed { .. } => {
                let started = Instant::now();
                let client = self.chain_client(signer).await?;
                on_stage(MintStage::Register);
                self.finish_signed(&client, record, started, &on_stage)
                    .await
            }
        }
    }

    /// Forgets an unfinished mint that was never signed (its file is gone, or the artist
    /// changed their mind). A signed one cannot be discarded: its transaction may be mined.
    pub fn discard_mint(&self, content_sha256: &str) -> Result<(), EngineError> {
        let record = self.unfinished(content_sha256)?;
        if let MintStep::Signed { tx, .. } = &record.step {
            return Err(EngineError::Journal {
                code: ErrorCode::MintSigned,
                reason: format!(
                    "the mint of {} cannot be discarded: its transaction {:#x} is signed and may be mined; resume it instead",
                    record.request.path.display(),
                    tx.hash
                ),
            });
        }
        self.journal().remove(content_sha256)
    }

    fn journal(&self) -> Journal {
        Journal::new(&self.config().data_dir)
    }

    fn unfinished(&self, content_sha256: &str) -> Result<MintRecord, EngineError> {
        self.journal()
            .load(content_sha256)?
            .ok_or_else(|| EngineError::NotFound {
                what: format!("unfinished mint {content_sha256}"),
                reason: "it finished or was discarded (see `hallmark jobs`)".to_owned(),
            })
    }

    /// The mint itself; `expected_sha256` (a resume) requires the file to be unchanged.
    async fn run_mint(
        &self,
        request: &MintRequest,
        signer: PrivateKeySigner,
        cancel: &CancelToken,
        on_stage: &(dyn Fn(MintStage) + Send + Sync),
        expected_sha256: Option<&str>,
        may_omit_details: bool,
    ) -> Result<MintOutcome, EngineError> {
        let started = Instant::now();
        // Details given are checked before anything runs. An artist who is not an issuer mints
        // the registration an issuer endorsed, whose details were published with the request:
        // such a mint may give none.
        let details_given = !request.name.trim().is_empty() || !may_omit_details;
        if details_given {
            request.validate()?;
            royalty_splits(signer.address(), &request.co_creators)?;
        }
        let client = self.chain_client(signer).await?;
        let creator: Address = client.address();
        let by_issuer = client.has_role(Role::Issuer, creator).await?;
        if by_issuer && !details_given {
            request.validate()?;
        }
        on_stage(MintStage::Ingest);
        let ingested = self.ingest_job(&request.path, cancel, |_| {}).await?;
        if let Some(expected) = expected_sha256
            && ingested.sha256 != expected
        {
            return Err(EngineError::Journal {
                code: ErrorCode::MintFileChanged,
                reason: format!(
                    "{} changed since its mint was interrupted (sha-256 {expected}, now {}); mint the new file, and discard the old mint",
                    request.path.display(),
                    ingested.sha256
                ),
            });
        }
        let journal = self.journal();
        if let Some(record) = journal.load(&ingested.sha256)?
            && matches!(record.step, MintStep::Signed { .. })
        {
            if record.creator != creator {
                return Err(started_by_other(&record));
            }
            info!(content = %ingested.sha256, "finishing this file's interrupted mint");
            on_stage(MintStage::Register);
            return self.finish_signed(&client, record, started, on_stage).await;
        }
        let prepared = MintRecord::new(
            &ingested.sha256,
            &ingested.cid_v1.to_string(),
            creator,
            request,
            MintStep::Prepared,
        );
        // Nothing is sent before the signed transaction is journalled; any failure before that
        // leaves no record behind (a crash leaves a `prepared` one, which is harmless).
        let signed = if by_issuer {
            self.prepare_and_sign(&client, request, &ingested, &prepared, cancel, on_stage)
                .await
        } else {
            self.prepare_endorsed(&client, &ingested, &prepared, cancel, on_stage)
                .await
        };
        let signed = match signed {
            Ok(signed) => signed,
            // Kept, so the artist sees it under unfinished mints and resumes it.
            Err(e @ EngineError::UploadFailed { .. }) => return Err(e),
            Err(e) => {
                if let Err(remove) = journal.remove(&ingested.sha256) {
                    warn!(error = %remove, "the stopped mint's journal record stays");
                }
                return Err(e);
            }
        };
        on_stage(MintStage::Register);
        self.finish_signed(&client, signed, started, on_stage).await
    }

    /// An artist's mint: the registration an issuer endorsed, signed with its voucher and
    /// journalled before it returns. The issuer checked the copies and the media before it
    /// endorsed the registration.
    async fn prepare_endorsed(
        &self,
        client: &ChainClient,
        ingested: &hallmark_media::Ingested,
        prepared: &MintRecord,
        cancel: &CancelToken,
        on_stage: &(dyn Fn(MintStage) + Send + Sync),
    ) -> Result<MintRecord, EngineError> {
        let creator = prepared.creator;
        on_stage(MintStage::CopyCheck);
        if let Some(work_id) = client
            .work_by_content_hash(to_b256(&ingested.sha256)?)
            .await?
        {
            return Err(already_registered(client, work_id).await);
        }
        let endorsed = self.endorsed(&ingested.sha256, creator).await?;
        cancel.check()?;
        let journal = self.journal();
        journal.save(prepared)?;
        let mut record = prepared.clone();
        let tx = client
            .sign_mint_with_voucher(&endorsed.voucher, endorsed.signature.clone())
            .await?;
        info!(
            request_id = endorsed.request_id,
            "minting with an issuer's endorsement"
        );
        record.step = MintStep::Signed {
            metadata_cid: endorsed.voucher.work.metadata_cid.clone(),
            metadata_sha256: hex::encode(endorsed.voucher.work.metadata_hash),
            tx,
            endorsed: Some(Box::new(EndorsedMint {
                request_id: endorsed.request_id,
                voucher: endorsed.voucher,
                signature: endorsed.signature,
            })),
        };
        journal.save(&record)?;
        Ok(record)
    }

    /// From the copy check to the signed registration transaction, journalled before it
    /// returns (and before anything is sent).
    async fn prepare_and_sign(
        &self,
        client: &ChainClient,
        request: &MintRequest,
        ingested: &hallmark_media::Ingested,
        prepared: &MintRecord,
        cancel: &CancelToken,
        on_stage: &(dyn Fn(MintStage) + Send + Sync),
    ) -> Result<MintRecord, EngineError> {
        let creator = prepared.creator;
        let content_hash = to_b256(&ingested.sha256)?;
        on_stage(MintStage::CopyCheck);
        if let Some(work_id) = client.work_by_content_hash(content_hash).await? {
            return Err(already_registered(client, work_id).await);
        }
        let journal = self.journal();
        journal.save(prepared)?;

        // Near copies of registered works go to the consortium's review queue first.
        cancel
            .run(self.sync_catalog(Default::default(), |_| {}))
            .await?;
        let check = self.copy_check(ingested)?;
        cancel.check()?;
        // A video whose appearance could not be compared is not registered as if it had been.
        if let Some(reason) = &check.unchecked {
            return Err(hallmark_media::MediaError::Unchecked {
                path: ingested.path.clone(),
                reason: reason.clone(),
            }
            .into());
        }

        let (document, metadata_sha256) = work_document(request, ingested, creator)?;
        let metadata_hash = to_b256(&metadata_sha256)?;

        if check.needs_review() {
            self.review_gate(client, &check, content_hash, metadata_hash)
                .await?;
        }

        on_stage(MintStage::Upload);
        let added = cancel.run(self.publish_work(ingested, document)).await?;
        let metadata_cid = added.root.to_string();
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
                    metadata_cid,
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

        let mut record = prepared.clone();
        let input = work_input(&record, &metadata_cid, &metadata_sha256)?;
        let tx = client.sign_register_work(&input, creator).await?;
        record.step = MintStep::Signed {
            metadata_cid,
            metadata_sha256,
            tx,
            endorsed: None,
        };
        journal.save(&record)?;
        Ok(record)
    }

    /// Sends the journalled transaction (again), waits for its receipt and closes the record.
    /// A transaction whose nonce another one took is signed anew (it was never mined); one that
    /// reverted, or a content registered meanwhile, closes the record with the reason.
    async fn finish_signed(
        &self,
        client: &ChainClient,
        mut record: MintRecord,
        started: Instant,
        on_stage: &(dyn Fn(MintStage) + Send + Sync),
    ) -> Result<MintOutcome, EngineError> {
        let journal = self.journal();
        let content_hash = to_b256(&record.content_sha256)?;
        for _ in 0..MAX_RESIGNS {
            let MintStep::Signed {
                metadata_cid,
                metadata_sha256,
                tx,
                endorsed,
            } = &record.step
            else {
                return Err(EngineError::Task(
                    "a mint without its transaction".to_owned(),
                ));
            };
            let failure = match client.register_signed(tx).await {
                Ok(minted) => {
                    let outcome = MintOutcome {
                        work_id: minted.work_id.to_string(),
                        token_id: minted.token_id.to_string(),
                        tx_hash: format!("{:#x}", minted.tx.tx_hash),
                        block_number: minted.tx.block_number,
                        content_sha256: record.content_sha256.clone(),
                        media_cid: record.media_cid.clone(),
                        metadata_cid: metadata_cid.clone(),
                        creator: format!("{:#x}", record.creator),
                        elapsed_ms: started.elapsed().as_millis() as u64,
                    };
                    if let Err(e) = journal.remove(&record.content_sha256) {
                        // A resume would find the receipt and finish without sending anything.
                        warn!(error = %e, "the finished mint's journal record stays");
                    }
                    on_stage(MintStage::Done);
                    info!(work = %outcome.work_id, block = outcome.block_number, ms = outcome.elapsed_ms, "work registered");
                    self.pin_after_mint(&outcome);
                    return Ok(outcome);
                }
                Err(e @ (ChainError::NonceTaken { .. } | ChainError::TxReverted { .. })) => e,
                // The node is unreachable or slow: the record stays for a resume.
                Err(e) => return Err(e.into()),
            };
            // The kept transaction is not (and can never be) a registration.
            if let Some(work_id) = client.work_by_content_hash(content_hash).await? {
                journal.remove(&record.content_sha256)?;
                return Err(already_registered(client, work_id).await);
            }
            if let ChainError::TxReverted { .. } = failure {
                journal.remove(&record.content_sha256)?;
                return Err(failure.into());
            }
            warn!(error = %failure, "signing the registration again");
            let signed = match endorsed {
                Some(e) => {
                    client
                        .sign_mint_with_voucher(&e.voucher, e.signature.clone())
                        .await
                }
                None => {
                    let input = work_input(&record, metadata_cid, metadata_sha256)?;
                    client.sign_register_work(&input, record.creator).await
                }
            };
            let tx = match signed {
                Ok(tx) => tx,
                Err(e) => {
                    // Nothing kept can be mined any more.
                    journal.remove(&record.content_sha256)?;
                    return Err(e.into());
                }
            };
            record.step = MintStep::Signed {
                metadata_cid: metadata_cid.clone(),
                metadata_sha256: metadata_sha256.clone(),
                tx,
                endorsed: endorsed.clone(),
            };
            journal.save(&record)?;
        }
        Err(EngineError::Journal {
            code: ErrorCode::MintJournal,
            reason: format!(
                "the registration of {} lost its nonce {MAX_RESIGNS} times to other transactions of the account; resume it when the account is idle",
                record.request.path.display()
            ),
        })
    }

    /// Stores and pins the metadata document, and uploads everything a registration names (the
    /// media, the document, the thumbnail and preview) to the consortium's IPFS.
    pub(crate) async fn publish_work(
        &self,
        ingested: &hallmark_media::Ingested,
        document: Vec<u8>,
    ) -> Result<hallmark_store::AddedContent, EngineError> {
        let added = self
            .store()
            .add_bytes(document, &ImportSettings::kubo_v1())
            .await?;
        self.store().pin_add(&added.root).await?;
        // Others must be able to read everything the registration names.
        let roots: Vec<_> = [Some(ingested.cid_v1), Some(added.root)]
            .into_iter()
            .chain([&ingested.thumbnail, &ingested.preview].map(|d| d.as_ref().map(|d| d.cid)))
            .flatten()
            .collect();
        self.upload_to_consortium(&roots).await?;
        Ok(added)
    }

    /// A near copy may be registered only once a reviewer approved it, with the metadata that
    /// was reviewed; a pending or rejected request stops the mint with what to do.
    pub(crate) async fn review_gate(
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
            // Withdrawn or expired: a new request is sent.
            ReviewStatus::Withdrawn | ReviewStatus::Expired => Ok(()),
        }
    }
}
