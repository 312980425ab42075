//! `cargo xtask serve [--upstream URL [--ca-file F]] [--port N] [server flags]`: the page
//! through `tfe-orgs-server`, with the sandbox in-process unless `--upstream` names an instance.

use std::process::Command;

use crate::{dist, page, run};

pub fn run_server(args: &[String]) -> Result<(), String> {
    page::build("/", &page::dist_dir())?;
    let binary = dist::build_binary(&page::dist_dir(), "/")?;
    let (port, rest) = take_port(args);
    let url = format!("http://127.0.0.1:{port}/");
    let upstream = rest.iter().position(|a| a == "--upstream").and_then(|i| rest.get(i + 1));
    match upstream {
        Some(u) => println!("xtask: the admin page: {url} (API forwarded to {u}; sign in with your token)"),
        None => println!("xtask: the admin page: {url} (sandbox in-process; sample tokens below)"),
    }
    // Open it in the desktop's browser when there is a desktop.
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(800));
            let _ = Command::new("xdg-open").arg(&url).stdout(std::process::Stdio::null()).spawn();
        });
    }
    let mut server = Command::new(binary);
    server.arg("--page").arg(page::dist_dir()).args(["--listen", &format!("127.0.0.1:{port}")]);
    if upstream.is_none() {
        server.arg("--sandbox");
    }
    run(server.args(&rest))
}

/// `--port N` (default 8080) and the other arguments.
fn take_port(args: &[String]) -> (String, Vec<String>) {
    let mut port = "8080".to_string();
    let mut rest = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--port" {
            port = iter.next().cloned().unwrap_or(port);
        } else {
            rest.push(arg.clone());
        }
    }
    (port, rest)
}

#[cfg(test)]
mod tests {
    #[test]
    fn port_is_taken_out_of_the_server_flags() {
        let args: Vec<String> = ["--upstream", "https://tfe.example.com", "--port", "9000", "--ca-file", "ca.pem"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (port, rest) = super::take_port(&args);
        assert_eq!(port, "9000");
        assert_eq!(rest, ["--upstream", "https://tfe.example.com", "--ca-file", "ca.pem"]);
    }
}
