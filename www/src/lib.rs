//! The admin page. `main.rs` only mounts [`App`]; tests mount pages and components directly.
//!
//! Layout (after lemmy-ui-leptos): `pages/<feature>_page.rs`, one per route; shared components in
//! `components/`; app-wide state in `context/`; DOM-free logic in `logic/`, a file per question.

//! Everything but `logic` needs a browser (the fetch transport), so it is built for wasm32 only;
//! `logic`'s unit tests also run natively.

pub mod logic;

#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod context;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod screens;

#[cfg(target_arch = "wasm32")]
pub use app::*;

/// The application shell: routes and the session guard.
#[cfg(target_arch = "wasm32")]
mod app {
    use leptos::prelude::*;
    use leptos_router::components::{Route, Router, Routes};
    use leptos_router::path;

    use crate::components::common::Loading;
    use crate::components::header::Header;
    use crate::context::{app_state, connect, current_instance, server_info, stored_connection, AppState};
    use crate::pages::connect_page::ConnectPage;
    use crate::pages::not_found_page::NotFoundPage;
    use crate::pages::organizations_page::OrganizationsPage;
    use crate::screens::{self, Screen};

    /// Re-establish a connection kept in sessionStorage (or localStorage, when remembered), only
    /// if it was kept for the instance this page reaches now.
    fn restore(app: AppState) {
        app.restoring.set(true);
        crate::context::spawn(async move {
            let info = server_info().await;
            let Some(stored) = stored_connection(&current_instance(info.as_ref())) else {
                app.restoring.set(false);
                return;
            };
            match connect(&stored.url, &stored.token).await {
                Ok(session) => app.session.set(Some(session)),
                // A rejected token is forgotten; anything else (instance down, rate limited)
                // keeps it, and the connect form says what happened.
                Err(e) => {
                    if e.kind == tfe_orgs::client::ErrorKind::Unauthorized {
                        crate::context::forget_connection();
                    }
                    app.restore_error.set(Some(e));
                }
            }
            app.restoring.set(false);
        });
    }

    /// The application root.
    #[component]
    pub fn App() -> impl IntoView {
        let app = AppState::new();
        provide_context(app);
        restore(app);
        view! {
            <Router base=crate::context::base_path()>
                <Header/>
                <main id="main" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage/>
                        <Route path=path!("/orgs") view=|| view! { <RequireSession><OrganizationsPage/></RequireSession> }/>
                        <Route path=path!("/orgs/new") view=|| view! { <RequireSession><Screen load=screens::new_organization/></RequireSession> }/>
                        <Route path=path!("/orgs/:name") view=|| view! { <RequireSession><Screen load=screens::organization/></RequireSession> }/>
                        <Route path=path!("/orgs/:name/edit") view=|| view! { <RequireSession><Screen load=screens::edit_organization/></RequireSession> }/>
                        <Route path=path!("/sharing-map") view=|| view! { <RequireSession admin=true><Screen load=screens::sharing_audit/></RequireSession> }/>
                        <Route path=path!("/snapshot") view=|| view! { <RequireSession admin=true><Screen load=screens::snapshot/></RequireSession> }/>
                    </Routes>
                </main>
            </Router>
        }
    }

    /// `/`: connect, or straight to the organizations when connected.
    #[component]
    fn HomePage() -> impl IntoView {
        let app = app_state();
        let navigate = leptos_router::hooks::use_navigate();
        Effect::new(move |_| {
            if app.session.with(Option::is_some) {
                navigate("/orgs", Default::default());
            }
        });
        view! { <RequireSession><p>"Connected."</p></RequireSession> }
    }

    /// Renders its children with a session; otherwise the connect form in place, so the URL (and
    /// what it asks for) survives connecting.
    #[component]
    pub fn RequireSession(children: ChildrenFn, #[prop(optional)] admin: bool) -> impl IntoView {
        let app = app_state();
        move || {
            if app.restoring.get() {
                view! { <Loading label="Reconnecting…"/> }.into_any()
            } else if app.session.with(Option::is_none) {
                view! { <ConnectPage/> }.into_any()
            } else if admin && !app.admin() {
                view! { <p class="banner">"This view needs a site-admin token."</p> }.into_any()
            } else {
                children().into_any()
            }
        }
    }
}
