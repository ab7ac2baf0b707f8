//! draw.io export: an uncompressed `mxfile` with one vertex per element (regions, VNets and
//! subnets as containers, children placed relative to them) and one edge per link, drawn as
//! Moat draws them: each element with its kind's icon (from the site's sprite, when given),
//! each link in its kind's style along its route (draw.io's orthogonal edge style, with the
//! route's bends as waypoints, so the diagram stays editable there), and a legend.
//!
//! Labels are plain text (`html=0`), and every attribute value is XML-escaped, so no name can
//! become markup either in the file or in draw.io's rendering.

use std::collections::HashMap;
use std::fmt::Write;

use crate::design::{Design, Rect};
use crate::drawing::route::Routes;
use crate::drawing::{self, LinkStyle};
use crate::element::{Element, ElementKind, ElementProps};
use crate::layout::{GAP, LEAF_SIZE, effective_layout};
use crate::link::{Link, LinkProps};
use crate::rules::i18n::Lang;

/// The containment tree of a design, made safe for drawing: a parent that does not exist, or a
/// parent cycle, leaves the element at the top level. Shared with the Mermaid export.
#[derive(Debug)]
pub(crate) struct Tree {
    /// The index of each element's parent in `design.elements`.
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    pub roots: Vec<usize>,
    /// Element index by id (the first element with an id wins).
    pub index: HashMap<String, usize>,
}

impl Tree {
    pub(crate) fn new(design: &Design) -> Tree {
        let count = design.elements.len();
        let mut index = HashMap::new();
        for (i, element) in design.elements.iter().enumerate() {
            index.entry(element.id.as_str().to_owned()).or_insert(i);
        }
        let mut parent: Vec<Option<usize>> =
            design.elements.iter().map(|e| e.parent.as_ref().and_then(|p| index.get(p.as_str()).copied())).collect();
        // Cut every parent cycle: its members become top-level.
        let on_cycle: Vec<bool> = (0..count).map(|start| returns_to(&parent, start)).collect();
        for (p, cut) in parent.iter_mut().zip(on_cycle) {
            if cut {
                *p = None;
            }
        }
        let mut children = vec![Vec::new(); count];
        let mut roots = Vec::new();
        for (i, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(i),
                None => roots.push(i),
            }
        }
        Tree { parent, children, roots, index }
    }

    /// Indices in drawing order: every parent before its children.
    pub(crate) fn preorder(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.parent.len());
        let mut stack: Vec<usize> = self.roots.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            order.push(i);
            stack.extend(self.children[i].iter().rev().copied());
        }
        order
    }
}

/// Whether following parents from `start` comes back to it.
fn returns_to(parent: &[Option<usize>], start: usize) -> bool {
    let mut at = start;
    for _ in 0..parent.len() {
        match parent[at] {
            Some(next) if next == start => return true,
            Some(next) => at = next,
            None => return false,
        }
    }
    false
}

/// The design as a draw.io file, without icons.
pub fn drawio(design: &Design) -> String {
    drawio_with(design, None)
}

