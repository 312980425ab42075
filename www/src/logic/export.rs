//! The current result as CSV or JSON (CSV cells never read as formulas). An export of one page
//! of a longer result says so in its name and inside the file.

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

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// For people (a spreadsheet): labels in the header, words in the cells.
    Csv,
    /// For programs: the attributes' keys.
    Json,
}

impl ExportKind {
    /// "CSV", "JSON": what the buttons say.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::Csv => "CSV",
            ExportKind::Json => "JSON",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            ExportKind::Csv => "csv",
            ExportKind::Json => "json",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            ExportKind::Csv => "text/csv",
            ExportKind::Json => "application/json",
        }
    }
}

/// The header of a CSV meant for people: each column's label (an attribute's, from its
/// declaration), in the order given.
fn labels(keys: &[&str]) -> String {
    keys.iter().map(|key| csv_cell(&super::format::field_label(key))).collect::<Vec<_>>().join(",")
}

/// The rows as CSV for people: labels in the header ("Disabled"), "Yes"/"No" in the cells.
pub fn to_csv(rows: &[Row]) -> String {
    let flag = |b: Option<bool>| b.map(|b| if b { "Yes" } else { "No" }.to_string()).unwrap_or_default();
    let mut out = labels(&["name", "email", "external-id", "is-disabled", "global-module-sharing", "owners"]);
    out.push_str("\r\n");
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

/// How much of the search's result an export of the list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// Every organization that matches (all loaded, or a result that fits one page).
    Every,
    /// One page of a longer result.
    Page { number: u32, pages: u32, total: u64 },
}

impl Extent {
    /// What the table shows: `all_loaded`, or the page `pagination` describes.
    pub fn of(all_loaded: bool, pagination: Option<&tfe_orgs::jsonapi::Pagination>) -> Extent {
        let more_than_one = |p: &tfe_orgs::jsonapi::Pagination| {
            p.total_pages.unwrap_or(1) > 1 || p.next_page.is_some() || p.prev_page.is_some()
        };
        match pagination {
            Some(p) if !all_loaded && more_than_one(p) => Extent::Page {
                number: p.current_page.unwrap_or(1),
                pages: p.total_pages.unwrap_or(1),
                total: p.total_count.unwrap_or(0),
            },
            _ => Extent::Every,
        }
    }

    /// `organizations.csv`, or `organizations-page-2-of-152.csv`.
    pub fn file_name(self, kind: ExportKind) -> String {
        let extension = kind.extension();
        match self {
            Extent::Every => format!("organizations.{extension}"),
            Extent::Page { number, pages, .. } => format!("organizations-page-{number}-of-{pages}.{extension}"),
        }
    }

    /// The words that mark a page's export as partial, in the file and on screen.
    pub fn partial_note(self, rows: usize) -> Option<String> {
        match self {
            Extent::Every => None,
            Extent::Page { number, pages, total } => Some(format!(
                "partial: page {number} of {pages}, {rows} of {total} organizations; Load all, then export, for every one"
            )),
        }
    }
}

/// The rows as `kind`, with the file's name: what the list's export buttons download.
pub fn export(rows: &[Row], extent: Extent, kind: ExportKind) -> (String, String) {
    let body = match kind {
        ExportKind::Csv => export_csv(rows, extent),
        ExportKind::Json => export_json(rows, extent),
    };
    (extent.file_name(kind), body)
}

/// The rows as CSV; a page of a longer result starts with a `# partial: …` line.
pub fn export_csv(rows: &[Row], extent: Extent) -> String {
    match extent.partial_note(rows.len()) {
        Some(note) => format!("# {note}\r\n{}", to_csv(rows)),
        None => to_csv(rows),
    }
}

/// The rows as a JSON array; a page of a longer result as `{"partial": {…}, "organizations": […]}`.
pub fn export_json(rows: &[Row], extent: Extent) -> String {
    match extent {
        Extent::Every => to_json(rows),
        Extent::Page { number, pages, total } => serde_json::to_string_pretty(&serde_json::json!({
            "partial": {"page": number, "pages": pages, "organizations": total, "exported": rows.len()},
            "organizations": rows,
        }))
        .unwrap_or_else(|_| "{}".into()),
    }
}
