//! `tfe-orgs-server`: serves the built admin page and answers `/api/v2` on the same origin,
//! either by forwarding to the one TFE instance named at start (`--upstream`) or with the
//! sandbox in-process (`--sandbox`). TFE sends no CORS headers, so this is how a page in a
//! browser reaches a real instance. It holds no token: the caller's own passes through.
//!
//! `main.rs` parses flags and serves; [`app`] is the whole HTTP surface, tested without a socket
//! where it can be.

pub mod cli;
pub mod page;
pub mod proxy;
pub mod security;
pub mod tls;

/// Serving with bounded time and connections per client (shared with `tfe-sandbox`).
pub use tfe_sandbox::serve;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use page::Page;
pub use proxy::Upstream;
pub use tfe_sandbox::guard::AllowedHosts;

/// Where `/api/v2` is answered.
pub enum Api {
    /// Forwarded to one instance.
    Upstream(Upstream),
    /// The sandbox's router, in-process.
    Sandbox(tfe_sandbox::http::Emulator),
}

/// Everything [`app`] needs.
pub struct AppConfig {
    pub api: Api,
    pub page: Page,
    /// Served over TLS: responses carry HSTS.
    pub tls: bool,
    /// The `Host` names served (loopback on the listening port, `--public-name`s).
    pub hosts: AllowedHosts,
}

/// What `GET /_tfe-orgs/info` tells the page: the mode, and the instance it reaches.
#[derive(Clone, serde::Serialize)]
struct Info {
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    upstream: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<Vec<tfe_sandbox::http::SampleToken>>,
    version: &'static str,
}

/// The whole server: info, the API (proxy or sandbox), the page; security headers on every
/// answer, the `Authorization` header marked sensitive for every layer that could print it.
pub fn app(config: AppConfig) -> Router {
    let (api, info) = match config.api {
        Api::Upstream(upstream) => {
            let info = Info {
                mode: "upstream",
                upstream: Some(upstream.origin().to_string()),
                tokens: None,
                version: env!("CARGO_PKG_VERSION"),
            };
            (proxy::router(upstream), info)
        }
        Api::Sandbox(emulator) => {
            let info = Info {
                mode: "sandbox",
                upstream: None,
                tokens: Some(emulator.tokens),
                version: env!("CARGO_PKG_VERSION"),
            };
            (emulator.router, info)
        }
    };
    let info_route = Router::new().route("/_tfe-orgs/info", get(info_handler)).with_state(info);
    let app = Router::new().merge(info_route).merge(security::api_layer(api)).merge(page::router(config.page));
    tfe_sandbox::guard::layer(security::layer(app, config.tls), config.hosts)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetSensitiveRequestHeadersLayer::new([header::AUTHORIZATION, header::COOKIE]))
}

async fn info_handler(State(info): State<Info>) -> impl IntoResponse {
    ([(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))], Json(info))
}

/// JSON:API error document, as TFE answers errors, for errors the server itself produces.
pub fn error_response(status: axum::http::StatusCode, title: &str, detail: &str) -> axum::response::Response {
    let body = serde_json::json!({
        "errors": [{ "status": status.as_str(), "title": title, "detail": detail }]
    });
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.api+json"))], body.to_string())
        .into_response()
}
