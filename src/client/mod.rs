//! The client: one typed async method per endpoint, over any [`Transport`]. Every rule runs
//! before sending; requests are spaced under the rate limit; 429s wait as the server asks; 5xx
//! and network errors are retried only where a repeat cannot duplicate a write.
//!
//! A write whose answer is lost (a 5xx, a dropped connection, a timeout: the instance may have
//! applied it) follows its [`Repeat`] rule, and is never reported as failed when it may have
//! succeeded: see the README's table of writes.

mod admin;
pub mod bulk;
mod configuration;
mod error;
mod explorer;
pub mod fan_out;
mod instance;
mod module_sharing;
mod organizations;
mod pagination;
pub mod retry;
mod sharing_state;

use std::time::Duration;

use serde::de::DeserializeOwned;

pub use configuration::{Applied, ConfigProgress};
pub use error::{Error, ErrorKind};
pub use explorer::{revoke_document, ExplorerRead, GrantUsage, Unknown, Usage, UsedItem};
pub use instance::{Features, InstanceInfo, SharingApi};
pub use module_sharing::{Registry, SharingIntent};
pub use organizations::ReadOptions;
pub use pagination::{list_all, map_of, set_of, sort_by_dyn, sorted_indices, Complete, Page, Progress};
pub use sharing_state::{AccessImpact, Producer, ProducerSharing, SharingChange, SharingSave, SharingState};

use crate::jsonapi::{self, ResourceKind, SingleDocument, MEDIA_TYPE};
use crate::query::{encode, ListOptions};
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::validate::Rule;
use crate::validate::{self, ValidationError};
use retry::{backoff, server_wait, RateLimiter};

/// The HTTP methods the three APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a lost answer means for a request, and so whether it is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Reads, and writes that set a state (sending twice ends the same): retried after a 5xx or
    /// a network error; a write that succeeds on a retry is reported as applied.
    Safe,
    /// Deletes: retried; a 404 once an earlier answer was lost means that attempt deleted it.
    Delete,
    /// Creates and renames: never sent twice after a lost answer (a second create could
    /// duplicate, a second rename answers 404). The failure is [`ErrorKind::OutcomeUnknown`].
    Once,
}

/// Tuning of a [`Client`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// Retries after the first attempt (429 always; 5xx/network only for GET, PATCH, DELETE).
    pub max_retries: u32,
    /// Client-side limit until the instance says its own: TFE allows 30 per second per token
    /// unless its site admins raised it.
    pub requests_per_second: f64,
    /// Take the instance's budget once an answer states it (`X-RateLimit-Limit`, or the general
    /// settings' `api-rate-limit`). Off: `requests_per_second` always.
    pub follow_instance_rate: bool,
    /// Bound on each exchange.
    pub timeout: Duration,
    /// The most requests a fan-out (list-all pages, bulk writes) keeps in flight. Within it the
    /// client keeps rate × latency in flight (see [`Client::fan_out`]), so the rate limiter, not
    /// the concurrency, bounds the rate at any latency.
    pub concurrency: usize,
    /// First backoff step when the server gives no wait.
    pub backoff_base: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_retries: 3,
            requests_per_second: 30.0,
            follow_instance_rate: true,
            timeout: Duration::from_secs(30),
            // Enough for 100 requests/second at 300 ms (rate × latency × 1.25 + 4 = 42).
            concurrency: 48,
            backoff_base: Duration::from_millis(250),
        }
    }
}

/// A TFE client for the Organizations, Admin Organizations and Admin Module Sharing APIs.
pub struct Client<T> {
    api: String,
    token: String,
    transport: T,
    options: ClientOptions,
    limiter: RateLimiter,
    /// The times (ms) of the last exchanges, measured around every send.
    latencies: std::cell::RefCell<std::collections::VecDeque<f64>>,
    /// What the instance's answers said (release, names, which calls it has).
    learned: std::cell::RefCell<instance::Learned>,
}

impl<T> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("Client").field("api", &self.api).field("options", &self.options).finish_non_exhaustive()
    }
}

/// `https://host`, `https://host/` and `https://host/api/v2` all mean `https://host/api/v2`.
pub fn api_base(base_url: &str) -> Result<String, ValidationError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let host = trimmed.strip_suffix("/api/v2").unwrap_or(trimmed);
    let rest = host.strip_prefix("https://").or_else(|| host.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains(['?', '#', ' ']) => Ok(format!("{host}/api/v2")),
        _ => Err(ValidationError::new(
            "baseUrl",
            Rule::Url,
            format!("{base_url:?} is not an http(s) URL like https://tfe.example.com"),
        )),
    }
}

