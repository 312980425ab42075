//! The proxy: a sandbox or a recording upstream on a loopback port (reqwest reaches it over a
//! real socket, plain HTTP or HTTPS with a CA made here), the server's app on another where the
//! wire matters (raw request lines, chunked bodies, TLS), and through `oneshot` where it does not
//! (the page's files and headers, the info route, the base path).

mod support;

use std::time::Duration;

use support::*;

const MINUTE: Duration = Duration::from_secs(60);

/// Every header rule, against a recording upstream reached at `upstream` (http or https).
fn check_header_rules(proxy: std::net::SocketAddr) {
    let head = format!(
        "PATCH /api/v2/organizations/acme?include=owners&page%5Bsize%5D=5 HTTP/1.1\nHost: {proxy}\n\
         Authorization: Bearer secret-token-1\nContent-Type: application/vnd.api+json\nAccept: application/vnd.api+json\n\
         Cookie: session=browser\nX-Forwarded-For: 10.9.8.7\nX-Custom: 1\nOrigin: http://{proxy}"
    );
    let reply = raw(proxy, &head, br#"{"data":{}}"#);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let seen = reply.json();
    assert_eq!(seen["method"], "PATCH");
    assert_eq!(seen["path"], "/api/v2/organizations/acme");
    assert_eq!(seen["query"], "include=owners&page%5Bsize%5D=5");
    assert_eq!(seen["body"], r#"{"data":{}}"#);
    let sent = seen["headers"].as_object().unwrap();
    assert_eq!(sent["authorization"], "Bearer secret-token-1");
    assert_eq!(sent["content-type"], "application/vnd.api+json");
    assert_eq!(sent["accept"], "application/vnd.api+json");
    for never in ["cookie", "x-forwarded-for", "x-custom", "origin"] {
        assert!(!sent.contains_key(never), "{never} must not reach the upstream: {sent:?}");
    }
    // (HTTP/2 carries the authority as a pseudo-header instead.)
    assert!(sent.get("host").is_none_or(|h| h != &proxy.to_string()), "the client's Host is not forwarded");
    // Back: status, body, content type, Retry-After, X-RateLimit-*; never a cookie or the rest.
    assert_eq!(reply.header("content-type"), Some("application/vnd.api+json"));
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert_eq!(reply.header("x-ratelimit-limit"), Some("30"));
    assert_eq!(reply.header("x-ratelimit-remaining"), Some("29"));
    assert_eq!(reply.header("x-ratelimit-reset"), Some("0.875"));
    assert_eq!(reply.header("set-cookie"), None, "no cookie crosses back");
    assert_eq!(reply.header("x-internal-debug"), None);
    assert_ne!(reply.header("server"), Some("upstream/1.0"));
    // A 429 passes through with its headers.
    let limited = raw(proxy, &format!("GET /api/v2/limited HTTP/1.1\nHost: {proxy}"), b"");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("1"));
    assert_eq!(limited.header("x-ratelimit-reset"), Some("0.875"));
}

#[test]
fn forwards_the_allowed_headers_each_way_over_plain_http() {
    let upstream = spawn(recorder());
    let proxy = proxy_to(&format!("http://{upstream}"), None, MINUTE);
    check_header_rules(proxy);
}

#[test]
fn forwards_over_https_with_the_ca_it_is_given_and_names_an_untrusted_certificate() {
    let ca = test_ca("https");
    let upstream = spawn_tls(recorder(), &ca);
    let trusted = proxy_to(&format!("https://localhost:{}", upstream.port()), Some(&ca.ca_cert), MINUTE);
    check_header_rules(trusted);

    let untrusted = proxy_to(&format!("https://localhost:{}", upstream.port()), None, MINUTE);
    let reply = get(untrusted, "/api/v2/organizations");
    assert_eq!(reply.status, 502);
    assert_eq!(reply.header("content-type"), Some("application/vnd.api+json"));
    let error = &reply.json()["errors"][0];
    assert_eq!(error["status"], "502");
    assert!(error["detail"].as_str().unwrap().contains("certificate not trusted — pass --ca-file"), "{error}");
}

#[test]
fn the_sandbox_through_the_proxy_answers_as_it_does_directly() {
    let upstream = spawn(sandbox());
    let proxy = proxy_to(&format!("http://{upstream}"), None, MINUTE);
    let path = "/api/v2/admin/organizations?page%5Bsize%5D=3&include=owners";
    let (direct, proxied) = (get(upstream, path), get(proxy, path));
    assert_eq!(proxied.status, 200);
    // Pagination links name the host that answered; the rest is identical.
    let strip = |r: &Reply| r.body.replace(&upstream.to_string(), "HOST");
    assert_eq!(strip(&proxied), strip(&direct));
    let created = raw(
        proxy,
        &format!("POST /api/v2/organizations HTTP/1.1\nHost: {proxy}\nAuthorization: Bearer {ADMIN}\nContent-Type: application/vnd.api+json"),
        br#"{"data":{"type":"organizations","attributes":{"name":"via-proxy","email":"p@example.com"}}}"#,
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(get(upstream, "/api/v2/organizations/via-proxy").status, 200, "the write reached the upstream");
    // Without a token the upstream's 401 comes back as it is.
    let anonymous = raw(proxy, &format!("GET /api/v2/organizations HTTP/1.1\nHost: {proxy}"), b"");
    assert_eq!(anonymous.status, 401);
}

#[test]
fn paths_that_could_reach_another_upstream_path_or_host_are_refused() {
    let upstream = spawn(recorder());
    let proxy = proxy_to(&format!("http://{upstream}"), None, MINUTE);
    for path in [
        "/api/v2/../admin",
        "/api/v2/organizations/../../secret",
        "/api/v2/%2e%2e/x",
        "/api/v2/.%2E/x",
        "/api/v2/organizations%2F..%2Fadmin",
        "/api/v2//organizations",
        "/api/v2/a%5C..%5Cb",
        "/api/v2/a;jsessionid=1",
        "/api/v2/a%252Fb",
    ] {
        let reply = get(proxy, path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
        assert!(reply.json()["errors"][0]["detail"].as_str().unwrap().starts_with("path refused"), "{path}");
    }
    // Outside /api/v2 nothing is forwarded (the page's 404 for API-looking paths).
    for path in ["/api/v1/organizations", "/api/v2", "/_sandbox/reset"] {
        let reply = get(proxy, path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!reply.body.contains("\"path\""), "{path} reached the upstream: {}", reply.body);
    }
    assert!(!get(proxy, "/apiv2/organizations").body.contains("\"path\""), "a page route, not forwarded");
    // An absolute URL in the request line does not choose the host: a name the server does not
    // serve is refused (421) before anything is forwarded; its own name reaches the fixed upstream.
    for host in ["evil.example".to_string(), proxy.to_string()] {
        let absolute = raw(proxy, &format!("GET http://evil.example/api/v2/organizations HTTP/1.1\nHost: {host}"), b"");
        assert_eq!(absolute.status, 421, "{}", absolute.body);
        assert!(!absolute.body.contains("\"path\""), "never forwarded");
    }
    let own = raw(proxy, &format!("GET http://{proxy}/api/v2/organizations HTTP/1.1\nHost: {proxy}"), b"");
    assert_eq!(own.status, 200, "{}", own.body);
    let seen = own.json();
    assert_eq!(seen["path"], "/api/v2/organizations");
    assert_eq!(seen["headers"]["host"], upstream.to_string());
}

#[test]
fn a_body_over_the_limit_is_refused_with_413() {
    let upstream = spawn(recorder());
    let proxy = proxy_to(&format!("http://{upstream}"), None, MINUTE);
    let big = vec![b'x'; 1024 * 1024 + 1];
    let head = format!("POST /api/v2/organizations HTTP/1.1\nHost: {proxy}\nContent-Type: application/vnd.api+json");
    let reply = raw(proxy, &head, &big);
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["errors"][0]["status"], "413");
    // Chunked, so no length is declared up front.
    let mut stream = std::net::TcpStream::connect(proxy).unwrap();
    use std::io::{Read, Write};
    stream
        .write_all(format!("POST /api/v2/organizations HTTP/1.1\r\nHost: {proxy}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    for _ in 0..20 {
        let chunk = vec![b'y'; 64 * 1024];
        if stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).is_err()
            || stream.write_all(&chunk).is_err()
            || stream.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    // Just under the limit goes through.
    let fits = raw(proxy, &head, &vec![b'x'; 1024 * 1024]);
    assert_eq!(fits.status, 200);
}

#[test]
fn upstream_down_is_a_502_document_and_a_slow_one_a_504() {
    // A port that was free a moment ago: nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let proxy = proxy_to(&format!("http://{closed}"), None, MINUTE);
    let reply = get(proxy, "/api/v2/organizations");
    assert_eq!(reply.status, 502);
    assert_eq!(reply.header("content-type"), Some("application/vnd.api+json"));
    let detail = reply.json()["errors"][0]["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("connection refused"), "{detail}");
    assert!(!detail.contains(ADMIN), "no token in errors");

    let upstream = spawn(recorder());
    let proxy = proxy_to(&format!("http://{upstream}"), None, Duration::from_millis(300));
    let started = std::time::Instant::now();
    let reply = get(proxy, "/api/v2/slow");
    assert_eq!(reply.status, 504, "{}", reply.body);
    assert!(started.elapsed() < Duration::from_secs(4), "answered at the timeout, not when the upstream did");
    assert!(reply.json()["errors"][0]["detail"].as_str().unwrap().contains("did not answer within 0.3 s"));
}

#[test]
fn the_timeout_is_for_the_head_and_for_each_silence_not_for_a_long_answer() {
    let upstream = spawn(recorder());
    let timeout = Duration::from_millis(400);
    let proxy = proxy_to(&format!("http://{upstream}"), None, timeout);
    // 1.05 s in all, never 400 ms without a part: relayed whole.
    let started = std::time::Instant::now();
    let long = get(proxy, "/api/v2/trickle");
    assert_eq!(long.status, 200, "{}", long.body);
    assert_eq!(long.body, (0..8).map(|i| format!("part{i};")).collect::<String>());
    assert!(started.elapsed() > timeout * 2, "the answer took longer than the timeout");
    // A part, then 5 s of silence: cut at the timeout, and the client sees a broken answer.
    let started = std::time::Instant::now();
    assert_answer_is_cut(proxy, "/api/v2/stall");
    assert!(started.elapsed() < Duration::from_secs(4), "cut at the timeout, not when the upstream went on");
}

#[test]
fn the_page_is_served_with_encodings_caching_and_security_headers() {
    let app = sandbox_app("/");
    let with = |path: &str, extra: &str| {
        let mut headers = vec![("Host", CALLED_AT)];
        headers.extend(extra.lines().filter_map(|l| l.split_once(": ")));
        call(&app, "GET", path, &headers, b"")
    };
    let br = with("/app-0123456789abcdef.js", "\nAccept-Encoding: gzip, deflate, br");
    assert_eq!((br.status, br.body.as_str()), (200, "BROTLI-BYTES"));
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(br.header("vary"), Some("accept-encoding"));
    assert_eq!(br.header("content-type"), Some("text/javascript; charset=utf-8"));
    let gz = with("/app-0123456789abcdef.js", "\nAccept-Encoding: gzip");
    assert_eq!((gz.body.as_str(), gz.header("content-encoding")), ("GZIP-BYTES", Some("gzip")));
    let plain = with("/app-0123456789abcdef.js", "");
    assert_eq!((plain.body.as_str(), plain.header("content-encoding")), ("console.log('identity')", None));
    assert_ne!(br.header("etag"), plain.header("etag"), "each encoding has its own ETag");
    let etag = br.header("etag").unwrap();
    let again = with("/app-0123456789abcdef.js", &format!("\nAccept-Encoding: br\nIf-None-Match: {etag}"));
    assert_eq!(again.status, 304);

    let index = with("/", "");
    assert_eq!(index.status, 200);
    assert!(index.body.contains("tfe-orgs admin"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert_eq!(with("/nested/notes.txt", "").header("cache-control"), Some("no-cache"));
    for header in [&index, &br] {
        assert_eq!(header.header("content-security-policy"), Some(tfe_orgs_server::security::CSP));
        assert_eq!(header.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(header.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(header.header("strict-transport-security"), None, "no HSTS on plain HTTP");
    }
    // The page's own routes get index.html; a missing asset is a 404, never HTML.
    let route = with("/orgs/acme/edit", "");
    assert_eq!((route.status, route.body.as_str()), (200, index.body.as_str()));
    let missing = with("/app-ffffffffffffffff.js", "");
    assert_eq!(missing.status, 404);
    assert!(!missing.body.contains("tfe-orgs admin"));
    assert_eq!(call(&app, "POST", "/orgs", &[("Host", CALLED_AT)], b"").status, 405);
}

#[test]
fn info_names_the_mode_and_the_upstream() {
    let upstream = spawn(sandbox());
    let proxy = proxy_to(&format!("http://{upstream}"), None, MINUTE);
    let info = get(proxy, "/_tfe-orgs/info").json();
    assert_eq!(info["mode"], "upstream");
    assert_eq!(info["upstream"], format!("http://{upstream}"));
    assert!(info.get("tokens").is_none());

    let server = sandbox_app("/");
    let info = call_get(&server, "/_tfe-orgs/info").json();
    assert_eq!(info["mode"], "sandbox");
    assert!(info["tokens"].as_array().unwrap().iter().any(|t| t["token"] == ADMIN && t["site-admin"] == true));
    assert_eq!(call_get(&server, "/api/v2/admin/organizations/hashicorp").json()["data"]["id"], "hashicorp");
    let reset =
        call(&server, "POST", "/_sandbox/reset", &[("Host", CALLED_AT), ("Content-Type", "application/json")], b"");
    assert_eq!(reset.status, 204);
}

#[test]
fn the_page_lives_under_its_base_path() {
    let server = sandbox_app("/tfe-orgs/");
    assert!(call_get(&server, "/tfe-orgs/").body.contains("tfe-orgs admin"));
    assert!(call_get(&server, "/tfe-orgs/orgs/acme").body.contains("tfe-orgs admin"));
    assert_eq!(call_get(&server, "/tfe-orgs/app-0123456789abcdef.js").body, "console.log('identity')");
    for bare in ["/", "/tfe-orgs"] {
        let redirect = call_get(&server, bare);
        assert_eq!(redirect.status, 308, "{bare}");
        assert_eq!(redirect.header("location"), Some("/tfe-orgs/"));
    }
    assert_eq!(call_get(&server, "/app-0123456789abcdef.js").status, 404, "nothing outside the base");
    assert_eq!(call_get(&server, "/api/v2/organizations/hashicorp").status, 200, "the API stays at /api/v2");
}

/// An upstream that writes `answer` on every connection once a request head has arrived.
fn scripted_upstream(answer: &'static str) -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut stream) = stream else { continue };
            let mut seen = Vec::new();
            let mut buf = [0u8; 1024];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(answer.replace('\n', "\r\n").as_bytes());
            // Held open a moment so that an upgraded connection is not just a closed one.
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    addr
}

#[test]
fn informational_answers_are_never_relayed() {
    // A 101 (the upstream switching protocols) ends in a 502 that names it; nothing of the
    // upgrade reaches the client.
    let upgrade = scripted_upstream("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n");
    let proxy = proxy_to(&format!("http://{upgrade}"), None, MINUTE);
    let reply = get(proxy, "/api/v2/organizations");
    assert_eq!(reply.status, 502, "{reply:?}");
    assert_eq!(reply.header("upgrade"), None);
    let detail = reply.json()["errors"][0]["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("101"), "{detail}");

    // A 100 Continue or a 103 Early Hints before the answer: the client sees only the answer.
    let interim = scripted_upstream(
        "HTTP/1.1 100 Continue\n\nHTTP/1.1 103 Early Hints\nLink: </x.css>; rel=preload\n\n\
         HTTP/1.1 200 OK\nContent-Type: application/vnd.api+json\nContent-Length: 11\nConnection: close\n\n{\"data\":[]}",
    );
    let proxy = proxy_to(&format!("http://{interim}"), None, MINUTE);
    let reply = get(proxy, "/api/v2/organizations");
    assert_eq!((reply.status, reply.body.as_str()), (200, "{\"data\":[]}"), "{reply:?}");
    assert_eq!(reply.header("link"), None);
}
