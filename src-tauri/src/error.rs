//! The one error boundary: every engine error reaches the UI as `{code, message}` — a stable
//! code and the engine's user-facing sentence, never a debug dump. Details go to the log.

use hallmark_api::ApiError;
use hallmark_engine::EngineError;

/// What every command returns on failure.
#[derive(Debug)]
pub(crate) struct CommandError(ApiError);

impl From<EngineError> for CommandError {
    fn from(e: EngineError) -> Self {
        tracing::warn!(code = e.code(), error = %e, "command failed");
        Self(ApiError {
            code: e.code().to_owned(),
            message: e.to_string(),
        })
    }
}

impl From<hallmark_engine::catalog::CatalogError> for CommandError {
    fn from(e: hallmark_engine::catalog::CatalogError) -> Self {
        EngineError::from(e).into()
    }
}

impl CommandError {
    /// The stable code.
    #[cfg(test)]
    pub(crate) fn code(&self) -> &str {
        &self.0.code
    }

    /// An error raised by the shell itself (bad arguments, engine not ready).
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        Self(ApiError {
            code: code.to_owned(),
            message: message.into(),
        })
    }
}

impl serde::Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A command's result.
pub(crate) type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_errors_become_pinned_json() {
        let e = EngineError::DevChain {
            reason: "anvil was not found".into(),
        };
        let json = serde_json::to_string(&CommandError::from(e)).expect("json");
        assert_eq!(
            json,
            r#"{"code":"chain.dev_chain","message":"the local dev chain could not start: anvil was not found"}"#
        );
        let shell = CommandError::new("request.invalid", "the path is empty");
        assert_eq!(
            serde_json::to_string(&shell).expect("json"),
            r#"{"code":"request.invalid","message":"the path is empty"}"#
        );
    }
}
