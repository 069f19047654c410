//! Crash points in the mint: `hallmark mint` is killed (SIGKILL) at random points — at random
//! times, or just after the journal records the mint as prepared or as signed, plus a random
//! jitter that lands the kill in ingest, the catalog sync, the IPFS add, before or after the
//! transaction is sent, before or after its receipt, or while the record is closed. After every
//! kill, `hallmark jobs resume` (and, if nothing was registered, the same `hallmark mint` again)
//! must finish the mint, and:
//! - every work is registered exactly once, by exactly one transaction of the issuer (its nonce
//!   grows by exactly the number of works: no double mint, no orphaned or reverted paid
//!   transaction);
//! - no journal record is left, the library and catalog files pass SQLite's integrity check;
//! - in the end the catalog equals a clean rebuild.
//!
//! `HALLMARK_CRASH_POINTS` sets the number of kills (default 100); `HALLMARK_CRASH_SEED` replays.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Anvil, crash_seed, deploy_and_seed, hallmark, next, rpc_data_folder};
use hallmark_chain::{B256, ChainClient, DemoAccounts};
use hallmark_engine::catalog::Catalog;
use hallmark_engine::journal::JOBS_DIR;
use hallmark_engine::{Config, Library};
use hallmark_testkit::pictures;
use sha2::{Digest, Sha256};

/// A picture of seeded noise (distinct content and a distinct perceptual hash per seed); returns
/// its sha-256.
fn noise_png(path: &Path, seed: u64) -> B256 {
    let bytes = pictures::save(&pictures::noise(96, 96, seed), path);
    B256::from_slice(&Sha256::digest(bytes))
}

/// Where a kill is aimed.
#[derive(Debug, Clone, Copy)]
enum Aim {
    /// A random moment of a whole mint.
    Time(Duration),
    /// Once the journal says `step`, after a jitter.
    Step(&'static str, Duration),
}

/// The journal's record step, if any (`prepared` or `signed`).
fn journal_step(data: &Path) -> Option<String> {
    let dir = data.join(JOBS_DIR);
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("mint-") && name.ends_with(".json") {
            let text = std::fs::read_to_string(entry.path()).ok()?;
            let value: serde_json::Value = serde_json::from_str(&text).ok()?;
            return value["step"].as_str().map(str::to_owned);
        }
    }
    None
}

/// Kills `child` as aimed; false if it finished first.
fn kill_as_aimed(child: &mut Child, data: &Path, aim: Aim) -> bool {
    let started = Instant::now();
    let (step, jitter) = match aim {
        Aim::Time(at) => (None, at),
        Aim::Step(step, jitter) => (Some(step), jitter),
    };
    let mut reached: Option<Instant> = None;
    loop {
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        let due = match (step, reached) {
            (None, _) => started.elapsed() >= jitter,
            (Some(_), Some(at)) => at.elapsed() >= jitter,
            (Some(want), None) => {
                if journal_step(data).as_deref() == Some(want) {
                    reached = Some(Instant::now());
                }
                false
            }
        };
        if due {
            child.kill().expect("SIGKILL");
            let _ = child.wait();
            return true;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "a mint took over two minutes"
        );
        std::thread::sleep(Duration::from_micros(300));
    }
}

fn mint(data: &Path, file: &Path, title: &str) -> std::process::Command {
    let mut command = hallmark(data);
    command
        .arg("mint")
        .arg(file)
        .args(["--title", title, "--editions", "2"]);
    command
}

