//! Shared by the server's tests: routers on loopback ports, an upstream that records what
//! reaches it, a CA and certificates made for the test, a raw HTTP/1.1 client for request lines
//! no well-behaved client would send, and a small built page.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{Request, Response};
use axum::Router;
use tfe_orgs_server::{app, Api, AppConfig, Page, Upstream};

pub const ADMIN: &str = "sandbox-admin-token";

/// One runtime for every server a test starts (tests themselves stay synchronous).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap())
}

/// Serve `router` on a free loopback port (plain HTTP).
pub fn spawn(router: Router) -> SocketAddr {
    let _guard = runtime().enter();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
    runtime().spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    addr
}

/// Serve `router` over HTTPS with `tls`'s leaf certificate.
pub fn spawn_tls(router: Router, tls: &TestCa) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let config = tfe_orgs_server::tls::server_config(&tls.leaf_cert, &tls.leaf_key).unwrap();
    let config = axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config));
    runtime().spawn(async move {
        axum_server::from_tcp_rustls(listener, config)
            .serve(router.into_make_service_with_connect_info::<SocketAddr>())
            .await
            .unwrap();
    });
    addr
}

/// The seeded sandbox's router (`/api/v2` and `/_sandbox`).
pub fn sandbox() -> Router {
    tfe_sandbox::http::emulator(&Default::default()).unwrap().router
}

/// An upstream that answers every request with what it received (method, raw path, query,
/// headers, body) and sets headers the proxy must filter: a cookie, rate-limit headers,
/// `Retry-After`, an internal header. `/api/v2/slow` answers after 5 s (far past any timeout a test sets).
pub fn recorder() -> Router {
    Router::new().fallback(|request: Request<Body>| async move {
        let (parts, body) = request.into_parts();
        if parts.uri.path() == "/api/v2/slow" {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        // A hostile upstream: a page to render on the proxy's origin, an endless answer.
        if parts.uri.path() == "/api/v2/html" {
            return Response::builder()
                .header("content-type", "text/html")
                .body(Body::from("<script>alert(document.domain)</script>"))
                .unwrap();
        }
        if parts.uri.path() == "/api/v2/huge-declared" {
            return Response::builder()
                .header("content-type", "application/vnd.api+json")
                .body(Body::from(vec![b' '; 2 * 1024 * 1024]))
                .unwrap();
        }
        // Eight parts 150 ms apart (an export that takes longer than the timeout, never idle
        // that long), and one part followed by silence (a stalled upstream).
        if let Some(gap) = match parts.uri.path() {
            "/api/v2/trickle" => Some(Duration::from_millis(150)),
            "/api/v2/stall" => Some(Duration::from_secs(5)),
            _ => None,
        } {
            let count = if gap < Duration::from_secs(1) { 8 } else { 2 };
            let chunks = futures_util::stream::unfold(0, move |i| async move {
                if i == count {
                    return None;
                }
                if i > 0 {
                    tokio::time::sleep(gap).await;
                }
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(format!("part{i};"))), i + 1))
            });
            return Response::builder().header("content-type", "text/plain").body(Body::from_stream(chunks)).unwrap();
        }
        if parts.uri.path() == "/api/v2/huge" {
            let chunks = futures_util::stream::iter(
                (0..64).map(|_| Ok::<_, std::io::Error>(axum::body::Bytes::from(vec![b' '; 64 * 1024]))),
            );
            return Response::builder()
                .header("content-type", "application/vnd.api+json")
                .body(Body::from_stream(chunks))
                .unwrap();
        }
        let body = to_bytes(body, usize::MAX).await.unwrap();
        let headers: serde_json::Map<String, serde_json::Value> = parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_str().unwrap_or("").to_string())))
            .collect();
        let echo = serde_json::json!({
            "method": parts.method.as_str(),
            "path": parts.uri.path(),
            "query": parts.uri.query(),
            "headers": headers,
            "body": String::from_utf8_lossy(&body),
        });
        let status = if parts.uri.path() == "/api/v2/limited" { 429 } else { 200 };
        Response::builder()
            .status(status)
            .header("content-type", "application/vnd.api+json")
            .header("set-cookie", "session=upstream; Path=/")
            .header("x-ratelimit-limit", "30")
            .header("x-ratelimit-remaining", "29")
            .header("x-ratelimit-reset", "0.875")
            .header("retry-after", "1")
            .header("x-internal-debug", "upstream-only")
            .header("server", "upstream/1.0")
            .body(Body::from(echo.to_string()))
            .unwrap()
    })
}

/// A minimal built page: index.html, a hashed script with .br/.gz siblings, an unhashed file.
pub fn page_dir(name: &str) -> PathBuf {
    // Tests run in parallel in one process and several build a page: each call has its own
    // directory, so one test's clean-up never removes a file another is serving.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("page-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>tfe-orgs admin</title>").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "console.log('identity')").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.br"), "BROTLI-BYTES").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.gz"), "GZIP-BYTES").unwrap();
    std::fs::write(dir.join("nested/notes.txt"), "not hashed").unwrap();
    dir
}

