//! What the server refuses: a `Host` it does not serve (DNS rebinding), other sites' pages,
//! `TRACE`/`CONNECT`, an upstream answer that is not JSON or too long, and what every API answer
//! carries — through the app without a socket (`oneshot`); and, with the binary over real
//! sockets, slow clients, stalled connections, TLS names and large bodies.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::*;

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn a_host_the_server_does_not_serve_is_refused_before_any_route() {
    let app = sandbox_app("/");
    let server = CALLED_AT;
    let auth = format!("Bearer {ADMIN}");
    let asked = |hosts: &[&str], path: &str| {
        let mut headers: Vec<(&str, &str)> = hosts.iter().map(|h| ("Host", *h)).collect();
        headers.push(("Authorization", &auth));
        call(&app, "GET", path, &headers, b"")
    };
    // A page on evil.example rebound to 127.0.0.1: its requests carry its own name.
    for path in ["/_tfe-orgs/info", "/api/v2/organizations", "/", "/_sandbox/state"] {
        let reply = asked(&["evil.example"], path);
        assert_eq!(reply.status, 421, "{path}");
        assert_eq!(reply.header("content-type"), Some("application/vnd.api+json"));
        assert_eq!(reply.json()["errors"][0]["title"], "host not served");
    }
    assert_eq!(asked(&[server, server], "/api/v2/ping").status, 421, "two Host headers");
    let no_host = asked(&[], "/api/v2/ping");
    assert!(matches!(no_host.status, 400 | 421), "no Host: {}", no_host.status);
    // The names it serves: links name only them.
    let paged = "/api/v2/organizations?page%5Bnumber%5D=1&page%5Bsize%5D=2";
    let ok = asked(&[server], paged);
    assert_eq!(ok.status, 200);
    let links = ok.json()["links"].clone();
    assert!(links.to_string().contains(&format!("http://{server}/")), "{links}");
    assert!(!ok.body.contains("evil.example"));
    let localhost = asked(&["localhost:8080"], paged);
    assert_eq!(localhost.status, 200);
    assert!(localhost.body.contains("http://localhost:8080/"));
    for method in ["TRACE", "CONNECT"] {
        let reply = call(&app, method, "/api/v2/ping", &[("Host", server)], b"");
        assert_eq!(reply.status, 405, "{method}");
    }
}

