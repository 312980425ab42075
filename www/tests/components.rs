//! Component tests in a real browser (wasm-bindgen-test): mount a component, act on the DOM as a
//! user would (input and change events), read the DOM back.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use tfe_orgs::client::{Complete, Page, SharingState};
use tfe_orgs::client::{Error, ErrorKind};
use tfe_orgs::model::AdminOrganization;
use tfe_orgs_www::components::admin_settings::AdminSettingsEditor;
use tfe_orgs_www::components::common::{ErrorBanner, ImpactSummary, NameList};
use tfe_orgs_www::components::org_form::OrgForm;
use tfe_orgs_www::components::org_table::OrgTable;
use tfe_orgs_www::components::sharing_editor::SharingEditor;
use tfe_orgs_www::context::AppState;
use tfe_orgs_www::logic::{Impact, OrgDraft, Row};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mount `view` into a fresh element of the document; the returned element holds it.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let root: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(AppState::new());
        view()
    });
    handle.forget();
    root
}

/// Let effects and the scheduler run.
async fn settle() {
    let promise = web_sys::js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn find(root: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"))
}

fn text(root: &web_sys::HtmlElement, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn fire(target: &web_sys::Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    target.dispatch_event(&web_sys::Event::new_with_event_init_dict(kind, &init).unwrap()).unwrap();
}

async fn select(root: &web_sys::HtmlElement, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(root, selector).unchecked_into();
    select.set_value(value);
    fire(&select, "change");
    settle().await;
}

async fn type_into(root: &web_sys::HtmlElement, selector: &str, value: &str) {
    let input: web_sys::HtmlInputElement = find(root, selector).unchecked_into();
    input.set_value(value);
    fire(&input, "input");
    settle().await;
}

async fn set_checked(root: &web_sys::HtmlElement, selector: &str, on: bool) {
    let input: web_sys::HtmlInputElement = find(root, selector).unchecked_into();
    input.set_checked(on);
    fire(&input, "change");
    settle().await;
}

fn disabled(root: &web_sys::HtmlElement, selector: &str) -> bool {
    find(root, selector).unchecked_into::<web_sys::HtmlButtonElement>().disabled()
}

#[wasm_bindgen_test]
async fn org_form_checks_every_rule_as_you_type_and_submits_only_a_valid_draft() {
    let draft = RwSignal::new(OrgDraft::default());
    let submitted = RwSignal::new(Vec::<OrgDraft>::new());
    let root = mount(move || {
        view! {
            <OrgForm
                draft=draft
                server_error=Signal::derive(|| None)
                saving=Signal::derive(|| false)
                submit_label="Create"
                on_submit=Callback::new(move |d| submitted.update(|s| s.push(d)))
            />
        }
    });
    settle().await;
    assert_eq!(text(&root, "#name-error"), "", "required waits for a touch");
    type_into(&root, "#name", "bad name").await;
    assert!(text(&root, "#name-error").contains("whitespace"), "{}", text(&root, "#name-error"));
    type_into(&root, "#name", "../admin").await;
    assert!(text(&root, "#name-error").contains("/"), "{}", text(&root, "#name-error"));
    assert!(
        root.query_selector("#send-passing-statuses-for-untriggered-speculative-plans").unwrap().is_none(),
        "what TFE refuses to change is not offered"
    );
    set_checked(&root, "#aggregated-commit-status-enabled", true).await;
    assert_eq!(text(&root, "#aggregated-commit-status-enabled-error"), "");
    select(&root, "#default-execution-mode", "agent").await;
    assert!(text(&root, "#default-agent-pool-id-error").contains("required"), "a cross-field rule shows as you choose");

    find(&root, "form").unchecked_into::<web_sys::HtmlFormElement>().request_submit().unwrap();
    settle().await;
    assert!(submitted.get_untracked().is_empty(), "an invalid draft is not submitted");
    assert!(text(&root, "#email-error").contains("required"), "submitting reveals required fields");

    type_into(&root, "#name", "acme").await;
    type_into(&root, "#email", "ops@acme.io").await;
    type_into(&root, "#default-agent-pool-id", "apool-1").await;
    find(&root, "form").unchecked_into::<web_sys::HtmlFormElement>().request_submit().unwrap();
    settle().await;
    let sent = submitted.get_untracked();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].get("name"), sent[0].get("email")), ("acme", "ops@acme.io"));
    assert!(sent[0].flag("aggregated-commit-status-enabled"));
}

