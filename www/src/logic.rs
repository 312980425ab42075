//! The page's logic without the DOM: URL state of the list, rows and exports, the admin settings
//! diff, the organization form, the sharing summary. Components call these; tests check them.

use std::collections::{BTreeMap, BTreeSet};

use tfe_orgs::client::{Error, ErrorKind, Page, SharingIntent};
use tfe_orgs::jsonapi::{Extra, Resource};
use tfe_orgs::model::{
    AdminOrganization, AdminOrganizationRelationships, AdminOrganizationUpdate, CollaboratorAuthPolicy, ExecutionMode,
    Organization, OrganizationBody,
};
use tfe_orgs::query::{to_query, ListOptions};
use tfe_orgs::validate::{self, attribute_pointer, rule, ValidationError};

/// `3400` → `"3,400"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The list's state, as the URL query holds it.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Producer {
    #[default]
    Any,
    Sharing,
    NotSharing,
}

impl Producer {
    pub fn as_str(self) -> &'static str {
        match self {
            Producer::Any => "any",
            Producer::Sharing => "sharing",
            Producer::NotSharing => "not-sharing",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "sharing" => Producer::Sharing,
            "not-sharing" => Producer::NotSharing,
            _ => Producer::Any,
        }
    }
}

/// Which rows of the loaded result to show, from the status counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    All,
    Active,
    Disabled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::All => "all",
            Status::Active => "active",
            Status::Disabled => "disabled",
        }
    }
    pub fn parse(s: &str) -> Self {
        match s {
            "active" => Status::Active,
            "disabled" => Status::Disabled,
            _ => Status::All,
        }
    }
    pub fn keeps(self, disabled: Option<bool>) -> bool {
        match self {
            Status::All => true,
            Status::Active => disabled != Some(true),
            Status::Disabled => disabled == Some(true),
        }
    }
}

pub const PAGE_SIZES: [u32; 3] = [20, 50, 100];

/// Search, filters and page of the organizations list. Defaults are left out of the URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListState {
    pub q: String,
    pub name: String,
    pub email: String,
    pub producer: Producer,
    pub status: Status,
    pub size: u32,
    pub page: u32,
}

impl Default for ListState {
    fn default() -> Self {
        ListState {
            q: String::new(),
            name: String::new(),
            email: String::new(),
            producer: Producer::Any,
            status: Status::All,
            size: 20,
            page: 1,
        }
    }
}

impl ListState {
    /// From URL parameters; anything unusable falls back to its default.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let size = get("size").and_then(|s| s.parse().ok()).filter(|s| PAGE_SIZES.contains(s)).unwrap_or(20);
        let page = get("page").and_then(|s| s.parse().ok()).filter(|&p: &u32| p >= 1).unwrap_or(1);
        ListState {
            q: text("q"),
            name: text("name"),
            email: text("email"),
            producer: Producer::parse(&text("producer")),
            status: Status::parse(&text("status")),
            size,
            page,
        }
    }

    /// The query string (without `?`) for this state.
    pub fn to_query(&self) -> String {
        let d = ListState::default();
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [("q", &self.q), ("name", &self.name), ("email", &self.email)] {
            if !v.is_empty() {
                pairs.push((k, v.clone()));
            }
        }
        if self.producer != d.producer {
            pairs.push(("producer", self.producer.as_str().into()));
        }
        if self.status != d.status {
            pairs.push(("status", self.status.as_str().into()));
        }
        if self.size != d.size {
            pairs.push(("size", self.size.to_string()));
        }
        if self.page != d.page {
            pairs.push(("page", self.page.to_string()));
        }
        to_query(&pairs)
    }

    /// The request for this state; `admin` adds the producer filter and the owners.
    pub fn options(&self, admin: bool) -> ListOptions {
        let some = |s: &String| (!s.is_empty()).then(|| s.clone());
        let mut options = ListOptions::page(self.page, self.size);
        options.q = some(&self.q);
        options.q_name = some(&self.name);
        options.q_email = some(&self.email);
        if admin {
            options.module_producer = match self.producer {
                Producer::Any => None,
                Producer::Sharing => Some(true),
                Producer::NotSharing => Some(false),
            };
            options.include = vec!["owners".into()];
        }
        options
    }
}

// ---------------------------------------------------------------------------------------------
// Rows of the list and their exports.

/// One organization as the list shows it (admin or regular view).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Row {
    pub name: String,
    pub email: String,
    pub external_id: String,
    /// Admin view only.
    pub is_disabled: Option<bool>,
    /// Admin view only.
    pub global_module_sharing: Option<bool>,
    /// Owner emails, when included.
    pub owners: Vec<String>,
}

