//! Automatic layout: where to draw elements that have no position in the design's
//! `layout` (a design written by hand or by another tool), and the whole of a design that
//! is tidied up. Laid out as an architect draws it: things outside Azure on the left (the
//! way on-premises traffic comes in), each region to their right with its hub VNet first
//! (its gateway subnet on top) and the spokes beside it; under each VNet the NSGs, route
//! tables and ASGs that protect it; the region's other services below. Containers (region,
//! VNet, subnet) are sized to their content, leaves to their labels.

use std::collections::{HashMap, HashSet};

use crate::design::{Design, Layout, Rect};
use crate::element::{Element, ElementKind, ElementProps};
use crate::ids::ElementId;

/// The size of an element drawn as an icon with a label.
pub const LEAF_SIZE: (f64, f64) = (150.0, 64.0);
/// Space between siblings and around a container's content.
pub const GAP: f64 = 24.0;
/// Room at the top of a container for its title.
pub const HEADER: f64 = 36.0;
/// Leaves per row inside a container before wrapping.
const LEAVES_PER_ROW: usize = 5;
/// Nesting deeper than any valid design (region ⊃ vnet ⊃ subnet ⊃ vm) is drawn flat.
const MAX_DEPTH: usize = 8;

/// The box of every element: the design's own layout where it has one, automatic elsewhere.
pub fn effective_layout(design: &Design) -> Layout {
    match &design.layout {
        Some(given) if places_every_element(design) => given.clone(),
        None => auto_layout(design),
        Some(given) => {
            let auto = auto_layout(design);
            let mut merged = auto;
            merged.extend(given.iter().map(|(id, rect)| (id.clone(), *rect)));
            merged
        }
    }
}

/// Whether the design's own layout gives every element a box (then it is the effective
/// layout as it stands).
pub fn places_every_element(design: &Design) -> bool {
    design.layout.as_ref().is_some_and(|given| design.elements.iter().all(|e| given.contains_key(&e.id)))
}

/// Whether two designs are drawn in the same places: the same elements in the same order,
/// each with the same kind and parent, the same links between the same ends, and the same
/// layout. Then [`effective_layout`], [`drawing_positions`] and where each link runs are the
/// same for both, and a view may keep what it computed for the first. Compares without
/// copying anything, so it is much quicker than computing them again.
pub fn same_geometry(a: &Design, b: &Design) -> bool {
    a.layout == b.layout && same_structure(a, b)
}

/// Whether two designs hold the same elements in the same order, each with the same kind
/// and parent, and the same links between the same ends, wherever they are placed: then
/// [`drawing_positions`] is the same for both (a move changes the layout only).
pub fn same_structure(a: &Design, b: &Design) -> bool {
    a.elements.len() == b.elements.len()
        && a.links.len() == b.links.len()
        && a.elements.iter().zip(&b.elements).all(|(x, y)| {
            std::sync::Arc::ptr_eq(x, y) || (x.id == y.id && x.parent == y.parent && x.kind() == y.kind())
        })
        && a.links.iter().zip(&b.links).all(|(x, y)| x.from == y.from && x.to == y.to)
}

/// The elements whose box differs from `a` to `b`, when both designs' own layouts give boxes
/// to the same elements (`None` otherwise). One pass over the two sorted layouts, without a
/// lookup: after a move, a view redraws what the move changed instead of looking up every box.
pub fn moved_boxes<'a>(a: &Design, b: &'a Design) -> Option<Vec<&'a ElementId>> {
    let (a, b) = (a.layout.as_ref()?, b.layout.as_ref()?);
    if a.len() != b.len() {
        return None;
    }
    let mut moved = Vec::new();
    for ((id_a, rect_a), (id_b, rect_b)) in a.iter().zip(b) {
        if id_a != id_b {
            return None;
        }
        if rect_a != rect_b {
            moved.push(id_b);
        }
    }
    Some(moved)
}

/// How many containers an element is nested in (bounded: a malformed design may have a
/// parent cycle). Drawing deeper elements later puts what is inside on top. Looks parents up
/// one by one: to order a whole design, use [`drawing_order`].
pub fn depth(design: &Design, element: &Element) -> usize {
    depth_by(element, |id| design.element(id))
}

fn depth_by<'a>(element: &'a Element, lookup: impl Fn(&str) -> Option<&'a Element>) -> usize {
    let mut depth = 0;
    let mut parent = element.parent.as_ref();
    while let Some(id) = parent.filter(|_| depth < 16) {
        depth += 1;
        parent = lookup(id.as_str()).and_then(|p| p.parent.as_ref());
    }
    depth
}

/// Every element in the order to draw it: containers before the rest, each group by
/// [`depth`], in document order among equals (so what is inside ends up on top). Linear in
/// the design apart from the sort.
pub fn drawing_order(design: &Design) -> Vec<&Element> {
    drawing_positions(design).into_iter().map(|i| &*design.elements[i]).collect()
}

