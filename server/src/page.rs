//! The built admin page, held in memory (read from `--page DIR` at start, or embedded in the
//! binary by `cargo xtask dist`) and served under its base path: brotli or gzip siblings
//! (`x.wasm.br`, `x.wasm.gz`, written by the build) chosen by `Accept-Encoding`, an ETag per
//! variant, a year of `immutable` caching for content-hashed files and `no-cache` for the rest,
//! and `index.html` for the page's own routes (never for a missing asset: a browser could cache
//! HTML as that asset for a year).

use std::collections::HashMap;
use std::path::Path;

use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;

use crate::error_response;

/// One file in its encodings.
struct Asset {
    content_type: &'static str,
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    /// Content hash (FNV-1a of the identity bytes), the base of each variant's ETag.
    hash: u64,
    immutable: bool,
}

/// The page's files by path relative to its root (`index.html`, `tfe-orgs-www-…_bg.wasm`).
pub struct Page {
    files: HashMap<String, Asset>,
    /// `/` or `/tfe-orgs/`: where the page lives on this origin.
    base: String,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Page {
    /// The page from `(relative path, bytes)` pairs; `*.br` / `*.gz` are the encodings of the
    /// file they are named after.
    pub fn from_files(files: impl IntoIterator<Item = (String, Vec<u8>)>, base: &str) -> Result<Page, String> {
        let mut plain = HashMap::new();
        let mut encoded = Vec::new();
        for (path, bytes) in files {
            match path
                .strip_suffix(".br")
                .map(|p| (p, Encoding::Brotli))
                .or(path.strip_suffix(".gz").map(|p| (p, Encoding::Gzip)))
            {
                Some((original, encoding)) => encoded.push((original.to_string(), encoding, bytes)),
                None => {
                    plain.insert(path, bytes);
                }
            }
        }
        let mut assets: HashMap<String, Asset> = plain
            .into_iter()
            .map(|(path, bytes)| {
                let asset = Asset {
                    content_type: content_type(&path),
                    hash: fnv1a(&bytes),
                    immutable: is_content_hashed(&path),
                    identity: Bytes::from(bytes),
                    brotli: None,
                    gzip: None,
                };
                (path, asset)
            })
            .collect();
        for (path, encoding, bytes) in encoded {
            if let Some(asset) = assets.get_mut(&path) {
                match encoding {
                    Encoding::Brotli => asset.brotli = Some(Bytes::from(bytes)),
                    _ => asset.gzip = Some(Bytes::from(bytes)),
                }
            }
        }
        if !assets.contains_key("index.html") {
            return Err("the page has no index.html".into());
        }
        Ok(Page { files: assets, base: normalize_base(base)? })
    }

    /// Every file under `dir` (the Trunk output of `cargo xtask`).
    pub fn from_dir(dir: &Path, base: &str) -> Result<Page, String> {
        let mut files = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            let entries = std::fs::read_dir(&current).map_err(|e| format!("cannot read {}: {e}", current.display()))?;
            for entry in entries {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let relative = path.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
                    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    files.push((relative, bytes));
                }
            }
        }
        Page::from_files(files, base).map_err(|e| format!("{}: {e}", dir.display()))
    }

    /// The page built into this binary by `cargo xtask dist`, if any.
    pub fn embedded(base: &str) -> Option<Result<Page, String>> {
        let files = embedded::FILES;
        (!files.is_empty()).then(|| Page::from_files(files.iter().map(|(p, b)| (p.to_string(), b.to_vec())), base))
    }

    /// Whether files lack precompressed siblings (served uncompressed then).
    pub fn uncompressed(&self) -> Vec<&str> {
        let mut missing: Vec<&str> = self
            .files
            .iter()
            .filter(|(_, a)| a.identity.len() > 1024 && (a.brotli.is_none() || a.gzip.is_none()))
            .map(|(p, _)| p.as_str())
            .collect();
        missing.sort_unstable();
        missing
    }

    pub fn base(&self) -> &str {
        &self.base
    }
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_page.rs"));
}

/// `/`, or `/x/y/` from `x/y`, `/x/y` or `/x/y/`.
fn normalize_base(base: &str) -> Result<String, String> {
    let trimmed = base.trim_matches('/');
    if trimmed.split('/').any(|s| s == "." || s == "..")
        || !trimmed.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        return Err(format!("base path {base:?} may contain only letters, digits, '-', '_', '.' and '/'"));
    }
    Ok(if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") })
}

pub fn router(page: Page) -> Router {
    let base = page.base.clone();
    let mut router = Router::new().fallback(serve).with_state(std::sync::Arc::new(page));
    if base != "/" {
        // The bare base (`/tfe-orgs`) and the origin's root lead to the page.
        let bare = base.trim_end_matches('/').to_string();
        let to_base = move || {
            let base = base.clone();
            async move { Redirect::permanent(&base) }
        };
        router = router.route("/", axum::routing::get(to_base.clone())).route(&bare, axum::routing::get(to_base));
    }
    router
}

