//! Dependencies down (issue 7): the chain's JSON-RPC endpoint closed, silent or answering
//! garbage; the Kubo IPFS node closed or handing out wrong bytes; the data folder's disk full or
//! mounted read-only. Each runs the real `hallmark` binary against a real anvil and fake servers
//! on loopback, and checks that the command fails in bounded time with one `error:` line that
//! carries the stable code in brackets and a plain sentence, that nothing half-written is left
//! (the catalog passes `PRAGMA integrity_check`, no temporary files, no partial output), and that
//! the same command succeeds once the fault is gone.
//!
//! The disk-full and read-only cases mount a small tmpfs, so they need root (CI runs as root);
//! elsewhere they print a `skipped:` line and pass. The figures (time to fail) are printed on
//! stderr for docs/reliability.md ("Dependencies down").

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::{Anvil, cli, data_folder, deploy_and_seed, free_port, register_and_list};
use hallmark_chain::{DemoAccounts, U256};
use hallmark_engine::catalog::Catalog;
use hallmark_engine::{Config, IpfsBackend};
use hallmark_testkit::pictures;
use hallmark_testkit::tmpfs::{fill, tmpfs_or_skip};

// ---------------------------------------------------------------------------------------------
// Processes and servers

/// What a fake server does with each request (given the request line and headers).
type Handler = dyn Fn(&str) -> Reply + Send + Sync;

/// A fake server's answer.
enum Reply {
    /// Read the request, then say nothing until the server stops.
    Silence,
    /// These bytes, then close.
    Raw(Vec<u8>),
}

/// An HTTP/1.1 answer with `status`, `content_type` and `body`, closing the connection.
fn http(status: &str, content_type: &str, body: &[u8]) -> Reply {
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

/// A server on a loopback port answering with `handler`, stopped (every connection closed)
/// on drop.
struct FakeServer {
    url: String,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl FakeServer {
    fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut connections = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let stop = Arc::clone(&stop);
                            let handler = Arc::clone(&handler);
                            connections.push(std::thread::spawn(move || {
                                serve(stream, &*handler, &stop);
                            }));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
                for connection in connections {
                    let _ = connection.join();
                }
            })
        };
        Self {
            url: format!("http://127.0.0.1:{port}"),
            stop,
            accept: Some(accept),
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Reads one request (headers, and a body by its length or chunks), then answers.
fn serve(mut stream: TcpStream, handler: &Handler, stop: &AtomicBool) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let mut request = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let head_end = loop {
        if let Some(at) = find(&request, b"\r\n\r\n") {
            break at + 4;
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
            Err(_) => continue,
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_string();
    let lower = head.to_ascii_lowercase();
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = lower.contains("transfer-encoding: chunked");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let body = &request[head_end..];
        let complete = match length {
            Some(n) => body.len() >= n,
            None if chunked => find(body, b"0\r\n\r\n").is_some(),
            None => true,
        };
        if complete || stop.load(Ordering::SeqCst) || Instant::now() > deadline {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => request.extend_from_slice(&buf[..n]),
            Err(_) => continue,
        }
    }
    match handler(&head) {
        Reply::Silence => {
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes);
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A loopback port nothing listens on.
fn closed_url() -> String {
    format!("http://127.0.0.1:{}", free_port())
}

// ---------------------------------------------------------------------------------------------
// The CLI

/// `hallmark --data-dir DATA ARGS`, timed.
fn hallmark(data: &Path, args: &[&str]) -> (Output, Duration) {
    cli().run_timed(data, args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_ok(o: &Output, what: &str) {
    assert!(o.status.success(), "{what} failed: {}", stderr(o));
}

/// A clean failure: exit status 1, nothing on stdout, one `error: … [code]` line (and perhaps a
/// `hint:` line) holding every word of `expect`, no internals. Returns the error line.
fn assert_fault(o: &Output, code: &str, expect: &[&str]) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert!(
        o.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        !lines.is_empty() && lines[0].starts_with("error: "),
        "{err}"
    );
    assert!(
        lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: ")),
        "{err}"
    );
    assert!(
        lines[0].ends_with(&format!(" [{code}]")),
        "code {code} not on: {err}"
    );
    for word in expect {
        assert!(err.contains(word), "`{word}` not in: {err}");
    }
    for internal in ["os error", "::", "panicked", "RUST_BACKTRACE", "Error {"] {
        assert!(!err.contains(internal), "`{internal}` in: {err}");
    }
    lines[0].to_owned()
}

/// Writes `config.json` for `data` with this chain URL and store.
/// Deploys the suite (recorded in the data folder's chain folder) and registers and lists
/// `works` works; returns the first token.
fn prepare_chain(url: &str, config: &Config, works: u64) -> U256 {
    let runtime = common::runtime();
    runtime.block_on(async {
        let council = deploy_and_seed(url, config).await;
        let issuer = council
            .as_account(DemoAccounts::standard(2).expect("keys").issuer)
            .expect("issuer");
        register_and_list(&issuer, works).await
    })
}

/// The catalog is sound; returns its checkpoint (next block) and its number of works.
fn check_catalog(config: &Config) -> (u64, u64) {
    let catalog = Catalog::open(&config.catalog_path()).expect("the catalog opens");
    assert_eq!(catalog.integrity_check().expect("check"), "ok");
    let next = catalog
        .sync_state()
        .expect("state")
        .map_or(0, |s| s.next_block);
    (next, catalog.stats().expect("stats").works)
}

/// Files under `dir` whose names say they are temporary or partial.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name == "tmp" {
                // The store's temporary folder must be empty.
                found.extend(
                    std::fs::read_dir(&path)
                        .into_iter()
                        .flatten()
                        .flatten()
                        .map(|e| e.path()),
                );
            } else {
                found.extend(leftovers(&path));
            }
        } else if name.ends_with(".tmp") || name.ends_with(".partial") || name.contains(".tmp.") {
            found.push(path);
        }
    }
    found
}