#[test]
fn other_sites_pages_can_neither_use_the_api_nor_drive_the_sandbox() {
    let app = sandbox_app("/");
    let auth = format!("Bearer {ADMIN}");
    let with = |method: &str, path: &str, extra: &[(&str, &str)]| {
        let mut headers = vec![("Host", CALLED_AT), ("Authorization", auth.as_str())];
        headers.extend_from_slice(extra);
        call(&app, method, path, &headers, b"")
    };
    assert_eq!(with("GET", "/api/v2/organizations", &[("Origin", "https://evil.example")]).status, 403);
    assert_eq!(with("GET", "/api/v2/organizations", &[("Sec-Fetch-Site", "cross-site")]).status, 403);
    let own_origin = format!("http://{CALLED_AT}");
    let own = with("GET", "/api/v2/organizations", &[("Origin", &own_origin), ("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(own.status, 200);
    // Every API answer: never stored, never rendered.
    assert_eq!(own.header("cache-control"), Some("no-store"));
    assert_eq!(own.header("content-security-policy"), Some(tfe_orgs_server::security::API_CSP));
    assert_eq!(own.header("x-content-type-options"), Some("nosniff"));
    // The sandbox's controls: a "simple" cross-site POST (no JSON content type) resets nothing.
    assert_eq!(with("POST", "/_sandbox/reset", &[]).status, 415);
    let json = ("Content-Type", "application/json");
    assert_eq!(with("POST", "/_sandbox/reset", &[json, ("Origin", "https://evil.example")]).status, 403);
    assert_eq!(with("POST", "/_sandbox/reset", &[json, ("Sec-Fetch-Site", "cross-site")]).status, 403);
    assert_eq!(with("POST", "/_sandbox/reset", &[json, ("X-Forwarded-For", "203.0.113.9")]).status, 404);
    assert_eq!(with("POST", "/_sandbox/reset", &[json, ("Forwarded", "for=203.0.113.9")]).status, 404);
    assert_eq!(with("POST", "/_sandbox/reset", &[json, ("X-Real-IP", "203.0.113.9")]).status, 404);
    assert_eq!(with("GET", "/_sandbox/state", &[("X-Forwarded-Host", "tfe.example.com")]).status, 404);
    assert_eq!(with("POST", "/_sandbox/reset", &[json]).status, 204);
}

#[test]
fn an_upstream_answer_that_is_not_json_or_too_long_never_reaches_the_page_as_is() {
    let upstream = spawn(recorder());
    let client = tfe_orgs_server::tls::client_config(None).map(|_| ()).ok();
    assert!(client.is_some());
    let origin = tfe_orgs_server::cli::upstream_origin(&format!("http://{upstream}")).unwrap();
    let http = tfe_orgs_server::tls::upstream_client(None).unwrap();
    let page = tfe_orgs_server::Page::from_dir(&page_dir("hardening"), "/").unwrap();
    let proxied = tfe_orgs_server::Upstream::new(origin, http, MINUTE).with_max_answer(1024 * 1024);
    let server = tfe_orgs_server::app(tfe_orgs_server::AppConfig {
        api: tfe_orgs_server::Api::Upstream(proxied),
        page,
        tls: false,
        hosts: tfe_orgs_server::AllowedHosts::loopback_any_port(),
    });
    let auth = format!("Bearer {ADMIN}");
    let get =
        |app: &axum::Router, path: &str| call(app, "GET", path, &[("Host", CALLED_AT), ("Authorization", &auth)], b"");
    let html = get(&server, "/api/v2/html");
    assert_eq!(html.header("content-type"), Some("application/octet-stream"), "not rendered as this origin's page");
    assert_eq!(html.header("content-disposition"), Some("attachment"));
    assert_eq!(html.header("content-security-policy"), Some(tfe_orgs_server::security::API_CSP));
    // A declared length over the limit: a 502 document before any byte of it.
    let declared = get(&server, "/api/v2/huge-declared");
    assert_eq!(declared.status, 502);
    assert!(declared.json()["errors"][0]["detail"].as_str().unwrap().contains("longer than 1 MiB"));
    assert_eq!(get(&server, "/api/v2/organizations").status, 200, "answers under the limit pass");
    // 4 MiB streamed without a length, over a 1 MiB limit: relayed as it comes, then cut. The
    // client sees a broken answer, never a complete one.
    assert_answer_is_cut(spawn(server), "/api/v2/huge");
}

/// The upstream's answer is relayed as it arrives: the client reads the first part while the
/// upstream still holds the rest back (it sends the rest only once the client has the first).
#[test]
fn upstream_answers_are_streamed_not_buffered() {
    let (first_seen, wait_for_client) = tokio::sync::watch::channel(false);
    let upstream = axum::Router::new().fallback(move || {
        let mut wait_for_client = wait_for_client.clone();
        async move {
            let first = axum::body::Bytes::from(format!("{{\"data\": [{}", " ".repeat(64 * 1024)));
            let rest = futures_util::stream::once(async move {
                // Held back until the client says it read the first part (or 30 s: a proxy that
                // buffers never lets it, and the test fails below).
                let _ = tokio::time::timeout(Duration::from_secs(30), wait_for_client.wait_for(|seen| *seen)).await;
                Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"]}"))
            });
            let body = futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok(first) }), rest);
            axum::http::Response::builder()
                .header("content-type", "application/vnd.api+json")
                .body(axum::body::Body::from_stream(body))
                .unwrap()
        }
    });
    let upstream = spawn(upstream);
    let proxy = proxy_to(&format!("http://{upstream}"), None, MINUTE);
    runtime().block_on(async move {
        let started = std::time::Instant::now();
        let answer = tfe_orgs_server::tls::upstream_client(None)
            .unwrap()
            .get(format!("http://{proxy}/api/v2/organizations"))
            .bearer_auth(ADMIN)
            .send()
            .await;
        let mut answer = answer.unwrap();
        let mut read = Vec::new();
        while read.len() < 64 * 1024 {
            read.extend_from_slice(&answer.chunk().await.unwrap().expect("more of the answer"));
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the first part came only with the rest: buffered");
        first_seen.send(true).unwrap();
        while let Some(chunk) = answer.chunk().await.unwrap() {
            read.extend_from_slice(&chunk);
        }
        assert!(read.ends_with(b"]}"), "the whole answer, in order");
        serde_json::from_slice::<serde_json::Value>(&read).expect("a complete answer parses");
    });
}

