//! `/api/v2/*` forwarded to the one upstream named at start. Only validated paths under
//! `/api/v2/` go out, to the fixed scheme and host; an allow-list of headers crosses each way
//! (never a cookie); upstream failures become JSON:API error documents the page shows.

use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use percent_encoding::percent_decode_str;

use crate::error_response;

/// Largest request body forwarded (TFE's own bodies are a few KB).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Request headers forwarded to the upstream; everything else (cookies, `Host`, hop-by-hop
/// headers, forwarding headers) stays here.
const REQUEST_HEADERS: [HeaderName; 4] =
    [header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT, header::ACCEPT_ENCODING];

/// Response headers passed back, besides every `x-ratelimit-*`.
const RESPONSE_HEADERS: [HeaderName; 5] =
    [header::CONTENT_TYPE, header::CONTENT_ENCODING, header::RETRY_AFTER, header::VARY, header::LOCATION];

/// The instance `/api/v2` is forwarded to, and the pooled client that reaches it.
#[derive(Clone)]
pub struct Upstream {
    origin: String,
    client: reqwest::Client,
    timeout: Duration,
    max_answer: usize,
}

/// The largest upstream answer relayed unless told otherwise (`--max-upstream-answer-mib`).
pub const DEFAULT_MAX_ANSWER: usize = 32 * 1024 * 1024;

impl Upstream {
    /// `origin` must come from [`crate::cli::upstream_origin`] (scheme, host, port; no path).
    pub fn new(origin: String, client: reqwest::Client, timeout: Duration) -> Self {
        Upstream { origin, client, timeout, max_answer: DEFAULT_MAX_ANSWER }
    }

    /// Answers longer than `bytes` become a 502 document (a hostile or broken upstream cannot
    /// make the server hold more than this per request).
    pub fn with_max_answer(self, bytes: usize) -> Self {
        Upstream { max_answer: bytes, ..self }
    }