impl<T: Transport> Client<T> {
    /// A client of the instance at `base_url` (`https://host`, with or without `/api/v2`) with
    /// `token`, default options; a bad URL or an empty token is a validation error.
    ///
    /// ```no_run
    /// # fn run<T: tfe_orgs::transport::Transport>(transport: T) -> Result<(), tfe_orgs::client::Error> {
    /// // The transport: `tfe_orgs::transport::FetchTransport` in a browser or Node, or your own.
    /// let client = tfe_orgs::Client::new("https://tfe.example.com", "a-token", transport)?;
    /// assert_eq!(client.api_url(), "https://tfe.example.com/api/v2");
    /// # Ok(()) }
    /// ```
    pub fn new(base_url: &str, token: &str, transport: T) -> Result<Self, Error> {
        Client::with_options(base_url, token, transport, ClientOptions::default())
    }

    pub fn with_options(base_url: &str, token: &str, transport: T, options: ClientOptions) -> Result<Self, Error> {
        let api = api_base(base_url).map_err(|e| Error::validation(vec![e]))?;
        if token.trim().is_empty() {
            return Err(Error::validation(vec![ValidationError::new(
                "token",
                Rule::Required,
                "an API token is required",
            )]));
        }
        let limiter = RateLimiter::new(options.requests_per_second);
        Ok(Client {
            api,
            token: token.trim().to_string(),
            transport,
            options,
            limiter,
            latencies: Default::default(),
            learned: Default::default(),
        })
    }

    /// Pages asked for with the first of a big list (all organizations): as many as the limiter
    /// lets out during a round trip (the measured latency at the instance's rate), at least 15
    /// and at most `concurrency - 1`. Those past the end of a short list are dropped unsent once
    /// page 1 tells the total; the ones already sent by then are the price of not waiting a
    /// round trip before asking for page 2.
    pub fn lookahead(&self) -> u32 {
        let round_trip = self.measured_latency_ms().map_or(0, |ms| (self.limiter.rate() * ms / 1000.0).ceil() as usize);
        self.options.concurrency.saturating_sub(1).min(round_trip.max(15)) as u32
    }

    /// How many requests a fan-out keeps in flight now: enough to fill the rate limit at the
    /// measured latency (rate × latency, a quarter more and four to cover jitter and the time
    /// answers wait for a busy client), at least 1 and at most `concurrency`. More cannot exceed
    /// the rate: the limiter spaces the sends. Before any exchange was measured: 4.
    pub fn fan_out(&self) -> usize {
        let max = self.options.concurrency.max(1);
        match self.measured_latency_ms() {
            None => 4.min(max),
            Some(ms) => {
                let needed = (self.limiter.rate() * ms * 1.25 / 1000.0).ceil() as usize + 4;
                needed.clamp(1, max)
            }
        }
    }

    /// The latency: the fastest of the last 16 exchanges, in milliseconds. The fastest, because
    /// an exchange also counts the time its answer waited for a busy client (decoding other
    /// pages): an average would grow with the fan-out and feed it.
    pub fn measured_latency_ms(&self) -> Option<f64> {
        self.latencies.borrow().iter().copied().reduce(f64::min)
    }

    fn record_latency(&self, ms: f64) {
        if ms.is_finite() && ms >= 0.0 {
            let mut recent = self.latencies.borrow_mut();
            if recent.len() == 16 {
                recent.pop_front();
            }
            recent.push_back(ms);
        }
    }

