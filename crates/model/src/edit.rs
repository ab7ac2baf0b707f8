//! Editing a design: every change the editor makes, as a function on a [`Design`].
//! Views translate gestures into these calls; what is allowed, which id a new element
//! gets, what follows a move or a delete is decided here.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use ipnet::{IpNet, Ipv4Net};
use serde_json::Value;

use crate::check::{a, parse_cidr, placement_phrase};
use crate::design::{Design, Layout, Rect};
use crate::element::{Element, ElementKind, ElementProps, Placement, SubnetRole};
use crate::ids::{ElementId, LinkId};
use crate::layout::{GAP, HEADER, LEAF_SIZE, effective_layout};
use crate::link::{Link, LinkKind};

/// Why `kind` cannot be placed in `parent`, in words for a hint; `None` when it can.
pub fn placement_error(design: &Design, kind: ElementKind, parent: Option<&str>) -> Option<String> {
    let parent = parent.and_then(|id| design.element(id));
    if fits_in(kind, parent) {
        None
    } else if kind.placement() == Placement::TopLevel {
        Some(format!("{} stands at the top level, outside regions", a(kind)))
    } else {
        Some(format!("{} goes in {}", a(kind), placement_phrase(kind)))
    }
}

/// Whether an element of `kind` may live in `parent` (`None`: at the top level); what
/// [`placement_error`] decides, without looking the parent up or saying why.
pub fn fits_in(kind: ElementKind, parent: Option<&Element>) -> bool {
    match (kind.placement(), parent) {
        (Placement::TopLevel, parent) => parent.is_none(),
        (Placement::In(container), Some(parent)) => parent.kind() == container,
        (Placement::InSubnetWithRole(role), Some(parent)) => {
            parent.props.as_subnet().is_some_and(|subnet| subnet.role == role)
        }
        (_, None) => false,
    }
}

/// A readable id not yet used in the design: `vm-1`, `subnet-2`, `route-table-1`.
pub fn new_element_id(design: &Design, kind: ElementKind) -> ElementId {
    ElementId(free_id(design, &kebab(kind.as_str())))
}

/// A readable link id not yet used in the design: `peering-1`, `flow-3`.
pub fn new_link_id(design: &Design, kind: LinkKind) -> LinkId {
    LinkId(free_id(design, &kebab(kind.as_str())))
}

/// Lays the whole design out again as the automatic layout draws it ("Tidy up"): hub first,
/// spokes beside it, what protects a VNet under it, no overlaps.
pub fn tidy_up(design: &mut Design) {
    design.layout = Some(crate::layout::auto_layout(design));
}

/// Gives every element a box in the design's own layout, so edits have positions to move.
pub fn pin_layout(design: &mut Design) {
    if !crate::layout::places_every_element(design) {
        design.layout = Some(effective_layout(design));
    }
}

/// The size a new element of `kind` starts with.
pub fn initial_size(kind: ElementKind) -> (f64, f64) {
    match kind {
        ElementKind::Region => (720.0, 480.0),
        ElementKind::Vnet => (520.0, 320.0),
        ElementKind::Subnet => (420.0, 140.0),
        _ => LEAF_SIZE,
    }
}

/// Adds an element of `kind` in `parent`, centred on `at`. Returns its id, or a hint when
/// the kind cannot live there ("a vm goes in a subnet").
pub fn add_element(
    design: &mut Design,
    kind: ElementKind,
    parent: Option<ElementId>,
    at: (f64, f64),
) -> Result<ElementId, String> {
    if let Some(hint) = placement_error(design, kind, parent.as_ref().map(ElementId::as_str)) {
        return Err(hint);
    }
    pin_layout(design);
    let id = new_element_id(design, kind);
    let mut element = Element::new(id.clone(), kind, parent.clone());
    sensible_defaults(design, &mut element);
    let (w, h) = initial_size(kind);
    design.elements.push(Arc::new(element));
    layout_mut(design).insert(id.clone(), Rect { x: at.0 - w / 2.0, y: at.1 - h / 2.0, w, h });
    fit_ancestors(design, &id);
    Ok(id)
}

/// A container to create around a dropped element: its kind and, for a subnet, its role.
pub type Container = (ElementKind, Option<SubnetRole>);

/// What makes an element of `kind` dropped in `parent` (`None`: the top level) able to live
/// there: where to start (`parent`, or the nearest of its ancestors that works) and the
/// containers to create there, outermost first — a VM dropped on the blank canvas needs a
/// region, a VNet and a subnet; a firewall dropped in a web subnet needs an
/// AzureFirewallSubnet in its VNet. `None` when it fits already, or when no container helps
/// (an element that stands at the top level, dropped inside one).
pub fn containers_needed(
    design: &Design,
    kind: ElementKind,
    parent: Option<&str>,
) -> Option<(Option<ElementId>, Vec<Container>)> {
    let mut start = parent.and_then(|id| design.element(id));
    if fits_in(kind, start) {
        return None;
    }
    // Up the ancestors (a parent cycle in a broken file ends the walk).
    for _ in 0..16 {
        // An ancestor it fits in as it is: no container to make (it can go in that one).
        if fits_in(kind, start) {
            return None;
        }
        if let Some(chain) = chain_into(kind, start) {
            return Some((start.map(|e| e.id.clone()), chain));
        }
        start = design.element(start?.parent.as_ref()?.as_str());
    }
    None
}

