//! Numbers as the page writes them.

/// `3400` → `"3,400"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 name`, `2,400 names`: a count and its noun, singular for one.
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n as u64))
    }
}

/// The names containing `filter` (case-insensitive; blank keeps all), in order.
pub fn filter_names(names: &[String], filter: &str) -> Vec<String> {
    let needle = filter.trim().to_ascii_lowercase();
    names.iter().filter(|n| needle.is_empty() || n.to_ascii_lowercase().contains(&needle)).cloned().collect()
}
