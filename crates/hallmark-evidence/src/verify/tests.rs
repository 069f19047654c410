//! The offline verifier on bundles built here, from a block made here: the honest bundle passes
//! every check, and each lie — in the files, the seal, the work, the token, the block, the
//! provenance, the licences or the statement — fails the check that is about it, naming why.
//!
//! Two kinds of tampering: *after sealing* (anyone can edit the zip; the seal then fails too)
//! and *resealed* (the holder itself signs a false claim; only the check about the claim fails).

use alloy::consensus::proofs::{calculate_receipt_root, calculate_transaction_root};
use alloy::consensus::{
    Eip658Value, Header, Receipt, ReceiptEnvelope, SignableTransaction, TxEip1559, TxEnvelope,
};
use alloy::eips::eip2718::Encodable2718;
use alloy::primitives::{Address, B256, Bytes, Log, TxKind, U256, keccak256};
use alloy::rlp::Decodable;
use alloy::signers::SignerSync;
use alloy::signers::local::PrivateKeySigner;
use alloy::sol_types::SolEvent;
use hallmark_chain::bindings::HallmarkWorks;
use hallmark_chain::{EDITION_BASE, dev_signer};
use hallmark_domain::Consensus;
use hallmark_unixfs::{ImportSettings, NullSink, import_reader};
use sha2::{Digest, Sha256};

use super::{Report, Status, VerifyOptions, verify_offline};
use crate::bundle::BundleFiles;
use crate::model::{
    ChainInfo, EVIDENCE_FILE, Evidence, LicenceEntry, README_FILE, Registration, SEAL_FILE, Seal,
    TokenInfo, Transfer, TransferKind, WorkInfo,
};
use crate::prove::{ProofInputs, build_bundle};
use crate::seal::{sign_seal, sign_statement};

const WORK_ID: u64 = 7;
const REGISTRATION_BLOCK: u64 = 40;
const REGISTERED_AT: u64 = 1_780_000_000;
const SALE_BLOCK: u64 = 45;
const STATEMENT_BLOCK: u64 = 50;
const NONCE: u64 = 424_242;
const TITLE: &str = "Harbour at dawn";

/// Every check the offline verifier runs, in its order.
const CHECKS: [&str; 18] = [
    "documents",
    "format",
    "eip712",
    "files",
    "seal",
    "media.sha256",
    "media.cid",
    "metadata.hash",
    "metadata.cid",
    "metadata.binding",
    "token",
    "block.header",
    "block.transactions",
    "block.receipts",
    "registration.log",
    "provenance",
    "licences",
    "statement.signature",
];

fn signer(index: usize) -> PrivateKeySigner {
    dev_signer(index).expect("dev key")
}

/// The holder: bought the token from its creator.
fn holder() -> PrivateKeySigner {
    signer(3)
}

fn issuer() -> PrivateKeySigner {
    signer(1)
}

fn creator() -> Address {
    signer(4).address()
}

fn someone_else() -> PrivateKeySigner {
    signer(8)
}

/// The honest bundle's chain (also the typed-data tests' chain).
pub(crate) fn chain() -> ChainInfo {
    ChainInfo {
        chain_id: 31337,
        works: Address::repeat_byte(0x11),
        market: Address::repeat_byte(0x22),
        licences: Address::repeat_byte(0x33),
        consortium: Address::repeat_byte(0x44),
        consensus: Consensus::Ethereum,
    }
}

fn token_id() -> U256 {
    U256::from(WORK_ID * EDITION_BASE + 1)
}

fn sha256(bytes: &[u8]) -> B256 {
    B256::from_slice(&Sha256::digest(bytes))
}

fn cid_v1(bytes: &[u8]) -> String {
    import_reader(bytes, &ImportSettings::kubo_v1(), NullSink)
        .expect("import")
        .root
        .to_string()
}

fn media() -> Vec<u8> {
    (0..5_000u32).map(|i| (i * 31 % 251) as u8).collect()
}

/// The work's metadata document, binding `media` to the creator.
fn metadata(media: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "name": TITLE,
        "image": format!("ipfs://{}", cid_v1(media)),
        "hallmark": {
            "schema_version": hallmark_media::metadata::SCHEMA_VERSION,
            "content_sha256": hex::encode(sha256(media)),
            "content_cid": cid_v1(media),
            "import_settings": ImportSettings::kubo_v1(),
            "mime": "image/png",
            "size": media.len(),
            "creator": format!("{:#x}", creator()),
            "licence": "CC BY 4.0",
        }
    }))
    .expect("json")
}

fn work(media: &[u8], metadata: &[u8]) -> WorkInfo {
    WorkInfo {
        title: Some(TITLE.to_owned()),
        content_hash: sha256(media),
        content_cid: cid_v1(media),
        media_file: None,
        metadata_cid: cid_v1(metadata),
        metadata_hash: sha256(metadata),
        creator: creator(),
        issuer: issuer().address(),
        max_editions: 3,
        royalty_bps: 500,
    }
}

/// A signed EIP-1559 transaction from `from` to `to`.
fn transaction(from: &PrivateKeySigner, nonce: u64, to: Address) -> TxEnvelope {
    let tx = TxEip1559 {
        chain_id: 31337,
        nonce,
        gas_limit: 300_000,
        max_fee_per_gas: 2_000_000_000,
        max_priority_fee_per_gas: 1_000_000_000,
        to: TxKind::Call(to),
        ..TxEip1559::default()
    };
    let signature = from
        .sign_hash_sync(&tx.signature_hash())
        .expect("sign the transaction");
    TxEnvelope::from(tx.into_signed(signature))
}

fn receipt(succeeded: bool, gas: u64, logs: Vec<Log>) -> ReceiptEnvelope<Log> {
    ReceiptEnvelope::Eip1559(
        Receipt {
            status: Eip658Value::Eip658(succeeded),
            cumulative_gas_used: gas,
            logs,
        }
        .with_bloom(),
    )
}

