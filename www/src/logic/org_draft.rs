//! The organization form's draft (create and update): rules as you type, the body to send.

use tfe_orgs::model::{CollaboratorAuthPolicy, ExecutionMode, Organization, OrganizationBody};

use tfe_orgs::validate::{self, attribute_pointer, rule, ValidationError};

/// Every documented attribute of the create/update body, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgDraft {
    pub name: String,
    pub email: String,
    /// Minutes; blank leaves the server's default.
    pub session_timeout: String,
    pub session_remember: String,
    pub collaborator_auth_policy: String,
    pub cost_estimation_enabled: bool,
    pub send_passing_statuses: bool,
    pub aggregated_commit_status_enabled: bool,
    pub owners_team_saml_role_id: String,
    pub assessments_enforced: bool,
    pub allow_force_delete_workspaces: bool,
    pub default_execution_mode: String,
    pub default_agent_pool_id: String,
}

impl Default for OrgDraft {
    fn default() -> Self {
        OrgDraft {
            name: String::new(),
            email: String::new(),
            session_timeout: String::new(),
            session_remember: String::new(),
            collaborator_auth_policy: "password".into(),
            cost_estimation_enabled: true,
            send_passing_statuses: false,
            aggregated_commit_status_enabled: false,
            owners_team_saml_role_id: String::new(),
            assessments_enforced: false,
            allow_force_delete_workspaces: false,
            default_execution_mode: "remote".into(),
            default_agent_pool_id: String::new(),
        }
    }
}

impl OrgDraft {
    pub fn from_org(org: &Organization, agent_pool: Option<&str>) -> Self {
        let a = &org.attributes;
        let d = OrgDraft::default();
        OrgDraft {
            name: a.name.clone().unwrap_or_default(),
            email: a.email.clone().unwrap_or_default(),
            session_timeout: a.session_timeout.map(|n| n.to_string()).unwrap_or_default(),
            session_remember: a.session_remember.map(|n| n.to_string()).unwrap_or_default(),
            collaborator_auth_policy: a
                .collaborator_auth_policy
                .as_ref()
                .map(|p| p.as_str().to_string())
                .unwrap_or(d.collaborator_auth_policy),
            cost_estimation_enabled: a.cost_estimation_enabled.unwrap_or(d.cost_estimation_enabled),
            send_passing_statuses: a.send_passing_statuses_for_untriggered_speculative_plans.unwrap_or(false),
            aggregated_commit_status_enabled: a.aggregated_commit_status_enabled.unwrap_or(false),
            owners_team_saml_role_id: a.owners_team_saml_role_id.clone().unwrap_or_default(),
            assessments_enforced: a.assessments_enforced.unwrap_or(false),
            allow_force_delete_workspaces: a.allow_force_delete_workspaces.unwrap_or(false),
            default_execution_mode: a
                .default_execution_mode
                .as_ref()
                .map(|m| m.as_str().to_string())
                .unwrap_or(d.default_execution_mode),
            default_agent_pool_id: agent_pool.unwrap_or_default().to_string(),
        }
    }

    fn minutes(field: &str, text: &str, errors: &mut Vec<ValidationError>) -> Option<u32> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(ValidationError::new(
                    attribute_pointer(field),
                    rule::TYPE,
                    format!("{field} must be a whole number of minutes, got {text:?}"),
                ));
                None
            }
        }
    }

    /// The full body this draft describes, and the errors of fields that cannot be parsed.
    pub fn body(&self) -> (OrganizationBody, Vec<ValidationError>) {
        let mut errors = Vec::new();
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let agent = self.default_execution_mode == "agent";
        let body = OrganizationBody {
            name: Some(self.name.trim().to_string()).filter(|n| !n.is_empty()),
            email: Some(self.email.trim().to_string()).filter(|n| !n.is_empty()),
            session_timeout: Self::minutes("session-timeout", &self.session_timeout, &mut errors),
            session_remember: Self::minutes("session-remember", &self.session_remember, &mut errors),
            collaborator_auth_policy: Some(CollaboratorAuthPolicy::from(self.collaborator_auth_policy.as_str())),
            cost_estimation_enabled: Some(self.cost_estimation_enabled),
            send_passing_statuses_for_untriggered_speculative_plans: Some(self.send_passing_statuses),
            aggregated_commit_status_enabled: Some(self.aggregated_commit_status_enabled),
            owners_team_saml_role_id: text(&self.owners_team_saml_role_id),
            assessments_enforced: Some(self.assessments_enforced),
            allow_force_delete_workspaces: Some(self.allow_force_delete_workspaces),
            default_execution_mode: Some(ExecutionMode::from(self.default_execution_mode.as_str())),
            // The pool only travels with the agent mode; the field is hidden otherwise.
            default_agent_pool_id: if agent { text(&self.default_agent_pool_id) } else { None },
            ..Default::default()
        };
        (body, errors)
    }

    /// Every rule on the draft as a whole (cross-field ones included), as the user types.
    pub fn errors(&self) -> Vec<ValidationError> {
        let (body, mut errors) = self.body();
        errors.extend(validate::organization_create(&body));
        errors
    }

    /// The update body: only fields that differ from `before`.
    pub fn changes(&self, before: &OrgDraft) -> OrganizationBody {
        let (new, _) = self.body();
        let (old, _) = before.body();
        fn pick<T: PartialEq>(new: Option<T>, old: Option<T>) -> Option<T> {
            if new != old {
                new
            } else {
                None
            }
        }
        OrganizationBody {
            name: pick(new.name, old.name),
            email: pick(new.email, old.email),
            session_timeout: pick(new.session_timeout, old.session_timeout),
            session_remember: pick(new.session_remember, old.session_remember),
            collaborator_auth_policy: pick(new.collaborator_auth_policy, old.collaborator_auth_policy),
            cost_estimation_enabled: pick(new.cost_estimation_enabled, old.cost_estimation_enabled),
            send_passing_statuses_for_untriggered_speculative_plans: pick(
                new.send_passing_statuses_for_untriggered_speculative_plans,
                old.send_passing_statuses_for_untriggered_speculative_plans,
            ),
            aggregated_commit_status_enabled: pick(
                new.aggregated_commit_status_enabled,
                old.aggregated_commit_status_enabled,
            ),
            owners_team_saml_role_id: pick(new.owners_team_saml_role_id, old.owners_team_saml_role_id),
            assessments_enforced: pick(new.assessments_enforced, old.assessments_enforced),
            allow_force_delete_workspaces: pick(new.allow_force_delete_workspaces, old.allow_force_delete_workspaces),
            default_execution_mode: pick(new.default_execution_mode, old.default_execution_mode),
            default_agent_pool_id: pick(new.default_agent_pool_id, old.default_agent_pool_id),
            ..Default::default()
        }
    }
}
