//! Registering works on chain: the mint form, its progress, cancellable jobs and the mints a crash
//! interrupted.

use serde::{Deserialize, Serialize};

/// Register an ingested file as a work on-chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintWorkRequest {
    /// The file, as the user chose it (already ingested; ingesting again is free).
    pub file: crate::FileToken,
    /// Title.
    pub title: String,
    /// Longer text (empty for none).
    pub description: String,
    /// Licence text.
    pub licence: String,
    /// N editions, fixed forever (1..=10000).
    pub editions: u32,
    /// Royalty on resales in basis points (0..=2500).
    pub royalty_bps: u16,
    /// Traits shown with the work (at most 32).
    #[serde(default)]
    pub attributes: Vec<AttributeInput>,
    /// Co-creators paid a share of every royalty (at most 7); the creator keeps the rest.
    #[serde(default)]
    pub co_creators: Vec<ShareInput>,
}

/// One trait of a work, as typed in the mint form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeInput {
    /// The trait's name (`Medium`).
    pub name: String,
    /// Its value (`Ink on paper`).
    pub value: String,
}

/// A co-creator's share of the royalty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareInput {
    /// `0x…` address.
    pub address: String,
    /// Share of the royalty in basis points (1..=10000).
    pub bps: u16,
}

/// A registered work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintWorkReport {
    /// The work id.
    pub work_id: String,
    /// Edition 1's token id.
    pub token_id: String,
    /// The block that registered it: the proof of existence.
    pub block_number: u64,
    /// The registration transaction.
    pub tx_hash: String,
    /// The creator (the signing issuer).
    pub creator: String,
    /// CIDv1 of the metadata document.
    pub metadata_cid: String,
    /// Milliseconds from click to confirmed registration.
    pub elapsed_ms: u64,
}

/// The step a mint reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintProgress {
    /// The job id given with the mint, if any.
    pub job: Option<String>,
    /// `ingest`, `copy_check`, `upload`, `register` or `done`.
    pub stage: MintStage,
    /// Whether cancelling still stops it (not once the transaction is sent).
    pub cancellable: bool,
}

/// Stop a running job (ingest, mint, verification, proof export), named by the id the UI gave
/// it in the command's `job` argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelJobRequest {
    /// The job's id (1–64 letters, digits, `-`, `_`).
    pub job_id: String,
}

/// Mints interrupted by a crash, a kill or a lost node (kept in the data folder's journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum UnfinishedMintsRequest {
    /// List them.
    List,
    /// Finish one, signed by the active account (which must be the one that started it).
    Resume {
        /// Its content sha-256 (64 hex digits).
        content_sha256: String,
    },
    /// Forget one that was never signed.
    Discard {
        /// Its content sha-256 (64 hex digits).
        content_sha256: String,
    },
}

/// One unfinished mint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedMintView {
    /// sha-256 of the media: what resume and discard take.
    pub content_sha256: String,
    /// The title asked for.
    pub title: String,
    /// The media file.
    pub path: String,
    /// `prepared` (checked, nothing signed) or `signed` (its transaction may be on chain).
    pub step: MintStep,
    /// The account that started it.
    pub creator: String,
    /// The kept transaction, once signed.
    pub tx_hash: Option<String>,
    /// Unix seconds of its last step.
    pub updated_at: u64,
}

/// The unfinished mints after the request, and the work a resume registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfinishedMintsReport {
    /// Those still unfinished.
    pub mints: Vec<UnfinishedMintView>,
    /// What a resume registered.
    pub resumed: Option<MintWorkReport>,
}

hallmark_domain::wire_enum! {
    /// The step a mint reached.
    pub enum MintStage {
        /// Reading, checking, hashing and storing the file.
        Ingest = "ingest",
        /// Comparing it with every registered work.
        CopyCheck = "copy_check",
        /// Putting the metadata document in the content store.
        Upload = "upload",
        /// Sending the registration transaction and waiting for its receipt.
        Register = "register",
        /// Registered.
        Done = "done",
    }
}

hallmark_domain::wire_enum! {
    /// What an unfinished mint had done when it stopped.
    pub enum MintStep {
        /// Checked; nothing was signed.
        Prepared = "prepared",
        /// Its registration transaction was signed (it may be on chain).
        Signed = "signed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mint_progress_json_is_pinned() {
        let progress = MintProgress {
            job: Some("mint-1".into()),
            stage: MintStage::CopyCheck,
            cancellable: true,
        };
        assert_eq!(
            serde_json::to_string(&progress).expect("json"),
            r#"{"job":"mint-1","stage":"copy_check","cancellable":true}"#
        );
    }
}
