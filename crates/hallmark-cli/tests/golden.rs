//! Formats that last: an exit kit and an evidence bundle made once, by the `hallmark` of their
//! day, are committed as golden files; every later build must import the kit and verify the
//! bundle offline. Through the CLI only, so the test does not depend on where the code lives.
//!
//! The golden files are made by the ignored test [`write_the_golden_files`] (one tiny picture
//! minted on a throwaway dev chain, its kit exported as the issuer):
//!
//! ```text
//! source ~/.local/hallmark-tools/env.sh
//! cargo test -p hallmark-cli --test golden -- --ignored write_the_golden_files
//! ```
//!
//! It writes generation [`GENERATION`]: `crates/hallmark-cli/tests/golden/exit-kit-<n>/` and
//! `crates/hallmark-evidence/tests/golden/evidence-bundle-<n>.zip` (the kit's bundle), and
//! refuses to overwrite them. For a new format version, raise [`GENERATION`] and run it: the old
//! generations stay and keep being checked, for they are what the kits in people's hands are.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

/// The generation [`write_the_golden_files`] writes.
const GENERATION: u32 = 2;

/// The committed exit kit of generation `n`.
fn golden_kit(n: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/exit-kit-{n}"))
}

/// The committed evidence bundle of generation `n` (the kit's bundle).
fn golden_bundle(n: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../hallmark-evidence/tests/golden/evidence-bundle-{n}.zip"
    ))
}

/// `hallmark ARGS` on `data`, with no inherited store, chain or log settings.
fn run(data: &Path, args: &[&str]) -> Output {
    common::hallmark(data)
        .args(args)
        .env_remove("HALLMARK_IPFS_API")
        .env_remove("HALLMARK_CHAIN_RPC")
        .env_remove("RUST_LOG")
        .output()
        .expect("the hallmark binary runs")
}

/// The JSON a successful `hallmark … --json` printed.
fn json_of(output: &Output) -> Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the copy");
    for entry in fs::read_dir(from).expect("read the folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("its type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy a file");
        }
    }
}

#[test]
fn every_golden_exit_kit_imports_and_its_bundle_verifies_offline() {
    for n in 1..=GENERATION {
        golden_kit_imports(n);
    }
}

fn golden_kit_imports(n: u32) {
    let tmp = TempDir::new().expect("tempdir");
    let kit = tmp.path().join("kit");
    copy_dir(&golden_kit(n), &kit);
    let data = tmp.path().join("data");

    let imported = json_of(&run(&data, &["import-kit", text(&kit), "--json"]));
    assert_eq!(imported["backend"], "embedded", "{imported}");
    assert_eq!(imported["bundles_verified"], 1, "{imported}");
    assert_eq!(imported["works"].as_array().map(Vec::len), Some(1));

    // The kit's bundle is the golden evidence bundle, and it verifies offline from the kit,
    // from the copy the import kept, and as committed for the evidence crate.
    let manifest: Value =
        serde_json::from_slice(&fs::read(kit.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    let in_kit = kit.join(
        manifest["works"][0]["tokens"][0]["bundle"]
            .as_str()
            .expect("the issuer's token has a bundle"),
    );
    assert_eq!(
        fs::read(&in_kit).expect("the kit's bundle"),
        fs::read(golden_bundle(n)).expect("the golden bundle"),
        "the golden bundle is the kit's"
    );
    let kept = imported["works"][0]["bundles"][0]
        .as_str()
        .expect("a kept bundle")
        .to_owned();
    for bundle in [in_kit, PathBuf::from(kept), golden_bundle(n)] {
        let o = run(&data, &["verify", text(&bundle), "--offline"]);
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{bundle:?}\n{stdout}");
        assert!(stdout.contains("VERIFIED"), "{stdout}");
    }

    // The media reads back byte for byte from the new store.
    let media_cid = manifest["works"][0]["media_cid"]
        .as_str()
        .expect("media CID");
    let media = run(&data, &["ipfs", "cat", media_cid]);
    assert_eq!(media.status.code(), Some(0));
    assert!(media.stdout.starts_with(b"\x89PNG"), "the golden picture");
}

/// Writes the golden files (see the module documentation). Needs anvil.
#[test]
#[ignore = "writes the committed golden files; run by hand for a new format version"]
fn write_the_golden_files() {
    let tmp = TempDir::new().expect("tempdir");
    let data = tmp.path().join("data");
    let picture = tmp.path().join("golden.png");
    image::RgbImage::from_fn(12, 8, |x, y| {
        image::Rgb([(x * 20) as u8, (y * 30) as u8, 128])
    })
    .save(&picture)
    .expect("write the picture");

    let minted = json_of(&run(
        &data,
        &["mint", text(&picture), "--title", "Golden", "--json"],
    ));
    // A number in today's `mint --json` (a string in the first generation's day).
    let token = match &minted["token_id"] {
        Value::String(text) => text.clone(),
        number => number.to_string(),
    };
    let kit = tmp.path().join("kit");
    json_of(&run(
        &data,
        &["export-kit", &token, "--as", "issuer", text(&kit), "--json"],
    ));

    let (golden, target) = (golden_kit(GENERATION), golden_bundle(GENERATION));
    assert!(
        !golden.exists() && !target.exists(),
        "generation {GENERATION} exists: raise GENERATION for a new one"
    );
    copy_dir(&kit, &golden);
    let bundle = kit.join(format!("bundles/hallmark-token-{token}.zip"));
    fs::create_dir_all(target.parent().expect("a folder")).expect("create the folder");
    fs::copy(&bundle, &target).expect("copy the bundle");
    eprintln!(
        "golden kit in {}, bundle {} ({} bytes)",
        golden.display(),
        target.display(),
        fs::metadata(&target).map(|m| m.len()).unwrap_or(0)
    );
}