    /// The API root, e.g. `https://tfe.example.com/api/v2`.
    pub fn api_url(&self) -> &str {
        &self.api
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Send with rate limiting and the retry policy; a 2xx response or an [`Error`]. A write
    /// whose last answer was lost fails with [`ErrorKind::OutcomeUnknown`], never a plain
    /// server or network error: it may have been applied.
    async fn send(
        &self,
        method: Method,
        repeat: Repeat,
        path: &str,
        query: &str,
        body: Option<String>,
    ) -> Result<HttpResponse, Error> {
        let url = if query.is_empty() { format!("{}{path}", self.api) } else { format!("{}{path}?{query}", self.api) };
        let mut headers = vec![("Authorization", format!("Bearer {}", self.token)), ("Accept", MEDIA_TYPE.to_string())];
        if body.is_some() || method == Method::Get {
            headers.push(("Content-Type", MEDIA_TYPE.to_string()));
        }
        let request = HttpRequest { method: method.as_str(), url, headers, body };
        let mut attempts = retry::Attempts::default();
        loop {
            loop {
                let wait = self.limiter.try_send(self.transport.now_ms());
                if wait.is_zero() {
                    break;
                }
                self.transport.sleep(wait).await;
            }
            let sent_at = self.transport.now_ms();
            let result = self.transport.send(request.clone(), self.options.timeout).await;
            if let Ok(response) = &result {
                self.record_latency(self.transport.now_ms() - sent_at);
                self.learn_headers(response);
            }
            if result.as_ref().is_ok_and(|r| r.status == 429) {
                self.limiter.slow_down(self.transport.now_ms());
            }
            let outcome = match &result {
                Ok(response) => retry::Outcome::Answered {
                    status: response.status,
                    server_wait: (response.status == 429).then(|| server_wait(response)).flatten(),
                },
                Err(_) => retry::Outcome::NoAnswer,
            };
            let wait = backoff(attempts.retries, self.options.backoff_base, self.transport.now_ms());
            let write = method != Method::Get;
            let (step, after) = retry::next_step(repeat, write, self.options.max_retries, attempts, outcome, wait);
            attempts = after;
            match step {
                retry::Step::Done => return result.map_err(|_| unreachable!("a 2xx is an answer")),
                retry::Step::AlreadyDone => {
                    return Ok(HttpResponse { status: 204, headers: Vec::new(), body: String::new() })
                }
                retry::Step::Retry(wait) => self.transport.sleep(wait).await,
                retry::Step::OutcomeUnknown => return Err(Error::outcome_unknown(method.as_str(), path, result)),
                retry::Step::Fail => return Err(self.failure(method.as_str(), path, result)),
            }
        }
    }

    /// The error an attempt's answer (or its absence) stands for.
    fn failure(&self, method: &str, path: &str, result: Result<HttpResponse, TransportError>) -> Error {
        match result {
            Ok(response) => {
                let wait =
                    (response.status == 429).then(|| server_wait(&response).map(|d| d.as_millis() as u64)).flatten();
                Error::from_response(response.status, &response.body, wait)
            }
            Err(TransportError::Timeout) => Error::new(
                ErrorKind::Timeout,
                format!("{method} {path}: no response within {} ms", self.options.timeout.as_millis()),
            ),
            Err(TransportError::Network(message)) => {
                Error::new(ErrorKind::Network, format!("{method} {path}: {message}"))
            }
        }
    }

    async fn get_single<A: ResourceKind + DeserializeOwned + Default>(
        &self,
        path: &str,
        query: &str,
    ) -> Result<SingleDocument<A>, Error> {
        let response = self.send(Method::Get, Repeat::Safe, path, query, None).await?;
        jsonapi::decode_single(&response.body).map_err(|e| Error::decode(e, response.status))
    }

    async fn write_single<A: ResourceKind + DeserializeOwned + Default>(
        &self,
        method: Method,
        repeat: Repeat,
        path: &str,
        body: String,
    ) -> Result<SingleDocument<A>, Error> {
        let response = self.send(method, repeat, path, "", Some(body)).await?;
        jsonapi::decode_single(&response.body).map_err(|e| Error::decode(e, response.status))
    }

    async fn get_page<A: ResourceKind + DeserializeOwned + Default>(
        &self,
        path: &str,
        options: &ListOptions,
    ) -> Result<Page<jsonapi::Resource<A>>, Error> {
        check(options.validate())?;
        let response = self.send(Method::Get, Repeat::Safe, path, &options.to_query(), None).await?;
        let doc = jsonapi::decode_list(&response.body).map_err(|e| Error::decode(e, response.status))?;
        Ok(Page::from_document(doc))
    }
}

impl<T: Transport> Client<T> {
    /// Every page of a list: `page(options)` fetches one; page size 100 unless set;
    /// `lookahead` pages asked for with the first (see [`list_all`]). The pages' futures are
    /// boxed, so list-all's code exists once per item type, not once per list (wasm size).
    async fn every_page<'a, R, Fut>(
        &'a self,
        options: &ListOptions,
        page: impl Fn(ListOptions) -> Fut + 'a,
        lookahead: u32,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Complete<R>, Error>
    where
        Fut: std::future::Future<Output = Result<Page<R>, Error>> + 'a,
    {
        let base = ListOptions { page_size: options.page_size.or(Some(100)), ..options.clone() };
        let fetch =
            move |n: u32| -> PageFuture<'a, R> { Box::pin(page(ListOptions { page_number: Some(n), ..base.clone() })) };
        self.every_page_boxed(&fetch, lookahead, on_progress).await
    }

    async fn every_page_boxed<'a, R>(
        &'a self,
        fetch: &dyn Fn(u32) -> PageFuture<'a, R>,
        lookahead: u32,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Complete<R>, Error> {
        list_all(fetch, &|| self.fan_out(), lookahead, on_progress).await
    }
}

/// A future on the heap, behind `dyn` (one copy of its code however many callers await it).
type LocalBoxed<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;

/// One page on its way, boxed (see [`Client::every_page`]).
type PageFuture<'a, R> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Page<R>, Error>> + 'a>>;

/// `Err` with the first broken rule, so nothing is sent.
fn check(errors: Vec<ValidationError>) -> Result<(), Error> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(errors))
    }
}

/// A validated, percent-encoded organization name for a path.
fn org_segment(name: &str) -> Result<String, Error> {
    validate::organization_name("name", name).map_err(|e| Error::validation(vec![e]))?;
    Ok(encode(name))
}

/// List options with page parameters always present (TFE omits meta without them).
fn paged(options: &ListOptions) -> ListOptions {
    ListOptions {
        page_number: options.page_number.or(Some(1)),
        page_size: options.page_size.or(Some(20)),
        ..options.clone()
    }
}
