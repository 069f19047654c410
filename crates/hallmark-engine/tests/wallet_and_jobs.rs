//! The wallet and cancellable jobs against the real anvil dev chain: a newcomer creates an
//! account (a scrypt keystore), joins the demo consortium, locks and unlocks it, backs it up and
//! restores it elsewhere; accounts come from a recovery phrase; a mint reports its steps, stores
//! attributes and co-creator splits, and stops when cancelled before its transaction — never
//! after.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use hallmark_engine::{
    ActiveAccount, CancelToken, CoCreator, Config, DEMO_JOIN_CREDITS, Engine, MintRequest,
    MintStage, U256, dev_signer,
};
use sha2::{Digest, Sha256};

const PASSWORD: &str = "correct horse battery";

fn picture(dir: &std::path::Path, name: &str, seed: u8) -> PathBuf {
    let path = dir.join(name);
    image::RgbImage::from_fn(96, 64, |x, y| {
        image::Rgb([
            (x as u8).wrapping_mul(seed),
            (y as u8) ^ seed,
            seed.wrapping_add(x as u8),
        ])
    })
    .save(&path)
    .expect("png");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_creates_joins_locks_unlocks_and_restores_an_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let engine = Engine::open(Config::embedded(data.clone()))
        .await
        .expect("engine");
    engine.start_dev_chain().await.expect("dev chain");

    // Bad input loses nothing and says why.
    let weak = engine
        .create_account("Ada", "short")
        .await
        .expect_err("weak");
    assert_eq!(weak.code(), "wallet.weak_password");
    let unnamed = engine
        .create_account(" ", PASSWORD)
        .await
        .expect_err("label");
    assert_eq!(unnamed.code(), "wallet.bad_label");
    assert!(engine.wallet_accounts().expect("list").is_empty());

    let ada = engine
        .create_account("Ada", PASSWORD)
        .await
        .expect("create");
    assert!(ada.unlocked);
    let signer = engine.app_signer().expect("signer");
    assert_eq!(format!("{:#x}", signer.address()), ada.address);
    let keystore = data.join("keystores").join(format!("{}.json", ada.address));
    let text = std::fs::read_to_string(&keystore).expect("keystore");
    assert!(text.contains("scrypt"));
    assert!(!text.contains(&hex::encode(signer.credential().to_bytes())));

    // Joining the demo consortium: member role, credits, gas money.
    engine
        .join_demo_consortium(&ada.address)
        .await
        .expect("join");
    let client = engine
        .chain_client(engine.app_signer().expect("signer"))
        .await
        .expect("client");
    assert_eq!(
        client
            .credit_balance(signer.address())
            .await
            .expect("balance"),
        U256::from(DEMO_JOIN_CREDITS)
    );
    engine
        .sync_catalog(Default::default(), |_| {})
        .await
        .expect("sync");
    let accounts = engine.app_accounts().await.expect("accounts");
    let listed = accounts
        .iter()
        .find(|a| a.address == ada.address)
        .expect("listed");
    assert!(listed.active && listed.kind == "wallet");
    assert_eq!(listed.roles, vec!["member".to_owned()]);
    assert_eq!(listed.balance_cents, Some(DEMO_JOIN_CREDITS as i64));
    // Joining twice changes nothing.
    engine
        .join_demo_consortium(&ada.address)
        .await
        .expect("join again");

    // Locked: no signing until the right password.
    engine.lock_wallet();
    assert_eq!(
        engine.app_signer().expect_err("locked").code(),
        "wallet.locked"
    );
    assert_eq!(
        engine
            .unlock_account(&ada.address, "wrong password")
            .await
            .expect_err("wrong")
            .code(),
        "wallet.wrong_password"
    );
    engine
        .unlock_account(&ada.address, PASSWORD)
        .await
        .expect("unlock");
    assert_eq!(
        engine.app_signer().expect("signer").address(),
        signer.address()
    );

    // A recovery phrase: the public test phrase's 4th account is dev key 3 (Member 1).
    let phrase = "test test test test test test test test test test test junk";
    let from_phrase = engine
        .import_phrase("From phrase", phrase, 3, PASSWORD)
        .await
        .expect("phrase");
    assert_eq!(
        from_phrase.address,
        format!("{:#x}", dev_signer(3).expect("dev key").address())
    );
    assert_eq!(
        engine
            .import_phrase("Again", phrase, 3, PASSWORD)
            .await
            .expect_err("duplicate")
            .code(),
        "wallet.exists"
    );
    // Back to the demo issuer, then to Ada again (unlocked, so no password needed).
    engine.use_account(ActiveAccount::Demo(1)).expect("demo");
    assert_eq!(
        engine.app_signer().expect("issuer").address(),
        dev_signer(1).expect("dev key").address()
    );
    let ada_address = ada.address.parse().expect("address");
    engine
        .use_account(ActiveAccount::Wallet(ada_address))
        .expect("use");

    // Backup: the exported keystore restores the account in a fresh data folder.
    let backup = engine.export_keystore(&ada.address).expect("export");
    engine.shutdown().await;

    let reopened = Engine::open(Config::embedded(data.clone()))
        .await
        .expect("reopen");
    let listed = reopened.wallet_accounts().expect("list");
    assert_eq!(listed.len(), 2);
    assert!(
        listed.iter().all(|a| !a.unlocked),
        "keys are not kept unlocked across runs"
    );
    reopened.shutdown().await;

    let elsewhere = Engine::open(Config::embedded(dir.path().join("elsewhere")))
        .await
        .expect("engine");
    assert_eq!(
        elsewhere
            .import_keystore("Ada", &backup, "wrong password")
            .await
            .expect_err("wrong")
            .code(),
        "wallet.wrong_password"
    );
    let restored = elsewhere
        .import_keystore("Ada", &backup, PASSWORD)
        .await
        .expect("import");
    assert_eq!(restored.address, ada.address);
    elsewhere.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mint_reports_its_steps_keeps_its_splits_and_cancels_only_before_sending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().join("data")))
        .await
        .expect("engine");
    engine.start_dev_chain().await.expect("dev chain");
    let issuer = dev_signer(1).expect("issuer");
    let co_creator = dev_signer(5).expect("member 3").address();

    // Cancelled while uploading: nothing registered, nothing sent.
    let path = picture(dir.path(), "harbour.png", 7);
    let request = MintRequest {
        path: path.clone(),
        name: "Harbour".to_owned(),
        licence: "CC-BY-4.0".to_owned(),
        editions: 2,
        royalty_bps: 1000,
        attributes: vec![("Medium".to_owned(), "Ink".to_owned())],
        co_creators: vec![CoCreator {
            payee: co_creator,
            bps: 2500,
        }],
        ..MintRequest::default()
    };
    let token = CancelToken::new();
    let trip = token.clone();
    let cancelled = engine
        .mint_job(&request, issuer.clone(), &token, move |stage| {
            if stage == MintStage::Upload {
                trip.cancel();
            }
        })
        .await
        .expect_err("cancelled");
    assert_eq!(cancelled.code(), "job.cancelled");
    let client = engine.chain_client(issuer.clone()).await.expect("client");
    let sha = hex::encode(Sha256::digest(std::fs::read(&path).expect("read")));
    let content_hash = hallmark_engine::B256::from_slice(&hex::decode(&sha).expect("hex"));
    assert_eq!(
        client
            .work_by_content_hash(content_hash)
            .await
            .expect("lookup"),
        None
    );

    // Cancelled after the transaction is sent: too late, the mint completes and says so.
    let stages = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stages);
    let token = CancelToken::new();
    let trip = token.clone();
    let minted = engine
        .mint_job(&request, issuer.clone(), &token, move |stage| {
            seen.lock().expect("stages").push(stage);
            if stage == MintStage::Register {
                trip.cancel();
            }
        })
        .await
        .expect("a sent registration is not cancelled");
    assert_eq!(
        *stages.lock().expect("stages"),
        vec![
            MintStage::Ingest,
            MintStage::CopyCheck,
            MintStage::Upload,
            MintStage::Register,
            MintStage::Done
        ]
    );
    assert!(MintStage::Upload.cancellable() && !MintStage::Register.cancellable());

    // The splits on chain: the co-creator's quarter and the creator's rest.
    let work = client
        .work(minted.work_id.parse().expect("work id"))
        .await
        .expect("work");
    let splits: Vec<(String, u16)> = work
        .splits
        .iter()
        .map(|s| (format!("{:#x}", s.payee), s.bps))
        .collect();
    assert_eq!(
        splits,
        vec![
            (format!("{:#x}", issuer.address()), 7500),
            (format!("{co_creator:#x}"), 2500)
        ]
    );
    // The attribute is in the metadata document.
    let metadata_cid: hallmark_engine::Cid = minted.metadata_cid.parse().expect("cid");
    let document = engine
        .read_verified(&metadata_cid, 1 << 20)
        .await
        .expect("metadata");
    let json: serde_json::Value = serde_json::from_slice(&document).expect("json");
    assert_eq!(json["attributes"][0]["trait_type"], "Medium");
    assert_eq!(json["attributes"][0]["value"], "Ink");

    // Shares over 100 %, a duplicate or the creator itself are refused before anything runs.
    for co_creators in [
        vec![CoCreator {
            payee: co_creator,
            bps: 10_001,
        }],
        vec![
            CoCreator {
                payee: co_creator,
                bps: 100,
            },
            CoCreator {
                payee: co_creator,
                bps: 100,
            },
        ],
        vec![CoCreator {
            payee: issuer.address(),
            bps: 100,
        }],
    ] {
        let bad = MintRequest {
            path: picture(dir.path(), "other.png", 9),
            co_creators,
            ..request.clone()
        };
        let err = engine
            .mint(&bad, issuer.clone())
            .await
            .expect_err("refused");
        assert_eq!(err.code(), "chain.invalid_input", "{err}");
    }

    // An ingest cancelled mid-stream records nothing, and keeps none of the blocks it had
    // already stored (issue 20).
    let before = engine.library_page(100, None).expect("library").len();
    let block_files = || {
        let blocks = engine.config().ipfs_dir().join("blocks");
        std::fs::read_dir(&blocks)
            .into_iter()
            .flatten()
            .flatten()
            .flat_map(|shard| {
                std::fs::read_dir(shard.path())
                    .into_iter()
                    .flatten()
                    .flatten()
            })
            .count()
    };
    let blocks_before = block_files();
    let big = dir.path().join("big.png");
    image::RgbImage::from_fn(1500, 1500, |x, y| {
        image::Rgb([(x * 7 + y) as u8, (x ^ y) as u8, (y * 3) as u8])
    })
    .save(&big)
    .expect("png");
    let token = CancelToken::new();
    let trip = token.clone();
    let err = engine
        .ingest_job(&big, &token, move |_| trip.cancel())
        .await
        .expect_err("cancelled");
    assert_eq!(err.code(), "job.cancelled");
    assert_eq!(
        engine.library_page(100, None).expect("library").len(),
        before
    );
    assert_eq!(
        block_files(),
        blocks_before,
        "no block of the cancelled ingest is kept"
    );
    engine.shutdown().await;
}

