//! Diagrams a review board can read, measured in the browser on every template and on a
//! generated design of ten spokes, after Fit: each text lies inside its element's box and no
//! two overlap; each link runs outside the boxes it does not join, with an arrowhead when it
//! has a direction; the legend names the styles in use; no visible text is under 8 CSS px.

use std::collections::HashSet;

use moat_e2e::{Session, TempDir};
use moat_model::Design;
use serde_json::Value;

/// What the page draws, read in canvas units: each element's box and the boxes of its
/// visible texts; each link's kind, ends, points sampled along its stroke and whether it has
/// an arrowhead; the legend's kinds; the smallest visible text on screen.
const MEASURE: &str = r#"
    const box = (b) => ({ x: b.x, y: b.y, w: b.width, h: b.height });
    const shown = (t) => getComputedStyle(t).display !== "none" && t.textContent.trim() !== "";
    const elements = [...document.querySelectorAll("g[data-element-id]")].map((g) => ({
        id: g.dataset.elementId,
        body: box(g.querySelector(":scope > rect.body").getBBox()),
        texts: [...g.querySelectorAll(":scope > text, :scope > .face-chip")]
            .filter((t) => t.tagName === "text" ? shown(t) : getComputedStyle(t).display !== "none")
            .map((t) => ({ text: t.textContent, box: box(t.getBBox()) })),
    }));
    const links = [...document.querySelectorAll("g[data-link-id]")].map((g) => {
        const stroke = g.querySelector(".stroke");
        const length = stroke.getTotalLength();
        const samples = [];
        for (let d = 0; d <= length; d += 4) { const p = stroke.getPointAtLength(d); samples.push([p.x, p.y]); }
        return { id: g.dataset.linkId, kind: g.dataset.kind, from: g.dataset.from, to: g.dataset.to, samples,
                 arrow: !!g.querySelector(".arrow") };
    });
    let smallest = Infinity;
    for (const t of document.querySelectorAll("[data-testid=canvas] svg text")) {
        if (!shown(t) || t.getBoundingClientRect().width === 0) continue;
        const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
        smallest = Math.min(smallest, size);
    }
    const legend = [...document.querySelectorAll("[data-testid=legend] [data-legend-kind]")].map((e) => e.dataset.legendKind);
    return { elements, links, smallest: smallest === Infinity ? null : smallest, legend };
"#;

fn inside_of(design: &Design, id: &str, container: &str) -> bool {
    design.with_containers(id).contains(container)
}

fn rect(value: &Value) -> (f64, f64, f64, f64) {
    let n = |k: &str| value[k].as_f64().unwrap_or(f64::NAN);
    (n("x"), n("y"), n("w"), n("h"))
}

