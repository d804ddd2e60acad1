//! ABA routing transit numbers: 9 digits with a Federal Reserve prefix and the 3-7-1 checksum. One random 9-digit
//! number in ten passes the checksum, so only a keyword (`routing`, `ABA:`) makes one reportable.

use super::Detector;
use crate::engine::{Number, Sep};
use crate::redact::Style;
use crate::validate::aba_routing;
use crate::{Category, Confidence};

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "aba_routing",
    category: Category::Financial,
    validator: "Federal Reserve prefix, 3-7-1 checksum",
    description: "US bank routing (ABA) numbers",
    keywords: &["routing", "aba:", "aba #", "aba no", "aba number", "rtn", "transit"],
    redaction: Style::Number,
    positive: &["routing number 021000021", "ABA: 011000015, account 12345"],
    negative: &["routing number 021000022", "id 021000021", "routing 991000021"],
};

/// Grades a numeric candidate.
pub(crate) fn confirm(n: &Number) -> Option<Confidence> {
    if n.plus || n.paren || n.sep != Sep::None || !aba_routing(n.digits) {
        return None;
    }
    Some(Confidence::Unlikely)
}
