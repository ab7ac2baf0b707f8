//! The design as a standalone SVG picture, drawn from the same [`drawing`](crate::drawing) as
//! the canvas: containers nested (region ⊃ VNet ⊃ subnet), elements with their icons, names
//! and chips, links routed around boxes with arrowheads and captions, and a legend of the
//! link styles. Styles are presentation attributes, so the file shows the same in any viewer.
//!
//! The icons are the site's sprite (`assets/icons/sprite.svg`): the caller passes its text,
//! so the web app's wasm does not carry it. Without it each element shows its kind's badge.

use std::fmt::Write;

use crate::design::{Design, Rect};
use crate::drawing::route::{Routes, round as n};
use crate::drawing::text::{Weight, width};
use crate::drawing::{self, CAPTION_SIZE, CHIP_SIZE, Face, LegendEntry, face};
use crate::element::{Element, ElementKind};
use crate::layout::{drawing_order, effective_layout};
use crate::rules::i18n::Lang;

const MARGIN: f64 = 24.0;
const FONT: &str = "Segoe UI, Roboto, Helvetica, Arial, sans-serif";

/// What a picture is drawn with besides the design.
#[derive(Clone, Copy, Debug, Default)]
pub struct Picture<'a> {
    /// The text of the icon sprite, `assets/icons/sprite.svg`.
    pub icons: Option<&'a str>,
    pub lang: Lang,
}

/// The design drawn as SVG, with badges for icons.
pub fn svg(design: &Design) -> String {
    picture(design, Picture::default())
}

/// The design drawn as SVG.
pub fn picture(design: &Design, with: Picture) -> String {
    let layout = effective_layout(design);
    let routes = Routes::new(design, &layout);
    let legend = drawing::legend(design, with.lang);

    let mut bounds: Option<Rect> = None;
    let mut cover = |r: Rect| bounds = Some(bounds.map_or(r, |b| b.union(&r)));
    layout.values().for_each(|r| cover(*r));
    for route in routes.drawn.iter().flatten() {
        route.points.iter().for_each(|&(x, y)| cover(Rect { x, y, w: 0.0, h: 0.0 }));
    }
    let drawn = bounds.unwrap_or_default();
    let legend_size = legend_size(&legend, with.lang);
    let legend_at = (drawn.x, drawn.y + drawn.h + MARGIN);
    let (x0, y0) = (drawn.x - MARGIN, drawn.y - MARGIN);
    let width = drawn.w.max(legend_size.0) + 2.0 * MARGIN;
    let height = drawn.h + 2.0 * MARGIN + if legend.is_empty() { 0.0 } else { legend_size.1 + MARGIN };

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="{x0} {y0} {w} {h}" font-family="{FONT}">"#,
        w = n(width),
        h = n(height),
        x0 = n(x0),
        y0 = n(y0),
    );
    let _ = write!(out, "<title>{}</title>", escape(&design.meta.title));
    if let Some(sprite) = with.icons {
        let _ = write!(out, "<defs>{}</defs>", symbols(sprite));
    }
    let _ = write!(
        out,
        r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff"/>"##,
        n(x0),
        n(y0),
        n(width),
        n(height)
    );
    let index = design.index();
    let name_of = drawing::names_in(&index);
    for element in drawing_order(design) {
        if let Some(rect) = layout.get(&element.id) {
            let face = face(element, rect, with.lang, &name_of);
            draw_element(&mut out, element, rect, &face, with.icons.is_some());
        }
    }
    for (link, route) in design.links.iter().zip(&routes.drawn) {
        let Some(route) = route else { continue };
        let style = drawing::style_of(link);
        let _ = write!(
            out,
            r#"<g data-link-id="{}" data-kind="{}" data-from="{}" data-to="{}"><path class="stroke" d="{}" fill="none" stroke="{}" stroke-width="{}" stroke-dasharray="{}" stroke-linejoin="round"/>"#,
            escape(link.id.as_str()),
            link.kind().as_str(),
            escape(link.from.as_str()),
            escape(link.to.as_str()),
            route.path_data(),
            style.colour,
            style.width,
            style.dash
        );
        if style.directed {
            let [a, b, c] = route.arrowhead();
            let _ = write!(
                out,
                r#"<path class="arrow" d="M{} {} L{} {} L{} {} Z" fill="{}"/>"#,
                n(a.0),
                n(a.1),
                n(b.0),
                n(b.1),
                n(c.0),
                n(c.1),
                style.colour
            );
        }
        if let Some(caption) = drawing::caption(link, with.lang) {
            let (x, y, anchor) = route.caption_at();
            let _ = write!(
                out,
                r##"<text class="caption" x="{}" y="{}" font-size="{CAPTION_SIZE}" font-weight="600" text-anchor="{anchor}" fill="{}" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
                n(x),
                n(y),
                style.colour,
                escape(&caption)
            );
        }
        out.push_str("</g>");
    }
    if !legend.is_empty() {
        draw_legend(&mut out, &legend, legend_at, legend_size, with.lang);
    }
    out.push_str("</svg>\n");
    out
}

