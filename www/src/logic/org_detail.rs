//! The organization page's reading: the concurrent reads of one organization through both APIs
//! (every list in full), and what the page shows of it in an admin's words — the facts at a
//! glance, the settings under their labels, the entitlements, the raw attributes.

use futures_util::future::join4;
use serde_json::Value;
use tfe_orgs::client::{Client, Complete, Error, ErrorKind, Progress, ReadOptions, SharingState};
use tfe_orgs::model::{
    AdminOrganization, AdminOrganizationUpdate, Attributes, Entitlements, Field, Organization, OrganizationBody,
};
use tfe_orgs::transport::Transport;

use super::format::{count_of, words};
use super::{admin_row, owner_emails, thousands, Registry};

/// Everything the detail page shows about one organization. Every list is read in full
/// ([`Complete`], [`SharingState`]): the page shows them as complete and the editors write them back.
#[derive(Clone, Debug)]
pub struct Detail {
    pub name: String,
    pub org: Option<Organization>,
    pub admin: Option<AdminOrganization>,
    pub owners: Vec<String>,
    pub entitlements: Option<Entitlements>,
    pub producers: Complete<String>,
    /// Module sharing (site admins).
    pub modules: Option<SharingState>,
    /// Provider sharing (site admins): `None` also when the instance does not support it (its
    /// provider-consumers read answers 404 for an organization the admin API just returned).
    pub providers: Option<SharingState>,
    /// Who shares private providers with this organization, where the organization resource
    /// carries the `provider-producers` relationship with data (newer releases).
    pub provider_producers: Option<Vec<String>>,
}

