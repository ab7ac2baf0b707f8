//! The canvas: the design drawn as SVG — containers nested (region ⊃ VNet ⊃ subnet), the
//! elements they hold as labelled icons, links as lines — with the selection, handles and
//! the gesture in progress drawn over it. Pointer events go up to the app as `Target`s.

use crate::shared::Shared;
use std::collections::{BTreeMap, BTreeSet};

use moat_model::design::Rect;
use moat_model::element::{Element, ElementKind, ElementProps};
use moat_model::export::svg::border_point;
use moat_model::layout::{LEAF_SIZE, drawing_order, effective_layout};
use moat_model::link::{Link, LinkProps};
use moat_model::rules::Severity;
use moat_model::{Design, Layout};
use yew::prelude::*;

use crate::i18n::{Lang, Text, kind_name, use_lang};
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
    /// Declared flows the design denies, drawn red.
    #[prop_or_default]
    pub denied_flows: BTreeSet<String>,
    /// Elements with findings: the worst severity and how many.
    #[prop_or_default]
    pub markers: BTreeMap<String, (Severity, usize)>,
    /// Enter on a focused element selects it.
    #[prop_or_default]
    pub on_select: Callback<String>,
}

#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let lang = use_lang();
    let design = &props.design;
    let layout = use_memo(design.clone(), |design| effective_layout(design));

    // Containers first, deepest last, so what is inside is drawn on top.
    let order = drawing_order(design);

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
    let transform = format!("translate({} {}) scale({})", viewport.x, viewport.y, viewport.zoom);
    let single = (props.selection.len() == 1).then(|| props.selection.iter().next().cloned()).flatten();

    html! {
        <svg class="canvas" data-testid="canvas" xmlns="http://www.w3.org/2000/svg" ref={props.node_ref.clone()}
             role="application" aria-label={Text::CanvasLabel.fill(lang, &[("title", &design.meta.title)])}
             onpointerdown={on_background} onwheel={on_wheel}>
            <g class="viewport" transform={transform}>
                <g class="elements">
                    { for order.iter().filter_map(|element| layout.get(&element.id).map(|rect| html! {
                        <CanvasElement element={(*element).clone()} rect={*rect} {lang}
                            selected={props.selection.contains(element.id.as_str())}
                            on_path={props.path.iter().any(|p| p == element.id.as_str())}
                            on_pointer_down={props.on_pointer_down.clone()} on_select={props.on_select.clone()} />
                    })) }
                </g>
                <g class="links">
                    { for design.links.iter().filter_map(|link| {
                        let selected = props.selection.contains(link.id.as_str());
                        let denied = props.denied_flows.contains(link.id.as_str());
                        draw_link(link, &layout, selected, denied, lang, down(Target::Link(link.id.0.clone())))
                    }) }
                </g>
                { for single.and_then(|id| design.element(&id).and_then(|e| layout.get(&e.id).map(|r| handles(e, r, lang, &down)))) }
                <g class="markers">
                    { for props.markers.iter().filter_map(|(id, (severity, count))| layout.get(id.as_str()).map(|rect| html! {
                        <g class={classes!("finding-marker", severity.as_str())} data-finding-marker={id.clone()} data-severity={severity.as_str()}>
                            <circle cx={(rect.x + rect.w - 4.0).to_string()} cy={(rect.y + 4.0).to_string()} r="9" />
                            <text x={(rect.x + rect.w - 4.0).to_string()} y={(rect.y + 8.0).to_string()} text-anchor="middle">{ count }</text>
                        </g>
                    })) }
                </g>
                { path_line(&props.path, &layout) }
                { gesture_overlay(props.gesture.as_ref(), design, &layout) }
            </g>
        </svg>
    }
}

#[derive(Properties)]
struct CanvasElementProps {
    element: Element,
    rect: Rect,
    selected: bool,
    on_path: bool,
    lang: Lang,
    on_pointer_down: Callback<(Target, PointerEvent)>,
    on_select: Callback<String>,
}

