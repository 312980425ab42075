//! The connect form: instance URL (fixed when tfe-orgs-server serves the page) and token.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::components::common::{ErrorBanner, Loading, TextField};
use crate::context::{
    app_state, base_path, connect, current_instance, own_api_url, remembered, server_info, store_connection,
    stored_connection, ServerInfo, StoredConnection,
};
use crate::logic::field_message;

/// Instance URL and token. The token stays in memory and sessionStorage (localStorage only when
/// "remember on this device" is ticked) and never goes into a URL.
#[component]
pub fn ConnectPage() -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let location = use_location();
    let url = RwSignal::new(own_api_url());
    let token = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let error = RwSignal::new(app.restore_error.get_untracked());
    let busy = RwSignal::new(false);
    // Served by tfe-orgs-server, the instance is fixed: this origin's /api/v2, which it answers.
    let server = RwSignal::new(None::<ServerInfo>);
    // The instance the page reaches now: connections are kept (and offered) for it only.
    let instance = RwSignal::new(None::<String>);
    crate::context::spawn(async move {
        let info = server_info().await;
        let here = current_instance(info.as_ref());
        // After a failed reconnect the stored connection is offered again, with what went wrong.
        if let Some(stored) = stored_connection(&here) {
            let _ = url.try_set(stored.url);
            let _ = token.try_set(stored.token);
        }
        let _ = remember.try_set(remembered(&here));
        if let Some(info) = info {
            let _ = url.try_set(own_api_url());
            let _ = server.try_set(Some(info));
        }
        let _ = instance.try_set(Some(here));
    });
    let fixed = move || server.with(Option::is_some);
    let samples = move || server.with(|s| s.as_ref().map(|s| s.tokens.clone()).unwrap_or_default());
    let reaches = move || {
        server.with(|s| match s {
            Some(info) if info.is_sandbox() => {
                Some("This page is served by tfe-orgs-server with the sandbox in-process.".to_string())
            }
            Some(info) => Some(format!(
                "This page is served by tfe-orgs-server, which forwards to {}.",
                info.upstream.as_deref().unwrap_or("its upstream")
            )),
            None => None,
        })
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let (u, t, keep) = (url.get_untracked(), token.get_untracked(), remember.get_untracked());
        let known = instance.get_untracked();
        let navigate = navigate.clone();
        let at_root = location.pathname.get_untracked().trim_end_matches('/') == base_path();
        crate::context::spawn(async move {
            // The connection is kept under the instance this page reaches, which the restore
            // after a reload looks for: a Connect clicked before the page learned it (the
            // server's info still on its way) asks for it here rather than keeping the
            // connection under the typed URL, where the restore would never find it.
            let here = match known {
                Some(here) => here,
                None => current_instance(server_info().await.as_ref()),
            };
            let result = connect(&u, &t).await;
            let _ = busy.try_set(false);
            match result {
                Ok(session) => {
                    app.restore_error.set(None);
                    store_connection(&StoredConnection { url: u, token: t, instance: here }, keep);
                    app.session.set(Some(session));
                    if at_root {
                        navigate("/orgs", Default::default());
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let field = move |pointer: &'static str| {
        Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| field_message(e, pointer))))
    };

    view! {
        <section class="connect">
            <h1>"Connect to Terraform Enterprise"</h1>
            <p>"Find, inspect and change organizations and module sharing. Use a site-admin token for the admin view; any other token opens the organizations it can see."</p>
            <form on:submit=submit novalidate>
                <InstanceUrlField url=url fixed=Signal::derive(fixed) reaches=Signal::derive(reaches) error=field("baseUrl")/>
                <TextField
                    id="token"
                    label="API token"
                    kind="password"
                    autocomplete="off"
                    value=token
                    on_input=move |v| token.set(v)
                    error=field("token")
                    hint="Kept in this tab only, unless you tick the box below"
                />
                <div class="field check">
                    <input id="remember" type="checkbox" prop:checked=remember on:change=move |ev| remember.set(event_target_checked(&ev))/>
                    <label for="remember">"Remember on this device (keeps the token in this browser's localStorage)"</label>
                </div>
                <ErrorBanner error=Signal::derive(move || error.get().filter(|e| e.field.is_none() || e.status.is_some()))/>
                <div class="actions">
                    <button type="submit" disabled=move || busy.get()>"Connect"</button>
                    <Show when=move || busy.get()>
                        <Loading label="Connecting…"/>
                    </Show>
                </div>
            </form>
            <SandboxTokens samples=Signal::derive(samples) token=token/>
        </section>
    }
}

/// The instance URL: typed, or (served by tfe-orgs-server) fixed, with what the server reaches.
#[component]
fn InstanceUrlField(
    url: RwSignal<String>,
    fixed: Signal<bool>,
    reaches: Signal<Option<String>>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <Show
            when=move || fixed.get()
            fallback=move || view! {
                <TextField
                    id="instance-url"
                    label="Instance URL"
                    kind="url"
                    value=url
                    on_input=move |v| url.set(v)
                    error=error
                    hint="For example https://tfe.example.com (the /api/v2 suffix is optional)"
                />
            }
        >
            <div class="field">
                <label for="instance-url">"Instance URL"</label>
                <input id="instance-url" type="url" readonly prop:value=move || url.get() aria-describedby="instance-url-hint"/>
                <p id="instance-url-hint" class="hint reaches">{move || reaches.get()}</p>
            </div>
        </Show>
    }
}

/// On the sandbox: its sample tokens, each with a button that fills the token field.
#[component]
fn SandboxTokens(samples: Signal<Vec<crate::context::SampleToken>>, token: RwSignal<String>) -> impl IntoView {
    view! {
        <Show when=move || !samples.get().is_empty()>
            <aside class="sandbox-hint" aria-labelledby="sandbox-title">
                <h2 id="sandbox-title">"This is tfe-sandbox"</h2>
                <p>"You are on the local TFE emulator, seeded with sample organizations. Sample tokens:"</p>
                <ul>
                    {move || {
                        samples.get()
                            .into_iter()
                            .map(|s| {
                                let role = if s.site_admin { "site admin" } else { "not an admin" };
                                let label = format!("Use the token of {} ({role})", s.user);
                                let value = s.token.clone();
                                view! {
                                    <li>
                                        <code>{s.token.clone()}</code>
                                        " — "
                                        {s.user.clone()}
                                        ", "
                                        {role}
                                        " "
                                        <button type="button" class="secondary" aria-label=label on:click=move |_| token.set(value.clone())>
                                            "Use"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </aside>
        </Show>
    }
}
