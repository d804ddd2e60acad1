//! US Social Security numbers: `AAA-GG-SSSS` (or 9 plain digits, which need a keyword), with the SSA's rules:
//! no area 000, 666 or 900-999, no group 00, no serial 0000.

use super::Detector;
use crate::engine::{Number, Sep};
use crate::redact::Style;
use crate::validate::us_ssn;
use crate::{Category, Confidence};

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "us_ssn",
    category: Category::Personal,
    validator: "SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000",
    description: "US Social Security numbers",
    keywords: &["ssn", "social security", "social sec", "ss#", "ss #", "ss no"],
    redaction: Style::Number,
    positive: &["SSN: 123-45-6789", "employee 536-90-4399 joined", "ssn 536904399"],
    negative: &[
        "ssn 000-12-3456",
        "ssn 666-12-3456",
        "ssn 912-34-5678",
        "ssn 123-00-4567",
        "ssn 123-45-0000",
        "ref 536904399",
        "part 123-45-6789-01",
    ],
};

/// Grades a numeric candidate.
pub(crate) fn confirm(n: &Number) -> Option<Confidence> {
    if n.plus || n.paren || !us_ssn(n.digits) {
        return None;
    }
    match n.sep {
        Sep::Dash if n.shape(&[3, 2, 4]) => Some(Confidence::Possible),
        Sep::Space if n.shape(&[3, 2, 4]) => Some(Confidence::Unlikely),
        Sep::None => Some(Confidence::Unlikely),
        _ => None,
    }
}
