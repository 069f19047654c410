//! `deploy_suite` is idempotent, redeploys when the recorded suite is gone from the chain, adds
//! HallmarkReviews to a suite recorded before the review queue existed, and deploys and wires
//! HallmarkEndorsements with the suite.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use alloy::providers::Provider;
use alloy::sol_types::SolValue;

use hallmark_chain::bindings::{HallmarkEndorsements, HallmarkWorks, artifact_code};
use hallmark_chain::{
    Address, ChainClient, ChainError, ConfirmationPolicy, DeployParams, Deployment, ReviewMatch,
    ReviewSubmission, U256, deploy_reviews, deploy_suite, deployment_path, dev_signer,
    read_deployment,
};

#[tokio::test]
async fn deploying_twice_reuses_the_recorded_suite() {
    let anvil = common::spawn_anvil();
    let dir = tempfile::tempdir().unwrap();
    let council = dev_signer(0).unwrap();
    let params = DeployParams::dev(dir.path());
    let first = deploy_suite(&anvil.endpoint(), &council, &params)
        .await
        .unwrap();
    assert_eq!(first.chain_id, common::CHAIN_ID);
    assert!(deployment_path(dir.path(), common::CHAIN_ID).is_file());
    let second = deploy_suite(&anvil.endpoint(), &council, &params)
        .await
        .unwrap();
    assert_eq!(first, second, "the second call must not deploy again");
    assert_eq!(
        read_deployment(dir.path(), common::CHAIN_ID).unwrap(),
        Some(first.clone())
    );

    // A fresh chain (state lost): the recorded addresses have no code, so the suite is deployed
    // again and the file rewritten.
    drop(anvil);
    let fresh = common::spawn_anvil();
    let provider = hallmark_chain::connect_provider(&fresh.endpoint(), council.clone()).unwrap();
    assert!(matches!(
        first.check_code(&provider).await,
        Err(ChainError::NotDeployed { .. })
    ));
    let third = deploy_suite(&fresh.endpoint(), &council, &params)
        .await
        .unwrap();
    third.check_code(&provider).await.unwrap();
}

/// Writes `deployment` as an older version did: without the `reviews` field.
fn write_old_record(dir: &std::path::Path, deployment: &Deployment) {
    let mut json = serde_json::to_value(deployment).unwrap();
    json.as_object_mut().unwrap().remove("reviews").unwrap();
    std::fs::write(
        deployment_path(dir, deployment.chain_id),
        serde_json::to_vec_pretty(&json).unwrap(),
    )
    .unwrap();
}

#[tokio::test]
async fn a_record_without_the_review_queue_is_upgraded_in_place() {
    let anvil = common::spawn_anvil();
    let url = anvil.endpoint();
    let dir = tempfile::tempdir().unwrap();
    let council = dev_signer(0).unwrap();
    let params = DeployParams::dev(dir.path());
    let full = deploy_suite(&url, &council, &params).await.unwrap();
    assert_ne!(full.reviews, Address::ZERO);
    assert_eq!(full.contracts().len(), 9);
    let provider = hallmark_chain::connect_provider(&url, council.clone()).unwrap();
    full.check_code(&provider).await.unwrap();

    // An old record reads with no review queue; its code check covers the eight it names.
    write_old_record(dir.path(), &full);
    let mut old = read_deployment(dir.path(), common::CHAIN_ID)
        .unwrap()
        .unwrap();
    assert_eq!(old.reviews, Address::ZERO);
    assert!(!old.has_reviews());
    assert_eq!(old.contracts().len(), 8);
    old.check_code(&provider).await.unwrap();
    let client = ChainClient::connect(
        &url,
        council.clone(),
        old.clone(),
        ConfirmationPolicy::default(),
    )
    .await
    .unwrap();
    let submission = ReviewSubmission {
        content_hash: common::sha(b"c"),
        metadata_hash: common::sha(b"m"),
        metadata_cid: "bafkreim".into(),
        creator: council.address(),
        matches: vec![ReviewMatch {
            work_id: U256::from(1),
            distance: 3,
        }],
    };
    let missing = client.submit_review(&submission).await.unwrap_err();
    assert_eq!(
        missing,
        ChainError::NotDeployed {
            contract: "HallmarkReviews".into(),
            address: Address::ZERO
        }
    );

    // deploy_reviews completes the record with the queue the suite is wired to (deploying one
    // only for a suite without) and rewrites it; a second call sends nothing.
    let other = dev_signer(5).unwrap();
    let reviews = deploy_reviews(&url, &other, dir.path(), &mut old)
        .await
        .unwrap();
    assert_eq!(reviews, full.reviews);
    assert_eq!(
        old,
        Deployment {
            reviews,
            ..full.clone()
        }
    );
    assert_eq!(
        read_deployment(dir.path(), common::CHAIN_ID).unwrap(),
        Some(old.clone())
    );
    old.check_code(&provider).await.unwrap();
    let nonce = provider
        .get_transaction_count(other.address())
        .await
        .unwrap();
    let before = old.clone();
    assert_eq!(
        deploy_reviews(&url, &other, dir.path(), &mut old)
            .await
            .unwrap(),
        reviews
    );
    assert_eq!(old, before);
    assert_eq!(
        provider
            .get_transaction_count(other.address())
            .await
            .unwrap(),
        nonce
    );
    // The new queue reads the suite's roles.
    let upgraded = ChainClient::connect(
        &url,
        council.clone(),
        old.clone(),
        ConfirmationPolicy::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        upgraded.submit_review(&submission).await.unwrap_err(),
        ChainError::NotIssuer {
            account: council.address()
        }
    );

    // deploy_suite does the same upgrade on its own (what the engine calls on every start).
    write_old_record(dir.path(), &full);
    let via_suite = deploy_suite(&url, &council, &params).await.unwrap();
    assert!(via_suite.has_reviews());
    assert_eq!(via_suite.reviews, full.reviews);
    assert_eq!(
        via_suite,
        Deployment {
            reviews: via_suite.reviews,
            ..full.clone()
        }
    );
    assert_eq!(
        read_deployment(dir.path(), common::CHAIN_ID).unwrap(),
        Some(via_suite)
    );

    // Another chain's record is refused.
    let mut elsewhere = Deployment {
        chain_id: 7,
        ..full
    };
    assert_eq!(
        deploy_reviews(&url, &other, dir.path(), &mut elsewhere)
            .await
            .unwrap_err(),
        ChainError::ChainIdMismatch {
            expected: 7,
            actual: common::CHAIN_ID
        }
    );
}

