//! Opening Moat shows the example design drawn on the canvas.

use fantoccini::Locator;
use moat_e2e::Session;

const EXAMPLE: &str = include_str!("../../../assets/examples/n-tier.moat.json");

#[tokio::test(flavor = "current_thread")]
async fn opening_moat_shows_the_example_design() {
    let session = Session::open().await;
    let client = &session.client;
    client.wait().for_element(Locator::Css("[data-testid=canvas]")).await.expect("the canvas appears");

    let design = moat_model::load(EXAMPLE).expect("the example loads").design;
    for element in &design.elements {
        let selector = format!("[data-element-id=\"{}\"]", element.id);
        let drawn = client.find(Locator::Css(&selector)).await;
        assert!(drawn.is_ok(), "{} ({}) is drawn", element.id, element.kind());
    }
    for link in &design.links {
        let selector = format!("[data-link-id=\"{}\"]", link.id);
        assert!(client.find(Locator::Css(&selector)).await.is_ok(), "link {} is drawn", link.id);
    }

    // What a person reads: the names of the tiers on screen, and the sizes of the VMs
    // when zoomed in.
    let text = client.find(Locator::Css("[data-testid=canvas]")).await.unwrap().text().await.unwrap();
    for name in ["West Europe", "app-vnet", "web-snet", "biz-snet", "data-snet", "db"] {
        assert!(text.contains(name), "the canvas shows {name:?}; it shows {text:?}");
    }
    let db = session.read_element("db").await;
    assert!(db.contains("Standard_E8s_v5 ×2"), "the data tier's VMs show their size: {db:?}");
    let title = client.find(Locator::Css("[data-testid=design-title]")).await.unwrap().text().await.unwrap();
    assert_eq!(title, "Three-tier app in one region");

    session.screenshot("example-design").await;
    session.close().await;
}
