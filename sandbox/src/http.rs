//! The emulator over HTTP: the axum [`Router`] that `tfe-sandbox` serves alone and that
//! `tfe-orgs-server --sandbox` mounts beside the page. Flags are [`SandboxArgs`] (clap), shared
//! by both binaries.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, State as AxumState};
use axum::http::{
    header, HeaderMap, HeaderValue, Method, Request as HttpRequest, Response as HttpResponse, StatusCode,
};
use axum::routing::any;
use axum::Router;
use serde::Serialize;

use crate::faults::{Faults, Verdict};
use crate::{Request, Response, Sandbox, State};

/// The emulator's flags (state, generated organizations, faults).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SandboxArgs {
    /// Persist every acknowledged write to FILE (atomic write + fsync; survives kill -9).
    #[arg(long = "state", value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// Add N synthetic organizations (generated-00001, …).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub generate: usize,
    /// Delay every API response by N milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,
    /// Per-token requests per second; beyond it 429 with Retry-After and X-RateLimit-Reset.
    #[arg(long, value_name = "RPS")]
    pub rate_limit: Option<u32>,
    /// Fraction of requests answered 503 without being processed (seeded).
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub error_rate: f64,
    /// Fraction of responses whose body is truncated.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub malformed_rate: f64,
    /// Seed of the fault generator.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub fault_seed: u64,
}

/// A sample token of the seeded users, as `/_tfe-orgs/info` lists them for the page.
#[derive(Debug, Clone, Serialize)]
pub struct SampleToken {
    pub token: String,
    pub user: String,
    #[serde(rename = "site-admin")]
    pub site_admin: bool,
}

/// The router and what the binaries print when they start.
pub struct Emulator {
    /// `/api/v2/*` (CORS open to loopback origins) and the loopback-only `/_sandbox/*` controls.
    pub router: Router,
    pub tokens: Vec<SampleToken>,
    pub org_count: usize,
}

struct Server {
    sandbox: Sandbox,
    initial: State,
    state_file: Option<PathBuf>,
    faults: Faults,
}

type Shared = Arc<Mutex<Server>>;

/// Build the emulator from its flags: the seed (plus `--generate`), or the persisted state.
pub fn emulator(args: &SandboxArgs) -> Result<Emulator, String> {
    let mut initial = crate::state::seed();
    initial.generate(args.generate);
    let state = match args.state_file.as_ref().filter(|p| p.exists()) {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{} is not a sandbox state: {e}", path.display()))?
        }
        None => initial.clone(),
    };
    let tokens = state
        .users
        .iter()
        .map(|u| SampleToken { token: u.token.clone(), user: u.username.clone(), site_admin: u.site_admin })
        .collect();
    let org_count = state.orgs.len();
    let mut faults = Faults::default();
    faults.latency_ms = args.latency_ms;
    faults.rate_limit = args.rate_limit;
    faults.error_rate = args.error_rate;
    faults.malformed_rate = args.malformed_rate;
    faults.seed = args.fault_seed;
    let shared: Shared = Arc::new(Mutex::new(Server {
        sandbox: Sandbox::new(state),
        initial,
        state_file: args.state_file.clone(),
        faults,
    }));
    let router = Router::new()
        .route("/api/v2", any(api))
        .route("/api/v2/{*rest}", any(api))
        .route("/_sandbox/{*rest}", any(control))
        .with_state(shared);
    Ok(Emulator { router, tokens, org_count })
}

/// Whether the request came over loopback (`ConnectInfo` set by the server; absent in
/// in-process tests, which are local by construction only when they add it).
fn from_loopback(request: &HttpRequest<Body>) -> bool {
    request.extensions().get::<ConnectInfo<SocketAddr>>().is_some_and(|ConnectInfo(peer)| peer.ip().is_loopback())
}

/// CORS is open to loopback origins only: browser tests and pages served there call it.
fn cors_origin(headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    let host = text.strip_prefix("http://").or_else(|| text.strip_prefix("https://"))?;
    let host =
        host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]").then(|| origin.clone())
}

async fn api(AxumState(shared): AxumState<Shared>, request: HttpRequest<Body>) -> HttpResponse<Body> {
    let origin = cors_origin(request.headers());
    let mut response = if request.method() == Method::OPTIONS {
        HttpResponse::builder().status(StatusCode::NO_CONTENT).body(Body::empty()).expect("static response")
    } else {
        match core_request(request).await {
            Ok(core) => serve(&shared, core).await,
            Err(too_large) => too_large,
        }
    };
    if let Some(origin) = origin {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PATCH, DELETE, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("authorization, content-type, accept"));
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("retry-after, x-ratelimit-reset, x-ratelimit-limit"),
        );
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        h.insert(header::VARY, HeaderValue::from_static("origin"));
    }
    response
}

