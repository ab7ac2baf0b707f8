//! The palette: every element kind, grouped; a pointer down on an entry starts carrying a
//! new element to the canvas.

use moat_model::element::ElementKind;
use yew::prelude::*;

use crate::canvas::badge;
use crate::state::Target;

/// The palette's groups, in the order shown.
pub const GROUPS: &[(&str, &[ElementKind])] = &[
    (
        "Network",
        &[
            ElementKind::Region,
            ElementKind::Vnet,
            ElementKind::Subnet,
            ElementKind::RouteTable,
            ElementKind::LoadBalancer,
            ElementKind::AppGateway,
            ElementKind::PrivateDnsZone,
        ],
    ),
    ("Compute", &[ElementKind::Vm, ElementKind::DedicatedHost]),
    (
        "Security",
        &[
            ElementKind::Nsg,
            ElementKind::Asg,
            ElementKind::Firewall,
            ElementKind::Nva,
            ElementKind::Bastion,
            ElementKind::KeyVault,
            ElementKind::RecoveryVault,
        ],
    ),
    ("Hybrid", &[ElementKind::OnPremises, ElementKind::VpnGateway, ElementKind::ExpressRouteGateway]),
    ("Global", &[ElementKind::Internet, ElementKind::TrafficManager, ElementKind::FrontDoor]),
];

/// The label of a kind in the palette.
pub fn label(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Region => "Region",
        ElementKind::OnPremises => "On-premises site",
        ElementKind::Internet => "Internet",
        ElementKind::Vnet => "Virtual network",
        ElementKind::Subnet => "Subnet",
        ElementKind::Vm => "Virtual machines",
        ElementKind::DedicatedHost => "Dedicated host",
        ElementKind::Nsg => "Network security group",
        ElementKind::Asg => "Application security group",
        ElementKind::RouteTable => "Route table",
        ElementKind::Firewall => "Azure Firewall",
        ElementKind::Nva => "Network virtual appliance",
        ElementKind::VpnGateway => "VPN gateway",
        ElementKind::ExpressRouteGateway => "ExpressRoute gateway",
        ElementKind::Bastion => "Bastion",
        ElementKind::LoadBalancer => "Load balancer",
        ElementKind::AppGateway => "Application gateway",
        ElementKind::KeyVault => "Key Vault",
        ElementKind::RecoveryVault => "Recovery Services vault",
        ElementKind::PrivateDnsZone => "Private DNS zone",
        ElementKind::TrafficManager => "Traffic Manager",
        ElementKind::FrontDoor => "Front Door",
    }
}

#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    pub on_pointer_down: Callback<(Target, PointerEvent)>,
    /// Enter or Space on an entry: add the kind into the selected container.
    pub on_add: Callback<ElementKind>,
}

#[function_component(Palette)]
pub fn palette(props: &PaletteProps) -> Html {
    html! {
        <nav class="palette" aria-label="Palette">
            { for GROUPS.iter().map(|(group, kinds)| html! {
                <section class="palette-group">
                    <h3>{ *group }</h3>
                    { for kinds.iter().map(|kind| {
                        let callback = props.on_pointer_down.clone();
                        let kind = *kind;
                        let down = Callback::from(move |event: PointerEvent| {
                            event.prevent_default();
                            callback.emit((Target::Palette(kind), event));
                        });
                        let on_add = props.on_add.clone();
                        let onkeydown = Callback::from(move |event: KeyboardEvent| {
                            if event.key() == "Enter" || event.key() == " " {
                                event.prevent_default();
                                on_add.emit(kind);
                            }
                        });
                        html! {
                            <div class="palette-item" data-palette-kind={kind.as_str()} onpointerdown={down} {onkeydown}
                                 role="button" tabindex="0"
                                 aria-label={format!("Add {} (Enter adds it into the selected container)", label(kind))}
                                 title={format!("Drag onto the canvas, or press Enter: {}", label(kind))}>
                                <span class="badge">{ badge(kind) }</span>
                                <span>{ label(kind) }</span>
                            </div>
                        }
                    }) }
                </section>
            }) }
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_in_the_palette_once() {
        let listed: Vec<ElementKind> = GROUPS.iter().flat_map(|(_, kinds)| kinds.iter().copied()).collect();
        for kind in ElementKind::ALL {
            assert_eq!(listed.iter().filter(|k| *k == kind).count(), 1, "{kind}");
        }
    }
}
