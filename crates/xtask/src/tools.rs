//! Finding and installing the tools the web build and the browser tests need, at the
//! versions TOOLCHAIN.md verified. Every check reads the installed version; an install
//! runs only when it is missing or wrong.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::root;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_VERSION: &str = "132";
const AXE_CORE_VERSION: &str = "4.11.0";
/// The JavaScript minifier `web/post_build.py` runs on the release site's scripts.
const TERSER_VERSION: &str = "5.51.4";
/// The last Excalidraw with a UMD build (0.18 ships only ES modules that import some twenty
/// npm packages by name: it needs a bundler), and the React its build was made for.
const EXCALIDRAW_VERSION: &str = "0.17.6";
const REACT_VERSION: &str = "18.2.0";

/// The tools for the web build, and the PATH that finds them.
pub struct Toolchain {
    path: OsString,
}

/// The browser for tests.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Toolchain {
    /// Makes sure the wasm target, Trunk, wasm-bindgen-cli (equal to Cargo.lock's
    /// wasm-bindgen), wasm-opt and terser are present, and that every crate of Cargo.lock is in the
    /// Cargo registry, so the offline builds of Trunk find them.
    pub fn ensure_web() -> Result<Toolchain, String> {
        let binaryen_dir = tools_dir().join(format!("binaryen-{BINARYEN_VERSION}"));
        let terser_dir = tools_dir().join(format!("terser-{TERSER_VERSION}"));
        let mut dirs = vec![
            binaryen_dir.join("node_modules").join(".bin"),
            terser_dir.join("node_modules").join(".bin"),
            cargo_bin_dir(),
        ];
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let path = std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        let toolchain = Toolchain { path };

        toolchain.ensure_rust_parts()?;
        toolchain.ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, &["--locked"])?;
        let bindgen = wasm_bindgen_version()?;
        // `--locked` fails for wasm-bindgen-cli (TOOLCHAIN.md): install without it.
        toolchain.ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen, &[])?;
        toolchain.ensure_cargo_tool("wasm-bindgen-test-runner", "wasm-bindgen-cli", &bindgen, &[])?;
        toolchain.ensure_wasm_opt(&binaryen_dir)?;
        toolchain.ensure_terser(&terser_dir)?;
        toolchain.fetch_crates()?;
        Ok(toolchain)
    }

    /// Trunk's release build of the static site, by the same stable compiler as everything
    /// else, offline: Trunk downloads no tool and cargo no crate ([`Self::ensure_web`] has
    /// put both in place, so a build that would need the network fails instead).
    pub fn release_build(&self) -> Command {
        trunk(&["build", "--release"])
    }

    /// Trunk's development server, offline like [`Self::release_build`].
    pub fn serve(&self) -> Command {
        trunk(&["serve"])
    }

    /// Runs a command with the toolchain on PATH; a failure names the command.
    pub fn run(&self, command: &mut Command) -> Result<(), String> {
        command.env("PATH", &self.path);
        let shown = format!("{command:?}");
        let status = command.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) }
    }

    /// Runs a command with the toolchain on PATH, echoing its standard output as it comes
    /// and returning it too.
    pub fn run_echoing(&self, command: &mut Command) -> Result<String, String> {
        use std::io::{BufRead, BufReader, Write};
        command.env("PATH", &self.path).stdout(std::process::Stdio::piped());
        let shown = format!("{command:?}");
        let mut child = command.spawn().map_err(|e| format!("cannot start {shown}: {e}"))?;
        let mut captured = String::new();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = writeln!(std::io::stdout(), "{line}");
                captured.push_str(&line);
                captured.push('\n');
            }
        }
        let status = child.wait().map_err(|e| format!("{shown}: {e}"))?;
        if status.success() { Ok(captured) } else { Err(format!("{shown} failed ({status})")) }
    }

    /// The first line a tool prints for `--version`, if it runs.
    fn version_of(&self, program: &str, arg: &str) -> Option<String> {
        let output = Command::new(program).arg(arg).env("PATH", &self.path).output().ok()?;
        output.status.success().then(|| String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").to_owned())
    }

    fn ensure_rust_parts(&self) -> Result<(), String> {
        let installed = Command::new("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .map_err(|e| format!("rustup is needed: {e}"))?;
        if !String::from_utf8_lossy(&installed.stdout).lines().any(|line| line.trim() == WASM_TARGET) {
            println!("xtask: installing the {WASM_TARGET} target");
            self.run(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
        }
        for (component, probe) in [("rustfmt", "cargo-fmt"), ("clippy", "cargo-clippy")] {
            if self.version_of(probe, "--version").is_none() {
                println!("xtask: installing the {component} component");
                self.run(Command::new("rustup").args(["component", "add", component]))?;
            }
        }
        Ok(())
    }

    /// Downloads every crate of Cargo.lock, for every target, into the Cargo registry
    /// (nothing when they are all there). `cargo run -p xtask` fetches only what xtask
    /// builds, and Trunk runs cargo offline, so on a new machine the web crate's
    /// dependencies would be missing without this.
    fn fetch_crates(&self) -> Result<(), String> {
        self.run(Command::new(cargo()).args(["fetch", "--locked"]).current_dir(root()))
    }

    fn ensure_cargo_tool(&self, program: &str, package: &str, version: &str, extra: &[&str]) -> Result<(), String> {
        let found = self.version_of(program, "--version");
        if found.as_deref().is_some_and(|line| line.split_whitespace().any(|word| word == version)) {
            return Ok(());
        }
        println!(
            "xtask: installing {package} {version} (found: {}); this takes a few minutes once",
            found.as_deref().unwrap_or("none")
        );
        let mut command = Command::new(cargo());
        command.args(["install", package, "--version", version, "--force"]).args(extra);
        self.run(&mut command)
    }

    fn ensure_wasm_opt(&self, dir: &Path) -> Result<(), String> {
        let wanted = format!("version {BINARYEN_VERSION}");
        if self.version_of("wasm-opt", "--version").is_some_and(|line| line.contains(&wanted)) {
            return Ok(());
        }
        self.npm_install(dir, &format!("binaryen@{BINARYEN_VERSION}"))
    }

    fn ensure_terser(&self, dir: &Path) -> Result<(), String> {
        if self.version_of("terser", "--version").is_some_and(|line| line.trim() == format!("terser {TERSER_VERSION}"))
        {
            return Ok(());
        }
        self.npm_install(dir, &format!("terser@{TERSER_VERSION}"))
    }

    /// Makes sure axe-core, the accessibility checker the end-to-end tests inject into
    /// the page, is present; returns the path of its script.
    pub fn ensure_axe_core(&self) -> Result<PathBuf, String> {
        let dir = tools_dir().join(format!("axe-core-{AXE_CORE_VERSION}"));
        let script = dir.join("node_modules").join("axe-core").join("axe.min.js");
        if !script.exists() {
            self.npm_install(&dir, &format!("axe-core@{AXE_CORE_VERSION}"))?;
        }
        Ok(script)
    }

    /// Makes sure Excalidraw's published package and the React it runs on are present, for
    /// the browser benchmark's comparison; returns their `node_modules` folder.
    pub fn ensure_excalidraw(&self) -> Result<PathBuf, String> {
        let dir = tools_dir().join(format!("excalidraw-{EXCALIDRAW_VERSION}"));
        let modules = dir.join("node_modules");
        // React first: npm then keeps it for Excalidraw's peer dependency instead of the newest.
        let packages = [
            (format!("react@{REACT_VERSION}"), "react/umd/react.production.min.js"),
            (format!("react-dom@{REACT_VERSION}"), "react-dom/umd/react-dom.production.min.js"),
            (
                format!("@excalidraw/excalidraw@{EXCALIDRAW_VERSION}"),
                "@excalidraw/excalidraw/dist/excalidraw.production.min.js",
            ),
        ];
        for (package, file) in packages {
            if !modules.join(file).exists() {
                self.npm_install(&dir, &package)?;
            }
        }
        Ok(modules)
    }

    /// Installs an npm package at an exact version into its own folder.
    fn npm_install(&self, dir: &Path, package: &str) -> Result<(), String> {
        println!("xtask: installing {package} (npm) into {}", dir.display());
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        if Command::new("npm").arg("--version").output().is_err() {
            return Err(format!("npm (Node.js) is needed to install {package}: apt-get install nodejs npm"));
        }
        self.run(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--prefix"]).arg(dir).arg(package))
    }
}

/// Makes sure Chromium and ChromeDriver are installed (Debian's packages; as root,
/// installs them when missing).
pub fn ensure_browser() -> Result<Browser, String> {
    let browser =
        Browser { chromium: PathBuf::from("/usr/bin/chromium"), chromedriver: PathBuf::from("/usr/bin/chromedriver") };
    if browser.chromium.exists() && browser.chromedriver.exists() {
        return Ok(browser);
    }
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        return Err("Chromium is needed for the browser tests: sudo apt-get install chromium chromium-driver".into());
    }
    println!("xtask: installing chromium and chromium-driver");
    let run = |args: &[&str]| -> Result<(), String> {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run apt-get: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("apt-get {} failed", args.join(" "))) }
    };
    run(&["update"])?;
    run(&["install", "-y", "chromium", "chromium-driver"])?;
    Ok(browser)
}

/// Trunk with `args`, offline, in the workspace.
fn trunk(args: &[&str]) -> Command {
    let mut command = Command::new("trunk");
    command.args(args).arg("--offline").current_dir(root());
    command
}

/// The cargo that runs xtask (so the same toolchain builds everything).
pub fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn cargo_bin_dir() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    cargo_home.join("bin")
}

/// Where tools installed outside cargo (wasm-opt from npm) are kept between runs.
fn tools_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"));
    cache.join("moat-tools")
}

/// The exact wasm-bindgen version in Cargo.lock, which wasm-bindgen-cli must equal.
fn wasm_bindgen_version() -> Result<String, String> {
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err(format!("no wasm-bindgen in {}", lock_path.display()))
}
