//! The canvas: the design drawn as SVG — containers nested (region ⊃ VNet ⊃ subnet), the
//! elements they hold as labelled icons, links as lines — with the selection, handles and
//! the gesture in progress drawn over it. Pointer events go up to the app as `Target`s.

use crate::shared::Shared;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::rc::Rc;

use moat_model::design::{Rect, same_element};
use moat_model::drawing::route::{Route, Routes, border_point};
use moat_model::drawing::{self, face, far_lines};
use moat_model::element::{Element, ElementKind};
use moat_model::ids::ElementId;
use moat_model::layout::{LEAF_SIZE, drawing_positions, effective_layout};
use moat_model::link::Link;
use moat_model::rules::Severity;
use moat_model::{Design, Layout};
use yew::prelude::*;

use crate::culling::{clip, drawn_area, holds, overlaps};
use crate::i18n::{Lang, Text, kind_name, use_lang};
use crate::legend::Legend;
use crate::state::{Gesture, Target, Viewport, normalized};

#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    pub design: Shared<Design>,
    #[prop_or_default]
    pub selection: BTreeSet<String>,
    #[prop_or_default]
    pub viewport: Viewport,
    #[prop_or_default]
    pub gesture: Option<Gesture>,
    /// A pointer went down on something of the canvas.
    #[prop_or_default]
    pub on_pointer_down: Callback<(Target, PointerEvent)>,
    #[prop_or_default]
    pub on_wheel: Callback<WheelEvent>,
    #[prop_or_default]
    pub node_ref: NodeRef,
    /// The path of the reachability answer on show, drawn over the design.
    #[prop_or_default]
    pub path: Vec<String>,
    /// The way its reply takes back, drawn beside it.
    #[prop_or_default]
    pub return_path: Vec<String>,
    /// Declared flows the design denies, drawn red.
    #[prop_or_default]
    pub denied_flows: Shared<BTreeSet<String>>,
    /// Elements with findings: the worst severity and how many.
    #[prop_or_default]
    pub markers: Shared<BTreeMap<String, (Severity, usize)>>,
    /// Enter on a focused element selects it.
    #[prop_or_default]
    pub on_select: Callback<String>,
    /// The canvas's size on screen, in pixels: with the viewport, what is worth drawing.
    #[prop_or((1600.0, 1000.0))]
    pub size: (f64, f64),
    /// A finding marker was clicked: the element's findings are to be shown.
    pub on_marker: Callback<String>,
}

