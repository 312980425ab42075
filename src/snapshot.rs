//! Configuration as data: the snapshot document (`tfe-orgs/snapshot@1`) of an instance's
//! organizations — their admin settings, the organization settings an admin manages, and whom
//! they share private modules and providers with — and its pure operations: read and check a
//! document, compare two, and plan the writes that make an instance hold one.
//!
//! The attributes a snapshot holds come from the models (`AdminOrganizationUpdate`,
//! `OrganizationBody`), less the few that are not settings to carry between instances, so an
//! attribute added to a model is in snapshots with no edit here. A partial document (some
//! organizations, some fields) manages only what it names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{sort_by_dyn, SharingIntent};
use crate::model::{AdminOrganizationUpdate, Attributes, OrganizationBody};
use crate::validate::{self, Rule, ValidationError};

/// The document's `format`.
pub const FORMAT: &str = "tfe-orgs/snapshot@1";

/// Admin attributes a snapshot does not carry: worker sudo is an operator's choice per host.
const ADMIN_LEFT_OUT: &[&str] = &["terraform-worker-sudo-enabled"];
/// Organization attributes it does not carry: the name is the key; an agent pool id means
/// nothing on another instance; TFE holds send-passing-statuses at false.
const SETTINGS_LEFT_OUT: &[&str] =
    &["name", "default-agent-pool-id", "send-passing-statuses-for-untriggered-speculative-plans"];

/// The admin attributes a snapshot holds (JSON names).
pub fn admin_fields() -> impl Iterator<Item = &'static str> {
    AdminOrganizationUpdate::FIELDS.iter().map(|f| f.key).filter(|k| !ADMIN_LEFT_OUT.contains(k))
}

/// The organization settings a snapshot holds (JSON names).
pub fn settings_fields() -> impl Iterator<Item = &'static str> {
    OrganizationBody::FIELDS.iter().map(|f| f.key).filter(|k| !SETTINGS_LEFT_OUT.contains(k))
}

/// A snapshot: where and when it was taken, and each organization by name. Written through
/// [`Snapshot::to_value`] (one JSON writer for every output: no serializer code of its own).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), serde(rename_all = "kebab-case"))]
pub struct Snapshot {
    pub format: String,
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub instance: Option<SnapshotInstance>,
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub organizations: BTreeMap<String, OrganizationSnapshot>,
}

/// Where and when a snapshot was taken.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case", deny_unknown_fields, expecting = "an instance (url, release, taken-at)")]
pub struct SnapshotInstance {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub release: Option<String>,
    pub taken_at: String,
}

/// One organization: the fields a document names (absent: not managed), as the update bodies
/// the writes send (so a plan and its undo are typed, with no keys of their own).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), serde(rename_all = "kebab-case"))]
pub struct OrganizationSnapshot {
    /// Admin attributes (`is-disabled`, `apply-timeout`, `global-module-sharing`…); in the
    /// document, by JSON name.
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional, type = "Record<string, unknown>"))]
    pub admin: AdminOrganizationUpdate,
    /// Organization settings (`email`, `session-timeout`, …).
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional, type = "Record<string, unknown>"))]
    pub settings: OrganizationBody,
    /// Whom it shares private modules with specifically (sorted names; `[]`: nobody).
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub module_consumers: Option<Vec<String>>,
    /// The same for private providers.
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub provider_consumers: Option<Vec<String>>,
}

/// The document as read, before its checks: attributes as JSON maps, so every problem can be
/// named with its pointer (an unknown attribute, a value of the wrong type) before the typed
/// [`Snapshot`] is made.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, expecting = "a snapshot document (an object)")]
struct RawSnapshot {
    format: String,
    #[serde(default)]
    instance: Option<SnapshotInstance>,
    #[serde(default)]
    organizations: BTreeMap<String, RawOrganization>,
}

#[derive(Deserialize)]
#[serde(
    rename_all = "kebab-case",
    deny_unknown_fields,
    expecting = "an organization (admin, settings, module-consumers, provider-consumers)"
)]
struct RawOrganization {
    #[serde(default)]
    admin: Map<String, Value>,
    #[serde(default)]
    settings: Map<String, Value>,
    #[serde(default)]
    module_consumers: Option<Vec<String>>,
    #[serde(default)]
    provider_consumers: Option<Vec<String>>,
}

/// A model from a map of attributes as read (its type errors in the user's words). Through text:
/// the model's one `from_str` decoder, which every program using the models has anyway (a
/// `from_value` one is kilobytes more of wasm in the page's first download).
fn typed<T: serde::de::DeserializeOwned>(map: &Map<String, Value>) -> Result<T, String> {
    serde_json::from_str(&Value::Object(map.clone()).to_string()).map_err(|e| plain_error(&e))
}

