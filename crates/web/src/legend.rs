//! The legend of the canvas: what each style of link means, for the kinds the design uses.
//! Folded at first, so that it hides nothing of the drawing after Fit; one click shows it.
//! The picture exports always carry it.

use crate::shared::Shared;
use moat_model::Design;
use moat_model::drawing;
use yew::prelude::*;

use crate::i18n::{Text, use_lang};

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub design: Shared<Design>,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let lang = use_lang();
    let open = use_state(|| false);
    let entries = drawing::legend(&props.design, lang);
    if entries.is_empty() {
        return Html::default();
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    html! {
        <div class="legend" data-testid="legend" data-open={open.to_string()}>
            <button class="legend-toggle" aria-expanded={open.to_string()} onclick={toggle} data-testid="legend-toggle">
                { Text::Legend.get(lang) }
            </button>
            if *open {
                <ul>
                    { for entries.iter().map(|entry| {
                        let style = entry.style;
                        html! {
                            <li data-legend-kind={entry.key}>
                                <svg width="48" height="12" viewBox="0 0 48 12" aria-hidden="true">
                                    <line x1="2" y1="6" x2={if style.directed { "38" } else { "46" }} y2="6" stroke={style.colour}
                                          stroke-width={style.width.to_string()} stroke-dasharray={style.dash} />
                                    if style.directed {
                                        <path d="M46 6 L36 1.5 L36 10.5 Z" fill={style.colour} />
                                    }
                                </svg>
                                <span>{ entry.name }</span>
                            </li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}
