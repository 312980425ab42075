//! Organizations API resources: the organization, the reference module-producers returns, and
//! the create/update bodies.

use super::{attributes, string_enum, About, Era, Flags};
use crate::jsonapi::Resource;

string_enum! {
    /// `collaborator-auth-policy`.
    pub enum CollaboratorAuthPolicy {
        Password = "password" => "Password",
        TwoFactorMandatory = "two_factor_mandatory" => "Two-factor authentication required",
    }
}

string_enum! {
    /// `default-execution-mode`.
    pub enum ExecutionMode {
        Remote = "remote" => "Remote",
        Local = "local" => "Local",
        Agent = "agent" => "Agent",
    }
}

attributes! {
    /// Attributes of an organization (`type: "organizations"`) from the Organizations API,
    /// current and beta documents.
    pub struct OrganizationAttributes (emit_null, types = ["organizations"]) {
        "name" => name: String,
        "external-id" => external_id: String [About::new("External id")],
        "created-at" => created_at: String [About::new("Created")],
        "email" => email: String,
        "session-timeout" => session_timeout: u32,
        "session-remember" => session_remember: u32,
        "collaborator-auth-policy" => collaborator_auth_policy: CollaboratorAuthPolicy,
        "plan-expired" => plan_expired: bool [About::new("Plan expired")],
        "plan-expires-at" => plan_expires_at: String [About::new("Plan expires")],
        "plan-is-trial" => plan_is_trial: bool [About::new("Trial plan")],
        "plan-is-enterprise" => plan_is_enterprise: bool [About::new("Enterprise plan")],
        "plan-identifier" => plan_identifier: String [About::new("Plan")],
        /// Beta document only.
        "enterprise-plan" => enterprise_plan: String [About::new("Enterprise plan kind")],
        "cost-estimation-enabled" => cost_estimation_enabled: bool,
        "send-passing-statuses-for-untriggered-speculative-plans" => send_passing_statuses_for_untriggered_speculative_plans: bool,
        "aggregated-commit-status-enabled" => aggregated_commit_status_enabled: bool,
        "allow-force-delete-workspaces" => allow_force_delete_workspaces: bool,
        "permissions" => permissions: Flags [About::new("Your permissions")],
        "fair-run-queuing-enabled" => fair_run_queuing_enabled: bool [About::new("Fair run queuing")],
        "saml-enabled" => saml_enabled: bool [About::new("SAML single sign-on")],
        "owners-team-saml-role-id" => owners_team_saml_role_id: String,
        /// HCP Terraform only.
        "two-factor-conformant" => two_factor_conformant: bool [About::new("Members use two-factor authentication")],
        "assessments-enforced" => assessments_enforced: bool,
        "default-execution-mode" => default_execution_mode: ExecutionMode,
        /// Newer releases: cancel plan-only runs a newer commit supersedes.
        "speculative-plan-management-enabled" => speculative_plan_management_enabled: bool,
        /// Newer releases (HCP Terraform; may be absent on TFE): user API tokens may reach it.
        "user-tokens-enabled" => user_tokens_enabled: bool,
        /// HCP Terraform only: new workspaces use hold-your-own-key encryption.
        "enforce-hyok" => enforce_hyok: bool,
        /// Newer TFE releases, read-only: how many organizations it shares private modules with.
        "module-consuming-organizations-count" => module_consuming_organizations_count: u32,
        /// Newer TFE releases, read-only: how many it shares private providers with.
        "provider-consuming-organizations-count" => provider_consuming_organizations_count: u32,
    }
}

/// An organization as the Organizations API returns it.
pub type Organization = Resource<OrganizationAttributes>;

impl OrganizationAttributes {
    /// A permission flag (`can-update`, `can-destroy`, …); `None` when absent.
    pub fn permission(&self, key: &str) -> Option<bool> {
        self.permissions.as_ref()?.get(key)
    }
}

/// Typed accessors for the relationships the spec documents.
pub trait OrganizationRelationships {
    /// The id of `default-agent-pool`, when set.
    fn default_agent_pool_id(&self) -> Option<&str>;
    /// The id of `entitlement-set`, when linked.
    fn entitlement_set_id(&self) -> Option<&str>;
    /// Newer releases: the project new workspaces go to, when sent.
    fn default_project_id(&self) -> Option<&str>;
    /// Newer releases: the `provider-producers` related link, when sent.
    fn provider_producers_link(&self) -> Option<&str>;
}

