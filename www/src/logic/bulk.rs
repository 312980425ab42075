//! Bulk admin changes: the actions the bulk bar offers, the body each sends, and the results as
//! a table (failures first) and as CSV.

use serde_json::Value;
use tfe_orgs::client::bulk::{BulkItem, Change, Outcome};
use tfe_orgs::client::Registry;
use tfe_orgs::model::AdminOrganizationUpdate;
use tfe_orgs::validate::{self, ValidationError};

use super::export::csv_cell;

/// What the bulk bar can do to every selected organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkAction {
    Disable,
    Enable,
    BetaOn,
    BetaOff,
    PlanTimeout,
    ApplyTimeout,
    PlanDefault,
    ApplyDefault,
    GlobalSharingOn,
    GlobalSharingOff,
    GlobalProviderSharingOn,
    GlobalProviderSharingOff,
    WorkspaceLimit,
    NoWorkspaceLimit,
}

impl BulkAction {
    pub const ALL: [BulkAction; 14] = [
        BulkAction::Disable,
        BulkAction::Enable,
        BulkAction::BetaOn,
        BulkAction::BetaOff,
        BulkAction::PlanTimeout,
        BulkAction::ApplyTimeout,
        BulkAction::PlanDefault,
        BulkAction::ApplyDefault,
        BulkAction::GlobalSharingOn,
        BulkAction::GlobalSharingOff,
        BulkAction::GlobalProviderSharingOn,
        BulkAction::GlobalProviderSharingOff,
        BulkAction::WorkspaceLimit,
        BulkAction::NoWorkspaceLimit,
    ];

    /// The registries whose consumers lose access when this change is applied to a producer:
    /// disabling ends both; turning a global flag off ends that registry's global sharing.
    pub fn registries_lost(self) -> &'static [Registry] {
        match self {
            BulkAction::Disable => &[Registry::Modules, Registry::Providers],
            BulkAction::GlobalSharingOff => &[Registry::Modules],
            BulkAction::GlobalProviderSharingOff => &[Registry::Providers],
            _ => &[],
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            BulkAction::Disable => "disable",
            BulkAction::Enable => "enable",
            BulkAction::BetaOn => "beta-on",
            BulkAction::BetaOff => "beta-off",
            BulkAction::PlanTimeout => "plan-timeout",
            BulkAction::ApplyTimeout => "apply-timeout",
            BulkAction::PlanDefault => "plan-default",
            BulkAction::ApplyDefault => "apply-default",
            BulkAction::GlobalSharingOn => "global-sharing-on",
            BulkAction::GlobalSharingOff => "global-sharing-off",
            BulkAction::GlobalProviderSharingOn => "global-provider-sharing-on",
            BulkAction::GlobalProviderSharingOff => "global-provider-sharing-off",
            BulkAction::WorkspaceLimit => "workspace-limit",
            BulkAction::NoWorkspaceLimit => "no-workspace-limit",
        }
    }

    pub fn parse(id: &str) -> Option<BulkAction> {
        BulkAction::ALL.into_iter().find(|a| a.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            BulkAction::Disable => "Disable",
            BulkAction::Enable => "Enable",
            BulkAction::BetaOn => "Access beta tools: on",
            BulkAction::BetaOff => "Access beta tools: off",
            BulkAction::PlanTimeout => "Set the plan timeout…",
            BulkAction::ApplyTimeout => "Set the apply timeout…",
            BulkAction::PlanDefault => "Plan timeout: back to the instance default",
            BulkAction::ApplyDefault => "Apply timeout: back to the instance default",
            BulkAction::GlobalSharingOn => "Share modules with every organization: on",
            BulkAction::GlobalSharingOff => "Share modules with every organization: off",
            BulkAction::GlobalProviderSharingOn => "Share providers with every organization: on",
            BulkAction::GlobalProviderSharingOff => "Share providers with every organization: off",
            BulkAction::WorkspaceLimit => "Set the workspace limit…",
            BulkAction::NoWorkspaceLimit => "Remove the workspace limit",
        }
    }

    /// Whether only an instance with provider sharing (202301-1 on) knows what it writes.
    pub fn needs_provider_sharing(self) -> bool {
        matches!(self, BulkAction::GlobalProviderSharingOn | BulkAction::GlobalProviderSharingOff)
    }

    /// What the action needs typed, if anything: its label and an example.
    pub fn input(self) -> Option<(&'static str, &'static str)> {
        match self {
            BulkAction::PlanTimeout | BulkAction::ApplyTimeout => Some(("Duration", "2h, 90m or 1h30m")),
            BulkAction::WorkspaceLimit => Some(("Workspace limit", "a whole number, such as 50")),
            _ => None,
        }
    }

    /// The admin attributes the action sends, or the broken rule of the value typed.
    pub fn body(self, value: &str) -> Result<AdminOrganizationUpdate, ValidationError> {
        let mut body = AdminOrganizationUpdate::default();
        let duration = value.trim().to_string();
        match self {
            BulkAction::Disable => body.is_disabled = Some(true),
            BulkAction::Enable => body.is_disabled = Some(false),
            BulkAction::BetaOn => body.access_beta_tools = Some(true),
            BulkAction::BetaOff => body.access_beta_tools = Some(false),
            BulkAction::PlanTimeout => body.plan_timeout = Some(Some(duration)),
            BulkAction::ApplyTimeout => body.apply_timeout = Some(Some(duration)),
            BulkAction::PlanDefault => body.plan_timeout = Some(None),
            BulkAction::ApplyDefault => body.apply_timeout = Some(None),
            BulkAction::GlobalSharingOn => body.global_module_sharing = Some(true),
            BulkAction::GlobalSharingOff => body.global_module_sharing = Some(false),
            BulkAction::GlobalProviderSharingOn => body.global_provider_sharing = Some(true),
            BulkAction::GlobalProviderSharingOff => body.global_provider_sharing = Some(false),
            BulkAction::WorkspaceLimit => body.workspace_limit = Some(Some(validate::workspace_limit(value)?)),
            BulkAction::NoWorkspaceLimit => body.workspace_limit = Some(None),
        }
        match validate::admin_organization_update(&body).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(body),
        }
    }
}

