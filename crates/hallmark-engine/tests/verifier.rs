//! Security findings 11 and 12, found by checking `hallmark verify` against a verifier written
//! outside the project: a licence whose dates the holder moved and re-sealed must not verify
//! (the chain's acceptance records the dates), and an honest bundle checked against a node that
//! keeps no state of old blocks must not be declared a forgery (a missing archive is not one),
//! while the report says exactly which check the node could not answer.

use std::path::{Path, PathBuf};

use hallmark_chain::{
    ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, LicenceKind, LicenceTerms,
    credits, deploy_suite, seed_demo,
};
use hallmark_engine::evidence::{Conclusion, Report, Status, VerifyOptions};
use hallmark_engine::{
    B256, ChainConfig, Config, DEV_CHAIN_ID, Engine, MintRequest, PrivateKeySigner, ProveRequest,
    U256, dev_signer, verify_bundle_at,
};
use hallmark_evidence::{BundleFiles, Evidence};
use hallmark_testkit::anvil::Anvil;
use sha2::{Digest, Sha256};

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples/dawn.png")
}

/// The issuer (dev key 1) registers the sample on `engine`'s suite: the token id.
async fn registered(engine: &Engine) -> u64 {
    let minted = engine
        .mint(
            &MintRequest {
                path: sample(),
                name: "Dawn".to_owned(),
                licence: "All rights reserved".to_owned(),
                editions: 1,
                ..MintRequest::default()
            },
            dev_signer(1).expect("issuer"),
        )
        .await
        .expect("mint");
    minted.token_id.parse().expect("token id")
}

/// The issuer proves `token_id`: the bundle's bytes.
async fn proved(engine: &Engine, token_id: u64) -> Vec<u8> {
    engine
        .prove(
            &ProveRequest {
                token_id,
                challenge: None,
                include_media: false,
            },
            dev_signer(1).expect("issuer"),
        )
        .await
        .expect("prove")
        .bytes
}

fn check<'a>(report: &'a Report, id: &str) -> &'a hallmark_engine::evidence::Check {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}: {report:#?}"))
}

/// `bundle` with its evidence edited by `edit` and re-sealed by `holder` (the holder lying).
fn resealed(bundle: &[u8], holder: &PrivateKeySigner, edit: impl FnOnce(&mut Evidence)) -> Vec<u8> {
    use hallmark_evidence::{EVIDENCE_FILE, SEAL_FILE, Seal, seal};
    let mut files = BundleFiles::read(std::io::Cursor::new(bundle)).expect("a bundle");
    let mut evidence: Evidence =
        serde_json::from_slice(files.get(EVIDENCE_FILE).expect("evidence")).expect("parse");
    edit(&mut evidence);
    let bytes = serde_json::to_vec_pretty(&evidence).expect("json");
    let digest = B256::from_slice(&Sha256::digest(&bytes));
    let signature =
        seal::sign_seal(holder, digest, evidence.token.token_id, &evidence.chain).expect("seal");
    let seal = Seal {
        holder: holder.address(),
        evidence_sha256: digest,
        signature,
    };
    files.files.insert(
        SEAL_FILE.to_owned(),
        serde_json::to_vec_pretty(&seal).expect("json"),
    );
    files.files.insert(EVIDENCE_FILE.to_owned(), bytes);
    files.to_bytes().expect("zip")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_licence_moved_and_resealed_by_the_holder_fails_against_the_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().join("data")))
        .await
        .expect("engine");
    engine.start_dev_chain().await.expect("dev chain");
    let token_id = registered(&engine).await;

    // The issuer licenses the token to member 1 for a day, who accepts and pays.
    let issuer = engine
        .chain_client(dev_signer(1).expect("issuer"))
        .await
        .expect("client");
    let licensee = dev_signer(3).expect("member 1");
    let (offer, _) = issuer
        .offer_licence(&LicenceTerms {
            token_id: U256::from(token_id),
            licensee: licensee.address(),
            kind: LicenceKind::Exhibition,
            scope_hash: B256::repeat_byte(0x5c),
            duration: 86_400,
            fee: credits(1),
        })
        .await
        .expect("offer");
    engine
        .chain_client(licensee)
        .await
        .expect("client")
        .accept_licence(offer, credits(1))
        .await
        .expect("accept");

    let bundle = proved(&engine, token_id).await;
    let rpc = engine.chain_rpc().await.expect("rpc").url().to_owned();
    let options = VerifyOptions::default();
    let verify = |bytes: Vec<u8>, name: &'static str| {
        let path = dir.path().join(name);
        let rpc = rpc.clone();
        let options = options.clone();
        async move {
            std::fs::write(&path, bytes).expect("write");
            verify_bundle_at(&path, &options, Some(rpc))
                .await
                .expect("verify")
        }
    };

    // The honest bundle: the licence is the chain's.
    let honest = verify(bundle.clone(), "honest.zip").await;
    assert_eq!(honest.failures().count(), 0, "{honest:#?}");
    assert_eq!(check(&honest, "online.licences").status, Status::Pass);
    let evidence: Evidence = serde_json::from_slice(
        BundleFiles::read(std::io::Cursor::new(&bundle))
            .expect("bundle")
            .get("evidence.json")
            .expect("evidence"),
    )
    .expect("parse");
    let licence = evidence
        .licences
        .first()
        .expect("the licence is in the bundle");
    assert_eq!(licence.status, "accepted");
    let (starts, expires) = (
        licence.starts.expect("start"),
        licence.expires.expect("end"),
    );
    assert_eq!(expires - starts, 86_400);

    let holder = dev_signer(1).expect("issuer");
    // Moved a year on, duration kept: consistent in itself, so only the chain can tell.
    let moved = verify(
        resealed(&bundle, &holder, |e| {
            e.licences[0].starts = Some(starts + 365 * 86_400);
            e.licences[0].expires = Some(expires + 365 * 86_400);
        }),
        "moved.zip",
    )
    .await;
    let failed: Vec<&str> = moved.failures().map(|c| c.id).collect();
    assert_eq!(failed, ["online.licences"], "{moved:#?}");
    assert!(
        check(&moved, "online.licences").detail.contains("start"),
        "{moved:#?}"
    );
    assert_eq!(moved.conclusion(), Conclusion::Failed);
    println!("moved: {}", check(&moved, "online.licences").detail);

    // Extended a year, start kept: its own duration gives it away, and the chain's end too.
    let extended = verify(
        resealed(&bundle, &holder, |e| {
            e.licences[0].expires = Some(expires + 365 * 86_400);
        }),
        "extended.zip",
    )
    .await;
    let failed: Vec<&str> = extended.failures().map(|c| c.id).collect();
    assert_eq!(failed, ["licences", "online.licences"], "{extended:#?}");
    engine.shutdown().await;
}

