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
    options.set_type(mime_type(name));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail("no blob"))?;
    download_blob(name, &blob)
}

fn mime_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("svg") => "image/svg+xml",
        Some("html") => "text/html",
        Some("drawio") => "application/xml",
        Some("json") => "application/json",
        _ => "text/plain",
    }
}

/// Offers a blob as a file download named `name`.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let fail = |what: &str| format!("could not save {name}: {what}");
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| fail("no object URL"))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("no link"))?.dyn_into().map_err(|_| fail("no link"))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Draws an SVG picture into a PNG and offers it as a download (at twice the size, for
/// sharp slides).
pub fn download_png(name: &str, svg: &str) -> Result<(), String> {
    use wasm_bindgen::closure::Closure;
    let fail = |what: &str| format!("could not save {name}: {what}");
    let image = web_sys::HtmlImageElement::new().map_err(|_| fail("no image"))?;
    let source = format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(svg));
    let (loaded, name) = (image.clone(), name.to_owned());
    let onload = Closure::once_into_js(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(canvas) = document.create_element("canvas").map(|c| c.unchecked_into::<web_sys::HtmlCanvasElement>())
        else {
            return;
        };
        let scale = 2.0;
        canvas.set_width((f64::from(loaded.natural_width()) * scale) as u32);
        canvas.set_height((f64::from(loaded.natural_height()) * scale) as u32);
        let Some(context) =
            canvas.get_context("2d").ok().flatten().map(|c| c.unchecked_into::<web_sys::CanvasRenderingContext2d>())
        else {
            return;
        };
        let _ = context.scale(scale, scale);
        let _ = context.draw_image_with_html_image_element(&loaded, 0.0, 0.0);
        let saved = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
            if let Some(blob) = blob {
                let _ = download_blob(&name, &blob);
            }
        });
        let _ = canvas.to_blob(saved.unchecked_ref());
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&source);
    Ok(())
}

/// The page's URL fragment, without `#`.
pub fn fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let hash = hash.trim_start_matches('#');
    (!hash.is_empty()).then(|| hash.to_owned())
}

/// Puts a fragment in the page's URL (no reload) and returns the whole link.
pub fn set_fragment(fragment: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    location.set_hash(fragment).ok()?;
    location.href().ok()
}

/// Removes the fragment from the page's URL.
pub fn clear_fragment() {
    if let Some(window) = web_sys::window()
        && let Ok(history) = window.history()
        && let Ok(path) = window.location().pathname()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

fn js_sys_array(text: &str) -> wasm_bindgen::JsValue {
    let array = js_sys::Array::new();
    array.push(&wasm_bindgen::JsValue::from_str(text));
    array.into()
}

/// A file name for a design: its title made safe, and the format's extension.
pub fn file_name(title: &str) -> String {
    export_name(title, "moat.json")
}

/// A file name for an export of a design: its title made safe, and `extension`.
pub fn export_name(title: &str, extension: &str) -> String {
    let safe: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{}.{extension}", if safe.is_empty() { "design" } else { &safe })
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
