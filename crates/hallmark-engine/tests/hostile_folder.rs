//! The hostile media corpus of crates/hallmark-media/tests/hostile.rs, ingested through the real
//! engine into a real data folder (embedded store, library database, derivatives folder), one
//! case after the other into the same folder. After each case the folder must pass its
//! integrity checks:
//!
//! - no temporary file anywhere under it: the store's `ipfs/tmp/` is empty, and no name of the
//!   engine's atomic writes (`.<name>.<pid>.tmp`), the derivatives writer
//!   (`.<cid>.png.<pid>.partial`), tempfile (`.tmp*`) or a SQLite rollback journal (`*-journal`);
//! - no unreferenced block, counted by the store's collector with no grace period;
//! - a refused case adds no file at all (block, pin, derivative) and no library row;
//! - an accepted case is in the library, pinned, readable (every block verified) as the exact
//!   bytes, with its preview and thumbnail files pinned too;
//! - both SQLite databases pass `PRAGMA integrity_check`.
//!
//! `cargo test -p hallmark-engine --test hostile_folder -- --nocapture` prints the table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../hallmark-media/tests/common/fixtures.rs"]
mod fixtures;
#[path = "../../hallmark-media/tests/common/hostile_corpus.rs"]
mod hostile_corpus;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hallmark_engine::{Config, Engine, ImportSettings, Ingested};
use hallmark_store::{AnyStore, ContentStore, EmbeddedStore};
use hostile_corpus::{Corpus, media_corpus};

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).expect("under root").to_owned());
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Whether `path` (relative to the data folder) is a temporary file of the store, the engine,
/// the derivatives writer, tempfile or SQLite.
fn is_temporary(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.starts_with("ipfs/tmp")
        || name.ends_with(".tmp")
        || name.ends_with(".partial")
        || name.starts_with(".tmp")
        || name.ends_with("-journal")
}