/// Security finding 8 (part): keystores were 0644 files in a 0755 folder, and their exported
/// copies 0644, so any local user could copy them and attack the password offline. Now the
/// keystores folder and the exports folder are 0700 and every keystore and backup is 0600.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keystores_and_their_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let engine = Engine::open(Config::embedded(data.clone()))
        .await
        .expect("engine");
    // A keystores folder left open by an older version is tightened too.
    std::fs::create_dir_all(data.join("keystores")).expect("mkdir");
    std::fs::set_permissions(
        data.join("keystores"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");
    let ada = engine
        .create_account("Ada", PASSWORD)
        .await
        .expect("create");
    let keystore = data.join("keystores").join(format!("{}.json", ada.address));
    assert_eq!(mode(&data.join("keystores")), 0o700);
    assert_eq!(mode(&keystore), 0o600);
    let backup = engine.export_keystore(&ada.address).expect("export");
    assert_eq!(mode(backup.parent().expect("exports")), 0o700);
    assert_eq!(mode(&backup), 0o600);
    engine.shutdown().await;
}

/// Finding 8: a new keystore's password gets a strength estimate (zxcvbn); a guessable one is
/// refused with zxcvbn's explanation, before any key is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guessable_password_is_refused_with_a_plain_explanation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let engine = Engine::open(Config::embedded(dir.path().join("data")))
        .await
        .expect("engine");
    for guessable in ["password123", "qwertyuiop", "Ada Lovelace 1"] {
        let refused = engine
            .create_account("Ada Lovelace", guessable)
            .await
            .expect_err(guessable);
        assert_eq!(refused.code(), "wallet.guessable_password", "{guessable}");
        assert!(refused.to_string().contains("easy to guess"), "{refused}");
    }
    let phrase = "test test test test test test test test test test test junk";
    let refused = engine
        .import_phrase("Phrase", phrase, 0, "letmein123")
        .await
        .expect_err("guessable");
    assert_eq!(refused.code(), "wallet.guessable_password");
    assert!(engine.wallet_accounts().expect("list").is_empty());
    // The 8-character minimum still comes first.
    assert_eq!(
        engine
            .create_account("Ada", "Xq7!")
            .await
            .expect_err("short")
            .code(),
        "wallet.weak_password"
    );
    engine
        .create_account("Ada", PASSWORD)
        .await
        .expect("a strong password is accepted");
    engine.shutdown().await;
}

