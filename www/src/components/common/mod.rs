//! Small building blocks: fields, error banners, loading states.

mod error_banner;
mod field;
mod form_field;
mod impact;
mod name_list;
mod show_all;

pub use error_banner::{advice, ErrorBanner};
pub use field::{CheckField, SelectField, TextField};
pub use form_field::form_field;
pub use impact::ImpactSummary;
pub use name_list::NameList;
pub use show_all::ShowAll;

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

/// Offer `text` as a file download.
pub fn download(filename: &str, mime: &str, text: &str) {
    let parts = web_sys::js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", filename);
        if let Ok(a) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(a) {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
