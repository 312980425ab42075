//! The objects JavaScript sees, and their TypeScript types.
//!
//! A resource is `{ id, ...attributes, extra, ...relationships }`: the attributes are the model's
//! attribute struct written by [`Attributes::serialize_view`], and the TypeScript interface
//! extends the one tsify derives from that struct, so an attribute is declared once, in the model.
//! Inputs (`OrganizationBody`, `AdminOrganizationUpdate`) are the model's request structs
//! themselves. What only JavaScript has (options, pages, progress) is declared here.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use super::decode::{check_includes, include_names};
use crate::model::{self, AdminOrganizationRelationships, Attributes, OrganizationRelationships};

/// Declares a resource view: `{ id, ...attributes, more }`, serialized in that order, whose
/// TypeScript interface extends the attribute struct's.
macro_rules! resource_view {
    (
        $(#[$meta:meta])*
        pub struct $name:ident extends $attrs:ty { $( $(#[$fmeta:meta])* pub $field:ident : $fty:ty, )* }
    ) => {
        $(#[$meta])*
        #[derive(Tsify)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            pub id: String,
            #[serde(flatten)]
            pub attributes: $attrs,
            $( $(#[$fmeta])* pub $field: $fty, )*
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("id", &self.id)?;
                self.attributes.serialize_view(&mut map)?;
                $( map.serialize_entry(&model::camel_case(stringify!($field)), &self.$field)?; )*
                map.end()
            }
        }
    };
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SHARED: &str = r#"
/** An open map of boolean flags (`permissions`). */
export type Flags = Record<string, boolean>;
"#;

/// `new TfeClient(config)`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientConfig {
    pub base_url: String,
    pub token: String,
    #[serde(default)]
    #[tsify(optional)]
    pub max_retries: Option<u32>,
    /// A fixed budget; without it the client spends what the instance allows
    /// (`X-RateLimit-Limit`, 30 until an answer says).
    #[serde(default)]
    #[tsify(optional)]
    pub requests_per_second: Option<f64>,
    /// Follow the instance's stated rate limit (default: yes, unless `requestsPerSecond` is set).
    #[serde(default)]
    #[tsify(optional)]
    pub follow_instance_rate_limit: Option<bool>,
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<u32>,
}

/// List options: search, filters, `include` and paging.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ListOptions {
    #[tsify(optional)]
    pub q: Option<String>,
    #[tsify(optional)]
    pub q_name: Option<String>,
    #[tsify(optional)]
    pub q_email: Option<String>,
    #[tsify(optional)]
    pub module_producer: Option<bool>,
    /// `filter[provider_producer]` (admin lists, newer releases).
    #[tsify(optional)]
    pub provider_producer: Option<bool>,
    /// `owners` (admin lists and module consumers; other lists offer none): a name,
    /// comma-separated names, or an array of names. Others are refused before any request.
    #[serde(deserialize_with = "include_names")]
    #[tsify(optional, type = "string | string[]")]
    pub include: Option<Vec<String>>,
    #[tsify(optional)]
    pub page_number: Option<u32>,
    #[tsify(optional)]
    pub page_size: Option<u32>,
}

impl From<ListOptions> for crate::query::ListOptions {
    fn from(o: ListOptions) -> Self {
        crate::query::ListOptions {
            q: o.q,
            q_name: o.q_name,
            q_email: o.q_email,
            module_producer: o.module_producer,
            provider_producer: o.provider_producer,
            include: o.include.unwrap_or_default(),
            page_number: o.page_number,
            page_size: o.page_size,
        }
    }
}

/// `include` for a single read.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct IncludeOptions {
    /// A name, comma-separated names, or an array of names.
    #[serde(deserialize_with = "include_names")]
    #[tsify(optional, type = "string | string[]")]
    pub include: Option<Vec<String>>,
}

impl IncludeOptions {
    pub fn has(&self, what: &str) -> bool {
        self.include.as_deref().unwrap_or_default().iter().any(|i| i == what)
    }

    /// These options, refused before any request when they include what the call does not offer.
    pub fn offered(self, offered: &[&str]) -> Result<Self, JsValue> {
        check_includes(self.include.as_deref().unwrap_or_default(), offered)?;
        Ok(self)
    }
}

/// `meta.pagination` in camelCase (the model's keeps TFE's kebab-case for the sandbox).
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub current_page: Option<u32>,
    pub prev_page: Option<u32>,
    pub next_page: Option<u32>,
    pub total_pages: Option<u32>,
    pub total_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub page_size: Option<u32>,
}

impl From<crate::jsonapi::Pagination> for Pagination {
    fn from(p: crate::jsonapi::Pagination) -> Self {
        Pagination {
            current_page: p.current_page,
            prev_page: p.prev_page,
            next_page: p.next_page,
            total_pages: p.total_pages,
            total_count: p.total_count,
            page_size: p.page_size,
        }
    }
}

/// An entitlement set: its id and every entitlement as sent.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct EntitlementSet {
    pub id: String,
    #[tsify(type = "Record<string, boolean | number | null>")]
    pub entitlements: BTreeMap<String, Value>,
}

impl From<&model::EntitlementSet> for EntitlementSet {
    fn from(e: &model::EntitlementSet) -> Self {
        EntitlementSet { id: e.id.clone(), entitlements: e.attributes.0.clone() }
    }
}

resource_view! {
    /// An organization from the Organizations API.
    pub struct Organization extends model::OrganizationAttributes {
        pub default_agent_pool_id: Option<String>,
        /// Newer releases: the project new workspaces go to.
        pub default_project_id: Option<String>,
        /// When read with `include: "entitlement_set"`.
        pub entitlement_set: Option<EntitlementSet>,
    }
}

impl Organization {
    pub fn new(org: &model::Organization, entitlement_set: Option<&model::EntitlementSet>) -> Self {
        Organization {
            id: org.id.clone(),
            attributes: org.attributes.clone(),
            default_agent_pool_id: org.default_agent_pool_id().map(str::to_string),
            default_project_id: org.default_project_id().map(str::to_string),
            entitlement_set: entitlement_set.map(EntitlementSet::from),
        }
    }
}

resource_view! {
    /// A user, as the API sends it.
    pub struct User extends model::UserAttributes {}
}

/// An owner as `include: "owners"` lists it: the user's id, username and email (the fields of
/// [`User`] an owner list needs; the TypeScript type is picked from `User`).
#[derive(Serialize)]
pub struct Owner {
    pub id: String,
    pub username: Option<String>,
    pub email: Option<String>,
}

resource_view! {
    /// An organization from the Admin Organizations API.
    pub struct AdminOrganization extends model::AdminOrganizationAttributes {
        pub owner_ids: Vec<String>,
        /// The owners' user records, when fetched with `include: "owners"`.
        #[tsify(type = "Pick<User, \"id\" | \"username\" | \"email\">[] | null")]
        pub owners: Option<Vec<Owner>>,
    }
}

impl AdminOrganization {
    pub fn new(org: &model::AdminOrganization, users: Option<&[model::User]>) -> Self {
        let owner_ids: Vec<String> = org.owner_ids().into_iter().map(str::to_string).collect();
        let owners = users.map(|users| {
            users
                .iter()
                .filter(|u| owner_ids.contains(&u.id))
                .map(|u| Owner {
                    id: u.id.clone(),
                    username: u.attributes.username.clone(),
                    email: u.attributes.email.clone(),
                })
                .collect()
        });
        AdminOrganization { id: org.id.clone(), attributes: org.attributes.clone(), owner_ids, owners }
    }
}

resource_view! {
    /// The instance's general settings (site admins).
    pub struct GeneralSettings extends model::GeneralSettingsAttributes {}
}

resource_view! {
    /// An organization that shares its modules (module producers).
    pub struct OrganizationRef extends model::OrganizationRefAttributes {}
}

resource_view! {
    /// A module partnership (the deprecated endpoint's answer).
    pub struct ModulePartnership extends model::ModulePartnershipAttributes {}
}

/// A page of organizations.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationPage {
    pub items: Vec<Organization>,
    pub pagination: Option<Pagination>,
}