/// user id → email (or username), from the users among `included`. Read from the attributes
/// map as sent: typing them (`included_of::<UserAttributes>`) would cost the page ~12 KB gzip.
pub fn owner_emails(included: &[Resource<Extra>]) -> BTreeMap<String, String> {
    included
        .iter()
        .filter(|r| r.kind == "users")
        .filter_map(|r| {
            let name = r.attributes.get("email").or_else(|| r.attributes.get("username"))?.as_str()?;
            Some((r.id.clone(), name.to_string()))
        })
        .collect()
}

pub fn admin_row(org: &AdminOrganization, emails: &BTreeMap<String, String>) -> Row {
    let a = &org.attributes;
    Row {
        name: a.name.clone().unwrap_or_else(|| org.id.clone()),
        email: a.notification_email.clone().unwrap_or_default(),
        external_id: a.external_id.clone().unwrap_or_default(),
        is_disabled: Some(a.is_disabled.unwrap_or(false)),
        global_module_sharing: Some(a.global_module_sharing.unwrap_or(false)),
        owners: org
            .owner_ids()
            .into_iter()
            .map(|id| emails.get(id).cloned().unwrap_or_else(|| id.to_string()))
            .collect(),
    }
}

pub fn org_row(org: &Organization) -> Row {
    let a = &org.attributes;
    Row {
        name: a.name.clone().unwrap_or_else(|| org.id.clone()),
        email: a.email.clone().unwrap_or_default(),
        external_id: a.external_id.clone().unwrap_or_default(),
        is_disabled: None,
        global_module_sharing: None,
        owners: Vec::new(),
    }
}

pub fn admin_rows(page: &Page<AdminOrganization>) -> Vec<Row> {
    let emails = owner_emails(&page.included);
    page.items.iter().map(|o| admin_row(o, &emails)).collect()
}

/// One CSV cell: quoted when needed, and never read as a formula by a spreadsheet.
fn csv_cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

