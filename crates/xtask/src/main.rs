//! `cargo xtask serve|dist|test|gen|bench`: the project's own setup. Each command first makes sure
//! the tools of TOOLCHAIN.md are installed at the right versions (installing what is
//! missing, idempotently), so a fresh machine needs nothing but Rust, Node.js and root.

mod pricebook;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use tools::Toolchain;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  serve   build and serve Moat on http://127.0.0.1:8080, rebuilding on change
  dist    build the release static site into dist/
  pricebook  rebuild assets/prices/vm-and-disk.json and the retail list of services.json from
             ../shared/data/azure-retail-prices
  test    everything CI checks: fmt, clippy, native tests, wasm tests and
          end-to-end tests in headless Chromium (installs what is missing)
  fuzz [SECONDS]  fuzz the loader and analyses for SECONDS (default 60) with cargo-fuzz;
          needs a nightly toolchain, installs cargo-fuzz if missing (not part of `test`)
  gen --spokes N [-o FILE]  write a generated hub-spoke design of N spokes (stdout by default)
  gallery  draw each template as its PNG export into docs/gallery/ (with headless Chromium)
  bench [--cli-only|--browser-only]  criterion benchmarks of the analyses at 10, 100 and 1,000
          spokes, whole-process timings of the release `moat` CLI on generated designs, then
          the release site in headless Chromium (analyses as wasm, edit and drag frame times,
          bundle size and first render, side by side with Excalidraw), each against its budget
          in docs/PERFORMANCE.md (--cli-only: the CLI timings alone; --browser-only: the
          browser half alone, written to target/bench/browser.json)";

