//! Offline verification: everything a bundle claims that can be checked from its own bytes.
//!
//! Each check is independent and reported with its reason, so one tampered field names itself
//! even when the seal (which covers everything) also fails. What offline checks cannot give is
//! the block's place in the canonical chain: [`crate::online`] re-checks that against a node.

use std::collections::BTreeMap;

use alloy::consensus::proofs::{calculate_receipt_root, calculate_transaction_root};
use alloy::consensus::{Header, ReceiptEnvelope, TxEnvelope};
use alloy::eips::eip2718::Decodable2718;
use alloy::primitives::{Address, B256, Log, U256};
use alloy::rlp::Decodable;
use alloy::sol_types::SolEvent;
use hallmark_chain::EDITION_BASE;
use hallmark_chain::bindings::HallmarkWorks;
use hallmark_media::metadata::WorkMetadata;
use hallmark_unixfs::{Cid, ImportSettings, NullSink, import_reader};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::anchor::{Anchor, CONSORTIUM_CHECK, check_deployment};
use crate::bundle::BundleFiles;
use crate::model::{
    EVIDENCE_FILE, Evidence, FORMAT, FORMAT_1, METADATA_FILE, SEAL_FILE, Seal, TransferKind,
};
use crate::seal::{recover, seal_hash, statement_hash};

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Checked and true.
    Pass,
    /// Checked and false: the bundle must not be trusted.
    Fail,
    /// Not checkable here (e.g. the media is not included, no node was given).
    Skip,
    /// Asked, but the node could not answer: it keeps no state for an old block (a pruning
    /// node, a restarted dev chain). Neither true nor false: a missing archive is not a forgery,
    /// but the claim is not proven either (an archive node can answer it).
    Unanswered,
}

/// One line of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable id, e.g. `media.sha256`.
    pub id: &'static str,
    /// What was checked, in words.
    pub title: &'static str,
    /// The outcome.
    pub status: Status,
    /// Why: the values compared, or what is missing.
    pub detail: String,
}

/// What the bundle is about, for the report's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Work title.
    pub title: Option<String>,
    /// Token id.
    pub token_id: String,
    /// The holder the bundle names.
    pub holder: Address,
    /// The creator.
    pub creator: Address,
    /// Registration time (unix seconds).
    pub registered_at: u64,
    /// Registration block.
    pub registration_block: u64,
    /// Registration transaction.
    pub registration_tx: B256,
    /// sha-256 of the media.
    pub content_sha256: String,
    /// Chain id.
    pub chain_id: u64,
}

/// Every check, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// sha-256 of the bundle file, when verified from a file.
    pub bundle_sha256: Option<String>,
    /// What the bundle is about (when `evidence.json` parsed).
    pub summary: Option<Summary>,
    /// The checks.
    pub checks: Vec<Check>,
    /// The consortium the bundle was checked against (the [`Anchor`]'s name), if one was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consortium: Option<String>,
}

impl Report {
    /// True when no check failed and at least one passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Fail)
            && self.checks.iter().any(|c| c.status == Status::Pass)
    }

    /// The failed checks.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.status == Status::Fail)
    }

    /// The checks the node could not answer ([`Status::Unanswered`]).
    pub fn unanswered(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Unanswered)
    }

    pub(crate) fn push(&mut self, id: &'static str, title: &'static str, result: Outcome) {
        let (status, detail) = match result {
            Ok(detail) => (Status::Pass, detail),
            Err(Verdict::Fail(detail)) => (Status::Fail, detail),
            Err(Verdict::Skip(detail)) => (Status::Skip, detail),
            Err(Verdict::Unanswered(detail)) => (Status::Unanswered, detail),
        };
        self.checks.push(Check {
            id,
            title,
            status,
            detail,
        });
    }
}

/// Why a check did not pass.
#[derive(Debug)]
pub(crate) enum Verdict {
    /// The claim is false.
    Fail(String),
    /// The claim cannot be checked here.
    Skip(String),
    /// The node was asked but cannot answer (it keeps no state for the block asked about).
    Unanswered(String),
}

