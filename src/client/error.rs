//! One error type for every way a call can fail. Messages never contain the token.

use serde::Serialize;

use crate::jsonapi::{DecodeError, ErrorObject};
use crate::validate::ValidationError;

/// What kind of failure (in TypeScript `TfeErrorKind`, derived from this enum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(all(target_arch = "wasm32", feature = "js"), derive(tsify::Tsify), tsify(rename = "TfeErrorKind"))]
pub enum ErrorKind {
    /// Rejected before sending: `field` and `rule` say why.
    Validation,
    /// 401: missing, unknown or expired token.
    Unauthorized,
    /// 404: not found, not permitted, or (admin endpoints) not a site admin.
    NotFound,
    /// 422: the server rejected the body; `errors` holds every JSON:API error object.
    Unprocessable,
    /// 429 after every retry; `retry_after_ms` says when to try again.
    RateLimited,
    /// 5xx (or an unexpected status) after every allowed retry.
    Server,
    /// No response (connection refused, DNS, CORS, aborted).
    Network,
    /// No response within the configured timeout.
    Timeout,
    /// A response that is not the documented JSON:API document; `field` is the JSON pointer.
    Decode,
    /// A write whose answer was lost (5xx, dropped connection, timeout) and that was not, or
    /// could not be, repeated: the instance may or may not have applied it. Read the resource
    /// back before trying again.
    OutcomeUnknown,
}

/// A failed call.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The JSON:API error objects of the response.
    pub errors: Vec<ErrorObject>,
    /// The field at fault: a validation field, the first 422 source pointer, or a decode path.
    pub field: Option<String>,
    /// The rule a validation error broke.
    pub rule: Option<crate::validate::Rule>,
    /// How long the server asked to wait (429).
    pub retry_after_ms: Option<u64>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            status: None,
            errors: Vec::new(),
            field: None,
            rule: None,
            retry_after_ms: None,
        }
    }

    /// The first validation error, as an [`Error`].
    pub fn validation(errors: Vec<ValidationError>) -> Self {
        let first = errors.into_iter().next().expect("called with at least one error");
        Error {
            field: Some(first.field.clone()),
            rule: Some(first.rule),
            ..Error::new(ErrorKind::Validation, first.to_string())
        }
    }

    /// An error from a response status and its body.
    pub fn from_response(status: u16, body: &str, retry_after_ms: Option<u64>) -> Self {
        let errors = crate::jsonapi::decode_errors(body);
        let kind = match status {
            401 => ErrorKind::Unauthorized,
            404 => ErrorKind::NotFound,
            422 => ErrorKind::Unprocessable,
            429 => ErrorKind::RateLimited,
            _ => ErrorKind::Server,
        };
        let summary = errors
            .iter()
            .map(|e| match (e.pointer(), e.detail.as_deref().or(e.title.as_deref())) {
                (Some(p), Some(text)) => format!("{p}: {text}"),
                (None, Some(text)) => text.to_string(),
                (_, None) => String::new(),
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let what = match kind {
            ErrorKind::Unauthorized => "unauthorized: the token is missing, unknown or expired",
            ErrorKind::NotFound => {
                "not found (or not permitted: TFE answers 404 for both, and for non-admins on admin endpoints)"
            }
            ErrorKind::Unprocessable => "the server rejected the request body",
            ErrorKind::RateLimited => "rate limited by the server",
            _ => "server error",
        };
        let message = if summary.is_empty() {
            format!("HTTP {status}: {what}")
        } else {
            format!("HTTP {status}: {what}: {summary}")
        };
        Error {
            field: errors.iter().find_map(|e| e.pointer().map(str::to_string)),
            status: Some(status),
            errors,
            retry_after_ms,
            ..Error::new(kind, message)
        }
    }

    /// A write whose last answer was lost: `result` is that answer (a 5xx) or the transport's
    /// failure.
    pub fn outcome_unknown(
        method: &str,
        path: &str,
        result: Result<crate::transport::HttpResponse, crate::transport::TransportError>,
    ) -> Self {
        let (cause, status, errors) = match result {
            Ok(response) => (
                format!("the instance answered {}", response.status),
                Some(response.status),
                crate::jsonapi::decode_errors(&response.body),
            ),
            Err(crate::transport::TransportError::Timeout) => ("no answer in time".to_string(), None, Vec::new()),
            Err(crate::transport::TransportError::Network(message)) => (message, None, Vec::new()),
        };
        let message = format!(
            "{method} {path}: the answer was lost ({cause}); the instance may have applied the change, read it back before trying again"
        );
        Error { status, errors, ..Error::new(ErrorKind::OutcomeUnknown, message) }
    }

    pub fn decode(error: DecodeError, status: u16) -> Self {
        Error {
            field: Some(error.path.clone()),
            status: Some(status),
            ..Error::new(ErrorKind::Decode, error.to_string())
        }
    }
}
