//! The real app in a real window: Xvfb + tauri-driver + WebKitWebDriver, driven with
//! fantoccini. One session walks the first-run flow a user takes — the dev chain starts and the
//! contracts deploy, a work is ingested and its CID shown, bad input gets a clear error, the
//! library shows the thumbnails through the verified `media://` protocol, the status page shows
//! the chain — and takes a screenshot of each screen into `target/e2e-screenshots/`.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use hallmark_e2e::{
    Driver, app_binary, choose_in_dialog, click, js, rss_mib, screenshot, select_account,
    type_into, wait_images, wait_text,
};
use hallmark_testkit::pictures;
use hallmark_unixfs::{ImportSettings, NullSink, import_reader};
use sha2::{Digest, Sha256};

/// Wraps the page's `window.__TAURI__` event `listen` and core `invoke` (which the UI's wasm
/// looks up at each call) to count, from now on, the listeners each event has (registered, and
/// still live) and the calls of each command.
async fn install_ipc_probe(client: &Client) {
    let installed = js(
        client,
        "const tauri = window.__TAURI__;
         if (!window.__probe) {
           const probe = { live: {}, registered: {}, calls: {} };
           const { event, core } = tauri;
           const listen = async (name, handler, options) => {
             const unlisten = await event.listen(name, handler, options);
             probe.live[name] = (probe.live[name] || 0) + 1;
             probe.registered[name] = (probe.registered[name] || 0) + 1;
             let removed = false;
             return async () => {
               if (!removed) { removed = true; probe.live[name] -= 1; }
               return unlisten();
             };
           };
           const invoke = (cmd, args, options) => {
             probe.calls[cmd] = (probe.calls[cmd] || 0) + 1;
             return core.invoke(cmd, args, options);
           };
           tauri.event = Object.assign({}, event, { listen });
           tauri.core = Object.assign({}, core, { invoke });
           Object.assign(probe, { listen, invoke });
           window.__probe = probe;
         }
         return tauri.event.listen === window.__probe.listen
           && tauri.core.invoke === window.__probe.invoke;",
    )
    .await;
    assert_eq!(
        installed, true,
        "the IPC probe could not wrap window.__TAURI__"
    );
}

/// What the probe counted: `kind` is `live`, `registered` or `calls`.
async fn probed(client: &Client, kind: &str, name: &str) -> u64 {
    js(
        client,
        &format!("return window.__probe.{kind}['{name}'] || 0;"),
    )
    .await
    .as_u64()
    .unwrap_or(u64::MAX)
}

/// Waits until `name` has exactly `count` live listeners registered since the probe.
async fn wait_live(client: &Client, name: &str, count: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let live = probed(client, "live", name).await;
        if live == count {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name}: {live} live listener(s), expected {count}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The form controls of the page with no label (`<label for>`, a wrapping `<label>`,
/// `aria-label` or `aria-labelledby`), by id or class.
async fn unlabelled(client: &Client) -> serde_json::Value {
    js(
        client,
        "return [...document.querySelectorAll('input, select, textarea')]
           .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length)
             && !(e.getAttribute('aria-label') || '').trim() && !e.getAttribute('aria-labelledby'))
           .map(e => e.id || e.className || e.outerHTML);",
    )
    .await
}

/// Asserts that every form control of the page has a label.
async fn assert_labelled(client: &Client, page: &str) {
    let missing = unlabelled(client).await;
    assert_eq!(
        missing,
        serde_json::json!([]),
        "controls without a label on {page}"
    );
}