    /// `https://tfe.example.com` (no trailing slash).
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

pub fn router(upstream: Upstream) -> Router {
    Router::new().route("/api/v2/{*rest}", any(forward)).with_state(upstream)
}

/// Why a request path is refused: it could reach another upstream path than the one it names.
#[derive(Debug, PartialEq)]
pub struct PathRefused(pub &'static str);

/// The raw (still percent-encoded) path, checked segment by segment: under `/api/v2/`, no empty
/// segment (`//`), no `.` or `..` even encoded, no slash, backslash, `;` or control character
/// even encoded. What passes is forwarded byte for byte.
pub fn checked_path(raw: &str) -> Result<&str, PathRefused> {
    let Some(rest) = raw.strip_prefix("/api/v2/") else {
        return Err(PathRefused("only /api/v2/ paths are forwarded"));
    };
    for segment in rest.split('/') {
        if segment.is_empty() {
            return Err(PathRefused("empty path segment"));
        }
        let decoded = percent_decode_str(segment).collect::<Vec<u8>>();
        if decoded == b"." || decoded == b".." {
            return Err(PathRefused("dot segment"));
        }
        if decoded.iter().any(|b| matches!(b, b'/' | b'\\' | b';' | b'%') || b.is_ascii_control()) {
            return Err(PathRefused("encoded slash, backslash, percent, ';' or control character"));
        }
        // An overlong or broken UTF-8 sequence (`%C0%AE` for `.`) is what naive decoders turn
        // into the character it spells; and a server behind may fold look-alikes to `.` or `/`.
        let Ok(text) = std::str::from_utf8(&decoded) else {
            return Err(PathRefused("a segment that is not valid UTF-8"));
        };
        if text.chars().any(|c| LOOK_ALIKES.contains(&c)) {
            return Err(PathRefused("a look-alike of '.', '/' or '\\'"));
        }
    }
    Ok(raw)
}

/// Characters that Unicode normalisation (NFKC) or a lenient server folds into `.`, `/` or `\\`.
const LOOK_ALIKES: [char; 8] =
    ['\u{FF0E}', '\u{FF0F}', '\u{FF3C}', '\u{2215}', '\u{2044}', '\u{2024}', '\u{FE52}', '\u{29F5}'];

async fn forward(
    State(upstream): State<Upstream>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let path = match checked_path(uri.path()) {
        Ok(path) => path,
        Err(PathRefused(why)) => {
            return error_response(StatusCode::BAD_REQUEST, "Bad Request", &format!("path refused: {why}"))
        }
    };
    let too_large = || {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload Too Large",
            &format!("request bodies are limited to {} KiB", BODY_LIMIT / 1024),
        )
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return too_large();
    }
    let Ok(body) = to_bytes(body, BODY_LIMIT).await else {
        return too_large();
    };
    let url = upstream_url(&upstream.origin, path, &uri);
    // The timeout is per phase, not for the whole exchange: the upstream has that long to send
    // the head of its answer, then that long between two parts of the body (an export that
    // streams for minutes passes; one that stalls is cut). See `relay`.
    let mut request = upstream.client.request(method, url);
    for name in REQUEST_HEADERS {
        for value in headers.get_all(&name) {
            request = request.header(&name, value.clone());
        }
    }
    if !body.is_empty() {
        request = request.body(body);
    }
    let max = upstream.max_answer;
    let send = async {
        let response = request.send().await?;
        let status = response.status();
        // 1xx (an upgrade among them) is between the upstream and this server, never relayed.
        if status.is_informational() {
            return Ok(Err(format!("the upstream answered {status}, which is not relayed")));
        }
        if response.content_length().is_some_and(|n| n > max as u64) {
            return Ok(Err(too_long(max)));
        }
        Ok::<_, reqwest::Error>(Ok(response))
    };
    let Ok(sent) = tokio::time::timeout(upstream.timeout, send).await else {
        return upstream_timed_out(&upstream);
    };
    match sent {
        Ok(Err(why)) => error_response(StatusCode::BAD_GATEWAY, "Bad Gateway", &why),
        Ok(Ok(answer)) => {
            let mut response = Response::builder().status(answer.status());
            for (name, value) in answer.headers() {
                if RESPONSE_HEADERS.contains(name) || name.as_str().starts_with("x-ratelimit-") {
                    response = response.header(name, value);
                }
            }
            // A length the upstream declared (within the limit, checked above) crosses: the
            // client then knows an answer that ends short is broken. Without one, chunked.
            if let Some(length) = answer.content_length() {
                response = response.header(header::CONTENT_LENGTH, length);
            }
            response.body(relay(answer, max, upstream.timeout)).expect("headers came from a valid response")
        }
        Err(error) => upstream_failure(&upstream, &error),
    }
}

fn too_long(max: usize) -> String {
    format!("the upstream's answer is longer than {} MiB", max / (1024 * 1024))
}

/// The upstream's body relayed chunk by chunk as it arrives, so neither the first byte nor the
/// server's memory waits for the whole answer. Past `max` bytes, when the upstream breaks off, or
/// when it sends nothing for `idle` (`--upstream-timeout`), the body ends in an error: the connection is cut (no final chunk, a reset stream), which a
/// client sees as a broken answer, never as a complete one that parses (with a declared length,
/// an answer that ends short of it is broken too).
fn relay(answer: reqwest::Response, max: usize, idle: Duration) -> Body {
    let chunks = futures_util::stream::unfold(Some((answer, 0usize)), move |state| async move {
        let (mut answer, relayed) = state?;
        let Ok(next) = tokio::time::timeout(idle, answer.chunk()).await else {
            let why = format!("the upstream sent nothing for {} s (--upstream-timeout)", idle.as_secs_f64());
            tracing::warn!("{why}: the answer is cut");
            return Some((Err(std::io::Error::other(why)), None));
        };
        match next {
            Ok(None) => None,
            Ok(Some(chunk)) if relayed + chunk.len() > max => {
                tracing::warn!("{}: the answer is cut", too_long(max));
                Some((Err(std::io::Error::other(too_long(max))), None))
            }
            Ok(Some(chunk)) => {
                let relayed = relayed + chunk.len();
                Some((Ok(chunk), Some((answer, relayed))))
            }
            Err(error) => {
                let why = error.without_url_text();
                tracing::warn!("the upstream's answer broke off: {why}");
                Some((Err(std::io::Error::other(why)), None))
            }
        }
    });
    Body::from_stream(chunks)
}

fn upstream_url(origin: &str, path: &str, uri: &Uri) -> String {
    match uri.query() {
        Some(query) => format!("{origin}{path}?{query}"),
        None => format!("{origin}{path}"),
    }
}

/// The answer for a request the upstream did not answer: 502 naming the cause, 504 on timeout.
fn upstream_failure(upstream: &Upstream, error: &reqwest::Error) -> Response {
    let origin = upstream.origin();
    match failure_cause(error) {
        Cause::Timeout => upstream_timed_out(upstream),
        cause => {
            let detail = format!("{origin}: {}", cause.describe());
            tracing::warn!(upstream = origin, "{detail}");
            error_response(StatusCode::BAD_GATEWAY, "Bad Gateway", &detail)
        }
    }
}

/// 504: the head of the upstream's answer did not arrive within `--upstream-timeout`.
fn upstream_timed_out(upstream: &Upstream) -> Response {
    let origin = upstream.origin();
    let detail = format!("{origin} did not answer within {} s (--upstream-timeout)", upstream.timeout.as_secs_f64());
    tracing::warn!(upstream = origin, "{detail}");
    error_response(StatusCode::GATEWAY_TIMEOUT, "Gateway Timeout", &detail)
}

/// What went wrong on the way to the upstream, in the words the page shows.
#[derive(Debug, PartialEq)]
pub enum Cause {
    Refused,
    NameNotResolved,
    UntrustedCertificate,
    BadCertificate(String),
    ConnectTimeout,
    Timeout,
    Other(String),
}

impl Cause {
    pub fn describe(&self) -> String {
        match self {
            Cause::Refused => "connection refused".into(),
            Cause::NameNotResolved => "name not resolved".into(),
            Cause::UntrustedCertificate => "certificate not trusted — pass --ca-file".into(),
            Cause::BadCertificate(why) => format!("certificate refused: {why}"),
            Cause::ConnectTimeout => "connection timed out".into(),
            Cause::Timeout => "timed out".into(),
            Cause::Other(why) => why.clone(),
        }
    }
}

/// Walk the error's causes (io errors wrap rustls' and the resolver's) to name the failure.
pub fn failure_cause(error: &reqwest::Error) -> Cause {
    let mut texts = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return tls_cause(tls);
        }
        texts.push(e.to_string());
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => return Cause::Refused,
            // An io::Error's source() skips the error it wraps (often another io::Error
            // around rustls'); step into it instead.
            Some(io) => io.get_ref().map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    let text = texts.join(": ");
    if text.contains("dns error") || text.contains("failed to lookup address") {
        Cause::NameNotResolved
    } else if error.is_connect() && error.is_timeout() {
        Cause::ConnectTimeout
    } else if error.is_timeout() {
        Cause::Timeout
    } else {
        Cause::Other(error.without_url_text())
    }
}

