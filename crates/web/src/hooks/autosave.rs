//! The autosave: the design written to local storage shortly after each change.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use moat_model::{Design, format};
use yew::prelude::*;

use crate::browser;
use crate::i18n::{Text, trf};
use crate::state::{Action, Editor, SaveState};

/// Writes the design to local storage shortly after each change, and at once when the
/// page is hidden or closed.
#[hook]
pub fn use_autosave(
    state: &UseReducerHandle<Editor>,
    latest: Rc<RefCell<Rc<Design>>>,
    written: Rc<RefCell<Option<String>>>,
) {
    let timer = use_mut_ref(|| None::<Timeout>);
    let flush = {
        let dispatch = state.dispatcher();
        let written = written.clone();
        move |design: &Design| {
            let text = format::to_json(design);
            match browser::autosave(&text, &design.meta.title) {
                Ok(()) => {
                    *written.borrow_mut() = Some(text);
                    dispatch.dispatch(Action::Saved)
                }
                Err(message) => dispatch.dispatch(Action::ShowError(trf(Text::Autosave, &[("message", &message)]))),
            }
        }
    };
    {
        let (latest, flush) = (latest.clone(), flush.clone());
        use_effect_with(state.revision, move |revision| {
            if *revision > 0 {
                let latest = latest.clone();
                *timer.borrow_mut() = Some(Timeout::new(400, move || flush(&latest.borrow())));
            }
        });
    }
    let pending = state.save_state == SaveState::Pending;
    use_effect_with(pending, move |pending| {
        let listeners = pending.then(|| {
            let window = gloo::utils::window();
            let document = gloo::utils::document();
            let on_hide = {
                let (latest, flush) = (latest.clone(), flush.clone());
                move |_: &Event| flush(&latest.borrow())
            };
            (
                EventListener::new(&document, "visibilitychange", on_hide.clone()),
                EventListener::new(&window, "pagehide", on_hide),
            )
        });
        move || drop(listeners)
    });
}