fn admin_org() -> AdminOrganization {
    serde_json::from_value(serde_json::json!({
        "id": "acme", "type": "organizations",
        "attributes": {
            "name": "acme", "access-beta-tools": false, "is-disabled": false,
            "plan-timeout": "2h", "terraform-build-worker-apply-timeout": "2h",
            "global-module-sharing": false
        }
    }))
    .unwrap()
}

#[wasm_bindgen_test]
async fn admin_settings_editor_shows_the_diff_and_blocks_invalid_timeouts() {
    let root = mount(
        || view! { <AdminSettingsEditor name="acme".to_string() org=admin_org() on_saved=Callback::new(|_| {}) on_reread=Callback::new(|_| {})/> },
    );
    settle().await;
    assert!(text(&root, "section.diff").contains("No changes."));
    assert!(disabled(&root, "button[type=submit]"));
    set_checked(&root, "#is-disabled", true).await;
    assert_eq!(text(&root, "section.diff li[data-field=is-disabled]"), "Disabled: Off → On");
    assert!(!disabled(&root, "button[type=submit]"));
    type_into(&root, "#plan-timeout", "soon").await;
    assert!(text(&root, "#plan-timeout-error").contains("duration"));
    assert!(disabled(&root, "button[type=submit]"), "an invalid timeout blocks saving");
    type_into(&root, "#plan-timeout", "1h30m").await;
    assert_eq!(text(&root, "#plan-timeout-error"), "");
    assert_eq!(root.query_selector_all("section.diff li").unwrap().length(), 2);
    // Back to the instance default: the input is off and the diff says so.
    set_checked(&root, "#plan-timeout-default", true).await;
    assert!(find(&root, "#plan-timeout").has_attribute("disabled"));
    assert_eq!(text(&root, "section.diff li[data-field=plan-timeout]"), "Plan timeout: 2h → Instance default");
    assert_eq!(text(&root, "#plan-timeout-error"), "");
}

#[wasm_bindgen_test]
async fn sharing_editor_summarizes_who_loses_access() {
    let current = SharingState::new(true, full(vec![]).await);
    let root = mount(
        move || view! { <SharingEditor name="acme".to_string() current=current on_saved=Callback::new(|_| {}) on_reread=Callback::new(|_| {})/> },
    );
    settle().await;
    assert!(text(&root, "section.summary").contains("No change."));
    set_checked(&root, "#sharing-specific", true).await;
    assert!(root.query_selector("#consumer-search").unwrap().is_some(), "the picker shows");
    assert!(text(&root, "section.summary").contains("choose at least one organization"));
    assert!(disabled(&root, "button[type=submit]"));
    set_checked(&root, "#sharing-none", true).await;
    assert!(text(&root, "section.summary").contains("Every organization loses access."));
    assert!(!disabled(&root, "button[type=submit]"));
}

#[wasm_bindgen_test]
async fn org_table_renders_only_the_rows_in_view() {
    let row = |i: usize| Row {
        name: format!("org-{i:05}"),
        email: format!("o{i}@x.io"),
        external_id: format!("org-{i}"),
        is_disabled: Some(i.is_multiple_of(10)),
        global_module_sharing: Some(false),
        owners: vec![],
        consumer_counts: None,
    };
    let rows = RwSignal::new((0..10_000).map(row).collect::<Vec<_>>());
    let root = mount(move || view! { <Router><OrgTable rows=rows admin=true/></Router> });
    settle().await;
    let rendered = root.query_selector_all("tr.row").unwrap().length();
    assert!(rendered > 0 && rendered < 100, "{rendered} rows in the DOM for 10,000");
    assert_eq!(find(&root, "table").get_attribute("aria-rowcount").as_deref(), Some("10001"));
    rows.set((0..50).map(row).collect());
    settle().await;
    assert_eq!(root.query_selector_all("tr.row").unwrap().length(), 50, "small results render whole");
    assert_eq!(text(&root, "tr.row td"), "org-00000");
}

