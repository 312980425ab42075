//! `tfe-orgs-server`: parse the flags, build [`tfe_orgs_server::app`], serve it.

use clap::Parser;
use tfe_orgs_server::cli::{check, upstream_origin, Cli};
use tfe_orgs_server::{app, serve, tls, AllowedHosts, Api, AppConfig, Page, Upstream};

/// Print a line; a closed stdout (the parent stopped reading) must not stop the server.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

fn main() {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    if let Err(e) = run(cli) {
        eprintln!("tfe-orgs-server: {e}");
        std::process::exit(2);
    }
}

#[tokio::main]
async fn run(cli: Cli) -> Result<(), String> {
    check(&cli)?;
    let page = match &cli.page {
        Some(dir) => Page::from_dir(dir, &cli.base_path)?,
        None => Page::embedded(&cli.base_path).ok_or(
            "this build has no page built in: pass --page DIR (cargo xtask dist builds one with the page inside)",
        )??,
    };
    let (api, describe) = if cli.sandbox {
        let emulator = tfe_sandbox::http::emulator(&cli.sandbox_args)?;
        let mut lines =
            vec![format!("/api/v2 answered by the sandbox in-process ({} organizations)", emulator.org_count)];
        for t in &emulator.tokens {
            lines.push(format!(
                "sandbox token {}  ({}{})",
                t.token,
                t.user,
                if t.site_admin { ", site admin" } else { "" }
            ));
        }
        (Api::Sandbox(emulator), lines)
    } else {
        let origin = upstream_origin(cli.upstream.as_deref().expect("clap requires --upstream without --sandbox"))?;
        let client = tls::upstream_client(cli.ca_file.as_deref())?;
        let mut lines = vec![format!("/api/v2 forwarded to {origin} (timeout {:?})", cli.upstream_timeout)];
        if let Some(ca) = &cli.ca_file {
            lines.push(format!("trusting the CA certificates of {} besides the platform's", ca.display()));
        }
        let upstream = Upstream::new(origin, client, cli.upstream_timeout)
            .with_max_answer(cli.max_upstream_answer_mib as usize * 1024 * 1024);
        (Api::Upstream(upstream), lines)
    };
    let uncompressed = page.uncompressed();
    if !uncompressed.is_empty() {
        tracing::warn!("page files without .br/.gz beside them are served uncompressed: {}", uncompressed.join(", "));
    }
    let base = page.base().to_string();
    let tls_config = match (&cli.tls_cert, &cli.tls_key) {
        (Some(cert), Some(key)) => Some(tls::server_config(cert, key)?),
        _ => None,
    };
    let listener =
        std::net::TcpListener::bind(cli.listen).map_err(|e| format!("cannot listen on {}: {e}", cli.listen))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The names given, and those the certificate is for.
    let mut names = cli.public_names.clone();
    if let Some(cert) = &cli.tls_cert {
        names.extend(tls::certificate_names(cert)?);
    }
    let hosts = AllowedHosts::new(addr.port(), names);
    let router = app(AppConfig { api, page, tls: tls_config.is_some(), hosts });
    let scheme = if tls_config.is_some() { "https" } else { "http" };
    say!("tfe-orgs-server: listening on {scheme}://{addr}{base}");
    for line in describe {
        say!("tfe-orgs-server: {line}");
    }
    if tls_config.is_some() {
        say!("tfe-orgs-server: serving HTTPS with {} (HSTS on)", cli.tls_cert.as_ref().expect("tls").display());
    } else if addr.ip().is_loopback() {
        say!("tfe-orgs-server: plain HTTP on loopback only");
    } else {
        say!(
            "tfe-orgs-server: WARNING: plain HTTP on {addr} (--allow-plain-http): tokens cross the network unencrypted"
        );
    }
    let handle = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        shutdown.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    let served = serve::serve(listener, router, tls_config, cli.limits, handle).await;
    served.map_err(|e| format!("server error: {e}"))?;
    say!("tfe-orgs-server: stopped");
    Ok(())
}