/// The registration block: someone's transfer, then the issuer's registration (index 1), whose
/// receipt holds `WorkRegistered` and the mint of edition 1 to the creator.
fn registration(work: &WorkInfo, succeeded: bool) -> Registration {
    let works = chain().works;
    let transactions = vec![
        transaction(&signer(5), 0, Address::repeat_byte(0x99)),
        transaction(&issuer(), 3, works),
    ];
    let registered = HallmarkWorks::WorkRegistered {
        workId: U256::from(WORK_ID),
        contentHash: work.content_hash,
        creator: work.creator,
        issuer: work.issuer,
        metadataHash: work.metadata_hash,
        metadataCid: work.metadata_cid.clone(),
        maxEditions: work.max_editions,
        royaltyBps: work.royalty_bps,
    };
    let minted = HallmarkWorks::EditionMinted {
        workId: U256::from(WORK_ID),
        tokenId: token_id(),
        edition: 1,
        to: creator(),
    };
    let logs = vec![
        Log {
            address: works,
            data: registered.encode_log_data(),
        },
        Log {
            address: works,
            data: minted.encode_log_data(),
        },
    ];
    let receipts = vec![
        receipt(true, 21_000, Vec::new()),
        receipt(succeeded, 171_000, logs),
    ];
    let header = Header {
        number: REGISTRATION_BLOCK,
        timestamp: REGISTERED_AT,
        gas_limit: 30_000_000,
        gas_used: 171_000,
        transactions_root: calculate_transaction_root(&transactions),
        receipts_root: calculate_receipt_root(&receipts),
        ..Header::default()
    };
    let header_rlp = alloy::rlp::encode(&header);
    Registration {
        tx_hash: *transactions[1].tx_hash(),
        block_number: REGISTRATION_BLOCK,
        block_hash: keccak256(&header_rlp),
        timestamp: REGISTERED_AT,
        transaction_index: 1,
        header_rlp: header_rlp.into(),
        transactions: transactions
            .iter()
            .map(|tx| tx.encoded_2718().into())
            .collect(),
        receipts: receipts.iter().map(|r| r.encoded_2718().into()).collect(),
    }
}

/// Minted to the creator by the registration, sold to the holder.
fn provenance(registration: &Registration) -> Vec<Transfer> {
    vec![
        Transfer {
            kind: TransferKind::Minted,
            from: None,
            to: creator(),
            price: None,
            block: REGISTRATION_BLOCK,
            timestamp: REGISTERED_AT,
            tx_hash: registration.tx_hash,
        },
        Transfer {
            kind: TransferKind::Sold,
            from: Some(creator()),
            to: holder().address(),
            price: Some(U256::from(15)),
            block: SALE_BLOCK,
            timestamp: REGISTERED_AT + 60,
            tx_hash: B256::repeat_byte(0x55),
        },
    ]
}

fn licence() -> LicenceEntry {
    LicenceEntry {
        offer_id: 1,
        licensee: Address::repeat_byte(0x66),
        kind: 1,
        scope_hash: B256::repeat_byte(0x77),
        duration: 86_400,
        fee: U256::from(3),
        status: "accepted".to_owned(),
        starts: Some(REGISTERED_AT + 100),
        expires: Some(REGISTERED_AT + 100 + 86_400),
    }
}

fn inputs(with_media: bool, registration_succeeded: bool) -> ProofInputs {
    let media = media();
    let metadata = metadata(&media);
    let work = work(&media, &metadata);
    let registration = registration(&work, registration_succeeded);
    ProofInputs {
        chain: chain(),
        token: TokenInfo {
            token_id: token_id(),
            work_id: U256::from(WORK_ID),
            edition: 1,
        },
        work,
        provenance: provenance(&registration),
        registration,
        licences: vec![licence()],
        metadata,
        media: with_media.then(|| ("harbour.png".to_owned(), media)),
        statement_block: STATEMENT_BLOCK,
        nonce: U256::from(NONCE),
        created_at: REGISTERED_AT + 1_000,
    }
}

/// The honest bundle, sealed by the holder.
fn honest() -> BundleFiles {
    build_bundle(inputs(true, true), &holder()).expect("build")
}

fn options() -> VerifyOptions {
    VerifyOptions {
        challenge: Some(U256::from(NONCE)),
        ..VerifyOptions::default()
    }
}

fn verify(files: &BundleFiles) -> Report {
    verify_offline(files, &options()).0
}

fn evidence(files: &BundleFiles) -> Evidence {
    serde_json::from_slice(files.get(EVIDENCE_FILE).expect("evidence")).expect("parse")
}

/// `evidence` written into `files`, and a seal over it by `sealer` (`None`: the old seal stays).
fn with_evidence(
    files: BundleFiles,
    evidence: &Evidence,
    sealer: Option<&PrivateKeySigner>,
) -> BundleFiles {
    let bytes = serde_json::to_vec_pretty(evidence).expect("json");
    with_evidence_bytes(files, bytes, evidence, sealer)
}

/// The holder seals `document`, `evidence.json` exactly as written there.
fn sealed_document(files: BundleFiles, document: &serde_json::Value) -> BundleFiles {
    let bytes = serde_json::to_vec_pretty(document).expect("json");
    let evidence: Evidence = serde_json::from_slice(&bytes).expect("still evidence");
    with_evidence_bytes(files, bytes, &evidence, Some(&holder()))
}

fn with_evidence_bytes(
    mut files: BundleFiles,
    bytes: Vec<u8>,
    evidence: &Evidence,
    sealer: Option<&PrivateKeySigner>,
) -> BundleFiles {
    if let Some(sealer) = sealer {
        let seal = Seal {
            holder: sealer.address(),
            evidence_sha256: sha256(&bytes),
            signature: sign_seal(
                sealer,
                sha256(&bytes),
                evidence.token.token_id,
                &evidence.chain,
            )
            .expect("seal"),
        };
        files.files.insert(
            SEAL_FILE.to_owned(),
            serde_json::to_vec_pretty(&seal).expect("json"),
        );
    }
    files.files.insert(EVIDENCE_FILE.to_owned(), bytes);
    files
}

