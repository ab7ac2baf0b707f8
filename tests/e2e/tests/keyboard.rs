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
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Virtual machine");
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

/// Which keys the page took from the browser: a listener added after the app's sees each
/// key with `defaultPrevented` set when the app took it.
const RECORD_KEYS: &str = "
    window.__keys = [];
    window.addEventListener('keydown', (e) => window.__keys.push(
        [(e.ctrlKey ? 'Ctrl+' : '') + e.key, e.defaultPrevented, e.target.tagName]));
";

#[tokio::test(flavor = "current_thread")]
async fn shortcuts_take_their_keys_from_the_browser_but_not_from_a_field() {
    use fantoccini::key::Key;
    let session = Session::open().await;
    session.client.execute(RECORD_KEYS, vec![]).await.expect("keys are recorded");
    // On the canvas: select the web VMs, then the shortcuts.
    session.click("[data-element-id=web]").await;
    for key in ['a', 'd', 's', 'z'] {
        session.shortcut(key, false).await;
    }
    session.press(Key::Right.into()).await;
    session.press(Key::Escape.into()).await;
    // Ctrl+A selected the design, not the page's text.
    let selected = session.client.execute("return String(window.getSelection());", vec![]).await.unwrap();
    assert_eq!(selected, "", "no page text is selected");
    // In a field, Ctrl+A selects the field's text, as it always does.
    session.click("[data-field=\"meta.title\"]").await;
    session.shortcut('a', false).await;
    let keys = session.client.execute("return window.__keys;", vec![]).await.expect("the keys are read");
    let keys: Vec<(String, bool, String)> = serde_json::from_value(keys).expect("a list of keys");
    let taken = |key: &str, on: &str| keys.iter().find(|k| k.0 == key && k.2 == on).map(|k| k.1);
    for key in ["Ctrl+a", "Ctrl+d", "Ctrl+s", "Ctrl+z", "ArrowRight", "Escape"] {
        assert_eq!(taken(key, "BODY").or(taken(key, "g")), Some(true), "{key} is the app's: {keys:?}");
    }
    assert_eq!(taken("Ctrl+a", "INPUT"), Some(false), "Ctrl+A in a field is the field's: {keys:?}");
    // `close` fails on a console error, such as a listener unable to take a key.
    session.close().await;
}

/// Whether box `inner` (x, y, w, h) lies whole in `outer`.
fn inside(outer: (f64, f64, f64, f64), inner: (f64, f64, f64, f64)) -> bool {
    inner.0 >= outer.0
        && inner.1 >= outer.1
        && inner.0 + inner.2 <= outer.0 + outer.2
        && inner.1 + inner.3 <= outer.1 + outer.3
}

#[tokio::test(flavor = "current_thread")]
async fn what_the_keyboard_adds_or_moves_stays_in_view() {
    use fantoccini::key::Key;
    let session = Session::open().await;
    // Zoomed in, the design is larger than the canvas.
    for _ in 0..4 {
        session.click("[data-action=zoom-in]").await;
    }
    session.client.execute("document.querySelector('[data-element-id=\"data-snet\"]').focus();", vec![]).await.unwrap();
    session.press(Key::Enter.into()).await;
    session.client.execute("document.querySelector('[data-palette-kind=\"vm\"]').focus();", vec![]).await.unwrap();
    session.press(Key::Enter.into()).await;
    let added = "[data-element-id=vm-1] > rect.body";
    session.wait_for(added).await;
    let canvas = session.rect("[data-testid=canvas]").await;
    assert!(inside(canvas, session.rect(added).await), "the new VM is on screen");
    assert!(
        inside(session.rect("[data-element-id=data-snet] > rect.body").await, session.rect(added).await),
        "in its subnet"
    );
    // Shift+arrows move it far; the view follows.
    session.client.execute("document.querySelector('[data-element-id=\"vm-1\"]').focus();", vec![]).await.unwrap();
    for _ in 0..40 {
        session.client.execute(
            "window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', shiftKey: true, bubbles: true }));",
            vec![],
        ).await.unwrap();
    }
    assert!(inside(canvas, session.rect(added).await), "the moved VM is still on screen");
    session.screenshot("keyboard-view-follows").await;
    session.close().await;
}