/// Checks what the page draws of `design`, named `name` in messages.
fn check(name: &str, design: &Design, drawn: &Value) {
    const SLACK: f64 = 0.5;
    let elements = drawn["elements"].as_array().expect("elements");
    assert_eq!(elements.len(), design.elements.len(), "{name}: every element is drawn after Fit");
    for element in elements {
        let id = element["id"].as_str().unwrap_or("");
        let (x, y, w, h) = rect(&element["body"]);
        let texts = element["texts"].as_array().expect("texts");
        for text in texts {
            let (tx, ty, tw, th) = rect(&text["box"]);
            let inside = tx >= x - SLACK && ty >= y - SLACK && tx + tw <= x + w + SLACK && ty + th <= y + h + SLACK;
            assert!(
                inside,
                "{name}: {:?} of {id} lies inside its box {:?}: {:?}",
                text["text"],
                (x, y, w, h),
                (tx, ty, tw, th)
            );
        }
        for (i, a) in texts.iter().enumerate() {
            for b in &texts[i + 1..] {
                let ((ax, ay, aw, ah), (bx, by, bw, bh)) = (rect(&a["box"]), rect(&b["box"]));
                let apart =
                    ax + aw <= bx + SLACK || bx + bw <= ax + SLACK || ay + ah <= by + SLACK || by + bh <= ay + SLACK;
                assert!(
                    apart,
                    "{name}: {:?} {:?} and {:?} {:?} of {id} overlap",
                    a["text"], a["box"], b["text"], b["box"]
                );
            }
        }
    }
    let links = drawn["links"].as_array().expect("links");
    assert_eq!(links.len(), design.links.len(), "{name}: every link is drawn");
    for link in links {
        let (id, from, to) =
            (link["id"].as_str().unwrap(), link["from"].as_str().unwrap(), link["to"].as_str().unwrap());
        let related: HashSet<&str> = design.with_containers(from).union(&design.with_containers(to)).copied().collect();
        for element in elements {
            let other = element["id"].as_str().unwrap();
            if related.contains(other) || inside_of(design, other, from) || inside_of(design, other, to) {
                continue;
            }
            let (x, y, w, h) = rect(&element["body"]);
            for sample in link["samples"].as_array().unwrap() {
                let (px, py) = (sample[0].as_f64().unwrap(), sample[1].as_f64().unwrap());
                let within = px > x + 1.0 && px < x + w - 1.0 && py > y + 1.0 && py < y + h - 1.0;
                assert!(!within, "{name}: link {id} runs through {other} at {px},{py}");
            }
        }
        let directed = matches!(link["kind"].as_str(), Some("flow" | "vpn" | "expressRoute"));
        assert_eq!(link["arrow"].as_bool(), Some(directed), "{name}: {id} has an arrowhead when it has a direction");
    }
    let used: Vec<&str> = moat_model::drawing::legend(design, Default::default()).iter().map(|e| e.key).collect();
    let legend: Vec<&str> = drawn["legend"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(legend, used, "{name}: the legend names every style in use");
    if let Some(smallest) = drawn["smallest"].as_f64() {
        assert!(smallest >= 7.99, "{name}: the smallest visible text is {smallest:.1} px");
    }
}

async fn measure(session: &Session) -> Value {
    session.client.execute(MEASURE, vec![]).await.expect("the drawing is measured")
}

#[tokio::test(flavor = "current_thread")]
async fn every_template_is_drawn_readably_after_fit() {
    let session = Session::open().await;
    session.resize_window(1440, 900).await;
    for template in moat_model::templates::templates() {
        let design = moat_model::templates::instantiate(template.name).expect("a template");
        session.click("[data-action=template]").await;
        session.click(&format!("[data-template={}]", template.name)).await;
        let count = design.elements.len();
        session.wait_for(&format!("[data-testid=canvas][data-element-count=\"{count}\"]")).await;
        session.click("[data-action=fit]").await;
        if !session.exists("[data-testid=legend] [data-legend-kind]").await {
            session.click("[data-testid=legend-toggle]").await;
        }
        session.wait_for("[data-testid=legend] [data-legend-kind]").await;
        check(template.name, &design, &measure(&session).await);
        session.screenshot(&format!("diagram-{}-1440", template.name)).await;
    }
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_generated_design_of_ten_spokes_is_drawn_readably_and_tidy_up_is_one_step() {
    let session = Session::open().await;
    session.resize_window(1440, 900).await;
    let folder = TempDir::new("moat-e2e-diagrams");
    let file = folder.0.join("ten-spokes.moat.json");
    let design = moat_model::generate::hub_spoke(10);
    std::fs::write(&file, moat_model::to_json(&design)).unwrap();
    let input = session.wait_for("input[data-action=open-file]").await;
    input.send_keys(file.to_str().unwrap()).await.expect("the file is chosen");
    session.wait_for(&format!("[data-testid=canvas][data-element-count=\"{}\"]", design.elements.len())).await;
    session.click("[data-action=fit]").await;
    session.click("[data-testid=legend-toggle]").await;
    session.wait_for("[data-testid=legend] [data-legend-kind]").await;
    check("10 spokes", &design, &measure(&session).await);
    // So far out, the VNets' names are drawn large across them (and nothing smaller).
    let titles = session.client.execute(
        "return [...document.querySelectorAll('.titles .title')].filter((t) => getComputedStyle(t).display !== 'none').map((t) => t.textContent)",
        vec![],
    ).await.expect("the titles are read");
    let titles: Vec<&str> = titles.as_array().expect("a list").iter().filter_map(Value::as_str).collect();
    let all = titles.join(" ");
    assert!(all.contains("Hub") && all.contains("spoke 10"), "the VNets are named from afar: {titles:?}");
    assert!(titles.len() > 10, "the VNets are named from afar: {titles:?}");
    session.screenshot("diagram-10-spokes-fit").await;

    // Moved out of place, then tidied up: back where the automatic layout puts it, in one step.
    let (x, y) = session.center("[data-element-id=kv] > rect.body").await;
    session.drag("[data-element-id=kv] > rect.body", (x + 30.0, y + 30.0)).await;
    session.click("[data-action=tidy-up]").await;
    check("10 spokes tidied", &design, &measure(&session).await);
    session.click("[data-action=undo]").await;
    session.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_legend_folds_away_and_zooming_out_keeps_text_readable() {
    let session = Session::open_in("ja").await;
    session.resize_window(1024, 700).await;
    // Folded at first; a click shows it, another folds it again.
    session.wait_for("[data-testid=legend-toggle][aria-expanded=false]").await;
    assert!(!session.exists("[data-testid=legend] [data-legend-kind]").await);
    session.click("[data-testid=legend-toggle]").await;
    session.wait_for("[data-testid=legend] [data-legend-kind=flow]").await;
    assert_eq!(session.text("[data-testid=legend-toggle]").await, "凡例");
    session.click("[data-testid=legend-toggle]").await;
    session.wait_gone("[data-testid=legend] [data-legend-kind]").await;
    session.click("[data-testid=legend-toggle]").await;
    for _ in 0..8 {
        session.click("[data-action=zoom-out]").await;
        let drawn = measure(&session).await;
        if let Some(smallest) = drawn["smallest"].as_f64() {
            assert!(smallest >= 7.99, "the smallest visible text is {smallest:.1} px");
        }
    }
    session.screenshot("diagram-zoomed-out-ja-1024").await;
    session.close().await;
}

/// The screens of this work, as review boards and the README see them: the hub-spoke
/// template after Fit with the legend open and an NSG selected (what it protects outlined),
/// in English and Japanese at 1440×900 and 1024×700.
#[tokio::test(flavor = "current_thread")]
async fn the_editor_is_drawn_readably_in_both_languages_and_window_sizes() {
    for lang in ["en", "ja"] {
        let session = Session::open_in(lang).await;
        for (width, height) in [(1440, 900), (1024, 700)] {
            session.resize_window(width, height).await;
            session.click("[data-action=template]").await;
            session.click("[data-template=hub-spoke-dmz]").await;
            session.wait_for("[data-element-id=nsg-web1]").await;
            session.click("[data-action=fit]").await;
            if !session.exists("[data-testid=legend] [data-legend-kind]").await {
                session.click("[data-testid=legend-toggle]").await;
            }
            let design = moat_model::templates::instantiate("hub-spoke-dmz").expect("a template");
            check(&format!("hub-spoke-dmz {lang} {width}"), &design, &measure(&session).await);
            session.screenshot(&format!("editor-hub-spoke-{lang}-{width}")).await;
            // Closer in, the chips name each subnet's NSG and route table.
            session.zoom_to_read().await;
            assert!(session.exists("[data-element-id=web1-snet] .face-chip[data-chip-for=nsg-web1]").await);
            session.screenshot(&format!("editor-hub-spoke-{lang}-{width}-close")).await;
        }
        session.close().await;
    }
}
