//! Stripe secret and restricted keys: `sk_live_`, `rk_live_` (and their `_test_` forms, at a lower confidence)
//! followed by 24 to 99 letters and digits. Publishable keys (`pk_`) are public and not reported.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "stripe_key",
    category: Category::Credentials,
    validator: "prefix and length",
    description: "Stripe secret and restricted API keys",
    keywords: &["stripe"],
    redaction: Style::Secret,
    positive: &["STRIPE_KEY=sk_live_KjIg8xNbe3nNyjOq9wMxEhh2", "rk_test_KjIg8xNbe3nNyjOq9wMxEhh2"],
    negative: &["pk_live_KjIg8xNbe3nNyjOq9wMxEhh2", "sk_live_short", "xsk_live_KjIg8xNbe3nNyjOq9wMxEhh2"],
};

/// Reads a key at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    if before(hay, at).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let live = hay.get(at + 3..at + 7) == Some(b"live");
    let body_from = at + 8;
    let len = super::span_while(hay, body_from, 100, |c| c.is_ascii_alphanumeric());
    if !(24..=99).contains(&len) || hay.get(body_from + len).is_some_and(|&c| is_word(c)) {
        return None;
    }
    Some((at..body_from + len, if live { Confidence::Likely } else { Confidence::Possible }))
}
