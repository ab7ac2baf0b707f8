//! A toolbar menu as WAI-ARIA's menu button pattern describes it: the button says it opens a
//! menu and whether it is open; opening moves focus to the first entry, arrow keys, Home and
//! End move between entries, Escape closes and gives focus back to the button, and choosing
//! an entry, clicking elsewhere or tabbing away closes it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MenuButtonProps {
    /// The button's `data-action`, and the stem of the menu's id.
    pub action: AttrValue,
    pub label: AttrValue,
    /// The button's tooltip.
    pub title: AttrValue,
    /// The accessible name of the menu itself.
    pub menu_label: AttrValue,
    /// The menu's `data-testid`.
    pub testid: AttrValue,
    /// Extra classes of the menu.
    #[prop_or_default]
    pub class: Classes,
    /// The entries: buttons with `role="menuitem"` (see [`ENTRY_ROLE`]).
    pub children: Html,
}

/// The role every entry of a menu carries.
pub const ENTRY_ROLE: &str = "menuitem";

#[function_component(MenuButton)]
pub fn menu_button(props: &MenuButtonProps) -> Html {
    let open = use_state(|| false);
    let anchor_ref = use_node_ref();
    let button_ref = use_node_ref();
    let menu_ref = use_node_ref();
    let menu_id = format!("{}-menu", props.action);

    // Focus moves into the menu when it opens.
    {
        let menu_ref = menu_ref.clone();
        use_effect_with(*open, move |open| {
            if *open {
                focus_entry(&menu_ref, |_| 0);
            }
        });
    }

    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let close_and_return = {
        let (open, button_ref) = (open.clone(), button_ref.clone());
        move || {
            open.set(false);
            if let Some(button) = button_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        }
    };
    let on_key = {
        let (menu_ref, open) = (menu_ref.clone(), open.clone());
        let close_and_return = close_and_return.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            _ if !*open => {}
            "Escape" => {
                event.prevent_default();
                close_and_return();
            }
            "ArrowDown" => {
                event.prevent_default();
                focus_entry(&menu_ref, |(current, count)| current.map_or(0, |i| (i + 1) % count));
            }
            "ArrowUp" => {
                event.prevent_default();
                focus_entry(&menu_ref, |(current, count)| current.map_or(count - 1, |i| (i + count - 1) % count));
            }
            "Home" => {
                event.prevent_default();
                focus_entry(&menu_ref, |_| 0);
            }
            "End" => {
                event.prevent_default();
                focus_entry(&menu_ref, |(_, count)| count - 1);
            }
            _ => {}
        })
    };
    // Choosing an entry closes the menu; the entry's own handler runs first.
    let on_choose = {
        let close_and_return = close_and_return.clone();
        Callback::from(move |event: MouseEvent| {
            let on_entry = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest(&format!("[role={ENTRY_ROLE}]")).ok().flatten())
                .is_some();
            if on_entry {
                close_and_return();
            }
        })
    };
    // Focus leaving the menu and its button (a click elsewhere, Tab) closes it.
    let on_focus_out = {
        let (open, anchor_ref) = (open.clone(), anchor_ref.clone());
        Callback::from(move |event: FocusEvent| {
            let staying = event
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .zip(anchor_ref.cast::<web_sys::Node>())
                .is_some_and(|(to, anchor)| anchor.contains(Some(&to)));
            if !staying {
                open.set(false);
            }
        })
    };

    html! {
        <span ref={anchor_ref} class="menu-anchor" onfocusout={on_focus_out} onkeydown={on_key}>
            <button ref={button_ref} data-action={props.action.clone()} title={props.title.clone()}
                    aria-haspopup="menu" aria-expanded={open.to_string()} aria-controls={menu_id.clone()}
                    onclick={toggle}>{ props.label.clone() }</button>
            // The menu is always in the page and hidden when closed: inserting it next to the
            // button would make Yew move the button, and a moved button loses focus.
            <div ref={menu_ref} id={menu_id} class={classes!("menu", props.class.clone())} role="menu"
                 aria-label={props.menu_label.clone()} data-testid={props.testid.clone()} hidden={!*open}
                 onclick={on_choose}>
                { if *open { props.children.clone() } else { Html::default() } }
            </div>
        </span>
    }
}

/// Focuses the entry `choose((focused index, entry count))` picks, if the menu has entries.
fn focus_entry(menu: &NodeRef, choose: impl Fn((Option<usize>, usize)) -> usize) {
    let Some(menu) = menu.cast::<web_sys::Element>() else { return };
    let Ok(entries) = menu.query_selector_all(&format!("[role={ENTRY_ROLE}]:not([disabled])")) else { return };
    let count = entries.length() as usize;
    if count == 0 {
        return;
    }
    let focused = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    let current = (0..count).find(|&i| {
        entries.item(i as u32).zip(focused.as_ref()).is_some_and(|(entry, focused)| entry.is_same_node(Some(focused)))
    });
    let index = choose((current, count)).min(count - 1);
    if let Some(entry) = entries.item(index as u32).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = entry.focus();
    }
}
