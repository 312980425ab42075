//! The flags, and the rules between them checked before anything starts.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use tfe_sandbox::http::SandboxArgs;

/// Serves the tfe-orgs admin page and answers /api/v2 on the same origin: forwarded to one
/// TFE instance (--upstream), or the sandbox in-process (--sandbox).
#[derive(Parser, Debug)]
#[command(name = "tfe-orgs-server", version)]
pub struct Cli {
    /// The TFE instance to forward /api/v2 to, e.g. https://tfe.example.com (http:// only on loopback).
    #[arg(long, value_name = "URL", required_unless_present = "sandbox", conflicts_with = "sandbox")]
    pub upstream: Option<String>,
    /// Answer /api/v2 with the sandbox in-process (the sandbox flags below apply).
    #[arg(long)]
    pub sandbox: bool,
    /// PEM file of CA certificates to trust for the upstream, besides the platform's.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// How long the upstream may take to start answering, and at most between two parts of an
    /// answer (a long answer that keeps coming is relayed whole): 60, 60s, 500ms, 2m.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    pub upstream_timeout: Duration,
    /// Address to listen on. Anything but loopback needs --tls-cert/--tls-key or --allow-plain-http.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// PEM certificate chain to serve HTTPS with.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP on a non-loopback address (tokens then cross the network in clear).
    #[arg(long)]
    pub allow_plain_http: bool,
    #[command(flatten)]
    pub limits: tfe_sandbox::serve::Limits,
    /// The largest upstream answer relayed, in MiB; a longer one becomes a 502.
    #[arg(long, value_name = "MIB", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub max_upstream_answer_mib: u32,
    /// A name this server is reached by besides its loopback address (repeatable): the name of
    /// a reverse proxy in front of it, or of its TLS certificate. Any other `Host` gets 421.
    #[arg(long = "public-name", value_name = "NAME")]
    pub public_names: Vec<String>,
    /// Serve the page from DIR instead of the copy built into the binary.
    #[arg(long, value_name = "DIR")]
    pub page: Option<PathBuf>,
    /// Where the page lives on this origin, e.g. /tfe-orgs/ (the page must be built for it).
    #[arg(long, value_name = "PATH", default_value = "/")]
    pub base_path: String,
    #[command(flatten)]
    pub sandbox_args: SandboxArgs,
}

/// `60`, `60s`, `500ms`, `2m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.find(|c: char| !c.is_ascii_digit() && c != '.').map_or((text, "s"), |i| text.split_at(i));
    let value: f64 = number.parse().map_err(|_| format!("{text:?} is not a duration like 60s, 500ms or 2m"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("{text:?}: unit must be ms, s or m")),
    };
    if seconds <= 0.0 {
        return Err("must be more than zero".into());
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// `scheme://host[:port]` of an upstream URL: https anywhere, http only to a loopback host; no
/// credentials, path, query or fragment (the server forwards `/api/v2/*` itself).
pub fn upstream_origin(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| format!("--upstream {text:?}: {e}"))?;
    let host = url.host().ok_or_else(|| format!("--upstream {text:?} has no host"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("--upstream must not carry credentials".into());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "--upstream {text:?}: give the instance's address only, without a path (like https://tfe.example.com)"
        ));
    }
    let loopback = match &host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(format!("--upstream {text:?}: plain http is allowed only to a loopback address; use https"))
        }
        other => return Err(format!("--upstream {text:?}: scheme {other} is not http or https")),
    }
    Ok(url.origin().ascii_serialization())
}

/// Refuse combinations that would expose tokens or mean nothing.
pub fn check(cli: &Cli) -> Result<(), String> {
    let tls = cli.tls_cert.is_some();
    if !cli.listen.ip().is_loopback() && !tls && !cli.allow_plain_http {
        return Err(format!(
            "--listen {} is not a loopback address: serve HTTPS with --tls-cert and --tls-key, or pass --allow-plain-http",
            cli.listen
        ));
    }
    if !cli.sandbox {
        let defaults = SandboxArgs::default();
        let a = &cli.sandbox_args;
        let any_sandbox_flag = a.state_file.is_some()
            || a.generate != defaults.generate
            || a.latency_ms != 0
            || a.rate_limit.is_some()
            || a.error_rate != 0.0
            || a.malformed_rate != 0.0
            || a.release != defaults.release
            || a.explorer != defaults.explorer;
        if any_sandbox_flag {
            return Err("the sandbox flags (--state, --generate, --latency-ms, …) need --sandbox".into());
        }
    }
    if cli.sandbox && cli.ca_file.is_some() {
        return Err("--ca-file is for --upstream".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_are_https_or_loopback() {
        assert_eq!(upstream_origin("https://tfe.example.com").unwrap(), "https://tfe.example.com");
        assert_eq!(upstream_origin("https://tfe.example.com/").unwrap(), "https://tfe.example.com");
        assert_eq!(upstream_origin("https://tfe.example.com:8443").unwrap(), "https://tfe.example.com:8443");
        assert_eq!(upstream_origin("http://127.0.0.1:9000").unwrap(), "http://127.0.0.1:9000");
        assert_eq!(upstream_origin("http://localhost:9000").unwrap(), "http://localhost:9000");
        assert_eq!(upstream_origin("http://[::1]:9000").unwrap(), "http://[::1]:9000");
        for bad in [
            "http://tfe.example.com",
            "http://10.0.0.1",
            "https://tfe.example.com/api/v2",
            "https://user:pw@tfe.example.com",
            "https://tfe.example.com?x=1",
            "ftp://tfe.example.com",
            "tfe.example.com",
        ] {
            assert!(upstream_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("60").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("60s").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("5h").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn a_public_listener_needs_tls_or_the_explicit_flag() {
        let parse =
            |args: &[&str]| Cli::try_parse_from([&["tfe-orgs-server"], args].concat()).map_err(|e| e.to_string());
        let cli = parse(&["--sandbox", "--listen", "0.0.0.0:8080"]).unwrap();
        assert!(check(&cli).unwrap_err().contains("--tls-cert"));
        let cli = parse(&["--sandbox", "--listen", "0.0.0.0:8080", "--allow-plain-http"]).unwrap();
        assert!(check(&cli).is_ok());
        let cli =
            parse(&["--sandbox", "--listen", "0.0.0.0:8080", "--tls-cert", "c.pem", "--tls-key", "k.pem"]).unwrap();
        assert!(check(&cli).is_ok());
        assert!(parse(&["--sandbox", "--tls-cert", "c.pem"]).is_err(), "a certificate needs its key");
        assert!(parse(&[]).is_err(), "--upstream or --sandbox");
        assert!(parse(&["--sandbox", "--upstream", "https://x"]).is_err(), "not both");
        let cli = parse(&["--upstream", "https://x.example", "--generate", "5"]).unwrap();
        assert!(check(&cli).unwrap_err().contains("--sandbox"));
    }
}
