//! AWS access key ids: `AKIA` (long-term), `ASIA` (temporary), `ABIA`, `ACCA` and 16 more capitals or digits.
//! AWS's documented example keys (ending in `EXAMPLE`) are never reported.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "aws_access_key_id",
    category: Category::Credentials,
    validator: "prefix, length 20, alphabet; documented examples excluded",
    description: "AWS access key ids",
    keywords: &["aws", "access_key", "access key", "accesskey", "key_id", "key id"],
    redaction: Style::Secret,
    positive: &["aws_access_key_id = AKIAUJZDEGXDNCF32EPF", "key ASIAUJZDEGXDNCF32EPF,"],
    negative: &[
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "AKIAUJZDEGXDNCF32EP",
        "xAKIAUJZDEGXDNCF32EPF",
        "AKIAUJZDEGXDNCF32EPFX",
        "AKIAujzdegxdncf32epf",
    ],
};

/// Reads a key id at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    let key = hay.get(at..at + 20)?;
    if before(hay, at).is_some_and(is_word)
        || hay.get(at + 20).is_some_and(|&c| is_word(c))
        || !key[4..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        || key.ends_with(b"EXAMPLE")
    {
        return None;
    }
    Some((at..at + 20, Confidence::Likely))
}
