//! US Individual Taxpayer Identification Numbers: `9XX-GG-XXXX` with the group in 50-65, 70-88, 90-92 or 94-99.

use super::Detector;
use crate::engine::{Number, Sep};
use crate::redact::Style;
use crate::validate::us_itin;
use crate::{Category, Confidence};

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "us_itin",
    category: Category::Personal,
    validator: "IRS ranges: 9XX, group 50-65, 70-88, 90-92, 94-99",
    description: "US Individual Taxpayer Identification Numbers",
    keywords: &["itin", "taxpayer", "tax id", "tin"],
    redaction: Style::Number,
    positive: &["ITIN 912-70-1234 on the W-7", "filer 987-94-1111 (foreign)"],
    negative: &["itin 912-93-1234", "itin 912-89-1234", "itin 812-70-1234", "itin 912701234x"],
};

/// Grades a numeric candidate.
pub(crate) fn confirm(n: &Number) -> Option<Confidence> {
    if n.plus || n.paren || !us_itin(n.digits) {
        return None;
    }
    match n.sep {
        Sep::Dash if n.shape(&[3, 2, 4]) => Some(Confidence::Possible),
        Sep::Space if n.shape(&[3, 2, 4]) => Some(Confidence::Unlikely),
        Sep::None => Some(Confidence::Unlikely),
        _ => None,
    }
}
