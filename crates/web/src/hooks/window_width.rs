//! The window's width, which decides the layout's defaults on small screens.

use gloo::events::EventListener;
use yew::prelude::*;

/// Below this window width the palette shows icons only unless the user opens it.
pub const NARROW_WINDOW: f64 = 1280.0;

/// The window's inner width in CSS px, kept up to date when it is resized.
#[hook]
pub fn use_window_width() -> f64 {
    let width = use_state_eq(measure);
    {
        let width = width.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| width.set(measure()));
            move || drop(listener)
        });
    }
    *width
}

fn measure() -> f64 {
    gloo::utils::window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(1440.0)
}
