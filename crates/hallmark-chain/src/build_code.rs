//! This build's contract code. A deployed contract is Hallmark's when its runtime code is this
//! build's byte for byte, outside the ranges where its constructor wrote its immutables
//! (`contracts/out/immutables.json`, written by `contracts/build.mjs`; the values there are
//! checked separately, as the suite's wiring).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::bindings::{
    HallmarkConsortium, HallmarkCredit, HallmarkLicences, HallmarkMarket, HallmarkReviews,
    HallmarkWorks, artifact_code,
};

const IMMUTABLES: &str = include_str!("../../../contracts/out/immutables.json");

/// This build's runtime code of a suite contract, by name.
fn build_runtime(name: &str) -> Option<&'static [u8]> {
    let code: &'static alloy::primitives::Bytes = match name {
        "HallmarkConsortium" => &HallmarkConsortium::DEPLOYED_BYTECODE,
        "HallmarkCredit" => &HallmarkCredit::DEPLOYED_BYTECODE,
        "HallmarkWorks" => &HallmarkWorks::DEPLOYED_BYTECODE,
        "HallmarkMarket" => &HallmarkMarket::DEPLOYED_BYTECODE,
        "HallmarkLicences" => &HallmarkLicences::DEPLOYED_BYTECODE,
        "HallmarkReviews" => &HallmarkReviews::DEPLOYED_BYTECODE,
        "HallmarkEndorsements" => hand_bound_code(2),
        "HallmarkCouncil" => hand_bound_code(0),
        "HallmarkTimelock" => hand_bound_code(1),
        _ => return None,
    };
    Some(code.as_ref())
}

/// The runtime code of a contract bound by hand: HallmarkCouncil (0), HallmarkTimelock (1) or
/// HallmarkEndorsements (2), read once from the artifacts.
fn hand_bound_code(which: usize) -> &'static alloy::primitives::Bytes {
    static CODE: OnceLock<[alloy::primitives::Bytes; 3]> = OnceLock::new();
    &CODE.get_or_init(|| {
        [
            artifact_code("HallmarkCouncil", true),
            artifact_code("HallmarkTimelock", true),
            artifact_code("HallmarkEndorsements", true),
        ]
    })[which]
}

/// Byte ranges `(start, length)` of each contract's immutables in its runtime code.
fn immutable_ranges(name: &str) -> &'static [(usize, usize)] {
    static RANGES: OnceLock<HashMap<String, Vec<(usize, usize)>>> = OnceLock::new();
    RANGES
        .get_or_init(|| {
            // Committed with the artifacts and checked by the artifacts test; an unreadable file
            // leaves no range masked, so every deployed contract with immutables is refused.
            serde_json::from_str(IMMUTABLES).unwrap_or_else(|e| {
                tracing::error!(error = %e, "contracts/out/immutables.json is unreadable");
                HashMap::new()
            })
        })
        .get(name)
        .map_or(&[], Vec::as_slice)
}

/// Whether `code` (as `eth_getCode` returned it) is this build's runtime code of `name`.
pub(crate) fn is_build_code(name: &str, code: &[u8]) -> bool {
    let Some(expected) = build_runtime(name) else {
        return false;
    };
    if code.len() != expected.len() {
        return false;
    }
    let mut masked = code.to_vec();
    for &(start, length) in immutable_ranges(name) {
        if let Some(range) = masked.get_mut(start..start.saturating_add(length)) {
            range.fill(0);
        }
    }
    masked == expected
}

#[cfg(test)]
mod tests {
    use super::{build_runtime, immutable_ranges, is_build_code};

    #[test]
    fn only_this_builds_code_with_any_immutables_passes() {
        let expected = build_runtime("HallmarkMarket").expect("market").to_vec();
        let ranges = immutable_ranges("HallmarkMarket");
        assert!(
            !ranges.is_empty(),
            "the market has immutables (its consortium, works, credit)"
        );
        assert!(is_build_code("HallmarkMarket", &expected));
        // Any immutable values: another deployment of the same build.
        let mut deployed = expected.clone();
        for &(start, length) in ranges {
            deployed[start..start + length].fill(0xab);
        }
        assert!(is_build_code("HallmarkMarket", &deployed));
        // One byte of code changed outside them: not this build.
        let outside = (0..expected.len())
            .find(|i| !ranges.iter().any(|&(s, l)| (s..s + l).contains(i)))
            .expect("code outside the immutables");
        let mut changed = deployed.clone();
        changed[outside] ^= 1;
        assert!(!is_build_code("HallmarkMarket", &changed));
        // Another contract's code, a longer code, an unknown name.
        let credit = build_runtime("HallmarkCredit").expect("credit");
        assert!(!is_build_code("HallmarkMarket", credit));
        let mut longer = expected.clone();
        longer.push(0);
        assert!(!is_build_code("HallmarkMarket", &longer));
        assert!(!is_build_code("Unknown", &expected));
    }
}
