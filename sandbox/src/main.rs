//! `tfe-sandbox`: the emulator over HTTP (axum) on 127.0.0.1, plus the built admin page at `/`.

mod faults;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, State as AxumState};
use axum::http::{
    header, HeaderMap, HeaderValue, Method, Request as HttpRequest, Response as HttpResponse, StatusCode,
};
use axum::Router;
use tfe_sandbox::{Request, Response, Sandbox, State};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy the page is served with.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

use faults::{Faults, Verdict};

/// Print a line; a closed stdout (the parent stopped reading) must not stop the server.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

struct Options {
    port: u16,
    static_dir: Option<PathBuf>,
    state_file: Option<PathBuf>,
    generate: usize,
    faults: Faults,
}

fn parse_args() -> Result<Options, String> {
    let mut options =
        Options { port: 8080, static_dir: None, state_file: None, generate: 0, faults: Faults::default() };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<f64>().map_err(|_| format!("{flag}: {v:?} is not a number"));
        match flag.as_str() {
            "--port" => options.port = number(value()?)? as u16,
            "--static" => options.static_dir = Some(value()?.into()),
            "--state" => options.state_file = Some(value()?.into()),
            "--generate" => options.generate = number(value()?)? as usize,
            "--latency-ms" => options.faults.latency_ms = number(value()?)? as u64,
            "--rate-limit" => options.faults.rate_limit = Some(number(value()?)? as u32),
            "--error-rate" => options.faults.error_rate = number(value()?)?,
            "--malformed-rate" => options.faults.malformed_rate = number(value()?)?,
            "--fault-seed" => options.faults.seed = number(value()?)? as u64,
            "-h" | "--help" => {
                println!(
                    "tfe-sandbox [--port N] [--static DIR] [--state FILE] [--generate N]\n            [--latency-ms N] [--rate-limit RPS] [--error-rate F] [--malformed-rate F] [--fault-seed N]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown flag {other} (see --help)")),
        }
    }
    Ok(options)
}

struct Server {
    sandbox: Sandbox,
    initial: State,
    state_file: Option<PathBuf>,
    faults: Faults,
}

type Shared = Arc<Mutex<Server>>;

#[tokio::main]
async fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("tfe-sandbox: {e}");
            std::process::exit(2);
        }
    };
    let mut initial = tfe_sandbox::state::seed();
    initial.generate(options.generate);
    let state = match options.state_file.as_ref().filter(|p| p.exists()) {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
            serde_json::from_str(&text)
                .unwrap_or_else(|e| fail(&format!("{} is not a sandbox state: {e}", path.display())))
        }
        None => initial.clone(),
    };
    let tokens: Vec<(String, String, bool)> =
        state.users.iter().map(|u| (u.username.clone(), u.token.clone(), u.site_admin)).collect();
    let org_count = state.orgs.len();
    let shared: Shared = Arc::new(Mutex::new(Server {
        sandbox: Sandbox::new(state),
        initial,
        state_file: options.state_file.clone(),
        faults: options.faults,
    }));
    let mut app = Router::new().fallback(handle).with_state(shared.clone());
    if let Some(dir) = &options.static_dir {
        let api = Router::new().fallback(handle).with_state(shared);
        // The page: unknown paths are the page's own routes (/orgs/acme), so they get index.html.
        // Served under the strict CSP the page is built for: no inline script or style.
        let page = Router::new()
            .fallback_service(
                ServeDir::new(dir)
                    .append_index_html_on_directories(true)
                    .fallback(ServeFile::new(dir.join("index.html"))),
            )
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(PAGE_CSP),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ));
        app = Router::new().nest("/api", api.clone()).nest("/_sandbox", api).merge(page);
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
        .await
        .unwrap_or_else(|e| fail(&format!("cannot bind 127.0.0.1:{}: {e}", options.port)));
    let addr = listener.local_addr().expect("bound");
    say!("tfe-sandbox: listening on http://{addr} ({org_count} organizations)");
    say!("tfe-sandbox: API at http://{addr}/api/v2");
    for (name, token, admin) in tokens {
        say!("tfe-sandbox: token {token}  ({name}{})", if admin { ", site admin" } else { "" });
    }
    let server =
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        });
    if let Err(e) = server.await {
        fail(&format!("server error: {e}"));
    }
    say!("tfe-sandbox: stopped");
}

