//! AWS secret access keys: 40 base64 characters mixing capitals, small letters and digits (so never a SHA-1 hex
//! digest), after a `secret` key name on the same line or in a column named so. AWS's documented example
//! (`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`) and any key containing `EXAMPLE` are never reported.

use super::Detector;
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "aws_secret_access_key",
    category: Category::Credentials,
    validator: "40 mixed base64 characters after a secret key name; documented examples excluded",
    description: "AWS secret access keys",
    keywords: &["aws"],
    redaction: Style::Secret,
    positive: &[
        "aws_secret_access_key = 2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5Kj",
        "{\"SecretAccessKey\": \"2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5Kj\"}",
    ],
    negative: &[
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "secret sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5Kj without a key name",
        "aws_secret_access_key = 2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5KjX",
    ],
};

fn b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'/' || c == b'+'
}

/// Whether `value` has the shape of a secret access key.
pub(crate) fn looks_like_secret(value: &[u8]) -> bool {
    value.len() == 40
        && value.iter().all(|&c| b64(c))
        && value.iter().any(u8::is_ascii_uppercase)
        && value.iter().any(u8::is_ascii_lowercase)
        && value.iter().any(|&c| c.is_ascii_digit() || c == b'/' || c == b'+')
        && memchr::memmem::find(value, b"EXAMPLE").is_none()
}

/// Looks for a key in the 64 bytes after a `secret` keyword ending at `from`, on the same line.
pub(crate) fn confirm_after_keyword(hay: &[u8], from: usize) -> Option<(Range<usize>, Confidence)> {
    let end = (from + 64).min(hay.len());
    let mut p = from;
    while p < end {
        let c = hay[p];
        if c == b'\n' {
            return None;
        }
        if !b64(c) {
            p += 1;
            continue;
        }
        let len = super::span_while(hay, p, 41, b64);
        if len == 40 && !hay.get(p + 40).is_some_and(|&c| b64(c) || c == b'=') && looks_like_secret(&hay[p..p + 40]) {
            return Some((p..p + 40, Confidence::Possible));
        }
        p += len;
    }
    None
}
