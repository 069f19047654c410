//! Full sync of a large chain from anvil: registers N works (default 100,000; set
//! HALLMARK_BENCH_WORKS) and lists each one, with many transactions per block, then times a clean
//! sync of the whole chain into a new catalog file, and separately the decoding of every log.
//!
//! `cargo bench -p hallmark-indexer --bench chain_sync`. The filled chain is dumped to
//! `target/bench-chain-N/` and loaded on later runs (filling 100,000 works takes minutes).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::Filter;
use hallmark_catalog::Catalog;
use hallmark_chain::bindings::HallmarkWorks;
use hallmark_chain::{
    ChainClient, ConfirmationPolicy, DemoAccounts, DeployParams, credits, deploy_suite, seed_demo,
};
use hallmark_indexer::{Indexer, IndexerConfig, decode_log, followed_addresses, followed_topics};
use hallmark_testkit::Anvil;

const GAS: u64 = 600_000;

/// Sends without waiting for receipts, then mines until the pool is empty.
async fn mine_all(provider: &alloy::providers::DynProvider) {
    loop {
        let status: serde_json::Value = provider
            .raw_request("txpool_status".into(), ())
            .await
            .expect("txpool");
        let pending = status["pending"]
            .as_str()
            .and_then(|h| u64::from_str_radix(h.trim_start_matches("0x"), 16).ok())
            .or_else(|| status["pending"].as_u64())
            .unwrap_or(0);
        if pending == 0 {
            break;
        }
        let _: serde_json::Value = provider
            .raw_request("evm_mine".into(), ())
            .await
            .expect("mine");
    }
}

async fn fill(client: &ChainClient, accounts: &DemoAccounts, works: u64) {
    let provider = client.provider();
    let _: serde_json::Value = provider
        .raw_request("evm_setAutomine".into(), (false,))
        .await
        .expect("automine off");
    let issuer = client.as_account(accounts.issuer.clone()).expect("issuer");
    let members: Vec<ChainClient> = accounts
        .members
        .iter()
        .map(|m| client.as_account(m.clone()).expect("member"))
        .collect();
    let started = Instant::now();
    let mut nonce = provider
        .get_transaction_count(issuer.address())
        .await
        .expect("nonce");
    let holders: Vec<Address> = members.iter().map(ChainClient::address).collect();
    for work in 1..=works {
        let input = HallmarkWorks::WorkInput {
            contentHash: B256::from(U256::from(work)),
            metadataHash: B256::from(U256::from(work + (1 << 40))),
            metadataCid: format!("bafkreibenchmarkwork{work:012}"),
            creator: holders[(work % holders.len() as u64) as usize],
            maxEditions: 1,
            royaltyBps: 500,
            splits: vec![],
        };
        let to = holders[(work % holders.len() as u64) as usize];
        let _pending = issuer
            .works()
            .registerWork(input, to)
            .gas(GAS)
            .nonce(nonce)
            .max_fee_per_gas(2_000_000_000)
            .max_priority_fee_per_gas(1)
            .send()
            .await
            .expect("send register");
        nonce += 1;
        if work % 2_000 == 0 {
            mine_all(provider).await;
            eprintln!(
                "  … {work} works registered ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    mine_all(provider).await;
    for (k, member) in members.iter().enumerate() {
        let mut nonce = provider
            .get_transaction_count(member.address())
            .await
            .expect("nonce");
        for work in (1..=works).filter(|w| (w % holders.len() as u64) as usize == k) {
            let _pending = member
                .market()
                .list(U256::from(work * 1_000_000 + 1), credits(1 + work % 500))
                .gas(GAS)
                .nonce(nonce)
                .max_fee_per_gas(2_000_000_000)
                .max_priority_fee_per_gas(1)
                .send()
                .await
                .expect("send list");
            nonce += 1;
            if nonce % 2_000 == 0 {
                mine_all(provider).await;
            }
        }
        mine_all(provider).await;
    }
    let _: serde_json::Value = provider
        .raw_request("evm_setAutomine".into(), (true,))
        .await
        .expect("automine on");
    eprintln!("filled in {:.0} s", started.elapsed().as_secs_f64());
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("chain_sync: benchmark");
        return;
    }
    let works: u64 = std::env::var("HALLMARK_BENCH_WORKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../target/bench-chain-{works}"));
    std::fs::create_dir_all(&dir).expect("dir");
    let state = dir.join("anvil-state.json");
    let filled = state.is_file();
    let anvil = Anvil::builder()
        .args(["--block-base-fee-per-gas", "0", "--gas-limit", "300000000"])
        .args(["--dump-state", state.to_str().expect("utf-8 path")]);
    let anvil = if filled {
        anvil.args(["--load-state", state.to_str().expect("utf-8 path")])
    } else {
        anvil
    };
    let anvil = anvil.timeout(std::time::Duration::from_secs(60)).spawn();
    let url = anvil.endpoint();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    runtime.block_on(async {
        let accounts = DemoAccounts::standard(3).expect("keys");
        let deployment = deploy_suite(&url, &accounts.council, &DeployParams::dev(&dir)).await.expect("deploy");
        let council = ChainClient::connect(&url, accounts.council.clone(), deployment.clone(), ConfirmationPolicy::default())
            .await
            .expect("connect");
        if !filled {
            seed_demo(&council, &accounts, credits(1_000)).await.expect("seed");
            eprintln!("filling the chain with {works} works and listings");
            fill(&council, &accounts, works).await;
        }
        let provider = council.provider();
        let head = provider.get_block_number().await.expect("head");

        // Decoding alone: fetch every log once, then time decode_log over all of them.
        let filter = Filter::new()
            .address(followed_addresses(&deployment))
            .event_signature(followed_topics())
            .from_block(deployment.block)
            .to_block(head);
        let logs = provider.get_logs(&filter).await.expect("logs");
        let started = Instant::now();
        let mut decoded = 0u64;
        for log in &logs {
            if decode_log(&deployment, log.address(), log.data()).expect("decode").is_some() {
                decoded += 1;
            }
        }
        let decode_secs = started.elapsed().as_secs_f64();

        let tmp = tempfile::tempdir().expect("tmp");
        let catalog = Arc::new(Catalog::open(&tmp.path().join("catalog.sqlite")).expect("catalog"));
        let started = Instant::now();
        let mut indexer = Indexer::connect(&url, deployment.clone(), catalog.clone(), IndexerConfig::default())
            .await
            .expect("connect");
        let progress = indexer.sync_to_head(|_| {}).await.expect("sync");
        let secs = started.elapsed().as_secs_f64();
        let stats = catalog.stats().expect("stats");
        println!("chain: {works} works, head block {head}, {} logs followed", logs.len());
        println!("decode only: {decoded} events in {decode_secs:.3} s = {:.0} events/s", decoded as f64 / decode_secs);
        println!(
            "full sync from anvil (fetch + decode + write): {} events in {secs:.1} s = {:.0} events/s, {} pages",
            progress.events,
            progress.events as f64 / secs,
            progress.pages
        );
        println!("catalog: {} works, {} tokens, {} listed", stats.works, stats.tokens, stats.listed);
        assert_eq!(stats.works, works);
        assert_eq!(stats.listed, works);
    });
    // SIGTERM: anvil writes its state (the filled chain) for the next run.
    anvil.stop(std::time::Duration::from_secs(60));
}
