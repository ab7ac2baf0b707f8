//! Browser glue: local storage, downloads, reading files. No decisions here.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

/// Where the design being edited is kept between visits.
pub const AUTOSAVE_KEY: &str = "moat.autosave";
/// Where an autosave that could not be read is kept, so nothing is lost.
pub const UNREADABLE_KEY: &str = "moat.autosave.unreadable";

pub fn load_autosave() -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(AUTOSAVE_KEY).ok()?
}

pub fn store(key: &str, text: &str) -> Result<(), String> {
    let storage = LocalStorage::raw();
    storage.set_item(key, text).map_err(|_| "local storage is full or unavailable".to_owned())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not save {name}: {what}");
    let parts = js_sys_array(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail("no blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no object URL"))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("no link"))?.dyn_into().map_err(|_| fail("no link"))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

fn js_sys_array(text: &str) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    array.push(&wasm_bindgen::JsValue::from_str(text));
    array.into()
}

/// A file name for a design: its title made safe, and the format's extension.
pub fn file_name(title: &str) -> String {
    let safe: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{}.moat.json", if safe.is_empty() { "design" } else { &safe })
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_come_from_the_title() {
        assert_eq!(super::file_name("Contoso payroll"), "Contoso-payroll.moat.json");
        assert_eq!(super::file_name("a/b: c?"), "a-b-c.moat.json");
        assert_eq!(super::file_name(""), "design.moat.json");
    }
}