/// The holder seals a false claim: `edit` applied to the honest bundle's evidence and files.
fn resealed(edit: impl FnOnce(&mut BundleFiles, &mut Evidence)) -> Report {
    let mut files = honest();
    let mut evidence = evidence(&files);
    edit(&mut files, &mut evidence);
    verify(&with_evidence(files, &evidence, Some(&holder())))
}

/// Lists the sha-256 of `files` in `evidence`, as the prover does.
fn relist(files: &BundleFiles, evidence: &mut Evidence) {
    evidence.files = files
        .files
        .iter()
        .filter(|(name, _)| *name != EVIDENCE_FILE && *name != SEAL_FILE)
        .map(|(name, bytes)| (name.clone(), hex::encode(Sha256::digest(bytes))))
        .collect();
}

/// Re-signs the ownership statement as `signer` (its holder field stays the holder's unless the
/// signer is the holder).
fn resign_statement(evidence: &mut Evidence, signer: &PrivateKeySigner) {
    let signed = sign_statement(
        signer,
        evidence.statement.token_id,
        evidence.statement.block_number,
        evidence.statement.nonce,
        &evidence.chain,
    )
    .expect("sign");
    evidence.statement.signature = signed.signature;
}

fn failed(report: &Report) -> Vec<&'static str> {
    report.failures().map(|c| c.id).collect()
}

fn detail<'a>(report: &'a Report, id: &str) -> &'a str {
    &report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .detail
}

/// Exactly the checks `ids` fail, and the first one's reason contains `words`.
fn assert_fails(report: &Report, ids: &[&str], words: &str) {
    assert_eq!(failed(report), ids, "{report:#?}");
    assert!(!report.passed());
    let reason = detail(report, ids[0]);
    assert!(reason.contains(words), "`{words}` not in: {reason}");
}

// ---------------------------------------------------------------------------------------------
// The honest bundle

#[test]
fn an_honest_bundle_passes_every_check() {
    let files = honest();
    let report = verify(&files);
    let ids: Vec<&str> = report.checks.iter().map(|c| c.id).collect();
    assert_eq!(ids[..CHECKS.len()], CHECKS);
    assert_eq!(ids[CHECKS.len()..], ["statement.nonce"]);
    for check in &report.checks {
        assert_eq!(check.status, Status::Pass, "{check:?}");
    }
    assert!(report.passed());
    let summary = report.summary.as_ref().expect("summary");
    assert_eq!(summary.title.as_deref(), Some(TITLE));
    assert_eq!(summary.token_id, token_id().to_string());
    assert_eq!(summary.holder, holder().address());
    assert_eq!(summary.creator, creator());
    assert_eq!(summary.registration_block, REGISTRATION_BLOCK);
    assert_eq!(summary.registered_at, REGISTERED_AT);
    assert_eq!(summary.content_sha256, hex::encode(sha256(&media())));
    assert!(detail(&report, "provenance").contains("2 transfers"));

    // From the file's bytes: the zip is canonical too.
    let bytes = files.to_bytes().expect("zip");
    let (report, parsed) = crate::verify_bytes(&bytes, &options()).expect("a bundle");
    assert!(report.passed(), "{report:#?}");
    assert_eq!(report.checks[1].id, "container");
    assert_eq!(report.checks[1].status, Status::Pass);
    assert_eq!(
        report.bundle_sha256.as_deref(),
        Some(hex::encode(Sha256::digest(&bytes)).as_str())
    );
    assert_eq!(parsed.expect("parsed").evidence, evidence(&files));
}

#[test]
fn without_a_challenge_the_nonce_is_skipped_and_the_bundle_passes() {
    let (report, _) = verify_offline(&honest(), &VerifyOptions::default());
    let nonce = report.checks.last().expect("checks");
    assert_eq!((nonce.id, nonce.status), ("statement.nonce", Status::Skip));
    assert!(report.passed());
}

#[test]
fn a_bundle_without_its_media_skips_the_media_checks_and_passes() {
    let files = build_bundle(inputs(false, true), &holder()).expect("build");
    let report = verify(&files);
    for id in ["media.sha256", "media.cid"] {
        let check = report.checks.iter().find(|c| c.id == id).expect("check");
        assert_eq!(check.status, Status::Skip, "{check:?}");
    }
    assert!(report.passed());
}

// ---------------------------------------------------------------------------------------------
// Documents, files and seal

#[test]
fn a_missing_or_malformed_document_fails_alone() {
    let mut files = honest();
    files.files.remove(EVIDENCE_FILE);
    let report = verify(&files);
    assert_eq!(report.checks.len(), 1);
    assert_fails(&report, &["documents"], "`evidence.json` is missing");
    assert!(report.summary.is_none());

    let mut files = honest();
    files.files.insert(SEAL_FILE.to_owned(), b"{".to_vec());
    assert_fails(&verify(&files), &["documents"], "`seal.json` is malformed");
}

#[test]
fn an_unsupported_format_fails() {
    let report = resealed(|_, e| e.format = "hallmark-evidence/3".to_owned());
    assert_fails(&report, &["format"], "`hallmark-evidence/3`");
}

/// The honest bundle's evidence as format 1 wrote it: no `eip712`, numbers in `0x` hex.
fn as_format_1(files: &BundleFiles) -> serde_json::Value {
    let mut document: serde_json::Value =
        serde_json::from_slice(files.get(EVIDENCE_FILE).expect("evidence")).expect("json");
    document["format"] = "hallmark-evidence/1".into();
    document.as_object_mut().expect("object").remove("eip712");
    let hex = |value: &mut serde_json::Value| {
        if let Some(text) = value.as_str() {
            let number: U256 = text.parse().expect("decimal");
            *value = format!("{number:#x}").into();
        }
    };
    for pointer in [
        "/token/token_id",
        "/token/work_id",
        "/statement/token_id",
        "/statement/nonce",
    ] {
        hex(document.pointer_mut(pointer).expect(pointer));
    }
    for list in ["provenance", "licences"] {
        for item in document[list].as_array_mut().expect("list") {
            for member in ["price", "fee"] {
                if let Some(value) = item.get_mut(member) {
                    hex(value);
                }
            }
        }
    }
    document
}

