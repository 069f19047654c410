//! One data folder's dev chain, shared by every Hallmark process that opens the folder.
//!
//! One process owns the chain: it holds an exclusive lock on `chain/owner.lock` (the kernel
//! releases it when the process exits, however it exits) and is the only one that starts anvil.
//! An owner that lasts (`hallmark chain up`, the app) shares its chain; a one-off command keeps
//! it to itself, since the chain stops when the command ends (the lock file says which, with
//! the owner's pid). Once a shared chain serves (contracts deployed), the owner writes
//! `chain/serving.json` atomically:
//! the RPC URL, the chain id, the genesis block hash and its pid. Any other process on the same
//! folder (a CLI command while `hallmark chain up` or the app runs) finds the record, checks that
//! the owner is alive and that the URL answers with the recorded chain id and genesis block, and
//! uses that chain instead of starting one. The owner removes the record before it stops anvil.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use crate::error::EngineError;
use crate::fsutil::write_atomically;
use crate::rpc::RpcEndpoint;

/// The lock file, holding the owner's pid while it is held.
const LOCK_FILE: &str = "owner.lock";
/// The record of the serving chain.
const RECORD_FILE: &str = "serving.json";
/// In the lock file: the owner shares its chain.
const SHARED: &str = "shared";
/// In the lock file: the owner keeps its chain to itself.
const PRIVATE: &str = "private";
/// How long a process waits for another one that is starting the chain (a first start also
/// deploys the contracts and seeds the demo accounts).
const STARTING_WAIT: Duration = Duration::from_secs(120);
/// How often it looks again while it waits.
const POLL: Duration = Duration::from_millis(250);
/// Timeout of a user's calls to a chain served by another process.
const SERVED_RPC_TIMEOUT: Duration = Duration::from_secs(3);

/// What the owner records once its chain serves.
#[derive(Debug, Serialize, Deserialize)]
struct ServingRecord {
    url: String,
    chain_id: u64,
    genesis_hash: String,
    owner_pid: u32,
}

/// The lock of the process that owns a data folder's dev chain (released when dropped).
#[derive(Debug)]
pub(crate) struct OwnerLock {
    _file: File,
}

/// A dev chain served by another process of the same data folder.
#[derive(Debug, Clone)]
pub(crate) struct ServedChain {
    /// Its JSON-RPC endpoint, checked to answer with the recorded chain id and genesis block.
    pub(crate) rpc: RpcEndpoint,
    /// The process that owns it (`hallmark chain up` or the app).
    pub(crate) owner_pid: u32,
}

/// The outcome of [`claim`].
#[derive(Debug)]
pub(crate) enum Claim {
    /// This process owns the chain now and starts it.
    Owner(OwnerLock),
    /// Another process serves it.
    Served(ServedChain),
}

