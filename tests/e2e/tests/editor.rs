//! The editor as a person uses it: drag from the palette, edit fields, connect, undo,
//! save, reload, open files.

use moat_e2e::{Session, TempDir};

/// Starts from a blank design.
async fn blank() -> Session {
    let session = Session::open().await;
    session.click("[data-action=new]").await;
    session.wait_gone("[data-element-id]").await;
    session
}

async fn box_center(session: &Session, id: &str) -> (f64, f64) {
    session.center(&format!("[data-element-id=\"{id}\"] > rect.body")).await
}

/// A point just inside the top-left corner of a container (its title bar), which selects
/// the container and not what it holds.
async fn title_of(session: &Session, id: &str) -> (f64, f64) {
    let (x, y, _, _) = session.rect(&format!("[data-element-id=\"{id}\"] > rect.body")).await;
    (x + 6.0, y + 6.0)
}

async fn drop_from_palette(session: &Session, kind: &str, at: (f64, f64)) {
    session.drag(&format!("[data-palette-kind={kind}]"), at).await;
}

fn inside(outer: (f64, f64, f64, f64), inner: (f64, f64, f64, f64)) -> bool {
    outer.0 <= inner.0
        && outer.1 <= inner.1
        && inner.0 + inner.2 <= outer.0 + outer.2
        && inner.1 + inner.3 <= outer.1 + outer.3
}

