//! The page's logic without the DOM, one module per question it answers; components call these
//! and the tests (`tests.rs`) check them natively.

pub mod admin_draft;
pub mod bulk;
pub mod export;
pub mod field_errors;
pub mod form;
pub mod format;
pub mod grant_usage;
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

/// The page's reads tested natively: a site admin's client on the sandbox in process.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod sandbox_client {
    pub use futures_executor::block_on;
    use tfe_orgs::Client;
    pub use tfe_sandbox::in_process::InProcess;
    pub use tfe_sandbox::Release;
    use tfe_sandbox::Sandbox;

    /// The seeded sandbox answering as `release`, with `more` generated organizations.
    pub fn admin_client(release: Release, more: usize) -> Client<InProcess> {
        let mut sandbox = Sandbox { release, ..Sandbox::seeded() };
        sandbox.state.generate(more);
        Client::new("https://tfe.example.com", "sandbox-admin-token", InProcess::new(sandbox)).unwrap()
    }
}
