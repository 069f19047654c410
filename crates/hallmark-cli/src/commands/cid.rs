//! `hallmark cid FILE`: the CID of any file, streamed, nothing stored.

use std::io::BufReader;

use hallmark_unixfs::{NullSink, import_reader};

use super::{input_refused, print_line, settings_for};
use crate::cli::CidArgs;
use crate::failure::Failure;
use crate::progress::bytes_bar;

/// Buffer between the file and the importer.
const READ_BUFFER: usize = 1024 * 1024;

/// Prints only the CID and a newline, like `ipfs add -nq`.
pub(crate) fn run(args: &CidArgs) -> Result<(), Failure> {
    let path = &args.file;
    // A regular file of any size (streamed); a pipe or a device is refused before reading.
    let (file, size) = hallmark_files::open(path, u64::MAX).map_err(|e| input_refused(path, e))?;
    let bar = bytes_bar("hashing");
    bar.set_length(size);
    let reader = BufReader::with_capacity(READ_BUFFER, bar.wrap_read(file));
    let imported = import_reader(reader, &settings_for(args.version.cid_version), NullSink)
        .map_err(|e| {
            Failure::other(
                hallmark_domain::ErrorCode::MediaUnreadable,
                format!("{}: {e}", crate::terminal::shown_path(path)),
            )
        })?;
    bar.finish_and_clear();
    print_line(&imported.root.to_string())
}
