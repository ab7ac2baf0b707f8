//! The browser half of `cargo xtask bench` (docs/PERFORMANCE.md, "In the browser"): the
//! release site of `dist/` in headless Chromium, served and driven by the end-to-end
//! harness, each figure against its budget:
//!
//! 1. the model's analyses as WebAssembly (`wasmBindings.bench_analyses`, crates/web/src/bench.rs)
//!    on generated hub-spoke designs of 10, 100 and 1,000 spokes;
//! 2. the time from an edit (a drag, an NSG rule's priority), delivered at the start of a frame
//!    as Chromium delivers pointer moves, to the painted frame that shows it, with a 100-spoke
//!    design (1,718 elements) open, and where the time goes (a round
//!    under Chromium's profiler, kept as `target/bench/profiles/edit-*.cpuprofile`);
//! 3. frame times while dragging an element with 2,024 elements on the canvas;
//! 4. the size of the site's wasm and JavaScript, raw and gzip, and the time to the first
//!    render of a fresh load (median of 5);
//! 5. the same size and first render for Excalidraw's published package, served the same way.
//!
//! Writes `target/bench/browser.json` and prints a table. Needs MOAT_DIST, CHROMEDRIVER and
//! CHROMIUM as the end-to-end tests do, and EXCALIDRAW (a node_modules folder holding
//! @excalidraw/excalidraw, react and react-dom) for the comparison; `cargo xtask bench`
//! sets them all.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use fantoccini::wd::TimeoutConfiguration;
use moat_e2e::{Session, resolve};
use serde_json::{Value, json};

/// The in-page probe: dispatches the events and watches the DOM and the frames.
const PROBE: &str = include_str!("probe.js");

/// The analyses, as in `crates/model/benches/analyses.rs`, plus the flow verdicts the app
/// re-runs after each edit.
const ANALYSES: [&str; 6] = ["load", "check", "validate", "reach-matrix", "estimate", "flow-verdicts"];
/// At 1,000 spokes, an analysis other than load and check runs only when it took at most this
/// long at 100 spokes, so that a run stays within seconds even if it grows with the square of
/// the size; some analyses grew with the cube (docs/PERFORMANCE.md). The reachability matrix,
/// quadratic in its pairs and more, is not run there (222 ms at 100 spokes, 41 s at 1,000).
const LARGEST_RUN_MS_AT_100: f64 = 300.0;
const SIZES: [usize; 3] = [10, 100, 1000];
/// How long one analysis is repeated for, at most 10 runs (`bench_analyses`).
const ANALYSIS_TIME_MS: f64 = 2000.0;

/// The budgets of docs/PERFORMANCE.md.
const ANALYSIS_BUDGETS: [(&str, usize, f64); 4] =
    [("validate", 100, 150.0), ("estimate", 100, 150.0), ("reach-matrix", 100, 1000.0), ("validate", 1000, 1500.0)];
const EDIT_BUDGET_MS: f64 = 16.0;
const FPS_BUDGET: f64 = 50.0;
const BUNDLE_BUDGET_BYTES: u64 = 600_000;
const FIRST_RENDER_BUDGET_MS: f64 = 1000.0;

