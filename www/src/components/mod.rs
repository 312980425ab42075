//! Components shared by the pages.

pub mod admin_settings;
pub mod bulk_bar;
pub mod common;
pub mod grant_usage;
pub mod header;
pub mod list_status;
pub mod org_form;
pub mod org_table;
pub mod sharing_editor;
pub mod snapshot;
