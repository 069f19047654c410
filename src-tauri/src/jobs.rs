//! Long jobs the UI can cancel (ingest, mint, verification, proof export). The UI names each
//! job with an id of its choice; the command registers a [`CancelToken`] under it while it runs,
//! and `cancel_job` trips that token. The engine decides where a job may stop (a mint never stops
//! after its transaction is sent).

use std::collections::HashMap;
use std::sync::Mutex;

use hallmark_api::{CancelJobRequest, ErrorCode};
use hallmark_engine::CancelToken;
use tauri::State;

use crate::error::{CommandError, CommandResult};

/// Longest job id accepted.
const MAX_JOB_ID: usize = 64;

/// The running jobs, by the UI's id.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    running: Mutex<HashMap<String, CancelToken>>,
}

/// A registered job: its token, unregistered when the command returns.
pub(crate) struct JobGuard<'a> {
    jobs: &'a Jobs,
    id: Option<String>,
    /// What the engine checks.
    pub(crate) token: CancelToken,
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        if let Some(id) = &self.id
            && let Ok(mut running) = self.jobs.running.lock()
        {
            running.remove(id);
        }
    }
}

fn checked_id(id: &str) -> CommandResult<()> {
    let valid = !id.is_empty()
        && id.len() <= MAX_JOB_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(CommandError::invalid(
            "a job id is 1 to 64 letters, digits, '-' or '_'",
        ))
    }
}

impl Jobs {
    /// Registers a job under `id` (an anonymous one, which cannot be cancelled, without).
    pub(crate) fn start(&self, id: Option<String>) -> CommandResult<JobGuard<'_>> {
        let token = CancelToken::new();
        if let Some(id) = &id {
            checked_id(id)?;
            let mut running = self.running.lock().map_err(|_| {
                CommandError::new(ErrorCode::InternalJobs, "the job list is unusable")
            })?;
            if running.contains_key(id) {
                return Err(CommandError::invalid(
                    "a job with this id is already running",
                ));
            }
            running.insert(id.clone(), token.clone());
        }
        Ok(JobGuard {
            jobs: self,
            id,
            token,
        })
    }

    /// Trips the job `id`; whether it was running.
    pub(crate) fn cancel(&self, id: &str) -> CommandResult<bool> {
        checked_id(id)?;
        let running = self
            .running
            .lock()
            .map_err(|_| CommandError::new(ErrorCode::InternalJobs, "the job list is unusable"))?;
        Ok(match running.get(id) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        })
    }
}

/// Asks a running job to stop; `false` when no job has that id (it already ended).
#[tauri::command]
#[tracing::instrument(skip_all, fields(job = %request.job_id))]
pub(crate) fn cancel_job(jobs: State<'_, Jobs>, request: CancelJobRequest) -> CommandResult<bool> {
    jobs.cancel(&request.job_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_is_cancellable_while_it_runs_and_forgotten_after() {
        let jobs = Jobs::default();
        {
            let guard = jobs.start(Some("mint-1".into())).expect("start");
            assert!(jobs.start(Some("mint-1".into())).is_err(), "ids are unique");
            assert!(jobs.cancel("mint-1").expect("cancel"));
            assert!(guard.token.is_cancelled());
        }
        assert!(
            !jobs.cancel("mint-1").expect("cancel"),
            "ended jobs are gone"
        );
        assert!(
            jobs.start(Some("mint-1".into())).is_ok(),
            "the id is free again"
        );
    }

    #[test]
    fn bad_ids_are_refused() {
        let jobs = Jobs::default();
        for id in ["", "a b", "../x", &"x".repeat(65)] {
            assert!(jobs.start(Some(id.to_owned())).is_err(), "{id:?}");
            assert!(jobs.cancel(id).is_err(), "{id:?}");
        }
        let anonymous = jobs.start(None).expect("anonymous");
        assert!(!anonymous.token.is_cancelled());
    }
}
