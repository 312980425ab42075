//! `/orgs/:name/edit`: update only what changed, or delete after typing the name.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use tfe_orgs::client::ReadOptions;
use tfe_orgs::model::OrganizationRelationships;

use crate::components::common::{ErrorBanner, ImpactSummary, Loading, SavedNote};
use crate::components::org_form::OrgForm;
use crate::components::org_table::org_href;
use crate::context::{app_state, link, Loader, Saver};
use crate::logic::{thousands, Impact, LossReport, OrgDraft};

/// `PATCH /organizations/:name` with only what changed, and `DELETE` after typing the name.
#[component]
pub fn EditOrganizationPage() -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    let original: Loader<OrgDraft> = Loader::new();
    let draft = RwSignal::new(OrgDraft::default());
    let save_state = Saver::new();
    let (server_error, saving, saved) = (save_state.error, save_state.saving, save_state.saved);
    Effect::new(move |_| {
        let name = name.get();
        let Some(api) = app.api() else { return };
        original.run(async move {
            let doc = api.read_with_options(&name, ReadOptions::default()).await?;
            Ok(OrgDraft::from_org(&doc.data, doc.data.default_agent_pool_id(), app.era()))
        });
    });
    // Set after a save whose answer was lost: the re-read replaces the "before" of the diff,
    // not what the user typed.
    let keep_draft = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(d) = original.ready() {
            if keep_draft.get_value() {
                keep_draft.set_value(false);
            } else {
                draft.set(d);
            }
        }
    });
    let unchanged = Signal::derive(move || original.ready().is_none_or(|o| draft.with(|d| *d == o)));

    let on_submit = {
        let navigate = navigate.clone();
        Callback::new(move |d: OrgDraft| {
            let (Some(api), Some(before)) = (app.api(), original.ready()) else { return };
            let navigate = navigate.clone();
            let body = d.changes(&before);
            let current = name.get_untracked();
            let target = current.clone();
            let reread = (api.clone(), current.clone());
            save_state.run_or_recheck(
                async move { api.update(&target, &body).await },
                move |org| {
                    let new_name = org.attributes.name.clone().unwrap_or(current.clone());
                    if new_name != current {
                        navigate(&format!("{}/edit", org_href(&new_name)), Default::default());
                    } else {
                        original.refresh(async move {
                            Ok(OrgDraft::from_org(&org, org.default_agent_pool_id(), app.era()))
                        });
                    }
                },
                move || {
                    let (api, name) = reread;
                    keep_draft.set_value(true);
                    original.refresh(async move {
                        let doc = api.read_with_options(&name, ReadOptions::default()).await?;
                        Ok(OrgDraft::from_org(&doc.data, doc.data.default_agent_pool_id(), app.era()))
                    });
                },
            );
        })
    };

    view! {
        <section class="edit-org">
            <p class="crumbs">
                <A href=link("/orgs")>"Organizations"</A>" / "<A href=move || link(&org_href(&name.get()))>{move || name.get()}</A>" / edit"
            </p>
            <h1>"Edit " {move || name.get()}</h1>
            <ErrorBanner error=Signal::derive(move || original.error())/>
            <Show when=move || original.loading()>
                <Loading label="Loading the organization…"/>
            </Show>
            <Show when=move || original.ready().is_some()>
                <OrgForm
                    draft=draft
                    server_error=server_error
                    saving=saving
                    submit_label="Save changes"
                    on_submit=on_submit
                    unchanged=unchanged
                />
                <SavedNote saved=saved/>
                <DeleteSection name=name/>
            </Show>
        </section>
    }
}

/// "Delete this organization…": opens on request; for site admins it first reads, in full, who
/// loses access, and the delete waits for that (a failed read says so and allows it). Deleting
/// needs the name typed.
#[component]
fn DeleteSection(name: Memo<String>) -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let confirm = RwSignal::new(String::new());
    let delete_state = Saver::new();
    let (delete_error, deleting) = (delete_state.error, delete_state.saving);
    // The delete section opens on request; then (site admins) who loses access is read in full.
    let delete_open = RwSignal::new(false);
    // `None` until read (or while reading); then what the delete takes away, or why it is unknown.
    let impact = RwSignal::new(None::<Result<LossReport, tfe_orgs::client::Error>>);
    let reading = RwSignal::new(false);
    let impact_progress = RwSignal::new(None::<String>);
    let open_delete = move |_| {
        delete_open.set(true);
        let Some(api) = app.api() else { return };
        if !app.admin() {
            return;
        }
        let name = name.get_untracked();
        reading.set(true);
        crate::context::spawn(async move {
            let mut on_progress = move |p: tfe_orgs::client::Progress| {
                let of = p.total_count.map(|t| format!(" of {}", thousands(t))).unwrap_or_default();
                let _ = impact_progress
                    .try_set(Some(format!("Reading who uses its registries: {}{of}…", thousands(p.items))));
            };
            let found = api.access_impact(&name, &mut on_progress).await;
            let _ = impact_progress.try_set(None);
            let _ = impact.try_set(Some(found.map(|f| Impact::from_access(&f).report().of_producer(&name))));
            let _ = reading.try_set(false);
        });
    };
    // Deleting waits for the impact where it is being read (a failed read says so and allows it).
    let impact_pending = move || app.admin() && (reading.get() || impact.with(Option::is_none));

    let delete = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(api) = app.api() else { return };
        let target = name.get_untracked();
        if confirm.get_untracked() != target {
            return;
        }
        let navigate = navigate.clone();
        let gone = navigate.clone();
        let reread = (api.clone(), target.clone());
        delete_state.run_or_recheck(
            async move { api.delete(&target).await },
            move |()| navigate("/orgs", Default::default()),
            // The answer was lost: if the organization is gone, the delete was applied.
            move || {
                let (api, name) = reread;
                crate::context::spawn(async move {
                    if let Err(e) = api.read(&name).await {
                        if e.kind == tfe_orgs::client::ErrorKind::NotFound {
                            gone("/orgs", Default::default());
                        }
                    }
                });
            },
        );
    });

    view! {
        <Show when=move || !delete_open.get()>
            <div class="danger">
                <button type="button" class="danger" on:click=open_delete>"Delete this organization…"</button>
            </div>
        </Show>
        <Show when=move || delete_open.get()>
            <form class="danger" on:submit=move |ev| delete.run(ev) aria-labelledby="delete-title" novalidate>
                <h2 id="delete-title">"Delete this organization"</h2>
                <p>"This deletes the organization and everything in it. Type its name to confirm."</p>
                <p class="progress" role="status">{move || impact_progress.get()}</p>
                <ErrorBanner error=Signal::derive(move || impact.with(|i| i.as_ref().and_then(|r| r.as_ref().err().cloned())))/>
                {move || impact.get().and_then(Result::ok).map(|report| view! { <ImpactSummary report=report verb="Deleting" file=format!("{}-loses-access.csv", name.get_untracked())/> })}
                <label for="confirm-name">"Organization name"</label>
                <input id="confirm-name" type="text" autocomplete="off" prop:value=confirm on:input=move |ev| confirm.set(event_target_value(&ev))/>
                <ErrorBanner error=delete_error/>
                <button type="submit" class="danger" disabled=move || deleting.get() || confirm.get() != name.get() || impact_pending()>
                    {move || if deleting.get() { "Deleting…" } else { "Delete organization" }}
                </button>
            </form>
        </Show>
    }
}
