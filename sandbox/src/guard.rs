//! What both servers (`tfe-sandbox` and `tfe-orgs-server`) accept before anything else: only the
//! `Host` names they serve (against DNS rebinding: a page on `evil.example` rebound to
//! 127.0.0.1 would otherwise be the server's own origin), and no cross-site writes.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, Response, StatusCode, Uri};
use axum::middleware::{from_fn_with_state, Next};
use axum::Router;

/// The names a server answers to: the loopback literals and `localhost` on its own port, plus
/// the public names it was told (`--public-name`, any port: a reverse proxy may sit in front).
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    port: Option<u16>,
    public: Vec<String>,
}

/// The `Host` a request was accepted under (`name:port` as sent), for absolute links.
#[derive(Debug, Clone)]
pub struct AcceptedHost(pub String);

const LOOPBACK: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

impl AllowedHosts {
    /// Loopback on `port`, and `public` names.
    pub fn new(port: u16, public: impl IntoIterator<Item = String>) -> Self {
        AllowedHosts { port: Some(port), public: public.into_iter().map(|n| n.to_ascii_lowercase()).collect() }
    }

    /// Loopback on any port (tests without a socket).
    pub fn loopback_any_port() -> Self {
        AllowedHosts::default()
    }

    /// Whether `host` (`name` or `name:port`, as in a `Host` header) is one this server serves.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let (name, port) = split_host(&host);
        if LOOPBACK.contains(&name) {
            return match (self.port, port) {
                (Some(own), Some(sent)) => sent.parse::<u16>().ok() == Some(own),
                (Some(own), None) => own == 80 || own == 443,
                (None, _) => true,
            };
        }
        self.public.iter().any(|p| p == name) && port.is_none_or(|p| p.parse::<u16>().is_ok())
    }

    /// The host a request names, if it names exactly one this server serves.
    pub fn check(&self, headers: &HeaderMap, uri: &Uri) -> Result<String, &'static str> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(_), Some(_)) => return Err("more than one Host header"),
            (Some(h), None) => Some(h.to_str().map_err(|_| "a Host that is not text")?.to_string()),
            (None, _) => None,
        };
        // HTTP/2 sends `:authority`, which hyper puts in the URI.
        let authority = uri.authority().map(|a| a.as_str().to_string());
        let named = match (host, authority) {
            (Some(h), Some(a)) if !h.eq_ignore_ascii_case(&a) => return Err("a Host that differs from the authority"),
            (Some(h), _) => h,
            (None, Some(a)) => a,
            (None, None) => return Err("no Host header"),
        };
        if self.allows(&named) {
            Ok(named)
        } else {
            Err("a Host this server does not serve")
        }
    }

    /// Whether `origin` (`scheme://host[:port]`) is one of this server's own.
    pub fn is_own_origin(&self, origin: &str) -> bool {
        origin.split_once("://").is_some_and(|(scheme, host)| matches!(scheme, "http" | "https") && self.allows(host))
    }
}

/// `name` and the port text of `name:port` (IPv6 literals in brackets).
fn split_host(host: &str) -> (&str, Option<&str>) {
    if let Some(rest) = host.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((_, tail)) => {
                let end = host.len() - tail.len();
                (&host[..end], tail.strip_prefix(':'))
            }
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

/// A request from another site: `Sec-Fetch-Site: cross-site`, or an `Origin` that `own` does not
/// accept (`null` included). Requests without either (curl, scripts, Node) are not a browser
/// page's and pass.
pub fn cross_site(headers: &HeaderMap, own: impl Fn(&str) -> bool) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|s| s.eq_ignore_ascii_case("cross-site")) {
        return true;
    }
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => false,
        Some(Ok(origin)) => !own(origin),
        Some(Err(_)) => true,
    }
}

/// `http(s)://` a loopback name, any port: the sandbox's controls accept pages of loopback
/// origins (browser tests run on another port).
pub fn loopback_origin(origin: &str) -> bool {
    origin.split_once("://").is_some_and(|(scheme, host)| {
        matches!(scheme, "http" | "https") && LOOPBACK.contains(&split_host(&host.to_ascii_lowercase()).0)
    })
}

