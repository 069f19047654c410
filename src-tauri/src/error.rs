//! The one error boundary: every engine error reaches the UI as `{code, message}` — a stable
//! code and the engine's user-facing sentence, never a debug dump. Details go to the log.

use hallmark_api::{ApiError, ErrorCode};
use hallmark_engine::EngineError;

/// What every command returns on failure.
#[derive(Debug)]
pub(crate) struct CommandError(ApiError);

impl From<EngineError> for CommandError {
    fn from(e: EngineError) -> Self {
        // A full disk or a folder that cannot be written is said as such, naming the folder.
        let e = e.for_user();
        tracing::warn!(code = %e.code(), error = %e, "command failed");
        Self(ApiError::new(e.code(), e.to_string()))
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
    pub(crate) fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// An error raised by the shell itself (an internal failure of the shell).
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(ApiError::new(code, message))
    }

    /// A command's arguments broke a rule: [`ErrorCode::RequestInvalid`].
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::RequestInvalid, message)
    }
}

impl serde::Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A command's result.
pub(crate) type CommandResult<T> = Result<T, CommandError>;

/// Runs a command's work so that a panic in it (a bug, here or in a library) is answered as
/// [`ErrorCode::InternalPanic`], with the panic's message in the log only, instead of a call the
/// page waits on forever.
pub(crate) async fn guarded<T>(work: impl Future<Output = CommandResult<T>>) -> CommandResult<T> {
    use futures_util::FutureExt;
    match std::panic::AssertUnwindSafe(work).catch_unwind().await {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, "a command stopped on a panic");
            Err(CommandError::new(
                ErrorCode::InternalPanic,
                "the command stopped on a bug in Hallmark and did not finish; the log has the details (please report it)",
            ))
        }
    }
}

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
        let shell = CommandError::invalid("the path is empty");
        assert_eq!(
            serde_json::to_string(&shell).expect("json"),
            r#"{"code":"request.invalid","message":"the path is empty"}"#
        );
    }

    /// A panic in a command (issue 20: a library panicking on a field it was not meant to see)
    /// is answered as `internal.panic` with a plain sentence; the page is never left waiting.
    #[tokio::test]
    async fn a_panicking_command_is_answered_with_internal_panic() {
        fn library_call(len: usize) -> usize {
            let key = [0u8; 16];
            key[..len].len() // out of range for len > 16: panics like the old keystore crate
        }
        let answer: CommandResult<usize> = guarded(async {
            tokio::task::yield_now().await;
            Ok(library_call(std::hint::black_box(32)))
        })
        .await;
        let Err(error) = answer else {
            panic!("the panic was not caught")
        };
        let json = serde_json::to_value(&error).expect("json");
        assert_eq!(json["code"], "internal.panic");
        let message = json["message"].as_str().unwrap_or_default();
        assert!(message.contains("did not finish"), "{message}");
        assert!(
            !message.contains("range"),
            "the panic's text stays in the log: {message}"
        );
        // A command that does not panic is answered as it answers.
        let fine: CommandResult<usize> = guarded(async { Ok(library_call(8)) }).await;
        assert_eq!(fine.ok(), Some(8));
    }

    /// Dependencies down (docs/reliability.md): a full disk, a read-only data folder, a chain
    /// node that is down or silent reach the UI as `{code, message}` with a plain sentence —
    /// no internal file of the data folder, no Rust type, no `os error` number.
    #[tokio::test]
    async fn dependency_faults_become_plain_codes_and_sentences() {
        use hallmark_engine::ChainError;
        use hallmark_engine::catalog::CatalogError;
        use hallmark_engine::{Config, Engine};

        let tmp = tempfile::tempdir().expect("tmp");
        let data = tmp.path().join("chosen data folder");
        // The app opens its engine on the folder the user chose; faults are named after it.
        let engine = Engine::open(Config::embedded(data.clone()))
            .await
            .expect("engine");
        let os = |errno: i32| std::io::Error::from_raw_os_error(errno).to_string();
        let folder = data.display().to_string();
        let cases: Vec<(EngineError, &str, Option<&str>)> = vec![
            (
                EngineError::Catalog(CatalogError::Database {
                    path: data.join("catalog.sqlite"),
                    reason: "database or disk is full".into(),
                }),
                "storage.full",
                Some(&folder),
            ),
            (
                EngineError::DataDir {
                    path: data.join("keystores").join(".accounts.json.1.tmp"),
                    reason: os(28),
                },
                "storage.full",
                Some(&folder),
            ),
            (
                EngineError::Database {
                    path: data.join("hallmark.sqlite"),
                    reason: "attempt to write a readonly database".into(),
                },
                "storage.read_only",
                Some(&folder),
            ),
            (
                EngineError::DataDir {
                    path: data.join("ipfs").join("blocks"),
                    reason: os(30),
                },
                "storage.read_only",
                Some(&folder),
            ),
            (
                EngineError::Chain(ChainError::Unreachable {
                    url: "http://127.0.0.1:8545".into(),
                    reason: "it did not answer within 15 s".into(),
                    tls: None,
                }),
                "chain.unavailable",
                Some("http://127.0.0.1:8545"),
            ),
            (
                EngineError::Chain(ChainError::Unreachable {
                    url: "https://node.consortium.example:8545".into(),
                    reason: hallmark_net::TlsProblem::Expired.to_string(),
                    tls: Some(hallmark_net::TlsProblem::Expired),
                }),
                "net.tls_expired",
                Some("https://node.consortium.example:8545"),
            ),
        ];
        for (error, code, names) in cases {
            let json = serde_json::to_value(CommandError::from(error)).expect("json");
            let object = json.as_object().expect("an object");
            assert_eq!(object.len(), 2, "{json}");
            assert_eq!(json["code"], code, "{json}");
            let message = json["message"].as_str().expect("message");
            if let Some(names) = names {
                assert!(message.contains(names), "{message}");
            }
            // Beyond the folder the user chose (whose name is theirs), nothing internal.
            let rest = message.replace(&folder, "FOLDER");
            for internal in [
                "os error",
                "::",
                "Error",
                "catalog.sqlite",
                "hallmark.sqlite",
                "keystores",
                "blocks",
                ".tmp",
                "{",
            ] {
                assert!(!rest.contains(internal), "`{internal}` in: {message}");
            }
        }
        engine.shutdown().await;
    }
}
