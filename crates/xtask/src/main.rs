//! `cargo xtask serve|dist|test`: the project's own setup. Each command first makes sure
//! the tools of TOOLCHAIN.md are installed at the right versions (installing what is
//! missing, idempotently), so a fresh machine needs nothing but Rust, Node.js and root.

mod pricebook;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tools::Toolchain;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve   build and serve Moat on http://127.0.0.1:8080, rebuilding on change
  dist    build the release static site into dist/
  pricebook  rebuild assets/prices/vm-and-disk.json from ../shared/data/azure-retail-prices
  test    everything CI checks: fmt, clippy, native tests, wasm tests and
          end-to-end tests in headless Chromium (installs what is missing)";

fn main() -> ExitCode {
    let command = std::env::args().nth(1);
    let result = match command.as_deref() {
        Some("serve") => serve(),
        Some("dist") => dist().map(|_| ()),
        Some("test") => test(),
        Some("pricebook") => {
            let data = root().join("../shared/data/azure-retail-prices");
            let out = root().join("assets/prices/vm-and-disk.json");
            pricebook::build(&data, &out).map(|()| println!("xtask: wrote {}", out.display()))
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> Result<(), String> {
    let tools = Toolchain::ensure_web()?;
    println!("xtask: serving Moat on http://127.0.0.1:8080 (Ctrl+C to stop)");
    tools.run(Command::new("trunk").args(["serve", "--offline"]).current_dir(root()))
}

fn dist() -> Result<Toolchain, String> {
    let tools = Toolchain::ensure_web()?;
    tools.run(Command::new("trunk").args(["build", "--release", "--offline"]).current_dir(root()))?;
    println!("xtask: the static site is in {}", root().join("dist").display());
    Ok(tools)
}

fn test() -> Result<(), String> {
    let tools = Toolchain::ensure_web()?;
    let browser = tools::ensure_browser()?;
    let cargo = || {
        let mut command = Command::new(tools::cargo());
        command.current_dir(root());
        command
    };
    step("format");
    tools.run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    step("clippy (native)");
    tools.run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    step("clippy (wasm)");
    tools.run(cargo().args([
        "clippy",
        "-p",
        "moat-web",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let mut tally = Tally::default();
    step("native tests");
    tally.run(&tools, cargo().args(["test", "--workspace", "--exclude", "moat-e2e"]))?;
    step("wasm tests in headless Chromium");
    tally.run(
        &tools,
        cargo()
            .args(["test", "-p", "moat-web", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", &browser.chromedriver),
    )?;
    step("release build of the static site");
    tools.run(Command::new("trunk").args(["build", "--release", "--offline"]).current_dir(root()))?;
    step("end-to-end tests in headless Chromium");
    tally.run(
        &tools,
        cargo()
            .args(["test", "-p", "moat-e2e"])
            .env("MOAT_DIST", root().join("dist"))
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROMIUM", &browser.chromium),
    )?;
    println!("\nxtask: every step passed");
    // The closing line sums every test run above, so one line tells what ran.
    println!("tests: {} passed, {} failed", tally.passed, tally.failed);
    if tally.passed == 0 {
        return Err("no test ran".into());
    }
    Ok(())
}

/// Sums the `test result:` lines of the cargo test runs.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Runs a `cargo test`, echoing its output and counting its results.
    fn run(&mut self, tools: &Toolchain, command: &mut Command) -> Result<(), String> {
        let output = tools.run_echoing(command)?;
        for line in output.lines() {
            let Some(counts) = line.trim().strip_prefix("test result: ") else { continue };
            let count = |word: &str| -> u64 {
                let before = counts.split(&format!(" {word}")).next().unwrap_or("");
                before.rsplit([' ', '.']).next().and_then(|n| n.parse().ok()).unwrap_or(0)
            };
            self.passed += count("passed");
            self.failed += count("failed");
        }
        Ok(())
    }
}

fn step(name: &str) {
    println!("\nxtask: == {name} ==");
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).expect("crates/xtask is two levels down").to_path_buf()
}
