//! Client-side rate limiting (evenly spaced slots under the configured rate) and the retry
//! policy: 429 waits for `Retry-After` / `X-RateLimit-Reset`, 5xx and network errors are retried
//! only for idempotent methods, every retry bounded.

use std::cell::Cell;
use std::time::Duration;

use crate::transport::HttpResponse;

/// Spaces requests `1/rate` apart: never more than `rate` in any one-second window, so TFE's
/// 30 requests/second is not exceeded even with several pages in flight.
#[derive(Debug)]
pub struct RateLimiter {
    interval_ms: f64,
    next_slot_ms: Cell<f64>,
}

impl RateLimiter {
    pub fn new(requests_per_second: f64) -> Self {
        let rate =
            if requests_per_second.is_finite() && requests_per_second > 0.0 { requests_per_second } else { 30.0 };
        RateLimiter { interval_ms: 1000.0 / rate, next_slot_ms: Cell::new(f64::NEG_INFINITY) }
    }

    /// Reserve the next slot; how long to wait before using it.
    pub fn reserve(&self, now_ms: f64) -> Duration {
        let slot = self.next_slot_ms.get().max(now_ms);
        self.next_slot_ms.set(slot + self.interval_ms);
        Duration::from_secs_f64((slot - now_ms).max(0.0) / 1000.0)
    }
}

/// Whether a method may be sent twice without changing the outcome.
pub fn is_idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "PATCH" | "PUT" | "DELETE")
}

/// Seconds from `Retry-After` or `X-RateLimit-Reset` (possibly fractional); `None` when absent
/// or malformed (negative, not a number, absurdly large).
pub fn server_wait(response: &HttpResponse) -> Option<Duration> {
    ["retry-after", "x-ratelimit-reset"].iter().find_map(|name| {
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
