//! Any other path: says so and leads back to the organizations.

use leptos::prelude::*;

use crate::context::link;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section>
            <h1>"Page not found"</h1>
            <p><A href=link("/orgs")>"Back to the organizations"</A></p>
        </section>
    }
}
