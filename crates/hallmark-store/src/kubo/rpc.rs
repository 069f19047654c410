//! The HTTP layer of the Kubo RPC client: URLs, POSTs, timeouts, bounded bodies, and error
//! mapping (`{"Message": …}` bodies, unreachable nodes).

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue};
use reqwest::{Client, RequestBuilder, Response, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::StoreError;

/// How long to wait for a TCP connection to the node.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a single read from the node may stall (also while it imports an upload).
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// Total time for small calls (version, stat, pin, one block).
pub(crate) const SHORT_CALL: Duration = Duration::from_secs(60);
/// Largest JSON answer we read.
const MAX_JSON_BYTES: usize = 16 << 20;
/// Largest error body we read.
const MAX_ERROR_BYTES: usize = 64 << 10;
/// How many times a read (block, stat, version, pin list) is sent again when the node could not
/// be reached — refused, reset, closed — waiting 250 ms, 500 ms, 1 s (1.75 s in all). A read
/// that timed out or that the node answered is not retried; uploads and pins never are.
pub(crate) const READ_RETRIES: u32 = 3;
/// The wait before the first retry; it doubles before each next one.
const FIRST_RETRY_WAIT: Duration = Duration::from_millis(250);

/// A connection to one node's `/api/v0/`.
#[derive(Debug, Clone)]
pub(crate) struct Rpc {
    api: Url,
    shown: String,
    client: Client,
    /// The `Authorization` header sent with every request (marked sensitive: never logged).
    authorization: Option<HeaderValue>,
}

impl Rpc {
    /// `api_url` is the node's API address, like `http://127.0.0.1:5001` (a trailing `/api/v0`
    /// is accepted too).
    pub(crate) fn new(api_url: &str) -> Result<Self, StoreError> {
        let invalid = |reason: &str| StoreError::InvalidUrl {
            url: api_url.to_owned(),
            reason: reason.to_owned(),
        };
        let trust = hallmark_net::default_trust();
        // https anywhere; plain http to this machine, or anywhere the user allowed it.
        let url =
            hallmark_net::check_url(api_url.trim(), trust.plain_http()).map_err(|e| match e {
                hallmark_net::UrlRefused::PlainHttpToRemote { url } => {
                    StoreError::PlainHttpRefused { url }
                }
                other => invalid(&other.to_string()),
            })?;
        let scheme = url.scheme().to_owned();
        let host = url
            .host_str()
            .ok_or_else(|| invalid("it has no host"))?
            .to_owned();
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not have a query or fragment"));
        }
        let path = url.path().trim_end_matches('/');
        let path = path.strip_suffix("/api/v0").unwrap_or(path);
        let shown = match url.port() {
            Some(port) => format!("{scheme}://{host}:{port}{path}"),
            None => format!("{scheme}://{host}{path}"),
        };
        let api = Url::parse(&format!("{shown}/api/v0/")).map_err(|e| invalid(&e.to_string()))?;
        let client = hallmark_net::client_builder(&trust)
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(READ_TIMEOUT)
            .no_proxy()
            .build()
            .map_err(|e| invalid(&e.to_string()))?;
        Ok(Self {
            api,
            shown,
            client,
            authorization: None,
        })
    }

    /// Sends `value` as the `Authorization` header of every request (`Bearer …` or
    /// `Basic …`). A value that cannot be a header is an error that does not quote it.
    pub(crate) fn authorize(&mut self, value: &str) -> Result<(), StoreError> {
        let mut header =
            HeaderValue::from_str(value.trim()).map_err(|_| StoreError::InvalidUrl {
                url: self.shown.clone(),
                reason: "its authorization is not a valid HTTP header value".to_owned(),
            })?;
        header.set_sensitive(true);
        self.authorization = Some(header);
        Ok(())
    }

    fn authorized(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.authorization {
            Some(value) => request.header(AUTHORIZATION, value.clone()),
            None => request,
        }
    }

    /// The node's address as shown in messages.
    pub(crate) fn url(&self) -> &str {
        &self.shown
    }

    /// A POST to `endpoint` (e.g. `block/get`) with query parameters.
    pub(crate) fn post(
        &self,
        endpoint: &'static str,
        query: &[(&str, &str)],
    ) -> Result<RequestBuilder, StoreError> {
        let url = self
            .api
            .join(endpoint)
            .map_err(|e| StoreError::InvalidUrl {
                url: format!("{}{endpoint}", self.api),
                reason: e.to_string(),
            })?;
        Ok(self.authorized(self.client.post(url).query(query)))
    }

    /// A GET of `path` under the base URL (for a trustless gateway: `ipfs/<cid>`).
    pub(crate) fn get_path(&self, path: &str, query: &[(&str, &str)]) -> RequestBuilder {
        self.authorized(
            self.client
                .get(format!("{}/{path}", self.shown))
                .query(query),
        )
    }

    /// Sends a request; a transport failure is [`StoreError::Unreachable`] and an HTTP error is
    /// [`StoreError::Node`] with the node's message.
    pub(crate) async fn send(
        &self,
        endpoint: &'static str,
        request: RequestBuilder,
    ) -> Result<Response, StoreError> {
        let response = request.send().await.map_err(|e| self.transport_error(&e))?;
        self.checked(endpoint, response).await
    }

    /// [`send`](Self::send) for a request that only reads: sent again up to [`READ_RETRIES`]
    /// times, with a doubling wait, while the node cannot be reached (not after a timeout).
    pub(crate) async fn send_read(
        &self,
        endpoint: &'static str,
        request: RequestBuilder,
    ) -> Result<Response, StoreError> {
        let mut wait = FIRST_RETRY_WAIT;
        let mut retries = 0;
        loop {
            let Some(attempt) = request.try_clone() else {
                return self.send(endpoint, request).await;
            };
            match attempt.send().await {
                Ok(response) => return self.checked(endpoint, response).await,
                Err(e) if retries < READ_RETRIES && !e.is_timeout() && e.status().is_none() => {
                    retries += 1;
                    tracing::debug!(url = %self.shown, endpoint, retries, error = %e, "retrying a read");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Err(e) => return Err(self.transport_error(&e)),
            }
        }
    }

    /// The response if its status is a success, else [`StoreError::Node`] with its message.
    async fn checked(
        &self,
        endpoint: &'static str,
        response: Response,
    ) -> Result<Response, StoreError> {
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let body = self
            .read_limited(endpoint, response, MAX_ERROR_BYTES)
            .await
            .unwrap_or_default();
        Err(StoreError::Node {
            url: self.shown.clone(),
            endpoint,
            message: error_message(status, &body),
        })
    }

    /// Sends a request and decodes its JSON answer (the last line of an NDJSON answer).
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        request: RequestBuilder,
    ) -> Result<T, StoreError> {
        let response = self.send(endpoint, request).await?;
        let body = self
            .read_limited(endpoint, response, MAX_JSON_BYTES)
            .await?;
        self.decode_last_line(endpoint, &body)
    }

    /// [`json`](Self::json) for a request that only reads (retried like
    /// [`send_read`](Self::send_read)).
    pub(crate) async fn json_read<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        request: RequestBuilder,
    ) -> Result<T, StoreError> {
        let response = self.send_read(endpoint, request).await?;
        let body = self
            .read_limited(endpoint, response, MAX_JSON_BYTES)
            .await?;
        self.decode_last_line(endpoint, &body)
    }

    /// Decodes the last non-empty line of `body` (Kubo may stream NDJSON), refusing an error
    /// object sent in place of a result.
    pub(crate) fn decode_last_line<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        body: &[u8],
    ) -> Result<T, StoreError> {
        let line =
            last_line(body).ok_or_else(|| self.bad_response(endpoint, "the answer is empty"))?;
        if let Ok(error) = serde_json::from_slice::<StreamError>(line)
            && (error.kind.as_deref() == Some("error") || error.code.is_some())
        {
            return Err(StoreError::Node {
                url: self.shown.clone(),
                endpoint,
                message: error.message,
            });
        }
        serde_json::from_slice(line).map_err(|e| {
            self.bad_response(
                endpoint,
                &format!(
                    "{e} in `{}`",
                    String::from_utf8_lossy(&line[..line.len().min(200)])
                ),
            )
        })
    }

    /// Reads a response body, refusing more than `limit` bytes.
    pub(crate) async fn read_limited(
        &self,
        endpoint: &'static str,
        mut response: Response,
        limit: usize,
    ) -> Result<Vec<u8>, StoreError> {
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(&e))?
        {
            if body.len() + chunk.len() > limit {
                return Err(self.bad_response(
                    endpoint,
                    &format!("the answer is larger than {limit} bytes"),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// [`StoreError::BadResponse`] for `endpoint`.
    pub(crate) fn bad_response(&self, endpoint: &'static str, reason: &str) -> StoreError {
        StoreError::BadResponse {
            url: self.shown.clone(),
            endpoint,
            reason: reason.to_owned(),
        }
    }

    /// [`StoreError::Unreachable`] with the innermost cause (e.g. "Connection refused").
    pub(crate) fn transport_error(&self, error: &reqwest::Error) -> StoreError {
        if let Some(problem) = hallmark_net::TlsProblem::of(error) {
            return StoreError::Tls {
                url: self.shown.clone(),
                problem,
            };
        }
        StoreError::Unreachable {
            url: self.shown.clone(),
            reason: format!(
                "{}; is the IPFS daemon running?",
                hallmark_net::unanswered(error)
            ),
        }
    }
}

/// An error object as Kubo and js-ipfs send it: `{"Message": "…", "Code": 0, "Type": "error"}`.
#[derive(Deserialize)]
struct StreamError {
    #[serde(rename = "Message")]
    message: String,
    #[serde(rename = "Code")]
    code: Option<i64>,
    #[serde(rename = "Type")]
    kind: Option<String>,
}

/// The node's message from an error body, or the status and the body's start.
fn error_message(status: reqwest::StatusCode, body: &[u8]) -> String {
    if let Ok(error) = serde_json::from_slice::<StreamError>(body) {
        return error.message;
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        format!("HTTP {status}")
    } else {
        let short: String = text.chars().take(300).collect();
        format!("HTTP {status}: {short}")
    }
}

/// The last non-empty line of an (ND)JSON body.
fn last_line(body: &[u8]) -> Option<&[u8]> {
    body.split(|b| *b == b'\n')
        .map(|line| line.trim_ascii())
        .rfind(|line| !line.is_empty())
}

/// A size Kubo sends as a string (`"Size":"20"`) and js-ipfs as a number (`"Size":20`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FlexibleSize(pub(crate) u64);

impl<'de> Deserialize<'de> for FlexibleSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Number(n) => Ok(Self(n)),
            Raw::Text(s) => s
                .trim()
                .parse()
                .map(Self)
                .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a size"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_forms_are_normalised() {
        for given in [
            "http://127.0.0.1:5001",
            "http://127.0.0.1:5001/",
            "http://127.0.0.1:5001/api/v0",
            " http://127.0.0.1:5001/api/v0/ ",
        ] {
            let rpc = Rpc::new(given).expect(given);
            assert_eq!(rpc.url(), "http://127.0.0.1:5001", "{given}");
            assert_eq!(rpc.api.as_str(), "http://127.0.0.1:5001/api/v0/");
        }
    }

    #[test]
    fn unusable_urls_are_refused() {
        for given in ["127.0.0.1:5001", "", "http://127.0.0.1:1/?x=1", "ftp://x"] {
            let e = Rpc::new(given).expect_err(given);
            assert_eq!(e.code(), "store.invalid_url", "{given}");
        }
        // Plain http to another machine is refused with its own code; https is accepted.
        let e = Rpc::new("http://node.consortium.example:5001").expect_err("plain http");
        assert_eq!(e.code(), "net.plain_http_refused");
        let rpc = Rpc::new("https://node.consortium.example:5001").expect("https");
        assert_eq!(
            rpc.api.as_str(),
            "https://node.consortium.example:5001/api/v0/"
        );
    }

    #[test]
    fn size_is_read_from_a_string_or_a_number() {
        let n: FlexibleSize = serde_json::from_str("20").expect("number");
        let s: FlexibleSize = serde_json::from_str("\"20\"").expect("string");
        assert_eq!((n, s), (FlexibleSize(20), FlexibleSize(20)));
        assert!(serde_json::from_str::<FlexibleSize>("\"x\"").is_err());
        assert!(serde_json::from_str::<FlexibleSize>("-1").is_err());
    }

    #[test]
    fn the_last_non_empty_line_is_taken() {
        assert_eq!(
            last_line(b"{\"a\":1}\n{\"b\":2}\n\n"),
            Some(&b"{\"b\":2}"[..])
        );
        assert_eq!(last_line(b"  \n"), None);
        assert_eq!(last_line(b"{}"), Some(&b"{}"[..]));
    }

    #[test]
    fn error_bodies_give_the_node_message() {
        let status = reqwest::StatusCode::INTERNAL_SERVER_ERROR;
        assert_eq!(
            error_message(
                status,
                br#"{"Message":"block not found","Code":0,"Type":"error"}"#
            ),
            "block not found"
        );
        assert_eq!(error_message(status, b""), "HTTP 500 Internal Server Error");
        assert_eq!(
            error_message(status, b"oops"),
            "HTTP 500 Internal Server Error: oops"
        );
    }

    #[test]
    fn an_error_line_in_a_stream_is_an_error() {
        let rpc = Rpc::new("http://127.0.0.1:1").expect("url");
        let body = b"{\"Name\":\"x\",\"Hash\":\"Qm\"}\n{\"Message\":\"disk full\",\"Code\":0,\"Type\":\"error\"}\n";
        #[derive(Deserialize, Debug)]
        struct Any {}
        let e = rpc
            .decode_last_line::<Any>("add", body)
            .expect_err("error line");
        assert!(e.to_string().contains("disk full"), "{e}");
    }
}
