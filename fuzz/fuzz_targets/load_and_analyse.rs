//! Any bytes through what `moat check|validate|reach|estimate` do: load, check, the rule
//! catalogue, the reachability matrix and the estimate. A panic anywhere is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use moat_model::cost::PriceBook;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(loaded) = moat_model::load(text) else { return };
    let design = &loaded.design;
    let _ = moat_model::check(design);
    let _ = moat_model::rules::validate(design);
    let _ = moat_model::reach::matrix(design, None);
    let _ = moat_model::estimate::estimate(design, &PriceBook::builtin());
});
