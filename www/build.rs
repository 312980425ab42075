//! The release build splits the page's wasm by screen (`cargo xtask dist | serve | test` set
//! `TFE_ORGS_WASM_SPLIT`): the `wasm_split` cfg turns the screens of `src/screens.rs` into split
//! points, and the linker keeps the relocations the splitter reads. Everything else (`trunk
//! serve`, the component tests, `cargo check`) builds the page unsplit.
fn main() {
    println!("cargo:rustc-check-cfg=cfg(wasm_split)");
    println!("cargo:rerun-if-env-changed=TFE_ORGS_WASM_SPLIT");
    let split = std::env::var_os("TFE_ORGS_WASM_SPLIT").is_some_and(|v| !v.is_empty());
    if split && std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-cfg=wasm_split");
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
