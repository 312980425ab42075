//! The client over the real fetch transport in headless Chromium, against the `tfe-sandbox`
//! that `cargo xtask test` starts (its URL is passed to this build as TFE_SANDBOX_URL).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use tfe_orgs::model::{AdminOrganizationUpdate, OrganizationCreate};
use tfe_orgs::transport::FetchTransport;
use tfe_orgs::{Client, ClientOptions, ErrorKind, ListOptions};
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

// Compiles without the variable (cargo check, clippy); only running these tests needs it.
#[allow(clippy::option_env_unwrap)]
fn sandbox_url() -> &'static str {
    option_env!("TFE_SANDBOX_URL")
        .expect("run through `cargo xtask test`, which starts tfe-sandbox and sets TFE_SANDBOX_URL")
}

fn client(token: &str) -> Client<FetchTransport> {
    Client::new(sandbox_url(), token, FetchTransport).unwrap()
}

async fn post_control(path: &str, body: &str) {
    let transport = FetchTransport;
    use tfe_orgs::transport::{HttpRequest, Transport};
    let request = HttpRequest {
        method: "POST",
        url: format!("{}{path}", sandbox_url()),
        headers: vec![("Content-Type", "application/json".into())],
        body: Some(body.into()),
    };
    let response = transport.send(request, Duration::from_secs(10)).await.unwrap();
    assert!(response.status < 300, "{path}: {}", response.status);
}

#[wasm_bindgen_test]
async fn reads_lists_and_writes_over_fetch() {
    let c = client("sandbox-admin-token");
    let org = c.read("hashicorp").await.unwrap();
    assert_eq!(org.attributes.external_id.as_deref(), Some("org-Hysjx5eUviuKVCJY"));

    let page = c.admin_list(&ListOptions { q_name: Some("acme".into()), ..Default::default() }).await.unwrap();
    assert_eq!(page.status_counts.unwrap().total, 5);
    assert_eq!(page.pagination.unwrap().total_count, Some(5));

    let mut updates = 0;
    let all = c
        .admin_list_all(&ListOptions { page_size: Some(7), ..Default::default() }, &mut |_| updates += 1)
        .await
        .unwrap();
    assert!(all.len() >= 30, "{}", all.len());
    assert_eq!(updates, all.len().div_ceil(7));

    let name = format!("browser-{}", js_sys::Date::now() as u64);
    let created = c.create(&OrganizationCreate::new(name.as_str(), "browser@example.com")).await.unwrap();
    assert_eq!(created.id, name);
    let body = AdminOrganizationUpdate { access_beta_tools: Some(true), ..Default::default() };
    assert_eq!(c.admin_update(&name, &body).await.unwrap().attributes.access_beta_tools, Some(true));
    c.delete(&name).await.unwrap();
    assert_eq!(c.read(&name).await.unwrap_err().kind, ErrorKind::NotFound);
}

#[wasm_bindgen_test]
async fn error_kinds_over_fetch() {
    assert_eq!(client("wrong-token").read("hashicorp").await.unwrap_err().kind, ErrorKind::Unauthorized);
    let member = client("sandbox-member-token");
    assert_eq!(member.admin_read("hashicorp").await.unwrap_err().kind, ErrorKind::NotFound);
    let e =
        client("sandbox-admin-token").create(&OrganizationCreate::new("HASHICORP", "x@example.com")).await.unwrap_err();
    assert_eq!((e.kind, e.field.as_deref()), (ErrorKind::Unprocessable, Some("/data/attributes/name")));
    assert_eq!(member.read("a/b").await.unwrap_err().kind, ErrorKind::Validation);

    let refused = Client::new("http://127.0.0.1:9", "t", FetchTransport).unwrap();
    let options = ClientOptions { max_retries: 0, ..Default::default() };
    let refused = Client::with_options(refused.api_url(), "t", FetchTransport, options).unwrap();
    assert_eq!(refused.read("hashicorp").await.unwrap_err().kind, ErrorKind::Network);
}

#[wasm_bindgen_test]
async fn timeouts_abort_the_request() {
    post_control("/_sandbox/faults", r#"{"latency-ms": 800}"#).await;
    let options = ClientOptions { timeout: Duration::from_millis(150), max_retries: 0, ..Default::default() };
    let slow = Client::with_options(sandbox_url(), "sandbox-admin-token", FetchTransport, options).unwrap();
    let result = slow.read("hashicorp").await;
    post_control("/_sandbox/faults", "{}").await;
    assert_eq!(result.unwrap_err().kind, ErrorKind::Timeout);
}

/// Every API request is made with `cache: "no-store"`: organization data read with an admin
/// token is never kept in the browser's HTTP cache. Observed on the `Request` that reaches
/// `fetch`, and on the wire (the browser adds `Cache-Control: no-cache` for that mode).
#[wasm_bindgen_test]
async fn requests_bypass_the_http_cache() {
    use wasm_bindgen::JsValue;
    let spy = js_sys::Function::new_no_args(
        "const real = globalThis.fetch; const modes = []; \
         globalThis.fetch = (request, init) => { modes.push(request.cache); return real(request, init); }; \
         return { modes, restore: () => { globalThis.fetch = real; } };",
    );
    let handle = spy.call0(&JsValue::NULL).unwrap();
    let c = client("sandbox-admin-token");
    let read = c.read("hashicorp").await.map(|o| o.id);
    let listed = c.admin_list(&ListOptions::default()).await.map(|p| p.items.len());
    let restore: js_sys::Function = js_sys::Reflect::get(&handle, &"restore".into()).unwrap().into();
    restore.call0(&JsValue::NULL).unwrap();
    assert_eq!(read.unwrap(), "hashicorp");
    assert!(listed.unwrap() > 0);
    let modes: js_sys::Array = js_sys::Reflect::get(&handle, &"modes".into()).unwrap().into();
    let modes: Vec<String> = modes.iter().filter_map(|m| m.as_string()).collect();
    assert_eq!(modes, ["no-store", "no-store"]);
}
