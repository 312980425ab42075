//! Fault injection: latency, a per-token request rate beyond which requests get 429, a seeded
//! fraction of 5xx before processing, a seeded fraction of writes applied and then answered
//! 502/503 or cut off ("applied, then lost"), and malformed (truncated) bodies.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct Faults {
    /// Added before every API response.
    pub latency_ms: u64,
    /// Requests per second per token; beyond it, 429 with `Retry-After` and `X-RateLimit-Reset`.
    pub rate_limit: Option<u32>,
    /// Fraction (0..=1) of admitted requests answered 503 without being processed.
    pub error_rate: f64,
    /// Fraction (0..=1) of processed responses whose body is cut in half.
    pub malformed_rate: f64,
    /// Fraction (0..=1) of successful writes that are applied (and persisted) and whose answer
    /// is then lost: a 502 or 503 as a proxy sends it, or a connection cut mid-answer.
    pub lost_rate: f64,
    /// Seed of the fault generator, so a run can be repeated.
    pub seed: u64,
    /// How many 429s were answered (read-only: reported by `GET /_sandbox/faults`).
    #[serde(skip_deserializing)]
    pub rate_limited: u64,
    /// How many 5xx were injected before processing (read-only).
    #[serde(skip_deserializing)]
    pub injected_errors: u64,
    /// How many applied writes had their answer lost (read-only).
    #[serde(skip_deserializing)]
    pub lost_answers: u64,
    /// Per token, keyed by its SHA-256: a window costs the same whatever the token's length.
    #[serde(skip)]
    windows: HashMap<TokenKey, VecDeque<Instant>>,
    /// When the idle windows were last swept out.
    #[serde(skip)]
    swept: Option<Instant>,
    /// Seeded from `seed` on first use.
    #[serde(skip)]
    rng: Option<fastrand::Rng>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            rate_limit: None,
            error_rate: 0.0,
            malformed_rate: 0.0,
            lost_rate: 0.0,
            seed: 1,
            rate_limited: 0,
            injected_errors: 0,
            lost_answers: 0,
            windows: HashMap::new(),
            swept: None,
            rng: None,
        }
    }
}

/// How the answer of an applied write is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// A gateway's 502 or 503 instead of the answer.
    Status(u16),
    /// The connection is cut after the status line: the body never completes.
    Cut,
}

/// TFE's rate limit when none is configured: 30 requests per second per token.
pub const TFE_RATE_LIMIT: u32 = 30;

/// What the `X-RateLimit-*` headers of one answer say: the limit, what is left of it in the
/// current one-second window, and the seconds until that window frees a slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateState {
    pub limit: u32,
    pub remaining: u32,
    pub reset: f64,
}

pub enum Verdict {
    RateLimited { retry_after: f64 },
    ServerError,
    Pass { malformed: bool },
}

/// Rate windows kept before a flood resets the count.
const MAX_WINDOWS: usize = 1024;

/// A rate window's key: the token's SHA-256 (the token itself is never kept).
type TokenKey = [u8; 32];

fn token_key(token: &str) -> TokenKey {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).into()
}

impl Faults {
    fn next_fraction(&mut self) -> f64 {
        let seed = self.seed;
        self.rng.get_or_insert_with(|| fastrand::Rng::with_seed(seed)).f64()
    }

    /// Decide what happens to one request of `token`, and what its rate limit headers say.
    /// Requests are counted per token whether or not a limit is enforced, so the headers tell
    /// the truth either way (the limit shown is TFE's 30 when none is set).
    pub fn admit(&mut self, token: &str) -> (Verdict, RateState) {
        let now = Instant::now();
        let limit = self.rate_limit.unwrap_or(TFE_RATE_LIMIT);
        // Any text is a token to count: windows that hold nothing from the last second go (at
        // most once a second, and whenever the map is full), so neither a flood of made-up
        // tokens nor one of long ones grows memory.
        let sweep_due = self.swept.is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1));
        if sweep_due || self.windows.len() >= MAX_WINDOWS {
            self.windows.retain(|_, w| w.back().is_some_and(|t| now.duration_since(*t) < Duration::from_secs(1)));
            self.windows.shrink_to(MAX_WINDOWS.min(self.windows.len() * 2));
            self.swept = Some(now);
            // More live tokens than that in one second is a flood: the count starts again.
            if self.windows.len() >= MAX_WINDOWS {
                self.windows.clear();
            }
        }
        let window = self.windows.entry(token_key(token)).or_default();
        while window.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
            window.pop_front();
        }
        let until_free = |w: &VecDeque<Instant>| {
            w.front().map_or(0.0, |oldest| (Duration::from_secs(1) - now.duration_since(*oldest)).as_secs_f64())
        };
        if self.rate_limit.is_some() && window.len() >= limit as usize {
            // A limit of 0 refuses everything: try again in a second.
            let retry_after = if limit == 0 { 1.0 } else { until_free(window) };
            self.rate_limited += 1;
            return (Verdict::RateLimited { retry_after }, RateState { limit, remaining: 0, reset: retry_after });
        }
        window.push_back(now);
        let state =
            RateState { limit, remaining: limit.saturating_sub(window.len() as u32), reset: until_free(window) };
        if self.error_rate > 0.0 && self.next_fraction() < self.error_rate {
            self.injected_errors += 1;
            return (Verdict::ServerError, state);
        }
        let malformed = self.malformed_rate > 0.0 && self.next_fraction() < self.malformed_rate;
        (Verdict::Pass { malformed }, state)
    }

    /// Whether the answer of a write that was just applied is lost, and how.
    pub fn lose(&mut self) -> Option<Loss> {
        if self.lost_rate <= 0.0 || self.next_fraction() >= self.lost_rate {
            return None;
        }
        self.lost_answers += 1;
        Some(match self.rng.as_mut().expect("seeded by next_fraction").u8(0..3) {
            0 => Loss::Status(502),
            1 => Loss::Status(503),
            _ => Loss::Cut,
        })
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    #[test]
    fn idle_rate_windows_are_evicted() {
        let mut faults = Faults::default();
        for i in 0..3 * MAX_WINDOWS {
            faults.admit(&format!("made-up-{i}"));
        }
        assert!(faults.windows.len() <= MAX_WINDOWS, "{} windows: bounded under a flood", faults.windows.len());
        std::thread::sleep(Duration::from_millis(1100));
        faults.admit("one-more");
        assert_eq!(faults.windows.len(), 1, "the idle ones are gone");
    }

    #[test]
    fn long_tokens_cost_a_digest_and_idle_ones_go_below_the_flood_mark() {
        let mut faults = Faults::default();
        // 2,000 requests with distinct 32 KiB tokens, as a probe sends them.
        let long = "t".repeat(32 * 1024);
        for i in 0..2000 {
            faults.admit(&format!("{long}{i}"));
        }
        assert!(faults.windows.len() <= MAX_WINDOWS);
        assert_eq!(std::mem::size_of::<TokenKey>(), 32, "a key is the digest, not the token");
        // A few tokens, then idle: they go at the next sweep, without waiting for a flood.
        let mut faults = Faults::default();
        for i in 0..10 {
            faults.admit(&format!("{long}{i}"));
        }
        assert_eq!(faults.windows.len(), 10);
        std::thread::sleep(Duration::from_millis(1100));
        faults.admit("still-here");
        assert_eq!(faults.windows.len(), 1, "idle windows are evicted once a second");
        // The same token is counted in one window whatever else comes.
        let (_, first) = faults.admit("still-here");
        assert_eq!(first.remaining, TFE_RATE_LIMIT - 2);
    }
}
