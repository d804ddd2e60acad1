//! JSON Web Tokens: three base64url parts; the first must decode to a JSON object with an `alg` member.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use base64::Engine as _;
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "jwt",
    category: Category::Credentials,
    validator: "header decodes to JSON with \"alg\"",
    description: "JSON Web Tokens",
    keywords: &["bearer", "token", "jwt", "authorization"],
    redaction: Style::Secret,
    positive: &[
        "Authorization: Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1LTQ4MjEiLCJleHAiOjE5MDAwMDAwMDB9.EqV8ib8HDy88YtDtXbiufMdI8X2Y4rUmer-BH3M1XS0",
    ],
    negative: &[
        "eyJ0eXAiOiJ4In0.eyJzdWIiOiJ1LTQ4MjEiLCJleHAiOjE5MDAwMDAwMDB9.EqV8ib8HDy88YtDtXbiufMdI8X2Y4rUmer-BH3M1XS0",
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0",
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn.eyJzdWIiOiJ1LTQ4MjEiLCJleHAiOjE5MDAwMDAwMDB9.abc",
    ],
};

fn b64url(c: u8) -> bool {
    is_word(c) || c == b'-'
}

/// Reads a token at `at` (its `eyJ`).
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    if before(hay, at).is_some_and(b64url) {
        return None;
    }
    let header_len = super::span_while(hay, at, 1024, b64url);
    let dot1 = at + header_len;
    if hay.get(dot1) != Some(&b'.') {
        return None;
    }
    let payload_len = super::span_while(hay, dot1 + 1, 4096, b64url);
    let dot2 = dot1 + 1 + payload_len;
    if payload_len < 4 || hay.get(dot2) != Some(&b'.') {
        return None;
    }
    let sig_len = super::span_while(hay, dot2 + 1, 1024, b64url);
    let end = dot2 + 1 + sig_len;
    if hay.get(end).is_some_and(|&c| b64url(c) || c == b'.') {
        return None;
    }
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&hay[at..dot1]).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&header).ok()?;
    value.get("alg")?.as_str()?;
    Some((at..end, if sig_len > 0 { Confidence::Likely } else { Confidence::Possible }))
}
