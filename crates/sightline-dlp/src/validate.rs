//! Exact validators: checksums and the numbering rules of the issuers. Each takes the significant characters only
//! (digits, or letters and digits for IBANs), without separators.

/// The Luhn (mod 10) checksum of payment card numbers: true when `digits` (ASCII digits only) passes.
pub fn luhn(digits: &[u8]) -> bool {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// The card networks whose issuer identification ranges are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardNetwork {
    /// 4, 13, 16 or 19 digits.
    Visa,
    /// 51-55 and 2221-2720, 16 digits.
    Mastercard,
    /// 34 and 37, 15 digits.
    Amex,
    /// 6011, 644-649, 65, 16-19 digits.
    Discover,
    /// 3528-3589, 16-19 digits.
    Jcb,
    /// 300-305, 36, 38-39, 14-19 digits.
    DinersClub,
    /// 62, 16-19 digits.
    UnionPay,
}

fn prefix(digits: &[u8], n: usize) -> u32 {
    digits.iter().take(n).fold(0u32, |acc, d| acc * 10 + u32::from(d.wrapping_sub(b'0')))
}

/// The network whose issuer range and length `digits` (ASCII digits only) fits, if any.
pub fn card_network(digits: &[u8]) -> Option<CardNetwork> {
    if digits.len() < 13 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let len = digits.len();
    let p1 = prefix(digits, 1);
    let p2 = prefix(digits, 2);
    let p3 = prefix(digits, 3);
    let p4 = prefix(digits, 4);
    if p1 == 4 && matches!(len, 13 | 16 | 19) {
        return Some(CardNetwork::Visa);
    }
    if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        return Some(CardNetwork::Mastercard);
    }
    if (p2 == 34 || p2 == 37) && len == 15 {
        return Some(CardNetwork::Amex);
    }
    if (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65) && (16..=19).contains(&len) {
        return Some(CardNetwork::Discover);
    }
    if (3528..=3589).contains(&p4) && (16..=19).contains(&len) {
        return Some(CardNetwork::Jcb);
    }
    if ((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39) && (14..=19).contains(&len) {
        return Some(CardNetwork::DinersClub);
    }
    if p2 == 62 && (16..=19).contains(&len) {
        return Some(CardNetwork::UnionPay);
    }
    None
}

/// The IBAN length of each country of the IBAN registry (ISO 13616), by country code.
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// The IBAN length for a country code, if the country uses IBANs.
pub fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS.iter().find(|(c, _)| c.as_slice() == country).map(|(_, n)| *n)
}

