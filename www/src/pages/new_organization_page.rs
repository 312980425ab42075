use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use tfe_orgs::client::Error;

use crate::components::org_form::OrgForm;
use crate::components::org_table::org_href;
use crate::context::app_state;
use crate::logic::OrgDraft;

/// `POST /organizations`: every documented attribute, rules checked as you type.
#[component]
pub fn NewOrganizationPage() -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let draft = RwSignal::new(OrgDraft::default());
    let server_error = RwSignal::new(None::<Error>);
    let saving = RwSignal::new(false);
    let on_submit = Callback::new(move |d: OrgDraft| {
        let Some(api) = app.api() else { return };
        let navigate = navigate.clone();
        saving.set(true);
        server_error.set(None);
        leptos::task::spawn_local(async move {
            let (body, _) = d.body();
            let result = api.create(&body).await;
            let _ = saving.try_set(false);
            match result {
                Ok(org) => navigate(&org_href(&org.attributes.name.unwrap_or(d.name)), Default::default()),
                Err(e) => {
                    let _ = server_error.try_set(Some(e));
                }
            }
        });
    });
    view! {
        <section class="new-org">
            <h1>"New organization"</h1>
            <OrgForm draft=draft server_error=server_error saving=saving submit_label="Create organization" on_submit=on_submit/>
        </section>
    }
}
