//! The canvas: the design drawn as SVG, containers nested (region ⊃ VNet ⊃ subnet), the
//! elements they hold as labelled icons, links as lines. Read-only for now.

use std::rc::Rc;

use moat_model::design::Rect;
use moat_model::element::{Element, ElementKind, ElementProps};
use moat_model::layout::effective_layout;
use moat_model::link::{Link, LinkProps};
use moat_model::{Design, Layout};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    pub design: Rc<Design>,
}

/// Room around the drawing inside the SVG viewport.
const MARGIN: f64 = 40.0;

#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let design = &props.design;
    let layout = use_memo(design.clone(), |design| effective_layout(design));
    let (width, height) = extent(&layout);
    let view_box = format!("{} {} {} {}", -MARGIN, -MARGIN, width + 2.0 * MARGIN, height + 2.0 * MARGIN);

    // Containers first, deepest last, so what is inside is drawn on top.
    let mut order: Vec<&Element> = design.elements.iter().collect();
    order.sort_by_key(|element| (!element.kind().is_container(), depth(design, element)));

    html! {
        <svg class="canvas" data-testid="canvas" xmlns="http://www.w3.org/2000/svg" viewBox={view_box}
             role="img" aria-label={format!("Design: {}", design.meta.title)}>
            <g class="elements">
                { for order.iter().filter_map(|element| layout.get(&element.id).map(|rect| draw_element(element, rect))) }
            </g>
            <g class="links">
                { for design.links.iter().filter_map(|link| draw_link(link, &layout)) }
            </g>
        </svg>
    }
}

fn extent(layout: &Layout) -> (f64, f64) {
    layout.values().fold((0.0_f64, 0.0_f64), |(w, h), r| (w.max(r.x + r.w), h.max(r.y + r.h)))
}

fn depth(design: &Design, element: &Element) -> usize {
    let mut depth = 0;
    let mut parent = element.parent.as_ref();
    // Bounded: a malformed design may have a parent cycle.
    while let Some(id) = parent.filter(|_| depth < 16) {
        depth += 1;
        parent = design.element(id.as_str()).and_then(|p| p.parent.as_ref());
    }
    depth
}

fn draw_element(element: &Element, rect: &Rect) -> Html {
    let kind = element.kind();
    let class = classes!("element", format!("kind-{}", kind.as_str()), kind.is_container().then_some("container"));
    let label = element.display_name().to_owned();
    let detail = detail(element);
    if kind.is_container() {
        html! {
            <g class={class} data-element-id={element.id.to_string()} data-kind={kind.as_str()}>
                <rect x={rect.x.to_string()} y={rect.y.to_string()} width={rect.w.to_string()} height={rect.h.to_string()} rx="8" />
                <text class="label" x={(rect.x + 12.0).to_string()} y={(rect.y + 22.0).to_string()}>
                    <tspan class="badge-text">{ badge(kind) }</tspan>{ " " }{ label }
                    <tspan class="detail">{ detail.map(|d| format!("  {d}")).unwrap_or_default() }</tspan>
                </text>
            </g>
        }
    } else {
        html! {
            <g class={class} data-element-id={element.id.to_string()} data-kind={kind.as_str()}>
                <rect x={rect.x.to_string()} y={rect.y.to_string()} width={rect.w.to_string()} height={rect.h.to_string()} rx="6" />
                <rect class="badge" x={(rect.x + 8.0).to_string()} y={(rect.y + 8.0).to_string()} width="40" height="20" rx="4" />
                <text class="badge-text" x={(rect.x + 28.0).to_string()} y={(rect.y + 22.0).to_string()} text-anchor="middle">{ badge(kind) }</text>
                <text class="label" x={(rect.x + 56.0).to_string()} y={(rect.y + 23.0).to_string()}>{ label }</text>
                <text class="detail" x={(rect.x + 10.0).to_string()} y={(rect.y + 48.0).to_string()}>{ detail.unwrap_or_default() }</text>
            </g>
        }
    }
}

fn draw_link(link: &Link, layout: &Layout) -> Option<Html> {
    let (x1, y1) = layout.get(&link.from)?.center();
    let (x2, y2) = layout.get(&link.to)?.center();
    let kind = link.kind();
    let caption = match &link.props {
        LinkProps::Flow(flow) => flow.port.map(|port| format!("{port}")),
        _ => None,
    };
    Some(html! {
        <g class={classes!("link", format!("kind-{}", kind.as_str()))} data-link-id={link.id.to_string()} data-kind={kind.as_str()}>
            <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} />
            { for caption.map(|text| html! {
                <text class="caption" x={((x1 + x2) / 2.0).to_string()} y={((y1 + y2) / 2.0 - 6.0).to_string()} text-anchor="middle">{ text }</text>
            }) }
        </g>
    })
}

/// A short mark for the kind, drawn in the element's badge.
fn badge(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Region => "RG",
        ElementKind::OnPremises => "DC",
        ElementKind::Internet => "WWW",
        ElementKind::Vnet => "VNET",
        ElementKind::Subnet => "SNET",
        ElementKind::Vm => "VM",
        ElementKind::DedicatedHost => "HOST",
        ElementKind::Nsg => "NSG",
        ElementKind::Asg => "ASG",
        ElementKind::RouteTable => "UDR",
        ElementKind::Firewall => "FW",
        ElementKind::Nva => "NVA",
        ElementKind::VpnGateway => "VPN",
        ElementKind::ExpressRouteGateway => "ER",
        ElementKind::Bastion => "BAS",
        ElementKind::LoadBalancer => "LB",
        ElementKind::AppGateway => "AGW",
        ElementKind::KeyVault => "KV",
        ElementKind::RecoveryVault => "RSV",
        ElementKind::PrivateDnsZone => "DNS",
        ElementKind::TrafficManager => "TM",
        ElementKind::FrontDoor => "AFD",
    }
}

/// The one line of detail shown under an element's name.
fn detail(element: &Element) -> Option<String> {
    match &element.props {
        ElementProps::Region(region) => region.location.clone(),
        ElementProps::Vnet(vnet) => Some(vnet.address_space.join(", ")),
        ElementProps::OnPremises(site) => Some(site.address_space.join(", ")),
        ElementProps::Subnet(subnet) => {
            Some(format!("{} · {}", subnet.prefix.as_deref().unwrap_or("no prefix"), subnet.role.as_str()))
        }
        ElementProps::Vm(vm) => Some(format!("{} ×{}", vm.size.as_deref().unwrap_or("size?"), vm.count)),
        ElementProps::LoadBalancer(lb) => Some(ports(&lb.ports)),
        ElementProps::AppGateway(gateway) => Some(ports(&gateway.ports)),
        ElementProps::Nsg(nsg) => Some(format!("{} rules", nsg.rules.len())),
        ElementProps::RouteTable(table) => Some(format!("{} routes", table.routes.len())),
        ElementProps::DedicatedHost(host) => host.sku.clone(),
        ElementProps::VpnGateway(gateway) => Some(gateway.sku.clone()),
        ElementProps::ExpressRouteGateway(gateway) => Some(gateway.sku.clone()),
        _ => None,
    }
}

fn ports(ports: &[u16]) -> String {
    let list: Vec<String> = ports.iter().map(u16::to_string).collect();
    format!("ports {}", list.join(", "))
}
