//! The page on small and large windows: it never scrolls sideways, the toolbar's end stays
//! in view, the tabs keep to one line, and the palette, the inspector and the panel fold
//! away or grow as the user asks.

use moat_e2e::Session;
use serde_json::Value;

/// What a person sees of the page's layout, measured in the browser.
const MEASURE: &str = "
    const right = (s) => { const n = document.querySelector(s); return n ? n.getBoundingClientRect().right : -1; };
    const tabs = [...document.querySelectorAll('.panel .tab')].map((t) => t.getBoundingClientRect().height);
    return {
        scroll: document.documentElement.scrollWidth - window.innerWidth,
        width: window.innerWidth,
        ends: [right('[data-testid=design-title]'), right('[data-testid=finding-counts]'), right('[data-action=lang]')],
        title: document.querySelector('[data-testid=design-title]').getBoundingClientRect().width,
        tallestTab: Math.max(...tabs),
        palette: document.querySelector('.palette').classList.contains('folded'),
        canvas: document.querySelector('[data-testid=canvas]').getBoundingClientRect().width,
    };";

async fn measure(session: &Session) -> Value {
    session.client.execute(MEASURE, vec![]).await.expect("the layout is measured")
}

/// Measures until `done` holds or two seconds have passed; returns the last measure.
async fn measure_until(session: &Session, done: impl Fn(&Value) -> bool) -> Value {
    let start = std::time::Instant::now();
    loop {
        let seen = measure(session).await;
        if done(&seen) || start.elapsed() > std::time::Duration::from_secs(2) {
            return seen;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

fn assert_fits(what: &str, seen: &Value) {
    assert_eq!(seen["scroll"], Value::from(0), "{what}: no sideways scroll: {seen}");
    let width = seen["width"].as_f64().unwrap();
    for end in seen["ends"].as_array().unwrap() {
        let end = end.as_f64().unwrap();
        assert!(end > 0.0 && end <= width, "{what}: the toolbar's end is in view: {seen}");
    }
    assert!(seen["tallestTab"].as_f64().unwrap() < 40.0, "{what}: each tab on one line: {seen}");
}

#[tokio::test(flavor = "current_thread")]
async fn small_windows_never_scroll_sideways_and_the_sides_fold() {
    let session = Session::open().await;
    for (width, height) in [(1024, 700), (1280, 720)] {
        session.resize_window(width, height).await;
        assert_fits(&format!("{width}×{height}"), &measure(&session).await);
    }
    // On a 1024 px window the palette shows icons only; the user can open it. The app folds
    // it when the window's resize event reaches it, a frame or more after the resize.
    session.resize_window(1024, 700).await;
    let seen = measure_until(&session, |seen| seen["palette"] == Value::Bool(true)).await;
    assert_eq!(seen["palette"], Value::Bool(true), "{seen}");
    let canvas = seen["canvas"].as_f64().unwrap();
    assert!(canvas >= 600.0, "the canvas keeps most of the window: {seen}");
    session.screenshot("layout-en-1024").await;
    session.click("[data-action=fold-palette]").await;
    assert_eq!(measure(&session).await["palette"], Value::Bool(false));
    session.click("[data-action=fold-palette]").await;
    assert_eq!(measure(&session).await["palette"], Value::Bool(true));

    // The inspector folds to a strip, and opens again.
    session.click("[data-action=fold-inspector]").await;
    let wider = measure(&session).await["canvas"].as_f64().unwrap();
    assert!(wider > canvas + 200.0, "folding the inspector gives the canvas its room: {wider} against {canvas}");
    session.click("[data-action=fold-inspector]").await;
    session.wait_for("[data-testid=inspector] .field").await;

    // The panel grows, folds to its tabs, and a tab opens it again.
    let panel = || async { session.rect("[data-testid=analysis]").await.3 };
    let normal = panel().await;
    session.click("[data-action=panel-grow]").await;
    assert!(panel().await > normal + 100.0, "the panel is larger");
    session.click("[data-action=panel-fold]").await;
    assert!(panel().await < 60.0, "folded to its tabs");
    session.click("[data-tab=estimates]").await;
    assert!((panel().await - normal).abs() < 2.0, "a tab opens it again");
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_japanese_page_fits_small_and_large_windows() {
    let session = Session::open_in("ja").await;
    session.resize_window(1440, 900).await;
    let seen = measure_until(&session, |seen| seen["palette"] == Value::Bool(false)).await;
    session.screenshot("layout-ja-1440").await;
    assert_fits("ja 1440×900", &seen);
    assert!(seen["title"].as_f64().unwrap() >= 150.0, "the title has room to be read: {seen}");
    assert_eq!(seen["palette"], Value::Bool(false), "a large window shows the palette's names");
    session.resize_window(1024, 700).await;
    assert_fits("ja 1024×700", &measure(&session).await);
    session.screenshot("layout-ja-1024").await;
    session.close().await;
}