fn main() -> ExitCode {
    let command = std::env::args().nth(1);
    let result = match command.as_deref() {
        Some("serve") => serve(),
        Some("dist") => dist().map(|_| ()),
        Some("test") => test(),
        Some("fuzz") => fuzz(std::env::args().nth(2).as_deref()),
        Some("gen") => generate(&std::env::args().skip(2).collect::<Vec<_>>()),
        Some("gallery") => gallery(),
        Some("bench") => bench(std::env::args().nth(2).as_deref()),
        Some("pricebook") => {
            let data = root().join("../shared/data/azure-retail-prices");
            let out = root().join("assets/prices/vm-and-disk.json");
            let services = root().join("assets/prices/services.json");
            pricebook::build(&data, &out)
                .and_then(|()| pricebook::build_services(&data, &services))
                .map(|()| println!("xtask: wrote {} and {}", out.display(), services.display()))
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
    tools.run(&mut tools.serve())
}

fn dist() -> Result<Toolchain, String> {
    let tools = Toolchain::ensure_web()?;
    tools.run(&mut tools.release_build())?;
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
    tools.run(&mut tools.release_build())?;
    step("end-to-end tests in headless Chromium");
    let axe_core = tools.ensure_axe_core()?;
    tally.run(
        &tools,
        cargo()
            .args(["test", "-p", "moat-e2e"])
            .env("MOAT_DIST", root().join("dist"))
            .env("AXE_CORE", axe_core)
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

/// `cargo xtask gen --spokes N [-o FILE]`: a generated hub-spoke design as JSON.
/// `cargo xtask gallery`: each template drawn as Moat exports it (the SVG picture with the
/// site's icons and the legend), rasterised by headless Chromium into `docs/gallery/<name>.png`.
fn gallery() -> Result<(), String> {
    let browser = tools::ensure_browser()?;
    let sprite_path = root().join("assets/icons/sprite.svg");
    let sprite =
        std::fs::read_to_string(&sprite_path).map_err(|e| format!("gallery: {}: {e}", sprite_path.display()))?;
    let out = root().join("docs/gallery");
    let work = root().join("target/gallery");
    for dir in [&out, &work] {
        std::fs::create_dir_all(dir).map_err(|e| format!("gallery: {}: {e}", dir.display()))?;
    }
    for template in moat_model::templates::templates() {
        let design = moat_model::templates::instantiate(template.name)
            .ok_or_else(|| format!("gallery: the template {} does not load", template.name))?;
        let picture = moat_model::export::svg::Picture { icons: Some(&sprite), ..Default::default() };
        let svg = moat_model::export::svg::picture(&design, picture);
        let size = |name: &str| -> Option<u32> {
            let start = svg.find(&format!(" {name}=\""))? + name.len() + 3;
            let value: f64 = svg[start..].split('"').next()?.parse().ok()?;
            Some(value.ceil() as u32)
        };
        let (width, height) = size("width").zip(size("height")).ok_or("gallery: the picture has no size")?;
        let svg_path = work.join(format!("{}.svg", template.name));
        std::fs::write(&svg_path, &svg).map_err(|e| format!("gallery: {}: {e}", svg_path.display()))?;
        let png = out.join(format!("{}.png", template.name));
        let status = Command::new(&browser.chromium)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1"])
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", svg_path.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("gallery: cannot run {}: {e}", browser.chromium.display()))?;
        if !status.success() || !png.exists() {
            return Err(format!("gallery: Chromium did not draw {}", png.display()));
        }
        println!("xtask: drew {} ({width} × {height})", png.display());
    }
    Ok(())
}

fn generate(args: &[String]) -> Result<(), String> {
    const GEN_USAGE: &str = "usage: cargo xtask gen --spokes N [-o FILE]";
    let mut spokes = None;
    let mut out = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spokes" => {
                let text = args.next().ok_or(GEN_USAGE)?;
                let n: usize =
                    text.parse().map_err(|_| format!("gen: \"{text}\" is not a number of spokes ({GEN_USAGE})"))?;
                if n > MAX_SPOKES {
                    return Err(format!("gen: at most {MAX_SPOKES} spokes fit in 10.0.0.0/8 (asked for {n})"));
                }
                spokes = Some(n);
            }
            "-o" | "--output" => out = Some(PathBuf::from(args.next().ok_or(GEN_USAGE)?)),
            other => return Err(format!("gen: unexpected argument \"{other}\" ({GEN_USAGE})")),
        }
    }
    let spokes = spokes.ok_or(GEN_USAGE)?;
    let json = moat_model::to_json(&moat_model::generate::hub_spoke(spokes));
    match out {
        Some(path) => {
            std::fs::write(&path, json).map_err(|e| format!("gen: cannot write {}: {e}", path.display()))?;
            eprintln!("xtask: wrote {} ({spokes} spokes)", path.display());
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(json.as_bytes())
                .and_then(|()| stdout.write_all(b"\n"))
                .map_err(|e| format!("gen: cannot write to stdout: {e}"))?;
        }
    }
    Ok(())
}

/// The spokes `generate::hub_spoke` can address: /22s from 10.1.0.0 to the end of 10.0.0.0/8.
const MAX_SPOKES: usize = 255 * 64;

/// `cargo xtask bench`: the criterion benchmarks of the model, whole-process timings of the
/// release CLI, then the release site in headless Chromium, each against its budget
/// (docs/PERFORMANCE.md).
fn bench(option: Option<&str>) -> Result<(), String> {
    let (cli_only, browser_only) = match option {
        None => (false, false),
        Some("--cli-only") => (true, false),
        Some("--browser-only") => (false, true),
        Some(other) => {
            return Err(format!(
                "bench: unexpected argument \"{other}\" (usage: cargo xtask bench [--cli-only|--browser-only])"
            ));
        }
    };
    if !browser_only {
        bench_native(cli_only)?;
    }
    if !cli_only {
        bench_browser()?;
    }
    Ok(())
}

/// The browser half of `cargo xtask bench`: builds the release site, installs Chromium and
/// Excalidraw if missing, and runs `tests/e2e/src/bin/browser_bench` (which writes
/// `target/bench/browser.json` and prints the figures against their budgets).
fn bench_browser() -> Result<(), String> {
    step("release build of the static site");
    let tools = dist()?;
    let browser = tools::ensure_browser()?;
    let excalidraw = tools.ensure_excalidraw()?;
    step("the site and Excalidraw in headless Chromium (tests/e2e/src/bin/browser_bench)");
    tools.run(
        Command::new(tools::cargo())
            .args(["run", "-p", "moat-e2e", "--bin", "browser_bench"])
            .current_dir(root())
            .env("MOAT_DIST", root().join("dist"))
            .env("EXCALIDRAW", excalidraw)
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("CHROMIUM", &browser.chromium),
    )
}

/// The native half of `cargo xtask bench`: criterion (unless `cli_only`), then the CLI.
fn bench_native(cli_only: bool) -> Result<(), String> {
    if !cli_only {
        step("criterion benchmarks (cargo bench -p moat-model --bench analyses)");
        run_plain(
            Command::new(tools::cargo()).args(["bench", "-p", "moat-model", "--bench", "analyses"]).current_dir(root()),
        )?;
    }
    criterion_summary(cli_only);

    step("whole-process timings of the release CLI");
    run_plain(Command::new(tools::cargo()).args(["build", "--release", "-p", "moat-cli"]).current_dir(root()))?;
    let moat = root().join("target/release").join(format!("moat{}", std::env::consts::EXE_SUFFIX));
    let dir = root().join("target/bench-designs");
    std::fs::create_dir_all(&dir).map_err(|e| format!("bench: cannot create {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for spokes in [100, 1000] {
        let path = dir.join(format!("hub-spoke-{spokes}.moat.json"));
        let json = moat_model::to_json(&moat_model::generate::hub_spoke(spokes));
        std::fs::write(&path, json).map_err(|e| format!("bench: cannot write {}: {e}", path.display()))?;
        files.push(path);
    }
    // (what, arguments after the file, file, budget in ms)
    let cases: [(&str, &[&str], &Path, u128); 4] = [
        ("moat validate, 100 spokes", &["validate"], &files[0], 150),
        ("moat estimate, 100 spokes", &["estimate"], &files[0], 150),
        ("moat reach --matrix, 100 spokes", &["reach", "--matrix"], &files[0], 1000),
        ("moat validate, 1,000 spokes", &["validate"], &files[1], 1500),
    ];
    let mut over = 0;
    let mut lines = Vec::new();
    for (what, args, file, budget) in cases {
        // The fastest of up to three runs (the least disturbed); one when a run takes seconds.
        println!("xtask: timing {what} …");
        let mut best = None::<Duration>;
        for _ in 0..3 {
            let mut command = Command::new(&moat);
            command.arg(args[0]).arg(file).args(&args[1..]).stdout(Stdio::null());
            let Some(took) = time_process(&mut command, what)? else {
                best = None;
                break;
            };
            best = Some(best.map_or(took, |b| b.min(took)));
            if took > Duration::from_secs(2) {
                break;
            }
        }
        let (figure, within) = match best {
            Some(took) => (format!("{:>8} ms", took.as_millis()), took.as_millis() <= budget),
            None => (format!("> {} s (stopped)", BENCH_CAP.as_secs()), false),
        };
        if !within {
            over += 1;
        }
        let line =
            format!("{what:<34} {figure:>18}   budget {budget:>5} ms   {}", if within { "within" } else { "OVER" });
        println!("{line}");
        lines.push(line);
    }
    println!("\nxtask: whole-process timings (release build; best of 3 runs, 1 when a run takes over 2 s):");
    for line in &lines {
        println!("  {line}");
    }
    println!("xtask: {over} of {} timings over budget", lines.len());
    Ok(())
}

/// The budgets of docs/PERFORMANCE.md: (criterion group, spokes, milliseconds).
const BUDGETS: [(&str, usize, f64); 4] =
    [("validate", 100, 150.0), ("estimate", 100, 150.0), ("reach-matrix", 100, 1000.0), ("validate", 1000, 1500.0)];

/// Prints the mean time of every benchmark of `analyses` (from criterion's
/// `target/criterion/<group>/<spokes>/new/estimates.json`), with its budget where it has one.
fn criterion_summary(earlier: bool) {
    let groups = ["load", "check", "validate", "reach-matrix", "estimate"]
        .into_iter()
        .map(str::to_owned)
        .chain(moat_model::export::Format::ALL.iter().map(|f| format!("export-{}", f.name())));
    let when = if earlier { " (from the last `cargo xtask bench`; --cli-only ran none)" } else { "" };
    println!("\nxtask: criterion means, in process (bench profile), ms{when}:");
    println!("  {:<20} {:>12} {:>12} {:>12}", "analysis", "10 spokes", "100 spokes", "1,000 spokes");
    let mut budget_lines = Vec::new();
    for group in groups {
        let mut row = format!("  {group:<20}");
        for spokes in [10, 100, 1000] {
            let path = root().join(format!("target/criterion/{group}/{spokes}/new/estimates.json"));
            let mean_ms = std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .and_then(|v| v["mean"]["point_estimate"].as_f64())
                .map(|ns| ns / 1e6);
            row += &match mean_ms {
                Some(ms) => format!(" {ms:>12.3}"),
                None => format!(" {:>12}", "not run"),
            };
            if let Some((_, _, budget)) = BUDGETS.iter().find(|(g, s, _)| *g == group && *s == spokes) {
                budget_lines.push(match mean_ms {
                    Some(ms) => format!(
                        "  {group} at {spokes} spokes: {ms:.1} ms, budget {budget} ms: {}",
                        if ms <= *budget { "within" } else { "OVER" }
                    ),
                    None => format!("  {group} at {spokes} spokes: not measured in process (too slow to repeat), budget {budget} ms: OVER"),
                });
            }
        }
        println!("{row}");
    }
    println!("xtask: in-process figures against the budgets:");
    for line in budget_lines {
        println!("{line}");
    }
}

/// How long `cargo xtask bench` lets one CLI run go on before stopping it.
const BENCH_CAP: Duration = Duration::from_secs(120);

/// The wall-clock time of a process, from start to exit; `None` when it was still running
/// after [`BENCH_CAP`] and was stopped.
fn time_process(command: &mut Command, what: &str) -> Result<Option<Duration>, String> {
    let start = Instant::now();
    let mut child = command.spawn().map_err(|e| format!("bench: cannot start {what}: {e}"))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("bench: {what}: {e}"))? {
            let took = start.elapsed();
            return if status.success() { Ok(Some(took)) } else { Err(format!("bench: {what} failed ({status})")) };
        }
        if start.elapsed() > BENCH_CAP {
            // Our own child, by its handle.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
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
