//! `cargo xtask pack`: one npm package, `tfe-orgs`, holding the wasm-pack builds for the web,
//! bundler and nodejs targets behind an `exports` map, packed with `npm pack`.

use std::path::PathBuf;
use std::process::Command;

use crate::{root, run as exec};

const TARGETS: &[(&str, &str)] = &[("web", "module"), ("bundler", "module"), ("nodejs", "commonjs")];

/// Builds the package into `target/npm/tfe-orgs`; returns the tarball's path.
pub fn run() -> Result<PathBuf, String> {
    let out = root().join("target/npm");
    let package = out.join("tfe-orgs");
    let _ = std::fs::remove_dir_all(&package);
    for (target, module_type) in TARGETS {
        let dir = package.join(target);
        exec(
            Command::new("wasm-pack")
                .args([
                    "build",
                    "--mode",
                    "no-install",
                    "--release",
                    "--no-pack",
                    "--target",
                    target,
                    "--out-name",
                    "tfe_orgs",
                    "--out-dir",
                ])
                .arg(&dir)
                // The nodejs build carries the configuration-as-data API the command line runs on.
                .args(if *target == "nodejs" { &["--", "--features", "config-js"][..] } else { &[] }),
        )?;
        for generated in [".gitignore", "README.md", "package.json"] {
            let _ = std::fs::remove_file(dir.join(generated));
        }
        write(&dir.join("package.json"), &format!("{{\"type\": \"{module_type}\"}}\n"))?;
    }
    let manifest = serde_manifest();
    write(&package.join("package.json"), &manifest)?;
    // The README, the command line (`bin`) and the snapshot document's schema, kept in `npm/`
    // (the schema is generated from the models; a test checks it is current).
    for file in ["README.md", "tfe-orgs.mjs", "snapshot.schema.json"] {
        std::fs::copy(root().join("npm").join(file), package.join(file)).map_err(|e| e.to_string())?;
    }
    exec(Command::new("npm").args(["pack", "--pack-destination"]).arg(&out).current_dir(&package))?;
    let tarball = out.join(format!("tfe-orgs-{}.tgz", env!("CARGO_PKG_VERSION")));
    println!("xtask: packed {}", tarball.display());
    Ok(tarball)
}

fn write(path: &std::path::Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn serde_manifest() -> String {
    let version = env!("CARGO_PKG_VERSION");
    format!(
        r#"{{
  "name": "tfe-orgs",
  "version": "{version}",
  "description": "Typed, validated client for the Terraform Enterprise / HCP Terraform Organizations, Admin Organizations and Admin Module Sharing APIs (WebAssembly)",
  "license": "MPL-2.0",
  "repository": {{ "type": "git", "url": "https://github.com/tfe-orgs/tfe-orgs" }},
  "keywords": ["terraform", "terraform-enterprise", "tfe", "hcp-terraform", "organizations", "module-sharing", "wasm"],
  "engines": {{ "node": ">=20" }},
  "main": "./nodejs/tfe_orgs.js",
  "bin": {{ "tfe-orgs": "./tfe-orgs.mjs" }},
  "types": "./nodejs/tfe_orgs.d.ts",
  "exports": {{
    ".": {{
      "types": "./nodejs/tfe_orgs.d.ts",
      "node": "./nodejs/tfe_orgs.js",
      "module": "./bundler/tfe_orgs.js",
      "browser": "./web/tfe_orgs.js",
      "default": "./bundler/tfe_orgs.js"
    }},
    "./web": {{ "types": "./web/tfe_orgs.d.ts", "default": "./web/tfe_orgs.js" }},
    "./bundler": {{ "types": "./bundler/tfe_orgs.d.ts", "default": "./bundler/tfe_orgs.js" }},
    "./nodejs": {{ "types": "./nodejs/tfe_orgs.d.ts", "default": "./nodejs/tfe_orgs.js" }},
    "./web/tfe_orgs_bg.wasm": "./web/tfe_orgs_bg.wasm",
    "./snapshot.schema.json": "./snapshot.schema.json"
  }},
  "files": ["web/", "bundler/", "nodejs/", "README.md", "tfe-orgs.mjs", "snapshot.schema.json"],
  "sideEffects": ["./bundler/tfe_orgs.js"]
}}
"#
    )
}
