//! Users, as included with `include=owners` on admin organizations.

use serde::{Deserialize, Serialize};

use super::{attributes, Flags};
use crate::jsonapi::Resource;

/// `two-factor` of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify))]
pub struct TwoFactor {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub verified: bool,
}

impl super::Shaped for TwoFactor {
    const SHAPE: super::Shape = super::Shape::Structured;
}

attributes! {
    /// Attributes of a user (`type: "users"`).
    pub struct UserAttributes (emit_null, types = ["users"]) {
        "username" => username: String,
        "email" => email: String,
        "avatar-url" => avatar_url: String,
        "is-service-account" => is_service_account: bool,
        "is-admin" => is_admin: bool,
        "is-site-admin" => is_site_admin: bool,
        "is-suspended" => is_suspended: bool,
        "unconfirmed-email" => unconfirmed_email: String,
        "two-factor" => two_factor: TwoFactor,
        "permissions" => permissions: Flags,
    }
}

/// A user (an organization owner).
pub type User = Resource<UserAttributes>;
