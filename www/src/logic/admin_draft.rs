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
    /// "Use the instance default": the plan timeout is unset (`null`).
    pub plan_default: bool,
    pub apply_timeout: String,
    /// "Use the instance default": the apply timeout is unset (`null`).
    pub apply_default: bool,
    pub global_module_sharing: bool,
}

/// How the diff shows an unset timeout.
pub const INSTANCE_DEFAULT: &str = "instance default";

/// A timeout as the draft holds it: `None` for the instance default, else the trimmed text.
fn timeout(default: bool, text: &str) -> Option<String> {
    (!default).then(|| text.trim().to_string())
}

impl AdminDraft {
    pub fn from_org(org: &AdminOrganization) -> Self {
        let a = &org.attributes;
        AdminDraft {
            access_beta_tools: a.access_beta_tools.unwrap_or(false),
            is_disabled: a.is_disabled.unwrap_or(false),
            plan_timeout: a.terraform_build_worker_plan_timeout.clone().unwrap_or_default(),
            plan_default: a.terraform_build_worker_plan_timeout.is_none(),
            apply_timeout: a.terraform_build_worker_apply_timeout.clone().unwrap_or_default(),
            apply_default: a.terraform_build_worker_apply_timeout.is_none(),
            global_module_sharing: a.global_module_sharing.unwrap_or(false),
        }
    }

    /// Only what changed from `before`; trimmed timeouts, `null` for "use the instance default".
    pub fn changes(&self, before: &AdminDraft) -> AdminOrganizationUpdate {
        let changed = |a: bool, b: bool| (a != b).then_some(a);
        let timeout_change = |default: bool, text: &str, was_default: bool, was: &str| {
            let (new, old) = (timeout(default, text), timeout(was_default, was));
            (new != old).then_some(new)
        };
        AdminOrganizationUpdate {
            access_beta_tools: changed(self.access_beta_tools, before.access_beta_tools),
            is_disabled: changed(self.is_disabled, before.is_disabled),
            terraform_build_worker_plan_timeout: timeout_change(
                self.plan_default,
                &self.plan_timeout,
                before.plan_default,
                &before.plan_timeout,
            ),
            terraform_build_worker_apply_timeout: timeout_change(
                self.apply_default,
                &self.apply_timeout,
                before.apply_default,
                &before.apply_timeout,
            ),
            global_module_sharing: changed(self.global_module_sharing, before.global_module_sharing),
            ..Default::default()
        }
    }

    /// The rules, on every field as typed (so an untouched bad value also shows). A timeout is
    /// a duration unless "use the instance default" is chosen; blank is an error naming that choice.
    pub fn errors(&self) -> Vec<ValidationError> {
        // Blank is checked below, with a message that names the other choice.
        let typed = |default: bool, text: &str| timeout(default, text).filter(|t| !t.is_empty()).map(Some);
        let mut errors = validate::admin_organization_update(&AdminOrganizationUpdate {
            terraform_build_worker_plan_timeout: typed(self.plan_default, &self.plan_timeout),
            terraform_build_worker_apply_timeout: typed(self.apply_default, &self.apply_timeout),
            ..Default::default()
        });
        for (key, default, text) in [
            ("terraform-build-worker-plan-timeout", self.plan_default, &self.plan_timeout),
            ("terraform-build-worker-apply-timeout", self.apply_default, &self.apply_timeout),
        ] {
            let field = validate::attribute_pointer(key);
            if !default && text.trim().is_empty() {
                errors.push(ValidationError {
                    field,
                    rule: validate::rule::REQUIRED.into(),
                    message: "enter a duration such as 2h, or choose the instance default".into(),
                });
            }
        }
        errors
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
    let shown = |value: Option<&str>| value.map_or(INSTANCE_DEFAULT.to_string(), str::to_string);
    if let Some(v) = &body.terraform_build_worker_plan_timeout {
        let old = timeout(before.plan_default, &before.plan_timeout);
        lines.push(("terraform-build-worker-plan-timeout".into(), shown(old.as_deref()), shown(v.as_deref())));
    }
    if let Some(v) = &body.terraform_build_worker_apply_timeout {
        let old = timeout(before.apply_default, &before.apply_timeout);
        lines.push(("terraform-build-worker-apply-timeout".into(), shown(old.as_deref()), shown(v.as_deref())));
    }
    lines
}
