//! Explore's infinite scroll in the real window (Xvfb + tauri-driver + WebKitWebDriver), over a
//! catalog the app only reads: the data folder's chain is an RPC URL on a closed loopback port,
//! so the app is offline and browses its cached catalog without rewriting it.
//!
//! - `explore_loads_the_next_page_near_the_grid_end` (always run): a catalog of 400 generated
//!   listings; scrolling to the grid's end loads the next keyset page, "Load more" works from
//!   the keyboard, the last page removes the button; the long list is drawn only near the view
//!   and a walk back through it finds every listing in place; a search draws its results whole.
//! - `explore_frame_budget_over_cached_listings` (`#[ignore]`, run by `bench/ui-scroll.sh`):
//!   a copy of the catalog bench's 1 M-listing file; scrolls the grid by a fixed number of
//!   pixels every frame and prints the frame intervals, the pages loaded and their load times.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use hallmark_catalog::{
    BlockEvents, Catalog, CatalogEvent, LoggedEvent, MetadataFetch, Page, WorkDetails,
};
use hallmark_e2e::{Driver, app_binary, js, rss_mib, screenshot_now, target_dir};

/// Explore's page size (`PAGE` in `ui/src/pages/explore.rs`).
const PAGE: usize = 24;
/// The chain the generated catalogs are bound to (the catalog bench's too).
const CHAIN_ID: u64 = 31337;

/// A data folder whose chain is a node nobody listens on (port 9 on loopback): the app starts
/// offline, the catalog follower cannot connect and never writes to the catalog.
fn offline_config(data: &Path) {
    let config = serde_json::json!({
        "ipfs": { "kind": "embedded" },
        "chain": { "kind": "rpc", "url": "http://127.0.0.1:9", "chain_id": CHAIN_ID },
    });
    std::fs::write(
        data.join("config.json"),
        serde_json::to_vec_pretty(&config).expect("json"),
    )
    .expect("config.json");
}

/// A catalog of `works` listed works, newest last (work `works` is the first card), in blocks of
/// ten works, written through `apply_page` as the indexer writes.
fn small_catalog(path: &Path, works: u64) {
    let catalog = Catalog::open(path).expect("catalog");
    catalog
        .init_sync(CHAIN_ID, "0x00000000000000000000000000000000000000aa", 1)
        .expect("init");
    let addr = |n: u64| format!("0x{n:040x}");
    let mut blocks = Vec::new();
    for block in 1..=works.div_ceil(10) {
        let mut events = Vec::new();
        for work in (block - 1) * 10 + 1..=(block * 10).min(works) {
            let cid = format!("bafyscrollmeta{work}");
            let kind = ["image", "audio", "video"][(work % 3) as usize];
            let details = WorkDetails {
                title: format!("Scroll test #{work}"),
                description: None,
                attributes: Vec::new(),
                licence: None,
                media_cid: None,
                mime: None,
                kind: Some(kind.into()),
                thumbnail_cid: None,
                perceptual: None,
            };
            catalog
                .record_metadata(&cid, &MetadataFetch::Available(details), 0)
                .expect("metadata");
            let token = work * 1_000_000 + 1;
            let creator = addr(1 + work % 7);
            for event in [
                CatalogEvent::WorkRegistered {
                    work_id: work,
                    content_hash: format!("0x{work:064x}"),
                    creator: creator.clone(),
                    issuer: addr(100),
                    metadata_hash: format!("0x{:064x}", work + 1),
                    metadata_cid: cid,
                    max_editions: 1,
                    royalty_bps: 500,
                },
                CatalogEvent::EditionMinted {
                    work_id: work,
                    token_id: token,
                    edition: 1,
                    to: creator.clone(),
                },
                CatalogEvent::Listed {
                    token_id: token,
                    seller: creator,
                    price: 100 * work as i64,
                },
            ] {
                events.push(LoggedEvent {
                    log_index: events.len() as u64,
                    tx_hash: format!("0x{:064x}", block * 1_000 + events.len() as u64),
                    event,
                });
            }
        }
        blocks.push(BlockEvents {
            number: block,
            hash: format!("0x{block:064x}"),
            timestamp: 1_700_000_000 + block * 2,
            events,
        });
    }
    let to = blocks.len() as u64;
    catalog
        .apply_page(&Page {
            from: 1,
            to,
            to_hash: format!("0x{to:064x}"),
            blocks,
        })
        .expect("page");
    catalog.checkpoint_wal().expect("checkpoint");
}

