//! What a person and the tools need to know about an attribute beyond its type: its label and
//! help, the era that introduced it, what `null` means for it, and whether a bulk change offers
//! it. Written once, beside the attribute in its model (`attributes!`); the sandbox's eras, the
//! client's names per instance, the snapshot's handling of absent attributes, the instance
//! defaults, the bulk actions and every label on the page are derived from it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Field, Shape};

/// A TFE era: the releases that behave alike (current-tfe.md, "Releases, in short"). Ordered
/// oldest first, so `era >= Era::R202301` reads "has provider sharing".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash, Serialize, Deserialize)]
pub enum Era {
    /// 202012-1 … 202102: module sharing through module-partnerships only.
    #[serde(rename = "202012")]
    R202012,
    /// 202103-1 … 2022: `relationships/module-consumers`, the search parameters.
    #[serde(rename = "202103")]
    R202103,
    /// 202301-1 … mid-2024: provider sharing and registry-partnerships.
    #[serde(rename = "202301")]
    R202301,
    /// 2024 on: `apply-timeout` / `plan-timeout`, `workspace-limit`, the newer attributes.
    #[default]
    #[serde(rename = "current")]
    Current,
}

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Era; 4] = [Era::R202012, Era::R202103, Era::R202301, Era::Current];

    /// `202012`, `202103`, `202301`, `current`.
    pub fn name(self) -> &'static str {
        match self {
            Era::R202012 => "202012",
            Era::R202103 => "202103",
            Era::R202301 => "202301",
            Era::Current => "current",
        }
    }

    pub fn parse(text: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|r| r.name() == text.trim())
    }

    /// The era an admin organization answer shows (current-tfe.md: detect by what answers
    /// contain): the current timeout names, else provider sharing, else an older one. An answer
    /// cannot tell 202012 from 202103; the later is said (it adds no attribute).
    pub fn of_admin_answer(attributes: &super::AdminOrganizationAttributes) -> Era {
        let provider_sharing = attributes.global_provider_sharing.is_some();
        // An answer without any timeout name reads as an older release's.
        let spelling = match attributes.spelling {
            super::Spelling::Unknown => super::Spelling::Deprecated,
            known => known,
        };
        Era::shown_by(spelling, provider_sharing).unwrap_or(Era::R202103)
    }

    /// The era admin answers show by the timeout names they use and whether they carry provider
    /// sharing; `None` when they showed no timeout name at all.
    pub fn shown_by(spelling: super::Spelling, provider_sharing: bool) -> Option<Era> {
        match spelling {
            super::Spelling::Unknown => None,
            super::Spelling::Current => Some(Era::Current),
            super::Spelling::Deprecated if provider_sharing => Some(Era::R202301),
            super::Spelling::Deprecated => Some(Era::R202103),
        }
    }
}

/// What `null` means for an attribute that may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unset {
    /// Not nullable (or `null` means nothing of its own).
    Nothing,
    /// The instance's default applies: the general settings attribute of this name holds it.
    InstanceDefault(&'static str),
    /// There is no limit.
    NoLimit,
}

/// Whether and how a bulk change offers an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// Not offered.
    No,
    /// A flag turned on or off, with what each choice says.
    Flag { on: &'static str, off: &'static str },
    /// A value typed once for every organization (`what` names it: "Duration", with an example);
    /// a nullable attribute is also offered "back to" its `null` ([`Unset`]).
    Value { what: &'static str, example: &'static str },
}

/// The facts of an attribute ([`Field::about`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// What a person calls it ("Plan timeout").
    pub label: &'static str,
    /// One sentence more, shown under the label; empty for none.
    pub help: &'static str,
    /// The era that introduced it: older eras' answers lack it and their writes refuse it.
    pub since: Era,
    pub unset: Unset,
    pub bulk: Bulk,
}

impl About {
    /// An attribute described by nothing but its key (unknown to the tools).
    pub const NONE: About = About { label: "", help: "", since: Era::R202012, unset: Unset::Nothing, bulk: Bulk::No };

