//! Small building blocks: fields, error banners, loading states.

mod error_banner;
mod field;

pub use error_banner::{advice, ErrorBanner};
pub use field::{CheckField, SelectField, TextField};

use leptos::prelude::*;

/// A loading line that screen readers announce.
#[component]
pub fn Loading(#[prop(into)] label: String) -> impl IntoView {
    view! { <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>{label}</p> }
}
