//! The HTTP client: one [`PinningClient`] per configured [`PinningService`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{PinningError, PinningResult, clip};
use crate::limits::{MAX_LIMIT, validate_requestid};

/// The spec's default page size (`limit` unset).
const DEFAULT_LIMIT: u32 = 10;
use crate::model::{ListFilter, Pin, PinResults, PinStatus, Status};

/// A configured pinning service: a name for people, the API endpoint and the access token.
///
/// The token never appears in `Debug`, `Display`, errors or logs, and its memory is wiped
/// (zeroized) when the last copy is dropped. (The copy that the HTTP stack keeps for the
/// `Authorization` header is marked sensitive, which keeps it out of reqwest's `Debug`, but is
/// not zeroized.)
#[derive(Clone)]
pub struct PinningService {
    name: String,
    endpoint: Url,
    token: Token,
}

/// The bearer token; wiped on drop, never printed.
#[derive(Clone)]
struct Token(String);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl PinningService {
    /// A service called `name` at `endpoint` (the base URL that `/pins` is appended to, e.g.
    /// `http://127.0.0.1:5000` or `https://api.example.com/psa`) with the access token `token`.
    ///
    /// Refuses an endpoint that is not an `http`/`https` URL, or that has credentials, a query
    /// or a fragment; and an empty token or one that cannot go in an HTTP header.
    pub fn new(
        name: impl Into<String>,
        endpoint: &str,
        token: impl Into<String>,
    ) -> PinningResult<Self> {
        let token = Token(token.into());
        let name = name.into();
        if name.trim().is_empty() {
            return Err(PinningError::invalid("name", "a service needs a name"));
        }
        let endpoint = Url::parse(endpoint.trim())
            .map_err(|e| PinningError::invalid("endpoint", format!("`{}`: {e}", clip(endpoint))))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(PinningError::invalid(
                "endpoint",
                format!("{endpoint}: only http and https URLs"),
            ));
        }
        if endpoint.host_str().is_none_or(str::is_empty) {
            return Err(PinningError::invalid("endpoint", "no host"));
        }
        if !endpoint.username().is_empty() || endpoint.password().is_some() {
            return Err(PinningError::invalid(
                "endpoint",
                "credentials belong in the token, not in the URL",
            ));
        }
        if endpoint.query().is_some() || endpoint.fragment().is_some() {
            return Err(PinningError::invalid(
                "endpoint",
                format!("{endpoint}: no query or fragment"),
            ));
        }
        if token.0.is_empty() {
            return Err(PinningError::invalid("token", "empty"));
        }
        // RFC 6750 b64token is narrower; any visible ASCII is what a header value can carry.
        if !token.0.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(PinningError::invalid(
                "token",
                "only visible ASCII characters (no spaces or line breaks)",
            ));
        }
        Ok(Self {
            name,
            endpoint,
            token,
        })
    }

    /// The name given to this service.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The endpoint URL.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    fn auth_header(&self) -> PinningResult<HeaderValue> {
        let value = Zeroizing::new(format!("Bearer {}", self.token.0));
        let mut header = HeaderValue::from_str(&value)
            .map_err(|_| PinningError::invalid("token", "cannot be sent in an HTTP header"))?;
        header.set_sensitive(true);
        Ok(header)
    }
}

impl fmt::Debug for PinningService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinningService")
            .field("name", &self.name)
            .field("endpoint", &self.endpoint.as_str())
            .field("token", &"<redacted>")
            .finish()
    }
}

impl fmt::Display for PinningService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.endpoint)
    }
}

/// How [`PinningClient::wait_pinned`] polls: exponential backoff from `initial`, times `factor`,
/// capped at `max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollPolicy {
    /// First delay between polls.
    pub initial: Duration,
    /// Longest delay between polls.
    pub max: Duration,
    /// Growth of the delay after each poll (at least 1).
    pub factor: f64,
}