/// A body's attributes as JSON, by name: what the document writes and a comparison shows.
fn attributes_of(body: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(body) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

impl OrganizationSnapshot {
    /// An organization as the instance holds it: its admin attributes, its organization
    /// settings (where read) and its consumers (where read: `None` leaves them unmanaged; a
    /// global producer's list is `[]`, the flag saying the rest). Attributes the answers did not
    /// carry (an older release's) are left out rather than written as `null`.
    pub fn of(
        admin: &crate::model::AdminOrganizationAttributes,
        settings: Option<&crate::model::OrganizationAttributes>,
        modules: Option<&crate::client::SharingState>,
        providers: Option<&crate::client::SharingState>,
    ) -> OrganizationSnapshot {
        let pick = |value: Value, keys: &mut dyn Iterator<Item = &'static str>, nullable: &dyn Fn(&str) -> bool| {
            let Value::Object(all) = value else { return Map::new() };
            let mut out = Map::new();
            for key in keys {
                match all.get(key) {
                    Some(Value::Null) | None if !nullable(key) => {}
                    Some(v) => {
                        out.insert(key.to_string(), v.clone());
                    }
                    None => {}
                }
            }
            out
        };
        // A nullable admin attribute (a timeout, the workspace limit) is `null` when unset: a
        // value of its own. It is kept where the answer's era has the attribute at all.
        let era = Some(crate::model::Era::of_admin_answer(admin));
        let admin_nullable =
            |key: &str| AdminOrganizationUpdate::field(key).is_some_and(|f| f.nullable && f.in_era(era));
        let names = |state: &crate::client::SharingState| {
            let mut list: Vec<String> = state.consumers().iter().cloned().collect();
            sort_by_dyn(&mut list, &|a, b| a.cmp(b));
            list
        };
        let admin = pick(serde_json::to_value(admin).unwrap_or_default(), &mut admin_fields(), &admin_nullable);
        let settings = settings
            .map(|s| pick(serde_json::to_value(s).unwrap_or_default(), &mut settings_fields(), &|_| false))
            .unwrap_or_default();
        // The answer's values are of the model's types: they make the bodies.
        OrganizationSnapshot {
            admin: typed(&admin).unwrap_or_default(),
            settings: typed(&settings).unwrap_or_default(),
            module_consumers: modules.map(names),
            provider_consumers: providers.map(names),
        }
    }
}

impl Snapshot {
    /// An empty snapshot of the current format.
    pub fn new(instance: Option<SnapshotInstance>) -> Self {
        Snapshot { format: FORMAT.into(), instance, organizations: BTreeMap::new() }
    }

    /// Read a document and check it: its format, every field a known attribute with a value of
    /// its type and rules, consumer names valid and given once. Every problem, each with the
    /// JSON pointer of what is wrong (`/organizations/acme/admin/plan-timeout`).
    pub fn parse(text: &str) -> Result<Snapshot, Vec<ValidationError>> {
        Self::read_checked(text, true)
    }

    /// Read a document and check its structure only: the format, the parts of each
    /// organization, every attribute one a snapshot holds, consumer names. What a comparison
    /// needs ([`diff`] compares values; [`Snapshot::parse`] also checks each value's rules).
    pub fn read(text: &str) -> Result<Snapshot, Vec<ValidationError>> {
        Self::read_checked(text, false)
    }

    fn read_checked(text: &str, rules: bool) -> Result<Snapshot, Vec<ValidationError>> {
        let doc: RawSnapshot = serde_json::from_str(text).map_err(|e| {
            vec![ValidationError::new("/", Rule::Type, format!("not a tfe-orgs snapshot: {}", plain_error(&e)))]
        })?;
        let errors = doc.problems_of(rules);
        if !errors.is_empty() {
            return Err(errors);
        }
        let organizations = doc
            .organizations
            .into_iter()
            .map(|(name, org)| {
                let typed_org = OrganizationSnapshot {
                    // Checked above: every value is of its attribute's type.
                    admin: typed(&org.admin).unwrap_or_default(),
                    settings: typed(&org.settings).unwrap_or_default(),
                    module_consumers: org.module_consumers,
                    provider_consumers: org.provider_consumers,
                };
                (name, typed_org)
            })
            .collect();
        Ok(Snapshot { format: doc.format, instance: doc.instance, organizations })
    }

    /// What [`Snapshot::parse`] checks, on a document already read.
    pub fn problems(&self) -> Vec<ValidationError> {
        match Snapshot::parse(&self.to_value().to_string()) {
            Ok(_) => Vec::new(),
            Err(problems) => problems,
        }
    }
}