/// The containers, outermost first, that let `kind` live in `parent`, if some do.
fn chain_into(kind: ElementKind, parent: Option<&Element>) -> Option<Vec<Container>> {
    let mut chain = Vec::new();
    let mut inner = kind;
    // Region, VNet, subnet: never more than three.
    for _ in 0..3 {
        let needed = match inner.placement() {
            Placement::TopLevel => return None,
            Placement::In(container) => (container, None),
            Placement::InSubnetWithRole(role) => (ElementKind::Subnet, Some(role)),
        };
        chain.push(needed);
        inner = needed.0;
        if fits_in(inner, parent) {
            chain.reverse();
            return Some(chain);
        }
    }
    None
}

/// Adds an element of `kind` centred on `at` inside new containers made for it (see
/// [`containers_needed`]): each container is created in the one before, from `start`, all
/// centred on `at`. Returns the element's id; one edit, so one undo step.
pub fn add_with_containers(
    design: &mut Design,
    kind: ElementKind,
    (start, chain): (Option<ElementId>, &[Container]),
    at: (f64, f64),
) -> Result<ElementId, String> {
    let mut parent = start;
    for &(container, role) in chain {
        let id = add_element(design, container, parent, at)?;
        if let Some(role) = role {
            set_field(design, id.as_str(), "role", serde_json::to_value(role).unwrap_or(Value::Null))?;
        }
        parent = Some(id);
    }
    add_element(design, kind, parent, at)
}

/// The container nearest to `at` that an element of `kind` can live in, and the point
/// nearest to `at` inside it where the element fits whole.
pub fn nearest_container_for(
    design: &Design,
    layout: &Layout,
    kind: ElementKind,
    at: (f64, f64),
) -> Option<(ElementId, (f64, f64))> {
    let (w, h) = initial_size(kind);
    let distance = |r: &Rect| {
        let dx = (r.x - at.0).max(at.0 - (r.x + r.w)).max(0.0);
        let dy = (r.y - at.1).max(at.1 - (r.y + r.h)).max(0.0);
        // Squared: only compared.
        dx * dx + dy * dy
    };
    let (container, rect) = design
        .elements
        .iter()
        .filter(|e| fits_in(kind, Some(e)))
        .filter_map(|e| Some((e, *layout.get(&e.id)?)))
        .min_by(|(_, a), (_, b)| distance(a).total_cmp(&distance(b)))?;
    let within = |at: f64, start: f64, length: f64, size: f64, top: f64| {
        let (low, high) = (start + top + size / 2.0, start + length - GAP - size / 2.0);
        if low > high { start + length / 2.0 } else { at.clamp(low, high) }
    };
    let point = (within(at.0, rect.x, rect.w, w, GAP), within(at.1, rect.y, rect.h, h, HEADER));
    Some((container.id.clone(), point))
}

/// The field of a `target` element that names a `protector` dropped on it: a subnet's `nsg`
/// or `routeTable`, a VM's (NIC) `nsg` or `asgs`. `None` when the two do not associate.
pub fn association_field(protector: ElementKind, target: ElementKind) -> Option<&'static str> {
    if !protected_kinds(protector).contains(&target) {
        return None;
    }
    match protector {
        ElementKind::Nsg => Some("nsg"),
        ElementKind::RouteTable => Some("routeTable"),
        _ => Some("asgs"),
    }
}

/// What an NSG, route table or ASG protects (none for other kinds).
pub fn protected_kinds(protector: ElementKind) -> &'static [ElementKind] {
    match protector {
        ElementKind::Nsg => &[ElementKind::Subnet, ElementKind::Vm],
        ElementKind::RouteTable => &[ElementKind::Subnet],
        ElementKind::Asg => &[ElementKind::Vm],
        _ => &[],
    }
}

/// Every way an element of `kind` can be linked: each link kind with the kinds at its other
/// end (whichever end `kind` is at), in `LinkKind::ALL` order. What a refused link offers.
pub fn link_ways(kind: ElementKind) -> Vec<(LinkKind, Vec<ElementKind>)> {
    LinkKind::ALL
        .iter()
        .filter_map(|&link| {
            let (froms, tos) = link.ends();
            let mut others: Vec<ElementKind> = Vec::new();
            let ends = [(froms, tos), (tos, froms)];
            for other in ends.iter().filter(|(mine, _)| mine.contains(&kind)).flat_map(|(_, other)| other.iter()) {
                if !others.contains(other) {
                    others.push(*other);
                }
            }
            (!others.is_empty()).then_some((link, others))
        })
        .collect()
}

