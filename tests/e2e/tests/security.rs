//! Security you can see: selecting an NSG, a route table or an ASG highlights every subnet
//! and VM it applies to, and dropping one on a subnet or VM associates it.

use moat_e2e::Session;

#[tokio::test(flavor = "current_thread")]
async fn selecting_an_nsg_or_an_asg_highlights_what_it_protects() {
    let session = Session::open().await;
    let (x, y, w, h) = session.rect("[data-element-id=nsg-web] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    session.wait_for("[data-element-id=web-snet].protected").await;
    assert_eq!(session.count(".element.protected").await, 1, "nsg-web is on web-snet alone");
    session.screenshot("security-nsg-selected").await;

    let (x, y, w, h) = session.rect("[data-element-id=asg-db] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    session.wait_for("[data-element-id=db].protected").await;
    session.wait_gone("[data-element-id=web-snet].protected").await;

    // Selecting something else highlights nothing.
    let (x, y, w, h) = session.rect("[data-element-id=kv] > rect.body").await;
    session.click_at((x + w / 2.0, y + h / 2.0)).await;
    session.wait_gone(".element.protected").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_an_nsg_on_a_subnet_associates_it_in_one_undo_step() {
    let session = Session::open().await;
    let (x, y, w, h) = session.rect("[data-element-id=data-snet] > rect.body").await;
    let before = session.rect("[data-element-id=nsg-biz] > rect.body").await;
    session.drag("[data-element-id=nsg-biz] > rect.body", (x + w * 0.7, y + h * 0.3)).await;
    // The NSG, selected by the drag, now protects data-snet too; it stands where it stood.
    session.wait_for("[data-element-id=data-snet].protected").await;
    session.wait_for("[data-element-id=biz-snet].protected").await;
    assert_eq!(session.rect("[data-element-id=nsg-biz] > rect.body").await, before);
    session.screenshot("security-nsg-dropped-on-subnet").await;
    // One undo takes the association back.
    session.shortcut('z', false).await;
    session.wait_gone("[data-element-id=data-snet].protected").await;
    session.wait_for("[data-element-id=biz-snet].protected").await;
    session.close().await;
}
