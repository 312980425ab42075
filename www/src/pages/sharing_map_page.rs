//! `/sharing-map`: who shares private modules with whom, as a picture and a list.

use std::ops::ControlFlow;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use tfe_orgs::client::fan_out::fan_out;
use tfe_orgs::client::Error;
use tfe_orgs::query::ListOptions;

use crate::components::common::{ErrorBanner, Loading};
use crate::components::org_table::org_href;
use crate::context::{app_state, link, Api, Loader};
use crate::logic::{map_layout, Producing, MAP_ROW};

/// Every producer (`filter[module_producer]=true`) and, for those not sharing globally, whom
/// they share with.
pub async fn load_sharing(api: Api, progress: RwSignal<String>) -> Result<Vec<Producing>, Error> {
    let options = ListOptions { module_producer: Some(true), ..Default::default() };
    let producers = api.admin_list_all(&options, |_| {}).await?;
    let total = producers.len();
    let mut done = 0;
    let mut out = Vec::with_capacity(total);
    let mut failed = None;
    let read = |org: tfe_orgs::model::AdminOrganization| {
        let api = api.clone();
        async move {
            let name = org.attributes.name.clone().unwrap_or(org.id.clone());
            if org.attributes.global_module_sharing == Some(true) {
                return Ok(Producing { name, consumers: None });
            }
            let page = api.list_module_consumers(&name, &ListOptions::page(1, 100)).await?;
            let consumers = page.items.into_iter().filter_map(|c| c.attributes.name).collect();
            Ok::<_, Error>(Producing { name, consumers: Some(consumers) })
        }
    };
    // As many in flight as the measured latency needs to fill the rate limit.
    fan_out(producers, || api.fan_out(), || false, read, |result| match result {
        Ok(producing) => {
            out.push(producing);
            done += 1;
            let _ = progress.try_set(format!("{done} of {total} producers read"));
            ControlFlow::Continue(())
        }
        Err(e) => {
            failed.get_or_insert(e);
            ControlFlow::Break(())
        }
    })
    .await;
    if let Some(e) = failed {
        return Err(e);
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

const WIDTH: f64 = 760.0;
const LEFT: f64 = 200.0;
const RIGHT: f64 = 560.0;

/// An instance-wide picture of who shares modules with whom; click a node to open it.
#[component]
pub fn SharingMapPage() -> impl IntoView {
    let app = app_state();
    let navigate = use_navigate();
    let data: Loader<Vec<Producing>> = Loader::new();
    let progress = RwSignal::new(String::new());
    if let Some(api) = app.api() {
        data.run(load_sharing(api, progress));
    }
    let open = StoredValue::new(move |name: &str| navigate(&org_href(name), Default::default()));
    let node = move |name: String, x: f64, y: f64, anchor: &'static str, class: &'static str| {
        let label = format!("Open {name}");
        let target = name.clone();
        let target_key = name.clone();
        let tx = if anchor == "end" { x - 10.0 } else { x + 10.0 };
        view! {
            <g
                class=format!("node {class}")
                role="link"
                tabindex="0"
                aria-label=label
                on:click=move |_| open.with_value(|open| open(&target))
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" || ev.key() == " " {
                        ev.prevent_default();
                        open.with_value(|open| open(&target_key));
                    }
                }
            >
                <circle cx=x cy=y r="6"></circle>
                <text x=tx y=y + 4.0 text-anchor=anchor>{name}</text>
            </g>
        }
    };
    view! {
        <section class="map-page">
            <h1>"Module sharing map"</h1>
            <p class="hint">"Producers on the left share their private modules with the organizations on the right. Select a name to open it."</p>
            <ErrorBanner error=Signal::derive(move || data.error())/>
            <Show when=move || data.loading()>
                <Loading label=progress.get()/>
            </Show>
            {move || {
                data.ready().map(|producing| {
                    if producing.is_empty() {
                        return view! { <p class="muted">"No organization shares its modules."</p> }.into_any();
                    }
                    let layout = map_layout(&producing);
                    let edges = layout.edges.iter().map(|&(py, cy, global)| {
                        view! { <line class=if global { "edge global" } else { "edge" } x1=LEFT y1=py x2=RIGHT y2=cy></line> }
                    }).collect_view();
                    let producers = layout.producers.iter().map(|(n, y)| {
                        let global = producing.iter().any(|p| &p.name == n && p.consumers.is_none());
                        node(n.clone(), LEFT, *y, "end", if global { "producer global" } else { "producer" })
                    }).collect_view();
                    let consumers = layout.consumers.iter().map(|(n, y)| node(n.clone(), RIGHT, *y, "start", "consumer")).collect_view();
                    let everyone = layout.everyone_y.map(|y| view! {
                        <g class="node everyone">
                            <circle cx=RIGHT cy=y r="8"></circle>
                            <text x=RIGHT + 12.0 y=y + 4.0>"every organization"</text>
                        </g>
                    });
                    let height = layout.height + MAP_ROW;
                    view! {
                        <div class="map-scroller">
                            <svg
                                class="sharing-map"
                                role="group"
                                aria-label="Module sharing map"
                                viewBox=format!("0 0 {WIDTH} {height}")
                                width=WIDTH
                                height=height
                            >
                                <g class="edges">{edges}</g>
                                {everyone}
                                <g class="producers">{producers}</g>
                                <g class="consumers">{consumers}</g>
                            </svg>
                        </div>
                        <h2>"As a list"</h2>
                        <ul class="map-list">
                            {producing.into_iter().map(|p| view! {
                                <li>
                                    <A href=link(&org_href(&p.name))>{p.name.clone()}</A>
                                    " → "
                                    {match p.consumers {
                                        None => view! { <span>"every organization"</span> }.into_any(),
                                        Some(list) => list.into_iter().map(|c| view! { <A href=link(&org_href(&c))>{c.clone()}</A>" " }).collect_view().into_any(),
                                    }}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })
            }}
        </section>
    }
}