#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let lang = use_lang();
    let design = &props.design;
    let Geometry { layout, order, placed, routes } = use_geometry(design);
    let protectors = use_protectors(design);
    // A drag in progress: the design stays as it was, and what moves is drawn `offset` away
    // in a layer of its own, so each step redraws only that layer.
    let (dragged, offset) = match &props.gesture {
        Some(Gesture::Move { ids, offset, .. }) if *offset != (0.0, 0.0) => (ids.clone(), *offset),
        _ => (Vec::new(), (0.0, 0.0)),
    };
    let moving: Shared<Moving> = use_memo((design.clone(), dragged), |(design, ids)| Moving::new(design, ids)).into();
    let area = drawn_area(props.viewport, props.size);
    let place = |id: &str| -> Option<Rect> {
        let rect = *layout.get(id)?;
        Some(if moving.elements.contains(id) { shifted(rect, offset) } else { rect })
    };

    let down = |target: Target| {
        let callback = props.on_pointer_down.clone();
        Callback::from(move |event: PointerEvent| {
            event.stop_propagation();
            callback.emit((target.clone(), event));
        })
    };
    let on_background = down(Target::Canvas);
    let on_wheel = {
        let callback = props.on_wheel.clone();
        Callback::from(move |event: WheelEvent| {
            event.prevent_default();
            callback.emit(event);
        })
    };
    let viewport = props.viewport;
    let transform = svg_transform(viewport);
    let drawing_left = placed.iter().map(|(_, r)| r.x).fold(f64::INFINITY, f64::min);
    let single = (props.selection.len() == 1).then(|| props.selection.iter().next().cloned()).flatten();
    let moved_elements = order.iter().copied().filter(|&i| moving.elements.contains(&design.elements[i].id));
    let moved_links = moving.links.iter().map(|&i| &design.links[i]);
    let outlines =
        props.selection.iter().filter_map(|id| place(id).map(|rect| (id, rect))).filter(|(_, r)| overlaps(r, &area));

    // Layers over each other, each composited on its own, because the browser redraws a
    // layer whole when anything in it changes (at 2,000 elements, a tenth of a second in
    // software): the background (which takes the pointer where nothing is drawn); the
    // elements, which change only on an edit, in tiles the browser paints apart; the links
    // and finding markers; and on top what moves with the pointer — the selection, the
    // handles, a drag's preview (the design itself changes on the drop, as in draw.io), the
    // gestures.
    html! {
        <div class={classes!("canvas-stack", level_of_detail(viewport.zoom))} onwheel={on_wheel} data-testid="canvas" role="application"
             id="canvas" tabindex="-1"
             aria-label={Text::CanvasLabel.fill(lang, &[("title", &design.meta.title)])}
             data-element-count={design.elements.len().to_string()}>
            <svg class="canvas" xmlns="http://www.w3.org/2000/svg" ref={props.node_ref.clone()} onpointerdown={on_background} />
            <div class="canvas-layer element-tiles">
                <ElementLayer design={design.clone()} placed={placed.clone()} {area} transform={Rc::<str>::from(transform.as_str())}
                    selection={props.selection.clone()} path={props.path.clone()} {lang} level={detail_level(viewport.zoom)}
                    on_pointer_down={props.on_pointer_down.clone()} on_select={props.on_select.clone()} />
            </div>
            <div class="canvas-layer link-tiles" aria-hidden="true">
                <LinkLayer design={design.clone()} routes={routes} {area} transform={Rc::<str>::from(transform.as_str())}
                    selection={props.selection.clone()} denied_flows={props.denied_flows.clone()} {lang}
                    on_pointer_down={props.on_pointer_down.clone()} />
            </div>
            <svg class="canvas-layer markers-layer" xmlns="http://www.w3.org/2000/svg" aria-hidden="true">
                <g class="viewport" transform={transform.clone()}>
                    <g class="markers">
                        <MarkerLayer markers={props.markers.clone()} layout={layout.clone()} {area} on_marker={props.on_marker.clone()} />
                    </g>
                </g>
            </svg>
            // The titles seen from afar in a layer of their own: large text with a halo is
            // slow to paint, and the overlay is painted again on every step of a gesture.
            <svg class="canvas-layer titles-layer" xmlns="http://www.w3.org/2000/svg" aria-hidden="true">
                <g class="viewport" transform={transform.clone()}>
                    <TitleLayer design={design.clone()} placed={placed.clone()} zoom={viewport.zoom} />
                </g>
            </svg>
            <svg class="canvas-layer overlay" xmlns="http://www.w3.org/2000/svg" aria-hidden="true">
                <g class="viewport" transform={transform}>
                    { for outlines.map(|(id, rect)| html! {
                        <rect key={id.clone()} class="selection-outline" data-selected-id={id.clone()} x={(rect.x - 3.0).to_string()}
                              y={(rect.y - 3.0).to_string()} width={(rect.w + 6.0).to_string()} height={(rect.h + 6.0).to_string()} rx="8" />
                    }) }
                    <g class="moving">
                        { for moved_elements.filter_map(|index| {
                            let element = &design.elements[index];
                            let rect = place(element.id.as_str()).filter(|r| overlaps(r, &area))?;
                            Some(html! { <Preview key={element.id.0.clone()} design={design.clone()} {index} {rect} protectors={protectors.clone()} {lang} level={detail_level(viewport.zoom)} /> })
                        }) }
                        { for moved_links.filter_map(|link| {
                            let (from, to) = (place(link.from.as_str())?, place(link.to.as_str())?);
                            let route = Route { points: vec![border_point(&from, to.center()), border_point(&to, from.center())] };
                            let shape = link_shape(&route, &area)?;
                            let selected = props.selection.contains(link.id.as_str());
                            let denied = props.denied_flows.contains(link.id.as_str());
                            Some(draw_link(link, &shape, selected, denied, lang, None))
                        }) }
                        { for props.markers.iter().filter(|(id, _)| moving.elements.contains(id.as_str()))
                            .filter_map(|(id, marker)| place(id).filter(|r| overlaps(r, &area)).map(|rect| draw_marker(id, *marker, &rect))) }
                    </g>
                    { for single.and_then(|id| design.element(&id).and_then(|e| place(e.id.as_str()).map(|r| handles(e, &r, lang, &down)))) }
                    { path_line(&props.path, &place, PathLeg::Request, drawing_left) }
                    { path_line(&props.return_path, &place, PathLeg::Reply, drawing_left) }
                    { gesture_overlay(props.gesture.as_ref(), design, &layout) }
                </g>
            </svg>
            <Legend design={design.clone()} />
            // A blank canvas says how to start, as draw.io's and Excalidraw's do.
            if design.elements.is_empty() {
                <div class="blank-hint" data-testid="blank-hint">
                    <p>{ Text::BlankHint.get(lang) }</p>
                    <p class="muted">{ Text::BlankHintMore.get(lang) }</p>
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TitleLayerProps {
    design: Shared<Design>,
    placed: Shared<Vec<(usize, Rect)>>,
    zoom: f64,
}

/// The titles of regions and VNets, drawn only when the canvas is zoomed out so far that no
/// other name can be read (`lod-5`), and each only at a size that can be read (8 CSS px).
#[function_component(TitleLayer)]
fn title_layer(props: &TitleLayerProps) -> Html {
    // What is drawn changes only when a size of title becomes readable or stops being.
    let readable = drawing::TITLE_SIZES.iter().filter(|s| **s * props.zoom >= 8.0).count();
    let shown = detail_level(props.zoom) == 5;
    let titles =
        use_memo((props.design.clone(), props.placed.clone(), readable, shown), |(design, placed, _, shown)| {
            if !shown {
                return Vec::new();
            }
            (placed.iter())
                .filter_map(|&(index, rect)| drawing::title(&design.elements[index], &rect))
                .filter(|(_, size, _)| *size * props.zoom >= 8.0)
                .collect::<Vec<_>>()
        });
    html! {
        <g class="titles">
            { for titles.iter().flat_map(|(lines, size, anchor)| lines.iter().map(move |line| html! {
                <text class="title" x={line.x.to_string()} y={line.y.to_string()} font-size={size.to_string()}
                      text-anchor={*anchor}>{ line.text.clone() }</text>
            })) }
        </g>
    }
}

/// What a drag in progress moves: the dragged elements with everything inside them, and the
/// links with an end among them (by position in `design.links`).
#[derive(Default)]
struct Moving {
    elements: HashSet<ElementId>,
    links: Vec<usize>,
}

impl Moving {
    fn new(design: &Design, dragged: &[ElementId]) -> Moving {
        if dragged.is_empty() {
            return Moving::default();
        }
        let elements = moat_model::edit::moving(design, dragged);
        let links = (design.links.iter().enumerate())
            .filter(|(_, l)| elements.contains(&l.from) || elements.contains(&l.to))
            .map(|(i, _)| i)
            .collect();
        Moving { elements, links }
    }
}

fn shifted(rect: Rect, (dx, dy): (f64, f64)) -> Rect {
    Rect { x: rect.x + dx, y: rect.y + dy, ..rect }
}

/// Where things are drawn, worked out once per design (selecting or panning then only
/// filters it by the drawn area) and kept for the next design when that one is drawn in the
/// same places (`layout::same_geometry`: an edit of a field, not of a position).
#[derive(Clone)]
struct Geometry {
    layout: Boxes,
    /// Positions in `design.elements`, containers first and deepest last, so what is inside
    /// is drawn on top.
    order: Shared<Vec<usize>>,
    /// Each element's position and box, in drawing order.
    placed: Shared<Vec<(usize, Rect)>>,
    /// Where each link runs, by its position in `design.links`.
    routes: Shared<Routes>,
}

impl Geometry {
    /// The geometry of `design`, with `order` already known when the structure is the same.
    fn of(design: &Shared<Design>, order: Option<Shared<Vec<usize>>>) -> Geometry {
        let layout = Boxes::of(design);
        let order = order.unwrap_or_else(|| Shared(Rc::new(drawing_positions(design))));
        let placed =
            order.iter().filter_map(|&index| Some((index, *layout.get(design.elements[index].id.as_str())?))).collect();
        let routes = Routes::new(design, layout.layout());
        Geometry { layout, order, placed: Shared(Rc::new(placed)), routes: Shared(Rc::new(routes)) }
    }

    /// The geometry of `design` after a move from `drawn` (the same structure): when both
    /// place every element in their own layouts, only the boxes that moved are read again.
    fn after_move(&self, drawn: &Design, design: &Shared<Design>) -> Option<Geometry> {
        if !matches!(self.layout, Boxes::OfDesign(_)) {
            return None;
        }
        // In layout order, which is id order: searchable by halves.
        let moved_ids = moat_model::layout::moved_boxes(drawn, design)?;
        let moved: Vec<&str> = moved_ids.iter().map(|id| id.as_str()).collect();
        let layout = Boxes::OfDesign(design.clone());
        let box_of = |id: &ElementId, before: Rect| match moved.binary_search(&id.as_str()) {
            Ok(_) => layout.get(id.as_str()).copied().unwrap_or(before),
            Err(_) => before,
        };
        let placed =
            self.placed.iter().map(|&(index, rect)| (index, box_of(&design.elements[index].id, rect))).collect();
        // Only the links the move touched are routed again.
        let routes = self.routes.after_move(design, layout.layout(), &moved_ids);
        Some(Geometry {
            layout,
            order: self.order.clone(),
            placed: Shared(Rc::new(placed)),
            routes: Shared(Rc::new(routes)),
        })
    }
}

/// Each element's box: the design's own layout when it places every element (the usual
/// case once anything was moved: read in place, not copied on every edit), else the
/// effective layout worked out from it.
#[derive(Clone, PartialEq)]
enum Boxes {
    OfDesign(Shared<Design>),
    Worked(Shared<Layout>),
}

impl Boxes {
    fn of(design: &Shared<Design>) -> Boxes {
        if moat_model::layout::places_every_element(&design.0) {
            Boxes::OfDesign(design.clone())
        } else {
            Boxes::Worked(Shared(Rc::new(effective_layout(&design.0))))
        }
    }

    fn get(&self, id: &str) -> Option<&Rect> {
        self.layout().get(id)
    }

    fn layout(&self) -> &Layout {
        static EMPTY: Layout = Layout::new();
        match self {
            Boxes::OfDesign(design) => design.0.layout.as_ref().unwrap_or(&EMPTY),
            Boxes::Worked(layout) => layout,
        }
    }
}

#[hook]
fn use_geometry(design: &Shared<Design>) -> Geometry {
    let last = use_mut_ref(|| None::<(Shared<Design>, Geometry)>);
    let mut last = last.borrow_mut();
    match &*last {
        Some((drawn, geometry)) if drawn == design => geometry.clone(),
        Some((drawn, geometry)) if moat_model::layout::same_geometry(&drawn.0, &design.0) => {
            let geometry = geometry.clone();
            *last = Some((design.clone(), geometry.clone()));
            geometry
        }
        Some((drawn, geometry)) if moat_model::layout::same_structure(&drawn.0, &design.0) => {
            let geometry = geometry
                .after_move(&drawn.0, design)
                .unwrap_or_else(|| Geometry::of(design, Some(geometry.order.clone())));
            *last = Some((design.clone(), geometry.clone()));
            geometry
        }
        _ => {
            let geometry = Geometry::of(design, None);
            *last = Some((design.clone(), geometry.clone()));
            geometry
        }
    }
}

#[derive(Properties, PartialEq)]
struct ElementLayerProps {
    design: Shared<Design>,
    /// Each element's position in `design.elements` and its box, in drawing order.
    placed: Shared<Vec<(usize, Rect)>>,
    /// Only what lies in this area is drawn (see `culling`).
    area: Rect,
    /// The viewport's SVG transform.
    transform: Rc<str>,
    selection: BTreeSet<String>,
    path: Vec<String>,
    lang: Lang,
    /// Which texts are drawn (`detail_level`).
    level: u8,
    on_pointer_down: Callback<(Target, PointerEvent)>,
    on_select: Callback<String>,
}

/// Every element, in tiles of `TILE` in drawing order, each a `<svg>` of its own: the browser
/// keeps what it painted of a tile that did not change, where one `<svg>` is painted again
/// whole for any change in it (5.9 ms against 0.35 ms for one moved box among 1,700, see
/// docs/PERFORMANCE.md). Its props stay equal while a drag goes on, so a drag step skips it
/// whole; an edit draws again only the tiles whose elements changed.
#[function_component(ElementLayer)]
fn element_layer(props: &ElementLayerProps) -> Html {
    let selection = Rc::new(props.selection.clone());
    let path = Rc::new(props.path.clone());
    // What a selected NSG, route table or ASG applies to, highlighted.
    let protected =
        use_memo((props.design.clone(), props.selection.clone()), |(design, selection)| design.protected_by(selection));
    let protectors = use_protectors(&props.design);
    html! {
        { for props.placed.chunks(TILE).enumerate().map(|(tile, items)| html! {
            <ElementTile key={tile} design={props.design.clone()} items={Rc::<[(usize, Rect)]>::from(items)} area={props.area}
                transform={props.transform.clone()} selection={selection.clone()} path={path.clone()}
                protected={protected.clone()} protectors={protectors.clone()} lang={props.lang} level={props.level}
                on_pointer_down={props.on_pointer_down.clone()} on_select={props.on_select.clone()} />
        }) }
    }
}

/// The names of every NSG, route table and ASG, which the chips on subnets and VMs show,
/// with a digest of them: when one is renamed the elements are drawn again, though they did
/// not change themselves. Compared by the digest.
#[derive(Clone)]
struct Protectors {
    digest: u64,
    names: Rc<std::collections::HashMap<String, String>>,
}

impl PartialEq for Protectors {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest
    }
}

impl Protectors {
    fn digest(design: &Design) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for element in design.elements.iter().filter(|e| protects(e)) {
            (element.id.as_str(), element.display_name()).hash(&mut hasher);
        }
        hasher.finish()
    }

    fn of(design: &Design, digest: u64) -> Protectors {
        let names = (design.elements.iter().filter(|e| protects(e)).rev())
            .map(|e| (e.id.0.clone(), e.display_name().to_owned()))
            .collect();
        Protectors { digest, names: Rc::new(names) }
    }

    fn name_of(&self, id: &str) -> Option<String> {
        self.names.get(id).cloned()
    }
}

