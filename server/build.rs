//! Embeds the built page when `TFE_ORGS_EMBED_PAGE` names its directory (`cargo xtask dist`
//! sets it); otherwise the binary carries no page and `--page DIR` is required.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-env-changed=TFE_ORGS_EMBED_PAGE");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut entries = String::new();
    if let Some(dir) = std::env::var_os("TFE_ORGS_EMBED_PAGE").map(PathBuf::from) {
        let dir = dir.canonicalize().unwrap_or_else(|e| panic!("TFE_ORGS_EMBED_PAGE {}: {e}", dir.display()));
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files = Vec::new();
        collect(&dir, &mut files);
        files.sort();
        for file in files {
            let relative = file.strip_prefix(&dir).expect("under dir").to_string_lossy().replace('\\', "/");
            println!("cargo:rerun-if-changed={}", file.display());
            entries.push_str(&format!("    ({relative:?}, include_bytes!({:?})),\n", file.display().to_string()));
        }
    }
    let code = format!("pub static FILES: &[(&str, &[u8])] = &[\n{entries}];\n");
    std::fs::write(out.join("embedded_page.rs"), code).expect("OUT_DIR is writable");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("readable directory").path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