impl RawSnapshot {
    fn problems_of(&self, rules: bool) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        if self.format != FORMAT {
            let message = format!("format {:?} is not {FORMAT:?}", self.format);
            errors.push(ValidationError::new("/format", Rule::Enum, message));
        }
        let (admin_keys, settings_keys): (Vec<_>, Vec<_>) = (admin_fields().collect(), settings_fields().collect());
        for (name, org) in &self.organizations {
            let at = format!("/organizations/{name}");
            if let Err(e) = validate::organization_name(&at, name) {
                errors.push(e);
            }
            errors.extend(fields_problems(&at, "admin", &org.admin, &admin_keys, rules, |map| {
                let body: AdminOrganizationUpdate = typed(map)?;
                Ok(validate::admin_organization_update(&body))
            }));
            errors.extend(fields_problems(&at, "settings", &org.settings, &settings_keys, rules, |map| {
                let body: OrganizationBody = typed(map)?;
                Ok(validate::organization_update(&body))
            }));
            for (key, list) in
                [("module-consumers", &org.module_consumers), ("provider-consumers", &org.provider_consumers)]
            {
                for (i, consumer) in list.iter().flatten().enumerate() {
                    let pointer = format!("{at}/{key}/{i}");
                    if let Err(e) = validate::organization_name(&pointer, consumer) {
                        errors.push(e);
                    } else if list.iter().flatten().take(i).any(|c| validate::same_organization_name(c, consumer)) {
                        errors.push(ValidationError::new(
                            pointer,
                            Rule::Duplicate,
                            format!("{consumer} is listed twice"),
                        ));
                    }
                }
            }
        }
        errors
    }
}

impl Snapshot {
    /// The document as written to a file: two-space indented, keys in a stable order.
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).expect("a snapshot is plain JSON")
    }

    /// The document as JSON: `format`, `instance` (when known), `organizations` by name, each
    /// with the parts it names.
    pub fn to_value(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("format".into(), Value::String(self.format.clone()));
        if let Some(i) = &self.instance {
            let mut at = Map::new();
            at.insert("url".into(), Value::String(i.url.clone()));
            if let Some(release) = &i.release {
                at.insert("release".into(), Value::String(release.clone()));
            }
            at.insert("taken-at".into(), Value::String(i.taken_at.clone()));
            doc.insert("instance".into(), Value::Object(at));
        }
        let mut orgs = Map::new();
        for (name, org) in &self.organizations {
            let mut one = Map::new();
            for (key, part) in [("admin", attributes_of(&org.admin)), ("settings", attributes_of(&org.settings))] {
                if !part.is_empty() {
                    one.insert(key.into(), Value::Object(part));
                }
            }
            for (key, list) in
                [("module-consumers", &org.module_consumers), ("provider-consumers", &org.provider_consumers)]
            {
                if let Some(list) = list {
                    one.insert(key.into(), Value::Array(list.iter().cloned().map(Value::String).collect()));
                }
            }
            orgs.insert(name.clone(), Value::Object(one));
        }
        doc.insert("organizations".into(), Value::Object(orgs));
        Value::Object(doc)
    }
}

impl Serialize for Snapshot {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

/// The problems of one map of attributes: unknown keys, then the model's types and rules.
fn fields_problems(
    at: &str,
    part: &str,
    map: &Map<String, Value>,
    known: &[&str],
    check_rules: bool,
    rules: impl Fn(&Map<String, Value>) -> Result<Vec<ValidationError>, String>,
) -> Vec<ValidationError> {
    let mut errors: Vec<ValidationError> = map
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            let message = format!("{k} is not a {part} attribute a snapshot holds (one of {})", known.join(", "));
            ValidationError::new(format!("{at}/{part}/{k}"), Rule::Enum, message)
        })
        .collect();
    if errors.is_empty() && check_rules {
        match rules(map) {
            // The rules point at `/data/attributes/<key>`: here it is this document's field.
            Ok(found) => errors.extend(found.into_iter().map(|mut e| {
                e.field = e.field.replace("/data/attributes", &format!("{at}/{part}"));
                e
            })),
            Err(message) => errors.push(ValidationError::new(format!("{at}/{part}"), Rule::Type, message)),
        }
    }
    errors
}

/// A reading error in the user's words: without the parser's position (`at line 1 column 5`).
pub fn plain_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    text.find(" at line ").map_or(text.clone(), |i| text[..i].to_string())
}

