//! Fan-outs: the same request for many items (list-all pages, consumer lists of many producers,
//! bulk writes) with a bounded number in flight that may change as the run goes (it follows the
//! measured latency: [`super::Client::fan_out`]).

use std::future::Future;
use std::ops::ControlFlow;

use futures_util::stream::{FuturesUnordered, StreamExt};

/// Run `work` for each item with at most `concurrency()` in flight (asked again each time a
/// slot frees). `done` gets each result as it arrives (in completion order); `Break` stops the
/// run, and so does `stop()` (checked before each start). A stopped run starts nothing more but
/// waits for what is in flight, whose results `done` still gets. Returns the items never started.
pub async fn fan_out<I, T, F, Fut>(
    items: I,
    concurrency: impl Fn() -> usize,
    stop: impl Fn() -> bool,
    work: F,
    mut done: impl FnMut(Fut::Output) -> ControlFlow<()>,
) -> Vec<T>
where
    I: IntoIterator<Item = T>,
    F: Fn(T) -> Fut,
    Fut: Future,
{
    let mut items = items.into_iter();
    let mut in_flight = FuturesUnordered::new();
    let mut stopped = false;
    loop {
        while !stopped && in_flight.len() < concurrency().max(1) {
            if stop() {
                stopped = true;
                break;
            }
            match items.next() {
                Some(item) => in_flight.push(work(item)),
                None => break,
            }
        }
        match in_flight.next().await {
            Some(output) => stopped |= done(output).is_break(),
            None => break,
        }
    }
    items.collect()
}

/// [`fan_out`] of fallible work that ends at the first error: `ok` gets each success as it
/// arrives; the first error is returned once what was in flight has finished.
pub async fn try_fan_out<I, T, F, Fut, R, E>(
    items: I,
    concurrency: impl Fn() -> usize,
    work: F,
    mut ok: impl FnMut(R),
) -> Result<(), E>
where
    I: IntoIterator<Item = T>,
    F: Fn(T) -> Fut,
    Fut: Future<Output = Result<R, E>>,
{
    let mut failed = None;
    fan_out(
        items,
        concurrency,
        || false,
        work,
        |result| match result {
            Ok(value) => {
                ok(value);
                ControlFlow::Continue(())
            }
            Err(e) => {
                failed.get_or_insert(e);
                ControlFlow::Break(())
            }
        },
    )
    .await;
    failed.map_or(Ok(()), Err)
}
