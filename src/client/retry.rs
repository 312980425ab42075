//! Client-side rate limiting (evenly spaced slots under the configured rate) and the retry
//! waits: 429 waits for `Retry-After` / `X-RateLimit-Reset`, other retries back off, every retry
//! bounded (which requests are retried: [`super::Repeat`]).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Duration;

use crate::transport::HttpResponse;

/// Keeps requests under `rate` per second the way the server counts them: at most `rate` actual
/// sends in any sliding window, and sends spaced `1/rate` apart. It records when requests really
/// leave, so a send the event loop delayed cannot squeeze a later one into the server's window.
///
/// The server counts arrivals, not sends, and arrivals jitter (a busy machine, a browser that
/// queues a request behind its connection limit, a proxy between): the window is a second plus
/// [`JITTER_MARGIN_MS`], so sends a second apart may arrive that much closer together and still
/// stay under the rate. After a 429 the budget drops to [`COOLING_SHARE`] of the rate for
/// [`COOLING_MS`] from the latest 429, instead of going back to full speed at once.
/// How much closer together than their sends the server may see requests arrive, unharmed.
pub const JITTER_MARGIN_MS: f64 = 40.0;
/// The share of the rate used while cooling down after a 429, and for how long.
pub const COOLING_SHARE: f64 = 0.8;
pub const COOLING_MS: f64 = 10_000.0;

#[derive(Debug)]
pub struct RateLimiter {
    rate: Cell<f64>,
    window_ms: f64,
    /// Until when (ms) the budget is cooled down after a 429.
    cooling_until_ms: Cell<f64>,
    sent_ms: RefCell<VecDeque<f64>>,
    /// When the next send is due: the previous one's slot plus the interval. Kept on the
    /// schedule rather than on the actual send, so a send a busy event loop delayed by a
    /// millisecond does not push every later one back too (at 100/s those add up to 15%);
    /// the window check still bounds any catching up.
    next_slot_ms: Cell<f64>,
}

impl RateLimiter {
    pub fn new(requests_per_second: f64) -> Self {
        let limiter = RateLimiter {
            rate: Cell::new(30.0),
            window_ms: 1000.0 + JITTER_MARGIN_MS,
            cooling_until_ms: Cell::new(f64::NEG_INFINITY),
            sent_ms: RefCell::new(VecDeque::new()),
            next_slot_ms: Cell::new(f64::NEG_INFINITY),
        };
        limiter.set_rate(requests_per_second);
        limiter
    }

    /// The budget: requests per second.
    pub fn rate(&self) -> f64 {
        self.rate.get()
    }

    /// A new budget (the instance's `X-RateLimit-Limit`), from the next send on; anything not a
    /// positive number is ignored.
    pub fn set_rate(&self, requests_per_second: f64) {
        if requests_per_second.is_finite() && requests_per_second > 0.0 {
            self.rate.set(requests_per_second);
        }
    }

    /// The server refused a request for the rate at `now_ms`: run at [`COOLING_SHARE`] of the
    /// budget until [`COOLING_MS`] after it (a later 429 extends it).
    pub fn slow_down(&self, now_ms: f64) {
        self.cooling_until_ms.set(now_ms + COOLING_MS);
    }

    /// Whether the budget is cooled down at `now_ms`.
    pub fn cooling(&self, now_ms: f64) -> bool {
        now_ms < self.cooling_until_ms.get()
    }

    /// How long to wait before sending at `now_ms`; `Duration::ZERO` means send now, and the
    /// send is recorded. Call again after waiting.
    pub fn try_send(&self, now_ms: f64) -> Duration {
        let mut sent = self.sent_ms.borrow_mut();
        while sent.front().is_some_and(|t| now_ms - t >= self.window_ms) {
            sent.pop_front();
        }
        let rate = if self.cooling(now_ms) { self.rate.get() * COOLING_SHARE } else { self.rate.get() };
        let capacity = (rate.floor() as usize).max(1);
        let interval = 1000.0 / rate;
        let spacing = self.next_slot_ms.get() - now_ms;
        // After a lower budget, the oldest sends that still count are the last `capacity`.
        let window = if sent.len() >= capacity { sent[sent.len() - capacity] + self.window_ms - now_ms } else { 0.0 };
        let wait = spacing.max(window);
        if wait > 0.0 {
            // Never a zero wait for a send not recorded (a wait shorter than a nanosecond).
            return Duration::from_secs_f64(wait / 1000.0).max(Duration::from_micros(1));
        }
        sent.push_back(now_ms);
        // On schedule, a late send (by up to half an interval) keeps the schedule; after an idle
        // spell (or the first send) the schedule starts again from now.
        let due = self.next_slot_ms.get();
        self.next_slot_ms.set(if now_ms - due > interval * 0.5 { now_ms + interval } else { due + interval });
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

/// How one attempt at a request ended, as the retry rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An answer with this status (and, for a 429, the wait the server asked for).
    Answered { status: u16, server_wait: Option<Duration> },
    /// No answer: a network error or a timeout.
    NoAnswer,
}

/// Where a request stands after some attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attempts {
    /// Retries made so far.
    pub retries: u32,
    /// A write whose answer was lost (a 5xx, none at all): it may have been applied.
    pub lost: bool,
}

