//! Work is never lost: earlier versions can be restored, two tabs do not silently overwrite
//! each other, and a crash leaves the autosave intact with a way to download it.

use moat_e2e::Session;

async fn set_title(session: &Session, title: &str) {
    session.press(fantoccini::key::Key::Escape.into()).await;
    session.type_into("[data-field=\"meta.title\"]", title).await;
    session.wait_for("[data-testid=save-state]:not(.pending)").await;
}

#[tokio::test(flavor = "current_thread")]
async fn earlier_versions_are_kept_and_restored() {
    let session = Session::open().await;
    set_title(&session, "First draft").await;
    set_title(&session, "Second draft").await;
    session.click("[data-action=versions]").await;
    let first = session.text("[data-testid=versions-menu] [data-version=\"0\"]").await;
    assert!(first.ends_with("First draft"), "{first}");
    session.click("[data-testid=versions-menu] [data-version=\"0\"]").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "First draft");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_second_tab_saving_over_this_one_is_noticed() {
    let session = Session::open().await;
    set_title(&session, "Mine").await;
    let first = session.client.window().await.unwrap();
    let second = session.client.new_window(true).await.unwrap().handle;
    session.client.switch_to_window(second).await.unwrap();
    session.client.goto(&session.url).await.unwrap();
    session.wait_for("[data-element-id=web]").await;
    set_title(&session, "Theirs").await;

    session.client.switch_to_window(first).await.unwrap();
    session.wait_for("[data-testid=other-tab]").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Mine", "nothing changes without a choice");
    session.click("[data-action=load-theirs]").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Theirs");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_crash_shows_a_banner_and_leaves_the_autosave_intact() {
    let session = Session::open().await;
    set_title(&session, "Before the crash").await;
    let saved = session.local_storage("moat.autosave").await;
    // As a bug in an event handler would: the error reaches the page uncaught (and the
    // console, as any panic does).
    session.expect_console_error("debug_panic was called");
    session.expect_console_error("Uncaught RuntimeError: unreachable");
    let crash = "setTimeout(() => window.wasmBindings.debug_panic(), 0); return true;";
    session.client.execute(crash, vec![]).await.expect("the crash is triggered");
    let banner = session.text("[data-testid=panic]").await;
    assert!(banner.contains("Your last autosaved design is safe"), "{banner}");
    session.click("[data-testid=panic] [data-action=download-design]").await;
    let (name, text) = session.downloaded().await;
    assert_eq!(name, "moat-autosave.moat.json");
    assert_eq!(Some(text), saved, "the banner offers the autosave the app wrote");
    assert_eq!(session.local_storage("moat.autosave").await, saved);
    session.close().await;
}
