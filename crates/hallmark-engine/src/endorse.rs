//! Endorsed minting: an artist who is a member but not an issuer prepares a work (ingest, copy
//! check, metadata on IPFS) and asks an issuer to endorse the exact registration; the issuer
//! examines it (the media fetched by CID and checked against the content hash, the copy check
//! run on it, the artist's membership) and approves (a signed voucher, posted on chain) or
//! rejects with a reason; the artist then mints it with the voucher ([`Engine::mint`] finds it).
//! Requests and decisions are events of HallmarkEndorsements, so every installation's catalog
//! sees them.

use std::time::{SystemTime, UNIX_EPOCH};

use hallmark_catalog::{EndorsementEntry, EndorsementFilter};
use hallmark_chain::{Address, B256, Bytes, MintVoucher, PrivateKeySigner, RoyaltySplit, U256};
use hallmark_domain::ErrorCode;
use serde::Serialize;
use sha2::Digest;
use tracing::info;

use crate::copycheck::CopyCheck;
use crate::engine::Engine;
use crate::error::EngineError;
use crate::job::CancelToken;
use crate::mint::{to_b256, work_document, work_input_for};
use crate::mint_request::MintRequest;

/// The longest an approval may stay valid, in days (the contract's `MAX_VOUCHER_LIFETIME`).
pub const MAX_VALID_DAYS: u32 = 30;

/// A request sent for endorsement.
#[derive(Debug, Clone, Serialize)]
pub struct EndorsementSent {
    /// The request id.
    pub request_id: u64,
    /// The request's transaction.
    pub tx_hash: String,
    /// Its block.
    pub block_number: u64,
    /// sha-256 of the media (hex).
    pub content_sha256: String,
    /// CIDv1 of the media.
    pub media_cid: String,
    /// The metadata document the registration will name.
    pub metadata_cid: String,
    /// The issuer asked (`None`: any issuer).
    pub issuer: Option<String>,
    /// The copy check the artist's installation ran (an issuer runs its own).
    pub check: CopyCheck,
}

/// What an issuer sees of a request before deciding it.
#[derive(Debug, Clone, Serialize)]
pub struct EndorsementCandidate {
    /// The request, as the catalog knows it.
    pub request: EndorsementEntry,
    /// The artist's roles `(role, status)`: an active `member` may hold works.
    pub creator_roles: Vec<(String, String)>,
    /// The copy check of the media, fetched by CID and found to be the requested content.
    pub check: CopyCheck,
}

/// An issuer's decision, or an artist's withdrawal.
#[derive(Debug, Clone, Serialize)]
pub struct EndorsementDecided {
    /// The request id.
    pub request_id: u64,
    /// `approved`, `rejected` or `withdrawn`.
    pub status: String,
    /// Its transaction.
    pub tx_hash: String,
    /// Its block.
    pub block_number: u64,
    /// An approval's voucher deadline (unix seconds).
    pub deadline: Option<u64>,
}

