//! The golden evidence bundle: made on 2026-12-06 by `hallmark export-kit` (the generator is
//! `crates/hallmark-cli/tests/golden.rs`) and committed, it must verify offline in every later
//! build. Its container pins the canonical form byte by byte (`docs/copyright.md`, *The
//! container byte by byte*): writing its files again gives its exact bytes; a re-zip that
//! differs only in *version needed to extract* (or in the MS-DOS host byte) is accepted; any
//! other change to the zip structure is refused.

use std::io::Cursor;

use hallmark_evidence::{
    BundleFiles, FORMAT, FORMAT_1, Report, Status, VerifyOptions, verify_bytes,
};

const GOLDEN: &[u8] = include_bytes!("golden/evidence-bundle-1.zip");

fn verify(bytes: &[u8]) -> Report {
    verify_bytes(bytes, &VerifyOptions::default())
        .expect("still a bundle")
        .0
}

fn failed(report: &Report) -> Vec<&'static str> {
    report.failures().map(|check| check.id).collect()
}

fn le16(bytes: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]))
}

fn le32(bytes: &[u8], at: usize) -> usize {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
}

/// Offsets of the local headers and of the central directory headers.
fn headers(bytes: &[u8]) -> (Vec<usize>, Vec<usize>) {
    let end = bytes.len() - 22;
    assert_eq!(&bytes[end..end + 4], b"PK\x05\x06", "the end record");
    let entries = le16(bytes, end + 10);
    let mut central = vec![le32(bytes, end + 16)];
    while central.len() < entries {
        let at = central[central.len() - 1];
        central.push(at + 46 + le16(bytes, at + 28));
    }
    let local = central.iter().map(|&at| le32(bytes, at + 42)).collect();
    (local, central)
}

#[test]
fn every_golden_bundle_verifies_offline() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut generations = 0;
    for entry in std::fs::read_dir(&folder).expect("the golden folder") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let generation = name
            .strip_prefix("evidence-bundle-")
            .and_then(|rest| rest.strip_suffix(".zip"));
        if let Some(generation) = generation {
            // Generation 1 is format 1 (numbers in hex, no EIP-712 data); later ones are format 2.
            let format = if generation == "1" { FORMAT_1 } else { FORMAT };
            golden_bundle_verifies(&std::fs::read(&path).expect("a golden bundle"), format);
            generations += 1;
        }
    }
    assert!(generations >= 2, "golden bundles missing from {folder:?}");
}

fn golden_bundle_verifies(bytes: &[u8], format: &str) {
    let (report, parsed) = verify_bytes(bytes, &VerifyOptions::default()).expect("a bundle");
    assert!(report.passed(), "{:#?}", failed(&report));
    for check in &report.checks {
        let expected = if check.id == "statement.nonce" {
            Status::Skip // no challenge was given
        } else {
            Status::Pass
        };
        assert_eq!(check.status, expected, "{check:?}");
    }
    assert!(report.checks.iter().any(|c| c.id == "container"));
    let evidence = parsed.expect("parsed").evidence;
    assert_eq!(evidence.format, format);
    assert_eq!(evidence.work.title.as_deref(), Some("Golden"));
    // Written again, its files give its exact bytes.
    let files = BundleFiles::read(Cursor::new(bytes)).expect("a bundle");
    assert!(files.to_bytes().expect("written") == bytes);
}

#[test]
fn a_rezip_differing_only_in_version_needed_or_host_is_accepted() {
    let (local, central) = headers(GOLDEN);
    assert_eq!(local.len(), 5);
    let mut rezipped = GOLDEN.to_vec();
    for &at in &local {
        assert_eq!(&rezipped[at..at + 4], b"PK\x03\x04");
        assert_eq!(le16(&rezipped, at + 4), 10, "version needed 1.0");
        rezipped[at + 4] = 20;
    }
    for &at in &central {
        assert_eq!(&rezipped[at..at + 4], b"PK\x01\x02");
        assert_eq!(le16(&rezipped, at + 4), 0x030A, "made by Unix 1.0");
        rezipped[at + 6] = 20;
    }
    assert!(
        verify(&rezipped).passed(),
        "{:?}",
        failed(&verify(&rezipped))
    );
    let mut from_windows = GOLDEN.to_vec();
    for &at in &central {
        from_windows[at + 5] = 0;
    }
    assert!(verify(&from_windows).passed());
}

