//! International Bank Account Numbers: a country of the IBAN registry, that country's exact length, compact or
//! in groups of four, and the ISO 7064 mod 97-10 check.

use super::{before, is_word, Detector};
use crate::redact::Style;
use crate::validate::{iban, iban_length};
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "iban",
    category: Category::Financial,
    validator: "country length table, mod 97",
    description: "International Bank Account Numbers",
    keywords: &["iban", "account", "bank", "acct"],
    redaction: Style::Number,
    positive: &[
        "IBAN DE89 3704 0044 0532 0130 00 (Berlin)",
        "pay to GB82WEST12345698765432.",
        "NL91 ABNA 0417 1643 00",
    ],
    negative: &[
        "IBAN DE89 3704 0044 0532 0130 01",
        "XX89370400440532013000",
        "DE8937040044053201300",
        "ADE89370400440532013000",
    ],
};

/// Reads an IBAN whose country code starts at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    let head = hay.get(at..at + 4)?;
    if !head[0].is_ascii_uppercase() || !head[1].is_ascii_uppercase() || before(hay, at).is_some_and(is_word) {
        return None;
    }
    let len = iban_length(&head[..2])?;
    let mut compact = [0u8; 34];
    let mut n = 0;
    let mut pos = at;
    let mut group = 0;
    let mut spaced = false;
    while n < len {
        let c = *hay.get(pos)?;
        if c.is_ascii_uppercase() || c.is_ascii_digit() {
            if spaced && group == 4 {
                return None;
            }
            compact[n] = c;
            n += 1;
            group += 1;
            pos += 1;
        } else if c == b' ' && group == 4 && (spaced || n == 4) {
            spaced = true;
            group = 0;
            pos += 1;
        } else {
            return None;
        }
    }
    if hay.get(pos).is_some_and(|&c| is_word(c)) || !iban(&compact[..n]) {
        return None;
    }
    Some((at..pos, Confidence::Likely))
}
