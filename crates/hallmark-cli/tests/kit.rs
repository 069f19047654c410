//! The exit kit end to end, on the real anvil dev chain: the issuer mints two works (one with
//! two editions) and gives one token away, exports a kit (`--owned --created`), checks it with
//! the real `sha256sum` and runs the README's `curl` calls against the chain; then the data
//! folder is deleted, the kit is imported into a fresh one with no chain running, every bundle
//! verifies offline and every CID reads back byte-identical. A kit with one flipped byte is
//! refused, naming the file, and leaves nothing pinned.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use hallmark_engine::{Config, Engine, U256, dev_signer};
use hallmark_testkit::hallmark_cli;
use serde_json::Value;
use sha2::{Digest, Sha256};
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

fn ok(o: Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    stdout(&o)
}

fn json(o: Output) -> Value {
    serde_json::from_str(&ok(o)).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The pins of a data folder, one CID a line.
fn pins(data: &Path) -> Vec<String> {
    ok(hallmark(data, &["ipfs", "pin", "ls"]))
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Runs `sha256sum -c SHA256SUMS` in `kit`.
fn sha256sum_check(kit: &Path) -> Output {
    Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(kit)
        .output()
        .expect("sha256sum (coreutils) is installed")
}

/// Decodes an ABI-encoded `string` return value.
fn abi_string(hex_result: &str) -> String {
    let bytes = hex::decode(hex_result.trim_start_matches("0x")).unwrap();
    let len = U256::from_be_slice(&bytes[32..64]).to::<usize>();
    String::from_utf8(bytes[64..64 + len].to_vec()).unwrap()
}

/// Runs every `curl` command of the README's code blocks against `rpc` and checks each answer
/// against the expectation the comment above it states. Returns how many commands ran.
fn run_readme_calls(readme: &str, rpc: &str) -> usize {
    let mut commands: Vec<(Option<String>, String)> = Vec::new();
    let mut comment = None;
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("# ") {
            comment = Some(line.to_owned());
        } else if line.starts_with("curl ") {
            let mut command = line.trim_end_matches('\\').to_owned();
            let mut last = line;
            while last.ends_with('\\') {
                last = lines.next().unwrap();
                command.push_str(last.trim_end_matches('\\'));
            }
            commands.push((comment.take(), command));
        }
    }
    for (comment, command) in &commands {
        let out = Command::new("sh")
            .args(["-c", command])
            .env("RPC", rpc)
            .output()
            .expect("curl is installed");
        assert!(out.status.success(), "{command}");
        let answer: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{command}: {e}: {}", String::from_utf8_lossy(&out.stdout)));
        assert!(answer.get("error").is_none(), "{command}: {answer}");
        let result = &answer["result"];
        let Some(comment) = comment else { continue };
        if let Some(expected) = comment.strip_prefix("# block 1: its parentHash must be ") {
            assert_eq!(result["parentHash"], expected, "{comment}");
            continue;
        }
        let text = result.as_str().unwrap_or_default();
        if let Some(prefix) =
            comment.strip_prefix("# the registration record: the answer starts with ")
        {
            assert!(text.starts_with(prefix), "{comment}\n{text}");
            assert_eq!(text.len(), 2 + 11 * 64, "eleven words");
        } else if let Some(rest) =
            comment.strip_prefix("# the work registered under this content hash: must answer work ")
        {
            let expected = rest.split('(').nth(1).unwrap().trim_end_matches(')');
            assert_eq!(text, expected, "{comment}");
        } else if comment.contains(": the holder (it was ") {
            let expected = comment
                .split("it was ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap();
            assert_eq!(text, expected, "{comment}");
        } else if let Some(rest) = comment.strip_prefix("# the metadata of token ") {
            let expected = rest.split(": ").nth(1).unwrap();
            assert_eq!(abi_string(text), expected, "{comment}");
        }
    }
    commands.len()
}

/// A picture of noise: its PNG does not compress, so a large one spans several blocks.
fn noisy_png(path: &Path, width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    image::RgbImage::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let [r, g, b, ..] = state.to_le_bytes();
        image::Rgb([r, g, b])
    })
    .save(path)
    .unwrap();
    fs::read(path).unwrap()
}