/// The JSON Schema (draft 2020-12) of the document, derived from the same field lists as
/// [`Snapshot::parse`]: each field's type and documented values. The finer rules (a duration's
/// syntax, an email address, a session timeout's range) are the library's, in `parse`; the npm
/// package ships this as `snapshot.schema.json` for editors and other tools.
pub fn json_schema() -> Value {
    use crate::model::{Field, Shape};
    use serde_json::json;
    let of = |fields: &'static [Field], keys: &mut dyn Iterator<Item = &'static str>| {
        let mut properties = Map::new();
        for key in keys {
            let Some(field) = fields.iter().find(|f| f.key == key) else { continue };
            let mut schema = match field.shape {
                Shape::Text => json!({ "type": "string" }),
                Shape::Count => json!({ "type": "integer", "minimum": 0 }),
                Shape::Flag => json!({ "type": "boolean" }),
                Shape::Choice(options) => {
                    json!({ "enum": options.iter().map(|(value, _)| *value).collect::<Vec<_>>() })
                }
                Shape::Structured => json!({}),
            };
            if field.nullable {
                schema = json!({ "anyOf": [schema, { "type": "null" }] });
            }
            properties.insert(key.to_string(), schema);
        }
        json!({ "type": "object", "additionalProperties": false, "properties": properties })
    };
    let names = json!({
        "type": "array",
        "uniqueItems": true,
        "items": { "$ref": "#/$defs/organization-name" }
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/tfe-orgs/tfe-orgs/snapshot@1.schema.json",
        "title": "tfe-orgs snapshot",
        "description": "An instance's organizations: admin settings, the organization settings an admin manages, and whom each shares private modules and providers with. A partial document manages only the organizations and fields it names.",
        "type": "object",
        "additionalProperties": false,
        "required": ["format"],
        "properties": {
            "format": { "const": FORMAT },
            "instance": {
                "type": "object",
                "additionalProperties": false,
                "required": ["url", "taken-at"],
                "properties": {
                    "url": { "type": "string" },
                    "release": { "type": "string" },
                    "taken-at": { "type": "string" }
                }
            },
            "organizations": {
                "type": "object",
                "propertyNames": { "$ref": "#/$defs/organization-name" },
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "admin": of(AdminOrganizationUpdate::FIELDS, &mut admin_fields()),
                        "settings": of(OrganizationBody::FIELDS, &mut settings_fields()),
                        "module-consumers": names,
                        "provider-consumers": names
                    }
                }
            }
        },
        "$defs": {
            "organization-name": { "type": "string", "pattern": "^[A-Za-z0-9_-]+$" }
        }
    })
}

/// What differs for one organization and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum SnapshotChange {
    /// A value that differs (`from` in the first document, `to` in the second).
    Changed,
    /// A consumer only the second document has.
    Added,
    /// A consumer only the first document has.
    Removed,
    /// An organization the first document names and the second does not have.
    Missing,
    /// An organization only the second document has.
    Extra,
}

/// One difference between two snapshots.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub struct SnapshotDifference {
    pub organization: String,
    /// `admin/plan-timeout`, `settings/email`, `module-consumers`; empty for a whole organization.
    pub field: String,
    pub change: SnapshotChange,
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "unknown"))]
    pub from: Value,
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(type = "unknown"))]
    pub to: Value,
}

/// What differs from `base` to `other`, for every organization and field `base` names (so a
/// partial `base`, a desired state, is compared on what it manages), plus the organizations
/// only `other` has. In organization order, then field order.
pub fn diff(base: &Snapshot, other: &Snapshot) -> Vec<SnapshotDifference> {
    let mut out = Vec::new();
    let one = |organization: &str, field: String, change: SnapshotChange, from: Value, to: Value| SnapshotDifference {
        organization: organization.to_string(),
        field,
        change,
        from,
        to,
    };
    for (name, a) in &base.organizations {
        let Some(b) = other.organizations.get(name) else {
            out.push(one(name, String::new(), SnapshotChange::Missing, Value::Null, Value::Null));
            continue;
        };
        let parts = [
            ("admin", attributes_of(&a.admin), attributes_of(&b.admin)),
            ("settings", attributes_of(&a.settings), attributes_of(&b.settings)),
        ];
        for (part, mine, theirs) in &parts {
            for (key, value) in mine {
                let there = theirs.get(key).cloned().unwrap_or(Value::Null);
                if *value != there {
                    out.push(one(name, format!("{part}/{key}"), SnapshotChange::Changed, value.clone(), there));
                }
            }
        }
        for (key, mine, theirs) in [
            ("module-consumers", &a.module_consumers, &b.module_consumers),
            ("provider-consumers", &a.provider_consumers, &b.provider_consumers),
        ] {
            let Some(mine) = mine else { continue };
            let theirs: &[String] = theirs.as_deref().unwrap_or_default();
            let has = |list: &[String], n: &str| list.iter().any(|c| validate::same_organization_name(c, n));
            for c in mine.iter().filter(|c| !has(theirs, c)) {
                out.push(one(name, key.into(), SnapshotChange::Removed, Value::String(c.clone()), Value::Null));
            }
            for c in theirs.iter().filter(|c| !has(mine, c)) {
                out.push(one(name, key.into(), SnapshotChange::Added, Value::Null, Value::String(c.clone())));
            }
        }
    }
    for name in other.organizations.keys().filter(|n| !base.organizations.contains_key(*n)) {
        out.push(one(name, String::new(), SnapshotChange::Extra, Value::Null, Value::Null));
    }
    out
}