/// What has the keyboard's focus: its `data-action`, `data-palette-kind`, `data-field` or
/// `data-element-id`, or its id.
async fn focused(session: &Session) -> String {
    let script = "const e = document.activeElement; return e.dataset.action || e.dataset.paletteKind
        || e.dataset.field || e.dataset.elementId || e.id || e.tagName;";
    session.client.execute(script, vec![]).await.expect("the focus is read").as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn the_keyboard_reaches_every_part_links_elements_and_lists_its_shortcuts() {
    use fantoccini::key::Key;
    let session = Session::open().await;
    // The first Tab reaches the skip link; Enter goes to the canvas.
    session.press(Key::Tab.into()).await;
    assert_eq!(focused(&session).await, "skip-to-canvas");
    session.press(Key::Enter.into()).await;
    assert!(session.exists("g[data-element-id]:focus").await, "an element of the canvas: {}", focused(&session).await);
    // Alt+1, Alt+3, Alt+2: the palette, the inspector, the canvas.
    for (digit, place) in [('1', "palette"), ('3', "inspector"), ('2', "canvas")] {
        let script = format!(
            "window.dispatchEvent(new KeyboardEvent('keydown', {{ key: '{digit}', code: 'Digit{digit}', altKey: true, bubbles: true }}));"
        );
        session.client.execute(&script, vec![]).await.unwrap();
        let here = focused(&session).await;
        let inside = match place {
            "palette" => "[data-palette-kind]:focus",
            "inspector" => "[data-testid=inspector] :focus",
            _ => "g[data-element-id]:focus",
        };
        assert!(session.exists(inside).await, "Alt+{digit} reaches the {place}: {here}");
    }

    // Connect: the NSG of the business tier, linked by keyboard to the data subnet.
    session.client.execute("document.querySelector('[data-element-id=\"nsg-biz\"]').focus();", vec![]).await.unwrap();
    session.press(Key::Enter.into()).await;
    session.press('l').await;
    session.wait_for("[data-testid=connect-picker]").await;
    assert_eq!(focused(&session).await, "connect-target", "the list takes the focus");
    session.wait_for("#connect-target").await.select_by_value("data-snet").await.unwrap();
    session.press(Key::Enter.into()).await;
    session.wait_gone("[data-testid=connect-picker]").await;
    session.client.execute("document.querySelector('[data-element-id=\"data-snet\"]').focus();", vec![]).await.unwrap();
    session.press(Key::Enter.into()).await;
    session.wait_for("[data-field=nsg]").await;
    let nsg = session.client.execute("return document.querySelector('[data-field=nsg]').value;", vec![]).await.unwrap();
    assert_eq!(nsg, "nsg-biz", "the NSG drawn to the subnet by keyboard protects it");
    // The inspector's Connect button opens the same list.
    session.click("[data-action=connect]").await;
    session.wait_for("[data-testid=connect-picker]").await;
    session.press(Key::Escape.into()).await;
    session.click("[data-action=cancel-connect]").await;
    session.wait_gone("[data-testid=connect-picker]").await;

    // ? shows the shortcuts; Escape hides them.
    session.client.execute("document.querySelector('[data-element-id=\"web\"]').focus();", vec![]).await.unwrap();
    session.press('?').await;
    let sheet = session.text("[data-testid=shortcuts]").await;
    assert!(sheet.contains("Keyboard shortcuts") && sheet.contains("Link the selected element to another"), "{sheet}");
    session.screenshot("keyboard-shortcut-sheet").await;
    session.press(Key::Escape.into()).await;
    session.wait_gone("[data-testid=shortcuts]").await;
    session.close().await;
}