/// The design edited: 18 + 17 × 100 = 1,718 elements.
const EDIT_SPOKES: usize = 100;
/// The spokes whose elements are edited, one after the other (the figures are the medians).
const EDIT_ON: [usize; 5] = [40, 50, 60, 70, 80];
/// The spoke of the first round of edits, reported on its own and left out of the medians:
/// Chromium first runs WebAssembly compiled by its baseline compiler and recompiles what runs
/// often, so the first edits of a session are slower than the rest (as a benchmark's
/// warm-up runs are).
const FIRST_ON: usize = 30;
/// Runs of the smallest change, timed as the edits are (probe.js, `calibrate`).
const CALIBRATION_RUNS: usize = 20;
/// The spoke of the extra, profiled round of edits.
const PROFILED_ON: usize = 90;
/// The design dragged on: 18 + 17 × 118 = 2,024 elements.
const DRAG_SPOKES: usize = 118;
/// The drag lasts 2 s, and at least 10 frames (at most 30 s) so that a slow one still gives
/// a distribution.
const DRAG_MS: f64 = 2000.0;
const DRAG_FRAMES: usize = 10;
const DRAG_MAX_MS: f64 = 30_000.0;
/// Fresh loads for the first render.
const LOADS: usize = 5;
/// The longest one step may take: an edit re-runs every analysis of the app.
const STEP_TIMEOUT_MS: u64 = 600_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `browser_bench [PART…]` runs only those parts (1 to 5), into browser-parts.json.
    let chosen: Vec<u32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let run = |part: u32| chosen.is_empty() || chosen.contains(&part);
    let out = bench_dir();
    let designs = out.join("designs");
    std::fs::create_dir_all(&designs).expect("target/bench/designs");
    let started = Instant::now();

    let mut report = json!({
        "chromium": chromium_version(),
        "load_average_at_start": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim(),
        "source": source_state(),
    });
    // The sites whose first render is timed, in turns (so a busy spell of the machine hits both).
    let mut sites = Vec::new();
    if run(1) || run(2) || run(3) || run(4) {
        let dist = env_path("MOAT_DIST");
        println!("browser-bench: generating designs of {SIZES:?} and {DRAG_SPOKES} spokes");
        for spokes in SIZES.into_iter().chain([DRAG_SPOKES]) {
            let json = moat_model::to_json(&moat_model::generate::hub_spoke(spokes));
            std::fs::write(designs.join(design_name(spokes)), json).expect("a generated design is written");
        }
        let roots = vec![dist.clone(), out.clone()];
        if run(1) {
            step("1. the analyses as WebAssembly in Chromium");
            report["analyses"] = or_error(analyses(&roots).await);
        }
        if run(2) {
            step(&format!("2. edit to painted frame, {EDIT_SPOKES} spokes open"));
            report["edits"] = or_error(edits(&roots, &designs).await);
        }
        if run(3) {
            step(&format!("3. frame times while dragging, {DRAG_SPOKES} spokes open"));
            report["drag"] = or_error(drag(&roots, &designs).await);
        }
        if run(4) {
            report["moat"] = json!({ "dist": dist_sizes(&dist) });
            sites.push(Site { name: "moat", roots: roots.clone(), selector: "[data-testid=canvas]" });
        }
    }
    if run(5) {
        match std::env::var_os("EXCALIDRAW").map(PathBuf::from) {
            Some(modules) => {
                let version = |package: &str| -> Value {
                    let text = std::fs::read_to_string(modules.join(package).join("package.json")).unwrap_or_default();
                    serde_json::from_str::<Value>(&text).map(|v| v["version"].clone()).unwrap_or(Value::Null)
                };
                let versions = json!({ "excalidraw": version("@excalidraw/excalidraw"), "react": version("react"),
                                       "react_dom": version("react-dom") });
                report["excalidraw"] = json!({ "versions": versions });
                let roots = excalidraw_site(&out, &modules);
                sites.push(Site { name: "excalidraw", roots, selector: "canvas.excalidraw__canvas" });
            }
            None => report["excalidraw"] = json!({ "error": "EXCALIDRAW is not set (cargo xtask bench installs it)" }),
        }
    }
    if !sites.is_empty() {
        let names: Vec<&str> = sites.iter().map(|site| site.name).collect();
        step(&format!("4 and 5. first render and what the page fetches: {}, fresh loads in turn", names.join(", ")));
        for (site, result) in sites.iter().zip(first_renders(&sites).await) {
            report[site.name]["first_render"] = or_error(result);
        }
    }
    report["took_s"] = json!(started.elapsed().as_secs_f64());

    let path = out.join(if chosen.is_empty() { "browser.json" } else { "browser-parts.json" });
    std::fs::write(&path, serde_json::to_string_pretty(&report).expect("JSON")).expect("the results are written");
    print_summary(&report);
    println!("\nbrowser-bench: wrote {} ({:.0} s)", path.display(), started.elapsed().as_secs_f64());
}

/// `target/bench` of the workspace: the designs, the Excalidraw page, the results.
fn bench_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root).join("target/bench")
}

fn design_name(spokes: usize) -> String {
    format!("hub-spoke-{spokes}.moat.json")
}

/// Part 1: every analysis at every size (at 1,000 spokes, those fast enough at 100), in the
/// app's page.
async fn analyses(roots: &[PathBuf]) -> Result<Value, String> {
    let session = open_app(roots).await;
    let mut rows = Vec::new();
    let mut failure = None;
    let mut at_100 = std::collections::BTreeMap::new();
    'sizes: for spokes in SIZES {
        for name in ANALYSES {
            let budget = ANALYSIS_BUDGETS.iter().find(|(n, s, _)| *n == name && *s == spokes).map(|b| b.2);
            let slow = match (spokes, name) {
                (1000, "load" | "check") => None,
                // 9 million pairs: 41 s once, and no budget at this size.
                (1000, "reach-matrix") => Some("not run: 9 million pairs (41 s once)".to_owned()),
                (1000, _) => at_100
                    .get(name)
                    .filter(|ms| **ms > LARGEST_RUN_MS_AT_100)
                    .map(|ms| format!("not run: {ms:.0} ms at 100 spokes")),
                _ => None,
            };
            if let Some(skipped) = slow {
                println!("  {name:<14} {spokes:>5} spokes  {skipped}");
                rows.push(json!({ "analysis": name, "spokes": spokes, "budget_ms": budget, "skipped": skipped }));
                continue;
            }
            let script = r#"
                const [url, name, time, done] = arguments;
                (async () => {
                    window.__benchTexts = window.__benchTexts || {};
                    if (!window.__benchTexts[url]) window.__benchTexts[url] = await (await fetch(url)).text();
                    const read = async (path) => (await fetch(path)).text();
                    window.__benchPrices = window.__benchPrices
                        || await Promise.all(["/prices/vm-and-disk.json", "/prices/services.json"].map(read));
                    while (!window.wasmBindings || !window.wasmBindings.bench_analyses) {
                        await new Promise((resolve) => setTimeout(resolve, 50));
                    }
                    return JSON.parse(window.wasmBindings.bench_analyses(window.__benchTexts[url], name, time, ...window.__benchPrices))[name];
                })().then(done, (e) => done({ error: String(e) }));
            "#;
            let url = format!("/designs/{}", design_name(spokes));
            let args = vec![json!(url), json!(name), json!(ANALYSIS_TIME_MS)];
            match session.client.execute_async(script, args).await.map_err(|e| e.to_string()).and_then(checked) {
                Ok(timing) => {
                    let mean = timing["mean_ms"].as_f64().unwrap_or(f64::NAN);
                    println!("  {name:<14} {spokes:>5} spokes  {mean:>10.2} ms  ({} runs)", timing["runs"]);
                    if spokes == 100 {
                        at_100.insert(name, mean);
                    }
                    rows.push(json!({ "analysis": name, "spokes": spokes, "budget_ms": budget, "timing": timing }));
                }
                Err(error) => {
                    failure = Some(format!("{name} at {spokes} spokes: {error}"));
                    break 'sizes;
                }
            }
        }
    }
    session.end().await;
    match failure {
        Some(error) if rows.is_empty() => Err(error),
        failure => Ok(json!({ "rows": rows, "error": failure })),
    }
}