fn keystore_n(path: &std::path::Path) -> u64 {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("read")).expect("json");
    json["crypto"]["kdfparams"]["n"].as_u64().expect("n")
}

/// Finding 8: change-password re-encrypts at n = 2¹⁸ atomically; a wrong current password or a
/// guessable new one leaves the keystore byte for byte as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_reencrypts_and_a_wrong_one_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let engine = Engine::open(Config::embedded(data.clone()))
        .await
        .expect("engine");
    // An account imported from a keystore of the earlier cost (n = 2¹³) ...
    let key = hallmark_chain::keys::random_key();
    let legacy = hallmark_chain::keys::encrypt_key(
        &key,
        PASSWORD.as_bytes(),
        hallmark_chain::keys::ScryptCost {
            log_n: 13,
            r: 8,
            p: 1,
        },
    )
    .expect("encrypt");
    let outside = dir.path().join("legacy.json");
    std::fs::write(&outside, &legacy).expect("write");
    let ada = engine
        .import_keystore("Ada", &outside, PASSWORD)
        .await
        .expect("an n = 2^13 keystore opens");
    let keystore = data.join("keystores").join(format!("{}.json", ada.address));
    // ... is kept here at n = 2¹⁸.
    assert_eq!(keystore_n(&keystore), 1 << 18);
    let before = std::fs::read(&keystore).expect("read");

    let wrong = engine
        .change_password(
            &ada.address,
            "not the password",
            "violet kettle under granite",
        )
        .await
        .expect_err("wrong");
    assert_eq!(wrong.code(), "wallet.wrong_password");
    assert_eq!(std::fs::read(&keystore).expect("read"), before, "unchanged");
    let weak = engine
        .change_password(&ada.address, PASSWORD, "password123")
        .await
        .expect_err("weak");
    assert_eq!(weak.code(), "wallet.guessable_password");
    assert_eq!(std::fs::read(&keystore).expect("read"), before, "unchanged");

    let changed = engine
        .change_password(&ada.address, PASSWORD, "violet kettle under granite")
        .await
        .expect("change");
    assert_eq!(changed.stale_backup, None);
    let after = std::fs::read(&keystore).expect("read");
    assert_ne!(after, before);
    assert_eq!(keystore_n(&keystore), 1 << 18);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&keystore)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(data.join("keystores"))
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    engine.lock_wallet();
    assert_eq!(
        engine
            .unlock_account(&ada.address, PASSWORD)
            .await
            .expect_err("old password")
            .code(),
        "wallet.wrong_password"
    );
    engine
        .unlock_account(&ada.address, "violet kettle under granite")
        .await
        .expect("new password");
    // An earlier backup still opens with the old password: the change says so.
    engine.export_keystore(&ada.address).expect("export");
    let again = engine
        .change_password(&ada.address, "violet kettle under granite", PASSWORD)
        .await
        .expect("change back");
    assert!(again.stale_backup.is_some());
    engine.shutdown().await;
}

