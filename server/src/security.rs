//! Headers on every answer: the page's strict CSP, no sniffing, no referrer, no framing, and
//! HSTS when served over TLS.

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The page runs with no inline script or style (Trunk's boot script is moved to a file), calls
/// only its own origin, and may not be framed.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                       connect-src 'self'; frame-ancestors 'none'";

/// HSTS for a year; only sent over TLS (browsers ignore it on plain HTTP anyway).
pub const HSTS: &str = "max-age=31536000";

pub fn layer(app: Router, tls: bool) -> Router {
    let set = |name, value: &'static str| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    let app = app
        .layer(set(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"));
    if tls {
        app.layer(set(header::STRICT_TRANSPORT_SECURITY, HSTS))
    } else {
        app
    }
}