async fn serve(
    State(page): State<std::sync::Arc<Page>>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path.starts_with("/_") {
        return error_response(StatusCode::NOT_FOUND, "Not Found", "no such endpoint");
    }
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let Some(relative) = path.strip_prefix(page.base.as_str()) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let asset = match page.files.get(relative) {
        Some(asset) => asset,
        // A missing file that looks like an asset is a 404, not the page.
        None if looks_like_asset(relative) => return (StatusCode::NOT_FOUND, "not found").into_response(),
        // The page's own routes (`/orgs/acme`): index.html, which routes them.
        None => &page.files["index.html"],
    };
    let encoding = negotiate(headers.get(header::ACCEPT_ENCODING), asset.brotli.is_some(), asset.gzip.is_some());
    let (body, suffix, content_encoding) = match encoding {
        Encoding::Brotli => (asset.brotli.clone().expect("negotiated"), "-br", Some("br")),
        Encoding::Gzip => (asset.gzip.clone().expect("negotiated"), "-gz", Some("gzip")),
        Encoding::Identity => (asset.identity.clone(), "", None),
    };
    let etag = format!("\"{:016x}{suffix}\"", asset.hash);
    let cache = if asset.immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, asset.content_type)
        .header(header::CACHE_CONTROL, cache)
        .header(header::ETAG, &etag)
        .header(header::VARY, "accept-encoding");
    if let Some(ce) = content_encoding {
        response = response.header(header::CONTENT_ENCODING, ce);
    }
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if not_modified {
        return response.status(StatusCode::NOT_MODIFIED).body(Body::empty()).expect("valid headers");
    }
    response = response.header(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let body = if method == Method::HEAD { Body::empty() } else { Body::from(body) };
    response.status(StatusCode::OK).body(body).expect("valid headers")
}

/// The best encoding the client accepts (`q` > 0) among those present: brotli, then gzip.
pub fn negotiate(accept: Option<&HeaderValue>, has_brotli: bool, has_gzip: bool) -> Encoding {
    let accept = accept.and_then(|v| v.to_str().ok()).unwrap_or("");
    let quality = |wanted: &str| {
        accept
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let name = parts.next()?.trim();
                let q = parts
                    .find_map(|p| p.trim().strip_prefix("q=").map(|q| q.trim().parse::<f32>().unwrap_or(0.0)))
                    .unwrap_or(1.0);
                (name.eq_ignore_ascii_case(wanted) || name == "*").then_some(q)
            })
            .fold(None, |best: Option<f32>, q| Some(best.map_or(q, |b| b.max(q))))
            .unwrap_or(0.0)
    };
    let (br, gz) = (if has_brotli { quality("br") } else { 0.0 }, if has_gzip { quality("gzip") } else { 0.0 });
    if br > 0.0 && br >= gz {
        Encoding::Brotli
    } else if gz > 0.0 {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn extension(path: &str) -> Option<&str> {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.rsplit_once('.').map(|(_, ext)| ext)
}

fn looks_like_asset(path: &str) -> bool {
    matches!(
        extension(path),
        Some(
            "js" | "mjs"
                | "wasm"
                | "css"
                | "svg"
                | "png"
                | "ico"
                | "map"
                | "json"
                | "txt"
                | "woff"
                | "woff2"
                | "html"
                | "br"
                | "gz"
        )
    )
}

fn content_type(path: &str) -> &'static str {
    match extension(path) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json" | "map") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Trunk names built files `<name>-<hash>.<ext>` (the wasm `<name>-<hash>_bg.wasm`) with a
/// u64 hash in hex (16 digits, fewer only when it has leading zeros: below 8 digits is a 1 in 4
/// billion chance, so shorter runs are taken for words like `a-b-c`); `cargo xtask` names the
/// boot script `boot-<hash>.js` the same way.
pub fn is_content_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, _)) = file.split_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty() && (8..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// FNV-1a: a stable content hash for ETags.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_files_are_recognized() {
        for hashed in [
            "tfe-orgs-www-9a1b2c3d4e5f6071_bg.wasm",
            "tfe-orgs-www-9a1b2c3d4e5f6071.js",
            "style-ab12cd34.css",
            "boot-00ff00ff00ff00ff.js",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in [
            "index.html",
            "style.css",
            "tfe-orgs-www.js",
            "a-b-c.js",
            "favicon-1.svg",
            "x-0123456789abcdef0.js",
            "-abcdef012.js",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn encoding_follows_accept_encoding() {
        let h = |s: &'static str| Some(HeaderValue::from_static(s));
        assert_eq!(negotiate(h("gzip, deflate, br, zstd").as_ref(), true, true), Encoding::Brotli);
        assert_eq!(negotiate(h("gzip, deflate").as_ref(), true, true), Encoding::Gzip);
        assert_eq!(negotiate(h("br;q=0, gzip").as_ref(), true, true), Encoding::Gzip);
        assert_eq!(negotiate(h("br;q=0.5, gzip;q=0.8").as_ref(), true, true), Encoding::Gzip);
        assert_eq!(negotiate(h("*").as_ref(), true, true), Encoding::Brotli);
        assert_eq!(negotiate(h("br").as_ref(), false, true), Encoding::Identity);
        assert_eq!(negotiate(None, true, true), Encoding::Identity);
        assert_eq!(negotiate(h("identity").as_ref(), true, true), Encoding::Identity);
    }

    #[test]
    fn base_paths_are_normalized() {
        assert_eq!(normalize_base("").unwrap(), "/");
        assert_eq!(normalize_base("/").unwrap(), "/");
        assert_eq!(normalize_base("tfe-orgs").unwrap(), "/tfe-orgs/");
        assert_eq!(normalize_base("/tools/tfe-orgs/").unwrap(), "/tools/tfe-orgs/");
        assert!(normalize_base("/../x").is_err());
        assert!(normalize_base("/a b").is_err());
    }
}
