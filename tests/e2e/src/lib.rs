//! Shared by the E2E tests in `tests/`: where the tools and the build are, tauri-driver and a
//! WebDriver session on the app, screenshots of the virtual screen, and page scripts.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::process::{Child, Command};

/// The repository's root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The cargo target folder.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

/// A tool installed by `scripts/setup.sh test` into the tools folder.
pub fn tool(name: &str) -> PathBuf {
    let tools = std::env::var_os("HALLMARK_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".local/hallmark-tools")
        });
    tools.join("bin").join(name)
}

/// A loopback port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// tauri-driver, stopped with SIGTERM so it also stops WebKitWebDriver and the app.
pub struct Driver {
    child: Child,
    /// Its WebDriver port.
    pub port: u16,
}

impl Driver {
    /// Starts tauri-driver for an app whose data folder is `data_dir`.
    pub async fn start(data_dir: &Path) -> Self {
        let port = free_port();
        let child = Command::new(tool("tauri-driver"))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .env("HALLMARK_DATA_DIR", data_dir)
            // The webview's storage (the language choice) and the chosen-data-folder pointer
            // live under these: keep them out of the machine's own.
            .env("XDG_DATA_HOME", data_dir.join("xdg-data"))
            .env("XDG_CONFIG_HOME", data_dir.join("xdg-config"))
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("tauri-driver (installed by `make test`)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "tauri-driver did not listen");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, port }
    }

    /// A WebDriver session: launches `app` in its window.
    pub async fn session(&self, app: &Path) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        caps.insert("browserName".into(), serde_json::json!("wry"));
        // tauri-driver listens before the native WebKitWebDriver behind it does: a session
        // asked for in between sees the connection closed. Ask again until a deadline.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(client) => return client,
                Err(e) if Instant::now() < deadline => {
                    eprintln!("WebDriver session not ready yet ({e}); asking again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("WebDriver session: {e:?}"),
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid as i32),
                nix::sys::signal::Signal::SIGTERM,
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

/// An X screenshot of the whole (virtual) screen, taken now, into `target/e2e-screenshots/`.
pub fn screenshot_now(name: &str) {
    let dir = target_dir().join("e2e-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    let out = dir.join(format!("{name}.png"));
    let status = std::process::Command::new("import")
        .args(["-window", "root"])
        .arg(&out)
        .status();
    eprintln!(
        "screenshot {} -> {:?}",
        out.display(),
        status.map(|s| s.success())
    );
}

/// Runs `script` in the page and returns its value.
pub async fn js(client: &Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.expect("script")
}

/// Resident memory of the processes whose name starts with one of `prefixes`, in MiB.
pub fn rss_mib(prefixes: &[&str]) -> u64 {
    let mut kib = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let path = entry.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if prefixes.iter().any(|p| comm.trim().starts_with(p)) {
            let status = std::fs::read_to_string(path.join("status")).unwrap_or_default();
            kib += status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    kib / 1024
}

/// The app under test: `$HALLMARK_E2E_APP` (e.g. the release build, to measure it), else the
/// debug build.
pub fn app_binary() -> PathBuf {
    let app = std::env::var_os("HALLMARK_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/hallmark-app"));
    assert!(
        app.exists(),
        "{} missing: `cargo build -p hallmark-app`",
        app.display()
    );
    app.canonicalize().expect("app path")
}

/// An X screenshot of the whole (virtual) screen, once the frame painted.
pub async fn screenshot(name: &str) {
    tokio::time::sleep(Duration::from_millis(400)).await;
    screenshot_now(name);
}

/// Waits until the text of `css` satisfies `ok`; returns it. (Read as `textContent`:
/// WebKitWebDriver's element text is empty for some styled elements.)
pub async fn wait_text(client: &Client, css: &str, secs: u64, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut last = String::new();
    loop {
        let value = client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
                vec![serde_json::json!(css)],
            )
            .await;
        if let Ok(serde_json::Value::String(text)) = value {
            let text = text.trim().to_owned();
            if ok(&text) {
                return text;
            }
            last = text;
        }
        assert!(
            Instant::now() < deadline,
            "{css} never became ready; last text {last:?}"
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Chooses the switcher's option `value` (`demo:N` or `wallet:0x…`).
pub async fn select_account(client: &Client, value: &str) {
    js(
        client,
        &format!(
            "const s = document.querySelector('#account-select');
             s.value = '{value}'; s.dispatchEvent(new Event('change')); return 0;"
        ),
    )
    .await;
    // The app answers with the accounts, the active one selected: wait for that.
    let selected = format!(
        "const s = document.querySelector('#account-select');
         const o = s && [...s.options].find(o => o.value === '{value}');
         return !!(o && o.selected && o.defaultSelected);"
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while js(client, &selected).await != serde_json::json!(true) {
        assert!(
            Instant::now() < deadline,
            "the app did not switch to {value}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until exactly `count` images match `css` and all of them decoded (served by media://).
pub async fn wait_images(client: &Client, css: &str, count: usize) {
    let script = format!(
        "const imgs = [...document.querySelectorAll({css:?})];
         return imgs.length === {count} && imgs.every(i => i.complete && i.naturalWidth > 0);"
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while js(client, &script).await != serde_json::json!(true) {
        assert!(
            Instant::now() < deadline,
            "{count} image(s) at {css} did not load"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Scrolls `css` to the middle of the window (clear of the sticky top bar) and clicks it. An
/// element the page is re-rendering (not there, or replaced since it was found) is looked up
/// again for up to 5 s.
pub async fn click(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match click_once(client, css).await {
            Err(e) if e.is_no_such_element() || e.is_stale_element_reference() => {
                if Instant::now() >= deadline {
                    return Err(e);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            done => return done,
        }
    }
}

async fn click_once(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    let element = client.find(Locator::Css(css)).await?;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); return 0;",
            vec![serde_json::to_value(&element).unwrap_or_default()],
        )
        .await?;
    element.click().await
}

/// Replaces the text of the input `css`.
pub async fn type_into(
    client: &Client,
    css: &str,
    text: &str,
) -> Result<(), fantoccini::error::CmdError> {
    let input = client.find(Locator::Css(css)).await?;
    input.clear().await?;
    input.send_keys(text).await
}

/// Runs `xdotool` with `args` on the test's X display; its output.
fn xdotool(args: &[&str]) -> String {
    let output = std::process::Command::new("xdotool")
        .args(args)
        .output()
        .expect("xdotool runs (scripts/setup.sh test installs it)");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// The X windows of the app's file dialog (titled "Hallmark: choose …").
fn dialog_windows() -> Vec<String> {
    xdotool(&["search", "--onlyvisible", "--name", "^Hallmark: choose"])
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Chooses `path` in the app's own file dialog as a user would: clicks `button`, waits for the
/// native GTK dialog, types the path into its location field (Ctrl+L) and presses Enter. The
/// dialog is a real window WebDriver cannot reach, so the keys come from xdotool on the same X
/// display. Returns when the dialog has closed.
pub async fn choose_in_dialog(
    client: &Client,
    button: &str,
    path: &Path,
) -> Result<(), fantoccini::error::CmdError> {
    click(client, button).await?;
    let deadline = Instant::now() + Duration::from_secs(15);
    let window = loop {
        if let Some(window) = dialog_windows().pop() {
            break window;
        }
        assert!(Instant::now() < deadline, "the file dialog did not open");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Let GTK map and lay out the dialog before it takes keys.
    tokio::time::sleep(Duration::from_millis(500)).await;
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["key", "--clearmodifiers", "ctrl+l"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = path.to_str().expect("a UTF-8 path");
    // A folder is typed with a final `/`: Enter then opens it, and "_Use this folder" (Alt+U)
    // chooses the folder the dialog shows.
    let typed = if path.is_dir() {
        format!("{}/", text.trim_end_matches('/'))
    } else {
        text.to_owned()
    };
    xdotool(&["type", "--delay", "15", &typed]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    // An inline completion the location field may have added is selected: drop it.
    xdotool(&["key", "Delete", "Return"]);
    let opened = Instant::now() + Duration::from_secs(2);
    while !dialog_windows().is_empty() && Instant::now() < opened {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    if !dialog_windows().is_empty() && path.is_dir() {
        xdotool(&["windowfocus", "--sync", &window]);
        xdotool(&["key", "--clearmodifiers", "alt+u"]);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !dialog_windows().is_empty() {
        if Instant::now() >= deadline {
            screenshot_now("dialog-stuck");
        }
        assert!(
            Instant::now() < deadline,
            "the file dialog did not close after choosing {text}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}
