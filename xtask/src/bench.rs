//! `cargo xtask bench`: the measurements that report against baselines of the same run.

use std::process::Command;

use crate::suites::install_package;
use crate::{cargo, dist, page, root, run, size};

/// `cargo xtask bench`: the measurements that report (they do not fail the build): list-all at
/// scale, decode speed and the page in Chromium, sizes; `target/bench/report.json` + SVG.
pub fn run_bench(only: &[String]) -> Result<(), String> {
    let scratch = install_package()?;
    // The baseline of the split page: the same page as one wasm.
    let unsplit = root().join("target/www-dist-unsplit");
    page::build_unsplit("/", &unsplit)?;
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
    let all = ["list_all", "bulk", "decode", "page", "proxy", "split", "audit", "configuration", "usage"];
    if let Some(unknown) = only.iter().find(|o| !all.contains(&o.as_str())) {
        return Err(format!("no bench part {unknown:?} (parts: {})", all.join(", ")));
    }
    for script in all.into_iter().filter(|s| only.is_empty() || only.iter().any(|o| o == s)) {
        run(Command::new("node")
            .arg(format!("tests/bench/{script}.mjs"))
            .env("SCRATCH", &scratch)
            .env("SANDBOX_BIN", root().join("target/release/tfe-sandbox"))
            .env("SERVER_BIN", &server)
            .env("PAGE_DIST", page::dist_dir())
            .env("PAGE_DIST_UNSPLIT", &unsplit)
            .env("BENCH_WEB", &bench_web)
            .env("BENCH_OUT", &out))?;
    }
    if !only.is_empty() {
        return Ok(()); // a part alone: its own table, no report
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