/// The request as the core sees it (the path as sent, percent-encoded).
async fn core_request(request: HttpRequest<Body>) -> Result<Request, HttpResponse<Body>> {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, 16 * 1024 * 1024).await else {
        return Err(plain(Response::error(413, "request body too large"), &[]));
    };
    let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    Ok(Request {
        method: parts.method.as_str().to_string(),
        path: parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.path().to_string(), |u| u.0.path().to_string()),
        query: parts.uri.query().unwrap_or("").to_string(),
        authorization: parts.headers.get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).map(str::to_string),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        base_url: format!("http://{host}"),
    })
}

async fn serve(shared: &Shared, core: Request) -> HttpResponse<Body> {
    // Rate limits count requests as they arrive, as TFE's edge does; latency comes after.
    let token = core.authorization.clone().unwrap_or_default();
    let (verdict, latency) = {
        let mut server = shared.lock().expect("lock");
        (server.faults.admit(&token), server.faults.latency_ms)
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let mut server = shared.lock().expect("lock");
    match verdict {
        Verdict::RateLimited { retry_after } => {
            let secs = format!("{retry_after:.3}");
            plain(
                Response::error(429, "too many requests"),
                &[("retry-after", &format!("{}", retry_after.ceil() as u64)), ("x-ratelimit-reset", &secs)],
            )
        }
        Verdict::ServerError => plain(Response::error(503, "injected server error"), &[]),
        Verdict::Pass { malformed } => {
            server.sandbox.now = crate::clock::now_rfc3339();
            let mut response = server.sandbox.handle(&core);
            if Sandbox::is_write(&core) && (200..300).contains(&response.status) {
                if let Err(e) = persist(&server) {
                    return plain(Response::error(500, &format!("cannot persist state: {e}")), &[]);
                }
            }
            if malformed && !response.body.is_empty() {
                let cut = response.body.len() / 2;
                response.body.truncate(response.body.floor_char_boundary(cut));
            }
            plain(response, &[])
        }
    }
}

/// Write the state atomically (temp file, fsync, rename) before the write is acknowledged.
fn persist(server: &Server) -> std::io::Result<()> {
    let Some(path) = &server.state_file else {
        return Ok(());
    };
    let tmp = path.with_extension("tmp");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(serde_json::to_string(&server.sandbox.state).expect("state is JSON").as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// `/_sandbox/*`, from loopback only: reset (POST), faults (GET, POST a JSON object of
/// settings), state (GET, PUT).
async fn control(AxumState(shared): AxumState<Shared>, request: HttpRequest<Body>) -> HttpResponse<Body> {
    if !from_loopback(&request) {
        return plain(Response::not_found(), &[]);
    }
    let core = match core_request(request).await {
        Ok(core) => core,
        Err(too_large) => return too_large,
    };
    let mut server = shared.lock().expect("lock");
    let response = match (core.method.as_str(), core.path.as_str()) {
        ("POST", "/_sandbox/reset") => {
            server.sandbox.state = server.initial.clone();
            server.faults = Faults::default();
            persisted(&server, Response::no_content())
        }
        ("GET", "/_sandbox/faults") => Response::json(200, &server.faults),
        ("POST", "/_sandbox/faults") => match serde_json::from_str::<Faults>(&core.body) {
            Ok(faults) => {
                server.faults = faults;
                Response::json(200, &server.faults)
            }
            Err(e) => Response::error(422, &format!("invalid fault settings: {e}")),
        },
        ("GET", "/_sandbox/state") => Response::json(200, &server.sandbox.state),
        // Replace the whole state (tests load hostile names the API itself would refuse).
        ("PUT", "/_sandbox/state") => match serde_json::from_str(&core.body) {
            Ok(state) => {
                server.sandbox.state = state;
                persisted(&server, Response::no_content())
            }
            Err(e) => Response::error(422, &format!("invalid state: {e}")),
        },
        _ => Response::not_found(),
    };
    plain(response, &[])
}

fn persisted(server: &Server, ok: Response) -> Response {
    match persist(server) {
        Ok(()) => ok,
        Err(e) => Response::error(500, &format!("cannot persist state: {e}")),
    }
}

fn plain(response: Response, extra: &[(&str, &str)]) -> HttpResponse<Body> {
    let mut builder = HttpResponse::builder().status(response.status);
    if let Some(ct) = response.content_type() {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    for (k, v) in extra {
        builder = builder.header(*k, *v);
    }
    builder.body(Body::from(response.body)).expect("valid response")
}