/// Associates an NSG, route table or ASG with a subnet or VM, as dropping one on the other
/// does: the target's field names it (an ASG joins the VM's `asgs`). Where it stands does not
/// change. An error says why the two do not associate.
pub fn associate(design: &mut Design, protector: &str, target: &str) -> Result<(), String> {
    let kind_of = |id: &str| design.element(id).map(Element::kind).ok_or_else(|| format!("\"{id}\" does not exist"));
    let (protector_kind, target_kind) = (kind_of(protector)?, kind_of(target)?);
    let field = association_field(protector_kind, target_kind)
        .ok_or_else(|| format!("{} is not associated with {}", a(protector_kind), a(target_kind)))?;
    let value = match design.element(target).map(|e| &e.props) {
        Some(ElementProps::Vm(vm)) if field == "asgs" => {
            let mut asgs: Vec<Value> = vm.asgs.iter().map(|asg| Value::from(asg.as_str())).collect();
            if !vm.asgs.iter().any(|asg| asg.as_str() == protector) {
                asgs.push(Value::from(protector));
            }
            Value::Array(asgs)
        }
        _ => Value::from(protector),
    };
    set_field(design, target, field, value)
}

/// Adds an NSG, route table or ASG dropped from the palette on a subnet or VM, and associates
/// it: the new element goes in the target's region, under what the region holds.
pub fn add_associated(design: &mut Design, kind: ElementKind, target: &str) -> Result<ElementId, String> {
    let target_kind =
        design.element(target).map(Element::kind).ok_or_else(|| format!("\"{target}\" does not exist"))?;
    if association_field(kind, target_kind).is_none() {
        return Err(format!("{} is not associated with {}", a(kind), a(target_kind)));
    }
    let name = design.element(target).map_or(target, Element::display_name);
    let region = ancestor_of_kind(design, target, ElementKind::Region)
        .ok_or_else(|| format!("\"{name}\" is in no region, where {} would go", a(kind)))?;
    pin_layout(design);
    let layout = design.layout.as_ref().expect("pinned");
    let area = layout.get(&region).copied().unwrap_or_default();
    let bottom = design
        .children(region.as_str())
        .filter_map(|child| layout.get(&child.id))
        .fold(area.y + HEADER, |bottom, rect| bottom.max(rect.y + rect.h));
    let (w, h) = initial_size(kind);
    let at = (area.x + GAP + w / 2.0, bottom + GAP + h / 2.0);
    let id = add_element(design, kind, Some(region), at)?;
    associate(design, id.as_str(), target)?;
    Ok(id)
}

/// What a `protector` (NSG, route table, ASG) dropped at `point` would be associated with: the
/// VM under the point, else the innermost subnet, when the kind associates with it.
pub fn association_target(
    design: &Design,
    layout: &Layout,
    point: (f64, f64),
    protector: ElementKind,
) -> Option<ElementId> {
    let under = |kind: ElementKind| {
        design
            .elements
            .iter()
            .filter(|e| e.kind() == kind)
            .filter_map(|e| layout.get(&e.id).map(|r| (e, r)))
            .filter(|(_, r)| contains_point(r, point))
            .min_by(|(_, a), (_, b)| (a.w * a.h).total_cmp(&(b.w * b.h)))
            .map(|(e, _)| e.id.clone())
    };
    [ElementKind::Vm, ElementKind::Subnet]
        .into_iter()
        .filter(|kind| association_field(protector, *kind).is_some())
        .find_map(under)
}

/// The nearest ancestor of `id` (or `id` itself) of a kind.
fn ancestor_of_kind(design: &Design, id: &str, kind: ElementKind) -> Option<ElementId> {
    let index = design.index();
    let mut current = index.element(id);
    for _ in 0..8 {
        let here = current?;
        if here.kind() == kind {
            return Some(here.id.clone());
        }
        current = here.parent.as_ref().and_then(|p| index.element(p.as_str()));
    }
    None
}

/// The element and everything inside it, depth first.
pub fn with_descendants(design: &Design, id: &str) -> Vec<ElementId> {
    descendants_in(&design.index(), id)
}

/// The elements that move when `ids` are dragged: each of them and everything inside it.
pub fn moving(design: &Design, ids: &[ElementId]) -> HashSet<ElementId> {
    let wanted: HashSet<&ElementId> = ids.iter().collect();
    let mut moving: HashSet<ElementId> =
        design.elements.iter().filter(|e| wanted.contains(&e.id)).map(|e| e.id.clone()).collect();
    // What lies inside, a level per pass: designs nest a few levels deep, and a pass over
    // the elements costs less than indexing them all (this runs on every drop).
    loop {
        let inside: Vec<ElementId> = design
            .elements
            .iter()
            .filter(|e| !moving.contains(&e.id) && e.parent.as_ref().is_some_and(|p| moving.contains(p)))
            .map(|e| e.id.clone())
            .collect();
        if inside.is_empty() {
            return moving;
        }
        moving.extend(inside);
    }
}

fn descendants_in(index: &crate::design::Index<'_>, id: &str) -> Vec<ElementId> {
    let mut out = Vec::new();
    let mut stack = vec![id];
    let mut seen = HashSet::new();
    while let Some(current) = stack.pop() {
        if !seen.insert(current) {
            continue;
        }
        if let Some(element) = index.element(current) {
            out.push(element.id.clone());
        }
        stack.extend(index.children(current).iter().map(|child| child.id.as_str()));
    }
    out
}

/// Moves elements by (dx, dy); what is inside them moves along.
pub fn move_elements(design: &mut Design, ids: &[ElementId], dx: f64, dy: f64) {
    pin_layout(design);
    shift(design, ids, dx, dy);
}

