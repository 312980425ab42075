//! `cargo xtask setup | serve | test` — the project's one-command entry points.

mod dist;
mod pack;
mod page;
mod serve;
mod setup;
mod size;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// The commands `main` dispatches (the tidy test checks the README's against them).
pub const COMMANDS: &[&str] = &["setup", "test", "serve", "dist", "pack", "fuzz", "bench"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match command {
        "setup" => setup::run(),
        "test" => setup::run().and_then(|()| test(rest)),
        "serve" => setup::run().and_then(|()| serve::run_server(rest)),
        "dist" => setup::run().and_then(|()| dist::run_dist(rest)),
        "pack" => setup::run().and_then(|()| pack::run().map(drop)),
        "fuzz" => fuzz(rest),
        "bench" => setup::run().and_then(|()| bench()),
        _ => {
            debug_assert!(!COMMANDS.contains(&command), "{command} is listed but not dispatched");
            eprintln!(
                "usage: cargo xtask <command>\n\n  setup   install what is missing (idempotent)\n  serve   build the admin page and serve it with tfe-orgs-server: the sandbox in-process, or\n          --upstream URL [--ca-file PEM] for a real instance; --port N (default 8080)\n  dist    target/dist/tfe-orgs-server: a release build with the page built in [--base-path P]\n  test    every test suite, then a summary\n  pack    build the npm package (web, bundler, nodejs) and its tarball\n  bench   list-all at scale against baselines (table, target/bench/report.json, SVG)\n  fuzz    the decoder and validator fuzz properties, 1,000,000 cases each (or `fuzz N`)"
            );
            return if command == "help" { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_path_buf()
}

/// Print and run a command in the workspace root; `Err` names it when it fails.
pub fn run(command: &mut Command) -> Result<(), String> {
    command.current_dir(command.get_current_dir().map(Path::to_path_buf).unwrap_or_else(root));
    println!("xtask: $ {}", describe(command));
    let status = command.status().map_err(|e| format!("cannot start {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// A command of cargo itself (the one running xtask), so the toolchain is the same.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

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

fn test(args: &[String]) -> Result<(), String> {
    let only = args.first().cloned();
    let started = Instant::now();
    let mut results = Vec::new();
    for suite in SUITES.iter().filter(|s| only.as_deref().is_none_or(|o| s.name.starts_with(o))) {
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

/// Pack the library and install the tarball into `target/npm/scratch`, as a user would.
fn install_package() -> Result<std::path::PathBuf, String> {
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
/// port) at the root, and with the sandbox in-process under the base path `/tfe-orgs/`.
fn page_tests() -> Result<(), String> {
    let base_dist = root().join("target/www-dist-base");
    page::build("/", &page::dist_dir())?;
    page::build("/tfe-orgs/", &base_dist)?;
    run(cargo().args(["build", "--package", "tfe-sandbox"]))?;
    // The one file an admin deploys, with this page built in: it must start and serve it; the
    // suite then runs through that same binary.
    let server = dist::build_binary(&page::dist_dir(), "/")?;
    for (mode, base, dist) in [("upstream", "/", page::dist_dir()), ("sandbox", "/tfe-orgs/", base_dist)] {
        println!("xtask: page suite: --{mode}, page at {base}");
        run(Command::new("node")
            .args(["--test", "tests/e2e/"])
            .env("SERVER_BIN", &server)
            .env("SANDBOX_BIN", root().join("target/debug/tfe-sandbox"))
            .env("PAGE_DIST", &dist)
            .env("E2E_MODE", mode)
            .env("E2E_BASE", base))?;
    }
    size::report(&size::PAGE, &size::page(&page::dist_dir())?).map(drop)
}

/// Other people's TFE clients, unchanged, against the sandbox: the pinned python-tfe and
/// terrasnek of `tests/peers/requirements.txt` (installed by setup) through `unittest`.
fn peer_tests() -> Result<(), String> {
    let sandbox = SandboxProcess::start(&[])?;
    run(Command::new(setup::peers_venv().join("bin/python"))
        .args(["-W", "ignore::ResourceWarning", "-m", "unittest", "discover", "-v", "-s", "tests/peers"])
        .env("TFE_SANDBOX_URL", &sandbox.url))
}

/// `cargo xtask bench`: the measurements that report (they do not fail the build): list-all at
/// scale, decode speed and the page in Chromium, sizes; `target/bench/report.json` + SVG.
fn bench() -> Result<(), String> {
    let scratch = install_package()?;
    page::build("/", &page::dist_dir())?;
    let server = dist::build_binary(&page::dist_dir(), "/")?;
    run(cargo().args(["build", "--release", "--package", "tfe-sandbox"]))?;
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    // The web build with the bench-only export (`--features bench`), for the decode bench.
    let bench_web = root().join("target/bench-web");
    run(Command::new("wasm-pack")
        .args(["build", "--mode", "no-install", "--release", "--no-pack", "--target", "web"])
        .args(["--out-name", "tfe_orgs", "--out-dir"])
        .arg(&bench_web)
        .args(["--", "--features", "bench"]))?;
    for script in ["list_all", "bulk", "decode", "page", "proxy"] {
        run(Command::new("node")
            .arg(format!("tests/bench/{script}.mjs"))
            .env("SCRATCH", &scratch)
            .env("SANDBOX_BIN", root().join("target/release/tfe-sandbox"))
            .env("SERVER_BIN", &server)
            .env("PAGE_DIST", page::dist_dir())
            .env("BENCH_WEB", &bench_web)
            .env("BENCH_OUT", &out))?;
    }
    // Sizes report here whatever the budgets say; `cargo xtask test` is where they are checked.
    let package =
        size::report(&size::PACKAGE, &size::package(&scratch)?).unwrap_or_else(|e| format!("{{\"error\":{e:?}}}"));
    let page =
        size::report(&size::PAGE, &size::page(&page::dist_dir())?).unwrap_or_else(|e| format!("{{\"error\":{e:?}}}"));
    std::fs::write(out.join("size.json"), format!("{{\"package\":{package},\"page\":{page}}}"))
        .map_err(|e| e.to_string())?;
    run(Command::new("node").arg("tests/bench/report.mjs").env("BENCH_OUT", &out))
}

/// The long fuzz run: every property with `N` cases (default 1,000,000), optimized.
fn fuzz(args: &[String]) -> Result<(), String> {
    let cases = args.first().cloned().unwrap_or_else(|| "1000000".into());
    run(cargo().args(["test", "--release", "--test", "fuzz"]).env("FUZZ_CASES", cases))
}
