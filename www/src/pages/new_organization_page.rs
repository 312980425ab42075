//! `/orgs/new`: create an organization with every documented attribute.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::org_form::OrgForm;
use crate::components::org_table::org_href;
use crate::context::{app_state, link, Saver};
use crate::logic::OrgDraft;

/// `POST /organizations`: every documented attribute, rules checked as you type.
#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let draft = RwSignal::new(OrgDraft::new_in(app.era()));
    let save_state = Saver::new();
    let (server_error, saving) = (save_state.error, save_state.saving);
    // After a create whose answer was lost: the organization as the instance now has it (it was
    // created after all), or `None` (it was not: create it again).
    let found = RwSignal::new(None::<Option<String>>);
    let on_submit = Callback::new(move |d: OrgDraft| {
        let Some(api) = app.api() else { return };
        let navigate = navigate.clone();
        // What the user set, on top of the documented defaults the form starts from: an
        // attribute left at its default is not sent, so a release that lacks it accepts the create.
        let body = d.create_body();
        let reread = (api.clone(), d.get("name").trim().to_string());
        found.set(None);
        save_state.run_or_recheck(
            async move { api.create(&body).await },
            move |org| {
                navigate(
                    &org_href(&org.attributes.name.unwrap_or_else(|| d.get("name").to_string())),
                    Default::default(),
                )
            },
            move || {
                let (api, name) = reread;
                crate::context::spawn(async move {
                    match api.read(&name).await {
                        Ok(_) => found.set(Some(Some(name))),
                        Err(e) if e.kind == tfe_orgs::client::ErrorKind::NotFound => found.set(Some(None)),
                        Err(_) => {}
                    }
                });
            },
        );
    });
    view! {
        <section class="new-org">
            <h1>"New organization"</h1>
            {move || {
                found.get().map(|found| match found {
                    Some(name) => view! {
                        <p class="flash ok" role="status" data-outcome="created">
                            {format!("{name} exists on the instance: the create was applied. ")}
                            <A href=link(&org_href(&name))>"Open it"</A>
                        </p>
                    }
                    .into_any(),
                    None => view! {
                        <p class="flash" role="status" data-outcome="not-created">
                            "The organization does not exist on the instance: the create was not applied. Create it again."
                        </p>
                    }
                    .into_any(),
                })
            }}
            <OrgForm draft=draft server_error=server_error saving=saving submit_label="Create organization" on_submit=on_submit/>
        </section>
    }
}
