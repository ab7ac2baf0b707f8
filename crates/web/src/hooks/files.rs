//! Design files the user opens: chosen with Open, or dropped on the page.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::open_over;
use crate::state::{Editor, open_file};

/// What opens a design file: the file input's change, and a file dropped on the page.
pub struct DesignFiles {
    pub on_chosen: Callback<Event>,
    pub on_drop: Callback<DragEvent>,
}

/// Reads a chosen or dropped file as bytes and opens it over the design, shown whole (as a
/// template is); a file that cannot be opened is an error naming it, and the design stays.
#[hook]
pub fn use_design_files(dispatch: UseReducerDispatcher<Editor>, svg_ref: NodeRef) -> DesignFiles {
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    {
        let open_text = {
            let (dispatch, svg_ref) = (dispatch.clone(), svg_ref.clone());
            Callback::from(move |(name, result): (String, Result<Vec<u8>, String>)| {
                let outcome = result.map_err(|e| format!("{name}: {e}")).and_then(|bytes| open_file(&name, &bytes));
                open_over(&dispatch, &svg_ref, outcome);
            })
        };
        let read_file = {
            let (reader, open_text) = (reader.clone(), open_text.clone());
            move |file: web_sys::File| {
                let file = gloo::file::File::from(file);
                let name = file.name();
                let open_text = open_text.clone();
                // Bytes, not text: the browser would patch bad UTF-8 and honour UTF-16 marks.
                let task = gloo::file::callbacks::read_as_bytes(&file, move |result| {
                    open_text.emit((name, result.map_err(|e| e.to_string())));
                });
                *reader.borrow_mut() = Some(task);
            }
        };
        let on_file_chosen = {
            let read_file = read_file.clone();
            Callback::from(move |event: Event| {
                let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                    return;
                };
                if let Some(file) = input.files().and_then(|files| files.get(0)) {
                    read_file(file);
                }
                input.set_value("");
            })
        };
        let on_drop = {
            let read_file = read_file.clone();
            Callback::from(move |event: DragEvent| {
                event.prevent_default();
                if let Some(file) = event.data_transfer().and_then(|d| d.files()).and_then(|files| files.get(0)) {
                    read_file(file);
                }
            })
        };
        DesignFiles { on_chosen: on_file_chosen, on_drop }
    }
}
