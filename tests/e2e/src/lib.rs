//! The harness of the end-to-end tests: serves the built static site (`dist/`) on
//! loopback, starts ChromeDriver and a headless Chromium, and hands the test a WebDriver
//! client. `cargo xtask test` builds the site and sets the environment it needs.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

/// A running browser session on the app.
pub struct Session {
    pub client: Client,
    /// The address the app is served at.
    pub url: String,
    driver: Child,
    server: Arc<tiny_http::Server>,
    _profile: TempDir,
}

impl Session {
    /// Serves `dist/` and opens the app in a fresh headless Chromium profile.
    pub async fn open() -> Session {
        let dist = required_path("MOAT_DIST");
        assert!(dist.join("index.html").exists(), "{} has no index.html: run `cargo xtask dist`", dist.display());
        let (server, url) = serve(dist);
        let driver_port = free_port();
        let driver = Command::new(required_path("CHROMEDRIVER"))
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ChromeDriver starts");
        wait_for_port(driver_port);

        let profile = TempDir::new("moat-e2e-profile");
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": required_path("CHROMIUM"),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1400,900", format!("--user-data-dir={}", profile.0.display()),
                ]
            }
        });
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("built as an object") };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("a WebDriver session with headless Chromium");
        client.goto(&url).await.expect("the app loads");
        Session { client, url, driver, server, _profile: profile }
    }

    /// Saves a screenshot of the page as a test artifact (`tests/e2e/artifacts/<name>.png`).
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        std::fs::create_dir_all(&dir).expect("the artifacts folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("the screenshot is written");
    }

    /// Ends the browser session and stops ChromeDriver and the server.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        self.server.unblock();
    }
}

fn required_path(variable: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{variable} is not set: run the end-to-end tests with `cargo xtask test`"))
}

/// Serves the files of `dir` on a loopback port; returns the server and its URL.
fn serve(dir: PathBuf) -> (Arc<tiny_http::Server>, String) {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a loopback port"));
    let port = server.server_addr().to_ip().expect("an IP address").port();
    let worker = server.clone();
    thread::spawn(move || {
        for request in worker.incoming_requests() {
            let path = request.url().split(['?', '#']).next().unwrap_or("/").trim_start_matches('/').to_owned();
            let file = if path.is_empty() || path.contains("..") { dir.join("index.html") } else { dir.join(&path) };
            let response = match std::fs::read(&file) {
                Ok(bytes) => {
                    let header = tiny_http::Header::from_bytes("Content-Type", content_type(&file)).expect("a header");
                    tiny_http::Response::from_data(bytes).with_header(header).boxed()
                }
                Err(_) => tiny_http::Response::from_string("not found").with_status_code(404).boxed(),
            };
            let _ = request.respond(response);
        }
    });
    (server, format!("http://127.0.0.1:{port}/"))
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
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> TempDir {
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