/// A page of admin organizations, with the status counts.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AdminPage {
    pub items: Vec<AdminOrganization>,
    pub pagination: Option<Pagination>,
    pub status_counts: Option<crate::jsonapi::StatusCounts>,
}

/// A page of organization references.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationRefPage {
    pub items: Vec<OrganizationRef>,
    pub pagination: Option<Pagination>,
}

/// A data retention policy: `deleteOlderThanNDays` is null for "don't delete". Unknown keys are
/// refused: a misspelt `deleteOlderThanNDays` must not quietly mean "never delete". `id` and
/// `type` are accepted (a policy read back can be passed as it is) and ignored.
#[derive(Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataRetentionPolicy {
    #[serde(default)]
    #[tsify(optional)]
    pub id: Option<String>,
    #[serde(rename = "type", default)]
    #[tsify(optional)]
    pub kind: Option<String>,
    pub delete_older_than_n_days: Option<u32>,
}

impl From<&model::DataRetentionPolicyResource> for DataRetentionPolicy {
    fn from(resource: &model::DataRetentionPolicyResource) -> Self {
        DataRetentionPolicy {
            id: Some(resource.id.clone()),
            kind: Some(resource.kind.clone()),
            delete_older_than_n_days: resource.attributes.delete_older_than_n_days,
        }
    }
}

