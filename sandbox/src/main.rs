//! `tfe-sandbox`: the emulator alone over HTTP on 127.0.0.1 (the page is served by
//! `tfe-orgs-server --sandbox`).

use clap::Parser;
use tfe_sandbox::http::{emulator, SandboxArgs};

/// A local Terraform Enterprise emulator of the Organizations, Admin Organizations and Admin
/// Module Sharing APIs.
#[derive(Parser)]
#[command(name = "tfe-sandbox", version)]
struct Cli {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    #[command(flatten)]
    sandbox: SandboxArgs,
    #[command(flatten)]
    limits: tfe_sandbox::serve::Limits,
}

/// Print a line; a closed stdout (the parent stopped reading) must not stop the server.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let emulator = emulator(&cli.sandbox).unwrap_or_else(|e| fail(&e));
    let listener = std::net::TcpListener::bind(("127.0.0.1", cli.port))
        .unwrap_or_else(|e| fail(&format!("cannot bind 127.0.0.1:{}: {e}", cli.port)));
    listener.set_nonblocking(true).unwrap_or_else(|e| fail(&e.to_string()));
    let addr = listener.local_addr().expect("bound");
    say!("tfe-sandbox: listening on http://{addr} ({} organizations)", emulator.org_count);
    say!("tfe-sandbox: API at http://{addr}/api/v2");
    for t in &emulator.tokens {
        say!("tfe-sandbox: token {}  ({}{})", t.token, t.user, if t.site_admin { ", site admin" } else { "" });
    }
    // Only its own loopback names: a page whose name is rebound to 127.0.0.1 is refused.
    let guarded = tfe_sandbox::guard::layer(emulator.router, tfe_sandbox::guard::AllowedHosts::new(addr.port(), []));
    let handle = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        shutdown.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    if let Err(e) = tfe_sandbox::serve::serve(listener, guarded, None, cli.limits, handle).await {
        fail(&format!("server error: {e}"));
    }
    say!("tfe-sandbox: stopped");
}

fn fail(message: &str) -> ! {
    eprintln!("tfe-sandbox: {message}");
    std::process::exit(1)
}
