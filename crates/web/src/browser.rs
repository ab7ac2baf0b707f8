//! Browser glue: local storage, downloads, reading files. No decisions here.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::i18n::{self, Lang, Text, tr, trf};

/// Where the design being edited is kept between visits.
/// Also read by the crash banner (`web/crash.js`), which runs when the app cannot.
pub const AUTOSAVE_KEY: &str = "moat.autosave";
/// Where an autosave that could not be read is kept, so nothing is lost.
pub const UNREADABLE_KEY: &str = "moat.autosave.unreadable";

/// Where earlier autosaved versions are kept, newest first.
pub const VERSIONS_KEY: &str = "moat.autosave.versions";
/// How many earlier versions are kept.
pub const VERSIONS_KEPT: usize = 10;

pub fn load_autosave() -> Option<String> {
    load(AUTOSAVE_KEY)
}

pub fn load(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// An earlier autosaved version of the design.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub saved_at: String,
    pub title: String,
    pub text: String,
}

/// The earlier versions as stored: JSON written through a JSON value, as the app writes
/// all its JSON (one writer compiled, not one per type).
fn versions_text(versions: &[Version]) -> String {
    serde_json::to_value(versions).map(|value| value.to_string()).unwrap_or_default()
}

/// The earlier versions, newest first.
pub fn versions() -> Vec<Version> {
    load(VERSIONS_KEY).and_then(|text| moat_model::tracked::from_json(&text).ok()).unwrap_or_default()
}

/// Where the title of the autosaved design is kept, so keeping it as an earlier version
/// needs no second reading of a large design.
const AUTOSAVE_TITLE_KEY: &str = "moat.autosave.title";

/// Writes the design (`text`, titled `title`) as the autosave, keeping the one it replaces
/// as an earlier version.
pub fn autosave(text: &str, title: &str) -> Result<(), String> {
    if let Some(previous) = load_autosave().filter(|p| p != text) {
        let mut kept = versions();
        // Autosaves written before the title had a key of its own are read for it.
        let previous_title = load(AUTOSAVE_TITLE_KEY)
            .unwrap_or_else(|| moat_model::format::load(&previous).map(|l| l.design.meta.title).unwrap_or_default());
        kept.insert(
            0,
            Version {
                saved_at: String::from(js_sys::Date::new_0().to_iso_string()),
                title: previous_title,
                text: previous,
            },
        );
        kept.truncate(VERSIONS_KEPT);
        // Earlier versions are a convenience: if they no longer fit, the newest autosave matters more.
        if store(VERSIONS_KEY, &versions_text(&kept)).is_err() {
            kept.truncate(1);
            let _ = store(VERSIONS_KEY, &versions_text(&kept));
        }
    }
    store(AUTOSAVE_KEY, text)?;
    // The title is a convenience: without it the next version reads the design for it.
    if store(AUTOSAVE_TITLE_KEY, title).is_err() {
        let _ = LocalStorage::raw().remove_item(AUTOSAVE_TITLE_KEY);
    }
    Ok(())
}

pub fn store(key: &str, text: &str) -> Result<(), String> {
    let storage = LocalStorage::raw();
    storage.set_item(key, text).map_err(|_| tr(Text::StorageFull).to_owned())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let fail = |what: Text| trf(Text::CouldNotSave, &[("name", &name), ("what", &tr(what))]);
    let parts = js_sys_array(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime_type(name));
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail(Text::NoBlob))?;
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
    let fail = |what: Text| trf(Text::CouldNotSave, &[("name", &name), ("what", &tr(what))]);
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| fail(Text::NoObjectUrl))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail(Text::NoDocument))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail(Text::NoLink))?.dyn_into().map_err(|_| fail(Text::NoLink))?;
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
    let fail = |what: Text| trf(Text::CouldNotSave, &[("name", &name), ("what", &tr(what))]);
    let image = web_sys::HtmlImageElement::new().map_err(|_| fail(Text::NoImage))?;
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

/// Puts `text` on the clipboard; why not when the browser refuses (no permission, no focus,
/// no clipboard).
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.map(drop).map_err(|e| format!("{e:?}"))
}

/// Removes the fragment from the page's URL (the query, `?lang=` say, stays).
pub fn clear_fragment() {
    if let Some(window) = web_sys::window()
        && let Ok(history) = window.history()
        && let Ok(path) = window.location().pathname()
    {
        let search = window.location().search().unwrap_or_default();
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

/// The language to start in: `?lang=`, else the saved choice, else the browser's languages.
pub fn initial_lang() -> Lang {
    let Some(window) = web_sys::window() else { return Lang::En };
    let query = window.location().search().unwrap_or_default();
    let navigator = window.navigator();
    let mut browser: Vec<String> = navigator.languages().iter().filter_map(|tag| tag.as_string()).collect();
    if browser.is_empty() {
        browser.extend(navigator.language());
    }
    i18n::choose(&query, load(i18n::LANG_KEY).as_deref(), &browser)
}

/// Puts the page in `lang`: `<html lang>`, the window's title, and the language that code
/// outside the views (banners, storage errors) writes in.
pub fn apply_lang(lang: Lang) {
    i18n::set_current(lang);
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", lang.as_str());
        }
        document.set_title(Text::PageTitle.get(lang));
    }
}

/// Remembers the language the user chose, and follows it in a `?lang=` of the URL so a
/// reload keeps it.
pub fn choose_lang(lang: Lang) {
    let _ = store(i18n::LANG_KEY, lang.as_str());
    if let Some(window) = web_sys::window()
        && let Ok(history) = window.history()
        && let Some(search) = i18n::with_lang_in_query(&window.location().search().unwrap_or_default(), lang)
    {
        let location = window.location();
        let (path, hash) = (location.pathname().unwrap_or_default(), location.hash().unwrap_or_default());
        let _ =
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{search}{hash}")));
    }
}

