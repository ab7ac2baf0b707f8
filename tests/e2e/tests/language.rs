//! The interface in Japanese and English: `?lang=` chooses, the toolbar's language button
//! switches and is remembered, a Japanese browser starts in Japanese, and `<html lang>`
//! follows.

use std::time::{Duration, Instant};

use moat_e2e::Session;
use moat_model::rules::i18n::{self, Lang};

async fn html_lang(session: &Session) -> String {
    let value = session.client.execute("return document.documentElement.lang;", vec![]).await.unwrap();
    value.as_str().unwrap_or_default().to_owned()
}

/// Opens the app at its address with `query` (`?lang=ja`, or nothing).
async fn visit(session: &Session, query: &str) {
    session.client.goto(&format!("{}{query}", session.url)).await.expect("the app loads");
    session.wait_for("[data-testid=canvas]").await;
}

/// Waits until the text of `selector` is `expected` (the app re-renders asynchronously).
async fn wait_text(session: &Session, selector: &str, expected: &str) {
    let start = Instant::now();
    loop {
        let text = session.text(selector).await;
        if text == expected {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{selector} shows {text:?}, not {expected:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn ha_01(lang: Lang) -> &'static str {
    i18n::title(moat_model::rules::rule("HA-01").expect("HA-01 is in the catalogue"), lang)
}

#[tokio::test(flavor = "current_thread")]
async fn the_interface_is_japanese_or_english_and_the_choice_is_remembered() {
    let session = Session::open().await;
    assert_eq!(html_lang(&session).await, "en", "an English browser starts in English");
    assert_eq!(session.text("[data-action=new]").await, "New");

    // ?lang=ja: the toolbar, tabs, palette, inspector and findings in Japanese.
    visit(&session, "?lang=ja").await;
    assert_eq!(html_lang(&session).await, "ja");
    wait_text(&session, "[data-action=new]", "新規").await;
    assert_eq!(session.text("[data-action=save]").await, "保存");
    assert_eq!(session.text("[data-action=export]").await, "エクスポート");
    assert_eq!(session.text("[data-action=lang]").await, "English", "the button names the other language");
    assert_eq!(session.text("[data-tab=estimates]").await, "見積もり");
    assert_eq!(session.text("[data-tab=outline]").await, "アウトライン");
    assert!(session.text("[data-tab=findings]").await.starts_with("検出結果: エラー "));
    assert!(session.text("[data-palette-kind=vnet]").await.contains("仮想ネットワーク"));
    assert!(session.text("[data-palette-kind=nsg]").await.contains("ネットワーク セキュリティ グループ"));
    assert!(session.text("[data-testid=inspector]").await.contains("タイトル"), "the design's fields");

    // One web VM: HA-01 fires, its title in Japanese from the rule catalogue's translation.
    session.click("[data-tab=findings]").await;
    let (x, y, w, h) = session.rect("[data-element-id=web] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "仮想マシン 2 台");
    session.type_into("[data-field=count]", "1").await;
    let summary = "[data-finding-rule=HA-01][data-finding-element=web] summary";
    wait_text(&session, summary, ha_01(Lang::Ja)).await;
    assert_eq!(session.text("[data-finding-rule=HA-01][data-finding-element=web] .badge").await, "警告");
    session.screenshot("language-japanese").await;

    // The button switches to English and remembers it.
    session.click("[data-action=lang]").await;
    wait_text(&session, "[data-action=new]", "New").await;
    assert_eq!(html_lang(&session).await, "en");
    assert_eq!(session.text("[data-action=lang]").await, "日本語");
    assert_eq!(session.text(summary).await, ha_01(Lang::En));
    assert_eq!(session.local_storage("moat.lang").await.as_deref(), Some("en"));

    // A reload keeps the choice, and so does the bare address.
    session.client.refresh().await.expect("the page reloads");
    session.wait_for("[data-testid=canvas]").await;
    wait_text(&session, "[data-action=new]", "New").await;
    assert_eq!(html_lang(&session).await, "en");
    visit(&session, "").await;
    wait_text(&session, "[data-action=new]", "New").await;

    // Back to Japanese with the button: kept on the bare address; ?lang=en overrides it.
    session.click("[data-action=lang]").await;
    wait_text(&session, "[data-action=new]", "新規").await;
    visit(&session, "").await;
    wait_text(&session, "[data-action=new]", "新規").await;
    assert_eq!(html_lang(&session).await, "ja");
    visit(&session, "?lang=en").await;
    wait_text(&session, "[data-action=new]", "New").await;
    assert_eq!(html_lang(&session).await, "en");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_japanese_browser_starts_in_japanese() {
    let session = Session::open_in("ja").await;
    wait_text(&session, "[data-action=new]", "新規").await;
    assert_eq!(html_lang(&session).await, "ja");
    assert_eq!(session.text("[data-tab=estimates]").await, "見積もり");
    session.close().await;
}