/// Whether an element is one that chips name: an NSG, a route table or an ASG.
fn protects(element: &Element) -> bool {
    matches!(element.kind(), ElementKind::Nsg | ElementKind::RouteTable | ElementKind::Asg)
}

/// The design's [`Protectors`], its names read again only when the digest says they changed
/// (a move or most edits leave them as they are).
#[hook]
fn use_protectors(design: &Shared<Design>) -> Protectors {
    let last = use_mut_ref(|| None::<(Shared<Design>, Protectors)>);
    let mut last = last.borrow_mut();
    if let Some((_, protectors)) = last.as_ref().filter(|(drawn, _)| drawn == design) {
        return protectors.clone();
    }
    let digest = Protectors::digest(design);
    let protectors = match &*last {
        Some((_, kept)) if kept.digest == digest => kept.clone(),
        _ => Protectors::of(design, digest),
    };
    *last = Some((design.clone(), protectors.clone()));
    protectors
}

/// How many elements one tile holds. A tile is cut from everything the layer could draw, not
/// from what is in view, so a pan moves nothing from tile to tile; and in drawing order, so
/// the tiles over each other draw what is inside on top, as one `<svg>` would.
const TILE: usize = 64;

#[derive(Properties)]
struct ElementTileProps {
    design: Shared<Design>,
    /// The tile's elements: each one's position in `design.elements` and its box.
    items: Rc<[(usize, Rect)]>,
    area: Rect,
    /// The viewport's SVG transform.
    transform: Rc<str>,
    selection: Rc<BTreeSet<String>>,
    path: Rc<Vec<String>>,
    /// What the selected NSGs, route tables and ASGs apply to.
    protected: Rc<BTreeSet<String>>,
    protectors: Protectors,
    lang: Lang,
    /// Which texts are drawn (`detail_level`).
    level: u8,
    on_pointer_down: Callback<(Target, PointerEvent)>,
    on_select: Callback<String>,
}

