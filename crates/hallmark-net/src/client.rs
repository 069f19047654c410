//! [`client_builder`]: a reqwest client builder whose TLS is ours.

use std::sync::Arc;

use crate::trust::{Trust, default_trust};

/// The rustls client configuration every connection uses: the ring provider, safe protocol
/// versions, and `trust`'s roots; ALPN offers HTTP/1.1 (reqwest and WebSocket upgrades both
/// speak it).
pub(crate) fn tls_config(trust: &Trust) -> Result<rustls::ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // A reqwest client built elsewhere without a preconfigured TLS (alloy's defaults, a test)
    // needs a process-wide provider; the first install wins, later ones are no-ops.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(trust.root_store())
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A reqwest builder that verifies servers against `trust` with rustls and the ring provider.
/// The caller adds its timeouts, proxy and headers and builds it.
pub fn client_builder(trust: &Trust) -> reqwest::ClientBuilder {
    match tls_config(trust) {
        Ok(config) => reqwest::Client::builder().tls_backend_preconfigured(config),
        // The ring provider supports the safe defaults; should that ever change, reqwest's
        // own rustls set-up (with the process-wide provider) still verifies certificates.
        Err(error) => {
            tracing::error!(%error, "cannot configure TLS; using reqwest's defaults");
            reqwest::Client::builder()
        }
    }
}

/// [`client_builder`] with the installation's [`default_trust`].
pub fn default_client_builder() -> reqwest::ClientBuilder {
    client_builder(&default_trust())
}
