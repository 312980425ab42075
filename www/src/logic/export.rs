//! The current result as CSV or JSON (CSV cells never read as formulas).

use super::rows::Row;

/// One CSV cell: quoted when needed, and never read as a formula by a spreadsheet.
pub fn csv_cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

pub fn to_csv(rows: &[Row]) -> String {
    let flag = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    let mut out = String::from("name,email,external-id,is-disabled,global-module-sharing,owners\r\n");
    for r in rows {
        let cells = [
            r.name.clone(),
            r.email.clone(),
            r.external_id.clone(),
            flag(r.is_disabled),
            flag(r.global_module_sharing),
            r.owners.join(" "),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn to_json(rows: &[Row]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".into())
}
