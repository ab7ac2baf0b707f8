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
          end-to-end tests in headless Chromium (installs what is missing)
  fuzz [SECONDS]  fuzz the loader and analyses for SECONDS (default 60) with cargo-fuzz;
          needs a nightly toolchain, installs cargo-fuzz if missing (not part of `test`)";

fn main() -> ExitCode {
    let command = std::env::args().nth(1);
    let result = match command.as_deref() {
        Some("serve") => serve(),
        Some("dist") => dist().map(|_| ()),
        Some("test") => test(),
        Some("fuzz") => fuzz(std::env::args().nth(2).as_deref()),
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

/// `cargo xtask fuzz [SECONDS]`: runs the `load_and_analyse` target of `fuzz/` (its own
/// workspace) for SECONDS, starting from its seeds and the hostile corpus of `tests/hostile/`.
fn fuzz(seconds: Option<&str>) -> Result<(), String> {
    let seconds: u64 = match seconds {
        None => 60,
        Some(text) => text.parse().ok().filter(|s| *s > 0).ok_or_else(|| {
            format!("fuzz: \"{text}\" is not a number of seconds (usage: cargo xtask fuzz [SECONDS])")
        })?,
    };
    // cargo-fuzz needs nightly (sanitizer flags); check first so nothing is installed in vain.
    let toolchains = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| format!("fuzz: cannot run `rustup toolchain list` to look for a nightly toolchain: {e}"))?;
    let listed = String::from_utf8_lossy(&toolchains.stdout).into_owned();
    if !listed.lines().any(|line| line.starts_with("nightly")) {
        return Err("fuzz: no nightly Rust toolchain is installed (`rustup toolchain list` lists none), and \
                    cargo-fuzz needs one; install it with `rustup toolchain install nightly` and run again"
            .into());
    }
    let installed =
        Command::new(tools::cargo()).args(["fuzz", "--version"]).output().is_ok_and(|out| out.status.success());
    if !installed {
        step("installing cargo-fuzz");
        run_plain(Command::new(tools::cargo()).args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let corpus = root().join("fuzz/corpus/load_and_analyse");
    std::fs::create_dir_all(&corpus).map_err(|e| format!("fuzz: cannot create {}: {e}", corpus.display()))?;
    step(&format!("fuzzing load_and_analyse for {seconds} s"));
    // `rustup run nightly cargo` is `cargo +nightly` without depending on cargo being
    // rustup's proxy (under `cargo xtask`, $CARGO is the stable toolchain's own cargo).
    run_plain(
        Command::new("rustup")
            .args(["run", "nightly", "cargo", "fuzz", "run", "load_and_analyse"])
            .arg(&corpus)
            .arg(root().join("fuzz/seeds"))
            .arg(root().join("tests/hostile"))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .current_dir(root().join("fuzz")),
    )?;
    println!("xtask: fuzzing found nothing in {seconds} s");
    Ok(())
}

/// Runs a command as it is, failing when it fails.
fn run_plain(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) }
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