/// [`drawing_order`] as positions in `design.elements`.
pub fn drawing_positions(design: &Design) -> Vec<usize> {
    let index = design.index();
    let mut order: Vec<(bool, usize, usize)> = design
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (!e.kind().is_container(), depth_by(e, |id| index.element(id)), i))
        .collect();
    // Stable: equals keep their document order.
    crate::sorting::sort_by_key(&mut order, |(leaf, depth, _)| (*leaf, *depth));
    order.into_iter().map(|(_, _, i)| i).collect()
}

/// Lays every element out from scratch.
pub fn auto_layout(design: &Design) -> Layout {
    let ids: HashSet<&str> = design.elements.iter().map(|e| e.id.as_str()).collect();
    let mut children: HashMap<&str, Vec<&Element>> = HashMap::new();
    let mut roots = Vec::new();
    for element in design.elements.iter().map(std::sync::Arc::as_ref) {
        match element.parent.as_ref().map(ElementId::as_str).filter(|p| ids.contains(p) && *p != element.id.as_str()) {
            Some(parent) => children.entry(parent).or_default().push(element),
            None => roots.push(element),
        }
    }
    let homes = protected_vnets(design);
    let names: HashMap<&str, &str> = design.elements.iter().map(|e| (e.id.as_str(), e.display_name())).collect();
    let hubs = hub_vnets(design);
    let mut planner =
        Planner { names, children, homes, hubs, plans: HashMap::new(), sizes: HashMap::new(), layout: Layout::new() };

    // Things outside Azure (internet, on-premises, global services) stand in a column on
    // the left; regions in a row to their right.
    let (outside, regions): (Vec<&Element>, Vec<&Element>) = roots.into_iter().partition(|e| !planner.is_box(e, 0));
    let mut y = 0.0;
    for element in &outside {
        planner.place(element, 0.0, y, 0);
        y += planner.size(element, 0).1 + GAP;
    }
    let mut x = if outside.is_empty() { 0.0 } else { LEAF_SIZE.0 + 3.0 * GAP };
    for element in &regions {
        planner.place(element, x, 0.0, 0);
        x += planner.size(element, 0).0 + GAP;
    }

    // Whatever was not reached (a parent cycle in a malformed design) goes below the rest.
    let bottom = planner.layout.values().map(|r| r.y + r.h).fold(0.0, f64::max) + GAP;
    let mut x = 0.0;
    for element in &design.elements {
        if !planner.layout.contains_key(&element.id) {
            planner.layout.insert(element.id.clone(), Rect { x, y: bottom, w: LEAF_SIZE.0, h: LEAF_SIZE.1 });
            x += LEAF_SIZE.0 + GAP;
        }
    }
    planner.layout
}

/// The VNet each NSG, route table and ASG protects first (through a subnet, or a VM in one):
/// it is drawn under that VNet.
fn protected_vnets(design: &Design) -> HashMap<&str, &str> {
    let index = design.index();
    let vnet_of_subnet = |subnet: &str| index.element(subnet).and_then(|s| s.parent.as_ref()).map(ElementId::as_str);
    let mut homes: HashMap<&str, &str> = HashMap::new();
    for element in &design.elements {
        let (protectors, vnet): (Vec<&ElementId>, Option<&str>) = match &element.props {
            ElementProps::Subnet(subnet) => {
                (subnet.nsg.iter().chain(&subnet.route_table).collect(), element.parent.as_ref().map(ElementId::as_str))
            }
            ElementProps::Vm(vm) => (
                vm.nsg.iter().chain(&vm.asgs).collect(),
                element.parent.as_ref().and_then(|s| vnet_of_subnet(s.as_str())),
            ),
            _ => continue,
        };
        if let Some(vnet) = vnet {
            for protector in protectors {
                homes.entry(protector.as_str()).or_insert(vnet);
            }
        }
    }
    homes
}

/// The VNets peered with two or more others: hubs, drawn first in their region.
fn hub_vnets(design: &Design) -> HashSet<&str> {
    let mut peerings: HashMap<&str, usize> = HashMap::new();
    for link in design.links.iter().filter(|l| l.kind() == crate::link::LinkKind::Peering) {
        *peerings.entry(link.from.as_str()).or_default() += 1;
        *peerings.entry(link.to.as_str()).or_default() += 1;
    }
    peerings.into_iter().filter(|(_, n)| *n >= 2).map(|(id, _)| id).collect()
}

/// Where a region's children go, relative to its top-left corner, and its size.
#[derive(Clone, Default)]
struct RegionPlan<'a> {
    places: Vec<(&'a Element, f64, f64)>,
    size: (f64, f64),
}

