//! A share link (`#moat1…` in the address) opening its design.

use std::rc::Rc;

use moat_model::Design;
use moat_model::format::Loaded;
use moat_model::share;
use yew::prelude::*;

use crate::browser::{self, Deflate};
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
            if let Some(fragment) = browser::fragment().filter(|f| f.starts_with(share::PREFIX)) {
                browser::clear_fragment();
                wasm_bindgen_futures::spawn_local(async move {
                    match read(&fragment).await {
                        Ok(loaded) if browser::load_autosave().is_some() => offered.set(Some(Rc::new(loaded.design))),
                        Ok(loaded) => dispatch.emit(Action::Replace { design: Box::new(loaded.design), fresh: true }),
                        Err(message) => {
                            dispatch.emit(Action::ShowError(trf(Text::SharedLink, &[("message", &message)])))
                        }
                    }
                });
            }
        });
    }
    offered
}

/// The design a share fragment carries, unpacked by the browser (see `moat_model::share`).
async fn read(fragment: &str) -> Result<Loaded, String> {
    let packed = share::packed_in(fragment)?;
    let json = browser::through_deflate(&packed, Deflate::Unpack, share::MAX_UNPACKED)
        .await
        .map_err(|()| share::NOT_DEFLATE.to_owned())?;
    share::design_in(json)
}
