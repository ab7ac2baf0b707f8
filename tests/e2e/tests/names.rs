//! People know elements by their names: every list and table the user reads names them so
//! (the id only beside a name two elements share), as the canvas does.

use moat_e2e::Session;
use moat_model::design::Labels;
use serde_json::Value;

/// Each `[value, text]` pair the elements matching `selector` hold (`value` read from
/// `attribute`, the text from the element or its first cell).
async fn shown(session: &Session, selector: &str, attribute: &str) -> Vec<(String, String)> {
    let script = "return [...document.querySelectorAll(arguments[0])].map((node) =>
        [node.getAttribute(arguments[1]) || '', (node.querySelector('td') || node).textContent.trim()]);";
    let pairs = session.client.execute(script, vec![Value::from(selector), Value::from(attribute)]).await.unwrap();
    serde_json::from_value(pairs).expect("pairs of texts")
}

fn assert_named(what: &str, pairs: &[(String, String)], labels: &Labels) {
    let named: Vec<&(String, String)> = pairs.iter().filter(|(id, _)| !id.is_empty()).collect();
    assert!(named.len() > 2, "{what}: {pairs:?}");
    for (id, text) in &named {
        assert_eq!(text, labels.get(id), "{what}: {id} is shown by its name");
    }
    assert!(named.iter().any(|(id, text)| id != text), "{what}: names, not ids: {pairs:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn lists_and_tables_name_elements_as_the_canvas_does() {
    let session = Session::open().await;
    session.click("[data-action=template]").await;
    session.click("[data-template=hub-spoke-dmz]").await;
    session.wait_for("[data-element-id=web1-snet]").await;
    let design = moat_model::templates::instantiate("hub-spoke-dmz").expect("the template");
    let labels = Labels::of(&design);

    session.click("[data-tab=reachability]").await;
    assert_named("reachability From", &shown(&session, "select[data-reach=from] option", "value").await, &labels);
    session.click("[data-tab=estimates]").await;
    session.wait_for("[data-cost-element]").await;
    assert_named("cost table", &shown(&session, "tr[data-cost-element]", "data-cost-element").await, &labels);
    assert_named("isolation table", &shown(&session, "tr[data-isolation-tier]", "data-isolation-tier").await, &labels);

    // The inspector's references: a subnet's NSG is chosen by name.
    session.click("[data-tab=outline]").await;
    session.click("[data-outline-id=web1-snet]").await;
    session.click("select[data-field=nsg]").await;
    assert_named("subnet's NSG", &shown(&session, "select[data-field=nsg] option", "value").await, &labels);
    session.screenshot("names-in-lists").await;
    session.close().await;
}
