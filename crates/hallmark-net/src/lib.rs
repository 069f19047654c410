//! Every HTTP client Hallmark opens — chain RPC, Kubo RPC, gateways, pinning services — comes
//! from here, so that all of them speak TLS the same way:
//!
//! - **rustls with the ring provider** (no OpenSSL): [`client_builder`] hands reqwest a
//!   preconfigured rustls config that trusts the system's roots plus the consortium's own CA
//!   certificates ([`Trust`]).
//! - **WebSockets too** ([`connect_websocket`]): `wss` with the same trust, for new-block
//!   subscriptions.
//! - **Plain http only to loopback** unless the user opted in ([`check_url`]): a remote node
//!   reached over plain http could be read and rewritten by anyone on the path.
//! - **TLS failures told apart** ([`TlsProblem::of`]): an unknown certificate authority, an
//!   expired certificate and a certificate for another host each have their own code and
//!   sentence, instead of one "connection failed".
//!
//! The engine installs the installation's [`Trust`] once ([`set_default_trust`]); crates that
//! open connections take [`default_trust`] unless a caller passes its own.

mod client;
mod problem;
mod scheme;
mod trust;
mod unanswered;
mod websocket;

pub use client::{client_builder, default_client_builder};
pub use problem::TlsProblem;
pub use scheme::{PlainHttp, UrlRefused, check_url, check_websocket_url, is_loopback_host};
pub use trust::{Trust, TrustError, default_trust, set_default_trust};
pub use unanswered::{innermost_cause, unanswered, without_os_error};
pub use websocket::{Connection, WebSocket, WebSocketError, connect_websocket};
