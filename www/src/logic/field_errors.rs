//! Which message goes beside which field: validation errors and 422 source pointers.

use tfe_orgs::client::{Error, ErrorKind};
use tfe_orgs::validate::ValidationError;

/// The message for the field at `pointer` (e.g. `/data/attributes/email`): a validation error
/// or a 422 error object whose `source.pointer` names it.
pub fn field_message(error: &Error, pointer: &str) -> Option<String> {
    match error.kind {
        ErrorKind::Validation => (error.field.as_deref() == Some(pointer)).then(|| error.message.clone()),
        ErrorKind::Unprocessable => error
            .errors
            .iter()
            .find(|e| e.pointer() == Some(pointer))
            .map(|e| e.detail.clone().or_else(|| e.title.clone()).unwrap_or_else(|| error.message.clone())),
        _ => None,
    }
}

/// The first message among `errors` for `pointer`.
pub fn validation_message(errors: &[ValidationError], pointer: &str) -> Option<String> {
    errors.iter().find(|e| e.field == pointer).map(|e| e.message.clone())
}
