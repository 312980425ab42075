//! The organizations table, virtualized past a few hundred rows.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::context::link;
use leptos_router::components::A;
use tfe_orgs::query::encode;

use crate::logic::Row;

/// Row height in pixels; fixed so that only the rows in view are rendered.
pub const ROW_HEIGHT: usize = 36;
/// Above this many rows, only the visible ones (plus a margin) are in the DOM.
pub const VIRTUALIZE_ABOVE: usize = 200;
const OVERSCAN: usize = 10;

/// The rows to render for a scroll position: `(first, end)`.
/// Positions are whole pixels (the DOM's `scrollTop` and `clientHeight` are integers).
pub fn visible_range(len: usize, scroll_top: usize, viewport: usize) -> (usize, usize) {
    if len <= VIRTUALIZE_ABOVE {
        return (0, len);
    }
    let first = (scroll_top / ROW_HEIGHT).saturating_sub(OVERSCAN).min(len);
    let count = viewport.div_ceil(ROW_HEIGHT) + 2 * OVERSCAN;
    (first, (first + count).min(len))
}

pub fn org_href(name: &str) -> String {
    format!("/orgs/{}", encode(name))
}

/// The organizations table. Thousands of rows scroll smoothly: only those in view are rendered.
/// With a `selection` (site admins), each row has a checkbox and the header one selects or
/// clears every row shown.
#[component]
pub fn OrgTable(
    #[prop(into)] rows: Signal<Vec<Row>>,
    admin: bool,
    #[prop(optional)] selection: Option<RwSignal<BTreeSet<String>>>,
    /// Show the consumer counts column.
    #[prop(optional, into)]
    counts: Signal<bool>,
) -> impl IntoView {
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0usize);
    let viewport = RwSignal::new(600usize);
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(el.scroll_top().max(0) as usize);
            viewport.set((el.client_height().max(0) as usize).max(ROW_HEIGHT));
        }
    };
    let range = Memo::new(move |_| rows.with(|r| visible_range(r.len(), scroll_top.get(), viewport.get())));
    let columns = if admin { 5 } else { 3 } + usize::from(selection.is_some());
    let all_shown = move || {
        selection
            .is_some_and(|sel| rows.with(|r| !r.is_empty() && sel.with(|s| r.iter().all(|row| s.contains(&row.name)))))
    };
    let toggle_shown = move |on: bool| {
        if let Some(sel) = selection {
            rows.with_untracked(|r| {
                sel.update(|s| {
                    for row in r {
                        if on {
                            s.insert(row.name.clone());
                        } else {
                            s.remove(&row.name);
                        }
                    }
                })
            });
        }
    };
    let spacer = move |height: usize| {
        view! { <tr class="spacer" aria-hidden="true" style:height=format!("{height}px")><td colspan=columns></td></tr> }
    };
    view! {
        <div class="table-scroller" node_ref=scroller on:scroll=on_scroll tabindex="0" aria-label="Organizations table">
            <table class="orgs" aria-rowcount=move || rows.with(|r| r.len() + 1)>
                <thead>
                    <tr aria-rowindex="1">
                        {selection.map(|_| view! {
                            <th scope="col" class="pick">
                                <input
                                    type="checkbox"
                                    aria-label="Select every organization shown"
                                    prop:checked=all_shown
                                    on:change=move |ev| toggle_shown(event_target_checked(&ev))
                                />
                            </th>
                        })}
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        {admin.then(|| view! { <th scope="col">"Status"</th><th scope="col">"Module sharing"</th> })}
                        <th scope="col">{if admin { "Owners" } else { "External id" }}</th>
                        {move || counts.get().then(|| view! { <th scope="col" title="Organizations it shares private modules · providers with">"Consumers"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let (first, end) = range.get();
                        let len = rows.with(|r| r.len());
                        let top = (len > VIRTUALIZE_ABOVE).then(|| spacer(first * ROW_HEIGHT));
                        let bottom = (len > VIRTUALIZE_ABOVE).then(|| spacer((len - end) * ROW_HEIGHT));
                        let body = rows.with(|r| {
                            r[first..end]
                                .iter()
                                .enumerate()
                                .map(|(i, row)| row_view(row, first + i + 2, admin, selection, counts.get()))
                                .collect_view()
                        });
                        (top, body, bottom)
                    }}
                </tbody>
            </table>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="empty">"No organizations match."</p>
            </Show>
        </div>
    }
}

fn row_view(
    row: &Row,
    index: usize,
    admin: bool,
    selection: Option<RwSignal<BTreeSet<String>>>,
    counts: bool,
) -> impl IntoView {
    let status = match row.is_disabled {
        Some(true) => "disabled",
        _ => "active",
    };
    let sharing = match row.global_module_sharing {
        Some(true) => "all organizations",
        _ => "",
    };
    let last = if admin { row.owners.join(", ") } else { row.external_id.clone() };
    let (href, name, email, email_title) =
        (link(&org_href(&row.name)), row.name.clone(), row.email.clone(), row.email.clone());
    let last_title = last.clone();
    let pick = selection.map(|sel| {
        let key = name.clone();
        let label = format!("Select {name}");
        let checked = {
            let key = key.clone();
            move || sel.with(|s| s.contains(&key))
        };
        view! {
            <td class="pick">
                <input
                    type="checkbox"
                    aria-label=label
                    prop:checked=checked
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        sel.update(|s| {
                            if on {
                                s.insert(key.clone());
                            } else {
                                s.remove(&key);
                            }
                        })
                    }
                />
            </td>
        }
    });
    view! {
        <tr class="row" aria-rowindex=index>
            {pick}
            <td class="name"><A href=href>{name}</A></td>
            <td class="email" title=email_title>{email}</td>
            {admin.then(|| view! { <td class=status>{status}</td><td>{sharing}</td> })}
            <td title=last_title>{last}</td>
            {counts.then(|| view! { <td class="counts">{row.counts_text()}</td> })}
        </tr>
    }
}