/// The writes that make one organization hold what a document says (as JSON: the document's
/// kebab-case names, so a plan can be reviewed, kept in a file and applied later).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(
    rename_all = "kebab-case",
    deny_unknown_fields,
    expecting = "a write (organization, admin, settings, modules, providers)"
)]
pub struct OrganizationWrite {
    pub organization: String,
    /// The admin attributes that differ, global sharing left to the intents below.
    #[serde(default, skip_serializing_if = "is_default")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional, type = "Record<string, unknown>"))]
    pub admin: AdminOrganizationUpdate,
    /// The organization settings that differ.
    #[serde(default, skip_serializing_if = "is_default")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional, type = "Record<string, unknown>"))]
    pub settings: OrganizationBody,
    /// Module sharing, applied in the order that never over-shares (consumers, then the flag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub modules: Option<SharingIntent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(all(target_arch = "wasm32", feature = "js"), tsify(optional))]
    pub providers: Option<SharingIntent>,
}

impl OrganizationWrite {
    /// Nothing to write: the organization already holds it.
    pub fn is_empty(&self) -> bool {
        self.admin == AdminOrganizationUpdate::default()
            && self.settings == OrganizationBody::default()
            && self.modules.is_none()
            && self.providers.is_none()
    }
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// What applying a document to an instance would do.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case", deny_unknown_fields, expecting = "a plan (writes, missing)")]
pub struct SnapshotPlan {
    /// One entry per organization that needs a write, in name order.
    pub writes: Vec<OrganizationWrite>,
    /// Organizations the document names and the instance lacks: reported, never created.
    pub missing: Vec<String>,
}

impl SnapshotPlan {
    /// What a plan read from a file breaks (a name, an attribute's type or rule, a consumer
    /// name), each with its JSON pointer (`/writes/3/admin/plan-timeout`): checked before an
    /// apply sends anything.
    pub fn problems(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        for (i, write) in self.writes.iter().enumerate() {
            let at = format!("/writes/{i}");
            let moved = |mut e: ValidationError, part: &str| {
                e.field = e.field.replace("/data/attributes", &format!("{at}/{part}"));
                e
            };
            errors.extend(validate::organization_name(&format!("{at}/organization"), &write.organization).err());
            errors.extend(validate::admin_organization_update(&write.admin).into_iter().map(|e| moved(e, "admin")));
            errors.extend(validate::organization_update(&write.settings).into_iter().map(|e| moved(e, "settings")));
            for (key, intent) in [("modules", &write.modules), ("providers", &write.providers)] {
                for (j, name) in intent.iter().flat_map(|i| i.consumers.iter().flatten()).enumerate() {
                    errors.extend(validate::organization_name(&format!("{at}/{key}/consumers/{j}"), name).err());
                }
            }
        }
        errors
    }

