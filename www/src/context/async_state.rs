//! The state of a view's reads (`Loader`) and writes (`Saver`).
//!
//! Why not `LocalResource` / `Action::new_local`: a `LocalResource` re-runs when its signals
//! change but lets the superseded future run to its end (reactive_graph 0.2 drops its result;
//! nothing aborts it), so the fetch keeps going — with search-as-you-type that is one request per
//! keystroke still in flight. `Loader` holds an `AbortHandle` per run: a new run, `cancel`, or
//! the view going away drops the previous future, and `FetchTransport` aborts its fetch when
//! dropped. It also offers `refresh` (keep what is shown until the new value arrives) and
//! borrowing reads of large values (`with_ready`). `Saver` is close to `Action::new_local`; it
//! adds a `saved` flag reset by each run and a continuation that gets the written value (create
//! then navigate to it), which with an `Action` would need an `Effect` watching its value.

use std::future::Future;

use futures_util::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use tfe_orgs::client::Error;

/// A save in flight: on success, what to do with its answer.
type SaveFuture = std::pin::Pin<Box<dyn Future<Output = Result<Box<dyn FnOnce()>, Error>>>>;

/// Run `task` on the page's executor. Every task goes through one boxed type, so the executor's
/// spawning code exists once instead of once per future type (the page has dozens): a size
/// saving of the wasm, measured in DEVELOPERS.md.
pub fn spawn(task: impl Future<Output = ()> + 'static) {
    spawn_boxed(Box::pin(task))
}

fn spawn_boxed(task: std::pin::Pin<Box<dyn Future<Output = ()>>>) {
    leptos::task::spawn_local(task)
}

/// The state of one async view.
#[derive(Clone, Debug)]
pub enum Load<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(Error),
}

impl<T> Load<T> {
    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading)
    }
}

/// Runs one request at a time for a view: a new run aborts the previous one, and leaving the
/// view (its owner is cleaned up) aborts whatever is still in flight.
pub struct Loader<T: 'static> {
    pub state: RwSignal<Load<T>, LocalStorage>,
    current: StoredValue<Option<AbortHandle>>,
}

impl<T: 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: 'static> Copy for Loader<T> {}

impl<T: Clone + 'static> Loader<T> {
    pub fn new() -> Self {
        let current: StoredValue<Option<AbortHandle>> = StoredValue::new(None);
        on_cleanup(move || {
            if let Some(handle) = current.try_update_value(|c| c.take()).flatten() {
                handle.abort();
            }
        });
        Loader { state: RwSignal::new_local(Load::Idle), current }
    }

    /// Start `future`, aborting the run before it.
    pub fn run(&self, future: impl Future<Output = Result<T, Error>> + 'static) {
        self.start(future, true)
    }

    /// Like [`Loader::run`], but what is shown stays until the new result arrives.
    pub fn refresh(&self, future: impl Future<Output = Result<T, Error>> + 'static) {
        self.start(future, false)
    }

    fn start(&self, future: impl Future<Output = Result<T, Error>> + 'static, show_loading: bool) {
        let (handle, registration) = AbortHandle::new_pair();
        if let Some(previous) = self.current.try_update_value(|c| c.replace(handle)).flatten() {
            previous.abort();
        }
        if show_loading {
            self.state.set(Load::Loading);
        }
        let state = self.state;
        spawn(async move {
            if let Ok(result) = Abortable::new(future, registration).await {
                let _ = state.try_set(match result {
                    Ok(value) => Load::Ready(value),
                    Err(e) => Load::Failed(e),
                });
            }
        });
    }

    /// Abort a run in flight and go back to idle.
    pub fn cancel(&self) {
        if let Some(previous) = self.current.try_update_value(|c| c.take()).flatten() {
            previous.abort();
        }
        self.state.set(Load::Idle);
    }

    /// `f` of the value, when ready, without cloning it (results can hold thousands of rows).
    pub fn with_ready<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        self.state.with(|s| if let Load::Ready(v) = s { Some(f(v)) } else { None })
    }

    pub fn ready(&self) -> Option<T> {
        self.state.with(|s| if let Load::Ready(v) = s { Some(v.clone()) } else { None })
    }

    pub fn error(&self) -> Option<Error> {
        self.state.with(|s| if let Load::Failed(e) = s { Some(e.clone()) } else { None })
    }

    pub fn loading(&self) -> bool {
        self.state.with(Load::is_loading)
    }
}

impl<T: Clone + 'static> Default for Loader<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The state of a write (a save, a create, a delete): in progress, done, or the error to show.
/// Writes are not aborted on navigation: cancelling one half-way would leave the user not
/// knowing whether it happened.
#[derive(Clone, Copy)]
pub struct Saver {
    pub saving: RwSignal<bool>,
    pub saved: RwSignal<bool>,
    pub error: RwSignal<Option<Error>>,
}

impl Saver {
    pub fn new() -> Self {
        Saver { saving: RwSignal::new(false), saved: RwSignal::new(false), error: RwSignal::new(None) }
    }

    /// Run `write`; `on_ok` gets its value. The draft lives with the caller, so a failure loses
    /// nothing the user typed.
    pub fn run<T: 'static>(
        &self,
        write: impl Future<Output = Result<T, Error>> + 'static,
        on_ok: impl FnOnce(T) + 'static,
    ) {
        self.run_or_recheck(write, on_ok, || {});
    }

    /// As [`Saver::run`]; when the write's outcome is unknown (its answer was lost, so the
    /// instance may have applied it), `recheck` runs too, to read back what the instance holds
    /// now. The error stays shown and the draft is the caller's to keep.
    pub fn run_or_recheck<T: 'static>(
        &self,
        write: impl Future<Output = Result<T, Error>> + 'static,
        on_ok: impl FnOnce(T) + 'static,
        recheck: impl FnOnce() + 'static,
    ) {
        // The per-call part is only this wrapper; the rest is one non-generic function.
        let write: SaveFuture =
            Box::pin(async move { write.await.map(|value| Box::new(move || on_ok(value)) as Box<dyn FnOnce()>) });
        self.run_boxed(write, Box::new(recheck));
    }

    fn run_boxed(&self, write: SaveFuture, recheck: Box<dyn FnOnce()>) {
        let this = *self;
        this.saving.set(true);
        this.saved.set(false);
        this.error.set(None);
        spawn(async move {
            let result = write.await;
            let _ = this.saving.try_set(false);
            match result {
                Ok(done) => {
                    let _ = this.saved.try_set(true);
                    done();
                }
                Err(e) => {
                    let unknown = e.kind == tfe_orgs::client::ErrorKind::OutcomeUnknown;
                    let _ = this.error.try_set(Some(e));
                    if unknown {
                        recheck();
                    }
                }
            }
        });
    }
}

impl Default for Saver {
    fn default() -> Self {
        Self::new()
    }
}
