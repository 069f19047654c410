//! Security finding 3: a forged evidence bundle must not show as verified. Verification is
//! anchored to the data folder's consortium (its chain id, genesis block and deployment): a
//! bundle from a second suite on the same chain, or from a private chain with a back-dated clock
//! and the very same contract addresses, is never "verified" there, and a bundle checked offline
//! is only "consistent".

use std::path::{Path, PathBuf};

use hallmark_chain::{
    ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, credits, deploy_suite, seed_demo,
};
use hallmark_engine::evidence::{Conclusion, Report, Status, VerifyOptions};
use hallmark_engine::{
    ChainConfig, Config, DEV_CHAIN_ID, Engine, MintRequest, PrivateKeySigner, ProveRequest,
    dev_signer,
};
use hallmark_testkit::anvil::Anvil;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/samples/dawn.png")
}

/// A data folder on the node at `rpc` whose suite `council` deploys and seeds (demo roles: the
/// issuer is dev key 1), as anyone allowed to send transactions can.
async fn own_suite(data: &Path, rpc: &str, council: PrivateKeySigner) -> Engine {
    let config = Config {
        chain: ChainConfig::Rpc {
            url: rpc.to_owned(),
            chain_id: DEV_CHAIN_ID,
            ws_url: None,
        },
        ..Config::embedded(data.to_owned())
    };
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

/// The issuer (dev key 1) registers the sample on `engine`'s suite and proves it: the bundle's
/// path.
async fn registered_and_proved(engine: &Engine, out: &Path) -> PathBuf {
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
    let proof = engine
        .prove(
            &ProveRequest {
                token_id: minted.token_id.parse().expect("token id"),
                challenge: None,
                include_media: false,
            },
            dev_signer(1).expect("issuer"),
        )
        .await
        .expect("prove");
    std::fs::write(out, &proof.bytes).expect("write");
    out.to_owned()
}

fn status(report: &Report, id: &str) -> Option<Status> {
    report.checks.iter().find(|c| c.id == id).map(|c| c.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_is_verified_only_on_its_own_consortium() {
    let dir = tempfile::tempdir().expect("tempdir");
    let consortium = Engine::open(Config::embedded(dir.path().join("consortium")))
        .await
        .expect("engine");
    consortium.start_dev_chain().await.expect("dev chain");
    let rpc = consortium.chain_rpc().await.expect("rpc").url().to_owned();
    let options = VerifyOptions::default();

    // The honest bundle: verified against this folder's consortium, and only consistent offline.
    let honest = registered_and_proved(&consortium, &dir.path().join("honest.zip")).await;
    let report = consortium
        .verify_bundle(&honest, &options, None, false)
        .await
        .expect("verify");
    assert!(
        matches!(report.conclusion(), Conclusion::Verified { .. }),
        "{report:#?}"
    );
    let offline = consortium
        .verify_bundle(&honest, &options, None, true)
        .await
        .expect("verify");
    assert!(offline.passed());
    assert_eq!(offline.conclusion(), Conclusion::Consistent);

    // A forger deploys a second suite on the same chain, makes itself council (and the demo
    // issuer issuer), registers the same file and proves it: internally a perfect bundle.
    let forger = own_suite(
        &dir.path().join("forger"),
        &rpc,
        dev_signer(7).expect("forger"),
    )
    .await;
    let forged = registered_and_proved(&forger, &dir.path().join("forged.zip")).await;
    let on_its_own = forger
        .verify_bundle(&forged, &options, None, false)
        .await
        .expect("verify");
    assert!(
        matches!(on_its_own.conclusion(), Conclusion::Verified { .. }),
        "the forger's own folder trusts its own suite: {on_its_own:#?}"
    );
    // Without an anchor (as every verifier was before), each of its checks passes on this chain.
    let unanchored = hallmark_engine::verify_bundle_at(&forged, &options, Some(rpc.clone()))
        .await
        .expect("verify");
    assert!(
        unanchored.passed() && unanchored.failures().count() == 0,
        "{unanchored:#?}"
    );
    let here = consortium
        .verify_bundle(&forged, &options, None, false)
        .await
        .expect("verify");
    assert_eq!(
        here.conclusion(),
        Conclusion::NotThisConsortium,
        "{here:#?}"
    );
    let named = here
        .checks
        .iter()
        .find(|c| c.id == "consortium")
        .expect("the consortium check");
    assert_eq!(named.status, Status::Fail);
    assert!(named.detail.contains("works contract"), "{named:?}");
    forger.shutdown().await;

    // A private chain with the same id and a clock set years back: deployed in the same order,
    // its contracts have the very same addresses as the consortium's.
    let private = Anvil::builder()
        .chain_id(DEV_CHAIN_ID)
        .args(["--timestamp", "1500000000"])
        .spawn();
    let backdated = own_suite(
        &dir.path().join("private"),
        &private.endpoint(),
        dev_signer(0).expect("council"),
    )
    .await;
    let early = registered_and_proved(&backdated, &dir.path().join("backdated.zip")).await;
    backdated.shutdown().await;
    // Checked against the consortium's own node: the registration block is not its block.
    let report = consortium
        .verify_bundle(&early, &options, None, false)
        .await
        .expect("verify");
    assert_eq!(status(&report, "consortium"), Some(Status::Pass));
    assert_eq!(status(&report, "online.genesis"), Some(Status::Pass));
    assert_eq!(status(&report, "online.block"), Some(Status::Fail));
    assert!(!matches!(report.conclusion(), Conclusion::Verified { .. }));
    // Checked against the forger's node (the URL they hand out): not the consortium's chain.
    let report = consortium
        .verify_bundle(&early, &options, Some(&private.endpoint()), false)
        .await
        .expect("verify");
    assert_eq!(status(&report, "online.genesis"), Some(Status::Fail));
    assert_eq!(
        report.conclusion(),
        Conclusion::NotThisConsortium,
        "{report:#?}"
    );
    // With no node at all, it is at best consistent: never verified.
    let report = consortium
        .verify_bundle(&early, &options, None, true)
        .await
        .expect("verify");
    assert_eq!(report.conclusion(), Conclusion::Consistent, "{report:#?}");
    consortium.shutdown().await;
}
