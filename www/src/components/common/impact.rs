//! Who loses access, said before a destructive change: counts, the first names, every name
//! behind a disclosure, and a CSV.

use leptos::prelude::*;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{download, NameList};
use crate::context::{app_state, Loader};
use crate::logic::grant_usage::impact_usage_line;
use crate::logic::{LossReport, Registry};

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
    let LossReport { lines, losing, producers, csv, ending, registries } = report;
    let auto = (1..=AUTO_READ).contains(&losing.len());
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
            {(!ending.is_empty() && !registries.is_empty()).then(|| view! { <ExplorerUsage producers=ending registries=registries auto=auto/> })}
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

/// Which of those losing access use the producers' registries, in how many workspaces, where
/// Explorer answers: read at once when few lose access, otherwise on request (with Stop).
#[component]
fn ExplorerUsage(producers: Vec<String>, registries: Vec<Registry>, auto: bool) -> impl IntoView {
    let app = app_state();
    let lines: Loader<Vec<String>> = Loader::new();
    let progress = RwSignal::new(String::new());
    let stop = StoredValue::new(Arc::new(AtomicBool::new(false)));
    let read = move || {
        let Some(api) = app.api() else { return };
        let (producers, registries) = (producers.clone(), registries.clone());
        let flag = Arc::new(AtomicBool::new(false));
        stop.set_value(flag.clone());
        lines.run(async move {
            let mut out = Vec::new();
            for registry in registries {
                let mut on_progress = |done: usize, total: usize| {
                    let _ = progress.try_set(format!("Asking Explorer who uses them: {done} of {total} organizations"));
                };
                let grants = api
                    .grant_usage(registry, Some(&producers), &|| flag.load(Ordering::Relaxed), &mut on_progress)
                    .await?;
                if !grants.is_empty() {
                    out.push(impact_usage_line(&grants, registry.noun()));
                }
            }
            Ok(out)
        });
    };
    let read = StoredValue::new(read);
    if auto {
        read.with_value(|r| r());
    }
    view! {
        <div class="impact-usage">
            {move || match (lines.loading(), lines.ready(), lines.error()) {
                (true, _, _) => view! {
                    <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{move || progress.get()}
                        " "<button type="button" class="secondary" on:click=move |_| stop.with_value(|f| f.store(true, Ordering::Relaxed))>"Stop"</button></p>
                }.into_any(),
                (_, Some(found), _) => view! {
                    <ul class="impact-lines usage-lines" data-usage="read">{found.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                }.into_any(),
                (_, _, Some(e)) => view! { <p class="muted">{format!("Explorer could not be asked who uses them: {}", e.message)}</p> }.into_any(),
                _ => view! {
                    <button type="button" class="secondary" id="impact-usage" on:click=move |_| read.with_value(|r| r())>"Ask Explorer who uses them"</button>
                }.into_any(),
            }}
        </div>
    }
}
