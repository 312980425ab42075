//! `/orgs/new`: create an organization with every documented attribute.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::org_form::OrgForm;
use crate::components::org_table::org_href;
use crate::context::{app_state, Saver};
use crate::logic::OrgDraft;

/// `POST /organizations`: every documented attribute, rules checked as you type.
#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let draft = RwSignal::new(OrgDraft::default());
    let save_state = Saver::new();
    let (server_error, saving) = (save_state.error, save_state.saving);
    let on_submit = Callback::new(move |d: OrgDraft| {
        let Some(api) = app.api() else { return };
        let navigate = navigate.clone();
        let (body, _) = d.body();
        save_state.run(async move { api.create(&body).await }, move |org| {
            navigate(&org_href(&org.attributes.name.unwrap_or(d.name)), Default::default())
        });
    });
    view! {
        <section class="new-org">
            <h1>"New organization"</h1>
            <OrgForm draft=draft server_error=server_error saving=saving submit_label="Create organization" on_submit=on_submit/>
        </section>
    }
}