/// Equal when each of its elements would be drawn the same: the same element (shared by the
/// two designs, or equal), box, selection, path and protection shown.
impl PartialEq for ElementTileProps {
    fn eq(&self, other: &Self) -> bool {
        let on_path = |path: &[String], id: &str| path.iter().any(|p| p == id);
        self.items == other.items
            && self.area == other.area
            && self.transform == other.transform
            && self.protectors == other.protectors
            && self.lang == other.lang
            && self.level == other.level
            && self.on_pointer_down == other.on_pointer_down
            && self.on_select == other.on_select
            && self.items.iter().all(|&(index, _)| {
                let (mine, theirs) = (&self.design.elements[index], &other.design.elements[index]);
                let id = mine.id.as_str();
                same_element(mine, theirs)
                    && self.selection.contains(id) == other.selection.contains(id)
                    && on_path(&self.path, id) == on_path(&other.path, id)
                    && self.protected.contains(id) == other.protected.contains(id)
            })
    }
}

#[function_component(ElementTile)]
fn element_tile(props: &ElementTileProps) -> Html {
    let design = &props.design;
    html! {
        <svg class="element-tile" xmlns="http://www.w3.org/2000/svg">
            <g class="viewport" transform={props.transform.to_string()}>
                { for props.items.iter().filter(|(_, rect)| overlaps(rect, &props.area)).map(|&(index, rect)| {
                    let element = &design.elements[index];
                    html! {
                        <CanvasElement key={element.id.0.clone()} design={design.clone()} {index} {rect} lang={props.lang} level={props.level}
                            selected={props.selection.contains(element.id.as_str())}
                            on_path={props.path.iter().any(|p| p == element.id.as_str())}
                            protected={props.protected.contains(element.id.as_str())} protectors={props.protectors.clone()}
                            on_pointer_down={props.on_pointer_down.clone()} on_select={props.on_select.clone()} />
                    }
                }) }
            </g>
        </svg>
    }
}

#[derive(Properties, PartialEq)]
struct LinkLayerProps {
    design: Shared<Design>,
    /// Where each link runs.
    routes: Shared<Routes>,
    area: Rect,
    /// The viewport's SVG transform.
    transform: Rc<str>,
    selection: BTreeSet<String>,
    denied_flows: Shared<BTreeSet<String>>,
    lang: Lang,
    on_pointer_down: Callback<(Target, PointerEvent)>,
}

/// Where each link is drawn (by its position in `design.links`), worked out again only for
/// the links whose route changed, or all of them when the drawn area did: a selection or an
/// edit of a field changes neither, a move a few routes.
#[hook]
fn use_link_shapes(routes: &Shared<Routes>, area: Rect) -> Rc<Vec<Option<Rc<LinkShape>>>> {
    let last = use_mut_ref(|| None::<(Shared<Routes>, Rect, Rc<Vec<Option<Rc<LinkShape>>>>)>);
    let mut last = last.borrow_mut();
    match &*last {
        Some((drawn, drawn_area, shapes)) if drawn == routes && *drawn_area == area => return shapes.clone(),
        _ => {}
    }
    let shape = |route: &Option<Route>| route.as_ref().and_then(|route| link_shape(route, &area)).map(Rc::new);
    let shapes: Vec<Option<Rc<LinkShape>>> = match &*last {
        Some((before, drawn_area, kept)) if *drawn_area == area && before.drawn.len() == routes.drawn.len() => {
            (before.drawn.iter().zip(&routes.drawn).zip(kept.iter()))
                .map(|((old, new), kept)| if old == new { kept.clone() } else { shape(new) })
                .collect()
        }
        _ => routes.drawn.iter().map(shape).collect(),
    };
    let shapes = Rc::new(shapes);
    *last = Some((routes.clone(), area, shapes.clone()));
    shapes
}

/// Every link, in tiles of `TILE` links each an `<svg>` of its own, as the elements are: a
/// move repaints the tiles of the links it re-routed, not every link.
#[function_component(LinkLayer)]
fn link_layer(props: &LinkLayerProps) -> Html {
    let shapes = use_link_shapes(&props.routes, props.area);
    let selection = Rc::new(props.selection.clone());
    let count = props.design.links.len().min(shapes.len());
    html! {
        { for (0..count).step_by(TILE).enumerate().map(|(tile, start)| {
            let items: Rc<[(usize, Option<Rc<LinkShape>>)]> =
                (start..(start + TILE).min(count)).map(|index| (index, shapes[index].clone())).collect();
            html! {
                <LinkTile key={tile} design={props.design.clone()} {items} transform={props.transform.clone()}
                    selection={selection.clone()} denied_flows={props.denied_flows.clone()} lang={props.lang}
                    on_pointer_down={props.on_pointer_down.clone()} />
            }
        }) }
    }
}

