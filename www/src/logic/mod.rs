//! The page's logic without the DOM, one module per question it answers; components call these
//! and the tests (`tests.rs`) check them natively.

pub mod admin_draft;
pub mod bulk;
pub mod export;
pub mod field_errors;
pub mod form;
pub mod format;
pub mod impact;
pub mod list_query;
pub mod org_detail;
pub mod org_draft;
pub mod rows;
pub mod sharing;
pub mod sharing_audit;
pub mod sharing_map;
pub mod snapshot_view;

pub use admin_draft::{AdminDraft, ADMIN_FORM};
pub use bulk::BulkAction;
pub use export::{export, export_csv, export_json, to_csv, to_json, ExportKind, Extent};
pub use field_errors::{field_message, validation_message};
pub use form::{Draft, FormRow};
pub use format::{filter_names, thousands};
pub use impact::{BulkImpact, Impact, Loss, LossReport};
pub use list_query::{ListState, Producer, Status, PAGE_SIZES};
pub use org_draft::{OrgDraft, ORG_FORM};
pub use rows::{admin_row, admin_rows, org_row, owner_emails, Row};
pub use sharing::{organizations, Registry, RegistryIds, Sharing, SharingMode, SharingSummary};
pub use sharing_map::{map_layout, MapLayout, Producing, MAP_ROW};

#[cfg(test)]
mod tests;
