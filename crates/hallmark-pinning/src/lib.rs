//! A client of the IPFS Pinning Service API v1.0.0
//! (<https://ipfs.github.io/pinning-services-api-spec/>, `ipfs-pinning-service.yaml`).
//!
//! - [`PinningService`] is one configured service: a name, the endpoint, the access token (sent
//!   as `Authorization: Bearer <token>`, never printed, zeroized on drop).
//! - [`PinningClient`] speaks to it: [`add`](PinningClient::add) (`POST /pins`),
//!   [`get`](PinningClient::get) (`GET /pins/{requestid}`), [`list`](PinningClient::list)
//!   (`GET /pins` with [`ListFilter`]) and the spec's paging by `before`
//!   ([`pages`](PinningClient::pages), [`list_all`](PinningClient::list_all)),
//!   [`replace`](PinningClient::replace) (`POST /pins/{requestid}`),
//!   [`remove`](PinningClient::remove) (`DELETE /pins/{requestid}`), and
//!   [`wait_pinned`](PinningClient::wait_pinned), which polls with capped exponential backoff.
//! - [`MultiPin`] pins one CID to several services at once and reports per service.
//! - Every failure is a [`PinningError`] with a stable [`code`](PinningError::code).
//!
//! Inputs are checked against the spec's limits before sending ([`limits`]); answers are checked
//! against its schemas (a body that does not fit is `invalid_response`), bodies over
//! [`ClientOptions::max_response_bytes`] (8 MiB) are refused, and every request has a timeout.
//!
//! # TLS
//!
//! `https` services are reached through `hallmark-net`: rustls with the ring provider, verifying
//! against the installation's trust ([`hallmark_net::default_trust`]: the system's roots plus
//! the consortium's CA certificates). A certificate problem is [`PinningError::Tls`] with the
//! exact [`hallmark_net::TlsProblem`]. Plain `http` would send the token in clear text, so it
//! goes to loopback only unless [`ClientOptions::allow_insecure_http`] is set.
//!
//! # Example
//!
//! ```no_run
//! # async fn demo() -> Result<(), hallmark_pinning::PinningError> {
//! use std::time::Duration;
//! use hallmark_pinning::{ListFilter, Pin, PinningClient, PinningService, Status};
//!
//! let service = PinningService::new("local", "http://127.0.0.1:5000", "secret")?;
//! let client = PinningClient::new(service)?;
//! let pin = Pin::new("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")
//!     .with_name("artwork-42")
//!     .with_meta("app_id", "hallmark");
//! let queued = client.add(&pin).await?;
//! let pinned = client.wait_pinned(&queued.requestid, Duration::from_secs(60)).await?;
//! assert_eq!(pinned.status, Status::Pinned);
//! let mine = client.list_all(&ListFilter::new().meta("app_id", "hallmark")).await?;
//! # let _ = mine; Ok(()) }
//! ```

mod client;
mod error;
pub mod limits;
mod model;
mod multi;
mod time;

pub use client::{ClientOptions, PinPages, PinningClient, PinningService, PollPolicy};
pub use error::{PinningError, PinningResult};
pub use limits::validate_cid;
pub use model::{ListFilter, Pin, PinResults, PinStatus, Status, TextMatch};
pub use multi::{MultiPin, MultiPinReport, ServiceOutcome};
pub use time::Timestamp;