#[derive(Properties)]
struct LinkTileProps {
    design: Shared<Design>,
    /// The tile's links: each one's position in `design.links` and where it is drawn.
    items: Rc<[(usize, Option<Rc<LinkShape>>)]>,
    transform: Rc<str>,
    selection: Rc<BTreeSet<String>>,
    denied_flows: Shared<BTreeSet<String>>,
    lang: Lang,
    on_pointer_down: Callback<(Target, PointerEvent)>,
}

/// Equal when each of its links would be drawn the same.
impl PartialEq for LinkTileProps {
    fn eq(&self, other: &Self) -> bool {
        let same_shape = |a: &Option<Rc<LinkShape>>, b: &Option<Rc<LinkShape>>| match (a, b) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a == b,
            (None, None) => true,
            _ => false,
        };
        self.items.len() == other.items.len()
            && self.transform == other.transform
            && self.lang == other.lang
            && self.on_pointer_down == other.on_pointer_down
            && self.items.iter().zip(other.items.iter()).all(|((i, a), (j, b))| {
                let id = self.design.links[*i].id.as_str();
                i == j
                    && same_shape(a, b)
                    && same_item(&self.design, *i, &other.design, *j, |d| &d.links)
                    && self.selection.contains(id) == other.selection.contains(id)
                    && self.denied_flows.contains(id) == other.denied_flows.contains(id)
            })
    }
}

#[function_component(LinkTile)]
fn link_tile(props: &LinkTileProps) -> Html {
    let design = &props.design;
    html! {
        <svg class="link-tile" xmlns="http://www.w3.org/2000/svg">
            <g class="viewport" transform={props.transform.to_string()}>
                { for props.items.iter().filter_map(|(index, shape)| {
                    let (link, shape) = (&design.links[*index], shape.clone()?);
                    Some(html! {
                        <CanvasLink key={link.id.0.clone()} design={design.clone()} index={*index} {shape} lang={props.lang}
                            selected={props.selection.contains(link.id.as_str())}
                            denied={props.denied_flows.contains(link.id.as_str())}
                            on_pointer_down={props.on_pointer_down.clone()} />
                    })
                }) }
            </g>
        </svg>
    }
}

#[derive(Properties)]
struct CanvasLinkProps {
    design: Shared<Design>,
    /// The link's position in `design.links`.
    index: usize,
    shape: Rc<LinkShape>,
    selected: bool,
    denied: bool,
    lang: Lang,
    on_pointer_down: Callback<(Target, PointerEvent)>,
}

/// The link is compared by value only when the design changed.
impl PartialEq for CanvasLinkProps {
    fn eq(&self, other: &Self) -> bool {
        same_item(&self.design, self.index, &other.design, other.index, |d| &d.links)
            && (Rc::ptr_eq(&self.shape, &other.shape) || self.shape == other.shape)
            && self.selected == other.selected
            && self.denied == other.denied
            && self.lang == other.lang
            && self.on_pointer_down == other.on_pointer_down
    }
}

/// Whether item `i` of one design and item `j` of another (their elements or links, as
/// `items` picks) are the same: at once when it is the same design and place, else by value.
fn same_item<T: PartialEq>(
    a: &Shared<Design>,
    i: usize,
    b: &Shared<Design>,
    j: usize,
    items: fn(&Design) -> &Vec<T>,
) -> bool {
    (a == b && i == j) || items(a)[i] == items(b)[j]
}

#[function_component(CanvasLink)]
fn canvas_link(props: &CanvasLinkProps) -> Html {
    let link = &props.design.links[props.index];
    let on_down = {
        let (callback, id) = (props.on_pointer_down.clone(), link.id.0.clone());
        Callback::from(move |event: PointerEvent| {
            event.stop_propagation();
            callback.emit((Target::Link(id.clone()), event));
        })
    };
    draw_link(link, &props.shape, props.selected, props.denied, props.lang, Some(on_down))
}

#[derive(Properties, PartialEq)]
struct MarkerLayerProps {
    markers: Shared<BTreeMap<String, (Severity, usize)>>,
    layout: Boxes,
    area: Rect,
    on_marker: Callback<String>,
}

/// The finding markers of every element.
#[function_component(MarkerLayer)]
fn marker_layer(props: &MarkerLayerProps) -> Html {
    html! {
        { for props.markers.iter()
            .filter_map(|(id, &(severity, count))| props.layout.get(id.as_str()).filter(|r| overlaps(r, &props.area))
            .map(|&rect| html! { <CanvasMarker key={id.clone()} id={id.clone()} {severity} {count} {rect} on_marker={props.on_marker.clone()} /> })) }
    }
}

#[derive(Properties, PartialEq)]
struct CanvasMarkerProps {
    id: String,
    severity: Severity,
    count: usize,
    rect: Rect,
    on_marker: Callback<String>,
}

/// One element's finding marker, drawn again only when it changes (an edit elsewhere leaves
/// the hundreds of markers of a large design as they are).
#[function_component(CanvasMarker)]
fn canvas_marker(props: &CanvasMarkerProps) -> Html {
    let (on_marker, id) = (props.on_marker.clone(), props.id.clone());
    // A click opens the element's findings (the pointer down must not start a drag below).
    let onpointerdown = Callback::from(|event: PointerEvent| event.stop_propagation());
    let onclick = Callback::from(move |_: MouseEvent| on_marker.emit(id.clone()));
    html! {
        <g class="marker-target" {onpointerdown} {onclick}>{ draw_marker(&props.id, (props.severity, props.count), &props.rect) }</g>
    }
}

fn draw_marker(id: &str, (severity, count): (Severity, usize), rect: &Rect) -> Html {
    html! {
        <g key={id.to_owned()} class={classes!("finding-marker", severity.as_str())} data-finding-marker={id.to_owned()} data-severity={severity.as_str()}>
            <circle cx={(rect.x + rect.w - 4.0).to_string()} cy={(rect.y + 4.0).to_string()} r="9" />
            <text x={(rect.x + rect.w - 4.0).to_string()} y={(rect.y + 8.0).to_string()} text-anchor="middle">{ count }</text>
        </g>
    }
}

#[derive(Properties)]
struct CanvasElementProps {
    design: Shared<Design>,
    /// The element's position in `design.elements`.
    index: usize,
    rect: Rect,
    selected: bool,
    on_path: bool,
    protected: bool,
    /// What the chips of every element name.
    protectors: Protectors,
    lang: Lang,
    /// Which texts are drawn (`detail_level`).
    level: u8,
    on_pointer_down: Callback<(Target, PointerEvent)>,
    on_select: Callback<String>,
}

