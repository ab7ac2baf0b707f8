//! The app in a real headless Chromium: it draws the example design.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use moat_model::format;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The example design, which the app opens on a first visit.
const EXAMPLE: &str = include_str!("../../../assets/examples/n-tier.moat.json");
/// The interface's English, which the site serves and the app reads before it starts.
const ENGLISH: &str = include_str!("../../../assets/i18n/ui.en.json");

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// Mounts the app in a fresh element and waits until the canvas is drawn.
async fn mount_app() -> web_sys::Element {
    // Each test starts as a first visit: no autosaved design.
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    moat_web::i18n::install(moat_web::i18n::Lang::En, ENGLISH).expect("the English file is valid");
    moat_web::mount(root.clone(), EXAMPLE);
    for _ in 0..100 {
        if root.query_selector("[data-testid=canvas]").unwrap().is_some() {
            break;
        }
        gloo::timers::future::sleep(Duration::from_millis(20)).await;
    }
    root
}

fn bounds(root: &web_sys::Element, id: &str) -> web_sys::DomRect {
    let selector = format!("[data-element-id=\"{id}\"] rect");
    let rect = root.query_selector(&selector).unwrap().unwrap_or_else(|| panic!("{id} is drawn"));
    rect.dyn_into::<web_sys::SvgGraphicsElement>().unwrap().get_bounding_client_rect()
}

fn contains(outer: &web_sys::DomRect, inner: &web_sys::DomRect) -> bool {
    outer.left() <= inner.left()
        && outer.top() <= inner.top()
        && outer.right() >= inner.right()
        && outer.bottom() >= inner.bottom()
}

#[wasm_bindgen_test]
async fn every_element_and_link_of_the_example_is_drawn() {
    let root = mount_app().await;
    let design = format::load(EXAMPLE).unwrap().design;

    for element in &design.elements {
        let selector = format!("[data-element-id=\"{}\"][data-kind=\"{}\"]", element.id, element.kind().as_str());
        assert!(root.query_selector(&selector).unwrap().is_some(), "{selector} is drawn");
    }
    for link in &design.links {
        let selector = format!("[data-link-id=\"{}\"]", link.id);
        assert!(root.query_selector(&selector).unwrap().is_some(), "{selector} is drawn");
    }
    let drawn = root.query_selector_all("[data-element-id]").unwrap().length() as usize;
    assert_eq!(drawn, design.elements.len());
    let title = root.query_selector("[data-testid=design-title]").unwrap().unwrap().text_content().unwrap();
    assert_eq!(title, "Three-tier app in one region");
}

#[wasm_bindgen_test]
async fn containers_are_drawn_around_what_they_contain() {
    let root = mount_app().await;
    let (region, vnet, subnet, vm) =
        (bounds(&root, "weu"), bounds(&root, "app-vnet"), bounds(&root, "web-snet"), bounds(&root, "web"));
    assert!(contains(&region, &vnet), "the region box holds the VNet");
    assert!(contains(&vnet, &subnet), "the VNet box holds the subnet");
    assert!(contains(&subnet, &vm), "the subnet box holds its VM");
    assert!(!contains(&bounds(&root, "biz-snet"), &vm), "the web VM is not drawn in the business subnet");
}
