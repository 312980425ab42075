//! The `tfe-sandbox` binary over real HTTP on 127.0.0.1: CORS preflight,
//! persistence across `kill -9`, the control endpoint and every fault kind.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ADMIN: &str = "sandbox-admin-token";

#[path = "support/walk.rs"]
mod walk;

/// A running sandbox, killed when dropped.
struct Sandbox {
    child: Child,
    port: u16,
}

impl Sandbox {
    fn start(args: &[&str]) -> Sandbox {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tfe-sandbox"))
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("sandbox starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().rsplit(':').next().unwrap().split(' ').next().unwrap().parse().expect(&line);
        Sandbox { child, port }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        request(self.port, method, path, headers, body)
    }

    fn api(&self, method: &str, path: &str, body: &str) -> Reply {
        api(self.port, method, path, body)
    }

    fn kill(mut self) {
        self.child.kill().unwrap(); // SIGKILL: no chance to flush anything
        self.child.wait().unwrap();
    }
}

fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    // The sandbox may answer (413, a lost answer) and close before it reads all we send, and a
    // close with unread bytes is a reset: what was answered before it is still read.
    let _ = stream.write_all(text.as_bytes());
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    // A connection closed before a whole head arrived: status 0.
    let Some((head, body)) = raw.split_once("\r\n\r\n") else {
        return Reply { status: 0, headers: Vec::new(), body: raw };
    };
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers =
        lines.filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect();
    Reply { status, headers, body: body.to_string() }
}