/// The element is compared by value only when the edit copied it: versions of a design share
/// the elements an edit leaves alone (the app makes its callbacks once, so they compare equal
/// from one render to the next).
impl PartialEq for CanvasElementProps {
    fn eq(&self, other: &Self) -> bool {
        let (mine, theirs) = (&self.design.elements[self.index], &other.design.elements[other.index]);
        same_element(mine, theirs)
            && self.rect == other.rect
            && self.selected == other.selected
            && self.on_path == other.on_path
            && self.protected == other.protected
            && self.protectors == other.protectors
            && self.lang == other.lang
            && self.level == other.level
            && self.on_pointer_down == other.on_pointer_down
            && self.on_select == other.on_select
    }
}

#[function_component(CanvasElement)]
fn canvas_element(props: &CanvasElementProps) -> Html {
    let element = &props.design.elements[props.index];
    let id = element.id.0.clone();
    let on_down = {
        let (callback, id) = (props.on_pointer_down.clone(), id.clone());
        Callback::from(move |event: PointerEvent| {
            event.stop_propagation();
            callback.emit((Target::Element(id.clone()), event));
        })
    };
    let on_key = {
        let callback = props.on_select.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" || event.key() == " " {
                event.prevent_default();
                callback.emit(id.clone());
            }
        })
    };
    let drawn =
        Drawn::Live { selected: props.selected, on_path: props.on_path, protected: props.protected, on_down, on_key };
    draw_element(&props.protectors, element, &props.rect, (props.lang, props.level), drawn)
}

#[derive(Properties)]
struct PreviewProps {
    design: Shared<Design>,
    index: usize,
    rect: Rect,
    protectors: Protectors,
    lang: Lang,
    /// Which texts are drawn (`detail_level`).
    level: u8,
}

impl PartialEq for PreviewProps {
    fn eq(&self, other: &Self) -> bool {
        same_item(&self.design, self.index, &other.design, other.index, |d| &d.elements)
            && self.rect == other.rect
            && self.protectors == other.protectors
            && self.lang == other.lang
            && self.level == other.level
    }
}

/// An element as a drag carries it: drawn where it would land, not interactive, and named
/// by `data-moving-id` (the element itself stays where it is until the drop).
#[function_component(Preview)]
fn preview(props: &PreviewProps) -> Html {
    let element = &props.design.elements[props.index];
    draw_element(&props.protectors, element, &props.rect, (props.lang, props.level), Drawn::Preview)
}

/// How an element is drawn: on the canvas, where a person can press and focus it, or as a
/// drag's preview, which only shows where it would land.
enum Drawn {
    Live {
        selected: bool,
        on_path: bool,
        /// A selected NSG, route table or ASG applies to it.
        protected: bool,
        on_down: Callback<PointerEvent>,
        on_key: Callback<KeyboardEvent>,
    },
    Preview,
}

/// An element in `lang`, with the texts of `level` (`detail_level`).
fn draw_element(
    protectors: &Protectors,
    element: &Element,
    rect: &Rect,
    (lang, level): (Lang, u8),
    drawn: Drawn,
) -> Html {
    let kind = element.kind();
    let (selected, on_path, protected, live) = match drawn {
        Drawn::Live { selected, on_path, protected, on_down, on_key } => {
            (selected, on_path, protected, Some((on_down, on_key)))
        }
        Drawn::Preview => (false, false, false, None),
    };
    let class = classes!(
        "element",
        format!("kind-{}", kind.as_str()),
        kind.is_container().then_some("container"),
        selected.then_some("selected"),
        on_path.then_some("on-path"),
        protected.then_some("protected"),
        live.is_none().then_some("preview")
    );
    let id = element.id.to_string();
    let (element_id, moving_id) = if live.is_some() { (Some(id), None) } else { (None, Some(id)) };
    let (on_down, on_key) = live.map_or((None, None), |(down, key)| (Some(down), Some(key)));
    let interactive = on_down.is_some();
    let tabindex = interactive.then_some("0");
    let role_attr = interactive.then_some("button");
    let pressed = interactive.then(|| selected.to_string());
    let name = interactive.then(|| format!("{} {}", kind_name(kind, lang), element.display_name()));
    let role = element.props.as_subnet().map(|s| s.role.as_str());
    let face = face(element, rect, lang, &|id| protectors.name_of(id));
    let (icon_x, icon_y, icon_size) = face.icon;
    let text = |line: &drawing::Line, class: &'static str| {
        html! { <text class={class} x={line.x.to_string()} y={line.y.to_string()}>{ line.text.clone() }</text> }
    };
    html! {
        <g class={class} data-element-id={element_id} data-moving-id={moving_id} data-kind={kind.as_str()} data-role={role}
           onpointerdown={on_down} onkeydown={on_key} tabindex={tabindex} role={role_attr} aria-pressed={pressed}
           aria-label={name}>
            { for face.tooltip.clone().map(|whole| html! { <title>{ whole }</title> }) }
            <rect class="body" x={rect.x.to_string()} y={rect.y.to_string()} width={rect.w.to_string()} height={rect.h.to_string()}
                  rx={if kind.is_container() { "8" } else { "6" }} />
            <image class="icon" href={icon_image(kind)} data-icon={kind.as_str()} x={icon_x.to_string()} y={icon_y.to_string()}
                 width={icon_size.to_string()} height={icon_size.to_string()} />
            { for face.lines.iter().filter(|line| level <= 1 || (level == 2 && line.part == drawing::Part::Name))
                .map(|line| text(line, line.part.as_str())) }
            { for face.chips.iter().filter(|_| level <= 2).map(|chip| {
                let (x, y, size) = chip.icon();
                let (tx, ty) = chip.text_at();
                html! {
                    <g class="face-chip" data-chip-for={chip.id.clone()} data-chip-kind={chip.kind.as_str()}>
                        <title>{ format!("{} {}", kind_name(chip.kind, lang), chip.name) }</title>
                        <rect x={chip.rect.x.to_string()} y={chip.rect.y.to_string()} width={chip.rect.w.to_string()}
                              height={chip.rect.h.to_string()} rx="7" />
                        <image href={icon_image(chip.kind)} data-icon={chip.kind.as_str()} x={x.to_string()} y={y.to_string()}
                               width={size.to_string()} height={size.to_string()} />
                        if level == 0 {
                            <text x={tx.to_string()} y={ty.to_string()}>{ chip.text.clone() }</text>
                        }
                    </g>
                }
            }) }
            { for (level == 3 || (level == 4 && kind.is_container())).then(|| far_lines(element, rect)).into_iter().flatten()
                .map(|line| text(&line, "far")) }
        </g>
    }
}