fn report(fault: &str, command: &str, took: Duration, line: &str) {
    eprintln!(
        "figure: {fault} | hallmark {command} | {:.2} s | {line}",
        took.as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------------
// Chain RPC

/// The longest a command may take against a chain node that accepts and never answers: one
/// request timeout (15 s) and the process's start and stop.
const SILENT_BOUND: Duration = Duration::from_secs(25);
/// The longest against a closed port or garbage: the read retries (3.75 s of waits) and more.
const FAST_BOUND: Duration = Duration::from_secs(12);

#[test]
fn chain_rpc_closed_silent_or_garbage_fails_clearly_in_bounded_time() {
    let anvil = Anvil::start();
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let config = data_folder(&data, &anvil.endpoint(), IpfsBackend::Embedded);
    let token = prepare_chain(&anvil.endpoint(), &config, 3).to_string();

    let (o, _) = hallmark(&data, &["sync"]);
    assert_ok(&o, "the first sync");
    let synced = check_catalog(&config);
    assert_eq!(synced.1, 3);

    let silent = FakeServer::start(|_| Reply::Silence);
    let garbage = FakeServer::start(|_| Reply::Raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()));
    let html = FakeServer::start(|_| {
        http(
            "200 OK",
            "text/html",
            b"<html><body>Welcome to nginx!</body></html>",
        )
    });
    let unavailable = FakeServer::start(|_| http("503 Service Unavailable", "text/plain", b"down"));
    let closed = closed_url();
    let faults: [(&str, &str, &[&str], Duration); 5] = [
        (
            "closed port",
            closed.as_str(),
            &[
                "is not reachable",
                "connection refused",
                "is the node running?",
            ],
            FAST_BOUND,
        ),
        (
            "accepts, never answers",
            silent.url.as_str(),
            &["is not reachable", "did not answer within 15 s"],
            SILENT_BOUND,
        ),
        (
            "answers garbage (not HTTP)",
            garbage.url.as_str(),
            &["is not reachable", "is not HTTP", "JSON-RPC address"],
            FAST_BOUND,
        ),
        (
            "answers an HTML page",
            html.url.as_str(),
            &["is not reachable", "not JSON-RPC", "<html>"],
            FAST_BOUND,
        ),
        (
            "answers HTTP 503",
            unavailable.url.as_str(),
            &["is not reachable", "HTTP 503 Service Unavailable"],
            FAST_BOUND,
        ),
    ];
    for (fault, url, words, bound) in faults {
        data_folder(&data, url, IpfsBackend::Embedded);
        let mut expect = words.to_vec();
        expect.push(url);
        for command in [
            &["sync"][..],
            &["work", token.as_str(), "--as", "issuer"][..],
        ] {
            let (o, took) = hallmark(&data, command);
            let line = assert_fault(&o, "chain.unavailable", &expect);
            report(
                &format!("chain RPC {fault}"),
                &command.join(" "),
                took,
                &line,
            );
            assert!(took < bound, "{fault}: {took:?} (bound {bound:?})");
        }
        // The catalog is untouched: sound, at the same checkpoint.
        assert_eq!(check_catalog(&config), synced, "{fault}");
        assert!(leftovers(&data).is_empty(), "{:?}", leftovers(&data));
    }

    // The fault gone, the same commands succeed.
    data_folder(&data, &anvil.endpoint(), IpfsBackend::Embedded);
    let (o, _) = hallmark(&data, &["sync"]);
    assert_ok(&o, "the sync after the faults");
    let (o, _) = hallmark(&data, &["work", &token, "--as", "issuer"]);
    assert_ok(&o, "work after the faults");
    assert_eq!(check_catalog(&config).1, 3);
}

// ---------------------------------------------------------------------------------------------
// Kubo IPFS node

/// A noisy PNG (incompressible, so its size is about `side`² × 3 bytes).
fn noisy_png(path: &Path, side: u32, seed: u64) {
    pictures::save(&pictures::noise(side, side, seed), path);
}

#[test]
fn kubo_closed_or_lying_is_refused_and_nothing_is_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let anvil_url = closed_url(); // the chain is not used here
    let file = dir.path().join("art.png");
    noisy_png(&file, 64, 1);
    let bytes = std::fs::read(&file).expect("png");

    // A closed port: ingest and cat fail naming the node; nothing is recorded.
    let closed = closed_url();
    data_folder(
        &data,
        &anvil_url,
        IpfsBackend::Kubo {
            api_url: closed.clone(),
        },
    );
    let (o, took) = hallmark(&data, &["ingest", file.to_str().expect("utf-8")]);
    let line = assert_fault(
        &o,
        "store.unreachable",
        &[&closed, "is not reachable", "connection refused"],
    );
    report("Kubo closed port", "ingest", took, &line);
    assert!(took < Duration::from_secs(10), "{took:?}");
    let (o, _) = hallmark(&data, &["cid", file.to_str().expect("utf-8")]);
    assert_ok(&o, "cid");
    let cid = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    let out = dir.path().join("out.png");
    let (o, took) = hallmark(
        &data,
        &["ipfs", "cat", &cid, "-o", out.to_str().expect("utf-8")],
    );
    let line = assert_fault(&o, "store.unreachable", &[&closed, "connection refused"]);
    report("Kubo closed port", "ipfs cat", took, &line);
    assert!(!out.exists());

    // A node that hands out other bytes for the block, and claims another CID for an upload.
    let other = hallmark_unixfs::import_reader(
        &b"other bytes"[..],
        &hallmark_unixfs::ImportSettings::kubo_v1(),
        hallmark_unixfs::NullSink,
    )
    .expect("cid")
    .root
    .to_string();
    let added = format!(r#"{{"Name":"data","Hash":"{other}","Size":"11"}}"#);
    let liar = FakeServer::start(move |head| {
        if head.starts_with("POST /api/v0/version") {
            http(
                "200 OK",
                "application/json",
                br#"{"Version":"0.99.0-fake"}"#,
            )
        } else if head.starts_with("POST /api/v0/block/get") {
            http(
                "200 OK",
                "application/octet-stream",
                b"these are not the bytes you asked for",
            )
        } else if head.starts_with("POST /api/v0/add") {
            http("200 OK", "application/json", added.as_bytes())
        } else {
            http("404 Not Found", "text/plain", b"404 page not found")
        }
    });
    data_folder(
        &data,
        &anvil_url,
        IpfsBackend::Kubo {
            api_url: liar.url.clone(),
        },
    );
    for target in [Some(&out), None] {
        let mut args = vec!["ipfs", "cat", cid.as_str()];
        if let Some(out) = target {
            args.extend(["-o", out.to_str().expect("utf-8")]);
        }
        let (o, took) = hallmark(&data, &args);
        let line = assert_fault(&o, "store.cid_mismatch", &[&liar.url, &cid, "expected"]);
        report("Kubo returns wrong bytes", "ipfs cat", took, &line);
        assert!(!out.exists(), "the wrong bytes were written");
        // Never shown either: stdout is empty (checked by assert_fault).
        assert!(find(&o.stderr, b"not the bytes").is_none());
    }
    let (o, took) = hallmark(&data, &["ingest", file.to_str().expect("utf-8")]);
    let line = assert_fault(&o, "store.cid_mismatch", &[&liar.url, "another CID"]);
    report("Kubo claims another CID", "ingest", took, &line);

    // Nothing was recorded in the library, and no temporary file is left.
    let (o, _) = hallmark(&data, &["library", "--json"]);
    assert_ok(&o, "library");
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed}");
    assert!(leftovers(&data).is_empty(), "{:?}", leftovers(&data));
    assert_eq!(std::fs::read(&file).expect("png"), bytes);
}