#[test]
fn format_2_writes_numbers_in_decimal_and_the_eip712_data() {
    let files = honest();
    let document: serde_json::Value =
        serde_json::from_slice(files.get(EVIDENCE_FILE).expect("evidence")).expect("json");
    assert_eq!(document["format"], "hallmark-evidence/2");
    assert_eq!(document["token"]["token_id"], token_id().to_string());
    assert_eq!(document["statement"]["nonce"], NONCE.to_string());
    let prices: Vec<&serde_json::Value> = document["provenance"]
        .as_array()
        .expect("provenance")
        .iter()
        .map(|t| &t["price"])
        .collect();
    assert!(
        prices.iter().any(|p| p
            .as_str()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))),
        "{prices:?}"
    );
    assert_eq!(document["eip712"]["domain"]["name"], "HallmarkWorks");
    assert_eq!(
        document["eip712"]["types"]["OwnershipStatement"][3],
        serde_json::json!({"name": "nonce", "type": "uint256"})
    );
    assert!(detail(&verify(&files), "eip712").contains("domain HallmarkWorks version 1"));
}

#[test]
fn a_format_1_bundle_still_verifies() {
    let files = honest();
    let old = sealed_document(files.clone(), &as_format_1(&files));
    let report = verify(&old);
    assert!(report.passed(), "{report:#?}");
    assert!(detail(&report, "eip712").contains("carries no EIP-712 data"));
    assert_eq!(detail(&report, "format"), "hallmark-evidence/1");
}

#[test]
fn a_number_written_in_the_other_formats_notation_fails_the_format() {
    let files = honest();
    let mut document = as_format_1(&files);
    document["format"] = "hallmark-evidence/2".into();
    document["eip712"] =
        serde_json::from_slice::<serde_json::Value>(files.get(EVIDENCE_FILE).expect("evidence"))
            .expect("json")["eip712"]
            .clone();
    assert_fails(
        &verify(&sealed_document(files.clone(), &document)),
        &["format"],
        "a decimal string",
    );

    let mut document = as_format_1(&files);
    document["statement"]["nonce"] = NONCE.to_string().into();
    assert_fails(
        &verify(&sealed_document(files.clone(), &document)),
        &["format"],
        "/statement/nonce",
    );

    let mut document: serde_json::Value =
        serde_json::from_slice(files.get(EVIDENCE_FILE).expect("evidence")).expect("json");
    document["token"]["work_id"] =
        format!("00{}", document["token"]["work_id"].as_str().expect("text")).into();
    assert_fails(
        &verify(&sealed_document(files, &document)),
        &["format"],
        "/token/work_id",
    );
}

#[test]
fn eip712_data_that_is_missing_or_not_the_signing_domain_fails() {
    let report = resealed(|_, e| e.eip712 = None);
    assert_fails(&report, &["eip712"], "`eip712` is missing");

    let report = resealed(|_, e| {
        if let Some(spec) = e.eip712.as_mut() {
            spec.domain.verifying_contract = Address::repeat_byte(0x42);
        }
    });
    assert_fails(&report, &["eip712"], "verifyingContract");

    let report = resealed(|_, e| {
        if let Some(spec) = e.eip712.as_mut() {
            spec.domain.chain_id += 1;
        }
    });
    assert_fails(&report, &["eip712"], "chainId");

    let files = honest();
    let mut document = as_format_1(&files);
    document["eip712"] =
        serde_json::from_slice::<serde_json::Value>(files.get(EVIDENCE_FILE).expect("evidence"))
            .expect("json")["eip712"]
            .clone();
    assert_fails(
        &verify(&sealed_document(files, &document)),
        &["eip712"],
        "not part of",
    );
}

#[test]
fn a_file_that_differs_from_its_listed_hash_or_is_unlisted_or_missing_fails() {
    let mut files = honest();
    files
        .files
        .insert(README_FILE.to_owned(), b"trust me".to_vec());
    assert_fails(&verify(&files), &["files"], "`README.txt` has sha-256");

    let mut files = honest();
    files
        .files
        .insert("media/extra.png".to_owned(), b"more".to_vec());
    assert_fails(
        &verify(&files),
        &["files"],
        "`media/extra.png` is in the bundle but not listed",
    );

    let mut files = honest();
    files.files.remove(README_FILE);
    assert_fails(
        &verify(&files),
        &["files"],
        "`README.txt` is listed in evidence.json but missing",
    );
}

#[test]
fn evidence_changed_after_sealing_breaks_the_seal() {
    let files = honest();
    let mut changed = evidence(&files);
    changed.created_at += 1;
    let report = verify(&with_evidence(files, &changed, None));
    assert_fails(&report, &["seal"], "the seal covers");
}

#[test]
fn a_seal_by_anyone_but_the_holder_fails() {
    // Sealed by someone else, in their own name.
    let files = honest();
    let same = evidence(&files);
    let report = verify(&with_evidence(files, &same, Some(&someone_else())));
    assert_fails(&report, &["seal"], "but the statement's holder is");

    // Sealed by someone else, in the holder's name.
    let mut files = honest();
    let mut seal: Seal =
        serde_json::from_slice(files.get(SEAL_FILE).expect("seal")).expect("parse");
    seal.signature =
        sign_seal(&someone_else(), seal.evidence_sha256, token_id(), &chain()).expect("seal");
    files.files.insert(
        SEAL_FILE.to_owned(),
        serde_json::to_vec_pretty(&seal).expect("json"),
    );
    assert_fails(&verify(&files), &["seal"], "the seal's signature is by");

    // Not a signature at all.
    seal.signature = Bytes::from_static(&[1, 2, 3]);
    files.files.insert(
        SEAL_FILE.to_owned(),
        serde_json::to_vec_pretty(&seal).expect("json"),
    );
    assert_fails(&verify(&files), &["seal"], "seal signature: not a 65-byte");
}

// ---------------------------------------------------------------------------------------------
// The work