/// The resize handle (containers) and the connection handle of the one selected element.
fn handles(element: &Element, rect: &Rect, lang: Lang, down: &dyn Fn(Target) -> Callback<PointerEvent>) -> Html {
    let id = element.id.0.clone();
    let resize = element.kind().is_container().then(|| {
        html! {
            <rect class="handle resize" data-handle="resize" x={(rect.x + rect.w - 7.0).to_string()}
                  y={(rect.y + rect.h - 7.0).to_string()} width="14" height="14"
                  onpointerdown={down(Target::ResizeHandle(id.clone()))} />
        }
    });
    let (cx, cy) = if element.kind().is_container() {
        (rect.x + rect.w, rect.y + 20.0)
    } else {
        (rect.x + rect.w, rect.y + rect.h / 2.0)
    };
    html! {
        <g class="handles" data-handles-for={id.clone()}>
            { for resize }
            <circle class="handle connect" data-handle="connect" cx={cx.to_string()} cy={cy.to_string()} r="7"
                    onpointerdown={down(Target::ConnectHandle(id))}>
                <title>{ Text::ConnectHandle.get(lang) }</title>
            </circle>
        </g>
    }
}

fn gesture_overlay(gesture: Option<&Gesture>, design: &Design, layout: &Boxes) -> Html {
    match gesture {
        Some(Gesture::Select { start, current, .. }) => {
            let band = normalized(*start, *current);
            html! { <rect class="rubber-band" data-testid="rubber-band" x={band.x.to_string()} y={band.y.to_string()}
            width={band.w.to_string()} height={band.h.to_string()} /> }
        }
        Some(Gesture::Connect { from, current }) => {
            let Some((x, y)) = design.element(from).and_then(|e| layout.get(e.id.as_str())).map(Rect::center) else {
                return Html::default();
            };
            html! { <line class="connecting" x1={x.to_string()} y1={y.to_string()} x2={current.0.to_string()} y2={current.1.to_string()} /> }
        }
        Some(Gesture::Palette { kind, current, over_canvas: true }) => {
            let (w, h) = moat_model::edit::initial_size(*kind);
            let (w, h) = if kind.is_container() { (w, h) } else { LEAF_SIZE };
            html! { <rect class="ghost" x={(current.0 - w / 2.0).to_string()} y={(current.1 - h / 2.0).to_string()}
            width={w.to_string()} height={h.to_string()} rx="6" /> }
        }
        _ => Html::default(),
    }
}

/// Which way a drawn path goes: the request, or its reply.
#[derive(Clone, Copy, PartialEq)]
enum PathLeg {
    Request,
    Reply,
}

/// The path of a reachability answer, through the centres of the elements it traverses. The
/// reply is drawn a few pixels aside, so that both show where they share elements.
/// The reachability path over the design; `outside` is the left edge of everything drawn,
/// beyond which the internet stands when it is the source (a design need not draw it).
fn path_line(path: &[String], place: &dyn Fn(&str) -> Option<Rect>, leg: PathLeg, outside: f64) -> Html {
    let reply = leg == PathLeg::Reply;
    let aside = if reply { 6.0 } else { 0.0 };
    let shifted = |r: Rect| Rect { x: r.x + aside, y: r.y + aside, ..r };
    let mut hops: Vec<(usize, Rect)> =
        path.iter().enumerate().filter_map(|(i, id)| place(id.as_str()).map(|r| (i, shifted(r)))).collect();
    // A path from the internet (which a design need not draw) starts left of the drawing.
    let from_outside = path.len() >= 2 && hops.first().is_some_and(|(i, _)| *i == 1) && !reply;
    if from_outside && let Some(&(_, first)) = hops.first() {
        hops.insert(0, (0, Rect { x: outside - 90.0, y: first.y + first.h / 2.0 - 14.0, w: 28.0, h: 28.0 }));
    }
    if hops.len() < 2 {
        return Html::default();
    }
    let centres: Vec<(f64, f64)> = hops.iter().map(|(_, r)| r.center()).collect();
    let points: Vec<String> = centres.iter().map(|(x, y)| format!("{x},{y}")).collect();
    // An arrowhead where each leg reaches the next hop's box: the way the traffic goes.
    let arrows: Vec<String> = (hops.windows(2))
        .map(|pair| {
            let (from, to) = (pair[0].1.center(), pair[1].1);
            let tip = border_point(&to, from);
            let [a, b, c] = Route { points: vec![from, tip] }.arrowhead();
            format!("M{} {} L{} {} L{} {} Z", a.0, a.1, b.0, b.1, c.0, c.1)
        })
        .collect();
    let (group, testid) =
        if reply { ("reach-path-group reply", "reach-return-line") } else { ("reach-path-group", "reach-path-line") };
    html! {
        <g class={group}>
            <polyline class="reach-halo" points={points.join(" ")} />
            <polyline class={classes!("reach-path", reply.then_some("reply"))} data-testid={testid} points={points.join(" ")} />
            { for arrows.into_iter().map(|d| html! { <path class={classes!("reach-arrow", reply.then_some("reply"))} {d} /> }) }
            if from_outside {
                <g class="reach-internet" data-testid="reach-internet">
                    <circle cx={centres[0].0.to_string()} cy={centres[0].1.to_string()} r="14" />
                    <text x={centres[0].0.to_string()} y={(centres[0].1 + 28.0).to_string()} text-anchor="middle">{ "Internet" }</text>
                </g>
            }
            // Hop numbers on the request: the order a reviewer reads the path in.
            // At each box's top-left corner, where no marker or text is.
            { for (!reply).then(|| hops.iter().enumerate().map(|(n, (_, r))| html! {
                <g class="reach-hop" data-hop={(n + 1).to_string()}>
                    <circle cx={r.x.to_string()} cy={r.y.to_string()} r="9" />
                    <text x={r.x.to_string()} y={(r.y + 3.5).to_string()} text-anchor="middle">{ n + 1 }</text>
                </g>
            }).collect::<Html>()) }
        </g>
    }
}

