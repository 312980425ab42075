//! `cargo xtask dist [--base-path /tfe-orgs/]`: one file to deploy, `target/dist/tfe-orgs-server`,
//! a release build with the page (and its brotli / gzip copies) built in; then a start-up check
//! of that binary: it serves the page, compressed, with no files beside it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use crate::{cargo, page, root, run};

pub fn run_dist(args: &[String]) -> Result<(), String> {
    let base = args.iter().position(|a| a == "--base-path").and_then(|i| args.get(i + 1)).map_or("/", String::as_str);
    let dir = if base == "/" { page::dist_dir() } else { root().join("target/www-dist-embed") };
    page::build(base, &dir)?;
    let binary = build_binary(&dir, base)?;
    println!("xtask: run it with `{} --upstream https://tfe.example.com`", binary.display());
    Ok(())
}

/// The release server with the page already built in `dir` (for `base`) embedded, copied to
/// `target/dist/`, checked by starting it. `serve`, `bench` and the page suite use this one
/// release build too (`--page DIR` overrides the built-in page), so it is compiled once.
pub fn build_binary(dir: &std::path::Path, base: &str) -> Result<std::path::PathBuf, String> {
    run(cargo().args(["build", "--release", "--package", "tfe-orgs-server"]).env("TFE_ORGS_EMBED_PAGE", dir))?;
    let out = root().join("target/dist");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let binary = out.join("tfe-orgs-server");
    std::fs::copy(root().join("target/release/tfe-orgs-server"), &binary).map_err(|e| e.to_string())?;
    smoke_test(&binary, base)?;
    let size = std::fs::metadata(&binary).map_err(|e| e.to_string())?.len();
    println!("xtask: {} ({:.1} MB, the page for {base} built in)", binary.display(), size as f64 / 1e6);
    Ok(binary)
}

/// Start the binary from an empty directory and fetch its page, brotli-encoded.
fn smoke_test(binary: &std::path::Path, base: &str) -> Result<(), String> {
    let empty = root().join("target/dist/empty");
    std::fs::create_dir_all(&empty).map_err(|e| e.to_string())?;
    let mut child = Command::new(binary)
        .args(["--sandbox", "--listen", "127.0.0.1:0", "--base-path", base])
        .env("RUST_LOG", "warn")
        .current_dir(&empty)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line).map_err(|e| e.to_string())?;
    let result = (|| {
        let addr = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .and_then(|w| w.split('/').next())
            .ok_or(format!("unexpected start-up line: {line}"))?;
        let mut stream = std::net::TcpStream::connect(addr).map_err(|e| e.to_string())?;
        write!(stream, "GET {base} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n")
            .map_err(|e| e.to_string())?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).map_err(|e| e.to_string())?;
        let head = String::from_utf8_lossy(&reply[..reply.len().min(2048)]).to_ascii_lowercase();
        if head.starts_with("http/1.1 200") && head.contains("content-encoding: br") {
            Ok(())
        } else {
            Err(format!("the built binary did not serve its page: {}", head.lines().next().unwrap_or("")))
        }
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}
