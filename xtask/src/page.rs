//! Building the admin page: `trunk build --release` for a public URL, split by screen, Trunk's inline boot
//! script moved to a file (the CSP allows no inline script), and brotli / gzip copies written
//! beside every file for `tfe-orgs-server` to send.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run};

/// The page for the root path, as `cargo xtask serve | dist | test` use it.
pub fn dist_dir() -> PathBuf {
    root().join("target/www-dist")
}

/// The page built for `public_url` (`/` or `/tfe-orgs/`) into `dir`, split by screen.
pub fn build(public_url: &str, dir: &Path) -> Result<(), String> {
    build_as(public_url, dir, true)
}

/// The page built unsplit (one wasm): the baseline `cargo xtask bench` compares the split with.
pub fn build_unsplit(public_url: &str, dir: &Path) -> Result<(), String> {
    build_as(public_url, dir, false)
}

fn build_as(public_url: &str, dir: &Path, split: bool) -> Result<(), String> {
    run(Command::new("trunk")
        .args(["build", "--release", "--public-url", public_url, "--dist"])
        .arg(dir)
        .env("TRUNK_OFFLINE", "true")
        .env(crate::split::ENV, if split { "1" } else { "" }))?;
    // Each screen's code in a chunk of its own, loaded when the screen is opened.
    if split {
        crate::split::split(dir)?;
    }
    externalize_boot_script(dir, public_url)?;
    base_to_meta(dir)?;
    precompress(dir)
}

/// Trunk writes the public URL as `<base href>`; the CSP's `base-uri 'none'` (no `<base>` may
/// change how the page's URLs resolve) refuses that element, so the same value moves into
/// `<meta name="tfe-orgs-base">`, which the page reads for its router. Every URL Trunk writes is
/// absolute already.
pub fn base_to_meta(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let Some(start) = html.find("<base href=\"") else {
        return Ok(()); // already moved
    };
    let value_start = start + "<base href=\"".len();
    let value_end = html[value_start..].find('"').map(|i| value_start + i).ok_or("unterminated <base href>")?;
    let end = html[value_end..].find('>').map(|i| value_end + i + 1).ok_or("unterminated <base>")?;
    let meta = format!("<meta name=\"tfe-orgs-base\" content=\"{}\" />", &html[value_start..value_end]);
    let html = format!("{}{meta}{}", &html[..start], &html[end..]);
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

/// Replace the inline `<script type="module">…</script>` Trunk writes into `index.html` with
/// `<script type="module" src="<public_url>boot-<hash>.js">`, the same code in a file.
pub fn externalize_boot_script(dist: &Path, public_url: &str) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    const OPEN: &str = "<script type=\"module\">";
    let Some(start) = html.find(OPEN) else {
        return Ok(()); // already external
    };
    let body_start = start + OPEN.len();
    let end = html[body_start..].find("</script>").map(|i| body_start + i).ok_or("unterminated inline script")?;
    let code = html[body_start..end].trim();
    // FNV-1a: a stable name that changes with the content (cache busting, like Trunk's files).
    let hash = code.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
    let name = format!("boot-{hash:016x}.js");
    std::fs::write(dist.join(&name), format!("{code}\n")).map_err(|e| e.to_string())?;
    let tag = format!("<script type=\"module\" src=\"{public_url}{name}\"></script>");
    let html = format!("{}{tag}{}", &html[..start], &html[end + "</script>".len()..]);
    std::fs::write(&index, html).map_err(|e| e.to_string())
}

/// `x.br` and `x.gz` beside every file `x` of `dir` (brotli 11, gzip -9).
pub fn precompress(dir: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_dir() {
            precompress(&path)?;
        } else if !matches!(ext, "br" | "gz" | "png" | "jpg" | "woff2") {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let (gzip, brotli) = crate::size::compress(&bytes);
            let sibling = |suffix: &str| {
                let mut name = path.clone().into_os_string();
                name.push(suffix);
                PathBuf::from(name)
            };
            std::fs::write(sibling(".gz"), gzip).map_err(|e| e.to_string())?;
            std::fs::write(sibling(".br"), brotli).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