/// Where a link is drawn: the parts of its route in the drawn area (as SVG path data), the
/// arrowhead at its end (drawn when its kind has a direction) and where its caption goes,
/// when those are in the area too.
#[derive(Clone, Debug, PartialEq)]
struct LinkShape {
    path: String,
    arrow: Option<String>,
    caption: Option<(f64, f64, &'static str)>,
}

/// A routed link cut to `area`; `None` when it misses it.
fn link_shape(route: &Route, area: &Rect) -> Option<LinkShape> {
    let mut path = String::new();
    let mut last: Option<(f64, f64)> = None;
    for (a, b) in route.segments() {
        let Some(piece) = clip(a, b, area) else { continue };
        if last != Some(piece.from) {
            path.push_str(&format!("M{} {} ", piece.from.0, piece.from.1));
        }
        path.push_str(&format!("L{} {} ", piece.to.0, piece.to.1));
        last = Some(piece.to);
    }
    if path.is_empty() {
        return None;
    }
    let arrow = Some(route.arrowhead())
        .filter(|[tip, ..]| holds(area, *tip))
        .map(|[a, b, c]| format!("M{} {} L{} {} L{} {} Z", a.0, a.1, b.0, b.1, c.0, c.1));
    let caption = Some(route.caption_at()).filter(|(x, y, _)| holds(area, (*x, *y)));
    Some(LinkShape { path: path.trim_end().to_owned(), arrow, caption })
}

fn draw_link(
    link: &Link,
    shape: &LinkShape,
    selected: bool,
    denied: bool,
    lang: Lang,
    on_down: Option<Callback<PointerEvent>>,
) -> Html {
    // Without a handler the link is a drag's preview, named by `data-moving-link`.
    let (link_id, moving_link) =
        if on_down.is_some() { (Some(link.id.to_string()), None) } else { (None, Some(link.id.to_string())) };
    let kind = link.kind();
    let style = drawing::style_of(link);
    let caption = drawing::caption(link, lang);
    let class =
        classes!("link", format!("kind-{}", kind.as_str()), selected.then_some("selected"), denied.then_some("denied"));
    html! {
        <g class={class} data-link-id={link_id} data-moving-link={moving_link} data-kind={kind.as_str()}
           data-from={link.from.to_string()} data-to={link.to.to_string()}
           data-denied={denied.then_some("true")} onpointerdown={on_down}>
            <path class="hit" d={shape.path.clone()} />
            <path class="stroke" d={shape.path.clone()} stroke={style.colour} stroke-width={style.width.to_string()}
                  stroke-dasharray={style.dash} />
            { for shape.arrow.clone().filter(|_| style.directed).map(|d| html! { <path class="arrow" {d} fill={style.colour} /> }) }
            { for caption.zip(shape.caption).map(|(text, (x, y, anchor))| html! {
                <text class="caption" x={x.to_string()} y={y.to_string()} text-anchor={anchor} fill={style.colour}>{ text }</text>
            }) }
        </g>
    }
}

/// The kind's icon: a symbol of the sprite `assets/icons/sprite.svg`, which the page holds
/// (index.html inlines it), so the palette refers to it without carrying it.
pub fn icon_href(kind: ElementKind) -> String {
    format!("#icon-{}", kind.as_str())
}

/// The kind's icon as the canvas draws it: its symbol of the page's sprite made a standalone
/// SVG in the kind's colour (`svg::standalone_icon`), as a `data:` URL for an `<image>`, made
/// once per kind. Not a `<use>`: Chromium paints every `<use>` on the canvas again in each
/// frame, whatever changed (5–7 ms a frame at 100 spokes, see docs/PERFORMANCE.md), and an
/// image from its cache.
fn icon_image(kind: ElementKind) -> Rc<str> {
    thread_local! {
        static SPRITE: Option<String> = crate::browser::icon_sprite();
        static IMAGES: std::cell::RefCell<BTreeMap<&'static str, Rc<str>>> = const { std::cell::RefCell::new(BTreeMap::new()) };
    }
    IMAGES.with_borrow_mut(|images| {
        images
            .entry(kind.as_str())
            .or_insert_with(|| {
                let svg = SPRITE.with(|sprite| {
                    sprite.as_deref().and_then(|sprite| moat_model::export::svg::standalone_icon(sprite, kind))
                });
                let encoded = String::from(js_sys::encode_uri_component(&svg.unwrap_or_default()));
                Rc::from(format!("data:image/svg+xml,{encoded}"))
            })
            .clone()
    })
}

/// The viewport as an SVG transform. Its offsets are kept within what a browser reads as a
/// number (a file may place an element at 1e300, and Fit then shifts the view as far).
fn svg_transform(viewport: Viewport) -> String {
    const FARTHEST: f64 = 1e9;
    let offset = |v: f64| if v.is_finite() { v.clamp(-FARTHEST, FARTHEST) } else { 0.0 };
    format!("translate({} {}) scale({})", offset(viewport.x), offset(viewport.y), viewport.zoom)
}

/// Which texts are large enough to be read at `zoom` (no text is shown under 8 CSS px):
/// 0 all of them; 1 all but the chips' names; 2 the names only; 3 the large names of
/// zoomed-out views; 4 the large names of containers only; 5 none. Elements draw only the
/// texts of their level (so a zoomed-out view of a large design holds fewer nodes), and the
/// canvas's class `lod-N` hides the rest.
fn detail_level(zoom: f64) -> u8 {
    let readable = |size: f64| size * zoom >= 8.0;
    let sizes = [
        drawing::CHIP_SIZE,
        drawing::DETAIL_SIZE,
        drawing::NAME_SIZE,
        drawing::FAR_LEAF_SIZE,
        drawing::FAR_CONTAINER_SIZE,
    ];
    sizes.iter().position(|size| readable(*size)).unwrap_or(sizes.len()) as u8
}

fn level_of_detail(zoom: f64) -> String {
    format!("lod-{}", detail_level(zoom))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_zoom_draws_only_the_texts_it_makes_8_px_or_more() {
        let levels: Vec<u8> = [1.0, 0.75, 0.65, 0.5, 0.35, 0.2].into_iter().map(detail_level).collect();
        assert_eq!(levels, [0, 1, 2, 3, 4, 5]);
        // At each level's lowest zoom, the smallest text it draws is still 8 px.
        assert_eq!(detail_level(8.0 / drawing::CHIP_SIZE), 0);
        assert_eq!(detail_level(8.0 / drawing::CHIP_SIZE - 0.001), 1);
        assert_eq!(level_of_detail(8.0 / drawing::FAR_CONTAINER_SIZE - 0.001), "lod-5");
    }
}
