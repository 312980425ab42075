//! How requests leave the client. [`Transport`] is the seam: the fetch transport (global `fetch`,
//! so one code path serves window, Web Worker and Node 20+) in WebAssembly, and any in-process
//! transport in native code (the sandbox's, or a recording one in tests). A transport also owns
//! time (sleep and clock), so tests can run retries and rate limits on a virtual clock.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A future that need not be `Send` (browser futures are not).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// One HTTP request, fully formed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why no response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    Network(String),
    Timeout,
}

/// Sends requests and keeps time.
pub trait Transport {
    /// Send one request; `timeout` bounds the whole exchange.
    fn send(&self, request: HttpRequest, timeout: Duration) -> LocalFuture<'_, Result<HttpResponse, TransportError>>;
    /// Wait, without blocking the thread.
    fn sleep(&self, duration: Duration) -> LocalFuture<'_, ()>;
    /// Milliseconds on a monotonic clock.
    fn now_ms(&self) -> f64;
}

#[cfg(target_arch = "wasm32")]
pub use fetch::FetchTransport;

#[cfg(target_arch = "wasm32")]
mod fetch {
    use super::*;
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// Calls the global `fetch` (window, worker or Node 20+), with timeouts via `AbortController`.
    #[derive(Debug, Default, Clone, Copy)]
    pub struct FetchTransport;

    fn global_function(name: &str) -> Result<Function, TransportError> {
        Reflect::get(&js_sys::global(), &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| TransportError::Network(format!("no global {name}() in this environment")))
    }

    fn set_timeout(callback: &Function, ms: f64) -> JsValue {
        global_function("setTimeout")
            .and_then(|f| {
                f.call2(&JsValue::NULL, callback, &JsValue::from_f64(ms)).map_err(|_| TransportError::Timeout)
            })
            .unwrap_or(JsValue::NULL)
    }

    fn message_of(error: &JsValue) -> String {
        Reflect::get(error, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "fetch failed".into())
    }

    /// One fetch in flight: its controller and its timeout timer. Dropped, it clears the timer
    /// (a pending timer would keep Node running until it fires) and, unless the answer came,
    /// aborts the request: it is cancelled when its future is dropped.
    struct InFlight {
        controller: web_sys::AbortController,
        timer: JsValue,
        answered: bool,
    }

    impl Drop for InFlight {
        fn drop(&mut self) {
            if let Ok(clear) = global_function("clearTimeout") {
                let _ = clear.call1(&JsValue::NULL, &self.timer);
            }
            if !self.answered {
                self.controller.abort();
            }
        }
    }

    async fn exchange(request: HttpRequest, timeout: Duration) -> Result<HttpResponse, TransportError> {
        let init = web_sys::RequestInit::new();
        init.set_method(request.method);
        // API answers hold organization data and the token's view of it: never kept in the
        // browser's HTTP cache, whatever the instance or a proxy on the way says.
        init.set_cache(web_sys::RequestCache::NoStore);
        let headers = web_sys::Headers::new().map_err(|e| TransportError::Network(message_of(&e)))?;
        for (k, v) in &request.headers {
            headers.set(k, v).map_err(|e| TransportError::Network(message_of(&e)))?;
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        let controller = web_sys::AbortController::new().map_err(|e| TransportError::Network(message_of(&e)))?;
        init.set_signal(Some(&controller.signal()));
        let abort = wasm_bindgen::closure::Closure::once_into_js({
            let controller = controller.clone();
            move || controller.abort()
        });
        let timer = set_timeout(abort.unchecked_ref(), timeout.as_millis() as f64);
        // Dropping the future (a page navigated away, a search superseded) aborts the request.
        let mut in_flight = InFlight { controller: controller.clone(), timer, answered: false };
        let fetch = global_function("fetch")?;
        let req = web_sys::Request::new_with_str_and_init(&request.url, &init)
            .map_err(|e| TransportError::Network(message_of(&e)))?;
        let promise: Promise =
            fetch.call1(&JsValue::NULL, &req).map_err(|e| TransportError::Network(message_of(&e)))?.unchecked_into();
        let result = async {
            let response: web_sys::Response = JsFuture::from(promise).await?.unchecked_into();
            let text = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
            let mut headers = Vec::new();
            for name in [
                "retry-after",
                "x-ratelimit-reset",
                "x-ratelimit-limit",
                "x-tfe-version",
                "tfp-api-version",
                "content-type",
            ] {
                if let Ok(Some(value)) = response.headers().get(name) {
                    headers.push((name.to_string(), value));
                }
            }
            Ok::<_, JsValue>(HttpResponse { status: response.status(), headers, body: text })
        }
        .await;
        in_flight.answered = true;
        drop(in_flight);
        result.map_err(|e| {
            if controller.signal().aborted() {
                TransportError::Timeout
            } else {
                TransportError::Network(message_of(&e))
            }
        })
    }

    impl Transport for FetchTransport {
        fn send(
            &self,
            request: HttpRequest,
            timeout: Duration,
        ) -> LocalFuture<'_, Result<HttpResponse, TransportError>> {
            Box::pin(exchange(request, timeout))
        }

        fn sleep(&self, duration: Duration) -> LocalFuture<'_, ()> {
            // Rounded up: timers fire at whole milliseconds, and waking early costs a second timer.
            let ms = (duration.as_secs_f64() * 1000.0).ceil();
            Box::pin(async move {
                let promise = Promise::new(&mut |resolve, _| {
                    set_timeout(&resolve, ms);
                });
                let _ = JsFuture::from(promise).await;
            })
        }

        fn now_ms(&self) -> f64 {
            Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
                .ok()
                .and_then(|p| Reflect::get(&p, &JsValue::from_str("now")).ok().map(|f| (p, f)))
                .and_then(|(p, f)| f.dyn_into::<Function>().ok()?.call0(&p).ok()?.as_f64())
                .unwrap_or_else(js_sys::Date::now)
        }
    }
}