/// A drop: [`move_elements`] then [`settle`], with the layout pinned once (checking that
/// it places every element is a lookup per element).
pub fn move_and_settle(design: &mut Design, ids: &[ElementId], dx: f64, dy: f64) -> Vec<String> {
    pin_layout(design);
    shift(design, ids, dx, dy);
    settle_pinned(design, ids)
}

/// Moves elements of a pinned layout, and what is inside them.
fn shift(design: &mut Design, ids: &[ElementId], dx: f64, dy: f64) {
    let moving = moving(design, ids);
    let layout = layout_mut(design);
    for id in &moving {
        if let Some(rect) = layout.get_mut(id) {
            rect.x += dx;
            rect.y += dy;
        }
    }
}

/// The innermost element drawn as a box (region, VNet, subnet) under `point`, skipping `exclude`.
pub fn container_at(
    design: &Design,
    layout: &Layout,
    point: (f64, f64),
    exclude: &HashSet<ElementId>,
) -> Option<ElementId> {
    design
        .elements
        .iter()
        .filter(|e| e.kind().is_container() && !exclude.contains(&e.id))
        .filter_map(|e| layout.get(&e.id).map(|r| (e, r)))
        .filter(|(_, r)| contains_point(r, point))
        .min_by(|(_, a), (_, b)| (a.w * a.h).total_cmp(&(b.w * b.h)))
        .map(|(e, _)| e.id.clone())
}

/// After elements were dragged: each one whose centre now lies in another container where
/// its kind can live moves into it. Returns hints for those dropped where they cannot live
/// (they keep their parent).
pub fn settle(design: &mut Design, ids: &[ElementId]) -> Vec<String> {
    pin_layout(design);
    settle_pinned(design, ids)
}

fn settle_pinned(design: &mut Design, ids: &[ElementId]) -> Vec<String> {
    let mut hints = Vec::new();
    for id in ids {
        let Some(element) = design.element(id.as_str()) else { continue };
        let kind = element.kind();
        let Some(layout) = design.layout.as_ref() else { continue };
        let Some(rect) = layout.get(id).copied() else { continue };
        // What is inside the element cannot take it in; a leaf has nothing inside.
        let exclude: HashSet<ElementId> = if kind.is_container() {
            with_descendants(design, id.as_str()).into_iter().collect()
        } else {
            HashSet::from([id.clone()])
        };
        let target = container_at(design, layout, rect.center(), &exclude);
        if target == element.parent {
            fit_ancestors(design, id);
            continue;
        }
        match placement_error(design, kind, target.as_ref().map(ElementId::as_str)) {
            None => {
                if let Some(element) = design.elements.iter_mut().find(|e| &e.id == id) {
                    Arc::make_mut(element).parent = target;
                }
            }
            Some(hint) => hints.push(hint),
        }
        fit_ancestors(design, id);
    }
    hints
}

/// Gives an element a new box (a resize); containers never shrink below their content.
pub fn resize(design: &mut Design, id: &ElementId, rect: Rect) {
    pin_layout(design);
    let children: Vec<Rect> = {
        let layout = design.layout.as_ref().expect("pinned");
        design.children(id.as_str()).filter_map(|c| layout.get(&c.id).copied()).collect()
    };
    let mut rect = Rect { w: rect.w.max(60.0), h: rect.h.max(40.0), ..rect };
    for child in children {
        rect.w = rect.w.max(child.x + child.w + GAP - rect.x);
        rect.h = rect.h.max(child.y + child.h + GAP - rect.y);
    }
    layout_mut(design).insert(id.clone(), rect);
    fit_ancestors(design, id);
}

/// Deletes elements (with everything inside them) and links. Links to deleted elements go
/// too; references to them are cleared and suppressions of them dropped.
pub fn delete(design: &mut Design, ids: &[String]) {
    let removed: HashSet<ElementId> = ids.iter().flat_map(|id| with_descendants(design, id)).collect();
    let removed_links: HashSet<&str> = ids.iter().map(String::as_str).collect();
    design.elements.retain(|e| !removed.contains(&e.id));
    design
        .links
        .retain(|l| !removed_links.contains(l.id.as_str()) && !removed.contains(&l.from) && !removed.contains(&l.to));
    let link_ids: HashSet<LinkId> = design.links.iter().map(|l| l.id.clone()).collect();
    for element in &mut design.elements {
        change_if_needed(element, |element| clear_references(element, &removed));
    }
    for link in &mut design.links {
        if let crate::link::LinkProps::Vpn(vpn) = &mut link.props
            && vpn.over_express_route.as_ref().is_some_and(|er| !link_ids.contains(er))
        {
            vpn.over_express_route = None;
        }
    }
    design
        .suppressions
        .retain(|s| !removed.contains(&ElementId(s.target.clone())) && !removed_links.contains(s.target.as_str()));
    if let Some(layout) = &mut design.layout {
        layout.retain(|id, _| !removed.contains(id));
    }
}

/// The value of a field of an element or link (dotted path, as SPEC names it), or `null`.
pub fn field_value(design: &Design, target: &str, path: &str) -> Value {
    field_in(&record_value(design, target), path)
}