/// An approved endorsement, ready to mint with.
#[derive(Debug, Clone)]
pub(crate) struct Endorsed {
    pub(crate) request_id: u64,
    pub(crate) voucher: MintVoucher,
    pub(crate) signature: Bytes,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn rule(code: ErrorCode, reason: String) -> EngineError {
    EngineError::Endorsement { code, reason }
}

fn parse_address(text: &str) -> Result<Address, EngineError> {
    text.parse()
        .map_err(|e| EngineError::Task(format!("catalog address {text:?}: {e}")))
}

/// The registration an endorsement request asks for, exactly as the artist published it.
fn requested_input(entry: &EndorsementEntry) -> Result<hallmark_chain::WorkInput, EngineError> {
    Ok(hallmark_chain::WorkInput {
        content_hash: to_b256(entry.content_hash.trim_start_matches("0x"))?,
        metadata_hash: to_b256(entry.metadata_hash.trim_start_matches("0x"))?,
        metadata_cid: entry.metadata_cid.clone(),
        creator: parse_address(&entry.creator)?,
        max_editions: entry.max_editions,
        royalty_bps: entry.royalty_bps,
        splits: entry
            .splits
            .iter()
            .map(|(payee, bps)| {
                Ok(RoyaltySplit {
                    payee: parse_address(payee)?,
                    bps: *bps,
                })
            })
            .collect::<Result<_, EngineError>>()?,
    })
}

impl Engine {
    /// The artist's side: ingests and checks the file, publishes its metadata and media to the
    /// consortium's IPFS, and asks `issuer` (or any issuer) on chain to endorse the registration.
    #[tracing::instrument(skip_all, fields(path = %request.path.display()), err(Display))]
    pub async fn request_endorsement(
        &self,
        request: &MintRequest,
        issuer: Option<Address>,
        signer: PrivateKeySigner,
        cancel: &CancelToken,
    ) -> Result<EndorsementSent, EngineError> {
        request.validate()?;
        let client = self.chain_client(signer).await?;
        let creator = client.address();
        let ingested = self.ingest_job(&request.path, cancel, |_| {}).await?;
        let content_hash = to_b256(&ingested.sha256)?;
        if let Some(work_id) = client.work_by_content_hash(content_hash).await? {
            return Err(crate::mint::already_registered(&client, work_id).await);
        }
        cancel
            .run(self.sync_catalog(Default::default(), |_| {}))
            .await?;
        let check = self.copy_check(&ingested)?;
        if let Some(reason) = &check.unchecked {
            return Err(hallmark_media::MediaError::Unchecked {
                path: ingested.path.clone(),
                reason: reason.clone(),
            }
            .into());
        }
        let (document, metadata_sha256) = work_document(request, &ingested, creator)?;
        let added = cancel.run(self.publish_work(&ingested, document)).await?;
        cancel.check()?;
        let metadata_cid = added.root.to_string();
        let input = work_input_for(
            &ingested.sha256,
            &metadata_cid,
            &metadata_sha256,
            creator,
            request,
        )?;
        let (request_id, tx) = client
            .request_endorsement(&input, issuer.unwrap_or(Address::ZERO))
            .await?;
        let request_id = u64::try_from(request_id).unwrap_or(u64::MAX);
        info!(request_id, "endorsement requested");
        Ok(EndorsementSent {
            request_id,
            tx_hash: format!("{:#x}", tx.tx_hash),
            block_number: tx.block_number,
            content_sha256: ingested.sha256,
            media_cid: ingested.cid_v1.to_string(),
            metadata_cid,
            issuer: issuer.map(|a| format!("{a:#x}")),
            check,
        })
    }

    /// Endorsement requests matching `filter`, newest first, after the catalog caught up with
    /// the chain and fetched what metadata it can.
    pub async fn endorsements(
        &self,
        filter: &EndorsementFilter,
        limit: u32,
    ) -> Result<Vec<EndorsementEntry>, EngineError> {
        self.sync_catalog(Default::default(), |_| {}).await?;
        self.fetch_metadata().await?;
        Ok(self.catalog().endorsements(filter, now(), limit)?)
    }

    /// One request, after the catalog caught up.
    async fn synced_endorsement(&self, request_id: u64) -> Result<EndorsementEntry, EngineError> {
        self.sync_catalog(Default::default(), |_| {}).await?;
        self.fetch_metadata().await?;
        self.catalog()
            .endorsement(request_id, now())?
            .ok_or_else(|| EngineError::NotFound {
                what: format!("endorsement request {request_id}"),
                reason: "no such request on this chain (see `hallmark endorse list`)".to_owned(),
            })
    }

    /// The issuer's view of a request: its media fetched by CID (every block verified) must be
    /// the requested content, and is compared with every registered work.
    pub async fn examine_endorsement(
        &self,
        request_id: u64,
    ) -> Result<EndorsementCandidate, EngineError> {
        let entry = self.synced_endorsement(request_id).await?;
        let check = self.check_requested_media(&entry).await?;
        Ok(EndorsementCandidate {
            creator_roles: self.catalog().roles(&entry.creator)?,
            request: entry,
            check,
        })
    }

    /// The copy check of a request's media (see [`requested_media`](Self::requested_media)).
    async fn check_requested_media(
        &self,
        entry: &EndorsementEntry,
    ) -> Result<CopyCheck, EngineError> {
        let path = self.requested_media(entry, "tmp").await?;
        let checked = self.copy_check_file(&path).await;
        if let Err(e) = std::fs::remove_file(&path) {
            tracing::warn!(error = %e, path = %path.display(), "candidate copy stays");
        }
        checked
    }

