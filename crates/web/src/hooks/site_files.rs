//! Files of the site the app reads after its first render: the price book, and the rules'
//! texts (English when a finding is first opened, Japanese when Japanese is first shown).

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

/// The rules' rationale and fix, which the app is built without (`moat_model::rules::doc!`):
/// English read the first time a finding is opened (`want_english`), Japanese the first
/// time the page is in Japanese (its findings show the rules' Japanese titles).
#[derive(Clone, PartialEq)]
pub struct RuleTexts {
    pub english: Option<Shared<Translation>>,
    pub japanese: Option<Shared<Translation>>,
    /// Asks for the English texts (a finding's rationale and fix are about to be shown).
    pub want_english: Callback<()>,
}

impl RuleTexts {
    /// The texts in `lang`, once read.
    pub fn of(&self, lang: Lang) -> Option<Shared<Translation>> {
        match lang {
            Lang::En => self.english.clone(),
            Lang::Ja => self.japanese.clone(),
        }
    }
}

#[hook]
pub fn use_rule_texts(lang: Lang, dispatch: Callback<Action>) -> RuleTexts {
    let english = use_state(|| None::<Shared<Translation>>);
    let japanese = use_state(|| None::<Shared<Translation>>);
    let english_wanted = use_state(|| false);
    {
        let (english, dispatch) = (english.clone(), dispatch.clone());
        // In Japanese the findings show the Japanese file; English is for the report only.
        use_effect_with((*english_wanted, lang), move |(wanted, lang)| {
            if *wanted && *lang == Lang::En && english.is_none() {
                keep_rule_texts(ENGLISH_RULES, english, dispatch);
            }
        });
    }
    {
        let japanese = japanese.clone();
        use_effect_with(lang, move |lang| {
            if *lang == Lang::Ja && japanese.is_none() {
                keep_rule_texts(JAPANESE_RULES, japanese, dispatch);
            }
        });
    }
    let want_english = {
        let wanted = english_wanted.setter();
        use_callback((), move |(), _| wanted.set(true))
    };
    RuleTexts { english: (*english).clone(), japanese: (*japanese).clone(), want_english }
}

/// The rules' English texts, read from the site now (for a report asked for before any
/// finding was opened).
pub async fn read_english_rules() -> Result<Translation, String> {
    read_rule_texts(ENGLISH_RULES).await
}

fn keep_rule_texts(path: &'static str, into: UseStateHandle<Option<Shared<Translation>>>, dispatch: Callback<Action>) {
    wasm_bindgen_futures::spawn_local(async move {
        match read_rule_texts(path).await {
            Ok(translation) => into.set(Some(Shared(Rc::new(translation)))),
            Err(message) => dispatch.emit(Action::ShowError(message)),
        }
    });
}

async fn read_rule_texts(path: &str) -> Result<Translation, String> {
    let text = browser::fetch_text(path).await?;
    Translation::parse(&text).map_err(|e| format!("{path}: {e}"))
}

/// The built-in price book, from the two files of the site that hold it.
async fn read_price_book() -> Result<PriceBook, String> {
    let (vm_and_disk, services) = (PRICE_FILES[0], PRICE_FILES[1]);
    let vm_and_disk_text = browser::fetch_text(vm_and_disk).await?;
    let services_text = browser::fetch_text(services).await?;
    PriceBook::from_files(&vm_and_disk_text, &services_text)
}

/// Where the site serves the rules' texts (`assets/i18n`, copied by Trunk).
const ENGLISH_RULES: &str = "i18n/rules.en.json";
const JAPANESE_RULES: &str = "i18n/rules.ja.json";

/// Where the site serves the built-in price book (`assets/prices`, copied by Trunk).
const PRICE_FILES: [&str; 2] = ["prices/vm-and-disk.json", "prices/services.json"];
