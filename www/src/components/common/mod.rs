//! Small building blocks: fields, error banners, loading states.

mod error_banner;
mod field;

pub use error_banner::{advice, ErrorBanner};
pub use field::{CheckField, SelectField, TextField};

use leptos::prelude::*;

/// "Saved." once a write has succeeded (announced to screen readers).
#[component]
pub fn SavedNote(#[prop(into)] saved: Signal<bool>) -> impl IntoView {
    view! {
        <Show when=move || saved.get()>
            <span class="ok" role="status">"Saved."</span>
        </Show>
    }
}

/// A loading line that screen readers announce.
#[component]
pub fn Loading(#[prop(into)] label: String) -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{label}</p> }
}
