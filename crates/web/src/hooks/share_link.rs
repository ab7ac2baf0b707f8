//! A share link (`#moat1…` in the address) opening its design.

use std::rc::Rc;

use moat_model::Design;
use yew::prelude::*;

use crate::browser;
use crate::i18n::{Text, trf};
use crate::state::Action;

/// Opens the design of a share link the page was opened with. Over earlier work it opens
/// only when the user says so: the design is then returned, to be offered.
#[hook]
pub fn use_share_link(dispatch: Callback<Action>) -> UseStateHandle<Option<Rc<Design>>> {
    let offered = use_state(|| None::<Rc<Design>>);
    {
        let offered = offered.clone();
        use_effect_with((), move |_| {
            if let Some(fragment) = browser::fragment().filter(|f| f.starts_with(moat_model::share::PREFIX)) {
                match moat_model::share::decode(&fragment) {
                    Ok(loaded) if browser::load_autosave().is_some() => offered.set(Some(Rc::new(loaded.design))),
                    Ok(loaded) => dispatch.emit(Action::Replace { design: Box::new(loaded.design), fresh: true }),
                    Err(message) => dispatch.emit(Action::ShowError(trf(Text::SharedLink, &[("message", &message)]))),
                }
                browser::clear_fragment();
            }
        });
    }
    offered
}
