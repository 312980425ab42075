//! The admin settings editor: its table, its draft, the body and the diff shown before saving.

use tfe_orgs::model::{AdminOrganization, AdminOrganizationUpdate};
use tfe_orgs::validate::{self, ValidationError};

use super::form::{form_draft, Draft, FormRow};

/// Every attribute the admin settings editor offers, in the order shown. Labels, help, kinds,
/// whether an attribute may go back to its `null` and the rules come from
/// [`AdminOrganizationUpdate`]'s declarations and the library's validation.
pub const ADMIN_FORM: &[FormRow] = &[
    FormRow::of(F, "access-beta-tools").default("false"),
    FormRow::of(F, "is-disabled").default("false"),
    FormRow::of(F, "plan-timeout"),
    FormRow::of(F, "apply-timeout"),
    FormRow::of(F, "global-module-sharing").default("false"),
    FormRow::of(F, "workspace-limit"),
];

const F: &[tfe_orgs::model::Field] = <AdminOrganizationUpdate as tfe_orgs::model::Attributes>::FIELDS;

form_draft!(
    /// The admin settings editor's values as typed.
    AdminDraft,
    AdminOrganizationUpdate,
    ADMIN_FORM
);

impl AdminDraft {
    pub fn from_org(org: &AdminOrganization) -> Self {
        let era = Some(tfe_orgs::model::Era::of_admin_answer(&org.attributes));
        AdminDraft(
            Draft::from_attributes::<AdminOrganizationUpdate>(ADMIN_FORM, &org.attributes).in_era(ADMIN_FORM, era),
        )
    }

    /// See [`Draft::rebase`].
    pub fn rebase(&self, old: &AdminDraft, new: &AdminDraft) -> AdminDraft {
        AdminDraft(self.0.rebase(&old.0, &new.0, ADMIN_FORM))
    }

    /// Only what changed from `before`; trimmed timeouts, `null` for "use the instance default".
    pub fn changes(&self, before: &AdminDraft) -> AdminOrganizationUpdate {
        self.0.changes(&before.0, ADMIN_FORM)
    }

    /// `(label, before, after)` for each field a save would change, as a person reads them;
    /// `default(key)`: the instance's default for a timeout, where known.
    pub fn diff(&self, before: &AdminDraft, default: &dyn Fn(&str) -> Option<String>) -> Vec<super::form::DiffLine> {
        self.0.diff(&before.0, ADMIN_FORM, default)
    }

    /// The rules, on every field as typed (so an untouched bad value also shows). A timeout is
    /// a duration unless "use the instance default" is chosen; blank is an error naming that choice.
    pub fn errors(&self) -> Vec<ValidationError> {
        let (body, mut errors) = self.0.body::<AdminOrganizationUpdate>(ADMIN_FORM);
        errors.extend(validate::admin_organization_update(&body));
        errors
    }
}
