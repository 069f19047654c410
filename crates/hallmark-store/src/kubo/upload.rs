//! Streams a file to the node while computing its CID locally from the very same bytes.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::Stream;
use hallmark_unixfs::{FileImporter, ImportError, ImportSettings, Imported, NullSink};

use crate::error::StoreError;

/// Bytes read (and hashed) per step of the upload.
const PIECE: usize = 256 << 10;

/// What the local import computed, filled in when the stream ends.
pub(crate) type LocalResult = Arc<Mutex<Option<Result<Imported<NullSink>, StoreError>>>>;

/// State carried from one piece to the next.
struct Tee {
    file: File,
    path: PathBuf,
    importer: FileImporter<NullSink>,
}

/// A stream of the file's bytes for the request body. Each piece is read and fed to a local
/// importer on tokio's blocking pool before it is sent; at the end the importer's result is put
/// in the returned slot. An error (the file cannot be read) ends the upload.
pub(crate) fn tee_file(
    path: &Path,
    settings: &ImportSettings,
) -> Result<
    (
        impl Stream<Item = Result<Bytes, io::Error>> + Send + 'static,
        LocalResult,
    ),
    StoreError,
> {
    let file = File::open(path).map_err(|e| StoreError::io("open", path, e))?;
    let importer = FileImporter::new(settings.clone(), NullSink).map_err(import_error)?;
    let slot: LocalResult = Arc::default();
    let out = Arc::clone(&slot);
    let start = Some(Tee {
        file,
        path: path.to_owned(),
        importer,
    });
    let stream = futures_util::stream::unfold(start, move |state| {
        let out = Arc::clone(&out);
        async move {
            let tee = state?;
            let step = tokio::task::spawn_blocking(move || next_piece(tee))
                .await
                .map_err(StoreError::from)
                .and_then(|r| r);
            match step {
                Ok(Piece::Data(tee, bytes)) => Some((Ok(bytes), Some(tee))),
                Ok(Piece::End(imported)) => {
                    put(&out, Ok(imported));
                    None
                }
                Err(e) => {
                    let message = e.to_string();
                    put(&out, Err(e));
                    Some((Err(io::Error::other(message)), None))
                }
            }
        }
    });
    Ok((stream, slot))
}

enum Piece {
    Data(Tee, Bytes),
    End(Imported<NullSink>),
}

fn next_piece(mut tee: Tee) -> Result<Piece, StoreError> {
    let mut buf = vec![0u8; PIECE];
    let mut filled = 0;
    while filled < PIECE {
        match tee.file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(StoreError::io("read", &tee.path, e)),
        }
    }
    if filled == 0 {
        let imported = tee.importer.finish().map_err(import_error)?;
        return Ok(Piece::End(imported));
    }
    buf.truncate(filled);
    tee.importer.write(&buf).map_err(import_error)?;
    Ok(Piece::Data(tee, Bytes::from(buf)))
}

fn put(slot: &LocalResult, result: Result<Imported<NullSink>, StoreError>) {
    if let Ok(mut guard) = slot.lock() {
        *guard = Some(result);
    }
}

fn import_error(e: ImportError<std::convert::Infallible>) -> StoreError {
    match e {
        ImportError::Io(e) => StoreError::Task(format!("the local importer failed: {e}")),
        ImportError::InvalidSettings(reason) => StoreError::InvalidSettings(reason),
        ImportError::Sink(never) => match never {},
    }
}