#[test]
fn other_media_bytes_fail_the_media_hash_and_cid() {
    let report = resealed(|files, e| {
        let path = e.work.media_file.clone().expect("media");
        files.files.insert(path, b"another picture".to_vec());
        relist(files, e);
    });
    assert_fails(&report, &["media.sha256", "media.cid"], "media sha-256 is");
    assert!(detail(&report, "media.cid").contains("media CID is"));
}

#[test]
fn media_named_but_missing_fails() {
    let report = resealed(|_, e| e.work.media_file = Some("media/other.png".to_owned()));
    assert_fails(
        &report,
        &["media.sha256", "media.cid"],
        "`media/other.png` is named as the media but missing",
    );
}

#[test]
fn a_false_content_hash_fails_the_media_the_binding_and_the_registration() {
    let report = resealed(|_, e| e.work.content_hash = B256::repeat_byte(0xAB));
    assert_fails(
        &report,
        &["media.sha256", "metadata.binding", "registration.log"],
        "registered abab",
    );
    assert!(detail(&report, "registration.log").contains("content hash"));
}

#[test]
fn a_false_content_cid_fails_the_media_cid_and_the_binding() {
    let other = cid_v1(b"other");
    let report = resealed(|_, e| e.work.content_cid = other.clone());
    assert_fails(
        &report,
        &["media.cid", "metadata.binding"],
        "the evidence names",
    );
    assert!(detail(&report, "metadata.binding").contains("metadata binds CID"));
}

#[test]
fn a_false_metadata_hash_or_cid_fails_its_check_and_the_registration() {
    let report = resealed(|_, e| e.work.metadata_hash = B256::repeat_byte(0xCD));
    assert_fails(
        &report,
        &["metadata.hash", "registration.log"],
        "metadata sha-256 is",
    );
    assert!(detail(&report, "registration.log").contains("metadata hash"));

    let other = cid_v1(b"other metadata");
    let report = resealed(|_, e| e.work.metadata_cid = other.clone());
    assert_fails(
        &report,
        &["metadata.cid", "registration.log"],
        "metadata CID is",
    );
    assert!(detail(&report, "registration.log").contains("metadata CID"));
}

#[test]
fn metadata_that_names_another_title_or_creator_fails_the_binding() {
    let report = resealed(|_, e| e.work.title = Some("Another title".to_owned()));
    assert_fails(
        &report,
        &["metadata.binding"],
        "the evidence's title differs",
    );

    let report = resealed(|_, e| e.work.creator = someone_else().address());
    assert_fails(
        &report,
        &["metadata.binding", "registration.log"],
        "metadata names creator",
    );
    assert!(detail(&report, "registration.log").contains("creator"));
}

#[test]
fn metadata_that_does_not_parse_fails_the_binding_and_the_media_cid() {
    let report = resealed(|files, e| {
        let metadata = b"{\"name\":\"no binding\"}".to_vec();
        e.work.metadata_hash = sha256(&metadata);
        e.work.metadata_cid = cid_v1(&metadata);
        files
            .files
            .insert(crate::model::METADATA_FILE.to_owned(), metadata);
        relist(files, e);
    });
    let failures = failed(&report);
    assert!(failures.contains(&"metadata.binding"), "{failures:?}");
    assert!(failures.contains(&"media.cid"), "{failures:?}");
    assert!(detail(&report, "metadata.binding").starts_with("metadata.json: "));
    assert!(detail(&report, "media.cid").contains("does not parse"));
}

// ---------------------------------------------------------------------------------------------
// The token

#[test]
fn a_token_that_is_not_the_named_edition_of_the_work_fails() {
    let report = resealed(|_, e| e.token.edition = 2);
    assert_fails(&report, &["token"], "is not edition 2 of work 7");

    let report = resealed(|_, e| e.token.work_id = U256::from(8));
    assert_fails(
        &report,
        &["token", "registration.log"],
        "is not edition 1 of work 8",
    );
}

#[test]
fn an_edition_beyond_the_works_editions_fails() {
    let report = resealed(|_, e| e.work.max_editions = 0);
    assert_fails(
        &report,
        &["token", "registration.log"],
        "edition 1 of only 0",
    );
    assert!(detail(&report, "registration.log").contains("editions"));
}

#[test]
fn a_statement_about_another_token_fails() {
    let report = resealed(|_, e| {
        e.statement.token_id = token_id() + U256::from(1);
        resign_statement(e, &holder());
    });
    assert_fails(&report, &["token"], "the statement is about token");
}

// ---------------------------------------------------------------------------------------------
// The block

#[test]
fn a_block_hash_that_is_not_the_headers_fails() {
    let report = resealed(|_, e| e.registration.block_hash = B256::repeat_byte(0xEE));
    assert_fails(&report, &["block.header"], "the header hashes to");
}

#[test]
fn a_block_number_or_time_other_than_the_headers_fails() {
    let report = resealed(|_, e| e.registration.block_number = REGISTRATION_BLOCK - 1);
    assert_fails(
        &report,
        &["block.header", "provenance"],
        "the header is block 40, the evidence says 39",
    );

    let report = resealed(|_, e| e.registration.timestamp = REGISTERED_AT + 1);
    assert_fails(
        &report,
        &["block.header", "provenance"],
        "the header's time is",
    );
    assert!(detail(&report, "provenance").contains("edition 1 is minted by the registration"));
}

#[test]
fn a_header_that_does_not_decode_fails_every_block_check() {
    let report = resealed(|_, e| e.registration.header_rlp = Bytes::from_static(b"\x01\x02"));
    assert_fails(
        &report,
        &[
            "block.header",
            "block.transactions",
            "block.receipts",
            "registration.log",
            "provenance",
        ],
        "header RLP",
    );
}

// ---------------------------------------------------------------------------------------------
// A Besu QBFT chain: the block hash leaves the commit seals out

