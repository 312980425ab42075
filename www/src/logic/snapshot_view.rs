//! What the `/snapshot` screen shows of the library's snapshot, diff, plan and apply, without
//! the DOM (tested natively): the words for a difference, a planned write and an outcome; the
//! counts per kind; the results as CSV; what Retry failed plans again.

use serde_json::Value;
use tfe_orgs::client::Applied;
use tfe_orgs::snapshot::{OrganizationWrite, Snapshot, SnapshotChange, SnapshotDifference};

use super::export::csv_cell;
pub use super::format::{field_label, value_words};

/// The kinds of difference, in the order the screen counts them.
pub const KINDS: [&str; 5] = ["changed", "added", "removed", "missing", "extra"];

pub fn kind_of(change: &SnapshotChange) -> &'static str {
    match change {
        SnapshotChange::Changed => "changed",
        SnapshotChange::Added => "added",
        SnapshotChange::Removed => "removed",
        SnapshotChange::Missing => "missing",
        SnapshotChange::Extra => "extra",
    }
}

/// One difference in words: the file's value against the instance's.
pub fn describe(d: &SnapshotDifference) -> String {
    let (label, from, to) = (field_label(&d.field), value_words(&d.field, &d.from), value_words(&d.field, &d.to));
    match d.change {
        SnapshotChange::Changed => format!("{label}: file {from} · instance {to}"),
        SnapshotChange::Added => format!("{label}: {to} only on the instance"),
        SnapshotChange::Removed => format!("{label}: {from} only in the file"),
        SnapshotChange::Missing => "named in the file, not on the instance (never created)".into(),
        SnapshotChange::Extra => "on the instance, not in the file (left alone)".into(),
    }
}

/// The differences a filter keeps (organization, field or kind, any case).
pub fn filtered(all: &[SnapshotDifference], needle: &str) -> Vec<SnapshotDifference> {
    let needle = needle.trim().to_lowercase();
    all.iter()
        .filter(|d| {
            needle.is_empty()
                || format!("{} {} {} {}", d.organization, d.field, field_label(&d.field), kind_of(&d.change))
                    .to_lowercase()
                    .contains(&needle)
        })
        .cloned()
        .collect()
}

/// "3 changed · 0 added · …", and whether anything but organizations the file leaves alone differs.
pub fn counts(all: &[SnapshotDifference]) -> (String, bool) {
    let count = |k: &str| all.iter().filter(|d| kind_of(&d.change) == k).count();
    let text = KINDS.map(|k| format!("{} {k}", super::thousands(count(k) as u64))).join(" · ");
    (text, all.iter().any(|d| d.change != SnapshotChange::Extra))
}

/// What an apply writes to one organization, in words.
pub fn write_text(w: &OrganizationWrite) -> String {
    let mut parts = Vec::new();
    for body in [serde_json::to_value(&w.admin), serde_json::to_value(&w.settings)] {
        if let Ok(Value::Object(map)) = body {
            parts.extend(map.iter().map(|(k, v)| format!("{} → {}", field_label(k), value_words(k, v))));
        }
    }
    for (registry, intent) in [("Modules", &w.modules), ("Providers", &w.providers)] {
        if let Some(i) = intent {
            if let Some(c) = &i.consumers {
                parts.push(format!(
                    "{registry}: share with {}",
                    if c.is_empty() { "nobody".into() } else { c.join(", ") }
                ));
            }
            if let Some(g) = i.global {
                parts.push(format!("{registry}: shared with every organization {}", if g { "on" } else { "off" }));
            }
        }
    }
    parts.join("; ")
}

pub fn outcome_of(a: &Applied) -> &'static str {
    match a {
        Applied::Done => "done",
        Applied::Failed(_) => "failed",
        Applied::NotSent => "not-sent",
    }
}

/// The apply's results as CSV: organization, outcome, error.
pub fn results_csv(results: &[(String, Applied)]) -> String {
    let mut csv = String::from("Organization,Outcome,Error\r\n");
    for (name, a) in results {
        let error = if let Applied::Failed(e) = a { e.message.clone() } else { String::new() };
        csv.push_str(&format!("{},{},{}\r\n", csv_cell(name), outcome_of(a), csv_cell(&error)));
    }
    csv
}

/// The results after a Retry failed: the first apply's, the retried organizations with their
/// new outcome (so the CSV and the counts cover every organization of the apply).
pub fn merge_results(previous: &[(String, Applied)], retried: Vec<(String, Applied)>) -> Vec<(String, Applied)> {
    let mut merged = previous.to_vec();
    for (name, outcome) in retried {
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = outcome,
            None => merged.push((name, outcome)),
        }
    }
    merged
}

/// The names Retry failed sends again: failed or never sent.
pub fn to_retry(results: &[(String, Applied)]) -> Vec<String> {
    results.iter().filter(|(_, a)| !matches!(a, Applied::Done)).map(|(n, _)| n.clone()).collect()
}

/// The part of `desired` naming only `names` (what Retry failed plans again).
pub fn only(desired: &Snapshot, names: &[String]) -> Snapshot {
    let mut part = Snapshot::new(desired.instance.clone());
    part.organizations =
        desired.organizations.iter().filter(|(n, _)| names.contains(n)).map(|(n, o)| (n.clone(), o.clone())).collect();
    part
}

/// `2026-12-04T20-18-05`: a timestamp for file names.
pub fn file_stamp(iso: &str) -> String {
    iso.chars().take(19).map(|c| if c == ':' { '-' } else { c }).collect()
}
