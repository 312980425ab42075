//! The TFE emulator core: `Sandbox::handle(request) -> response` over [`state::State`], no I/O.
//! It reuses the library's model types for every body it reads and writes, and the library's
//! validators for every 422 it answers.

pub mod admin;
pub mod explorer;
pub mod faults;
pub mod guard;
pub mod http;
pub mod in_process;
pub mod organizations;
pub mod release;
pub mod render;
pub mod serve;
pub mod state;
pub mod usage;

use percent_encoding::percent_decode_str;
use serde::Serialize;
use tfe_orgs::jsonapi::{DecodeError, ErrorDocument, ErrorObject, MEDIA_TYPE};
use tfe_orgs::validate::ValidationError;

pub use release::{Behaviour, Release};
pub use state::State;

/// An HTTP request as the core sees it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// Path including `/api/v2`, percent-encoded as sent.
    pub path: String,
    /// Raw query string without `?`.
    pub query: String,
    /// The `Authorization` header's value.
    pub authorization: Option<String>,
    pub body: String,
    /// Scheme and host for absolute pagination links, e.g. `http://127.0.0.1:8080`.
    pub base_url: String,
}

impl Request {
    pub fn new(method: &str, path_and_query: &str) -> Self {
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        Request { method: method.into(), path: path.into(), query: query.into(), ..Default::default() }
    }
    pub fn token(mut self, token: &str) -> Self {
        self.authorization = Some(format!("Bearer {token}"));
        self
    }
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// Query parameters, decoded (`+` is a space, as browsers send forms).
    pub fn params(&self) -> Vec<(String, String)> {
        self.query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let decode = |s: &str| percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
                (decode(k), decode(v))
            })
            .collect()
    }

    pub fn param(&self, key: &str) -> Option<String> {
        self.params().into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `include=` (comma-separated, spaces around names ignored) asks for `related`.
    pub fn includes(&self, related: &str) -> bool {
        self.param("include").is_some_and(|v| v.split(',').any(|i| i.trim() == related))
    }

    /// A 400 naming the first `include=` value the endpoint does not offer (TFE refuses them
    /// rather than ignoring them).
    pub fn unknown_include(&self, offered: &[&str]) -> Option<Response> {
        let value = self.param("include")?;
        let unknown = value.split(',').map(str::trim).find(|i| !i.is_empty() && !offered.contains(i))?;
        Some(Response::errors(
            400,
            vec![ErrorObject {
                status: Some("400".into()),
                title: Some("invalid include parameter".into()),
                detail: Some(format!(
                    "{unknown:?} is not an include of this endpoint (offered: {})",
                    offered.join(", ")
                )),
                source: Some(tfe_orgs::jsonapi::ErrorSource {
                    parameter: Some("include".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }],
        ))
    }
}

/// An HTTP response as the core produces it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub body: String,
    /// The body's media type (JSON:API unless said).
    pub media: &'static str,
}

impl Response {
    pub fn json<T: Serialize>(status: u16, value: &T) -> Self {
        Response { status, body: serde_json::to_string(value).expect("responses are plain JSON"), media: MEDIA_TYPE }
    }
    pub fn no_content() -> Self {
        Response { status: 204, body: String::new(), media: MEDIA_TYPE }
    }
    /// 200 with a CSV document (Explorer's export).
    pub fn csv(body: String) -> Self {
        Response { status: 200, body, media: "text/csv; charset=utf-8" }
    }
    pub fn errors(status: u16, errors: Vec<ErrorObject>) -> Self {
        Response::json(status, &ErrorDocument { errors })
    }
    pub fn error(status: u16, title: &str) -> Self {
        Response::errors(
            status,
            vec![ErrorObject { status: Some(status.to_string()), title: Some(title.into()), ..Default::default() }],
        )
    }
    pub fn not_found() -> Self {
        Response::error(404, "not found")
    }
    pub fn unauthorized() -> Self {
        Response::error(401, "unauthorized")
    }
    /// 422 for every broken rule, each with the pointer of its field.
    pub fn invalid(errors: &[ValidationError]) -> Self {
        Response::errors(
            422,
            errors.iter().map(|e| ErrorObject::at_pointer(422, "invalid attribute", &e.message, &e.field)).collect(),
        )
    }
    /// 422 for a body that does not decode, pointing at the member that broke.
    pub fn malformed(error: &DecodeError) -> Self {
        // serde names a missing member in the message; point at the member itself.
        let pointer = match error.message.strip_prefix("missing field `").and_then(|m| m.split_once('`')) {
            Some((field, _)) => format!("{}/{field}", error.path),
            None if error.path.is_empty() => "/data".to_string(),
            None => error.path.clone(),
        };
        Response::errors(422, vec![ErrorObject::at_pointer(422, "malformed request body", &error.message, pointer)])
    }
    pub fn content_type(&self) -> Option<&'static str> {
        (!self.body.is_empty()).then_some(self.media)
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub site_admin: bool,
}

/// The emulator: state plus request handling.
#[derive(Debug, Clone, Default)]
pub struct Sandbox {
    pub state: State,
    /// The clock for `created-at` (tests pin it).
    pub now: String,
    /// The release whose answers it gives (current-tfe.md's eras).
    pub release: Release,
    /// The general settings' `api-rate-limit` (`--api-rate-limit`; enforced by the HTTP layer).
    pub api_rate_limit: Option<u32>,
    /// `--explorer off`: an instance without Explorer (every Explorer path answers 404).
    pub explorer_off: bool,
    /// `--explorer backfilling`: Explorer answers, but its backfill of existing workspaces (TFE
    /// 1.2) has not finished, so its views may leave some workspaces out.
    pub explorer_backfilling: bool,
}

impl Sandbox {
    pub fn new(state: State) -> Self {
        Sandbox {
            state,
            now: "2026-01-01T00:00:00.000Z".into(),
            release: Release::Current,
            api_rate_limit: None,
            explorer_off: false,
            explorer_backfilling: false,
        }
    }

    /// The seeded sandbox.
    pub fn seeded() -> Self {
        Sandbox::new(state::seed())
    }

    /// Answer one API request (paths under `/api/v2`).
    pub fn handle(&mut self, request: &Request) -> Response {
        let Some(rest) = request.path.strip_prefix("/api/v2/") else {
            return Response::not_found();
        };
        // The no-op clients call first (go-tfe reads the API version and rate limit headers,
        // which every answer carries): no token needed.
        if rest.trim_end_matches('/') == "ping" && request.method.eq_ignore_ascii_case("GET") {
            return Response::no_content();
        }
        let segments: Vec<String> = rest
            .trim_end_matches('/')
            .split('/')
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect();
        let token = request.authorization.as_deref().and_then(|h| h.strip_prefix("Bearer ")).unwrap_or("").trim();
        let Some(user) = self.state.user_by_token(token) else {
            return Response::unauthorized();
        };
        let caller = Caller { user_id: user.id.clone(), site_admin: user.site_admin };
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let method = request.method.to_ascii_uppercase();
        let release = self.release;
        if !release.has_endpoint(&segments) {
            return Response::not_found();
        }
        if let Some(refused) = release.refuse(request) {
            return refused;
        }
        let older = release.read(request);
        let request = older.as_ref().unwrap_or(request);
        let response = match segments.as_slice() {
            ["admin", rest @ ..] if caller.site_admin => admin::route(self, request, &method, rest),
            ["admin", ..] => Response::not_found(),
            ["organizations", rest @ ..] => organizations::route(self, &caller, request, &method, rest),
            _ => Response::not_found(),
        };
        release.answer(request, &segments, response)
    }

    /// Whether a request changes state (and so must be persisted once acknowledged).
    pub fn is_write(request: &Request) -> bool {
        !matches!(request.method.to_ascii_uppercase().as_str(), "GET" | "HEAD" | "OPTIONS")
    }
}

/// Page parameters: `(number, size)`, defaults 1 and 20, size capped at 100.
pub fn page_params(request: &Request) -> (usize, usize) {
    let number = request.param("page[number]").and_then(|v| v.parse::<usize>().ok()).filter(|n| *n >= 1).unwrap_or(1);
    let size =
        request.param("page[size]").and_then(|v| v.parse::<usize>().ok()).filter(|n| *n >= 1).unwrap_or(20).min(100);
    (number, size)
}