/// The element or link `target` as its record (what a file holds for it); `null` when there
/// is none. With [`field_in`], reads many fields of one record for the price of one.
pub fn record_value(design: &Design, target: &str) -> Value {
    let value = match (design.element(target), design.link(target)) {
        (Some(element), _) => serde_json::to_value(element),
        (None, Some(link)) => serde_json::to_value(link),
        (None, None) => return Value::Null,
    };
    value.unwrap_or(Value::Null)
}

/// The field at `path` (dots between keys) of a record; `null` when it has none.
pub fn field_in(record: &Value, path: &str) -> Value {
    path.split('.')
        .try_fold(record, |value, key| match value {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|index| items.get(index)),
            _ => value.get(key),
        })
        .cloned()
        .unwrap_or(Value::Null)
}

/// Sets a field of an element or link; `null` removes an optional field. `id` renames (and
/// updates every reference); `parent` re-parents only where the kind can live. On error the
/// design is unchanged and the message says why.
pub fn set_field(design: &mut Design, target: &str, path: &str, value: Value) -> Result<(), String> {
    match path {
        "id" => {
            let Value::String(new) = value else { return Err("an id is text".into()) };
            return rename(design, target, &new);
        }
        "kind" => return Err("the kind of an element cannot change; delete it and add another".into()),
        "parent" => {
            let parent = match value {
                Value::String(parent) if !parent.is_empty() => Some(ElementId(parent)),
                _ => None,
            };
            let element = design.element(target).ok_or_else(|| format!("\"{target}\" does not exist"))?;
            if element.parent == parent {
                return Ok(());
            }
            let kind = element.kind();
            if let Some(hint) = placement_error(design, kind, parent.as_ref().map(ElementId::as_str)) {
                return Err(hint);
            }
            if parent.as_ref().is_some_and(|p| with_descendants(design, target).contains(p)) {
                return Err("an element cannot go inside itself".into());
            }
            let element = design.elements.iter_mut().find(|e| e.id.as_str() == target).expect("found above");
            Arc::make_mut(element).parent = parent;
            pin_layout(design);
            fit_ancestors(design, &ElementId(target.to_owned()));
            return Ok(());
        }
        _ => {}
    }
    if let Some(index) = design.elements.iter().position(|e| e.id.as_str() == target) {
        let updated: Element = with_field(&*design.elements[index], path, value, read_tracked)?;
        design.elements[index] = Arc::new(updated);
        Ok(())
    } else if let Some(index) = design.links.iter().position(|l| l.id.as_str() == target) {
        let updated: Link = with_field(&design.links[index], path, value, read_tracked)?;
        design.links[index] = updated;
        Ok(())
    } else {
        Err(format!("\"{target}\" does not exist"))
    }
}

/// Sets a field of the design itself (`meta.title`, `governance.pim`, `usage.peeringGbPerMonth`,
/// ...); on error the design is unchanged and the message says why.
pub fn set_design_field(design: &mut Design, path: &str, value: Value) -> Result<(), String> {
    if !["meta.", "governance.", "usage."].iter().any(|part| path.starts_with(part)) {
        return Err(format!("{path} is not a field of the design"));
    }
    if path.starts_with("usage.") && !(value.is_null() || value.as_f64().is_some_and(|figure| figure >= 0.0)) {
        return Err("a usage figure is a number of at least 0".into());
    }
    let updated: Design = with_field(design, path, value, read_design)?;
    *design = updated;
    Ok(())
}

/// Accepts a finding: records a suppression of `rule` on `target` with a written reason.
pub fn suppress(design: &mut Design, rule: &str, target: &str, reason: &str) -> Result<(), String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("a suppression needs a written reason".into());
    }
    if design.suppressions.iter().any(|s| s.rule == rule && s.target == target) {
        let name = design.element(target).map_or(target, Element::display_name);
        return Err(format!("{rule} on \"{name}\" is already suppressed"));
    }
    design.suppressions.push(crate::design::Suppression {
        rule: rule.to_owned(),
        target: target.to_owned(),
        reason: reason.to_owned(),
        extra: Default::default(),
    });
    Ok(())
}

/// Enters (or, with `None`, removes) the monthly price of an element that no price source has.
pub fn set_price(design: &mut Design, element: &str, monthly: Option<f64>) -> Result<(), String> {
    design.prices.retain(|p| p.element != element);
    if let Some(monthly) = monthly {
        if !(monthly.is_finite() && monthly >= 0.0) {
            return Err("a price is a number of at least 0".into());
        }
        design.prices.push(crate::design::CustomPrice {
            element: element.to_owned(),
            monthly,
            note: String::new(),
            extra: Default::default(),
        });
    }
    Ok(())
}

/// Takes back a suppression: the finding shows again.
pub fn unsuppress(design: &mut Design, rule: &str, target: &str) {
    design.suppressions.retain(|s| !(s.rule == rule && s.target == target));
}

