//! draw.io export: an uncompressed `mxfile` with one vertex per element (regions, VNets and
//! subnets as containers, children placed relative to them) and one edge per link.
//!
//! Labels are plain text (`html=0`), and every attribute value is XML-escaped, so no name can
//! become markup either in the file or in draw.io's rendering.

use std::collections::HashMap;
use std::fmt::Write;

use crate::design::{Design, Rect};
use crate::element::{Element, ElementKind, ElementProps};
use crate::layout::{GAP, LEAF_SIZE, effective_layout};
use crate::link::{Link, LinkKind, LinkProps};

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

/// The design as a draw.io file.
pub fn drawio(design: &Design) -> String {
    let tree = Tree::new(design);
    let layout = effective_layout(design);
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
            vertex_style(element.kind(), is_container),
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
            vertex_style(ElementKind::Internet, false)
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
        let _ = writeln!(
            out,
            "        <mxCell id=\"l{i}\" value=\"{}\" style=\"{}\" edge=\"1\" parent=\"1\" source=\"{}\" target=\"{}\">",
            xml(&link_label(link)),
            edge_style(link.kind()),
            end_cell(link.from.as_str()),
            end_cell(link.to.as_str())
        );
        out.push_str("          <mxGeometry relative=\"1\" as=\"geometry\"/>\n        </mxCell>\n");
    }

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

/// (fill, stroke) colours per kind, in Azure's palette.
fn colours(kind: ElementKind) -> (&'static str, &'static str) {
    use ElementKind::*;
    match kind {
        Region => ("#F5F9FF", "#0078D4"),
        Vnet => ("#EAF3FB", "#2F7FC1"),
        Subnet => ("#FFFFFF", "#6C9BD2"),
        OnPremises => ("#F2F2F2", "#595959"),
        Internet | TrafficManager | FrontDoor => ("#FFF4E5", "#D97706"),
        Vm | DedicatedHost => ("#E6F2FB", "#005BA1"),
        Nsg | Asg | RouteTable => ("#FDF3E7", "#B7791F"),
        Firewall | Nva => ("#FDECEA", "#C0392B"),
        VpnGateway | ExpressRouteGateway => ("#EEF7EE", "#2E7D32"),
        Bastion => ("#EDE7F6", "#5E35B1"),
        LoadBalancer | AppGateway => ("#E8F5F3", "#00897B"),
        KeyVault | RecoveryVault | PrivateDnsZone => ("#FFF8E1", "#8D6E00"),
    }
}

fn vertex_style(kind: ElementKind, container: bool) -> String {
    let (fill, stroke) = colours(kind);
    let base = format!("html=0;whiteSpace=wrap;fillColor={fill};strokeColor={stroke};fontColor=#1B1B1B;");
    if container {
        let dashed = if kind == ElementKind::Subnet { "dashed=1;" } else { "" };
        format!(
            "{base}rounded=1;arcSize=4;container=1;collapsible=0;verticalAlign=top;align=left;\
             spacingLeft=8;spacingTop=4;fontStyle=1;{dashed}"
        )
    } else {
        let shape = match kind {
            ElementKind::Internet | ElementKind::FrontDoor | ElementKind::TrafficManager => "ellipse;",
            ElementKind::KeyVault | ElementKind::RecoveryVault => "shape=cylinder3;boundedLbl=1;size=8;",
            ElementKind::Firewall | ElementKind::Nva | ElementKind::Nsg => "shape=hexagon;perimeter=hexagonPerimeter2;",
            _ => "rounded=1;",
        };
        format!("{base}{shape}")
    }
}

fn edge_style(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Peering => {
            "edgeStyle=orthogonalEdgeStyle;html=0;dashed=1;strokeColor=#2F7FC1;startArrow=block;endArrow=block;"
        }
        LinkKind::Vpn => {
            "edgeStyle=orthogonalEdgeStyle;html=0;dashed=1;dashPattern=8 4;strokeColor=#2E7D32;endArrow=none;"
        }
        LinkKind::ExpressRoute => {
            "edgeStyle=orthogonalEdgeStyle;html=0;strokeWidth=3;strokeColor=#2E7D32;endArrow=none;"
        }
        LinkKind::Flow => "edgeStyle=orthogonalEdgeStyle;html=0;strokeColor=#1B1B1B;endArrow=block;endFill=1;",
        LinkKind::Replication => {
            "edgeStyle=orthogonalEdgeStyle;html=0;dashed=1;dashPattern=2 2;strokeColor=#8D6E00;endArrow=open;"
        }
        LinkKind::DnsLink => {
            "edgeStyle=orthogonalEdgeStyle;html=0;dashed=1;dashPattern=1 3;strokeColor=#8D6E00;endArrow=none;"
        }
    }
}