fn draw_element(out: &mut String, element: &Element, rect: &Rect, face: &Face, icons: bool) {
    let kind = element.kind();
    let (fill, stroke, dash) = match kind {
        ElementKind::Region => ("#f7fbff", "#0b6bcb", "8 4"),
        ElementKind::Vnet => ("#f6fcf8", "#2f855a", "none"),
        ElementKind::Subnet => ("#f0f4f8", "#6b7a89", "none"),
        _ => ("#ffffff", "#9aa5b1", "none"),
    };
    let _ = write!(out, r#"<g data-element-id="{}" data-kind="{}">"#, escape(element.id.as_str()), kind.as_str());
    if let Some(whole) = &face.tooltip {
        let _ = write!(out, "<title>{}</title>", escape(whole));
    }
    let _ = write!(
        out,
        r#"<rect class="body" x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{fill}" stroke="{stroke}" stroke-width="1.5" stroke-dasharray="{dash}"/>"#,
        n(rect.x),
        n(rect.y),
        n(rect.w),
        n(rect.h),
        if kind.is_container() { 8 } else { 6 }
    );
    icon(out, kind, face.icon, icons);
    for line in &face.lines {
        let (fill, weight) = match line.part {
            drawing::Part::Name => ("#1f2933", 600),
            drawing::Part::Detail => ("#52606d", 400),
        };
        let _ = write!(
            out,
            r#"<text class="{}" x="{}" y="{}" font-size="{}" font-weight="{weight}" fill="{fill}">{}</text>"#,
            line.part.as_str(),
            n(line.x),
            n(line.y),
            line.part.size(),
            escape(&line.text)
        );
    }
    for chip in &face.chips {
        let r = chip.rect;
        let (tx, ty) = chip.text_at();
        let _ = write!(
            out,
            r##"<g class="chip" data-chip-for="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="7" fill="#fff7ed" stroke="#f6ad55"/>"##,
            escape(&chip.id),
            escape(&chip.name),
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h)
        );
        icon(out, chip.kind, chip.icon(), icons);
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="{CHIP_SIZE}" fill="#7b341e">{}</text></g>"##,
            n(tx),
            n(ty),
            escape(&chip.text)
        );
    }
    out.push_str("</g>");
}

