//! Hostile input at the IPC boundary (issue 20): every command that takes a file, a folder or a
//! document is given what a hostile page or a careless user could give it — pipes, devices,
//! endless and vanished files, folders where files belong, forged tokens, typed paths, junk
//! bundles and keystores, malformed consortium profiles — as the webview sends it (each request
//! is built from its JSON). Each case must be refused with its stable code (never `internal.*`)
//! and a plain sentence, within 2 s and 300 MiB; afterwards the data folder has no temp file,
//! no unreferenced block and no new library entry.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hallmark_engine::{Config, Engine};
use hallmark_store::AnyStore;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::{CommandError, CommandResult};
use crate::files::FileGrants;
use crate::jobs::Jobs;

const MAX_MS: u128 = 2_000;
const MAX_PEAK_MIB: u64 = 300;

/// A request as the webview sends it.
fn request<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a request the webview could send")
}

/// Current and peak resident set size, in MiB.
fn rss_mib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Every temporary file under `dir`: the store's `tmp/`, and any `*.tmp` a save left.
fn temp_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            temp_files(&path, found);
        } else if name.contains(".tmp") || dir.file_name().is_some_and(|d| d == "tmp") {
            found.push(path);
        }
    }
}

/// What a case may leave: nothing.
async fn folder_problems(engine: &Engine, works_before: usize) -> Vec<String> {
    let mut problems = Vec::new();
    let mut temps = Vec::new();
    temp_files(&engine.config().data_dir, &mut temps);
    if !temps.is_empty() {
        problems.push(format!("temp files left: {temps:?}"));
    }
    if let AnyStore::Embedded(store) = engine.store() {
        match store.unreferenced_blocks(Duration::ZERO, false).await {
            Ok(found) if found.blocks > 0 => {
                problems.push(format!("{} unreferenced blocks left", found.blocks));
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("the store cannot be checked: {e}")),
        }
    }
    match engine.library_page(1000, None) {
        Ok(items) if items.len() != works_before => {
            problems.push(format!(
                "the library went from {works_before} to {} works",
                items.len()
            ));
        }
        Ok(_) => {}
        Err(e) => problems.push(format!("the library cannot be read: {e}")),
    }
    problems
}