/// The honest inputs on a QBFT chain: the registration header carries QBFT extraData sealed by
/// 3 validators, and the block hash is Besu's on-chain hash of it.
fn qbft_inputs() -> ProofInputs {
    use crate::qbft::{Encoding, QbftExtraData, commit_seal_hash, onchain_block_hash};
    let mut inputs = inputs(true, true);
    inputs.chain.consensus = Consensus::Qbft;
    let validators: Vec<PrivateKeySigner> = (5..9).map(signer).collect();
    let mut extra =
        QbftExtraData::genesis(validators.iter().map(PrivateKeySigner::address).collect());
    extra.round = 2;
    let mut header =
        Header::decode(&mut inputs.registration.header_rlp.as_ref()).expect("the header");
    header.extra_data = extra.encode(Encoding::All).into();
    let to_sign = commit_seal_hash(&header).expect("qbft");
    extra.seals = validators[..3]
        .iter()
        .map(|v| {
            let signature = v.sign_hash_sync(&to_sign).expect("sign");
            let mut seal = [0u8; 65];
            seal[..32].copy_from_slice(&signature.r().to_be_bytes::<32>());
            seal[32..64].copy_from_slice(&signature.s().to_be_bytes::<32>());
            seal[64] = u8::from(signature.v());
            seal
        })
        .collect();
    header.extra_data = extra.encode(Encoding::All).into();
    let header_rlp = alloy::rlp::encode(&header);
    inputs.registration.block_hash = onchain_block_hash(&header).expect("qbft");
    assert_ne!(inputs.registration.block_hash, keccak256(&header_rlp));
    inputs.registration.header_rlp = header_rlp.into();
    inputs
}

fn qbft_bundle() -> BundleFiles {
    build_bundle(qbft_inputs(), &holder()).expect("build")
}

#[test]
fn a_qbft_bundle_whose_header_carries_seals_verifies() {
    let files = qbft_bundle();
    let report = verify(&files);
    assert!(report.passed(), "{report:#?}");
    assert!(
        detail(&report, "block.header")
            .contains(&format!("{:#x}", qbft_inputs().registration.block_hash))
    );
    let json =
        String::from_utf8(files.get(EVIDENCE_FILE).expect("evidence").to_vec()).expect("utf-8");
    assert!(json.contains("\"consensus\": \"qbft\""), "{json}");
    let readme =
        String::from_utf8(files.get(README_FILE).expect("readme").to_vec()).expect("utf-8");
    assert!(readme.contains("without the commit seals"), "{readme}");
}

#[test]
fn a_qbft_bundle_naming_the_keccak_of_its_sealed_header_fails() {
    let mut inputs = qbft_inputs();
    inputs.registration.block_hash = keccak256(&inputs.registration.header_rlp);
    let report = verify(&build_bundle(inputs, &holder()).expect("build"));
    assert_fails(&report, &["block.header"], "(qbft block hash)");
}

#[test]
fn a_qbft_bundle_whose_extra_data_is_not_qbft_fails_the_header_check() {
    // An Ethereum bundle (its header's extraData is empty) relabelled as QBFT.
    let mut inputs = inputs(true, true);
    inputs.chain.consensus = Consensus::Qbft;
    let report = verify(&build_bundle(inputs, &holder()).expect("build"));
    assert_fails(
        &report,
        &["block.header"],
        "the bundle says the chain is qbft, but the extraData is empty",
    );

    let mut inputs = qbft_inputs();
    let mut header =
        Header::decode(&mut inputs.registration.header_rlp.as_ref()).expect("the header");
    header.extra_data = Bytes::from_static(b"Besu 24.12 with IBFT 2.0");
    inputs.registration.header_rlp = alloy::rlp::encode(&header).into();
    let report = verify(&build_bundle(inputs, &holder()).expect("build"));
    assert_fails(&report, &["block.header"], "is not QBFT");
}

#[test]
fn an_ethereum_bundle_is_unchanged_and_cannot_pass_as_qbft() {
    // The honest bundle is an Ethereum one: no consensus field is written, and one read
    // without it is Ethereum.
    let files = honest();
    let json =
        String::from_utf8(files.get(EVIDENCE_FILE).expect("evidence").to_vec()).expect("utf-8");
    assert!(!json.contains("consensus"), "{json}");
    assert_eq!(evidence(&files).chain.consensus, Consensus::Ethereum);
    assert!(verify(&files).passed());

    // A QBFT bundle relabelled as Ethereum: its block hash is not the header's keccak.
    let files = qbft_bundle();
    let mut evidence = evidence(&files);
    evidence.chain.consensus = Consensus::Ethereum;
    let report = verify(&with_evidence(files, &evidence, Some(&holder())));
    assert_fails(&report, &["block.header"], "(ethereum block hash)");
}

#[test]
fn a_transaction_list_that_is_not_the_blocks_fails() {
    let report = resealed(|_, e| {
        e.registration.transactions.remove(0);
    });
    assert_fails(
        &report,
        &["block.transactions"],
        "the transactions' root is",
    );

    let report = resealed(|_, e| e.registration.transactions[0] = Bytes::from_static(b"\x02"));
    assert_fails(
        &report,
        &[
            "block.header",
            "block.transactions",
            "block.receipts",
            "registration.log",
            "provenance",
        ],
        "transaction 0",
    );
}

#[test]
fn a_registration_transaction_not_in_the_block_fails() {
    let report = resealed(|_, e| e.registration.tx_hash = B256::repeat_byte(0x12));
    assert_fails(
        &report,
        &["block.transactions", "provenance"],
        "transaction 1 is",
    );

    let report = resealed(|_, e| e.registration.transaction_index = 5);
    assert_fails(
        &report,
        &[
            "block.transactions",
            "block.receipts",
            "registration.log",
            "provenance",
        ],
        "no transaction 5 in a block of 2",
    );
    assert!(detail(&report, "block.receipts").contains("no receipt 5"));
}

#[test]
fn receipts_that_are_not_the_blocks_fail() {
    // In another order: the root differs, and index 1 is now the other receipt.
    let report = resealed(|_, e| e.registration.receipts.swap(0, 1));
    assert_fails(
        &report,
        &["block.receipts", "registration.log", "provenance"],
        "the receipts' root is",
    );
}

#[test]
fn a_reverted_registration_fails_the_receipts() {
    let files = build_bundle(inputs(true, false), &holder()).expect("build");
    assert_fails(
        &verify(&files),
        &["block.receipts"],
        "the registration transaction reverted",
    );
}

