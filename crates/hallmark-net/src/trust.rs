//! [`Trust`]: which certificate authorities a connection accepts.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::PlainHttp;

/// What a connection trusts: the certificate authorities a TLS connection accepts — the system's
/// roots (unless turned off, e.g. by a test) plus extra CA certificates, such as a consortium's
/// own CA from its profile — and where plain http may go.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    extra_roots: Arc<Vec<CertificateDer<'static>>>,
    without_system_roots: bool,
    plain_http: PlainHttp,
}

/// A CA certificate that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The file cannot be read.
    #[error("cannot read the CA certificate file {path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The text holds no PEM certificate, or a broken one.
    #[error("{source_name} holds no usable PEM certificate ({reason})")]
    NotPem {
        /// Where the text came from (a file name or "the profile").
        source_name: String,
        /// Why.
        reason: String,
    },
}

impl Trust {
    /// The system's roots only.
    pub fn system() -> Self {
        Self::default()
    }

    /// Adds every certificate of a PEM text (`-----BEGIN CERTIFICATE-----` blocks).
    /// `source_name` names the text in errors.
    pub fn with_pem(mut self, pem: &[u8], source_name: &str) -> Result<Self, TrustError> {
        let not_pem = |reason: String| TrustError::NotPem {
            source_name: source_name.to_owned(),
            reason,
        };
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| not_pem(e.to_string()))?;
        if certs.is_empty() {
            return Err(not_pem("no BEGIN CERTIFICATE block".to_owned()));
        }
        // Each must parse as a trust anchor, so that a broken one is refused here and not at
        // the first connection.
        for cert in &certs {
            webpki_anchor_check(cert).map_err(not_pem)?;
        }
        Arc::make_mut(&mut self.extra_roots).extend(certs);
        Ok(self)
    }

    /// Adds the certificates of a PEM file.
    pub fn with_pem_file(self, path: &Path) -> Result<Self, TrustError> {
        let pem = std::fs::read(path).map_err(|e| TrustError::Unreadable {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        self.with_pem(&pem, &path.display().to_string())
    }

    /// Trusts only the extra certificates, not the system's roots (tests; a closed network).
    pub fn without_system_roots(mut self) -> Self {
        self.without_system_roots = true;
        self
    }

    /// Where plain http may go (default: loopback only); see [`crate::check_url`].
    pub fn with_plain_http(mut self, plain_http: PlainHttp) -> Self {
        self.plain_http = plain_http;
        self
    }

    /// Where plain http may go.
    pub fn plain_http(&self) -> PlainHttp {
        self.plain_http
    }

    /// How many extra CA certificates this trusts.
    pub fn extra_root_count(&self) -> usize {
        self.extra_roots.len()
    }

    /// The root store: the system's roots (those it can parse) and the extra ones.
    pub(crate) fn root_store(&self) -> rustls::RootCertStore {
        let mut roots = rustls::RootCertStore::empty();
        if !self.without_system_roots {
            let system = rustls_native_certs::load_native_certs();
            for error in &system.errors {
                tracing::debug!(%error, "a system CA certificate could not be loaded");
            }
            let (added, ignored) = roots.add_parsable_certificates(system.certs);
            tracing::debug!(added, ignored, "system CA certificates");
        }
        for cert in self.extra_roots.iter() {
            // Checked in `with_pem`, so this cannot fail.
            if let Err(error) = roots.add(cert.clone()) {
                tracing::warn!(%error, "an extra CA certificate was refused");
            }
        }
        roots
    }
}

fn webpki_anchor_check(cert: &CertificateDer<'_>) -> Result<(), String> {
    let mut probe = rustls::RootCertStore::empty();
    probe
        .add(cert.clone().into_owned())
        .map_err(|e| e.to_string())
}

static DEFAULT: RwLock<Option<Trust>> = RwLock::new(None);

/// Makes `trust` the one every connection opened from now on uses unless given another (the
/// engine calls this when it opens a data folder).
pub fn set_default_trust(trust: Trust) {
    match DEFAULT.write() {
        Ok(mut slot) => *slot = Some(trust),
        Err(poisoned) => *poisoned.into_inner() = Some(trust),
    }
}

/// The trust installed with [`set_default_trust`], else the system's roots.
pub fn default_trust() -> Trust {
    match DEFAULT.read() {
        Ok(slot) => slot.clone().unwrap_or_default(),
        Err(poisoned) => poisoned.into_inner().clone().unwrap_or_default(),
    }
}

impl TrustError {
    /// Its stable code.
    pub fn code(&self) -> hallmark_domain::ErrorCode {
        hallmark_domain::ErrorCode::NetBadCaCertificate
    }
}
