//! Accessibility, checked as assistive technology meets the app: axe-core (the checker
//! browsers' own audits use) runs in the page in each state a person reaches — the canvas
//! with each tab, an element in the inspector, each menu open, an error shown — and finds
//! no serious or critical violation. Menus and panels are then worked with the keyboard
//! alone.

use fantoccini::key::Key;
use moat_e2e::Session;
use serde_json::Value;

#[tokio::test(flavor = "current_thread")]
async fn every_state_of_the_app_passes_axe_without_serious_violations() {
    let session = Session::open().await;
    let mut found = Vec::new();
    found.extend(violations(&session, "the example design, findings tab").await);
    for tab in ["reachability", "estimates", "structure", "outline"] {
        session.click(&format!("[data-tab={tab}]")).await;
        found.extend(violations(&session, &format!("the {tab} tab")).await);
    }
    session.click("[data-outline-id=nsg-web]").await;
    session.wait_for("[data-table=rules]").await;
    found.extend(violations(&session, "an NSG in the inspector").await);
    session.click("[data-outline-id=web]").await;
    found.extend(violations(&session, "a VM group in the inspector").await);
    for menu in ["template", "export", "versions"] {
        session.click(&format!("[data-action={menu}]")).await;
        found.extend(violations(&session, &format!("the {menu} menu open")).await);
        session.press(Key::Escape.into()).await;
    }
    let input = session.wait_for("input[data-action=open-file]").await;
    let broken = std::env::temp_dir().join(format!("moat-a11y-{}.moat.json", std::process::id()));
    std::fs::write(&broken, "{ oops").unwrap();
    input.send_keys(broken.to_str().unwrap()).await.expect("the file is chosen");
    session.wait_for("[data-testid=error]").await;
    found.extend(violations(&session, "an error shown").await);
    let _ = std::fs::remove_file(&broken);

    // The same page in Japanese.
    session.client.goto(&format!("{}?lang=ja", session.url)).await.expect("the page loads in Japanese");
    session.wait_for("[data-testid=canvas]").await;
    found.extend(violations(&session, "the page in Japanese").await);

    assert!(found.is_empty(), "serious accessibility violations:\n{}", found.join("\n"));
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn menus_open_work_and_close_from_the_keyboard_with_focus_visible() {
    let session = Session::open().await;

    // The Templates menu: Enter opens it and focuses its first entry, Escape closes it and
    // gives focus back to its button.
    focus(&session, "[data-action=template]").await;
    session.press(Key::Enter.into()).await;
    session.wait_for("[role=menu]:not([hidden]) [role=menuitem]").await;
    assert_eq!(active(&session, "getAttribute('role')").await, "menuitem", "focus moves into the menu");
    assert_eq!(active(&session, "closest('[role=menu]') !== null").await, "true");
    session.press(Key::Down.into()).await;
    let second = active(&session, "textContent").await;
    session.press(Key::Up.into()).await;
    assert_ne!(active(&session, "textContent").await, second, "arrow keys move between entries");
    session.press(Key::Escape.into()).await;
    session.wait_gone("[role=menu]:not([hidden])").await;
    assert_eq!(active(&session, "dataset.action").await, "template", "focus returns to the menu's button");
    assert_eq!(active(&session, "getAttribute('aria-expanded')").await, "false");

    // The Export menu: Enter on an entry exports.
    focus(&session, "[data-action=export]").await;
    session.press(Key::Enter.into()).await;
    session.wait_for("[role=menu]:not([hidden]) [role=menuitem]").await;
    assert_eq!(active(&session, "getAttribute('role')").await, "menuitem");
    session.press(Key::Enter.into()).await;
    session.wait_gone("[role=menu]:not([hidden])").await;
    let (name, _) = session.downloaded().await;
    assert!(name.ends_with(".json"), "{name}");

    // Focus is visible: a focused button draws an outline.
    focus(&session, "[data-action=save]").await;
    let outline =
        active(&session, "ownerDocument.defaultView.getComputedStyle(document.activeElement).outlineStyle").await;
    assert_ne!(outline, "none", "a focused control shows where focus is");

    // The tabs are a tab list: arrow keys move between them.
    focus(&session, "[data-tab=findings]").await;
    session.press(Key::Right.into()).await;
    assert_eq!(active(&session, "dataset.tab").await, "reachability");
    assert_eq!(active(&session, "getAttribute('aria-selected')").await, "true");
    session.close().await;
}

async fn focus(session: &Session, selector: &str) {
    session.wait_for(selector).await;
    session.client.execute("document.querySelector(arguments[0]).focus();", vec![Value::from(selector)]).await.unwrap();
}

/// A property of the focused element, as text (`expression` is evaluated on it).
async fn active(session: &Session, expression: &str) -> String {
    let script = format!("const e = document.activeElement; return e ? String(e.{expression}) : '';");
    let value = session.client.execute(&script, vec![]).await.unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

/// Runs axe-core on the page as it is; the serious and critical violations, each as a
/// line naming the state, the rule, its help text and the offending elements.
async fn violations(session: &Session, state: &str) -> Vec<String> {
    let axe =
        std::env::var_os("AXE_CORE").expect("AXE_CORE is not set: run the end-to-end tests with `cargo xtask test`");
    let source = std::fs::read_to_string(&axe).expect("axe-core's script is readable");
    session.client.execute(&format!("{source}\n;return true;"), vec![]).await.expect("axe-core loads");
    let run = "const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
            .then(result => done(result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                    + v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', '))))
            .catch(error => done(['axe failed: ' + error]));";
    let found = session.client.execute_async(run, vec![]).await.expect("axe-core runs");
    found.as_array().into_iter().flatten().filter_map(Value::as_str).map(|line| format!("{state}: {line}")).collect()
}
