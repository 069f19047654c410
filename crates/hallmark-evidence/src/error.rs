//! What can go wrong making or reading a bundle (a failed *check* is not an error: it is a line
//! of the [`crate::Report`]).

use hallmark_domain::ErrorCode;
/// Why a bundle could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// The file is not a bundle this version reads (not a zip, an unexpected entry, a limit).
    #[error("not a Hallmark evidence bundle: {reason}")]
    NotABundle {
        /// What is wrong.
        reason: String,
    },
    /// A document inside the bundle does not parse.
    #[error("`{file}` is malformed: {reason}")]
    Malformed {
        /// Which file.
        file: String,
        /// The parser's message.
        reason: String,
    },
    /// The bundle could not be written.
    #[error("cannot write the bundle: {0}")]
    Write(String),
    /// Signing failed.
    #[error("cannot sign: {0}")]
    Signing(String),
    /// The data to prove is inconsistent (e.g. the signer does not hold the token).
    #[error("{0}")]
    Invalid(String),
}

impl EvidenceError {
    /// A stable machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::NotABundle { .. } => ErrorCode::EvidenceNotABundle,
            Self::Malformed { .. } => ErrorCode::EvidenceMalformed,
            Self::Write(_) => ErrorCode::EvidenceWrite,
            Self::Signing(_) => ErrorCode::EvidenceSigning,
            Self::Invalid(_) => ErrorCode::EvidenceInvalid,
        }
    }
}