#[test]
fn work_fields_other_than_the_registered_event_fail_the_registration_log() {
    let report = resealed(|_, e| e.work.royalty_bps = 900);
    assert_fails(
        &report,
        &["registration.log"],
        "the registered royalty differ",
    );
    let report = resealed(|_, e| e.work.issuer = someone_else().address());
    assert_fails(
        &report,
        &["registration.log"],
        "the registered issuer differ",
    );
    let report = resealed(|_, e| e.token.work_id = U256::from(8));
    assert!(failed(&report).contains(&"registration.log"));
    assert!(detail(&report, "registration.log").contains("no WorkRegistered of work 8"));
}

// ---------------------------------------------------------------------------------------------
// Provenance

fn provenance_fails(edit: impl FnOnce(&mut Vec<Transfer>), words: &str) {
    let report = resealed(|_, e| edit(&mut e.provenance));
    assert_fails(&report, &["provenance"], words);
}

#[test]
fn a_provenance_that_does_not_start_with_the_mint_fails() {
    provenance_fails(|p| p.clear(), "no provenance");
    provenance_fails(
        |p| {
            p[0].kind = TransferKind::Gifted;
        },
        "the first entry is not the mint",
    );
    provenance_fails(
        |p| p[0].from = Some(Address::repeat_byte(0x01)),
        "the first entry is not the mint",
    );
    provenance_fails(
        |p| p[0].block = REGISTRATION_BLOCK - 1,
        "minted before its work was registered",
    );
}

#[test]
fn a_mint_of_edition_one_that_is_not_the_registration_fails() {
    provenance_fails(
        |p| p[0].tx_hash = B256::repeat_byte(0x34),
        "edition 1 is minted by the registration transaction",
    );
    provenance_fails(
        |p| {
            p[0].to = someone_else().address();
            p[1].from = Some(someone_else().address());
        },
        "the registration receipt does not mint token",
    );
}

#[test]
fn prices_only_on_sales() {
    provenance_fails(|p| p[1].price = None, "entry 1: only a sale has a price");
    provenance_fails(
        |p| p[0].price = Some(U256::from(1)),
        "entry 0: only a sale has a price",
    );
}

#[test]
fn transfers_must_chain_from_holder_to_holder_in_order() {
    provenance_fails(
        |p| p[1].from = Some(someone_else().address()),
        "entry 1 moves the token from",
    );
    provenance_fails(
        |p| p[1].block = REGISTRATION_BLOCK - 1,
        "entry 1 is older than the one before",
    );
    provenance_fails(
        |p| {
            p[1].kind = TransferKind::Minted;
            p[1].price = None;
        },
        "entry 1 mints the token again",
    );
    provenance_fails(
        |p| {
            p.push(Transfer {
                kind: TransferKind::Gifted,
                from: Some(holder().address()),
                to: someone_else().address(),
                price: None,
                block: SALE_BLOCK + 1,
                timestamp: REGISTERED_AT + 120,
                tx_hash: B256::repeat_byte(0x56),
            });
        },
        "the last holder is",
    );
    provenance_fails(
        |p| p[1].block = STATEMENT_BLOCK + 1,
        "the statement is older than the last transfer",
    );
}

// ---------------------------------------------------------------------------------------------
// Licences

#[test]
fn malformed_licence_records_fail() {
    let report = resealed(|_, e| e.licences[0].status = "pending".to_owned());
    assert_fails(&report, &["licences"], "unknown status `pending`");
    let report = resealed(|_, e| e.licences[0].expires = Some(REGISTERED_AT));
    assert_fails(&report, &["licences"], "ends before it starts");
    let report = resealed(|_, e| {
        e.licences[0].starts = None;
        e.licences[0].expires = None;
    });
    assert_fails(&report, &["licences"], "accepted without a start");
}

/// Security finding 11: a holder who extends a licence (or makes its dates disagree with its
/// duration in any other way) and re-seals the bundle is caught offline.
#[test]
fn a_licence_extended_or_otherwise_inconsistent_and_resealed_fails() {
    let starts = REGISTERED_AT + 100;
    // Extended: the end moved ten days on, the duration left at one day.
    let report = resealed(|_, e| e.licences[0].expires = Some(starts + 10 * 86_400));
    assert_fails(
        &report,
        &["licences"],
        "licence 1 runs 864000 s, but its duration is 86400 s",
    );
    // Moved back, starting before the work existed (its duration kept).
    let report = resealed(|_, e| {
        e.licences[0].starts = Some(REGISTERED_AT - 86_400);
        e.licences[0].expires = Some(REGISTERED_AT);
    });
    assert_fails(
        &report,
        &["licences"],
        "starts before the work was registered",
    );
    // Accepted with a start but no end.
    let report = resealed(|_, e| e.licences[0].expires = None);
    assert_fails(&report, &["licences"], "accepted without an end");
    // Dates on an offer never accepted.
    let report = resealed(|_, e| e.licences[0].status = "offered".to_owned());
    assert_fails(
        &report,
        &["licences"],
        "not accepted, yet has a start or an end",
    );
    // A duration or kind the contract never allows; one offer listed twice.
    let report = resealed(|_, e| {
        e.licences[0].duration = 0;
        e.licences[0].expires = e.licences[0].starts;
    });
    assert_fails(&report, &["licences"], "duration 0 s");
    let report = resealed(|_, e| e.licences[0].kind = 5);
    assert_fails(&report, &["licences"], "unknown kind 5");
    let report = resealed(|_, e| {
        let again = e.licences[0].clone();
        e.licences.push(again);
    });
    assert_fails(&report, &["licences"], "offer 1 is listed twice");
}

// ---------------------------------------------------------------------------------------------
// The statement

#[test]
fn a_statement_not_signed_by_the_holder_fails() {
    let report = resealed(|_, e| resign_statement(e, &someone_else()));
    assert_fails(&report, &["statement.signature"], "not the holder");

    let report = resealed(|_, e| e.statement.signature = Bytes::from_static(&[0; 3]));
    assert_fails(
        &report,
        &["statement.signature"],
        "statement signature: not a 65-byte",
    );

    // Another block than the one signed.
    let report = resealed(|_, e| e.statement.block_number = STATEMENT_BLOCK + 1);
    assert_fails(&report, &["statement.signature"], "not the holder");
}

