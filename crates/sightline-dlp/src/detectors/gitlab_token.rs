//! GitLab tokens: personal (`glpat-`), deploy (`gldt-`), runner (`glrt-`) and pipeline trigger (`glptt-`) tokens
//! with 20 to 64 characters after the prefix.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "gitlab_token",
    category: Category::Credentials,
    validator: "prefix and length",
    description: "GitLab personal, deploy, runner and trigger tokens",
    keywords: &["gitlab", "token"],
    redaction: Style::Secret,
    positive: &["CI_TOKEN: glpat-g6YYZYn9ZhyiA4uoRgna", "token=glrt-g6YYZYn9ZhyiA4uoRgnaXy"],
    negative: &["glpat-short", "xglpat-g6YYZYn9ZhyiA4uoRgna"],
};

fn token(c: u8) -> bool {
    is_word(c) || c == b'-'
}

/// Reads a token at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    if before(hay, at).is_some_and(token) {
        return None;
    }
    let dash = at + memchr::memchr(b'-', hay.get(at..at + 7)?)? + 1;
    let len = super::span_while(hay, dash, 65, token);
    if !(20..=64).contains(&len) {
        return None;
    }
    Some((at..dash + len, Confidence::Likely))
}