    /// How many organizations get a write.
    pub fn len(&self) -> usize {
        self.writes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

/// The writes that make `live` hold `desired`: per organization, only what differs; nothing for
/// what already holds (so applying a document twice plans nothing the second time);
/// organizations `desired` does not name are left alone, and nothing is deleted.
pub fn plan(desired: &Snapshot, live: &Snapshot) -> SnapshotPlan {
    let mut out = SnapshotPlan::default();
    for (name, want) in &desired.organizations {
        let Some(have) = live.organizations.get(name) else {
            out.missing.push(name.clone());
            continue;
        };
        // What the live organization's release lacks is not written (it would refuse it): an
        // attribute a later era introduced that the instance's answer did not carry.
        let era_gated =
            |key: &str| crate::model::attribute(key).is_some_and(|f| f.about.since > crate::model::Era::R202012);
        let mut admin = want.admin.without_absent(&have.admin, &era_gated).changed_from(&have.admin);
        // Global sharing goes with its registry's consumers, in the order that never over-shares.
        let modules = intent(
            admin.global_module_sharing.take(),
            want.admin.global_module_sharing,
            &want.module_consumers,
            &have.module_consumers,
        );
        let providers = intent(
            admin.global_provider_sharing.take(),
            want.admin.global_provider_sharing,
            &want.provider_consumers,
            &have.provider_consumers,
        );
        let settings = want.settings.without_absent(&have.settings, &era_gated).changed_from(&have.settings);
        let write = OrganizationWrite { organization: name.clone(), admin, settings, modules, providers };
        if !write.is_empty() {
            out.writes.push(write);
        }
    }
    out
}

/// What a plan touches, as `live` holds it now: per organization of the plan, the live value of
/// every field it writes (and the consumer lists of the registries whose sharing it changes).
/// Applying this snapshot puts those organizations back: the **undo** of the plan. Nothing else
/// is in it, so the undo leaves alone what the plan did not touch.
pub fn undo_of(plan: &SnapshotPlan, live: &Snapshot) -> Snapshot {
    let mut out = Snapshot::new(live.instance.clone());
    for write in &plan.writes {
        let Some(have) = live.organizations.get(&write.organization) else { continue };
        // What the write replaces, and the global flags its sharing intents change.
        let mut keys = write.admin.clone();
        let flips = |intent: &Option<SharingIntent>| intent.as_ref().and_then(|i| i.global);
        keys.global_module_sharing = keys.global_module_sharing.or(flips(&write.modules));
        keys.global_provider_sharing = keys.global_provider_sharing.or(flips(&write.providers));
        let org = OrganizationSnapshot {
            admin: have.admin.values_for(&keys),
            settings: have.settings.values_for(&write.settings),
            module_consumers: write.modules.as_ref().and(have.module_consumers.clone()),
            provider_consumers: write.providers.as_ref().and(have.provider_consumers.clone()),
        };
        out.organizations.insert(write.organization.clone(), org);
    }
    out
}

/// The undo of a bulk change, as the document to write to a file: each organization's admin
/// attributes as they were before it (the `from` of each change its plan listed), so applying it
/// puts back what the bulk change touched, with its own review. Organizations with no change
/// are left out. (Built as JSON directly: the page writes it and reads nothing back.)
pub fn undo_of_bulk(items: &[crate::client::bulk::BulkItem]) -> Value {
    let mut orgs = Map::new();
    for item in items.iter().filter(|i| !i.changes.is_empty()) {
        let mut admin = Map::new();
        for change in &item.changes {
            admin.insert(change.field.clone(), change.from.clone());
        }
        let mut org = Map::new();
        org.insert("admin".into(), Value::Object(admin));
        orgs.insert(item.name.clone(), Value::Object(org));
    }
    let mut doc = Map::new();
    doc.insert("format".into(), Value::String(FORMAT.into()));
    doc.insert("organizations".into(), Value::Object(orgs));
    Value::Object(doc)
}

/// The sharing intent for one registry: the global flag where it changes, the consumer list
/// where the document names one that differs (as a set) and does not share globally.
fn intent(
    flag_change: Option<bool>,
    flag_wanted: Option<bool>,
    want: &Option<Vec<String>>,
    have: &Option<Vec<String>>,
) -> Option<SharingIntent> {
    let global_wanted = flag_wanted == Some(true);
    let same = |a: &[String], b: &[String]| {
        a.len() == b.len() && a.iter().all(|c| b.iter().any(|d| validate::same_organization_name(c, d)))
    };
    let consumers = match want {
        Some(list) if !global_wanted && !same(list, have.as_deref().unwrap_or_default()) => {
            let mut list = list.clone();
            sort_by_dyn(&mut list, &|a, b| a.cmp(b));
            Some(list)
        }
        _ => None,
    };
    let global = flag_change;
    if global.is_none() && consumers.is_none() {
        return None;
    }
    Some(SharingIntent { global, consumers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The schema the npm package ships is the one the models give (`UPDATE_SCHEMA=1` rewrites it).
    #[test]
    fn the_packaged_schema_is_the_models_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/npm/snapshot.schema.json");
        let now = serde_json::to_string_pretty(&json_schema()).unwrap() + "\n";
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &now).unwrap();
        }
        let kept = std::fs::read_to_string(path).unwrap_or_default();
        assert!(kept == now, "npm/snapshot.schema.json is stale: run UPDATE_SCHEMA=1 cargo test --lib snapshot");
        let admin = &json_schema()["properties"]["organizations"]["additionalProperties"]["properties"]["admin"];
        assert_eq!(admin["properties"]["workspace-limit"]["anyOf"][1]["type"], "null");
        assert!(admin["properties"].get("terraform-worker-sudo-enabled").is_none());
    }

    #[test]
    fn the_undo_of_a_plan_puts_back_what_it_touches_only() {
        let live = doc(json!({
            "acme": {
                "admin": { "is-disabled": false, "plan-timeout": "2h", "global-module-sharing": true },
                "settings": { "email": "old@acme.io", "session-timeout": 60 },
                "module-consumers": [], "provider-consumers": ["x"]
            },
            "other": { "admin": { "is-disabled": false } }
        }));
        let desired = doc(json!({
            "acme": { "admin": { "plan-timeout": null, "global-module-sharing": false }, "settings": { "email": "new@acme.io" }, "module-consumers": ["b"] },
            "other": { "admin": { "is-disabled": false } }
        }));
        let p = plan(&desired, &live);
        let undo = undo_of(&p, &live);
        assert_eq!(
            undo.to_value()["organizations"].clone(),
            json!({ "acme": {
                "admin": { "plan-timeout": "2h", "global-module-sharing": true },
                "settings": { "email": "old@acme.io" },
                "module-consumers": []
            } }),
            "what the plan writes, as it is now; nothing of other or of the providers"
        );
        // Applied after the plan, the undo plans the way back.
        let mut after = live.clone();
        let acme = after.organizations.get_mut("acme").unwrap();
        acme.admin.plan_timeout = Some(None);
        acme.admin.global_module_sharing = Some(false);
        acme.settings.email = Some("new@acme.io".into());
        acme.module_consumers = Some(vec!["b".into()]);
        let back = plan(&undo, &after);
        assert_eq!(back.writes.len(), 1);
        assert_eq!(back.writes[0].modules.as_ref().unwrap().global, Some(true));
        assert!(plan(&undo, &live).is_empty(), "nothing to undo on the state it was taken from");
    }

    #[test]
    fn the_undo_of_a_bulk_change_is_what_its_plan_read() {
        use crate::client::bulk::{BulkItem, Change, Outcome};
        let item =
            |name: &str, changes: Vec<Change>| BulkItem { name: name.into(), changes, outcome: Outcome::Updated };
        let change = |field: &str, from: Value, to: Value| Change { field: field.into(), from, to };
        let items = [
            item(
                "acme",
                vec![
                    change("plan-timeout", Value::Null, json!("2h")),
                    change("is-disabled", json!(false), json!(true)),
                ],
            ),
            item("steady", vec![]),
        ];
        let undo = undo_of_bulk(&items);
        assert_eq!(
            undo["organizations"],
            json!({ "acme": { "admin": { "plan-timeout": null, "is-disabled": false } } })
        );
        assert!(Snapshot::parse(&undo.to_string()).is_ok(), "a document apply reads");
    }

    /// A file with a workspace limit applied to a release without one: not written (it would
    /// be refused); the rest is.
    #[test]
    fn a_plan_leaves_out_what_the_instances_release_lacks() {
        let desired = doc(json!({ "acme": { "admin": { "workspace-limit": 5, "is-disabled": true } } }));
        let old = doc(json!({ "acme": { "admin": { "plan-timeout": "2h", "is-disabled": false } } }));
        let p = plan(&desired, &old);
        assert_eq!((p.writes[0].admin.workspace_limit, p.writes[0].admin.is_disabled), (None, Some(true)));
        let current = doc(json!({ "acme": { "admin": { "workspace-limit": null, "is-disabled": false } } }));
        assert_eq!(plan(&desired, &current).writes[0].admin.workspace_limit, Some(Some(5)));
    }

    #[test]
    fn a_plan_reads_back_what_it_writes() {
        let desired = doc(
            json!({ "acme": { "admin": { "plan-timeout": null, "is-disabled": true }, "module-consumers": ["b"] } }),
        );
        let live =
            doc(json!({ "acme": { "admin": { "plan-timeout": "2h", "is-disabled": false }, "module-consumers": [] } }));
        let p = plan(&desired, &live);
        let text = serde_json::to_string(&p).unwrap();
        assert!(text.contains("\"plan-timeout\":null"), "{text}");
        assert_eq!(serde_json::from_str::<SnapshotPlan>(&text).unwrap(), p);
    }

    fn doc(orgs: Value) -> Snapshot {
        Snapshot::read(&json!({ "format": FORMAT, "organizations": orgs }).to_string()).unwrap()
    }

    #[test]
    fn a_document_names_every_problem_with_its_pointer() {
        let text = json!({
            "format": "tfe-orgs/snapshot@9",
            "organizations": {
                "acme": {
                    "admin": { "plan-timeout": "soon", "colour": "red" },
                    "settings": { "email": "not-an-email" },
                    "module-consumers": ["ok-org", "Not A Name!", "ok-org"]
                },
                "beta": { "admin": { "workspace-limit": -1 } }
            }
        })
        .to_string();
        let errors = Snapshot::parse(&text).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "/format",
                "/organizations/acme/admin/colour",
                "/organizations/acme/settings/email",
                "/organizations/acme/module-consumers/1",
                "/organizations/acme/module-consumers/2",
                "/organizations/beta/admin",
            ],
            "{errors:#?}"
        );
        assert!(errors[1].message.contains("plan-timeout"), "names what a snapshot holds: {}", errors[1].message);
        assert!(Snapshot::parse("{").unwrap_err()[0].message.starts_with("not a tfe-orgs snapshot"));
        // The fields come from the models, less what is not carried between instances.
        assert!(
            admin_fields().any(|k| k == "workspace-limit")
                && !admin_fields().any(|k| k == "terraform-worker-sudo-enabled")
        );
        assert!(settings_fields().any(|k| k == "email") && !settings_fields().any(|k| k == "name"));
        let good = doc(json!({ "acme": { "admin": { "plan-timeout": "2h", "workspace-limit": null } } }));
        assert_eq!(Snapshot::parse(&good.to_pretty_json()), Ok(good));
    }