// ---------------------------------------------------------------------------------------------
// Disk full and read-only (root: a small tmpfs)

#[test]
fn a_full_disk_is_said_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let Some(fs) = tmpfs_or_skip(
        dir.path(),
        "8m",
        "a_full_disk_is_said_and_nothing_is_half_written",
    ) else {
        return;
    };
    let anvil = Anvil::start();
    let data = fs.dir.join("data");
    let config = data_folder(&data, &anvil.endpoint(), IpfsBackend::Embedded);
    prepare_chain(&anvil.endpoint(), &config, 30);
    // The data folder's files exist (store, library, catalog) before the disk fills.
    let (o, _) = hallmark(&data, &["library"]);
    assert_ok(&o, "library");

    // Ingest: 1 MiB of blocks with 256 KiB free.
    let art = dir.path().join("art.png");
    noisy_png(&art, 600, 2);
    let filler = fill(&fs.dir, 256 * 1024);
    let (o, took) = hallmark(&data, &["ingest", art.to_str().expect("utf-8")]);
    let folder = data.display().to_string();
    let line = assert_fault(
        &o,
        "storage.full",
        &["the disk holding the data folder", &folder, "is full"],
    );
    report("disk full", "ingest", took, &line);
    assert!(!line.contains("ipfs/"), "an internal path: {line}");
    assert!(leftovers(&data).is_empty(), "{:?}", leftovers(&data));

    // Sync: one-block pages, a commit each, with 192 KiB free: some pages are applied, then
    // the catalog's write-ahead log fills the disk.
    std::fs::remove_file(&filler).expect("free");
    let filler = fill(&fs.dir, 192 * 1024);
    let (o, took) = hallmark(
        &data,
        // --json: no progress lines on stderr, only the error.
        &[
            "sync",
            "--json",
            "--page-blocks",
            "1",
            "--max-page-blocks",
            "1",
        ],
    );
    let line = assert_fault(&o, "storage.full", &[&folder, "is full"]);
    report("disk full", "sync", took, &line);

    // Space freed: the catalog is sound, and the same commands succeed.
    std::fs::remove_file(&filler).expect("free");
    let (next_block, works) = check_catalog(&config);
    eprintln!(
        "figure: disk full | sync stopped with {works} of 30 works applied, checkpoint at block {next_block}"
    );
    assert!(
        works < 30,
        "the sync could not have finished ({works} works)"
    );
    assert!(leftovers(&data).is_empty(), "{:?}", leftovers(&data));
    let (o, _) = hallmark(&data, &["sync"]);
    assert_ok(&o, "the sync after freeing space");
    assert_eq!(check_catalog(&config).1, 30);
    let (o, _) = hallmark(&data, &["ingest", art.to_str().expect("utf-8")]);
    assert_ok(&o, "the ingest after freeing space");
    let (o, _) = hallmark(&data, &["library", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    drop(anvil);
    drop(fs);
}

#[test]
fn a_read_only_data_folder_is_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let Some(fs) = tmpfs_or_skip(dir.path(), "8m", "a_read_only_data_folder_is_named") else {
        return;
    };
    let anvil = Anvil::start();
    let data = fs.dir.join("data");
    let config = data_folder(&data, &anvil.endpoint(), IpfsBackend::Embedded);
    prepare_chain(&anvil.endpoint(), &config, 2);
    let (o, _) = hallmark(&data, &["sync"]);
    assert_ok(&o, "the first sync");
    let synced = check_catalog(&config);
    let art = dir.path().join("art.png");
    noisy_png(&art, 64, 3);

    fs.remount("ro");
    let folder = data.display().to_string();
    for command in [&["ingest", art.to_str().expect("utf-8")][..], &["sync"][..]] {
        let (o, took) = hallmark(&data, command);
        let line = assert_fault(
            &o,
            "storage.read_only",
            &["the data folder", &folder, "cannot be written"],
        );
        report("read-only data folder", command[0], took, &line);
    }

    fs.remount("rw");
    assert_eq!(check_catalog(&config), synced);
    let (o, _) = hallmark(&data, &["ingest", art.to_str().expect("utf-8")]);
    assert_ok(&o, "the ingest once writable");
    let (o, _) = hallmark(&data, &["sync"]);
    assert_ok(&o, "the sync once writable");
    assert!(leftovers(&data).is_empty(), "{:?}", leftovers(&data));
    drop(anvil);
    drop(fs);
}