/// A value of `field` in a change as the page shows it (`null` as its form row says:
/// "instance default", "no limit").
pub fn value_text(field: &str, value: &Value) -> String {
    match value {
        Value::Null => {
            super::ADMIN_FORM.iter().find(|r| r.key == field).map_or(super::INSTANCE_DEFAULT, |r| r.null_shown()).into()
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `field: from → to, …` for one organization.
pub fn changes_text(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| format!("{}: {} → {}", c.field, value_text(&c.field, &c.from), value_text(&c.field, &c.to)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn outcome_text(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Planned => "will change",
        Outcome::Unchanged => "already so",
        Outcome::Updated => "updated",
        Outcome::Failed(_) => "failed",
        Outcome::NotSent => "not sent",
    }
}

/// The results in the order a person reads them: failures first, then not sent, updated,
/// already so; the order of the selection within each.
pub fn results_in_order(items: &[BulkItem]) -> Vec<BulkItem> {
    let rank = |o: &Outcome| match o {
        Outcome::Failed(_) => 0,
        Outcome::NotSent => 1,
        Outcome::Planned | Outcome::Updated => 2,
        Outcome::Unchanged => 3,
    };
    let mut out = items.to_vec();
    tfe_orgs::client::sort_by_dyn(&mut out, &|a, b| rank(&a.outcome).cmp(&rank(&b.outcome)));
    out
}

/// The names to send again: those that failed or were never sent.
pub fn to_retry(items: &[BulkItem]) -> Vec<String> {
    items
        .iter()
        .filter(|i| matches!(i.outcome, Outcome::Failed(_) | Outcome::NotSent))
        .map(|i| i.name.clone())
        .collect()
}

/// The results after Retry failed: every organization of the first run, the retried ones with
/// their new outcome. A retried organization keeps the change the first run read (its value
/// before the whole change, which the undo needs): a write whose answer was lost may have
/// been applied, and the retry then reads the new value as the "before".
pub fn merge_retry(previous: &[BulkItem], retried: Vec<BulkItem>) -> Vec<BulkItem> {
    let mut merged: Vec<BulkItem> = previous.to_vec();
    for item in retried {
        match merged.iter_mut().find(|p| p.name == item.name) {
            Some(first) => {
                if first.changes.is_empty() {
                    first.changes = item.changes;
                }
                first.outcome = item.outcome;
            }
            None => merged.push(item),
        }
    }
    merged
}

/// The results as CSV: organization, outcome, changes, error.
pub fn results_csv(items: &[BulkItem]) -> String {
    let mut out = String::from("organization,outcome,changes,error\r\n");
    for item in items {
        let error = match &item.outcome {
            Outcome::Failed(e) => e.message.clone(),
            _ => String::new(),
        };
        let cells = [item.name.clone(), outcome_text(&item.outcome).to_string(), changes_text(&item.changes), error];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