fn check_success(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Whether the chain has a work with this content hash.
fn registered(runtime: &tokio::runtime::Runtime, council: &ChainClient, content: B256) -> bool {
    runtime
        .block_on(council.work_by_content_hash(content))
        .expect("look up")
        .is_some()
}

fn sound(config: &Config) {
    let library = Library::open(&config.database_path()).expect("the library opens after a kill");
    assert_eq!(library.integrity_check().expect("check"), "ok");
    let catalog = Catalog::open(&config.catalog_path()).expect("the catalog opens after a kill");
    assert_eq!(catalog.integrity_check().expect("check"), "ok");
}

#[test]
fn killed_mints_finish_once_and_the_catalog_equals_a_rebuild() {
    let points: usize = std::env::var("HALLMARK_CRASH_POINTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).expect("files");
    let config = rpc_data_folder(&data, &anvil.endpoint());
    let runtime = common::runtime();
    let council: ChainClient = runtime.block_on(deploy_and_seed(&anvil.endpoint(), &config));
    let issuer = DemoAccounts::standard(2).expect("keys").issuer.address();
    let nonce_before = runtime
        .block_on(council.mined_transactions(issuer))
        .expect("nonce");

    // One whole mint first, to know how long one takes.
    let first: PathBuf = files.join("work-0.png");
    let first_hash = noise_png(&first, 0);
    let started = Instant::now();
    check_success(
        "the first mint",
        &mint(&data, &first, "Crash 0").output().expect("mint"),
    );
    let whole = started.elapsed();
    eprintln!("one whole mint: {} ms", whole.as_millis());
    assert!(registered(&runtime, &council, first_hash));

    let mut seed = crash_seed();
    let mut landed: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut survived = 0;
    for point in 1..=points {
        let file = files.join(format!("work-{point}.png"));
        let content = noise_png(&file, point as u64);
        let aim = match next(&mut seed) % 5 {
            0 | 1 => Aim::Time(Duration::from_millis(
                next(&mut seed) % (whole.as_millis() as u64 + 1),
            )),
            2 => Aim::Step("prepared", Duration::from_micros(next(&mut seed) % 60_000)),
            _ => Aim::Step("signed", Duration::from_micros(next(&mut seed) % 3_000)),
        };
        let mut child = mint(&data, &file, &format!("Crash {point}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mint starts");
        let killed = kill_as_aimed(&mut child, &data, aim);

        sound(&config);
        let step = journal_step(&data);
        let label = match (
            killed,
            step.as_deref(),
            registered(&runtime, &council, content),
        ) {
            (false, _, _) => "finished before the kill",
            (true, None, false) => "before the journal (ingest, checks)",
            (true, Some("prepared"), false) => "prepared (sync, copy check, IPFS add, signing)",
            (true, Some("signed"), false) => "signed, not mined",
            (true, Some("signed"), true) => "mined, receipt not recorded",
            (true, None, true) => "after the record was closed",
            other => panic!("point {point}: impossible state after the kill: {other:?}"),
        };
        *landed.entry(label).or_default() += 1;

        let resumed = hallmark(&data)
            .args(["jobs", "resume"])
            .output()
            .expect("resume");
        check_success(&format!("point {point} ({label}): jobs resume"), &resumed);
        if !registered(&runtime, &council, content) {
            check_success(
                &format!("point {point} ({label}): minting again"),
                &mint(&data, &file, &format!("Crash {point}"))
                    .output()
                    .expect("mint"),
            );
        }
        assert!(
            registered(&runtime, &council, content),
            "point {point} ({label}): the work is registered"
        );
        assert_eq!(
            journal_step(&data),
            None,
            "point {point} ({label}): no journal record is left"
        );
        sound(&config);
        survived += 1;
    }

    let works = points as u64 + 1;
    let nonce_after = runtime
        .block_on(council.mined_transactions(issuer))
        .expect("nonce");
    assert_eq!(
        nonce_after - nonce_before,
        works,
        "every work took exactly one transaction of the issuer (no double mint, no orphaned or reverted transaction)"
    );

    check_success(
        "the final sync",
        &hallmark(&data).arg("sync").output().expect("sync"),
    );
    let synced = Catalog::open(&config.catalog_path())
        .expect("open")
        .dump()
        .expect("dump");
    check_success(
        "the rebuild",
        &hallmark(&data)
            .args(["catalog", "rebuild"])
            .output()
            .expect("rebuild"),
    );
    let rebuilt = Catalog::open(&config.catalog_path()).expect("open");
    assert_eq!(rebuilt.stats().expect("stats").works, works);
    assert_eq!(
        rebuilt.dump().expect("dump"),
        synced,
        "the catalog after the kills equals a clean rebuild"
    );
    eprintln!("mint crash points: tried {points}, survived {survived}");
    for (label, count) in &landed {
        eprintln!("  {count:>4}  {label}");
    }
}

/// A mint killed after signing but before sending, whose nonce another transaction of the
/// issuer then takes: the kept transaction can never be mined, so the resume signs the
/// registration again — and the work is still registered once, by one transaction.
#[test]
fn a_signed_mint_whose_nonce_was_taken_is_signed_again() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let config = rpc_data_folder(&data, &anvil.endpoint());
    let runtime = common::runtime();
    let council = runtime.block_on(deploy_and_seed(&anvil.endpoint(), &config));
    let issuer = council
        .as_account(DemoAccounts::standard(2).expect("keys").issuer)
        .expect("issuer");
    let nonce_before = runtime
        .block_on(council.mined_transactions(issuer.address()))
        .expect("nonce");

    // Kill right after the journal says `signed` until one kill lands before the send.
    let mut minted = 0;
    let content = loop {
        assert!(minted < 40, "no kill landed between signing and sending");
        let file = dir.path().join(format!("work-{minted}.png"));
        let content = noise_png(&file, 1000 + minted);
        minted += 1;
        let mut child = mint(&data, &file, "Nonce")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mint starts");
        let killed = kill_as_aimed(&mut child, &data, Aim::Step("signed", Duration::ZERO));
        if killed
            && !registered(&runtime, &council, content)
            && journal_step(&data).as_deref() == Some("signed")
        {
            break content;
        }
        check_success(
            "finishing a mint the kill missed",
            &hallmark(&data)
                .args(["jobs", "resume"])
                .output()
                .expect("resume"),
        );
    };

    // Another transaction of the issuer takes the kept transaction's nonce.
    runtime
        .block_on(issuer.cancel_voucher_nonce(hallmark_engine::U256::from(777)))
        .expect("another transaction");
    let listed = hallmark(&data)
        .args(["jobs", "list", "--json"])
        .output()
        .expect("list");
    check_success("jobs list", &listed);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    assert_eq!(listed[0]["step"], "signed", "{listed}");

    let resumed = hallmark(&data)
        .args(["jobs", "resume", "--json"])
        .output()
        .expect("resume");
    check_success("jobs resume", &resumed);
    let report: serde_json::Value = serde_json::from_slice(&resumed.stdout).expect("json");
    let tx = report[0]["outcome"]["tx_hash"]
        .as_str()
        .expect("a registration");
    assert_ne!(
        Some(tx),
        listed[0]["tx_hash"].as_str(),
        "the registration was signed again"
    );
    assert!(registered(&runtime, &council, content));
    assert_eq!(journal_step(&data), None);
    let nonce_after = runtime
        .block_on(council.mined_transactions(issuer.address()))
        .expect("nonce");
    assert_eq!(
        nonce_after - nonce_before,
        minted + 1,
        "one transaction per work, plus the one that took the nonce"
    );

    // A mint never signed can be discarded; nothing is left to resume.
    let file = dir.path().join("unsigned.png");
    noise_png(&file, 5000);
    let mut child = mint(&data, &file, "Discarded")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("mint starts");
    if kill_as_aimed(&mut child, &data, Aim::Step("prepared", Duration::ZERO))
        && journal_step(&data).as_deref() == Some("prepared")
    {
        let listed = hallmark(&data)
            .args(["jobs", "list", "--json"])
            .output()
            .expect("list");
        let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
        let sha = listed[0]["content_sha256"]
            .as_str()
            .expect("sha")
            .to_owned();
        check_success(
            "discard",
            &hallmark(&data)
                .args(["jobs", "discard", &sha])
                .output()
                .expect("discard"),
        );
        assert_eq!(journal_step(&data), None);
    }
    let listed = hallmark(&data)
        .args(["jobs", "list"])
        .output()
        .expect("list");
    check_success("jobs list", &listed);
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout).trim(),
        "no unfinished mints"
    );
}

