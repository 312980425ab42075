//! Splitting the page's wasm by screen, a step of the release build right after `trunk build`
//! (Trunk has no split step: trunk-rs/trunk#1022). Trunk built the page from a wasm linked with
//! `--emit-relocs` and the `wasm_split` cfg (`TFE_ORGS_WASM_SPLIT`, see `www/build.rs`); this
//! step splits rustc's output with `wasm_split_cli_support` (the splitter cargo-leptos uses),
//! runs wasm-bindgen on the main module as cargo-leptos does (`--keep-lld-exports`), and puts the
//! results in place of Trunk's files under names hashed from their input and the tool versions.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run, setup};

/// The environment variable that makes the page build splittable.
pub const ENV: &str = "TFE_ORGS_WASM_SPLIT";
/// The splitter's version, pinned with wasm-bindgen's (`xtask/Cargo.toml`).
const SPLITTER: &str = "0.2.4";
/// Chunk files start with these (what `size.rs` leaves out of the first download).
pub const CHUNK_PREFIXES: [&str; 2] = ["split_", "chunk_"];

/// Which chunks each screen needs, as the splitter says (written beside the build, not served).
pub fn manifest_path(dist: &Path) -> PathBuf {
    let name = dist.file_name().and_then(|n| n.to_str()).unwrap_or("www-dist");
    root().join(format!("target/{name}-split-manifest.json"))
}

fn fnv(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

/// Split the page Trunk wrote to `dist`.
pub fn split(dist: &Path) -> Result<(), String> {
    let input = root().join("target/wasm32-unknown-unknown/release/tfe-orgs-www.wasm");
    let wasm = std::fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?;
    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path).map_err(|e| e.to_string())?;
    // Trunk's names: tfe-orgs-www-<hash>.js and tfe-orgs-www-<hash>_bg.wasm.
    let trunk_js = std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|n| n.starts_with("tfe-orgs-www-") && n.ends_with(".js"))
        .ok_or("trunk wrote no tfe-orgs-www-*.js")?;
    let trunk_stem = trunk_js.trim_end_matches(".js").to_string();
    let hash = fnv(wasm.iter().copied().chain(SPLITTER.bytes()).chain(setup::WASM_BINDGEN.bytes()));
    let stem = format!("tfe-orgs-www-{hash:016x}");
    let link_name = format!("./wasm-split-{hash:016x}.js");

    let work = root().join("target/wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let main_module = format!("./{stem}.js");
    let main_out = work.join("main.wasm");
    let mut options = wasm_split_cli_support::Options::new(&wasm);
    options.output_dir = &work;
    options.main_out_path = &main_out;
    options.link_name = &link_name;
    options.main_module = &main_module;
    let result = wasm_split_cli_support::transform(options).map_err(|e| format!("splitting the page's wasm: {e:#}"))?;

    // The main module through wasm-bindgen, as Trunk would have, under the new name.
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript", "--out-name"])
        .arg(&stem)
        .arg("--out-dir")
        .arg(dist)
        .arg(&main_out))?;
    for old in [format!("{trunk_stem}.js"), format!("{trunk_stem}_bg.wasm")] {
        let _ = std::fs::remove_file(dist.join(old));
    }
    index = index.replace(&trunk_stem, &stem);
    std::fs::write(&index_path, index).map_err(|e| e.to_string())?;

    // The chunks and the link module, content-hashed like the rest.
    let link_src = work.join(link_name.trim_start_matches("./"));
    let mut link = std::fs::read_to_string(&link_src).map_err(|e| format!("{}: {e}", link_src.display()))?;
    let mut manifest = manifest_lines(&result.prefetch_map);
    for chunk in &result.split_modules {
        let name = chunk.file_name().and_then(|n| n.to_str()).ok_or("a chunk without a name")?.to_string();
        let chunk_stem = name.trim_end_matches(".wasm");
        let bytes = std::fs::read(chunk).map_err(|e| e.to_string())?;
        let hashed = format!("{chunk_stem}-{:016x}.wasm", fnv(bytes.iter().copied()));
        std::fs::write(dist.join(&hashed), &bytes).map_err(|e| e.to_string())?;
        link = link.replace(&format!("./{name}"), &format!("./{hashed}"));
        manifest = manifest.replace(&format!(" {chunk_stem} "), &format!(" {hashed} "));
    }
    std::fs::write(dist.join(link_name.trim_start_matches("./")), link).map_err(|e| e.to_string())?;
    std::fs::write(manifest_path(dist), manifest).map_err(|e| e.to_string())?;
    println!(
        "xtask: split the page into a main module and {} chunks ({} screens)",
        result.split_modules.len(),
        result.prefetch_map.len()
    );
    Ok(())
}

/// One line per screen: `screen: chunk chunk … ` (each name followed by a space).
fn manifest_lines(map: &std::collections::HashMap<String, Vec<String>>) -> String {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort();
    entries
        .into_iter()
        .map(|(screen, chunks)| format!("{screen}: {}\n", chunks.iter().map(|c| format!("{c} ")).collect::<String>()))
        .collect()
}

/// The manifest's screens with their chunk files.
pub fn read_manifest(dist: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
    let path = manifest_path(dist);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(screen, chunks)| (screen.to_string(), chunks.split_whitespace().map(str::to_string).collect()))
        .collect())
}
