//! One CID pinned to several services at once, with a result per service.

use std::time::Duration;

use futures_util::future::join_all;

use crate::client::PinningClient;
use crate::error::{PinningError, PinningResult};
use crate::model::{Pin, PinStatus};

/// Pins to several configured services at once.
///
/// The requests run concurrently; one service failing never stops the others, and the report
/// says, per service, what happened.
#[derive(Debug, Clone, Default)]
pub struct MultiPin {
    clients: Vec<PinningClient>,
}

/// What one service answered.
#[derive(Debug)]
pub struct ServiceOutcome {
    /// The service's configured name.
    pub service: String,
    /// Its endpoint.
    pub endpoint: String,
    /// The pin request's status, or why it failed.
    pub result: PinningResult<PinStatus>,
}

/// The per-service results of a [`MultiPin`] operation, in the order the services were given.
#[derive(Debug)]
pub struct MultiPinReport {
    /// One entry per service.
    pub outcomes: Vec<ServiceOutcome>,
}

impl MultiPinReport {
    /// Every service succeeded.
    pub fn all_ok(&self) -> bool {
        self.outcomes.iter().all(|o| o.result.is_ok())
    }

    /// The services that succeeded, with their pin status.
    pub fn succeeded(&self) -> impl Iterator<Item = (&str, &PinStatus)> {
        self.outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().ok().map(|s| (o.service.as_str(), s)))
    }

    /// The services that failed, with their error.
    pub fn failed(&self) -> impl Iterator<Item = (&str, &PinningError)> {
        self.outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().err().map(|e| (o.service.as_str(), e)))
    }

    /// The outcome of the service called `name`.
    pub fn get(&self, name: &str) -> Option<&ServiceOutcome> {
        self.outcomes.iter().find(|o| o.service == name)
    }
}

impl MultiPin {
    /// Pins to these services.
    pub fn new(clients: Vec<PinningClient>) -> Self {
        Self { clients }
    }

    /// The services, in order.
    pub fn clients(&self) -> &[PinningClient] {
        &self.clients
    }

    /// `POST /pins` of `pin` to every service at once.
    ///
    /// Fails only if `pin` itself is invalid (then nothing is sent); each service's own failure
    /// is in the report.
    pub async fn add(&self, pin: &Pin) -> PinningResult<MultiPinReport> {
        pin.validate()?;
        Ok(self.run(|c| async move { c.add(pin).await }).await)
    }

    /// Like [`MultiPin::add`], then waits on each service (concurrently) until the pin is
    /// `pinned`, `failed` or `timeout` has passed (see [`PinningClient::wait_pinned`]).
    pub async fn add_and_wait(
        &self,
        pin: &Pin,
        timeout: Duration,
    ) -> PinningResult<MultiPinReport> {
        pin.validate()?;
        Ok(self
            .run(|c| async move {
                let st = c.add(pin).await?;
                if st.status.is_final() {
                    return match st.status {
                        crate::Status::Failed => Err(PinningError::PinFailed {
                            service: c.service().name().to_owned(),
                            requestid: st.requestid.clone(),
                            status: Box::new(st),
                        }),
                        _ => Ok(st),
                    };
                }
                c.wait_pinned(&st.requestid, timeout).await
            })
            .await)
    }

    async fn run<'a, F, Fut>(&'a self, op: F) -> MultiPinReport
    where
        F: Fn(&'a PinningClient) -> Fut,
        Fut: Future<Output = PinningResult<PinStatus>> + 'a,
    {
        let results = join_all(self.clients.iter().map(&op)).await;
        let outcomes = self
            .clients
            .iter()
            .zip(results)
            .map(|(c, result)| {
                if let Err(e) = &result {
                    tracing::info!(service = %c.service().name(), code = e.code(), error = %e, "multi-pin: service failed");
                }
                ServiceOutcome {
                    service: c.service().name().to_owned(),
                    endpoint: c.service().endpoint().to_string(),
                    result,
                }
            })
            .collect();
        MultiPinReport { outcomes }
    }
}
