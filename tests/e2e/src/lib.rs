//! The harness of the end-to-end tests: serves the built static site (`dist/`) on
//! loopback, starts ChromeDriver and a headless Chromium, and hands the test a WebDriver
//! client. `cargo xtask test` builds the site and sets the environment it needs.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::Value;

/// The inspector while it still shows the selection before the latest one.
const INSPECTOR_BEHIND: &str = "[data-testid=inspector][aria-busy=true]";

/// A running browser session on the app.
pub struct Session {
    pub client: Client,
    /// The address the app is served at.
    pub url: String,
    /// Where the browser saves downloads.
    pub downloads: PathBuf,
    driver: Child,
    server: Option<Arc<tiny_http::Server>>,
    _profile: TempDir,
    /// Parts of console errors the test expects (see [`Session::expect_console_error`]).
    expected_errors: std::sync::Mutex<Vec<String>>,
    /// One browser at a time: tests of a binary run on parallel threads, and two
    /// ChromeDrivers racing for ports (and two cores) make tests flaky.
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// The browser language of a session unless a test asks for another.
const ENGLISH: &str = "en-US";

static ONE_BROWSER_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Session {
    /// Serves `dist/` and opens the app in a fresh headless Chromium profile whose language
    /// is English (so the app starts in English whatever the machine's locale).
    pub async fn open() -> Session {
        Session::open_in(ENGLISH).await
    }

    /// Serves `dist/` and opens the app in a fresh headless Chromium whose language (the
    /// interface's, and `navigator.languages`) is `locale`, e.g. `ja`.
    pub async fn open_in(locale: &str) -> Session {
        let dist = required_path("MOAT_DIST");
        assert!(dist.join("index.html").exists(), "{} has no index.html: run `cargo xtask dist`", dist.display());
        let session = Session::start_in(vec![dist], locale).await;
        session.client.goto(&session.url).await.expect("the app loads");
        session.wait_for("[data-testid=canvas]").await;
        session
    }

    /// Serves the files of `roots` (a path is looked for in each folder in turn; `/` is
    /// `index.html`) and starts a fresh headless Chromium profile, on no page yet.
    pub async fn start(roots: Vec<PathBuf>) -> Session {
        Session::start_in(roots, ENGLISH).await
    }

    /// `start` with the browser's language set to `locale`.
    pub async fn start_in(roots: Vec<PathBuf>, locale: &str) -> Session {
        let turn = ONE_BROWSER_AT_A_TIME.lock().await;
        let (server, url) = serve(roots);
        let driver_port = free_port();
        let driver = Command::new(required_path("CHROMEDRIVER"))
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ChromeDriver starts");
        wait_for_port(driver_port);

        let profile = TempDir::new("moat-e2e-profile");
        let downloads = profile.0.join("downloads");
        std::fs::create_dir_all(&downloads).expect("a downloads folder");
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": required_path("CHROMIUM"),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1400,900", format!("--user-data-dir={}", profile.0.display()),
                    format!("--lang={locale}"),
                ],
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": false,
                    "intl.accept_languages": locale
                }
            }
        });
        let mut capabilities = capabilities;
        // The console, which `close` reads: a test fails on any error the page logs.
        capabilities["goog:loggingPrefs"] = serde_json::json!({ "browser": "ALL" });
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("built as an object") };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("a WebDriver session with headless Chromium");
        Session {
            client,
            url,
            downloads,
            driver,
            server: Some(server),
            _profile: profile,
            expected_errors: std::sync::Mutex::new(Vec::new()),
            _turn: turn,
        }
    }

    /// Sends a Chrome DevTools Protocol command through ChromeDriver (`goog/cdp/execute`);
    /// its result.
    pub async fn cdp(&self, method: &str, params: Value) -> Value {
        let command = Cdp { method: method.to_owned(), params };
        self.client.issue_cmd(command).await.unwrap_or_else(|e| panic!("CDP {method}: {e}"))
    }

    /// Waits until `selector` matches (the app renders asynchronously), once the inspector
    /// shows the latest selection (it follows a frame late: `aria-busy` until then).
    pub async fn wait_for(&self, selector: &str) -> Element {
        self.wait_gone(INSPECTOR_BEHIND).await;
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("{selector} never appeared: {e}"))
    }

    /// Waits until `selector` no longer matches (at once when it does not).
    pub async fn wait_gone(&self, selector: &str) {
        let start = Instant::now();
        while self.exists(selector).await {
            assert!(start.elapsed() < Duration::from_secs(10), "{selector} is still there");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn exists(&self, selector: &str) -> bool {
        self.client.find(Locator::Css(selector)).await.is_ok()
    }

    pub async fn count(&self, selector: &str) -> usize {
        self.client.find_all(Locator::Css(selector)).await.map_or(0, |all| all.len())
    }

    pub async fn text(&self, selector: &str) -> String {
        self.wait_for(selector).await.text().await.unwrap_or_default()
    }

    /// The text of an element once it reads `expected`, or what it reads after 10 s (for the
    /// caller's assertion to show): the analyses answer a frame or more after an edit.
    pub async fn text_once(&self, selector: &str, expected: &str) -> String {
        let start = Instant::now();
        loop {
            let text = self.text(selector).await;
            if text == expected || start.elapsed() > Duration::from_secs(10) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, selector: &str) {
        self.wait_for(selector).await.click().await.unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// Replaces the text of an input and presses Enter, as a person edits a field.
    pub async fn type_into(&self, selector: &str, text: &str) {
        let input = self.wait_for(selector).await;
        input.clear().await.unwrap_or_else(|e| panic!("clear {selector}: {e}"));
        let enter: char = fantoccini::key::Key::Enter.into();
        input.send_keys(&format!("{text}{enter}")).await.unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    /// The box of an element on screen: (x, y, width, height) in CSS pixels.
    pub async fn rect(&self, selector: &str) -> (f64, f64, f64, f64) {
        self.wait_for(selector).await;
        let script = "const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [r.x, r.y, r.width, r.height];";
        let value = self.client.execute(script, vec![Value::from(selector)]).await.expect("a bounding box");
        let n = |i: usize| value[i].as_f64().unwrap_or(0.0);
        (n(0), n(1), n(2), n(3))
    }

    /// The centre of an element on screen.
    pub async fn center(&self, selector: &str) -> (f64, f64) {
        let (x, y, w, h) = self.rect(selector).await;
        (x + w / 2.0, y + h / 2.0)
    }

    /// Presses the mouse on `from` and releases it at the screen point `to`, moving in steps.
    pub async fn drag(&self, from: &str, to: (f64, f64)) {
        let start = self.center(from).await;
        self.drag_between(start, to).await;
    }

    /// Presses the mouse at one screen point and releases it at another.
    pub async fn drag_between(&self, from: (f64, f64), to: (f64, f64)) {
        let mut mouse = MouseActions::new("mouse".to_owned())
            .then(PointerAction::MoveTo { duration: None, x: from.0 as i64, y: from.1 as i64 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT });
        for step in 1..=5 {
            let t = f64::from(step) / 5.0;
            let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            mouse = mouse.then(PointerAction::MoveTo {
                duration: Some(Duration::from_millis(30)),
                x: x as i64,
                y: y as i64,
            });
        }
        mouse = mouse.then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client.perform_actions(mouse).await.expect("the drag is performed");
        let _ = self.client.release_actions().await;
    }

    /// Clicks at a screen point.
    pub async fn click_at(&self, at: (f64, f64)) {
        let mouse = MouseActions::new("mouse".to_owned())
            .then(PointerAction::MoveTo { duration: None, x: at.0 as i64, y: at.1 as i64 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client.perform_actions(mouse).await.expect("the click is performed");
        let _ = self.client.release_actions().await;
    }

    /// Presses a key with Ctrl held (Ctrl+Z, Ctrl+S, ...); `shift` holds Shift too.
    pub async fn shortcut(&self, key: char, shift: bool) {
        use fantoccini::actions::{KeyAction, KeyActions};
        use fantoccini::key::Key;
        let mut keys = KeyActions::new("keyboard".to_owned()).then(KeyAction::Down { value: Key::Control.into() });
        if shift {
            keys = keys.then(KeyAction::Down { value: Key::Shift.into() });
        }
        keys = keys.then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        if shift {
            keys = keys.then(KeyAction::Up { value: Key::Shift.into() });
        }
        keys = keys.then(KeyAction::Up { value: Key::Control.into() });
        self.client.perform_actions(keys).await.expect("the shortcut is pressed");
    }

    /// Presses and releases one key.
    pub async fn press(&self, key: char) {
        use fantoccini::actions::{KeyAction, KeyActions};
        let keys = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.expect("the key is pressed");
    }

    /// A value in the page's local storage.
    pub async fn local_storage(&self, key: &str) -> Option<String> {
        let value = self
            .client
            .execute("return window.localStorage.getItem(arguments[0]);", vec![Value::from(key)])
            .await
            .expect("local storage is readable");
        value.as_str().map(str::to_owned)
    }

    /// Waits for a `.json` file to be downloaded and returns its name and text.
    pub async fn downloaded(&self) -> (String, String) {
        let (name, bytes) = self.downloaded_file("json").await;
        (name, String::from_utf8(bytes).expect("the download is text"))
    }

    /// Waits for a file whose name ends in `extension` to be downloaded; its name and bytes.
    pub async fn downloaded_file(&self, extension: &str) -> (String, Vec<u8>) {
        let start = Instant::now();
        loop {
            let done = std::fs::read_dir(&self.downloads)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .find(|path| path.to_string_lossy().ends_with(&format!(".{extension}")));
            // Chrome may show the file under its name before it has written all of it: it is
            // done when it holds something and has stopped growing.
            if let Some(path) = done {
                let size = |path: &Path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
                let before = size(&path);
                tokio::time::sleep(Duration::from_millis(150)).await;
                if before > 0 && size(&path) == before {
                    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
                    return (name, std::fs::read(&path).expect("the download is readable"));
                }
            }
            assert!(start.elapsed() < Duration::from_secs(10), "nothing was downloaded");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Shows the page as in a window of `width` × `height` CSS pixels.
    pub async fn resize_window(&self, width: u32, height: u32) {
        let metrics = serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false });
        self.cdp("Emulation.setDeviceMetricsOverride", metrics).await;
    }

    /// Zooms in, as a person does to read the small print, until the canvas shows every text
    /// (names, details, chips: its class `lod-0`); how many steps it took.
    pub async fn zoom_to_read(&self) -> usize {
        for steps in 0..12 {
            if self.exists("[data-testid=canvas].lod-0").await {
                return steps;
            }
            self.click("[data-action=zoom-in]").await;
        }
        panic!("the canvas shows every text after zooming in");
    }

    /// The text an element shows when zoomed in to read it; the zoom is put back after.
    pub async fn read_element(&self, id: &str) -> String {
        let steps = self.zoom_to_read().await;
        let text = self.text(&format!("[data-element-id=\"{id}\"]")).await;
        self.zoom_back(steps).await;
        text
    }

    /// Zooms out by `steps`, back to where [`Session::zoom_to_read`] started.
    pub async fn zoom_back(&self, steps: usize) {
        for _ in 0..steps {
            self.click("[data-action=zoom-out]").await;
        }
    }

    /// Saves a screenshot of the page as a test artifact (`tests/e2e/artifacts/<name>.png`).
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        std::fs::create_dir_all(&dir).expect("the artifacts folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
    }

    /// Stops serving the site, as if the network were gone.
    pub fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            server.unblock();
        }
    }

    /// Says that the page will log a console error containing `part` (a file the test makes
    /// unreadable, a panic it causes): [`Session::close`] then lets it pass.
    pub fn expect_console_error(&self, part: &str) {
        self.expected_errors.lock().expect("not poisoned").push(part.to_owned());
    }

    /// The console's errors since the last call, and its warnings about listeners that could
    /// not take a key or a scroll from the browser ("passive event listener"), unless expected.
    pub async fn console_errors(&self) -> Vec<String> {
        let Ok(log) = self.client.issue_cmd(BrowserLog).await else { return Vec::new() };
        let expected = self.expected_errors.lock().expect("not poisoned").clone();
        (log.as_array().into_iter().flatten())
            .filter_map(|entry| Some((entry["level"].as_str()?, entry["message"].as_str()?)))
            .filter(|(level, message)| *level == "SEVERE" || message.contains("passive event listener"))
            .map(|(_, message)| message.to_owned())
            .filter(|message| !expected.iter().any(|part| message.contains(part.as_str())))
            .collect()
    }

    /// Ends the browser session and stops ChromeDriver and the server. Fails the test if the
    /// page logged a console error it did not expect.
    pub async fn close(self) {
        let errors = self.console_errors().await;
        self.end().await;
        assert!(errors.is_empty(), "the page logged console errors: {errors:#?}");
    }

    /// Ends the session without reading the console: for the benchmark, which also loads
    /// sites that are not Moat's (Excalidraw's asks for a `favicon.ico` it does not have).
    pub async fn end(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.stop_server();
    }
}

/// A test that fails before `close` still stops its ChromeDriver (and with it the browser),
/// so a failing run does not leave browsers behind for the next tests.
impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A Chrome DevTools Protocol command, sent through ChromeDriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    method: String,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The browser's console log since the last time it was read, through ChromeDriver's
/// `se/log` (its entries: `level`, `message`, `timestamp`).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(serde_json::json!({ "type": "browser" }).to_string()))
    }
}

fn required_path(variable: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{variable} is not set: run the end-to-end tests with `cargo xtask test`"))
}

/// Serves the files of `roots` on a loopback port (each path from the first folder that has
/// it); returns the server and its URL.
fn serve(roots: Vec<PathBuf>) -> (Arc<tiny_http::Server>, String) {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a loopback port"));
    let port = server.server_addr().to_ip().expect("an IP address").port();
    let worker = server.clone();
    thread::spawn(move || {
        for request in worker.incoming_requests() {
            let response = match resolve(&roots, request.url()).map(|file| (std::fs::read(&file), file)) {
                Some((Ok(bytes), file)) => {
                    let header = tiny_http::Header::from_bytes("Content-Type", content_type(&file)).expect("a header");
                    tiny_http::Response::from_data(bytes).with_header(header).boxed()
                }
                _ => tiny_http::Response::from_string("not found").with_status_code(404).boxed(),
            };
            let _ = request.respond(response);
        }
    });
    (server, format!("http://127.0.0.1:{port}/"))
}

/// The file a served URL path (`/a/b.js?query`) stands for: the first of `roots` that has
/// it; `/` (and any path with `..`) is `index.html`.
pub fn resolve(roots: &[PathBuf], url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/").trim_start_matches('/');
    let path = if path.is_empty() || path.contains("..") { "index.html" } else { path };
    roots.iter().map(|root| root.join(path)).find(|file| file.is_file())
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn wait_for_port(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "ChromeDriver did not listen on {port}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// A folder removed when the test ends.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let unique = format!("{prefix}-{}-{}", std::process::id(), free_port());
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).expect("a temporary folder");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