impl Default for PollPolicy {
    /// 500 ms, doubling, at most 15 s.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(15),
            factor: 2.0,
        }
    }
}

impl PollPolicy {
    /// The delay after `delay`.
    pub fn next(&self, delay: Duration) -> Duration {
        delay.mul_f64(self.factor.max(1.0)).min(self.max)
    }
}

/// Settings of a [`PinningClient`].
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Whole-request timeout (connect, send, read the body). Default 30 s.
    pub request_timeout: Duration,
    /// Connect timeout. Default 10 s.
    pub connect_timeout: Duration,
    /// Largest response body read; bigger ones are refused as `invalid_response`. Default 8 MiB
    /// (a full page of 1000 pin statuses is well under 2 MiB).
    pub max_response_bytes: usize,
    /// Polling of [`PinningClient::wait_pinned`].
    pub poll: PollPolicy,
    /// Allow plain `http://` to hosts other than loopback (the token then crosses the network in
    /// clear text). Default `false`: `http` only to 127.0.0.0/8, `::1` and `localhost`.
    pub allow_insecure_http: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: 8 << 20,
            poll: PollPolicy::default(),
            allow_insecure_http: false,
        }
    }
}

/// A client of one pinning service (IPFS Pinning Service API v1.0.0).
///
/// Cheap to clone (the connection pool is shared). Every input is checked against the spec's
/// limits before it is sent; every answer is checked against the spec's schemas.
#[derive(Clone)]
pub struct PinningClient {
    inner: Arc<Inner>,
}

struct Inner {
    service: PinningService,
    http: reqwest::Client,
    auth: HeaderValue,
    options: ClientOptions,
}

impl fmt::Debug for PinningClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinningClient")
            .field("service", &self.inner.service)
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

impl PinningClient {
    /// A client for `service` with default [`ClientOptions`].
    pub fn new(service: PinningService) -> PinningResult<Self> {
        Self::with_options(service, ClientOptions::default())
    }

