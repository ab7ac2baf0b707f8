//! The model's analyses timed in the browser, as WebAssembly, for `cargo xtask bench`
//! (its browser half, `tests/e2e/src/bin/browser_bench.rs`). Reached from JavaScript as
//! `wasmBindings.bench_analyses(json, "load,check,…", budget_ms, vm_and_disk, services)`
//! (the last two: the texts of the site's price book files); the app never calls it.
//!
//! The analyses are the ones of the native criterion benchmark
//! (`crates/model/benches/analyses.rs`), plus `flow-verdicts`, which the app re-runs after
//! every edit. Each is timed with `performance.now()` around the call alone: the text is
//! already in WebAssembly memory, and nothing is drawn.

use moat_model::{Design, check, cost::PriceBook, estimate, format, reach, rules};
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds since navigation start, sub-millisecond.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Times each analysis of `names` (comma-separated: `load`, `check`, `validate`,
/// `reach-matrix`, `estimate`, `flow-verdicts`) on the design `json`, as a JSON object
/// `{"<name>": {"runs": n, "mean_ms": …, "min_ms": …, "max_ms": …}}` (or `{"error": …}`
/// for a name it does not know or a design or price book that does not load).
///
/// A run that takes `budget_ms` or more is timed once. A shorter one counts as a warm-up
/// and is followed by up to 10 timed runs, stopping once they add up to `budget_ms`.
#[wasm_bindgen]
pub fn bench_analyses(json: &str, names: &str, budget_ms: f64, vm_and_disk: &str, services: &str) -> String {
    let design = match format::load(json) {
        Ok(loaded) => loaded.design,
        Err(error) => return serde_json::json!({ "error": error.to_string() }).to_string(),
    };
    let book = match PriceBook::from_files(vm_and_disk, services) {
        Ok(book) => book,
        Err(error) => return serde_json::json!({ "error": error }).to_string(),
    };
    let mut out = serde_json::Map::new();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let timing = match analysis(name) {
            Some(run) => time(|| run(&design, json, &book), budget_ms),
            None => serde_json::json!({ "error": format!("no analysis called {name}") }),
        };
        out.insert(name.to_owned(), timing);
    }
    serde_json::Value::Object(out).to_string()
}

type Run = fn(&Design, &str, &PriceBook);

fn analysis(name: &str) -> Option<Run> {
    Some(match name {
        "load" => |_, text, _| drop(std::hint::black_box(format::load(text))),
        "check" => |design, _, _| drop(std::hint::black_box(check::check(design))),
        "validate" => |design, _, _| drop(std::hint::black_box(rules::validate(design))),
        "reach-matrix" => |design, _, _| drop(std::hint::black_box(reach::matrix(design, None))),
        "estimate" => |design, _, book| drop(std::hint::black_box(estimate::estimate(design, book))),
        "flow-verdicts" => |design, _, _| drop(std::hint::black_box(reach::flow_verdicts(design))),
        _ => return None,
    })
}

/// Times `run` as [`bench_analyses`] says; returns the JSON figures.
fn time(run: impl Fn(), budget_ms: f64) -> serde_json::Value {
    let once = || {
        let start = performance_now();
        run();
        performance_now() - start
    };
    let first = once();
    let samples = if first >= budget_ms {
        vec![first]
    } else {
        let mut samples = Vec::new();
        while samples.len() < 10 && samples.iter().sum::<f64>() < budget_ms {
            samples.push(once());
        }
        samples
    };
    let mean = samples.iter().sum::<f64>() / samples.len() as f64;
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    serde_json::json!({ "runs": samples.len(), "mean_ms": mean, "min_ms": min, "max_ms": max })
}
