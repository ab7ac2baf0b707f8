//! The design as a standalone SVG picture: containers nested (region ⊃ VNet ⊃ subnet),
//! elements as labelled boxes with their kind's badge, links as lines styled per kind.
//! Styles are inline so the file shows the same in any viewer.

use std::fmt::Write;

use crate::design::{Design, Rect};
use crate::element::{Element, ElementKind};
use crate::layout::{drawing_order, effective_layout};
use crate::link::{LinkKind, LinkProps};

const MARGIN: f64 = 24.0;

/// The design drawn as SVG.
pub fn svg(design: &Design) -> String {
    let layout = effective_layout(design);
    let (mut x0, mut y0, mut x1, mut y1) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    for rect in layout.values() {
        x0 = x0.min(rect.x);
        y0 = y0.min(rect.y);
        x1 = x1.max(rect.x + rect.w);
        y1 = y1.max(rect.y + rect.h);
    }
    let (width, height) = (x1 - x0 + 2.0 * MARGIN, y1 - y0 + 2.0 * MARGIN);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="{} {} {width} {height}" font-family="Segoe UI, Roboto, Helvetica, Arial, sans-serif">"#,
        x0 - MARGIN,
        y0 - MARGIN
    );
    let _ = write!(out, "<title>{}</title>", escape(&design.meta.title));
    let _ = write!(
        out,
        r##"<rect x="{}" y="{}" width="{width}" height="{height}" fill="#ffffff"/>"##,
        x0 - MARGIN,
        y0 - MARGIN
    );
    for element in drawing_order(design) {
        if let Some(rect) = layout.get(&element.id) {
            draw_element(&mut out, element, rect);
        }
    }
    for link in &design.links {
        let (Some(from), Some(to)) = (layout.get(&link.from), layout.get(&link.to)) else { continue };
        let ((ax, ay), (bx, by)) = (border_point(from, to.center()), border_point(to, from.center()));
        let (stroke, width, dash) = link_style(link.kind());
        let _ = write!(
            out,
            r#"<g data-link-id="{}"><line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke="{stroke}" stroke-width="{width}" stroke-dasharray="{dash}"/>"#,
            escape(link.id.as_str())
        );
        if let LinkProps::Flow(flow) = &link.props {
            let label = flow.port.map_or_else(|| "any".to_owned(), |p| p.to_string());
            let _ = write!(
                out,
                r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#0b6bcb">{}</text>"##,
                (ax + bx) / 2.0,
                (ay + by) / 2.0 - 5.0,
                escape(&label)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>\n");
    out
}

fn draw_element(out: &mut String, element: &Element, rect: &Rect) {
    let kind = element.kind();
    let (fill, stroke, dash) = match kind {
        ElementKind::Region => ("#f7fbff", "#0b6bcb", "8 4"),
        ElementKind::Vnet => ("#f6fcf8", "#2f855a", "none"),
        ElementKind::Subnet => ("#f0f4f8", "#6b7a89", "none"),
        _ => ("#ffffff", "#9aa5b1", "none"),
    };
    let _ = write!(
        out,
        r#"<g data-element-id="{}" data-kind="{}"><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5" stroke-dasharray="{dash}"/>"#,
        escape(element.id.as_str()),
        kind.as_str(),
        rect.x,
        rect.y,
        rect.w,
        rect.h
    );
    let name = escape(element.display_name());
    if kind.is_container() {
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="13" font-weight="600" fill="#1f2933"><tspan font-size="10" fill="#52606d">{}</tspan> {name}</text>"##,
            rect.x + 10.0,
            rect.y + 20.0,
            kind.badge()
        );
    } else {
        let _ = write!(
            out,
            r##"<rect x="{}" y="{}" width="40" height="20" rx="4" fill="#243b53"/><text x="{}" y="{}" font-size="10" font-weight="700" fill="#ffffff" text-anchor="middle">{}</text><text x="{}" y="{}" font-size="13" font-weight="600" fill="#1f2933">{name}</text>"##,
            rect.x + 8.0,
            rect.y + 8.0,
            rect.x + 28.0,
            rect.y + 22.0,
            kind.badge(),
            rect.x + 56.0,
            rect.y + 23.0
        );
    }
    out.push_str("</g>");
}

fn link_style(kind: LinkKind) -> (&'static str, f64, &'static str) {
    match kind {
        LinkKind::Peering => ("#2f855a", 3.0, "none"),
        LinkKind::Vpn => ("#805ad5", 2.0, "2 4"),
        LinkKind::ExpressRoute => ("#dd6b20", 4.0, "none"),
        LinkKind::Flow => ("#0b6bcb", 2.0, "6 4"),
        LinkKind::Replication => ("#c53030", 2.0, "10 4"),
        LinkKind::DnsLink => ("#718096", 2.0, "1 3"),
    }
}

/// Where the line from the centre of `rect` towards `toward` leaves the rect.
pub fn border_point(rect: &Rect, toward: (f64, f64)) -> (f64, f64) {
    let (cx, cy) = rect.center();
    let (dx, dy) = (toward.0 - cx, toward.1 - cy);
    if dx == 0.0 && dy == 0.0 {
        return (cx, cy);
    }
    let tx = if dx == 0.0 { f64::INFINITY } else { (rect.w / 2.0) / dx.abs() };
    let ty = if dy == 0.0 { f64::INFINITY } else { (rect.h / 2.0) / dy.abs() };
    let t = tx.min(ty).min(1.0);
    (cx + dx * t, cy + dy * t)
}

/// Text for XML content and attributes (the same escaping as the draw.io export).
pub fn escape(text: &str) -> String {
    super::drawio::xml(text)
}
