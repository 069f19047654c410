//! Property tests: sniffing, every probe parser and the metadata parser answer (possibly
//! "unknown" or an error) on arbitrary bytes, and never panic.
#![allow(clippy::unwrap_used)]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::io::Cursor;

use hallmark_media::metadata::WorkMetadata;
use hallmark_media::probe::{self, gif, jpeg};
use hallmark_media::{MediaType, sniff};
use proptest::prelude::*;

/// Valid headers of every container, to mutate: random bytes alone rarely get past the magic.
fn seeds() -> Vec<Vec<u8>> {
    vec![
        fixtures::wav(8000, 1, 20),
        fixtures::flac(44_100, 100),
        fixtures::mp3_cbr(3),
        fixtures::mp3_xing(3),
        fixtures::ogg_vorbis(44_100, 100),
        fixtures::ogg_opus(100),
        fixtures::mp4(16, 16, 100, 0),
        fixtures::mp4(16, 16, 100, 1),
        fixtures::webm(16, 16, 100),
        fixtures::gif(2, 2, 2),
        fixtures::jpeg(16, 16),
    ]
}

fn probe_everything(bytes: &[u8]) {
    let _ = sniff(bytes);
    for t in MediaType::ALL {
        let _ = probe::probe_av(t, &mut Cursor::new(bytes));
    }
    let _ = gif::count_frames(bytes, 10);
    let _ = jpeg::walk(bytes);
    let _ = WorkMetadata::from_json(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        probe_everything(&bytes);
    }

    #[test]
    fn mutated_valid_files(
        seed in 0usize..11,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = seeds()[seed].clone();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        probe_everything(&bytes);
        bytes.truncate(cut.index(bytes.len() + 1));
        probe_everything(&bytes);
    }

    #[test]
    fn truncations_of_valid_files_never_report_more_than_the_original(
        seed in 0usize..9,
        cut in any::<prop::sample::Index>(),
    ) {
        let bytes = seeds()[seed].clone();
        let t = sniff(&bytes).unwrap();
        let full = probe::probe_av(t, &mut Cursor::new(&bytes)).duration_ms.unwrap();
        let cut = cut.index(bytes.len() + 1);
        let truncated = probe::probe_av(t, &mut Cursor::new(&bytes[..cut]));
        prop_assert!(truncated.duration_ms.unwrap_or(0) <= full, "{t}: {truncated:?} > {full}");
    }
}

#[test]
fn seeds_are_recognised_and_probed() {
    // The mutation seeds are real: each is sniffed as its type and has a duration.
    for bytes in seeds().into_iter().take(9) {
        let t = sniff(&bytes).unwrap();
        let info = probe::probe_av(t, &mut Cursor::new(&bytes));
        assert!(info.duration_ms.is_some(), "{t}");
    }
}
