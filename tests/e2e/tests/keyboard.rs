//! The editor without a mouse: palette entries add elements with Enter, canvas elements are
//! reachable by Tab, and the outline lists the design for keyboards and screen readers.

use moat_e2e::Session;

#[tokio::test(flavor = "current_thread")]
async fn a_design_can_be_edited_from_the_keyboard() {
    let session = Session::open().await;

    // Focus the data subnet on the canvas and select it with Enter.
    session.client.execute("document.querySelector('[data-element-id=\"data-snet\"]').focus();", vec![]).await.unwrap();
    session.press(fantoccini::key::Key::Enter.into()).await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Subnet");

    // Enter on the palette's VM entry adds a VM into the selected subnet.
    session.client.execute("document.querySelector('[data-palette-kind=\"vm\"]').focus();", vec![]).await.unwrap();
    session.press(fantoccini::key::Key::Enter.into()).await;
    session.wait_for("[data-element-id=vm-1]").await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Virtual machines");
    let parent = session
        .client
        .execute("return document.querySelector('[data-field=\"parent\"]').value;", vec![])
        .await
        .unwrap();
    assert_eq!(parent, "data-snet");

    // The outline lists every element and selects one.
    session.click("[data-tab=outline]").await;
    assert_eq!(session.count("[data-testid=outline] [data-outline-id]").await, 22, "21 elements and the new VM");
    session.click("[data-outline-id=kv]").await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Key Vault");
    session.close().await;
}
