//! Admin Organizations API resources and the module-consumers body.

use super::{attributes, About, Era};
use crate::jsonapi::{Body, Resource, ResourceIdentifier};

attributes! {
    /// Attributes of an organization as the Admin Organizations API returns it.
    pub struct AdminOrganizationAttributes (emit_null, types = ["organizations"]) {
        "name" => name: String,
        "external-id" => external_id: String,
        "access-beta-tools" => access_beta_tools: bool,
        "is-disabled" => is_disabled: bool,
        /// Longest an apply may run (`2h`, `90m`); `null`: the instance's default (general
        /// settings). Read from whichever name the answer carries; older releases call it
        /// `terraform-build-worker-apply-timeout` ([`Spelling`](super::Spelling) says which).
        "apply-timeout" | "terraform-build-worker-apply-timeout" => apply_timeout: String,
        /// The same for plans (older releases: `terraform-build-worker-plan-timeout`).
        "plan-timeout" | "terraform-build-worker-plan-timeout" => plan_timeout: String,
        "terraform-worker-sudo-enabled" => terraform_worker_sudo_enabled: bool,
        "notification-email" => notification_email: String [About::new("Notification email")],
        "global-module-sharing" => global_module_sharing: bool,
        /// Newer releases (registry-sharing.md).
        "global-provider-sharing" => global_provider_sharing: bool,
        "sso-enabled" => sso_enabled: bool [About::new("Single sign-on")],
        /// Newer releases: most workspaces the organization may have; `null` or 0, no limit.
        "workspace-limit" => workspace_limit: u32,
        /// Current releases, read-only: how many organizations it shares private modules with
        /// (0 while sharing globally). Where sent, an audit needs no read per producer.
        "module-consuming-organizations-count" => module_consuming_organizations_count: u32
            [About::new("Organizations using its modules").since(Era::Current)],
        /// The same for private providers.
        "provider-consuming-organizations-count" => provider_consuming_organizations_count: u32
            [About::new("Organizations using its providers").since(Era::Current)],
    }
}

/// An organization from the Admin Organizations API (relationships: owners, subscription,
/// feature-set, module-consumers; [`AdminOrganizationRelationships`]).
pub type AdminOrganization = Resource<AdminOrganizationAttributes>;

/// Typed accessors for the admin relationships.
pub trait AdminOrganizationRelationships {
    /// The user ids in `owners`.
    fn owner_ids(&self) -> Vec<&str>;
    /// The `module-consumers` related link.
    fn module_consumers_link(&self) -> Option<&str>;
    /// The `subscription` id, where linked (current releases send `data: null` on TFE).
    fn subscription_id(&self) -> Option<&str>;
    /// The `feature-set` id, where linked.
    fn feature_set_id(&self) -> Option<&str>;
}

impl AdminOrganizationRelationships for AdminOrganization {
    fn owner_ids(&self) -> Vec<&str> {
        self.related_ids("owners").into_iter().map(|r| r.id.as_str()).collect()
    }
    fn module_consumers_link(&self) -> Option<&str> {
        self.related_link("module-consumers")
    }
    fn subscription_id(&self) -> Option<&str> {
        self.related_id("subscription").map(|r| r.id.as_str())
    }
    fn feature_set_id(&self) -> Option<&str> {
        self.related_id("feature-set").map(|r| r.id.as_str())
    }
}

attributes! {
    /// `PATCH /admin/organizations/:name` attributes: only the fields set are sent.
    pub struct AdminOrganizationUpdate (skip_none, types = ["organizations"]) {
        "is-disabled" => is_disabled: bool [About::new("Disabled")
            .help("Members cannot use the organization; its runs stop")
            .bulk_flag("Disable", "Enable")],
        "access-beta-tools" => access_beta_tools: bool [About::new("Access beta tools")
            .help("Members may use features still in beta")
            .bulk_flag("Access beta tools: on", "Access beta tools: off")],
        /// `null` clears the setting: the organization uses the instance's default again.
        "plan-timeout" | "terraform-build-worker-plan-timeout" => plan_timeout: Option<String> | nullable [About::new("Plan timeout")
            .help("A duration such as 2h, 90m or 1h30m")
            .instance_default("plan-timeout")
            .bulk_value("Duration", "2h, 90m or 1h30m")],
        /// `null` clears the setting: the organization uses the instance's default again. Sent
        /// under the name the organization's answers use ([`Spelling`](super::Spelling); the client sets it).
        "apply-timeout" | "terraform-build-worker-apply-timeout" => apply_timeout: Option<String> | nullable [About::new("Apply timeout")
            .help("A duration such as 2h, 90m or 1h30m")
            .instance_default("apply-timeout")
            .bulk_value("Duration", "2h, 90m or 1h30m")],
        "global-module-sharing" => global_module_sharing: bool [About::new("Share private modules with every organization")
            .help("Every organization may use its private modules; clears the list of specific ones")
            .bulk_flag("Share modules with every organization: on", "Share modules with every organization: off")],
        /// Newer releases: share private providers with every organization (clears the list).
        "global-provider-sharing" => global_provider_sharing: bool [About::new("Share private providers with every organization")
            .help("Every organization may use its private providers; clears the list of specific ones")
            .since(Era::R202301)
            .bulk_flag("Share providers with every organization: on", "Share providers with every organization: off")],
        /// Newer releases: run workers with sudo.
        "terraform-worker-sudo-enabled" => terraform_worker_sudo_enabled: bool [About::new("Workers run with sudo")],
        /// Newer releases: most workspaces the organization may have; `null` (or 0): no limit.
        "workspace-limit" => workspace_limit: Option<u32> | nullable [About::new("Workspace limit")
            .help("Most workspaces the organization may have")
            .since(Era::Current)
            .no_limit()
            .bulk_value("Workspace limit", "a whole number, such as 50")],
    }
}

/// `PATCH /admin/organizations/:name/relationships/module-consumers` body: `{ data: [ids] }`.
pub type ModuleConsumersBody = Body<Vec<ResourceIdentifier>>;

/// The body that shares an organization's modules with exactly these organizations.
pub fn module_consumers_body<I, S>(names: I) -> ModuleConsumersBody
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Body { data: names.into_iter().map(ResourceIdentifier::organization).collect() }
}

attributes! {
    /// `PUT /admin/organizations/:name/registry-partnerships` attributes (newer releases): the
    /// module and provider consumers, by organization name. An absent list is left unchanged; an
    /// empty one shares with nobody. Keys as the spec's sample spells them.
    pub struct RegistryPartnerships (skip_none, types = ["registry-partnerships"]) {
        "module_consumers" => module_consumers: Vec<String>,
        "provider_consumers" => provider_consumers: Vec<String>,
    }
}

impl RegistryPartnerships {
    pub fn new(modules: Option<&[String]>, providers: Option<&[String]>) -> Self {
        RegistryPartnerships {
            module_consumers: modules.map(<[String]>::to_vec),
            provider_consumers: providers.map(<[String]>::to_vec),
            ..Default::default()
        }
    }
}
