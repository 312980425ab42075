//! The sandbox's state: organizations (with the library's attribute types), users and their
//! tokens, module sharing and data retention policies. Serializable, for the seed file and
//! `--state` persistence.

use serde::{Deserialize, Serialize};
use tfe_orgs::model::{
    AdminOrganizationAttributes, Attributes, DataRetentionPolicy, Entitlements, OrganizationAttributes, Shape,
};
use tfe_orgs::validate::same_organization_name;

/// One organization and everything the three APIs say about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Org {
    /// What the Organizations API shows (name, external-id, email, settings…).
    pub attributes: OrganizationAttributes,
    /// What only the Admin Organizations API shows and changes (access-beta-tools, is-disabled,
    /// the timeouts, global sharing…), as the library models it. Its name, external-id and
    /// notification-email are the organization's own, filled in when shown.
    #[serde(default = "admin_defaults")]
    pub admin: AdminOrganizationAttributes,
    /// Organizations (by name) this one shares its modules with specifically.
    #[serde(default)]
    pub consumers: Vec<String>,
    /// Organizations (by name) this one shares its private providers with specifically.
    #[serde(default)]
    pub provider_consumers: Vec<String>,
    /// User ids of the owners team.
    #[serde(default)]
    pub owners: Vec<String>,
    /// User ids of other members.
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub default_agent_pool_id: Option<String>,
    #[serde(default)]
    pub data_retention_policy: Option<StoredPolicy>,
    #[serde(default)]
    pub entitlements: Option<Entitlements>,
    /// What its workspaces use, as its Explorer shows it (one entry per module or provider
    /// version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<UsedVersion>,
    /// A site admin's token may not read this organization's Explorer (404), the case the
    /// documents leave open.
    #[serde(default)]
    pub explorer_closed: bool,
}

/// One module or provider version an organization's workspaces use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsedVersion {
    /// `modules` or `providers`.
    pub view: String,
    pub name: String,
    /// `HOST/ORGANIZATION/NAME/PROVIDER` for a module, `HOST/NAMESPACE/NAME` for a provider.
    pub source: String,
    pub version: String,
    /// `public` or `private`.
    pub registry_type: String,
    pub workspaces: Vec<String>,
}

impl Org {
    pub fn name(&self) -> &str {
        self.attributes.name.as_deref().unwrap_or_default()
    }
    pub fn external_id(&self) -> &str {
        self.attributes.external_id.as_deref().unwrap_or_default()
    }
    pub fn email(&self) -> &str {
        self.attributes.email.as_deref().unwrap_or_default()
    }
    pub fn is_disabled(&self) -> bool {
        self.admin.is_disabled == Some(true)
    }
    /// Shares private modules with every organization.
    pub fn shares_modules_globally(&self) -> bool {
        self.admin.global_module_sharing == Some(true)
    }
    /// Shares private providers with every organization.
    pub fn shares_providers_globally(&self) -> bool {
        self.admin.global_provider_sharing == Some(true)
    }
    /// Shares modules globally or with at least one organization.
    pub fn is_module_producer(&self) -> bool {
        self.shares_modules_globally() || !self.consumers.is_empty()
    }
    /// Shares providers globally or with at least one organization.
    pub fn is_provider_producer(&self) -> bool {
        self.shares_providers_globally() || !self.provider_consumers.is_empty()
    }
    pub fn shares_providers_with(&self, consumer: &str) -> bool {
        !same_organization_name(self.name(), consumer)
            && (self.shares_providers_globally()
                || self.provider_consumers.iter().any(|c| same_organization_name(c, consumer)))
    }
    pub fn shares_with(&self, consumer: &str) -> bool {
        !same_organization_name(self.name(), consumer)
            && (self.shares_modules_globally() || self.consumers.iter().any(|c| same_organization_name(c, consumer)))
    }
}

/// A model with every flag off and every other attribute unset: a new organization's admin
/// settings, whatever attributes the model declares.
pub fn flags_off<T: Attributes + serde::de::DeserializeOwned + Default>() -> T {
    let flags: serde_json::Map<String, serde_json::Value> =
        T::FIELDS.iter().filter(|f| f.shape == Shape::Flag).map(|f| (f.key.to_string(), false.into())).collect();
    serde_json::from_value(flags.into()).unwrap_or_default()
}

fn admin_defaults() -> AdminOrganizationAttributes {
    flags_off()
}

/// A data retention policy set on an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPolicy {
    pub id: String,
    pub delete_older_than_n_days: Option<u32>,
}

impl StoredPolicy {
    pub fn policy(&self) -> DataRetentionPolicy {
        match self.delete_older_than_n_days {
            Some(days) => DataRetentionPolicy::DeleteOlderThan { days },
            None => DataRetentionPolicy::DontDelete,
        }
    }
}

/// A user with an API token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub token: String,
    #[serde(default)]
    pub site_admin: bool,
}

/// Everything the sandbox knows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct State {
    pub users: Vec<User>,
    pub orgs: Vec<Org>,
    /// Counter for ids the sandbox assigns; deterministic so tests can predict them.
    #[serde(default)]
    pub sequence: u64,
}

