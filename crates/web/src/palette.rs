//! The palette: every element kind, grouped; a pointer down on an entry starts carrying a
//! new element to the canvas.

use moat_model::element::ElementKind;
use yew::prelude::*;

use crate::canvas::icon_href;
use crate::i18n::{Text, kind_name, use_lang};
use crate::state::Target;

/// The palette's groups, in the order shown.
pub const GROUPS: &[(Text, &[ElementKind])] = &[
    (
        Text::GroupNetwork,
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
    (Text::GroupCompute, &[ElementKind::Vm, ElementKind::DedicatedHost]),
    (
        Text::GroupSecurity,
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
    (Text::GroupHybrid, &[ElementKind::OnPremises, ElementKind::VpnGateway, ElementKind::ExpressRouteGateway]),
    (Text::GroupGlobal, &[ElementKind::Internet, ElementKind::TrafficManager, ElementKind::FrontDoor]),
];

#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    pub on_pointer_down: Callback<(Target, PointerEvent)>,
    /// Enter or Space on an entry: add the kind into the selected container.
    pub on_add: Callback<ElementKind>,
    /// Icons only (names stay as tooltips and for screen readers).
    pub folded: bool,
    pub on_fold: Callback<()>,
}

#[function_component(Palette)]
pub fn palette(props: &PaletteProps) -> Html {
    let lang = use_lang();
    html! {
        <nav class={classes!("palette", props.folded.then_some("folded"))} aria-label={Text::Palette.get(lang)}>
            <button class="fold" data-action="fold-palette" aria-expanded={(!props.folded).to_string()}
                    title={if props.folded { Text::UnfoldPalette.get(lang) } else { Text::FoldPalette.get(lang) }}
                    aria-label={if props.folded { Text::UnfoldPalette.get(lang) } else { Text::FoldPalette.get(lang) }}
                    onclick={props.on_fold.reform(|_: MouseEvent| ())}>{ if props.folded { "»" } else { "«" } }</button>
            { for GROUPS.iter().map(|(group, kinds)| html! {
                <section class="palette-group">
                    <h3>{ group.get(lang) }</h3>
                    { for kinds.iter().map(|kind| {
                        let callback = props.on_pointer_down.clone();
                        let kind = *kind;
                        let name = kind_name(kind, lang);
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
                                 aria-label={Text::PaletteAdd.fill(lang, &[("kind", &name)])}
                                 title={Text::PaletteTitle.fill(lang, &[("kind", &name)])}>
                                <svg class="palette-icon" aria-hidden="true"><use href={icon_href(kind)} color={moat_model::drawing::icon_colour(kind)} /></svg>
                                <span>{ name }</span>
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