/// Asserts that the confirmation `css` has the focus (it took it on opening), then closes it
/// with the Escape key.
async fn escape_closes(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let focused = format!(
        "const d = document.querySelector('{css}');
         return !!d && d.getAttribute('role') === 'alertdialog' && !!d.getAttribute('aria-label')
           && d.contains(document.activeElement);"
    );
    while js(client, &focused).await != serde_json::json!(true) {
        assert!(Instant::now() < deadline, "{css} did not take the focus");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let escape = KeyActions::new("keyboard".into())
        .then(KeyAction::Down {
            value: Key::Escape.into(),
        })
        .then(KeyAction::Up {
            value: Key::Escape.into(),
        });
    client.perform_actions(escape).await?;
    let gone = format!("return !document.querySelector('{css}');");
    while js(client, &gone).await != serde_json::json!(true) {
        assert!(Instant::now() < deadline, "Escape did not close {css}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Records the ingest progress bar's accessibility attributes each time the page changes while
/// it is shown (it may show only briefly).
async fn watch_progress_bar(client: &Client) {
    js(
        client,
        "window.__progress = [];
         const seen = () => {
           const p = document.querySelector('#ingest-progress');
           if (p) window.__progress.push(['role', 'aria-valuemin', 'aria-valuemax', 'aria-valuenow']
             .map(a => p.getAttribute(a)));
         };
         new MutationObserver(seen).observe(document.body,
           { childList: true, subtree: true, attributes: true, characterData: true });
         return 0;",
    )
    .await;
}

/// The `role` of `css`.
async fn role(client: &Client, css: &str) -> serde_json::Value {
    js(
        client,
        &format!("const e = document.querySelector('{css}'); return e && e.getAttribute('role');"),
    )
    .await
}

/// Makes the app sign as demo account `index` through the top bar's switcher.
async fn switch_account(client: &Client, index: u32) {
    select_account(client, &format!("demo:{index}")).await;
}

/// Fills the mint form's title, reviews the summary and signs; returns the summary's text.
async fn mint(client: &Client, title: &str) -> Result<String, fantoccini::error::CmdError> {
    type_into(client, "#mint-title", title).await?;
    click(client, "#mint-button").await?;
    let summary = wait_text(client, "#mint-confirm", 10, |t| t.contains(title)).await;
    click(client, "#mint-sign").await?;
    Ok(summary)
}

/// Chooses `path` in the Add page's file dialog; the ingest starts as soon as it is chosen.
async fn ingest(client: &Client, path: &Path) {
    choose_in_dialog(client, "#ingest-choose", path)
        .await
        .expect("choose the file");
}

/// Picks `profile` in the Join card's file picker (WebDriver sets the file input's file; the
/// webview reads its text, never its path) and waits until the card shows its name.
async fn pick_profile(client: &Client, profile: &Path) -> Result<(), fantoccini::error::CmdError> {
    client
        .find(Locator::Css("#join-profile-file"))
        .await?
        .send_keys(profile.to_str().expect("utf-8"))
        .await?;
    let name = profile
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a name");
    wait_text(client, "#join-picked", 10, |t| t == name).await;
    Ok(())
}

/// What the shell answers when the page itself invokes `command` with `args` (a script in the
/// webview, bypassing the UI): `ok` or the error it got.
async fn invoke_from_page(client: &Client, command: &str, args: serde_json::Value) -> String {
    let answer = client
        .execute_async(
            "const [command, args, done] = arguments;
             window.__TAURI__.core.invoke(command, args)
               .then(() => done('ok'), e => done(typeof e === 'string' ? e : JSON.stringify(e)));",
            vec![serde_json::json!(command), args],
        )
        .await
        .expect("the script ran");
    answer.as_str().unwrap_or_default().to_owned()
}

/// A detailed picture (PDQ quality well above 50), and `mirrored`: the same picture flipped,
/// shrunk to 70 % and saved as JPEG — a copy the copy check must recognise.
fn textured_pair(original: &Path, mirrored: &Path) {
    let picture = image::RgbImage::from_fn(480, 360, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let v =
            (fx / 11.0).sin() * 60.0 + (fy / 17.0).cos() * 60.0 + ((fx + fy) / 29.0).sin() * 50.0;
        let grain = ((x * 7919 + y * 104_729) % 61) as f32;
        image::Rgb([
            (128.0 + v + grain).clamp(0.0, 255.0) as u8,
            (128.0 - v + grain / 2.0).clamp(0.0, 255.0) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    picture.save(original).expect("png");
    let copy = image::imageops::flip_horizontal(&image::imageops::resize(
        &picture,
        336,
        252,
        image::imageops::FilterType::Triangle,
    ));
    image::DynamicImage::ImageRgb8(copy)
        .save(mirrored)
        .expect("jpeg");
}

/// Seeded noise: a picture no other picture of the journey looks like.
fn noise_png(path: &Path, seed: u64) {
    pictures::save(&pictures::noise(320, 240, seed), path);
}

fn gradient_png(path: &Path, w: u32, h: u32, tint: u8) {
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, tint])
    })
    .save(path)
    .expect("png");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_ingest_library_and_status_in_a_real_window() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run under `xvfb-run -a` (scripts/test.sh does)"
    );
    let app = app_binary();
    let data = tempfile::tempdir().expect("data dir");
    let files = tempfile::tempdir().expect("files dir");

    let work = files.path().join("sunrise.png");
    gradient_png(&work, 640, 400, 90);
    let bytes = std::fs::read(&work).expect("read");
    let expected_cid = import_reader(&bytes[..], &ImportSettings::kubo_v1(), NullSink)
        .expect("cid")
        .root
        .to_string();
    let expected_sha = hex::encode(Sha256::digest(&bytes));
    // A hostile file name: must show as text, never as markup.
    let hostile = files.path().join("<img src=x onerror=alert(1)><b>bold.png");
    gradient_png(&hostile, 300, 300, 200);
    let svg = files.path().join("logo.png");
    std::fs::write(
        &svg,
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
    )
    .expect("svg");

    let driver = Driver::start(data.path()).await;
    let launched = Instant::now();
    let client = driver.session(&app.canonicalize().expect("app path")).await;

    let outcome = async {
        // First start: the app starts its dev chain and deploys the contracts.
        wait_text(&client, "#library-empty", 20, |t| t.contains("Nothing here yet")).await;
        eprintln!(
            "cold start: {} ms from launch to the first page drawn ({})",
            launched.elapsed().as_millis(),
            app.display()
        );
        let badge = wait_text(&client, "#chain-badge", 90, |t| t.starts_with("chain 31337")).await;
        eprintln!("chain badge: {badge}");
        tokio::time::sleep(Duration::from_secs(2)).await;
        eprintln!(
            "idle RSS after start: app {} MiB, WebKit web content {} MiB",
            rss_mib(&["hallmark-app"]),
            rss_mib(&["WebKitWebProces"])
        );
        assert_eq!(js(&client, "return document.documentElement.lang;").await, "en");
        screenshot("01-library-empty").await;

        // A newcomer creates an account (a keystore kept in the data folder) and joins the demo
        // consortium: membership and 1000 credits, shown with the account.
        click(&client, "#nav-settings").await?;
        wait_text(&client, "#wallet-empty", 20, |t| !t.is_empty()).await;
        assert_labelled(&client, "Settings").await;
        type_into(&client, "#wallet-create-label", "Ada").await?;
        type_into(&client, "#wallet-create-password", "correct horse battery").await?;
        type_into(&client, "#wallet-create-repeat", "correct horse batter").await?;
        wait_text(&client, "#wallet-create-mismatch", 5, |t| !t.is_empty()).await;
        type_into(&client, "#wallet-create-repeat", "correct horse battery").await?;
        click(&client, "#wallet-create-button").await?;
        let row = wait_text(&client, "#wallet-accounts", 30, |t| t.contains("Ada") && t.contains("not a member yet")).await;
        assert!(row.contains("signing now"), "{row}");
        let ada = js(&client, "return document.querySelector('#wallet-accounts .who .mono').textContent;").await;
        let ada = ada.as_str().expect("Ada's address").to_owned();
        assert!(ada.starts_with("0x") && ada.len() == 42, "{ada}");
        let keystores = std::fs::read_dir(data.path().join("keystores")).expect("keystores").count();
        assert_eq!(keystores, 2, "Ada's keystore and the wallet list");
        click(&client, "#wallet-accounts .join").await?;
        wait_text(&client, "#wallet-accounts", 60, |t| !t.contains("not a member") && t.contains("member") && t.contains("1000.00 credits")).await;
        wait_text(&client, "#account-select", 10, |t| t.contains("Ada · 1000.00 credits")).await;
        screenshot("01b-account-created").await;

        // Listeners live as long as their page: each visit to Status adds its `chain-changed`
        // listener and leaving removes it (the Mint page's progress listener likewise), so a
        // chain change reloads the status for the open page and the top bar's badge, never
        // once more per past visit.
        install_ipc_probe(&client).await;
        for visit in 1..=5u64 {
            click(&client, "#nav-status").await?;
            wait_text(&client, "#head-block", 10, |t| t.parse::<u64>().is_ok()).await;
            wait_live(&client, "chain-changed", 1).await;
            click(&client, "#nav-add").await?;
            wait_live(&client, "ingest-progress", 1).await;
            wait_live(&client, "chain-changed", 0).await;
            click(&client, "#nav-library").await?;
            wait_live(&client, "ingest-progress", 0).await;
            assert_eq!(probed(&client, "registered", "chain-changed").await, visit);
            assert_eq!(probed(&client, "registered", "ingest-progress").await, visit);
        }
        click(&client, "#nav-status").await?;
        wait_text(&client, "#head-block", 10, |t| t.parse::<u64>().is_ok()).await;
        wait_live(&client, "chain-changed", 1).await;
        let before = probed(&client, "calls", "app_status").await;
        // Signing as Ada again: the wallet announces a chain change.
        select_account(&client, &format!("wallet:{ada}")).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let reloads = probed(&client, "calls", "app_status").await - before;
        // The page and the badge, and at most one timed refresh (every 4 s) of each on top.
        assert!((2..=4).contains(&reloads), "{reloads} app_status calls after one chain change");
        assert_labelled(&client, "Status").await;
        click(&client, "#nav-library").await?;
        // The issuer (a demo account of the consortium) registers works.
        switch_account(&client, 1).await;
        click(&client, "#nav-library").await?;

        // Ingest a work: the CID and sha-256 are the ones computed independently here.
        client.find(Locator::Css("#nav-add")).await?.click().await?;
        watch_progress_bar(&client).await;
        ingest(&client, &work).await;
        let cid = wait_text(&client, "#result-cid", 60, |t| !t.is_empty()).await;
        assert_eq!(cid, expected_cid);
        assert_eq!(wait_text(&client, "#result-sha256", 5, |t| !t.is_empty()).await, expected_sha);
        wait_text(&client, "#copy-check", 5, |t| t.contains("No other file")).await;
        assert_eq!(role(&client, "#copy-check").await, "status", "announced");
        // The progress bar showed as a progressbar with its values.
        let bar = js(&client, "return window.__progress[0] || null;").await;
        let attributes = [&bar[0], &bar[1], &bar[2]];
        assert_eq!(attributes, ["progressbar", "0", "100"], "{bar}");
        let now: f64 = bar[3].as_str().and_then(|v| v.parse().ok()).expect("aria-valuenow");
        assert!((0.0..=100.0).contains(&now), "{bar}");
        let preview_loaded = || {
            js(
                &client,
                "const i = document.querySelector('#ingest-preview'); return i && i.complete ? i.naturalWidth : 0;",
            )
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while preview_loaded().await.as_u64().unwrap_or(0) == 0 {
            assert!(Instant::now() < deadline, "the preview never loaded through media://");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        screenshot("02-ingested").await;

        // Register it on-chain (signed in the Rust core by the dev chain's issuer), with an
        // attribute; the summary says what will be signed, then the steps show as they happen.
        click(&client, "#mint-attributes .add-row").await?;
        type_into(&client, "#mint-attributes .row-first", "Medium").await?;
        type_into(&client, "#mint-attributes .row-second", "Generated gradient").await?;
        assert_labelled(&client, "Mint").await;
        // The summary takes the focus and Escape goes back to the form.
        click(&client, "#mint-button").await?;
        escape_closes(&client, "#mint-confirm").await?;
        let summary = mint(&client, "Sunrise over the bay").await?;
        assert!(summary.contains("Medium: Generated gradient"), "{summary}");
        assert!(summary.contains("You, the creator: 100 %"), "{summary}");
        let minted = wait_text(&client, "#mint-result", 60, |t| t.contains("Registered")).await;
        assert_eq!(role(&client, "#mint-result").await, "status", "announced");
        let stages = wait_text(&client, "#mint-stages", 5, |t| !t.is_empty()).await;
        assert!(stages.contains("Sending the registration"), "{stages}");
        assert!(minted.contains("work 1 (token 1000001)"), "{minted}");
        js(&client, "document.querySelector('#mint-result').scrollIntoView({block: 'end'}); return 0;").await;
        screenshot("02b-registered").await;

        // The same bytes again: refused by the first-registration check, naming the work.
        ingest(&client, &work).await;
        wait_text(&client, "#copy-check", 60, |t| !t.is_empty()).await;
        mint(&client, "Sunrise again").await?;
        let refused = wait_text(&client, "#mint-error", 60, |t| !t.is_empty()).await;
        assert!(refused.contains("chain.content_already_registered"), "{refused}");
        assert!(refused.contains("work 1"), "{refused}");
        assert_eq!(role(&client, "#mint-error").await, "alert", "announced");

        // A script in the page cannot make the shell read a file the user did not choose: a
        // path where the token belongs, a made-up token, the old path field — all refused.
        for args in [
            serde_json::json!({"request": {"file": "/etc/hostname"}, "job": "probe-1"}),
            serde_json::json!({"request": {"file": "0123456789abcdef0123456789abcdef"}, "job": "probe-2"}),
            serde_json::json!({"request": {"path": "/etc/hostname"}, "job": "probe-3"}),
        ] {
            let answer = invoke_from_page(&client, "ingest_file", args.clone()).await;
            assert_ne!(answer, "ok", "{args}");
            assert!(answer.contains("request.invalid") || answer.contains("missing field `file`"), "{answer}");
        }
        let answer = invoke_from_page(&client, "verify", serde_json::json!({"request": {"file": "/etc/hostname", "challenge": null}, "job": "probe-4"})).await;
        assert!(answer.contains("request.invalid"), "{answer}");

        // Bad input: clear errors with stable codes, nothing recorded. A chosen file that is
        // gone by the time it is added again:
        let gone = files.path().join("gone.png");
        std::fs::copy(&svg, &gone).expect("copy");
        ingest(&client, &gone).await;
        wait_text(&client, "#ingest-error", 20, |t| !t.is_empty()).await;
        std::fs::remove_file(&gone).expect("remove");
        click(&client, "#ingest-button").await?;
        let error = wait_text(&client, "#ingest-error", 20, |t| t.contains("media.not_found")).await;
        assert!(error.contains("media.not_found"), "{error}");
        assert_eq!(role(&client, "#ingest-error").await, "alert", "announced");
        ingest(&client, &svg).await;
        let error = wait_text(&client, "#ingest-error", 20, |t| t.contains("media.")).await;
        assert!(error.contains("media.unsupported_type"), "{error}");
        screenshot("03-refused-svg").await;
        ingest(&client, &hostile).await;
        wait_text(&client, "#result-cid", 60, |t| !t.is_empty() && t != cid).await;

        // The library: both works, thumbnails through media://, the hostile name as text.
        client.find(Locator::Css("#nav-library")).await?.click().await?;
        wait_images(&client, "#library-grid .work img", 2).await;
        let markup = js(
            &client,
            "return [document.querySelectorAll('#library-grid b').length,
                     document.querySelectorAll('#library-grid img[src=x]').length,
                     [...document.querySelectorAll('#library-grid .title')].map(t => t.textContent)];",
        )
        .await;
        assert_eq!(markup[0], 0, "no <b> element was created from a file name");
        assert_eq!(markup[1], 0, "no <img src=x> was created from a file name");
        assert!(markup[2].to_string().contains("<b>bold.png"), "{markup}");
        screenshot("04-library").await;

        // The status page: the deployed contracts and the local data.
        client.find(Locator::Css("#nav-status")).await?.click().await?;
        let works = wait_text(&client, "#works-contract", 10, |t| t.starts_with("0x")).await;
        assert_eq!(works.len(), 42);
        assert_eq!(wait_text(&client, "#library-count", 10, |t| t == "2").await, "2");
        assert_eq!(wait_text(&client, "#store-backend", 5, |t| !t.is_empty()).await, "embedded");
        screenshot("05-status").await;

        // Explore: the app's indexer followed the chain into the catalog and fetched the
        // registered work's metadata; its thumbnail comes through media://.
        client.find(Locator::Css("#nav-explore")).await?.click().await?;
        wait_text(&client, "#explore-grid .work .title", 60, |t| t.contains("Sunrise over the bay")).await;
        wait_text(&client, "#sync-indicator", 30, |t| t.contains("up to date")).await;
        wait_images(&client, "#explore-grid .work img", 1).await;
        screenshot("06-explore").await;

        // Search: a prefix finds it, a word it does not contain finds nothing.
        let search = client.find(Locator::Css("#explore-search")).await?;
        search.send_keys("zebra").await?;
        wait_text(&client, "#explore-empty", 10, |t| t.contains("No works match")).await;
        search.clear().await?;
        search.send_keys("sunr").await?;
        wait_text(&client, "#explore-grid .work .title", 10, |t| t.contains("Sunrise")).await;
        let cards = js(&client, "return document.querySelectorAll('#explore-grid .work').length;").await;
        assert_eq!(cards, serde_json::json!(1));
        assert_labelled(&client, "Explore").await;
        screenshot("06b-search").await;

        // The Work page: facts and the provenance timeline.
        client.find(Locator::Css("#explore-grid .work")).await?.click().await?;
        assert_eq!(wait_text(&client, "#work-title", 10, |t| !t.is_empty()).await, "Sunrise over the bay");
        let timeline = wait_text(&client, "#work-timeline", 10, |t| t.contains("Registered")).await;
        assert!(timeline.contains("Edition minted"), "{timeline}");
        assert!(timeline.contains("block"), "{timeline}");
        let facts = wait_text(&client, ".work-detail", 5, |t| t.contains("Content sha-256")).await;
        assert!(facts.contains(&expected_sha), "the registered content hash is shown");
        screenshot("07-work").await;

        // Trade in the app, signed in the Rust core after a confirmation: the issuer (the
        // app's first account, which holds the token) lists it … Every new block redraws the
        // Work panel (the confirmation survives it; its element is drawn again), so its buttons
        // are clicked through `click`, which finds them again after a redraw.
        assert_labelled(&client, "Work").await;
        client.find(Locator::Css("#list-price")).await?.send_keys("15").await?;
        click(&client, "#list-button").await?;
        wait_text(&client, "#confirm-box", 5, |t| t.contains("list token 1000001 for 15.00 credits")).await;
        // The confirmation takes the focus and Escape closes it, nothing signed.
        escape_closes(&client, "#confirm-box").await?;
        assert!(wait_text(&client, "#work-price", 5, |_| true).await.contains("Not for sale"));
        click(&client, "#list-button").await?;
        wait_text(&client, "#confirm-box", 5, |t| t.contains("list token 1000001 for 15.00 credits")).await;
        click(&client, "#confirm-sign").await?;
        wait_text(&client, "#work-price", 30, |t| t.contains("For sale: 15.00 credits")).await;
        // … and the newcomer Ada buys it, signed with her keystore's key.
        select_account(&client, &format!("wallet:{ada}")).await;
        wait_text(&client, "#buy-button", 10, |t| t.contains("Buy for 15.00 credits")).await;
        click(&client, "#buy-button").await?;
        wait_text(&client, "#confirm-box", 5, |t| t.contains("Sign as Ada")).await;
        screenshot("08-confirm-buy").await;
        click(&client, "#confirm-sign").await?;
        let timeline = wait_text(&client, "#work-timeline", 30, |t| t.contains("Sold for 15.00 credits")).await;
        assert!(timeline.contains("Listed for 15.00 credits"), "{timeline}");
        wait_text(&client, ".work-detail", 10, |t| t.contains(&ada)).await;
        // The buyer paid 15 credits (the top bar shows the balances the chain reports).
        wait_text(&client, "#account-select", 10, |t| t.contains("Ada · 985.00 credits")).await;
        js(&client, "document.querySelector('#work-timeline').scrollIntoView({block: 'end'}); return 0;").await;
        screenshot("09-sold").await;

        // My collection: Ada holds it now; the issuer holds nothing any more.
        client.find(Locator::Css("#nav-collection")).await?.click().await?;
        wait_text(&client, "#explore-grid .work .title", 10, |t| t.contains("Sunrise")).await;
        screenshot("10-collection").await;
        switch_account(&client, 1).await;
        wait_text(&client, "#explore-empty", 10, |t| t.contains("holds no tokens")).await;
        // Studio: the issuer created it and earned the 10 % royalty of the 15-credit sale.
        client.find(Locator::Css("#nav-studio")).await?.click().await?;
        wait_text(&client, "#explore-grid .work .title", 10, |t| t.contains("Sunrise")).await;
        let earned = wait_text(&client, "#studio-earnings", 10, |t| t.contains("credits")).await;
        assert!(earned.contains("1.50 credits"), "royalty of 10 % on 15 credits: {earned}");
        screenshot("11-studio").await;

        // Proof of ownership: Ada exports the evidence bundle and its certificate from the
        // Work page (signed in the Rust core with her key) …
        select_account(&client, &format!("wallet:{ada}")).await;
        click(&client, "#nav-collection").await?;
        wait_text(&client, "#explore-grid .work .title", 10, |t| t.contains("Sunrise")).await;
        click(&client, "#explore-grid .work").await?;
        wait_text(&client, "#export-proof", 10, |t| !t.is_empty()).await;
        click(&client, "#export-proof").await?;
        escape_closes(&client, "#proof-confirm").await?;
        click(&client, "#export-proof").await?;
        // What is signed, in words, before anything is signed.
        let statement = wait_text(&client, "#proof-confirm", 5, |t| t.contains("Sign as Ada")).await;
        assert!(statement.contains("EIP-712 ownership statement") && statement.contains(&ada), "{statement}");
        click(&client, "#proof-sign").await?;
        let bundle = wait_text(&client, "#proof-bundle-path", 60, |t| t.ends_with(".zip")).await;
        let certificate = wait_text(&client, "#proof-certificate-path", 5, |t| t.ends_with(".pdf")).await;
        assert!(std::fs::read(&bundle).expect("bundle written").starts_with(b"PK"));
        assert!(std::fs::read(&certificate).expect("certificate written").starts_with(b"%PDF"));
        screenshot("12-proof").await;
        // … and the Verify page checks it, offline and against the chain.
        click(&client, "#nav-verify").await?;
        choose_in_dialog(&client, "#verify-choose", Path::new(&bundle)).await?;
        wait_text(&client, "#verify-verdict", 60, |t| t.contains("Verified: every check passed")).await;
        assert_eq!(role(&client, "#verify-verdict").await, "status", "announced");
        assert_labelled(&client, "Verify").await;
        let checks = wait_text(&client, "#verify-checks", 5, |t| !t.is_empty()).await;
        assert!(checks.contains("the works contract accepts the statement"), "{checks}");
        assert!(checks.contains("online.owner"), "{checks}");
        screenshot("13-verify-bundle").await;
        // A media file: who registered it and who holds it.
        choose_in_dialog(&client, "#verify-choose", &work).await?;
        wait_text(&client, "#verify-verdict", 60, |t| t.contains("Registered: work 1")).await;
        let facts = wait_text(&client, ".result", 5, |t| t.contains("held by")).await;
        assert!(facts.contains(&ada), "{facts}");

        // Copy-mint detection: the issuer registers a detailed picture; a mirrored, smaller JPEG
        // of it is recognised before minting and goes to the review queue instead.
        let original = files.path().join("harbour.png");
        let mirrored = files.path().join("harbour-copy.jpg");
        textured_pair(&original, &mirrored);
        switch_account(&client, 1).await;
        click(&client, "#nav-add").await?;
        ingest(&client, &original).await;
        wait_text(&client, "#registry-clear", 60, |t| t.contains("No registered work")).await;
        // A co-creator (member 2) gets a quarter of every royalty; the issuer keeps the rest.
        click(&client, "#mint-co-creators .add-row").await?;
        type_into(&client, "#mint-co-creators .row-first", "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65").await?;
        type_into(&client, "#mint-co-creators .row-second", "25").await?;
        type_into(&client, "#mint-title", "Harbour at dusk").await?;
        click(&client, "#mint-button").await?;
        let summary = wait_text(&client, "#mint-confirm", 10, |t| t.contains("Harbour at dusk")).await;
        assert!(summary.contains("You, the creator: 75 %"), "{summary}");
        assert!(summary.contains("0x15d34aaf54267db7d7c367839aaf71a00a2c6a65 · 25 %"), "{summary}");
        js(&client, "document.querySelector('#mint-confirm').scrollIntoView({block: 'center'}); return 0;").await;
        screenshot("14a-mint-confirm").await;
        click(&client, "#mint-sign").await?;
        wait_text(&client, "#mint-result", 60, |t| t.contains("work 2")).await;
        ingest(&client, &mirrored).await;
        let near = wait_text(&client, "#registry-near", 60, |t| t.contains("Looks like 1 registered work")).await;
        assert!(near.contains("Work 2 · Harbour at dusk"), "{near}");
        wait_images(&client, "#registry-matches img", 1).await;
        js(&client, "document.querySelector('#registry-near').scrollIntoView({block: 'center'}); return 0;").await;
        screenshot("14-near-copy").await;
        mint(&client, "Harbour, mirrored").await?;
        let sent = wait_text(&client, "#mint-review", 60, |t| !t.is_empty()).await;
        assert!(sent.contains("review queue as request 1"), "{sent}");

        // The reviewer sees it beside the work it resembles and approves it with a reason.
        switch_account(&client, 2).await;
        click(&client, "#nav-review").await?;
        wait_text(&client, "#review-1", 30, |t| t.contains("Harbour, mirrored")).await;
        wait_images(&client, "#review-1 img", 2).await;
        assert_labelled(&client, "Review").await;
        screenshot("15-review").await;
        type_into(&client, "#review-reason-1", "The artist's own mirrored edition").await?;
        click(&client, "#review-approve-1").await?;
        wait_text(&client, "#review-empty", 30, |t| t.contains("queue is empty")).await;
        // The issuer registers it now.
        switch_account(&client, 1).await;
        click(&client, "#nav-add").await?;
        ingest(&client, &mirrored).await;
        wait_text(&client, "#registry-near", 60, |t| !t.is_empty()).await;
        mint(&client, "Harbour, mirrored").await?;
        wait_text(&client, "#mint-result", 60, |t| t.contains("work 3")).await;
        // The result opens the new work's page.
        click(&client, "#mint-open-work").await?;
        assert_eq!(wait_text(&client, "#work-title", 10, |t| !t.is_empty()).await, "Harbour, mirrored");
        // Its metadata can be fetched again on demand (as on an ERC-4906 event).
        click(&client, "#refresh-work").await?;
        let refreshed = wait_text(&client, "#refresh-result", 30, |t| !t.is_empty()).await;
        eprintln!("refresh: {refreshed}");
        assert!(!refreshed.contains("error") && !refreshed.contains("fail"), "{refreshed}");

        // The council (the dev chain's one seat): issuing credit is a proposal shown in words,
        // approved, then put in the time lock and run, from the Council page.
        switch_account(&client, 0).await;
        click(&client, "#nav-council").await?;
        wait_text(&client, "#council-settings", 30, |t| t.contains("1 seat(s)")).await;
        type_into(&client, "#council-account", "0x90F79bf6EB2c4f870365E785982E1f101E93b906").await?;
        type_into(&client, "#council-amount", "25").await?;
        type_into(&client, "#council-note", "Prize of the harbour exhibition").await?;
        click(&client, "#council-propose-button").await?;
        let newest = "#council-proposals .proposal";
        wait_text(&client, newest, 30, |t| t.contains("Issue 25.00 credits to 0x90f7…b906") && t.contains("open for approval")).await;
        assert_labelled(&client, "Council").await;
        screenshot("15b-council-proposal").await;
        js(&client, "document.querySelector('#council-proposals .proposal button.primary').click(); return 0;").await;
        wait_text(&client, newest, 30, |t| t.contains("approved") && t.contains("Put in the time lock")).await;
        // With the dev chain's zero delay it runs as soon as it enters the time lock.
        js(&client, "document.querySelector('#council-proposals .proposal button.primary').click(); return 0;").await;
        let done = wait_text(&client, newest, 30, |t| t.contains("done")).await;
        assert!(done.contains("1 approval(s), 1 needed"), "{done}");
        screenshot("15c-council-done").await;
        // A member sees the proposals but has no seat to vote with.
        switch_account(&client, 3).await;
        wait_text(&client, "#council-no-seat", 30, |t| t.contains("switch to a council account")).await;

        // Endorsed minting: an artist who is not an issuer (member 1) sends a work for an
        // issuer's endorsement from the Mint form; the issuer examines the media and its copies
        // on the Endorsements page and endorses it; the artist mints it there, as its creator.
        let sketch = files.path().join("lighthouse.png");
        noise_png(&sketch, 4242);
        click(&client, "#nav-add").await?;
        ingest(&client, &sketch).await;
        wait_text(&client, "#registry-clear", 60, |t| t.contains("No registered work")).await;
        wait_text(&client, "#mint-endorsement-note", 10, |t| t.contains("not an issuer")).await;
        type_into(&client, "#mint-title", "Lighthouse sketch").await?;
        type_into(&client, "#mint-editions", "3").await?;
        click(&client, "#mint-button").await?;
        wait_text(&client, "#mint-confirm", 10, |t| t.contains("Send this registration for endorsement") && t.contains("Lighthouse sketch")).await;
        js(&client, "document.querySelector('#mint-confirm').scrollIntoView({block: 'center'}); return 0;").await;
        screenshot("20a-endorse-confirm").await;
        click(&client, "#mint-sign").await?;
        let sent = wait_text(&client, "#endorse-sent", 60, |t| !t.is_empty()).await;
        assert!(sent.contains("endorsement request 1 to any issuer"), "{sent}");
        click(&client, "#nav-endorsements").await?;
        wait_text(&client, "#endorse-mine-1-status", 30, |t| t.contains("pending")).await;
        wait_text(&client, "#endorse-not-issuer", 10, |t| t.contains("issuer account")).await;
        assert_labelled(&client, "Endorsements").await;
        screenshot("20b-endorse-pending").await;
        switch_account(&client, 1).await;
        wait_text(&client, "#endorse-decide-1", 30, |t| t.contains("Lighthouse sketch")).await;
        click(&client, "#endorse-examine-1").await?;
        let examined = wait_text(&client, "#endorse-examination-1", 60, |t| t.contains("compared")).await;
        assert!(examined.contains("exactly the content") && examined.contains("member (active)"), "{examined}");
        assert!(examined.contains("No registered work looks like it"), "{examined}");
        wait_images(&client, "#endorse-decide-1 img", 1).await;
        screenshot("20c-endorse-examine").await;
        click(&client, "#endorse-approve-1").await?;
        // The card follows the chain: endorsed, with the artist's deadline.
        wait_text(&client, "#endorse-decide-1", 60, |t| t.contains("approved") && t.contains("mint it by")).await;
        switch_account(&client, 3).await;
        let approved = wait_text(&client, "#endorse-mine-1", 30, |t| t.contains("mint it by")).await;
        assert!(approved.contains("approved"), "{approved}");
        screenshot("20d-endorse-approved").await;
        click(&client, "#endorse-mint-1").await?;
        // The card follows the chain: minted, with a way to the new work.
        wait_text(&client, "#endorse-mine-1", 90, |t| t.contains("Minted as work 4")).await;
        screenshot("20e-endorse-minted").await;
        click(&client, "#endorse-open-work-1").await?;
        assert_eq!(wait_text(&client, "#work-title", 10, |t| !t.is_empty()).await, "Lighthouse sketch");
        // The artist mints the next edition of the endorsed work, after confirming it in words.
        wait_text(&client, ".work-detail", 10, |t| t.contains("1 / 3")).await;
        click(&client, "#edition-button").await?;
        let confirm = wait_text(&client, "#confirm-box", 10, |t| !t.is_empty()).await;
        assert!(confirm.contains("mint edition 2 of 3 of work 4 to 0x90f7"), "{confirm}");
        screenshot("20f-edition-confirm").await;
        click(&client, "#confirm-sign").await?;
        wait_text(&client, ".work-detail", 60, |t| t.contains("2 / 3")).await;

        // Settings: saved in config.json, validated, used from the next start.
        click(&client, "#nav-settings").await?;
        wait_text(&client, "#settings-data-dir", 10, |t| !t.is_empty()).await;
        click(&client, "#ipfs-kubo").await?;
        type_into(&client, "#settings-kubo-url", "ftp://127.0.0.1:5001").await?;
        click(&client, "#settings-save").await?;
        let refused = wait_text(&client, "#settings-error", 10, |t| !t.is_empty()).await;
        assert!(refused.contains("config.invalid"), "{refused}");
        click(&client, "#ipfs-embedded").await?;
        type_into(&client, "#settings-max-distance", "24").await?;
        click(&client, "#settings-save").await?;
        wait_text(&client, "#settings-saved", 10, |t| t.contains("Restart Hallmark")).await;
        let config = std::fs::read_to_string(data.path().join("config.json")).expect("config.json");
        assert!(config.contains("\"max_distance\": 24"), "{config}");
        // HALLMARK_DATA_DIR fixes this run's data folder: the field says so and is disabled.
        wait_text(&client, "#settings-data-dir-note", 5, |t| t.contains("HALLMARK_DATA_DIR")).await;
        assert_eq!(js(&client, "return document.querySelector('#settings-next-data-dir').disabled;").await, true);
        screenshot("16-settings").await;

        // Join a consortium: the council of a guild founded on its own node (a standalone anvil,
        // owned by neither installation) publishes a profile; a broken copy is refused with its
        // code and changes nothing, the real one is checked against the chain and saved.
        let guild_node = hallmark_testkit::anvil::Anvil::start();
        let council = files.path().join("council");
        let hallmark = hallmark_testkit::Hallmark::new(app.with_file_name("hallmark"));
        let deployed = hallmark.run(&council, &["consortium", "deploy", "--rpc", &guild_node.endpoint()]);
        assert!(deployed.status.success(), "{}", String::from_utf8_lossy(&deployed.stderr));
        let profile = files.path().join("harbour-guild.profile.json");
        let exported = hallmark.run(&council, &[
            "consortium", "profile", "export", profile.to_str().expect("utf-8"), "--name", "Harbour Guild",
        ]);
        assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
        let text = std::fs::read(&profile).expect("profile");
        let truncated = files.path().join("truncated.profile.json");
        std::fs::write(&truncated, &text[..text.len() / 3]).expect("truncated");
        let config_before = std::fs::read(data.path().join("config.json")).expect("config.json");
        pick_profile(&client, &truncated).await?;
        click(&client, "#join-button").await?;
        let refused = wait_text(&client, "#join-error", 20, |t| !t.is_empty()).await;
        assert!(refused.contains("profile.invalid"), "{refused}");
        assert_eq!(std::fs::read(data.path().join("config.json")).expect("config.json"), config_before);
        // The real one through the file picker (WebDriver sets the file input's file; the
        // webview reads its text, never its path).
        pick_profile(&client, &profile).await?;
        click(&client, "#join-button").await?;
        let joined = wait_text(&client, "#join-outcome", 30, |t| !t.is_empty()).await;
        eprintln!("join: {joined}");
        assert!(joined.contains("Joined Harbour Guild") && joined.contains("Restart Hallmark"), "{joined}");
        let config = std::fs::read_to_string(data.path().join("config.json")).expect("config.json");
        assert!(config.contains(&guild_node.endpoint()), "{config}");
        js(&client, "document.querySelector('#join-consortium').scrollIntoView(); window.scrollBy(0, -70);").await;
        screenshot("16c-join-consortium").await;

        // Locking forgets the keys: Ada leaves the switcher until unlocked with her password.
        click(&client, "#wallet-lock").await?;
        wait_text(&client, "#wallet-accounts", 10, |t| t.contains("locked") && !t.contains("unlocked")).await;
        let options = js(&client, "return document.querySelector('#account-select').textContent;").await;
        assert!(!options.to_string().contains("Ada"), "{options}");
        type_into(&client, "#wallet-accounts .unlock-password", "wrong password").await?;
        click(&client, "#wallet-accounts .unlock-button").await?;
        let refused = wait_text(&client, "#wallet-error", 30, |t| !t.is_empty()).await;
        assert!(refused.contains("wallet.wrong_password"), "{refused}");
        type_into(&client, "#wallet-accounts .unlock-password", "correct horse battery").await?;
        click(&client, "#wallet-accounts .unlock-button").await?;
        wait_text(&client, "#wallet-accounts", 30, |t| t.contains("unlocked") && t.contains("signing now")).await;
        wait_text(&client, "#account-select", 10, |t| t.contains("Ada")).await;
        js(&client, "document.querySelector('#wallet').scrollIntoView({block: 'start'}); window.scrollBy(0, -70); return 0;").await;
        screenshot("16b-wallet").await;

        // Ada changes her password: a guessable new one and a wrong current one are refused with
        // their codes; then the keystore opens with the new password only.
        let ada_row = format!("#wallet-{ada}");
        js(&client, &format!("document.querySelector('{ada_row} .manage').open = true; return 0;")).await;
        let change = |current: &'static str, new: &'static str| {
            let client = client.clone();
            let row = ada_row.clone();
            async move {
                type_into(&client, &format!("{row} .current-password"), current).await?;
                type_into(&client, &format!("{row} .new-password"), new).await?;
                type_into(&client, &format!("{row} .new-password-again"), new).await?;
                click(&client, &format!("{row} .change-button")).await
            }
        };
        change("correct horse battery", "password1234").await?;
        let weak = wait_text(&client, "#wallet-error", 30, |t| !t.is_empty()).await;
        assert!(weak.contains("wallet.guessable_password"), "{weak}");
        change("not her password at all", "violet harbour lantern 42").await?;
        wait_text(&client, "#wallet-error", 30, |t| t.contains("wallet.wrong_password")).await;
        change("correct horse battery", "violet harbour lantern 42").await?;
        wait_text(&client, "#wallet-password-changed", 60, |t| t.contains("Password changed")).await;
        js(&client, &format!("document.querySelector('{ada_row} .manage').scrollIntoView({{block: 'center'}}); return 0;")).await;
        screenshot("16e-wallet-password-changed").await;
        click(&client, "#wallet-lock").await?;
        wait_text(&client, &format!("{ada_row} .unlock"), 10, |t| t.contains("Unlock")).await;
        type_into(&client, &format!("{ada_row} .unlock-password"), "correct horse battery").await?;
        click(&client, &format!("{ada_row} .unlock-button")).await?;
        wait_text(&client, "#wallet-error", 30, |t| t.contains("wallet.wrong_password")).await;
        type_into(&client, &format!("{ada_row} .unlock-password"), "violet harbour lantern 42").await?;
        click(&client, &format!("{ada_row} .unlock-button")).await?;
        wait_text(&client, "#wallet-accounts", 30, |t| t.contains("unlocked") && t.contains("signing now")).await;

        // A second account is forgotten: never without its password, and never silently when
        // its keystore may be the only copy of the key.
        type_into(&client, "#wallet-create-label", "Bo").await?;
        type_into(&client, "#wallet-create-password", "amber quarry sextant 9").await?;
        type_into(&client, "#wallet-create-repeat", "amber quarry sextant 9").await?;
        click(&client, "#wallet-create-button").await?;
        wait_text(&client, "#wallet-accounts", 30, |t| t.contains("Bo")).await;
        let bo_row = "#wallet-accounts li:last-child";
        js(&client, &format!("document.querySelector('{bo_row} .manage').open = true; return 0;")).await;
        type_into(&client, &format!("{bo_row} .forget-password"), "amber quarry sextant 9").await?;
        click(&client, &format!("{bo_row} .forget-button")).await?;
        wait_text(&client, "#wallet-error", 30, |t| t.contains("wallet.only_copy")).await;
        type_into(&client, &format!("{bo_row} .forget-password"), "amber quarry sextant 9").await?;
        js(&client, &format!("document.querySelector('{bo_row} .lose-key').click(); return 0;")).await;
        click(&client, &format!("{bo_row} .forget-button")).await?;
        wait_text(&client, "#wallet-accounts", 30, |t| !t.contains("Bo")).await;
        let keystores = std::fs::read_dir(data.path().join("keystores")).expect("keystores").count();
        assert_eq!(keystores, 2, "Ada's keystore and the wallet list");
        select_account(&client, &format!("wallet:{ada}")).await;

        // Durability: a pinning service (its token never shown again) that is down is reported
        // as a problem by the availability check, which reads every work back from the store;
        // the exit kit is exported and imported back.
        type_into(&client, "#pinning-name", "cluster").await?;
        type_into(&client, "#pinning-endpoint", "http://127.0.0.1:9").await?;
        type_into(&client, "#pinning-token", "s3cret-token-value").await?;
        click(&client, "#pinning-add").await?;
        wait_text(&client, "#pinning-services", 10, |t| t.contains("cluster") && t.contains("token stored")).await;
        assert_eq!(js(&client, "return document.body.innerHTML.includes('s3cret');").await, false);
        click(&client, "#nav-status").await?;
        click(&client, "#health-check").await?;
        let summary = wait_text(&client, "#health-summary", 60, |t| t.contains("checked")).await;
        assert!(summary.contains("1 work(s) checked") && !summary.contains(": 0 problem"), "{summary}");
        let lines = wait_text(&client, "#health-lines", 5, |t| !t.is_empty()).await;
        assert!(lines.starts_with("service_unreachable"), "problems first: {lines}");
        assert!(lines.contains("media ok"), "the local copy reads back whole: {lines}");
        js(&client, "document.querySelector('#health').scrollIntoView({block: 'start'}); window.scrollBy(0, -70); return 0;").await;
        screenshot("18-health").await;
        click(&client, "#kit-export").await?;
        wait_text(&client, "#kit-result", 60, |t| t.contains("Exit kit written")).await;
        let kit = wait_text(&client, "#kit-path", 5, |t| !t.is_empty()).await;
        assert!(Path::new(&kit).join("manifest.json").is_file(), "{kit}");
        assert!(Path::new(&kit).join("SHA256SUMS").is_file(), "{kit}");
        choose_in_dialog(&client, "#kit-import-choose", Path::new(&kit)).await?;
        wait_text(&client, "#kit-import-choose-name", 5, |t| !t.is_empty() && kit.ends_with(t)).await;
        click(&client, "#kit-import").await?;
        wait_text(&client, "#kit-result", 60, |t| t.contains("Kit imported")).await;
        screenshot("19-kit").await;
        click(&client, "#nav-settings").await?;
        wait_text(&client, "#pinning-services", 10, |t| t.contains("cluster")).await;
        click(&client, "#pinning-services .remove-service").await?;
        wait_text(&client, "#pinning-services", 10, |t| !t.contains("cluster")).await;

        // 简体中文: the whole UI follows the switch, without reloading; back to English.
        js(&client, "const s = document.querySelector('#lang-select'); s.value = 'zh-CN'; s.dispatchEvent(new Event('change')); return 0;").await;
        wait_text(&client, "#nav-explore", 5, |t| t == "浏览").await;
        assert_eq!(js(&client, "return document.documentElement.lang;").await, "zh-CN");
        click(&client, "#nav-explore").await?;
        wait_text(&client, "#explore-grid .work .title", 10, |t| t.contains("Lighthouse")).await;
        wait_images(&client, "#explore-grid .work img", 5).await;
        screenshot("17-chinese").await;
        js(&client, "const s = document.querySelector('#lang-select'); s.value = 'en'; s.dispatchEvent(new Event('change')); return 0;").await;
        wait_text(&client, "#nav-explore", 5, |t| t == "Explore").await;

        // A mint a crash interrupted after its checks (the journal record such a kill leaves):
        // the Status page lists it, and "Resume" registers it, once, as the issuer.
        let interrupted = files.path().join("interrupted.png");
        noise_png(&interrupted, 77);
        let sha = hex::encode(Sha256::digest(std::fs::read(&interrupted).expect("read")));
        let jobs = data.path().join("jobs");
        std::fs::create_dir_all(&jobs).expect("jobs");
        let record = serde_json::json!({
            "format": 1,
            "content_sha256": sha,
            "media_cid": "",
            "creator": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
            "request": {
                "path": interrupted, "name": "Interrupted harbour", "description": null,
                "licence": "CC BY 4.0", "editions": 1, "royalty_bps": 500,
                "attributes": [], "co_creators": []
            },
            "step": "prepared",
            "updated_at": 1_795_000_000u64
        });
        std::fs::write(jobs.join(format!("mint-{sha}.json")), record.to_string()).expect("record");
        click(&client, "#nav-explore").await?;
        click(&client, "#nav-status").await?;
        let card = wait_text(&client, "#unfinished-mints", 10, |t| t.contains("Interrupted harbour")).await;
        assert!(card.contains("checked, nothing signed"), "{card}");
        js(&client, "window.scrollTo(0, 0); return 0;").await;
        screenshot("05b-unfinished").await;
        // Ada did not start it: resuming needs the issuer that did.
        click(&client, "#unfinished-mints .unfinished-resume").await?;
        let refused = wait_text(&client, "#unfinished-error", 30, |t| !t.is_empty()).await;
        assert!(refused.contains("mint.unfinished") && refused.contains("0x70997970"), "{refused}");
        switch_account(&client, 1).await;
        click(&client, "#unfinished-mints .unfinished-resume").await?;
        let done = wait_text(&client, "#unfinished-resumed", 90, |t| t.contains("registered as work")).await;
        assert!(done.contains("work 5"), "{done}");
        assert_eq!(js(&client, "return document.querySelectorAll('.unfinished-line').length;").await, 0);
        assert!(!jobs.join(format!("mint-{sha}.json")).exists(), "the record is closed");
        screenshot("05c-resumed").await;

        // Markup in every text field of a work's metadata (title, description, licence, an
        // attribute's name and value) is shown as text on the Work page and in Explore: no
        // element is created and no script runs.
        let marked = files.path().join("marked.png");
        noise_png(&marked, 91);
        click(&client, "#nav-add").await?;
        ingest(&client, &marked).await;
        wait_text(&client, "#copy-check", 60, |t| !t.is_empty()).await;
        type_into(&client, "#mint-description", "<script>window.__xss = 1</script><i>italic</i>").await?;
        type_into(&client, "#mint-licence", "<img src=x onerror=\"window.__xss = 2\">CC BY").await?;
        click(&client, "#mint-attributes .add-row").await?;
        type_into(&client, "#mint-attributes .row-first", "<b>Medium</b>").await?;
        type_into(&client, "#mint-attributes .row-second", "<img src=x onerror=\"window.__xss = 3\">ink").await?;
        mint(&client, "<img src=x onerror=\"window.__xss = 4\"><b>Marked</b>").await?;
        wait_text(&client, "#mint-result", 60, |t| t.contains("Registered")).await;
        click(&client, "#mint-open-work").await?;
        let title = wait_text(&client, "#work-title", 30, |t| t.contains("Marked")).await;
        assert!(title.contains("<b>Marked</b>"), "the title is text: {title}");
        let probe = "return [document.querySelectorAll('img[src=x]').length,
                             [...document.querySelectorAll('b, i, script')].filter(e =>
                                 ['Marked', 'Medium', 'italic'].includes(e.textContent) ||
                                 e.textContent.includes('__xss')).length,
                             window.__xss === undefined,
                             document.body.innerText.includes('<i>italic</i>'),
                             document.body.innerText.includes('<b>Medium</b>')];";
        let seen = js(&client, probe).await;
        assert_eq!(seen, serde_json::json!([0, 0, true, true, true]), "Work page: {seen}");
        screenshot("07b-markup-as-text").await;
        click(&client, "#nav-explore").await?;
        wait_text(&client, "#explore-grid", 60, |t| t.contains("<b>Marked</b>")).await;
        let seen = js(&client, "return [document.querySelectorAll('img[src=x]').length, window.__xss === undefined];").await;
        assert_eq!(seen, serde_json::json!([0, true]), "Explore: {seen}");

        // Memory after the whole journey: the Rust core and the web content process.
        eprintln!(
            "RSS: app {} MiB, WebKit web content {} MiB",
            rss_mib(&["hallmark-app"]),
            rss_mib(&["WebKitWebProces"])
        );

        // The strict CSP is in force: no eval, no inline script.
        let probe = js(
            &client,
            "let r = [];
             try { eval('1'); r.push('eval allowed'); } catch (e) { r.push('eval blocked'); }
             const s = document.createElement('script');
             s.textContent = 'window.__inlineRan = true';
             document.body.appendChild(s);
             r.push(window.__inlineRan ? 'inline allowed' : 'inline blocked');
             return r.join(' | ');",
        )
        .await;
        assert_eq!(probe, serde_json::json!("eval blocked | inline blocked"));
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;

    let _ = client.close().await;
    drop(driver);
    outcome.expect("webdriver command failed");
    assert!(
        data.path().join("hallmark.sqlite").is_file(),
        "SQLite in the data folder"
    );
    assert!(
        data.path().join("chain/deployment-31337.json").is_file(),
        "contracts recorded in the data folder"
    );
}
