//! Client-side rate limiting (evenly spaced slots under the configured rate) and the retry
//! waits: 429 waits for `Retry-After` / `X-RateLimit-Reset`, other retries back off, every retry
//! bounded (which requests are retried: [`super::Repeat`]).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::Duration;

use crate::transport::HttpResponse;

/// Keeps requests under `rate` per second the way the server counts them: at most `rate` actual
/// sends in any sliding window (1 s plus a 2% margin for arrival jitter: a busy event loop delays some sends more than others), and sends spaced
/// `1/rate` apart. It records when requests really leave, so a send the event loop delayed
/// cannot squeeze a later one into the server's window.
#[derive(Debug)]
pub struct RateLimiter {
    interval_ms: f64,
    window_ms: f64,
    capacity: usize,
    sent_ms: RefCell<VecDeque<f64>>,
}

impl RateLimiter {
    pub fn new(requests_per_second: f64) -> Self {
        let rate =
            if requests_per_second.is_finite() && requests_per_second > 0.0 { requests_per_second } else { 30.0 };
        RateLimiter {
            interval_ms: 1000.0 / rate,
            window_ms: 1020.0,
            capacity: (rate.floor() as usize).max(1),
            sent_ms: RefCell::new(VecDeque::new()),
        }
    }

    /// How long to wait before sending at `now_ms`; `Duration::ZERO` means send now, and the
    /// send is recorded. Call again after waiting.
    pub fn try_send(&self, now_ms: f64) -> Duration {
        let mut sent = self.sent_ms.borrow_mut();
        while sent.front().is_some_and(|t| now_ms - t >= self.window_ms) {
            sent.pop_front();
        }
        let spacing = sent.back().map_or(0.0, |last| last + self.interval_ms - now_ms);
        let window = if sent.len() >= self.capacity { sent[0] + self.window_ms - now_ms } else { 0.0 };
        let wait = spacing.max(window);
        if wait > 0.0 {
            return Duration::from_secs_f64(wait / 1000.0);
        }
        sent.push_back(now_ms);
        Duration::ZERO
    }
}

/// Seconds from `X-RateLimit-Reset` (fractional, so the precise one: TFE sends e.g. `0.041`)
/// or else `Retry-After` (whole seconds); `None` when absent or malformed (negative, not a
/// number, absurdly large). Preferring the precise header makes a 429 cost milliseconds, not
/// the second `Retry-After` rounds up to.
pub fn server_wait(response: &HttpResponse) -> Option<Duration> {
    ["x-ratelimit-reset", "retry-after"].iter().find_map(|name| {
        let seconds: f64 = response.header(name)?.trim().parse().ok()?;
        (seconds.is_finite() && (0.0..=3600.0).contains(&seconds)).then(|| Duration::from_secs_f64(seconds))
    })
}

/// Exponential backoff with jitter: `base * 2^attempt`, scaled by a factor in `[0.5, 1.0)`.
pub fn backoff(attempt: u32, base: Duration, jitter_seed: f64) -> Duration {
    let mut x = (jitter_seed.to_bits() ^ u64::from(attempt).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    let fraction = 0.5 + (x >> 11) as f64 / (1u64 << 53) as f64 / 2.0;
    base.mul_f64(2f64.powi(attempt.min(10) as i32) * fraction)
}
