//! The committed artifacts are what the sources compile to, and every error in their ABIs is
//! decoded by `ChainError`.

#![allow(clippy::unwrap_used)] // tests may unwrap (house rules)

use std::path::{Path, PathBuf};
use std::process::Command;

use alloy::json_abi::JsonAbi;
use alloy::sol_types::SolInterface;
use hallmark_chain::bindings::HallmarkErrors::HallmarkErrorsErrors;

const CONTRACTS: [&str; 9] = [
    "HallmarkConsortium",
    "HallmarkCredit",
    "HallmarkWorks",
    "HallmarkMarket",
    "HallmarkLicences",
    "HallmarkReviews",
    "HallmarkEndorsements",
    "HallmarkCouncil",
    "HallmarkTimelock",
];

fn contracts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../contracts")
}

#[test]
fn committed_artifacts_are_reproducible() {
    let out = tempfile::tempdir().expect("tempdir");
    let status = Command::new("node")
        .arg(contracts_dir().join("build.mjs"))
        .arg("--out")
        .arg(out.path())
        .status()
        .expect("node runs (install Node.js and run scripts/setup.sh for solc-js)");
    assert!(status.success(), "contracts/build.mjs failed: {status}");
    for name in CONTRACTS.iter().chain(&["immutables"]) {
        let fresh = std::fs::read(out.path().join(format!("{name}.json"))).expect("fresh artifact");
        let committed = std::fs::read(contracts_dir().join(format!("out/{name}.json")))
            .expect("committed artifact");
        assert!(
            fresh == committed,
            "contracts/out/{name}.json differs from a fresh build: run `node contracts/build.mjs`"
        );
    }
}

#[test]
fn every_abi_error_is_decoded() {
    let known: Vec<[u8; 4]> = HallmarkErrorsErrors::SELECTORS.to_vec();
    for name in CONTRACTS {
        let text = std::fs::read_to_string(contracts_dir().join(format!("out/{name}.json")))
            .expect("artifact");
        let artifact: serde_json::Value = serde_json::from_str(&text).expect("json");
        let abi: JsonAbi = serde_json::from_value(artifact["abi"].clone()).expect("abi");
        for error in abi.errors() {
            assert!(
                known.contains(&error.selector().0),
                "{name}: error {} is missing from bindings::HallmarkErrors",
                error.signature()
            );
        }
    }
    assert_eq!(
        HallmarkErrorsErrors::SELECTORS.len(),
        HallmarkErrorsErrors::COUNT
    );
}
