//! The differences of a file with the instance: counts per kind, a filter, one row per
//! organization and field; and Review apply.

use leptos::prelude::*;
use tfe_orgs::snapshot::SnapshotDifference;

use crate::logic::snapshot_view::{counts, describe, filtered, kind_of};

/// Rows drawn at most (the filter narrows the rest).
const SHOWN: usize = 500;

#[component]
pub fn Compare(
    differences: Memo<Option<Vec<SnapshotDifference>>>,
    filter: RwSignal<String>,
    on_review: Callback<()>,
) -> impl IntoView {
    let shown = move || differences.with(|all| all.as_ref().map(|all| filtered(all, &filter.get())));
    move || {
        differences.get().map(|all| {
            let (counted, drift) = counts(&all);
            let total = all.len();
            view! {
                <div class="compare">
                    <p class="drift-summary" role="status" data-drift=drift.to_string()>
                        {if drift { "The instance differs from the file: " } else { "No drift: the instance holds the file. " }}{counted}
                    </p>
                    <label for="diff-filter">"Filter"</label>
                    <input id="diff-filter" type="search" placeholder="organization, field or kind" prop:value=filter
                        on:input=move |ev| filter.set(event_target_value(&ev))/>
                    <p class="hint">{move || {
                        let n = shown().map(|s| s.len()).unwrap_or(0);
                        if n > SHOWN { format!("{SHOWN} of {n} shown (of {total}): filter to narrow") } else { format!("{n} of {total} shown") }
                    }}</p>
                    <div class="table-scroller">
                        <table class="diff-table">
                            <thead><tr><th scope="col">"Organization"</th><th scope="col">"Kind"</th><th scope="col">"Field and values"</th></tr></thead>
                            <tbody>
                                {move || shown().unwrap_or_default().into_iter().take(SHOWN).map(|d| view! {
                                    <tr data-change=kind_of(&d.change)>
                                        <td>{d.organization.clone()}</td>
                                        <td>{kind_of(&d.change)}</td>
                                        <td>{describe(&d)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="actions">
                        <button type="button" id="review-apply" disabled=!drift on:click=move |_| on_review.run(())>"Review apply…"</button>
                    </div>
                </div>
            }
        })
    }
}
