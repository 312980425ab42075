//! What the organization list says of itself: Load all's progress with Stop, and how much of
//! the list the table shows.

use leptos::prelude::*;
use tfe_orgs::client::Progress;

use crate::context::Loader;
use crate::logic::{thousands, Row};

/// Load all's progress, with Stop.
#[component]
pub fn LoadProgress(progress: RwSignal<Option<Progress>>, all: Loader<Vec<Row>>) -> impl IntoView {
    move || {
        progress.get().filter(|_| all.loading()).map(|p| {
            let total = p.total_count.unwrap_or(p.items);
            let text = format!("{} of {}", thousands(p.items), thousands(total));
            view! {
                <div class="progress">
                    <progress max=total.max(1).to_string() value=p.items.to_string() aria-label="Loading all organizations"></progress>
                    <span role="status">{text}</span>
                    <button type="button" class="secondary" on:click=move |_| {
                        all.cancel();
                        progress.set(None);
                    }>"Stop"</button>
                </div>
            }
        })
    }
}

/// What the table shows: all loaded, or which page of how many.
#[component]
pub fn ResultInfo(
    rows: Memo<Vec<Row>>,
    all: Loader<Vec<Row>>,
    pagination: Signal<Option<tfe_orgs::jsonapi::Pagination>>,
) -> impl IntoView {
    view! {
        <p class="result-info" role="status">
            {move || {
                let shown = rows.with(Vec::len);
                if let Some(loaded) = all.with_ready(Vec::len) {
                    format!("All {} organizations loaded; showing {}.", thousands(loaded as u64), thousands(shown as u64))
                } else {
                    match pagination.get() {
                        Some(p) => format!(
                            "Page {} of {} · {} organizations",
                            p.current_page.unwrap_or(1),
                            p.total_pages.unwrap_or(1).max(1),
                            thousands(p.total_count.unwrap_or(shown as u64))
                        ),
                        None => String::new(),
                    }
                }
            }}
        </p>
    }
}