/// Opens the generated design of `spokes` spokes as a person does; its element count and
/// how long opening took.
async fn open_generated(session: &Session, designs: &Path, spokes: usize) -> Result<(usize, Value), String> {
    let elements = 18 + 17 * spokes;
    let open = open_design(session, &designs.join(design_name(spokes)), elements).await?;
    println!("  opened {elements} elements in {:.0} ms", open["ms"].as_f64().unwrap_or(f64::NAN));
    Ok((elements, open))
}

/// Brings an element on screen (and leaves nothing selected): the canvas draws only what
/// is on screen, and a person edits what they see.
async fn reveal(session: &Session, id: &str) -> Result<(), String> {
    let shown = call(session, "reveal", vec![json!(id), json!(STEP_TIMEOUT_MS)]).await?;
    if shown["shown"] != json!(true) || shown["selected"] != json!(false) {
        return Err(format!("{id} could not be brought on screen: {shown}"));
    }
    Ok(())
}

/// Edit (a) on a spoke, as probe calls: the part's name, the probe's method, its arguments.
fn move_steps(spoke: usize) -> [(&'static str, &'static str, Vec<Value>); 3] {
    [
        ("press", "press", vec![json!(format!("web{spoke}")), json!(STEP_TIMEOUT_MS)]),
        ("drag", "dragBy", vec![json!(2), json!(STEP_TIMEOUT_MS)]),
        ("drop", "drop", vec![json!(STEP_TIMEOUT_MS)]),
    ]
}

/// Brings the spoke's web tier NSG on screen and selects it, for edit (b).
async fn select_nsg(session: &Session, spoke: usize) -> Result<(), String> {
    let nsg = format!("nsg-web{spoke}");
    reveal(session, &nsg).await?;
    let selected = call(session, "select", vec![json!(nsg)]).await?;
    if selected["selected"] != json!(true) {
        return Err(format!("{nsg} could not be selected"));
    }
    Ok(())
}

/// Edit (b) as the probe's arguments: the NSG's first rule (deny-intra-tier-in, priority 100)
/// to 105, a free priority, so the edit is taken.
fn priority_edit() -> Vec<Value> {
    vec![json!("[data-field=\"rules.0.priority\"]"), json!("105"), json!(STEP_TIMEOUT_MS)]
}

/// Part 2: the edits, with the 100-spoke design opened through the file input.
async fn edits(roots: &[PathBuf], designs: &Path) -> Result<Value, String> {
    let session = open_app(roots).await;
    let result = edits_in(&session, designs).await;
    session.end().await;
    result
}

async fn edits_in(session: &Session, designs: &Path) -> Result<Value, String> {
    let (elements, open) = open_generated(session, designs, EDIT_SPOKES).await?;
    // What the smallest change measures on this page, for reference (probe.js, `calibrate`).
    let calibration = call(session, "calibrate", vec![json!(CALIBRATION_RUNS)]).await?;
    println!("  calibration: {calibration}");
    let mut steps: std::collections::BTreeMap<&str, Vec<Value>> = std::collections::BTreeMap::new();
    let mut first = json!({});
    for spoke in std::iter::once(FIRST_ON).chain(EDIT_ON) {
        let mut record = |part: &'static str, step: Value| {
            if spoke == FIRST_ON {
                first[part] = step;
            } else {
                steps.entry(part).or_default().push(step);
            }
        };
        reveal(session, &format!("web{spoke}")).await?;
        call(session, "saved", vec![json!(STEP_TIMEOUT_MS)]).await?;
        // Edit (a): the web tier's VMs of a spoke, moved by 2 screen pixels.
        for (part, method, args) in move_steps(spoke) {
            let step = timed(session, method, args).await?;
            println!("  spoke {spoke:>3}, move: {part:<5} {}", described(&step));
            record(part, step);
        }
        call(session, "saved", vec![json!(STEP_TIMEOUT_MS)]).await?;
        // Edit (b): an NSG rule's priority.
        select_nsg(session, spoke).await?;
        let step = timed(session, "field", priority_edit()).await?;
        println!("  spoke {spoke:>3}, NSG rule priority: {}", described(&step));
        record("field", step);
    }
    // Once more, on another spoke, under Chromium's sampling profiler (not in the medians):
    // where the main thread's time goes, WebAssembly or the DOM calls of its JavaScript glue.
    let spoke = PROFILED_ON;
    let mut profiled = json!({});
    reveal(session, &format!("web{spoke}")).await?;
    call(session, "saved", vec![json!(STEP_TIMEOUT_MS)]).await?;
    for (part, method, args) in move_steps(spoke) {
        profiled[part] = profile(session, method, args, &format!("edit-{part}")).await?;
    }
    call(session, "saved", vec![json!(STEP_TIMEOUT_MS)]).await?;
    select_nsg(session, spoke).await?;
    profiled["field"] = profile(session, "field", priority_edit(), "edit-field").await?;
    for part in ["press", "drag", "drop", "field"] {
        println!("  profiled, {part:<5} {}", profile_line(&profiled[part]));
    }
    let summary = |runs: &[Value]| -> Value {
        let median = |key: &str| {
            let mut times: Vec<f64> = runs.iter().filter_map(|r| r[key].as_f64()).collect();
            times.sort_by(f64::total_cmp);
            times.get(times.len() / 2).copied()
        };
        json!({ "median_ms": median("ms"), "median_settled_ms": median("settled_ms"), "runs": runs })
    };
    let mut moved = json!({});
    for part in ["press", "drag", "drop"] {
        moved[part] = summary(steps.get(part).map_or(&[], Vec::as_slice));
    }
    Ok(json!({
        "spokes": EDIT_SPOKES, "elements": elements, "open": open, "calibration": calibration, "first": first, "move": moved,
        "field": summary(steps.get("field").map_or(&[], Vec::as_slice)), "budget_ms": EDIT_BUDGET_MS,
        "profiled": profiled,
    }))
}