#[test]
fn a_broken_deployment_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(deployment_path(dir.path(), 7), b"{ nope").unwrap();
    let err = read_deployment(dir.path(), 7).unwrap_err();
    assert_eq!(err.code(), "chain.file");
    assert!(err.to_string().contains("deployment-7.json"), "{err}");
}

/// A recorded suite that does not speak this client's interface (its market has no
/// `SUITE_VERSION`, as every suite from before payments stated their amount) is refused where
/// the deployment is the consortium's, and replaced on the dev chain.
#[tokio::test]
async fn an_outdated_suite_is_replaced_on_the_dev_chain_and_refused_elsewhere() {
    let anvil = common::spawn_anvil();
    let dir = tempfile::tempdir().unwrap();
    let council = dev_signer(0).unwrap();
    let params = DeployParams::dev(dir.path());
    let current = deploy_suite(&anvil.endpoint(), &council, &params)
        .await
        .unwrap();
    let provider = hallmark_chain::connect_provider(&anvil.endpoint(), council.clone()).unwrap();
    hallmark_chain::check_suite_version(&provider, &current)
        .await
        .unwrap();
    // An old market: code at the address, but no SUITE_VERSION (the works contract stands in).
    let outdated = Deployment {
        market: current.works,
        ..current.clone()
    };
    std::fs::write(
        deployment_path(dir.path(), outdated.chain_id),
        serde_json::to_vec_pretty(&outdated).unwrap(),
    )
    .unwrap();
    let consortium = DeployParams {
        replace_outdated: false,
        ..params.clone()
    };
    assert_eq!(
        deploy_suite(&anvil.endpoint(), &council, &consortium)
            .await
            .unwrap_err(),
        ChainError::OutdatedSuite {
            found: None,
            expected: hallmark_chain::SUITE_VERSION
        }
    );
    assert_eq!(
        read_deployment(dir.path(), common::CHAIN_ID).unwrap(),
        Some(outdated.clone()),
        "a consortium's record is never rewritten silently"
    );
    let replaced = deploy_suite(&anvil.endpoint(), &council, &params)
        .await
        .unwrap();
    assert_ne!(replaced.market, outdated.market);
    hallmark_chain::check_suite_version(&provider, &replaced)
        .await
        .unwrap();
    assert_eq!(
        read_deployment(dir.path(), common::CHAIN_ID).unwrap(),
        Some(replaced)
    );
}