pub fn to_csv(rows: &[Row]) -> String {
    let flag = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    let mut out = String::from("name,email,external-id,is-disabled,global-module-sharing,owners\r\n");
    for r in rows {
        let cells = [
            r.name.clone(),
            r.email.clone(),
            r.external_id.clone(),
            flag(r.is_disabled),
            flag(r.global_module_sharing),
            r.owners.join(" "),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn to_json(rows: &[Row]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into())
}

// ---------------------------------------------------------------------------------------------
// Errors beside fields.

/// The message for the field at `pointer` (e.g. `/data/attributes/email`): a validation error
/// or a 422 error object whose `source.pointer` names it.
pub fn field_message(error: &Error, pointer: &str) -> Option<String> {
    match error.kind {
        ErrorKind::Validation => (error.field.as_deref() == Some(pointer)).then(|| error.message.clone()),
        ErrorKind::Unprocessable => error
            .errors
            .iter()
            .find(|e| e.pointer() == Some(pointer))
            .map(|e| e.detail.clone().or_else(|| e.title.clone()).unwrap_or_else(|| error.message.clone())),
        _ => None,
    }
}

/// The first message among `errors` for `pointer`.
pub fn validation_message(errors: &[ValidationError], pointer: &str) -> Option<String> {
    errors.iter().find(|e| e.field == pointer).map(|e| e.message.clone())
}

// ---------------------------------------------------------------------------------------------
// Admin settings.

/// The admin settings editor's fields, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AdminDraft {
    pub access_beta_tools: bool,
    pub is_disabled: bool,
    pub plan_timeout: String,
    pub apply_timeout: String,
    pub global_module_sharing: bool,
}

impl AdminDraft {
    pub fn from_org(org: &AdminOrganization) -> Self {
        let a = &org.attributes;
        AdminDraft {
            access_beta_tools: a.access_beta_tools.unwrap_or(false),
            is_disabled: a.is_disabled.unwrap_or(false),
            plan_timeout: a.terraform_build_worker_plan_timeout.clone().unwrap_or_default(),
            apply_timeout: a.terraform_build_worker_apply_timeout.clone().unwrap_or_default(),
            global_module_sharing: a.global_module_sharing.unwrap_or(false),
        }
    }

    /// Only what changed from `before`; trimmed timeouts.
    pub fn changes(&self, before: &AdminDraft) -> AdminOrganizationUpdate {
        let changed = |a: bool, b: bool| (a != b).then_some(a);
        // A blank timeout means "leave as is": the API cannot unset one.
        let text = |a: &str, b: &str| (!a.trim().is_empty() && a.trim() != b.trim()).then(|| a.trim().to_string());
        AdminOrganizationUpdate {
            access_beta_tools: changed(self.access_beta_tools, before.access_beta_tools),
            is_disabled: changed(self.is_disabled, before.is_disabled),
            terraform_build_worker_plan_timeout: text(&self.plan_timeout, &before.plan_timeout),
            terraform_build_worker_apply_timeout: text(&self.apply_timeout, &before.apply_timeout),
            global_module_sharing: changed(self.global_module_sharing, before.global_module_sharing),
            ..Default::default()
        }
    }

    /// The rules, on every field as typed (so an untouched bad value also shows); blank is allowed.
    pub fn errors(&self) -> Vec<ValidationError> {
        let typed = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        validate::admin_organization_update(&AdminOrganizationUpdate {
            terraform_build_worker_plan_timeout: typed(&self.plan_timeout),
            terraform_build_worker_apply_timeout: typed(&self.apply_timeout),
            ..Default::default()
        })
    }
}

/// `(attribute, before, after)` for each changed field of an update body.
pub fn diff_lines(body: &AdminOrganizationUpdate, before: &AdminDraft) -> Vec<(String, String, String)> {
    let mut lines = Vec::new();
    let mut flag = |key: &str, new: Option<bool>, old: bool| {
        if let Some(new) = new {
            lines.push((key.to_string(), old.to_string(), new.to_string()));
        }
    };
    flag("access-beta-tools", body.access_beta_tools, before.access_beta_tools);
    flag("is-disabled", body.is_disabled, before.is_disabled);
    flag("global-module-sharing", body.global_module_sharing, before.global_module_sharing);
    if let Some(v) = &body.terraform_build_worker_plan_timeout {
        lines.push(("terraform-build-worker-plan-timeout".into(), before.plan_timeout.clone(), v.clone()));
    }
    if let Some(v) = &body.terraform_build_worker_apply_timeout {
        lines.push(("terraform-build-worker-apply-timeout".into(), before.apply_timeout.clone(), v.clone()));
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// The organization form (create and update).

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

// ---------------------------------------------------------------------------------------------
// Module sharing.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SharingMode {
    #[default]
    NotShared,
    Specific,
    All,
}

/// Who may use an organization's private modules.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Sharing {
    pub mode: SharingMode,
    /// Consumer names (meaningful with `Specific`).
    pub consumers: BTreeSet<String>,
}

impl Sharing {
    pub fn from_server(global: bool, consumers: impl IntoIterator<Item = String>) -> Self {
        let consumers: BTreeSet<String> = consumers.into_iter().collect();
        let mode = if global {
            SharingMode::All
        } else if consumers.is_empty() {
            SharingMode::NotShared
        } else {
            SharingMode::Specific
        };
        Sharing { mode, consumers: if global { BTreeSet::new() } else { consumers } }
    }

    /// The consumers that count in this mode.
    fn effective(&self) -> BTreeSet<String> {
        match self.mode {
            SharingMode::Specific => self.consumers.clone(),
            _ => BTreeSet::new(),
        }
    }

    /// The intent that makes the server match this state (the client orders the writes).
    pub fn intent(&self) -> SharingIntent {
        match self.mode {
            SharingMode::NotShared => SharingIntent { global_module_sharing: Some(false), consumers: Some(vec![]) },
            SharingMode::Specific => SharingIntent {
                global_module_sharing: Some(false),
                consumers: Some(self.consumers.iter().cloned().collect()),
            },
            SharingMode::All => SharingIntent { global_module_sharing: Some(true), consumers: None },
        }
    }

    pub fn errors(&self) -> Option<String> {
        (self.mode == SharingMode::Specific && self.consumers.is_empty())
            .then(|| "choose at least one organization, or pick \"Not shared\"".to_string())
    }
}

/// Who gains and who loses access when going from `before` to `after`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SharingSummary {
    pub everyone_gains: bool,
    /// Everyone loses access except `gains`/kept consumers (sharing with all is ending).
    pub everyone_else_loses: bool,
    pub gains: Vec<String>,
    pub loses: Vec<String>,
    /// Consumers that keep access (when everyone else loses it).
    pub keeps: Vec<String>,
}

