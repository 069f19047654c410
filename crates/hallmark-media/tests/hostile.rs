//! A corpus of malformed and hostile input, generated at test time, fed through the real entry
//! points (`ingest_with_sink` with the default `Limits`, `WorkMetadata::from_json`). Every case
//! is refused with its stable code and a clear sentence (or accepted as documented), in bounded
//! time and memory.
//!
//! The parent test writes the corpus into a temp dir, then runs each case in a child process
//! (this same test binary, filtered to `child_runs_one_case`, the case named by an environment
//! variable), so that the child's peak RSS (`VmHWM`, which only grows) measures that case alone.
//! `cargo test -p hallmark-media --test hostile -- --nocapture` prints the table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/fixtures.rs"]
mod fixtures;
#[path = "common/hostile_corpus.rs"]
mod hostile_corpus;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use hallmark_media::metadata::WorkMetadata;
use hallmark_media::{IngestOptions, WorkFields, ingest, ingest_with_sink};
use hallmark_unixfs::NullSink;
use hostile_corpus::{Accepted, Corpus, Refused, find, media_corpus};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

const ENV_CASE: &str = "HALLMARK_HOSTILE_CASE";
const ENV_KIND: &str = "HALLMARK_HOSTILE_KIND";
/// Peak RSS allowed for any one child process.
const MAX_PEAK_MIB: u64 = 300;

/// A valid metadata document (canonical JSON) for an ingested PNG.
fn valid_document(dir: &Path) -> Value {
    let path = dir.join("base.png");
    fs::write(&path, fixtures::png(8, 8)).unwrap();
    let ingested = ingest(&path, &IngestOptions::default()).unwrap();
    let doc = WorkMetadata::build(
        &ingested,
        WorkFields {
            name: "Harbour".to_owned(),
            description: Some("Oil".to_owned()),
            creator: "0x00000000000000000000000000000000000000aa".to_owned(),
            licence: "CC-BY-4.0".to_owned(),
            ..WorkFields::default()
        },
    )
    .unwrap();
    serde_json::from_slice(&doc.to_canonical_json().unwrap()).unwrap()
}

/// Markup and script payloads put in every string field.
const MARKUP: &str = r#"<script>alert("x")</script><img src=x onerror=alert(1)> **bold** [l](javascript:alert(1)) &lt;&amp;"#;

fn with_markup(base: &Value) -> Value {
    let mut doc = base.clone();
    doc["name"] = json!(format!("<b>{MARKUP}"));
    doc["description"] = json!(format!("{MARKUP}\n<iframe src=//evil>"));
    doc["attributes"] = json!([{"trait_type": "<svg onload=alert(1)>", "value": MARKUP}]);
    doc["hallmark"]["licence"] = json!(format!("<a href=javascript:alert(1)>MIT</a>"));
    doc["external_url"] = json!("https://example.org/\"><script>alert(1)</script>");
    doc
}

