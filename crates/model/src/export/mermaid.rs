//! Mermaid export: a `flowchart LR` with a nested `subgraph` per region, VNet and subnet, a
//! node per other element and an edge per link.
//!
//! Node ids are generated from element ids (only `[A-Za-z0-9_]`, unique, prefixed so none is
//! a Mermaid keyword), and every label is quoted with Mermaid's entity codes for anything that
//! could end the quote or be read as markup, so a hostile name stays text.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::drawio::{Tree, detail, link_label};
use crate::design::Design;
use crate::element::{Element, ElementKind};
use crate::link::LinkKind;

/// The design as a Mermaid flowchart.
pub fn mermaid(design: &Design) -> String {
    let tree = Tree::new(design);
    let mut ids = Ids::default();
    let node_ids: Vec<String> = design.elements.iter().map(|e| ids.make(e.id.as_str())).collect();

    let mut out = String::from("flowchart LR\n");
    // Subgraph classes are assigned at the end, at the top level, where no subgraph can
    // take the statement for a member.
    let mut classes = Vec::new();
    for root in &tree.roots {
        write_element(&mut out, &mut classes, design, &tree, &node_ids, *root, 1);
    }

    // Link ends that name no element (the implied `internet`, a half-drawn link) get a node.
    let mut implied: HashMap<&str, String> = HashMap::new();
    for link in &design.links {
        for end in [link.from.as_str(), link.to.as_str()] {
            if !tree.index.contains_key(end) && !implied.contains_key(end) {
                let id = ids.make(end);
                let _ = writeln!(out, "    {id}((\"{}\")):::internet", label(end));
                implied.insert(end, id);
            }
        }
    }
    let node_of = |end: &str| match tree.index.get(end) {
        Some(i) => node_ids[*i].clone(),
        None => implied.get(end).cloned().unwrap_or_default(),
    };

    for link in &design.links {
        let arrow = match link.kind() {
            LinkKind::Flow => "-->",
            LinkKind::Peering => "<-.->",
            LinkKind::Vpn | LinkKind::Replication => "-.->",
            LinkKind::ExpressRoute => "==>",
            LinkKind::DnsLink => "-.-",
        };
        let _ = writeln!(
            out,
            "    {} {arrow}|\"{}\"| {}",
            node_of(link.from.as_str()),
            label(&link_label(link)),
            node_of(link.to.as_str())
        );
    }

    for line in classes {
        let _ = writeln!(out, "    {line}");
    }
    for (class, style) in CLASSES {
        let _ = writeln!(out, "    classDef {class} {style}");
    }
    out
}

/// Writes an element: a subgraph holding its children for a container, a node otherwise
/// (children of a non-container, in a malformed design, follow it at the same level).
fn write_element(
    out: &mut String,
    classes: &mut Vec<String>,
    design: &Design,
    tree: &Tree,
    node_ids: &[String],
    i: usize,
    depth: usize,
) {
    let element = &design.elements[i];
    let indent = "    ".repeat(depth);
    let text = element_label(element);
    if element.kind().is_container() {
        let _ = writeln!(out, "{indent}subgraph {}[\"{}\"]", node_ids[i], label(&text));
        for child in &tree.children[i] {
            write_element(out, classes, design, tree, node_ids, *child, depth + 1);
        }
        let _ = writeln!(out, "{indent}end");
        classes.push(format!("class {} {}", node_ids[i], class(element.kind())));
    } else {
        let (open, close) = shape(element.kind());
        let _ = writeln!(out, "{indent}{}{open}\"{}\"{close}:::{}", node_ids[i], label(&text), class(element.kind()));
        for child in &tree.children[i] {
            write_element(out, classes, design, tree, node_ids, *child, depth);
        }
    }
}

fn element_label(element: &Element) -> String {
    let detail = detail(element);
    if detail.is_empty() {
        element.display_name().to_owned()
    } else {
        format!("{} · {detail}", element.display_name())
    }
}

/// Unique Mermaid ids made from design ids.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
}

impl Ids {
    fn make(&mut self, id: &str) -> String {
        let clean: String = id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        // The prefix keeps ids clear of keywords (`end`, `subgraph`) and edge syntax (`o`, `x`).
        let base = format!("n_{clean}");
        let mut candidate = base.clone();
        let mut n = 2;
        while self.used.contains(&candidate) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

/// Text for inside a `"…"` label: Mermaid entity codes for what could end the quote, start
/// markup or a markdown string; line breaks and control characters become spaces.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' | '|' | '`' | '\\' | '[' | ']' | '{' | '}' | '(' | ')' | ';' => {
                let _ = write!(out, "#{};", c as u32);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Node shape brackets per kind.
fn shape(kind: ElementKind) -> (&'static str, &'static str) {
    use ElementKind::*;
    match kind {
        Internet | FrontDoor | TrafficManager => ("((", "))"),
        OnPremises => ("[[", "]]"),
        KeyVault | RecoveryVault => ("[(", ")]"),
        Firewall | Nva | Nsg | Asg | RouteTable => ("{{", "}}"),
        LoadBalancer | AppGateway => ("([", "])"),
        _ => ("[", "]"),
    }
}

/// The style class of a kind (one of `CLASSES`).
fn class(kind: ElementKind) -> &'static str {
    use ElementKind::*;
    match kind {
        Region => "region",
        Vnet => "vnet",
        Subnet => "subnet",
        OnPremises => "onPremises",
        Internet | TrafficManager | FrontDoor => "internet",
        Vm | DedicatedHost => "compute",
        Nsg | Asg | RouteTable => "policy",
        Firewall | Nva => "firewall",
        VpnGateway | ExpressRouteGateway | Bastion => "gateway",
        LoadBalancer | AppGateway => "balancer",
        KeyVault | RecoveryVault | PrivateDnsZone => "vault",
    }
}

const CLASSES: &[(&str, &str)] = &[
    ("region", "fill:#F5F9FF,stroke:#0078D4"),
    ("vnet", "fill:#EAF3FB,stroke:#2F7FC1"),
    ("subnet", "fill:#FFFFFF,stroke:#6C9BD2,stroke-dasharray:4 2"),
    ("onPremises", "fill:#F2F2F2,stroke:#595959"),
    ("internet", "fill:#FFF4E5,stroke:#D97706"),
    ("compute", "fill:#E6F2FB,stroke:#005BA1"),
    ("policy", "fill:#FDF3E7,stroke:#B7791F"),
    ("firewall", "fill:#FDECEA,stroke:#C0392B"),
    ("gateway", "fill:#EEF7EE,stroke:#2E7D32"),
    ("balancer", "fill:#E8F5F3,stroke:#00897B"),
    ("vault", "fill:#FFF8E1,stroke:#8D6E00"),
];
