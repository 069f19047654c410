//! The CLI as a newcomer meets it, against the real dev chain (anvil): `chain up` serves every
//! other command on the same data folder, `chain status` reports that chain, `show` right after
//! `mint` finds the work, `verify-file` says when its answer comes from a catalog it could not
//! sync, failures end every line with a newline and hint only at what applies, ids are numbers
//! in every command's JSON, and `--help` lists the commands by purpose.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// `hallmark ARGS` on `data`, with no store, chain or log settings inherited, plus `env`.
fn run(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = common::hallmark(data);
    command
        .args(args)
        .env_remove("HALLMARK_IPFS_API")
        .env_remove("HALLMARK_CHAIN_RPC")
        .env_remove("HALLMARK_CHAIN_ID")
        .env_remove("RUST_LOG");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Stdout of a command that must succeed.
fn ok(o: Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

/// Stdout of a command that must succeed, as JSON.
fn ok_json(o: Output) -> Value {
    let text = ok(o);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Asserts a failure printed as `error: …` and `hint: …` lines, each ending with a newline;
/// returns the hint.
fn hint_of(o: &Output) -> String {
    let err = stderr(o);
    assert!(err.ends_with('\n'), "no newline at the end: {err:?}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[1]
        .strip_prefix("hint: ")
        .unwrap_or_else(|| panic!("no hint: {err}"))
        .to_owned()
}

/// `hallmark chain up` running in the background; killed if the test fails before stopping it.
struct ChainUp {
    child: Child,
}

impl ChainUp {
    /// Starts it and waits for the line saying it serves; returns it with its RPC URL.
    fn start(data: &Path) -> (Self, String) {
        let mut child = common::hallmark(data)
            .args(["chain", "up"])
            .env_remove("HALLMARK_IPFS_API")
            .env_remove("HALLMARK_CHAIN_RPC")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line);
        });
        let up = Self { child };
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("`chain up` says it serves");
        assert!(
            line.starts_with("dev chain 31337 at http://127.0.0.1:"),
            "{line:?}"
        );
        let url = line.split_whitespace().nth(4).expect("the URL").to_owned();
        (up, url)
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until it has exited; its exit status.
    fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "`chain up` did not stop");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for ChainUp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parent of process `pid`.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat[stat.rfind(')')? + 1..]
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn picture(path: &Path, seed: u8) {
    image::RgbImage::from_fn(96, 64, |x, y| {
        image::Rgb([(x * 2) as u8 ^ seed, (y * 3) as u8, seed.wrapping_mul(7)])
    })
    .save(path)
    .unwrap();
}

#[test]
fn chain_up_serves_every_other_command_and_verify_file_says_when_it_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut up, url) = ChainUp::start(&data);

    // Only `chain up` started anvil.
    let anvil: u32 = std::fs::read_to_string(data.join("chain/anvil.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(parent_of(anvil), Some(up.pid()));

    // `chain status` reports the chain `chain up` serves.
    let status = ok_json(run(&data, &["chain", "status", "--json"], &[]));
    let chain = &status["chain"];
    assert_eq!(chain["rpc_url"], url.as_str(), "{status}");
    assert_eq!(chain["served_by"], up.pid(), "{status}");
    assert_eq!(chain["error"], Value::Null, "{status}");
    assert!(chain["head_block"].as_u64().unwrap() > 0, "{status}");
    assert!(chain["contracts"]["works"].is_string(), "{status}");
    let text = ok(run(&data, &["chain", "status"], &[]));
    assert!(
        text.contains(&format!("served by     process {}", up.pid())),
        "{text}"
    );
    assert!(!text.contains("not started"), "{text}");

    // A second process mints on it; ids are numbers.
    let png = dir.path().join("work.png");
    picture(&png, 5);
    let minted = ok_json(run(
        &data,
        &["mint", png.to_str().unwrap(), "--title", "Shared", "--json"],
        &[],
    ));
    let work = minted["work_id"].as_u64().expect("work id is a number");
    let token = minted["token_id"].as_u64().expect("token id is a number");
    assert_eq!(token, work * 1_000_000 + 1, "{minted}");
    assert_eq!(parent_of(anvil), Some(up.pid()), "the same anvil");

    // `show` right after the mint finds it (the catalog is synced first); every id a number,
    // every event's detail an object.
    let shown = ok_json(run(&data, &["show", &token.to_string(), "--json"], &[]));
    assert_eq!(shown["token"]["token_id"], token, "{shown}");
    assert_eq!(shown["work"]["work_id"], work, "{shown}");
    let events = shown["provenance"].as_array().expect("provenance");
    assert!(!events.is_empty(), "{shown}");
    for event in events {
        assert!(event["detail"].is_object(), "{event}");
    }
    assert!(events.iter().any(|e| e["token_id"] == token), "{shown}");
    let text = ok(run(&data, &["show", &token.to_string()], &[]));
    assert!(
        text.starts_with(&format!("token {token}: Shared")),
        "{text}"
    );

    // `verify-file` answers from a catalog synced just now: same ids, as numbers.
    let found = ok_json(run(
        &data,
        &["verify-file", png.to_str().unwrap(), "--json"],
        &[],
    ));
    assert_eq!(found["exact"]["work_id"], work, "{found}");
    assert_eq!(found["exact"]["editions"][0]["token_id"], token, "{found}");
    assert_eq!(found["catalog"]["up_to_date"], true, "{found}");
    let synced = found["catalog"]["synced_block"].as_u64().expect("block");
    let text = ok(run(&data, &["verify-file", png.to_str().unwrap()], &[]));
    assert!(
        !text.contains("note: answered from the local catalog"),
        "{text}"
    );

    // A second `chain up` is refused, naming the one that serves.
    let second = run(&data, &["chain", "up"], &[]);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert!(
        stderr(&second).contains(&format!("already served by process {}", up.pid())),
        "{}",
        stderr(&second)
    );
    assert!(
        hint_of(&second).contains("chain down"),
        "{}",
        stderr(&second)
    );

    // `chain down` stops it cleanly; nothing serves any more.
    ok(run(&data, &["chain", "down"], &[]));
    assert!(up.wait_exit(Duration::from_secs(30)).success());
    assert!(!data.join("chain/serving.json").exists());
    let status = ok_json(run(&data, &["chain", "status", "--json"], &[]));
    assert_eq!(status["chain"]["served_by"], Value::Null, "{status}");
    assert!(
        status["chain"]["error"]
            .as_str()
            .unwrap()
            .contains("not started"),
        "{status}"
    );

    // The chain unreachable: `verify-file` still answers, saying it is from the catalog as of
    // the block it last synced.
    let gone = format!("http://127.0.0.1:{}", common::free_port());
    let unreachable = [("HALLMARK_CHAIN_RPC", gone.as_str())];
    let text = ok(run(
        &data,
        &["verify-file", png.to_str().unwrap()],
        &unreachable,
    ));
    assert!(
        text.starts_with(&format!("registered: work {work}")),
        "{text}"
    );
    let last = text.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with(&format!(
            "note: answered from the local catalog (as of block {synced}): the chain could not be reached"
        )) && last.contains(&gone),
        "{text}"
    );
    let found = ok_json(run(
        &data,
        &["verify-file", png.to_str().unwrap(), "--json"],
        &unreachable,
    ));
    assert_eq!(found["exact"]["work_id"], work, "{found}");
    assert_eq!(found["catalog"]["up_to_date"], false, "{found}");
    assert_eq!(found["catalog"]["synced_block"], synced, "{found}");
    assert!(
        found["catalog"]["chain_error"]
            .as_str()
            .unwrap()
            .contains(&gone),
        "{found}"
    );

    // `show` of a work the catalog does not know, the chain unreachable: it says why.
    let missing = run(
        &data,
        &["show", &(token + 1_000_000).to_string()],
        &unreachable,
    );
    assert_eq!(missing.status.code(), Some(1), "{}", stderr(&missing));
    let err = stderr(&missing);
    assert!(
        err.contains(&format!("the catalog has no work {}", work + 1))
            && err.contains("it could not be synced")
            && err.contains(&gone),
        "{err}"
    );
    assert!(hint_of(&missing).contains("chain up"), "{err}");
}

#[test]
fn a_store_failure_hints_only_at_the_setting_that_chose_the_node() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let png = dir.path().join("a.png");
    picture(&png, 9);
    let closed = format!("http://127.0.0.1:{}", common::free_port());

    // Chosen by the environment: the hint names the variable, not a flag that was not given.
    let o = run(
        &data,
        &["ingest", png.to_str().unwrap()],
        &[("HALLMARK_IPFS_API", closed.as_str())],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let hint = hint_of(&o);
    assert!(
        hint.contains("HALLMARK_IPFS_API") && hint.contains(&closed),
        "{hint}"
    );
    assert!(!hint.contains("--ipfs-api"), "{hint}");

    // Chosen by the flag: the hint names the flag.
    let o = run(
        &data,
        &["--ipfs-api", &closed, "ingest", png.to_str().unwrap()],
        &[],
    );
    let hint = hint_of(&o);
    assert!(hint.contains("leave out --ipfs-api"), "{hint}");
}

#[test]
fn the_help_describes_todays_commands_by_purpose() {
    let dir = tempfile::tempdir().unwrap();
    let help = ok(run(dir.path(), &["--help"], &[]));
    for expected in [
        "Start here:",
        "Register and trade (on the chain):",
        "The local catalog (queries offline):",
        "Prove and verify:",
        "  verify-file  ",
        "  export-kit   ",
        "HALLMARK_CHAIN_RPC",
        "docs/cli.md",
        "every other command on the same data folder uses that",
    ] {
        assert!(help.contains(expected), "`{expected}` not in:\n{help}");
    }
    assert!(
        !help.contains("CIDs, media ingest and the content store"),
        "{help}"
    );
    let short = ok(run(dir.path(), &["-h"], &[]));
    assert!(short.contains("Start here:"), "{short}");
    let up = ok(run(dir.path(), &["chain", "up", "--help"], &[]));
    assert!(
        up.contains("HALLMARK_CHAIN_RPC") && up.contains("chain/serving.json"),
        "{up}"
    );
}
