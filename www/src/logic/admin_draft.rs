//! The admin settings editor: its table, its draft, the body and the diff shown before saving.

use tfe_orgs::model::{AdminOrganization, AdminOrganizationUpdate};
use tfe_orgs::validate::{self, ValidationError};

use super::form::{form_draft, Draft, FormRow};

const DURATION_HINT: &str = "A duration such as 2h, 90m or 1h30m";

/// Every attribute the admin settings editor offers, in the order shown. Kinds, whether an
/// attribute may go back to the instance default (`null`), and the rules come from
/// [`AdminOrganizationUpdate`] and the library's validation.
pub const ADMIN_FORM: &[FormRow] = &[
    FormRow::new("access-beta-tools", "Access beta tools").default("false"),
    FormRow::new("is-disabled", "Disabled (members cannot use the organization)").default("false"),
    FormRow::new("plan-timeout", "Plan timeout").hint(DURATION_HINT),
    FormRow::new("apply-timeout", "Apply timeout").hint(DURATION_HINT),
    FormRow::new("global-module-sharing", "Share private modules with every organization").default("false"),
    FormRow::new("workspace-limit", "Workspace limit")
        .hint("Most workspaces the organization may have")
        .null_means("no limit"),
];

form_draft!(
    /// The admin settings editor's values as typed.
    AdminDraft,
    AdminOrganizationUpdate,
    ADMIN_FORM
);

impl AdminDraft {
    pub fn from_org(org: &AdminOrganization) -> Self {
        AdminDraft(Draft::from_attributes::<AdminOrganizationUpdate>(ADMIN_FORM, &org.attributes))
    }

    /// See [`Draft::rebase`].
    pub fn rebase(&self, old: &AdminDraft, new: &AdminDraft) -> AdminDraft {
        AdminDraft(self.0.rebase(&old.0, &new.0, ADMIN_FORM))
    }

    /// Only what changed from `before`; trimmed timeouts, `null` for "use the instance default".
    pub fn changes(&self, before: &AdminDraft) -> AdminOrganizationUpdate {
        self.0.changes(&before.0, ADMIN_FORM)
    }

    /// `(attribute, before, after)` for each field a save would change.
    pub fn diff(&self, before: &AdminDraft) -> Vec<(String, String, String)> {
        self.0.diff::<AdminOrganizationUpdate>(&before.0, ADMIN_FORM)
    }

    /// The rules, on every field as typed (so an untouched bad value also shows). A timeout is
    /// a duration unless "use the instance default" is chosen; blank is an error naming that choice.
    pub fn errors(&self) -> Vec<ValidationError> {
        let (body, mut errors) = self.0.body::<AdminOrganizationUpdate>(ADMIN_FORM);
        errors.extend(validate::admin_organization_update(&body));
        errors
    }
}
