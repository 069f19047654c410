//! Shared set-up: a fresh anvil per test, the suite deployed, demo roles seeded.
#![allow(dead_code, unreachable_pub, missing_docs)]

use alloy::providers::Provider;
use hallmark_chain::{
    Address, B256, ChainClient, ChainError, ConfirmationPolicy, DemoAccounts, DeployParams,
    Deployment, Minted, RoyaltySplit, U256, WorkInput, credits, deploy_suite, seed_demo,
};
use hallmark_testkit::Anvil;
use sha2::{Digest, Sha256};

pub const CHAIN_ID: u64 = 31337;

/// A fresh automining anvil (the test kit's launcher).
pub fn spawn_anvil() -> Anvil {
    Anvil::builder().chain_id(CHAIN_ID).spawn()
}

pub struct Env {
    pub anvil: Anvil,
    pub dir: tempfile::TempDir,
    pub deployment: Deployment,
    pub council: ChainClient,
    pub issuer: ChainClient,
    pub reviewer: ChainClient,
    pub members: Vec<ChainClient>,
}

pub const START_CREDIT: u64 = 100_000;

impl Env {
    /// anvil + suite (fee `fee_bps`, holding period `holding`) + council, issuer, reviewer and
    /// `members` funded members.
    pub async fn new(members: usize, fee_bps: u16, holding: u64) -> Self {
        let anvil = spawn_anvil();
        let dir = tempfile::tempdir().expect("tempdir");
        let accounts = DemoAccounts::standard(members).expect("dev keys");
        let mut params = DeployParams::dev(dir.path());
        params.platform_fee_bps = fee_bps;
        params.holding_period = holding;
        let url = anvil.endpoint();
        let deployment = deploy_suite(&url, &accounts.council, &params)
            .await
            .expect("deploy");
        let policy = ConfirmationPolicy::default();
        let council =
            ChainClient::connect(&url, accounts.council.clone(), deployment.clone(), policy)
                .await
                .expect("connect");
        seed_demo(&council, &accounts, credits(START_CREDIT))
            .await
            .expect("seed");
        let issuer = council.as_account(accounts.issuer.clone()).expect("issuer");
        let reviewer = council
            .as_account(accounts.reviewer.clone())
            .expect("reviewer");
        let members = accounts
            .members
            .iter()
            .map(|m| council.as_account(m.clone()).expect("member"))
            .collect();
        Self {
            anvil,
            dir,
            deployment,
            council,
            issuer,
            reviewer,
            members,
        }
    }

    pub fn url(&self) -> String {
        self.anvil.endpoint()
    }

    /// A client of an account that holds no role (anvil dev key 9).
    pub fn outsider(&self) -> ChainClient {
        self.council
            .as_account(hallmark_chain::dev_signer(9).expect("key"))
            .expect("outsider")
    }

    /// Moves the chain clock forward and mines a block.
    pub async fn advance(&self, seconds: u64) {
        let p = self.council.provider();
        let _: serde_json::Value = p
            .raw_request("evm_increaseTime".into(), (seconds,))
            .await
            .expect("evm_increaseTime");
        let _: serde_json::Value = p
            .raw_request("evm_mine".into(), ())
            .await
            .expect("evm_mine");
    }

    pub async fn now(&self) -> u64 {
        let p = self.council.provider();
        let block = p
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await
            .expect("block")
            .expect("latest");
        block.header.timestamp
    }

    /// Registers a work by the issuer, edition 1 to `to`.
    pub async fn register(
        &self,
        seed: &str,
        creator: Address,
        to: Address,
        n: u32,
        royalty_bps: u16,
        splits: Vec<RoyaltySplit>,
    ) -> Minted {
        self.issuer
            .register_work(&work_input(seed, creator, n, royalty_bps, splits), to)
            .await
            .expect("register")
    }
}

pub fn sha(bytes: &[u8]) -> B256 {
    B256::from_slice(&Sha256::digest(bytes))
}

pub fn work_input(
    seed: &str,
    creator: Address,
    n: u32,
    royalty_bps: u16,
    splits: Vec<RoyaltySplit>,
) -> WorkInput {
    WorkInput {
        content_hash: sha(format!("content:{seed}").as_bytes()),
        metadata_hash: sha(format!("metadata:{seed}").as_bytes()),
        metadata_cid: format!("bafkreimeta{seed}"),
        creator,
        max_editions: n,
        royalty_bps,
        splits,
    }
}

/// Unwraps the error of a chain result, naming what was expected.
pub fn err<T: std::fmt::Debug>(result: Result<T, ChainError>) -> ChainError {
    match result {
        Ok(v) => panic!("expected a contract refusal, got Ok({v:?})"),
        Err(e) => e,
    }
}

pub fn u(v: u64) -> U256 {
    U256::from(v)
}

/// The receipt of a mined transaction.
pub async fn receipt(
    client: &ChainClient,
    tx: &hallmark_chain::TxOutcome,
) -> alloy::rpc::types::TransactionReceipt {
    client
        .provider()
        .get_transaction_receipt(tx.tx_hash)
        .await
        .expect("the node answers")
        .expect("mined")
}

/// The one event of type `E` in the transaction, checked to come from `contract`.
pub async fn event_from<E: alloy::sol_types::SolEvent>(
    client: &ChainClient,
    tx: &hallmark_chain::TxOutcome,
    contract: hallmark_chain::Address,
) -> E {
    let log = receipt(client, tx)
        .await
        .decoded_log::<E>()
        .unwrap_or_else(|| panic!("no {} event", E::SIGNATURE));
    assert_eq!(log.address, contract);
    log.data
}