fn api(port: u16, method: &str, path: &str, body: &str) -> Reply {
    let auth = format!("Bearer {ADMIN}");
    request(port, method, path, &[("Authorization", &auth), ("Content-Type", "application/vnd.api+json")], body)
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cors_preflight_is_open_to_loopback_origins_only() {
    let sb = Sandbox::start(&[]);
    let preflight = sb.request(
        "OPTIONS",
        "/api/v2/admin/organizations",
        &[
            ("Origin", "http://localhost:5173"),
            ("Access-Control-Request-Method", "PATCH"),
            ("Access-Control-Request-Headers", "authorization,content-type"),
        ],
        "",
    );
    assert!((200..300).contains(&preflight.status), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("http://localhost:5173"));
    assert!(preflight.header("access-control-allow-headers").unwrap().contains("authorization"));
    // Every method the API uses (PUT: registry-partnerships).
    for method in ["GET", "POST", "PATCH", "PUT", "DELETE"] {
        let preflight = sb.request(
            "OPTIONS",
            "/api/v2/admin/organizations/acme/registry-partnerships",
            &[("Origin", "http://localhost:5173"), ("Access-Control-Request-Method", method)],
            "",
        );
        let allowed = preflight.header("access-control-allow-methods").unwrap_or_default();
        assert!(allowed.split(',').any(|m| m.trim() == method), "{method} not in {allowed:?}");
    }

    let get = sb.request(
        "GET",
        "/api/v2/organizations",
        &[("Origin", "http://127.0.0.1:9000"), ("Authorization", "Bearer sandbox-admin-token")],
        "",
    );
    assert_eq!(get.status, 200);
    assert_eq!(get.header("access-control-allow-origin"), Some("http://127.0.0.1:9000"));
    assert_eq!(get.header("content-type"), Some("application/vnd.api+json"));

    let foreign = sb.request("OPTIONS", "/api/v2/organizations", &[("Origin", "https://evil.example")], "");
    assert_eq!(foreign.header("access-control-allow-origin"), None);

    // The controls too: browser tests set faults from their own loopback origin.
    let control = sb.request(
        "OPTIONS",
        "/_sandbox/faults",
        &[
            ("Origin", "http://127.0.0.1:9000"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        "",
    );
    assert_eq!(control.header("access-control-allow-origin"), Some("http://127.0.0.1:9000"));
}

#[test]
fn acknowledged_writes_survive_kill_9() {
    let dir = scratch("state");
    let state = dir.join("state.json");
    let state_arg = state.to_str().unwrap();
    let sb = Sandbox::start(&["--state", state_arg]);
    let mut created = Vec::new();
    for i in 0..20 {
        let body = format!(
            r#"{{"data":{{"type":"organizations","attributes":{{"name":"durable-{i}","email":"d{i}@example.com"}}}}}}"#
        );
        assert_eq!(sb.api("POST", "/api/v2/organizations", &body).status, 201);
        created.push(format!("durable-{i}"));
    }
    let today = String::from_utf8(Command::new("date").args(["-u", "+%Y-%m-%dT"]).output().unwrap().stdout).unwrap();
    let shown = sb.api("GET", "/api/v2/organizations/durable-0", "").json();
    assert!(
        shown["data"]["attributes"]["created-at"].as_str().unwrap().starts_with(today.trim()),
        "created-at is now: {shown}"
    );
    let patch = r#"{"data":{"type":"organizations","attributes":{"is-disabled":true}}}"#;
    assert_eq!(sb.api("PATCH", "/api/v2/admin/organizations/hashicorp", patch).status, 200);
    sb.kill();

    let again = Sandbox::start(&["--state", state_arg]);
    for name in &created {
        assert_eq!(again.api("GET", &format!("/api/v2/organizations/{name}"), "").status, 200, "{name} survived");
    }
    assert_eq!(
        again.api("GET", "/api/v2/admin/organizations/hashicorp", "").json()["data"]["attributes"]["is-disabled"],
        true
    );
}

#[test]
fn kill_9_during_writes_loses_no_acknowledged_write() {
    let dir = scratch("kill-during");
    let state = dir.join("state.json");
    let state_arg = state.to_str().unwrap().to_string();
    let sb = Sandbox::start(&["--state", &state_arg]);
    let port = sb.port;
    // Concurrent writers: snapshots are made durable off the executor, so a slow older one must
    // never replace a newer one.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for i in 0..10_000 {
                    let body = format!(
                        r#"{{"data":{{"type":"organizations","attributes":{{"name":"w{w}-{i}","email":"w{i}@example.com"}}}}}}"#
                    );
                    match std::panic::catch_unwind(|| api(port, "POST", "/api/v2/organizations", &body)) {
                        Ok(reply) if reply.status == 201 => acknowledged.push(format!("w{w}-{i}")),
                        _ => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(400));
    sb.kill();
    let acknowledged: Vec<String> = writers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    assert!(acknowledged.len() > 5, "writes were under way: {}", acknowledged.len());

    let again = Sandbox::start(&["--state", &state_arg]);
    let stored = again.request("GET", "/_sandbox/state", &[], "").json();
    let names: std::collections::BTreeSet<&str> =
        stored["orgs"].as_array().unwrap().iter().map(|o| o["attributes"]["name"].as_str().unwrap()).collect();
    let lost: Vec<_> = acknowledged.iter().filter(|n| !names.contains(n.as_str())).collect();
    assert!(lost.is_empty(), "acknowledged but lost after kill -9: {lost:?}");
}

#[test]
fn control_endpoint_resets_state() {
    let sb = Sandbox::start(&[]);
    assert_eq!(sb.api("DELETE", "/api/v2/admin/organizations/hashicorp", "").status, 204);
    assert_eq!(sb.api("GET", "/api/v2/admin/organizations/hashicorp", "").status, 404);
    assert_eq!(sb.request("POST", "/_sandbox/reset", &[("Content-Type", "application/json")], "").status, 204);
    assert_eq!(sb.api("GET", "/api/v2/admin/organizations/hashicorp", "").status, 200);
}

fn set_faults(sb: &Sandbox, settings: &str) {
    let reply = sb.request("POST", "/_sandbox/faults", &[("Content-Type", "application/json")], settings);
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn rate_limit_answers_429_with_both_headers() {
    let sb = Sandbox::start(&[]);
    set_faults(&sb, r#"{"rate-limit": 5}"#);
    let statuses: Vec<u16> = (0..8).map(|_| sb.api("GET", "/api/v2/organizations/hashicorp", "").status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "{statuses:?}");
    let limited = sb.api("GET", "/api/v2/organizations/hashicorp", "");
    assert_eq!(limited.status, 429);
    assert_eq!(sb.request("GET", "/_sandbox/faults", &[], "").json()["rate-limited"], 4);
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    let reset: f64 = limited.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!((0.0..=1.0).contains(&reset) && retry_after <= 1, "{retry_after} {reset}");
    std::thread::sleep(Duration::from_secs_f64(reset + 0.05));
    assert_eq!(sb.api("GET", "/api/v2/organizations/hashicorp", "").status, 200, "the window moved on");
    // The limit is per token: another token is not limited.
    let other =
        sb.request("GET", "/api/v2/organizations/hashicorp", &[("Authorization", "Bearer sandbox-owner-token")], "");
    assert_eq!(other.status, 200);
}

#[test]
fn injected_errors_malformed_bodies_and_latency() {
    let sb = Sandbox::start(&["--error-rate", "1"]);
    let body = r#"{"data":{"type":"organizations","attributes":{"name":"never-created","email":"n@example.com"}}}"#;
    assert_eq!(sb.api("POST", "/api/v2/organizations", body).status, 503);
    set_faults(&sb, r#"{"error-rate": 0.5, "seed": 7}"#);
    let failures = (0..40).filter(|_| sb.api("GET", "/api/v2/organizations/hashicorp", "").status == 503).count();
    assert!((8..=32).contains(&failures), "about half fail: {failures}");
    let counters = sb.request("GET", "/_sandbox/faults", &[], "").json();
    assert_eq!(counters["injected-errors"], failures as u64, "the sandbox counts what it injected");

    set_faults(&sb, r#"{"malformed-rate": 1}"#);
    let cut = sb.api("GET", "/api/v2/admin/organizations/hashicorp", "");
    assert_eq!(cut.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&cut.body).is_err(), "body is truncated: {}", cut.body);

    set_faults(&sb, r#"{"latency-ms": 300}"#);
    let started = Instant::now();
    assert_eq!(sb.api("GET", "/api/v2/organizations/hashicorp", "").status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    set_faults(&sb, "{}");
    assert_eq!(sb.api("GET", "/api/v2/organizations/never-created", "").status, 404, "a 503 write never happened");
}

#[test]
fn writes_applied_then_lost() {
    let sb = Sandbox::start(&["--lost-rate", "1", "--fault-seed", "3"]);
    // Every successful write is applied and its answer lost: a 502/503, or a 200 cut off.
    let mut seen = Vec::new();
    for i in 0..12 {
        let body = format!(
            r#"{{"data":{{"type":"organizations","attributes":{{"name":"lost-{i}","email":"l@example.com"}}}}}}"#
        );
        let reply = sb.api("POST", "/api/v2/organizations", &body);
        // Cut: the connection closes mid-answer (before or after the head went out).
        let cut = reply.status == 0
            || (reply.status == 201 && serde_json::from_str::<serde_json::Value>(&reply.body).is_err());
        assert!(matches!(reply.status, 502 | 503) || cut, "{} {}", reply.status, reply.body);
        seen.push(if cut { 0 } else { reply.status });
        // ... and it was applied (reads are never lost).
        assert_eq!(sb.api("GET", &format!("/api/v2/organizations/lost-{i}"), "").status, 200);
    }
    assert!(seen.contains(&0) && seen.contains(&502) && seen.contains(&503), "every kind of loss: {seen:?}");
    // A refused write is not applied, so nothing is lost: its 422 arrives.
    let taken = r#"{"data":{"type":"organizations","attributes":{"name":"hashicorp","email":"x@example.com"}}}"#;
    assert_eq!(sb.api("POST", "/api/v2/organizations", taken).status, 422);
    let counters = sb.request("GET", "/_sandbox/faults", &[], "").json();
    assert_eq!((counters["lost-rate"].as_f64(), counters["lost-answers"].as_u64()), (Some(1.0), Some(12)));
}

#[test]
fn service_discovery_ping_and_the_headers_tfe_sends() {
    let sb = Sandbox::start(&[]);
    let discovery = sb.request("GET", "/.well-known/terraform.json", &[], "");
    assert_eq!(discovery.status, 200);
    let services = discovery.json();
    assert_eq!(
        (services["tfe.v2"].as_str(), services["modules.v1"].as_str()),
        (Some("/api/v2/"), Some("/api/registry/v1/modules/"))
    );
    // Ping needs no token and says which API it is.
    let ping = sb.request("GET", "/api/v2/ping", &[], "");
    assert_eq!(ping.status, 204);
    assert_eq!(
        (ping.header("tfp-api-version"), ping.header("tfp-appname")),
        (Some("2.6"), Some("Terraform Enterprise"))
    );
    assert!(ping.header("x-tfe-version").is_some_and(|v| v.starts_with('v')));
    // Every answer carries the rate limit of its token: TFE's 30 per second when none is set.
    let first = sb.api("GET", "/api/v2/organizations/hashicorp", "");
    let second = sb.api("GET", "/api/v2/organizations/hashicorp", "");
    assert_eq!(first.header("x-ratelimit-limit"), Some("30"));
    let remaining = |r: &Reply| r.header("x-ratelimit-remaining").unwrap().parse::<u32>().unwrap();
    assert_eq!(remaining(&second), remaining(&first) - 1, "counted per token");
    assert!(second.header("x-ratelimit-reset").unwrap().parse::<f64>().is_ok_and(|s| (0.0..=1.0).contains(&s)));
    assert_eq!(
        sb.api("GET", "/api/v2/organizations/no-such", "").header("x-ratelimit-limit"),
        Some("30"),
        "on errors too"
    );
}

#[test]
fn only_its_own_loopback_names_are_served_and_its_controls_take_json_from_loopback_pages() {
    let sb = Sandbox::start(&[]);
    let status_for = |host: &str| {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", sb.port)).unwrap();
        write!(stream, "GET /api/v2/ping HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        reply.split(' ').nth(1).unwrap_or_default().to_string()
    };
    assert_eq!(status_for("evil.example"), "421", "a rebound name");
    assert_eq!(status_for(&format!("evil.example:{}", sb.port)), "421");
    assert_eq!(status_for("127.0.0.1:1"), "421", "another port");
    assert_eq!(status_for(&format!("localhost:{}", sb.port)), "204");
    assert_eq!(sb.request("POST", "/_sandbox/reset", &[], "").status, 415, "a simple request resets nothing");
    let json = ("Content-Type", "application/json");
    assert_eq!(sb.request("POST", "/_sandbox/reset", &[json, ("Origin", "https://evil.example")], "").status, 403);
    assert_eq!(sb.request("POST", "/_sandbox/reset", &[json, ("Origin", "http://127.0.0.1:9000")], "").status, 204);
    // A reverse proxy on the same host relays other clients: whatever header says so, the
    // controls are not theirs (GET and POST alike).
    for relayed in [
        ("X-Forwarded-For", "203.0.113.9"),
        ("X-Real-IP", "203.0.113.9"),
        ("Forwarded", "for=203.0.113.9"),
        ("X-Forwarded-Host", "tfe.example.com"),
        ("Via", "1.1 proxy.example.com"),
    ] {
        assert_eq!(sb.request("POST", "/_sandbox/reset", &[json, relayed], "").status, 404, "{relayed:?}");
        assert_eq!(sb.request("GET", "/_sandbox/state", &[relayed], "").status, 404, "{relayed:?}");
    }
    assert_eq!(sb.request("GET", "/_sandbox/state", &[], "").status, 200, "a direct loopback client still may");
    // nginx's default proxy_pass: HTTP/1.0, no relay header.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sb.port)).unwrap();
    write!(stream, "GET /_sandbox/state HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n", sb.port).unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    assert_eq!(reply.split(' ').nth(1), Some("404"), "an HTTP/1.0 relay: {reply:.80}");
    assert_eq!(sb.request("TRACE", "/api/v2/ping", &[], "").status, 405);
}

#[test]
fn a_silent_or_stalled_client_is_closed_after_the_header_timeout() {
    let sb = Sandbox::start(&["--header-timeout", "1s"]);
    let closed = |stream: &mut TcpStream| {
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut buf = [0u8; 64];
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
    };
    let mut silent = TcpStream::connect(("127.0.0.1", sb.port)).unwrap();
    assert!(closed(&mut silent), "a connection that sends nothing");
    let mut stalled = TcpStream::connect(("127.0.0.1", sb.port)).unwrap();
    stalled.write_all(b"GET /api/v2/ping HTTP/1.1\r\nHo").unwrap();
    assert!(closed(&mut stalled), "a head never finished");
    assert_eq!(sb.request("GET", "/api/v2/ping", &[], "").status, 204, "others are still answered");
}

/// The attribute walk of `core.rs` over HTTP: the binary stores, echoes and merges every writable
/// attribute as the core does.
#[test]
fn every_writable_attribute_is_stored_and_read_back_over_http() {
    let sb = Sandbox::start(&[]);
    walk::walk(&mut |method, path, body| {
        let reply = sb.api(method, path, &body.map(|b| b.to_string()).unwrap_or_default());
        let value = if reply.body.is_empty() { serde_json::Value::Null } else { reply.json() };
        (reply.status, value)
    });
}
