//! The emulator over HTTP: the axum [`Router`] that `tfe-sandbox` serves alone and that
//! `tfe-orgs-server --sandbox` mounts beside the page. Flags are [`SandboxArgs`] (clap), shared
//! by both binaries.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request as AxumRequest, State as AxumState};
use axum::http::{header, HeaderName, HeaderValue, Method, Request as HttpRequest, Response as HttpResponse};
use axum::middleware::{from_fn, Next};
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::Router;
use serde::Serialize;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::faults::{Faults, Loss, Verdict};
use crate::guard;
use crate::release::{Behaviour, Release};
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
    /// The instance's API rate limit: requests per second per token, stated in the general
    /// settings and `X-RateLimit-Limit` and enforced (beyond it 429 with Retry-After and
    /// X-RateLimit-Reset). Without it the answers state TFE's 30 and nothing is enforced.
    #[arg(long = "api-rate-limit", visible_alias = "rate-limit", value_name = "RPS")]
    pub rate_limit: Option<u32>,
    /// The release to answer as (current-tfe.md): which attributes appear under which names,
    /// which endpoints exist, `X-TFE-Version`.
    #[arg(long, value_name = "ERA", default_value = "current", value_parser = parse_release)]
    pub release: Release,
    /// Fraction of requests answered 503 without being processed (seeded).
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub error_rate: f64,
    /// Fraction of responses whose body is truncated.
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub malformed_rate: f64,
    /// Fraction of successful writes applied and then answered 502/503 or cut off (seeded).
    #[arg(long, value_name = "F", default_value_t = 0.0)]
    pub lost_rate: f64,
    /// Whether the instance has Explorer (`off`: every Explorer path answers 404, as on an
    /// instance without its database; `backfilling`: it answers, but its backfill of existing
    /// workspaces has not finished).
    #[arg(long, value_enum, default_value_t = Explorer::On)]
    pub explorer: Explorer,
    /// Seed of the fault generator.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub fault_seed: u64,
}

/// `--explorer on|off|backfilling`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Explorer {
    #[default]
    On,
    Off,
    Backfilling,
}

fn parse_release(text: &str) -> Result<Release, String> {
    Release::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Release::ALL.iter().map(|r| r.name()).collect();
        format!("{text:?} is not a release; one of {}", names.join(", "))
    })
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
    faults: Faults,
    /// Bumped by every change of the state; the snapshot of version N holds every change up to N.
    version: u64,
}

/// Where acknowledged writes go (`--state`): the newest snapshot written so far.
struct Persistence {
    file: Option<PathBuf>,
    /// The version last made durable; held while a snapshot is written, so files are written in
    /// version order and an older snapshot never replaces a newer one.
    written: tokio::sync::Mutex<u64>,
}

#[derive(Clone)]
struct Shared {
    server: Arc<Mutex<Server>>,
    persistence: Arc<Persistence>,
}

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
    faults.lost_rate = args.lost_rate;
    faults.seed = args.fault_seed;
    let shared = Shared {
        server: Arc::new(Mutex::new(Server {
            sandbox: Sandbox {
                release: args.release,
                api_rate_limit: args.rate_limit,
                explorer_off: args.explorer == Explorer::Off,
                explorer_backfilling: args.explorer == Explorer::Backfilling,
                ..Sandbox::new(state)
            },
            initial,
            faults,
            version: 0,
        })),
        persistence: Arc::new(Persistence { file: args.state_file.clone(), written: tokio::sync::Mutex::new(0) }),
    };
    let api = Router::new()
        .route("/api/v2", any(api))
        .route("/api/v2/{*rest}", any(api))
        .route("/.well-known/terraform.json", get(service_discovery));
    let control = Router::new()
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/faults", get(read_faults).post(set_faults))
        .route("/_sandbox/release", get(read_release).post(set_release))
        .route("/_sandbox/state", get(read_state).put(replace_state))
        .route_layer(from_fn(loopback_only))
        .layer(axum::extract::DefaultBodyLimit::max(STATE_LIMIT));
    // Browser tests call the controls from their own loopback origin too.
    let router = api.merge(control).layer(cors()).with_state(shared);
    Ok(Emulator { router, tokens, org_count })
}

