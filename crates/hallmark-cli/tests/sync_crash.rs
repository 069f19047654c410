//! Crash-resume: `hallmark sync` is killed (SIGKILL) at 100 random moments while it applies
//! one-block pages (`HALLMARK_CRASH_POINTS` sets the number); every restart resumes from the last committed page, the catalog file stays sound, and
//! the final catalog equals a clean `hallmark catalog rebuild`.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{
    Anvil, crash_seed, deploy_and_seed, hallmark, next, register_and_list, rpc_data_folder,
};
use hallmark_engine::Config;
use hallmark_engine::catalog::Catalog;

/// Deploys the suite, records it in the data folder, and fills the chain with `works`
/// registrations and as many listings (two blocks each).
async fn prepare_chain(url: &str, config: &Config, works: u64) {
    let council = deploy_and_seed(url, config).await;
    let accounts = hallmark_chain::DemoAccounts::standard(2).expect("keys");
    let issuer = council.as_account(accounts.issuer.clone()).expect("issuer");
    register_and_list(&issuer, works).await;
}

/// Mines `blocks` empty blocks at once (`anvil_mine`): pages the sync must walk through.
fn mine_empty_blocks(url: &str, blocks: u64) {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://");
    let body =
        format!(r#"{{"jsonrpc":"2.0","id":1,"method":"anvil_mine","params":["{blocks:#x}"]}}"#);
    let mut stream = std::net::TcpStream::connect(address).expect("anvil");
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.contains("\"result\""), "anvil_mine: {answer}");
}

/// Works registered (and listed): 2 blocks each.
const WORKS: u64 = 120;
/// Empty blocks after them, so that 100 kills land before a sync reaches the head.
const EMPTY_BLOCKS: u64 = 8_000;

#[test]
fn killed_syncs_resume_and_equal_a_clean_rebuild() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let config = rpc_data_folder(&data, &anvil.endpoint());
    let runtime = common::runtime();
    runtime.block_on(prepare_chain(&anvil.endpoint(), &config, WORKS));
    mine_empty_blocks(&anvil.endpoint(), EMPTY_BLOCKS);

    let mut seed = crash_seed();
    let catalog_path = config.catalog_path();
    let points: usize = std::env::var("HALLMARK_CRASH_POINTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let mut kills_mid_sync = 0;
    let mut advanced = 0;
    let mut last_next_block = 0;
    let mut finished = false;
    for attempt in 0..points * 3 {
        if kills_mid_sync == points {
            break;
        }
        let mut child = hallmark(&data)
            .args(["sync", "--page-blocks", "1", "--max-page-blocks", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sync starts");
        let delay = 15 + next(&mut seed) % 120;
        std::thread::sleep(Duration::from_millis(delay));
        match child.try_wait().expect("wait") {
            Some(status) => {
                assert!(
                    status.success(),
                    "attempt {attempt}: sync failed with {status}"
                );
                finished = true;
            }
            None => {
                child.kill().expect("SIGKILL");
                let _ = child.wait();
                kills_mid_sync += 1;
            }
        }
        let catalog = Catalog::open(&catalog_path).expect("the catalog opens after a kill");
        assert_eq!(catalog.integrity_check().expect("check"), "ok");
        if let Some(state) = catalog.sync_state().expect("state") {
            assert!(
                state.next_block >= last_next_block,
                "checkpoints only move forward"
            );
            if state.next_block > last_next_block {
                advanced += 1;
            }
            last_next_block = state.next_block;
        }
        drop(catalog);
        if finished {
            break;
        }
    }
    eprintln!(
        "sync crash points: tried {kills_mid_sync}, survived {kills_mid_sync} (the checkpoint had moved forward before {advanced} of the kills; next block {last_next_block})"
    );
    assert!(
        kills_mid_sync == points || (finished && kills_mid_sync >= points / 3),
        "the kills must land during syncs ({kills_mid_sync} of {points})"
    );
    let status = hallmark(&data).arg("sync").output().expect("final sync");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );

    let resumed = Catalog::open(&catalog_path)
        .expect("open")
        .dump()
        .expect("dump");
    let rebuild = hallmark(&data)
        .args(["catalog", "rebuild"])
        .output()
        .expect("rebuild");
    assert!(
        rebuild.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuild.stderr)
    );
    let rebuilt = Catalog::open(&catalog_path).expect("open");
    assert_eq!(rebuilt.stats().expect("stats").works, WORKS);
    assert_eq!(rebuilt.stats().expect("stats").listed, WORKS);
    assert_eq!(
        rebuilt.dump().expect("dump"),
        resumed,
        "a resumed catalog equals a clean rebuild"
    );
}
