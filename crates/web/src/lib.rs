//! moat-web: the Yew app. It presents moat-model and holds session state (what is shown);
//! every semantic decision (format, layout, checks) is the model's.

mod canvas;

use std::rc::Rc;

use moat_model::format;
use yew::prelude::*;

pub use canvas::Canvas;

/// The example design the app opens with until the editor can open files.
pub const EXAMPLE_NAME: &str = "n-tier.moat.json";
pub const EXAMPLE_JSON: &str = include_str!("../../../assets/examples/n-tier.moat.json");

/// The whole app.
#[function_component(App)]
pub fn app() -> Html {
    let loaded = use_memo((), |_| format::load(EXAMPLE_JSON).map(|loaded| Rc::new(loaded.design)));
    let body = match &*loaded {
        Ok(design) => html! { <Canvas design={design.clone()} /> },
        Err(error) => html! { <p class="load-error" role="alert">{ format!("{EXAMPLE_NAME}: {error}") }</p> },
    };
    let title = match &*loaded {
        Ok(design) if !design.meta.title.is_empty() => design.meta.title.clone(),
        _ => EXAMPLE_NAME.to_owned(),
    };
    html! {
        <div class="app">
            <header class="toolbar">
                <span class="brand">{ "Moat" }</span>
                <span class="title" data-testid="design-title">{ title }</span>
            </header>
            <main class="workspace">{ body }</main>
        </div>
    }
}

/// Mounts the app on `root`.
pub fn mount(root: web_sys::Element) {
    yew::Renderer::<App>::with_root(root).render();
}
