#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(tfe_orgs_www::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the admin page runs in a browser: `cargo xtask serve`");
}
