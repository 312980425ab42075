//! Headers on every answer: the page's strict CSP, no sniffing, no referrer, no framing, and
//! HSTS when served over TLS. API answers have their own: never cached, never rendered, and no
//! other site's page may send them.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::middleware::{from_fn, Next};
use axum::Router;
use tfe_sandbox::guard::{self, AllowedHosts};
use tower_http::set_header::SetResponseHeaderLayer;

/// The page runs with no inline script or style (Trunk's boot script is moved to a file), calls
/// only its own origin, may not be framed, and cannot be re-based or post a form elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                       connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// API answers are data: opened as a document they run nothing and load nothing.
pub const API_CSP: &str = "default-src 'none'; sandbox";

/// HSTS for a year; only sent over TLS (browsers ignore it on plain HTTP anyway).
pub const HSTS: &str = "max-age=31536000";

pub fn layer(app: Router, tls: bool) -> Router {
    let set = |name, value: &'static str| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    let app = app
        // Answers that set their own (the API's) keep it.
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"));
    if tls {
        app.layer(set(header::STRICT_TRANSPORT_SECURITY, HSTS))
    } else {
        app
    }
}

/// `/api/v2`: refuses other sites' pages (`Sec-Fetch-Site: cross-site`, a foreign `Origin`),
/// and answers `Cache-Control: no-store` with the API's CSP; a body that is not JSON is sent as
/// a download, never as a document of this origin.
pub fn api_layer(api: Router) -> Router {
    let set = |name, value: &'static str| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    api.layer(from_fn(same_site_only))
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(set(header::CONTENT_SECURITY_POLICY, API_CSP))
}

async fn same_site_only(request: Request, next: Next) -> Response<Body> {
    let hosts = request.extensions().get::<AllowedHosts>().cloned().unwrap_or_else(AllowedHosts::loopback_any_port);
    if guard::cross_site(request.headers(), |origin| hosts.is_own_origin(origin)) {
        return guard::refusal(
            StatusCode::FORBIDDEN,
            "cross-site request refused",
            "this server answers the API only to pages of its own origin",
        );
    }
    let mut response = next.run(request).await;
    let json = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| {
        let t = t.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        t == "application/json" || t == "application/vnd.api+json" || t.ends_with("+json")
    });
    if !json && response.headers().contains_key(header::CONTENT_TYPE) {
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
        headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    }
    response
}