    /// A client for `service` with `options`.
    ///
    /// `https://` endpoints are verified with the installation's trust
    /// ([`hallmark_net::default_trust`]: system roots plus the consortium's CAs); `http://` is
    /// refused for hosts other than loopback unless [`ClientOptions::allow_insecure_http`] is set.
    pub fn with_options(service: PinningService, options: ClientOptions) -> PinningResult<Self> {
        let endpoint = service.endpoint();
        if endpoint.scheme() == "http"
            && !options.allow_insecure_http
            && !endpoint
                .host_str()
                .is_some_and(hallmark_net::is_loopback_host)
        {
            return Err(PinningError::invalid(
                "endpoint",
                format!(
                    "{endpoint}: plain http would send the token in clear text; only loopback \
                     hosts are allowed (see ClientOptions::allow_insecure_http)"
                ),
            ));
        }
        if options.max_response_bytes == 0 {
            return Err(PinningError::invalid("max_response_bytes", "must be > 0"));
        }
        let auth = service.auth_header()?;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let http = hallmark_net::default_client_builder()
            .default_headers(headers)
            .user_agent(concat!("hallmark-pinning/", env!("CARGO_PKG_VERSION")))
            .timeout(options.request_timeout)
            .connect_timeout(options.connect_timeout)
            // a redirect could carry the token elsewhere; the spec has none
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| PinningError::ClientSetup {
                reason: error_chain(&e),
            })?;
        Ok(Self {
            inner: Arc::new(Inner {
                service,
                http,
                auth,
                options,
            }),
        })
    }

    /// The service this client talks to.
    pub fn service(&self) -> &PinningService {
        &self.inner.service
    }

    /// The options in use.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// `POST /pins`: asks the service to pin `pin.cid` (with its name, origins and meta).
    ///
    /// Returns the new request's status, usually `queued` (see [`PinningClient::wait_pinned`]).
    pub async fn add(&self, pin: &Pin) -> PinningResult<PinStatus> {
        pin.validate()?;
        let url = self.url(&[])?;
        let status: PinStatus = self.call(Method::POST, url, &[], Some(pin), "add").await?;
        self.check_status(&status)?;
        Ok(status)
    }

    /// `GET /pins/{requestid}`: the current status of a pin request.
    pub async fn get(&self, requestid: &str) -> PinningResult<PinStatus> {
        validate_requestid(requestid)?;
        let url = self.url(&[requestid])?;
        let status: PinStatus = self
            .call(Method::GET, url, &[], None::<&Pin>, "get")
            .await?;
        self.check_status(&status)?;
        Ok(status)
    }

    /// `GET /pins`: one page of pin requests matching `filter`, newest first.
    ///
    /// `count` is the total for the filter; when it exceeds `results.len()`, more pages exist
    /// (see [`PinningClient::pages`] and [`PinningClient::list_all`]).
    pub async fn list(&self, filter: &ListFilter) -> PinningResult<PinResults> {
        filter.validate()?;
        let url = self.url(&[])?;
        let query = filter.query_pairs();
        let results: PinResults = self
            .call(Method::GET, url, &query, None::<&Pin>, "list")
            .await?;
        if results.results.len() > MAX_LIMIT as usize {
            return Err(self.invalid(format!(
                "{} results in one page (at most {MAX_LIMIT})",
                results.results.len()
            )));
        }
        for st in &results.results {
            self.check_status(st)?;
        }
        Ok(results)
    }

    /// The pages of `filter`, following the spec's paging: each next page asks for pins
    /// `before` the oldest `created` of the previous one, until `count` says nothing is left.
    pub fn pages(&self, filter: ListFilter) -> PinPages<'_> {
        PinPages {
            client: self,
            filter,
            done: false,
        }
    }

    /// Every pin request matching `filter`, newest first, reading all pages (of
    /// `filter.limit`, or 1000 when unset).
    pub async fn list_all(&self, filter: &ListFilter) -> PinningResult<Vec<PinStatus>> {
        let mut filter = filter.clone();
        filter.limit.get_or_insert(MAX_LIMIT);
        let mut pages = self.pages(filter);
        let mut all = Vec::new();
        while let Some(page) = pages.next_page().await? {
            all.extend(page.results);
        }
        Ok(all)
    }

    /// `POST /pins/{requestid}`: replaces a pin request with `pin` in one step (no garbage
    /// collection of blocks both share). The answer has a new `requestid`; the old one is gone.
    pub async fn replace(&self, requestid: &str, pin: &Pin) -> PinningResult<PinStatus> {
        validate_requestid(requestid)?;
        pin.validate()?;
        let url = self.url(&[requestid])?;
        let status: PinStatus = self
            .call(Method::POST, url, &[], Some(pin), "replace")
            .await?;
        self.check_status(&status)?;
        Ok(status)
    }

    /// `DELETE /pins/{requestid}`: removes a pin request.
    pub async fn remove(&self, requestid: &str) -> PinningResult<()> {
        validate_requestid(requestid)?;
        let url = self.url(&[requestid])?;
        self.send(Method::DELETE, url, &[], None::<&Pin>, "remove")
            .await
            .map(|_| ())
    }

    /// Polls `GET /pins/{requestid}` until the pin is `pinned` (returned) or `failed`
    /// (`pin_failed`), or `timeout` has passed (`wait_timeout`).
    ///
    /// The delay between polls grows per [`ClientOptions::poll`]. Transient errors
    /// (`unreachable`, `server_error`, `rate_limited`, honouring `Retry-After`) are retried until
    /// the timeout; if no poll ever got an answer, the last such error is returned. Other errors
    /// end the wait at once.
    pub async fn wait_pinned(
        &self,
        requestid: &str,
        timeout: Duration,
    ) -> PinningResult<PinStatus> {
        validate_requestid(requestid)?;
        let poll = self.inner.options.poll;
        let start = Instant::now();
        let deadline = start + timeout;
        let mut delay = poll.initial;
        let mut last: Option<Status> = None;
        let mut last_err: Option<PinningError> = None;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let mut wait = delay;
            match tokio::time::timeout(remaining, self.get(requestid)).await {
                Ok(Ok(st)) => match st.status {
                    Status::Pinned => return Ok(st),
                    Status::Failed => {
                        return Err(PinningError::PinFailed {
                            service: self.name().to_owned(),
                            requestid: requestid.to_owned(),
                            status: Box::new(st),
                        });
                    }
                    s => {
                        tracing::debug!(service = %self.name(), requestid, status = %s, "still waiting");
                        last = Some(s);
                    }
                },
                Ok(Err(e)) if e.is_retryable() => {
                    tracing::debug!(service = %self.name(), requestid, error = %e, "poll failed; retrying");
                    if let PinningError::RateLimited {
                        retry_after: Some(after),
                        ..
                    } = &e
                    {
                        wait = wait.max(*after);
                    }
                    last_err = Some(e);
                }
                Ok(Err(e)) => return Err(e),
                Err(_elapsed) => {}
            }
            let now = Instant::now();
            if now >= deadline {
                return match (last, last_err) {
                    (None, Some(e)) => Err(e),
                    _ => Err(PinningError::WaitTimeout {
                        service: self.name().to_owned(),
                        requestid: requestid.to_owned(),
                        last,
                        waited: now - start,
                    }),
                };
            }
            tokio::time::sleep(wait.min(deadline - now)).await;
            delay = poll.next(delay);
        }
    }

    fn name(&self) -> &str {
        &self.inner.service.name
    }

    /// `{endpoint}/pins[/segment…]`, each segment percent-encoded.
    fn url(&self, segments: &[&str]) -> PinningResult<Url> {
        let mut url = self.inner.service.endpoint.clone();
        {
            let mut path = url
                .path_segments_mut()
                .map_err(|()| PinningError::invalid("endpoint", "cannot be a base URL"))?;
            path.pop_if_empty().push("pins");
            for s in segments {
                path.push(s);
            }
        }
        Ok(url)
    }

    fn invalid(&self, reason: impl Into<String>) -> PinningError {
        PinningError::InvalidResponse {
            service: self.name().to_owned(),
            reason: reason.into(),
        }
    }

    /// What serde cannot check of a `PinStatus`.
    fn check_status(&self, st: &PinStatus) -> PinningResult<()> {
        if st.requestid.is_empty() {
            return Err(self.invalid("PinStatus.requestid is empty"));
        }
        if st.delegates.is_empty() || st.delegates.len() > 20 {
            // minItems 1, maxItems 20: informational only, so tolerated
            tracing::debug!(
                service = %self.name(),
                requestid = %st.requestid,
                delegates = st.delegates.len(),
                "PinStatus.delegates outside the spec's 1..=20"
            );
        }
        Ok(())
    }

    /// Sends a request and parses a JSON answer.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        query: &[(&str, String)],
        body: Option<&Pin>,
        op: &'static str,
    ) -> PinningResult<T> {
        let bytes = self.send(method, url, query, body, op).await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            self.invalid(format!(
                "{op}: {e} (body starts: {})",
                clip(&String::from_utf8_lossy(&bytes[..bytes.len().min(120)]))
            ))
        })
    }

    /// Sends a request; returns the body of a 2XX answer, or the error it maps to.
    async fn send(
        &self,
        method: Method,
        url: Url,
        query: &[(&str, String)],
        body: Option<&Pin>,
        op: &'static str,
    ) -> PinningResult<Vec<u8>> {
        let started = Instant::now();
        let mut req = self
            .inner
            .http
            .request(method.clone(), url.clone())
            .header(AUTHORIZATION, self.inner.auth.clone());
        if !query.is_empty() {
            req = req.query(query);
        }
        if let Some(pin) = body {
            req = req.json(pin);
        }
        let resp = req.send().await.map_err(|e| self.unreachable(&e))?;
        let status = resp.status();
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = self.read_body(resp).await?;
        tracing::debug!(
            service = %self.name(),
            op,
            method = %method,
            path = url.path(),
            status = status.as_u16(),
            bytes = bytes.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "pinning service call"
        );
        if status.is_success() {
            return Ok(bytes);
        }
        Err(self.status_error(status, &bytes, retry_after))
    }

    /// The body, refusing more than `max_response_bytes`.
    async fn read_body(&self, mut resp: reqwest::Response) -> PinningResult<Vec<u8>> {
        let max = self.inner.options.max_response_bytes;
        let too_large = || self.invalid(format!("response body larger than {max} bytes"));
        if resp.content_length().is_some_and(|n| n > max as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.unreachable(&e))? {
            if body.len() + chunk.len() > max {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn unreachable(&self, e: &reqwest::Error) -> PinningError {
        if let Some(problem) = hallmark_net::TlsProblem::of(e) {
            return PinningError::Tls {
                service: self.name().to_owned(),
                endpoint: self.inner.service.endpoint.to_string(),
                problem,
            };
        }
        let timed_out = e.is_timeout();
        let reason = if timed_out {
            format!(
                "no answer within {} s",
                self.inner.options.request_timeout.as_secs_f32()
            )
        } else {
            hallmark_net::unanswered(e)
        };
        PinningError::Unreachable {
            service: self.name().to_owned(),
            endpoint: self.inner.service.endpoint.to_string(),
            reason,
            timed_out,
        }
    }

    /// Maps a non-2XX answer (spec: `Failure`) to an error.
    fn status_error(
        &self,
        status: StatusCode,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> PinningError {
        #[derive(Deserialize)]
        struct Failure {
            error: FailureError,
        }
        #[derive(Deserialize)]
        struct FailureError {
            reason: String,
            details: Option<String>,
        }
        let service = self.name().to_owned();
        let code = status.as_u16();
        let (reason, details) = match serde_json::from_slice::<Failure>(body) {
            Ok(f) => (clip(&f.error.reason), f.error.details.as_deref().map(clip)),
            // not a Failure object (a proxy's HTML page, an empty body…): keep what we can
            Err(_) => {
                let text = String::from_utf8_lossy(&body[..body.len().min(200)]).to_string();
                let reason = status.canonical_reason().unwrap_or("HTTP error").to_owned();
                (reason, (!text.trim().is_empty()).then(|| clip(&text)))
            }
        };
        match code {
            400 => PinningError::BadRequest {
                service,
                reason,
                details,
            },
            401 => PinningError::Unauthorized {
                service,
                reason,
                details,
            },
            404 => PinningError::NotFound {
                service,
                reason,
                details,
            },
            409 => PinningError::InsufficientFunds {
                service,
                reason,
                details,
            },
            429 => PinningError::RateLimited {
                service,
                reason,
                details,
                retry_after,
            },
            402..=403 | 405..=408 | 410..=428 | 430..=499 => PinningError::Service {
                service,
                status: code,
                reason,
                details,
            },
            500..=599 => PinningError::Server {
                service,
                status: code,
                reason,
                details,
            },
            _ => self.invalid(format!(
                "unexpected HTTP status {code} (redirects are not followed)"
            )),
        }
    }
}

/// `e` and its sources, e.g. "error sending request … : client error (Connect): tcp connect
/// error: Connection refused (os error 111)".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

/// The pages of a `GET /pins` query (from [`PinningClient::pages`]).
#[derive(Debug)]
pub struct PinPages<'a> {
    client: &'a PinningClient,
    filter: ListFilter,
    done: bool,
}

impl PinPages<'_> {
    /// The next page, or `None` when all have been read.
    ///
    /// A next page is asked for when `count` exceeds the page's length (the spec's rule) or the
    /// page is full (for services that report the page length as `count`; this costs one empty
    /// request when the last page is exactly full). Fails with `invalid_response` if the service
    /// ignores `before` (a page holds a pin not older than the `before` asked for), which would
    /// otherwise loop.
    pub async fn next_page(&mut self) -> PinningResult<Option<PinResults>> {
        if self.done {
            return Ok(None);
        }
        let page = self.client.list(&self.filter).await?;
        if let Some(before) = &self.filter.before
            && let Some(newest) = page.results.iter().map(|s| &s.created).max()
            && newest >= before
        {
            self.done = true;
            return Err(self.client.invalid(format!(
                "paging does not advance: asked for pins created before {before}, got one from \
                 {newest}"
            )));
        }
        let Some(oldest) = page.results.iter().map(|s| &s.created).min().cloned() else {
            self.done = true;
            return Ok(None);
        };
        let page_size = self.filter.limit.unwrap_or(DEFAULT_LIMIT) as usize;
        if page.count as usize > page.results.len() || page.results.len() >= page_size {
            self.filter.before = Some(oldest);
        } else {
            self.done = true;
        }
        Ok(Some(page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_never_printed() {
        let s = PinningService::new("svc", "http://127.0.0.1:5000/", "s3cr3t-t0ken").expect("ok");
        let shown = format!(
            "{s:?} {s} {:?}",
            PinningClient::new(s.clone()).expect("client")
        );
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert_eq!(s.to_string(), "svc (http://127.0.0.1:5000/)");
    }

    #[test]
    fn endpoints_and_tokens_are_checked() {
        let bad = |e: &str, t: &str| PinningService::new("s", e, t).expect_err(e).code();
        assert_eq!(bad("ftp://127.0.0.1", "t"), "invalid_input");
        assert_eq!(bad("http://user:pw@127.0.0.1", "t"), "invalid_input");
        assert_eq!(bad("http://127.0.0.1/?x=1", "t"), "invalid_input");
        assert_eq!(bad("not a url", "t"), "invalid_input");
        assert_eq!(bad("http://127.0.0.1", ""), "invalid_input");
        let e = PinningService::new("s", "http://127.0.0.1", "to ken").expect_err("space");
        assert!(!e.to_string().contains("to ken"));

        let https = PinningService::new("s", "https://api.example.com/psa", "t").expect("parses");
        assert!(PinningClient::new(https).is_ok(), "https goes anywhere");
        let remote = PinningService::new("s", "http://192.0.2.1:5000", "t").expect("parses");
        assert!(PinningClient::new(remote.clone()).is_err());
        let opts = ClientOptions {
            allow_insecure_http: true,
            ..ClientOptions::default()
        };
        assert!(PinningClient::with_options(remote, opts).is_ok());
        for lo in ["http://localhost:1", "http://127.1.2.3:1", "http://[::1]:1"] {
            let s = PinningService::new("s", lo, "t").expect("parses");
            assert!(PinningClient::new(s).is_ok(), "{lo}");
        }
    }

    #[test]
    fn urls_keep_the_endpoint_path_and_encode_request_ids() {
        let s = PinningService::new("s", "http://127.0.0.1:9/api/psa/", "t").expect("ok");
        let c = PinningClient::new(s).expect("client");
        assert_eq!(
            c.url(&[]).expect("url").as_str(),
            "http://127.0.0.1:9/api/psa/pins"
        );
        assert_eq!(
            c.url(&["a/b c"]).expect("url").as_str(),
            "http://127.0.0.1:9/api/psa/pins/a%2Fb%20c"
        );
    }

    #[test]
    fn backoff_grows_to_the_cap() {
        let p = PollPolicy {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(700),
            factor: 2.0,
        };
        let mut d = p.initial;
        let mut seen = vec![];
        for _ in 0..5 {
            seen.push(d.as_millis());
            d = p.next(d);
        }
        assert_eq!(seen, [100, 200, 400, 700, 700]);
    }
}
