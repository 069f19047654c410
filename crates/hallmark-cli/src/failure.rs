//! [`Failure`]: what a command reports when it fails, and the exit code that goes with it.

use std::fmt;
use std::io::Write;
use std::path::PathBuf;

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
    /// The stable code (e.g. `storage.full`), printed in brackets after the sentence: every
    /// failure has one.
    pub(crate) code: ErrorCode,
    /// A suggestion printed after `hint: `.
    pub(crate) hint: Option<String>,
    /// Whether the input (file, CID, option) was at fault.
    pub(crate) bad_input: bool,
}

impl Failure {
    /// The user gave something unusable (`request.invalid` unless [`with_code`](Self::with_code)
    /// names a more precise code).
    pub(crate) fn bad_input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: ErrorCode::RequestInvalid,
            hint: None,
            bad_input: true,
        }
    }

    /// Something else went wrong, said with its code.
    pub(crate) fn other(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code,
            hint: None,
            bad_input: false,
        }
    }

    /// Adds the stable code.
    pub(crate) fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    /// Adds a hint.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// For a content store failure: what to check, naming the node and where it was chosen
    /// (`--ipfs-api`, `$HALLMARK_IPFS_API` or `config.json`); nothing for the embedded store.
    pub(crate) fn with_store_hint(
        self,
        ipfs_api_flag: Option<&str>,
        data_dir: Option<PathBuf>,
    ) -> Self {
        let from_store = matches!(self.code.family(), "store" | "ipfs");
        if !from_store || self.hint.is_some() {
            return self;
        }
        let hint = match ipfs_api_flag {
            Some(url) => format!(
                "check that the IPFS node at {url} is running, or leave out --ipfs-api to use the embedded store"
            ),
            None => match hallmark_engine::Config::load(data_dir) {
                Ok(config) => match config.ipfs {
                    hallmark_engine::IpfsBackend::Kubo { api_url } => {
                        let chosen_by_env =
                            std::env::var("HALLMARK_IPFS_API").is_ok_and(|v| !v.trim().is_empty());
                        if chosen_by_env {
                            format!(
                                "check that the IPFS node at {api_url} is running, or unset HALLMARK_IPFS_API to use the embedded store"
                            )
                        } else {
                            format!(
                                "check that the IPFS node at {api_url} is running, or choose the embedded store in {} (\"ipfs\": {{\"kind\": \"embedded\"}})",
                                config.data_dir.join("config.json").display()
                            )
                        }
                    }
                    hallmark_engine::IpfsBackend::Embedded => return self,
                },
                Err(_) => return self,
            },
        };
        self.with_hint(hint)
    }

    /// The lines printed on stderr: `error: …` and perhaps `hint: …`, each on one line ending
    /// with a newline.
    pub(crate) fn render(&self) -> String {
        let mut out = format!("error: {} [{}]\n", one_line(&self.message), self.code);
        if let Some(hint) = &self.hint {
            out.push_str(&format!("hint: {}\n", one_line(hint)));
        }
        out
    }

    /// Writes [`render`](Self::render) to stderr in one write.
    pub(crate) fn print(&self) {
        let mut err = std::io::stderr().lock();
        let _ = err
            .write_all(self.render().as_bytes())
            .and_then(|()| err.flush());
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

/// `text` on one line: surrounding blank space trimmed, every control character inside escaped
/// (a line break in a file name shows as `\n`: it cannot start a forged `error:` line).
/// OS error numbers (` (os error 28)`) are left out: the sentence before them says it.
pub(crate) fn one_line(text: &str) -> String {
    crate::terminal::shown(&without_os_error_numbers(text.trim())).into_owned()
}

/// `text` without the ` (os error N)` that Rust's `io::Error` appends to its sentence.
fn without_os_error_numbers(text: &str) -> String {
    const MARK: &str = " (os error ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let after = &rest[at + MARK.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            out.push_str(&rest[..at]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..at + MARK.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render().trim_end_matches('\n'))
    }
}

impl From<MediaError> for Failure {
    fn from(e: MediaError) -> Self {
        let bad_input = e.is_bad_input();
        let code = e.code();
        let failure = Self {
            message: e.to_string(),
            code,
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

impl From<hallmark_engine::ChainError> for Failure {
    fn from(e: hallmark_engine::ChainError) -> Self {
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
            EngineError::Config { .. }
            | EngineError::NotFound { .. }
            | EngineError::InvalidMintRequest(_) => Self::bad_input(e.to_string()).with_code(code),
            EngineError::Evidence(ref evidence)
                if evidence.code() == ErrorCode::EvidenceNotABundle =>
            {
                Self::bad_input(e.to_string()).with_code(code)
            }
            other => {
                let failure = Self::other(code, other.to_string());
                // Other store failures get their hint from `with_store_hint`, which knows how the
                // store was chosen.
                if code == ErrorCode::StoreCidMismatch {
                    failure.with_hint(
                        "those bytes were refused and nothing was written; the IPFS node may be damaged or not the one you meant",
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

    #[test]
    fn every_line_ends_with_a_newline_and_says_one_thing() {
        let f = Failure::other(ErrorCode::StoreUnreachable, "the node\nfailed \u{1b}[2J")
            .with_hint("check it\n");
        assert_eq!(
            f.render(),
            "error: the node\\nfailed \\u001b[2J [store.unreachable]\nhint: check it\n"
        );
        assert_eq!(
            Failure::other(
                ErrorCode::KitIo,
                "cannot read /k/a.car: No space left on device (os error 28); (os error x)"
            )
            .render(),
            "error: cannot read /k/a.car: No space left on device; (os error x) [kit.io]\n"
        );
        assert!(
            Failure::bad_input("no such thing")
                .render()
                .ends_with(" [request.invalid]\n")
        );
    }

    #[test]
    fn the_store_hint_names_the_flag_only_when_it_was_given() {
        let dir = tempfile::tempdir().expect("tempdir");
        let unreachable =
            || Failure::other(ErrorCode::StoreUnreachable, "the node is not reachable");
        let hint = unreachable()
            .with_store_hint(Some("http://127.0.0.1:9"), Some(dir.path().to_owned()))
            .hint
            .expect("hint");
        assert!(
            hint.contains("--ipfs-api") && hint.contains("127.0.0.1:9"),
            "{hint}"
        );
        // The embedded store (no flag, no config): no IPFS node to check, no hint about one.
        if std::env::var_os("HALLMARK_IPFS_API").is_none() {
            let embedded = unreachable().with_store_hint(None, Some(dir.path().to_owned()));
            assert_eq!(embedded.hint, None);
        }
        // A media error is not a store error.
        let other =
            Failure::other(ErrorCode::MediaEmpty, "x").with_store_hint(Some("http://a"), None);
        assert_eq!(other.hint, None);
    }
}