/// What `send` does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A 2xx: the answer.
    Done,
    /// Send again after this wait.
    Retry(Duration),
    /// A delete answered 404 after an earlier answer was lost: that attempt deleted it.
    AlreadyDone,
    /// A write's answer was lost and it will not be sent again: it may have been applied.
    OutcomeUnknown,
    /// The answer (or its absence) is the error.
    Fail,
}

/// The retry rule, without I/O: after `attempts`, an attempt of a request that repeats as
/// `repeat` (a `write` unless it is a GET) ended in `outcome`. `backoff` is the wait when the
/// server names none; at most `max_retries` retries. Returns the next step and the attempts
/// after it.
pub fn next_step(
    repeat: super::Repeat,
    write: bool,
    max_retries: u32,
    attempts: Attempts,
    outcome: Outcome,
    backoff: Duration,
) -> (Step, Attempts) {
    use super::Repeat;
    let answer_lost = !matches!(outcome, Outcome::Answered { status, .. } if status < 500);
    let retry_in = match outcome {
        Outcome::Answered { status: 200..=299, .. } => return (Step::Done, attempts),
        Outcome::Answered { status: 404, .. } if repeat == Repeat::Delete && attempts.lost => {
            return (Step::AlreadyDone, attempts)
        }
        // A 429 was not processed, so even a create may be sent again.
        Outcome::Answered { status: 429, server_wait } => Some(server_wait.unwrap_or(backoff)),
        _ if answer_lost && repeat != Repeat::Once => Some(backoff),
        _ => None,
    };
    let after = Attempts { lost: attempts.lost || (answer_lost && write), ..attempts };
    match retry_in {
        Some(wait) if attempts.retries < max_retries => {
            (Step::Retry(wait), Attempts { retries: attempts.retries + 1, ..after })
        }
        _ if answer_lost && after.lost => (Step::OutcomeUnknown, after),
        _ => (Step::Fail, after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Repeat;

    const WAIT: Duration = Duration::from_millis(100);

    fn step(repeat: Repeat, write: bool, attempts: Attempts, outcome: Outcome) -> (Step, Attempts) {
        next_step(repeat, write, 2, attempts, outcome, WAIT)
    }

    fn status(status: u16) -> Outcome {
        Outcome::Answered { status, server_wait: None }
    }

    #[test]
    fn a_late_send_does_not_push_the_later_ones_back() {
        let limiter = RateLimiter::new(100.0);
        assert_eq!(limiter.try_send(0.0), Duration::ZERO);
        // Due at 10; the event loop ran it at 11: the next is still due at 20, not 21.
        assert_eq!(limiter.try_send(11.0), Duration::ZERO);
        assert_eq!(limiter.try_send(20.0), Duration::ZERO);
        assert!(limiter.try_send(25.0) > Duration::ZERO, "never faster than the rate");
        // After an idle spell the schedule starts again: no burst to catch up.
        assert_eq!(limiter.try_send(1000.0), Duration::ZERO);
        assert_eq!(limiter.try_send(1005.0), Duration::from_millis(5));
    }

    /// At most `rate` sends in any window of a second plus the margin, however the sends come.
    fn most_in_a_window(sends: &[f64], window: f64) -> usize {
        sends
            .iter()
            .map(|start| sends.iter().filter(|t| **t >= *start && **t < start + window).count())
            .max()
            .unwrap_or(0)
    }

    /// Send as fast as the limiter allows from `from` to `to` (ms); the send times.
    fn flat_out(limiter: &RateLimiter, from: f64, to: f64) -> Vec<f64> {
        let (mut now, mut sends) = (from, Vec::new());
        while now < to {
            let wait = limiter.try_send(now);
            if wait.is_zero() {
                sends.push(now);
            } else {
                now += wait.as_secs_f64() * 1000.0;
            }
        }
        sends
    }

    #[test]
    fn sends_leave_room_for_arrivals_that_jitter() {
        let limiter = RateLimiter::new(30.0);
        let sends = flat_out(&limiter, 0.0, 10_000.0);
        // Arrivals up to the margin closer together than the sends still count at most 30 a second.
        assert!(most_in_a_window(&sends, 1000.0 + JITTER_MARGIN_MS) <= 30);
        // And the margin costs no more than its share: over 28 a second on average.
        let rate = sends.len() as f64 / 10.0;
        assert!(rate > 28.0 && rate <= 30.0, "{rate} per second");
    }

    #[test]
    fn after_a_429_the_rate_stays_lower_for_a_while_then_recovers() {
        let limiter = RateLimiter::new(30.0);
        flat_out(&limiter, 0.0, 2_000.0);
        limiter.slow_down(2_000.0);
        let cooled = flat_out(&limiter, 3_000.0, 9_000.0);
        let cooled_rate = cooled.len() as f64 / 6.0;
        assert!(cooled_rate <= 30.0 * COOLING_SHARE + 0.5, "cooling: {cooled_rate} per second");
        assert!(limiter.cooling(11_999.0) && !limiter.cooling(12_000.0));
        let recovered = flat_out(&limiter, 14_000.0, 20_000.0);
        assert!(recovered.len() as f64 / 6.0 > 28.0, "back to full speed after the cooling");
    }

    #[test]
    fn answers_end_the_request_and_failures_are_retried_within_the_budget() {
        let start = Attempts::default();
        assert_eq!(step(Repeat::Safe, false, start, status(200)).0, Step::Done);
        assert_eq!(step(Repeat::Safe, false, start, status(422)).0, Step::Fail, "a refusal is final");
        assert_eq!(
            step(Repeat::Safe, false, start, status(503)),
            (Step::Retry(WAIT), Attempts { retries: 1, lost: false })
        );
        let spent = Attempts { retries: 2, lost: false };
        assert_eq!(step(Repeat::Safe, false, spent, Outcome::NoAnswer).0, Step::Fail, "a read out of retries fails");
    }

    #[test]
    fn a_429_waits_as_the_server_asks_and_is_retried_even_for_a_create() {
        let asked = Outcome::Answered { status: 429, server_wait: Some(Duration::from_secs(3)) };
        assert_eq!(step(Repeat::Once, true, Attempts::default(), asked).0, Step::Retry(Duration::from_secs(3)));
        assert_eq!(step(Repeat::Once, true, Attempts::default(), status(429)).0, Step::Retry(WAIT));
        let spent = Attempts { retries: 2, lost: false };
        assert_eq!(step(Repeat::Safe, true, spent, status(429)).0, Step::Fail, "429 out of retries: rate-limited");
    }

    #[test]
    fn a_lost_answer_is_never_resent_for_a_create_and_is_unknown_when_it_ends() {
        let (first, after) = step(Repeat::Once, true, Attempts::default(), status(502));
        assert_eq!((first, after.lost), (Step::OutcomeUnknown, true));
        let (safe, after) = step(Repeat::Safe, true, Attempts::default(), Outcome::NoAnswer);
        assert_eq!((safe, after), (Step::Retry(WAIT), Attempts { retries: 1, lost: true }));
        let spent = Attempts { retries: 2, lost: true };
        assert_eq!(step(Repeat::Safe, true, spent, status(503)).0, Step::OutcomeUnknown);
        // A read's lost answer changed nothing: out of retries, it is the error itself.
        assert_eq!(step(Repeat::Safe, false, Attempts { retries: 2, lost: false }, status(503)).0, Step::Fail);
    }

    #[test]
    fn a_delete_whose_first_answer_was_lost_is_done_on_404() {
        let lost = Attempts { retries: 1, lost: true };
        assert_eq!(step(Repeat::Delete, true, lost, status(404)).0, Step::AlreadyDone);
        assert_eq!(step(Repeat::Delete, true, Attempts::default(), status(404)).0, Step::Fail, "404 first: not found");
        // A write refused after an earlier lost answer: the refusal is the answer.
        assert_eq!(step(Repeat::Safe, true, lost, status(422)).0, Step::Fail);
    }
}