/// A loopback TCP proxy to `target` that can be switched to swallow requests and never answer
/// (a node that hangs).
struct Proxy {
    url: String,
    silent: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Proxy {
    fn start(target: &str) -> Self {
        use std::io::{Read, Write};
        use std::net::{TcpListener, TcpStream};
        use std::sync::atomic::Ordering;
        let target = target.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let silent = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = silent.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (target, flag) = (target.clone(), flag.clone());
                std::thread::spawn(move || {
                    if flag.load(Ordering::SeqCst) {
                        // Read what comes and never answer.
                        let mut client = client;
                        let mut sink = [0u8; 4096];
                        while matches!(client.read(&mut sink), Ok(n) if n > 0) {}
                        return;
                    }
                    let Ok(upstream) = TcpStream::connect(&target) else {
                        return;
                    };
                    // Relay chunk by chunk; once silent, keep reading but forward nothing
                    // (also on connections opened before: keep-alive must not dodge it).
                    fn relay(
                        mut from: TcpStream,
                        mut to: TcpStream,
                        silent: std::sync::Arc<std::sync::atomic::AtomicBool>,
                    ) {
                        let mut buf = [0u8; 16 * 1024];
                        while let Ok(n) = from.read(&mut buf) {
                            if n == 0 {
                                break;
                            }
                            if !silent.load(Ordering::SeqCst) && to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(std::net::Shutdown::Write);
                    }
                    let (c2, u2) = (
                        client.try_clone().expect("clone"),
                        upstream.try_clone().expect("clone"),
                    );
                    let flag2 = flag.clone();
                    let up = std::thread::spawn(move || relay(c2, u2, flag2));
                    relay(upstream, client, flag);
                    let _ = up.join();
                });
            }
        });
        Self { url, silent }
    }

    fn set_silent(&self, silent: bool) {
        self.silent
            .store(silent, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The chain node stops answering in the middle of a mint, just after its transaction is
/// signed: the mint fails with `chain.unavailable` within the request timeout, the journal
/// keeps the signed transaction, and once the node answers again `hallmark jobs resume`
/// finishes it — one work, one transaction.
#[test]
fn a_mint_whose_node_hangs_after_signing_is_resumed_once() {
    let anvil = Anvil::start();
    let proxy = Proxy::start(&anvil.endpoint());
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let config = rpc_data_folder(&data, &proxy.url);
    let runtime = common::runtime();
    let council = runtime.block_on(deploy_and_seed(&anvil.endpoint(), &config));
    let issuer = DemoAccounts::standard(2).expect("keys").issuer.address();
    let nonce_before = runtime
        .block_on(council.mined_transactions(issuer))
        .expect("nonce");

    let file = dir.path().join("hang.png");
    let content = noise_png(&file, 4242);
    let mut child = mint(&data, &file, "Hang")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mint starts");
    let started = Instant::now();
    while journal_step(&data).as_deref() != Some("signed") {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the mint ended before it signed"
        );
        assert!(started.elapsed() < Duration::from_secs(60), "never signed");
        std::thread::sleep(Duration::from_micros(200));
    }
    proxy.set_silent(true);
    let hung_at = Instant::now();
    let output = child.wait_with_output().expect("mint ends");
    let waited = hung_at.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "the mint cannot finish: {stderr}");
    assert!(stderr.contains("[chain.unavailable]"), "{stderr}");
    assert!(
        waited < Duration::from_secs(40),
        "failed within the request timeout, not hung ({waited:?})"
    );
    assert_eq!(
        journal_step(&data).as_deref(),
        Some("signed"),
        "the signed transaction is kept for a resume"
    );
    eprintln!(
        "node hung after signing: the mint failed in {} ms: {}",
        waited.as_millis(),
        stderr.trim()
    );

    proxy.set_silent(false);
    let resumed = hallmark(&data)
        .args(["jobs", "resume"])
        .output()
        .expect("resume");
    check_success("jobs resume", &resumed);
    assert!(registered(&runtime, &council, content));
    assert_eq!(journal_step(&data), None);
    let nonce_after = runtime
        .block_on(council.mined_transactions(issuer))
        .expect("nonce");
    assert_eq!(
        nonce_after - nonce_before,
        1,
        "one transaction for the work"
    );
    sound(&config);
}