impl SharingSummary {
    pub fn between(before: &Sharing, after: &Sharing) -> Self {
        let (old, new) = (before.effective(), after.effective());
        match (before.mode == SharingMode::All, after.mode == SharingMode::All) {
            (true, true) => SharingSummary::default(),
            (false, true) => SharingSummary { everyone_gains: true, ..Default::default() },
            (true, false) => {
                SharingSummary { everyone_else_loses: true, keeps: new.into_iter().collect(), ..Default::default() }
            }
            (false, false) => SharingSummary {
                gains: new.difference(&old).cloned().collect(),
                loses: old.difference(&new).cloned().collect(),
                ..Default::default()
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.everyone_gains && !self.everyone_else_loses && self.gains.is_empty() && self.loses.is_empty()
    }

    /// Sentences for the page.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.everyone_gains {
            lines.push("Every organization on this instance gains access.".to_string());
        }
        if self.everyone_else_loses {
            if self.keeps.is_empty() {
                lines.push("Every organization loses access.".to_string());
            } else {
                lines.push(format!("Every organization loses access except {}.", self.keeps.join(", ")));
            }
        }
        if !self.gains.is_empty() {
            lines.push(format!("Gain access: {}.", self.gains.join(", ")));
        }
        if !self.loses.is_empty() {
            lines.push(format!("Lose access: {}.", self.loses.join(", ")));
        }
        if lines.is_empty() {
            lines.push("No change.".to_string());
        }
        lines
    }
}

// ---------------------------------------------------------------------------------------------
// The sharing map's layout.

/// A producer and whom it shares with (`None` = every organization).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Producing {
    pub name: String,
    pub consumers: Option<Vec<String>>,
}

/// Node positions of the map: producers on the left, consumers on the right, "every
/// organization" on top of the right column when any producer shares globally.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLayout {
    pub producers: Vec<(String, f64)>,
    pub consumers: Vec<(String, f64)>,
    /// `(producer y, consumer y, global)`.
    pub edges: Vec<(f64, f64, bool)>,
    pub height: f64,
    pub everyone_y: Option<f64>,
}

pub const MAP_ROW: f64 = 32.0;

