//! The admin settings editor's draft and the diff shown before saving.

use tfe_orgs::model::{AdminOrganization, AdminOrganizationUpdate};
use tfe_orgs::validate;
use tfe_orgs::validate::ValidationError;

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
