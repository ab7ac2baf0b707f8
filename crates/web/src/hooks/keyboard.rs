//! Keyboard shortcuts, as in draw.io and Excalidraw.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use moat_model::Design;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;
use crate::save_design;

/// Where Alt+1, Alt+2 and Alt+3 take the focus: the first of each list that is on the page.
pub const PALETTE: &[&str] = &["[data-palette-kind]"];
pub const CANVAS: &[&str] = &["g[data-element-id].selected", "g[data-element-id]", "#canvas"];
pub const INSPECTOR: &[&str] =
    &["[data-testid=inspector] input, [data-testid=inspector] select", "[data-action=fold-inspector]"];
use crate::state::{Action, Editor};

/// Keyboard shortcuts as in draw.io and Excalidraw.
#[hook]
pub fn use_keyboard(dispatch: UseReducerDispatcher<Editor>, latest: Rc<RefCell<Rc<Design>>>) {
    use_effect_with((), move |_| {
        let window = gloo::utils::window();
        let down = {
            let dispatch = dispatch.clone();
            // Not passive: a shortcut takes its key from the browser (Ctrl+S would save the
            // page, Ctrl+A select its text, Ctrl+D bookmark it).
            EventListener::new_with_options(
                &window,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                    // A menu, the tab list or a control already used the key.
                    if event.default_prevented() {
                        return;
                    }
                    let command = event.ctrl_key() || event.meta_key();
                    let key = event.key();
                    let typing = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
                    // Space presses a focused button rather than starting a pan.
                    let on_button = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|e| e.tag_name() == "BUTTON");
                    // Alt+1, 2, 3: straight to the palette, the canvas, the inspector.
                    if event.alt_key() && !command {
                        let place = match event.code().as_str() {
                            "Digit1" => Some(PALETTE),
                            "Digit2" => Some(CANVAS),
                            "Digit3" => Some(INSPECTOR),
                            _ => None,
                        };
                        if let Some(selectors) = place {
                            event.prevent_default();
                            let _ = selectors.iter().any(|selector| browser::focus(selector));
                            return;
                        }
                    }
                    let action = match (command, key.to_ascii_lowercase().as_str()) {
                        (true, "s") => {
                            event.prevent_default();
                            save_design(&latest.borrow(), &dispatch);
                            return;
                        }
                        _ if typing => return,
                        (true, "z") if event.shift_key() => Action::Redo,
                        (true, "z") => Action::Undo,
                        (true, "y") => Action::Redo,
                        (true, "c") => Action::Copy,
                        (true, "v") => Action::Paste,
                        (true, "d") => Action::Duplicate,
                        (true, "a") => Action::SelectAll,
                        (false, "delete" | "backspace") => Action::Delete,
                        (false, "escape") => Action::Cancel,
                        (false, "?") => Action::ToggleShortcuts,
                        (false, "l") => Action::StartConnect,
                        (false, " ") if !on_button => Action::SpaceHeld(true),
                        (false, arrow @ ("arrowleft" | "arrowright" | "arrowup" | "arrowdown")) => {
                            let step = if event.shift_key() { 10.0 } else { 1.0 };
                            match arrow {
                                "arrowleft" => Action::Nudge(-step, 0.0),
                                "arrowright" => Action::Nudge(step, 0.0),
                                "arrowup" => Action::Nudge(0.0, -step),
                                _ => Action::Nudge(0.0, step),
                            }
                        }
                        _ => return,
                    };
                    event.prevent_default();
                    dispatch.dispatch(action);
                },
            )
        };
        let up = EventListener::new(&window, "keyup", move |event| {
            if event.dyn_ref::<web_sys::KeyboardEvent>().is_some_and(|e| e.key() == " ") {
                dispatch.dispatch(Action::SpaceHeld(false));
            }
        });
        move || drop((down, up))
    });
}
