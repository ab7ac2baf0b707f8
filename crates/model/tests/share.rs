//! Share links round-trip a design through the URL fragment.

mod common;

use moat_model::share::{decode, design_in, encode, fragment_of, json_of, packed_in};

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

#[test]
fn the_steps_the_browser_takes_make_and_read_the_same_link() {
    let design = common::example();
    let fragment = encode(&design);
    let packed = packed_in(&fragment).unwrap();
    assert_eq!(fragment_of(&packed), fragment);
    let json = miniz_oxide::inflate::decompress_to_vec(&packed).unwrap();
    assert_eq!(String::from_utf8(json.clone()).unwrap(), json_of(&design));
    assert_eq!(design_in(json).unwrap().design, design);
    assert_eq!(design_in(vec![0xff]).unwrap_err(), "the link's design is not UTF-8 text");
}
