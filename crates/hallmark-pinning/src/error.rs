//! Typed errors with stable codes.

use std::time::Duration;

use crate::model::{PinStatus, Status};

/// `Result` with [`PinningError`].
pub type PinningResult<T> = Result<T, PinningError>;

/// What went wrong talking to a pinning service.
///
/// Every variant has a stable [`code`](PinningError::code) for the UI and logs. Service-side
/// failures carry the spec's `Failure.error.reason` (a machine code such as `INSUFFICIENT_FUNDS`)
/// and `details` (text for humans), both cut to 500 characters. No variant ever holds the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PinningError {
    /// A value was refused before anything was sent (bad CID, name too long, limit out of range…).
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Which input (`cid`, `name`, `origins`, `meta`, `limit`, `endpoint`, `token`…).
        field: &'static str,
        /// Why.
        reason: String,
    },
    /// 401: the access token is missing or invalid.
    #[error("pinning service '{service}' refused the access token (401): {}", with_details(.reason, .details))]
    Unauthorized {
        /// The service's configured name.
        service: String,
        /// `Failure.error.reason`.
        reason: String,
        /// `Failure.error.details`.
        details: Option<String>,
    },
    /// 404: the pin request (or the endpoint) does not exist.
    #[error("pinning service '{service}': not found (404): {}", with_details(.reason, .details))]
    NotFound {
        /// The service's configured name.
        service: String,
        /// `Failure.error.reason`.
        reason: String,
        /// `Failure.error.details`.
        details: Option<String>,
    },
    /// 400: the service refused the request.
    #[error("pinning service '{service}' rejected the request (400): {}", with_details(.reason, .details))]
    BadRequest {
        /// The service's configured name.
        service: String,
        /// `Failure.error.reason`.
        reason: String,
        /// `Failure.error.details`.
        details: Option<String>,
    },
    /// 409: the account has insufficient funds.
    #[error("pinning service '{service}': insufficient funds (409): {}", with_details(.reason, .details))]
    InsufficientFunds {
        /// The service's configured name.
        service: String,
        /// `Failure.error.reason`.
        reason: String,
        /// `Failure.error.details`.
        details: Option<String>,
    },
    /// 429: too many requests.
    #[error("pinning service '{service}' is rate limiting us (429){}: {}",
        .retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default(),
        with_details(.reason, .details))]
    RateLimited {
        /// The service's configured name.
        service: String,
        /// `Failure.error.reason`.
        reason: String,
        /// `Failure.error.details`.
        details: Option<String>,
        /// The `Retry-After` header, when it was given in seconds.
        retry_after: Option<Duration>,
    },
    /// Another 4XX (the spec's "custom service error").
    #[error("pinning service '{service}' error ({status}): {}", with_details(.reason, .details))]
    Service {
        /// The service's configured name.
        service: String,
        /// HTTP status.
        status: u16,
        /// `Failure.error.reason`.
        reason: String,
        /// `Failure.error.details`.
        details: Option<String>,
    },
    /// 5XX: the service failed.
    #[error("pinning service '{service}' failed ({status}): {}", with_details(.reason, .details))]
    Server {
        /// The service's configured name.
        service: String,
        /// HTTP status.
        status: u16,
        /// `Failure.error.reason`.
        reason: String,
        /// `Failure.error.details`.
        details: Option<String>,
    },
    /// No answer: connection refused or reset, DNS failure, or a timeout.
    #[error("pinning service '{service}' at {endpoint} is unreachable: {reason}")]
    Unreachable {
        /// The service's configured name.
        service: String,
        /// The endpoint URL.
        endpoint: String,
        /// What happened, e.g. "connection refused" or "timed out after 30 s".
        reason: String,
        /// The request or connection timed out.
        timed_out: bool,
    },
    /// The TLS handshake failed: the service's certificate is untrusted, expired or for
    /// another host.
    #[error("pinning service '{service}' at {endpoint} cannot be trusted: {problem}")]
    Tls {
        /// The service's configured name.
        service: String,
        /// The endpoint URL.
        endpoint: String,
        /// What is wrong with its certificate.
        problem: hallmark_net::TlsProblem,
    },
    /// The answer does not follow the spec (not JSON, missing fields, unknown status, too large…).
    #[error("pinning service '{service}' sent an invalid response: {reason}")]
    InvalidResponse {
        /// The service's configured name.
        service: String,
        /// What was wrong.
        reason: String,
    },
    /// `wait_pinned`: the service reports the pin as `failed`.
    #[error("pinning service '{service}': pin request {requestid} failed{}",
        .status.info.get("status_details").map(|d| format!(": {}", clip(d))).unwrap_or_default())]
    PinFailed {
        /// The service's configured name.
        service: String,
        /// The pin request.
        requestid: String,
        /// The final status (see `info["status_details"]`).
        status: Box<PinStatus>,
    },
    /// `wait_pinned`: neither `pinned` nor `failed` before the timeout.
    #[error("pinning service '{service}': pin request {requestid} still {} after {} s",
        .last.map_or("unknown", |s| s.as_str()), .waited.as_secs())]
    WaitTimeout {
        /// The service's configured name.
        service: String,
        /// The pin request.
        requestid: String,
        /// The last status seen (`None` if no poll got an answer).
        last: Option<Status>,
        /// How long we waited.
        waited: Duration,
    },
    /// The HTTP client could not be set up.
    #[error("could not set up the HTTP client: {reason}")]
    ClientSetup {
        /// Why.
        reason: String,
    },
}

