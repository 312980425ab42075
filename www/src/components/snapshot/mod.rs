//! The parts of the `/snapshot` screen: a file to compare (picked or dropped), the differences,
//! the review of an apply, and its results.

mod compare;
mod file_picker;
mod results;
mod review;

pub use compare::Compare;
pub use file_picker::{FilePicker, FileRead, FileStatus};
pub use results::Results;
pub use review::Review;

/// A timestamp for file names, from the browser's clock.
pub fn file_stamp() -> String {
    let iso = web_sys::js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    crate::logic::snapshot_view::file_stamp(&iso)
}