    #[test]
    fn an_organization_as_the_instance_holds_it() {
        use crate::model::{AdminOrganizationAttributes, OrganizationAttributes};
        let admin: AdminOrganizationAttributes = serde_json::from_value(json!({
            "name": "acme", "is-disabled": false, "apply-timeout": "3h", "plan-timeout": null,
            "workspace-limit": 25, "global-module-sharing": false, "terraform-worker-sudo-enabled": true
        }))
        .unwrap();
        let org: OrganizationAttributes =
            serde_json::from_value(json!({ "name": "acme", "email": "ops@acme.io", "session-timeout": null })).unwrap();
        let modules = crate::client::SharingState::new(false, crate::client::Complete(vec!["b".into(), "a".into()]));
        let snap = OrganizationSnapshot::of(&admin, Some(&org), Some(&modules), None);
        assert_eq!(
            Value::Object(attributes_of(&snap.admin)),
            json!({ "is-disabled": false, "apply-timeout": "3h", "plan-timeout": null, "workspace-limit": 25, "global-module-sharing": false })
        );
        assert_eq!(
            Value::Object(attributes_of(&snap.settings)),
            json!({ "email": "ops@acme.io" }),
            "unset settings are left out"
        );
        assert_eq!(snap.module_consumers.as_deref(), Some(&["a".to_string(), "b".to_string()][..]));
        assert_eq!(snap.provider_consumers, None, "not read: not managed");
        // An older release's answer: its timeout names, no workspace limit.
        let old: AdminOrganizationAttributes =
            serde_json::from_value(json!({ "terraform-build-worker-plan-timeout": "2h", "is-disabled": true }))
                .unwrap();
        let snap = OrganizationSnapshot::of(&old, None, None, None);
        assert_eq!(snap.admin.plan_timeout, Some(Some("2h".into())));
        assert_eq!(snap.admin.workspace_limit, None, "202103 has no workspace limit: not managed");
    }

