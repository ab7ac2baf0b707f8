//! The reachability panel as a person uses it: ask, see the path, follow the deciding
//! rule, watch declared flows turn red as the design changes.

use moat_e2e::Session;

async fn choose(session: &Session, selector: &str, value: &str) {
    session
        .wait_for(selector)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{selector} = {value}: {e}"));
}

#[tokio::test(flavor = "current_thread")]
async fn the_panel_answers_shows_the_path_and_follows_flows_live() {
    let session = Session::open().await;
    session.click("[data-tab=reachability]").await;

    // web → db on 1433 is denied at the source by nsg-web.
    choose(&session, "select[data-reach=from]", "web").await;
    choose(&session, "select[data-reach=to]", "db").await;
    session.type_into("input[data-reach=port]", "1433").await;
    assert_eq!(session.text("[data-testid=reach-verdict]").await, "DENY");
    assert_eq!(session.text("[data-testid=reach-path]").await, "web");
    session.click("[data-action=select-decider]").await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Network security group");
    assert!(
        session.text("[data-testid=inspector]").await.contains("nsg-web")
            || session.exists("[data-element-id=nsg-web].selected").await
    );

    // biz (picked on the canvas) → db is allowed, and the path is drawn.
    let (x, y, w, h) = session.rect("[data-element-id=biz] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    session.click("[data-action=from-selection]").await;
    assert_eq!(session.text("[data-testid=reach-verdict]").await, "ALLOW");
    assert_eq!(session.text("[data-testid=reach-path]").await, "biz → db");
    assert_eq!(session.text("[data-testid=reach-return-path]").await, "db → biz");
    session.wait_for("[data-testid=reach-path-line]").await;
    session.wait_for("[data-testid=reach-return-line]").await;
    session.screenshot("reachability-request-and-reply").await;
    session.wait_for("[data-element-id=db].on-path").await;

    // Declared flows: both allowed; moving one to another port denies it, live.
    session.wait_for("[data-flow-id=f-web-biz][data-verdict=allow]").await;
    session.wait_for("[data-flow-id=f-biz-db][data-verdict=allow]").await;
    session.click("[data-flow-id=f-biz-db] button").await;
    session.type_into("[data-field=port]", "5432").await;
    session.wait_for("[data-flow-id=f-biz-db][data-verdict=deny]").await;
    session.wait_for("[data-link-id=f-biz-db][data-denied=true]").await;
    assert_eq!(session.text("[data-tab=reachability]").await, "Reachability: 1 denied flow");
    session.screenshot("reachability-denied-flow").await;

    // The matrix for 8443: web → biz only.
    session.type_into("input[data-reach=matrix-port]", "8443").await;
    session.wait_for("[data-testid=reach-matrix] td[data-from=web][data-to=biz][data-verdict=allow]").await;
    session.wait_for("[data-testid=reach-matrix] td[data-from=biz][data-to=web][data-verdict=deny]").await;

    // The effective rules of the selected VM, defaults included.
    let (x, y, w, h) = session.rect("[data-element-id=db] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    let rules = session.text("[data-testid=effective-rules]").await;
    assert!(rules.contains("allow-biz-in") && rules.contains("DenyAllInBound"), "{rules}");

    // The effective routes of a selected subnet: its VNet's route, the internet, the None
    // routes of the private ranges (no route table here, so all in force).
    session.click("[data-tab=outline]").await;
    session.click("[data-outline-id=data-snet]").await;
    session.click("[data-tab=reachability]").await;
    session.wait_for("[data-testid=effective-routes] tr[data-prefix='10.10.0.0/16'][data-state=Active]").await;
    session.wait_for("[data-testid=effective-routes] tr[data-prefix='0.0.0.0/0'][data-state=Active]").await;
    let routes = session.text("[data-testid=effective-routes]").await;
    assert!(routes.contains("10.0.0.0/8") && routes.contains("None"), "{routes}");
    session.screenshot("reachability-effective-routes").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_reply_shows_beside_the_request_in_japanese_on_a_small_window() {
    let session = Session::open_in("ja").await;
    session.resize_window(1024, 700).await;
    session.click("[data-tab=reachability]").await;
    choose(&session, "select[data-reach=from]", "biz").await;
    choose(&session, "select[data-reach=to]", "db").await;
    session.type_into("input[data-reach=port]", "1433").await;
    assert_eq!(session.text("[data-testid=reach-return-path]").await, "db → biz");
    assert!(session.text("[data-testid=reach-answer]").await.contains("応答: db → biz"));
    session.wait_for("[data-testid=reach-return-line]").await;
    session.screenshot("reachability-reply-ja-1024").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_path_from_the_internet_is_drawn_arrowed_and_numbered() {
    let session = Session::open().await;
    // The web VMs get a public IP: the internet reaches them, as far as their NSG.
    let (x, y, w, h) = session.rect("[data-element-id=web] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    session.click("[data-field=publicIp] input, input[data-field=publicIp]").await;
    session.press(fantoccini::key::Key::Escape.into()).await;
    session.click("[data-tab=reachability]").await;
    choose(&session, "select[data-reach=from]", "internet").await;
    choose(&session, "select[data-reach=to]", "web").await;
    session.type_into("input[data-reach=port]", "443").await;
    let path = session.text("[data-testid=reach-path]").await;
    assert!(path.starts_with("internet →"), "{path}");
    // The internet is not drawn in the design: the line starts from a mark of it.
    session.wait_for("[data-testid=reach-path-line]").await;
    session.wait_for("[data-testid=reach-internet]").await;
    let hops = path.split(" → ").count();
    assert_eq!(session.count(".reach-hop").await, hops, "each hop numbered: {path}");
    assert_eq!(session.count(".reach-path-group:not(.reply) .reach-arrow").await, hops - 1, "an arrow per leg");
    session.screenshot("reachability-from-the-internet").await;
    session.close().await;
}