/// The design as a draw.io file, its elements with the icons of `sprite` (the text of
/// `assets/icons/sprite.svg`).
pub fn drawio_with(design: &Design, sprite: Option<&str>) -> String {
    let tree = Tree::new(design);
    let layout = effective_layout(design);
    let routes = Routes::new(design, &layout);
    let rect_of = |element: &Element| layout.get(&element.id).copied().unwrap_or_default();
    let title = if design.meta.title.is_empty() { "Moat design" } else { design.meta.title.as_str() };

    let mut out = String::new();
    out.push_str("<mxfile host=\"moat\" type=\"device\">\n");
    let _ = writeln!(out, "  <diagram id=\"moat\" name=\"{}\">", xml(title));
    out.push_str(
        "    <mxGraphModel grid=\"1\" gridSize=\"10\" guides=\"1\" tooltips=\"1\" connect=\"1\" arrows=\"1\" \
         fold=\"1\" page=\"0\" pageScale=\"1\" math=\"0\" shadow=\"0\">\n",
    );
    out.push_str("      <root>\n        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n");

    for i in tree.preorder() {
        let element = &design.elements[i];
        let rect = rect_of(element);
        let (parent_cell, origin) = match tree.parent[i] {
            Some(p) => (element_cell(p), rect_of(&design.elements[p])),
            None => ("1".to_owned(), Rect::default()),
        };
        let is_container = element.kind().is_container() || !tree.children[i].is_empty();
        let detail = detail(element);
        let label = if detail.is_empty() {
            element.display_name().to_owned()
        } else {
            format!("{}\n{detail}", element.display_name())
        };
        let _ = writeln!(
            out,
            "        <mxCell id=\"{}\" value=\"{}\" style=\"{}\" vertex=\"1\" parent=\"{}\">",
            element_cell(i),
            xml(&label),
            vertex_style(element.kind(), is_container, sprite),
            parent_cell
        );
        let _ = writeln!(
            out,
            "          <mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/>",
            num(rect.x - origin.x),
            num(rect.y - origin.y),
            num(rect.w),
            num(rect.h)
        );
        out.push_str("        </mxCell>\n");
    }

    // Link ends that name no element (the implied `internet`, a half-drawn link) get a
    // vertex of their own, in a column left of the drawing.
    let mut implied: Vec<&str> = Vec::new();
    for link in &design.links {
        for end in [link.from.as_str(), link.to.as_str()] {
            if !tree.index.contains_key(end) && !implied.contains(&end) {
                implied.push(end);
            }
        }
    }
    let left = layout.values().map(|r| r.x).fold(0.0, f64::min) - LEAF_SIZE.0 - 3.0 * GAP;
    for (k, end) in implied.iter().enumerate() {
        let _ = writeln!(
            out,
            "        <mxCell id=\"x{k}\" value=\"{}\" style=\"{}\" vertex=\"1\" parent=\"1\">",
            xml(end),
            vertex_style(ElementKind::Internet, false, sprite)
        );
        let _ = writeln!(
            out,
            "          <mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/>",
            num(left),
            num(k as f64 * (LEAF_SIZE.1 + GAP)),
            num(LEAF_SIZE.0),
            num(LEAF_SIZE.1)
        );
        out.push_str("        </mxCell>\n");
    }
    let end_cell = |end: &str| match tree.index.get(end) {
        Some(i) => element_cell(*i),
        None => format!("x{}", implied.iter().position(|e| *e == end).unwrap_or_default()),
    };

    for (i, link) in design.links.iter().enumerate() {
        let style = drawing::style_of(link);
        let route = routes.drawn[i].as_ref();
        // Where the route leaves and enters its boxes, as fractions of their sides.
        let ends = route.and_then(|route| {
            let (from, to) = (layout.get(&link.from)?, layout.get(&link.to)?);
            let (first, last) = (route.points[0], route.points[route.points.len() - 1]);
            Some(format!(
                "exitX={};exitY={};exitPerimeter=0;entryX={};entryY={};entryPerimeter=0;",
                fraction(first.0 - from.x, from.w),
                fraction(first.1 - from.y, from.h),
                fraction(last.0 - to.x, to.w),
                fraction(last.1 - to.y, to.h)
            ))
        });
        let _ = writeln!(
            out,
            "        <mxCell id=\"l{i}\" value=\"{}\" style=\"{}{}\" edge=\"1\" parent=\"1\" source=\"{}\" target=\"{}\">",
            xml(&link_label(link)),
            edge_style(&style),
            ends.unwrap_or_default(),
            end_cell(link.from.as_str()),
            end_cell(link.to.as_str())
        );
        let bends: Vec<(f64, f64)> = route.map(|r| r.points[1..r.points.len() - 1].to_vec()).unwrap_or_default();
        if bends.is_empty() {
            out.push_str("          <mxGeometry relative=\"1\" as=\"geometry\"/>\n        </mxCell>\n");
        } else {
            out.push_str("          <mxGeometry relative=\"1\" as=\"geometry\">\n            <Array as=\"points\">\n");
            for (x, y) in bends {
                let _ = writeln!(out, "              <mxPoint x=\"{}\" y=\"{}\"/>", num(x), num(y));
            }
            out.push_str("            </Array>\n          </mxGeometry>\n        </mxCell>\n");
        }
    }
    legend(&mut out, design, &layout);

    out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    out
}

/// The cell id of the element at `index` (cell ids are generated: design ids are free text
/// and may clash with draw.io's `0` and `1`).
fn element_cell(index: usize) -> String {
    format!("e{index}")
}

/// A number as draw.io writes it (whole numbers without a fraction).
fn num(value: f64) -> String {
    if value.is_finite() { format!("{value}") } else { "0".to_owned() }
}