/// ISO 7064 mod 97-10 over `chars` (uppercase letters and digits) with the first four moved to the end, letters as
/// two-digit numbers (A = 10): true when the remainder is 1. This is the IBAN check; custom detectors may use it
/// on any such identifier.
pub fn mod97(chars: &[u8]) -> bool {
    if chars.len() < 5 {
        return false;
    }
    let mut rem = 0u32;
    for &c in chars[4..].iter().chain(&chars[..4]) {
        match c {
            b'0'..=b'9' => rem = (rem * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => rem = (rem * 100 + u32::from(c - b'A') + 10) % 97,
            _ => return false,
        }
    }
    rem == 1
}

/// A complete IBAN check on compact form (no spaces): country in the registry, the country's length, two check
/// digits, an alphanumeric BBAN, and mod 97.
pub fn iban(compact: &[u8]) -> bool {
    if compact.len() < 4 {
        return false;
    }
    let Some(len) = iban_length(&compact[..2]) else { return false };
    compact.len() == len
        && compact[2].is_ascii_digit()
        && compact[3].is_ascii_digit()
        && compact[4..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && mod97(compact)
}

fn digits_value(d: &[u8]) -> u32 {
    prefix(d, d.len())
}

/// The US Social Security Administration's rules for 9 digits: area not 000, 666 or 900-999; group not 00; serial
/// not 0000; and not one of the numbers published in advertising (078-05-1120, 219-09-9999).
pub fn us_ssn(digits: &[u8]) -> bool {
    if digits.len() != 9 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let area = digits_value(&digits[..3]);
    let group = digits_value(&digits[3..5]);
    let serial = digits_value(&digits[5..]);
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && digits != b"078051120"
        && digits != b"219099999"
}

/// The IRS rules for a US Individual Taxpayer Identification Number: 9XX-GG-XXXX with GG in 50-65, 70-88, 90-92
/// or 94-99.
pub fn us_itin(digits: &[u8]) -> bool {
    if digits.len() != 9 || !digits.iter().all(u8::is_ascii_digit) || digits[0] != b'9' {
        return false;
    }
    let group = digits_value(&digits[3..5]);
    matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// An ABA routing transit number: 9 digits, a Federal Reserve prefix (00-12, 21-32, 61-72, 80) and the 3-7-1
/// weighted checksum.
pub fn aba_routing(digits: &[u8]) -> bool {
    if digits.len() != 9 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let p = digits_value(&digits[..2]);
    if !matches!(p, 0..=12 | 21..=32 | 61..=72 | 80) {
        return false;
    }
    let d: Vec<u32> = digits.iter().map(|c| u32::from(c - b'0')).collect();
    let sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
    sum.is_multiple_of(10)
}

/// A calendar date that can be someone's birth date: year 1900-2030, month 1-12, a day the month has.
pub fn birth_date(year: u32, month: u32, day: u32) -> bool {
    if !(1900..=2030).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

/// The built-in validators a custom detector may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validator {
    /// No check beyond the pattern.
    None,
    /// [`luhn`] over the match's digits.
    Luhn,
    /// [`mod97`] over the match's letters (uppercased) and digits.
    Mod97,
    /// [`aba_routing`] over the match's digits.
    AbaRouting,
    /// [`us_ssn`] over the match's digits.
    UsSsn,
}

impl Validator {
    /// Whether `text` (the whole match) passes.
    pub fn check(self, text: &[u8]) -> bool {
        let digits: Vec<u8> = text.iter().copied().filter(u8::is_ascii_digit).collect();
        match self {
            Validator::None => true,
            Validator::Luhn => luhn(&digits),
            Validator::Mod97 => {
                let chars: Vec<u8> =
                    text.iter().filter(|c| c.is_ascii_alphanumeric()).map(u8::to_ascii_uppercase).collect();
                mod97(&chars)
            }
            Validator::AbaRouting => aba_routing(&digits),
            Validator::UsSsn => us_ssn(&digits),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_known_numbers() {
        assert!(luhn(b"4111111111111111"));
        assert!(luhn(b"378282246310005"));
        assert!(!luhn(b"4111111111111112"));
        assert!(!luhn(b""));
    }

    #[test]
    fn networks() {
        assert_eq!(card_network(b"4111111111111111"), Some(CardNetwork::Visa));
        assert_eq!(card_network(b"5555555555554444"), Some(CardNetwork::Mastercard));
        assert_eq!(card_network(b"2223003122003222"), Some(CardNetwork::Mastercard));
        assert_eq!(card_network(b"378282246310005"), Some(CardNetwork::Amex));
        assert_eq!(card_network(b"6011111111111117"), Some(CardNetwork::Discover));
        assert_eq!(card_network(b"3530111333300000"), Some(CardNetwork::Jcb));
        assert_eq!(card_network(b"9111111111111111"), None);
    }

    #[test]
    fn ibans() {
        assert!(iban(b"DE89370400440532013000"));
        assert!(iban(b"GB82WEST12345698765432"));
        assert!(iban(b"NL91ABNA0417164300"));
        assert!(!iban(b"DE89370400440532013001"));
        assert!(!iban(b"DE8937040044053201300"));
        assert!(!iban(b"ZZ89370400440532013000"));
    }

    #[test]
    fn ssn_rules() {
        assert!(us_ssn(b"123456789"));
        for bad in ["000123456", "666123456", "900123456", "999123456", "123001234", "123450000", "078051120"] {
            assert!(!us_ssn(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn itin_rules() {
        assert!(us_itin(b"912501234"));
        assert!(us_itin(b"912941234"));
        assert!(!us_itin(b"912931234"));
        assert!(!us_itin(b"912891234"));
        assert!(!us_itin(b"812701234"));
    }

    #[test]
    fn aba() {
        assert!(aba_routing(b"021000021"));
        assert!(aba_routing(b"011000015"));
        assert!(!aba_routing(b"021000022"));
        assert!(!aba_routing(b"991000021"));
    }

    #[test]
    fn dates() {
        assert!(birth_date(2000, 2, 29));
        assert!(!birth_date(1900, 2, 29));
        assert!(!birth_date(1990, 13, 1));
        assert!(!birth_date(1850, 1, 1));
    }
}
