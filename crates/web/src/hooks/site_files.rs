//! Files of the site the app reads after its first render: the price book, and the rules'
//! texts in Japanese when Japanese is first shown.

use std::rc::Rc;

use moat_model::cost::PriceBook;
use moat_model::rules::i18n::Translation;
use yew::prelude::*;

use crate::browser;
use crate::i18n::Lang;
use crate::shared::Shared;
use crate::state::Action;

/// The built-in price book once read, and why it could not be when it could not (also shown
/// as an error). The Estimates tab, the review report and imported prices wait for it.
pub struct PriceBookState {
    pub book: UseStateHandle<Option<Rc<PriceBook>>>,
    pub unreadable: UseStateHandle<Option<AttrValue>>,
}

#[hook]
pub fn use_price_book(dispatch: Callback<Action>) -> PriceBookState {
    let book = use_state(|| None::<Rc<PriceBook>>);
    let unreadable = use_state(|| None::<AttrValue>);
    {
        let (book, unreadable) = (book.clone(), unreadable.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match read_price_book().await {
                    Ok(read) => book.set(Some(Rc::new(read))),
                    Err(message) => {
                        unreadable.set(Some(message.clone().into()));
                        dispatch.emit(Action::ShowError(message));
                    }
                }
            });
        });
    }
    PriceBookState { book, unreadable }
}

/// The rules' texts in Japanese, read the first time the page is in Japanese.
#[hook]
pub fn use_japanese_rules(lang: Lang, dispatch: Callback<Action>) -> Option<Shared<Translation>> {
    let japanese = use_state(|| None::<Shared<Translation>>);
    {
        let japanese = japanese.clone();
        use_effect_with(lang, move |lang| {
            if *lang == Lang::Ja && japanese.is_none() {
                wasm_bindgen_futures::spawn_local(async move {
                    let read = |text: String| Translation::parse(&text).map_err(|e| format!("{JAPANESE_RULES}: {e}"));
                    match browser::fetch_text(JAPANESE_RULES).await.and_then(read) {
                        Ok(translation) => japanese.set(Some(Shared(Rc::new(translation)))),
                        Err(message) => dispatch.emit(Action::ShowError(message)),
                    }
                });
            }
        });
    }
    (*japanese).clone()
}

/// The built-in price book, from the two files of the site that hold it.
async fn read_price_book() -> Result<PriceBook, String> {
    let (vm_and_disk, services) = (PRICE_FILES[0], PRICE_FILES[1]);
    let vm_and_disk_text = browser::fetch_text(vm_and_disk).await?;
    let services_text = browser::fetch_text(services).await?;
    PriceBook::from_files(&vm_and_disk_text, &services_text)
}

/// Where the site serves the rules' texts in Japanese (`assets/i18n`, copied by Trunk).
const JAPANESE_RULES: &str = "i18n/rules.ja.json";

/// Where the site serves the built-in price book (`assets/prices`, copied by Trunk).
const PRICE_FILES: [&str; 2] = ["prices/vm-and-disk.json", "prices/services.json"];