/// `GET /.well-known/terraform.json`: the service discovery document Terraform and terrasnek
/// read first, with the services TFE lists (paths relative to this host).
async fn service_discovery() -> HttpResponse<Body> {
    let document = serde_json::json!({
        "modules.v1": "/api/registry/v1/modules/",
        "motd.v1": "/api/terraform/motd",
        "state.v2": "/api/v2/",
        "tfe.v2": "/api/v2/",
        "tfe.v2.1": "/api/v2/",
        "tfe.v2.2": "/api/v2/",
        "providers.v1": "/api/registry/v1/providers/",
        "login.v1": {
            "client": "terraform-cli",
            "grant_types": ["authz_code"],
            "authz": "/app/settings/tokens?source=terraform-login",
            "token": "/api/v2/tokens",
            "ports": [10000, 10010]
        }
    });
    HttpResponse::builder()
        .status(200)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(document.to_string()))
        .expect("valid response")
}

/// CORS open to loopback origins only: browser tests and pages served there call the API.
fn cors() -> CorsLayer {
    let loopback = |origin: &HeaderValue, _: &axum::http::request::Parts| {
        let Some(rest) = origin.to_str().ok().and_then(|o| o.strip_prefix("http://").or(o.strip_prefix("https://")))
        else {
            return false;
        };
        let host = match rest.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
            _ => rest,
        };
        matches!(host, "127.0.0.1" | "localhost" | "[::1]")
    };
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(loopback))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([
            header::RETRY_AFTER,
            HeaderName::from_static("x-ratelimit-reset"),
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-tfe-version"),
            HeaderName::from_static("tfp-api-version"),
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// The headers a reverse proxy adds to a request it relays.
const RELAY_HEADERS: &[&str] = &[
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-port",
    "x-forwarded-server",
    "x-real-ip",
    "x-client-ip",
    "via",
];

/// `/_sandbox/*` answers only requests from loopback (`ConnectInfo`, set by the serving binary)
/// that no proxy forwarded, and no other site's page: a write needs `Content-Type:
/// application/json` (so a cross-site "simple" request cannot reset the sandbox and its
/// `--state` file) and an `Origin`, if any, on loopback.
async fn loopback_only(request: AxumRequest, next: Next) -> HttpResponse<Body> {
    let headers = request.headers();
    // A request a proxy relayed is some other client's, whatever address it came from.
    // nginx's plain `proxy_pass` adds none of those headers but speaks HTTP/1.0 to its upstream;
    // no browser or test client does.
    let forwarded = RELAY_HEADERS.iter().any(|name| headers.contains_key(*name))
        || request.version() < axum::http::Version::HTTP_11;
    let local =
        request.extensions().get::<ConnectInfo<SocketAddr>>().is_some_and(|ConnectInfo(peer)| peer.ip().is_loopback());
    if !local || forwarded {
        return Response::not_found().into_response();
    }
    if guard::cross_site(headers, guard::loopback_origin) {
        return Response::error(403, "the sandbox's controls refuse requests from other sites").into_response();
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json")));
    if request.method() != Method::GET && !json {
        return Response::error(415, "the sandbox's controls take Content-Type: application/json").into_response();
    }
    next.run(request).await
}

async fn api(AxumState(shared): AxumState<Shared>, request: HttpRequest<Body>) -> HttpResponse<Body> {
    match core_request(request).await {
        Ok(core) => serve(&shared, core).await,
        Err(too_large) => too_large,
    }
}

/// The largest body the controls read (a whole state can be large).
const STATE_LIMIT: usize = 64 * 1024 * 1024;
/// The largest API request body, as `tfe-orgs-server` forwards: checked from the declared length
/// before any body is read (so `Expect: 100-continue` gets its 413 at once) and before the
/// token is looked at.
pub const API_BODY_LIMIT: usize = 1024 * 1024;

/// The request as the core sees it (the path as sent, percent-encoded).
async fn core_request(request: HttpRequest<Body>) -> Result<Request, HttpResponse<Body>> {
    let (parts, body) = request.into_parts();
    let too_large = || Response::error(413, "request body too large (1 MiB at most)").into_response();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > API_BODY_LIMIT as u64) {
        return Err(too_large());
    }
    let Ok(bytes) = to_bytes(body, API_BODY_LIMIT).await else {
        return Err(too_large());
    };
    // Links name the host the guard accepted, never one a request made up.
    let host = parts
        .extensions
        .get::<guard::AcceptedHost>()
        .map(|h| h.0.as_str())
        .or_else(|| parts.headers.get(header::HOST).and_then(|h| h.to_str().ok()))
        .unwrap_or("127.0.0.1");
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

/// The API version TFE reports (`TFP-API-Version`), and the release the sandbox answers as.
pub const API_VERSION: &str = "2.6";

/// Every API answer, as TFE sends them: the API version and application headers clients read
/// (go-tfe from `/api/v2/ping`) and the rate limit headers of the caller's token.
async fn serve(shared: &Shared, core: Request) -> HttpResponse<Body> {
    // Rate limits count requests as they arrive, as TFE's edge does; latency comes after.
    let token = core.authorization.clone().unwrap_or_default();
    let ((verdict, rate), latency, release) = {
        let mut server = shared.server.lock().expect("lock");
        (server.faults.admit(&token), server.faults.latency_ms, server.sandbox.release)
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let mut response = answer(shared, core, verdict).await;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set("tfp-api-version", API_VERSION.into());
    set("tfp-appname", "Terraform Enterprise".into());
    set("x-tfe-version", release.tfe_version().into());
    set("x-ratelimit-limit", rate.limit.to_string());
    set("x-ratelimit-remaining", rate.remaining.to_string());
    set("x-ratelimit-reset", format!("{:.3}", rate.reset));
    response
}

async fn answer(shared: &Shared, core: Request, verdict: Verdict) -> HttpResponse<Body> {
    match verdict {
        Verdict::RateLimited { retry_after } => {
            let secs = format!("{retry_after:.3}");
            let retry = format!("{}", retry_after.ceil() as u64);
            let headers = [("retry-after", retry.as_str()), ("x-ratelimit-reset", secs.as_str())];
            (headers, Response::error(429, "too many requests")).into_response()
        }
        Verdict::ServerError => Response::error(503, "injected server error").into_response(),
        Verdict::Pass { malformed } => {
            let (mut response, snapshot, loss) = {
                let mut server = shared.server.lock().expect("lock");
                server.sandbox.now = humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string();
                let response = server.sandbox.handle(&core);
                let changed = Sandbox::is_write(&core) && (200..300).contains(&response.status);
                let loss = if changed { server.faults.lose() } else { None };
                (response, changed.then(|| snapshot(&mut server, &shared.persistence)).flatten(), loss)
            };
            if let Some(snapshot) = snapshot {
                if let Err(e) = persist(&shared.persistence, snapshot).await {
                    return Response::error(500, &format!("cannot persist state: {e}")).into_response();
                }
            }
            // Applied and durable; now the answer is lost on its way back.
            // (An answer without a body, such as a delete's 204, has nothing to cut: a 502.)
            match loss {
                Some(Loss::Cut) if !response.body.is_empty() => return cut_off(response),
                Some(Loss::Status(status)) => {
                    return Response::error(status, "the upstream's answer was lost (injected)").into_response();
                }
                Some(Loss::Cut) => {
                    return Response::error(502, "the upstream's answer was lost (injected)").into_response()
                }
                None => {}
            }
            if malformed && !response.body.is_empty() {
                let cut = response.body.len() / 2;
                response.body.truncate(response.body.floor_char_boundary(cut));
            }
            response.into_response()
        }
    }
}

/// A changed state: its new version and, with `--state`, its text to write (taken under the
/// state's lock, so versions and texts agree).
fn snapshot(server: &mut Server, persistence: &Persistence) -> Option<(u64, String)> {
    server.version += 1;
    persistence.file.as_ref()?;
    Some((server.version, serde_json::to_string(&server.sandbox.state).expect("state is JSON")))
}

/// Make `snapshot` durable before the write it holds is acknowledged: written to a temp file,
/// fsynced and renamed into place on the blocking pool, never on the async executor. A snapshot
/// older than one already written is skipped: the newer one holds its change too.
async fn persist(persistence: &Persistence, (version, text): (u64, String)) -> std::io::Result<()> {
    let Some(path) = persistence.file.clone() else {
        return Ok(());
    };
    let mut written = persistence.written.lock().await;
    if *written >= version {
        return Ok(());
    }
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let tmp = path.with_extension("tmp");
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)
    })
    .await
    .map_err(std::io::Error::other)??;
    *written = version;
    Ok(())
}

/// `POST /_sandbox/reset`: the seed again, no faults.
async fn reset(AxumState(shared): AxumState<Shared>) -> HttpResponse<Body> {
    let snapshot = {
        let mut server = shared.server.lock().expect("lock");
        server.sandbox.state = server.initial.clone();
        server.faults = Faults::default();
        snapshot(&mut server, &shared.persistence)
    };
    persisted(&shared, snapshot, Response::no_content()).await
}

async fn read_faults(AxumState(shared): AxumState<Shared>) -> HttpResponse<Body> {
    Response::json(200, &shared.server.lock().expect("lock").faults).into_response()
}

/// `GET /_sandbox/release`: the release the sandbox answers as.
async fn read_release(AxumState(shared): AxumState<Shared>) -> HttpResponse<Body> {
    let release = shared.server.lock().expect("lock").sandbox.release;
    Response::json(200, &serde_json::json!({ "release": release })).into_response()
}

/// `POST /_sandbox/release` `{"release": "202103"}`: answer as another release from now on.
async fn set_release(AxumState(shared): AxumState<Shared>, body: String) -> HttpResponse<Body> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        release: Release,
    }
    let response = match serde_json::from_str::<Body>(&body) {
        Ok(Body { release }) => {
            shared.server.lock().expect("lock").sandbox.release = release;
            Response::json(200, &serde_json::json!({ "release": release }))
        }
        Err(e) => {
            let names: Vec<&str> = Release::ALL.iter().map(|r| r.name()).collect();
            Response::error(422, &format!("invalid release: {e} (one of {})", names.join(", ")))
        }
    };
    response.into_response()
}