// ---------------------------------------------------------------------------------------------
// Special files (issue 20): every command that reads a file a person names

/// Runs `hallmark --data-dir DATA ARGS` and kills it after `limit` (a command blocked on a pipe
/// never ends by itself); its output and how long it ran, `None` if it had to be killed.
fn hallmark_within(data: &Path, args: &[&str], limit: Duration) -> Option<(Output, Duration)> {
    let started = Instant::now();
    let mut child = cli()
        .command(data)
        .args(args)
        .env("HALLMARK_PASSWORD", "correct horse battery")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("hallmark starts");
    while started.elapsed() < limit {
        if child.try_wait().ok().flatten().is_some() {
            let output = child.wait_with_output().expect("output");
            return Some((output, started.elapsed()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// A pipe (FIFO) and a device given to every command that reads a named file: each refuses it at
/// once (before: `cid`, `verify`, `certificate`, `verify-file` and `wallet import-keystore` of a
/// pipe waited forever, and of `/dev/zero` read until memory ran out), in one `error:` line that
/// says what the file is and carries a stable code; nothing is written to the data folder.
#[test]
fn every_file_argument_refuses_pipes_and_devices_at_once() {
    let tmp = tempfile::TempDir::new().expect("tempdir");
    let pipe = tmp.path().join("pipe.zip");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = tmp.path().join("certificate.pdf");
    let data = tmp.path().join("data");
    for (file, kind) in [
        (pipe.to_str().expect("utf-8"), "a pipe (FIFO)"),
        ("/dev/zero", "a device"),
    ] {
        let commands: Vec<Vec<&str>> = vec![
            vec!["cid", file],
            vec!["verify", file, "--offline"],
            vec!["certificate", file, "--out", out.to_str().expect("utf-8")],
            vec!["verify-file", file],
            vec!["ipfs", "add", file],
            vec!["import-kit", file],
            vec!["wallet", "import-keystore", file, "--label", "Pipe"],
            vec!["consortium", "profile", "check", file],
            vec!["consortium", "profile", "use", file],
            vec!["ingest", file],
            vec!["mint", file, "--title", "Pipe"],
        ];
        for args in commands {
            let shown = args.join(" ");
            let Some((output, took)) = hallmark_within(&data, &args, Duration::from_secs(30))
            else {
                panic!("`hallmark {shown}` was still running after 30 s");
            };
            let text = stderr(&output);
            eprintln!(
                "hallmark {shown}: {took:?}, exit {:?}",
                output.status.code()
            );
            assert!(!output.status.success(), "{shown}: {text}");
            let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error:")).collect();
            assert_eq!(errors.len(), 1, "{shown}: {text}");
            assert!(errors[0].contains(kind), "{shown}: {text}");
            assert!(errors[0].contains(" ["), "{shown}: a stable code: {text}");
            assert!(!errors[0].contains("os error"), "{shown}: {text}");
            assert!(!out.exists(), "{shown}: nothing written");
        }
    }
}

/// Issue 20 (special files), the output side: `ipfs cat -o` to a pipe no program reads hung for
/// good (the write waited for a reader); to a folder it failed with an OS error. Both are now
/// refused at once with `[cli.output]`; a pipe a program reads gets every byte.
#[test]
fn an_output_argument_refuses_a_pipe_nobody_reads_and_a_folder() {
    let tmp = tempfile::TempDir::new().expect("tempdir");
    let data = tmp.path().join("data");
    let file = tmp.path().join("words.txt");
    std::fs::write(&file, "every byte of this file").expect("write");
    let added = hallmark_within(
        &data,
        &["ipfs", "add", file.to_str().expect("utf-8")],
        Duration::from_secs(60),
    )
    .expect("ipfs add ends");
    assert!(added.0.status.success(), "{}", stderr(&added.0));
    let cid = String::from_utf8_lossy(&added.0.stdout)
        .split_whitespace()
        .last()
        .expect("a CID")
        .to_owned();
    let pipe = tmp.path().join("out.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for (out, why) in [
        (pipe.as_path(), "a pipe (FIFO) that no program reads"),
        (tmp.path(), "a folder"),
    ] {
        let args = ["ipfs", "cat", &cid, "-o", out.to_str().expect("utf-8")];
        let Some((output, took)) = hallmark_within(&data, &args, Duration::from_secs(30)) else {
            panic!("`hallmark {}` was still running after 30 s", args.join(" "));
        };
        let text = stderr(&output);
        eprintln!("hallmark {}: {took:?}", args.join(" "));
        assert!(!output.status.success(), "{text}");
        assert!(text.contains(why), "{text}");
        assert!(text.trim_end().ends_with("[cli.output]"), "{text}");
    }
    // With a reader, the pipe gets the file.
    let copy = tmp.path().join("copy.txt");
    let mut reader = std::process::Command::new("cat")
        .arg(&pipe)
        .stdout(std::fs::File::create(&copy).expect("copy"))
        .spawn()
        .expect("cat");
    let args = ["ipfs", "cat", &cid, "-o", pipe.to_str().expect("utf-8")];
    let mut done = None;
    for _ in 0..100 {
        let (output, _) =
            hallmark_within(&data, &args, Duration::from_secs(30)).expect("ipfs cat ends");
        if output.status.success() {
            done = Some(output);
            break;
        }
        std::thread::sleep(Duration::from_millis(20)); // until `cat` has opened the pipe
    }
    assert!(done.is_some(), "never written to the read pipe");
    assert!(reader.wait().expect("cat ends").success());
    assert_eq!(
        std::fs::read(&copy).expect("copy"),
        b"every byte of this file"
    );
}

// ---------------------------------------------------------------------------------------------
// Untrusted text, codes and reports (issue 20)

/// Runs `hallmark --data-dir DATA ARGS` with arguments that may not be UTF-8.
fn hallmark_os(data: &Path, args: &[&std::ffi::OsStr]) -> Output {
    cli()
        .command(data)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("hallmark runs")
}

/// Whether `bytes` hold a control character a terminal would obey (other than the line breaks
/// and tabs of the output's own layout): ESC, CSI (U+009B), BEL, CR, bidi overrides.
fn terminal_controls(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

/// Issue 20 ("untrusted text to the terminal"): a file name holding a line break, a forged
/// `error:` line, an escape sequence that clears the screen, a C1 CSI and a bidi override is
/// shown escaped by every command that prints it (`ingest`, `library`, and the `error:` lines of
/// `cid`, `verify-file` and `import-kit`): the output has exactly its own lines and no control
/// character; `--json` still decodes to the real name.
#[test]
fn a_hostile_file_name_never_reaches_the_terminal_as_it_is() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let name = "work\nerror: forged line [x]\u{1b}[2J\u{9b}31m\u{202e}gnp.png";
    let file = dir.path().join(name);
    noisy_png(&file, 32, 7);

    let ingest = hallmark_os(&data, &["ingest".as_ref(), file.as_os_str()]);
    assert_ok(&ingest, "ingest");
    let text = String::from_utf8_lossy(&ingest.stdout).into_owned();
    assert_eq!(
        terminal_controls(&ingest.stdout),
        Vec::<char>::new(),
        "{text}"
    );
    assert!(
        text.lines().next().is_some_and(|l| l.starts_with("file:")
            && l.contains("work\\nerror: forged line [x]\\u001b[2J\\u009b31m\\u202egnp.png")),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("error:")), "{text}");

    let json = hallmark_os(
        &data,
        &["ingest".as_ref(), "--json".as_ref(), file.as_os_str()],
    );
    assert_ok(&json, "ingest --json");
    assert_eq!(terminal_controls(&json.stdout), Vec::<char>::new());
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(report["file_name"], name, "JSON decodes to the real name");

    let library = hallmark_os(&data, &["library".as_ref()]);
    assert_ok(&library, "library");
    assert_eq!(terminal_controls(&library.stdout), Vec::<char>::new());
    assert_eq!(String::from_utf8_lossy(&library.stdout).lines().count(), 1);

    let missing = dir.path().join("gone\nerror: forged [x]\u{1b}[31m");
    for args in [
        vec!["cid".as_ref(), missing.as_os_str()],
        vec!["verify-file".as_ref(), missing.as_os_str()],
        vec!["import-kit".as_ref(), missing.as_os_str()],
    ] {
        let output = hallmark_os(&data, &args);
        let err = stderr(&output);
        assert!(!output.status.success(), "{err}");
        assert_eq!(
            terminal_controls(&output.stderr),
            Vec::<char>::new(),
            "{err}"
        );
        let errors = err.lines().filter(|l| l.starts_with("error:")).count();
        assert_eq!(errors, 1, "{args:?}: {err}");
        assert!(err.contains("gone\\nerror: forged [x]\\u001b[31m"), "{err}");
    }
    assert_eq!(leftovers(&data), Vec::<PathBuf>::new());
}

/// Issue 20 ("success recorded, failure reported"): `ingest --json` of a file whose name is not
/// UTF-8 succeeds and says so: the report names the file lossily (U+FFFD), exit status 0, the
/// work recorded once. Before, the work was stored and pinned and the command then exited 1
/// ("cannot encode the report").
#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_is_reported_not_refused_after_the_fact() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let file = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9 au lait.png"));
    noisy_png(&file, 32, 8);
    let output = hallmark_os(
        &data,
        &["ingest".as_ref(), "--json".as_ref(), file.as_os_str()],
    );
    assert_ok(&output, "ingest --json");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["file_name"], "caf\u{fffd} au lait.png");
    assert!(
        report["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("caf\u{fffd} au lait.png")),
        "{report}"
    );
    let library = hallmark_os(&data, &["library".as_ref(), "--json".as_ref()]);
    assert_ok(&library, "library --json");
    let items: serde_json::Value = serde_json::from_slice(&library.stdout).expect("JSON");
    assert_eq!(items.as_array().map(Vec::len), Some(1), "{items}");
}

/// Issue 20 ("codes dropped on the way out"): refusals that printed a sentence without its code
/// (every `import-kit` refusal, a bad amount, a bad CID, a missing password) or with an OS error
/// number now print one `error:` line ending with a stable `[family.code]`.
#[test]
fn every_refusal_ends_with_its_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let empty_kit = dir.path().join("empty-kit");
    std::fs::create_dir(&empty_kit).expect("mkdir");
    let bad_manifest = dir.path().join("bad-manifest");
    std::fs::create_dir(&bad_manifest).expect("mkdir");
    std::fs::write(bad_manifest.join("manifest.json"), b"{\"format\": 7").expect("write");
    let forged_kit = dir.path().join("forged-kit");
    std::fs::create_dir(&forged_kit).expect("mkdir");
    std::fs::write(
        forged_kit.join("manifest.json"),
        br#"{"format":"hallmark-exit-kit/1","works":[]}"#,
    )
    .expect("write");
    let not_zip = dir.path().join("not-a-bundle.zip");
    std::fs::write(&not_zip, b"plain text, not a zip").expect("write");
    let keystore = dir.path().join("keystore.json");
    std::fs::write(&keystore, b"{\"version\": 3}").expect("write");
    // The definition's pbkdf2 vector with a 16-byte dklen: the keystore crate Hallmark used
    // before panicked on it ("internal error … please report this").
    let short_dklen = dir.path().join("short-dklen.json");
    std::fs::write(
        &short_dklen,
        br#"{"version":3,"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},"ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2","kdfparams":{"c":262144,"dklen":16,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},"mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"}}"#,
    )
    .expect("write");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["import-kit", empty_kit.to_str().expect("utf-8")],
            "kit.",
        ),
        (
            vec!["import-kit", bad_manifest.to_str().expect("utf-8")],
            "kit.",
        ),
        (
            vec!["import-kit", forged_kit.to_str().expect("utf-8")],
            "kit.",
        ),
        (
            vec!["verify", not_zip.to_str().expect("utf-8"), "--offline"],
            "evidence.",
        ),
        (vec!["ipfs", "cat", "not-a-cid"], "request.invalid"),
        (vec!["browse", "--max-price", "12.5.0"], "request.invalid"),
        (
            vec![
                "wallet",
                "import-keystore",
                keystore.to_str().expect("utf-8"),
                "--label",
                "K",
            ],
            "wallet.",
        ),
        (
            vec![
                "wallet",
                "import-keystore",
                short_dklen.to_str().expect("utf-8"),
                "--label",
                "K",
            ],
            "wallet.not_a_keystore",
        ),
    ];
    for (args, code) in cases {
        let shown = args.join(" ");
        let output = cli()
            .command(&data)
            .args(&args)
            .env("HALLMARK_PASSWORD", "correct horse battery staple")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("hallmark runs");
        let err = stderr(&output);
        assert!(!output.status.success(), "{shown}: {err}");
        let lines: Vec<&str> = err.lines().collect();
        let error = lines.first().copied().unwrap_or_default();
        assert!(
            error.starts_with("error: ")
                && lines.iter().skip(1).all(|l| l.starts_with("hint: "))
                && lines.len() <= 2,
            "{shown}: {err}"
        );
        let bracket = error.rfind(" [").map(|at| &error[at + 2..]);
        assert!(
            bracket.is_some_and(|c| c.ends_with(']')
                && c.contains(code)
                && c[..c.len() - 1]
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '.' || ch == '_')),
            "{shown}: no code like {code}: {err}"
        );
        assert!(!err.contains("os error"), "{shown}: {err}");
        eprintln!("hallmark {shown}: {error}");
    }
}