/// What the app must leave as it was: tokens, listings, events and the sync checkpoint.
fn catalog_facts(path: &Path) -> (u64, u64, u64, Option<u64>) {
    let catalog = Catalog::open(path).expect("catalog");
    let stats = catalog.stats().expect("stats");
    let next = catalog
        .sync_state()
        .expect("sync state")
        .map(|s| s.next_block);
    (stats.tokens, stats.listed, stats.events, next)
}

/// Waits until `script` returns a value `ok` accepts; returns it.
async fn wait_js(
    client: &Client,
    script: &str,
    secs: u64,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let value = js(client, script).await;
        if ok(&value) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "`{script}` never became ready; last {value}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

const CARDS: &str = "return document.querySelectorAll('#explore-grid .work').length;";

/// Waits for exactly `count` cards.
async fn wait_cards(client: &Client, count: usize) {
    wait_js(client, CARDS, 20, |v| v.as_u64() == Some(count as u64)).await;
}

/// Opens Explore once the first page is drawn (the landing page is the library).
async fn open_explore(client: &Client) {
    wait_js(
        client,
        "const e = document.querySelector('#nav-explore'); return !!e;",
        30,
        |v| v == &serde_json::json!(true),
    )
    .await;
    client
        .find(Locator::Css("#nav-explore"))
        .await
        .expect("Explore tab")
        .click()
        .await
        .expect("click");
}

/// How many cards Explore has loaded (it draws only the rows near the view of a long list).
const LOADED: &str = "return Number(document.querySelector('#explore-grid').dataset.loaded);";
const TO_END: &str = "window.scrollTo(0, document.documentElement.scrollHeight); return 0;";
/// The drawn cards: token, left edge, top and bottom in the view; the grid's columns; whether
/// the view is at the document's end.
const SNAPSHOT: &str = "const cards = [...document.querySelectorAll('#explore-grid .work')];
     const cols = getComputedStyle(document.querySelector('#explore-grid'))
       .gridTemplateColumns.split(' ').length;
     const root = document.documentElement;
     return [cards.map(c => { const r = c.getBoundingClientRect();
               return [Number(c.dataset.token), Math.round(r.left), r.top, r.bottom]; }),
             cols, window.innerHeight + window.scrollY >= root.scrollHeight - 1];";

fn token(work: u64) -> u64 {
    work * 1_000_000 + 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explore_loads_the_next_page_near_the_grid_end() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run under `xvfb-run -a` (scripts/test.sh does)"
    );
    let app = app_binary();
    let data = tempfile::tempdir().expect("data dir");
    // 16 full pages and one of 16: more than the grid draws at once (it draws the rows near
    // the view of a list longer than 8 pages).
    let works = 400u64;
    offline_config(data.path());
    let catalog = data.path().join("catalog.sqlite");
    small_catalog(&catalog, works);
    let before = catalog_facts(&catalog);
    assert_eq!(before.0, works);

    let started = Instant::now();
    let driver = Driver::start(data.path()).await;
    let client = driver.session(&app).await;
    let outcome = async {
        open_explore(&client).await;
        wait_cards(&client, PAGE).await;
        // Offline: the catalog is browsed as it is.
        let indicator = js(
            &client,
            "return document.querySelector('#sync-indicator').textContent;",
        )
        .await;
        eprintln!("sync indicator: {indicator}");
        let first = js(
            &client,
            "return document.querySelector('#explore-grid .work .title').textContent;",
        )
        .await;
        assert_eq!(first, serde_json::json!(format!("Scroll test #{works}")));
        let wait_loaded = |loaded: usize| {
            let client = &client;
            async move {
                wait_js(client, LOADED, 20, |v| v.as_u64() == Some(loaded as u64)).await;
            }
        };

        // Scrolling to the grid's end loads the next page, once per scroll.
        for pages in 2..=3 {
            js(&client, TO_END).await;
            wait_loaded(pages * PAGE).await;
        }
        // "Load more" stays for keyboard users: focused without scrolling (a scroll near the end
        // would load the page by itself) and pressed with Enter.
        let y = js(
            &client,
            "document.querySelector('#explore-more').focus({preventScroll: true});
             return window.scrollY;",
        )
        .await;
        let enter = char::from(Key::Enter);
        client
            .perform_actions(
                KeyActions::new("keyboard".into())
                    .then(KeyAction::Down { value: enter })
                    .then(KeyAction::Up { value: enter }),
            )
            .await?;
        wait_loaded(4 * PAGE).await;
        assert_eq!(js(&client, "return window.scrollY;").await, y, "nothing scrolled");
        // To the end of the catalog: the last page is short and the button goes away.
        let mut loaded = 4 * PAGE;
        while loaded < works as usize {
            js(&client, TO_END).await;
            loaded = (loaded + PAGE).min(works as usize);
            wait_loaded(loaded).await;
        }
        wait_js(
            &client,
            "return !document.querySelector('#explore-more');",
            10,
            |v| v == &serde_json::json!(true),
        )
        .await;
        let drawn = js(&client, CARDS).await.as_u64().unwrap_or(0);
        assert!(drawn <= 100, "{drawn} of {works} cards drawn: only the rows near the view");

        // Back at the top, then through the whole list 500 px at a time: every step draws a run
        // of listings newest first, each in its column, covering the view, and a card seen in
        // two steps moved by exactly the distance scrolled (the padding standing for the rows
        // not drawn is right); together, every listing once.
        js(&client, "window.scrollTo(0, 0); return 0;").await;
        wait_js(
            &client,
            "const c = document.querySelector('#explore-grid .work'); return c ? Number(c.dataset.token) : 0;",
            10,
            |v| v.as_u64() == Some(token(works)),
        )
        .await;
        let mut seen = std::collections::BTreeSet::new();
        let mut previous = std::collections::HashMap::<u64, f64>::new();
        let mut steps = 0;
        loop {
            // The view is drawn once the scroll event's frame has run.
            let covered = format!(
                "const c = [...document.querySelectorAll('#explore-grid .work')];
                 if (!c.length) return false;
                 const first = c[0], last = c[c.length - 1];
                 return (first.dataset.token == '{}' || first.getBoundingClientRect().top <= 52)
                   && (last.dataset.token == '{}' || last.getBoundingClientRect().bottom >= window.innerHeight);",
                token(works),
                token(1)
            );
            wait_js(&client, &covered, 10, |v| v == &serde_json::json!(true)).await;
            let snapshot = js(&client, SNAPSHOT).await;
            let cards: Vec<(u64, i64, f64, f64)> =
                serde_json::from_value(snapshot[0].clone()).expect("cards");
            let cols = snapshot[1].as_u64().expect("columns");
            let at_end = snapshot[2] == serde_json::json!(true);
            let mut lefts = std::collections::HashMap::new();
            for (i, &(token, left, top, _)) in cards.iter().enumerate() {
                let work = token / 1_000_000;
                if i > 0 {
                    assert_eq!(token + 1_000_000, cards[i - 1].0, "step {steps}: a run");
                }
                let column = (works - work) % cols;
                let expected = *lefts.entry(column).or_insert(left);
                assert!((left - expected).abs() <= 1, "step {steps}: work {work} out of its column");
                if let Some(was) = previous.get(&token) {
                    assert!(
                        (was - 500.0 - top).abs() <= 1.0 || at_end,
                        "step {steps}: work {work} moved from {was} to {top}, not by 500 px"
                    );
                }
                seen.insert(token);
            }
            previous = cards.iter().map(|c| (c.0, c.2)).collect();
            if at_end {
                break;
            }
            js(&client, "window.scrollBy(0, 500); return 0;").await;
            steps += 1;
        }
        let expected: std::collections::BTreeSet<u64> = (1..=works).map(token).collect();
        assert_eq!(seen, expected, "every listing once");
        eprintln!("walked the list in {steps} steps of 500 px, at most {drawn} cards drawn");
        // A search from the end of the long list: its few results are drawn whole.
        client
            .find(Locator::Css("#explore-search"))
            .await?
            .send_keys("37")
            .await?;
        wait_js(&client, LOADED, 20, |v| v.as_u64() == Some(11)).await;
        let found = wait_js(
            &client,
            "const g = document.querySelector('#explore-grid');
             const c = [...g.querySelectorAll('.work')];
             return c.length == 11 ? [c.map(x => Number(x.dataset.token)),
                                      g.style.paddingTop, g.style.paddingBottom] : null;",
            20,
            |v| !v.is_null(),
        )
        .await;
        let mut tokens: Vec<u64> = serde_json::from_value(found[0].clone()).expect("tokens");
        tokens.sort_unstable();
        let mut expected: Vec<u64> = [37].into_iter().chain(370..=379).map(token).collect();
        expected.sort_unstable();
        assert_eq!(tokens, expected, "#37 and #370-#379");
        assert_eq!((&found[1], &found[2]), (&serde_json::json!("0px"), &serde_json::json!("0px")));
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = client.close().await;
    drop(driver);
    outcome.expect("webdriver command failed");
    assert_eq!(
        catalog_facts(&catalog),
        before,
        "the offline app left the catalog as it was"
    );
    eprintln!(
        "infinite scroll: {works} listings in {} pages, {:.1} s including the app's start",
        works.div_ceil(PAGE as u64),
        started.elapsed().as_secs_f64()
    );
}

/// Installed in the page: scrolls the window by `px` every animation frame for `ms`, recording
/// each frame's interval and, for every page load, the time from the grid's end coming within
/// the app's 600 px of the view (when Explore asks for the next page) to its cards being in the
/// grid (the answer over IPC, the query and the render). Tauri's `invoke` is frozen, so the
/// load is timed from the page's side.
const MEASURE: &str = r#"
const [px, ms] = arguments;
const grid = document.querySelector('#explore-grid');
const root = document.documentElement;
const st = { frames: [], loads: [], cards: [], rewindows: [], done: false };
// Cards loaded: the grid says (it draws only the rows near the view of a long list).
const loaded = () => grid.dataset.loaded === undefined
  ? grid.children.length : Number(grid.dataset.loaded);
let pending = null;
const observer = new MutationObserver(() => {
  if (pending && loaded() > pending.before) {
    pending.dom = performance.now() - pending.at;
    pending = null;
  }
});
observer.observe(grid, { childList: true, attributes: true, attributeFilter: ['data-loaded'] });
let last = null;
let start = null;
let firstCard;
function frame(t) {
  if (start === null) start = t;
  if (last !== null) st.frames.push([t - start, t - last]);
  last = t;
  if (grid.firstElementChild !== firstCard) {
    if (firstCard !== undefined) st.rewindows.push(t - start);
    firstCard = grid.firstElementChild;
  }
  if (st.frames.length % 30 === 0)
    st.cards.push([Math.round(t - start), grid.children.length, loaded()]);
  if (!pending && document.querySelector('#explore-more')
      && window.innerHeight + window.scrollY >= root.scrollHeight - 600) {
    pending = { at: performance.now(), t: t - start, before: loaded(), dom: null };
    st.loads.push(pending);
  }
  if (t - start < ms) {
    window.scrollBy(0, px);
    requestAnimationFrame(frame);
  } else {
    observer.disconnect();
    st.cardsAtEnd = grid.children.length;
    st.loadedAtEnd = loaded();
    st.scrollY = window.scrollY;
    st.done = true;
  }
}
requestAnimationFrame(frame);
window.__scrollBench = st;
return 0;
"#;

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Frame statistics of intervals `v` (ms): count, p50, p95, p99, max, % over 16.7 and 33.4 ms.
fn frame_stats(v: &[f64]) -> String {
    let s = sorted(v.to_vec());
    let over =
        |limit: f64| 100.0 * s.iter().filter(|&&x| x > limit).count() as f64 / s.len() as f64;
    format!(
        "{} frames, interval p50 {:.1} p95 {:.1} p99 {:.1} max {:.1} ms, over 16.7 ms {:.1} %, over 33.4 ms {:.1} %",
        s.len(),
        percentile(&s, 0.5),
        percentile(&s, 0.95),
        percentile(&s, 0.99),
        s.last().copied().unwrap_or(f64::NAN),
        over(16.7),
        over(33.4)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark over the 1 M-listing catalog: bench/ui-scroll.sh"]
async fn explore_frame_budget_over_cached_listings() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display: run under `xvfb-run -a`"
    );
    let app = app_binary();
    let listings: u64 = env_or("HALLMARK_BENCH_LISTINGS", 1_000_000);
    let source = std::env::var_os("HALLMARK_SCROLL_CATALOG")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join(format!("bench-catalog-{listings}.sqlite")));
    assert!(
        source.is_file(),
        "{} missing: `HALLMARK_BENCH_LISTINGS={listings} cargo bench -p hallmark-catalog --bench catalog`",
        source.display()
    );
    let seconds: f64 = env_or("HALLMARK_SCROLL_SECONDS", 20.0);
    let px: u32 = env_or("HALLMARK_SCROLL_PX", 40);
    let label =
        std::env::var("HALLMARK_SCROLL_LABEL").unwrap_or_else(|_| app.display().to_string());

    // A copy of the catalog in a fresh data folder (removed with it).
    let data = tempfile::tempdir_in(target_dir()).expect("data dir");
    offline_config(data.path());
    let catalog = data.path().join("catalog.sqlite");
    let copied = Instant::now();
    std::fs::copy(&source, &catalog).expect("copy the catalog");
    eprintln!(
        "copied {} ({:.2} GiB) in {:.1} s",
        source.display(),
        std::fs::metadata(&catalog).map(|m| m.len()).unwrap_or(0) as f64 / (1u64 << 30) as f64,
        copied.elapsed().as_secs_f64()
    );
    let before = catalog_facts(&catalog);
    assert!(
        before.0 >= listings,
        "the catalog holds {} tokens",
        before.0
    );
    eprintln!(
        "catalog: {} tokens, {} listed, {} events",
        before.0, before.1, before.2
    );

    let driver = Driver::start(data.path()).await;
    let client = driver.session(&app).await;
    let outcome = async {
        open_explore(&client).await;
        wait_cards(&client, PAGE).await;
        let first = js(
            &client,
            "return document.querySelector('#explore-grid .work .title').textContent;",
        )
        .await;
        let newest = format!("#{listings}");
        assert!(
            first.as_str().is_some_and(|t| t.ends_with(&newest)),
            "the newest of the {listings} listings comes first: {first}"
        );
        tokio::time::sleep(Duration::from_secs(2)).await; // let the first page settle
        let rss_before = (rss_mib(&["hallmark-app"]), rss_mib(&["WebKitWebProces"]));
        // The baseline: frames of the idle page, and whether the page counts as visible.
        let idle = client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const t = []; const start = performance.now();
                 function f(now) { t.push(now); if (now - start < 2000) requestAnimationFrame(f);
                   else done([t.length, document.visibilityState, document.hasFocus()]); }
                 requestAnimationFrame(f);",
                vec![],
            )
            .await?;
        eprintln!("idle page: [frames in 2 s, visibility, focus] = {idle}");

        client
            .execute(
                MEASURE,
                vec![
                    serde_json::json!(px),
                    serde_json::json!(seconds * 1000.0),
                ],
            )
            .await?;
        let deadline = Instant::now() + Duration::from_secs_f64(seconds + 30.0);
        let result = loop {
            tokio::time::sleep(Duration::from_millis(1000)).await;
            let done = js(&client, "return window.__scrollBench.done;").await;
            if done == serde_json::json!(true) {
                break js(&client, "return window.__scrollBench;").await;
            }
            assert!(Instant::now() < deadline, "the measurement did not finish");
        };
        let rss_after = (rss_mib(&["hallmark-app"]), rss_mib(&["WebKitWebProces"]));

        // Summary.
        let frames: Vec<(f64, f64)> =
            serde_json::from_value(result["frames"].clone()).expect("frames");
        let intervals: Vec<f64> = frames.iter().map(|f| f.1).collect();
        let quarter = |i: usize| {
            let (lo, hi) = (seconds * 1000.0 * i as f64 / 4.0, seconds * 1000.0 * (i + 1) as f64 / 4.0);
            let q: Vec<f64> = frames.iter().filter(|f| f.0 >= lo && f.0 < hi).map(|f| f.1).collect();
            let s = sorted(q);
            format!("{:.0}/{:.0}", percentile(&s, 0.95), s.last().copied().unwrap_or(f64::NAN))
        };
        let loads = result["loads"].as_array().cloned().unwrap_or_default();
        let dom = sorted(loads.iter().filter_map(|l| l["dom"].as_f64()).collect());
        // Frames over 33.4 ms, by what preceded them: a page's cards arriving, the drawn rows
        // changing (a card leaving the top), or nothing the page did.
        let arrivals: Vec<f64> = loads
            .iter()
            .filter_map(|l| Some(l["t"].as_f64()? + l["dom"].as_f64()?))
            .collect();
        let rewindows: Vec<f64> =
            serde_json::from_value(result["rewindows"].clone()).unwrap_or_default();
        let near = |events: &[f64], f: &(f64, f64)| {
            events.iter().any(|e| *e <= f.0 && *e >= f.0 - f.1 - 50.0)
        };
        let slow: Vec<&(f64, f64)> = frames.iter().filter(|f| f.1 > 33.4).collect();
        let after_page = slow.iter().filter(|f| near(&arrivals, f)).count();
        let after_rows = slow
            .iter()
            .filter(|f| !near(&arrivals, f) && near(&rewindows, f))
            .count();
        eprintln!(
            "frames over 33.4 ms: {} ({after_page} after a page arrived, {after_rows} after the drawn rows changed, {} other); over 100 ms (end ms, interval ms): {:?}",
            slow.len(),
            slow.len() - after_page - after_rows,
            frames
                .iter()
                .filter(|f| f.1 > 100.0)
                .map(|f| (f.0.round(), f.1.round()))
                .collect::<Vec<_>>()
        );
        let drawn_end = result["cardsAtEnd"].as_u64().unwrap_or(0);
        let loaded_end = result["loadedAtEnd"].as_u64().unwrap_or(0);
        let samples: Vec<(f64, u64, u64)> =
            serde_json::from_value(result["cards"].clone()).unwrap_or_default();
        let drawn_max = samples.iter().map(|c| c.1).max().unwrap_or(0).max(drawn_end);
        eprintln!("cards over time (ms, drawn, loaded): {:?}", samples);
        eprintln!(
            "ui-scroll [{label}] {seconds:.0} s at {px} px/frame: {}; by quarter (p95/max ms) {} | {} | {} | {}; {} pages loaded, {loaded_end} cards, at most {drawn_max} drawn ({drawn_end} at the end), the drawn rows changed {} times; end of the grid in reach -> its cards in the grid p50 {:.0} / p95 {:.0} / max {:.0} ms; scrolled {:.0} px; RSS app {} -> {} MiB, WebKit {} -> {} MiB",
            frame_stats(&intervals),
            quarter(0),
            quarter(1),
            quarter(2),
            quarter(3),
            dom.len(),
            rewindows.len(),
            percentile(&dom, 0.5),
            percentile(&dom, 0.95),
            dom.last().copied().unwrap_or(f64::NAN),
            result["scrollY"].as_f64().unwrap_or(0.0),
            rss_before.0,
            rss_after.0,
            rss_before.1,
            rss_after.1,
        );

        // A screenshot while the grid scrolls (not measured: the capture takes CPU).
        client
            .execute(
                MEASURE,
                vec![serde_json::json!(px), serde_json::json!(3000.0)],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        screenshot_now("20-explore-scrolling-1m");
        wait_js(&client, "return window.__scrollBench.done;", 20, |v| {
            v == &serde_json::json!(true)
        })
        .await;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = client.close().await;
    drop(driver);
    outcome.expect("webdriver command failed");
    let after = catalog_facts(&catalog);
    assert_eq!(after, before, "the offline app left the catalog as it was");
    eprintln!(
        "catalog after the run: {} tokens, {} listed, {} events (unchanged)",
        after.0, after.1, after.2
    );
}
