//! A `tfe-sandbox` process for the suites that talk to one over HTTP.

use std::process::Command;

use crate::{cargo, root, run};

/// A `tfe-sandbox` on a free loopback port, stopped when dropped.
pub struct SandboxProcess {
    child: std::process::Child,
    pub url: String,
}

impl SandboxProcess {
    pub fn start(args: &[&str]) -> Result<SandboxProcess, String> {
        use std::io::BufRead;
        run(cargo().args(["build", "--quiet", "--package", "tfe-sandbox", "--bin", "tfe-sandbox"]))?;
        let mut child = Command::new(root().join("target/debug/tfe-sandbox"))
            .args(["--port", "0"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start tfe-sandbox: {e}"))?;
        let mut reader = std::io::BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        // Keep reading what it prints: a closed pipe would make its next line fail.
        std::thread::spawn(move || reader.lines().for_each(drop));
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .ok_or(format!("unexpected sandbox output: {line}"))?;
        println!("xtask: tfe-sandbox at {url}");
        Ok(SandboxProcess { child, url: url.to_string() })
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