/// Finding 5: a recorded suite whose code is gone (a wrong or unsynced node) or is not this
/// build's is never deployed again over the record silently; only the dev chain, or an explicit
/// `consortium deploy --replace`, replaces it.
#[tokio::test]
async fn a_missing_or_foreign_suite_is_refused_unless_replacing_is_asked_for() {
    let anvil = common::spawn_anvil();
    let dir = tempfile::tempdir().unwrap();
    let council = dev_signer(0).unwrap();
    let dev = DeployParams::dev(dir.path());
    let current = deploy_suite(&anvil.endpoint(), &council, &dev)
        .await
        .unwrap();
    let consortium = DeployParams {
        replace_outdated: false,
        ..dev.clone()
    };
    let cases = [
        (
            "no code at the works address",
            Deployment {
                works: hallmark_chain::Address::repeat_byte(0x42),
                ..current.clone()
            },
            "chain.not_deployed",
        ),
        (
            "the licences address holds the credit contract",
            Deployment {
                licences: current.credit,
                ..current.clone()
            },
            "chain.foreign_code",
        ),
    ];
    for (what, record, code) in cases {
        std::fs::write(
            deployment_path(dir.path(), record.chain_id),
            serde_json::to_vec_pretty(&record).unwrap(),
        )
        .unwrap();
        let refused = deploy_suite(&anvil.endpoint(), &council, &consortium)
            .await
            .unwrap_err();
        assert_eq!(refused.code().to_string(), code, "{what}: {refused}");
        assert_eq!(
            read_deployment(dir.path(), common::CHAIN_ID).unwrap(),
            Some(record.clone()),
            "{what}: the record was rewritten"
        );
        // Asked for (the dev chain): a new suite replaces it.
        let replaced = deploy_suite(&anvil.endpoint(), &council, &dev)
            .await
            .unwrap();
        assert_ne!(replaced, record, "{what}");
        let provider =
            hallmark_chain::connect_provider(&anvil.endpoint(), council.clone()).unwrap();
        replaced.verify(&provider).await.unwrap();
    }
}

/// The endorsement queue comes with every fresh suite, wired both ways to its works contract;
/// a record naming another queue or another contract in its place fails `verify`.
#[tokio::test]
async fn the_endorsement_queue_is_deployed_wired_and_verified() {
    let anvil = common::spawn_anvil();
    let url = anvil.endpoint();
    let dir = tempfile::tempdir().unwrap();
    let council = dev_signer(0).unwrap();
    let suite = deploy_suite(&url, &council, &DeployParams::dev(dir.path()))
        .await
        .unwrap();
    assert_ne!(suite.endorsements, Address::ZERO);
    assert!(
        suite
            .contracts()
            .contains(&("HallmarkEndorsements", suite.endorsements))
    );
    let provider = hallmark_chain::connect_provider(&url, council.clone()).unwrap();
    assert!(
        !provider
            .get_code_at(suite.endorsements)
            .await
            .unwrap()
            .is_empty()
    );
    let works = HallmarkWorks::new(suite.works, &provider);
    assert_eq!(
        works.endorsements().call().await.unwrap(),
        suite.endorsements
    );
    let queue = HallmarkEndorsements::new(suite.endorsements, &provider);
    assert_eq!(queue.works().call().await.unwrap(), suite.works);
    assert_eq!(queue.consortium().call().await.unwrap(), suite.consortium);
    suite.verify(&provider).await.unwrap();
    assert_eq!(
        read_deployment(dir.path(), common::CHAIN_ID).unwrap(),
        Some(suite.clone())
    );

    // A queue of this build wired to the same consortium and works, but not the one the works
    // contract consults (anyone may deploy one: it has no owner).
    let mut code = artifact_code("HallmarkEndorsements", false).to_vec();
    code.extend((suite.consortium, suite.works).abi_encode_params());
    let rogue = alloy::contract::RawCallBuilder::new_raw_deploy(&provider, code.into())
        .deploy()
        .await
        .unwrap();
    let swapped = Deployment {
        endorsements: rogue,
        ..suite.clone()
    };
    match swapped.verify(&provider).await.unwrap_err() {
        ChainError::Miswired { what } => {
            assert!(what.starts_with("HallmarkWorks.endorsements()"), "{what}");
        }
        other => panic!("expected Miswired, got {other:?}"),
    }
    // Another suite's queue (its own consortium and works).
    let other_dir = tempfile::tempdir().unwrap();
    let other = deploy_suite(&url, &council, &DeployParams::dev(other_dir.path()))
        .await
        .unwrap();
    assert_ne!(other.endorsements, suite.endorsements);
    let mixed = Deployment {
        endorsements: other.endorsements,
        ..suite.clone()
    };
    match mixed.verify(&provider).await.unwrap_err() {
        ChainError::Miswired { what } => {
            assert!(what.starts_with("HallmarkEndorsements."), "{what}");
        }
        other => panic!("expected Miswired, got {other:?}"),
    }
    // Another contract's code, or none.
    let foreign = Deployment {
        endorsements: suite.reviews,
        ..suite.clone()
    };
    assert_eq!(
        foreign.verify(&provider).await.unwrap_err(),
        ChainError::ForeignCode {
            contract: "HallmarkEndorsements".into(),
            address: suite.reviews
        }
    );
    let missing = Deployment {
        endorsements: Address::repeat_byte(0x42),
        ..suite.clone()
    };
    assert_eq!(
        missing.verify(&provider).await.unwrap_err(),
        ChainError::NotDeployed {
            contract: "HallmarkEndorsements".into(),
            address: Address::repeat_byte(0x42)
        }
    );
}
