//! An error as a banner that says what happened and what to do.

use leptos::prelude::*;
use tfe_orgs::client::{Error, ErrorKind};

/// What went wrong and what to do about it, for a banner.
pub fn advice(error: &Error) -> (String, String) {
    let status = error.status.map(|s| format!(" ({s})")).unwrap_or_default();
    let (title, what_to_do): (&str, String) = match error.kind {
        ErrorKind::Validation => ("Check the highlighted field.", String::new()),
        ErrorKind::Unauthorized => (
            "The instance rejected the token.",
            "It may be wrong, revoked or expired: sign out and connect with a valid token.".into(),
        ),
        ErrorKind::NotFound => {
            ("Not found.", "The organization may have been renamed or deleted, or this token may not see it.".into())
        }
        ErrorKind::Unprocessable => {
            ("The instance refused the change.", "Correct the fields marked below and save again.".into())
        }
        ErrorKind::RateLimited => (
            "Too many requests.",
            match error.retry_after_ms {
                Some(ms) => format!("The instance asked to wait {} s; try again then.", ms.div_ceil(1000)),
                None => "Wait a few seconds and try again.".into(),
            },
        ),
        // A gateway's own answer (tfe-orgs-server's or a load balancer's): it says why.
        ErrorKind::Server if matches!(error.status, Some(502 | 504)) => {
            return (
                format!("The instance could not be reached{status}."),
                error
                    .errors
                    .iter()
                    .find_map(|e| e.detail.clone())
                    .unwrap_or_else(|| "Try again in a moment; if it persists, check the instance.".into()),
            )
        }
        ErrorKind::Server => {
            return (
                format!("The instance failed{status}."),
                "It kept failing after several attempts; try again in a moment.".into(),
            )
        }
        ErrorKind::Network => (
            "The instance could not be reached.",
            "Check the instance URL, your network, and that the instance allows requests from this page (CORS).".into(),
        ),
        ErrorKind::Timeout => (
            "The instance did not answer in time.",
            "Try again; if it persists, the instance may be overloaded.".into(),
        ),
        ErrorKind::OutcomeUnknown => (
            "The answer was lost: the instance may have applied this change.",
            "The page read it again and shows what the instance holds now. Your draft is kept: review it, then save again or discard it.".into(),
        ),
        ErrorKind::Decode => (
            "The instance answered something unexpected.",
            format!("The response did not match the API at {}.", error.field.as_deref().unwrap_or("/")),
        ),
    };
    (title.to_string(), what_to_do)
}

/// An error as a banner (`role="alert"`), or nothing.
#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<Error>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let (title, what_to_do) = advice(&e);
            view! {
                <div class="banner error" role="alert" data-kind=format!("{:?}", e.kind)>
                    <strong>{title}</strong>
                    " "
                    {what_to_do}
                    <p class="detail">{e.message.clone()}</p>
                </div>
            }
        })
    }
}
