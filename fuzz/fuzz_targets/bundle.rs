//! The evidence-bundle reader: `hallmark_evidence::verify_bytes` offline (zip parsing with every
//! limit, JSON documents, seal recovery, canonical-zip check). It must never panic.
#![no_main]

use hallmark_evidence::{VerifyOptions, verify_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify_bytes(data, &VerifyOptions::default());
});