/// Part 3: frame intervals, idle and while dragging, with the 118-spoke design open.
async fn drag(roots: &[PathBuf], designs: &Path) -> Result<Value, String> {
    let session = open_app(roots).await;
    let result = drag_in(&session, designs).await;
    session.end().await;
    result
}

async fn drag_in(session: &Session, designs: &Path) -> Result<Value, String> {
    let (elements, open) = open_generated(session, designs, DRAG_SPOKES).await?;
    reveal(session, "web59").await?;
    call(session, "saved", vec![json!(STEP_TIMEOUT_MS)]).await?;
    let idle = call(session, "idle", vec![json!(1000)]).await?;
    let args = vec![json!("web59"), json!(DRAG_MS), json!(6), json!(DRAG_FRAMES), json!(DRAG_MAX_MS)];
    let dragged = timed(session, "drag", args).await?;
    let frames = |value: &Value| -> Vec<f64> {
        value["intervals"].as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
    };
    let (idle_stats, drag_stats) = (frame_stats(&frames(&idle)), frame_stats(&frames(&dragged)));
    println!(
        "  idle {:.1} fps; dragging {:.1} fps, p95 {:.1} ms, {} moves, {} frames changed",
        idle_stats["mean_fps"].as_f64().unwrap_or(f64::NAN),
        drag_stats["mean_fps"].as_f64().unwrap_or(f64::NAN),
        drag_stats["p95_ms"].as_f64().unwrap_or(f64::NAN),
        dragged["moves"],
        dragged["frames_with_changes"]
    );
    Ok(json!({
        "spokes": DRAG_SPOKES, "elements": elements, "open": open,
        "idle": idle_stats, "dragging": drag_stats,
        "moves": dragged["moves"], "frames_with_changes": dragged["frames_with_changes"], "moved": dragged["moved"],
        "main_thread_ms": dragged["main_thread_ms"],
        "intervals_ms": dragged["intervals"], "budget_fps": FPS_BUDGET,
    }))
}

/// Mean fps, mean, median, 95th percentile and worst of frame intervals.
fn frame_stats(intervals: &[f64]) -> Value {
    if intervals.is_empty() {
        return json!({ "error": "no frames" });
    }
    let total: f64 = intervals.iter().sum();
    let mut sorted = intervals.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |p: f64| sorted[((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1];
    json!({
        "frames": intervals.len(),
        "mean_fps": intervals.len() as f64 / (total / 1000.0),
        "mean_ms": total / intervals.len() as f64,
        "median_ms": at(0.5),
        "p95_ms": at(0.95),
        "max_ms": sorted[sorted.len() - 1],
    })
}

/// Part 4: the wasm and JavaScript files of the site, raw and gzip.
fn dist_sizes(dist: &Path) -> Value {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "wasm" || e == "js"))
        .collect();
    files.sort();
    let listed: Vec<Value> = files
        .iter()
        .map(|file| {
            json!({
                "file": file.file_name().unwrap_or_default().to_string_lossy(),
                "raw": std::fs::metadata(file).map_or(0, |m| m.len()),
                "gzip": gzip_size(file),
            })
        })
        .collect();
    let sum = |key: &str| listed.iter().filter_map(|f| f[key].as_u64()).sum::<u64>();
    // The data files the app reads from the site when it needs them (the price book, the
    // templates, the rules' texts in Japanese): not code, but reported beside it.
    let data: Vec<PathBuf> = std::fs::read_dir(dist)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().filter_map(Result::ok).map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    let data_gzip: u64 = data.iter().map(|file| gzip_size(file)).sum();
    json!({ "files": listed, "raw": sum("raw"), "gzip": sum("gzip"), "budget_gzip": BUNDLE_BUDGET_BYTES,
            "data_files": data.len(), "data_gzip": data_gzip })
}

/// `gzip -9 -c FILE | wc -c`.
fn gzip_size(file: &Path) -> u64 {
    Command::new("gzip").args(["-9", "-c"]).arg(file).output().map_or(0, |out| out.stdout.len() as u64)
}

/// A site whose first render is timed: served from `roots`, rendered once `selector` shows.
struct Site {
    name: &'static str,
    roots: Vec<PathBuf>,
    selector: &'static str,
}

