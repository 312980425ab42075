//! A snapshot document to compare: picked with the file input or dropped on the zone; what it
//! says, or every problem that stops it being one.

use leptos::prelude::*;
use tfe_orgs::snapshot::Snapshot;
use wasm_bindgen::JsCast;

/// A document read from a file (or handed over by Undo): its name, and what it says or why not.
#[derive(Clone)]
pub struct FileRead {
    pub name: String,
    pub read: Result<Snapshot, Vec<String>>,
}

impl FileRead {
    pub fn of_text(name: String, text: &str) -> FileRead {
        let read = Snapshot::parse(text).map_err(|e| e.iter().map(|p| format!("{}: {}", p.field, p.message)).collect());
        FileRead { name, read }
    }
}

fn read_file(file: web_sys::File, on_read: Callback<FileRead>) {
    let name = file.name();
    crate::context::spawn(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        let text = text.ok().and_then(|t| t.as_string()).unwrap_or_default();
        on_read.run(FileRead::of_text(name, &text));
    });
}

/// The drop zone with its file input.
#[component]
pub fn FilePicker(on_read: Callback<FileRead>) -> impl IntoView {
    view! {
        <div class="drop-zone" on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
            on:drop=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                    read_file(file, on_read)
                }
            }>
            <label for="snapshot-file">"Compare with a file (pick one or drop it here)"</label>
            <input id="snapshot-file" type="file" accept=".json,application/json" on:change=move |ev| {
                let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
                if let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) {
                    read_file(file, on_read)
                }
            }/>
        </div>
    }
}

/// The file's name, or why it is not a snapshot.
#[component]
pub fn FileStatus(file: FileRead) -> impl IntoView {
    match file.read {
        Err(problems) => view! {
            <div class="error-banner" role="alert" id="file-problems">
                <p><strong>{format!("{} is not a tfe-orgs snapshot ({} problems):", file.name, problems.len())}</strong></p>
                <ul>{problems.into_iter().take(50).map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any(),
        Ok(_) => view! { <p class="file-name">{format!("File: {}", file.name)}</p> }.into_any(),
    }
}