/// The hostile files: name, and the path a token is granted for (or `None`: a forged token).
struct Files {
    _dir: tempfile::TempDir,
    cases: Vec<(&'static str, Option<PathBuf>)>,
    folders: Vec<(&'static str, Option<PathBuf>)>,
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {path:?}");
}

fn hostile_files() -> Files {
    let dir = tempfile::TempDir::new().expect("tempdir");
    let at = |name: &str| dir.path().join(name);
    let fifo = at("pipe.png");
    mkfifo(&fifo);
    std::os::unix::fs::symlink(&fifo, at("link-to-pipe.png")).expect("link");
    std::os::unix::fs::symlink(at("nowhere.png"), at("dangling.png")).expect("link");
    let sparse = std::fs::File::create(at("terabyte.png")).expect("create");
    sparse.set_len(1 << 40).expect("sparse");
    std::fs::write(at("empty.png"), b"").expect("write");
    // A 4 KiB of junk, an HTML page named as a picture, a zip that is no bundle, a bundle cut
    // short, JSON that is no keystore, a keystore asking for 4 GiB of scrypt.
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(at("junk.png"), &junk).expect("write");
    std::fs::write(at("page.png"), b"<html><script>alert(1)</script></html>").expect("write");
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend_from_slice(&junk);
    std::fs::write(at("not-a-bundle.zip"), &zip).expect("write");
    std::fs::write(at("cut.zip"), b"PK\x03\x04\x0a\0\0\0").expect("write");
    std::fs::write(at("keystore.json"), br#"{"version":3,"crypto":{}}"#).expect("write");
    let costly = json!({
        "version": 3, "id": "00000000-0000-0000-0000-000000000000",
        "crypto": {
            "cipher": "aes-128-ctr", "ciphertext": "00", "cipherparams": {"iv": "00000000000000000000000000000000"},
            "kdf": "scrypt", "kdfparams": {"dklen": 32, "n": 1u64 << 22, "p": 1, "r": 8, "salt": "00"},
            "mac": "00"
        }
    });
    std::fs::write(at("costly.json"), costly.to_string()).expect("write");
    // Granted, then removed before the command runs (a grant never checks that a file exists).
    let gone = at("gone.png");
    let cases = vec![
        ("a pipe", Some(fifo.clone())),
        ("a link to a pipe", Some(at("link-to-pipe.png"))),
        ("/dev/zero", Some(PathBuf::from("/dev/zero"))),
        ("/dev/urandom", Some(PathBuf::from("/dev/urandom"))),
        ("a dangling link", Some(at("dangling.png"))),
        ("a 1 TiB sparse file", Some(at("terabyte.png"))),
        ("an empty file", Some(at("empty.png"))),
        ("junk", Some(at("junk.png"))),
        ("HTML named .png", Some(at("page.png"))),
        ("a zip that is no bundle", Some(at("not-a-bundle.zip"))),
        ("a bundle cut short", Some(at("cut.zip"))),
        ("JSON that is no keystore", Some(at("keystore.json"))),
        ("a keystore asking 4 GiB of scrypt", Some(at("costly.json"))),
        ("a file removed after it was chosen", Some(gone)),
        ("a folder where a file belongs", Some(dir.path().to_owned())),
        ("a forged token", None),
    ];
    // Kit folders: an empty one, one whose manifest is a pipe, one whose manifest is endless.
    let empty = at("empty-kit");
    std::fs::create_dir(&empty).expect("dir");
    let piped = at("piped-kit");
    std::fs::create_dir(&piped).expect("dir");
    mkfifo(&piped.join(hallmark_kit::MANIFEST_FILE));
    let endless = at("endless-kit");
    std::fs::create_dir(&endless).expect("dir");
    std::os::unix::fs::symlink("/dev/zero", endless.join(hallmark_kit::MANIFEST_FILE))
        .expect("link");
    let folders = vec![
        ("an empty kit folder", Some(empty)),
        ("a kit whose manifest is a pipe", Some(piped)),
        ("a kit whose manifest is /dev/zero", Some(endless)),
        ("a file where a folder belongs", Some(at("junk.png"))),
        ("a pipe where a folder belongs", Some(fifo)),
        ("a forged folder token", None),
    ];
    Files {
        _dir: dir,
        cases,
        folders,
    }
}

/// Consortium profiles a page could send as a picked file's text.
fn hostile_profiles() -> Vec<(&'static str, String)> {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    vec![
        ("an empty profile", String::new()),
        ("not JSON", "hello".to_owned()),
        (
            "1 MiB + 1 of spaces",
            " ".repeat(hallmark_api::MAX_PROFILE_BYTES + 1),
        ),
        ("100000 levels deep", deep),
        ("a JSON number", "1e400".to_owned()),
        (
            "an object of the wrong shape",
            r#"{"format":"hallmark-consortium/1","body":7}"#.to_owned(),
        ),
        (
            "markup and escapes",
            r#"{"format":"<script>\u001b[2J","body":{"name":"\u202e"}}"#.to_owned(),
        ),
    ]
}

struct Outcome {
    case: String,
    code: Option<String>,
    message: String,
    ms: u128,
    peak_mib: u64,
    /// What the case left in the data folder.
    folder: Vec<String>,
}

/// Runs one case, then checks the data folder.
async fn run_case<T: serde::Serialize>(
    engine: &Engine,
    case: String,
    work: impl std::future::Future<Output = CommandResult<T>>,
) -> Outcome {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (before, _) = rss_mib();
    let started = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(30), work).await;
    let ms = started.elapsed().as_millis();
    let (_, peak) = rss_mib();
    let (code, message) = match answer {
        Err(_) => (Some("timeout".to_owned()), "no answer in 30 s".to_owned()),
        Ok(Ok(answer)) => (None, serde_json::to_string(&answer).unwrap_or_default()),
        Ok(Err(e)) => {
            let json = serde_json::to_value::<&CommandError>(&e).unwrap_or_default();
            (
                json["code"].as_str().map(str::to_owned),
                json["message"].as_str().unwrap_or_default().to_owned(),
            )
        }
    };
    Outcome {
        case,
        code,
        message,
        ms,
        peak_mib: peak.saturating_sub(before),
        folder: folder_problems(engine, 0).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_file_and_document_command_refuses_hostile_input_and_leaves_the_folder_clean() {
    let tmp = tempfile::TempDir::new().expect("tmp");
    let engine = Engine::open(Config::embedded(tmp.path().join("data")))
        .await
        .expect("engine");
    // A running chain, so that a mint reaches the file (else it stops at `chain.not_ready`).
    engine
        .start_dev_chain()
        .await
        .expect("the dev chain (anvil) starts");
    let jobs = Jobs::default();
    let grants = FileGrants::default();
    let files = hostile_files();
    let token = |path: &Option<PathBuf>| -> Value {
        match path {
            Some(path) => json!(grants.grant(path).expect("granted").token),
            None => json!("00".repeat(16)),
        }
    };

    let mut outcomes = Vec::new();
    for (name, path) in &files.cases {
        outcomes.push(
            run_case(
                &engine,
                format!("ingest_file: {name}"),
                crate::commands::ingest(
                    &engine,
                    &jobs,
                    &grants,
                    request(json!({ "file": token(path) })),
                    None,
                    |_| {},
                ),
            )
            .await,
        );
        outcomes.push(
            run_case(
                &engine,
                format!("copy_check: {name}"),
                crate::proof::check_copies(
                    &engine,
                    &grants,
                    request(json!({ "file": token(path) })),
                ),
            )
            .await,
        );
        outcomes.push(
            run_case(
                &engine,
                format!("verify: {name}"),
                crate::proof::verify_chosen(
                    &engine,
                    &jobs,
                    &grants,
                    request(json!({ "file": token(path), "challenge": null })),
                    None,
                ),
            )
            .await,
        );
        outcomes.push(
            run_case(
                &engine,
                format!("mint_work: {name}"),
                crate::commands::mint(
                    &engine,
                    &jobs,
                    &grants,
                    request(json!({
                        "file": token(path), "title": "t", "description": "", "licence": "",
                        "editions": 1, "royalty_bps": 0
                    })),
                    None,
                    |_| {},
                ),
            )
            .await,
        );
        outcomes.push(
            run_case(
                &engine,
                format!("endorsement_send: {name}"),
                crate::endorse::send(
                    &engine,
                    &grants,
                    request(json!({
                        "work": {
                            "file": token(path), "title": "t", "description": "", "licence": "",
                            "editions": 1, "royalty_bps": 0
                        },
                        "issuer": null
                    })),
                ),
            )
            .await,
        );
        let keystore = request(json!({
            "action": "import_keystore", "file": token(path), "password": "password", "label": "x"
        }));
        outcomes.push(
            run_case(&engine, format!("wallet import_keystore: {name}"), async {
                crate::wallet::act(&engine, &grants, &keystore)
                    .await
                    .map(|_| ())
            })
            .await,
        );
    }
    let settings = crate::settings::view(engine.config(), engine.config());
    for (name, path) in &files.folders {
        outcomes.push(
            run_case(
                &engine,
                format!("kit import: {name}"),
                crate::durability::kit_job(
                    &engine,
                    &jobs,
                    &grants,
                    request(json!({ "action": "import", "folder": token(path) })),
                    None,
                ),
            )
            .await,
        );
        let mut chosen = settings.clone();
        chosen.next_data_folder = Some(request(token(path)));
        if path.as_ref().is_none_or(|p| !p.is_dir()) {
            outcomes.push(
                run_case(
                    &engine,
                    format!("save_settings data folder: {name}"),
                    crate::settings::save(&engine, &grants, chosen),
                )
                .await,
            );
        }
    }
    let mut typed = settings.clone();
    typed.next_data_dir = "/etc".to_owned();
    outcomes.push(
        run_case(
            &engine,
            "save_settings data folder: a typed path".to_owned(),
            crate::settings::save(&engine, &grants, typed),
        )
        .await,
    );
    for (name, text) in hostile_profiles() {
        outcomes.push(
            run_case(
                &engine,
                format!("join_consortium: {name}"),
                crate::settings::join(&engine, request(json!({ "profile": text }))),
            )
            .await,
        );
    }

    // `verify` of a regular file that is no bundle identifies it: accepted honestly when the
    // answer is a file report whose sha-256 covers every byte of it.
    let honest = |outcome: &Outcome| -> bool {
        let Some(name) = outcome.case.strip_prefix("verify: ") else {
            return false;
        };
        let Some(Some(path)) = files.cases.iter().find(|(n, _)| *n == name).map(|(_, p)| p) else {
            return false;
        };
        let Ok(bytes) = std::fs::read(path) else {
            return false;
        };
        use sha2::Digest as _;
        let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
        let answer: Value = serde_json::from_str(&outcome.message).unwrap_or_default();
        answer["kind"] == "file" && answer["sha256"] == sha256.as_str()
    };
    let mut failures = Vec::new();
    // The media protocol: what a page can put in a `media://` URL.
    let long = "b".repeat(10 << 20);
    for (name, path) in [
        ("a path out of the store", "/../../../etc/passwd"),
        ("a NUL", "/bafy\0"),
        ("10 MiB of base32", long.as_str()),
        (
            "a CID the library does not know",
            "/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
        ),
    ] {
        let started = Instant::now();
        let response = crate::media::serve_guarded(&engine, path).await;
        let status = response.status().as_u16();
        let ms = started.elapsed().as_millis();
        eprintln!(
            "{:<58} {:<28} {:>6}",
            format!("media://: {name}"),
            status,
            ms
        );
        if !matches!(status, 400 | 404) || ms > MAX_MS {
            failures.push(format!("media://: {name}: {status} in {ms} ms"));
        }
    }
    eprintln!("{:<58} {:<28} {:>6} {:>6}", "case", "code", "ms", "+MiB");
    for outcome in &outcomes {
        let message = &outcome.message;
        let code = match outcome.code.as_deref() {
            Some(code) => code,
            None if honest(outcome) => "(identified)",
            None => "(accepted)",
        };
        eprintln!(
            "{:<58} {:<28} {:>6} {:>6}",
            outcome.case, code, outcome.ms, outcome.peak_mib
        );
        let refused_clearly = outcome.code.is_some()
            && code != "timeout"
            && !code.starts_with("internal.")
            && !message.trim().is_empty()
            && !message.contains("os error")
            && !message.contains("{ kind:");
        if code != "(identified)" && !refused_clearly {
            failures.push(format!("{}: {code}: {message}", outcome.case));
        }
        if outcome.ms > MAX_MS {
            failures.push(format!("{}: took {} ms", outcome.case, outcome.ms));
        }
        for problem in &outcome.folder {
            failures.push(format!("{}: {problem}", outcome.case));
        }
        if outcome.peak_mib > MAX_PEAK_MIB {
            failures.push(format!("{}: {} MiB", outcome.case, outcome.peak_mib));
        }
    }
    eprintln!("{} hostile IPC cases", outcomes.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
