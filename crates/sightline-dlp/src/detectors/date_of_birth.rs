//! Dates of birth: a calendar date (`1984-03-09`, `09/03/1984`, `09.03.1984`) between 1900 and 2030 is reported
//! only with a keyword such as `dob`, `born` or `date of birth` before it, or in its column or field name: dates
//! alone are everywhere.

use super::Detector;
use crate::engine::{Number, Sep};
use crate::redact::Style;
use crate::validate::birth_date;
use crate::{Category, Confidence};

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "date_of_birth",
    category: Category::Personal,
    validator: "calendar date, year 1900-2030, keyword required",
    description: "Dates of birth (a date near a birth keyword)",
    keywords: &["birth", "dob", "d.o.b", "born", "birthday"],
    redaction: Style::Number,
    positive: &["DOB: 1984-03-09", "born on 09/03/1984 in Leeds", "date of birth 31.12.1999"],
    negative: &["released 1984-03-09", "dob 1984-13-09", "dob 1850-01-01", "born 2024-01-15T10:30:00Z"],
};

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |acc, c| acc * 10 + u32::from(c.wrapping_sub(b'0')))
}

/// Grades a numeric candidate: a valid date at `unlikely`, which a keyword raises to `likely`.
pub(crate) fn confirm(n: &Number) -> Option<Confidence> {
    if n.plus || n.paren || !matches!(n.sep, Sep::Dash | Sep::Slash | Sep::Dot) {
        return None;
    }
    let d = n.digits;
    let ok = if n.shape(&[4, 2, 2]) {
        birth_date(num(&d[..4]), num(&d[4..6]), num(&d[6..]))
    } else if n.shape(&[2, 2, 4]) {
        let year = num(&d[4..]);
        birth_date(year, num(&d[..2]), num(&d[2..4])) || birth_date(year, num(&d[2..4]), num(&d[..2]))
    } else {
        false
    };
    ok.then_some(Confidence::Unlikely)
}
