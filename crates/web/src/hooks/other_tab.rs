//! Another tab of the app writing its design over this tab's autosave.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use moat_model::{Design, format};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::browser;

/// The design another tab autosaved over this tab's (`written` is what this tab last wrote),
/// until the user chooses which to keep.
#[hook]
pub fn use_other_tab(written: Rc<RefCell<Option<String>>>) -> UseStateHandle<Option<Rc<Design>>> {
    let other_tab = use_state(|| None::<Rc<Design>>);
    {
        let other_tab = other_tab.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "storage", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
                if event.key().as_deref() != Some(browser::AUTOSAVE_KEY) {
                    return;
                }
                let Some(theirs) = event.new_value() else { return };
                if written.borrow().as_deref() == Some(theirs.as_str()) {
                    return;
                }
                if let Ok(loaded) = format::load(&theirs) {
                    other_tab.set(Some(Rc::new(loaded.design)));
                }
            });
            move || drop(listener)
        });
    }
    other_tab
}
