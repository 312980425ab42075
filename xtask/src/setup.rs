//! `cargo xtask setup`: installs what is missing, skips what is present at the right version.
//! The versions are the ones known to work on this project's machines (see DEVELOPERS.md).

use std::process::Command;

use crate::{cargo, root, run as exec};

pub const WASM_BINDGEN: &str = "0.2.130";
pub const TRUNK: &str = "0.21.14";
pub const WASM_PACK: &str = "0.15.1";
const TARGET: &str = "wasm32-unknown-unknown";
const DEBIAN_PACKAGES: &[&str] = &["chromium", "chromium-driver", "binaryen"];

pub fn run() -> Result<(), String> {
    println!("xtask: setup — checking tools");
    wasm_target()?;
    debian_packages()?;
    cargo_tool("wasm-bindgen", "wasm-bindgen-cli", WASM_BINDGEN, false)?;
    cargo_tool("wasm-pack", "wasm-pack", WASM_PACK, true)?;
    cargo_tool("trunk", "trunk", TRUNK, true)?;
    npm_packages()?;
    python_packages()?;
    println!("xtask: setup — everything is in place");
    Ok(())
}

/// The first line a command prints for `--version`, or `None` when it cannot run.
fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_string())
}

fn wasm_target() -> Result<(), String> {
    let out = Command::new("rustup").args(["target", "list", "--installed"]).output();
    let installed =
        out.map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == TARGET)).unwrap_or(false);
    if installed {
        println!("xtask:   ok        rust target {TARGET}");
        return Ok(());
    }
    println!("xtask:   installing rust target {TARGET}");
    exec(Command::new("rustup").args(["target", "add", TARGET]))
}

fn cargo_tool(binary: &str, krate: &str, version: &str, locked: bool) -> Result<(), String> {
    if let Some(found) = version_of(binary) {
        if found.split_whitespace().any(|word| word.trim_start_matches('v') == version) {
            println!("xtask:   ok        {binary} {version}");
            return Ok(());
        }
        println!("xtask:   replacing {found} with {krate} {version}");
    } else {
        println!("xtask:   installing {krate} {version} (cargo install, several minutes)");
    }
    let mut install = cargo();
    install.args(["install", krate, "--version", version, "--force"]);
    if locked {
        install.arg("--locked");
    }
    exec(&mut install)
}

fn debian_packages() -> Result<(), String> {
    let present = |path: &str| std::path::Path::new(path).exists();
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|pkg| match *pkg {
            "chromium" => !present("/usr/bin/chromium"),
            "chromium-driver" => !present("/usr/bin/chromedriver"),
            _ => version_of("wasm-opt").is_none(),
        })
        .collect();
    if missing.is_empty() {
        println!("xtask:   ok        chromium, chromedriver, wasm-opt (Debian)");
        return Ok(());
    }
    println!("xtask:   installing Debian packages {}", missing.join(" "));
    let as_root = |args: &[&str]| {
        let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
        let mut command = if is_root { Command::new(args[0]) } else { Command::new("sudo") };
        if !is_root {
            command.arg(args[0]);
        }
        command.args(&args[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    exec(&mut as_root(&["apt-get", "update"]))?;
    let mut install = vec!["apt-get", "install", "-y"];
    install.extend(&missing);
    exec(&mut as_root(&install))
}

/// `npm ci` from the committed lock file, unless node_modules already matches it.
fn npm_packages() -> Result<(), String> {
    let lock = root().join("package-lock.json");
    let installed = root().join("node_modules/.package-lock.json");
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(l), Some(i)) = (modified(&lock), modified(&installed)) {
        if i >= l {
            println!("xtask:   ok        npm packages (package-lock.json)");
            return Ok(());
        }
    }
    println!("xtask:   installing npm packages from package-lock.json");
    exec(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))
}

/// The virtualenv of the peer-client suite (HashiCorp's python-tfe and terrasnek).
pub fn peers_venv() -> std::path::PathBuf {
    root().join("target/peers-venv")
}

/// A virtualenv with `tests/peers/requirements.txt` (every version pinned), unless the one
/// there was made from this same file.
fn python_packages() -> Result<(), String> {
    let requirements = root().join("tests/peers/requirements.txt");
    let venv = peers_venv();
    let stamp = venv.join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    if std::fs::read_to_string(&stamp).is_ok_and(|have| have == wanted) && venv.join("bin/python").exists() {
        println!("xtask:   ok        python packages (tests/peers/requirements.txt)");
        return Ok(());
    }
    println!("xtask:   installing python packages from tests/peers/requirements.txt");
    let _ = std::fs::remove_dir_all(&venv);
    exec(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    exec(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "--no-deps", "-r"])
            .arg(&requirements),
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())
}