    pub const fn new(label: &'static str) -> About {
        About { label, ..About::NONE }
    }
    pub const fn help(self, help: &'static str) -> About {
        About { help, ..self }
    }
    pub const fn since(self, since: Era) -> About {
        About { since, ..self }
    }
    /// `null` means the instance's default, held by general settings under `key`.
    pub const fn instance_default(self, key: &'static str) -> About {
        About { unset: Unset::InstanceDefault(key), ..self }
    }
    /// `null` means no limit.
    pub const fn no_limit(self) -> About {
        About { unset: Unset::NoLimit, ..self }
    }
    pub const fn bulk_flag(self, on: &'static str, off: &'static str) -> About {
        About { bulk: Bulk::Flag { on, off }, ..self }
    }
    pub const fn bulk_value(self, what: &'static str, example: &'static str) -> About {
        About { bulk: Bulk::Value { what, example }, ..self }
    }
}

impl Field {
    /// What a person calls the attribute: its label, else its key.
    pub fn label(&self) -> &'static str {
        if self.about.label.is_empty() {
            self.key
        } else {
            self.about.label
        }
    }

    /// `Plan timeout (plan-timeout)`: for the command line and CSV meant for people.
    pub fn label_with_key(&self) -> String {
        if self.about.label.is_empty() {
            self.key.to_string()
        } else {
            format!("{} ({})", self.about.label, self.key)
        }
    }

    /// Whether an instance of `era` has the attribute (`None`: not known, so assumed).
    pub fn in_era(&self, era: Option<Era>) -> bool {
        era.is_none_or(|era| era >= self.about.since)
    }

    /// What `null` reads as ("instance default", "no limit"), lower case to sit in a sentence.
    pub fn null_text(&self) -> &'static str {
        match self.about.unset {
            Unset::NoLimit => "no limit",
            _ => "instance default",
        }
    }

    /// The value as a person reads it: "On", "Off", "Instance default (24h)", "No limit", a
    /// choice's label, the text itself; `default` is the instance's default where known.
    pub fn reads(&self, value: &Value, default: Option<&str>) -> String {
        match value {
            Value::Null => {
                let mut text = self.null_text().to_string();
                text[..1].make_ascii_uppercase();
                match (self.about.unset, default) {
                    (Unset::InstanceDefault(_), Some(d)) => format!("{text} ({d})"),
                    _ => text,
                }
            }
            Value::Bool(true) => "On".into(),
            Value::Bool(false) => "Off".into(),
            Value::String(s) => match self.shape {
                Shape::Choice(options) => {
                    options.iter().find(|(v, _)| v == s).map_or(s.clone(), |(_, l)| l.to_string())
                }
                _ => s.clone(),
            },
            other => other.to_string(),
        }
    }
}

/// Every attribute model, writable bodies first: where [`attribute`] looks.
fn models() -> [&'static [Field]; 5] {
    use super::Attributes;
    [
        super::AdminOrganizationUpdate::FIELDS,
        super::OrganizationBody::FIELDS,
        super::AdminOrganizationAttributes::FIELDS,
        super::OrganizationAttributes::FIELDS,
        super::GeneralSettingsAttributes::FIELDS,
    ]
}

/// Every declared attribute of every model, each key once: the one whose declaration carries
/// its facts (a writable attribute's body; a read-only one's answer).
pub fn every_attribute() -> impl Iterator<Item = &'static Field> {
    // Worked out once: the sandbox asks on every answer, a plan for every organization.
    static ALL: std::sync::OnceLock<Vec<&'static Field>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let all = models();
        all.into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, f)| {
                let first = all.into_iter().flatten().position(|g| g.key == f.key && g.about != About::NONE);
                let first = first.or_else(|| all.into_iter().flatten().position(|g| g.key == f.key));
                (first == Some(i)).then_some(f)
            })
            .collect()
    })
    .iter()
    .copied()
}

