//! The organization form shared by create and edit, drawn from its table ([`ORG_FORM`]), rules
//! checked as you type.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tfe_orgs::client::Error;
use tfe_orgs::validate::{attribute_pointer, Rule};

use crate::components::common::{form_field, ErrorBanner};
use crate::logic::form::FormRow;
use crate::logic::org_draft::ORG_FORM;
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
    let fields = FieldsContext { draft, touched, submitted, errors, server_error };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if errors.with(Vec::is_empty) && !unchanged.get_untracked() {
            on_submit.run(draft.get_untracked());
        }
    };

    view! {
        <form class="editor org-form" on:submit=submit novalidate>
            {ORG_FORM.iter().map(|row| fields.row(row)).collect_view()}
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

/// What every field of the form reads and writes.
#[derive(Clone, Copy)]
struct FieldsContext {
    draft: RwSignal<OrgDraft>,
    touched: RwSignal<BTreeSet<&'static str>>,
    submitted: RwSignal<bool>,
    errors: Memo<Vec<tfe_orgs::validate::ValidationError>>,
    server_error: Signal<Option<Error>>,
}

impl FieldsContext {
    /// The message under `key`: "required" waits until the field is touched or the form
    /// submitted; every other rule (cross-field ones included) shows as soon as it is broken.
    fn error(self, key: &'static str) -> Signal<Option<String>> {
        let FieldsContext { touched, submitted, errors, server_error, .. } = self;
        Signal::derive(move || {
            let pointer = attribute_pointer(key);
            let eager = submitted.get() || touched.with(|t| t.contains(key));
            let local = errors.with(|e| {
                e.iter().find(|x| x.field == pointer && (eager || x.rule != Rule::Required)).map(|x| x.message.clone())
            });
            local.or_else(|| server_error.with(|e| e.as_ref().and_then(|e| field_message(e, &pointer))))
        })
    }

    /// Mark `key` touched, and every field shown only for some of its values.
    fn touch(self, key: &'static str) {
        self.touched.update(|t| {
            t.insert(key);
            t.extend(ORG_FORM.iter().filter(|r| r.shown_when.is_some_and(|(k, _)| k == key)).map(|r| r.key));
        });
    }

    /// One row's input, by its attribute's shape.
    fn row(self, row: &'static FormRow) -> AnyView {
        let on_write = Callback::new(move |key| self.touch(key));
        form_field(row, self.draft, self.error(row.key), on_write, None)
    }
}
