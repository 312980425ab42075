//! The organization form shared by create and edit, rules checked as you type.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tfe_orgs::client::Error;
use tfe_orgs::model::{CollaboratorAuthPolicy, ExecutionMode};
use tfe_orgs::validate::{attribute_pointer, rule};

use crate::components::common::{CheckField, ErrorBanner, SelectField, TextField};
use crate::logic::{field_message, OrgDraft};

/// Every documented attribute of an organization, with every rule (cross-field ones too)
/// checked as you type. The draft is the caller's signal, so a failed save loses nothing.
#[component]
pub fn OrgForm(
    draft: RwSignal<OrgDraft>,
    #[prop(into)] server_error: Signal<Option<Error>>,
    #[prop(into)] saving: Signal<bool>,
    submit_label: &'static str,
    on_submit: Callback<OrgDraft>,
    /// Submit only when something changed (update).
    #[prop(optional)]
    unchanged: Option<Signal<bool>>,
) -> impl IntoView {
    let touched = RwSignal::new(BTreeSet::<&'static str>::new());
    let submitted = RwSignal::new(false);
    let errors = Memo::new(move |_| draft.with(OrgDraft::errors));
    let unchanged = unchanged.unwrap_or_else(|| Signal::derive(|| false));

    let error = move |key: &'static str| {
        Signal::derive(move || {
            let pointer = attribute_pointer(key);
            // "Required" waits until the field is touched or the form submitted; every other
            // rule (cross-field ones included) shows as soon as it is broken.
            let eager = submitted.get() || touched.with(|t| t.contains(key));
            let local = errors.with(|e| {
                e.iter().find(|x| x.field == pointer && (eager || x.rule != rule::REQUIRED)).map(|x| x.message.clone())
            });
            local.or_else(|| server_error.with(|e| e.as_ref().and_then(|e| field_message(e, &pointer))))
        })
    };
    let touch = move |key: &'static str| {
        touched.update(|t| {
            t.insert(key);
        })
    };
    macro_rules! text {
        ($key:literal, $label:expr, $field:ident $(, $hint:expr)?) => {
            view! {
                <TextField
                    id=$key
                    label=$label
                    $(hint=$hint)?
                    value=Signal::derive(move || draft.with(|d| d.$field.clone()))
                    on_input=move |v| {
                        touch($key);
                        draft.update(|d| d.$field = v)
                    }
                    error=error($key)
                />
            }
        };
    }
    macro_rules! check {
        ($key:literal, $label:expr, $field:ident) => {
            view! {
                <CheckField
                    id=$key
                    label=$label
                    checked=Signal::derive(move || draft.with(|d| d.$field))
                    on_change=move |v| {
                        touch($key);
                        draft.update(|d| d.$field = v)
                    }
                    error=error($key)
                />
            }
        };
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if errors.with(Vec::is_empty) && !unchanged.get_untracked() {
            on_submit.run(draft.get_untracked());
        }
    };

    view! {
        <form class="editor org-form" on:submit=submit novalidate>
            {text!("name", "Name", name, "Letters, digits, - and _ only")}
            {text!("email", "Notification email", email)}
            {text!("session-timeout", "Session timeout (minutes)", session_timeout, "Blank keeps the instance default")}
            {text!("session-remember", "Session remember (minutes)", session_remember, "Blank keeps the instance default")}
            <SelectField
                id="collaborator-auth-policy"
                label="Collaborator authentication policy"
                options=CollaboratorAuthPolicy::OPTIONS
                value=Signal::derive(move || draft.with(|d| d.collaborator_auth_policy.clone()))
                on_change=move |v| draft.update(|d| d.collaborator_auth_policy = v)
                error=error("collaborator-auth-policy")
            />
            {check!("cost-estimation-enabled", "Cost estimation", cost_estimation_enabled)}
            {check!(
                "send-passing-statuses-for-untriggered-speculative-plans",
                "Send passing commit statuses for untriggered speculative plans",
                send_passing_statuses
            )}
            {check!("aggregated-commit-status-enabled", "Aggregated commit status", aggregated_commit_status_enabled)}
            {text!("owners-team-saml-role-id", "Owners team SAML role id", owners_team_saml_role_id)}
            {check!("assessments-enforced", "Enforce health assessments", assessments_enforced)}
            {check!("allow-force-delete-workspaces", "Allow force-deleting workspaces", allow_force_delete_workspaces)}
            <SelectField
                id="default-execution-mode"
                label="Default execution mode"
                options=ExecutionMode::OPTIONS
                value=Signal::derive(move || draft.with(|d| d.default_execution_mode.clone()))
                on_change=move |v| {
                    touch("default-agent-pool-id");
                    draft.update(|d| d.default_execution_mode = v)
                }
                error=error("default-execution-mode")
            />
            <Show when=move || draft.with(|d| d.default_execution_mode == "agent")>
                {text!("default-agent-pool-id", "Default agent pool id", default_agent_pool_id, "Required with the agent mode, e.g. apool-…")}
            </Show>
            <ErrorBanner error=server_error/>
            <div class="actions">
                <button type="submit" disabled=move || saving.get() || unchanged.get()>
                    {move || if saving.get() { "Saving…" } else { submit_label }}
                </button>
                <Show when=move || submitted.get() && !errors.with(Vec::is_empty)>
                    <span class="field-error" role="alert">
                        {move || format!("{} field(s) need attention.", errors.with(Vec::len))}
                    </span>
                </Show>
            </div>
        </form>
    }
}
