//! Phone numbers in international (`+44 20 7946 0958`) or North American (`(415) 555-0132`, `415-555-0132`)
//! form, validated against the numbering plans of the `phonenumber` library (national numbers as US numbers).
//! Plain 10-digit numbers are timestamps as often as phones: they need a keyword.

use super::Detector;
use crate::engine::{Number, Sep};
use crate::redact::Style;
use crate::{Category, Confidence};

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "phone_number",
    category: Category::Personal,
    validator: "numbering plan (phonenumber library)",
    description: "Phone numbers, international or North American",
    keywords: &["phone", "tel", "mobile", "cell", "fax", "call", "contact"],
    redaction: Style::Number,
    positive: &[
        "reach me at +44 20 7946 0958 today",
        "office (415) 867-2331",
        "cell: 212-439-8870",
        "phone 4158672331",
    ],
    negative: &["epoch 1700000000", "id 4158672331", "+1 000 000 0000", "ref 123-456-7890"],
};

/// What a candidate turned out to be.
pub(crate) enum Verdict {
    /// A valid number at this confidence.
    Valid(Confidence),
    /// A plain number with no keyword: a column or field name may still support it.
    Unvalidated,
    /// Not a phone number.
    No,
}

/// Grades a numeric candidate; `keyword` says whether a keyword is near, and is asked only when it matters.
pub(crate) fn confirm(n: &Number, keyword: impl FnOnce() -> bool) -> Verdict {
    let len = n.digits.len();
    if !(7..=15).contains(&len) {
        return Verdict::No;
    }
    let nanp = n.shape(&[3, 3, 4]) || (n.shape(&[1, 3, 3, 4]) && n.digits.first() == Some(&b'1'));
    let base = if n.plus {
        Confidence::Likely
    } else if nanp && (n.paren || matches!(n.sep, Sep::Dash | Sep::Dot | Sep::Space)) {
        Confidence::Possible
    } else if n.sep == Sep::None && (len == 10 || (len == 11 && n.digits.first() == Some(&b'1'))) {
        if !keyword() {
            return Verdict::Unvalidated;
        }
        Confidence::Unlikely
    } else {
        return Verdict::No;
    };
    if nanp_plausible(n) && valid(n.text) {
        Verdict::Valid(base)
    } else {
        Verdict::No
    }
}

/// The North American Numbering Plan's own rules, checked before the (much slower) library for numbers read as
/// NANP ones: an area code and an exchange that start with 2-9 and are not N11 service codes.
fn nanp_plausible(n: &Number) -> bool {
    let national = match (n.plus, n.digits) {
        (false, [b'1', rest @ ..]) if rest.len() == 10 => rest,
        (true, [b'1', rest @ ..]) => rest,
        (false, d) => d,
        (true, _) => return true,
    };
    if national.len() != 10 {
        return !n.plus && national.len() != 10;
    }
    let code_ok = |c: &[u8]| c[0] >= b'2' && !(c[1] == b'1' && c[2] == b'1');
    code_ok(&national[..3]) && code_ok(&national[3..6])
}

/// Whether `text` is a valid number of its country's numbering plan (national numbers taken as US ones).
pub(crate) fn valid(text: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(text) else { return false };
    match phonenumber::parse(Some(phonenumber::country::Id::US), s) {
        Ok(number) => phonenumber::is_valid(&number),
        Err(_) => false,
    }
}