/// Takes the ownership of the dev chain of `chain_dir` when nobody holds it (`shared`: offer it
/// to the other processes once it serves), else finds the chain another process serves,
/// waiting while that process is still starting it.
pub(crate) async fn claim(
    chain_dir: &Path,
    chain_id: u64,
    shared: bool,
) -> Result<Claim, EngineError> {
    let deadline = Instant::now() + STARTING_WAIT;
    loop {
        if let Some(lock) = try_own(chain_dir, shared)? {
            return Ok(Claim::Owner(lock));
        }
        if let Some(served) = find_served(chain_dir, chain_id).await {
            info!(
                url = served.rpc.url(),
                owner = served.owner_pid,
                "using the dev chain another process serves"
            );
            return Ok(Claim::Served(served));
        }
        let holder = lock_holder(chain_dir);
        if let Some(Holder { pid, shared: false }) = holder {
            return Err(EngineError::DevChain {
                reason: format!(
                    "another Hallmark command (pid {pid}) is using the dev chain of this data folder until it ends; run `hallmark chain up` to share one chain between commands"
                ),
            });
        }
        if Instant::now() >= deadline {
            return Err(EngineError::DevChain {
                reason: format!(
                    "another Hallmark process{} owns the dev chain of this data folder but it did not start serving within {} s",
                    holder
                        .map(|h| format!(" (pid {})", h.pid))
                        .unwrap_or_default(),
                    STARTING_WAIT.as_secs()
                ),
            });
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Takes the owner lock if nobody holds it, noting whether the chain is `shared`; `None` when
/// another process holds it. A record left by an owner that died is removed.
pub(crate) fn try_own(chain_dir: &Path, shared: bool) -> Result<Option<OwnerLock>, EngineError> {
    let path = chain_dir.join(LOCK_FILE);
    let failed = |e: std::io::Error| EngineError::DevChain {
        reason: format!("cannot use {}: {e}", path.display()),
    };
    std::fs::create_dir_all(chain_dir).map_err(failed)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(failed)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => return Ok(None),
        Err(TryLockError::Error(e)) => return Err(failed(e)),
    }
    // What the lock file says only tells the waiting processes whom they wait for; the lock is
    // what counts.
    let holder = format!(
        "{} {}",
        std::process::id(),
        if shared { SHARED } else { PRIVATE }
    );
    if let Err(e) = file
        .set_len(0)
        .and_then(|()| file.write_all(holder.as_bytes()))
    {
        warn!(error = %e, "cannot write the owner into the dev chain lock file");
    }
    withdraw(chain_dir);
    Ok(Some(OwnerLock { _file: file }))
}

/// The chain another process serves for `chain_dir`, if its record is there, its owner alive and
/// its URL answers with the recorded chain id (which must be `chain_id`) and genesis block.
pub(crate) async fn find_served(chain_dir: &Path, chain_id: u64) -> Option<ServedChain> {
    let bytes = std::fs::read(chain_dir.join(RECORD_FILE)).ok()?;
    let record: ServingRecord = serde_json::from_slice(&bytes).ok()?;
    let owner = i32::try_from(record.owner_pid).ok()?;
    if record.chain_id != chain_id || !super::is_alive(owner) {
        return None;
    }
    let rpc = RpcEndpoint::new(record.url, SERVED_RPC_TIMEOUT).ok()?;
    if rpc.chain_id().await.ok()? != chain_id
        || rpc.genesis_hash().await.ok()? != record.genesis_hash
    {
        return None;
    }
    Some(ServedChain {
        rpc,
        owner_pid: record.owner_pid,
    })
}

/// Records that this process serves the chain at `rpc` (call it once the contracts are
/// deployed). Failing to write it only keeps other processes from sharing the chain.
pub(crate) async fn announce(chain_dir: &Path, rpc: &RpcEndpoint, chain_id: u64) {
    let record = match rpc.genesis_hash().await {
        Ok(genesis_hash) => ServingRecord {
            url: rpc.url().to_owned(),
            chain_id,
            genesis_hash,
            owner_pid: std::process::id(),
        },
        Err(e) => {
            warn!(error = %e, "cannot read the dev chain's genesis block; it is not shared");
            return;
        }
    };
    let written = serde_json::to_vec_pretty(&record)
        .map_err(std::io::Error::other)
        .and_then(|bytes| write_atomically(&chain_dir.join(RECORD_FILE), &bytes));
    if let Err(e) = written {
        warn!(error = %e, "cannot record the serving dev chain; other processes cannot share it");
    }
}

/// Removes the serving record (the owner stops, or a dead owner's record is found).
pub(crate) fn withdraw(chain_dir: &Path) {
    let _ = std::fs::remove_file(chain_dir.join(RECORD_FILE));
}

/// The owner of a chain, as its lock file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Holder {
    pid: u32,
    shared: bool,
}

/// The live owner the lock file names (a file left by an owner that died names nobody).
fn lock_holder(chain_dir: &Path) -> Option<Holder> {
    let text = std::fs::read_to_string(chain_dir.join(LOCK_FILE)).ok()?;
    let (pid, mode) = text.trim().split_once(' ')?;
    let pid: u32 = pid.parse().ok()?;
    let shared = match mode {
        SHARED => true,
        PRIVATE => false,
        _ => return None,
    };
    super::is_alive(i32::try_from(pid).ok()?).then_some(Holder { pid, shared })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_owner_at_a_time_and_the_lock_is_released_on_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chain_dir = dir.path().join("chain");
        let me = std::process::id();
        let first = try_own(&chain_dir, false).expect("lock").expect("owner");
        let private = Holder {
            pid: me,
            shared: false,
        };
        assert_eq!(lock_holder(&chain_dir), Some(private));
        assert!(try_own(&chain_dir, true).expect("lock").is_none(), "held");
        drop(first);
        let second = try_own(&chain_dir, true).expect("lock").expect("released");
        let shared = Holder {
            pid: me,
            shared: true,
        };
        assert_eq!(lock_holder(&chain_dir), Some(shared));
        drop(second);
    }

    #[tokio::test]
    async fn a_command_that_keeps_its_chain_to_itself_is_named_at_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chain_dir = dir.path().join("chain");
        let _private = try_own(&chain_dir, false).expect("lock").expect("owner");
        let started = Instant::now();
        let err = claim(&chain_dir, 31337, true).await.expect_err("refused");
        assert!(started.elapsed() < Duration::from_secs(5));
        let text = err.to_string();
        let named = format!("pid {}", std::process::id());
        assert!(text.contains(&named) && text.contains("chain up"), "{text}");
    }

    #[tokio::test]
    async fn a_record_whose_chain_does_not_answer_is_not_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chain_dir = dir.path().join("chain");
        std::fs::create_dir_all(&chain_dir).expect("mkdir");
        let port = super::super::free_port().expect("port");
        let record = ServingRecord {
            url: format!("http://127.0.0.1:{port}"),
            chain_id: 31337,
            genesis_hash: format!("0x{}", "ab".repeat(32)),
            owner_pid: std::process::id(),
        };
        let bytes = serde_json::to_vec(&record).expect("json");
        std::fs::write(chain_dir.join(RECORD_FILE), bytes).expect("write");
        assert!(find_served(&chain_dir, 31337).await.is_none());
        // Taking the lock forgets a record left behind.
        let _lock = try_own(&chain_dir, true).expect("lock").expect("owner");
        assert!(!chain_dir.join(RECORD_FILE).exists());
    }
}