fn png(path: &Path, width: u32, height: u32, seed: u8) -> Vec<u8> {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 3) as u8 ^ seed,
            (y * 5) as u8,
            ((x + y) as u8).wrapping_mul(seed),
        ])
    })
    .save(path)
    .unwrap();
    fs::read(path).unwrap()
}

#[test]
fn an_exit_kit_outlives_its_data_folder_and_a_flipped_byte_is_refused() {
    let started = Instant::now();
    let mut timings = Vec::new();
    let mut lap = |what: &str, since: &mut Instant| {
        timings.push(format!("{what}: {} ms", since.elapsed().as_millis()));
        *since = Instant::now();
    };
    let mut clock = Instant::now();
    let tmp = TempDir::new().unwrap();
    let data = tmp.path().join("data-a");

    // The issuer mints work A (1 edition; 1100×240 of noise: a PNG of several blocks, wider
    // than 1,024 pixels, so marketplaces are shown its preview) and work B (2 editions, both
    // kept; so small its picture is itself).
    let a_bytes = noisy_png(&tmp.path().join("harbour.png"), 1100, 240, 7);
    assert!(a_bytes.len() > 262_144, "more than one chunk");
    let b_bytes = png(&tmp.path().join("pair.png"), 80, 80, 131);
    let a = json(hallmark(
        &data,
        &[
            "mint",
            s(&tmp.path().join("harbour.png")),
            "--title",
            "Harbour at dawn",
            "--json",
        ],
    ));
    let b = json(hallmark(
        &data,
        &[
            "mint",
            s(&tmp.path().join("pair.png")),
            "--title",
            "A pair",
            "--editions",
            "2",
            "--json",
        ],
    ));
    let work_a: u64 = a["work_id"].as_u64().unwrap();
    let work_b: u64 = b["work_id"].as_u64().unwrap();
    let token_a: u64 = a["token_id"].as_u64().unwrap();
    let token_b1: u64 = b["token_id"].as_u64().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The CLI mints edition 1 only; edition 2 of B goes to the issuer through the engine.
    let token_b2: u64 = runtime.block_on(async {
        let engine = Engine::open(Config::load(Some(data.clone())).unwrap())
            .await
            .unwrap();
        engine.start_dev_chain().await.unwrap();
        let issuer = dev_signer(1).unwrap();
        let client = engine.chain_client(issuer.clone()).await.unwrap();
        let minted = client
            .mint_edition(U256::from(work_b), issuer.address())
            .await
            .unwrap();
        engine.shutdown().await;
        minted.token_id.to::<u64>()
    });
    assert_eq!(token_b2, token_b1 + 1);
    // Work A's only token goes to member 1: the issuer created A but holds none of it.
    ok(hallmark(
        &data,
        &[
            "gift",
            &token_a.to_string(),
            "--to",
            "member1",
            "--as",
            "issuer",
        ],
    ));
    lap("mint 2 works, edition 2, gift", &mut clock);

    // Export as the issuer.
    let kit = tmp.path().join("kit");
    let report = json(hallmark(
        &data,
        &[
            "export-kit",
            "--owned",
            "--created",
            "--as",
            "issuer",
            s(&kit),
            "--json",
        ],
    ));
    lap("export-kit", &mut clock);
    assert_eq!(report["works"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(report["bundles"], 2, "{report}");
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A second export into the now non-empty folder is refused and leaves nothing behind.
    let o = hallmark(&data, &["export-kit", "--owned", s(&kit)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is not empty"), "{}", stderr(&o));

    // The kit's files.
    let manifest: Value =
        serde_json::from_slice(&fs::read(kit.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "hallmark-exit-kit/1");
    assert_eq!(
        manifest["account"],
        "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
    );
    let files = manifest["files"].as_array().unwrap();
    for file in files {
        let path = kit.join(file["path"].as_str().unwrap());
        let bytes = fs::read(&path).unwrap();
        assert_eq!(
            bytes.len() as u64,
            file["size"].as_u64().unwrap(),
            "{path:?}"
        );
        assert_eq!(
            sha256_hex(&bytes),
            file["sha256"].as_str().unwrap(),
            "{path:?}"
        );
    }
    let listed: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    for expected in [
        "README.md".to_owned(),
        "chain.json".to_owned(),
        "abi/HallmarkWorks.json".to_owned(),
        "abi/HallmarkMarket.json".to_owned(),
        format!("works/{work_a}/media.car"),
        format!("works/{work_a}/metadata.car"),
        format!("works/{work_a}/metadata.json"),
        format!("works/{work_a}/image.car"),
        format!("works/{work_b}/media.car"),
        format!("works/{work_b}/metadata.json"),
        format!("bundles/hallmark-token-{token_b1}.zip"),
        format!("bundles/hallmark-token-{token_b2}.zip"),
    ] {
        assert!(
            listed.contains(&expected.as_str()),
            "{expected} in {listed:?}"
        );
    }
    assert!(
        !listed.contains(&format!("bundles/hallmark-token-{token_a}.zip").as_str()),
        "no bundle for a token the issuer gave away"
    );
    let works = manifest["works"].as_array().unwrap();
    let work = |id: u64| works.iter().find(|w| w["work_id"] == id).unwrap();
    let (wa, wb) = (work(work_a), work(work_b));
    assert_eq!(wa["content_sha256"], sha256_hex(&a_bytes));
    assert_eq!(wb["content_sha256"], sha256_hex(&b_bytes));
    assert_eq!(wa["media_cid"], a["media_cid"]);
    assert_eq!(wb["metadata_cid"], b["metadata_cid"]);
    assert_eq!(wa["created_by_account"], true);
    assert_eq!(wa["tokens"][0]["held_by_account"], false);
    assert_eq!(
        wa["tokens"][0]["holder"],
        "0x90f79bf6eb2c4f870365e785982e1f101e93b906"
    );
    assert!(wa["tokens"][0]["bundle"].is_null());
    assert!(
        wa["note"].as_str().unwrap().contains("no evidence bundle"),
        "{wa}"
    );
    assert!(wb["image_cid"].is_null(), "B's thumbnail is B itself: {wb}");
    assert!(!listed.contains(&format!("works/{work_b}/image.car").as_str()));
    assert_eq!(wb["tokens"].as_array().unwrap().len(), 2);
    assert!(wb["note"].is_null());
    let abi: Value =
        serde_json::from_slice(&fs::read(kit.join("abi/HallmarkWorks.json")).unwrap()).unwrap();
    assert!(
        abi.as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "ownerOf")
    );
    let chain: Value = serde_json::from_slice(&fs::read(kit.join("chain.json")).unwrap()).unwrap();
    assert_eq!(chain["chain_id"], 31337);
    assert_eq!(chain["kind"], "dev");
    assert!(chain["note"].as_str().unwrap().contains("anvil"));
    assert_eq!(chain["genesis_block_hash"].as_str().unwrap().len(), 66);
    assert_eq!(chain["works_selectors"]["ownerOf(uint256)"], "0x6352211e");
    let readme = fs::read_to_string(kit.join("README.md")).unwrap();
    for words in [
        "sha256sum -c SHA256SUMS",
        "ipfs dag import",
        "hallmark verify bundles/",
        "--offline",
        "eth_call",
        "holds none of its tokens",
    ] {
        assert!(readme.contains(words), "README lacks {words:?}");
    }

    // The real sha256sum agrees with every file.
    let check = sha256sum_check(&kit);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let oks = String::from_utf8(check.stdout).unwrap();
    assert_eq!(
        oks.lines().filter(|l| l.ends_with(": OK")).count(),
        files.len() + 1
    );

    // The README's curl calls, against the running chain, answer what the README says.
    let calls = runtime.block_on(async {
        let engine = Engine::open(Config::load(Some(data.clone())).unwrap())
            .await
            .unwrap();
        engine.start_dev_chain().await.unwrap();
        let url = engine.chain_rpc().await.unwrap().url().to_owned();
        let genesis = Command::new("curl")
            .args([
                "-s",
                "-X",
                "POST",
                "-H",
                "Content-Type: application/json",
                "--data",
                r#"{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x1",false]}"#,
                &url,
            ])
            .output()
            .unwrap();
        let genesis: Value = serde_json::from_slice(&genesis.stdout).unwrap();
        // Block 1's parent: anvil re-creates block 0 at each restart (see chain.json's note).
        assert_eq!(genesis["result"]["parentHash"], chain["genesis_block_hash"]);
        let calls = run_readme_calls(&readme, &url);
        engine.shutdown().await;
        calls
    });
    // chain id, block 1, and per work: record, content hash, holders, token URI.
    assert_eq!(calls, 2 + (2 + 1 + 1) + (2 + 2 + 1), "{readme}");
    lap("sha256sum and the README's curl calls", &mut clock);

    // The platform is gone: the whole data folder (chain, store, catalog) is deleted.
    fs::remove_dir_all(&data).unwrap();

    // A fresh installation, no chain running, imports the kit.
    let fresh = tmp.path().join("data-b");
    let imported = json(hallmark(&fresh, &["import-kit", s(&kit), "--json"]));
    lap("import-kit", &mut clock);
    assert!(
        !fresh.join("chain/deployment-31337.json").exists()
            && !fresh.join("chain/anvil.pid").exists(),
        "the import started no chain"
    );
    assert_eq!(imported["backend"], "embedded");
    assert_eq!(imported["bundles_verified"], 2);
    assert_eq!(imported["works"].as_array().unwrap().len(), 2);
    let pinned = pins(&fresh);
    for w in [wa, wb] {
        for key in ["media_cid", "metadata_cid", "image_cid"] {
            if let Some(cid) = w[key].as_str() {
                assert!(
                    pinned.iter().any(|p| p == cid),
                    "{key} {cid} pinned: {pinned:?}"
                );
            }
        }
    }

    // Every bundle verifies offline, from the kit and from the copy kept in the data folder.
    let kept: Vec<PathBuf> = imported["works"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["bundles"].as_array().unwrap().clone())
        .map(|b| PathBuf::from(b.as_str().unwrap()))
        .collect();
    assert_eq!(kept.len(), 2);
    for bundle in kept
        .iter()
        .cloned()
        .chain([token_b1, token_b2].map(|t| kit.join(format!("bundles/hallmark-token-{t}.zip"))))
    {
        let o = hallmark(&fresh, &["verify", s(&bundle), "--offline"]);
        assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("VERIFIED"), "{}", stdout(&o));
    }

    // Every CID reads back byte-identical from the new store, and is the one the metadata names.
    for (w, original) in [(wa, &a_bytes), (wb, &b_bytes)] {
        let media_cid = w["media_cid"].as_str().unwrap();
        let media = hallmark(&fresh, &["ipfs", "cat", media_cid]);
        assert_eq!(media.status.code(), Some(0), "{}", stderr(&media));
        assert!(
            media.stdout == *original,
            "work {} media differs",
            w["work_id"]
        );
        let metadata = hallmark(
            &fresh,
            &["ipfs", "cat", w["metadata_cid"].as_str().unwrap()],
        );
        assert_eq!(metadata.status.code(), Some(0), "{}", stderr(&metadata));
        let kit_json = fs::read(kit.join(w["files"]["metadata_json"].as_str().unwrap())).unwrap();
        assert_eq!(metadata.stdout, kit_json);
        assert_eq!(
            sha256_hex(&metadata.stdout),
            w["metadata_sha256"].as_str().unwrap()
        );
        let document: Value = serde_json::from_slice(&metadata.stdout).unwrap();
        assert_eq!(document["hallmark"]["content_cid"], w["media_cid"]);
        assert_eq!(document["hallmark"]["content_sha256"], w["content_sha256"]);
        let image_cid = w["image_cid"].as_str().unwrap_or(media_cid);
        assert_eq!(document["image"], format!("ipfs://{image_cid}"));
        let image = hallmark(&fresh, &["ipfs", "cat", image_cid]);
        assert_eq!(image.status.code(), Some(0), "{}", stderr(&image));
        assert!(image.stdout.starts_with(b"\x89PNG"), "the picture is a PNG");
    }
    let library: Value = json(hallmark(&fresh, &["library", "--json"]));
    for w in [wa, wb] {
        assert!(
            library
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["cid"] == w["media_cid"]),
            "{library}"
        );
    }
    lap("verify bundles, read back every CID", &mut clock);

    // One flipped byte in a CAR: refused by the manifest's hash, naming the file; nothing pinned.
    let media_car = format!("works/{work_b}/media.car");
    let bad = tmp.path().join("kit-bad");
    copy_dir(&kit, &bad);
    let car_path = bad.join(&media_car);
    let mut car = fs::read(&car_path).unwrap();
    let at = car.len() - 10;
    car[at] ^= 0x01;
    fs::write(&car_path, &car).unwrap();
    let third = tmp.path().join("data-c");
    let o = hallmark(&third, &["import-kit", s(&bad)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(&media_car) && err.contains("sha-256"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(pins(&third).is_empty(), "nothing pinned");
    assert_eq!(
        json(hallmark(&third, &["library", "--json"])),
        Value::Array(vec![])
    );

    // The same byte with the manifest and SHA256SUMS rewritten to match (they are not signed):
    // `sha256sum -c` passes, but the block no longer matches its CID and the import says so.
    let forged = tmp.path().join("kit-forged");
    copy_dir(&bad, &forged);
    let car_sha = sha256_hex(&car);
    let mut manifest_value = manifest.clone();
    for file in manifest_value["files"].as_array_mut().unwrap() {
        if file["path"] == media_car.as_str() {
            file["sha256"] = Value::from(car_sha.clone());
        }
    }
    let mut manifest_bytes = serde_json::to_vec_pretty(&manifest_value).unwrap();
    manifest_bytes.push(b'\n');
    fs::write(forged.join("manifest.json"), &manifest_bytes).unwrap();
    let sums: String = fs::read_to_string(forged.join("SHA256SUMS"))
        .unwrap()
        .lines()
        .map(|line| {
            let (_, path) = line.split_once("  ").unwrap();
            let sha = if path == media_car {
                car_sha.clone()
            } else if path == "manifest.json" {
                sha256_hex(&manifest_bytes)
            } else {
                line[..64].to_owned()
            };
            format!("{sha}  {path}\n")
        })
        .collect();
    fs::write(forged.join("SHA256SUMS"), sums).unwrap();
    assert!(
        sha256sum_check(&forged).status.success(),
        "the lists were rewritten to match"
    );
    let fourth = tmp.path().join("data-d");
    let o = hallmark(&fourth, &["import-kit", s(&forged)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&media_car) && err.contains("does not match its CID"),
        "{err}"
    );
    assert!(pins(&fourth).is_empty(), "nothing pinned");
    assert!(
        !fourth.join("kits").exists(),
        "no evidence kept from a refused kit"
    );
    lap("tampered kits refused", &mut clock);

    eprintln!(
        "exit kit test: {} ms in all\n  {}",
        started.elapsed().as_millis(),
        timings.join("\n  ")
    );
}

/// The same round trip into a Kubo-compatible node (the js-ipfs test daemon `make test` starts
/// and names in `HALLMARK_TEST_KUBO_API`): the CARs go through `ipfs dag import`, the roots are
/// pinned on the node, and a forged kit leaves nothing there.
#[test]
fn a_kit_imports_into_an_ipfs_node() {
    let api = std::env::var("HALLMARK_TEST_KUBO_API").expect(
        "HALLMARK_TEST_KUBO_API is not set: run the tests with `make test`, which starts the js-ipfs test daemon",
    );
    let tmp = TempDir::new().unwrap();
    let data = tmp.path().join("data-a");
    // Bytes the node has never seen (its repo persists between runs).
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let picture = tmp.path().join("fresh.png");
    // Large enough to have a preview of its own (over 1,024 pixels wide), and more than one
    // block.
    let bytes = noisy_png(&picture, 1100, 240, nanos as u64);
    let minted = json(hallmark(
        &data,
        &["mint", s(&picture), "--title", "Node copy", "--json"],
    ));
    let token = minted["token_id"].as_u64().unwrap().to_string();
    let kit = tmp.path().join("kit");
    ok(hallmark(
        &data,
        &["export-kit", &token, "--as", "issuer", s(&kit)],
    ));
    let manifest: Value =
        serde_json::from_slice(&fs::read(kit.join("manifest.json")).unwrap()).unwrap();
    let work = &manifest["works"][0];
    let roots: Vec<String> = ["media_cid", "metadata_cid", "image_cid"]
        .iter()
        .filter_map(|k| work[*k].as_str().map(str::to_owned))
        .collect();
    assert_eq!(roots.len(), 3);
    let node_pins = |data: &Path| -> Vec<String> {
        ok(hallmark(data, &["--ipfs-api", &api, "ipfs", "pin", "ls"]))
            .lines()
            .map(str::to_owned)
            .collect()
    };

    // A kit whose media CAR has a flipped byte and lists rewritten to match: nothing reaches the node.
    let forged = tmp.path().join("kit-forged");
    copy_dir(&kit, &forged);
    let media_car = work["files"]["media_car"].as_str().unwrap().to_owned();
    let mut car = fs::read(forged.join(&media_car)).unwrap();
    let at = car.len() - 5;
    car[at] ^= 0x80;
    fs::write(forged.join(&media_car), &car).unwrap();
    let mut forged_manifest = manifest.clone();
    for file in forged_manifest["files"].as_array_mut().unwrap() {
        if file["path"] == media_car.as_str() {
            file["sha256"] = Value::from(sha256_hex(&car));
        }
    }
    fs::write(
        forged.join("manifest.json"),
        serde_json::to_vec(&forged_manifest).unwrap(),
    )
    .unwrap();
    let node_data = tmp.path().join("data-node");
    let o = hallmark(&node_data, &["--ipfs-api", &api, "import-kit", s(&forged)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(&media_car), "{}", stderr(&o));
    let pinned = node_pins(&node_data);
    assert!(
        roots.iter().all(|r| !pinned.contains(r)),
        "nothing of a refused kit is pinned"
    );

    // The real kit.
    fs::remove_dir_all(&data).unwrap();
    let report = json(hallmark(
        &node_data,
        &["--ipfs-api", &api, "import-kit", s(&kit), "--json"],
    ));
    assert_eq!(report["backend"], "kubo");
    assert_eq!(report["bundles_verified"], 1);
    let pinned = node_pins(&node_data);
    for root in &roots {
        assert!(pinned.contains(root), "{root} pinned on the node");
    }
    let media = hallmark(
        &node_data,
        &[
            "--ipfs-api",
            &api,
            "ipfs",
            "cat",
            work["media_cid"].as_str().unwrap(),
        ],
    );
    assert_eq!(media.status.code(), Some(0), "{}", stderr(&media));
    assert!(media.stdout == bytes, "the node serves the exact bytes");
    let bundle = report["works"][0]["bundles"][0]
        .as_str()
        .unwrap()
        .to_owned();
    ok(hallmark(&node_data, &["verify", &bundle, "--offline"]));

    // The README's `ipfs add --only-hash` claim, with another implementation (ipfs-unixfs-importer,
    // installed with the test daemon): the bytes alone give the kit's CIDs.
    let media_file = tmp.path().join("media.bin");
    fs::write(&media_file, &bytes).unwrap();
    let metadata_json = kit.join(work["files"]["metadata_json"].as_str().unwrap());
    for (file, cid) in [
        (media_file.as_path(), &work["media_cid"]),
        (metadata_json.as_path(), &work["metadata_cid"]),
    ] {
        assert_eq!(js_importer_cid(file), cid.as_str().unwrap(), "{file:?}");
    }
}

/// The CIDv1 (raw leaves) ipfs-unixfs-importer gives `file`, from the installed IPFS tools.
fn js_importer_cid(file: &Path) -> String {
    let tools = std::env::var_os("HALLMARK_IPFS_DIR").map_or_else(
        || PathBuf::from(std::env::var("HOME").unwrap()).join(".local/hallmark-tools/ipfs"),
        PathBuf::from,
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/ipfs/setup-ipfs.sh");
    let out = Command::new("bash")
        .arg(&script)
        .args(["importer", "1"])
        .arg(file)
        .env("IPFS_RECIPE_DIR", &tools)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the IPFS test tools are installed (scripts/setup.sh test): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}
