//! [`TlsProblem`]: why a TLS handshake failed, in words a user can act on.

use std::error::Error as StdError;

use hallmark_domain::ErrorCode;
use rustls::CertificateError;

/// Why the server's certificate (or the handshake) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsProblem {
    /// Signed by a certificate authority this installation does not trust.
    #[error(
        "its TLS certificate is signed by an authority this installation does not trust (import \
         the consortium profile with its CA certificate, or add the CA in Settings)"
    )]
    UnknownAuthority,
    /// Expired (or not valid yet).
    #[error(
        "its TLS certificate has expired or is not valid yet (check the server's certificate and this computer's clock)"
    )]
    Expired,
    /// Issued for another host name.
    #[error("its TLS certificate is for another host name than the one in the address")]
    WrongHost,
    /// Another TLS failure.
    #[error("the TLS handshake failed: {0}")]
    Other(String),
}

impl TlsProblem {
    /// The TLS failure somewhere in `error`'s chain of causes, if there is one.
    pub fn of(error: &(dyn StdError + 'static)) -> Option<Self> {
        let mut current: Option<&(dyn StdError + 'static)> = Some(error);
        while let Some(e) = current {
            if let Some(tls) = e.downcast_ref::<rustls::Error>() {
                return Some(Self::from_rustls(tls));
            }
            // io::Error's `source()` skips the error it wraps (tokio-rustls and hyper wrap
            // the rustls::Error in one or two of them), so step into it by hand.
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && let Some(inner) = io.get_ref()
            {
                current = Some(inner);
                continue;
            }
            current = e.source();
        }
        None
    }

    fn from_rustls(error: &rustls::Error) -> Self {
        match error {
            rustls::Error::InvalidCertificate(cert) => match cert {
                CertificateError::UnknownIssuer | CertificateError::BadSignature => {
                    Self::UnknownAuthority
                }
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. } => Self::Expired,
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => Self::WrongHost,
                other => Self::Other(format!("{other:?}")),
            },
            other => Self::Other(other.to_string()),
        }
    }

    /// Its stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::UnknownAuthority => ErrorCode::NetTlsUnknownAuthority,
            Self::Expired => ErrorCode::NetTlsExpired,
            Self::WrongHost => ErrorCode::NetTlsWrongHost,
            Self::Other(_) => ErrorCode::NetTls,
        }
    }
}
