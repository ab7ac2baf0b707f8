//! Exports and share links as a person uses them.

use moat_e2e::Session;
use serde_json::json;

async fn export(session: &Session, format: &str, extension: &str) -> (String, Vec<u8>) {
    session.click("[data-action=export]").await;
    session.click(&format!("[data-export={format}]")).await;
    session.downloaded_file(extension).await
}

#[tokio::test(flavor = "current_thread")]
async fn the_design_is_exported_as_pictures_diagrams_code_and_a_review_report() {
    let session = Session::open().await;
    let (name, svg) = export(&session, "svg", "svg").await;
    assert_eq!(name, "Three-tier-app-in-one-region.svg");
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("data-element-id=\"web\""), "{}", &svg[..200.min(svg.len())]);

    let (name, png) = export(&session, "png", "png").await;
    assert_eq!(name, "Three-tier-app-in-one-region.png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");

    // The format's JSON Schema: the file the site publishes.
    let (name, schema) = export(&session, "json-schema", "schema.json").await;
    assert_eq!(name, "design.schema.json");
    assert_eq!(String::from_utf8(schema).unwrap(), moat_model::export::schema::PUBLISHED);

    let (_, report) = export(&session, "report", "review.html").await;
    let report = String::from_utf8(report).unwrap();
    assert!(
        report.contains("<h1>Design review: Three-tier app in one region</h1>") && report.contains("<h2>Findings</h2>"),
        "{}",
        &report[..400.min(report.len())]
    );
    // Its findings say how to fix them, in texts the app reads from its site.
    let fix = moat_model::rules::rule("NET-10").unwrap().fix;
    assert!(report.contains(&fix[..50]), "the report quotes the fix of NET-10: {fix}");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_share_link_carries_the_design_and_asks_before_replacing_work() {
    let session = Session::open().await;
    session.type_into("[data-field=\"meta.title\"]", "Shared one").await;
    // Share copies the link and says so.
    let origin = session.url.trim_end_matches('/').to_owned();
    let permissions = json!({ "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": origin });
    session.cdp("Browser.grantPermissions", permissions).await;
    session.click("[data-action=share]").await;
    session.wait_for("[data-testid=hint]").await;
    assert!(session.text("[data-testid=hint]").await.starts_with("Share link copied to the clipboard"));
    let link = session.client.current_url().await.unwrap().to_string();
    assert!(link.contains("#design="), "{link}");
    let copied = session
        .client
        .execute_async(
            "const done = arguments[0]; navigator.clipboard.readText().then(done, (e) => done(String(e)));",
            vec![],
        )
        .await
        .expect("the clipboard is read");
    assert_eq!(copied.as_str(), Some(link.as_str()), "the clipboard holds the link");

    // Later work is autosaved; opening the link offers the shared design instead of forcing it.
    session.press(fantoccini::key::Key::Escape.into()).await;
    session.type_into("[data-field=\"meta.title\"]", "Changed later").await;
    session.wait_for("[data-testid=save-state]:not(.pending)").await;
    session.client.goto("about:blank").await.unwrap();
    session.client.goto(&link).await.unwrap();
    session.wait_for("[data-testid=share-offer]").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Changed later");
    session.click("[data-action=open-shared]").await;
    session.wait_gone("[data-testid=share-offer]").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Shared one");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_share_link_the_browser_will_not_copy_is_offered_to_copy_by_hand() {
    let session = Session::open().await;
    session
        .client
        .execute(
            "navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));",
            vec![],
        )
        .await
        .expect("the clipboard refuses");
    session.click("[data-action=share]").await;
    session.wait_for("[data-testid=share-link]").await;
    let link = session.client.current_url().await.unwrap().to_string();
    let shown = session
        .client
        .execute(
            "const input = document.querySelector('[data-testid=share-link] input');
             return [input.value, document.activeElement === input, input.selectionStart, input.selectionEnd];",
            vec![],
        )
        .await
        .expect("the link is read");
    assert_eq!(shown[0].as_str(), Some(link.as_str()), "the banner shows the link");
    assert_eq!(shown[1], json!(true), "the link is focused, to be copied at once");
    assert_eq!((shown[2].as_u64(), shown[3].as_u64()), (Some(0), Some(link.len() as u64)), "and selected whole");
    assert!(session.text("[data-testid=share-link]").await.contains("did not let Moat copy"));
    session.screenshot("share-link-by-hand").await;
    session.click("[data-action=close-share]").await;
    session.wait_gone("[data-testid=share-link]").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_link_packed_outside_the_browser_opens_and_a_damaged_one_is_named() {
    // The CLI's and earlier versions' links are packed by miniz_oxide; the browser unpacks
    // with its own DecompressionStream: the same raw deflate.
    let mut design =
        moat_model::format::load(include_str!("../../../assets/examples/n-tier.moat.json")).unwrap().design;
    design.meta.title = "Packed natively".to_owned();
    let fragment = moat_model::share::encode(&design);
    let session = Session::open().await;
    // Each link is opened as a new page: a change of fragment alone loads nothing.
    let open = |fragment: String| {
        let (client, url) = (session.client.clone(), session.url.clone());
        async move {
            client.goto("about:blank").await.unwrap();
            client.goto(&format!("{url}#{fragment}")).await.unwrap();
        }
    };
    open(fragment).await;
    assert_eq!(session.text_once("[data-testid=design-title]", "Packed natively").await, "Packed natively");

    open("design=AAAA".to_owned()).await;
    let shown = session.text("[data-testid=error]").await;
    assert!(shown.contains("the link's design is damaged (not deflate data)"), "{shown}");

    // A link that would unpack past 64 MiB is refused, not unpacked.
    let zeros = vec![b' '; moat_model::share::MAX_UNPACKED + 1];
    let bomb = moat_model::share::fragment_of(&miniz_oxide::deflate::compress_to_vec(&zeros, 9));
    open(bomb).await;
    let shown = session.text("[data-testid=error]").await;
    assert!(shown.contains("the link's design is damaged (not deflate data)"), "{shown}");
    session.close().await;
}
