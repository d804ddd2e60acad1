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
///
/// The library parses the number; its validity is then decided by [`plan_valid`], which applies the library's own
/// numbering-plan metadata exactly as `phonenumber::is_valid` does, but with patterns compiled once. The library's
/// shared 100-entry pattern cache, behind one lock, cost a third of the scan time; a test compares both on every
/// country's example numbers and their variants.
pub(crate) fn valid(text: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(text) else { return false };
    match phonenumber::parse(Some(phonenumber::country::Id::US), s) {
        Ok(number) => plan_valid(number.country().code(), &number.national().to_string()),
        Err(_) => false,
    }
}

/// `phonenumber::is_valid` for a country calling code and a national number (with its leading zeros).
pub(crate) fn plan_valid(code: u16, national: &str) -> bool {
    let Some(plan) = Plan::for_code(code) else { return false };
    let region = if plan.single {
        plan.regions.first()
    } else {
        // As the library's `source_for`: the first region whose leading digits match, or, for a region without
        // leading digits, whose plan knows the number.
        plan.regions.iter().find(|r| match &r.leading {
            Some(leading) => starts(leading, national),
            None => r.knows(national),
        })
    };
    region.is_some_and(|r| r.parsable && r.knows(national))
}

/// One calling code's regions, in the library's order, with their patterns compiled.
struct Plan {
    /// One region only (the library then skips the leading-digits choice).
    single: bool,
    regions: Vec<Region>,
}

/// One region's numbering plan.
struct Region {
    /// Whether the library can name the region (non-geographic "001" entries are looked up by code instead).
    parsable: bool,
    leading: Option<Regex>,
    general: Pattern,
    /// Premium rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line and mobile.
    kinds: Vec<Pattern>,
}

/// A number-type pattern and the lengths it allows.
struct Pattern {
    regex: Regex,
    lengths: Vec<u16>,
}

use regex_automata::meta::Regex;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

impl Pattern {
    fn new(d: &phonenumber::metadata::Descriptor) -> Option<Pattern> {
        Some(Pattern { regex: compile(d.national_number().as_str())?, lengths: d.possible_length().to_vec() })
    }

    /// As the library's `Descriptor::is_match`: an allowed length and a match at the start.
    fn matches(&self, national: &str) -> bool {
        let len = u16::try_from(national.len()).unwrap_or(u16::MAX);
        (self.lengths.is_empty() || self.lengths.contains(&len)) && starts(&self.regex, national)
    }
}

impl Region {
    /// Whether the library would give the number a type other than unknown in this region.
    fn knows(&self, national: &str) -> bool {
        self.general.matches(national) && self.kinds.iter().any(|k| k.matches(national))
    }
}

impl Plan {
    fn for_code(code: u16) -> Option<Arc<Plan>> {
        static PLANS: OnceLock<RwLock<HashMap<u16, Option<Arc<Plan>>>>> = OnceLock::new();
        let plans = PLANS.get_or_init(Default::default);
        if let Some(plan) = plans.read().ok()?.get(&code) {
            return plan.clone();
        }
        let plan = Plan::build(code).map(Arc::new);
        plans.write().ok()?.insert(code, plan.clone());
        plan
    }

    fn build(code: u16) -> Option<Plan> {
        let db = &*phonenumber::metadata::DATABASE;
        let ids = db.region(&code)?;
        let single = ids.len() == 1;
        let mut regions = Vec::new();
        for id in ids {
            let meta = if single && id == "001" { db.by_code(&code)?.into_iter().next()? } else { db.by_id(id)? };
            let parsable = id == "001" && single || id.parse::<phonenumber::country::Id>().is_ok();
            let d = meta.descriptors();
            let kinds = [
                d.premium_rate(),
                d.toll_free(),
                d.shared_cost(),
                d.voip(),
                d.personal_number(),
                d.pager(),
                d.uan(),
                d.voicemail(),
                d.fixed_line(),
                d.mobile(),
            ];
            regions.push(Region {
                parsable,
                leading: match meta.leading_digits() {
                    Some(l) => Some(compile(l.as_str())?),
                    None => None,
                },
                general: Pattern::new(d.general())?,
                kinds: kinds.into_iter().flatten().map(Pattern::new).collect::<Option<_>>()?,
            });
        }
        Some(Plan { single, regions })
    }
}

/// Compiles a metadata pattern as the library does (whitespace ignored), anchored at the start: a leftmost match
/// starts at 0 exactly when some match does.
fn compile(pattern: &str) -> Option<Regex> {
    Regex::builder()
        .syntax(regex_automata::util::syntax::Config::new().ignore_whitespace(true))
        .build(&format!("^(?:{pattern}\n)"))
        .ok()
}

fn starts(regex: &Regex, national: &str) -> bool {
    regex.is_match(national)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::valid;

    /// What the library itself says of a text.
    fn library(text: &str) -> bool {
        phonenumber::parse(Some(phonenumber::country::Id::US), text).is_ok_and(|n| phonenumber::is_valid(&n))
    }

    /// Every region's example numbers, and variants of them (each digit changed, one digit fewer or more), in
    /// international form; NANP numbers in national form too: our validation agrees with the library's on each.
    #[test]
    fn agrees_with_the_library_on_every_plan() {
        let db = &*phonenumber::metadata::DATABASE;
        let (mut checked, mut valid_seen) = (0usize, 0usize);
        for meta in db.iter() {
            let d = meta.descriptors();
            let examples = [d.fixed_line(), d.mobile(), d.toll_free(), d.premium_rate(), d.voip(), d.uan()]
                .into_iter()
                .flatten()
                .filter_map(|x| x.example());
            for example in examples {
                let mut variants = vec![example.to_string(), format!("{example}5"), example[1..].to_string()];
                for i in 0..example.len() {
                    for digit in [b'0', b'1', b'5', b'9'] {
                        let mut v = example.as_bytes().to_vec();
                        v[i] = digit;
                        variants.push(String::from_utf8(v).unwrap());
                    }
                }
                for v in variants {
                    let mut texts = vec![format!("+{} {v}", meta.country_code())];
                    if meta.country_code() == 1 {
                        texts.push(v.clone());
                    }
                    for text in texts {
                        let expected = library(&text);
                        assert_eq!(valid(text.as_bytes()), expected, "{text} in {}", meta.id());
                        checked += 1;
                        valid_seen += usize::from(expected);
                    }
                }
            }
        }
        assert!(checked > 20_000 && valid_seen > 5_000, "{checked} checked, {valid_seen} valid");
    }

    /// Numbers the detector meets in text, valid and not, agree too.
    #[test]
    fn agrees_with_the_library_on_text_shapes() {
        for text in [
            "(415) 867-2331",
            "415-555-0132",
            "+1 000 000 0000",
            "123-456-7890",
            "+44 20 7946 0958",
            "+33 1 23 45 67 89",
            "+49 30 901820",
            "+81 3-1234-5678",
            "+999 1234 5678",
            "+800 1234 5678",
            "+882 1234 5678",
            "+1 684 733 1234",
            "+7 700 123 4567",
            "12",
            "",
            "+",
        ] {
            assert_eq!(valid(text.as_bytes()), library(text), "{text}");
        }
    }
}