/// region-1 ⊃ vnet-1 ⊃ subnet-1 ⊃ vm-1, each dragged from the palette into the last.
async fn build_tiers(session: &Session) {
    let canvas = session.center("[data-testid=canvas]").await;
    drop_from_palette(session, "region", canvas).await;
    session.wait_for("[data-element-id=region-1]").await;
    drop_from_palette(session, "vnet", box_center(session, "region-1").await).await;
    session.wait_for("[data-element-id=vnet-1]").await;
    drop_from_palette(session, "subnet", box_center(session, "vnet-1").await).await;
    session.wait_for("[data-element-id=subnet-1]").await;
    drop_from_palette(session, "vm", box_center(session, "subnet-1").await).await;
    session.wait_for("[data-element-id=vm-1]").await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_design_is_built_by_dragging_from_the_palette_and_edited_in_the_inspector() {
    let session = blank().await;
    build_tiers(&session).await;

    let boxes = |id: &'static str| format!("[data-element-id=\"{id}\"] > rect.body");
    let (region, vnet) = (session.rect(&boxes("region-1")).await, session.rect(&boxes("vnet-1")).await);
    let (subnet, vm) = (session.rect(&boxes("subnet-1")).await, session.rect(&boxes("vm-1")).await);
    assert!(
        inside(region, vnet) && inside(vnet, subnet) && inside(subnet, vm),
        "each element is drawn in its container"
    );
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Virtual machine", "the dropped VM is selected");

    // A VM dropped outside any subnet is not refused: it is offered containers of its own,
    // or the nearest subnet. Nothing is added until the user chooses.
    let (x, y, _, h) = region;
    drop_from_palette(&session, "vm", (x + 12.0, y + h - 12.0)).await;
    let offer = session.text("[data-testid=drop-offer]").await;
    assert!(offer.contains("Virtual machines cannot stand here."), "{offer}");
    assert!(offer.contains("Create Virtual network, Subnet for it here"), "{offer}");
    assert!(!session.exists("[data-element-id=vm-2]").await);
    session.screenshot("editor-drop-offer").await;
    session.click("[data-testid=drop-offer] [data-action=place-nearest]").await;
    session.wait_for("[data-element-id=vm-2]").await;
    let (vm2, subnet) = (session.rect(&boxes("vm-2")).await, session.rect(&boxes("subnet-1")).await);
    assert!(inside(subnet, vm2), "the VM went into the nearest subnet");
    session.click("[data-action=undo]").await;
    session.wait_gone("[data-element-id=vm-2]").await;

    // Edit the VM: size and count show on the canvas.
    session.click_at(box_center(&session, "vm-1").await).await;
    // A size Moat does not know is kept, with a note that its cost is unknown.
    session.type_into("[data-field=size]", "D4s").await;
    session.wait_for("[data-testid=size-unknown]").await;
    // The sizes are offered with their vCPUs, memory and price where the VM runs.
    let offered = session.count("datalist[id^=sizes-] option").await;
    assert!(offered > 100, "{offered} sizes offered");
    session.type_into("[data-field=size]", "Standard_D4s_v5").await;
    session.wait_gone("[data-testid=size-unknown]").await;
    let summary = session.text("[data-testid=size-summary]").await;
    assert!(summary.starts_with("4 vCPUs · 16 GiB · ") && summary.contains(" a month"), "{summary}");
    session.type_into("[data-field=count]", "2").await;
    let vm_text = session.read_element("vm-1").await;
    assert!(vm_text.contains("Standard_D4s_v5 ×2"), "{vm_text}");
    assert_eq!(session.text("[data-testid=inspector-title]").await, "2 virtual machines");
    // Zones are three toggles; the fields stand in groups.
    session.click("[data-field=zones] [data-zone=\"3\"]").await;
    session.wait_for("[data-field=zones] [data-zone=\"3\"][aria-pressed=true]").await;
    assert!(session.exists("fieldset[data-group=compute] [data-field=size]").await);
    assert!(session.exists("fieldset[data-group=protection] [data-field=\"diskEncryption.enabled\"]").await);
    session.screenshot("editor-vm-inspector").await;

    // A prefix with host bits is refused inline and the subnet keeps its prefix.
    session.click_at(title_of(&session, "subnet-1").await).await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Subnet");
    session.type_into("[data-field=prefix]", "10.0.0.5/24").await;
    let error = session.text("[data-field-error=prefix]").await;
    assert_eq!(error, "\"10.0.0.5/24\" is not a network address; did you mean 10.0.0.0/24?");
    assert!(session.read_element("subnet-1").await.contains("10.0.0.0/24"));
    session.screenshot("editor-built-by-dragging").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn vnets_are_peered_by_dragging_undone_redone_saved_and_restored_on_reload() {
    let session = blank().await;
    let canvas = session.center("[data-testid=canvas]").await;
    drop_from_palette(&session, "region", canvas).await;
    let (x, y, w, h) = session.rect("[data-element-id=region-1] > rect.body").await;
    drop_from_palette(&session, "vnet", (x + w * 0.3, y + h / 2.0)).await;
    session.wait_for("[data-element-id=vnet-1]").await;
    let (x, y, w, h) = session.rect("[data-element-id=region-1] > rect.body").await;
    drop_from_palette(&session, "vnet", (x + w - 20.0, y + h / 2.0)).await;
    session.wait_for("[data-element-id=vnet-2]").await;

    // Select vnet-1 and drag its connection handle onto vnet-2: a peering is the only link
    // that joins two VNets.
    session.click_at(title_of(&session, "vnet-1").await).await;
    session.drag("[data-handles-for=vnet-1] [data-handle=connect]", title_of(&session, "vnet-2").await).await;
    session.wait_for("[data-link-id=peering-1][data-kind=peering]").await;
    session.screenshot("editor-peered").await;

    session.click("[data-action=undo]").await;
    session.wait_gone("[data-link-id=peering-1]").await;
    session.click("[data-action=redo]").await;
    session.wait_for("[data-link-id=peering-1]").await;
    session.click_at(canvas).await;
    session.shortcut('z', false).await;
    session.wait_gone("[data-link-id=peering-1]").await;
    session.shortcut('z', true).await;
    session.wait_for("[data-link-id=peering-1]").await;

    // Save: the downloaded file is the design on screen. Escape deselects, and the
    // inspector shows the design's own fields.
    session.press(fantoccini::key::Key::Escape.into()).await;
    session.type_into("[data-field=\"meta.title\"]", "Peered VNets").await;
    session.click("[data-action=export]").await;
    session.click("[data-export=json]").await;
    let (name, text) = session.downloaded().await;
    assert_eq!(name, "Peered-VNets.moat.json");
    let saved = moat_model::load(&text).expect("the saved file loads").design;
    assert_eq!(saved.meta.title, "Peered VNets");
    let ids: Vec<&str> = saved.elements.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["region-1", "vnet-1", "vnet-2"]);
    let link = saved.link("peering-1").expect("the peering is saved");
    assert_eq!((link.from.as_str(), link.to.as_str()), ("vnet-1", "vnet-2"));
    assert!(moat_model::check(&saved).is_empty(), "{:?}", moat_model::check(&saved));

    // Autosave holds the same design, and a reload restores it.
    session.wait_for("[data-testid=save-state]:not(.pending)").await;
    let autosaved = session.local_storage("moat.autosave").await.expect("an autosave");
    assert_eq!(moat_model::load(&autosaved).unwrap().design, saved);
    session.client.refresh().await.expect("the page reloads");
    session.wait_for("[data-link-id=peering-1]").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Peered VNets");
    session.screenshot("editor-restored-after-reload").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_broken_file_is_refused_by_name_and_the_design_and_autosave_stay() {
    let session = Session::open().await;
    // Make a change so the design is autosaved.
    session.click_at(title_of(&session, "web-snet").await).await;
    session.type_into("[data-field=name]", "Web tier").await;
    session.wait_for("[data-testid=save-state]:not(.pending)").await;
    let autosaved = session.local_storage("moat.autosave").await.expect("an autosave");

    let folder = TempDir::new("moat-e2e-files");
    let broken = folder.0.join("broken.moat.json");
    std::fs::write(&broken, "{\n  \"format\": \"moat-design\",\n  \"version\": 1,\n  \"elements\": [ oops ]\n}\n")
        .unwrap();
    let input = session.wait_for("input[data-action=open-file]").await;
    input.send_keys(broken.to_str().unwrap()).await.expect("the file is chosen");
    let error = session.text("[data-testid=error]").await;
    assert!(error.starts_with("broken.moat.json: not valid JSON at line 4, column 17"), "{error}");
    assert!(session.text("[data-element-id=web-snet]").await.contains("Web tier"), "the design is untouched");
    assert_eq!(session.local_storage("moat.autosave").await, Some(autosaved));
    session.screenshot("editor-broken-file").await;

    // A good file opens, and Undo brings the previous design back.
    let good = folder.0.join("small.moat.json");
    let design = r#"{ "format": "moat-design", "version": 1, "meta": { "title": "Small" },
        "elements": [ { "id": "neu", "kind": "region", "location": "northeurope" } ] }"#;
    std::fs::write(&good, design).unwrap();
    input.send_keys(good.to_str().unwrap()).await.expect("the file is chosen");
    session.wait_for("[data-element-id=neu]").await;
    assert!(!session.exists("[data-testid=error]").await);
    assert_eq!(session.text("[data-testid=design-title]").await, "Small");
    session.click("[data-action=undo]").await;
    session.wait_for("[data-element-id=web-snet]").await;
    session.close().await;
}

async fn value_of(session: &Session, selector: &str) -> String {
    session.wait_for(selector).await;
    let script = "return document.querySelector(arguments[0]).value;";
    let value = session.client.execute(script, vec![serde_json::Value::from(selector)]).await.unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn nsg_rules_are_edited_in_their_table_and_the_canvas_is_edited_by_hand_and_keyboard() {
    let session = Session::open().await;

    // The NSG's rules: add one, give it a priority, sort, remove one.
    session.click_at(box_center(&session, "nsg-web").await).await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Network security group");
    assert_eq!(session.count("[data-table=rules] .row-card").await, 5);
    session.click("[data-table=rules] [data-action=add-row]").await;
    session.wait_for("[data-field=\"rules.5.priority\"]").await;
    assert_eq!(value_of(&session, "[data-field=\"rules.5.name\"]").await, "rule-6");
    session.type_into("[data-field=\"rules.5.priority\"]", "150").await;
    session.click("[data-table=rules] [data-action=sort-rows]").await;
    let first = value_of(&session, "[data-field=\"rules.0.name\"]").await;
    assert_eq!(first, "rule-6", "inbound rules come first, by priority");
    let nsg_text = session.read_element("nsg-web").await;
    assert!(nsg_text.contains("6 rules"), "{nsg_text}");
    session.click("[data-table=rules] [data-row=\"0\"] [data-action=remove-row]").await;
    session.wait_gone("[data-field=\"rules.5.name\"]").await;
    assert!(session.read_element("nsg-web").await.contains("5 rules"));

    // Delete with the keyboard, and undo.
    session.click_at(box_center(&session, "web-lb").await).await;
    session.press(fantoccini::key::Key::Delete.into()).await;
    session.wait_gone("[data-element-id=web-lb]").await;
    session.shortcut('z', false).await;
    session.wait_for("[data-element-id=web-lb]").await;

    // Resize a subnet by its handle.
    session.click_at(title_of(&session, "web-snet").await).await;
    let (_, _, w, h) = session.rect("[data-element-id=web-snet] > rect.body").await;
    let handle = session.center("[data-handle=resize]").await;
    session.drag_between(handle, (handle.0 + 60.0, handle.1 + 30.0)).await;
    let (_, _, w2, h2) = session.rect("[data-element-id=web-snet] > rect.body").await;
    assert!(w2 > w + 30.0 && h2 > h + 15.0, "{w}x{h} grew to {w2}x{h2}");

    // Zoom in with the toolbar.
    let zoom = session.text("[data-testid=zoom]").await;
    session.click("[data-action=zoom-in]").await;
    let zoomed = session.text("[data-testid=zoom]").await;
    let percent = |text: &str| text.trim_end_matches('%').parse::<f64>().unwrap();
    assert!(percent(&zoomed) > percent(&zoom), "{zoom} → {zoomed}");
    session.screenshot("editor-nsg-rules").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn new_starts_blank_and_a_template_starts_a_design() {
    let session = blank().await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Untitled design");
    // The blank canvas says how to start.
    assert!(session.text("[data-testid=blank-hint]").await.starts_with("Drag a region from the palette"));
    session.screenshot("editor-blank-hint").await;
    session.click("[data-action=template]").await;
    session.wait_for("[data-testid=template-menu] [data-template=n-tier] img.thumbnail").await;
    session.click("[data-template=n-tier]").await;
    session.wait_for("[data-element-id=web-snet]").await;
    assert!(!session.exists("[data-testid=blank-hint]").await, "a design hides the hint");
    assert_eq!(session.text("[data-testid=design-title]").await, "Three-tier app in one region");
    assert_eq!(session.text("[data-tab=structure]").await, "Structure: no problems");
    session.click("[data-action=undo]").await;
    session.wait_gone("[data-element-id]").await;

    // Ctrl+S saves the blank design under a default name.
    session.click_at(session.center("[data-testid=canvas]").await).await;
    session.shortcut('s', false).await;
    let (name, text) = session.downloaded().await;
    assert_eq!(name, "design.moat.json");
    assert_eq!(moat_model::load(&text).unwrap().design, moat_model::Design::default());
    session.close().await;
}
