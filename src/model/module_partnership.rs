//! Module partnerships: the deprecated `PATCH /admin/organizations/:name/module-consumers`.

use super::attributes;
use crate::jsonapi::Resource;

attributes! {
    /// One producer → consumer partnership (`type: "module-partnerships"`).
    pub struct ModulePartnershipAttributes (emit_null, types = ["module-partnerships"]) {
        "consuming-organization-id" => consuming_organization_id: String,
        "consuming-organization-name" => consuming_organization_name: String,
        "producing-organization-id" => producing_organization_id: String,
        "producing-organization-name" => producing_organization_name: String,
    }
}

/// A module partnership.
pub type ModulePartnership = Resource<ModulePartnershipAttributes>;

attributes! {
    /// The deprecated endpoint's body: consumers by external id (`org-…`).
    pub struct ModulePartnershipsUpdate (skip_none, types = ["module-partnerships"]) {
        "module-consuming-organization-ids" => module_consuming_organization_ids: Vec<String>,
    }
}

impl ModulePartnershipsUpdate {
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(external_ids: I) -> Self {
        ModulePartnershipsUpdate {
            module_consuming_organization_ids: Some(external_ids.into_iter().map(Into::into).collect()),
            ..Default::default()
        }
    }
}