/// A check's result: `Ok(detail)` passes.
pub(crate) type Outcome = Result<String, Verdict>;

pub(crate) fn fail(reason: impl Into<String>) -> Outcome {
    Err(Verdict::Fail(reason.into()))
}

pub(crate) fn skip(reason: impl Into<String>) -> Outcome {
    Err(Verdict::Skip(reason.into()))
}

pub(crate) fn unanswered(reason: impl Into<String>) -> Outcome {
    Err(Verdict::Unanswered(reason.into()))
}

pub(crate) fn pass(detail: impl Into<String>) -> Outcome {
    Ok(detail.into())
}

/// What the verifier asks for.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The challenge the verifier gave the holder: the statement's nonce must equal it.
    pub challenge: Option<U256>,
    /// The consortium the bundle must come from; without one a bundle is at best
    /// [`Conclusion::Consistent`](crate::Conclusion::Consistent).
    pub anchor: Option<Anchor>,
}

/// The parsed, decoded parts of a bundle that the online checks reuse.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// `evidence.json`.
    pub evidence: Evidence,
    /// `seal.json`.
    pub seal: Seal,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn cid_of(bytes: &[u8], settings: &ImportSettings) -> Result<Cid, String> {
    import_reader(bytes, settings, NullSink)
        .map(|imported| imported.root)
        .map_err(|e| format!("cannot compute the CID: {e}"))
}

/// Verifies a bundle offline. Never fails: problems are failed checks.
pub fn verify_offline(files: &BundleFiles, options: &VerifyOptions) -> (Report, Option<Parsed>) {
    verify_view(&files.view(), options)
}

/// [`verify_offline`] of a bundle's files borrowed from its bytes.
pub(crate) fn verify_view(
    files: &BundleFiles<&[u8]>,
    options: &VerifyOptions,
) -> (Report, Option<Parsed>) {
    let mut report = Report::default();
    let evidence = files
        .get(EVIDENCE_FILE)
        .ok_or_else(|| "`evidence.json` is missing".to_owned())
        .and_then(|bytes| {
            serde_json::from_slice::<Evidence>(bytes)
                .map_err(|e| format!("`evidence.json` is malformed: {e}"))
        });
    let seal = files
        .get(SEAL_FILE)
        .ok_or_else(|| "`seal.json` is missing".to_owned())
        .and_then(|bytes| {
            serde_json::from_slice::<Seal>(bytes)
                .map_err(|e| format!("`seal.json` is malformed: {e}"))
        });
    let (evidence, seal) = match (evidence, seal) {
        (Ok(evidence), Ok(seal)) => {
            report.push(
                "documents",
                "evidence.json and seal.json parse",
                pass("both parse"),
            );
            (evidence, seal)
        }
        (evidence, seal) => {
            let reasons: Vec<String> = [evidence.err(), seal.err()].into_iter().flatten().collect();
            report.push(
                "documents",
                "evidence.json and seal.json parse",
                fail(reasons.join("; ")),
            );
            return (report, None);
        }
    };
    report.summary = Some(Summary {
        title: evidence.work.title.clone(),
        token_id: evidence.token.token_id.to_string(),
        holder: evidence.statement.holder,
        creator: evidence.work.creator,
        registered_at: evidence.registration.timestamp,
        registration_block: evidence.registration.block_number,
        registration_tx: evidence.registration.tx_hash,
        content_sha256: hex::encode(evidence.work.content_hash),
        chain_id: evidence.chain.chain_id,
    });
    if let Some(anchor) = &options.anchor {
        report.consortium = Some(anchor.name.clone());
        report.push(
            CONSORTIUM_CHECK,
            "the bundle is from the consortium's deployment",
            check_deployment(&evidence, anchor),
        );
    }

    report.push(
        "format",
        "bundle format is supported",
        check_format(files, &evidence),
    );
    report.push(
        "eip712",
        "the EIP-712 domain and types are the works contract's",
        check_typed_data(&evidence),
    );
    report.push(
        "files",
        "every file matches its listed sha-256",
        check_files(files, &evidence),
    );
    report.push(
        "seal",
        "the holder sealed this exact evidence",
        check_seal(files, &evidence, &seal),
    );
    report.push(
        "media.sha256",
        "media bytes have the registered sha-256",
        check_media_hash(files, &evidence),
    );
    let metadata = files.get(METADATA_FILE).unwrap_or_default();
    let document = WorkMetadata::from_json(metadata);
    report.push(
        "media.cid",
        "media bytes have the registered CID",
        check_media_cid(files, &evidence, document.as_ref().ok()),
    );
    report.push(
        "metadata.hash",
        "metadata has the registered hash",
        check_metadata_hash(metadata, &evidence),
    );
    report.push(
        "metadata.cid",
        "metadata has the registered CID",
        check_metadata_cid(metadata, &evidence),
    );
    report.push(
        "metadata.binding",
        "metadata names this content and creator",
        check_binding(&document, &evidence),
    );
    report.push(
        "token",
        "token id belongs to the work",
        check_token(&evidence),
    );

    let block = decode_block(&evidence);
    report.push(
        "block.header",
        "block hash is the hash of the header",
        check_header(&evidence, &block),
    );
    report.push(
        "block.transactions",
        "registration transaction is in the block",
        check_transactions(&evidence, &block),
    );
    report.push(
        "block.receipts",
        "receipts match the block and succeeded",
        check_receipts(&evidence, &block),
    );
    report.push(
        "registration.log",
        "the block records this registration",
        check_registration_log(&evidence, &block),
    );
    report.push(
        "provenance",
        "holders chain from the mint to the holder",
        check_provenance(&evidence, &block),
    );
    report.push(
        "licences",
        "licence records are well formed",
        check_licences(&evidence),
    );
    report.push(
        "statement.signature",
        "the holder signed the ownership statement",
        check_statement(&evidence),
    );
    report.push(
        "statement.nonce",
        "the statement answers the verifier's challenge",
        check_challenge(&evidence, options),
    );

    (report, Some(Parsed { evidence, seal }))
}

