//! The embedded dev chain: an anvil process started, owned and stopped by the engine.
//!
//! anvil listens on 127.0.0.1 only, with a fixed chain id, and persists its state to
//! `<data_dir>/chain/anvil-state.json` (dumped every few seconds and on a clean stop), so works
//! minted in one session are there in the next. A pid file lets a new session stop an anvil that a
//! crashed session left behind. One process owns a data folder's chain at a time; the others use
//! the chain it serves ([`serving`]).

mod serving;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::process::{Child, Command};
use tracing::{info, warn};

use crate::error::EngineError;
use crate::rpc::RpcEndpoint;
pub(crate) use serving::{Claim, OwnerLock, ServedChain, claim, find_served};

/// How long anvil may take to answer its first JSON-RPC call.
const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a clean stop may take (anvil dumps its state on SIGTERM).
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// What the dev chain needs to start.
#[derive(Debug, Clone)]
pub struct DevChainOptions {
    /// The anvil binary.
    pub anvil: PathBuf,
    /// Folder for the state file, pid file and log.
    pub chain_dir: PathBuf,
    /// Port on 127.0.0.1; `None` picks a free one.
    pub port: Option<u16>,
    /// Chain id.
    pub chain_id: u64,
}

/// A running anvil owned by this process.
#[derive(Debug)]
pub struct DevChain {
    child: Child,
    rpc: RpcEndpoint,
    pid_file: PathBuf,
    chain_dir: PathBuf,
    chain_id: u64,
    /// Held while this process owns the chain (dropped last).
    _owner: OwnerLock,
}

impl DevChain {
    /// Starts anvil and waits until it answers with the expected chain id. Refused while another
    /// process owns the dev chain of `options.chain_dir` (the engine uses that one instead).
    pub async fn start(options: &DevChainOptions) -> Result<Self, EngineError> {
        match serving::try_own(&options.chain_dir, false)? {
            Some(owner) => Self::start_owned(options, owner).await,
            None => Err(EngineError::DevChain {
                reason: "another Hallmark process owns the dev chain of this data folder"
                    .to_owned(),
            }),
        }
    }

    /// [`start`](Self::start) once this process holds the owner lock.
    pub(crate) async fn start_owned(
        options: &DevChainOptions,
        owner: OwnerLock,
    ) -> Result<Self, EngineError> {
        let failed = |reason: String| EngineError::DevChain { reason };
        let pid_file = options.chain_dir.join("anvil.pid");
        stop_orphan(&pid_file)?;
        // anvil moves old block states to disk. A killed anvil leaves them behind, so they live in
        // the chain directory (not `~/.foundry/anvil/tmp`) and are cleared at every start: the
        // chain itself is restored from `anvil-state.json`.
        let cache = options.chain_dir.join("anvil-cache");
        if cache.exists() {
            std::fs::remove_dir_all(&cache)
                .map_err(|e| failed(format!("cannot clear {}: {e}", cache.display())))?;
        }

        let port = match options.port {
            Some(port) => port,
            None => free_port().map_err(|e| failed(format!("no free port on 127.0.0.1: {e}")))?,
        };
        let log_path = options.chain_dir.join("anvil.log");
        let log = std::fs::File::create(&log_path)
            .map_err(|e| failed(format!("cannot write {}: {e}", log_path.display())))?;
        let state = options.chain_dir.join("anvil-state.json");
        let mut command = Command::new(&options.anvil);
        stop_with_parent(&mut command);
        let child = command
            .arg("--host")
            .arg("127.0.0.1")
            // No CORS headers: a web page in the user's browser cannot read answers from the dev
            // chain or send it JSON (anvil's default is `Access-Control-Allow-Origin: *`).
            .arg("--no-cors")
            .arg("--port")
            .arg(port.to_string())
            .arg("--chain-id")
            .arg(options.chain_id.to_string())
            .arg("--state")
            .arg(&state)
            .arg("--state-interval")
            .arg("5")
            .arg("--cache-path")
            .arg(&cache)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                failed(format!(
                    "cannot start anvil at {}: {e} (run `make run` or scripts/setup.sh to install it)",
                    options.anvil.display()
                ))
            })?;
        if let Some(pid) = child.id() {
            // A stale pid file is only a hint for the next start; not being able to write it is not fatal.
            if let Err(e) = std::fs::write(&pid_file, pid.to_string()) {
                warn!(error = %e, "cannot write the dev chain pid file");
            }
        }
        let url = format!("http://127.0.0.1:{port}");
        let rpc = RpcEndpoint::new(url, Duration::from_secs(2))?;
        let mut chain = Self {
            child,
            rpc,
            pid_file,
            chain_dir: options.chain_dir.clone(),
            chain_id: options.chain_id,
            _owner: owner,
        };
        chain.wait_ready(options.chain_id, &log_path).await?;
        chain.keep_time_monotonic().await?;
        info!(
            url = chain.rpc.url(),
            chain_id = options.chain_id,
            "dev chain ready"
        );
        Ok(chain)
    }

    async fn wait_ready(&mut self, chain_id: u64, log_path: &Path) -> Result<(), EngineError> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = std::fs::read_to_string(log_path).unwrap_or_default();
                let tail: String = log.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
                return Err(EngineError::DevChain {
                    reason: format!("anvil exited ({status}) before it was ready: {tail}"),
                });
            }
            match self.rpc.chain_id().await {
                Ok(id) if id == chain_id => return Ok(()),
                Ok(id) => {
                    return Err(EngineError::DevChain {
                        reason: format!("anvil reports chain id {id}, expected {chain_id}"),
                    });
                }
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(EngineError::DevChain {
                        reason: format!("anvil did not answer within {READY_TIMEOUT:?}: {e}"),
                    });
                }
            }
        }
    }

    /// Blocks mined in a burst (deployment, seeding) get timestamps one second apart, ahead of
    /// the wall clock; a restarted anvil would go back to the wall clock, so its next blocks
    /// would be *older* than the saved ones and time rules (holding periods) would misfire.
    /// Move the clock past the last saved block.
    async fn keep_time_monotonic(&self) -> Result<(), EngineError> {
        let latest = self.rpc.latest_block_timestamp().await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        if latest >= now {
            let ahead = latest - now + 1;
            self.rpc
                .admin("evm_increaseTime", serde_json::json!([ahead]))
                .await?;
            info!(
                seconds = ahead,
                "dev chain clock moved past the last saved block"
            );
        }
        Ok(())
    }

    /// The JSON-RPC endpoint of the running chain.
    pub fn rpc(&self) -> &RpcEndpoint {
        &self.rpc
    }

    /// Lets the other processes of this data folder use the chain: call it once the contracts
    /// are deployed.
    pub(crate) async fn announce(&self) {
        serving::announce(&self.chain_dir, &self.rpc, self.chain_id).await;
    }

    /// Stops anvil cleanly (SIGTERM, so it dumps its state), killing it if it does not exit in time.
    pub async fn stop(mut self) {
        // Nobody starts using a chain that is going away.
        serving::withdraw(&self.chain_dir);
        if let Some(pid) = self.child.id() {
            let pid = Pid::from_raw(pid as i32);
            if kill(pid, Signal::SIGTERM).is_ok()
                && tokio::time::timeout(STOP_TIMEOUT, self.child.wait())
                    .await
                    .is_err()
            {
                warn!("anvil did not stop on SIGTERM; killing it");
                let _ = self.child.kill().await;
            }
        }
        let _ = std::fs::remove_file(&self.pid_file);
        info!("dev chain stopped");
    }
}