#[test]
fn any_other_change_to_the_zip_structure_fails_the_container_check() {
    let (local, central) = headers(GOLDEN);
    let changes: Vec<(&str, usize, u8)> = vec![
        ("version needed 4.5", local[0] + 4, 45),
        ("a modification time", local[1] + 10, 1),
        ("a modification date", central[2] + 14, 0x22),
        ("deflate as the method", central[0] + 10, 8),
        ("another mode", central[3] + 40, 0xED),
        ("internal attributes", central[4] + 36, 1),
        ("made by version 2.0", central[0] + 4, 20),
        ("an unknown host", central[1] + 5, 10),
    ];
    for (what, at, value) in changes {
        let mut changed = GOLDEN.to_vec();
        changed[at] = value;
        match verify_bytes(&changed, &VerifyOptions::default()) {
            // Every content check still passes; only the container check fails.
            Ok((report, _)) => assert_eq!(failed(&report), ["container"], "{what}"),
            // The zip reader refuses it outright (e.g. a method it does not read): refused too.
            Err(e) => assert_eq!(e.code(), "evidence.not_a_bundle", "{what}"),
        }
    }
    // A zip comment: any zip tool still reads it, the canonical form has none.
    let mut commented = GOLDEN.to_vec();
    let end = commented.len() - 22;
    commented[end + 20] = 4;
    commented.extend_from_slice(b"note");
    assert_eq!(failed(&verify(&commented)), ["container"]);
}

/// The tools' npm folder (`scripts/setup.sh test` installs ethers there).
fn node_modules() -> std::path::PathBuf {
    let tools = std::env::var_os("HALLMARK_TOOLS")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| std::path::PathBuf::from(home).join(".local/hallmark-tools"))
        })
        .expect("HOME or HALLMARK_TOOLS");
    let modules = tools.join("npm/node_modules");
    assert!(
        modules.join("ethers").is_dir(),
        "ethers is not installed in {modules:?} (run `scripts/setup.sh test`)"
    );
    modules
}

/// `tools/evidence/verify-typed-data.cjs` (ethers, outside Hallmark's Rust) on these documents:
/// its exit status and its JSON line.
fn ethers_check(evidence: &[u8], seal: &[u8]) -> (Option<i32>, serde_json::Value) {
    let dir = tempfile::TempDir::new().expect("tempdir");
    let (evidence_path, seal_path) = (
        dir.path().join("evidence.json"),
        dir.path().join("seal.json"),
    );
    std::fs::write(&evidence_path, evidence).expect("write");
    std::fs::write(&seal_path, seal).expect("write");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tools/evidence/verify-typed-data.cjs");
    let output = std::process::Command::new("node")
        .arg(script)
        .arg(&evidence_path)
        .arg(&seal_path)
        .env("NODE_PATH", node_modules())
        .output()
        .expect("node runs");
    let line = String::from_utf8_lossy(&output.stdout);
    let result = serde_json::from_str(line.trim()).unwrap_or_else(|_| {
        panic!(
            "no JSON from the ethers check: {line}{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), result)
}

/// The independent verifier of issue 17 (ethers' EIP-712) checks a format-2 bundle from its own
/// data alone: the statement and the seal recover to the holder from the domain and types in
/// `evidence.json` and its decimal numbers; a changed number is caught by both verifiers.
#[test]
fn ethers_checks_a_format_2_bundle_from_its_own_eip712_data() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bytes = std::fs::read(folder.join("evidence-bundle-2.zip")).expect("generation 2");
    let files = BundleFiles::read(Cursor::new(bytes.as_slice())).expect("a bundle");
    let (evidence, seal) = (
        files.get("evidence.json").expect("evidence"),
        files.get("seal.json").expect("seal"),
    );
    let (status, result) = ethers_check(evidence, seal);
    assert_eq!(status, Some(0), "{result}");
    let (report, parsed) = verify_bytes(&bytes, &VerifyOptions::default()).expect("a bundle");
    assert!(report.passed());
    let holder = parsed
        .expect("parsed")
        .evidence
        .statement
        .holder
        .to_checksum(None);
    assert_eq!(result["statement_signer"], holder.as_str(), "{result}");
    assert_eq!(result["seal_signer"], holder.as_str(), "{result}");

    // One digit of the nonce changed (not re-sealed): ethers recovers someone else for the
    // statement and the seal no longer names these bytes; Hallmark's verifier fails both too.
    let text = String::from_utf8(evidence.to_vec()).expect("utf-8");
    let nonce_at = text.find("\"nonce\": \"").expect("the nonce") + 10;
    let mut changed = text.into_bytes();
    changed[nonce_at] = if changed[nonce_at] == b'1' {
        b'2'
    } else {
        b'1'
    };
    let (status, result) = ethers_check(&changed, seal);
    assert_eq!(status, Some(1), "{result}");
    assert_ne!(result["statement_signer"], holder.as_str());
    assert_eq!(result["seal_names_these_bytes"], false);
    let mut tampered = files.clone();
    tampered.files.insert("evidence.json".to_owned(), changed);
    let (report, _) = hallmark_evidence::verify_offline(&tampered, &VerifyOptions::default());
    let failed = failed(&report);
    assert!(
        failed.contains(&"seal") && failed.contains(&"statement.signature"),
        "{failed:?}"
    );
}