/// `tfe-orgs-server`'s app forwarding to `upstream` (a URL), serving [`page_dir`].
pub fn proxy_to(upstream: &str, ca_file: Option<&Path>, timeout: Duration) -> SocketAddr {
    let client = tfe_orgs_server::tls::upstream_client(ca_file).unwrap();
    let origin = tfe_orgs_server::cli::upstream_origin(upstream).unwrap();
    let page = Page::from_dir(&page_dir("proxy"), "/").unwrap();
    spawn(app(AppConfig {
        api: Api::Upstream(Upstream::new(origin, client, timeout)),
        page,
        tls: false,
        hosts: tfe_orgs_server::AllowedHosts::loopback_any_port(),
    }))
}

/// `tfe-orgs-server`'s app with the sandbox in-process, the page at `base`.
pub fn sandbox_app(base: &str) -> Router {
    let page = Page::from_dir(&page_dir(&format!("sandbox{}", base.replace('/', "-"))), base).unwrap();
    let emulator = tfe_sandbox::http::emulator(&Default::default()).unwrap();
    app(AppConfig {
        api: Api::Sandbox(emulator),
        page,
        tls: false,
        hosts: tfe_orgs_server::AllowedHosts::loopback_any_port(),
    })
}

/// [`sandbox_app`] on a loopback port.
pub fn sandbox_server(base: &str) -> SocketAddr {
    spawn(sandbox_app(base))
}

/// `GET path` through `router` with the admin token (see [`call`]).
pub fn call_get(router: &Router, path: &str) -> Reply {
    let auth = format!("Bearer {ADMIN}");
    call(router, "GET", path, &[("Host", CALLED_AT), ("Authorization", &auth)], b"")
}

/// Where [`call`] says a request came from: a loopback client of a server on port 8080.
pub const CALLED_AT: &str = "127.0.0.1:8080";

/// One request through `router` without a socket (`tower::ServiceExt::oneshot`, as axum's
/// testing example does), from a loopback peer. `headers` are sent as given: any `Host` is
/// the caller's.
pub fn call(router: &Router, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    use tower::ServiceExt;
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::from(body.to_vec())).unwrap();
    let peer: SocketAddr = "127.0.0.1:50000".parse().unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
    runtime().block_on(async {
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or_default().to_string()))
            .collect();
        let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    })
}

/// A CA made for the test and a leaf for `localhost` / `127.0.0.1` signed by it, as PEM files.
pub struct TestCa {
    pub ca_cert: PathBuf,
    pub leaf_cert: PathBuf,
    pub leaf_key: PathBuf,
    pub ca_pem: String,
}

pub fn test_ca(name: &str) -> TestCa {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ca-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "tfe-orgs test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let paths = TestCa {
        ca_cert: dir.join("ca.pem"),
        leaf_cert: dir.join("leaf.pem"),
        leaf_key: dir.join("leaf-key.pem"),
        ca_pem: ca.pem(),
    };
    std::fs::write(&paths.ca_cert, ca.pem()).unwrap();
    std::fs::write(&paths.leaf_cert, leaf.pem()).unwrap();
    std::fs::write(&paths.leaf_key, leaf_key.serialize_pem()).unwrap();
    paths
}

/// A reply read off the wire.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Send `head` (request line and headers, without the blank line) and `body` as they are.
pub fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut text = head.trim_end().replace('\n', "\r\n");
    text.push_str(&format!("\r\nConnection: close\r\nContent-Length: {}\r\n\r\n", body.len()));
    stream.write_all(text.as_bytes()).unwrap();
    // A server may answer from the head alone (a declared length over the limit) and close before
    // the body is read: the write then fails with a broken pipe or a reset, and the answer already
    // sent is still there to read.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no reply: {raw:?}"));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked { dechunk(body) } else { body.to_string() };
    Reply { status, headers, body }
}

/// A chunked body's content (what a client reads); a body cut before its last chunk keeps what
/// arrived.
fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || after.len() < size {
            out.push_str(&after[..size.min(after.len())]);
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].strip_prefix("\r\n").unwrap_or(&after[size..]);
    }
    out
}

/// `GET path` with the admin token through a real client: the head arrives (200, no length that
/// a cut answer could seem to match), then the body breaks off, never reading as complete.
pub fn assert_answer_is_cut(addr: SocketAddr, path: &str) {
    let body = runtime().block_on(async {
        let answer = tfe_orgs_server::tls::upstream_client(None)
            .unwrap()
            .get(format!("http://{addr}{path}"))
            .bearer_auth(ADMIN)
            .send()
            .await
            .expect("the head is relayed");
        assert_eq!(answer.status(), 200);
        assert!(answer.content_length().is_none(), "no length that a cut answer could seem to match");
        answer.bytes().await
    });
    let error = body.expect_err("a cut answer must not read as complete");
    assert!(error.is_body() || error.is_decode(), "{error:?}");
}

/// `GET path` with the admin token.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    raw(addr, &format!("GET {path} HTTP/1.1\nHost: {addr}\nAuthorization: Bearer {ADMIN}"), b"")
}