/// Where `evidence.json` holds 256-bit numbers: decimal strings in format 2, `0x` hex in 1.
const NUMBER_FIELDS: [&str; 6] = [
    "/token/token_id",
    "/token/work_id",
    "/statement/token_id",
    "/statement/nonce",
    "/provenance/*/price",
    "/licences/*/fee",
];

/// The 256-bit numbers of `evidence.json` as written, by JSON pointer.
fn written_numbers(document: &serde_json::Value) -> Vec<(String, &serde_json::Value)> {
    let mut found = Vec::new();
    for field in NUMBER_FIELDS {
        match field.split_once("/*") {
            Some((list, member)) => {
                let items = document.pointer(list).and_then(|v| v.as_array());
                for (index, item) in items.into_iter().flatten().enumerate() {
                    if let Some(value) = item.pointer(member).filter(|v| !v.is_null()) {
                        found.push((format!("{list}/{index}{member}"), value));
                    }
                }
            }
            None => found.extend(document.pointer(field).map(|v| (field.to_owned(), v))),
        }
    }
    found
}

fn check_format(files: &BundleFiles<&[u8]>, evidence: &Evidence) -> Outcome {
    let decimal = match evidence.format.as_str() {
        FORMAT => true,
        FORMAT_1 => false,
        other => {
            return fail(format!(
                "format is `{other}`, expected `{FORMAT}` (or `{FORMAT_1}`)"
            ));
        }
    };
    let document = files
        .get(EVIDENCE_FILE)
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(bytes).ok())
        .unwrap_or_default();
    let misspelt: Vec<String> = written_numbers(&document)
        .into_iter()
        .filter(|(_, value)| {
            let text = value.as_str().unwrap_or_default();
            let well_written = if decimal {
                !text.is_empty()
                    && text.bytes().all(|b| b.is_ascii_digit())
                    && (text == "0" || !text.starts_with('0'))
            } else {
                text.starts_with("0x")
            };
            !well_written
        })
        .map(|(pointer, value)| format!("{pointer} is {value}"))
        .collect();
    if misspelt.is_empty() {
        pass(&evidence.format)
    } else {
        let rule = if decimal {
            "a decimal string without leading zeros"
        } else {
            "a 0x hex string"
        };
        fail(format!(
            "in `{}` a 256-bit number is {rule}: {}",
            evidence.format,
            misspelt.join(", ")
        ))
    }
}

