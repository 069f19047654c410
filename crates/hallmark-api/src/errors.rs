//! The error every command returns: a code of the closed set [`ErrorCode`] and a message.

use serde::{Deserialize, Serialize};

pub use hallmark_domain::ErrorCode;

/// The error every command returns to the UI: a stable machine code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable, machine-readable code such as `media.unsupported_type` (see `docs/errors.md`).
    pub code: ErrorCode,
    /// A sentence a user can act on. Never raw internals.
    pub message: String,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_json_is_pinned() {
        let e = ApiError {
            code: ErrorCode::MediaNotFound,
            message: "no file".into(),
        };
        assert_eq!(
            serde_json::to_string(&e).expect("json"),
            r#"{"code":"media.not_found","message":"no file"}"#
        );
        let back: ApiError =
            serde_json::from_str(r#"{"code":"request.invalid","message":"x"}"#).expect("back");
        assert_eq!(back.code, ErrorCode::RequestInvalid);
    }
}
