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

    /// Every `.rs` file under `dir` (relative to the root), recursively.
    fn rust_files(dir: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut pending = vec![root().join(dir)];
        while let Some(path) = pending.pop() {
            for entry in std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let relative = path.strip_prefix(root()).unwrap().display().to_string();
                    out.push((relative, std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    /// A file's code without its tests (a `tests.rs`, or what follows `#[cfg(test)]`).
    fn without_tests((path, text): &(String, String)) -> &str {
        if path.ends_with("/tests.rs") {
            return "";
        }
        text.split("#[cfg(test)]").next().unwrap_or_default().split("#[cfg(all(test").next().unwrap_or_default()
    }

    /// The page's components stay small enough to hold in mind (DEVELOPERS.md, "Sizes"): a
    /// `#[component]` function at most 120 lines, a page or component file at most 400.
    #[test]
    fn page_components_and_files_stay_small() {
        let mut too_big = Vec::new();
        for (path, text) in rust_files("www/src/pages").into_iter().chain(rust_files("www/src/components")) {
            let lines: Vec<&str> = text.lines().collect();
            if lines.len() > 400 {
                too_big.push(format!("{path}: {} lines (at most 400)", lines.len()));
            }
            for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.trim() == "#[component]") {
                let start = i + lines[i..].iter().position(|l| l.trim_start().starts_with(['p', 'f'])).unwrap();
                let end = start + lines[start..].iter().position(|l| l.starts_with('}')).unwrap();
                let name = lines[start].split('(').next().unwrap_or_default().trim();
                if end - start + 1 > 120 {
                    too_big.push(format!("{path}: {name}: {} lines (at most 120)", end - start + 1));
                }
                let _ = line;
            }
        }
        assert!(too_big.is_empty(), "split these:\n{}", too_big.join("\n"));
    }

    /// An attribute's facts live in its declaration (`src/model`): the older names and the era
    /// that introduced it are named nowhere else (no table of eras, renames or defaults beside
    /// it); an editor names it in one form row, a rule of it lives in `src/validate.rs`.
    #[test]
    fn attribute_facts_live_in_their_declarations() {
        let model = rust_files("src/model");
        let text: String = model.iter().map(|(_, t)| t.as_str()).collect();
        // `"apply-timeout" | "terraform-build-worker-apply-timeout" =>`: the older names.
        let older: Vec<&str> =
            text.split("\" | \"").skip(1).filter_map(|rest| rest.split('"').next()).collect::<Vec<_>>();
        assert!(older.contains(&"terraform-build-worker-apply-timeout"), "{older:?}");
        // The attributes an era introduced: their declaration says `.since(Era::…)`.
        let mut newer = Vec::new();
        for declaration in text.split("\n        \"").skip(1) {
            let key = declaration.split('"').next().unwrap_or_default();
            let until_next = declaration.split("\n        \"").next().unwrap_or_default();
            if until_next.contains(".since(Era::") && !newer.contains(&key) {
                newer.push(key);
            }
        }
        assert!(newer.contains(&"workspace-limit") && newer.contains(&"global-provider-sharing"), "{newer:?}");
        // Older names: nowhere but the model. The attributes an era introduced: not in the code
        // that once kept them in tables of its own (the eras, the client's names, the snapshot,
        // the instance defaults, bulk), nor in the other pages' logic.
        let derived = |path: &str| {
            path.starts_with("sandbox/src/")
                || path.starts_with("src/client/")
                || path == "src/snapshot.rs"
                || path.starts_with("www/src/logic/")
                || path.starts_with("www/src/context/")
        };
        let mut elsewhere = Vec::new();
        for dir in ["src", "sandbox/src", "server/src", "www/src"] {
            for file in rust_files(dir) {
                let path = &file.0;
                if path.starts_with("src/model/") || path == "src/validate.rs" {
                    continue;
                }
                let keys: Vec<&&str> =
                    if derived(path) { older.iter().chain(&newer).collect() } else { older.iter().collect() };
                // A form row names its attribute; a registry names its own global flag
                // (`Registry::global_flag`); a command-line flag may share a name.
                let named = |l: &&str| {
                    l.contains("FormRow::of(")
                        || l.contains("Registry::") && l.contains(" => \"")
                        || l.contains("#[arg(")
                };
                for line in without_tests(&file).lines().filter(|l| !named(l)) {
                    for key in &keys {
                        if line.contains(&format!("\"{key}\"")) {
                            elsewhere.push(format!("{path}: {key}: {}", line.trim()));
                        }
                    }
                }
            }
        }
        assert!(elsewhere.is_empty(), "facts of an attribute outside its declaration:\n{}", elsewhere.join("\n"));
    }
}