#[wasm_bindgen_test]
async fn error_banner_says_what_happened_and_what_to_do() {
    let error = RwSignal::new(None::<Error>);
    let root = mount(move || view! { <ErrorBanner error=error/> });
    settle().await;
    assert!(root.query_selector("[role=alert]").unwrap().is_none());
    let cases = [
        (ErrorKind::Unauthorized, Some(401), "rejected the token"),
        (ErrorKind::NotFound, Some(404), "Not found."),
        (ErrorKind::RateLimited, Some(429), "Too many requests."),
        (ErrorKind::Server, Some(503), "The instance failed (503)."),
        (ErrorKind::Network, None, "could not be reached"),
        (ErrorKind::OutcomeUnknown, Some(502), "may have applied this change"),
    ];
    for (kind, status, expected) in cases {
        let mut e = Error::new(kind, "details");
        e.status = status;
        error.set(Some(e));
        settle().await;
        assert!(text(&root, "[role=alert]").contains(expected), "{kind:?}: {}", text(&root, "[role=alert]"));
    }
}

/// A list read in full, as list-all returns it (one page, nothing more to follow).
async fn full(names: Vec<String>) -> Complete<String> {
    let page = Page { items: names, pagination: None, status_counts: None, included: Vec::new() };
    tfe_orgs::client::list_all(|_| std::future::ready(Ok(page.clone())), &|| 1, 0, &mut |_| {}).await.unwrap()
}

fn numbered(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}-{i:03}")).collect()
}

fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

async fn click(root: &web_sys::HtmlElement, selector: &str) {
    find(root, selector).unchecked_into::<web_sys::HtmlElement>().click();
    settle().await;
}

#[wasm_bindgen_test]
async fn a_long_name_list_is_counted_filtered_and_shown_in_full_on_request() {
    let names = RwSignal::new(numbered("org", 150));
    let removed = RwSignal::new(Vec::<String>::new());
    let root = mount(move || {
        view! {
            <NameList names=names label="Chosen organizations" empty="None."
                on_remove=Callback::new(move |n: String| removed.update(|r| r.push(n)))/>
        }
    });
    settle().await;
    assert_eq!(text(&root, ".count"), "150 organizations (showing 20)");
    assert_eq!(count(&root, "li.chip"), 20, "compact: the first 20");
    assert!(text(&root, "button.show-all").contains("Show all 150"));
    type_into(&root, "input.name-filter", "ORG-1").await;
    // org-100..org-150, whatever the case.
    assert_eq!(text(&root, ".count"), "51 of 150 organizations match (showing 20)");
    click(&root, "button.show-all").await;
    assert_eq!(count(&root, "li.chip"), 51);
    type_into(&root, "input.name-filter", "org-150").await;
    assert_eq!(text(&root, ".count"), "1 of 150 organizations match (showing 1)");
    click(&root, "li.chip button").await;
    assert_eq!(removed.get_untracked(), vec!["org-150".to_string()]);
    // The list gets short while a filter is on: the filter stays, so it can be cleared.
    names.set(numbered("org", 3));
    settle().await;
    assert_eq!(text(&root, ".count"), "0 of 3 organizations match (showing 0)");
    type_into(&root, "input.name-filter", "").await;
    // A short list: no filter box, every name.
    assert_eq!(text(&root, ".count"), "3 organizations");
    assert!(root.query_selector("input.name-filter").unwrap().is_none());
    names.set(Vec::new());
    settle().await;
    assert!(text(&root, "p.muted").contains("None."));
}

#[wasm_bindgen_test]
async fn the_impact_summary_counts_each_registry_lists_20_and_keeps_every_name_behind_a_disclosure() {
    let modules = SharingState::new(false, full(numbered("m", 150)).await);
    let providers = SharingState::new(false, full(numbered("p", 130)).await);
    let impact = Impact::from_states(&modules, Some(&providers));
    let root =
        mount(move || view! { <ImpactSummary report=impact.report() verb="Deleting" file="big.csv".to_string()/> });
    settle().await;
    let summary = text(&root, "section.impact");
    assert!(summary.contains("Deleting: who loses access"), "{summary}");
    assert!(summary.contains("150 organizations lose access to its private modules."), "{summary}");
    assert!(summary.contains("130 organizations lose access to its private providers."), "{summary}");
    assert_eq!(count(&root, "ul.impact-names li"), 20);
    assert_eq!(text(&root, "details.impact-all summary"), "All 280 organizations that lose access");
    assert_eq!(count(&root, "details.impact-all li"), 280);
    assert!(root.query_selector("button.secondary").unwrap().is_some(), "a CSV of them");
}