/// A JSON:API error document, as TFE answers errors.
pub fn refusal(status: StatusCode, title: &str, detail: &str) -> Response<Body> {
    let body = serde_json::json!({ "errors": [{ "status": status.as_str(), "title": title, "detail": detail }] });
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/vnd.api+json")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(body.to_string()))
        .expect("a valid response")
}

/// Refuse a `Host` the server does not serve (421), and `TRACE` / `CONNECT` (405), before any
/// route sees the request.
pub fn layer(router: Router, hosts: AllowedHosts) -> Router {
    router.layer(from_fn_with_state(hosts, guard))
}

async fn guard(State(hosts): State<AllowedHosts>, mut request: Request, next: Next) -> Response<Body> {
    if request.method() == Method::TRACE || request.method() == Method::CONNECT {
        return refusal(StatusCode::METHOD_NOT_ALLOWED, "method not allowed", "TRACE and CONNECT are not served");
    }
    match hosts.check(request.headers(), request.uri()) {
        Ok(host) => {
            request.extensions_mut().insert(AcceptedHost(host));
            request.extensions_mut().insert(hosts);
            next.run(request).await
        }
        Err(why) => refusal(
            StatusCode::MISDIRECTED_REQUEST,
            "host not served",
            &format!("{why}: this server answers to its loopback address and the names given with --public-name"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_served_names_pass() {
        let hosts = AllowedHosts::new(8080, ["tfe-orgs.example.com".to_string()]);
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
            "tfe-orgs.example.com",
            "tfe-orgs.example.com:443",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:8080",
            "127.0.0.1:9999",
            "127.0.0.1",
            "localhost.evil.example:8080",
            "[::1]:1",
            "tfe-orgs.example.com:x",
            "",
        ] {
            assert!(!hosts.allows(refused), "{refused}");
        }
        assert!(hosts.is_own_origin("http://127.0.0.1:8080"));
        assert!(!hosts.is_own_origin("http://evil.example:8080"));
        assert!(!hosts.is_own_origin("file://127.0.0.1:8080"));
    }

    #[test]
    fn a_missing_repeated_or_contradicted_host_is_refused() {
        let hosts = AllowedHosts::new(8080, []);
        let uri: Uri = "/api/v2/ping".parse().unwrap();
        let mut headers = HeaderMap::new();
        assert_eq!(hosts.check(&headers, &uri), Err("no Host header"));
        headers.append(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(hosts.check(&headers, &uri), Ok("127.0.0.1:8080".to_string()));
        headers.append(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(hosts.check(&headers, &uri), Err("more than one Host header"));
        let h2: Uri = "http://evil.example/api/v2/ping".parse().unwrap();
        assert_eq!(hosts.check(&HeaderMap::new(), &h2), Err("a Host this server does not serve"));
        let mut one = HeaderMap::new();
        one.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(hosts.check(&one, &h2), Err("a Host that differs from the authority"));
    }

    #[test]
    fn cross_site_requests_are_told_apart() {
        let hosts = AllowedHosts::new(8080, []);
        let own = |o: &str| hosts.is_own_origin(o);
        let with = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().unwrap());
            }
            h
        };
        assert!(!cross_site(&with(&[]), own), "no browser headers: a script");
        assert!(!cross_site(&with(&[("origin", "http://127.0.0.1:8080"), ("sec-fetch-site", "same-origin")]), own));
        assert!(cross_site(&with(&[("origin", "http://127.0.0.1:9000")]), own), "another port is another origin");
        assert!(!cross_site(&with(&[("origin", "http://127.0.0.1:9000")]), loopback_origin), "but loopback");
        assert!(cross_site(&with(&[("origin", "https://evil.example")]), loopback_origin));
        assert!(cross_site(&with(&[("origin", "http://localhost.evil.example")]), loopback_origin));
        assert!(cross_site(&with(&[("origin", "null")]), own));
        assert!(cross_site(&with(&[("sec-fetch-site", "cross-site")]), own));
    }
}
