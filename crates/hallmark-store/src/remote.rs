//! [`RemoteBlocks`]: the consortium's endpoints a member reads blocks from when they are not
//! in its own store — Kubo RPC APIs (`block/get`) and trustless gateways (`?format=raw`).
//!
//! Nothing a remote endpoint sends is trusted: every block is verified against its CID before
//! it is returned, and a wrong or oversized answer from one endpoint moves on to the next.

use std::fmt;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use hallmark_unixfs::Cid;
use serde::{Deserialize, Serialize};
use tracing::debug;

use crate::error::StoreError;
use crate::kubo::KuboStore;
use crate::kubo::rpc::{Rpc, SHORT_CALL};
use crate::store::ContentStore;
use crate::verified::{MAX_BLOCK_BYTES, verify_block};

/// How a read endpoint serves blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadKind {
    /// A Kubo RPC API (`/api/v0/block/get`).
    KuboRpc,
    /// A trustless gateway (`/ipfs/<cid>?format=raw`).
    Gateway,
}

/// An endpoint that serves the consortium's blocks to members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadEndpoint {
    /// What it speaks.
    pub kind: ReadKind,
    /// Its URL (https, or plain http to this machine or where the user allowed it).
    pub url: String,
}

impl fmt::Display for ReadEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ReadKind::KuboRpc => write!(f, "Kubo RPC {}", self.url),
            ReadKind::Gateway => write!(f, "gateway {}", self.url),
        }
    }
}

/// A trustless gateway client: `GET /ipfs/<cid>?format=raw` with
/// `Accept: application/vnd.ipld.raw`.
#[derive(Debug, Clone)]
struct Gateway {
    http: Rpc,
}

impl Gateway {
    async fn fetch(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        const ENDPOINT: &str = "ipfs/{cid}?format=raw";
        let request = self
            .http
            .get_path(&format!("ipfs/{cid}"), &[("format", "raw")])
            .header(reqwest::header::ACCEPT, "application/vnd.ipld.raw")
            .timeout(SHORT_CALL);
        let response = self.http.send_read(ENDPOINT, request).await?;
        let bytes = self
            .http
            .read_limited(ENDPOINT, response, MAX_BLOCK_BYTES)
            .await?;
        verify_block(cid, bytes, || {
            format!("block {cid} from the gateway {}", self.http.url())
        })
    }
}

/// How long an endpoint may take before the next one is asked as well.
pub const HEDGE_AFTER: Duration = Duration::from_secs(2);

/// One endpoint, ready to use.
#[derive(Debug, Clone)]
enum Source {
    Kubo(KuboStore),
    Gateway(Gateway),
}

impl Source {
    fn url(&self) -> &str {
        match self {
            Self::Kubo(node) => node.url(),
            Self::Gateway(gateway) => gateway.http.url(),
        }
    }

    async fn fetch(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        match self {
            // `get_block` verifies the block against its CID.
            Self::Kubo(node) => node.get_block(cid).await,
            Self::Gateway(gateway) => gateway.fetch(cid).await,
        }
    }
}

/// The endpoints blocks missing locally are read from, tried in order. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RemoteBlocks {
    sources: Vec<Source>,
}

impl RemoteBlocks {
    /// Clients of `endpoints`; a URL that is not usable (or plain http to another machine
    /// without the user's opt-in) is an error. Nothing is sent yet.
    pub fn new(endpoints: &[ReadEndpoint]) -> Result<Self, StoreError> {
        Self::with_authorization(endpoints, |_| None)
    }

    /// [`new`](Self::new), sending the `Authorization` header `authorization(url)` gives for
    /// an endpoint (see [`KuboStore::with_authorization`]).
    pub fn with_authorization(
        endpoints: &[ReadEndpoint],
        authorization: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, StoreError> {
        let sources = endpoints
            .iter()
            .map(|endpoint| {
                let auth = authorization(&endpoint.url);
                Ok(match endpoint.kind {
                    ReadKind::KuboRpc => {
                        let node = KuboStore::new(&endpoint.url)?;
                        Source::Kubo(match auth {
                            Some(value) => node.with_authorization(&value)?,
                            None => node,
                        })
                    }
                    ReadKind::Gateway => {
                        let mut http = Rpc::new(&endpoint.url)?;
                        if let Some(value) = auth {
                            http.authorize(&value)?;
                        }
                        Source::Gateway(Gateway { http })
                    }
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Self { sources })
    }

    /// Whether there is any endpoint.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The block `cid` from the first endpoint that gives it, verified. Endpoints are asked in
    /// order; the next one is also asked when the one before failed, or has not answered
    /// within [`HEDGE_AFTER`] (a slow node does not hold the read up). When every endpoint
    /// fails, a single endpoint's error is returned as it is; several give
    /// [`StoreError::Unavailable`] with each one's reason.
    pub async fn fetch(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
        let mut failures = Vec::new();
        let mut asked = FuturesUnordered::new();
        let mut next = 0;
        let ask = |source: &Source| {
            let source = source.clone();
            let cid = *cid;
            async move {
                let result = source.fetch(&cid).await;
                (source, result)
            }
        };
        loop {
            if asked.is_empty() {
                let Some(source) = self.sources.get(next) else {
                    break;
                };
                asked.push(ask(source));
                next += 1;
            }
            let more = next < self.sources.len();
            tokio::select! {
                Some((source, result)) = asked.next() => match result {
                    Ok(block) => {
                        debug!(%cid, from = source.url(), bytes = block.len(), "block read through");
                        return Ok(block);
                    }
                    Err(e) => {
                        debug!(%cid, from = source.url(), error = %e, "endpoint could not give the block");
                        failures.push(e);
                    }
                },
                () = tokio::time::sleep(HEDGE_AFTER), if more => {
                    if let Some(source) = self.sources.get(next) {
                        debug!(%cid, slow = next, "an endpoint is slow; asking the next one too");
                        asked.push(ask(source));
                        next += 1;
                    }
                }
            }
        }
        if failures.len() == 1
            && let Some(only) = failures.pop()
        {
            return Err(only);
        }
        Err(StoreError::Unavailable {
            cid: *cid,
            reasons: failures.iter().map(ToString::to_string).collect(),
        })
    }
}
