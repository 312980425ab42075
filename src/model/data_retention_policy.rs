//! Data retention policies (Terraform Enterprise): delete data older than N days, or never.

use super::attributes;
use crate::jsonapi::Resource;

/// `type` of a "delete older than N days" policy.
pub const DELETE_OLDER_TYPE: &str = "data-retention-policy-delete-olders";
/// `type` of a "don't delete" policy.
pub const DONT_DELETE_TYPE: &str = "data-retention-policy-dont-deletes";

attributes! {
    /// Attributes of either policy type; `delete-older-than-n-days` only on delete-olders.
    pub struct DataRetentionPolicyAttributes (skip_none, types = [
        "data-retention-policy-delete-olders",
        "data-retention-policy-dont-deletes"
    ]) {
        "delete-older-than-n-days" => delete_older_than_n_days: u32,
    }
}

/// A data retention policy resource as the API returns it.
pub type DataRetentionPolicyResource = Resource<DataRetentionPolicyAttributes>;

/// A data retention policy, as a user thinks of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataRetentionPolicy {
    /// Delete backing data older than this many days.
    DeleteOlderThan { days: u32 },
    /// Never delete backing data.
    DontDelete,
}

impl DataRetentionPolicy {
    /// The JSON:API type the policy is written as.
    pub fn kind(&self) -> &'static str {
        match self {
            DataRetentionPolicy::DeleteOlderThan { .. } => DELETE_OLDER_TYPE,
            DataRetentionPolicy::DontDelete => DONT_DELETE_TYPE,
        }
    }

    /// The attributes the policy is written with.
    pub fn attributes(&self) -> DataRetentionPolicyAttributes {
        match self {
            DataRetentionPolicy::DeleteOlderThan { days } => {
                DataRetentionPolicyAttributes { delete_older_than_n_days: Some(*days), ..Default::default() }
            }
            DataRetentionPolicy::DontDelete => DataRetentionPolicyAttributes::default(),
        }
    }

    /// The policy a resource describes; `None` for an unknown type or a delete-olders without days.
    pub fn from_resource(resource: &DataRetentionPolicyResource) -> Option<Self> {
        match resource.kind.as_str() {
            DELETE_OLDER_TYPE => {
                Some(DataRetentionPolicy::DeleteOlderThan { days: resource.attributes.delete_older_than_n_days? })
            }
            DONT_DELETE_TYPE => Some(DataRetentionPolicy::DontDelete),
            _ => None,
        }
    }

    /// The request body `{ data: { type, attributes } }`.
    pub fn to_body(&self) -> String {
        let body = crate::jsonapi::Body {
            data: crate::jsonapi::NewResource { kind: self.kind().to_string(), attributes: self.attributes() },
        };
        serde_json::to_string(&body).expect("request bodies are plain JSON values")
    }
}
