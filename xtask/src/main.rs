//! `cargo xtask <command>`: the project's one-command entry points. This file only parses and
//! dispatches; each command lives in its module.

mod bench;
mod dist;
mod fuzz;
mod pack;
mod page;
mod process;
mod sandbox_process;
mod serve;
mod setup;
mod size;
mod split;
mod suites;
mod tidy;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use process::{cargo, root, run};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Build, serve and test tfe-orgs; every command installs what is missing first"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Install what is missing (idempotent).
    Setup,
    /// Every test suite, then a summary; or only the suites whose name starts with SUITE.
    Test { suite: Option<String> },
    /// Build the admin page and serve it with tfe-orgs-server: the sandbox in-process, or
    /// --upstream URL [--ca-file PEM] for a real instance; --port N (default 8080).
    Serve {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// target/dist/tfe-orgs-server: a release build with the page built in [--base-path P].
    Dist {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build the npm package (web, bundler, nodejs) and its tarball.
    Pack,
    /// The measurements against baselines (table, target/bench/report.json, SVG); or only the
    /// named parts (`tests/bench/<NAME>.mjs`, no report), e.g. `cargo xtask bench bulk split`.
    Bench { only: Vec<String> },
    /// The decoder and validator fuzz properties with CASES cases each.
    Fuzz {
        #[arg(default_value_t = 1_000_000)]
        cases: u64,
    },
}

/// The commands `main` dispatches, as typed (the tidy test checks the README's against them).
#[cfg(test)]
pub fn commands() -> Vec<String> {
    use clap::CommandFactory;
    Cli::command().get_subcommands().map(|c| c.get_name().to_string()).collect()
}

fn main() -> ExitCode {
    // `cargo xtask` runs this binary with the alias's arguments only; clap sees them as typed.
    let cli = Cli::parse();
    let result = match cli.command {
        Cmd::Setup => setup::run(),
        Cmd::Test { suite } => setup::run().and_then(|()| suites::test(suite.as_deref())),
        Cmd::Serve { args } => setup::run().and_then(|()| serve::run_server(&args)),
        Cmd::Dist { args } => setup::run().and_then(|()| dist::run_dist(&args)),
        Cmd::Pack => setup::run().and_then(|()| pack::run().map(drop)),
        Cmd::Bench { only } => setup::run().and_then(|()| bench::run_bench(&only)),
        Cmd::Fuzz { cases } => fuzz::run_fuzz(cases),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