fn tls_cause(error: &rustls::Error) -> Cause {
    match error {
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer) => Cause::UntrustedCertificate,
        other => Cause::BadCertificate(other.to_string()),
    }
}

/// reqwest's message without the URL it names (the path and query are the caller's).
trait WithoutUrlText {
    fn without_url_text(&self) -> String;
}

impl WithoutUrlText for reqwest::Error {
    fn without_url_text(&self) -> String {
        let mut text = String::from("upstream request failed");
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            text.push_str(": ");
            text.push_str(&e.to_string());
            next = e.source();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_escape_are_refused() {
        for ok in ["/api/v2/organizations", "/api/v2/admin/organizations/acme", "/api/v2/organizations/a-b_c"] {
            assert_eq!(checked_path(ok), Ok(ok));
        }
        for bad in [
            "/api/v1/organizations",
            "/api/v2",
            "/api/v2/",
            "/api/v2/../admin",
            "/api/v2/organizations/..",
            "/api/v2/organizations/.",
            "/api/v2/%2e%2e/admin",
            "/api/v2/%2E%2e/admin",
            "/api/v2/.%2e/admin",
            "/api/v2/organizations%2F..%2Fadmin",
            "/api/v2/organizations%2fx",
            "/api/v2//organizations",
            "/api/v2/organizations/",
            "/api/v2/a%5C..%5Cb",
            "/api/v2/a\\b",
            "/api/v2/a;b",
            "/api/v2/a%3Bb",
            "/api/v2/a%00b",
            "/api/v2/a%252Fb",
            "/api/v2/%C0%AE%C0%AE/admin",
            "/api/v2/%E0%80%AE",
            "/api/v2/a%FFb",
            "/api/v2/%EF%BC%8E%EF%BC%8E/admin",
            "/api/v2/a%EF%BC%8Fb",
            "/api/v2/a\u{FF0F}b",
            "/api/v2/a%E2%88%95b",
        ] {
            assert!(checked_path(bad).is_err(), "{bad} must be refused");
        }
    }
}