/// `POST /_sandbox/faults`: replace the fault settings (a JSON object; absent keys are off).
async fn set_faults(AxumState(shared): AxumState<Shared>, body: String) -> HttpResponse<Body> {
    let response = match serde_json::from_str::<Faults>(&body) {
        Ok(faults) => {
            let mut server = shared.server.lock().expect("lock");
            server.sandbox.api_rate_limit = faults.rate_limit;
            server.faults = faults;
            Response::json(200, &server.faults)
        }
        Err(e) => Response::error(422, &format!("invalid fault settings: {e}")),
    };
    response.into_response()
}

async fn read_state(AxumState(shared): AxumState<Shared>) -> HttpResponse<Body> {
    Response::json(200, &shared.server.lock().expect("lock").sandbox.state).into_response()
}

/// `PUT /_sandbox/state`: replace the whole state (tests load hostile names the API refuses).
async fn replace_state(AxumState(shared): AxumState<Shared>, body: String) -> HttpResponse<Body> {
    let state = match serde_json::from_str(&body) {
        Ok(state) => state,
        Err(e) => return Response::error(422, &format!("invalid state: {e}")).into_response(),
    };
    let snapshot = {
        let mut server = shared.server.lock().expect("lock");
        server.sandbox.state = state;
        snapshot(&mut server, &shared.persistence)
    };
    persisted(&shared, snapshot, Response::no_content()).await
}

