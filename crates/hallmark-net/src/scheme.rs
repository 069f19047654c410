//! The plain-http rule: `https` anywhere, plain `http` only to this machine unless the user opted
//! in for a network they trust.

use hallmark_domain::ErrorCode;

/// Whether plain `http` may go to hosts other than this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlainHttp {
    /// Only to loopback (`127.0.0.0/8`, `::1`, `localhost`): the default.
    #[default]
    LoopbackOnly,
    /// Anywhere: the user said the network is private (e.g. a consortium LAN).
    Anywhere,
}

/// A URL a connection will not be opened to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefused {
    /// Not a URL at all.
    #[error("{url:?} is not a URL: {reason}")]
    Invalid {
        /// The text.
        url: String,
        /// Why.
        reason: String,
    },
    /// Not a scheme this kind of connection speaks (http/https, or ws/wss).
    #[error("{url} uses {scheme}:, but only {expected} are supported here")]
    Scheme {
        /// The URL.
        url: String,
        /// Its scheme.
        scheme: String,
        /// The schemes that are (e.g. "http: and https:").
        expected: String,
    },
    /// Plain http to another machine without the user's opt-in.
    #[error(
        "{url} is plain http to another machine: anyone on the network could read or change what \
         it sends. Use https, or allow plain http for this private network in Settings"
    )]
    PlainHttpToRemote {
        /// The URL.
        url: String,
    },
}

impl UrlRefused {
    /// Its stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid { .. } | Self::Scheme { .. } => ErrorCode::ConfigInvalid,
            Self::PlainHttpToRemote { .. } => ErrorCode::NetPlainHttpRefused,
        }
    }
}

/// Checks `url` against the plain-http rule and returns it parsed.
pub fn check_url(url: &str, plain_http: PlainHttp) -> Result<reqwest::Url, UrlRefused> {
    check_with_schemes(url, plain_http, "https", "http")
}

/// [`check_url`] for a WebSocket URL: `wss` anywhere, plain `ws` under the plain-http rule.
pub fn check_websocket_url(url: &str, plain_http: PlainHttp) -> Result<reqwest::Url, UrlRefused> {
    check_with_schemes(url, plain_http, "wss", "ws")
}

fn check_with_schemes(
    url: &str,
    plain_http: PlainHttp,
    secure: &str,
    plain: &str,
) -> Result<reqwest::Url, UrlRefused> {
    let parsed = reqwest::Url::parse(url).map_err(|e| UrlRefused::Invalid {
        url: url.to_owned(),
        reason: e.to_string(),
    })?;
    let scheme = parsed.scheme();
    if scheme == secure {
        return Ok(parsed);
    }
    if scheme != plain {
        return Err(UrlRefused::Scheme {
            url: url.to_owned(),
            scheme: scheme.to_owned(),
            expected: format!("{plain}: and {secure}:"),
        });
    }
    let loopback = parsed.host_str().is_some_and(is_loopback_host);
    if loopback || plain_http == PlainHttp::Anywhere {
        Ok(parsed)
    } else {
        Err(UrlRefused::PlainHttpToRemote {
            url: url.to_owned(),
        })
    }
}

/// `localhost`, `127.0.0.0/8` or `::1` (with or without brackets).
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_allowed_anywhere() {
        assert!(
            check_url(
                "https://rpc.consortium.example:8545",
                PlainHttp::LoopbackOnly
            )
            .is_ok()
        );
    }

    #[test]
    fn plain_http_is_allowed_to_loopback_only() {
        for url in [
            "http://127.0.0.1:8545",
            "http://127.8.9.1/",
            "http://localhost:5001",
            "http://[::1]:5001",
        ] {
            assert!(check_url(url, PlainHttp::LoopbackOnly).is_ok(), "{url}");
        }
        for url in [
            "http://10.0.0.4:8545",
            "http://node.consortium.example",
            "http://[fe80::1]:5001",
            "http://127.0.0.1.evil.example/",
        ] {
            let refused = check_url(url, PlainHttp::LoopbackOnly).expect_err(url);
            assert_eq!(refused.code(), ErrorCode::NetPlainHttpRefused, "{url}");
            assert!(check_url(url, PlainHttp::Anywhere).is_ok(), "{url}");
        }
    }

    #[test]
    fn other_schemes_and_garbage_are_refused() {
        assert!(matches!(
            check_url("ftp://127.0.0.1/", PlainHttp::Anywhere),
            Err(UrlRefused::Scheme { .. })
        ));
        assert!(matches!(
            check_url("not a url", PlainHttp::Anywhere),
            Err(UrlRefused::Invalid { .. })
        ));
    }
}
