//! Slack tokens: `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-`, `xoxe-` followed by dash-separated digits and letters.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "slack_token",
    category: Category::Credentials,
    validator: "prefix, dash-separated parts with digits",
    description: "Slack bot, user, app and refresh tokens",
    keywords: &["slack", "token"],
    redaction: Style::Secret,
    positive: &["SLACK_BOT_TOKEN=xoxb-2417385502-5923344812-Zk3pQvL9mXr2Tb8wYc4NfE1h"],
    negative: &["xoxb-short", "xoxb-abcdefghijklmnop", "axoxb-2417385502-5923344812-Zk3pQvL9mXr2Tb8wYc4NfE1h"],
};

fn token(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// Reads a token at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    if before(hay, at).is_some_and(is_word) {
        return None;
    }
    let body_from = at + 5;
    let len = super::span_while(hay, body_from, 200, token);
    let body = &hay[body_from..body_from + len];
    let dashes = body.iter().filter(|&&c| c == b'-').count();
    let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
    if len < 20 || dashes < 2 || digits < 8 || hay.get(body_from + len).is_some_and(|&c| is_word(c)) {
        return None;
    }
    Some((at..body_from + len, Confidence::Likely))
}
