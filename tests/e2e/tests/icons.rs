//! Element icons: the sprite of `assets/icons/` has one symbol per element kind, and the page
//! draws every element and palette entry with its kind's symbol, visible, while the kind
//! stays readable as text for assistive technology.

use std::path::Path;

use moat_e2e::Session;
use moat_model::element::ElementKind;
use serde_json::Value;

fn sprite() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/icons/sprite.svg");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_sprite_has_one_symbol_per_element_kind_and_no_inline_style() {
    let sprite = sprite();
    for kind in ElementKind::ALL {
        let symbol = format!("<symbol id=\"icon-{}\" viewBox=\"0 0 24 24\"", kind.as_str());
        assert_eq!(sprite.matches(&symbol).count(), 1, "one symbol for {}", kind.as_str());
    }
    assert_eq!(sprite.matches("<symbol ").count(), ElementKind::ALL.len(), "no symbol for a kind that does not exist");
    // The page's Content-Security-Policy allows no inline style: presentation attributes only.
    assert!(!sprite.contains("<style") && !sprite.contains("style="), "the sprite uses no inline style");
}

#[tokio::test(flavor = "current_thread")]
async fn every_element_and_palette_entry_shows_its_kinds_icon() {
    let session = Session::open().await;
    session.wait_for("[data-element-id=web] image.icon").await;
    // For each drawn element and palette entry: the kind's symbol it shows, whether that is
    // the page's own, and the size it is drawn at. The palette refers to the sprite (`<use>`);
    // the canvas draws the symbol as an image (a standalone SVG in a `data:` URL).
    let script = r#"
        const seen = [];
        const shapes = (node) => [...node.querySelectorAll("*")].map((n) => n.tagName).join(" ");
        const check = (owner, kind, icon) => {
            const box = icon ? icon.getBoundingClientRect() : { width: 0, height: 0 };
            const href = icon ? icon.getAttribute("href") : "";
            const symbol = document.querySelector(`symbol#icon-${kind}`);
            let shows = null;
            if (icon && icon.tagName === "use") {
                shows = href === `#icon-${kind}` && !!symbol;
            } else if (icon && href.startsWith("data:image/svg+xml,")) {
                const svg = new DOMParser()
                    .parseFromString(decodeURIComponent(href.slice("data:image/svg+xml,".length)), "image/svg+xml")
                    .documentElement;
                shows = !!symbol && svg.tagName === "svg" && icon.dataset.icon === kind
                    && svg.getAttribute("viewBox") === symbol.getAttribute("viewBox")
                    && shapes(svg) === shapes(symbol) && !svg.outerHTML.includes("currentColor");
            }
            seen.push({ owner, kind, tag: icon ? icon.tagName : null, shows, width: box.width, height: box.height });
        };
        for (const g of document.querySelectorAll("g[data-element-id]")) {
            check(g.dataset.elementId, g.dataset.kind, g.querySelector(":scope > image.icon"));
        }
        for (const item of document.querySelectorAll("[data-palette-kind]")) {
            check("palette", item.dataset.paletteKind, item.querySelector("use"));
        }
        return seen;
    "#;
    let seen = session.client.execute(script, vec![]).await.expect("the icons are listed");
    let seen = seen.as_array().expect("a list");
    assert!(seen.len() > 30, "elements and palette entries: {}", seen.len());
    for entry in seen {
        let (owner, kind) = (entry["owner"].as_str().unwrap_or(""), entry["kind"].as_str().unwrap_or(""));
        assert_eq!(entry["shows"], Value::Bool(true), "{owner} ({kind}) shows the page's symbol: {entry}");
        assert!(entry["width"].as_f64().unwrap_or(0.0) > 4.0, "{owner} ({kind}) is drawn: {entry}");
    }
    // The kind is still there in words for screen readers.
    let label = session.wait_for("[data-element-id=web]").await.attr("aria-label").await.unwrap_or_default();
    assert_eq!(label.as_deref(), Some("Virtual machines web"));
    session.screenshot("icons-example-design").await;

    // The same page in Japanese on a small window keeps its icons.
    session.client.goto(&format!("{}?lang=ja", session.url)).await.expect("the page loads in Japanese");
    session.resize_window(1024, 700).await;
    session.wait_for("[data-element-id=web] image.icon").await;
    let found = session
        .client
        .execute("return !!document.querySelector('symbol#icon-vm');", vec![])
        .await
        .expect("the sprite is looked up");
    assert_eq!(found, Value::Bool(true), "the page in Japanese holds the sprite");
    session.screenshot("icons-example-design-ja-1024").await;
    session.close().await;
}