/// Renames an element or link and every reference to it.
pub fn rename(design: &mut Design, old: &str, new: &str) -> Result<(), String> {
    let new = new.trim();
    if new == old {
        return Ok(());
    }
    if new.is_empty() {
        return Err("an id cannot be empty".into());
    }
    if design.element(new).is_some() || design.link(new).is_some() {
        return Err(format!("\"{new}\" is already used"));
    }
    let (old_id, new_id) = (ElementId(old.to_owned()), ElementId(new.to_owned()));
    if let Some(element) = design.elements.iter_mut().find(|e| e.id == old_id) {
        Arc::make_mut(element).id = new_id.clone();
        for element in &mut design.elements {
            change_if_needed(element, |element| rename_references(element, &old_id, &new_id));
        }
        for link in &mut design.links {
            for end in [&mut link.from, &mut link.to] {
                if *end == old_id {
                    *end = new_id.clone();
                }
            }
        }
        if let Some(layout) = &mut design.layout
            && let Some(rect) = layout.remove(&old_id)
        {
            layout.insert(new_id, rect);
        }
    } else if let Some(link) = design.links.iter_mut().find(|l| l.id.as_str() == old) {
        link.id = LinkId(new.to_owned());
        for link in &mut design.links {
            if let crate::link::LinkProps::Vpn(vpn) = &mut link.props
                && vpn.over_express_route.as_ref().is_some_and(|er| er.as_str() == old)
            {
                vpn.over_express_route = Some(LinkId(new.to_owned()));
            }
        }
    } else {
        return Err(format!("\"{old}\" does not exist"));
    }
    for suppression in &mut design.suppressions {
        if suppression.target == old {
            suppression.target = new.to_owned();
        }
    }
    Ok(())
}

/// The kinds of link that may join `from` to `to`, in SPEC order.
pub fn link_kinds_between(design: &Design, from: &str, to: &str) -> Vec<LinkKind> {
    let (Some(from_kind), Some(to_kind)) =
        (crate::check::element_kind_of(design, from), crate::check::element_kind_of(design, to))
    else {
        return Vec::new();
    };
    if from == to {
        return Vec::new();
    }
    LinkKind::ALL
        .iter()
        .copied()
        .filter(|kind| {
            let (froms, tos) = kind.ends();
            froms.contains(&from_kind) && tos.contains(&to_kind)
        })
        .collect()
}

/// Every element `from` can be drawn to: those a kind of link joins it to, and, for an NSG,
/// route table or ASG, what it protects. In document order.
pub fn link_targets(design: &Design, from: &str) -> Vec<ElementId> {
    let Some(kind) = design.element(from).map(Element::kind) else { return Vec::new() };
    design
        .elements
        .iter()
        .filter(|e| e.id.as_str() != from)
        .filter(|e| {
            association_field(kind, e.kind()).is_some() || !link_kinds_between(design, from, e.id.as_str()).is_empty()
        })
        .map(|e| e.id.clone())
        .collect()
}

/// Adds a link of `kind` from `from` to `to`; a hint when the kind cannot join them.
pub fn connect(design: &mut Design, kind: LinkKind, from: &str, to: &str) -> Result<LinkId, String> {
    if !link_kinds_between(design, from, to).contains(&kind) {
        let (froms, tos) = kind.ends();
        let names = |kinds: &[ElementKind]| kinds.iter().map(|k| a(*k)).collect::<Vec<_>>().join(" or ");
        return Err(format!("a {kind} link joins {} to {}", names(froms), names(tos)));
    }
    let id = new_link_id(design, kind);
    design.links.push(Link::new(id.clone(), kind, from, to));
    Ok(id)
}

/// Elements (with what is inside them) and the links among them, ready to paste.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Clipboard {
    pub elements: Vec<Element>,
    pub links: Vec<Link>,
    pub rects: BTreeMap<ElementId, Rect>,
}

impl Clipboard {
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }
}

/// Copies the given elements, what is inside them, and the links between copied elements.
pub fn copy(design: &Design, ids: &[ElementId]) -> Clipboard {
    let layout = effective_layout(design);
    let chosen: BTreeSet<ElementId> =
        crate::sorting::set_of(ids.iter().flat_map(|id| with_descendants(design, id.as_str())));
    Clipboard {
        elements: design.elements.iter().filter(|e| chosen.contains(&e.id)).map(|e| Element::clone(e)).collect(),
        links: design.links.iter().filter(|l| chosen.contains(&l.from) && chosen.contains(&l.to)).cloned().collect(),
        rects: crate::sorting::map_of(chosen.iter().filter_map(|id| layout.get(id).map(|r| (id.clone(), *r)))),
    }
}