fn check_typed_data(evidence: &Evidence) -> Outcome {
    match (&evidence.eip712, evidence.format.as_str()) {
        (None, FORMAT_1) => pass(format!(
            "{FORMAT_1} carries no EIP-712 data; its domain and types are those of format 2"
        )),
        (None, _) => fail("`eip712` is missing: the domain and types must be in the bundle"),
        (Some(_), FORMAT_1) => fail(format!("`eip712` is not part of {FORMAT_1}")),
        (Some(spec), _) => {
            let differences = spec.differences(&evidence.chain);
            if differences.is_empty() {
                pass(format!(
                    "domain {} version {}, chain {}, contract {:#x}",
                    spec.domain.name,
                    spec.domain.version,
                    spec.domain.chain_id,
                    spec.domain.verifying_contract
                ))
            } else {
                fail(differences.join("; "))
            }
        }
    }
}

fn check_files(files: &BundleFiles<&[u8]>, evidence: &Evidence) -> Outcome {
    let mut listed: BTreeMap<&str, &str> = evidence
        .files
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for (name, bytes) in &files.files {
        if name == SEAL_FILE || name == EVIDENCE_FILE {
            continue;
        }
        let Some(expected) = listed.remove(name.as_str()) else {
            return fail(format!(
                "`{name}` is in the bundle but not listed in evidence.json"
            ));
        };
        let actual = sha256_hex(bytes);
        if actual != expected {
            return fail(format!(
                "`{name}` has sha-256 {actual}, evidence.json lists {expected}"
            ));
        }
    }
    if let Some((name, _)) = listed.into_iter().next() {
        return fail(format!(
            "`{name}` is listed in evidence.json but missing from the bundle"
        ));
    }
    pass(format!("{} files", evidence.files.len()))
}

fn check_seal(files: &BundleFiles<&[u8]>, evidence: &Evidence, seal: &Seal) -> Outcome {
    let bytes = files.get(EVIDENCE_FILE).unwrap_or_default();
    let actual = B256::from_slice(&Sha256::digest(bytes));
    if actual != seal.evidence_sha256 {
        return fail(format!(
            "evidence.json has sha-256 {actual:#x}, the seal covers {:#x}",
            seal.evidence_sha256
        ));
    }
    if seal.holder != evidence.statement.holder {
        return fail(format!(
            "sealed by {:#x}, but the statement's holder is {:#x}",
            seal.holder, evidence.statement.holder
        ));
    }
    let hash = seal_hash(
        actual,
        evidence.token.token_id,
        seal.holder,
        &evidence.chain,
    );
    match recover(hash, &seal.signature) {
        Ok(signer) if signer == seal.holder => pass(format!("sealed by {signer:#x}")),
        Ok(signer) => fail(format!(
            "the seal's signature is by {signer:#x}, not the holder {:#x}",
            seal.holder
        )),
        Err(reason) => fail(format!("seal signature: {reason}")),
    }
}

fn media_bytes<'a>(
    files: &'a BundleFiles<&'a [u8]>,
    evidence: &Evidence,
) -> Result<Option<&'a [u8]>, String> {
    match &evidence.work.media_file {
        None => Ok(None),
        Some(path) => files
            .get(path)
            .map(Some)
            .ok_or_else(|| format!("`{path}` is named as the media but missing")),
    }
}

fn check_media_hash(files: &BundleFiles<&[u8]>, evidence: &Evidence) -> Outcome {
    let bytes = match media_bytes(files, evidence) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return skip("the media is not included (its CID is)"),
        Err(reason) => return fail(reason),
    };
    let actual = B256::from_slice(&Sha256::digest(bytes));
    if actual == evidence.work.content_hash {
        pass(hex::encode(actual))
    } else {
        fail(format!(
            "media sha-256 is {}, registered {}",
            hex::encode(actual),
            hex::encode(evidence.work.content_hash)
        ))
    }
}