/// A data folder on the node at `rpc` whose suite dev key 0 deploys and seeds (demo roles: the
/// issuer is dev key 1), as a consortium on a pruning node would run.
async fn suite_on(data: &Path, rpc: &str) -> Engine {
    let config = Config {
        chain: ChainConfig::Rpc {
            url: rpc.to_owned(),
            chain_id: DEV_CHAIN_ID,
            ws_url: None,
        },
        ..Config::embedded(data.to_owned())
    };
    let council = dev_signer(0).expect("council");
    let deployment = deploy_suite(rpc, &council, &DeployParams::dev(config.chain_dir()))
        .await
        .expect("deploy");
    let client = ChainClient::connect(rpc, council, deployment, ConfirmationPolicy::default())
        .await
        .expect("council");
    seed_demo(
        &client,
        &DemoAccounts::standard(2).expect("demo"),
        credits(100),
    )
    .await
    .expect("seed");
    let engine = Engine::open(config).await.expect("engine");
    engine.start_dev_chain().await.expect("chain");
    engine
}

async fn mine(url: &str) {
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "evm_mine", "params": []});
    hallmark_net::default_client_builder()
        .build()
        .expect("client")
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("evm_mine")
        .error_for_status()
        .expect("evm_mine status");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_honest_bundle_checked_against_a_node_without_old_state_is_not_a_forgery() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A node that keeps the state of its head block only (as a pruning node, or a dev chain
    // restarted from a dumped state): a call at an older block is "block out of range".
    let node = Anvil::builder().args(["--prune-history"]).spawn();
    let engine = suite_on(&dir.path().join("data"), &node.endpoint()).await;
    let token_id = registered(&engine).await;
    let bundle = dir.path().join("honest.zip");
    std::fs::write(&bundle, proved(&engine, token_id).await).expect("write");
    let options = VerifyOptions::default();

    // At once the statement's block is the head: everything is answered, and verified.
    let report = engine
        .verify_bundle(&bundle, &options, None, false)
        .await
        .expect("verify");
    assert!(
        matches!(report.conclusion(), Conclusion::Verified { .. }),
        "{report:#?}"
    );
    let statement_block = report
        .checks
        .iter()
        .find(|c| c.id == "online.statement")
        .map(|c| c.detail.clone())
        .expect("statement check");

    // The chain moves on; the node forgets the statement block's state.
    mine(&node.endpoint()).await;
    let report = engine
        .verify_bundle(&bundle, &options, None, false)
        .await
        .expect("verify");
    assert_eq!(report.failures().count(), 0, "{report:#?}");
    assert!(report.passed(), "{report:#?}");
    assert_ne!(report.conclusion(), Conclusion::Failed, "{report:#?}");
    // What the head can answer is checked there, and passes.
    for id in [
        "consortium",
        "online.genesis",
        "online.chain",
        "online.block",
        "online.work",
        "online.owner",
        "online.provenance",
        "online.licences",
    ] {
        assert_eq!(check(&report, id).status, Status::Pass, "{report:#?}");
    }
    // The historical check is named, with the block the node keeps no state of.
    let statement = check(&report, "online.statement");
    assert_eq!(statement.status, Status::Unanswered, "{statement:?}");
    assert!(
        statement.detail.contains("not answerable")
            && statement.detail.contains("keeps no state for block"),
        "{statement:?} (was: {statement_block})"
    );
    println!("online.statement: {}", statement.detail);
    // Not a forgery, and not claimed fully verified either.
    match report.conclusion() {
        Conclusion::PartlyVerified {
            consortium,
            unanswered,
        } => {
            assert_eq!(Some(consortium), report.consortium);
            assert_eq!(unanswered, ["online.statement"]);
        }
        other => panic!("{other:?}: {report:#?}"),
    }

    // A lie is still a lie on that node: another holder re-sealing the bundle fails.
    let forged = dir.path().join("forged.zip");
    let attacker = dev_signer(6).expect("member 4");
    std::fs::write(
        &forged,
        resealed(&std::fs::read(&bundle).expect("read"), &attacker, |e| {
            e.statement.holder = attacker.address();
        }),
    )
    .expect("write");
    let report = engine
        .verify_bundle(&forged, &options, None, false)
        .await
        .expect("verify");
    assert_eq!(report.conclusion(), Conclusion::Failed, "{report:#?}");
    assert_eq!(check(&report, "online.owner").status, Status::Fail);
    engine.shutdown().await;
}
