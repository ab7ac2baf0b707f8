//! Share links round-trip a design through the URL fragment.

mod common;

use moat_model::share::{decode, encode};

#[test]
fn a_design_survives_the_link() {
    let design = common::example();
    let fragment = encode(&design);
    assert!(fragment.starts_with("design="));
    assert!(fragment.chars().all(|c| c.is_ascii_alphanumeric() || "=-_".contains(c)), "safe in a URL");
    assert!(fragment.len() < moat_model::to_json(&design).len() / 2, "compressed");
    assert_eq!(decode(&format!("#{fragment}")).unwrap().design, design);
}

#[test]
fn a_damaged_link_is_refused_with_a_reason() {
    assert_eq!(decode("#other=1").unwrap_err(), "the link carries no design");
    assert_eq!(decode("design=***").unwrap_err(), "the link's design is damaged (not base64url)");
    assert_eq!(decode("design=AAAA").unwrap_err(), "the link's design is damaged (not deflate data)");
}
