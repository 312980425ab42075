//! `cargo xtask fuzz [N]`: the decoder and validator properties, optimized.

use crate::{cargo, run};

/// The long fuzz run: every property with `N` cases (default 1,000,000), optimized.
pub fn run_fuzz(cases: u64) -> Result<(), String> {
    let cases = cases.to_string();
    run(cargo().args(["test", "--release", "--test", "fuzz"]).env("FUZZ_CASES", cases))
}