/// Escapes text for an XML attribute value. Line breaks are written as character references
/// so they survive attribute normalisation; characters XML cannot carry become U+FFFD.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#xa;"),
            '\r' => out.push_str("&#xd;"),
            '\t' => out.push_str("&#x9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The second line of an element's label: what matters most about it at a glance.
pub(crate) fn detail(element: &Element) -> String {
    match &element.props {
        ElementProps::Region(r) => r.location.clone().unwrap_or_default(),
        ElementProps::OnPremises(o) => o.address_space.join(", "),
        ElementProps::Vnet(v) => v.address_space.join(", "),
        ElementProps::Subnet(s) => match &s.prefix {
            Some(prefix) => format!("{prefix} · {}", s.role.as_str()),
            None => s.role.as_str().to_owned(),
        },
        ElementProps::Vm(vm) => {
            let size = vm.size.as_deref().unwrap_or("vm");
            if vm.count == 1 { size.to_owned() } else { format!("{size} ×{}", vm.count) }
        }
        ElementProps::DedicatedHost(h) => h.sku.clone().unwrap_or_else(|| "dedicated host".to_owned()),
        ElementProps::Nsg(n) => format!("NSG · {} rules", n.rules.len()),
        ElementProps::Asg(_) => "ASG".to_owned(),
        ElementProps::RouteTable(r) => format!("route table · {} routes", r.routes.len()),
        ElementProps::Firewall(f) => format!("firewall · {}", enum_name(&f.tier)),
        ElementProps::Nva(n) => n.vendor.clone().unwrap_or_else(|| "NVA".to_owned()),
        ElementProps::VpnGateway(g) => format!("VPN gateway · {}", g.sku),
        ElementProps::ExpressRouteGateway(g) => format!("ExpressRoute gateway · {}", g.sku),
        ElementProps::Bastion(b) => format!("Bastion · {}", enum_name(&b.sku)),
        ElementProps::LoadBalancer(lb) => {
            format!("{} load balancer", if lb.public { "public" } else { "internal" })
        }
        ElementProps::AppGateway(a) => format!("App Gateway{}", if a.waf { " · WAF" } else { "" }),
        ElementProps::KeyVault(k) => format!("Key Vault · {}", enum_name(&k.sku)),
        ElementProps::RecoveryVault(_) => "Recovery Services vault".to_owned(),
        ElementProps::PrivateDnsZone(z) => z.zone.clone().unwrap_or_else(|| "private DNS zone".to_owned()),
        ElementProps::Internet(_) => "internet".to_owned(),
        ElementProps::TrafficManager(_) => "Traffic Manager".to_owned(),
        ElementProps::FrontDoor(_) => "Front Door".to_owned(),
    }
}

/// The name serde writes for a unit enum value.
fn enum_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The label of a link: its name, or what kind of traffic it carries.
pub(crate) fn link_label(link: &Link) -> String {
    if let Some(name) = &link.name {
        return name.clone();
    }
    match &link.props {
        LinkProps::Flow(flow) => {
            let protocol = enum_name(&flow.protocol);
            match flow.port {
                Some(port) => format!("{port}/{protocol}"),
                None => protocol,
            }
        }
        LinkProps::ExpressRoute(er) => format!("ExpressRoute {} Mbps", er.bandwidth_mbps),
        LinkProps::Replication(r) => format!("replication · {}", enum_name(&r.technology)),
        LinkProps::Peering(_) => "peering".to_owned(),
        LinkProps::Vpn(_) => "VPN".to_owned(),
        LinkProps::DnsLink(_) => "DNS link".to_owned(),
    }
}

/// A position along a side, as a fraction of its length (as draw.io writes ports).
fn fraction(offset: f64, length: f64) -> String {
    if length > 0.0 { num(((offset / length) * 1000.0).round() / 1000.0) } else { "0.5".to_owned() }
}

/// The legend of the link styles in use, under the drawing: a title and, for each style, a
/// short edge with its name.
fn legend(out: &mut String, design: &Design, layout: &crate::design::Layout) {
    let entries = drawing::legend(design, Lang::En);
    if entries.is_empty() {
        return;
    }
    let left = layout.values().map(|r| r.x).fold(f64::INFINITY, f64::min);
    let top = layout.values().map(|r| r.y + r.h).fold(f64::NEG_INFINITY, f64::max) + 2.0 * GAP;
    let height = 28.0 + 22.0 * entries.len() as f64;
    let _ = writeln!(
        out,
        "        <mxCell id=\"legend\" value=\"Legend\" style=\"html=0;rounded=1;arcSize=6;container=1;collapsible=0;\
         verticalAlign=top;align=left;spacingLeft=8;fontStyle=1;fillColor=#FFFFFF;strokeColor=#CBD2D9;\" vertex=\"1\" parent=\"1\">\n\
         \x20         <mxGeometry x=\"{}\" y=\"{}\" width=\"260\" height=\"{}\" as=\"geometry\"/>\n        </mxCell>",
        num(left),
        num(top),
        num(height)
    );
    for (k, entry) in entries.iter().enumerate() {
        let y = top + 34.0 + 22.0 * k as f64;
        let _ = writeln!(
            out,
            "        <mxCell id=\"legend-{k}\" value=\"\" style=\"{}\" edge=\"1\" parent=\"1\">\n\
             \x20         <mxGeometry relative=\"1\" as=\"geometry\">\n\
             \x20           <mxPoint x=\"{}\" y=\"{}\" as=\"sourcePoint\"/>\n\
             \x20           <mxPoint x=\"{}\" y=\"{}\" as=\"targetPoint\"/>\n\
             \x20         </mxGeometry>\n        </mxCell>",
            edge_style(&entry.style),
            num(left + 12.0),
            num(y),
            num(left + 60.0),
            num(y)
        );
        let _ = writeln!(
            out,
            "        <mxCell id=\"legend-{k}-name\" value=\"{}\" style=\"html=0;text;align=left;verticalAlign=middle;\
             fontColor=#1F2933;\" vertex=\"1\" parent=\"1\">\n\
             \x20         <mxGeometry x=\"{}\" y=\"{}\" width=\"180\" height=\"20\" as=\"geometry\"/>\n        </mxCell>",
            xml(entry.name),
            num(left + 70.0),
            num(y - 10.0)
        );
    }
}

/// (fill, stroke, dashed) per kind: the colours of Moat's own drawing.
fn colours(kind: ElementKind) -> (&'static str, &'static str, bool) {
    match kind {
        ElementKind::Region => ("#F7FBFF", "#0B6BCB", true),
        ElementKind::Vnet => ("#F6FCF8", "#2F855A", false),
        ElementKind::Subnet => ("#F0F4F8", "#6B7A89", false),
        _ => ("#FFFFFF", "#9AA5B1", false),
    }
}

fn vertex_style(kind: ElementKind, container: bool, sprite: Option<&str>) -> String {
    use base64::Engine;
    let (fill, stroke, dashed) = colours(kind);
    let dashed = if dashed { "dashed=1;dashPattern=8 4;" } else { "" };
    let base = format!("html=0;whiteSpace=wrap;fillColor={fill};strokeColor={stroke};fontColor=#1F2933;{dashed}");
    // The icon, as draw.io takes a picture in a style: base64 after the comma (a style's
    // values cannot hold ';').
    let icon = sprite.and_then(|sprite| super::svg::standalone_icon(sprite, kind)).map(|svg| {
        let data = base64::engine::general_purpose::STANDARD.encode(svg);
        format!("image=data:image/svg+xml,{data};imageWidth=24;imageHeight=24;imageAlign=left;imageVerticalAlign=top;")
    });
    if container {
        format!(
            "{base}shape=label;rounded=1;arcSize=2;container=1;collapsible=0;verticalAlign=top;align=left;\
             spacingLeft={};spacingTop=6;fontStyle=1;{}",
            if icon.is_some() { 32 } else { 8 },
            icon.unwrap_or_default()
        )
    } else {
        format!(
            "{base}shape=label;rounded=1;arcSize=8;align=left;verticalAlign=top;spacingLeft={};spacingTop=6;{}",
            if icon.is_some() { 34 } else { 8 },
            icon.unwrap_or_default()
        )
    }
}

/// A link's style in draw.io: orthogonal edges in the link kind's colour, width and dashes,
/// with an arrowhead when it has a direction.
fn edge_style(style: &LinkStyle) -> String {
    let dash = if style.dash == "none" { String::new() } else { format!("dashed=1;dashPattern={};", style.dash) };
    let end = if style.directed { "endArrow=block;endFill=1;" } else { "endArrow=none;" };
    format!(
        "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;html=0;strokeColor={};strokeWidth={};{dash}{end}",
        style.colour.to_uppercase(),
        style.width
    )
}
