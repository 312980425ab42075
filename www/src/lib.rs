//! The admin page's components. `main.rs` only mounts [`App`]; tests mount components directly.

use leptos::prelude::*;
use tfe_orgs::validate;

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <main>
            <h1>"tfe-orgs"</h1>
            <p>"Organizations admin for Terraform Enterprise. The full page is on its way."</p>
            <NameCheck/>
        </main>
    }
}

/// Checks an organization name as you type, with the library's validator.
#[component]
pub fn NameCheck() -> impl IntoView {
    let (name, set_name) = signal(String::new());
    let verdict = move || match validate::organization_name("name", &name.get()) {
        Ok(()) => "valid organization name".to_string(),
        Err(e) => e.message,
    };
    view! {
        <label for="name-check">"Organization name"</label>
        <input id="name-check" type="text" prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/>
        <output for="name-check" aria-live="polite">{verdict}</output>
    }
}
