//! Built-in templates are valid designs with a layout.
//!
//! The template files in `assets/templates/` carry their layout. After editing one, bake the
//! automatic layout in with `MOAT_UPDATE_TEMPLATES=1 cargo test -p moat-model --test templates`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use moat_model::rules::{Severity, validate};
use moat_model::templates::{instantiate, templates};

#[test]
fn every_template_is_well_formed_and_laid_out() {
    assert!(!templates().is_empty());
    for template in templates() {
        let design = instantiate(template.name).unwrap_or_else(|| panic!("{} instantiates", template.name));
        assert_eq!(moat_model::check(&design), [], "{}", template.name);
        let layout = design.layout.as_ref().expect("a layout");
        assert!(design.elements.iter().all(|e| layout.contains_key(&e.id)), "{} is fully laid out", template.name);
        assert_eq!(design.meta.title, template.title);
    }
    assert!(instantiate("no-such-template").is_none());
}

/// The web app reads each template from its site (`assets/` under the same path): the file
/// there gives the same design as the one built into the command line.
#[test]
fn each_template_file_gives_the_built_in_template() {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
    for template in templates() {
        let text = std::fs::read_to_string(assets.join(template.file)).unwrap();
        assert_eq!(moat_model::templates::from_text(&text).ok(), instantiate(template.name), "{}", template.file);
    }
    let broken = moat_model::templates::from_text("{").unwrap_err();
    assert!(broken.contains("line 1"), "{broken}");
}

/// The five templates of SPEC §7, each instantiable, under unique names.
#[test]
fn the_specified_templates_exist_under_unique_names() {
    let names: Vec<&str> = templates().iter().map(|t| t.name).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "template names are unique: {names:?}");
    for name in ["n-tier", "hub-spoke-dmz", "multi-region", "isolated-consolidated", "dedicated-host"] {
        assert!(names.contains(&name), "{name} is a built-in template");
        let design = instantiate(name).unwrap_or_else(|| panic!("{name} instantiates"));
        assert!(!design.elements.is_empty(), "{name} has elements");
    }
    for template in templates() {
        assert!(!template.title.is_empty() && !template.description.is_empty(), "{} is described", template.name);
    }
}

/// SPEC §7: the hub-spoke and multi-region templates produce no error findings.
#[test]
fn hub_spoke_and_multi_region_have_no_errors() {
    for name in ["hub-spoke-dmz", "multi-region"] {
        let design = instantiate(name).unwrap_or_else(|| panic!("{name} instantiates"));
        let report = validate(&design);
        let errors: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{} {}: {}", f.rule, f.element, f.message))
            .collect();
        assert!(errors.is_empty(), "{name} has error findings: {errors:#?}");
        assert_eq!(report.summary.error, 0, "{name}");
    }
}

fn template_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/templates")
}

fn template_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(template_dir())
        .expect("assets/templates exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".moat.json"))
        .collect();
    files.sort();
    files
}

/// Each file in `assets/templates/` is a registered template that checks clean and carries a
/// layout box for every element. With `MOAT_UPDATE_TEMPLATES=1` the automatic layout is baked
/// into the files first.
#[test]
fn template_files_check_clean_and_carry_a_full_layout() {
    let update = std::env::var("MOAT_UPDATE_TEMPLATES").is_ok_and(|v| v == "1");
    let files = template_files();
    assert!(files.len() >= 4, "the template files: {files:?}");
    let registered: HashSet<&str> = templates().iter().map(|t| t.name).collect();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".moat.json")).unwrap_or("");
        assert!(registered.contains(name), "{} is registered as template {name}", path.display());
        let text = std::fs::read_to_string(&path).expect("a readable template");
        let mut design = moat_model::load(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())).design;
        if update {
            moat_model::edit::pin_layout(&mut design);
            std::fs::write(&path, moat_model::to_json(&design)).expect("the template is written");
        }
        assert_eq!(moat_model::check(&design), [], "{name}");
        let layout = design.layout.as_ref().unwrap_or_else(|| panic!("{name} has a layout"));
        let missing: Vec<&str> =
            design.elements.iter().filter(|e| !layout.contains_key(&e.id)).map(|e| e.id.as_str()).collect();
        assert!(missing.is_empty(), "{name}: elements without a layout box: {missing:?}");
        let title = templates().iter().find(|t| t.name == name).map(|t| t.title);
        assert_eq!(title, Some(design.meta.title.as_str()), "{name}: the registered title is the design's title");
    }
}

/// The hub-spoke template's two application spokes are separate workloads: each is composed
/// on its own (not one chain through both), so the design meets its 99.9% target.
#[test]
fn hub_spoke_spokes_are_separate_workloads_that_meet_the_target() {
    let design = instantiate("hub-spoke-dmz").expect("hub-spoke-dmz instantiates");
    let estimate = moat_model::availability::availability(&design);
    let workloads: Vec<&[String]> = estimate.workloads.iter().map(|w| w.tiers.as_slice()).collect();
    assert_eq!(workloads, [["web1", "biz1", "db1"], ["web2", "biz2", "db2"]]);
    assert!(estimate.meets_target, "{}% against {}%: {:#?}", estimate.composite, estimate.target, estimate.basis);
    assert!(validate(&design).findings.iter().all(|f| f.rule != "HA-05"));
}
