//! Load on loopback, bounded in count: 200 concurrent clients send 20,000 requests through the
//! `tfe-orgs-server` binary to a sandbox; every one must succeed, and the server's resident
//! memory must stay flat once warm (its peak is printed).

mod support;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use support::*;

const CLIENTS: usize = 200;
const REQUESTS: usize = 20_000;

/// `VmRSS` and `VmHWM` (peak) of `pid`, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).unwrap().parse().unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn two_hundred_clients_twenty_thousand_requests_no_errors_flat_memory() {
    let upstream = spawn(sandbox());
    let page = page_dir("load");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tfe-orgs-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            &format!("http://{upstream}"),
            "--page",
            page.to_str().unwrap(),
        ])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
    let base = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().trim_end_matches('/').to_string();
    let pid = child.id();
    /// Stops the server however the test ends.
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let server = Kill(child);

    let sent = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
    let samples = Arc::new(std::sync::Mutex::new(Vec::new()));
    let started = std::time::Instant::now();
    runtime().block_on(async {
        let mut clients = Vec::new();
        for client_number in 0..CLIENTS {
            let (sent, failures, samples, base) = (sent.clone(), failures.clone(), samples.clone(), base.clone());
            clients.push(tokio::spawn(async move {
                // One connection pool per client, as separate browsers would have.
                let http = reqwest::Client::builder()
                    .use_preconfigured_tls(tfe_orgs_server::tls::client_config(None).unwrap())
                    .no_proxy()
                    .build()
                    .unwrap();
                loop {
                    let n = sent.fetch_add(1, Ordering::SeqCst);
                    if n >= REQUESTS {
                        break;
                    }
                    if n % 2_000 == 0 {
                        samples.lock().unwrap().push((n, memory_kib(pid).0));
                    }
                    let path = if n % 3 == 0 {
                        "/api/v2/admin/organizations?page%5Bsize%5D=20".to_string()
                    } else {
                        // Organizations that exist (admin reads see every one): only a 2xx counts.
                        format!(
                            "/api/v2/admin/organizations/{}",
                            ["hashicorp", "platform-core", "acme-data"][client_number % 3]
                        )
                    };
                    match http.get(format!("{base}{path}")).bearer_auth(ADMIN).send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                        }
                        Ok(r) => failures.lock().unwrap().push(format!("{path}: {}", r.status())),
                        Err(e) => failures.lock().unwrap().push(format!("{path}: {e}")),
                    }
                }
            }));
        }
        for client in clients {
            client.await.unwrap();
        }
    });
    let elapsed = started.elapsed();
    let (rss, peak) = memory_kib(pid);
    drop(server);
    let samples = samples.lock().unwrap().clone();
    println!(
        "load: {REQUESTS} requests from {CLIENTS} clients in {:.1} s ({:.0} req/s); server RSS {:.1} MiB at the end, peak {:.1} MiB; samples {:?}",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        rss as f64 / 1024.0,
        peak as f64 / 1024.0,
        samples.iter().map(|(n, kib)| format!("{n}: {:.1} MiB", *kib as f64 / 1024.0)).collect::<Vec<_>>()
    );
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {REQUESTS} failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    // Warm = after the first quarter (connections and buffers are in place by then).
    let warm = samples.iter().filter(|(n, _)| *n >= REQUESTS / 4).map(|(_, kib)| *kib).min().expect("sampled");
    assert!(rss <= warm + 32 * 1024, "memory grew from {warm} KiB (warm) to {rss} KiB");
}
