//! The JavaScript surface (`#[wasm_bindgen]`): `TfeClient`, the validators and their TypeScript
//! types (tsify `Ts<T>`). Resources are flattened to `{ id, ...camelCase attributes, extra }`;
//! every failure is a real `Error` with `name = "TfeError"`, and `instanceof TfeError`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

use crate::client::{Error, ErrorKind};
use crate::jsonapi::{ErrorObject, Pagination, StatusCounts};
use crate::model::*;
use crate::query::ListOptions;
use crate::validate::{self, ValidationError};

// ---------- errors ----------

/// The class of every error the package throws: `err instanceof TfeError` holds, and so does
/// `err instanceof Error`. The errors themselves are real `Error` objects (message, stack, own
/// `kind`, `status`, … properties) whose prototype is `TfeError.prototype`, which is chained to
/// `Error.prototype` the first time an error is made; this class only lends that prototype.
#[wasm_bindgen]
pub struct TfeError {
    _marker: (),
}

thread_local! {
    /// `TfeError.prototype`, chained to `Error.prototype`.
    static TFE_ERROR_PROTOTYPE: js_sys::Object = {
        let marker: JsValue = TfeError { _marker: () }.into();
        let prototype = js_sys::Object::get_prototype_of(&marker);
        let error_prototype = js_sys::Object::get_prototype_of(&js_sys::Error::new(""));
        js_sys::Object::set_prototype_of(&prototype, &error_prototype);
        prototype
    };
}