impl OrganizationRelationships for Organization {
    fn default_agent_pool_id(&self) -> Option<&str> {
        self.related_id("default-agent-pool").map(|r| r.id.as_str())
    }
    fn entitlement_set_id(&self) -> Option<&str> {
        self.related_id("entitlement-set").map(|r| r.id.as_str())
    }
    fn default_project_id(&self) -> Option<&str> {
        self.related_id("default-project").map(|r| r.id.as_str())
    }
    fn provider_producers_link(&self) -> Option<&str> {
        self.related_link("provider-producers")
    }
}

attributes! {
    /// The organization reference listed by `relationships/module-producers`.
    pub struct OrganizationRefAttributes (emit_null, types = ["organizations"]) {
        "name" => name: String,
        "external-id" => external_id: String,
    }
}

/// An organization that shares modules with another (module producers).
pub type OrganizationRef = Resource<OrganizationRefAttributes>;

attributes! {
    /// Attributes written by `POST /organizations` and `PATCH /organizations/:name`.
    /// Only the fields set are sent. On create `name` and `email` are required and the rest
    /// default on the server; on update every field is optional and `name` renames.
    pub struct OrganizationBody (skip_none, types = ["organizations"]) {
        "name" => name: String [About::new("Name").help("Letters, digits, - and _ only")],
        "email" => email: String [About::new("Notification email")],
        "session-timeout" => session_timeout: u32 [About::new("Session timeout (minutes)").help("Blank keeps the instance default")],
        "session-remember" => session_remember: u32 [About::new("Session remember (minutes)").help("Blank keeps the instance default")],
        "collaborator-auth-policy" => collaborator_auth_policy: CollaboratorAuthPolicy [About::new("Collaborator authentication policy")],
        "cost-estimation-enabled" => cost_estimation_enabled: bool [About::new("Cost estimation")],
        "send-passing-statuses-for-untriggered-speculative-plans" => send_passing_statuses_for_untriggered_speculative_plans: bool [About::new("Send passing statuses for untriggered speculative plans")],
        "aggregated-commit-status-enabled" => aggregated_commit_status_enabled: bool [About::new("Aggregated commit status")],
        "owners-team-saml-role-id" => owners_team_saml_role_id: String [About::new("Owners team SAML role id")],
        "assessments-enforced" => assessments_enforced: bool [About::new("Enforce health assessments")],
        "allow-force-delete-workspaces" => allow_force_delete_workspaces: bool [About::new("Allow force-deleting workspaces")],
        "default-execution-mode" => default_execution_mode: ExecutionMode [About::new("Default execution mode")],
        "default-agent-pool-id" => default_agent_pool_id: String [About::new("Default agent pool id").help("Required with the agent mode, e.g. apool-…")],
        /// Newer releases: cancel plan-only runs a newer commit supersedes.
        "speculative-plan-management-enabled" => speculative_plan_management_enabled: bool [About::new("Speculative plan management")
            .help("Cancel plan-only runs when a newer commit supersedes them")
            .since(Era::Current)],
        /// Newer releases (HCP Terraform): whether user API tokens may reach it.
        "user-tokens-enabled" => user_tokens_enabled: bool [About::new("User API tokens may reach this organization").since(Era::Current)],
        /// HCP Terraform only: new workspaces use hold-your-own-key encryption.
        "enforce-hyok" => enforce_hyok: bool [About::new("New workspaces use hold-your-own-key encryption").since(Era::Current)],
    }
}

/// `POST /organizations` attributes.
pub type OrganizationCreate = OrganizationBody;
/// `PATCH /organizations/:name` attributes.
pub type OrganizationUpdate = OrganizationBody;

impl OrganizationBody {
    /// A create body with the two required attributes.
    pub fn new(name: impl Into<String>, email: impl Into<String>) -> Self {
        OrganizationBody { name: Some(name.into()), email: Some(email.into()), ..Default::default() }
    }
}
