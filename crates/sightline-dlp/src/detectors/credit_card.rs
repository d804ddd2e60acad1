//! Payment card numbers (PAN): 13 to 19 digits, plain or in the groups cards print (4-4-4-4, 4-6-5 for American
//! Express, 4-6-4 for Diners Club), within a network's issuer range and passing Luhn.

use super::Detector;
use crate::engine::{Number, Sep};
use crate::redact::Style;
use crate::validate::{card_network, luhn};
use crate::{Category, Confidence};

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "credit_card",
    category: Category::Financial,
    validator: "issuer range and length, Luhn",
    description: "Payment card numbers (Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay)",
    keywords: &["card", "visa", "mastercard", "amex", "credit", "debit", "pan", "cc_number", "ccnum"],
    redaction: Style::Number,
    positive: &[
        "Card number 4111 1111 1111 1111 exp 12/27",
        "charged 5555555555554444 yesterday",
        "amex: 3782-822463-10005.",
        "{\"pan\": \"6011000990139424\"}",
    ],
    negative: &[
        "card 4111 1111 1111 1112 (Luhn fails)",
        "order id 9111111111111111",
        "tracking 1234567890123456",
        "hash a4111111111111111f",
        "grouping 41 11111111 111111",
    ],
};

/// Grades a numeric candidate.
pub(crate) fn confirm(n: &Number) -> Option<Confidence> {
    if n.plus || n.paren || !(13..=19).contains(&n.digits.len()) {
        return None;
    }
    let grouped = match n.sep {
        Sep::None => false,
        Sep::Space | Sep::Dash => {
            let fours = n.groups.len() >= 4
                && n.groups[..n.groups.len() - 1].iter().all(|&g| g == 4)
                && n.groups.last().is_some_and(|&g| (1..=4).contains(&g));
            if !(fours || n.shape(&[4, 6, 5]) || n.shape(&[4, 6, 4])) {
                return None;
            }
            true
        }
        _ => return None,
    };
    card_network(n.digits)?;
    if !luhn(n.digits) {
        return None;
    }
    Some(if grouped { Confidence::Likely } else { Confidence::Possible })
}