impl State {
    pub fn org_index(&self, name: &str) -> Option<usize> {
        self.orgs.iter().position(|o| same_organization_name(o.name(), name))
    }
    pub fn org(&self, name: &str) -> Option<&Org> {
        self.org_index(name).map(|i| &self.orgs[i])
    }
    pub fn user_by_token(&self, token: &str) -> Option<&User> {
        self.users.iter().find(|u| !token.is_empty() && u.token == token)
    }
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// A fresh id: `prefix` and 16 letters/digits, derived from a counter (stable across runs).
    pub fn next_id(&mut self, prefix: &str) -> String {
        self.sequence += 1;
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        // The sandbox's one PRNG (also behind the faults), seeded by the counter: consecutive ids
        // do not look alike.
        let mut rng = fastrand::Rng::with_seed(self.sequence);
        let mut id = String::from(prefix);
        id.extend((0..16).map(|_| ALPHABET[rng.usize(..ALPHABET.len())] as char));
        id
    }

    /// Adds `count` synthetic organizations (`generated-00001`, …), some disabled, some sharing.
    pub fn generate(&mut self, count: usize) {
        let start = self.orgs.len();
        for i in 1..=count {
            let name = format!("generated-{i:05}");
            let mut org =
                new_org(self, &name, &format!("team-{i:05}@generated.example.com"), "2024-01-01T00:00:00.000Z");
            org.admin.is_disabled = Some(i % 17 == 0);
            org.admin.global_module_sharing = Some(i % 97 == 0);
            // Global sharing and a consumer list are exclusive, as in TFE.
            if i % 11 == 0 && i > 1 && !org.shares_modules_globally() {
                org.consumers.push(format!("generated-{:05}", i - 1));
            }
            self.orgs.push(org);
        }
        debug_assert_eq!(self.orgs.len(), start + count);
        if count > 0 {
            crate::usage::simulate(self);
        }
    }
}

/// A new organization: the attributes of `new-organization.json` (what TFE shows right after a
/// create: a new attribute's default is one line there), with its name, email and ids.
pub fn new_org(state: &mut State, name: &str, email: &str, created_at: &str) -> Org {
    #[derive(Deserialize)]
    struct Template {
        attributes: OrganizationAttributes,
    }
    let template: Template =
        serde_json::from_str(include_str!("../new-organization.json")).expect("new-organization.json is valid");
    let attributes = OrganizationAttributes {
        name: Some(name.to_string()),
        external_id: Some(state.next_id("org-")),
        created_at: Some(created_at.to_string()),
        email: Some(email.to_string()),
        ..template.attributes
    };
    Org {
        attributes,
        admin: admin_defaults(),
        consumers: Vec::new(),
        provider_consumers: Vec::new(),
        owners: Vec::new(),
        members: Vec::new(),
        default_agent_pool_id: None,
        data_retention_policy: None,
        entitlements: None,
        usage: Vec::new(),
        explorer_closed: false,
    }
}

/// The seed: ~30 realistic organizations including every one named in the spec samples.
pub fn seed() -> State {
    serde_json::from_str::<Seed>(include_str!("../seed.json")).expect("seed.json is valid").into_state()
}

/// The compact seed file format.
#[derive(Deserialize)]
struct Seed {
    users: Vec<User>,
    orgs: Vec<SeedOrg>,
}

#[derive(Deserialize)]
struct SeedOrg {
    name: String,
    email: String,
    external_id: Option<String>,
    created_at: String,
    #[serde(default)]
    owners: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    consumers: Vec<String>,
    #[serde(default)]
    global_module_sharing: bool,
    #[serde(default)]
    provider_consumers: Vec<String>,
    #[serde(default)]
    global_provider_sharing: bool,
    #[serde(default)]
    is_disabled: bool,
    #[serde(default)]
    access_beta_tools: bool,
    #[serde(default)]
    plan_timeout: Option<String>,
    #[serde(default)]
    apply_timeout: Option<String>,
    #[serde(default)]
    explorer_closed: bool,
}

impl Seed {
    fn into_state(self) -> State {
        let mut state = State { users: self.users, orgs: Vec::new(), sequence: 0 };
        for s in self.orgs {
            let mut org = new_org(&mut state, &s.name, &s.email, &s.created_at);
            if let Some(id) = s.external_id {
                org.attributes.external_id = Some(id);
            }
            org.owners = s.owners;
            org.members = s.members;
            org.consumers = s.consumers;
            org.admin.global_module_sharing = Some(s.global_module_sharing);
            org.provider_consumers = s.provider_consumers;
            org.admin.global_provider_sharing = Some(s.global_provider_sharing);
            org.admin.is_disabled = Some(s.is_disabled);
            org.admin.access_beta_tools = Some(s.access_beta_tools);
            org.admin.plan_timeout = s.plan_timeout;
            org.admin.apply_timeout = s.apply_timeout;
            org.explorer_closed = s.explorer_closed;
            state.orgs.push(org);
        }
        crate::usage::simulate(&mut state);
        state
    }
}
