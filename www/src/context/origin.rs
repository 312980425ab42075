//! Where the page lives: its origin, its base path, the links under it, and what tfe-orgs-server says of itself.

use std::time::Duration;

use leptos::prelude::*;
use serde::Deserialize;
use tfe_orgs::transport::{FetchTransport, HttpRequest, Transport};

/// The page's own origin, `http://host:port`.
pub fn own_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// A sample token the sandbox offers.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct SampleToken {
    pub token: String,
    pub user: String,
    #[serde(rename = "site-admin")]
    pub site_admin: bool,
}

/// What `tfe-orgs-server` says of itself (`GET /_tfe-orgs/info`): the page is served by it, so
/// the API is this origin's `/api/v2`, answered by the sandbox or forwarded to `upstream`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ServerInfo {
    pub mode: String,
    #[serde(default)]
    pub upstream: Option<String>,
    #[serde(default)]
    pub tokens: Vec<SampleToken>,
}

impl ServerInfo {
    pub fn is_sandbox(&self) -> bool {
        self.mode == "sandbox"
    }
}

/// The server's info, or `None` when the page is hosted elsewhere (static files on the
/// instance's own origin, for instance).
pub async fn server_info() -> Option<ServerInfo> {
    let request =
        HttpRequest { method: "GET", url: format!("{}/_tfe-orgs/info", own_origin()), headers: vec![], body: None };
    let response = FetchTransport.send(request, Duration::from_secs(5)).await.ok()?;
    serde_json::from_str(&response.body).ok().filter(|_| response.status == 200)
}

/// The path the page is served under, without its trailing slash (`""` at the root,
/// `/tfe-orgs` under a sub-path): the `--public-url` Trunk writes as `<base href>`, which
/// `cargo xtask` moves into `<meta name="tfe-orgs-base">` (the CSP allows no `<base>`).
pub fn base_path() -> String {
    thread_local! {
        static BASE: String = {
            let document = window().document();
            let meta = document.as_ref().and_then(|d| d.query_selector("meta[name=tfe-orgs-base]").ok().flatten());
            let base = match meta.and_then(|m| m.get_attribute("content")) {
                Some(path) => Some(format!("{}{path}", own_origin())),
                None => document.and_then(|d| d.base_uri().ok().flatten()),
            };
            let path = base.and_then(|b| web_sys::Url::new(&b).ok()).map(|u| u.pathname()).unwrap_or_default();
            path.trim_end_matches('/').to_string()
        };
    }
    BASE.with(Clone::clone)
}

/// The `href` of a link to the page's own `path` (`/orgs/acme`). leptos_router's `navigate`
/// adds the router's base itself, but `<A>` takes an absolute `href` as it is.
pub fn link(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// The API of the origin the page is served from.
pub fn own_api_url() -> String {
    format!("{}/api/v2", own_origin())
}
