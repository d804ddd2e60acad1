//! Google API keys: `AIza` and 35 letters, digits, `_` or `-`.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "google_api_key",
    category: Category::Credentials,
    validator: "prefix and exact length",
    description: "Google API keys",
    keywords: &["google", "api_key", "apikey", "api key", "gcp"],
    redaction: Style::Secret,
    positive: &["maps_key: AIza_799NksnRH9ucAUsdMlHUvTCQCyEZDz-Tdd"],
    negative: &[
        "AIza_799NksnRH9ucAUsdMlHUvTCQCyEZDz-Td",
        "AIza_799NksnRH9ucAUsdMlHUvTCQCyEZDz-Tddd",
        "xAIza_799NksnRH9ucAUsdMlHUvTCQCyEZDz-Tdd",
    ],
};

fn token(c: u8) -> bool {
    is_word(c) || c == b'-'
}

/// Reads a key at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    if before(hay, at).is_some_and(token) {
        return None;
    }
    let len = super::span_while(hay, at + 4, 36, token);
    if len != 35 {
        return None;
    }
    Some((at..at + 39, Confidence::Likely))
}