fn meta_corpus(c: &mut Corpus, base: &Value) {
    let doc = |v: &Value| serde_json::to_vec(v).unwrap();
    c.meta("valid document", &doc(base), Accepted("metadata"));
    c.meta(
        "markup in every string field",
        &doc(&with_markup(base)),
        Accepted("metadata"),
    );

    let mut huge = b"[\"".to_vec();
    huge.resize(50 << 20, b'a');
    huge.extend_from_slice(b"\"]");
    c.meta("50 MB document", &huge, Refused("metadata.too_large"));
    let mut long = base.clone();
    long["description"] = json!("x".repeat(300 * 1024));
    c.meta(
        "300 KB description",
        &doc(&long),
        Refused("metadata.too_large"),
    );
    c.meta("100k [", &vec![b'['; 100_000], Refused("metadata.too_deep"));
    c.meta(
        "100k [ closed",
        &[vec![b'['; 100_000], vec![b']'; 100_000]].concat(),
        Refused("metadata.too_deep"),
    );
    c.meta(
        "100k {\"a\":",
        &"{\"a\":".repeat(40_000).into_bytes(),
        Refused("metadata.too_deep"),
    );
    let mut deep = base.clone();
    let mut nested = json!(1);
    for _ in 0..20 {
        nested = json!([nested]);
    }
    deep["attributes"] = json!([{"trait_type": "t", "value": nested}]);
    c.meta(
        "20 levels in an attribute",
        &doc(&deep),
        Refused("metadata.too_deep"),
    );
    let mut brackets_in_text = base.clone();
    brackets_in_text["description"] = json!("[".repeat(5_000));
    c.meta(
        "5000 [ inside a string",
        &doc(&brackets_in_text),
        Accepted("metadata"),
    );

    let valid = doc(base);
    let mut bad_byte = valid.clone();
    let at = find(&bad_byte, b"Harbour");
    bad_byte[at] = 0xFF;
    c.meta("0xFF in name", &bad_byte, Refused("metadata.not_utf8"));
    let mut overlong = valid.clone();
    overlong.splice(at..at + 1, [0xC0, 0xAF]);
    c.meta("overlong UTF-8 /", &overlong, Refused("metadata.not_utf8"));
    let mut surrogate = valid.clone();
    surrogate.splice(at..at + 1, [0xED, 0xA0, 0x80]);
    c.meta("CESU surrogate", &surrogate, Refused("metadata.not_utf8"));
    let utf16: Vec<u8> = std::iter::once(0xFEFFu16)
        .chain(String::from_utf8(valid.clone()).unwrap().encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    c.meta("UTF-16 document", &utf16, Refused("metadata.not_utf8"));
    c.meta(
        "UTF-8 BOM",
        &[b"\xEF\xBB\xBF".as_slice(), &valid].concat(),
        Refused("metadata.malformed"),
    );
    c.meta("empty", b"", Refused("metadata.malformed"));
    c.meta(
        "html page",
        b"<html><script>alert(1)</script></html>",
        Refused("metadata.malformed"),
    );
    c.meta(
        "truncated",
        &valid[..valid.len() / 2],
        Refused("metadata.malformed"),
    );
    c.meta(
        "lone escaped surrogate \\ud800",
        &String::from_utf8(valid.clone())
            .unwrap()
            .replacen("Harbour", "\\ud800", 1)
            .into_bytes(),
        Refused("metadata.malformed"),
    );

    let field = |path: &[&str], value: Value| {
        let mut d = base.clone();
        let mut at = &mut d;
        for p in &path[..path.len() - 1] {
            at = &mut at[*p];
        }
        at[path[path.len() - 1]] = value;
        doc(&d)
    };
    let invalid = Refused("metadata.invalid_field");
    c.meta(
        "image javascript:",
        &field(&["image"], json!("javascript:alert(1)")),
        invalid.clone(),
    );
    c.meta(
        "image data: URL",
        &field(
            &["image"],
            json!("data:text/html,<script>alert(1)</script>"),
        ),
        invalid.clone(),
    );
    c.meta(
        "image ipfs://<script>",
        &field(&["image"], json!("ipfs://<script>")),
        invalid.clone(),
    );
    c.meta(
        "external_url javascript:",
        &field(&["external_url"], json!("javascript:alert(1)")),
        invalid.clone(),
    );
    c.meta(
        "external_url http:",
        &field(&["external_url"], json!("http://example.org")),
        invalid.clone(),
    );
    c.meta(
        "name NUL",
        &field(&["name"], json!("a\u{0}b")),
        invalid.clone(),
    );
    c.meta(
        "name ESC (terminal)",
        &field(&["name"], json!("\u{1b}[31mred")),
        invalid.clone(),
    );
    c.meta(
        "name 201 chars",
        &field(&["name"], json!("<".repeat(201))),
        invalid.clone(),
    );
    c.meta(
        "creator <script>",
        &field(&["hallmark", "creator"], json!("<script>")),
        invalid.clone(),
    );
    c.meta(
        "mime text/html",
        &field(&["hallmark", "mime"], json!("text/html")),
        invalid.clone(),
    );
    c.meta(
        "mime image/svg+xml",
        &field(&["hallmark", "mime"], json!("image/svg+xml")),
        invalid.clone(),
    );
    let attrs: Vec<Value> = (0..65)
        .map(|i| json!({"trait_type": format!("t{i}"), "value": i}))
        .collect();
    c.meta(
        "65 attributes",
        &field(&["attributes"], json!(attrs)),
        invalid,
    );
    // A field Hallmark does not know is kept as data (other marketplaces write their own) and
    // never displayed.
    c.meta(
        "unknown field onload",
        &field(&["onload"], json!("alert(1)")),
        Accepted("metadata"),
    );
    let malformed = Refused("metadata.malformed");
    c.meta(
        "name is an object",
        &field(&["name"], json!({"__proto__": {"x": 1}})),
        malformed.clone(),
    );
    c.meta(
        "size -1",
        &field(&["hallmark", "size"], json!(-1)),
        malformed.clone(),
    );
    let text = String::from_utf8(valid.clone()).unwrap();
    c.meta(
        "duplicate name",
        text.replacen("{", "{\"name\":\"a\",", 1).as_bytes(),
        malformed.clone(),
    );
    c.meta(
        "number 1e400",
        text.replacen(
            "{",
            "{\"attributes\":[{\"trait_type\":\"t\",\"value\":1e400}],",
            1,
        )
        .as_bytes(),
        malformed,
    );
}

/// Peak resident set size of this process, in KiB.
fn peak_kib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The child: runs the one case named in the environment and prints one result line.
#[test]
fn child_runs_one_case() {
    let (Ok(path), Ok(kind)) = (std::env::var(ENV_CASE), std::env::var(ENV_KIND)) else {
        return; // not a child run
    };
    let path = PathBuf::from(path);
    let before = peak_kib();
    let started = Instant::now();
    let (outcome, message) = if kind == "media" {
        match ingest_with_sink(&path, &IngestOptions::default(), NullSink, |_, _| {}) {
            Ok((ingested, _)) => {
                // the bytes are intact: the hash covers the whole file
                let bytes = fs::read(&path).unwrap();
                assert_eq!(ingested.size, bytes.len() as u64);
                assert_eq!(ingested.sha256, hex::encode(Sha256::digest(&bytes)));
                (format!("accepted {}", ingested.mime), String::new())
            }
            Err(e) => (e.code().to_string(), e.to_string()),
        }
    } else {
        let bytes = fs::read(&path).unwrap();
        match WorkMetadata::from_json(&bytes) {
            Ok(doc) => {
                // parsed as plain text: canonical bytes round-trip to the same document
                let canonical = doc.to_canonical_json().unwrap();
                assert_eq!(WorkMetadata::from_json(&canonical).unwrap(), doc);
                let original: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(original["name"], json!(doc.name));
                assert_eq!(original["hallmark"]["licence"], json!(doc.hallmark.licence));
                ("accepted metadata".to_owned(), String::new())
            }
            Err(e) => (e.code().to_string(), e.to_string()),
        }
    };
    let ms = started.elapsed().as_millis();
    let peak = peak_kib();
    println!(
        "HOSTILE\t{outcome}\t{ms}\t{peak}\t{before}\t{}",
        message.replace(['\n', '\t'], " ")
    );
}

/// A message is a clear sentence: not empty, no Rust debug dump.
fn clear_sentence(message: &str) -> bool {
    !message.trim().is_empty()
        && !["{ kind:", "Os {", "Custom {", "Error {", "Some(", "\\\""]
            .iter()
            .any(|dump| message.contains(dump))
}

#[test]
fn hostile_corpus_is_refused_clearly_quickly_in_bounded_memory() {
    if std::env::var(ENV_CASE).is_ok() {
        return;
    }
    let mut corpus = Corpus {
        dir: TempDir::new().unwrap(),
        cases: Vec::new(),
    };
    media_corpus(&mut corpus);
    let base = valid_document(corpus.dir.path());
    meta_corpus(&mut corpus, &base);

    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut failures = Vec::new();
    eprintln!(
        "{:<40} {:<28} {:>6} {:>9} {:>9}",
        "case", "outcome", "ms", "peak MiB", "+MiB"
    );
    for case in &corpus.cases {
        let output = Command::new(&exe)
            .args([
                "--exact",
                "child_runs_one_case",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ENV_CASE, &case.path)
            .env(ENV_KIND, case.kind)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let Some(line) = stdout
            .lines()
            .find_map(|l| l.find("HOSTILE\t").map(|at| &l[at..]))
        else {
            failures.push(format!(
                "{}: the child crashed ({}): {}",
                case.name,
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        };
        let fields: Vec<&str> = line.splitn(6, '\t').collect();
        let (outcome, ms, peak, before, message) = (
            fields[1],
            fields[2].parse::<u128>().unwrap(),
            fields[3].parse::<u64>().unwrap() / 1024,
            fields[4].parse::<u64>().unwrap() / 1024,
            fields[5],
        );
        eprintln!(
            "{:<40} {:<28} {:>6} {:>9} {:>9}",
            case.name,
            outcome,
            ms,
            peak,
            peak - before
        );
        let expected = case.expect.outcome();
        if outcome != expected {
            failures.push(format!(
                "{}: expected {expected}, got {outcome}: {message}",
                case.name
            ));
        }
        if matches!(case.expect, Refused(_)) && !clear_sentence(message) {
            failures.push(format!("{}: unclear message: {message:?}", case.name));
        }
        if ms > case.max_ms {
            failures.push(format!(
                "{}: took {ms} ms (bound {})",
                case.name, case.max_ms
            ));
        }
        if peak > MAX_PEAK_MIB + case.extra_mib {
            failures.push(format!("{}: peak RSS {peak} MiB", case.name));
        }
    }
    eprintln!(
        "{} hostile inputs in {:.1} s",
        corpus.cases.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
