//! The HTTP transport under every chain connection Hallmark makes (signing clients, deployment,
//! the catalog indexer, online checks of evidence bundles).
//!
//! - **Timeouts.** alloy's default reqwest client waits forever: a node that accepts the
//!   connection and never answers would hang a command. Here a connection must be made within
//!   [`RPC_CONNECT_TIMEOUT`] and every request answered within [`RPC_REQUEST_TIMEOUT`].
//! - **Bounded retries of reads.** A read (a method of [`is_read_method`]: `eth_call`,
//!   `eth_getLogs`, `eth_blockNumber`, …) that fails fast — connection refused or reset, an
//!   answer that is not HTTP, HTTP 429/502/503/504 — is sent again up to [`READ_RETRIES`] times,
//!   waiting 250 ms, 500 ms, 1 s, 2 s (3.75 s in all: a node restarting is waited for). A read
//!   that timed out is not retried (the command fails after one timeout rather than several),
//!   and **a transaction is never re-sent** here: `eth_sendRawTransaction` and every method not
//!   known to be a read fail at once.
//! - **Plain words.** A transport failure becomes a [`NodeUnreachable`] (code
//!   `chain.unavailable` through [`ChainError::Unreachable`](crate::ChainError)) that says what
//!   happened in a sentence, never a library's debug text or an `os error` number.

use std::error::Error as _;
use std::task::{Context, Poll};
use std::time::Duration;

use alloy::rpc::json_rpc::{RequestPacket, ResponsePacket};
use alloy::transports::http::Http;
use alloy::transports::http::reqwest::{self, Client, Url};
use alloy::transports::{RpcError, TransportError, TransportErrorKind, TransportFut};
use hallmark_net::innermost_cause;
use tower_service::Service;

/// How long to wait for a TCP connection to the node.
pub const RPC_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one JSON-RPC request may take, from sending it to the end of the answer.
pub const RPC_REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How many times a read that failed fast is sent again.
pub const READ_RETRIES: u32 = 4;
/// The wait before the first retry; it doubles before each next one.
pub const FIRST_RETRY_WAIT: Duration = Duration::from_millis(250);

/// The chain node did not answer usefully: refused, silent, not HTTP, an HTTP error, not
/// JSON-RPC. `Display` is one plain sentence naming the endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the chain at {url} is not reachable: {reason}")]
pub struct NodeUnreachable {
    /// The endpoint.
    pub url: String,
    /// What happened, in words.
    pub reason: String,
    /// The TLS problem, when the handshake failed (it has its own code).
    pub tls: Option<hallmark_net::TlsProblem>,
}

/// Methods that only read: sending one again cannot change anything on the chain.
pub fn is_read_method(method: &str) -> bool {
    matches!(
        method,
        "eth_chainId"
            | "net_version"
            | "web3_clientVersion"
            | "eth_syncing"
            | "eth_blockNumber"
            | "eth_getBlockByNumber"
            | "eth_getBlockByHash"
            | "eth_getBlockReceipts"
            | "eth_getLogs"
            | "eth_call"
            | "eth_estimateGas"
            | "eth_gasPrice"
            | "eth_maxPriorityFeePerGas"
            | "eth_feeHistory"
            | "eth_getBalance"
            | "eth_getCode"
            | "eth_getStorageAt"
            | "eth_getTransactionCount"
            | "eth_getTransactionByHash"
            | "eth_getTransactionReceipt"
    )
}

/// Methods that send a transaction: a timeout does not mean it was not executed.
fn is_send_method(method: &str) -> bool {
    method.starts_with("eth_send")
}

/// The reqwest client of every chain connection: TLS with the installation's trust
/// ([`hallmark_net::default_trust`]), connect and request timeouts, no proxy (nodes are on
/// loopback or the consortium's network).
pub fn rpc_http_client() -> Result<Client, reqwest::Error> {
    rpc_http_client_trusting(&hallmark_net::default_trust())
}

/// [`rpc_http_client`] trusting `trust`.
pub fn rpc_http_client_trusting(trust: &hallmark_net::Trust) -> Result<Client, reqwest::Error> {
    hallmark_net::client_builder(trust)
        .connect_timeout(RPC_CONNECT_TIMEOUT)
        .timeout(RPC_REQUEST_TIMEOUT)
        .no_proxy()
        .build()
}

/// alloy's HTTP transport with Hallmark's timeouts, read retries and plain errors.
#[derive(Debug, Clone)]
pub struct HallmarkHttp {
    inner: Http<Client>,
    url: String,
}

impl HallmarkHttp {
    /// A transport to `url` over `client` (see [`rpc_http_client`]).
    pub fn new(client: Client, url: Url) -> Self {
        Self {
            url: shown_url(&url),
            inner: Http::with_client(client, url),
        }
    }
}

/// The URL as shown to a user: no credentials, no trailing slash.
fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.as_str().trim_end_matches('/').to_owned()
}