pub fn map_layout(producing: &[Producing]) -> MapLayout {
    let y = |i: usize| 24.0 + i as f64 * MAP_ROW;
    let producers: Vec<(String, f64)> = producing.iter().enumerate().map(|(i, p)| (p.name.clone(), y(i))).collect();
    let any_global = producing.iter().any(|p| p.consumers.is_none());
    let offset = usize::from(any_global);
    let names: BTreeSet<&String> = producing.iter().filter_map(|p| p.consumers.as_ref()).flatten().collect();
    let consumers: Vec<(String, f64)> =
        names.into_iter().enumerate().map(|(i, n)| (n.clone(), y(i + offset))).collect();
    let everyone_y = any_global.then(|| y(0));
    let position: BTreeMap<&str, f64> = consumers.iter().map(|(n, y)| (n.as_str(), *y)).collect();
    let mut edges = Vec::new();
    for (p, (_, py)) in producing.iter().zip(&producers) {
        match &p.consumers {
            None => edges.push((*py, y(0), true)),
            Some(list) => {
                edges.extend(list.iter().filter_map(|c| position.get(c.as_str())).map(|cy| (*py, *cy, false)))
            }
        }
    }
    let rows = producers.len().max(consumers.len() + offset).max(1);
    MapLayout { producers, consumers, edges, height: y(rows), everyone_y }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3400), "3,400");
        assert_eq!(thousands(10_000_000), "10,000,000");
    }

    #[test]
    fn list_state_round_trips_through_the_url() {
        let state = ListState {
            q: "acme corp".into(),
            name: "a&b".into(),
            email: String::new(),
            producer: Producer::Sharing,
            status: Status::Disabled,
            size: 50,
            page: 3,
        };
        let query = state.to_query();
        assert_eq!(query, "q=acme%20corp&name=a%26b&producer=sharing&status=disabled&size=50&page=3");
        let pairs: Vec<(String, String)> = query
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), v.replace("%20", " ").replace("%26", "&"))
            })
            .collect();
        let back = ListState::from_params(|k| pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone()));
        assert_eq!(back, state);
        assert_eq!(ListState::default().to_query(), "");
        let bad = ListState::from_params(|k| Some(if k == "size" { "7".into() } else { "0".into() }));
        assert_eq!((bad.size, bad.page), (20, 1));
        let options = state.options(true);
        assert_eq!(options.module_producer, Some(true));
        assert_eq!(options.include, vec!["owners".to_string()]);
        assert_eq!(state.options(false).module_producer, None);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let rows = vec![Row {
            name: "acme".into(),
            email: "=HYPERLINK(\"x\")".into(),
            external_id: "org-1".into(),
            is_disabled: Some(true),
            global_module_sharing: None,
            owners: vec!["a@x.io".into(), "b@x.io".into()],
        }];
        assert_eq!(
            to_csv(&rows),
            "name,email,external-id,is-disabled,global-module-sharing,owners\r\nacme,\"'=HYPERLINK(\"\"x\"\")\",org-1,true,,a@x.io b@x.io\r\n"
        );
        assert!(to_json(&rows).contains("\"external-id\": \"org-1\""));
    }

    #[test]
    fn admin_changes_hold_only_changed_fields() {
        let before = AdminDraft { plan_timeout: "2h".into(), apply_timeout: "2h".into(), ..Default::default() };
        let mut after = before.clone();
        after.is_disabled = true;
        after.plan_timeout = " 90m ".into();
        let body = after.changes(&before);
        assert_eq!(body.is_disabled, Some(true));
        assert_eq!(body.terraform_build_worker_plan_timeout.as_deref(), Some("90m"));
        assert_eq!((body.access_beta_tools, body.terraform_build_worker_apply_timeout.as_deref()), (None, None));
        assert_eq!(diff_lines(&body, &before).len(), 2);
        after.apply_timeout = "soon".into();
        assert_eq!(after.errors()[0].field, "/data/attributes/terraform-build-worker-apply-timeout");
    }

    #[test]
    fn org_draft_enforces_cross_field_rules() {
        let mut draft = OrgDraft { name: "acme".into(), email: "ops@acme.io".into(), ..Default::default() };
        assert!(draft.errors().is_empty());
        draft.aggregated_commit_status_enabled = true;
        draft.send_passing_statuses = true;
        assert!(draft.errors().iter().any(|e| e.rule == rule::CONFLICT));
        draft.send_passing_statuses = false;
        draft.default_execution_mode = "agent".into();
        assert!(draft.errors().iter().any(|e| e.field == "/data/attributes/default-agent-pool-id"));
        draft.default_agent_pool_id = "apool-1".into();
        draft.session_timeout = "ten".into();
        let errors = draft.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].rule, rule::TYPE);
        let before = OrgDraft { name: "acme".into(), email: "ops@acme.io".into(), ..Default::default() };
        let mut after = before.clone();
        after.email = "new@acme.io".into();
        let body = after.changes(&before);
        assert_eq!(body, OrganizationBody { email: Some("new@acme.io".into()), ..Default::default() });
    }

    #[test]
    fn sharing_summary_names_who_gains_and_loses() {
        let specific = |names: &[&str]| Sharing {
            mode: SharingMode::Specific,
            consumers: names.iter().map(|s| s.to_string()).collect(),
        };
        let all = Sharing { mode: SharingMode::All, ..Default::default() };
        let none = Sharing::default();
        let s = SharingSummary::between(&specific(&["a", "b"]), &specific(&["b", "c"]));
        assert_eq!((s.gains, s.loses), (vec!["c".to_string()], vec!["a".to_string()]));
        assert!(SharingSummary::between(&none, &all).everyone_gains);
        let s = SharingSummary::between(&all, &specific(&["x"]));
        assert_eq!(s.lines(), vec!["Every organization loses access except x.".to_string()]);
        assert!(SharingSummary::between(&all, &all).is_empty());
        assert_eq!(SharingSummary::between(&none, &none).lines(), vec!["No change.".to_string()]);
        assert_eq!(specific(&["x"]).intent().consumers, Some(vec!["x".to_string()]));
        assert_eq!(all.intent().consumers, None);
        assert!(specific(&[]).errors().is_some());
        assert_eq!(Sharing::from_server(false, vec!["q".to_string()]).mode, SharingMode::Specific);
    }

    #[test]
    fn map_layout_places_nodes_and_edges() {
        let layout = map_layout(&[
            Producing { name: "p1".into(), consumers: None },
            Producing { name: "p2".into(), consumers: Some(vec!["c1".into(), "c2".into()]) },
        ]);
        assert_eq!(layout.producers.len(), 2);
        assert_eq!(layout.consumers.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), vec!["c1", "c2"]);
        assert_eq!(layout.edges.len(), 3);
        assert_eq!(layout.edges.iter().filter(|e| e.2).count(), 1);
        assert_eq!(layout.everyone_y, Some(24.0));
    }
}