fn tfe_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message);
    js.set_name("TfeError");
    TFE_ERROR_PROTOTYPE.with(|prototype| js_sys::Object::set_prototype_of(&js, prototype));
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    let kind = serde_json::to_value(error.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    set("kind", JsValue::from_str(&kind));
    set("status", error.status.map_or(JsValue::NULL, |s| JsValue::from_f64(f64::from(s))));
    let errors =
        Ts::<ErrorList>::from_rust(&ErrorList(error.errors.clone())).map(|t| t.js_value()).unwrap_or(JsValue::NULL);
    set("errors", errors);
    set("field", error.field.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set("rule", error.rule.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set("retryAfterMs", error.retry_after_ms.map_or(JsValue::NULL, |ms| JsValue::from_f64(ms as f64)));
    js.into()
}

fn bad_argument(what: &str, e: impl std::fmt::Display) -> JsValue {
    let mut error = Error::new(ErrorKind::Validation, format!("{what}: {e}"));
    error.field = Some(what.to_string());
    error.rule = Some("type".into());
    tfe_error(&error)
}

/// JSON:API error objects, as `TfeError.errors`.
#[derive(Serialize, Deserialize, Tsify)]
#[serde(transparent)]
struct ErrorList(#[tsify(type = "JsonApiError[]")] Vec<ErrorObject>);

#[wasm_bindgen(typescript_custom_section)]
const TS_ERRORS: &str = r#"
export interface JsonApiError { status?: string; code?: string; title?: string; detail?: string; source?: { pointer?: string; parameter?: string } }
export type TfeErrorKind = "validation" | "unauthorized" | "not-found" | "unprocessable" | "rate-limited" | "server" | "network" | "timeout" | "decode";
/** What every method throws: a real Error with name "TfeError". */
export interface TfeError extends Error { name: "TfeError"; kind: TfeErrorKind; status: number | null; errors: JsonApiError[]; field: string | null; rule: string | null; retryAfterMs: number | null }
"#;

fn to_js<T: Serialize + Tsify>(value: &T) -> Result<Ts<T>, JsValue> {
    Ts::from_rust(value).map_err(|e| bad_argument("result", e))
}

/// An argument object from JavaScript as `T`. A bad one is a `TfeError` of kind `validation`
/// that names the key (`options.pageSize`) and what it expects, in JavaScript's words: no Rust
/// type names, no JSON positions.
fn from_js<T: for<'de> Deserialize<'de> + Tsify>(value: Ts<T>, what: &str) -> Result<T, JsValue>
where
    T::JsType: Clone,
{
    let value = value.js_value();
    let text = if value.is_undefined() || value.is_null() {
        "{}".to_string()
    } else {
        js_sys::JSON::stringify(&value).ok().and_then(|s| s.as_string()).unwrap_or_default()
    };
    crate::jsonapi::decode::<T>(&text).map_err(|e| argument_error(what, &e))
}

fn argument_error(what: &str, e: &crate::jsonapi::DecodeError) -> JsValue {
    let key = e.path.trim_start_matches('/').replace('/', ".");
    let mut field = if key.is_empty() { what.to_string() } else { format!("{what}.{key}") };
    // serde_json's words, minus the position, in JavaScript's terms.
    let mut message = e.message.split(" at line ").next().unwrap_or(&e.message).to_string();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known =
            expected.trim_start_matches(", expected one of ").trim_start_matches(", expected ").replace('`', "");
        field = format!("{what}.{name}");
        message = format!("{field} is not an option here (known: {known})");
    } else if let Some(expects) = message.strip_prefix(INCLUDE_ERROR) {
        // Reported once the value is read, where the position no longer names the key.
        field = format!("{what}.include");
        message = format!("{field}: {expects}");
    } else {
        for (rust, js) in [
            ("expected u32", "expected a whole number"),
            ("expected u64", "expected a whole number"),
            ("expected u16", "expected a whole number"),
            ("expected usize", "expected a whole number"),
            ("expected f64", "expected a number"),
            ("expected a boolean", "expected true or false"),
            ("expected a sequence", "expected an array"),
            ("a sequence", "an array"),
            ("expected a map", "expected an object"),
            ("invalid type: map", "invalid type: object"),
        ] {
            message = message.replace(rust, js);
        }
        message = format!("{field}: {message}");
    }
    let mut error = Error::new(ErrorKind::Validation, message);
    error.field = Some(field);
    error.rule = Some("type".into());
    tfe_error(&error)
}

/// `include` as JavaScript users write it: `"owners"`, `"owners,entitlement_set"` or
/// `["owners"]`.
fn include_names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let names: Vec<String> = match Value::deserialize(d)? {
        Value::Null => return Ok(None),
        Value::String(text) => text.split(',').map(str::to_string).collect(),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
        _ => return Err(serde::de::Error::custom(format!("{INCLUDE_ERROR}expected a string or an array of strings"))),
    };
    Ok(Some(names.into_iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect()))
}

/// How [`include_names`] starts its error, so [`argument_error`] can name the key.
const INCLUDE_ERROR: &str = "include: ";

/// Refuse an `include` name the call does not offer, before any request.
fn check_includes(names: &[String], offered: &[&str]) -> Result<(), JsValue> {
    match names.iter().find(|n| !offered.contains(&n.as_str())) {
        None => Ok(()),
        Some(name) => {
            let offered = if offered.is_empty() { "none".to_string() } else { offered.join(", ") };
            let mut error = Error::new(
                ErrorKind::Validation,
                format!("options.include: {name:?} cannot be included here (offered: {offered})"),
            );
            error.field = Some("options.include".into());
            error.rule = Some("enum".into());
            Err(tfe_error(&error))
        }
    }
}

// ---------- types ----------

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientConfig {
    pub base_url: String,
    pub token: String,
    #[serde(default)]
    #[tsify(optional)]
    pub max_retries: Option<u32>,
    #[serde(default)]
    #[tsify(optional)]
    pub requests_per_second: Option<f64>,
    #[serde(default)]
    #[tsify(optional)]
    pub timeout_ms: Option<u32>,
}

#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct JsListOptions {
    #[tsify(optional)]
    pub q: Option<String>,
    #[tsify(optional)]
    pub q_name: Option<String>,
    #[tsify(optional)]
    pub q_email: Option<String>,
    #[tsify(optional)]
    pub module_producer: Option<bool>,
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

impl From<JsListOptions> for ListOptions {
    fn from(o: JsListOptions) -> Self {
        let include = o.include.unwrap_or_default();
        ListOptions {
            q: o.q,
            q_name: o.q_name,
            q_email: o.q_email,
            module_producer: o.module_producer,
            include,
            page_number: o.page_number,
            page_size: o.page_size,
        }
    }
}

#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct IncludeOptions {
    /// A name, comma-separated names, or an array of names.
    #[serde(deserialize_with = "include_names")]
    #[tsify(optional, type = "string | string[]")]
    pub include: Option<Vec<String>>,
}

