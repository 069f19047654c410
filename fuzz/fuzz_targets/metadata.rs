//! The work metadata document: parse + validate (`WorkMetadata::from_json`), and for every
//! accepted document the canonical form must round-trip to the same document.
#![no_main]

use hallmark_media::WorkMetadata;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(document) = WorkMetadata::from_json(data) {
        let canonical = document
            .to_canonical_json()
            .expect("an accepted document has a canonical form");
        let again = WorkMetadata::from_json(&canonical).expect("the canonical form parses");
        assert_eq!(
            again.to_canonical_json().expect("canonical twice"),
            canonical,
            "canonical form is not stable"
        );
    }
});
