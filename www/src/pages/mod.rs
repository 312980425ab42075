//! One file per page.

pub mod connect_page;
pub mod edit_organization_page;
pub mod new_organization_page;
pub mod not_found_page;
pub mod organization_page;
pub mod organizations_page;
pub mod sharing_map_page;
pub mod snapshot_page;