impl Service<RequestPacket> for HallmarkHttp {
    type Response = ResponsePacket;
    type Error = TransportError;
    type Future = TransportFut<'static>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: RequestPacket) -> Self::Future {
        let mut inner = self.inner.clone();
        let url = self.url.clone();
        Box::pin(async move {
            let read = request.method_names().all(is_read_method);
            let send = request.method_names().any(is_send_method);
            let mut wait = FIRST_RETRY_WAIT;
            let mut retries = 0;
            loop {
                let error = match inner.call(request.clone()).await {
                    Ok(response) => return Ok(response),
                    Err(error) => error,
                };
                let Some(fault) = Fault::of(&error) else {
                    // The node's own answer (an error object, a revert): passed on as it is.
                    return Err(error);
                };
                if read && fault.transient() && retries < READ_RETRIES {
                    retries += 1;
                    tracing::debug!(%url, retries, ?wait, reason = %fault.describe(send), "retrying a chain read");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                    continue;
                }
                let tls = match &fault {
                    Fault::Tls(problem) => Some(problem.clone()),
                    _ => None,
                };
                return Err(TransportErrorKind::custom(NodeUnreachable {
                    url,
                    reason: fault.describe(send),
                    tls,
                }));
            }
        })
    }
}

/// How a request failed below JSON-RPC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No connection: nothing listens on the address, or it could not be reached (the cause).
    CannotConnect(String),
    /// No connection within [`RPC_CONNECT_TIMEOUT`].
    ConnectTimeout,
    /// No complete answer within [`RPC_REQUEST_TIMEOUT`].
    Timeout,
    /// The connection broke, or what came back is not HTTP (the innermost cause).
    Broken(String),
    /// An HTTP error status.
    Http(u16),
    /// An HTTP answer that is not JSON-RPC (its start).
    NotJsonRpc(String),
    /// The TLS handshake failed (an untrusted, expired or misnamed certificate).
    Tls(hallmark_net::TlsProblem),
}

impl Fault {
    /// Classifies a transport error; `None` for the node's own JSON-RPC answers.
    pub fn of(error: &TransportError) -> Option<Self> {
        match error {
            RpcError::Transport(TransportErrorKind::HttpError(http)) => {
                Some(Self::Http(http.status))
            }
            RpcError::Transport(TransportErrorKind::HttpErrorWithRetryAfter { error, .. }) => {
                Some(Self::Http(error.status))
            }
            RpcError::Transport(TransportErrorKind::Custom(inner)) => {
                inner.downcast_ref::<reqwest::Error>().map(Self::of_reqwest)
            }
            RpcError::DeserError { text, .. } => Some(Self::NotJsonRpc(start_of(text))),
            _ => None,
        }
    }

    /// Classifies a reqwest failure.
    pub fn of_reqwest(error: &reqwest::Error) -> Self {
        let refused = io_kind_in(error) == Some(std::io::ErrorKind::ConnectionRefused);
        if let Some(problem) = hallmark_net::TlsProblem::of(error) {
            Self::Tls(problem)
        } else if error.is_connect() && error.is_timeout() {
            Self::ConnectTimeout
        } else if refused {
            Self::CannotConnect("connection refused".to_owned())
        } else if error.is_connect() {
            Self::CannotConnect(innermost_cause(error))
        } else if error.is_timeout() {
            Self::Timeout
        } else if let Some(status) = error.status() {
            Self::Http(status.as_u16())
        } else {
            Self::Broken(innermost_cause(error))
        }
    }

    /// Whether sending the same read again soon may work.
    pub fn transient(&self) -> bool {
        match self {
            Self::CannotConnect(_) | Self::Broken(_) => true,
            Self::Http(status) => matches!(status, 429 | 502 | 503 | 504),
            Self::ConnectTimeout | Self::Timeout | Self::NotJsonRpc(_) | Self::Tls(_) => false,
        }
    }

    /// What happened, in words (`send`: the request sent a transaction).
    pub fn describe(&self, send: bool) -> String {
        self.describe_after(send, RPC_REQUEST_TIMEOUT)
    }

