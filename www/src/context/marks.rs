//! User Timing marks the benchmarks read (`cargo xtask bench`, DevTools): set by the pages at
//! the moments they measure, kept out of the pages' own code.

use leptos::prelude::window;
use wasm_bindgen::JsCast;

/// A User Timing mark named `name`.
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// Run `f` once the browser has painted the current changes (after the next animation frame).
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        // A zero timeout after the frame runs after its paint.
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::closure::Closure::once_into_js(f).unchecked_ref(),
            0,
        );
    });
    let _ = window().request_animation_frame(callback.unchecked_ref());
}

/// Every page of the list has arrived.
pub fn all_loaded() {
    mark("tfe-orgs:all-loaded");
}

/// Once the rows every page brought are painted: `tfe-orgs:render-all`, how long they took.
pub fn measure_render_all() {
    after_next_paint(|| {
        mark("tfe-orgs:all-rendered");
        if let Some(p) = window().performance() {
            let _ = p.measure_with_start_mark_and_end_mark(
                "tfe-orgs:render-all",
                "tfe-orgs:all-loaded",
                "tfe-orgs:all-rendered",
            );
        }
    });
}
