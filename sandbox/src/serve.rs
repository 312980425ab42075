//! Serving a router (`tfe-orgs-server`'s app, `tfe-sandbox`'s emulator) on a socket with bounded time and connections per client, over plain
//! HTTP and TLS alike: a slow client (a byte a second) or a thousand stalled connections must not
//! keep the server from answering anyone else.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum_server::accept::{Accept, DefaultAcceptor};
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use axum_server::Handle;
use hyper_util::rt::TokioTimer;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower_http::timeout::RequestBodyTimeoutLayer;

/// Per-client bounds (`--header-timeout`, `--body-timeout`, `--max-connections`).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Limits {
    /// How long a client may take to send a request's head (and how long a connection may sit
    /// idle, before its first request or after an answer) before it is closed.
    #[arg(long = "header-timeout", value_name = "DURATION", default_value = "20s", value_parser = parse_duration)]
    pub header_read: Duration,
    /// How long a client may take to send a request's body.
    #[arg(long = "body-timeout", value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub body: Duration,
    /// Connections open at once; one more is closed at once.
    #[arg(long = "max-connections", value_name = "N", default_value_t = 512)]
    pub max_connections: usize,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{text}: {e} (e.g. 20s, 1m)"))
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_read: Duration::from_secs(20), body: Duration::from_secs(30), max_connections: 512 }
    }
}

/// Serve `router` on `listener` (already bound, non-blocking), over TLS with `tls`, until
/// `handle` shuts it down.
pub async fn serve(
    listener: std::net::TcpListener,
    router: Router,
    tls: Option<rustls::ServerConfig>,
    limits: Limits,
    handle: Handle,
) -> io::Result<()> {
    let router = router.layer(RequestBodyTimeoutLayer::new(limits.body));
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    match tls {
        Some(config) => {
            let acceptor =
                RustlsAcceptor::new(RustlsConfig::from_config(Arc::new(config))).handshake_timeout(limits.header_read);
            let mut server =
                axum_server::from_tcp(listener).acceptor(Capped { inner: acceptor, permits, idle: limits.header_read });
            bound(server.http_builder(), limits);
            server.handle(handle).serve(service).await
        }
        None => {
            let mut server = axum_server::from_tcp(listener).acceptor(Capped {
                inner: DefaultAcceptor,
                permits,
                idle: limits.header_read,
            });
            bound(server.http_builder(), limits);
            server.handle(handle).serve(service).await
        }
    }
}

/// hyper's own timers: without a timer its header-read timeout does not apply at all.
fn bound(builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>, limits: Limits) {
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_read);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.header_read))
        .keep_alive_timeout(limits.header_read);
}

/// An acceptor that holds one permit per open connection (none left: the connection is closed)
/// and closes a connection that keeps the server waiting for `idle` with nothing sent: before its
/// first byte, or after an answer (hyper's header timeout starts only once a head has begun).
#[derive(Clone)]
struct Capped<A> {
    inner: A,
    permits: Arc<Semaphore>,
    idle: Duration,
}

type Accepted<S, V> = Pin<Box<dyn std::future::Future<Output = io::Result<(S, V)>> + Send>>;

impl<A, I, S> Accept<I, S> for Capped<A>
where
    A: Accept<I, S>,
    A::Future: Send + 'static,
    A::Stream: Unpin,
{
    type Stream = Permitted<A::Stream>;
    type Service = A::Service;
    type Future = Accepted<Self::Stream, Self::Service>;

    fn accept(&self, stream: I, service: S) -> Self::Future {
        let permit = self.permits.clone().try_acquire_owned();
        let accepting = self.inner.accept(stream, service);
        let idle = self.idle;
        Box::pin(async move {
            // Dropping `accepting` closes the connection.
            let permit = permit.map_err(|_| io::Error::other("connection limit reached"))?;
            let (stream, service) = accepting.await?;
            let waiting = Some(Box::pin(tokio::time::sleep(idle)));
            Ok((Permitted { inner: stream, _permit: permit, idle, waiting }, service))
        })
    }
}

/// A connection and its permit: the permit returns when the connection closes.
pub struct Permitted<S> {
    inner: S,
    _permit: OwnedSemaphorePermit,
    idle: Duration,
    /// Armed while the server waits for the client (since the connection opened, or since the
    /// last bytes written); disarmed by any byte read.
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Permitted<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() > before => {
                self.waiting = None;
                Poll::Ready(Ok(()))
            }
            Poll::Pending => match self.waiting.as_mut().map(|w| w.as_mut().poll(cx)) {
                Some(Poll::Ready(())) => {
                    Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client sent nothing in time")))
                }
                _ => Poll::Pending,
            },
            other => other,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Permitted<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            let idle = self.idle;
            self.waiting = Some(Box::pin(tokio::time::sleep(idle)));
        }
        written
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            let idle = self.idle;
            self.waiting = Some(Box::pin(tokio::time::sleep(idle)));
        }
        written
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