    #[test]
    fn diff_reports_what_the_first_document_names_and_what_only_the_second_has() {
        let desired = doc(json!({
            "acme": { "admin": { "is-disabled": false, "plan-timeout": "2h" }, "module-consumers": ["a", "b"] },
            "gone": {}
        }));
        let live = doc(json!({
            "acme": { "admin": { "is-disabled": true, "plan-timeout": "2h", "apply-timeout": "1h" }, "module-consumers": ["B", "c"] },
            "new-org": {}
        }));
        let d = diff(&desired, &live);
        let brief: Vec<(&str, &str, SnapshotChange)> =
            d.iter().map(|x| (x.organization.as_str(), x.field.as_str(), x.change.clone())).collect();
        assert_eq!(
            brief,
            [
                ("acme", "admin/is-disabled", SnapshotChange::Changed),
                ("acme", "module-consumers", SnapshotChange::Removed),
                ("acme", "module-consumers", SnapshotChange::Added),
                ("gone", "", SnapshotChange::Missing),
                ("new-org", "", SnapshotChange::Extra),
            ]
        );
        assert_eq!((d[0].from.clone(), d[0].to.clone()), (json!(false), json!(true)));
        assert_eq!((d[1].from.clone(), d[2].to.clone()), (json!("a"), json!("c")), "names compare case-insensitively");
        assert!(diff(&live, &live).is_empty());
    }

    #[test]
    fn a_plan_writes_only_what_differs_and_never_creates_or_deletes() {
        let desired = doc(json!({
            "acme": {
                "admin": { "is-disabled": false, "plan-timeout": null, "global-module-sharing": false },
                "settings": { "email": "ops@acme.io" },
                "module-consumers": ["b", "a"]
            },
            "steady": { "admin": { "is-disabled": true } },
            "absent": { "admin": { "is-disabled": true } }
        }));
        let live = doc(json!({
            "acme": {
                "admin": { "is-disabled": true, "plan-timeout": "2h", "global-module-sharing": true },
                "settings": { "email": "old@acme.io", "session-timeout": 60 },
                "module-consumers": []
            },
            "steady": { "admin": { "is-disabled": true } },
            "untouched": { "admin": { "is-disabled": false } }
        }));
        let p = plan(&desired, &live);
        assert_eq!(p.missing, ["absent"]);
        assert_eq!(p.writes.len(), 1, "steady already holds, untouched is not named");
        let w = &p.writes[0];
        assert_eq!((w.admin.is_disabled, w.admin.plan_timeout.clone()), (Some(false), Some(None)));
        assert_eq!(w.admin.global_module_sharing, None, "the flag goes with the sharing intent");
        assert_eq!(w.settings.email.as_deref(), Some("ops@acme.io"));
        assert_eq!(w.settings.session_timeout, None, "a field the document does not name is left alone");
        // From everyone to two: the consumer list is written (which ends global sharing), sorted.
        assert_eq!(
            w.modules,
            Some(SharingIntent { global: Some(false), consumers: Some(vec!["a".into(), "b".into()]) })
        );
        assert_eq!(w.providers, None);
        // Once applied, the same document plans nothing.
        let after = doc(json!({
            "acme": {
                "admin": { "is-disabled": false, "plan-timeout": null, "global-module-sharing": false },
                "settings": { "email": "ops@acme.io", "session-timeout": 60 },
                "module-consumers": ["A", "b"]
            },
            "steady": { "admin": { "is-disabled": true } }
        }));
        assert_eq!(plan(&desired, &after).writes, []);
        // Sharing with everyone wins over a list the document also names.
        let global = doc(json!({ "acme": { "admin": { "global-module-sharing": true }, "module-consumers": ["x"] } }));
        let w = &plan(&global, &live).writes;
        assert!(w.is_empty() || w[0].modules.as_ref().is_none_or(|i| i.consumers.is_none()));
    }
}
