//! Numbers, keys and values as the page writes them for people.

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

/// `private-module-registry` → `Private module registry`: a key no declaration describes, in
/// words (entitlements are an open map TFE adds to).
pub fn words(key: &str) -> String {
    const ACRONYMS: [&str; 7] = ["api", "id", "saml", "sso", "ui", "url", "vcs"];
    let mut out: Vec<String> = key
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| if ACRONYMS.contains(&w) { w.to_ascii_uppercase() } else { w.to_string() })
        .collect();
    if let Some(first) = out.first_mut().and_then(|w| w.get_mut(..1)) {
        first.make_ascii_uppercase();
    }
    out.join(" ")
}

/// What a person calls a field of a snapshot (`admin/plan-timeout`, `module-consumers`): an
/// attribute's label, else the key in words ("Module consumers").
pub fn field_label(field: &str) -> String {
    let key = field.rsplit('/').next().unwrap_or(field);
    match tfe_orgs::model::attribute(key) {
        Some(f) => f.label().to_string(),
        None => words(key),
    }
}

/// A value of field `key` as a person reads it: "On", "Instance default", "No limit", a list
/// (`nobody` when empty).
pub fn value_words(field: &str, value: &serde_json::Value) -> String {
    use serde_json::Value;
    let key = field.rsplit('/').next().unwrap_or(field);
    match (tfe_orgs::model::attribute(key), value) {
        (_, Value::Array(names)) if names.is_empty() => "nobody".into(),
        (_, Value::Array(names)) => names.iter().map(|n| n.as_str().unwrap_or_default()).collect::<Vec<_>>().join(", "),
        (Some(f), v) => f.reads(v, None),
        (None, Value::Null) => "—".into(),
        (None, Value::String(s)) => s.clone(),
        (None, v) => v.to_string(),
    }
}