/// A kind's icon from the sprite, or its badge when there is no sprite.
fn icon(out: &mut String, kind: ElementKind, (x, y, size): (f64, f64, f64), icons: bool) {
    if icons {
        let _ = write!(
            out,
            r##"<use href="#icon-{}" x="{}" y="{}" width="{size}" height="{size}" color="{}"/>"##,
            kind.as_str(),
            n(x),
            n(y),
            drawing::icon_colour(kind)
        );
    } else {
        let badge = kind.badge();
        let font = (size * 0.42).min(10.0);
        let _ = write!(
            out,
            r##"<rect x="{}" y="{}" width="{size}" height="{size}" rx="3" fill="#243b53"/><text x="{}" y="{}" font-size="{}" font-weight="700" fill="#ffffff" text-anchor="middle">{badge}</text>"##,
            n(x),
            n(y),
            n(x + size / 2.0),
            n(y + size / 2.0 + font * 0.35),
            n(font)
        );
    }
}

/// The legend's size: a title and a row per entry.
fn legend_size(entries: &[LegendEntry], lang: Lang) -> (f64, f64) {
    let widest = entries
        .iter()
        .map(|e| width(e.name, 12.0, Weight::Regular))
        .fold(width(legend_title(lang), 12.0, Weight::Bold), f64::max);
    (12.0 + 44.0 + 8.0 + widest + 12.0, 32.0 + 20.0 * entries.len() as f64 + 4.0)
}

fn legend_title(lang: Lang) -> &'static str {
    if lang == Lang::Ja { "凡例" } else { "Legend" }
}

fn draw_legend(out: &mut String, entries: &[LegendEntry], (x, y): (f64, f64), (w, h): (f64, f64), lang: Lang) {
    let _ = write!(
        out,
        r##"<g data-testid="legend"><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#ffffff" stroke="#cbd2d9"/><text x="{}" y="{}" font-size="12" font-weight="700" fill="#1f2933">{}</text>"##,
        n(x),
        n(y),
        n(w),
        n(h),
        n(x + 12.0),
        n(y + 20.0),
        legend_title(lang)
    );
    for (i, entry) in entries.iter().enumerate() {
        let row = y + 38.0 + 20.0 * i as f64;
        let style = entry.style;
        let _ = write!(
            out,
            r#"<g data-legend-kind="{}"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}" stroke-dasharray="{}"/>"#,
            entry.key,
            n(x + 12.0),
            n(row - 4.0),
            n(x + 56.0),
            n(row - 4.0),
            style.colour,
            style.width,
            style.dash
        );
        if style.directed {
            let _ = write!(
                out,
                r#"<path d="M{} {} L{} {} L{} {} Z" fill="{}"/>"#,
                n(x + 58.0),
                n(row - 4.0),
                n(x + 48.0),
                n(row - 8.5),
                n(x + 48.0),
                n(row + 0.5),
                style.colour
            );
        }
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="12" fill="#1f2933">{}</text></g>"##,
            n(x + 64.0),
            n(row),
            escape(entry.name)
        );
    }
    out.push_str("</g>");
}

/// A kind's icon as a standalone SVG document in its family's colour, from the sprite's text
/// (for tools that take one picture per shape, as draw.io does).
pub fn standalone_icon(sprite: &str, kind: ElementKind) -> Option<String> {
    let start = sprite.find(&format!("<symbol id=\"icon-{}\"", kind.as_str()))?;
    let end = start + sprite[start..].find("</symbol>")?;
    let symbol = &sprite[start..end];
    let open_end = symbol.find('>')?;
    let attributes = symbol["<symbol ".len()..open_end].replacen(&format!("id=\"icon-{}\" ", kind.as_str()), "", 1);
    let body = &symbol[open_end + 1..];
    let colour = drawing::icon_colour(kind);
    Some(
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" {attributes}>{body}</svg>")
            .replace("currentColor", colour),
    )
}

/// The `<symbol>` elements of a sprite's text.
fn symbols(sprite: &str) -> &str {
    match (sprite.find("<symbol"), sprite.rfind("</symbol>")) {
        (Some(start), Some(end)) if start < end => &sprite[start..end + "</symbol>".len()],
        _ => "",
    }
}

/// Text for XML content and attributes (the same escaping as the draw.io export).
pub fn escape(text: &str) -> String {
    super::drawio::xml(text)
}
