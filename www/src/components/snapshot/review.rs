//! What an apply writes, per organization; the undo to download first; the typed count.

use leptos::prelude::*;
use tfe_orgs::snapshot::{Snapshot, SnapshotPlan};

use super::file_stamp;
use crate::components::common::download;
use crate::logic::snapshot_view::write_text;

#[component]
pub fn Review(
    todo: SnapshotPlan,
    undo: Snapshot,
    confirm: RwSignal<String>,
    busy: RwSignal<bool>,
    on_apply: Callback<(SnapshotPlan, Snapshot)>,
    on_back: Callback<()>,
) -> impl IntoView {
    let wanted = todo.len();
    let lines: Vec<(String, String)> = todo.writes.iter().map(|w| (w.organization.clone(), write_text(w))).collect();
    let missing = todo.missing.clone();
    let undo_text = undo.to_pretty_json();
    let ready = move || confirm.get().trim() == wanted.to_string() && wanted > 0 && !busy.get();
    let (t, u) = (StoredValue::new(todo), StoredValue::new(undo));
    view! {
        <div class="review">
            <h2>{format!("Apply: {} {}", crate::logic::format::count_of(wanted, "organization", "organizations"), if wanted == 1 { "changes" } else { "change" })}</h2>
            <ul class="plan-list">
                {lines.into_iter().map(|(name, what)| view! { <li><strong>{name}</strong>": "{what}</li> }).collect_view()}
            </ul>
            {(!missing.is_empty()).then(|| view! {
                <p class="warning">{format!("Not on the instance (never created): {}", missing.join(", "))}</p>
            })}
            <p>"The undo (what this changes, as it is now) is kept: download it before applying, or use Undo on the results."</p>
            <button type="button" class="secondary" id="download-undo"
                on:click=move |_| download(&format!("tfe-orgs-undo-{}.json", file_stamp()), "application/json", &undo_text)>
                "Download undo"
            </button>
            <label for="apply-confirm">{format!("Type {wanted} to change {}", crate::logic::format::count_of(wanted, "organization", "organizations"))}</label>
            <input id="apply-confirm" type="text" inputmode="numeric" autocomplete="off" prop:value=confirm
                on:input=move |ev| confirm.set(event_target_value(&ev))/>
            <div class="actions">
                <button type="button" id="apply-file" disabled=move || !ready()
                    on:click=move |_| on_apply.run((t.get_value(), u.get_value()))>"Apply"</button>
                <button type="button" class="secondary" on:click=move |_| on_back.run(())>"Back"</button>
            </div>
        </div>
    }
}
