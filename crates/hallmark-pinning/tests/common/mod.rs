//! Shared set-up: the real pinning service (tools/pinning/server.js, ipfs-shipyard's
//! mock-ipfs-pinning-service installed by `scripts/setup.sh test`) on a free loopback port, one per
//! test, stopped on drop; and a tiny TCP stub that answers canned bytes.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hallmark_pinning::{ClientOptions, PinningClient, PinningService, PollPolicy};

pub const TOKEN: &str = "test-token-7f3a";

/// Where `tools/pinning/setup.sh install` put the npm packages.
pub fn pinning_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HALLMARK_PINNING_DIR") {
        return PathBuf::from(dir);
    }
    let tools = std::env::var_os("HALLMARK_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".local/hallmark-tools")
        });
    tools.join("pinning")
}

fn server_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/pinning/server.js")
}

/// Fast polling for tests.
pub fn test_options() -> ClientOptions {
    ClientOptions {
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        poll: PollPolicy {
            initial: Duration::from_millis(50),
            max: Duration::from_millis(400),
            factor: 2.0,
        },
        ..ClientOptions::default()
    }
}

pub fn client_for(name: &str, url: &str, token: &str) -> PinningClient {
    let service = PinningService::new(name, url, token).expect("service config");
    PinningClient::with_options(service, test_options()).expect("client")
}

/// A running test server; killed on drop.
pub struct TestServer {
    child: Child,
    // held open: the server exits when it closes (if this test process dies)
    _stdin: ChildStdin,
    pub url: String,
    pub token: String,
    log: PathBuf,
}

impl TestServer {
    /// A fresh server (empty state) with `TOKEN`; pins without a status prefix in their name
    /// go queued → pinning after `progress_ms` → pinned after twice that (0: stay queued).
    pub fn start(progress_ms: u64) -> Self {
        Self::start_with_token(TOKEN, progress_ms)
    }

    pub fn start_with_token(token: &str, progress_ms: u64) -> Self {
        let dir = pinning_dir();
        let modules = dir.join("node_modules");
        assert!(
            modules
                .join("mock-ipfs-pinning-service/package.json")
                .is_file(),
            "the pinning test service is not installed in {} — run `bash scripts/setup.sh test` \
             (or `bash tools/pinning/setup.sh install`), or set HALLMARK_PINNING_DIR",
            dir.display()
        );
        let node = std::env::var_os("HALLMARK_NODE").unwrap_or_else(|| "node".into());
        let log = std::env::temp_dir().join(format!(
            "hallmark-pinning-test-{}-{}.log",
            std::process::id(),
            unique()
        ));
        let log_file = std::fs::File::create(&log).expect("server log file");
        let mut child = Command::new(&node)
            .arg(server_script())
            .args(["--modules".as_ref(), modules.as_os_str()])
            .args(["--port", "0", "--token", token, "--exit-with-stdin"])
            .args(["--progress-ms", &progress_ms.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run node ({}): {e} — run `bash scripts/setup.sh test`",
                    PathBuf::from(&node).display()
                )
            });
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("the pinning test service did not start (stdout: {line:?}); its log:\n{text}");
        };
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        Self {
            child,
            _stdin: stdin,
            url: url.to_owned(),
            token: token.to_owned(),
            log,
        }
    }

    pub fn client(&self, name: &str) -> PinningClient {
        client_for(name, &self.url, &self.token)
    }

    /// Stops the server now (for "service went down" tests).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A loopback port with nothing listening on it.
pub fn closed_port_url() -> String {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    format!("http://127.0.0.1:{port}")
}

/// A raw HTTP stub on 127.0.0.1, for answers a real service rarely gives. It stops after 20 s.
pub struct Stub {
    pub url: String,
    /// The head of each request received.
    pub requests: mpsc::Receiver<String>,
    _thread: JoinHandle<()>,
}

/// Answers up to `max_connections` connections with `response` (after reading the request);
/// `None` accepts and never answers (for timeouts).
pub fn stub(response: Option<Vec<u8>>, max_connections: usize) -> Stub {
    spawn_stub(vec![response; max_connections])
}

/// Answers the i-th connection with `responses[i]`.
pub fn stub_sequence(responses: Vec<Vec<u8>>) -> Stub {
    spawn_stub(responses.into_iter().map(Some).collect())
}

fn spawn_stub(answers: Vec<Option<Vec<u8>>>) -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind stub");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut answers = answers.into_iter();
        let mut held = Vec::new();
        let mut next = answers.next();
        while next.is_some() && Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let _ = tx.send(read_request(&stream));
                    match next.take().flatten() {
                        Some(bytes) => {
                            let mut s = stream;
                            let _ = s.write_all(&bytes);
                            let _ = s.flush();
                        }
                        None => held.push(stream),
                    }
                    next = answers.next();
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        // keep silent connections open until the deadline
        while !held.is_empty() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    Stub {
        url,
        requests: rx,
        _thread: thread,
    }
}

/// Reads the request head and `Content-Length` bytes of body; returns the head.
fn read_request(mut stream: &TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => break,
        }
    }
    let head = String::from_utf8_lossy(&buf).to_string();
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; len.min(1 << 20)];
    let _ = stream.read_exact(&mut body);
    head
}

/// An HTTP/1.1 response with `status` line, extra headers and body.
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Plausible distinct CIDv1 strings (base32, `bafy…`).
pub fn cid(i: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut tail = String::new();
    let mut n = i;
    for _ in 0..8 {
        tail.push(ALPHABET[n % 32] as char);
        n /= 32;
    }
    format!("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtq{tail}")
}
