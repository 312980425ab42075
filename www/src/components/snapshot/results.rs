//! One line per organization of an apply, failures first; Retry failed, Undo, the undo file and
//! the CSV (every organization of the apply, retries included).

use leptos::prelude::*;
use tfe_orgs::client::Applied;
use tfe_orgs::snapshot::Snapshot;

use super::file_stamp;
use crate::components::common::{advice, download};
use crate::logic::snapshot_view::{outcome_of, results_csv, to_retry};

#[component]
pub fn Results(
    results: Vec<(String, Applied)>,
    undo: Snapshot,
    on_retry: Callback<Vec<String>>,
    on_undo: Callback<()>,
) -> impl IntoView {
    let count = |k: &str| results.iter().filter(|(_, a)| outcome_of(a) == k).count();
    let (done, failed, not_sent) = (count("done"), count("failed"), count("not-sent"));
    let csv = results_csv(&results);
    let retry = to_retry(&results);
    let mut ordered = results.clone();
    ordered.sort_by_key(|(_, a)| outcome_of(a) == "done");
    let undo_text = undo.to_pretty_json();
    view! {
        <div class="apply-results">
            <p class="apply-summary" role="status" data-done=done data-failed=failed data-not-sent=not_sent>
                {format!("{done} applied, {failed} failed, {not_sent} not sent.")}
            </p>
            <div class="table-scroller">
                <table class="apply-results-table">
                    <thead><tr><th scope="col">"Organization"</th><th scope="col">"Outcome"</th><th scope="col">"Error"</th></tr></thead>
                    <tbody>
                        {ordered.into_iter().map(|(name, a)| {
                            let why = if let Applied::Failed(e) = &a { format!("{} {}", advice(e).0, e.message) } else { String::new() };
                            view! { <tr data-outcome=outcome_of(&a)><td>{name}</td><td>{outcome_of(&a)}</td><td>{why}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="actions">
                <button type="button" disabled=retry.is_empty() on:click=move |_| on_retry.run(retry.clone())>"Retry failed"</button>
                <button type="button" id="undo-apply" on:click=move |_| on_undo.run(())>"Undo"</button>
                <button type="button" class="secondary"
                    on:click=move |_| download(&format!("tfe-orgs-undo-{}.json", file_stamp()), "application/json", &undo_text)>
                    "Download undo"
                </button>
                <button type="button" class="secondary" on:click=move |_| download("apply-results.csv", "text/csv", &csv)>"Export results CSV"</button>
            </div>
        </div>
    }
}