impl Drop for DevChain {
    fn drop(&mut self) {
        // Before the owner lock is released: the record never outlives its owner.
        serving::withdraw(&self.chain_dir);
    }
}

/// Asks the kernel to send anvil SIGTERM (so it still dumps its state) if the app dies without
/// stopping it — a crash, SIGKILL — so no orphaned chain outlives the app.
#[allow(unsafe_code)]
fn stop_with_parent(command: &mut Command) {
    // SAFETY: the closure runs in the forked child before exec and only calls prctl(2), which is
    // async-signal-safe; it touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(Signal::SIGTERM).map_err(std::io::Error::from)
        });
    }
}

/// Finds anvil where the installation and the environment put it: `$HALLMARK_ANVIL`, the
/// project tools dir (`$HALLMARK_TOOLS`, `~/.local/hallmark-tools`), then `PATH`. Never from a data
/// folder or the webview.
pub fn find_anvil() -> Result<PathBuf, EngineError> {
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
        .ok_or_else(|| EngineError::DevChain {
            reason: "anvil is not installed (run `make run`, which installs it)".into(),
        })
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Stops an anvil left behind by a crashed session (its parent is gone), or refuses when a live
/// process still owns this data folder's chain.
fn stop_orphan(pid_file: &Path) -> Result<(), EngineError> {
    let Ok(text) = std::fs::read_to_string(pid_file) else {
        return Ok(());
    };
    let Ok(pid) = text.trim().parse::<i32>() else {
        let _ = std::fs::remove_file(pid_file);
        return Ok(());
    };
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let is_anvil = String::from_utf8_lossy(&cmdline).contains("anvil");
    if !is_anvil {
        let _ = std::fs::remove_file(pid_file);
        return Ok(());
    }
    let parent = parent_pid(pid);
    let orphaned = parent.is_none_or(|ppid| ppid == 1 || !is_alive(ppid));
    if !orphaned {
        return Err(EngineError::DevChain {
            reason: format!(
                "another Hallmark process (pid {}) owns the dev chain of this data folder",
                parent.unwrap_or(pid)
            ),
        });
    }
    warn!(
        pid,
        "stopping a dev chain left behind by an earlier session"
    );
    let pid = Pid::from_raw(pid);
    let _ = kill(pid, Signal::SIGTERM);
    let deadline = Instant::now() + STOP_TIMEOUT;
    while is_alive(pid.as_raw()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    if is_alive(pid.as_raw()) {
        let _ = kill(pid, Signal::SIGKILL);
    }
    let _ = std::fs::remove_file(pid_file);
    Ok(())
}

/// Asks the dev chain of `chain_dir` to stop, if one runs: its owner (the app or
/// `hallmark chain up`) gets SIGINT and stops it cleanly; an orphan gets SIGTERM. Returns the pid
/// signalled, or `None` when nothing was running.
pub fn request_stop(chain_dir: &Path) -> Option<i32> {
    let pid_file = chain_dir.join("anvil.pid");
    let pid = std::fs::read_to_string(&pid_file)
        .ok()?
        .trim()
        .parse::<i32>()
        .ok()?;
    if !is_alive(pid) {
        let _ = std::fs::remove_file(&pid_file);
        return None;
    }
    match parent_pid(pid) {
        Some(owner) if owner != 1 && is_alive(owner) => {
            let _ = kill(Pid::from_raw(owner), Signal::SIGINT);
            Some(owner)
        }
        _ => {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
            Some(pid)
        }
    }
}

fn parent_pid(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Format: pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

fn is_alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            stat.rfind(')')
                .and_then(|i| stat[i + 1..].split_whitespace().next())
                .is_some_and(|state| state != "Z")
        })
        .unwrap_or(false)
}
