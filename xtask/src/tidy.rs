//! Tidy checks (as rust-analyzer's `tidy.rs`): facts written in more than one place agree.
//! Plain `#[test]`s, run by `cargo test --workspace`.

#[cfg(test)]
mod tests {
    use crate::root;

    fn read(path: &str) -> String {
        std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The tools `setup` installs are the versions Cargo.toml and DEVELOPERS.md name.
    #[test]
    fn version_pins_agree() {
        use crate::setup::{TRUNK, WASM_BINDGEN, WASM_PACK};
        let manifest = read("Cargo.toml");
        assert!(
            manifest.contains(&format!("wasm-bindgen = \"={WASM_BINDGEN}\"")),
            "Cargo.toml pins wasm-bindgen to exactly the wasm-bindgen-cli setup installs ({WASM_BINDGEN})"
        );
        let developers = read("DEVELOPERS.md");
        for (tool, version) in [("wasm-bindgen-cli", WASM_BINDGEN), ("wasm-pack", WASM_PACK), ("Trunk", TRUNK)] {
            let row = developers
                .lines()
                .find(|l| l.starts_with(&format!("| {tool} |")))
                .unwrap_or_else(|| panic!("DEVELOPERS.md has no row for {tool}"));
            assert!(row.contains(&format!("| {version} |")), "DEVELOPERS.md says {row:?}, setup installs {version}");
        }
    }

    /// Every crate of the workspace declares the workspace's `rust-version`.
    #[test]
    fn every_crate_has_the_workspace_rust_version() {
        for manifest in ["Cargo.toml", "www/Cargo.toml", "sandbox/Cargo.toml", "server/Cargo.toml", "xtask/Cargo.toml"]
        {
            assert!(
                read(manifest).contains("rust-version.workspace = true"),
                "{manifest} lacks rust-version.workspace"
            );
        }
        assert!(read("Cargo.toml").contains("rust-version = \"1.91\""), "the sandbox needs 1.91 (floor_char_boundary)");
    }

    /// The README starts with the two commands a new user runs, and xtask has both.
    #[test]
    fn the_readmes_first_commands_exist() {
        let readme = read("README.md");
        let block = readme.split("```sh").nth(1).and_then(|b| b.split("```").next()).expect("a sh block");
        let commands: Vec<&str> = block
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cargo xtask "))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert_eq!(commands, ["serve", "test"], "the README's first block");
        for command in commands {
            assert!(crate::commands().iter().any(|c| c == command), "xtask has no {command} command");
        }
        assert!(readme.find("```sh").unwrap() < 200, "the commands come first");
    }
}