/// What the validators return: every broken rule, empty when valid.
#[derive(Serialize, Tsify)]
#[serde(transparent)]
pub struct ValidationErrors(pub Vec<crate::validate::ValidationError>);

/// One attribute a bulk run changes on one organization.
#[derive(Serialize, Tsify)]
pub struct BulkChange {
    /// The attribute's JSON name (`is-disabled`).
    pub field: String,
    #[tsify(type = "boolean | string | null")]
    pub from: Value,
    #[tsify(type = "boolean | string | null")]
    pub to: Value,
}

/// One organization of `adminUpdateOrganizations`, tagged by its `outcome`: `planned` (dry
/// run), `unchanged` (already so: nothing sent), `updated`, `failed` (with its `TfeError`;
/// `outcome-unknown` may have been applied) or `not-sent` (stopped first). TypeScript narrows
/// on `outcome`: only a failed item has `error`.
#[derive(Serialize, Tsify)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum BulkItem {
    Planned {
        name: String,
        changes: Vec<BulkChange>,
    },
    Unchanged {
        name: String,
        changes: Vec<BulkChange>,
    },
    Updated {
        name: String,
        changes: Vec<BulkChange>,
    },
    Failed {
        name: String,
        changes: Vec<BulkChange>,
        /// The `TfeError` instance (a class, so set on the object once it is JavaScript).
        #[tsify(type = "TfeError")]
        error: (),
    },
    NotSent {
        name: String,
        changes: Vec<BulkChange>,
    },
}

/// What `adminUpdateOrganizations` returns: one item per name, in the order given, and counts.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub items: Vec<BulkItem>,
    pub planned: usize,
    pub unchanged: usize,
    pub updated: usize,
    pub failed: usize,
    pub not_sent: usize,
}

/// `onProgress` of `adminUpdateOrganizations`: writes answered of those to send.
#[derive(Serialize, Tsify)]
pub struct BulkProgress {
    pub done: usize,
    pub total: usize,
    pub failed: usize,
}

#[wasm_bindgen(typescript_custom_section)]
const TS_BULK: &str = r#"
/** Options of `adminUpdateOrganizations`. */
export interface BulkOptions {
  /** Return the plan (what each organization has and would get) without writing. */
  dryRun?: boolean;
  /** After each write is answered. */
  onProgress?: (progress: BulkProgress) => void;
  /** Aborting it stops the run: the writes in flight finish, the rest are `not-sent`. */
  signal?: AbortSignal;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_GRANT_USAGE: &str = r#"
/**
 * One grant (`grantUsage`): `producer` shares its `registry` with `consumer` (specifically, or as
 * one of every organization when `global`), and whether the consumer's workspaces use it
 * (`usage`: `used` with its `items`, `unused`, or `unknown` with the `reason`); `workspaceCount`
 * sums the items' workspaces.
 */
export type GrantUsage = {
  producer: string;
  consumer: string;
  registry: Registry;
  global: boolean;
  workspaceCount: number;
} & Usage;
/** Options of `grantUsage`. */
export interface GrantUsageOptions {
  /** Which registry's grants: `"modules"` (the default) or `"providers"`. */
  registry?: Registry;
  /** Only these producers' grants (every producer when left out). */
  producers?: string[];
  /** After each consumer organization's Explorer is read. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting it stops the reading: what was not read is `unknown`. */
  signal?: AbortSignal;
}
"#;

/// `adminSetRegistryPartnerships` (newer releases): consumers by organization name. A list left
/// out is unchanged; an empty one shares with nobody.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RegistryConsumers {
    #[tsify(optional)]
    pub module_consumers: Option<Vec<String>>,
    #[tsify(optional)]
    pub provider_consumers: Option<Vec<String>>,
}
