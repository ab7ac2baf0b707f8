//! The structural check: each class of problem has a fixture and its exact messages.

mod common;

use common::{design, example};
use moat_model::check;

#[test]
fn each_structural_problem_is_named_with_element_field_and_reason() {
    insta::glob!("fixtures/check/*.moat.json", |path| {
        let design = moat_model::load(&std::fs::read_to_string(path).unwrap()).unwrap().design;
        let problems = check(&design);
        assert!(!problems.is_empty(), "{} has no problem", path.display());
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(lines.join("\n"));
    });
}

#[test]
fn the_shared_example_is_well_formed() {
    assert_eq!(check(&example()), []);
}

#[test]
fn a_design_of_every_kind_is_well_formed() {
    assert_eq!(check(&design("format/v1/every-kind.moat.json")), []);
}

#[test]
fn an_empty_design_is_well_formed() {
    assert_eq!(check(&moat_model::Design::default()), []);
}
