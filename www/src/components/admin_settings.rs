//! The admin settings editor, with the diff of what a save will change.

use leptos::prelude::*;
use tfe_orgs::client::SharingState;
use tfe_orgs::model::AdminOrganization;
use tfe_orgs::validate::attribute_pointer;

use crate::components::common::{form_field, ErrorBanner, ImpactSummary, SavedNote};
use crate::context::{app_state, Saver};
use crate::logic::{field_message, validation_message, AdminDraft, Impact, Loss, ADMIN_FORM};

/// Access to beta tools, disabled, plan/apply timeouts and global module sharing, with a diff of
/// what will change; saving sends only the changed fields. A failed save keeps the draft.
#[component]
pub fn AdminSettingsEditor(
    name: String,
    org: AdminOrganization,
    /// The organization as the page reads it again (after any save on the page): the editor
    /// follows it, keeping the user's edits on top.
    #[prop(optional, into)]
    latest: Option<Signal<Option<AdminOrganization>>>,
    /// Its module and provider sharing, read in full: who loses access when it is disabled or
    /// stops sharing globally.
    #[prop(optional, into)]
    modules: Option<Signal<Option<SharingState>>>,
    #[prop(optional, into)] providers: Option<Signal<Option<SharingState>>>,
    on_saved: Callback<AdminOrganization>,
    /// After a save whose answer was lost, once the organization was read again.
    on_reread: Callback<()>,
) -> impl IntoView {
    let app = app_state();
    let original = RwSignal::new(AdminDraft::from_org(&org));
    let draft = RwSignal::new(AdminDraft::from_org(&org));
    let save_state = Saver::new();
    let (server_error, saving, saved) = (save_state.error, save_state.saving, save_state.saved);
    let name = StoredValue::new(name);
    Effect::new(move |_| {
        let Some(fresh) = latest.and_then(|l| l.get()) else { return };
        let fresh = AdminDraft::from_org(&fresh);
        if original.with_untracked(|o| *o != fresh) {
            let old = original.get_untracked();
            draft.update(|d| *d = d.rebase(&old, &fresh));
            original.set(fresh);
        }
    });
    // Disabling the organization or ending its global module sharing takes access away: who.
    // A memo: the summary (and its Explorer read) is made again only when who loses access
    // changes, not at every keystroke in another field.
    let impact = Memo::new(move |_| {
        let (modules, providers) = (modules.and_then(|m| m.get())?, providers.and_then(|p| p.get()));
        original.with(|o| draft.with(|d| access_loss(o, d, &modules, providers.as_ref())))
    });

    let errors = Memo::new(move |_| draft.with(AdminDraft::errors));
    let body = Memo::new(move |_| original.with(|o| draft.with(|d| d.changes(o))));
    // "Instance default" says which, where the instance's general settings tell it.
    let lines = Memo::new(move |_| original.with(|o| draft.with(|d| d.diff(o, &|key| app.instance_default(key)))));

    let field_error = move |key: &'static str| {
        Signal::derive(move || {
            let pointer = attribute_pointer(key);
            errors
                .with(|e| validation_message(e, &pointer))
                .or_else(|| server_error.with(|e| e.as_ref().and_then(|e| field_message(e, &pointer))))
        })
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(api) = app.api() else { return };
        if !errors.with(Vec::is_empty) || lines.with(Vec::is_empty) {
            return;
        }
        let body = body.get_untracked();
        let reread = api.clone();
        save_state.run_or_recheck(
            async move { api.admin_update(&name.get_value(), &body).await },
            move |updated| {
                let fresh = AdminDraft::from_org(&updated);
                original.set(fresh.clone());
                draft.set(fresh);
                on_saved.run(updated);
            },
            // The answer was lost: what the instance holds becomes the diff's "before"; the
            // draft stays, so the diff shows what is still to change ("No changes." if applied).
            move || {
                crate::context::spawn(async move {
                    if let Ok(fresh) = reread.admin_read(&name.get_value()).await {
                        let _ = original.try_set(AdminDraft::from_org(&fresh));
                        on_reread.run(());
                    }
                });
            },
        );
    };

    view! {
        <form class="editor" on:submit=save aria-labelledby="admin-settings-title" novalidate>
            <h2 id="admin-settings-title">"Admin settings"</h2>
            {ADMIN_FORM
                .iter()
                .map(|row| form_field(row, draft, field_error(row.key), Callback::new(|_| {}), app.instance_default(row.key)))
                .collect_view()}
            {move || impact.get().map(|(verb, report)| view! { <ImpactSummary report=report.of_producer(&name.get_value()) verb=verb file=format!("{}-loses-access.csv", name.get_value())/> })}
            <ChangesToSave lines=lines/>
            <ErrorBanner error=server_error/>
            <SaveActions
                saving=saving
                saved=saved
                can_save=Signal::derive(move || lines.with(|l| !l.is_empty()) && errors.with(Vec::is_empty))
                changed=Signal::derive(move || lines.with(|l| !l.is_empty()))
                on_discard=Callback::new(move |()| {
                    draft.set(original.get_untracked());
                    server_error.set(None);
                })
            />
        </form>
    }
}

/// Who loses access if `draft` is saved over `original`: disabling the organization, or turning
/// its global module sharing off. `None` when the change takes nothing away.
fn access_loss(
    original: &AdminDraft,
    draft: &AdminDraft,
    modules: &SharingState,
    providers: Option<&SharingState>,
) -> Option<(&'static str, crate::logic::LossReport)> {
    let (disabled, global) = ("is-disabled", "global-module-sharing");
    if !original.flag(disabled) && draft.flag(disabled) {
        return Some(("Disabling", Impact::from_states(modules, providers).report()));
    }
    if original.flag(global) && !draft.flag(global) {
        let mut impact = Impact::from_states(modules, None);
        impact.modules = Loss::Everyone;
        return Some(("Turning global module sharing off", impact.report()));
    }
    None
}

/// Save (while the draft has valid changes) and Discard, with the note once saved.
#[component]
fn SaveActions(
    saving: RwSignal<bool>,
    saved: RwSignal<bool>,
    can_save: Signal<bool>,
    changed: Signal<bool>,
    on_discard: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="actions">
            <button type="submit" disabled=move || saving.get() || !can_save.get()>
                {move || if saving.get() { "Saving…" } else { "Save admin settings" }}
            </button>
            <button type="button" class="secondary" disabled=move || !changed.get() on:click=move |_| on_discard.run(())>
                "Discard changes"
            </button>
            <SavedNote saved=saved/>
        </div>
    }
}

/// What a save will change, one `Label: before → after` line each.
#[component]
fn ChangesToSave(lines: Memo<Vec<crate::logic::form::DiffLine>>) -> impl IntoView {
    view! {
        <section class="diff" aria-live="polite" aria-label="Changes to save">
            {move || {
                let lines = lines.get();
                if lines.is_empty() {
                    return view! { <p class="muted">"No changes."</p> }.into_any();
                }
                view! {
                    <h3>"Will change"</h3>
                    <ul>
                        {lines
                            .into_iter()
                            .map(|(key, label, old, new)| view! {
                                <li data-field=key>{label}": "<del>{old}</del>" → "<ins>{new}</ins></li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}