    /// The media a request's metadata names, read by CID (every block verified), checked to be
    /// the content the request registers, and written to `<data>/<folder>/`.
    async fn requested_media(
        &self,
        entry: &EndorsementEntry,
        folder: &str,
    ) -> Result<std::path::PathBuf, EngineError> {
        let unavailable = |why: String| {
            rule(
                ErrorCode::EndorseMediaUnavailable,
                format!(
                    "the media of endorsement request {} cannot be read yet: {why}",
                    entry.request_id
                ),
            )
        };
        let media = entry.media_cid.as_deref().ok_or_else(|| {
            unavailable(format!(
                "its metadata {} was not fetched",
                entry.metadata_cid
            ))
        })?;
        let cid: hallmark_unixfs::Cid = media
            .parse()
            .map_err(|e| unavailable(format!("its media CID {media:?} is invalid: {e}")))?;
        let bytes = self
            .read_verified(&cid, self.config().limits.max_file_bytes)
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
        if format!("0x{sha256}") != entry.content_hash {
            return Err(rule(
                ErrorCode::EndorseMediaMismatch,
                format!(
                    "the media of endorsement request {} (ipfs://{media}, sha-256 {sha256}) is not the content it asks to register ({}); reject it",
                    entry.request_id, entry.content_hash
                ),
            ));
        }
        let dir = self.config().data_dir.join(folder);
        std::fs::create_dir_all(&dir).map_err(|e| EngineError::Task(e.to_string()))?;
        let path = dir.join(format!("endorsement-{}-{sha256}", entry.request_id));
        crate::fsutil::write_atomically(&path, &bytes)
            .map_err(|e| EngineError::Task(format!("{}: {e}", path.display())))?;
        Ok(path)
    }

    /// The artist mints an endorsed request's registration from the media the consortium holds
    /// (read by CID and checked to be the requested content): the file need not be chosen again.
    /// Journalled and cancellable as [`mint_job`](Self::mint_job).
    pub async fn mint_endorsed_request(
        &self,
        request_id: u64,
        signer: PrivateKeySigner,
        cancel: &CancelToken,
        on_stage: impl Fn(crate::MintStage) + Send + Sync,
    ) -> Result<crate::MintOutcome, EngineError> {
        let entry = self.synced_endorsement(request_id).await?;
        let creator = parse_address(&entry.creator)?;
        if creator != signer.address() {
            return Err(hallmark_chain::ChainError::NotCreator {
                creator,
                account: signer.address(),
            }
            .into());
        }
        let path = self.requested_media(&entry, "endorsed").await?;
        let minted = self
            .mint_endorsed_job(&path, signer, cancel, on_stage)
            .await?;
        if let Err(e) = std::fs::remove_file(&path) {
            tracing::warn!(error = %e, path = %path.display(), "the minted media's copy stays");
        }
        Ok(minted)
    }

    /// The issuer's approval: the request's media is checked (a near copy goes to the review
    /// queue first, as an issuer's own mint would), then the voucher for exactly the requested
    /// registration is signed, valid for `valid_days`, and posted on chain.
    #[tracing::instrument(skip_all, fields(request_id), err(Display))]
    pub async fn approve_endorsement(
        &self,
        request_id: u64,
        valid_days: u32,
        signer: PrivateKeySigner,
    ) -> Result<EndorsementDecided, EngineError> {
        if valid_days == 0 || valid_days > MAX_VALID_DAYS {
            return Err(EngineError::from(
                hallmark_chain::ChainError::InvalidInput {
                    reason: format!("an approval is valid for 1 to {MAX_VALID_DAYS} days"),
                },
            ));
        }
        let entry = self.synced_endorsement(request_id).await?;
        let client = self.chain_client(signer).await?;
        let check = self.check_requested_media(&entry).await?;
        let input = requested_input(&entry)?;
        if check.needs_review() {
            let metadata_hash = input.metadata_hash;
            self.review_gate(&client, &check, input.content_hash, metadata_hash)
                .await?;
            if !client.is_review_approved(input.content_hash).await? {
                return Err(self.send_to_review(&client, &check, &input).await?);
            }
        }
        let deadline = now() + u64::from(valid_days) * 86_400;
        let (voucher, _signature, tx) = client
            .approve_endorsement(U256::from(request_id), &input, deadline)
            .await?;
        info!(
            request_id,
            deadline = voucher.deadline,
            "endorsement approved"
        );
        Ok(EndorsementDecided {
            request_id,
            status: "approved".to_owned(),
            tx_hash: format!("{:#x}", tx.tx_hash),
            block_number: tx.block_number,
            deadline: Some(voucher.deadline),
        })
    }