fn check_media_cid(
    files: &BundleFiles<&[u8]>,
    evidence: &Evidence,
    document: Option<&WorkMetadata>,
) -> Outcome {
    let bytes = match media_bytes(files, evidence) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return skip("the media is not included"),
        Err(reason) => return fail(reason),
    };
    let Some(document) = document else {
        return fail("the metadata (which holds the import settings) does not parse");
    };
    let actual = cid_of(bytes, &document.hallmark.import_settings).map_err(Verdict::Fail)?;
    if actual.to_string() == evidence.work.content_cid {
        pass(actual.to_string())
    } else {
        fail(format!(
            "media CID is {actual}, the evidence names {}",
            evidence.work.content_cid
        ))
    }
}

fn check_metadata_hash(metadata: &[u8], evidence: &Evidence) -> Outcome {
    let actual = B256::from_slice(&Sha256::digest(metadata));
    if actual == evidence.work.metadata_hash {
        pass(hex::encode(actual))
    } else {
        fail(format!(
            "metadata sha-256 is {}, registered {}",
            hex::encode(actual),
            hex::encode(evidence.work.metadata_hash)
        ))
    }
}

fn check_metadata_cid(metadata: &[u8], evidence: &Evidence) -> Outcome {
    let actual = cid_of(metadata, &ImportSettings::kubo_v1()).map_err(Verdict::Fail)?;
    if actual.to_string() == evidence.work.metadata_cid {
        pass(actual.to_string())
    } else {
        fail(format!(
            "metadata CID is {actual}, registered {}",
            evidence.work.metadata_cid
        ))
    }
}

fn check_binding(
    document: &Result<WorkMetadata, hallmark_media::metadata::MetadataError>,
    evidence: &Evidence,
) -> Outcome {
    let document = match document {
        Ok(document) => document,
        Err(e) => return fail(format!("metadata.json: {e}")),
    };
    let h = &document.hallmark;
    let work = &evidence.work;
    if h.content_sha256 != hex::encode(work.content_hash) {
        return fail(format!(
            "metadata binds sha-256 {}, the work is {}",
            h.content_sha256,
            hex::encode(work.content_hash)
        ));
    }
    if h.content_cid.to_string() != work.content_cid {
        return fail(format!(
            "metadata binds CID {}, the evidence names {}",
            h.content_cid, work.content_cid
        ));
    }
    if h.creator != format!("{:#x}", work.creator) {
        return fail(format!(
            "metadata names creator {}, registered {:#x}",
            h.creator, work.creator
        ));
    }
    if work.title.as_deref().is_some_and(|t| t != document.name) {
        return fail(format!(
            "the evidence's title differs from the metadata's `{}`",
            document.name
        ));
    }
    pass(format!("“{}” by {}", document.name, h.creator))
}

fn check_token(evidence: &Evidence) -> Outcome {
    let token = &evidence.token;
    let base = U256::from(EDITION_BASE);
    let edition = u32::try_from(token.token_id % base).unwrap_or(0);
    if token.token_id / base != token.work_id || edition != token.edition || edition == 0 {
        return fail(format!(
            "token {} is not edition {} of work {}",
            token.token_id, token.edition, token.work_id
        ));
    }
    if token.edition > evidence.work.max_editions {
        return fail(format!(
            "edition {} of only {}",
            token.edition, evidence.work.max_editions
        ));
    }
    if evidence.statement.token_id != token.token_id {
        return fail(format!(
            "the statement is about token {}, not {}",
            evidence.statement.token_id, token.token_id
        ));
    }
    pass(format!(
        "edition {} of {}",
        token.edition, evidence.work.max_editions
    ))
}

/// The decoded block, or why it does not decode.
pub(crate) struct Block {
    header: Header,
    transactions: Vec<TxEnvelope>,
    receipts: Vec<ReceiptEnvelope<Log>>,
}

