//! The organization form shared by create and edit, drawn from its table ([`ORG_FORM`]), rules
//! checked as you type.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tfe_orgs::client::Error;
use tfe_orgs::model::{OrganizationBody, Shape};
use tfe_orgs::validate::{attribute_pointer, rule};

use crate::components::common::{CheckField, ErrorBanner, SelectField, TextField};
use crate::logic::form::{field_of, FormRow};
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
                e.iter().find(|x| x.field == pointer && (eager || x.rule != rule::REQUIRED)).map(|x| x.message.clone())
            });
            local.or_else(|| server_error.with(|e| e.as_ref().and_then(|e| field_message(e, &pointer))))
        })
    }

    /// Write `value` under `key`, touching it and every field shown only for some of its values.
    fn write(self, key: &'static str, value: String) {
        self.touched.update(|t| {
            t.insert(key);
            t.extend(ORG_FORM.iter().filter(|r| r.shown_when.is_some_and(|(k, _)| k == key)).map(|r| r.key));
        });
        self.draft.update(|d| d.set(key, value));
    }

    /// One row's input, by its attribute's shape; shown only while its condition holds.
    fn row(self, row: &'static FormRow) -> AnyView {
        let FormRow { key, label, hint, .. } = *row;
        let draft = self.draft;
        let value = Signal::derive(move || draft.with(|d| d.get(key).to_string()));
        let error = self.error(key);
        let input = move || {
            match field_of::<OrganizationBody>(row).shape {
            Shape::Flag => view! {
                <CheckField
                    id=key
                    label=label
                    checked=Signal::derive(move || draft.with(|d| d.flag(key)))
                    on_change=move |on: bool| self.write(key, on.to_string())
                    error=error
                />
            }
            .into_any(),
            Shape::Choice(options) => view! {
                <SelectField id=key label=label options=options value=value on_change=move |v| self.write(key, v) error=error/>
            }
            .into_any(),
            _ => view! {
                <TextField
                    id=key
                    label=label
                    hint=hint
                    value=value
                    on_input=move |v| self.write(key, v)
                    error=error
                />
            }
            .into_any(),
        }
        };
        if row.shown_when.is_none() {
            return input();
        }
        view! { <Show when=move || draft.with(|d| d.shows(row))>{input()}</Show> }.into_any()
    }
}
