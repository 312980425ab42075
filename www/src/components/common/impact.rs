//! Who loses access, said before a destructive change: counts, the first names, every name
//! behind a disclosure, and a CSV.

use leptos::prelude::*;

use super::{download, NameList};
use crate::components::grant_usage::ImpactInput;
use crate::logic::LossReport;

/// How many names are listed before the disclosure.
const FIRST: usize = 20;
/// Up to this many organizations losing access, Explorer is asked at once; beyond (or for a
/// producer sharing with everyone: one read per organization) on request.
const AUTO_READ: usize = 500;

#[component]
pub fn ImpactSummary(
    report: LossReport,
    /// "Deleting", "Disabling": the change, for the heading.
    verb: &'static str,
    /// The CSV's file name.
    file: String,
) -> impl IntoView {
    let LossReport { lines, losing, producers, csv, ending, registries, everyone } = report;
    let auto = !everyone && (1..=AUTO_READ).contains(&losing.len());
    let total = losing.len();
    let item = |(n, what): &(String, String)| {
        let what = (!what.is_empty()).then(|| format!(" ({what})"));
        view! { <li>{n.clone()}<span class="muted">{what}</span></li> }
    };
    let first: Vec<_> = losing.iter().take(FIRST).map(item).collect();
    let all: Vec<_> = losing.iter().map(item).collect();
    view! {
        <section class="impact" role="status" aria-label="Who loses access">
            <h3>{format!("{verb}: who loses access")}</h3>
            <ul class="impact-lines">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            {(!ending.is_empty() && !registries.is_empty()).then(|| {
                let input = ImpactInput { producers: ending, registries, auto, only: None, keeps: Vec::new() };
                view! { <crate::screens::Part load=crate::screens::impact_usage input=input label="Loading who uses them…"/> }
            })}
            {(total > 0).then(|| view! {
                <ul class="impact-names" aria-label="First organizations that lose access">{first}</ul>
                {(total > FIRST).then(|| view! {
                    <details class="impact-all">
                        <summary>{format!("All {total} organizations that lose access")}</summary>
                        <ul aria-label="Every organization that loses access">{all}</ul>
                    </details>
                })}
                <button type="button" class="secondary" on:click=move |_| download(&file, "text/csv", &csv)>
                    "Download the list (CSV)"
                </button>
            })}
            {(!producers.is_empty()).then(|| view! {
                <NameList names=producers label="Producers whose modules it uses" empty=""/>
            })}
        </section>
    }
}
