//! The entitlement set: an open map of feature flags and limits, with typed accessors.

use serde::{Deserialize, Serialize};

use crate::jsonapi::{Extra, Resource, ResourceKind};

/// Entitlements as sent: TFE adds entitlements often, so every key is kept.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Entitlements(pub Extra);

impl ResourceKind for Entitlements {
    const TYPES: &'static [&'static str] = &["entitlement-sets"];
}

/// An entitlement set (`type: "entitlement-sets"`).
pub type EntitlementSet = Resource<Entitlements>;

/// A numeric entitlement limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `null`: no limit.
    Unlimited,
    Max(u64),
}

macro_rules! flag_accessors {
    ($( $method:ident => $key:literal, )*) => {
        /// The documented boolean entitlements.
        pub const ENTITLEMENT_FLAGS: &[&str] = &[$($key),*];

        impl Entitlements {
            $( #[doc = concat!("`", $key, "`; `false` when absent.")]
            pub fn $method(&self) -> bool { self.flag($key) } )*
        }
    };
}

macro_rules! limit_accessors {
    ($( $method:ident => $key:literal, )*) => {
        /// The documented numeric limits (`null` means unlimited).
        pub const ENTITLEMENT_LIMITS: &[&str] = &[$($key),*];

        impl Entitlements {
            $( #[doc = concat!("`", $key, "`; `None` when absent.")]
            pub fn $method(&self) -> Option<Limit> { self.limit($key) } )*
        }
    };
}

flag_accessors! {
    agents => "agents",
    audit_logging => "audit-logging",
    configuration_designer => "configuration-designer",
    cost_estimation => "cost-estimation",
    global_run_tasks => "global-run-tasks",
    module_tests_generation => "module-tests-generation",
    operations => "operations",
    policy_enforcement => "policy-enforcement",
    private_module_registry => "private-module-registry",
    private_policy_agents => "private-policy-agents",
    private_vcs => "private-vcs",
    run_tasks => "run-tasks",
    self_serve_billing => "self-serve-billing",
    sentinel => "sentinel",
    sso => "sso",
    state_storage => "state-storage",
    teams => "teams",
    usage_reporting => "usage-reporting",
    vcs_integrations => "vcs-integrations",
}

limit_accessors! {
    policy_limit => "policy-limit",
    policy_mandatory_enforcement_limit => "policy-mandatory-enforcement-limit",
    policy_set_limit => "policy-set-limit",
    run_task_limit => "run-task-limit",
    run_task_mandatory_enforcement_limit => "run-task-mandatory-enforcement-limit",
    run_task_workspace_limit => "run-task-workspace-limit",
    user_limit => "user-limit",
    versioned_policy_set_limit => "versioned-policy-set-limit",
}

impl Entitlements {
    /// Any boolean entitlement by its JSON name; `false` when absent or not a boolean.
    pub fn flag(&self, key: &str) -> bool {
        self.0.get(key).and_then(|v| v.as_bool()).unwrap_or(false)
    }

    /// Any numeric limit by its JSON name: `null` is unlimited, absent or non-numeric is `None`.
    pub fn limit(&self, key: &str) -> Option<Limit> {
        match self.0.get(key)? {
            serde_json::Value::Null => Some(Limit::Unlimited),
            value => value.as_u64().map(Limit::Max),
        }
    }
}