fn fail(message: &str) -> ! {
    eprintln!("tfe-sandbox: {message}");
    std::process::exit(1)
}

/// CORS is open to loopback origins only: the page and browser tests run there.
fn cors_origin(headers: &HeaderMap) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    let host = text.strip_prefix("http://").or_else(|| text.strip_prefix("https://"))?;
    let host =
        host.rsplit_once(':').map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]").then(|| origin.clone())
}

async fn handle(
    AxumState(shared): AxumState<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: HttpRequest<Body>,
) -> HttpResponse<Body> {
    let origin = cors_origin(request.headers());
    let mut response = if request.method() == Method::OPTIONS {
        HttpResponse::builder().status(StatusCode::NO_CONTENT).body(Body::empty()).expect("static response")
    } else {
        serve(shared, peer, request).await
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

async fn serve(shared: Shared, peer: SocketAddr, request: HttpRequest<Body>) -> HttpResponse<Body> {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, 16 * 1024 * 1024).await else {
        return plain(Response::error(413, "request body too large"), &[]);
    };
    let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string();
    let core = Request {
        method: parts.method.as_str().to_string(),
        // Nested routers see the path without their prefix; the original URI has it.
        path: parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.path().to_string(), |u| u.0.path().to_string()),
        query: parts.uri.query().unwrap_or("").to_string(),
        authorization: parts.headers.get(header::AUTHORIZATION).and_then(|h| h.to_str().ok()).map(str::to_string),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        base_url: format!("http://{host}"),
    };
    if core.path.starts_with("/_sandbox") {
        if !peer.ip().is_loopback() {
            return plain(Response::not_found(), &[]);
        }
        return plain(control(&shared, &core), &[]);
    }
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
            return plain(
                Response::error(429, "too many requests"),
                &[("retry-after", &format!("{}", retry_after.ceil() as u64)), ("x-ratelimit-reset", &secs)],
            );
        }
        Verdict::ServerError => return plain(Response::error(503, "injected server error"), &[]),
        Verdict::Pass { malformed } => {
            server.sandbox.now = now_rfc3339();
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

/// The current UTC time as TFE writes it: `2021-08-30T18:09:57.561Z`.
fn now_rfc3339() -> String {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let (days, secs) = ((since.as_secs() / 86_400) as i64, since.as_secs() % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        since.subsec_millis()
    )
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

/// `/_sandbox/reset` (POST) and `/_sandbox/faults` (GET, POST a JSON object of settings).
fn control(shared: &Shared, request: &Request) -> Response {
    let mut server = shared.lock().expect("lock");
    match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/_sandbox/reset") => {
            server.sandbox.state = server.initial.clone();
            server.faults = Faults::default();
            match persist(&server) {
                Ok(()) => Response::no_content(),
                Err(e) => Response::error(500, &format!("cannot persist state: {e}")),
            }
        }
        ("GET", "/_sandbox/faults") => Response::json(200, &server.faults),
        ("POST", "/_sandbox/faults") => match serde_json::from_str::<Faults>(&request.body) {
            Ok(faults) => {
                server.faults = faults;
                Response::json(200, &server.faults)
            }
            Err(e) => Response::error(422, &format!("invalid fault settings: {e}")),
        },
        ("GET", "/_sandbox/state") => Response::json(200, &server.sandbox.state),
        // Replace the whole state (tests load hostile names the API itself would refuse).
        ("PUT", "/_sandbox/state") => match serde_json::from_str(&request.body) {
            Ok(state) => {
                server.sandbox.state = state;
                match persist(&server) {
                    Ok(()) => Response::no_content(),
                    Err(e) => Response::error(500, &format!("cannot persist state: {e}")),
                }
            }
            Err(e) => Response::error(422, &format!("invalid state: {e}")),
        },
        // Tells the page it runs against the sandbox, and which sample tokens exist.
        ("GET", "/_sandbox/info") => {
            let tokens: Vec<_> = server
                .initial
                .users
                .iter()
                .map(|u| serde_json::json!({ "token": u.token, "user": u.username, "site-admin": u.site_admin }))
                .collect();
            Response::json(200, &serde_json::json!({ "sandbox": true, "tokens": tokens }))
        }
        _ => Response::not_found(),
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