/// The binary with `args`, on a free port; its address.
struct Binary(std::process::Child, std::net::SocketAddr);

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn binary(args: &[&str]) -> Binary {
    let page = page_dir("slow");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfe-orgs-server"))
        .args(["--listen", "127.0.0.1:0", "--sandbox", "--page", page.to_str().unwrap()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8];
    while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let line = String::from_utf8(first).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http")).unwrap();
    let addr = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    // Keep reading its output so it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Binary(child, addr)
}

/// Whether the server closed `stream` (EOF or reset) within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 512];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn a_slow_client_is_cut_off_and_stalled_connections_do_not_lock_out_others() {
    let server = binary(&["--header-timeout", "1s", "--max-connections", "40"]);
    // A head sent a byte at a time, never finished: closed after the header timeout.
    let mut slow = TcpStream::connect(server.1).unwrap();
    slow.write_all(b"GET /api/v2/ping HTTP/1.1\r\nHo").unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(10)), "a stalled head is closed");
    // A connection that sends nothing is closed, and so is one left idle after an answer.
    let mut idle = TcpStream::connect(server.1).unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(10)), "a silent connection is closed");
    let mut kept = TcpStream::connect(server.1).unwrap();
    kept.write_all(format!("GET /api/v2/ping HTTP/1.1\r\nHost: {}\r\n\r\n", server.1).as_bytes()).unwrap();
    let mut answer = [0u8; 12];
    kept.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 204");
    assert!(closed_within(&mut kept, Duration::from_secs(10)), "an idle kept-alive connection is closed");
    // 60 stalled connections, over the cap of 40: the extra ones are closed at once, the rest
    // after the header timeout; then anyone is answered again.
    let mut stalled: Vec<TcpStream> = (0..60).filter_map(|_| TcpStream::connect(server.1).ok()).collect();
    for s in &mut stalled {
        let _ = s.write_all(b"GET / HTTP/1.1\r\n");
    }
    for s in &mut stalled {
        assert!(closed_within(s, Duration::from_secs(10)), "every stalled connection is closed");
    }
    let ping = raw(server.1, &format!("GET /api/v2/ping HTTP/1.1\nHost: {}", server.1), b"");
    assert_eq!(ping.status, 204);
}

#[test]
fn the_tls_certificates_dns_names_are_names_the_server_answers_to() {
    let ca = test_ca("names");
    // The test leaf is for localhost and 127.0.0.1 (an IP, not a DNS name).
    assert_eq!(tfe_orgs_server::tls::certificate_names(&ca.leaf_cert).unwrap(), vec!["localhost".to_string()]);
    let hosts =
        tfe_orgs_server::AllowedHosts::new(8443, tfe_orgs_server::tls::certificate_names(&ca.leaf_cert).unwrap());
    assert!(hosts.allows("localhost:8443") && !hosts.allows("evil.example:8443"));
}

#[test]
fn in_sandbox_mode_a_body_over_1_mib_is_refused_before_the_token_is_looked_at_and_expect_100_is_honoured() {
    let server = sandbox_server("/");
    // No token, 2 MiB declared: 413, not 401 (and nothing is read).
    let head = format!("POST /api/v2/organizations HTTP/1.1\r\nHost: {server}\r\nContent-Length: {}\r\nContent-Type: application/vnd.api+json\r\n", 2 * 1024 * 1024);
    let mut big = TcpStream::connect(server).unwrap();
    big.set_read_timeout(Some(MINUTE)).unwrap();
    big.write_all(format!("{head}Expect: 100-continue\r\n\r\n").as_bytes()).unwrap();
    let mut answer = [0u8; 12];
    big.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 413", "refused from the head, without a 100 first");
    // A body within the limit: 100 Continue, then the answer once the body is sent.
    let body = r#"{"data":{"type":"organizations","attributes":{"name":"expect-100","email":"e@example.com"}}}"#;
    let mut small = TcpStream::connect(server).unwrap();
    small.set_read_timeout(Some(MINUTE)).unwrap();
    write!(
        small,
        "POST /api/v2/organizations HTTP/1.1\r\nHost: {server}\r\nAuthorization: Bearer {ADMIN}\r\nContent-Type: application/vnd.api+json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut first = [0u8; 25];
    small.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 100 Continue\r\n\r\n");
    small.write_all(body.as_bytes()).unwrap();
    let mut rest = String::new();
    let _ = small.read_to_string(&mut rest);
    assert!(rest.starts_with("HTTP/1.1 201"), "{rest}");
}