struct Planner<'a> {
    /// Each element's name by id.
    names: HashMap<&'a str, &'a str>,
    /// The VNet each NSG, route table and ASG is drawn under.
    homes: HashMap<&'a str, &'a str>,
    hubs: HashSet<&'a str>,
    plans: HashMap<&'a str, RegionPlan<'a>>,
    children: HashMap<&'a str, Vec<&'a Element>>,
    sizes: HashMap<&'a str, (f64, f64)>,
    layout: Layout,
}

impl<'a> Planner<'a> {
    /// Drawn as a box around children (containers always are, even when empty).
    fn is_box(&self, element: &Element, depth: usize) -> bool {
        depth < MAX_DEPTH && (element.kind().is_container() || self.children.contains_key(element.id.as_str()))
    }

    fn kids(&self, element: &Element, depth: usize) -> Vec<&'a Element> {
        if depth >= MAX_DEPTH {
            Vec::new()
        } else {
            self.children.get(element.id.as_str()).cloned().unwrap_or_default()
        }
    }

    fn size(&mut self, element: &'a Element, depth: usize) -> (f64, f64) {
        if let Some(size) = self.sizes.get(element.id.as_str()) {
            return *size;
        }
        let size = if element.kind() == ElementKind::Region && self.is_box(element, depth) {
            self.region_plan(element, depth).size
        } else if self.is_box(element, depth) {
            let rows = self.rows(element, depth);
            let mut width: f64 = 220.0;
            let mut height = HEADER;
            for row in &rows {
                let (w, h) = self.row_size(row, depth + 1);
                width = width.max(w + 2.0 * GAP);
                height += h + GAP;
            }
            (width, height.max(120.0))
        } else {
            (crate::drawing::leaf_width(element, &|id| self.names.get(id).map(|n| (*n).to_owned())), LEAF_SIZE.1)
        };
        self.sizes.insert(element.id.as_str(), size);
        size
    }

    /// The children of a box in rows: nested boxes first, then leaves. A VNet stacks its
    /// subnets one under the other, as tiers are usually drawn.
    fn rows(&self, element: &Element, depth: usize) -> Vec<Vec<&'a Element>> {
        let kids = self.kids(element, depth);
        let (boxes, leaves): (Vec<&Element>, Vec<&Element>) = kids.into_iter().partition(|k| self.is_box(k, depth + 1));
        let mut rows: Vec<Vec<&Element>> = if element.kind() == ElementKind::Vnet {
            boxes.into_iter().map(|b| vec![b]).collect()
        } else if boxes.is_empty() {
            Vec::new()
        } else {
            vec![boxes]
        };
        rows.extend(leaves.chunks(LEAVES_PER_ROW).map(<[&Element]>::to_vec));
        rows
    }

    fn row_size(&mut self, row: &[&'a Element], depth: usize) -> (f64, f64) {
        let sizes: Vec<(f64, f64)> = row.iter().map(|e| self.size(e, depth)).collect();
        let width = sizes.iter().map(|s| s.0).sum::<f64>() + GAP * (sizes.len().saturating_sub(1)) as f64;
        let height = sizes.iter().map(|s| s.1).fold(0.0, f64::max);
        (width, height)
    }

    fn place(&mut self, element: &'a Element, x: f64, y: f64, depth: usize) {
        let (w, h) = self.size(element, depth);
        self.layout.insert(element.id.clone(), Rect { x, y, w, h });
        if !self.is_box(element, depth) {
            return;
        }
        if element.kind() == ElementKind::Region {
            for (child, dx, dy) in self.region_plan(element, depth).places {
                self.place(child, x + dx, y + dy, depth + 1);
            }
            return;
        }
        let mut row_y = y + HEADER;
        for row in self.rows(element, depth) {
            let (_, row_height) = self.row_size(&row, depth + 1);
            let mut child_x = x + GAP;
            for child in row {
                self.place(child, child_x, row_y, depth + 1);
                child_x += self.size(child, depth + 1).0 + GAP;
            }
            row_y += row_height + GAP;
        }
        if element.kind() == ElementKind::Vnet {
            // Subnets stacked in a VNet share its full width, like tiers in a diagram.
            let boxes: Vec<&Element> =
                self.kids(element, depth).into_iter().filter(|c| self.is_box(c, depth + 1)).collect();
            for child in boxes {
                if let Some(rect) = self.layout.get_mut(&child.id) {
                    rect.w = w - 2.0 * GAP;
                }
            }
        }
    }

    /// A region: its hub VNet first, the other VNets in a grid beside it, each VNet with the
    /// NSGs, route tables and ASGs that protect it in rows under it (or beside it), and the rest of the
    /// region's content in rows at the bottom.
    fn region_plan(&mut self, region: &'a Element, depth: usize) -> RegionPlan<'a> {
        if let Some(plan) = self.plans.get(region.id.as_str()) {
            return plan.clone();
        }
        let kids = self.kids(region, depth);
        let vnets: Vec<&'a Element> = kids.iter().copied().filter(|k| k.kind() == ElementKind::Vnet).collect();
        let vnet_ids: HashSet<&str> = vnets.iter().map(|v| v.id.as_str()).collect();
        let mut under: HashMap<&str, Vec<&'a Element>> = HashMap::new();
        let mut rest: Vec<&'a Element> = Vec::new();
        for kid in kids.iter().copied().filter(|k| k.kind() != ElementKind::Vnet) {
            match self.homes.get(kid.id.as_str()).filter(|home| vnet_ids.contains(*home)) {
                Some(home) if !self.is_box(kid, depth + 1) => under.entry(home).or_default().push(kid),
                _ => rest.push(kid),
            }
        }
        let (hubs, spokes): (Vec<&'a Element>, Vec<&'a Element>) =
            vnets.into_iter().partition(|v| self.hubs.contains(v.id.as_str()));

        // Each VNet with what protects it: a block. Under a wide VNet, beside a tall one (in
        // two columns), so the block stays near square.
        let mut block = |planner: &mut Self, vnet: &'a Element| {
            let (w, h) = planner.size(vnet, depth + 1);
            let mut places = vec![(vnet, 0.0, 0.0)];
            let items = under.remove(vnet.id.as_str()).unwrap_or_default();
            if items.is_empty() {
                return (places, (w, h));
            }
            if h > w {
                let column = 2.0 * crate::drawing::LEAF_MIN_WIDTH + GAP;
                let (rows_w, rows_h) = planner.flow(&items, column, w + GAP, 0.0, depth + 1, &mut places);
                (places, (w + GAP + rows_w, h.max(rows_h)))
            } else {
                let (rows_w, rows_h) = planner.flow(&items, w, 0.0, h + GAP, depth + 1, &mut places);
                (places, (w.max(rows_w), h + GAP + rows_h))
            }
        };
        let mut places: Vec<(&'a Element, f64, f64)> = Vec::new();
        let (mut x, top) = (GAP, HEADER);
        let mut bottom = top;
        for hub in hubs {
            let (block_places, (w, h)) = block(self, hub);
            places.extend(block_places.into_iter().map(|(e, dx, dy)| (e, x + dx, top + dy)));
            x += w + 2.0 * GAP;
            bottom = bottom.max(top + h);
        }
        // Spokes in a grid: one row for a few, about square for many.
        let columns =
            if spokes.len() <= 3 { spokes.len().max(1) } else { (spokes.len() as f64).sqrt().ceil() as usize };
        let mut right = x;
        let mut row_top = top;
        for row in spokes.chunks(columns) {
            let mut column_x = x;
            let mut row_height: f64 = 0.0;
            for spoke in row {
                let (block_places, (w, h)) = block(self, spoke);
                places.extend(block_places.into_iter().map(|(e, dx, dy)| (e, column_x + dx, row_top + dy)));
                column_x += w + GAP;
                row_height = row_height.max(h);
            }
            right = right.max(column_x);
            row_top += row_height + GAP;
            bottom = bottom.max(row_top - GAP);
        }
        let width = (right - GAP).max(x - 2.0 * GAP).max(GAP) + GAP;
        let rest_top = if places.is_empty() { top } else { bottom + GAP };
        let (rest_w, rest_h) =
            self.flow(&rest, (width - 2.0 * GAP).max(LEAF_SIZE.0), GAP, rest_top, depth + 1, &mut places);
        let height = if rest.is_empty() { bottom } else { rest_top + rest_h };
        let plan = RegionPlan { places, size: (width.max(rest_w + 2.0 * GAP).max(220.0), (height + GAP).max(120.0)) };
        self.plans.insert(region.id.as_str(), plan.clone());
        plan
    }

    /// Elements in rows of at most `width` from (`x`, `y`), added to `places`: the width and
    /// height they take.
    fn flow(
        &mut self,
        items: &[&'a Element],
        width: f64,
        x: f64,
        y: f64,
        depth: usize,
        places: &mut Vec<(&'a Element, f64, f64)>,
    ) -> (f64, f64) {
        let (mut at_x, mut at_y, mut row_h, mut widest) = (0.0, 0.0, 0.0_f64, 0.0_f64);
        for item in items {
            let (w, h) = self.size(item, depth);
            if at_x > 0.0 && at_x + w > width {
                at_x = 0.0;
                at_y += row_h + GAP;
                row_h = 0.0;
            }
            places.push((item, x + at_x, y + at_y));
            at_x += w + GAP;
            row_h = row_h.max(h);
            widest = widest.max(at_x - GAP);
        }
        (widest, at_y + row_h)
    }
}
