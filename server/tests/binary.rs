//! The `tfe-orgs-server` binary: start-up rules, HTTPS with HSTS, and no token in its output at
//! any log level.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::*;

/// A running `tfe-orgs-server`, killed when dropped; `url` from its first line.
struct Server {
    child: Child,
    url: String,
    stdout: BufReader<std::process::ChildStdout>,
}

fn start(args: &[&str], env: &[(&str, &str)]) -> Server {
    let listen: &[&str] = if args.contains(&"--listen") { &[] } else { &["--listen", "127.0.0.1:0"] };
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfe-orgs-server"))
        .args(listen)
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line.split_whitespace().find(|w| w.starts_with("http")).unwrap_or_else(|| panic!("{line}")).to_string();
    Server { child, url, stdout }
}

impl Server {
    /// Everything it printed on both streams, after stopping it.
    fn stop(mut self) -> String {
        self.child.kill().unwrap();
        let mut out = String::new();
        self.stdout.read_to_string(&mut out).unwrap();
        self.child.stderr.take().unwrap().read_to_string(&mut out).unwrap();
        self.child.wait().unwrap();
        out
    }
    fn addr(&self) -> std::net::SocketAddr {
        self.url.split("://").nth(1).unwrap().trim_end_matches('/').parse().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn refused(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tfe-orgs-server")).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "refused with exit code 2: {args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn unsafe_or_meaningless_start_ups_are_refused_with_the_reason() {
    let page = page_dir("refused");
    let page = page.to_str().unwrap();
    let error = refused(&["--sandbox", "--page", page, "--listen", "0.0.0.0:0"]);
    assert!(error.contains("--tls-cert") && error.contains("--allow-plain-http"), "{error}");
    let error = refused(&["--upstream", "http://tfe.example.com", "--page", page]);
    assert!(error.contains("plain http is allowed only to a loopback address"), "{error}");
    let error = refused(&["--upstream", "https://tfe.example.com/api/v2", "--page", page]);
    assert!(error.contains("without a path"), "{error}");
    let error = refused(&["--sandbox", "--listen", "127.0.0.1:0"]);
    assert!(error.contains("--page DIR"), "a build without the page says what to do: {error}");
}

#[test]
fn a_public_listener_with_allow_plain_http_warns() {
    let page = page_dir("plain");
    let mut server =
        start(&["--sandbox", "--page", page.to_str().unwrap(), "--listen", "0.0.0.0:0", "--allow-plain-http"], &[]);
    let mut seen = Vec::new();
    for line in (&mut server.stdout).lines().take(10) {
        let line = line.unwrap();
        let warned = line.contains("WARNING: plain HTTP");
        seen.push(line);
        if warned {
            return;
        }
    }
    panic!("no warning among the start-up lines: {seen:?}");
}

#[test]
fn serves_https_with_hsts_from_the_given_certificate() {
    let ca = test_ca("listener");
    let page = page_dir("https");
    let server = start(
        &[
            "--sandbox",
            "--page",
            page.to_str().unwrap(),
            "--tls-cert",
            ca.leaf_cert.to_str().unwrap(),
            "--tls-key",
            ca.leaf_key.to_str().unwrap(),
        ],
        &[],
    );
    assert!(server.url.starts_with("https://"), "{}", server.url);
    let url = server.url.replace("127.0.0.1", "localhost");
    let (status, hsts, body) = runtime().block_on(async {
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tfe_orgs_server::tls::client_config(Some(&ca.ca_cert)).unwrap())
            .build()
            .unwrap();
        let response =
            client.get(format!("{url}api/v2/admin/organizations/hashicorp")).bearer_auth(ADMIN).send().await.unwrap();
        let hsts = response.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
        (response.status().as_u16(), hsts, response.text().await.unwrap())
    });
    assert_eq!(status, 200, "{body}");
    assert_eq!(hsts.as_deref(), Some("max-age=31536000"));
    let out = server.stop();
    assert!(out.contains("serving HTTPS"), "the start-up lines say so: {out}");
}

#[test]
fn the_token_appears_in_no_output_at_any_log_level() {
    const TOKEN: &str = "tok-Zq9XvT4wLpR7-secret";
    let upstream = spawn(recorder());
    let page = page_dir("logs");
    let server = start(
        &["--upstream", &format!("http://{upstream}"), "--page", page.to_str().unwrap(), "--upstream-timeout", "300ms"],
        &[("RUST_LOG", "trace")],
    );
    let addr = server.addr();
    let auth = format!("Authorization: Bearer {TOKEN}");
    for (head, body) in [
        (format!("GET /api/v2/organizations?q=x HTTP/1.1\nHost: {addr}\n{auth}"), &b""[..]),
        (format!("PATCH /api/v2/organizations/acme HTTP/1.1\nHost: {addr}\n{auth}\nContent-Type: application/vnd.api+json"), &b"{}"[..]),
        (format!("GET /api/v2/slow HTTP/1.1\nHost: {addr}\n{auth}"), &b""[..]),
        (format!("GET /api/v2/%2e%2e/x HTTP/1.1\nHost: {addr}\n{auth}"), &b""[..]),
        (format!("GET /orgs HTTP/1.1\nHost: {addr}\n{auth}\nCookie: token={TOKEN}"), &b""[..]),
    ] {
        let reply = raw(addr, &head, body);
        // (The recording upstream echoes what it got; the server's own answers must not.)
        if reply.status != 200 {
            assert!(!reply.body.contains(TOKEN), "no token in an error: {}", reply.body);
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    let out = server.stop();
    assert!(out.contains("/api/v2/organizations"), "trace output was captured: {out}");
    assert!(out.contains("504") || out.contains("did not answer"), "the timeout was logged: {out}");
    assert!(!out.contains(TOKEN), "the token leaked into the output:\n{out}");
}
