//! `GET /admin/general-settings` (site admins): the instance's defaults and its rate limit.

use super::{attributes, About, Era};
use crate::jsonapi::Resource;

attributes! {
    /// The instance's general settings (type `general-settings`, id `general`).
    pub struct GeneralSettingsAttributes (emit_null, types = ["general-settings"]) {
        /// The default plan timeout of every organization whose own is `null` (`2h`).
        "plan-timeout" | "terraform-build-worker-plan-timeout" => plan_timeout: String,
        /// The default apply timeout (`24h`).
        "apply-timeout" | "terraform-build-worker-apply-timeout" => apply_timeout: String,
        /// Whether the API rate limit applies.
        "api-rate-limiting-enabled" => api_rate_limiting_enabled: bool [About::new("API rate limiting").since(Era::Current)],
        /// Requests per second any client may send (never below 30).
        "api-rate-limit" => api_rate_limit: u32 [About::new("API rate limit (requests per second)").since(Era::Current)],
        /// Only site admins may create organizations.
        "limit-user-organization-creation" => limit_user_organization_creation: bool,
    }
}

/// The general settings resource.
pub type GeneralSettings = Resource<GeneralSettingsAttributes>;

impl GeneralSettingsAttributes {
    /// The instance's default that `key` of these settings holds (an admin attribute's
    /// [`Unset::InstanceDefault`](super::Unset) names it): `plan-timeout` → `2h`.
    pub fn default_named(&self, key: &str) -> Option<&str> {
        match key {
            "plan-timeout" => self.plan_timeout.as_deref(),
            "apply-timeout" => self.apply_timeout.as_deref(),
            _ => None,
        }
    }
}