/// Pastes a clipboard, shifted by `offset`, with fresh ids; references among the pasted
/// elements follow the new ids. Returns the ids of the pasted top elements.
pub fn paste(design: &mut Design, clipboard: &Clipboard, offset: (f64, f64)) -> Vec<ElementId> {
    pin_layout(design);
    let mut renamed: HashMap<ElementId, ElementId> = HashMap::new();
    let mut pasted = Vec::new();
    for element in &clipboard.elements {
        let id = new_element_id(design, element.kind());
        renamed.insert(element.id.clone(), id.clone());
        // Reserve the id at once, so the next element of the same kind gets another.
        design.elements.push(Arc::new(Element::new(id, element.kind(), None)));
        pasted.push(element.clone());
    }
    let mut tops = Vec::new();
    for mut element in pasted {
        let new_id = renamed[&element.id].clone();
        for (old, new) in &renamed {
            rename_references(&mut element, old, new);
        }
        let parent_pasted = element.parent.as_ref().is_some_and(|p| renamed.values().any(|n| n == p));
        if !parent_pasted {
            tops.push(new_id.clone());
            if placement_error(design, element.kind(), element.parent.as_ref().map(ElementId::as_str)).is_some() {
                element.parent = None;
            }
        }
        let rect = clipboard.rects.get(&element.id).copied().unwrap_or_default();
        element.id = new_id.clone();
        layout_mut(design).insert(new_id.clone(), Rect { x: rect.x + offset.0, y: rect.y + offset.1, ..rect });
        if let Some(slot) = design.elements.iter_mut().find(|e| e.id == new_id) {
            *slot = Arc::new(element);
        }
    }
    for link in &clipboard.links {
        let mut link = link.clone();
        link.id = new_link_id(design, link.kind());
        link.from = renamed[&link.from].clone();
        link.to = renamed[&link.to].clone();
        design.links.push(link);
    }
    for id in &tops {
        fit_ancestors(design, id);
    }
    tops
}

// ---- helpers ----------------------------------------------------------------------------

fn layout_mut(design: &mut Design) -> &mut Layout {
    design.layout.get_or_insert_with(Layout::new)
}

fn contains_point(rect: &Rect, (x, y): (f64, f64)) -> bool {
    x >= rect.x && y >= rect.y && x <= rect.x + rect.w && y <= rect.y + rect.h
}

/// Grows each ancestor of `id` so that it holds its content with a margin.
fn fit_ancestors(design: &mut Design, id: &ElementId) {
    let mut child = id.clone();
    let mut guard = 0;
    while let Some(parent) = design.element(child.as_str()).and_then(|e| e.parent.clone()) {
        guard += 1;
        if guard > 16 {
            break;
        }
        let layout = layout_mut(design);
        let (Some(inner), Some(outer)) = (layout.get(&child).copied(), layout.get(&parent).copied()) else { break };
        let x = outer.x.min(inner.x - GAP);
        let y = outer.y.min(inner.y - HEADER);
        let right = (outer.x + outer.w).max(inner.x + inner.w + GAP);
        let bottom = (outer.y + outer.h).max(inner.y + inner.h + GAP);
        layout.insert(parent.clone(), Rect { x, y, w: right - x, h: bottom - y });
        child = parent;
    }
}

fn free_id(design: &Design, prefix: &str) -> String {
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| design.element(id).is_none() && design.link(id).is_none())
        .expect("an unused number exists")
}

/// `onPremises` → `on-premises`.
fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Fields a new element gets beyond the SPEC defaults so it is usable at once: a region
/// has a location, a VNet a free address space, a subnet a free prefix inside its VNet.
fn sensible_defaults(design: &Design, element: &mut Element) {
    match &mut element.props {
        ElementProps::Region(region) => region.location = Some("westeurope".to_owned()),
        ElementProps::Vnet(vnet) => {
            let used: Vec<IpNet> = design
                .elements
                .iter()
                .filter_map(|e| match &e.props {
                    ElementProps::Vnet(v) => {
                        Some(v.address_space.iter().filter_map(|p| parse_cidr(p).ok()).collect::<Vec<_>>())
                    }
                    ElementProps::OnPremises(o) => {
                        Some(o.address_space.iter().filter_map(|p| parse_cidr(p).ok()).collect())
                    }
                    _ => None,
                })
                .flatten()
                .collect();
            let free = (0..=255u8)
                .filter_map(|n| Ipv4Net::new(std::net::Ipv4Addr::new(10, n, 0, 0), 16).ok())
                .map(IpNet::V4)
                .find(|candidate| !used.iter().any(|u| overlaps(u, candidate)));
            vnet.address_space = free.map(|net| vec![net.to_string()]).unwrap_or_default();
        }
        ElementProps::Subnet(subnet) => {
            let vnet_space =
                element.parent.as_ref().and_then(|p| design.element(p.as_str())).and_then(|vnet| match &vnet.props {
                    ElementProps::Vnet(v) => v.address_space.first().and_then(|p| parse_cidr(p).ok()),
                    _ => None,
                });
            let siblings: Vec<IpNet> = element
                .parent
                .as_ref()
                .map(|p| {
                    design
                        .children(p.as_str())
                        .filter_map(|c| c.props.as_subnet().and_then(|s| s.prefix.as_deref()))
                        .filter_map(|p| parse_cidr(p).ok())
                        .collect()
                })
                .unwrap_or_default();
            subnet.prefix = vnet_space.and_then(|space| {
                let length = space.prefix_len().max(24).min(space.max_prefix_len());
                space.subnets(length).ok()?.find(|c| !siblings.iter().any(|s| overlaps(s, c))).map(|c| c.to_string())
            });
        }
        _ => {}
    }
}

fn overlaps(a: &IpNet, b: &IpNet) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