/// Only what is drawn decides whether an element is drawn again: the app makes its
/// callbacks anew on each render, but they always do the same, so comparing them would
/// redraw every element of a 2,000-element design on each step of a drag.
impl PartialEq for CanvasElementProps {
    fn eq(&self, other: &Self) -> bool {
        self.element == other.element
            && self.rect == other.rect
            && self.selected == other.selected
            && self.on_path == other.on_path
            && self.lang == other.lang
    }
}

#[function_component(CanvasElement)]
fn canvas_element(props: &CanvasElementProps) -> Html {
    let id = props.element.id.0.clone();
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
    draw_element(&props.element, &props.rect, props.selected, props.on_path, props.lang, on_down, on_key)
}

fn draw_element(
    element: &Element,
    rect: &Rect,
    selected: bool,
    on_path: bool,
    lang: Lang,
    on_down: Callback<PointerEvent>,
    on_key: Callback<KeyboardEvent>,
) -> Html {
    let kind = element.kind();
    let class = classes!(
        "element",
        format!("kind-{}", kind.as_str()),
        kind.is_container().then_some("container"),
        selected.then_some("selected"),
        on_path.then_some("on-path")
    );
    let label = element.display_name().to_owned();
    let detail = detail(element, lang);
    let role = element.props.as_subnet().map(|s| s.role.as_str());
    if kind.is_container() {
        html! {
            <g class={class} data-element-id={element.id.to_string()} data-kind={kind.as_str()} data-role={role}
               onpointerdown={on_down} onkeydown={on_key} tabindex="0" role="button" aria-pressed={selected.to_string()}
               aria-label={format!("{} {}", kind_name(kind, lang), element.display_name())}>
                <rect class="body" x={rect.x.to_string()} y={rect.y.to_string()} width={rect.w.to_string()} height={rect.h.to_string()} rx="8" />
                <text class="label" x={(rect.x + 12.0).to_string()} y={(rect.y + 22.0).to_string()}>
                    <tspan class="badge-text">{ badge(kind) }</tspan>{ " " }{ label }
                    <tspan class="detail">{ detail.map(|d| format!("  {d}")).unwrap_or_default() }</tspan>
                </text>
            </g>
        }
    } else {
        html! {
            <g class={class} data-element-id={element.id.to_string()} data-kind={kind.as_str()} onpointerdown={on_down}
               onkeydown={on_key} tabindex="0" role="button" aria-pressed={selected.to_string()}
               aria-label={format!("{} {}", kind_name(kind, lang), element.display_name())}>
                <rect class="body" x={rect.x.to_string()} y={rect.y.to_string()} width={rect.w.to_string()} height={rect.h.to_string()} rx="6" />
                <rect class="badge" x={(rect.x + 8.0).to_string()} y={(rect.y + 8.0).to_string()} width="40" height="20" rx="4" />
                <text class="badge-text" x={(rect.x + 28.0).to_string()} y={(rect.y + 22.0).to_string()} text-anchor="middle">{ badge(kind) }</text>
                <text class="label" x={(rect.x + 56.0).to_string()} y={(rect.y + 23.0).to_string()}>{ label }</text>
                <text class="detail" x={(rect.x + 10.0).to_string()} y={(rect.y + 48.0).to_string()}>{ detail.unwrap_or_default() }</text>
            </g>
        }
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

fn gesture_overlay(gesture: Option<&Gesture>, design: &Design, layout: &Layout) -> Html {
    match gesture {
        Some(Gesture::Select { start, current, .. }) => {
            let band = normalized(*start, *current);
            html! { <rect class="rubber-band" data-testid="rubber-band" x={band.x.to_string()} y={band.y.to_string()}
            width={band.w.to_string()} height={band.h.to_string()} /> }
        }
        Some(Gesture::Connect { from, current }) => {
            let Some((x, y)) = design.element(from).and_then(|e| layout.get(&e.id)).map(Rect::center) else {
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

/// The path of a reachability answer, through the centres of the elements it traverses.
fn path_line(path: &[String], layout: &Layout) -> Html {
    let points: Vec<String> = path
        .iter()
        .filter_map(|id| layout.get(id.as_str()).map(Rect::center))
        .map(|(x, y)| format!("{x},{y}"))
        .collect();
    if points.len() < 2 {
        return Html::default();
    }
    html! { <polyline class="reach-path" data-testid="reach-path-line" points={points.join(" ")} /> }
}

fn draw_link(
    link: &Link,
    layout: &Layout,
    selected: bool,
    denied: bool,
    lang: Lang,
    on_down: Callback<PointerEvent>,
) -> Option<Html> {
    let (from, to) = (layout.get(&link.from)?, layout.get(&link.to)?);
    let ((x1, y1), (x2, y2)) = (border_point(from, to.center()), border_point(to, from.center()));
    let kind = link.kind();
    let caption = match &link.props {
        LinkProps::Flow(flow) => {
            Some(flow.port.map_or_else(|| Text::AnyPort.get(lang).to_owned(), |port| port.to_string()))
        }
        _ => None,
    };
    let over_er = matches!(&link.props, LinkProps::Vpn(vpn) if vpn.over_express_route.is_some());
    let class = classes!(
        "link",
        format!("kind-{}", kind.as_str()),
        over_er.then_some("over-express-route"),
        selected.then_some("selected"),
        denied.then_some("denied")
    );
    let (sx1, sy1, sx2, sy2) = (x1.to_string(), y1.to_string(), x2.to_string(), y2.to_string());
    Some(html! {
        <g class={class} data-link-id={link.id.to_string()} data-kind={kind.as_str()} data-denied={denied.then_some("true")} onpointerdown={on_down}>
            <line class="hit" x1={sx1.clone()} y1={sy1.clone()} x2={sx2.clone()} y2={sy2.clone()} />
            <line class="stroke" x1={sx1} y1={sy1} x2={sx2} y2={sy2} />
            { for caption.map(|text| html! {
                <text class="caption" x={((x1 + x2) / 2.0).to_string()} y={((y1 + y2) / 2.0 - 6.0).to_string()} text-anchor="middle">{ text }</text>
            }) }
        </g>
    })
}

/// A short mark for the kind, drawn in the element's badge and on the palette.
pub fn badge(kind: ElementKind) -> &'static str {
    kind.badge()
}

/// The one line of detail shown under an element's name.
fn detail(element: &Element, lang: Lang) -> Option<String> {
    match &element.props {
        ElementProps::Region(region) => region.location.clone(),
        ElementProps::Vnet(vnet) => Some(vnet.address_space.join(", ")),
        ElementProps::OnPremises(site) => Some(site.address_space.join(", ")),
        ElementProps::Subnet(subnet) => {
            Some(format!("{} · {}", subnet.prefix.as_deref().unwrap_or(Text::NoPrefix.get(lang)), subnet.role.as_str()))
        }
        ElementProps::Vm(vm) => Some(format!("{} ×{}", vm.size.as_deref().unwrap_or(Text::NoSize.get(lang)), vm.count)),
        ElementProps::LoadBalancer(lb) => Some(ports(&lb.ports, lang)),
        ElementProps::AppGateway(gateway) => Some(ports(&gateway.ports, lang)),
        ElementProps::Nsg(nsg) => Some(Text::RuleCount.fill(lang, &[("n", &nsg.rules.len())])),
        ElementProps::RouteTable(table) => Some(Text::RouteCount.fill(lang, &[("n", &table.routes.len())])),
        ElementProps::DedicatedHost(host) => host.sku.clone(),
        ElementProps::VpnGateway(gateway) => Some(gateway.sku.clone()),
        ElementProps::ExpressRouteGateway(gateway) => Some(gateway.sku.clone()),
        _ => None,
    }
}

fn ports(ports: &[u16], lang: Lang) -> String {
    let list: Vec<String> = ports.iter().map(u16::to_string).collect();
    Text::PortList.fill(lang, &[("ports", &list.join(", "))])
}
