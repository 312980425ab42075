//! The client-side rules as plain functions: each returns every broken rule (empty when valid).

use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::decode::{attributes_from_js, from_js};
use super::types::ValidationErrors;
use crate::jsonapi::ResourceIdentifier;
use crate::model::{AdminOrganizationUpdate, OrganizationBody};
use crate::validate::{self, ValidationError};

fn issues(errors: Vec<ValidationError>) -> Ts<ValidationErrors> {
    Ts::from_rust(&ValidationErrors(errors)).expect("plain data")
}

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
pub fn validate_resource_identifier(identifier: Ts<ResourceIdentifier>) -> Result<Ts<ValidationErrors>, JsValue> {
    let id = from_js(identifier, "identifier")?;
    Ok(issues(validate::resource_identifier("", &id).err().into_iter().collect()))
}

#[wasm_bindgen(js_name = validateOrganizationCreate)]
pub fn validate_organization_create(attrs: Ts<OrganizationBody>) -> Result<Ts<ValidationErrors>, JsValue> {
    Ok(issues(validate::organization_create(&attributes_from_js(attrs, "attrs")?)))
}

#[wasm_bindgen(js_name = validateOrganizationUpdate)]
pub fn validate_organization_update(attrs: Ts<OrganizationBody>) -> Result<Ts<ValidationErrors>, JsValue> {
    Ok(issues(validate::organization_update(&attributes_from_js(attrs, "attrs")?)))
}

#[wasm_bindgen(js_name = validateAdminOrganizationUpdate)]
pub fn validate_admin_organization_update(attrs: Ts<AdminOrganizationUpdate>) -> Result<Ts<ValidationErrors>, JsValue> {
    Ok(issues(validate::admin_organization_update(&attributes_from_js(attrs, "attrs")?)))
}

/// What a person calls an attribute, with its key beside it: `Plan timeout (plan-timeout)`
/// (`admin/plan-timeout` and older names too); a key no declaration describes, as given.
#[wasm_bindgen(js_name = attributeLabel)]
pub fn attribute_label(key: &str) -> String {
    let name = key.rsplit('/').next().unwrap_or(key);
    crate::model::attribute(name).map_or_else(|| key.to_string(), |f| f.label_with_key())
}