/// Read an organization through both APIs (the admin one when the token may), every list in
/// full, four reads at once; `progress` says how far the consumer lists have got (`None`: done).
pub async fn load_detail<T: Transport>(
    api: &Client<T>,
    name: String,
    admin: bool,
    progress: &dyn Fn(Option<String>),
) -> Result<Detail, Error> {
    let report = |what: &'static str| {
        move |p: Progress| {
            let of = p.total_count.map(|t| format!(" of {}", thousands(t))).unwrap_or_default();
            progress(Some(format!("Reading {what}: {}{of}…", thousands(p.items))));
        }
    };
    let org = api.read_with_options(&name, ReadOptions { include_entitlement_set: true });
    let producers = async {
        let mut on_progress = report("module producers");
        api.list_all_module_producers(&name, &mut on_progress).await
    };
    let admin_org = async {
        if admin {
            Some(api.admin_read_with_options(&name, true).await).transpose()
        } else {
            Ok(None)
        }
    };
    let consumers = async {
        if admin {
            let mut on_progress = report("module consumers");
            Some(api.list_all_consumers(Registry::Modules, &name, &mut on_progress).await).transpose()
        } else {
            Ok(None)
        }
    };
    let (org, producers, admin_doc, consumers) = join4(org, producers, admin_org, consumers).await;
    let provider_consumers = if admin && matches!(admin_doc, Ok(Some(_))) {
        let mut on_progress = report("provider consumers");
        match api.list_all_consumers(Registry::Providers, &name, &mut on_progress).await {
            Ok(list) => Some(list.names()),
            // An older instance: no provider sharing.
            Err(e) if e.kind == ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    progress(None);
    // A site admin may not be a member: the Organizations API may hide what the admin API shows.
    let org = match org {
        Ok(doc) => Some(doc),
        Err(e) if admin && e.kind == ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let admin_doc = admin_doc?;
    let entitlements = org
        .as_ref()
        .and_then(|doc| doc.included_of::<Entitlements>().ok())
        .and_then(|sets| sets.into_iter().next())
        .map(|set| set.attributes);
    // The same owner names the list shows.
    let owners =
        admin_doc.as_ref().map(|doc| admin_row(&doc.data, &owner_emails(&doc.included)).owners).unwrap_or_default();
    let consumers = consumers?;
    let modules = admin_doc
        .as_ref()
        .zip(consumers)
        .map(|(doc, list)| SharingState::of(Registry::Modules, &doc.data.attributes, list.names()));
    let providers = admin_doc
        .as_ref()
        .zip(provider_consumers)
        .map(|(doc, list)| SharingState::of(Registry::Providers, &doc.data.attributes, list));
    let provider_producers = org.as_ref().and_then(|doc| {
        let related = doc.data.related_ids("provider-producers");
        (!related.is_empty()).then(|| related.into_iter().map(|r| r.id.clone()).collect())
    });
    Ok(Detail {
        name,
        org: org.map(|d| d.data),
        admin: admin_doc.map(|d| d.data),
        owners,
        entitlements,
        producers: producers.map(|list| list.names()).unwrap_or_else(|_| Complete::empty()),
        modules,
        providers,
        provider_producers,
    })
}

/// Whom a registry is shared with, in words: "Every organization", "3 organizations", "Nobody".
pub fn sharing_text(state: &SharingState) -> String {
    if state.global() {
        "Every organization".into()
    } else if state.consumers().is_empty() {
        "Nobody".into()
    } else {
        count_of(state.consumers().len(), "organization", "organizations")
    }
}

impl Detail {
    /// What an admin looks for first, label and value: status, email, plan, owners, sharing.
    pub fn glance(&self) -> Vec<(&'static str, String)> {
        let org = self.org.as_ref().map(|o| &o.attributes);
        let admin = self.admin.as_ref().map(|a| &a.attributes);
        let mut out = Vec::new();
        if let Some(a) = admin {
            out.push(("Status", if a.is_disabled == Some(true) { "Disabled" } else { "Active" }.to_string()));
        }
        let email = org.and_then(|o| o.email.clone()).or_else(|| admin.and_then(|a| a.notification_email.clone()));
        out.push(("Email", email.unwrap_or_else(|| "—".into())));
        if let Some(o) = org {
            let mut plan = o.plan_identifier.clone().unwrap_or_else(|| "—".into());
            if o.plan_is_trial == Some(true) {
                plan.push_str(" (trial)");
            }
            match (o.plan_expired, &o.plan_expires_at) {
                (Some(true), _) => plan.push_str(", expired"),
                (_, Some(at)) => plan.push_str(&format!(", until {}", at.get(..10).unwrap_or(at))),
                _ => {}
            }
            out.push(("Plan", plan));
        }
        if self.admin.is_some() {
            let owners = match self.owners.as_slice() {
                [] => "None".to_string(),
                [one] => one.clone(),
                [first, rest @ ..] => format!("{first} and {}", count_of(rest.len(), "other", "others")),
            };
            out.push(("Owners", owners));
        }
        if let Some(m) = &self.modules {
            out.push(("Shares modules with", sharing_text(m)));
        }
        if let Some(p) = &self.providers {
            out.push(("Shares providers with", sharing_text(p)));
        }
        out.push(("Uses modules from", count_of(self.producers.len(), "organization", "organizations")));
        out
    }

    /// The organization settings an admin changes, each under its label with its value in words
    /// (only those the answer carried: an older release lacks some).
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        let Some(org) = &self.org else { return Vec::new() };
        let values = serde_json::to_value(&org.attributes).unwrap_or_default();
        described(OrganizationBody::FIELDS, &values, &|_| None)
    }

    /// The admin settings, the same way; `default(key)` is the instance's default for a timeout.
    pub fn admin_settings(&self, default: &dyn Fn(&str) -> Option<String>) -> Vec<(&'static str, String)> {
        let Some(admin) = &self.admin else { return Vec::new() };
        let values = serde_json::to_value(&admin.attributes).unwrap_or_default();
        let era = Some(tfe_orgs::model::Era::of_admin_answer(&admin.attributes));
        let fields: Vec<Field> = AdminOrganizationUpdate::FIELDS.iter().filter(|f| f.in_era(era)).copied().collect();
        described(&fields, &values, default)
    }

    /// The entitlements in words: "Private module registry" — "Yes", "No", "Unlimited", a number.
    pub fn entitlements_text(&self) -> Vec<(String, String)> {
        let Some(Entitlements(map)) = &self.entitlements else { return Vec::new() };
        map.iter()
            .map(|(key, value)| {
                let text = match value {
                    Value::Bool(true) => "Yes".to_string(),
                    Value::Bool(false) => "No".to_string(),
                    Value::Null => "Unlimited".to_string(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (words(key), text)
            })
            .collect()
    }
}

/// `fields` whose value the answer `values` carried (a nullable one also as `null`), label and
/// value in words. An attribute the answer lacks (an older release's) is left out.
fn described(
    fields: &[Field],
    values: &Value,
    default: &dyn Fn(&str) -> Option<String>,
) -> Vec<(&'static str, String)> {
    fields
        .iter()
        .filter_map(|f| {
            let value = values.get(f.key)?;
            if value.is_null() && !f.nullable {
                return None;
            }
            Some((f.label(), f.reads(value, default(f.key).as_deref())))
        })
        .collect()
}

/// Every attribute as sent (unknown ones and `permissions` too): key and value as text, for the
/// collapsed "raw attributes" a program-minded reader opens.
pub fn raw_attributes(attributes: Value) -> Vec<(String, String)> {
    fn text(value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            Value::Null => "—".into(),
            Value::Object(map) => map.iter().map(|(k, v)| format!("{k}: {}", text(v))).collect::<Vec<_>>().join("\n"),
            other => other.to_string(),
        }
    }
    match attributes {
        Value::Object(map) => map.into_iter().map(|(k, v)| (k, text(&v))).collect(),
        _ => Vec::new(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::logic::sandbox_client::{admin_client, block_on, InProcess, Release};

    fn client(release: Release) -> Client<InProcess> {
        admin_client(release, 0)
    }

    /// The four reads at once, every list in full, then the page's words for what they say.
    #[test]
    fn an_organization_reads_in_an_admins_words() {
        let api = client(Release::Current);
        let seen = std::cell::RefCell::new(Vec::new());
        let d = block_on(load_detail(&api, "acme-networking".into(), true, &|p| seen.borrow_mut().push(p))).unwrap();
        assert_eq!(seen.borrow().last(), Some(&None), "progress ends cleared");
        assert!(d.org.is_some() && d.admin.is_some() && d.modules.is_some());
        let glance = d.glance();
        let keys: Vec<&str> = glance.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            ["Status", "Email", "Plan", "Owners", "Shares modules with", "Shares providers with", "Uses modules from"]
        );
        assert!(["Active", "Disabled"].contains(&glance[0].1.as_str()));
        let producers = d.producers.len();
        assert_eq!(glance[6].1, count_of(producers, "organization", "organizations"));
        // Settings under their labels, values in words; no raw key in sight.
        let settings = d.settings();
        assert!(settings.iter().any(|(k, v)| *k == "Cost estimation" && (v == "On" || v == "Off")), "{settings:?}");
        assert!(settings.iter().all(|(k, _)| tfe_orgs::model::attribute(k).is_none()), "{settings:?}");
        assert!(settings.iter().any(|(k, v)| *k == "Default execution mode" && v == "Remote"), "{settings:?}");
        let admin = d.admin_settings(&|key| (key == "apply-timeout").then(|| "24h".into()));
        assert!(admin.iter().any(|(k, _)| *k == "Workspace limit"), "{admin:?}");
        let apply = admin.iter().find(|(k, _)| *k == "Apply timeout").unwrap();
        assert!(apply.1 == "Instance default (24h)" || apply.1.ends_with('h') || apply.1.ends_with('m'), "{apply:?}");
        // The raw attributes keep every key the answer sent.
        let raw = raw_attributes(serde_json::to_value(&d.org.as_ref().unwrap().attributes).unwrap());
        assert!(raw.iter().any(|(k, _)| k == "permissions"));
    }

    /// An older release's organization: what it lacks is not shown (nor offered).
    #[test]
    fn an_older_release_shows_only_what_it_has() {
        let api = client(Release::R202103);
        let d = block_on(load_detail(&api, "acme-networking".into(), true, &|_| {})).unwrap();
        let admin = d.admin_settings(&|_| None);
        assert!(admin.iter().any(|(k, _)| *k == "Plan timeout"), "{admin:?}");
        assert!(!admin.iter().any(|(k, _)| *k == "Workspace limit"), "{admin:?}");
        assert!(d.providers.is_none(), "no provider sharing before 202301");
        assert!(!d.glance().iter().any(|(k, _)| *k == "Shares providers with"));
    }

    #[test]
    fn entitlements_and_keys_read_as_words() {
        assert_eq!(words("private-module-registry"), "Private module registry");
        assert_eq!(words("run_tasks"), "Run tasks");
        assert_eq!((words("sso"), words("vcs-integrations")), ("SSO".to_string(), "VCS integrations".to_string()));
        let api = client(Release::Current);
        let d = block_on(load_detail(&api, "acme-networking".into(), false, &|_| {})).unwrap();
        assert!(d.admin.is_none() && d.modules.is_none());
        let e = d.entitlements_text();
        assert!(e.iter().any(|(k, v)| k == "Private module registry" && v == "Yes"), "{e:?}");
    }
}
