//! The organization form (create and update): its table, its draft, the body to send.

use tfe_orgs::model::{Era, Organization, OrganizationBody};
use tfe_orgs::validate::{self, ValidationError};

use super::form::{form_draft, Draft, FormRow};

/// Every attribute the create/edit form offers, in the order shown, each starting at the
/// default the Organizations API documents. The kind of input, the
/// options and the rules come from [`OrganizationBody`] and the library's validation.
/// `send-passing-statuses-for-untriggered-speculative-plans` is not offered: TFE holds it at
/// false and refuses any other value ([`tfe_orgs::validate::organization_against_stored`]).
pub const ORG_FORM: &[FormRow] = &[
    FormRow::of(F, "name"),
    FormRow::of(F, "email"),
    FormRow::of(F, "session-timeout"),
    FormRow::of(F, "session-remember"),
    FormRow::of(F, "collaborator-auth-policy").default("password"),
    FormRow::of(F, "cost-estimation-enabled").default("false"),
    FormRow::of(F, "aggregated-commit-status-enabled").default("true"),
    FormRow::of(F, "owners-team-saml-role-id"),
    FormRow::of(F, "assessments-enforced").default("false"),
    FormRow::of(F, "allow-force-delete-workspaces").default("false"),
    FormRow::of(F, "speculative-plan-management-enabled").default("true"),
    FormRow::of(F, "user-tokens-enabled").default("true").when_sent(),
    FormRow::of(F, "enforce-hyok").default("false").when_sent(),
    FormRow::of(F, "default-execution-mode").default("remote"),
    // A relationship, written as an attribute of the body; it travels only with the agent mode.
    FormRow::of(F, "default-agent-pool-id").shown_when("default-execution-mode", "agent"),
];

const F: &[tfe_orgs::model::Field] = <OrganizationBody as tfe_orgs::model::Attributes>::FIELDS;

form_draft!(
    /// The organization form's values as typed.
    OrgDraft,
    OrganizationBody,
    ORG_FORM
);

impl OrgDraft {
    /// A draft of `org` as the instance holds it, with its agent pool (a relationship); what an
    /// instance of `era` lacks is not offered.
    pub fn from_org(org: &Organization, agent_pool: Option<&str>, era: Option<Era>) -> Self {
        let mut draft = Draft::from_attributes::<OrganizationBody>(ORG_FORM, &org.attributes).in_era(ORG_FORM, era);
        draft.set("default-agent-pool-id", agent_pool.unwrap_or_default());
        OrgDraft(draft)
    }

    /// A new organization's draft for an instance of `era`.
    pub fn new_in(era: Option<Era>) -> Self {
        OrgDraft(OrgDraft::default().0.in_era(ORG_FORM, era))
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
