//! [`connect_websocket`]: a WebSocket client connection (`ws`, or `wss` with the same rustls
//! [`Trust`] as every HTTP client, so a consortium's own CA works here too).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::client::tls_config;
use crate::problem::TlsProblem;
use crate::scheme::{UrlRefused, check_websocket_url};
use crate::trust::Trust;

/// An open WebSocket.
pub type WebSocket = tokio_tungstenite::WebSocketStream<Connection>;

/// The byte stream under a [`WebSocket`]: plain TCP (`ws`) or TLS over TCP (`wss`).
#[derive(Debug)]
pub enum Connection {
    /// `ws://`.
    Plain(TcpStream),
    /// `wss://`.
    Tls(Box<TlsStream<TcpStream>>),
}

/// Why a WebSocket could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum WebSocketError {
    /// The URL is refused (not ws/wss, or plain ws to another machine).
    #[error(transparent)]
    Refused(#[from] UrlRefused),
    /// Nothing answers at the address.
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The server's certificate (or the TLS handshake) was refused.
    #[error("{url}: {problem}")]
    Tls {
        /// The URL.
        url: String,
        /// What was wrong.
        problem: TlsProblem,
    },
    /// The server answered, but not as a WebSocket endpoint.
    #[error("{url} did not accept a WebSocket connection: {reason}")]
    Handshake {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
}

/// Opens a WebSocket to `url`: `wss` verified against `trust` (rustls, ring), plain `ws` only
/// where `trust`'s plain-http rule allows it.
pub async fn connect_websocket(url: &str, trust: &Trust) -> Result<WebSocket, WebSocketError> {
    let parsed = check_websocket_url(url, trust.plain_http())?;
    let secure = parsed.scheme() == "wss";
    let host = parsed
        .host_str()
        .ok_or_else(|| UrlRefused::Invalid {
            url: url.to_owned(),
            reason: "it names no host".to_owned(),
        })?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = parsed
        .port_or_known_default()
        .unwrap_or(if secure { 443 } else { 80 });
    let unreachable = |reason: String| WebSocketError::Unreachable {
        url: url.to_owned(),
        reason,
    };
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    // Notifications are small and latency is what matters.
    let _ = tcp.set_nodelay(true);
    let connection = if secure {
        let tls_error = |problem| WebSocketError::Tls {
            url: url.to_owned(),
            problem,
        };
        let config = tls_config(trust).map_err(|e| tls_error(TlsProblem::Other(e.to_string())))?;
        let name = ServerName::try_from(host.clone()).map_err(|e| UrlRefused::Invalid {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        let stream = TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| match TlsProblem::of(&e) {
                Some(problem) => tls_error(problem),
                None => unreachable(e.to_string()),
            })?;
        Connection::Tls(Box::new(stream))
    } else {
        Connection::Plain(tcp)
    };
    let (socket, _response) = tokio_tungstenite::client_async(parsed.as_str(), connection)
        .await
        .map_err(|e| WebSocketError::Handshake {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
    Ok(socket)
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
