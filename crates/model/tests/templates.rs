//! Built-in templates are valid designs with a layout.

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
