//! Paths in JSON reports: a file name may be any bytes on Unix, JSON text only UTF-8. A report
//! written after work is done must not fail on a name, so paths are written lossily (an invalid
//! byte becomes U+FFFD) with these `serialize_with` functions.

use std::path::{Path, PathBuf};

use serde::Serializer;

/// `#[serde(serialize_with = "hallmark_domain::paths::lossy")]` for a `PathBuf`.
pub fn lossy<S: Serializer>(path: &Path, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
}

/// The same for an `Option<PathBuf>`.
pub fn lossy_option<S: Serializer>(
    path: &Option<PathBuf>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match path {
        Some(path) => serializer.serialize_some(&path.to_string_lossy()),
        None => serializer.serialize_none(),
    }
}

/// The same for a `Vec<PathBuf>`.
pub fn lossy_all<S: Serializer>(paths: &[PathBuf], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(paths.iter().map(|p| p.to_string_lossy()))
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::ffi::OsStrExt;

    #[derive(serde::Serialize)]
    struct Report {
        #[serde(serialize_with = "super::lossy")]
        path: std::path::PathBuf,
    }

    #[test]
    fn a_name_that_is_not_utf8_is_written_lossily_not_refused() {
        let path = std::ffi::OsStr::from_bytes(b"/tmp/caf\xe9.png").into();
        let json = serde_json::to_string(&Report { path }).expect("always encodes");
        assert_eq!(
            json,
            r#"{"path":"/tmp/caf\ufffd.png"}"#.replace("\\ufffd", "\u{fffd}")
        );
    }
}
