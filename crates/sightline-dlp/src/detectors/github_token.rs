//! GitHub tokens: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and 36 letters or digits, or fine-grained `github_pat_`
//! and 82 more characters.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "github_token",
    category: Category::Credentials,
    validator: "prefix and exact length",
    description: "GitHub personal access, OAuth, app and refresh tokens",
    keywords: &["github", "token", "gh_"],
    redaction: Style::Secret,
    positive: &[
        "GITHUB_TOKEN=ghp_hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES",
        "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",
    ],
    negative: &[
        "ghp_hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rE",
        "ghp_hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rESx",
        "xghp_hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES",
    ],
};

/// Reads a token at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    if before(hay, at).is_some_and(is_word) {
        return None;
    }
    let (body_from, body_len) = if hay[at..].starts_with(b"github_pat_") { (at + 11, 82) } else { (at + 4, 36) };
    let len = super::span_while(hay, body_from, body_len + 1, is_word);
    if len != body_len || (body_len == 36 && hay[body_from..body_from + len].contains(&b'_')) {
        return None;
    }
    Some((at..body_from + len, Confidence::Likely))
}
