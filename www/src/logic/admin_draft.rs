//! The admin settings editor's draft and the diff shown before saving.

use tfe_orgs::model::{AdminOrganization, AdminOrganizationUpdate};
use tfe_orgs::validate;
use tfe_orgs::validate::ValidationError;

/// The admin settings editor's fields, as typed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AdminDraft {
    pub access_beta_tools: bool,
    pub is_disabled: bool,
    pub plan: TimeoutDraft,
    pub apply: TimeoutDraft,
    pub global_module_sharing: bool,
}

/// A timeout field as typed, with its "use the instance default" choice.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TimeoutDraft {
    pub text: String,
    /// "Use the instance default": the timeout is unset (`null`).
    pub default: bool,
}

/// How the diff shows an unset timeout.
pub const INSTANCE_DEFAULT: &str = "instance default";

impl TimeoutDraft {
    pub fn from_value(value: Option<&String>) -> Self {
        TimeoutDraft { text: value.cloned().unwrap_or_default(), default: value.is_none() }
    }

    /// `None` for the instance default, else the trimmed text.
    pub fn value(&self) -> Option<String> {
        (!self.default).then(|| self.text.trim().to_string())
    }

    /// The update for this field: absent when unchanged, `Some(None)` back to the default.
    fn change(&self, before: &TimeoutDraft) -> Option<Option<String>> {
        let new = self.value();
        (new != before.value()).then_some(new)
    }

    /// The value to validate: blank is left to [`TimeoutDraft::blank_error`].
    fn typed(&self) -> Option<Option<String>> {
        self.value().filter(|t| !t.is_empty()).map(Some)
    }

    /// Blank without the default chosen: an error naming that choice.
    fn blank_error(&self, key: &str) -> Option<ValidationError> {
        (!self.default && self.text.trim().is_empty()).then(|| ValidationError {
            field: validate::attribute_pointer(key),
            rule: validate::rule::REQUIRED.into(),
            message: "enter a duration such as 2h, or choose the instance default".into(),
        })
    }
}

impl AdminDraft {
    pub fn from_org(org: &AdminOrganization) -> Self {
        let a = &org.attributes;
        AdminDraft {
            access_beta_tools: a.access_beta_tools.unwrap_or(false),
            is_disabled: a.is_disabled.unwrap_or(false),
            plan: TimeoutDraft::from_value(a.terraform_build_worker_plan_timeout.as_ref()),
            apply: TimeoutDraft::from_value(a.terraform_build_worker_apply_timeout.as_ref()),
            global_module_sharing: a.global_module_sharing.unwrap_or(false),
        }
    }

    /// The user's edits (this draft against `old`) kept on top of `new`, what the instance holds
    /// now: a field the user did not touch takes the new value (another editor on the page saved
    /// it), a field the user changed keeps what they typed.
    pub fn rebase(&self, old: &AdminDraft, new: &AdminDraft) -> AdminDraft {
        fn pick<T: PartialEq + Clone>(mine: &T, old: &T, new: &T) -> T {
            if mine == old {
                new.clone()
            } else {
                mine.clone()
            }
        }
        AdminDraft {
            access_beta_tools: pick(&self.access_beta_tools, &old.access_beta_tools, &new.access_beta_tools),
            is_disabled: pick(&self.is_disabled, &old.is_disabled, &new.is_disabled),
            plan: pick(&self.plan, &old.plan, &new.plan),
            apply: pick(&self.apply, &old.apply, &new.apply),
            global_module_sharing: pick(
                &self.global_module_sharing,
                &old.global_module_sharing,
                &new.global_module_sharing,
            ),
        }
    }

    /// Only what changed from `before`; trimmed timeouts, `null` for "use the instance default".
    pub fn changes(&self, before: &AdminDraft) -> AdminOrganizationUpdate {
        let changed = |a: bool, b: bool| (a != b).then_some(a);
        AdminOrganizationUpdate {
            access_beta_tools: changed(self.access_beta_tools, before.access_beta_tools),
            is_disabled: changed(self.is_disabled, before.is_disabled),
            terraform_build_worker_plan_timeout: self.plan.change(&before.plan),
            terraform_build_worker_apply_timeout: self.apply.change(&before.apply),
            global_module_sharing: changed(self.global_module_sharing, before.global_module_sharing),
            ..Default::default()
        }
    }

    /// The rules, on every field as typed (so an untouched bad value also shows). A timeout is
    /// a duration unless "use the instance default" is chosen; blank is an error naming that choice.
    pub fn errors(&self) -> Vec<ValidationError> {
        let mut errors = validate::admin_organization_update(&AdminOrganizationUpdate {
            terraform_build_worker_plan_timeout: self.plan.typed(),
            terraform_build_worker_apply_timeout: self.apply.typed(),
            ..Default::default()
        });
        errors.extend(self.plan.blank_error("terraform-build-worker-plan-timeout"));
        errors.extend(self.apply.blank_error("terraform-build-worker-apply-timeout"));
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
    for (key, new, old) in [
        ("terraform-build-worker-plan-timeout", &body.terraform_build_worker_plan_timeout, &before.plan),
        ("terraform-build-worker-apply-timeout", &body.terraform_build_worker_apply_timeout, &before.apply),
    ] {
        if let Some(v) = new {
            lines.push((key.into(), shown(old.value().as_deref()), shown(v.as_deref())));
        }
    }
    lines
}
