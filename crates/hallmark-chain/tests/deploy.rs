//! `deploy_suite` is idempotent, and redeploys when the recorded suite is gone from the chain.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

mod common;

use hallmark_chain::{
    ChainError, DeployParams, deploy_suite, deployment_path, dev_signer, read_deployment,
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

#[test]
fn a_broken_deployment_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(deployment_path(dir.path(), 7), b"{ nope").unwrap();
    let err = read_deployment(dir.path(), 7).unwrap_err();
    assert_eq!(err.code(), "chain.file");
    assert!(err.to_string().contains("deployment-7.json"), "{err}");
}
