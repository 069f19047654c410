//! Cancelling long jobs (ingest, mint, proof export, verification): the caller holds a
//! [`CancelToken`] and trips it; the job stops at its next safe point with
//! [`EngineError::Cancelled`].
//!
//! "Safe point" matters: a mint can be cancelled until its registration transaction is sent, never
//! after (a sent transaction cannot be called back, so the job finishes and reports it).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hallmark_unixfs::{BlockSink, Cid};
use tokio::sync::Notify;

use crate::error::EngineError;

/// A shared "stop" flag for one job. Clones trip the same flag.
#[derive(Debug, Clone, Default)]
pub struct CancelToken {
    inner: Arc<Flag>,
}

#[derive(Debug, Default)]
struct Flag {
    cancelled: AtomicBool,
    notify: Notify,
}

impl CancelToken {
    /// A token nobody has tripped.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the job to stop at its next safe point.
    pub fn cancel(&self) {
        self.inner.cancelled.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.inner.cancelled.load(Ordering::SeqCst)
    }

    /// `Err(Cancelled)` once the token is tripped: call it at each safe point.
    pub fn check(&self) -> Result<(), EngineError> {
        if self.is_cancelled() {
            Err(EngineError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Resolves when the token is tripped.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.notify.notified();
            tokio::pin!(notified);
            // Registered before the flag is read, so a `cancel` in between is not missed.
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }

    /// Runs `job`, dropping it at its next `.await` if the token is tripped. Only for jobs that
    /// are safe to drop anywhere (reads, and writes that land atomically).
    pub async fn run<T>(
        &self,
        job: impl Future<Output = Result<T, EngineError>>,
    ) -> Result<T, EngineError> {
        self.check()?;
        tokio::select! {
            biased;
            () = self.cancelled() => Err(EngineError::Cancelled),
            result = job => result,
        }
    }
}

/// Why a [`CancellableSink`] refused a block.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SinkError<E: std::error::Error + 'static> {
    /// The job was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The wrapped sink failed.
    #[error(transparent)]
    Inner(E),
}

/// Wraps a block sink so a streaming import stops at the next block once `token` is tripped.
#[derive(Debug)]
pub(crate) struct CancellableSink<S> {
    pub(crate) inner: S,
    pub(crate) token: CancelToken,
}

impl<S: BlockSink> BlockSink for CancellableSink<S> {
    type Error = SinkError<S::Error>;

    fn put(&mut self, cid: &Cid, block: &[u8]) -> Result<(), Self::Error> {
        if self.token.is_cancelled() {
            return Err(SinkError::Cancelled);
        }
        self.inner.put(cid, block).map_err(SinkError::Inner)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_tripped_token_stops_a_running_job() {
        let token = CancelToken::new();
        let trip = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            trip.cancel();
        });
        let outcome = token
            .run(async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok(())
            })
            .await;
        assert!(matches!(outcome, Err(EngineError::Cancelled)));
    }

    #[tokio::test]
    async fn an_untouched_token_lets_the_job_finish() {
        let token = CancelToken::new();
        assert_eq!(token.run(async { Ok(7) }).await.ok(), Some(7));
        assert!(token.check().is_ok());
        token.cancel();
        assert!(matches!(token.check(), Err(EngineError::Cancelled)));
        // A job started after the trip does not run at all.
        let ran = std::sync::atomic::AtomicBool::new(false);
        let outcome = token
            .run(async {
                ran.store(true, Ordering::SeqCst);
                Ok(())
            })
            .await;
        assert!(outcome.is_err() && !ran.load(Ordering::SeqCst));
    }

    #[test]
    fn the_sink_refuses_blocks_after_the_trip() {
        let token = CancelToken::new();
        let mut sink = CancellableSink {
            inner: hallmark_unixfs::NullSink,
            token: token.clone(),
        };
        let cid = Cid::for_block(
            hallmark_unixfs::CidVersion::V1,
            hallmark_unixfs::Codec::Raw,
            b"x",
        )
        .expect("cid");
        assert!(sink.put(&cid, b"x").is_ok());
        token.cancel();
        assert!(sink.put(&cid, b"x").is_err());
    }
}