fn with_field<T: serde::Serialize>(
    record: &T,
    path: &str,
    value: Value,
    read: fn(&Value) -> Result<T, crate::tracked::ReadError>,
) -> Result<T, String> {
    let mut document = serde_json::to_value(record).map_err(|e| e.to_string())?;
    let mut keys: Vec<&str> = path.split('.').collect();
    let last = keys.pop().ok_or("no field named")?;
    let mut object = &mut document;
    for key in keys {
        let Value::Object(map) = object else { return Err(format!("{path}: not an object")) };
        object = map.entry(key.to_owned()).or_insert_with(|| Value::Object(Default::default()));
    }
    let Value::Object(map) = object else { return Err(format!("{path}: not an object")) };
    if value.is_null() {
        map.remove(last);
    } else {
        map.insert(last.to_owned(), value);
    }
    read(&document).map_err(|e| {
        // Say only what is wrong with the value, not which record it was.
        let text = e.to_string();
        text.rsplit_once(": field ")
            .map_or(text.clone(), |(_, rest)| rest.split_once(": ").map_or(rest, |(_, m)| m).to_owned())
    })
}

/// Reads an element or a link as the loader does, with the same deserializer type (so their
/// deserialisers are compiled once).
fn read_tracked<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, crate::tracked::ReadError> {
    crate::tracked::read(value)
}

/// Reads a design's body as the loader does.
fn read_design(value: &Value) -> Result<Design, crate::tracked::ReadError> {
    match value {
        Value::Object(body) => crate::format::read_body(body, &[]),
        _ => Err(serde::de::Error::custom("a design is a JSON object")),
    }
}

/// Every reference an element holds to another element, for renaming.
fn rename_references(element: &mut Element, old: &ElementId, new: &ElementId) {
    let swap = |slot: &mut ElementId| {
        if slot == old {
            *slot = new.clone();
        }
    };
    let swap_address = |text: &mut String| {
        let renamed: Vec<String> = text
            .split(',')
            .map(|part| {
                let trimmed = part.trim();
                for prefix in ["asg:", "el:"] {
                    if trimmed.strip_prefix(prefix) == Some(old.as_str()) {
                        return format!("{prefix}{new}");
                    }
                }
                trimmed.to_owned()
            })
            .collect();
        let joined = renamed.join(", ");
        if joined != text.split(',').map(str::trim).collect::<Vec<_>>().join(", ") {
            *text = joined;
        }
    };
    if let Some(parent) = &mut element.parent {
        swap(parent);
    }
    match &mut element.props {
        ElementProps::Subnet(subnet) => {
            subnet.nsg.iter_mut().for_each(swap);
            subnet.route_table.iter_mut().for_each(swap);
        }
        ElementProps::Vm(vm) => {
            vm.nsg.iter_mut().for_each(swap);
            vm.asgs.iter_mut().for_each(swap);
            vm.host.iter_mut().for_each(swap);
            vm.backup.iter_mut().for_each(swap);
            vm.disk_encryption.key_vault.iter_mut().for_each(swap);
        }
        ElementProps::LoadBalancer(lb) => lb.backends.iter_mut().for_each(swap),
        ElementProps::AppGateway(gateway) => gateway.backends.iter_mut().for_each(swap),
        ElementProps::RouteTable(table) => {
            table.routes.iter_mut().filter_map(|r| r.next_hop_element.as_mut()).for_each(swap)
        }
        ElementProps::Nsg(nsg) => nsg.rules.iter_mut().for_each(|rule| {
            swap_address(&mut rule.source);
            swap_address(&mut rule.destination);
        }),
        ElementProps::Firewall(firewall) => firewall.rules.iter_mut().for_each(|rule| {
            swap_address(&mut rule.source);
            swap_address(&mut rule.destination);
        }),
        ElementProps::Nva(nva) => nva.rules.iter_mut().for_each(|rule| {
            swap_address(&mut rule.source);
            swap_address(&mut rule.destination);
        }),
        _ => {}
    }
}

/// Clears references to removed elements (a deleted NSG is no longer attached anywhere).
fn clear_references(element: &mut Element, removed: &HashSet<ElementId>) {
    let gone = |slot: &Option<ElementId>| slot.as_ref().is_some_and(|id| removed.contains(id));
    match &mut element.props {
        ElementProps::Subnet(subnet) => {
            if gone(&subnet.nsg) {
                subnet.nsg = None;
            }
            if gone(&subnet.route_table) {
                subnet.route_table = None;
            }
        }
        ElementProps::Vm(vm) => {
            for slot in [&mut vm.nsg, &mut vm.host, &mut vm.backup, &mut vm.disk_encryption.key_vault] {
                if gone(slot) {
                    *slot = None;
                }
            }
            vm.asgs.retain(|id| !removed.contains(id));
        }
        ElementProps::LoadBalancer(lb) => lb.backends.retain(|id| !removed.contains(id)),
        ElementProps::AppGateway(gateway) => gateway.backends.retain(|id| !removed.contains(id)),
        ElementProps::RouteTable(table) => {
            for route in &mut table.routes {
                if gone(&route.next_hop_element) {
                    route.next_hop_element = None;
                }
            }
        }
        _ => {}
    }
}

/// Applies `change` to a copy of the element and keeps the copy only if it differs, so the
/// elements a change leaves alone stay shared with earlier versions of the design.
fn change_if_needed(slot: &mut Arc<Element>, change: impl FnOnce(&mut Element)) {
    let mut copy = Element::clone(slot);
    change(&mut copy);
    if copy != **slot {
        *slot = Arc::new(copy);
    }
}
