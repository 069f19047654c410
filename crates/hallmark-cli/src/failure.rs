//! [`Failure`]: what a command reports when it fails, and the exit code that goes with it.

use std::fmt;

use hallmark_domain::ErrorCode;
use hallmark_engine::EngineError;
use hallmark_media::MediaError;

/// Exit status for bad input or usage (like clap's usage errors).
pub(crate) const EXIT_BAD_INPUT: u8 = 2;
/// Exit status for every other failure.
pub(crate) const EXIT_FAILURE: u8 = 1;

/// A failed command: one user-facing line, an optional hint, and whose fault it was.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The sentence printed after `error: `.
    pub(crate) message: String,
    /// The engine's stable code (e.g. `storage.full`), printed in brackets after the sentence.
    pub(crate) code: Option<ErrorCode>,
    /// A suggestion printed after `hint: `.
    pub(crate) hint: Option<String>,
    /// Whether the input (file, CID, option) was at fault.
    pub(crate) bad_input: bool,
}

impl Failure {
    /// The user gave something unusable.
    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: None,
            hint: None,
            bad_input: true,
        }
    }

    /// Something else went wrong.
    pub(crate) fn other(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: None,
            hint: None,
            bad_input: false,
        }
    }

    /// Adds the stable code.
    pub(crate) fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = Some(code);
        self
    }

    /// Adds a hint.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The process exit status.
    pub(crate) fn exit_code(&self) -> u8 {
        if self.bad_input {
            EXIT_BAD_INPUT
        } else {
            EXIT_FAILURE
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(code) = self.code {
            write!(f, " [{code}]")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl From<MediaError> for Failure {
    fn from(e: MediaError) -> Self {
        let bad_input = e.is_bad_input();
        let code = e.code();
        let failure = Self {
            message: e.to_string(),
            code: Some(code),
            hint: None,
            bad_input,
        };
        match code {
            ErrorCode::MediaPixelLimit | ErrorCode::MediaTooLarge | ErrorCode::MediaFrameLimit => {
                failure.with_hint("limits are set in config.json in the data folder (`limits`)")
            }
            _ => failure,
        }
    }
}

impl From<hallmark_engine::chain::ChainError> for Failure {
    fn from(e: hallmark_engine::chain::ChainError) -> Self {
        EngineError::from(e).into()
    }
}

impl From<hallmark_engine::catalog::CatalogError> for Failure {
    fn from(e: hallmark_engine::catalog::CatalogError) -> Self {
        match e {
            hallmark_engine::catalog::CatalogError::InvalidQuery(_) => {
                Self::bad_input(e.to_string())
            }
            other => EngineError::from(other).into(),
        }
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        // A full disk or a folder that cannot be written is said as such, naming the folder.
        let e = e.for_user();
        let code = e.code();
        match e {
            EngineError::Media(media) => media.into(),
            EngineError::Config { .. } | EngineError::NotFound { .. } => {
                Self::bad_input(e.to_string()).with_code(code)
            }
            EngineError::Evidence(ref evidence)
                if evidence.code() == ErrorCode::EvidenceNotABundle =>
            {
                Self::bad_input(e.to_string()).with_code(code)
            }
            other => {
                let failure = Self::other(other.to_string()).with_code(code);
                if code == ErrorCode::StoreCidMismatch {
                    failure.with_hint(
                        "those bytes were refused and nothing was written; the IPFS node may be damaged or not the one you meant",
                    )
                } else if code.family() == "store" {
                    failure.with_hint(
                        "check that the IPFS node is running, or leave out --ipfs-api to use the embedded store",
                    )
                } else {
                    failure
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn media_input_errors_are_bad_input_with_the_file_named() {
        let f = Failure::from(MediaError::Empty {
            path: PathBuf::from("/tmp/x.png"),
        });
        assert_eq!(f.exit_code(), EXIT_BAD_INPUT);
        assert_eq!(
            f.to_string(),
            "error: /tmp/x.png: the file is empty [media.empty]"
        );
        let f = Failure::from(MediaError::Store {
            path: PathBuf::from("/tmp/x.png"),
            reason: "disk full".into(),
        });
        assert_eq!(f.exit_code(), EXIT_FAILURE);
    }
}