/// Block files under the data folder's embedded store, with their paths.
fn block_files(data: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for shard in std::fs::read_dir(data.join("ipfs").join("blocks"))
        .into_iter()
        .flatten()
        .flatten()
    {
        found.extend(
            std::fs::read_dir(shard.path())
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path()),
        );
    }
    found.sort();
    found
}

/// Issue 20 ("unreferenced blocks are never left behind"): `hallmark health` finds the blocks
/// of the embedded store that nothing references (here: a work's blocks whose pin a crash lost,
/// older than the one-hour grace), says so with `health.problems`, and `health --fix` removes
/// exactly those; the pinned work stays whole.
#[test]
fn health_finds_and_removes_unreferenced_blocks() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let kept = dir.path().join("kept.png");
    noisy_png(&kept, 200, 31);
    let stray = dir.path().join("stray.png");
    noisy_png(&stray, 400, 32);
    let (output, _) = hallmark(&data, &["ingest", kept.to_str().expect("utf-8")]);
    assert_ok(&output, "ingest kept");
    let kept_blocks = block_files(&data);
    let (output, _) = hallmark(&data, &["ingest", "--json", stray.to_str().expect("utf-8")]);
    assert_ok(&output, "ingest stray");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let stray_cid = report["cid_v1"].as_str().expect("cid").to_owned();
    // A crash between storing and pinning: the pin is gone, the blocks are not.
    let (output, _) = hallmark(&data, &["ipfs", "pin", "rm", &stray_cid]);
    assert_ok(&output, "unpin");
    let old = std::time::SystemTime::now() - Duration::from_secs(2 * 3600);
    for file in block_files(&data) {
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(old))
            .expect("age");
    }
    let all_blocks = block_files(&data);

    let (output, _) = hallmark(&data, &["health"]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "{text}\n{}", stderr(&output));
    let strays: usize = text
        .split("UNREFERENCED BLOCKS: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in: {text}"));
    assert!(strays >= 3, "the stray picture's leaves and root: {text}");
    assert!(
        stderr(&output).contains("[health.problems]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(block_files(&data), all_blocks, "only counted");

    let (output, _) = hallmark(&data, &["health", "--fix"]);
    assert_ok(&output, "health --fix");
    assert!(String::from_utf8_lossy(&output.stdout).contains("removed"));
    let after = block_files(&data);
    assert_eq!(
        all_blocks.len() - after.len(),
        strays,
        "exactly the strays removed"
    );
    assert!(
        kept_blocks.iter().all(|b| after.contains(b)),
        "the kept work is whole"
    );
    let (output, _) = hallmark(&data, &["ipfs", "cat", &stray_cid]);
    assert!(!output.status.success(), "the stray picture is gone");
    let (output, _) = hallmark(&data, &["health"]);
    assert_ok(&output, "health after the fix");
    assert_eq!(leftovers(&data), Vec::<PathBuf>::new());
}
