//! Security finding 5: a consortium's deployment record is a file in the data folder. Before the
//! engine signs anything for it (an approval of credit to its "market", above all), the chain must
//! hold this build's contracts at its addresses, wired to each other as recorded. A record whose
//! market is another suite's market, or whose licence contract address holds other code, is refused with
//! its code and nothing is signed.

use std::path::Path;

use hallmark_chain::{
    ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, Deployment, credits, deploy_suite,
    seed_demo,
};
use hallmark_engine::{ChainConfig, Config, DEV_CHAIN_ID, Engine, dev_signer};
use hallmark_testkit::anvil::Anvil;

fn rpc_config(data: &Path, rpc: &str) -> Config {
    Config {
        chain: ChainConfig::Rpc {
            url: rpc.to_owned(),
            chain_id: DEV_CHAIN_ID,
            ws_url: None,
        },
        ..Config::embedded(data.to_owned())
    }
}

fn record(config: &Config, deployment: &Deployment) {
    let path = hallmark_chain::deployment_path(&config.chain_dir(), DEV_CHAIN_ID);
    std::fs::write(path, serde_json::to_vec_pretty(deployment).expect("json"))
        .expect("write the record");
}

/// The code `chain_client` fails with for the data folder at `data` (None: it connects).
async fn signing_refused_with(config: &Config) -> Option<String> {
    let engine = Engine::open(config.clone()).await.expect("engine");
    engine.start_dev_chain().await.expect("chain");
    match engine.chain_client(dev_signer(2).expect("key")).await {
        Ok(_) => None,
        Err(e) => Some(e.code().to_string()),
    }
}

#[tokio::test]
async fn a_tampered_deployment_record_is_refused_before_anything_is_signed() {
    let anvil = Anvil::builder().spawn();
    let rpc = anvil.endpoint();
    let dir = tempfile::tempdir().expect("tmp");
    let config = rpc_config(&dir.path().join("member"), &rpc);
    let accounts = DemoAccounts::standard(2).expect("demo");
    let real = deploy_suite(
        &rpc,
        &accounts.council,
        &DeployParams::dev(config.chain_dir()),
    )
    .await
    .expect("deploy");
    let council = ChainClient::connect(
        &rpc,
        accounts.council.clone(),
        real.clone(),
        ConfirmationPolicy::default(),
    )
    .await
    .expect("council");
    seed_demo(&council, &accounts, credits(100))
        .await
        .expect("seed");
    // Anyone allowed to send transactions deploys a suite of their own on the same chain.
    let forger = deploy_suite(
        &rpc,
        &dev_signer(7).expect("key"),
        &DeployParams::dev(dir.path().join("forger")),
    )
    .await
    .expect("the forger's suite");

    // The honest record: the engine signs.
    assert_eq!(signing_refused_with(&config).await, None);

    // The record's market swapped for the forger's (this build's code, wired elsewhere).
    record(
        &config,
        &Deployment {
            market: forger.market,
            ..real.clone()
        },
    );
    assert_eq!(
        signing_refused_with(&config).await.as_deref(),
        Some("chain.miswired")
    );
    // The record's licence contract (paid licence fees are approved to it) pointing at other
    // code: the credit contract.
    record(
        &config,
        &Deployment {
            licences: real.credit,
            ..real.clone()
        },
    );
    assert_eq!(
        signing_refused_with(&config).await.as_deref(),
        Some("chain.foreign_code")
    );
    // Nothing was approved to either address.
    let member = dev_signer(2).expect("key").address();
    let credit = council.credit();
    for spender in [forger.market, real.credit] {
        assert_eq!(
            credit
                .allowance(member, spender)
                .call()
                .await
                .expect("allowance"),
            hallmark_chain::U256::ZERO
        );
    }
}
