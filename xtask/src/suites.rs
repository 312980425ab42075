//! `cargo xtask test [SUITE]`: every suite (native, browser, npm, page, peers), then a summary.

use std::process::Command;
use std::time::Instant;

use crate::sandbox_process::SandboxProcess;
use crate::{cargo, dist, pack, page, root, run, setup, size};

struct Suite {
    name: &'static str,
    run: fn() -> Result<(), String>,
}

const SUITES: &[Suite] = &[
    Suite { name: "native (cargo test --workspace)", run: native_tests },
    Suite { name: "browser (wasm-pack test, headless Chromium)", run: browser_tests },
    Suite { name: "npm (packed tarball: node --test, tsc --strict)", run: npm_tests },
    Suite { name: "page (trunk build, Playwright through tfe-orgs-server)", run: page_tests },
    Suite { name: "peers (HashiCorp's python-tfe and terrasnek against the sandbox)", run: peer_tests },
];

pub fn test(only: Option<&str>) -> Result<(), String> {
    let started = Instant::now();
    let mut results = Vec::new();
    for suite in SUITES.iter().filter(|s| only.is_none_or(|o| s.name.starts_with(o))) {
        println!("\nxtask: ===== {} =====", suite.name);
        let t = Instant::now();
        let outcome = (suite.run)();
        results.push((suite.name, outcome, t.elapsed()));
    }
    println!("\nxtask: ===== summary =====");
    let mut failed = 0;
    for (name, outcome, elapsed) in &results {
        match outcome {
            Ok(()) => println!("  ok      {name} ({:.0?})", elapsed),
            Err(e) => {
                failed += 1;
                println!("  FAILED  {name} ({:.0?}): {e}", elapsed);
            }
        }
    }
    println!("xtask: test took {:.0?}", started.elapsed());
    println!("suites: {} passed, {} failed", results.len() - failed, failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} suite(s) failed"))
    }
}

fn native_tests() -> Result<(), String> {
    run(cargo().args(["test", "--workspace"]))
}

fn browser_tests() -> Result<(), String> {
    // The fetch tests talk to a real sandbox over HTTP; its URL is compiled into the test build.
    let sandbox = SandboxProcess::start(&[])?;
    run(Command::new("wasm-pack")
        .args(["test", "--headless", "--chrome", "--mode", "no-install"])
        .env("TFE_SANDBOX_URL", &sandbox.url))?;
    // The admin page's component tests.
    run(Command::new("wasm-pack").args([
        "test",
        "--headless",
        "--chrome",
        "--mode",
        "no-install",
        "www",
        "--test",
        "components",
    ]))
}

/// Pack the library and install the tarball into `target/npm/scratch`, as a user would.
pub fn install_package() -> Result<std::path::PathBuf, String> {
    let tarball = pack::run()?;
    let scratch = root().join("target/npm/scratch");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let manifest = r#"{"name": "scratch", "private": true, "type": "module"}"#;
    std::fs::write(scratch.join("package.json"), manifest).map_err(|e| e.to_string())?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--offline"])
        .arg(&tarball)
        .current_dir(&scratch))?;
    Ok(scratch)
}

/// Install the packed tarball into a scratch project, type-check a usage example against it
/// and run the node tests against a live sandbox.
fn npm_tests() -> Result<(), String> {
    let scratch = install_package()?;
    std::fs::copy(root().join("tests/npm/usage.ts"), scratch.join("usage.ts")).map_err(|e| e.to_string())?;
    let tsconfig = r#"{"compilerOptions": {"strict": true, "noEmit": true, "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext", "lib": ["esnext", "dom"], "types": []}, "files": ["usage.ts"]}"#;
    std::fs::write(scratch.join("tsconfig.json"), tsconfig).map_err(|e| e.to_string())?;
    run(Command::new(root().join("node_modules/.bin/tsc")).args(["-p", "tsconfig.json"]).current_dir(&scratch))?;
    let sandbox = SandboxProcess::start(&[])?;
    run(cargo().args(["build", "--quiet", "--package", "tfe-orgs-server"]))?;
    run(Command::new("node")
        .args(["--test", "tests/npm/"])
        .env("SCRATCH", &scratch)
        .env("SANDBOX_BIN", root().join("target/debug/tfe-sandbox"))
        .env("SERVER_BIN", root().join("target/debug/tfe-orgs-server"))
        .env("TFE_SANDBOX_URL", &sandbox.url))?;
    size::report(&size::PACKAGE, &size::package(&scratch)?).map(drop)
}

/// The page's end-to-end suite twice: through the proxy (`--upstream`, a sandbox on another
/// port) at the root against a current release, and with the sandbox in-process under the base
/// path `/tfe-orgs/` answering as release 202103 (older timeout names, no provider sharing,
/// the module-consumers relationship): every screen in both eras.
fn page_tests() -> Result<(), String> {
    let base_dist = root().join("target/www-dist-base");
    page::build("/", &page::dist_dir())?;
    page::build("/tfe-orgs/", &base_dist)?;
    run(cargo().args(["build", "--package", "tfe-sandbox"]))?;
    // The one file an admin deploys, with this page built in: it must start and serve it; the
    // suite then runs through that same binary.
    let server = dist::build_binary(&page::dist_dir(), "/")?;
    for (mode, base, dist, release) in
        [("upstream", "/", page::dist_dir(), "current"), ("sandbox", "/tfe-orgs/", base_dist, "202103")]
    {
        println!("xtask: page suite: --{mode}, page at {base}, release {release}");
        let mut node = Command::new("node");
        node.arg("--test");
        // While iterating: `E2E_ONLY='^17\.' cargo xtask test page` runs the matching tests only.
        if let Ok(only) = std::env::var("E2E_ONLY") {
            node.arg(format!("--test-name-pattern={only}"));
        }
        run(node
            .arg("tests/e2e/")
            .env("SERVER_BIN", &server)
            .env("SANDBOX_BIN", root().join("target/debug/tfe-sandbox"))
            .env("PAGE_DIST", &dist)
            .env("E2E_MODE", mode)
            .env("E2E_BASE", base)
            .env("E2E_RELEASE", release))?;
    }
    size::report(&size::PAGE, &size::page(&page::dist_dir())?)?;
    size::report_screens(&page::dist_dir())
}

/// Other people's TFE clients, unchanged, against the sandbox: the pinned python-tfe and
/// terrasnek of `tests/peers/requirements.txt` (installed by setup) through `unittest`.
fn peer_tests() -> Result<(), String> {
    // Against a current release and one of 2021 (the old timeout names, the module-consumers
    // relationship answering 200): what those clients were written for.
    for release in ["current", "202103"] {
        println!("xtask: peers against release {release}");
        let sandbox = SandboxProcess::start(&["--release", release])?;
        run(Command::new(setup::peers_venv().join("bin/python"))
            .args(["-W", "ignore::ResourceWarning", "-m", "unittest", "discover", "-v", "-s", "tests/peers"])
            .env("TFE_SANDBOX_URL", &sandbox.url)
            .env("TFE_RELEASE", release))?;
    }
    Ok(())
}
