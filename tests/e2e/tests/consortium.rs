//! Two installations, one consortium, the app as one of them.
//!
//! The consortium's node (an anvil owned by neither installation) and its IPFS node (the
//! js-ipfs test daemon) both sit behind TLS with a CA made for the test. Installation A (the
//! CLI) founds the consortium, publishes its signed profile and, as the artist, mints and lists
//! a work; its media go to the consortium's IPFS node. Installation B is the app: it joined
//! through the profile, its collector creates her own keystore account, the council admits
//! her, and she sees the work with its thumbnail (read through from the consortium's node,
//! CID-verified), buys it, and exports a proof that A verifies against the chain.

use std::path::Path;
use std::process::Output;
use std::time::Instant;

use hallmark_e2e::{
    Driver, app_binary, click, js, screenshot, select_account, type_into, wait_images, wait_text,
};
use hallmark_testkit::tls::{TestCa, TlsProxy};
use hallmark_testkit::{Anvil, Hallmark, pictures};

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The js-ipfs test daemon's RPC port (`make test` starts it and sets the variable).
fn kubo_port() -> u16 {
    std::env::var("HALLMARK_TEST_KUBO_API")
        .expect("HALLMARK_TEST_KUBO_API is not set: run the tests with `make test`")
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .expect("a port in HALLMARK_TEST_KUBO_API")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_joins_a_consortium_sees_a_work_minted_elsewhere_buys_it_and_proves_it() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run under `xvfb-run -a` (scripts/test.sh does)"
    );
    let app = app_binary();
    let hallmark = Hallmark::new(app.with_file_name("hallmark"));
    let dir = tempfile::tempdir().expect("tmp");
    let a = dir.path().join("installation-a");
    let b = dir.path().join("installation-b");
    std::fs::create_dir_all(&b).expect("b");

    // The consortium's node and IPFS node, behind TLS signed by the consortium's own CA.
    let node = Anvil::start();
    let ca = TestCa::new("Harbour Guild CA");
    let ca_file = dir.path().join("guild-ca.pem");
    std::fs::write(&ca_file, ca.pem()).expect("CA file");
    let chain_tls = TlsProxy::start(&ca.localhost_cert(), node.port());
    let ipfs_tls = TlsProxy::start(&ca.localhost_cert(), kubo_port());
    let rpc_url = chain_tls.url("localhost");
    let kubo_url = ipfs_tls.url("localhost");

    // A founds the consortium and publishes its profile; the council endorses the artist.
    ok(
        // A two-block council vote and no time lock: credits issued below run at once (the
        // CLI's council test follows a proposal through a real vote and time lock).
        &hallmark.run(
            &a,
            &[
                "consortium",
                "deploy",
                "--rpc",
                &node.endpoint(),
                "--voting-blocks",
                "2",
                "--time-lock",
                "0",
            ],
        ),
        "consortium deploy",
    );
    let profile = dir.path().join("harbour-guild.profile.json");
    ok(
        &hallmark.run(
            &a,
            &[
                "consortium",
                "profile",
                "export",
                s(&profile),
                "--name",
                "Harbour Guild",
                "--rpc",
                &rpc_url,
                "--kubo",
                &kubo_url,
                "--ca",
                s(&ca_file),
            ],
        ),
        "profile export",
    );
    ok(
        &hallmark.run(&a, &["consortium", "profile", "use", s(&profile)]),
        "A joins",
    );
    ok(
        &hallmark.run(&a, &["consortium", "add-member", "issuer"]),
        "artist admitted",
    );
    ok(
        &hallmark.run(&a, &["consortium", "add-issuer", "issuer"]),
        "artist endorsed",
    );

    // The artist mints on A (the media go up to the consortium's IPFS node) and lists it.
    let picture = dir.path().join("harbour.png");
    pictures::save(&pictures::noise(480, 320, 0x4a4b), &picture);
    let minted = ok(
        &hallmark.run(
            &a,
            &[
                "mint",
                s(&picture),
                "--title",
                "Harbour at dawn",
                "--as",
                "issuer",
                "--json",
            ],
        ),
        "A mints",
    );
    let minted: serde_json::Value = serde_json::from_str(&minted).expect("mint JSON");
    let token = minted["token_id"]
        .as_str()
        .map_or_else(|| minted["token_id"].to_string(), str::to_owned);
    ok(
        &hallmark.run(&a, &["list", &token, "--price", "15", "--as", "issuer"]),
        "A lists it",
    );
    // A's own copy of the blocks goes: what B shows can only come from the consortium.
    std::fs::remove_dir_all(a.join("ipfs")).expect("remove A's store");

    // B joins through the same signed profile, then opens the app.
    ok(
        &hallmark.run(&b, &["consortium", "profile", "use", s(&profile)]),
        "B joins",
    );
    let driver = Driver::start(&b).await;
    let client = driver.session(&app).await;
    let started = Instant::now();

    let outcome = async {
        // Explore: A's work with its thumbnail, read through from the consortium's node.
        wait_text(&client, "#chain-badge", 90, |t| {
            t.starts_with("chain 31337")
        })
        .await;
        click(&client, "#nav-explore").await?;
        wait_text(&client, "#explore-grid .work .title", 60, |t| {
            t.contains("Harbour at dawn")
        })
        .await;
        wait_images(&client, "#explore-grid .work img", 1).await;
        eprintln!(
            "first Explore page with its thumbnail read through: {} ms after the window opened",
            started.elapsed().as_millis()
        );
        screenshot("c1-b-explore-work-minted-on-a").await;

        // The collector creates her own keystore account in the app …
        click(&client, "#nav-settings").await?;
        wait_text(&client, "#wallet-empty", 20, |t| !t.is_empty()).await;
        type_into(&client, "#wallet-create-label", "Bea").await?;
        type_into(&client, "#wallet-create-password", "correct horse battery").await?;
        type_into(&client, "#wallet-create-repeat", "correct horse battery").await?;
        click(&client, "#wallet-create-button").await?;
        wait_text(&client, "#wallet-accounts", 30, |t| t.contains("Bea")).await;
        let bea = js(
            &client,
            "return document.querySelector('#wallet-accounts .who .mono').textContent;",
        )
        .await;
        let bea = bea.as_str().expect("Bea's address").to_owned();
        // … and the council (on A) admits her and issues her credits.
        ok(
            &hallmark.run(&a, &["consortium", "add-member", &bea]),
            "Bea admitted",
        );
        ok(
            &hallmark.run(&a, &["consortium", "add-credits", &bea, "--credits", "100"]),
            "Bea's credits",
        );
        select_account(&client, &format!("wallet:{bea}")).await;
        click(&client, "#nav-explore").await?;
        wait_text(&client, "#account-select", 60, |t| {
            t.contains("Bea · 100.00 credits")
        })
        .await;

        // Bea buys the work at the price she confirms.
        click(&client, "#explore-grid .work").await?;
        wait_text(&client, "#buy-button", 30, |t| {
            t.contains("Buy for 15.00 credits")
        })
        .await;
        click(&client, "#buy-button").await?;
        wait_text(&client, "#confirm-box", 5, |t| t.contains("Sign as Bea")).await;
        screenshot("c2-b-confirm-buy").await;
        // A new block (the council's transaction elsewhere) reloads the page under the open
        // confirmation: it stays open, with what it says.
        let badge = wait_text(&client, "#chain-badge", 5, |t| t.contains("block")).await;
        ok(
            &hallmark.run(
                &a,
                &[
                    "consortium",
                    "add-credits",
                    "issuer",
                    "--credits",
                    "1",
                    "--gas",
                    "0",
                ],
            ),
            "another transaction",
        );
        wait_text(&client, "#chain-badge", 30, |t| t != badge).await;
        wait_text(&client, "#work-timeline", 10, |t| t.contains("Listed")).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        wait_text(&client, "#confirm-box", 5, |t| t.contains("Sign as Bea")).await;
        click(&client, "#confirm-sign").await?;
        wait_text(&client, "#work-timeline", 60, |t| {
            t.contains("Sold for 15.00 credits")
        })
        .await;
        wait_text(&client, "#account-select", 30, |t| {
            t.contains("Bea · 85.00 credits")
        })
        .await;
        js(
            &client,
            "document.querySelector('#work-timeline').scrollIntoView({block: 'end'}); return 0;",
        )
        .await;
        screenshot("c3-b-bought").await;

        // A sees the sale and the artist's royalty (10 % of 15.00 credits, in cents).
        ok(&hallmark.run(&a, &["sync"]), "A syncs");
        let shown = ok(
            &hallmark.run(&a, &["show", &token, "--json"]),
            "A shows the token",
        );
        let shown: serde_json::Value = serde_json::from_str(&shown).expect("show JSON");
        let provenance = shown["provenance"].as_array().expect("provenance");
        assert!(
            provenance
                .iter()
                .any(|e| e["kind"] == "payout" && e["amount"] == 150),
            "the royalty payout on A: {provenance:?}"
        );
        assert!(
            shown
                .to_string()
                .to_lowercase()
                .contains(&bea.to_lowercase()),
            "{shown}"
        );

        // Status says where works go and come from, and what the cache holds.
        click(&client, "#nav-status").await?;
        let read = wait_text(&client, "#store-read", 20, |t| !t.is_empty()).await;
        assert!(read.contains(&kubo_url), "{read}");
        wait_text(&client, "#store-upload", 5, |t| t.contains(&kubo_url)).await;
        wait_text(&client, "#store-cache", 5, |t| {
            t.contains("kept offline") && !t.contains(" 0 files")
        })
        .await;
        js(
            &client,
            "document.querySelector('#store-cache').scrollIntoView({block: 'center'}); return 0;",
        )
        .await;
        screenshot("c5-b-status").await;
        click(&client, "#nav-collection").await?;
        wait_text(&client, "#explore-grid .work .title", 20, |t| {
            t.contains("Harbour at dawn")
        })
        .await;
        click(&client, "#explore-grid .work").await?;

        // Bea exports her proof in the app; A verifies it against the consortium's chain.
        wait_text(&client, "#export-proof", 10, |t| !t.is_empty()).await;
        click(&client, "#export-proof").await?;
        wait_text(&client, "#proof-confirm", 5, |t| t.contains("Sign as Bea")).await;
        click(&client, "#proof-sign").await?;
        let bundle = wait_text(&client, "#proof-bundle-path", 60, |t| t.ends_with(".zip")).await;
        screenshot("c4-b-proof").await;
        let report = ok(
            &hallmark.run(&a, &["verify", &bundle]),
            "A verifies Bea's proof",
        );
        eprintln!("A's verification of B's bundle:\n{report}");
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    if outcome.is_err() {
        screenshot("c-failure").await;
    }
    client.close().await.expect("close the session");
    outcome.expect("the consortium journey");
}