fn decode_block(evidence: &Evidence) -> Result<Block, String> {
    let r = &evidence.registration;
    let mut rlp = r.header_rlp.as_ref();
    let header = Header::decode(&mut rlp).map_err(|e| format!("header RLP: {e}"))?;
    if !rlp.is_empty() {
        return Err("header RLP has trailing bytes".to_owned());
    }
    let transactions = r
        .transactions
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let mut slice = raw.as_ref();
            let tx =
                TxEnvelope::decode_2718(&mut slice).map_err(|e| format!("transaction {i}: {e}"))?;
            if slice.is_empty() {
                Ok(tx)
            } else {
                Err(format!("transaction {i} has trailing bytes"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let receipts = r
        .receipts
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            let mut slice = raw.as_ref();
            let receipt = ReceiptEnvelope::<Log>::decode_2718(&mut slice)
                .map_err(|e| format!("receipt {i}: {e}"))?;
            if slice.is_empty() {
                Ok(receipt)
            } else {
                Err(format!("receipt {i} has trailing bytes"))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Block {
        header,
        transactions,
        receipts,
    })
}

fn check_header(evidence: &Evidence, block: &Result<Block, String>) -> Outcome {
    let block = block.as_ref().map_err(|e| Verdict::Fail(e.clone()))?;
    let r = &evidence.registration;
    let consensus = evidence.chain.consensus;
    let hash = crate::qbft::block_hash(consensus, &r.header_rlp)
        .map_err(|e| Verdict::Fail(format!("the bundle says the chain is {consensus}, but {e}")))?;
    if hash != r.block_hash {
        return fail(format!(
            "the header hashes to {hash:#x} ({consensus} block hash), the evidence names block {:#x}",
            r.block_hash
        ));
    }
    if block.header.number != r.block_number {
        return fail(format!(
            "the header is block {}, the evidence says {}",
            block.header.number, r.block_number
        ));
    }
    if block.header.timestamp != r.timestamp {
        return fail(format!(
            "the header's time is {}, the evidence says {}",
            block.header.timestamp, r.timestamp
        ));
    }
    pass(format!("block {} {hash:#x}", r.block_number))
}

fn check_transactions(evidence: &Evidence, block: &Result<Block, String>) -> Outcome {
    let block = block.as_ref().map_err(|e| Verdict::Fail(e.clone()))?;
    let r = &evidence.registration;
    let root = calculate_transaction_root(&block.transactions);
    if root != block.header.transactions_root {
        return fail(format!(
            "the transactions' root is {root:#x}, the header's is {:#x}",
            block.header.transactions_root
        ));
    }
    let index = usize::try_from(r.transaction_index).unwrap_or(usize::MAX);
    let Some(tx) = block.transactions.get(index) else {
        return fail(format!(
            "no transaction {index} in a block of {}",
            block.transactions.len()
        ));
    };
    let hash = *tx.tx_hash();
    if hash != r.tx_hash {
        return fail(format!(
            "transaction {index} is {hash:#x}, the evidence names {:#x}",
            r.tx_hash
        ));
    }
    pass(format!(
        "{hash:#x} at index {index} of {}",
        block.transactions.len()
    ))
}

fn check_receipts(evidence: &Evidence, block: &Result<Block, String>) -> Outcome {
    let block = block.as_ref().map_err(|e| Verdict::Fail(e.clone()))?;
    let root = calculate_receipt_root(&block.receipts);
    if root != block.header.receipts_root {
        return fail(format!(
            "the receipts' root is {root:#x}, the header's is {:#x}",
            block.header.receipts_root
        ));
    }
    let index = usize::try_from(evidence.registration.transaction_index).unwrap_or(usize::MAX);
    match block.receipts.get(index) {
        Some(receipt) if receipt.status() => pass(format!(
            "{} receipts, registration succeeded",
            block.receipts.len()
        )),
        Some(_) => fail("the registration transaction reverted"),
        None => fail(format!(
            "no receipt {index} in a block of {}",
            block.receipts.len()
        )),
    }
}

fn registration_receipt<'a>(
    evidence: &Evidence,
    block: &'a Block,
) -> Option<&'a ReceiptEnvelope<Log>> {
    usize::try_from(evidence.registration.transaction_index)
        .ok()
        .and_then(|i| block.receipts.get(i))
}

fn check_registration_log(evidence: &Evidence, block: &Result<Block, String>) -> Outcome {
    let block = block.as_ref().map_err(|e| Verdict::Fail(e.clone()))?;
    let Some(receipt) = registration_receipt(evidence, block) else {
        return fail("no registration receipt");
    };
    let work = &evidence.work;
    let found = receipt
        .logs()
        .iter()
        .filter(|log| log.address == evidence.chain.works)
        .filter_map(|log| HallmarkWorks::WorkRegistered::decode_log(log).ok())
        .find(|log| log.workId == evidence.token.work_id);
    let Some(event) = found else {
        return fail(format!(
            "the registration receipt has no WorkRegistered of work {} from {:#x}",
            evidence.token.work_id, evidence.chain.works
        ));
    };
    let mismatches: Vec<String> = [
        (event.contentHash != work.content_hash, "content hash"),
        (event.creator != work.creator, "creator"),
        (event.issuer != work.issuer, "issuer"),
        (event.metadataHash != work.metadata_hash, "metadata hash"),
        (event.metadataCid != work.metadata_cid, "metadata CID"),
        (event.maxEditions != work.max_editions, "editions"),
        (event.royaltyBps != work.royalty_bps, "royalty"),
    ]
    .into_iter()
    .filter(|(differs, _)| *differs)
    .map(|(_, what)| what.to_owned())
    .collect();
    if mismatches.is_empty() {
        pass(format!(
            "work {} registered by issuer {:#x}",
            evidence.token.work_id, work.issuer
        ))
    } else {
        fail(format!(
            "the registered {} differ from the evidence",
            mismatches.join(", ")
        ))
    }
}

fn check_provenance(evidence: &Evidence, block: &Result<Block, String>) -> Outcome {
    let transfers = &evidence.provenance;
    let Some(first) = transfers.first() else {
        return fail("no provenance: the token's mint is missing");
    };
    if first.kind != TransferKind::Minted || first.from.is_some() {
        return fail("the first entry is not the mint");
    }
    if first.block < evidence.registration.block_number {
        return fail("the token was minted before its work was registered");
    }
    if let Some((i, _)) = transfers
        .iter()
        .enumerate()
        .find(|(_, t)| t.price.is_some() != (t.kind == TransferKind::Sold))
    {
        return fail(format!("entry {i}: only a sale has a price"));
    }
    // Edition 1 is minted by the registration transaction itself: its mint is proven by the block.
    if evidence.token.edition == 1 {
        let r = &evidence.registration;
        if first.tx_hash != r.tx_hash
            || first.block != r.block_number
            || first.timestamp != r.timestamp
        {
            return fail(
                "edition 1 is minted by the registration transaction, but the mint entry names another transaction, block or time",
            );
        }
        let block = block.as_ref().map_err(|e| Verdict::Fail(e.clone()))?;
        let minted = registration_receipt(evidence, block).is_some_and(|receipt| {
            receipt
                .logs()
                .iter()
                .filter(|log| log.address == evidence.chain.works)
                .filter_map(|log| HallmarkWorks::EditionMinted::decode_log(log).ok())
                .any(|e| e.tokenId == evidence.token.token_id && e.to == first.to)
        });
        if !minted {
            return fail(format!(
                "the registration receipt does not mint token {} to {:#x}",
                evidence.token.token_id, first.to
            ));
        }
    }
    let mut holder = first.to;
    let mut block_number = first.block;
    for (i, transfer) in transfers.iter().enumerate().skip(1) {
        if transfer.kind == TransferKind::Minted {
            return fail(format!("entry {i} mints the token again"));
        }
        if transfer.from != Some(holder) {
            return fail(format!(
                "entry {i} moves the token from {:?}, but {holder:#x} held it",
                transfer.from
            ));
        }
        if transfer.block < block_number {
            return fail(format!("entry {i} is older than the one before"));
        }
        holder = transfer.to;
        block_number = transfer.block;
    }
    if holder != evidence.statement.holder {
        return fail(format!(
            "the last holder is {holder:#x}, the statement's is {:#x}",
            evidence.statement.holder
        ));
    }
    if evidence.statement.block_number < block_number {
        return fail("the statement is older than the last transfer");
    }
    pass(format!(
        "{} transfers, held by {holder:#x}",
        transfers.len()
    ))
}

/// Licence statuses a bundle may record.
const LICENCE_STATUSES: [&str; 4] = ["offered", "revoked", "accepted", "void"];
/// Licence kinds `HallmarkLicences.Kind` has (0..=4).
const LICENCE_KINDS: u8 = 5;
/// `HallmarkLicences.MAX_DURATION`: ten years.
const MAX_LICENCE_DURATION: u64 = 3650 * 86_400;

/// Each licence record is one the contract could have made: a known status and kind, a duration
/// it allows, each offer once; an accepted licence has a start and an end exactly its duration
/// apart (the contract sets `expires = starts + duration`), starting no earlier than the work's
/// registration; an offer never accepted has neither.
fn check_licences(evidence: &Evidence) -> Outcome {
    let mut seen = std::collections::BTreeSet::new();
    for licence in &evidence.licences {
        let id = licence.offer_id;
        if !seen.insert(id) {
            return fail(format!("licence offer {id} is listed twice"));
        }
        if !LICENCE_STATUSES.contains(&licence.status.as_str()) {
            return fail(format!(
                "licence {id} has unknown status `{}`",
                licence.status
            ));
        }
        if licence.kind >= LICENCE_KINDS {
            return fail(format!("licence {id} has unknown kind {}", licence.kind));
        }
        if licence.duration == 0 || licence.duration > MAX_LICENCE_DURATION {
            return fail(format!(
                "licence {id} has duration {} s (the contract allows 1 s to {MAX_LICENCE_DURATION} s)",
                licence.duration
            ));
        }
        if licence.status != "accepted" {
            if licence.starts.is_some() || licence.expires.is_some() {
                return fail(format!(
                    "licence {id} is {}, not accepted, yet has a start or an end",
                    licence.status
                ));
            }
            continue;
        }
        let Some(starts) = licence.starts else {
            return fail(format!("licence {id} is accepted without a start"));
        };
        let Some(expires) = licence.expires else {
            return fail(format!("licence {id} is accepted without an end"));
        };
        if expires < starts {
            return fail(format!("licence {id} ends before it starts"));
        }
        if expires - starts != licence.duration {
            return fail(format!(
                "licence {id} runs {} s, but its duration is {} s",
                expires - starts,
                licence.duration
            ));
        }
        if starts < evidence.registration.timestamp {
            return fail(format!(
                "licence {id} starts before the work was registered"
            ));
        }
    }
    pass(format!("{} licence records", evidence.licences.len()))
}

fn check_statement(evidence: &Evidence) -> Outcome {
    let s = &evidence.statement;
    if s.block_number < evidence.registration.block_number {
        return fail("the statement speaks of a block before the registration");
    }
    match recover(statement_hash(s, &evidence.chain), &s.signature) {
        Ok(signer) if signer == s.holder => {
            pass(format!("signed by {signer:#x} at block {}", s.block_number))
        }
        Ok(signer) => fail(format!(
            "signed by {signer:#x}, not the holder {:#x}",
            s.holder
        )),
        Err(reason) => fail(format!("statement signature: {reason}")),
    }
}

fn check_challenge(evidence: &Evidence, options: &VerifyOptions) -> Outcome {
    match options.challenge {
        None => skip("no challenge given (pass --challenge to require one)"),
        Some(challenge) if challenge == evidence.statement.nonce => {
            pass(format!("nonce {challenge}"))
        }
        Some(challenge) => fail(format!(
            "the statement's nonce is {}, the challenge was {challenge}",
            evidence.statement.nonce
        )),
    }
}

#[cfg(test)]
pub(crate) mod tests;
