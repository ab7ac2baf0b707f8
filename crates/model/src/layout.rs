//! Automatic layout: where to draw elements that have no position in the design's
//! `layout` (a design written by hand or by another tool). Containers (region, VNet,
//! subnet) are sized to their content.

use std::collections::{HashMap, HashSet};

use crate::design::{Design, Layout, Rect};
use crate::element::{Element, ElementKind};
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
    let mut planner = Planner { children, sizes: HashMap::new(), layout: Layout::new() };

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

struct Planner<'a> {
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
        let size = if self.is_box(element, depth) {
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
            LEAF_SIZE
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
}