    /// Puts a near-copy candidate up for review for its artist; the error says so.
    async fn send_to_review(
        &self,
        client: &hallmark_chain::ChainClient,
        check: &CopyCheck,
        input: &hallmark_chain::WorkInput,
    ) -> Result<EngineError, EngineError> {
        let matches = check
            .near
            .iter()
            .take(16)
            .map(|m| hallmark_chain::ReviewMatch {
                work_id: U256::from(m.work_id),
                distance: u16::try_from(m.distance).unwrap_or(u16::MAX),
            })
            .collect();
        let (review_id, _) = client
            .submit_review(&hallmark_chain::ReviewSubmission {
                content_hash: input.content_hash,
                metadata_hash: input.metadata_hash,
                metadata_cid: input.metadata_cid.clone(),
                creator: input.creator,
                matches,
            })
            .await?;
        let closest = &check.near[0];
        Ok(EngineError::SentToReview {
            request_id: u64::try_from(review_id).unwrap_or(u64::MAX),
            work_id: closest.work_id,
            distance: closest.distance,
        })
    }

    /// The issuer declines a request with a reason (1 to 500 bytes).
    pub async fn reject_endorsement(
        &self,
        request_id: u64,
        reason: &str,
        signer: PrivateKeySigner,
    ) -> Result<EndorsementDecided, EngineError> {
        let client = self.chain_client(signer).await?;
        let tx = client
            .reject_endorsement(U256::from(request_id), reason)
            .await?;
        Ok(EndorsementDecided {
            request_id,
            status: "rejected".to_owned(),
            tx_hash: format!("{:#x}", tx.tx_hash),
            block_number: tx.block_number,
            deadline: None,
        })
    }

    /// The artist withdraws a pending request.
    pub async fn withdraw_endorsement(
        &self,
        request_id: u64,
        signer: PrivateKeySigner,
    ) -> Result<EndorsementDecided, EngineError> {
        let client = self.chain_client(signer).await?;
        let tx = client.withdraw_endorsement(U256::from(request_id)).await?;
        Ok(EndorsementDecided {
            request_id,
            status: "withdrawn".to_owned(),
            tx_hash: format!("{:#x}", tx.tx_hash),
            block_number: tx.block_number,
            deadline: None,
        })
    }

    /// The approved endorsement `creator` mints `content_sha256` with; an error that says what
    /// to do when there is none (never asked, pending, rejected, expired).
    pub(crate) async fn endorsed(
        &self,
        content_sha256: &str,
        creator: Address,
    ) -> Result<Endorsed, EngineError> {
        self.sync_catalog(Default::default(), |_| {}).await?;
        let latest = self
            .catalog()
            .latest_endorsement_of(content_sha256, now())?
            .filter(|e| e.creator == format!("{creator:#x}"));
        let Some(entry) = latest else {
            return Err(rule(
                ErrorCode::EndorseRequired,
                format!(
                    "{creator:#x} is not an issuer: ask an issuer to endorse this work first (`hallmark endorse request FILE --title T --as ACCOUNT`, or Mint → Send for endorsement)"
                ),
            ));
        };
        let id = entry.request_id;
        match entry.status.as_str() {
            "approved" => {}
            "pending" => {
                return Err(rule(
                    ErrorCode::EndorsePending,
                    format!(
                        "endorsement request {id} is still waiting for {}",
                        entry
                            .issuer
                            .as_deref()
                            .map_or_else(|| "an issuer".to_owned(), |i| format!("issuer {i}"))
                    ),
                ));
            }
            "rejected" => {
                return Err(rule(
                    ErrorCode::EndorseRejected,
                    format!(
                        "issuer {} declined endorsement request {id}: {}",
                        entry.decided_by.as_deref().unwrap_or("?"),
                        entry.reason.as_deref().unwrap_or("no reason recorded")
                    ),
                ));
            }
            other => {
                return Err(rule(
                    ErrorCode::EndorseExpired,
                    format!(
                        "endorsement request {id} is {other}: ask for an endorsement again (`hallmark endorse request`)"
                    ),
                ));
            }
        }
        let missing =
            || EngineError::Task(format!("endorsement request {id}: approval incomplete"));
        let nonce: B256 = entry
            .nonce
            .as_deref()
            .ok_or_else(missing)?
            .parse()
            .map_err(|_| missing())?;
        let signature: Bytes = entry
            .signature
            .as_deref()
            .ok_or_else(missing)?
            .parse()
            .map_err(|_| missing())?;
        Ok(Endorsed {
            request_id: id,
            voucher: MintVoucher {
                work: requested_input(&entry)?,
                nonce: U256::from_be_bytes(nonce.0),
                deadline: entry.deadline.ok_or_else(missing)?,
            },
            signature,
        })
    }
}
