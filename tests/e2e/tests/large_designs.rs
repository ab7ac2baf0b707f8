//! A large design as a person works on it: the canvas draws what is on screen, the outline
//! brings an element there, a drag moves it on the drop, and long lists of references in
//! the inspector stay short.

use moat_e2e::{Session, TempDir};

#[tokio::test(flavor = "current_thread")]
async fn a_large_design_is_drawn_where_the_screen_is_and_its_elements_can_be_reached_and_moved() {
    let session = Session::open().await;
    let folder = TempDir::new("moat-e2e-large");
    let file = folder.0.join("forty-spokes.moat.json");
    let design = moat_model::generate::hub_spoke(40);
    std::fs::write(&file, moat_model::to_json(&design)).unwrap();
    let input = session.wait_for("input[data-action=open-file]").await;
    input.send_keys(file.to_str().unwrap()).await.expect("the file is chosen");
    let count = design.elements.len();
    session.wait_for(&format!("[data-testid=canvas][data-element-count=\"{count}\"]")).await;

    // Closer in, only part of the design is on screen, and only that part is drawn.
    for _ in 0..8 {
        session.click("[data-action=zoom-in]").await;
    }
    session.click("[data-tab=outline]").await;
    session.click("[data-outline-id=\"web1\"]").await;
    session.wait_for("[data-element-id=\"web1\"].selected").await;
    let drawn = session.count("[data-element-id]").await;
    assert!(drawn > 0 && drawn < count / 2, "{drawn} of {count} elements drawn");
    assert!(!session.exists("[data-element-id=\"web40\"]").await, "the last spoke is off screen");

    // The outline brings an element on screen (and selects it).
    session.click("[data-outline-id=\"web40\"]").await;
    session.wait_for("[data-element-id=\"web40\"].selected").await;

    // Dragged, it lands where it was dropped.
    let body = "[data-element-id=\"web40\"] > rect.body";
    let (x, y, _, _) = session.rect(body).await;
    let from = session.center(body).await;
    session.drag_between(from, (from.0 + 24.0, from.1 + 12.0)).await;
    let mut moved = (0.0, 0.0);
    for _ in 0..50 {
        let (x2, y2, _, _) = session.rect(body).await;
        moved = (x2 - x, y2 - y);
        if (moved.0 - 24.0).abs() < 1.5 && (moved.1 - 12.0).abs() < 1.5 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!((moved.0 - 24.0).abs() < 1.5 && (moved.1 - 12.0).abs() < 1.5, "moved by {moved:?}");
    assert!(!session.exists("[data-moving-id]").await, "no preview is left after the drop");

    // The VM's ASGs, out of 120: the chosen one, and a list to add others from.
    session.click(body).await;
    session.wait_for("[data-field=asgs] .chip").await;
    assert_eq!(session.count("[data-field=asgs] input[type=checkbox]").await, 0);
    // By its name, as the canvas shows it.
    assert_eq!(session.text("[data-field=asgs] .chip").await.replace('×', "").trim(), "ASG web 40");
    // A long drop-down holds only its first option until it is pressed; then all of them.
    assert_eq!(session.count("[data-field=asgs] select.add option").await, 1);
    assert_eq!(session.count("[data-field=parent] option").await, 1);
    session.click("[data-field=asgs] select.add").await;
    session.wait_for("[data-field=asgs] select.add option[value=\"asg-web1\"]").await;
    assert_eq!(session.count("[data-field=asgs] select.add option").await, 120);
    session.click("[data-field=asgs] select.add option[value=\"asg-web1\"]").await;
    session.wait_for("[data-field=asgs] .chip button[value=\"asg-web1\"]").await;
    assert_eq!(session.count("[data-field=asgs] .chip").await, 2);
    session.click("[data-field=asgs] .chip button[value=\"asg-web40\"]").await;
    session.wait_gone("[data-field=asgs] .chip button[value=\"asg-web40\"]").await;
    assert_eq!(session.count("[data-field=asgs] .chip").await, 1);
    session.close().await;
}