#[test]
fn a_statement_about_a_block_before_the_registration_fails() {
    let report = resealed(|_, e| {
        e.statement.block_number = REGISTRATION_BLOCK - 1;
        resign_statement(e, &holder());
    });
    assert_fails(
        &report,
        &["provenance", "statement.signature"],
        "the statement is older than the last transfer",
    );
    assert!(
        detail(&report, "statement.signature")
            .contains("speaks of a block before the registration")
    );
}

#[test]
fn a_statement_that_does_not_answer_the_challenge_fails() {
    let (report, _) = verify_offline(
        &honest(),
        &VerifyOptions {
            challenge: Some(U256::from(1)),
            ..VerifyOptions::default()
        },
    );
    assert_fails(
        &report,
        &["statement.nonce"],
        "the statement's nonce is 424242, the challenge was 1",
    );
}

// ---------------------------------------------------------------------------------------------
// The container

#[test]
fn a_zip_that_is_not_in_canonical_form_fails_the_container_check() {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    // The same files, written with a zip comment: readable, but not the bytes Hallmark writes.
    let files = honest();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let entry = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in &files.files {
        zip.start_file(name.as_str(), entry).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.set_comment("edited").expect("comment");
    let bytes = zip.finish().expect("zip").into_inner();
    let (report, _) = crate::verify_bytes(&bytes, &options()).expect("still a bundle");
    assert_fails(&report, &["container"], "canonical form");
}

fn anchored(chain: ChainInfo) -> VerifyOptions {
    VerifyOptions {
        anchor: Some(crate::Anchor {
            name: "the test consortium".to_owned(),
            chain,
            genesis_hash: None,
        }),
        ..options()
    }
}

#[test]
fn without_a_consortium_a_bundle_is_at_best_consistent() {
    let report = verify(&honest());
    assert!(report.passed());
    assert!(report.checks.iter().all(|c| c.id != "consortium"));
    assert_eq!(report.conclusion(), crate::Conclusion::Consistent);
}

#[test]
fn a_bundle_of_the_consortiums_deployment_offline_is_consistent_not_verified() {
    let (report, _) = verify_offline(&honest(), &anchored(chain()));
    let check = report
        .checks
        .iter()
        .find(|c| c.id == "consortium")
        .expect("checked against the consortium");
    assert_eq!(check.status, Status::Pass, "{check:?}");
    assert_eq!(report.consortium.as_deref(), Some("the test consortium"));
    // No chain check ran: not verified.
    assert_eq!(report.conclusion(), crate::Conclusion::Consistent);
}

#[test]
fn a_bundle_of_another_deployment_or_chain_is_not_from_this_consortium() {
    let other_works = ChainInfo {
        works: Address::repeat_byte(0x99),
        ..chain()
    };
    let other_chain = ChainInfo {
        chain_id: 7,
        ..chain()
    };
    for (anchor, named) in [
        (other_works, "works contract"),
        (other_chain, "chain 31337"),
    ] {
        let (report, _) = verify_offline(&honest(), &anchored(anchor));
        let check = report
            .checks
            .iter()
            .find(|c| c.id == "consortium")
            .expect("checked");
        assert_eq!(check.status, Status::Fail);
        assert!(check.detail.contains(named), "{check:?}");
        assert_eq!(report.conclusion(), crate::Conclusion::NotThisConsortium);
    }
}

#[test]
fn a_bundle_without_its_media_explains_commands_that_run() {
    let files = build_bundle(inputs(false, true), &holder()).expect("build");
    let readme = String::from_utf8(files.files[README_FILE].clone()).expect("text");
    let sums = readme
        .lines()
        .find(|l| l.trim_start().starts_with("sha256sum"))
        .expect("a sha256sum command");
    assert_eq!(sums.trim(), "sha256sum metadata.json README.txt");
    assert!(readme.contains("ipfs cat "), "{readme}");
    assert!(
        readme.contains("ipfs add --only-hash --cid-version=1 media.bin"),
        "{readme}"
    );
    assert!(!readme.contains("(not included"), "{readme}");
    // With the media, the commands name its file.
    let files = build_bundle(inputs(true, true), &holder()).expect("build");
    let readme = String::from_utf8(files.files[README_FILE].clone()).expect("text");
    assert!(!readme.contains("ipfs cat "), "{readme}");
}

/// Security finding 12: a check the node could not answer (no state for an old block) makes the
/// conclusion neither "failed" nor "verified", but "partly verified", naming the check.
#[test]
fn an_unanswered_check_is_partly_verified_never_failed_nor_verified() {
    use crate::Conclusion;
    let line = |id: &'static str, status: Status| super::Check {
        id,
        title: "a check",
        status,
        detail: String::new(),
    };
    let anchored = [
        "consortium",
        "online.genesis",
        "online.chain",
        "online.block",
        "online.work",
        "online.owner",
    ]
    .map(|id| line(id, Status::Pass));
    let mut report = Report {
        checks: anchored.to_vec(),
        consortium: Some("the test consortium".to_owned()),
        ..Report::default()
    };
    report
        .checks
        .push(line("online.statement", Status::Unanswered));
    assert!(report.passed());
    assert_eq!(
        report.conclusion(),
        Conclusion::PartlyVerified {
            consortium: "the test consortium".to_owned(),
            unanswered: vec!["online.statement".to_owned()],
        }
    );
    // Answered, it is verified; any failure still fails; without a consortium, consistent.
    report.checks.last_mut().expect("statement").status = Status::Pass;
    assert!(matches!(report.conclusion(), Conclusion::Verified { .. }));
    report.checks.last_mut().expect("statement").status = Status::Unanswered;
    report.checks.push(line("online.provenance", Status::Fail));
    assert_eq!(report.conclusion(), Conclusion::Failed);
    report.checks.pop();
    report.consortium = None;
    assert_eq!(report.conclusion(), Conclusion::Consistent);
}