/// The problems of the data folder after `case`, compared with the listing `before` it.
async fn folder_problems(
    engine: &Engine,
    store: &EmbeddedStore,
    data: &Path,
    before: &BTreeSet<PathBuf>,
    case: &hostile_corpus::Case,
    result: &Result<Ingested, hallmark_engine::EngineError>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let after = files(data);
    let temporary: Vec<_> = after.iter().filter(|p| is_temporary(p)).collect();
    if !temporary.is_empty() {
        problems.push(format!("temporary files left: {temporary:?}"));
    }
    let unreferenced = store
        .unreferenced_blocks(Duration::ZERO, false)
        .await
        .expect("collector");
    if unreferenced.blocks > 0 {
        problems.push(format!(
            "{} unreferenced blocks ({} bytes)",
            unreferenced.blocks, unreferenced.bytes
        ));
    }
    for (name, check) in [
        (
            "library",
            engine.library().integrity_check().expect("check"),
        ),
        (
            "catalog",
            engine.catalog().integrity_check().expect("check"),
        ),
    ] {
        if check != "ok" {
            problems.push(format!("{name} database integrity_check: {check}"));
        }
    }
    match result {
        Err(_) => {
            let added: Vec<_> = after.difference(before).collect();
            if !added.is_empty() {
                problems.push(format!("refused, yet files were added: {added:?}"));
            }
            let removed: Vec<_> = before.difference(&after).collect();
            if !removed.is_empty() {
                problems.push(format!("refused, yet files were removed: {removed:?}"));
            }
        }
        Ok(ingested) => {
            let cid = ingested.cid_v1.to_string();
            match engine.library().get(&cid).expect("library") {
                Some(item) if item.sha256 == ingested.sha256 && item.mime == ingested.mime => {
                    let derivatives = [
                        (&item.preview_cid, &ingested.preview),
                        (&item.thumbnail_cid, &ingested.thumbnail),
                    ];
                    for (recorded, derivative) in derivatives {
                        if recorded.as_deref()
                            != derivative.as_ref().map(|d| d.cid.to_string()).as_deref()
                        {
                            problems.push(format!(
                                "library derivative {recorded:?}, ingest reported {:?}",
                                derivative.as_ref().map(|d| d.cid)
                            ));
                        }
                    }
                }
                other => problems.push(format!("library row: {other:?}")),
            }
            let pins = store.pin_ls().await.expect("pins");
            let mut roots = vec![(ingested.cid_v1, ingested.path.clone())];
            for derivative in [&ingested.preview, &ingested.thumbnail]
                .into_iter()
                .flatten()
            {
                if !derivative.path.starts_with(data.join("derivatives")) {
                    problems.push(format!(
                        "derivative outside the derivatives folder: {}",
                        derivative.path.display()
                    ));
                }
                roots.push((derivative.cid, derivative.path.clone()));
            }
            if ingested.preview.is_none() || ingested.thumbnail.is_none() {
                problems.push("an accepted image without preview or thumbnail".to_owned());
            }
            for (root, path) in roots {
                if !pins.contains(&root) {
                    problems.push(format!("{root} ({}) is not pinned", path.display()));
                }
                let bytes = std::fs::read(&path).expect("read the input");
                match engine.read_verified(&root, bytes.len() as u64).await {
                    Ok(stored) if stored == bytes => {}
                    Ok(_) => problems.push(format!("{root}: the store holds other bytes")),
                    Err(e) => problems.push(format!("{root} cannot be read back: {e}")),
                }
            }
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}", case.name))
        .collect()
}

#[tokio::test]
async fn every_hostile_case_leaves_the_data_folder_sound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let engine = Engine::open(Config::embedded(data.clone()))
        .await
        .expect("open");
    let AnyStore::Embedded(store) = engine.store() else {
        panic!("Config::embedded opens the embedded store");
    };
    let mut corpus = Corpus::new();
    media_corpus(&mut corpus);
    let cases: Vec<_> = corpus.cases.iter().filter(|c| c.kind == "media").collect();

    let started = Instant::now();
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    eprintln!("{:<48} {:<28} {:>6}", "case", "outcome", "ms");
    for case in &cases {
        let before = files(&data);
        let rows = engine.library().count().expect("count");
        let case_started = Instant::now();
        let result = engine.ingest(&case.path, |_| {}).await;
        let ms = case_started.elapsed().as_millis();
        let (outcome, message) = match &result {
            Ok(ingested) => (format!("accepted {}", ingested.mime), String::new()),
            Err(e) => (e.code().to_string(), e.to_string()),
        };
        eprintln!("{:<48} {:<28} {:>6}", case.name, outcome, ms);
        let expected = case.expect.outcome();
        if outcome != expected {
            failures.push(format!(
                "{}: expected {expected}, got {outcome}: {message}",
                case.name
            ));
        }
        match &result {
            Ok(_) => accepted += 1,
            Err(_) => refused += 1,
        }
        if result.is_err() && engine.library().count().expect("count") != rows {
            failures.push(format!("{}: refused, yet the library changed", case.name));
        }
        failures.extend(folder_problems(&engine, store, &data, &before, case, &result).await);
    }
    eprintln!(
        "{} hostile media inputs ({accepted} accepted, {refused} refused) through the engine in {:.1} s",
        cases.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        cases.len() >= 80,
        "the corpus shrank to {} media cases",
        cases.len()
    );

    // The checks can fail: a block nothing references and a temporary file of the store are
    // seen (and the block is what `health --fix` removes).
    let stray = engine
        .store()
        .add_bytes(b"not pinned".to_vec(), &ImportSettings::kubo_v1())
        .await
        .expect("add");
    let found = store
        .unreferenced_blocks(Duration::ZERO, false)
        .await
        .expect("collector");
    assert_eq!((found.blocks, found.removed), (1, false), "{stray:?}");
    let removed = store
        .unreferenced_blocks(Duration::ZERO, true)
        .await
        .expect("collector");
    assert_eq!((removed.blocks, removed.removed), (1, true));
    std::fs::write(data.join("ipfs/tmp/put-stray"), b"x").expect("write");
    assert!(files(&data).iter().any(|p| is_temporary(p)));
}
