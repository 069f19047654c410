//! `hallmark health`, `hallmark refresh` and `hallmark pinning` as a user runs them: the real
//! binary on a dev chain it starts (anvil), the embedded store and the Pinning Service API test
//! server (tools/pinning/server.js). The tokens never appear in any output, even at trace level.
#![allow(clippy::unwrap_used)]

#[path = "../../hallmark-pinning/tests/common/mod.rs"]
mod pinning_server;

use std::path::Path;
use std::process::Output;
use std::time::Instant;

use hallmark_testkit::{hallmark_cli, pictures};
use pinning_server::{TOKEN, TestServer};
use serde_json::Value;

/// `hallmark ARGS` with a private data folder and none of the caller's Hallmark settings.
fn hallmark(data_dir: &Path, args: &[&str]) -> Output {
    hallmark_cli!().run(data_dir, args)
}

/// `hallmark ARGS` with `input` on standard input.
fn hallmark_with_input(data_dir: &Path, args: &[&str], input: &str) -> Output {
    hallmark_cli!().run_with_input(data_dir, args, input)
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8(o.stdout.clone()).unwrap(),
        String::from_utf8(o.stderr.clone()).unwrap(),
    )
}

fn ok(o: &Output) -> String {
    let (out, err) = text(o);
    assert_eq!(o.status.code(), Some(0), "stdout: {out}\nstderr: {err}");
    out
}

#[test]
fn health_fix_refresh_and_pinning_from_the_cli() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = TestServer::start(50);
    let wrong = "not-the-token-4b7d2f";
    let file = dir.path().join("harbour.png");
    pictures::save(&pictures::textured(640, 480, 7), &file);

    let minted: Value = serde_json::from_str(&ok(&hallmark(
        &data,
        &[
            "mint",
            file.to_str().unwrap(),
            "--title",
            "Harbour",
            "--json",
        ],
    )))
    .unwrap();
    let work = minted["work_id"].as_u64().unwrap().to_string();
    let media = minted["media_cid"].as_str().unwrap().to_owned();
    ok(&hallmark(&data, &["sync"]));

    // All OK: exit 0, the local store verified, the time it was.
    let report: Value = serde_json::from_str(&ok(&hallmark(&data, &["health", "--json"]))).unwrap();
    assert_eq!(report["problems"], 0, "{report:#}");
    assert_eq!(report["entries"][0]["backend"], "local");
    assert!(report["entries"][0]["last_verified_at"].is_u64());
    let out = ok(&hallmark(&data, &["health"]));
    assert!(
        out.contains("OK (1)") && out.contains("last verified OK: 20"),
        "{out}"
    );

    // refresh: the metadata fetched again now.
    let out = ok(&hallmark(&data, &["refresh", &work]));
    assert!(out.contains("available"), "{out}");
    let o = hallmark(&data, &["refresh", "77"]);
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));

    // Two services: one with the right token, one with a wrong one (tokens on stdin).
    let out = ok(&hallmark_with_input(
        &data,
        &["pinning", "add", "mock", &server.url],
        &format!("{TOKEN}\n"),
    ));
    assert!(
        out.contains("token set: yes") && !out.contains(TOKEN),
        "{out}"
    );
    ok(&hallmark_with_input(
        &data,
        &["pinning", "add", "wrongtoken", &server.url],
        &format!("{wrong}\n"),
    ));
    let o = hallmark_with_input(&data, &["pinning", "add", "mock", &server.url], "x\n");
    assert_eq!(o.status.code(), Some(2), "a duplicate name: {:?}", text(&o));

    let o = hallmark(&data, &["-vvv", "health"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(out.starts_with("availability of 1 work(s)"), "{out}");
    let problems = out.find("PROBLEMS (2)").expect("problems listed");
    let oks = out.find("OK (1)").expect("ok listed");
    assert!(problems < oks, "problems first: {out}");
    assert!(
        out.contains("unauthorized") && out.contains("pin_absent"),
        "{out}"
    );
    assert!(out.contains("token set: yes"), "{out}");
    assert!(err.contains("error: 2 problem(s) remain"), "{err}");
    for secret in [TOKEN, wrong] {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "a token leaked:\n{out}\n{err}"
        );
    }
    let listed = ok(&hallmark(&data, &["pinning", "list", "--json"]));
    assert!(
        !listed.contains(TOKEN) && !listed.contains(wrong),
        "{listed}"
    );
    let config = std::fs::read_to_string(data.join("config.json")).unwrap();
    assert!(
        !config.contains(TOKEN) && !config.contains(wrong),
        "{config}"
    );

    // --fix pins from the local copy; the wrong token cannot be fixed (still exit 1).
    let o = hallmark(&data, &["health", "--fix", "--wait", "10"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(
        out.contains("pin_requested") && out.contains("cannot_fix"),
        "{out}"
    );
    assert!(!out.contains(TOKEN) && !out.contains(wrong));
    ok(&hallmark(&data, &["pinning", "remove", "wrongtoken"]));
    let report: Value = serde_json::from_str(&ok(&hallmark(&data, &["health", "--json"]))).unwrap();
    assert_eq!(report["problems"], 0, "{report:#}");

    // A block of the media deleted: reported; --fix has no copy to restore it from.
    let store = hallmark_store::EmbeddedStore::open(data.join("ipfs")).unwrap();
    let root: hallmark_unixfs::Cid = media.parse().unwrap();
    let blocks = hallmark_unixfs::dag_cids(&root, |c| std::fs::read(store.block_path(c))).unwrap();
    assert!(blocks.len() > 1, "a DAG of several blocks");
    std::fs::remove_file(store.block_path(blocks.last().unwrap())).unwrap();
    let o = hallmark(&data, &["health", "--fix"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(out.contains("media") && out.contains(": missing"), "{out}");
    assert!(out.contains("cannot_fix"), "{out}");
    let report: Value =
        serde_json::from_slice(&hallmark(&data, &["health", "--json"]).stdout).unwrap();
    assert_eq!(report["entries"][0]["status"], "missing", "{report:#}");
    assert_eq!(
        report["entries"][1]["status"], "ok",
        "the service still has it"
    );
    eprintln!(
        "health_fix_refresh_and_pinning_from_the_cli: {:?}",
        started.elapsed()
    );
}