/// The attribute named `key` (or its older name), with its facts.
pub fn attribute(key: &str) -> Option<&'static Field> {
    every_attribute().find(|f| f.key == key || f.alias == Some(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One declaration per attribute: its facts are written in one model only, and every model
    /// that declares it agrees on its older name.
    #[test]
    fn each_attribute_has_its_facts_in_one_declaration() {
        for model in models() {
            for field in model {
                let all: Vec<&Field> = models().into_iter().flatten().filter(|f| f.key == field.key).collect();
                let described = all.iter().filter(|f| f.about != About::NONE).count();
                assert!(described <= 1, "{}: facts declared {described} times", field.key);
                assert!(all.iter().all(|f| f.alias == field.alias), "{}: older names disagree", field.key);
            }
        }
        // Every attribute a person edits has a label (a form row, a bulk action, a diff line).
        use super::super::Attributes;
        for model in [super::super::AdminOrganizationUpdate::FIELDS, super::super::OrganizationBody::FIELDS] {
            for field in model {
                assert!(!field.about.label.is_empty(), "{}: a writable attribute without a label", field.key);
            }
        }
    }

    /// The eras follow from the declarations: what each era lacks, and the older names.
    #[test]
    fn the_eras_follow_from_the_declarations() {
        let since = |era: Era| {
            let mut keys: Vec<&str> = every_attribute().filter(|f| f.about.since == era).map(|f| f.key).collect();
            keys.sort_unstable();
            keys
        };
        assert_eq!(since(Era::R202301), ["global-provider-sharing"]);
        assert_eq!(
            since(Era::Current),
            [
                "api-rate-limit",
                "api-rate-limiting-enabled",
                "enforce-hyok",
                "module-consuming-organizations-count",
                "provider-consuming-organizations-count",
                "speculative-plan-management-enabled",
                "user-tokens-enabled",
                "workspace-limit",
            ]
        );
        let renamed: Vec<(&str, &str)> = every_attribute().filter_map(|f| Some((f.key, f.alias?))).collect();
        assert_eq!(
            renamed,
            [
                ("plan-timeout", "terraform-build-worker-plan-timeout"),
                ("apply-timeout", "terraform-build-worker-apply-timeout")
            ]
        );
        let limit = attribute("workspace-limit").unwrap();
        assert!(!limit.in_era(Some(Era::R202103)) && limit.in_era(Some(Era::Current)) && limit.in_era(None));
        assert_eq!(attribute("terraform-build-worker-apply-timeout").map(|f| f.key), Some("apply-timeout"));
    }

    /// Values read as a person reads them.
    #[test]
    fn values_read_as_words() {
        let plan = attribute("plan-timeout").unwrap();
        assert_eq!(plan.reads(&Value::Null, Some("2h")), "Instance default (2h)");
        assert_eq!(plan.reads(&Value::Null, None), "Instance default");
        assert_eq!(plan.reads(&"90m".into(), Some("2h")), "90m");
        assert_eq!(attribute("workspace-limit").unwrap().reads(&Value::Null, None), "No limit");
        assert_eq!(attribute("is-disabled").unwrap().reads(&true.into(), None), "On");
        let policy = attribute("collaborator-auth-policy").unwrap();
        assert_eq!(policy.reads(&"two_factor_mandatory".into(), None), "Two-factor authentication required");
        assert_eq!(plan.label_with_key(), "Plan timeout (plan-timeout)");
    }

    #[test]
    fn an_admin_answer_shows_its_era() {
        let answer = |attributes: serde_json::Value| -> super::super::AdminOrganization {
            serde_json::from_value(serde_json::json!({ "id": "a", "type": "organizations", "attributes": attributes }))
                .unwrap()
        };
        assert_eq!(
            Era::of_admin_answer(&answer(serde_json::json!({ "apply-timeout": null })).attributes),
            Era::Current
        );
        let r202301 = answer(
            serde_json::json!({ "terraform-build-worker-apply-timeout": null, "global-provider-sharing": false }),
        );
        assert_eq!(Era::of_admin_answer(&r202301.attributes), Era::R202301);
        let r202103 = answer(serde_json::json!({ "terraform-build-worker-apply-timeout": "2h" }));
        assert_eq!(Era::of_admin_answer(&r202103.attributes), Era::R202103);
    }
}
