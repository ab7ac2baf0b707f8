//! The Outline tab: the design as a nested list.

use moat_model::Design;
use yew::prelude::*;

use crate::i18n::{self, Text};
use crate::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct OutlineProps {
    pub design: Shared<Design>,
    pub selection: std::collections::BTreeSet<String>,
    pub on_select: Callback<String>,
}

/// The design as a nested list: every element reachable by keyboard and screen reader,
/// an alternative to the canvas.
#[function_component(Outline)]
pub fn outline(props: &OutlineProps) -> Html {
    fn items(
        index: &moat_model::design::Index<'_>,
        children: Vec<&moat_model::Element>,
        props: &OutlineProps,
        depth: usize,
    ) -> Html {
        if children.is_empty() || depth > 8 {
            return Html::default();
        }
        html! {
            <ul role={if depth == 0 { "tree" } else { "group" }}>
                { for children.into_iter().map(|element| {
                    let (on_select, id) = (props.on_select.clone(), element.id.0.clone());
                    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(id.clone()));
                    let selected = props.selection.contains(element.id.as_str());
                    html! {
                        <li role="treeitem" aria-selected={selected.to_string()}>
                            <button class={classes!("link-button", selected.then_some("selected"))} data-outline-id={element.id.0.clone()} {onclick}>
                                { format!("{} {}", element.kind().badge(), element.display_name()) }
                            </button>
                            { items(index, index.children(element.id.as_str()).to_vec(), props, depth + 1) }
                        </li>
                    }
                }) }
            </ul>
        }
    }
    let lang = i18n::use_lang();
    let design = &props.design;
    let index = design.index();
    // At the top: what has no parent, or a parent that does not exist.
    let roots = design
        .elements
        .iter()
        .map(std::sync::Arc::as_ref)
        .filter(|e| e.parent.as_ref().is_none_or(|p| index.element(p.as_str()).is_none()))
        .collect();
    html! { <nav class="outline" data-testid="outline" aria-label={Text::OutlineLabel.get(lang)}>{ items(&index, roots, props, 0) }</nav> }
}
