//! The organization form (create and update): its table, its draft, the body to send.

use tfe_orgs::model::{Organization, OrganizationBody};
use tfe_orgs::validate::{self, ValidationError};

use super::form::{form_draft, Draft, FormRow};

/// Every attribute the create/edit form offers, in the order shown, each starting at the
/// default the Organizations API documents. The kind of input, the
/// options and the rules come from [`OrganizationBody`] and the library's validation.
/// `send-passing-statuses-for-untriggered-speculative-plans` is not offered: TFE holds it at
/// false and refuses any other value ([`tfe_orgs::validate::organization_against_stored`]).
pub const ORG_FORM: &[FormRow] = &[
    FormRow::new("name", "Name").hint("Letters, digits, - and _ only"),
    FormRow::new("email", "Notification email"),
    FormRow::new("session-timeout", "Session timeout (minutes)").hint("Blank keeps the instance default"),
    FormRow::new("session-remember", "Session remember (minutes)").hint("Blank keeps the instance default"),
    FormRow::new("collaborator-auth-policy", "Collaborator authentication policy").default("password"),
    FormRow::new("cost-estimation-enabled", "Cost estimation").default("false"),
    FormRow::new("aggregated-commit-status-enabled", "Aggregated commit status").default("true"),
    FormRow::new("owners-team-saml-role-id", "Owners team SAML role id"),
    FormRow::new("assessments-enforced", "Enforce health assessments").default("false"),
    FormRow::new("allow-force-delete-workspaces", "Allow force-deleting workspaces").default("false"),
    FormRow::new("speculative-plan-management-enabled", "Speculative plan management")
        .hint("Cancel plan-only runs when a newer commit supersedes them")
        .default("true"),
    FormRow::new("user-tokens-enabled", "User API tokens may reach this organization").default("true").when_sent(),
    FormRow::new("enforce-hyok", "New workspaces use hold-your-own-key encryption").default("false").when_sent(),
    FormRow::new("default-execution-mode", "Default execution mode").default("remote"),
    // A relationship, written as an attribute of the body; it travels only with the agent mode.
    FormRow::new("default-agent-pool-id", "Default agent pool id")
        .hint("Required with the agent mode, e.g. apool-…")
        .shown_when("default-execution-mode", "agent"),
];

form_draft!(
    /// The organization form's values as typed.
    OrgDraft,
    OrganizationBody,
    ORG_FORM
);

impl OrgDraft {
    /// A draft of `org` as the instance holds it, with its agent pool (a relationship).
    pub fn from_org(org: &Organization, agent_pool: Option<&str>) -> Self {
        let mut draft = Draft::from_attributes::<OrganizationBody>(ORG_FORM, &org.attributes);
        draft.set("default-agent-pool-id", agent_pool.unwrap_or_default());
        OrgDraft(draft)
    }

    /// A draft with these values on top of the defaults.
    pub fn with(values: &[(&'static str, &str)]) -> Self {
        let mut draft = OrgDraft::default();
        for &(key, value) in values {
            draft.set(key, value);
        }
        draft
    }

    /// The full body this draft describes, and the errors of fields that cannot be parsed.
    pub fn body(&self) -> (OrganizationBody, Vec<ValidationError>) {
        self.0.body(ORG_FORM)
    }

    /// Every rule on the draft as a whole (cross-field ones included), as the user types.
    pub fn errors(&self) -> Vec<ValidationError> {
        let (body, mut errors) = self.body();
        errors.extend(validate::organization_create(&body));
        errors
    }

    /// The create body: what differs from a new draft (the documented defaults). Name and
    /// email always differ (a new draft has neither); `name` is checked as required regardless.
    pub fn create_body(&self) -> OrganizationBody {
        self.changes(&OrgDraft::default())
    }

    /// The update body: only fields that differ from `before`.
    pub fn changes(&self, before: &OrgDraft) -> OrganizationBody {
        self.0.changes(&before.0, ORG_FORM)
    }
}