    /// [`describe`](Self::describe) for a client whose request timeout is `timeout`.
    pub fn describe_after(&self, send: bool, timeout: Duration) -> String {
        match self {
            Self::CannotConnect(cause) => {
                format!("nothing answers on that address ({cause}); is the node running?")
            }
            Self::ConnectTimeout => format!(
                "no connection within {} s; check the address and that the node is running",
                RPC_CONNECT_TIMEOUT.as_secs()
            ),
            Self::Timeout if send => format!(
                "it did not answer within {} s; the transaction may still be executed, so check \
                 before sending it again",
                timeout.as_secs()
            ),
            Self::Timeout => format!("it did not answer within {} s", timeout.as_secs()),
            Self::Broken(cause) => format!(
                "the connection broke or the answer is not HTTP ({cause}); is this the node's \
                 JSON-RPC address?"
            ),
            Self::Http(status) => {
                let reason = reqwest::StatusCode::from_u16(*status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                format!("it answered HTTP {status} {reason}")
                    .trim_end()
                    .to_owned()
            }
            Self::Tls(problem) => problem.to_string(),
            Self::NotJsonRpc(start) => format!(
                "its answer is not JSON-RPC (it starts with {start:?}); is this the node's \
                 JSON-RPC address?"
            ),
        }
    }
}

/// The [`NodeUnreachable`] inside a transport error, if the failure was the node's reachability.
pub fn node_unreachable(error: &TransportError) -> Option<&NodeUnreachable> {
    match error {
        RpcError::Transport(TransportErrorKind::Custom(inner)) => inner.downcast_ref(),
        _ => None,
    }
}

fn io_kind_in(error: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut source = error.source();
    while let Some(inner) = source {
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = inner.source();
    }
    None
}

fn start_of(text: &str) -> String {
    let start: String = text.trim().chars().take(60).collect();
    start.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use hallmark_net::without_os_error;

    #[test]
    fn reads_are_known_and_sends_are_not_reads() {
        for read in ["eth_call", "eth_getLogs", "eth_blockNumber", "eth_chainId"] {
            assert!(is_read_method(read), "{read}");
        }
        for write in [
            "eth_sendRawTransaction",
            "eth_sendTransaction",
            "evm_mine",
            "anvil_setBalance",
            "eth_newFilter",
        ] {
            assert!(!is_read_method(write), "{write}");
        }
        assert!(is_send_method("eth_sendRawTransaction"));
        assert!(!is_send_method("eth_call"));
    }

    #[test]
    fn faults_are_described_without_internals() {
        let all = [
            Fault::CannotConnect("connection refused".to_owned()),
            Fault::ConnectTimeout,
            Fault::Timeout,
            Fault::Broken(without_os_error("Connection reset by peer (os error 104)")),
            Fault::Http(503),
            Fault::NotJsonRpc(start_of("<html>\n<body>proxy</body>")),
        ];
        for fault in all {
            for send in [false, true] {
                let text = fault.describe(send);
                assert!(!text.contains("os error"), "{text}");
                assert!(!text.contains("::"), "{text}");
                assert!(!text.contains("Error"), "{text}");
            }
        }
        assert_eq!(
            Fault::Http(503).describe(false),
            "it answered HTTP 503 Service Unavailable"
        );
        assert!(
            Fault::Timeout
                .describe(true)
                .contains("may still be executed")
        );
        assert!(Fault::CannotConnect(String::new()).transient() && !Fault::Timeout.transient());
        assert!(Fault::Http(503).transient() && !Fault::Http(404).transient());
    }

    #[test]
    fn os_error_suffixes_are_dropped() {
        assert_eq!(
            without_os_error("Connection reset by peer (os error 104)"),
            "connection reset by peer"
        );
        assert_eq!(
            without_os_error("invalid HTTP version parsed"),
            "invalid HTTP version parsed"
        );
    }

    /// A port nothing listens on (yet).
    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port()
    }

    #[tokio::test]
    async fn a_read_waits_for_a_node_that_comes_back() {
        use alloy::providers::Provider;
        use std::io::{Read, Write};
        let port = free_port();
        // The node starts listening 700 ms late: the first attempts are refused.
        let node = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(700));
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind");
            let (mut stream, _) = listener.accept().expect("accept");
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !String::from_utf8_lossy(&request).contains("eth_chainId") {
                let n = stream.read(&mut buf).expect("read");
                request.extend_from_slice(&buf[..n]);
            }
            let text = String::from_utf8_lossy(&request);
            let id: String = text[text.find("\"id\":").expect("id") + 5..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":"0x7a69"}}"#);
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(answer.as_bytes()).expect("answer");
        });
        let provider = crate::connect_reader(&format!("http://127.0.0.1:{port}")).expect("url");
        let started = std::time::Instant::now();
        let chain_id = provider
            .get_chain_id()
            .await
            .expect("answered after retries");
        assert_eq!(chain_id, 31337);
        assert!(started.elapsed() >= Duration::from_millis(500));
        node.join().expect("node");
    }

    #[tokio::test]
    async fn a_transaction_is_never_sent_twice() {
        use alloy::providers::Provider;
        let url = format!("http://127.0.0.1:{}", free_port());
        let provider = crate::connect_reader(&url).expect("url");
        let started = std::time::Instant::now();
        let error = provider
            .raw_request::<_, serde_json::Value>("eth_sendRawTransaction".into(), ("0x00",))
            .await
            .expect_err("nothing listens");
        // Refused at once, not retried (a read would wait 3.75 s).
        assert!(
            started.elapsed() < Duration::from_millis(200),
            "{:?}",
            started.elapsed()
        );
        let unreachable = node_unreachable(&error).expect("said plainly");
        assert_eq!(unreachable.url, url);
        assert!(
            unreachable.reason.contains("connection refused"),
            "{unreachable}"
        );
        let started = std::time::Instant::now();
        provider
            .get_block_number()
            .await
            .expect_err("nothing listens");
        assert!(
            started.elapsed() >= Duration::from_millis(3700),
            "reads are retried"
        );
    }

    #[test]
    fn shown_urls_hide_credentials() {
        let url: Url = "http://user:secret@127.0.0.1:8545/".parse().expect("url");
        assert_eq!(shown_url(&url), "http://127.0.0.1:8545");
    }
}
