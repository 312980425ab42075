//! The top bar: the instance, the rights of the token, the main navigation.

use leptos::prelude::*;

use crate::context::link;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::context::app_state;

/// The top bar: where you are connected, with which rights, and the main navigation.
#[component]
pub fn Header() -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let sign_out = move |_| {
        app.sign_out();
        navigate("/", Default::default());
    };
    view! {
        <a class="skip" href="#main">"Skip to content"</a>
        <header class="top">
            <span class="brand">"tfe-orgs"</span>
            <Show when=move || app.session.with(Option::is_some)>
                <nav aria-label="Main">
                    <A href=link("/orgs") exact=true>"Organizations"</A>
                    <A href=link("/orgs/new")>"New organization"</A>
                    <Show when=move || app.admin()>
                        <A href=link("/sharing-map")>"Sharing audit"</A>
                        <A href=link("/snapshot")>"Snapshot"</A>
                    </Show>
                </nav>
                <span class="whoami">
                    <span class="badge" class:admin=move || app.admin()>
                        {move || if app.admin() { "Site admin" } else { "Organizations view" }}
                    </span>
                    " "
                    <span class="instance">{move || app.session.with(|s| s.as_ref().map(|s| s.api_url.clone()))}</span>
                    {move || app.session.with(|s| s.as_ref().and_then(|s| s.release.clone())).map(|release| view! {
                        " " <span class="release" title="The release the instance names (X-TFE-Version)">{release}</span>
                    })}
                </span>
                <button type="button" class="secondary" on:click=sign_out.clone()>"Sign out"</button>
            </Show>
        </header>
    }
}
