//! Offline and locked down: after one visit the site loads and edits with the server gone,
//! it asks nothing of any other origin, and scripts run only from the site itself.

use moat_e2e::Session;
use serde_json::Value;

#[tokio::test(flavor = "current_thread")]
async fn after_one_visit_moat_works_with_the_network_gone_and_talks_to_no_one_else() {
    let mut session = Session::open().await;

    // The Content-Security-Policy: scripts from the site and the loader's hash only.
    let csp = session
        .client
        .execute("return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content;", vec![])
        .await
        .unwrap();
    let csp = csp.as_str().unwrap().to_owned();
    let scripts = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(
        scripts.contains("'self'") && scripts.contains("'wasm-unsafe-eval'") && scripts.contains("'sha256-"),
        "{csp}"
    );
    assert!(!scripts.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"), "{csp}");

    // Every request the page made went to its own origin.
    let requests = session
        .client
        .execute("return [location.origin, performance.getEntriesByType('resource').map(e => e.name)];", vec![])
        .await
        .unwrap();
    let origin = requests[0].as_str().unwrap();
    let names: Vec<&str> = requests[1].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|n| n.starts_with(origin) || n.starts_with("data:") || n.starts_with("blob:")),
        "{names:?}"
    );

    // The service worker has cached the build.
    let ready = session
        .client
        .execute_async(
            "const done = arguments[0]; navigator.serviceWorker.ready.then(r => caches.keys()).then(k => done(k)).catch(e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        ready.as_array().is_some_and(|keys| keys.iter().any(|k| k.as_str().is_some_and(|k| k.starts_with("moat-")))),
        "{ready}"
    );

    // The network is gone: reload, and the app still opens and edits.
    session.stop_server();
    session.client.refresh().await.expect("the page reloads from the cache");
    session.wait_for("[data-element-id=web]").await;
    session.type_into("[data-field=\"meta.title\"]", "Edited offline").await;
    assert_eq!(session.text("[data-testid=design-title]").await, "Edited offline");
    // The price book, a file of the site read after the first render, comes from the cache too.
    session.click("[data-tab=estimates]").await;
    let total = session.text("[data-testid=cost-total]").await;
    assert!(total.ends_with(" USD") && !total.starts_with("0.00"), "{total}");
    session.close().await;
}