impl IncludeOptions {
    fn has(&self, what: &str) -> bool {
        self.include.as_deref().unwrap_or_default().iter().any(|i| i == what)
    }

    /// These options, refused before any request when they include what the call does not offer.
    fn offered(self, offered: &[&str]) -> Result<Self, JsValue> {
        check_includes(self.include.as_deref().unwrap_or_default(), offered)?;
        Ok(self)
    }
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct JsPagination {
    pub current_page: Option<u32>,
    pub prev_page: Option<u32>,
    pub next_page: Option<u32>,
    pub total_pages: Option<u32>,
    pub total_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub page_size: Option<u32>,
}

impl From<Pagination> for JsPagination {
    fn from(p: Pagination) -> Self {
        JsPagination {
            current_page: p.current_page,
            prev_page: p.prev_page,
            next_page: p.next_page,
            total_pages: p.total_pages,
            total_count: p.total_count,
            page_size: p.page_size,
        }
    }
}

#[derive(Serialize, Tsify)]
pub struct JsStatusCounts {
    pub total: u64,
    pub active: u64,
    pub disabled: u64,
}

impl From<StatusCounts> for JsStatusCounts {
    fn from(c: StatusCounts) -> Self {
        JsStatusCounts { total: c.total, active: c.active, disabled: c.disabled }
    }
}

type ExtraMap = BTreeMap<String, Value>;

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct JsEntitlementSet {
    pub id: String,
    #[tsify(type = "Record<string, boolean | number | null>")]
    pub entitlements: ExtraMap,
}

impl From<&EntitlementSet> for JsEntitlementSet {
    fn from(e: &EntitlementSet) -> Self {
        JsEntitlementSet { id: e.id.clone(), entitlements: e.attributes.0.clone() }
    }
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct JsUser {
    pub id: String,
    pub username: Option<String>,
    pub email: Option<String>,
}

/// An organization from the Organizations API.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub created_at: Option<String>,
    pub email: Option<String>,
    pub session_timeout: Option<u32>,
    pub session_remember: Option<u32>,
    pub collaborator_auth_policy: Option<String>,
    pub plan_expired: Option<bool>,
    pub plan_expires_at: Option<String>,
    pub plan_is_trial: Option<bool>,
    pub plan_is_enterprise: Option<bool>,
    pub plan_identifier: Option<String>,
    pub enterprise_plan: Option<String>,
    pub cost_estimation_enabled: Option<bool>,
    pub send_passing_statuses_for_untriggered_speculative_plans: Option<bool>,
    pub aggregated_commit_status_enabled: Option<bool>,
    pub allow_force_delete_workspaces: Option<bool>,
    #[tsify(type = "Record<string, boolean> | null")]
    pub permissions: Option<ExtraMap>,
    pub fair_run_queuing_enabled: Option<bool>,
    pub saml_enabled: Option<bool>,
    pub owners_team_saml_role_id: Option<String>,
    pub two_factor_conformant: Option<bool>,
    pub assessments_enforced: Option<bool>,
    pub default_execution_mode: Option<String>,
    pub default_agent_pool_id: Option<String>,
    pub entitlement_set: Option<JsEntitlementSet>,
    /// Attributes this version does not know, as sent.
    #[tsify(type = "Record<string, any>")]
    pub extra: ExtraMap,
}

impl Organization {
    fn new(org: &crate::model::Organization, entitlement_set: Option<&EntitlementSet>) -> Self {
        let a = &org.attributes;
        Organization {
            id: org.id.clone(),
            name: a.name.clone(),
            external_id: a.external_id.clone(),
            created_at: a.created_at.clone(),
            email: a.email.clone(),
            session_timeout: a.session_timeout,
            session_remember: a.session_remember,
            collaborator_auth_policy: a.collaborator_auth_policy.as_ref().map(|p| p.as_str().to_string()),
            plan_expired: a.plan_expired,
            plan_expires_at: a.plan_expires_at.clone(),
            plan_is_trial: a.plan_is_trial,
            plan_is_enterprise: a.plan_is_enterprise,
            plan_identifier: a.plan_identifier.clone(),
            enterprise_plan: a.enterprise_plan.clone(),
            cost_estimation_enabled: a.cost_estimation_enabled,
            send_passing_statuses_for_untriggered_speculative_plans: a
                .send_passing_statuses_for_untriggered_speculative_plans,
            aggregated_commit_status_enabled: a.aggregated_commit_status_enabled,
            allow_force_delete_workspaces: a.allow_force_delete_workspaces,
            permissions: a.permissions.as_ref().map(|p| p.0.clone()),
            fair_run_queuing_enabled: a.fair_run_queuing_enabled,
            saml_enabled: a.saml_enabled,
            owners_team_saml_role_id: a.owners_team_saml_role_id.clone(),
            two_factor_conformant: a.two_factor_conformant,
            assessments_enforced: a.assessments_enforced,
            default_execution_mode: a.default_execution_mode.as_ref().map(|m| m.as_str().to_string()),
            default_agent_pool_id: org.default_agent_pool_id().map(str::to_string),
            entitlement_set: entitlement_set.map(JsEntitlementSet::from),
            extra: a.extra.clone(),
        }
    }
}

/// An organization from the Admin Organizations API.
#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AdminOrganization {
    pub id: String,
    pub name: Option<String>,
    pub external_id: Option<String>,
    pub access_beta_tools: Option<bool>,
    pub is_disabled: Option<bool>,
    pub terraform_build_worker_apply_timeout: Option<String>,
    pub terraform_build_worker_plan_timeout: Option<String>,
    pub terraform_worker_sudo_enabled: Option<bool>,
    pub notification_email: Option<String>,
    pub global_module_sharing: Option<bool>,
    pub sso_enabled: Option<bool>,
    pub owner_ids: Vec<String>,
    /// The owners' user records, when fetched with `include: "owners"`.
    pub owners: Option<Vec<JsUser>>,
    #[tsify(type = "Record<string, any>")]
    pub extra: ExtraMap,
}