impl PinningError {
    /// A stable, machine-readable code: `invalid_input`, `unauthorized`, `not_found`,
    /// `bad_request`, `insufficient_funds`, `rate_limited`, `service_error`, `server_error`,
    /// `unreachable`, `invalid_response`, `pin_failed`, `wait_timeout`, `client_setup`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidInput { .. } => "invalid_input",
            Self::Unauthorized { .. } => "unauthorized",
            Self::NotFound { .. } => "not_found",
            Self::BadRequest { .. } => "bad_request",
            Self::InsufficientFunds { .. } => "insufficient_funds",
            Self::RateLimited { .. } => "rate_limited",
            Self::Service { .. } => "service_error",
            Self::Server { .. } => "server_error",
            Self::Unreachable { .. } => "unreachable",
            Self::Tls { .. } => "tls",
            Self::InvalidResponse { .. } => "invalid_response",
            Self::PinFailed { .. } => "pin_failed",
            Self::WaitTimeout { .. } => "wait_timeout",
            Self::ClientSetup { .. } => "client_setup",
        }
    }

    /// Worth trying again later: `unreachable`, `server_error`, `rate_limited`.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Unreachable { .. } | Self::Server { .. } | Self::RateLimited { .. }
        )
    }

    /// The HTTP status this error came from, if it came from one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized { .. } => Some(401),
            Self::NotFound { .. } => Some(404),
            Self::BadRequest { .. } => Some(400),
            Self::InsufficientFunds { .. } => Some(409),
            Self::RateLimited { .. } => Some(429),
            Self::Service { status, .. } | Self::Server { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The service's `Failure.error.reason`, for errors that carry one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Unauthorized { reason, .. }
            | Self::NotFound { reason, .. }
            | Self::BadRequest { reason, .. }
            | Self::InsufficientFunds { reason, .. }
            | Self::RateLimited { reason, .. }
            | Self::Service { reason, .. }
            | Self::Server { reason, .. } => Some(reason),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}

/// Longest reason/details text kept from a service (a mock sends whole stack traces).
pub(crate) const MAX_TEXT: usize = 500;

/// `text` cut to [`MAX_TEXT`] characters, control characters replaced.
pub(crate) fn clip(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(MAX_TEXT)
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    if text.chars().count() > MAX_TEXT {
        out.push('…');
    }
    out
}

fn with_details(reason: &str, details: &Option<String>) -> String {
    match details {
        Some(d) if !d.trim().is_empty() => format!("{reason} ({})", first_line(d)),
        _ => reason.to_owned(),
    }
}

/// The first line of `details` (enough for a message; the field keeps all of it).
fn first_line(d: &str) -> &str {
    d.lines().next().unwrap_or_default().trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_carry_the_reason() {
        let e = PinningError::BadRequest {
            service: "svc".into(),
            reason: "BAD_CID".into(),
            details: Some("cid is not valid\n  at stack".into()),
        };
        assert_eq!(e.code(), "bad_request");
        assert_eq!(e.http_status(), Some(400));
        assert_eq!(e.reason(), Some("BAD_CID"));
        assert_eq!(
            e.to_string(),
            "pinning service 'svc' rejected the request (400): BAD_CID (cid is not valid)"
        );
        let e = PinningError::RateLimited {
            service: "svc".into(),
            reason: "SLOW_DOWN".into(),
            details: None,
            retry_after: Some(Duration::from_secs(3)),
        };
        assert_eq!(e.code(), "rate_limited");
        assert!(e.is_retryable());
        assert_eq!(
            e.to_string(),
            "pinning service 'svc' is rate limiting us (429), retry after 3 s: SLOW_DOWN"
        );
    }

    #[test]
    fn clip_bounds_service_text() {
        let long = "x".repeat(2000);
        assert_eq!(clip(&long).chars().count(), MAX_TEXT + 1);
        assert_eq!(clip("a\u{7}b"), "a b");
    }
}