/// Finding 8: forgetting an account needs its password (or a confirmation), and never deletes
/// the only copy of a key without that confirmation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgetting_an_account_is_confirmed_and_keeps_the_only_copy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let engine = Engine::open(Config::embedded(data.clone()))
        .await
        .expect("engine");
    let ada = engine
        .create_account("Ada", PASSWORD)
        .await
        .expect("create");
    let keystore = data.join("keystores").join(format!("{}.json", ada.address));
    let before = std::fs::read(&keystore).expect("read");
    let code = |r: Result<hallmark_engine::Forgotten, hallmark_engine::EngineError>| {
        r.expect_err("refused").code().as_str().to_owned()
    };

    assert_eq!(
        code(engine.forget_account(&ada.address, None, false).await),
        "wallet.unconfirmed"
    );
    assert_eq!(
        code(
            engine
                .forget_account(&ada.address, Some("wrong password"), false)
                .await
        ),
        "wallet.wrong_password"
    );
    // The right password, but no backup: the only copy is kept.
    assert_eq!(
        code(
            engine
                .forget_account(&ada.address, Some(PASSWORD), false)
                .await
        ),
        "wallet.only_copy"
    );
    assert_eq!(
        std::fs::read(&keystore).expect("read"),
        before,
        "kept whole"
    );
    assert_eq!(engine.wallet_accounts().expect("list").len(), 1);

    let backup = engine.export_keystore(&ada.address).expect("export");
    let forgotten = engine
        .forget_account(&ada.address, Some(PASSWORD), false)
        .await
        .expect("forget");
    assert_eq!(forgotten.backup.as_deref(), Some(backup.as_path()));
    assert!(!keystore.exists());
    assert!(backup.exists(), "the backup is not touched");
    assert!(engine.wallet_accounts().expect("list").is_empty());
    assert!(
        engine.app_signer().is_ok(),
        "signing falls back to the demo account"
    );

    // An explicit confirmation forgets even the only copy (and says there is no backup).
    let bob = engine
        .create_account("Bob", "violet kettle under granite")
        .await
        .expect("create");
    let forgotten = engine
        .forget_account(&bob.address, None, true)
        .await
        .expect("confirmed");
    assert_eq!(forgotten.backup, None);
    assert!(engine.wallet_accounts().expect("list").is_empty());
    engine.shutdown().await;
}