/// The text of a file the site serves (`path` relative to the page): the price book and
/// the templates, kept out of the WebAssembly so it starts sooner. The service worker keeps
/// them for offline use. The error names the file.
pub async fn fetch_text(path: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let failed = || trf(Text::CouldNotFetch, &[("file", &path)]);
    let window = web_sys::window().ok_or_else(failed)?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| failed())?.dyn_into().map_err(|_| failed())?;
    if !response.ok() {
        return Err(failed());
    }
    let text = JsFuture::from(response.text().map_err(|_| failed())?).await.map_err(|_| failed())?;
    text.as_string().ok_or_else(failed)
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

/// Moves keyboard focus to the first element matching `selector`, if there is one.
pub fn focus(selector: &str) -> bool {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(selector).ok().flatten());
    // HTML and SVG elements both have `focus` (an element of the canvas is an SVG `<g>`).
    let focus = element.as_ref().and_then(|e| js_sys::Reflect::get(e, &"focus".into()).ok());
    match (element, focus.and_then(|f| f.dyn_into::<js_sys::Function>().ok())) {
        (Some(element), Some(focus)) => focus.call0(&element).is_ok(),
        _ => false,
    }
}

/// Work waiting to run, shared by the callbacks that may run it; `None` once run.
type PendingTask = std::rc::Rc<std::cell::RefCell<Option<Box<dyn FnOnce()>>>>;

/// Work put off until the frame being prepared is painted (see [`after_paint`]); dropping
/// it before it ran cancels it.
pub struct LaterTask {
    task: PendingTask,
}

/// Runs `task` once the browser has shown its next frame: a zero timer set from the
/// `requestAnimationFrame` callback of the frame after it (the main thread's part of a frame
/// is done when the next one's callback runs, but its raster and display may still be under
/// way: a long task started then slowed them on two cores, by up to a frame). Or after
/// `deadline_ms` if no frame comes (a hidden page paints none). Edits use it to keep the
/// analyses out of the frame that shows them. (`requestIdleCallback` is not enough: it runs
/// in the idle time left before the next frame, so a long task there delays that frame.)
pub fn after_paint(deadline_ms: i32, task: impl FnOnce() + 'static) -> LaterTask {
    let task: PendingTask = std::rc::Rc::new(std::cell::RefCell::new(Some(Box::new(task))));
    let run = |task: &PendingTask| {
        let task = task.clone();
        wasm_bindgen::closure::Closure::once_into_js(move || {
            let waiting = task.borrow_mut().take();
            if let Some(waiting) = waiting {
                waiting();
            }
        })
    };
    let window = gloo::utils::window();
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(run(&task).unchecked_ref(), deadline_ms);
    let after_frame = run(&task);
    let on_next_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ =
            gloo::utils::window().set_timeout_with_callback_and_timeout_and_arguments_0(after_frame.unchecked_ref(), 0);
    });
    let on_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = gloo::utils::window().request_animation_frame(on_next_frame.unchecked_ref());
    });
    let _ = window.request_animation_frame(on_frame.unchecked_ref());
    LaterTask { task }
}

impl Drop for LaterTask {
    fn drop(&mut self) {
        // The callbacks stay registered and find nothing to run (each frees itself once called).
        self.task.borrow_mut().take();
    }
}

/// The text of the icon sprite the page holds (index.html inlines `assets/icons/sprite.svg`),
/// for pictures drawn apart from the page.
pub fn icon_sprite() -> Option<String> {
    let document = web_sys::window()?.document()?;
    Some(document.query_selector("svg.icon-sprite").ok()??.outer_html())
}

/// Today's date where the user is, `YYYY-MM-DD`.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date())
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

/// Which way [`through_deflate`] runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Deflate {
    Pack,
    Unpack,
}

/// `bytes` packed or unpacked as raw deflate (RFC 1951) by the browser's own
/// `CompressionStream` / `DecompressionStream`. Reading stops with an error once the result
/// would pass `limit` bytes; a stream the browser cannot unpack is an error too.
pub async fn through_deflate(bytes: &[u8], way: Deflate, limit: usize) -> Result<Vec<u8>, ()> {
    use wasm_bindgen_futures::JsFuture;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let source = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(drop)?.stream();
    // Both streams are a readable and a writable side, which is what `pipeThrough` takes.
    let transform: wasm_bindgen::JsValue = match way {
        Deflate::Pack => streams::CompressionStream::new("deflate-raw").map_err(drop)?.into(),
        Deflate::Unpack => streams::DecompressionStream::new("deflate-raw").map_err(drop)?.into(),
    };
    let piped = source.pipe_through(transform.unchecked_ref());
    let reader: web_sys::ReadableStreamDefaultReader = piped.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk: web_sys::ReadableStreamReadResult =
            JsFuture::from(reader.read()).await.map_err(drop)?.unchecked_into();
        if chunk.get_done() == Some(true) {
            return Ok(out);
        }
        let data = js_sys::Uint8Array::new(&chunk.get_value());
        if out.len() + data.length() as usize > limit {
            let _ = reader.cancel();
            return Err(());
        }
        out.extend(data.to_vec());
    }
}

/// The browser's compression streams, which web-sys offers only behind its unstable APIs.
mod streams {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        pub type CompressionStream;
        #[wasm_bindgen(constructor, catch)]
        pub fn new(format: &str) -> Result<CompressionStream, JsValue>;

        pub type DecompressionStream;
        #[wasm_bindgen(constructor, catch)]
        pub fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    }
}