impl AdminOrganization {
    fn new(org: &crate::model::AdminOrganization, users: Option<&[User]>) -> Self {
        let a = &org.attributes;
        let owner_ids: Vec<String> = org.owner_ids().into_iter().map(str::to_string).collect();
        let owners = users.map(|users| {
            users
                .iter()
                .filter(|u| owner_ids.contains(&u.id))
                .map(|u| JsUser {
                    id: u.id.clone(),
                    username: u.attributes.username.clone(),
                    email: u.attributes.email.clone(),
                })
                .collect()
        });
        AdminOrganization {
            id: org.id.clone(),
            name: a.name.clone(),
            external_id: a.external_id.clone(),
            access_beta_tools: a.access_beta_tools,
            is_disabled: a.is_disabled,
            terraform_build_worker_apply_timeout: a.terraform_build_worker_apply_timeout.clone(),
            terraform_build_worker_plan_timeout: a.terraform_build_worker_plan_timeout.clone(),
            terraform_worker_sudo_enabled: a.terraform_worker_sudo_enabled,
            notification_email: a.notification_email.clone(),
            global_module_sharing: a.global_module_sharing,
            sso_enabled: a.sso_enabled,
            owner_ids,
            owners,
            extra: a.extra.clone(),
        }
    }
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationPage {
    pub items: Vec<Organization>,
    pub pagination: Option<JsPagination>,
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AdminPage {
    pub items: Vec<AdminOrganization>,
    pub pagination: Option<JsPagination>,
    pub status_counts: Option<JsStatusCounts>,
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationRefPage {
    pub items: Vec<OrganizationRefJs>,
    pub pagination: Option<JsPagination>,
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationRefJs {
    pub id: String,
    pub name: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ModulePartnershipJs {
    pub id: String,
    pub consuming_organization_id: Option<String>,
    pub consuming_organization_name: Option<String>,
    pub producing_organization_id: Option<String>,
    pub producing_organization_name: Option<String>,
}

/// A data retention policy: `deleteOlderThanNDays` is null for "don't delete". Unknown keys are
/// refused: a misspelt `deleteOlderThanNDays` must not quietly mean "never delete". `id` and
/// `type` are accepted (a policy read back can be passed as it is) and ignored.
#[derive(Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DataRetentionPolicyJs {
    #[serde(default)]
    #[tsify(optional)]
    pub id: Option<String>,
    #[serde(rename = "type", default)]
    #[tsify(optional)]
    pub kind: Option<String>,
    pub delete_older_than_n_days: Option<u32>,
}

#[derive(Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ListProgress {
    pub pages: u32,
    pub items: u64,
    pub total_pages: Option<u32>,
    pub total_count: Option<u64>,
}

/// `createOrganization` / `updateOrganization` attributes (camelCase of the spec's names).
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct OrganizationAttrs {
    #[tsify(optional)]
    pub name: Option<String>,
    #[tsify(optional)]
    pub email: Option<String>,
    #[tsify(optional)]
    pub session_timeout: Option<u32>,
    #[tsify(optional)]
    pub session_remember: Option<u32>,
    #[tsify(optional, type = "\"password\" | \"two_factor_mandatory\"")]
    pub collaborator_auth_policy: Option<String>,
    #[tsify(optional)]
    pub cost_estimation_enabled: Option<bool>,
    #[tsify(optional)]
    pub send_passing_statuses_for_untriggered_speculative_plans: Option<bool>,
    #[tsify(optional)]
    pub aggregated_commit_status_enabled: Option<bool>,
    #[tsify(optional)]
    pub owners_team_saml_role_id: Option<String>,
    #[tsify(optional)]
    pub assessments_enforced: Option<bool>,
    #[tsify(optional)]
    pub allow_force_delete_workspaces: Option<bool>,
    #[tsify(optional, type = "\"remote\" | \"local\" | \"agent\"")]
    pub default_execution_mode: Option<String>,
    #[tsify(optional)]
    pub default_agent_pool_id: Option<String>,
}

impl From<OrganizationAttrs> for OrganizationBody {
    fn from(a: OrganizationAttrs) -> Self {
        OrganizationBody {
            name: a.name,
            email: a.email,
            session_timeout: a.session_timeout,
            session_remember: a.session_remember,
            collaborator_auth_policy: a.collaborator_auth_policy.as_deref().map(CollaboratorAuthPolicy::from),
            cost_estimation_enabled: a.cost_estimation_enabled,
            send_passing_statuses_for_untriggered_speculative_plans: a
                .send_passing_statuses_for_untriggered_speculative_plans,
            aggregated_commit_status_enabled: a.aggregated_commit_status_enabled,
            owners_team_saml_role_id: a.owners_team_saml_role_id,
            assessments_enforced: a.assessments_enforced,
            allow_force_delete_workspaces: a.allow_force_delete_workspaces,
            default_execution_mode: a.default_execution_mode.as_deref().map(ExecutionMode::from),
            default_agent_pool_id: a.default_agent_pool_id,
            extra: Default::default(),
        }
    }
}

/// `adminUpdateOrganization` attributes.
#[derive(Deserialize, Tsify, Default)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AdminOrganizationAttrs {
    #[tsify(optional)]
    pub access_beta_tools: Option<bool>,
    #[tsify(optional)]
    pub global_module_sharing: Option<bool>,
    #[tsify(optional)]
    pub is_disabled: Option<bool>,
    #[tsify(optional)]
    pub terraform_build_worker_apply_timeout: Option<String>,
    #[tsify(optional)]
    pub terraform_build_worker_plan_timeout: Option<String>,
}

impl From<AdminOrganizationAttrs> for AdminOrganizationUpdate {
    fn from(a: AdminOrganizationAttrs) -> Self {
        AdminOrganizationUpdate {
            access_beta_tools: a.access_beta_tools,
            global_module_sharing: a.global_module_sharing,
            is_disabled: a.is_disabled,
            terraform_build_worker_apply_timeout: a.terraform_build_worker_apply_timeout,
            terraform_build_worker_plan_timeout: a.terraform_build_worker_plan_timeout,
            extra: Default::default(),
        }
    }
}

#[derive(Serialize, Tsify)]
#[serde(transparent)]
pub struct ValidationErrors(pub Vec<ValidationIssue>);

#[derive(Serialize, Tsify)]
pub struct ValidationIssue {
    pub field: String,
    pub rule: String,
    pub message: String,
}

#[derive(Deserialize, Tsify)]
pub struct ResourceIdentifierJs {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
}

fn issues(errors: Vec<ValidationError>) -> Ts<ValidationErrors> {
    let list = ValidationErrors(
        errors.into_iter().map(|e| ValidationIssue { field: e.field, rule: e.rule, message: e.message }).collect(),
    );
    Ts::from_rust(&list).expect("plain data")
}

mod api;
pub use api::TfeClient;

// ---------- validators ----------

#[wasm_bindgen(js_name = validateOrganizationName)]
pub fn validate_organization_name(name: &str) -> Ts<ValidationErrors> {
    issues(validate::organization_name("name", name).err().into_iter().collect())
}

#[wasm_bindgen(js_name = validateExternalId)]
pub fn validate_external_id(id: &str) -> Ts<ValidationErrors> {
    issues(validate::external_id("externalId", id).err().into_iter().collect())
}

#[wasm_bindgen(js_name = validateDuration)]
pub fn validate_duration(text: &str) -> Ts<ValidationErrors> {
    issues(validate::duration("duration", text).err().into_iter().collect())
}

#[wasm_bindgen(js_name = validateResourceIdentifier)]
pub fn validate_resource_identifier(identifier: Ts<ResourceIdentifierJs>) -> Result<Ts<ValidationErrors>, JsValue> {
    let id = from_js(identifier, "identifier")?;
    let id = crate::jsonapi::ResourceIdentifier { id: id.id, kind: id.kind };
    Ok(issues(validate::resource_identifier("", &id).err().into_iter().collect()))
}

#[wasm_bindgen(js_name = validateOrganizationCreate)]
pub fn validate_organization_create(attrs: Ts<OrganizationAttrs>) -> Result<Ts<ValidationErrors>, JsValue> {
    Ok(issues(validate::organization_create(&from_js(attrs, "attrs")?.into())))
}

#[wasm_bindgen(js_name = validateOrganizationUpdate)]
pub fn validate_organization_update(attrs: Ts<OrganizationAttrs>) -> Result<Ts<ValidationErrors>, JsValue> {
    Ok(issues(validate::organization_update(&from_js(attrs, "attrs")?.into())))
}

#[wasm_bindgen(js_name = validateAdminOrganizationUpdate)]
pub fn validate_admin_organization_update(attrs: Ts<AdminOrganizationAttrs>) -> Result<Ts<ValidationErrors>, JsValue> {
    Ok(issues(validate::admin_organization_update(&from_js(attrs, "attrs")?.into())))
}
