//! A [`Transport`] straight into the sandbox core, for native tests of the client: no sockets,
//! a virtual clock (sleeps advance it instantly), every request recorded, and scripted faults.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Duration;

use tfe_orgs::transport::{HttpRequest, HttpResponse, LocalFuture, Transport, TransportError};

use crate::{Behaviour, Request, Sandbox};

/// What the next request meets instead of (or after) the sandbox.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Nothing: the request is processed as usual (to aim the faults after it at later requests).
    Pass,
    /// Answer this status, headers and body without processing the request.
    Respond(u16, Vec<(&'static str, &'static str)>, &'static str),
    /// No response and nothing processed (connection refused).
    Refused,
    /// The sandbox processes the request, then the response is lost (connection reset).
    LostResponse,
    /// The exchange times out after the sandbox processed it.
    TimeoutAfterProcessing,
}

#[derive(Default)]
pub struct InProcess {
    pub sandbox: RefCell<Sandbox>,
    /// Every request that reached the transport, in order.
    pub requests: RefCell<Vec<HttpRequest>>,
    /// Every sleep the client asked for.
    pub sleeps: RefCell<Vec<Duration>>,
    faults: RefCell<VecDeque<Fault>>,
    clock_ms: Cell<f64>,
    /// Virtual time each exchange takes.
    pub latency_ms: Cell<f64>,
}

impl InProcess {
    pub fn new(sandbox: Sandbox) -> Self {
        InProcess { sandbox: RefCell::new(sandbox), ..Default::default() }
    }

    pub fn seeded() -> Self {
        InProcess::new(Sandbox::seeded())
    }

    /// Queue faults for the next requests, in order.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.faults.borrow_mut().extend(faults);
    }

    pub fn request_count(&self) -> usize {
        self.requests.borrow().len()
    }

    pub fn last_request(&self) -> HttpRequest {
        self.requests.borrow().last().cloned().expect("a request was sent")
    }

    pub fn now(&self) -> f64 {
        self.clock_ms.get()
    }

    fn process(&self, request: &HttpRequest) -> HttpResponse {
        let path_and_query = request.url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap_or_default();
        let mut core = Request::new(request.method, &path_and_query);
        core.authorization = request.header("authorization").map(str::to_string);
        core.body = request.body.clone().unwrap_or_default();
        let mut sandbox = self.sandbox.borrow_mut();
        let response = sandbox.handle(&core);
        let mut headers =
            response.content_type().map(|ct| vec![("content-type".to_string(), ct.to_string())]).unwrap_or_default();
        // What every answer says of the instance, as over HTTP.
        headers.push(("x-tfe-version".into(), sandbox.release.tfe_version().into()));
        headers.push(("tfp-api-version".into(), crate::http::API_VERSION.into()));
        let limit = sandbox.api_rate_limit.unwrap_or(crate::faults::TFE_RATE_LIMIT);
        headers.push(("x-ratelimit-limit".into(), limit.to_string()));
        HttpResponse { status: response.status, headers, body: response.body }
    }
}

impl Transport for InProcess {
    fn send(&self, request: HttpRequest, _timeout: Duration) -> LocalFuture<'_, Result<HttpResponse, TransportError>> {
        self.requests.borrow_mut().push(request.clone());
        self.clock_ms.set(self.clock_ms.get() + self.latency_ms.get());
        let fault = self.faults.borrow_mut().pop_front();
        let result = match fault {
            None | Some(Fault::Pass) => Ok(self.process(&request)),
            Some(Fault::Respond(status, headers, body)) => Ok(HttpResponse {
                status,
                headers: headers.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                body: body.to_string(),
            }),
            Some(Fault::Refused) => Err(TransportError::Network("connection refused".into())),
            Some(Fault::LostResponse) => {
                self.process(&request);
                Err(TransportError::Network("connection reset".into()))
            }
            Some(Fault::TimeoutAfterProcessing) => {
                self.process(&request);
                Err(TransportError::Timeout)
            }
        };
        Box::pin(std::future::ready(result))
    }

    fn sleep(&self, duration: Duration) -> LocalFuture<'_, ()> {
        self.sleeps.borrow_mut().push(duration);
        self.clock_ms.set(self.clock_ms.get() + duration.as_secs_f64() * 1000.0);
        Box::pin(std::future::ready(()))
    }

    fn now_ms(&self) -> f64 {
        self.clock_ms.get()
    }
}