async fn persisted(shared: &Shared, snapshot: Option<(u64, String)>, ok: Response) -> HttpResponse<Body> {
    let response = match snapshot {
        Some(snapshot) => match persist(&shared.persistence, snapshot).await {
            Ok(()) => ok,
            Err(e) => Response::error(500, &format!("cannot persist state: {e}")),
        },
        None => ok,
    };
    response.into_response()
}

/// The answer's status line, headers and first half, then the connection is cut (the body
/// stream fails, so hyper aborts the exchange instead of completing it). The failure waits a
/// moment so the head is on the wire first: a connection closed before any byte of an answer
/// is one browsers send again by themselves (they take it for a stale keep-alive socket).
fn cut_off(response: Response) -> HttpResponse<Body> {
    use futures_util::StreamExt;
    let mut body = response.body.clone();
    body.truncate(body.floor_char_boundary(body.len() / 2));
    let failure = futures_util::stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "answer lost (injected)"))
    });
    let chunks = futures_util::stream::iter([Ok::<String, std::io::Error>(body)]).chain(failure);
    let mut builder = HttpResponse::builder().status(response.status);
    if let Some(ct) = response.content_type() {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(Body::from_stream(chunks)).expect("valid response")
}

/// The core's answer as HTTP: its status, its content type, its body.
impl IntoResponse for Response {
    fn into_response(self) -> HttpResponse<Body> {
        let mut builder = HttpResponse::builder().status(self.status);
        if let Some(ct) = self.content_type() {
            builder = builder.header(header::CONTENT_TYPE, ct);
        }
        builder.body(Body::from(self.body)).expect("valid response")
    }
}