/// Parts 4 and 5: `LOADS` fresh loads (a new profile each) of each site, in turns, each timed
/// from navigation start to the site's `selector` present and painted; and what the first
/// load fetched. One answer per site.
async fn first_renders(sites: &[Site]) -> Vec<Result<Value, String>> {
    let mut results: Vec<Result<(Vec<Value>, Value), String>> =
        sites.iter().map(|_| Ok((vec![], Value::Null))).collect();
    for load in 0..LOADS {
        for (site, result) in sites.iter().zip(results.iter_mut()) {
            let Ok((loads, fetched)) = result else { continue };
            let session = Session::start(site.roots.clone()).await;
            let answer = first_render(&session, &site.roots, site.selector, load == 0).await;
            session.end().await;
            match answer {
                Ok((timing, resources)) => {
                    println!(
                        "  {} load {}: {:.0} ms",
                        site.name,
                        load + 1,
                        timing["painted"].as_f64().unwrap_or(f64::NAN)
                    );
                    loads.push(timing);
                    if let Some(resources) = resources {
                        *fetched = resources;
                    }
                }
                Err(error) => *result = Err(error),
            }
        }
    }
    results
        .into_iter()
        .map(|result| {
            let (loads, fetched) = result?;
            let times: Vec<f64> = loads.iter().filter_map(|l| l["painted"].as_f64()).collect();
            let mut sorted = times.clone();
            sorted.sort_by(f64::total_cmp);
            Ok(json!({
                "median_ms": sorted.get(sorted.len() / 2), "runs_ms": times, "loads": loads,
                "budget_ms": FIRST_RENDER_BUDGET_MS, "fetched": fetched,
            }))
        })
        .collect()
}

