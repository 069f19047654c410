//! [`Anvil`]: a throwaway anvil dev chain for a test, on a port anvil picks itself (no race with
//! other tests for a "free" port), killed when dropped.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The chain id of every test chain unless a test asks for another.
pub const CHAIN_ID: u64 = 31337;

/// The anvil the project installs (`scripts/setup.sh test`): `$HALLMARK_ANVIL`, else
/// `$HALLMARK_TOOLS/bin/anvil`, else `~/.local/hallmark-tools/bin/anvil`, else `anvil` on
/// `PATH`. Panics with the fix when there is none.
pub fn anvil_path() -> PathBuf {
    let mut candidates: Vec<PathBuf> = Vec::new();
    candidates.extend(std::env::var_os("HALLMARK_ANVIL").map(PathBuf::from));
    if let Some(tools) = std::env::var_os("HALLMARK_TOOLS") {
        candidates.push(PathBuf::from(tools).join("bin/anvil"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(PathBuf::from(home).join(".local/hallmark-tools/bin/anvil"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|dir| dir.join("anvil")));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .expect("anvil is not installed (run `scripts/setup.sh test` or set HALLMARK_ANVIL)")
}

/// How to start an anvil: [`Anvil::builder`].
#[derive(Debug, Clone)]
pub struct AnvilBuilder {
    chain_id: u64,
    args: Vec<OsString>,
    timeout: Duration,
}

impl AnvilBuilder {
    /// Another chain id than [`CHAIN_ID`].
    pub fn chain_id(mut self, chain_id: u64) -> Self {
        self.chain_id = chain_id;
        self
    }

    /// Extra command-line arguments (e.g. `--load-state FILE`).
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// How long anvil may take to listen (default 20 s; loading a large state takes longer).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Starts anvil on `127.0.0.1` and waits until it listens. Panics when it cannot.
    pub fn spawn(self) -> Anvil {
        // anvil moves old block states to disk; left in `~/.foundry/anvil/tmp` by a killed
        // anvil they once filled the disk (2 GB a test run). Here they live and die with the test.
        let cache = tempfile::tempdir().expect("a temporary directory for anvil's states");
        let mut child = Command::new(anvil_path())
            .args(["--host", "127.0.0.1", "--port", "0", "--chain-id"])
            .arg(self.chain_id.to_string())
            .arg("--cache-path")
            .arg(cache.path())
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil starts");
        let stdout = child.stdout.take().expect("piped stdout");
        // anvil prints `Listening on 127.0.0.1:PORT` once it serves; the reader then keeps
        // draining its log so that anvil never blocks on a full pipe.
        let (found, port) = mpsc::channel();
        std::thread::spawn(move || {
            let mut announced = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !announced && let Some(port) = listening_port(&line) {
                    announced = true;
                    let _ = found.send(port);
                }
            }
        });
        let deadline = Instant::now() + self.timeout;
        let port = match port.recv_timeout(self.timeout) {
            Ok(port) => port,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("anvil did not listen within {:?}", self.timeout);
            }
        };
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "anvil did not accept connections"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Anvil {
            child,
            port,
            _cache: cache,
        }
    }
}

/// The port of anvil's `Listening on HOST:PORT` line.
fn listening_port(line: &str) -> Option<u16> {
    line.trim()
        .strip_prefix("Listening on ")?
        .rsplit_once(':')?
        .1
        .parse()
        .ok()
}

/// A running anvil, killed on drop.
#[derive(Debug)]
pub struct Anvil {
    child: Child,
    port: u16,
    /// anvil's on-disk block states, removed after the process is gone (fields drop after `drop`).
    _cache: tempfile::TempDir,
}

impl Anvil {
    /// An automining anvil with chain id [`CHAIN_ID`].
    pub fn start() -> Self {
        Self::builder().spawn()
    }

    /// An anvil to configure before starting it.
    pub fn builder() -> AnvilBuilder {
        AnvilBuilder {
            chain_id: CHAIN_ID,
            args: Vec::new(),
            timeout: Duration::from_secs(20),
        }
    }

    /// Its JSON-RPC URL, `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Moves the chain's clock `seconds` forward and mines `blocks` empty blocks (anvil's
    /// `evm_increaseTime` and `evm_mine`).
    pub fn advance(&self, seconds: u64, blocks: u32) {
        self.rpc("evm_increaseTime", &format!("[{seconds}]"));
        for _ in 0..blocks {
            self.rpc("evm_mine", "[]");
        }
    }

    /// One JSON-RPC call over a plain blocking HTTP/1.0 request; panics unless it answers
    /// with a result.
    fn rpc(&self, method: &str, params: &str) -> String {
        use std::io::{Read, Write};
        let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#);
        let mut stream =
            std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("anvil listens");
        let request = format!(
            "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("request");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("answer");
        assert!(answer.contains("\"result\""), "{method}: {answer}");
        answer
    }

    /// Stops it with SIGTERM, so that it writes its `--dump-state` file, and waits up to
    /// `grace` before killing it.
    pub fn stop(mut self, grace: Duration) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // Drop kills what did not stop in time.
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::listening_port;

    #[test]
    fn the_port_is_read_from_the_listening_line() {
        assert_eq!(listening_port("Listening on 127.0.0.1:40817"), Some(40817));
        assert_eq!(
            listening_port("  Listening on 127.0.0.1:8545\n"),
            Some(8545)
        );
        assert_eq!(listening_port("Available Accounts"), None);
        assert_eq!(listening_port("Listening on 127.0.0.1:port"), None);
    }
}
