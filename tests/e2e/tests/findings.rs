//! The findings panel as a person uses it: a change makes a rule fire, live; the finding is
//! read, followed to its element, suppressed with a reason and taken back.

use moat_e2e::Session;

async fn count(session: &Session, severity: &str) -> usize {
    session.text(&format!("[data-testid=finding-counts] [data-severity={severity}]")).await.parse().unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_finding_appears_live_is_followed_suppressed_and_taken_back() {
    let session = Session::open().await;
    session.click("[data-tab=findings]").await;
    let warnings = count(&session, "warning").await;
    assert!(!session.exists("[data-finding-rule=HA-01]").await, "the example runs every tier on two VMs");

    // One web VM: HA-01 fires on it, on the canvas and in the panel.
    let (x, y, w, h) = session.rect("[data-element-id=web] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    session.type_into("[data-field=count]", "1").await;
    let finding = "[data-finding-rule=HA-01][data-finding-element=web]";
    session.wait_for(finding).await;
    session.wait_for("[data-finding-marker=web]").await;
    assert!(count(&session, "warning").await > warnings);
    session.screenshot("findings-ha-01").await;

    // Listed by severity: errors, then warnings, then infos.
    let listed = session
        .client
        .execute("return [...document.querySelectorAll('li.finding')].map((li) => li.dataset.severity);", vec![])
        .await
        .expect("the findings are listed");
    let rank = |s: &serde_json::Value| ["error", "warning", "info"].iter().position(|r| s == r).unwrap_or(9);
    let ranks: Vec<usize> = listed.as_array().expect("a list").iter().map(rank).collect();
    assert!(ranks.len() > 2 && ranks.contains(&1) && ranks.contains(&2), "warnings and infos: {listed}");
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "by severity: {listed}");

    // Filtering by severity hides it; by its area shows it again.
    session.wait_for("select[data-filter=severity]").await.select_by_value("error").await.unwrap();
    session.wait_gone(finding).await;
    session.wait_for("select[data-filter=severity]").await.select_by_value("").await.unwrap();
    session.wait_for("select[data-filter=area]").await.select_by_value("availability").await.unwrap();
    session.wait_for(finding).await;

    // Follow it to the element.
    session.press(fantoccini::key::Key::Escape.into()).await;
    session.click(&format!("{finding} [data-action=focus]")).await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Virtual machine");

    // Suppress it with a reason: it moves to the suppressed list and into the file. Without
    // one, the field itself says a reason is needed.
    session.click(&format!("{finding} summary")).await;
    session.click(&format!("{finding} [data-action=suppress]")).await;
    let missing = session.text(&format!("{finding} [data-testid=suppression-reason-missing]")).await;
    assert!(missing.contains("needs a reason"), "{missing}");
    session.type_into(&format!("{finding} [data-field=suppression-reason]"), "pilot runs one web VM").await;
    session.click(&format!("{finding} [data-action=suppress]")).await;
    session.wait_gone(finding).await;
    let suppressed = session.text("[data-suppressed-rule=HA-01][data-suppressed-element=web]").await;
    assert!(suppressed.contains("pilot runs one web VM"), "{suppressed}");
    session.wait_for("[data-testid=save-state]:not(.pending)").await;
    let saved = moat_model::load(&session.local_storage("moat.autosave").await.unwrap()).unwrap().design;
    assert_eq!(saved.suppressions[0].reason, "pilot runs one web VM");

    // Take it back.
    session.click("[data-suppressed-rule=HA-01] [data-action=unsuppress]").await;
    session.wait_for(finding).await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_marker_opens_its_findings_and_a_fix_names_the_inspectors_fields() {
    let session = Session::open().await;
    let (x, y, w, h) = session.rect("[data-element-id=web] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    session.type_into("[data-field=count]", "1").await;
    session.wait_for("[data-finding-marker=web]").await;
    // Another tab shown and the panel folded: the marker brings the findings back.
    session.click("[data-tab=reachability]").await;
    session.click("[data-action=panel-fold]").await;
    session.press(fantoccini::key::Key::Escape.into()).await;
    session.click("[data-finding-marker=web] circle").await;
    session.wait_for("[data-tab=findings][aria-selected=true]").await;
    session.wait_for("li.finding[data-finding-element=web] :focus").await;
    assert_eq!(session.text("[data-testid=inspector-title]").await, "Virtual machine", "the element is selected");

    // The fix names the field as the inspector labels it, not by its path.
    let finding = "[data-finding-rule=HA-01][data-finding-element=web]";
    session.click(&format!("{finding} summary")).await;
    assert_eq!(session.text(&format!("{finding} .field-name[data-field-path=count]")).await, "“Instances”");
    session.screenshot("findings-marker-and-fix").await;
    session.close().await;
}
