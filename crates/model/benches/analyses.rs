//! Native benchmarks of the analyses on generated hub-spoke designs of 10, 100 and 1,000
//! spokes (`moat_model::generate::hub_spoke`). Run with `cargo xtask bench` or
//! `cargo bench -p moat-model --bench analyses`; docs/PERFORMANCE.md has the figures.
//!
//! Left out at 1,000 spokes: `reach::matrix`, which answers every pair of the 3,002
//! endpoints (9 million queries: tens of seconds and several GB of answers per run;
//! docs/PERFORMANCE.md says more).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use moat_model::cost::PriceBook;
use moat_model::design::Design;
use moat_model::export::{Format, export};
use moat_model::generate::hub_spoke;
use moat_model::{check, estimate, format, reach, rules};

const SIZES: [usize; 3] = [10, 100, 1000];

/// The largest design an analysis is measured on: the matrix grows with the square of the
/// endpoints, and one run at 1,000 spokes answers 9 million pairs.
fn largest(analysis: &str) -> usize {
    match analysis {
        "reach-matrix" => 100,
        _ => 1000,
    }
}

fn analyses(c: &mut Criterion) {
    let designs: Vec<(usize, Design, String)> = SIZES
        .iter()
        .map(|&spokes| {
            let design = hub_spoke(spokes);
            let text = format::to_json(&design);
            (spokes, design, text)
        })
        .collect();
    let book = PriceBook::builtin();

    type Run<'a> = Box<dyn Fn(&Design, &str) + 'a>;
    let mut runs: Vec<(String, Run)> = vec![
        ("load".to_owned(), Box::new(|_, text| drop(black_box(format::load(text).expect("a generated design loads"))))),
        ("check".to_owned(), Box::new(|design, _| drop(black_box(check::check(design))))),
        ("validate".to_owned(), Box::new(|design, _| drop(black_box(rules::validate(design))))),
        ("reach-matrix".to_owned(), Box::new(|design, _| drop(black_box(reach::matrix(design, None))))),
        ("estimate".to_owned(), Box::new(|design, _| drop(black_box(estimate::estimate(design, &book))))),
        (
            "route-links".to_owned(),
            Box::new(|design, _| {
                let layout = moat_model::layout::effective_layout(design);
                drop(black_box(moat_model::drawing::route::Routes::new(design, &layout)))
            }),
        ),
    ];
    for &to in Format::ALL {
        let book = &book;
        runs.push((
            format!("export-{}", to.name()),
            Box::new(move |design, _| drop(black_box(export(design, to, book)))),
        ));
    }

    for (name, run) in &runs {
        let mut group = c.benchmark_group(name.as_str());
        // Few samples, flat sampling: some analyses take close to a second per run at 1,000 spokes.
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(2));
        for (spokes, design, text) in designs.iter().filter(|(spokes, ..)| *spokes <= largest(name)) {
            group.bench_with_input(BenchmarkId::from_parameter(spokes), &(design, text), |b, (design, text)| {
                b.iter(|| run(black_box(design), black_box(text.as_str())))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, analyses);
criterion_main!(benches);