async fn first_render(
    session: &Session,
    roots: &[PathBuf],
    selector: &str,
    list_resources: bool,
) -> Result<(Value, Option<Value>), String> {
    // Watches from the very start of the document, before any of the page's own scripts.
    let watch = r#"(function (selector) {
        function look() {
            if (!document.querySelector(selector)) return false;
            var found = performance.now();
            requestAnimationFrame(function () {
                var channel = new MessageChannel();
                channel.port1.onmessage = function () {
                    window.__benchFirstRender = { found: found, painted: performance.now() };
                };
                channel.port2.postMessage(0);
            });
            return true;
        }
        if (look()) return;
        var observer = new MutationObserver(function () { if (look()) observer.disconnect(); });
        observer.observe(document, { childList: true, subtree: true });
    })(SELECTOR);"#
        .replace("SELECTOR", &json!(selector).to_string());
    session.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": watch })).await;
    session.client.goto(&session.url).await.map_err(|e| format!("navigation: {e}"))?;
    let start = Instant::now();
    let timing = loop {
        let value = session
            .client
            .execute("return window.__benchFirstRender || null;", vec![])
            .await
            .map_err(|e| e.to_string())?;
        if !value.is_null() {
            break value;
        }
        if start.elapsed() > Duration::from_secs(60) {
            return Err(format!("{selector} did not appear within 60 s"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let script = r#"
        const navigation = performance.getEntriesByType("navigation")[0] || {};
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        return {
            dom_content_loaded: navigation.domContentLoadedEventEnd,
            load_event: navigation.loadEventEnd,
            first_contentful_paint: paint ? paint.startTime : null,
        };"#;
    let mut timing = timing;
    let navigation = session.client.execute(script, vec![]).await.map_err(|e| e.to_string())?;
    for key in ["dom_content_loaded", "load_event", "first_contentful_paint"] {
        timing[key] = navigation[key].clone();
    }
    if !list_resources {
        return Ok((timing, None));
    }
    // Whatever else the page fetches right after (fonts, chunks) counts too.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let listed = session
        .client
        .execute("return [location.href].concat(performance.getEntriesByType('resource').map((e) => e.name));", vec![])
        .await
        .map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    // Each URL once (a page may list one twice, as Moat's icon for the tab and the manifest).
    for url in listed.as_array().into_iter().flatten().filter_map(Value::as_str).filter(|url| seen.insert(*url)) {
        let path = url.strip_prefix(session.url.trim_end_matches('/')).unwrap_or(url);
        let file = if url.starts_with(&session.url) { resolve(roots, path) } else { None };
        files.push(match file {
            Some(file) => json!({
                "url": path, "raw": std::fs::metadata(&file).map_or(0, |m| m.len()), "gzip": gzip_size(&file),
                "kind": kind_of(&file),
            }),
            None => json!({ "url": url, "missing": true }),
        });
    }
    let sum = |key: &str, kind: Option<&str>| -> u64 {
        files.iter().filter(|f| kind.is_none_or(|k| f["kind"] == k)).filter_map(|f| f[key].as_u64()).sum()
    };
    let resources = json!({
        "files": files,
        "raw": sum("raw", None), "gzip": sum("gzip", None),
        "code_raw": sum("raw", Some("code")), "code_gzip": sum("gzip", Some("code")),
    });
    Ok((timing, Some(resources)))
}

/// Scripts and WebAssembly are "code"; the rest (HTML, CSS, fonts, icons) is not.
fn kind_of(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("js" | "wasm" | "mjs") => "code",
        Some("woff" | "woff2" | "ttf") => "font",
        _ => "other",
    }
}

/// Part 5: a page that shows Excalidraw's editor and nothing else, as its README's UMD example
/// does; the folders to serve it from.
fn excalidraw_site(out: &Path, modules: &Path) -> Vec<PathBuf> {
    let site = out.join("excalidraw");
    std::fs::create_dir_all(&site).expect("target/bench/excalidraw");
    let page = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Excalidraw (Moat's browser benchmark)</title>
    <style>html, body, #app { height: 100%; margin: 0; }</style>
    <script>window.EXCALIDRAW_ASSET_PATH = "/";</script>
    <script src="/react.production.min.js"></script>
    <script src="/react-dom.production.min.js"></script>
    <script src="/excalidraw.production.min.js"></script>
  </head>
  <body>
    <div id="app"></div>
    <script>
      ReactDOM.createRoot(document.getElementById("app")).render(React.createElement(ExcalidrawLib.Excalidraw));
    </script>
  </body>
</html>
"#;
    std::fs::write(site.join("index.html"), page).expect("the Excalidraw page is written");
    vec![site, modules.join("@excalidraw/excalidraw/dist"), modules.join("react/umd"), modules.join("react-dom/umd")]
}

/// A fresh browser on Moat, long scripts allowed (an edit at 100 spokes takes a while).
async fn open_app(roots: &[PathBuf]) -> Session {
    let session = Session::start(roots.to_vec()).await;
    let long = Duration::from_millis(STEP_TIMEOUT_MS);
    let _ = session.client.update_timeouts(TimeoutConfiguration::new(Some(long), Some(long), None)).await;
    session.client.goto(&session.url).await.expect("the app loads");
    session.wait_for("[data-testid=canvas]").await;
    session
}

/// Opens a design file as a person does, through the Open button's file input; the time from
/// the input's change to the painted frame with every element drawn.
async fn open_design(session: &Session, file: &Path, elements: usize) -> Result<Value, String> {
    call(session, "watchOpen", vec![]).await?;
    let input = session
        .client
        .find(Locator::Css("input[data-action=open-file]"))
        .await
        .map_err(|e| format!("no file input: {e}"))?;
    let path = file.canonicalize().map_err(|e| format!("{}: {e}", file.display()))?;
    input.send_keys(&path.to_string_lossy()).await.map_err(|e| format!("choosing the file: {e}"))?;
    call(session, "opened", vec![json!(elements), json!(STEP_TIMEOUT_MS)]).await
}

/// [`call`], with where the main thread's time went meanwhile (Chromium's cumulative
/// `Performance.getMetrics`: script, which includes WebAssembly, style, layout; the rest of
/// a task is mostly paint and the DOM's own work), in ms.
async fn timed(session: &Session, name: &str, args: Vec<Value>) -> Result<Value, String> {
    session.cdp("Performance.enable", json!({})).await;
    let before = metrics(session).await;
    let mut value = call(session, name, args).await?;
    let after = metrics(session).await;
    let delta = |key: &str| (after.get(key).copied().unwrap_or(0.0) - before.get(key).copied().unwrap_or(0.0)) * 1000.0;
    value["main_thread_ms"] = json!({
        "task": delta("TaskDuration"), "script": delta("ScriptDuration"),
        "style": delta("RecalcStyleDuration"), "layout": delta("LayoutDuration"),
    });
    Ok(value)
}

/// [`call`] under Chromium's sampling CPU profiler: the self time of the samples, by where
/// they fell (ms): `wasm` (the app's Rust: model, Yew's diffing), `dom` (the functions of
/// wasm-bindgen's JavaScript glue, which make the DOM calls, with the DOM's own work),
/// `gc`, `browser` (Chromium outside script: style, layout, paint), `other` script.
/// The whole profile is kept as `target/bench/profiles/<saved_as>.cpuprofile` (Chromium's
/// DevTools open it).
async fn profile(session: &Session, name: &str, args: Vec<Value>, saved_as: &str) -> Result<Value, String> {
    session.cdp("Profiler.enable", json!({})).await;
    session.cdp("Profiler.setSamplingInterval", json!({ "interval": 200 })).await;
    session.cdp("Profiler.start", json!({})).await;
    let result = call(session, name, args).await;
    let stopped = session.cdp("Profiler.stop", json!({})).await;
    session.cdp("Profiler.disable", json!({})).await;
    let mut value = result?;
    let profile = &stopped["profile"];
    let saved = bench_dir().join("profiles").join(format!("{saved_as}.cpuprofile"));
    if std::fs::create_dir_all(saved.parent().expect("a folder")).is_ok() {
        let _ = std::fs::write(&saved, profile.to_string());
    }
    let category = |frame: &Value| -> &'static str {
        let url = frame["url"].as_str().unwrap_or("");
        let function = frame["functionName"].as_str().unwrap_or("");
        match function {
            "(garbage collector)" => "gc",
            "(program)" => "browser",
            "(idle)" | "(root)" => "idle",
            _ if url.starts_with("wasm://") || url.ends_with(".wasm") => "wasm",
            _ if url.contains("/moat-web-") && url.ends_with(".js") => "dom",
            _ => "other",
        }
    };
    let nodes: std::collections::BTreeMap<u64, &'static str> = profile["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|node| Some((node["id"].as_u64()?, category(&node["callFrame"]))))
        .collect();
    let names: std::collections::BTreeMap<u64, String> = profile["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|node| Some((node["id"].as_u64()?, node["callFrame"]["functionName"].as_str()?.to_owned())))
        .collect();
    let mut by_function = std::collections::BTreeMap::<String, f64>::new();
    let mut split = std::collections::BTreeMap::<&str, f64>::new();
    let samples = profile["samples"].as_array().cloned().unwrap_or_default();
    let deltas = profile["timeDeltas"].as_array().cloned().unwrap_or_default();
    // Each sample's time is the delta to the next one.
    for (i, sample) in samples.iter().enumerate() {
        let micros = deltas.get(i + 1).and_then(Value::as_f64).unwrap_or(0.0);
        let kind = sample.as_u64().and_then(|id| nodes.get(&id).copied()).unwrap_or("other");
        *split.entry(kind).or_default() += micros / 1000.0;
        if kind == "wasm"
            && let Some(name) = sample.as_u64().and_then(|id| names.get(&id))
        {
            *by_function.entry(name.clone()).or_default() += micros / 1000.0;
        }
    }
    // The functions with the most self time (named when the build keeps wasm's name section;
    // the release build does not, and shows `$funcN`).
    let mut top: Vec<(String, f64)> = by_function.into_iter().collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    top.truncate(12);
    value["profile_ms"] = json!(split);
    value["profile_top_wasm"] = json!(top);
    Ok(value)
}

fn profile_line(step: &Value) -> String {
    let p = &step["profile_ms"];
    let f = |key: &str| p[key].as_f64().unwrap_or(0.0);
    format!(
        "{:>8.1} ms  (samples: wasm {:.0}, DOM glue {:.0}, GC {:.0}, browser {:.0}, other script {:.0} ms)",
        step["ms"].as_f64().unwrap_or(f64::NAN),
        f("wasm"),
        f("dom"),
        f("gc"),
        f("browser"),
        f("other")
    )
}

async fn metrics(session: &Session) -> std::collections::BTreeMap<String, f64> {
    let answer = session.cdp("Performance.getMetrics", json!({})).await;
    answer["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| Some((m["name"].as_str()?.to_owned(), m["value"].as_f64()?)))
        .collect()
}

/// One timed step as a line: the time, and the main thread's script, style and layout.
fn described(step: &Value) -> String {
    let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    let m = &step["main_thread_ms"];
    format!(
        "{:>8.1} ms, settled {:>6.1} ms  (main thread: script {:.0}, style {:.0}, layout {:.0}, all tasks {:.0} ms)",
        f(&step["ms"]),
        f(&step["settled_ms"]),
        f(&m["script"]),
        f(&m["style"]),
        f(&m["layout"]),
        f(&m["task"])
    )
}

/// Calls `window.__moatBench[name](...args)` in the page; its answer, or its error.
async fn call(session: &Session, name: &str, args: Vec<Value>) -> Result<Value, String> {
    let script = format!(
        "{PROBE}\nconst args = Array.from(arguments);\nconst done = args.pop();\n\
         Promise.resolve(window.__moatBench[{name}](...args)).then(done, (e) => done({{ error: String(e) }}));",
        name = json!(name)
    );
    let value = session.client.execute_async(&script, args).await.map_err(|e| format!("{name}: {e}"))?;
    checked(value).map_err(|e| format!("{name}: {e}"))
}

/// An answer with an `error` is a failure.
fn checked(value: Value) -> Result<Value, String> {
    match value.get("error").and_then(Value::as_str) {
        Some(error) => Err(error.to_owned()),
        None => Ok(value),
    }
}

fn or_error(result: Result<Value, String>) -> Value {
    result.unwrap_or_else(|error| {
        println!("  failed: {error}");
        json!({ "error": error })
    })
}

fn env_path(variable: &str) -> PathBuf {
    std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{variable} is not set: run the browser benchmark with `cargo xtask bench`"))
}

fn chromium_version() -> String {
    let chromium = env_path("CHROMIUM");
    Command::new(&chromium)
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The commit measured, and whether the work tree had changes on top of it.
fn source_state() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    let changed = !git(&["status", "--porcelain", "--untracked-files=no"]).is_empty();
    format!("{}{}", git(&["rev-parse", "--short", "HEAD"]), if changed { " with uncommitted changes" } else { "" })
}

fn step(name: &str) {
    println!("\nbrowser-bench: == {name} ==");
}

/// The figures against their budgets, as a table.
fn print_summary(report: &Value) {
    let ms = |v: &Value| v.as_f64().map_or_else(|| "—".to_owned(), |x| format!("{x:.1} ms"));
    let kb = |v: &Value| v.as_u64().map_or_else(|| "—".to_owned(), |x| format!("{:.1} KB", x as f64 / 1000.0));
    let verdict = |within: Option<bool>| match within {
        Some(true) => "within",
        Some(false) => "OVER",
        None => "",
    };
    println!(
        "\nbrowser-bench: {} in headless {} (load average at start {})",
        report["source"].as_str().unwrap_or("?"),
        report["chromium"].as_str().unwrap_or("Chromium"),
        report["load_average_at_start"].as_str().unwrap_or("?")
    );
    println!("  {:<46} {:>14} {:>12}", "what", "measured", "budget");
    let line = |what: &str, measured: String, budget: String, within: Option<bool>| {
        println!("  {what:<46} {measured:>14} {budget:>12}   {}", verdict(within));
    };

    for row in report["analyses"]["rows"].as_array().into_iter().flatten() {
        let mean = row["timing"]["mean_ms"].as_f64();
        let budget = row["budget_ms"].as_f64();
        line(
            &format!("wasm {}, {} spokes", row["analysis"].as_str().unwrap_or("?"), row["spokes"]),
            row["skipped"].as_str().map_or_else(|| ms(&row["timing"]["mean_ms"]), |_| "not run".to_owned()),
            budget.map_or_else(String::new, |b| format!("{b} ms")),
            budget.zip(mean).map(|(b, m)| m <= b),
        );
    }
    if let Some(error) = report["analyses"]["error"].as_str() {
        println!("  analyses: {error}");
    }

    let edits = &report["edits"];
    let edit_rows = if edits.is_null() {
        vec![]
    } else {
        vec![
            ("edit: press on an element (selects it), median", &edits["move"]["press"]["median_ms"]),
            ("edit: drag it 2 px (its preview follows), median", &edits["move"]["drag"]["median_ms"]),
            ("edit: drop it (committed; panels updating), median", &edits["move"]["drop"]["median_ms"]),
            ("edit: NSG rule priority (inspector; panels updating), median", &edits["field"]["median_ms"]),
        ]
    };
    for (what, value) in edit_rows {
        line(what, ms(value), format!("{EDIT_BUDGET_MS} ms"), value.as_f64().map(|m| m <= EDIT_BUDGET_MS));
    }
    if !edits.is_null() {
        // The analyses run after the edit's frame; when their answers are on screen.
        for (what, value) in [
            ("  drop: analyses back in the panels, median", &edits["move"]["drop"]["median_settled_ms"]),
            ("  NSG rule: analyses back in the panels, median", &edits["field"]["median_settled_ms"]),
        ] {
            line(what, ms(value), String::new(), None);
        }
    }
    if !edits.is_null() {
        let calibration = &edits["calibration"];
        for (what, part) in [("press", "press"), ("drop", "drop"), ("NSG rule", "field")] {
            line(
                &format!("  first round (not in the medians): {what}"),
                ms(&edits["first"][part]["ms"]),
                String::new(),
                None,
            );
        }
        line("  for reference: a one-character change", ms(&calibration["aligned_ms"]), String::new(), None);
        line("  the same, timed from a paint (+ wait)", ms(&calibration["unaligned_ms"]), String::new(), None);
        line("open the 100-spoke file (not budgeted)", ms(&edits["open"]["ms"]), String::new(), None);
    }
    if let Some(error) = edits["error"].as_str() {
        println!("  edits: {error}");
    }

    let drag = &report["drag"];
    let fps = drag["dragging"]["mean_fps"].as_f64();
    if !drag.is_null() {
        line(
            &format!("drag with {} elements: mean fps", drag["elements"]),
            fps.map_or_else(|| "—".into(), |f| format!("{f:.1} fps")),
            format!(">= {FPS_BUDGET} fps"),
            fps.map(|f| f >= FPS_BUDGET),
        );
        line("  95th-percentile frame time", ms(&drag["dragging"]["p95_ms"]), String::new(), None);
        line(
            "  idle, same page: mean fps",
            drag["idle"]["mean_fps"].as_f64().map_or_else(|| "—".into(), |f| format!("{f:.1} fps")),
            String::new(),
            None,
        );
    }
    if let Some(error) = drag["error"].as_str() {
        println!("  drag: {error}");
    }

    let moat = &report["moat"];
    let gzip = moat["dist"]["gzip"].as_u64();
    if !moat.is_null() {
        line("Moat wasm + JS in dist/, raw", kb(&moat["dist"]["raw"]), String::new(), None);
        line(
            "Moat wasm + JS in dist/, gzip -9",
            kb(&moat["dist"]["gzip"]),
            format!("{} KB", BUNDLE_BUDGET_BYTES / 1000),
            gzip.map(|g| g <= BUNDLE_BUDGET_BYTES),
        );
        line(
            &format!("  + {} data files the app reads when needed, gzip -9", moat["dist"]["data_files"]),
            kb(&moat["dist"]["data_gzip"]),
            String::new(),
            None,
        );
        let median = moat["first_render"]["median_ms"].as_f64();
        line(
            "Moat first render (median of 5 fresh loads)",
            ms(&moat["first_render"]["median_ms"]),
            format!("{FIRST_RENDER_BUDGET_MS} ms"),
            median.map(|m| m <= FIRST_RENDER_BUDGET_MS),
        );
    }

    println!("\n  side by side (everything the page fetched in its first 3 s after the first render):");
    println!(
        "  {:<12} {:>14} {:>14} {:>14} {:>14} {:>16}",
        "", "code raw", "code gzip", "all raw", "all gzip", "first render"
    );
    for (name, entry) in
        [("Moat", moat), ("Excalidraw", &report["excalidraw"])].into_iter().filter(|(_, e)| !e.is_null())
    {
        let fetched = &entry["first_render"]["fetched"];
        println!(
            "  {name:<12} {:>14} {:>14} {:>14} {:>14} {:>16}",
            kb(&fetched["code_raw"]),
            kb(&fetched["code_gzip"]),
            kb(&fetched["raw"]),
            kb(&fetched["gzip"]),
            ms(&entry["first_render"]["median_ms"])
        );
        if let Some(error) = entry["first_render"]["error"].as_str().or(entry["error"].as_str()) {
            println!("  {name}: {error}");
        }
    }
}
