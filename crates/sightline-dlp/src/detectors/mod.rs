//! The built-in detectors, one file each: metadata (id, category, validator, keywords, redaction), the
//! confirmation of a candidate, and positive and negative examples that one generic test runs.
//!
//! Candidates come from the engine's two fast passes; a detector only confirms, validates and grades them.

use crate::redact::Style;
use crate::Category;

pub mod aba_routing;
pub mod aws_access_key_id;
pub mod aws_secret_access_key;
pub mod connection_string_credentials;
pub mod credit_card;
pub mod date_of_birth;
pub mod email;
pub mod github_token;
pub mod gitlab_token;
pub mod google_api_key;
pub mod iban;
pub mod ip_address;
pub mod jwt;
pub mod password;
pub mod phone_number;
pub mod private_key;
pub mod slack_token;
pub mod stripe_key;
pub mod us_itin;
pub mod us_ssn;

/// A detector's description: everything about it except how it confirms a candidate.
#[derive(Debug)]
pub struct Detector {
    /// Stable snake_case id, used in output and configuration.
    pub id: &'static str,
    /// The kind of data it finds.
    pub category: Category,
    /// What validates a candidate beyond its shape.
    pub validator: &'static str,
    /// One sentence for the documentation.
    pub description: &'static str,
    /// Lowercase words that, shortly before a match or in its column header or field name, raise its confidence by
    /// two levels.
    pub keywords: &'static [&'static str],
    /// How its matches are shown.
    pub redaction: Style,
    /// Texts in which the detector must report exactly one match at `possible` or above.
    pub positive: &'static [&'static str],
    /// Texts in which it must report nothing at `possible` or above.
    pub negative: &'static [&'static str],
}

/// Every built-in detector, in the order of [`Builtin`].
pub static DETECTORS: [&Detector; 20] = [
    &credit_card::DETECTOR,
    &iban::DETECTOR,
    &us_ssn::DETECTOR,
    &us_itin::DETECTOR,
    &aba_routing::DETECTOR,
    &email::DETECTOR,
    &phone_number::DETECTOR,
    &ip_address::DETECTOR,
    &date_of_birth::DETECTOR,
    &aws_access_key_id::DETECTOR,
    &aws_secret_access_key::DETECTOR,
    &github_token::DETECTOR,
    &gitlab_token::DETECTOR,
    &slack_token::DETECTOR,
    &stripe_key::DETECTOR,
    &google_api_key::DETECTOR,
    &jwt::DETECTOR,
    &private_key::DETECTOR,
    &connection_string_credentials::DETECTOR,
    &password::DETECTOR,
];

/// Index of each built-in detector in [`DETECTORS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u16)]
pub(crate) enum Builtin {
    CreditCard,
    Iban,
    UsSsn,
    UsItin,
    AbaRouting,
    Email,
    PhoneNumber,
    IpAddress,
    DateOfBirth,
    AwsAccessKeyId,
    AwsSecretAccessKey,
    GithubToken,
    GitlabToken,
    SlackToken,
    StripeKey,
    GoogleApiKey,
    Jwt,
    PrivateKey,
    ConnectionStringCredentials,
    Password,
}

/// The table of built-in detectors in the README (id, category, validator, description), generated here so that
/// a test can tell when the README drifts from the code.
pub fn markdown_table() -> String {
    let mut t = String::from("| detector | category | validator | finds |\n|---|---|---|---|\n");
    for d in DETECTORS {
        t.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            d.id,
            d.category,
            d.validator.replace('|', "\\|"),
            d.description
        ));
    }
    t
}

/// The built-in detector with this id.
pub fn find(id: &str) -> Option<&'static Detector> {
    DETECTORS.iter().copied().find(|d| d.id == id)
}

/// True for bytes that continue a word or token: a match must not touch them on either side.
pub(crate) fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The byte before `at`, if any.
pub(crate) fn before(hay: &[u8], at: usize) -> Option<u8> {
    at.checked_sub(1).and_then(|i| hay.get(i).copied())
}

/// The length of the run of bytes from `from` accepted by `ok`, at most `max`.
pub(crate) fn span_while(hay: &[u8], from: usize, max: usize, ok: impl Fn(u8) -> bool) -> usize {
    hay.get(from..).unwrap_or_default().iter().take(max).take_while(|&&c| ok(c)).count()
}

/// Values that stand for a secret without being one: placeholders, variables and masks.
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    let v = lower.as_slice();
    v.len() < 4
        || v.iter().all(|&c| c == b'*' || c == b'x' || c == b'.' || c == b'#')
        || v.starts_with(b"${")
        || v.starts_with(b"$(")
        || v.starts_with(b"{{")
        || v.starts_with(b"%(")
        || v.starts_with(b"<")
        || v.starts_with(b"[")
        || v.starts_with(b"process.env")
        || v.starts_with(b"os.environ")
        || v.starts_with(b"env(")
        || matches!(
            v,
            b"null"
                | b"none"
                | b"true"
                | b"false"
                | b"password"
                | b"passwd"
                | b"secret"
                | b"redacted"
                | b"example"
                | b"changeit"
                | b"undefined"
                | b"string"
                | b"required"
                | b"optional"
        )
        || memchr::memmem::find(v, b"example").is_some()
        || memchr::memmem::find(v, b"your_").is_some()
        || memchr::memmem::find(v, b"your-").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Confidence, Config, Format, Scanner};

    /// Runs every detector on its own examples: each positive example yields exactly one match of the detector at
    /// `possible` or above, each negative none.
    #[test]
    fn every_detector_on_its_examples() {
        let scanner = Scanner::new(&Config::default()).unwrap();
        let mut failures = Vec::new();
        for d in DETECTORS {
            assert!(!d.positive.is_empty() && !d.negative.is_empty(), "{}: examples missing", d.id);
            for text in d.positive {
                let found: Vec<_> = scanner
                    .scan_slice(text.as_bytes(), Format::Text)
                    .into_iter()
                    .filter(|m| m.detector == d.id && m.confidence >= Confidence::Possible)
                    .collect();
                if found.len() != 1 {
                    failures.push(format!("{}: positive {text:?}: {} matches {found:?}", d.id, found.len()));
                }
            }
            for text in d.negative {
                let found: Vec<_> = scanner
                    .scan_slice(text.as_bytes(), Format::Text)
                    .into_iter()
                    .filter(|m| m.detector == d.id && m.confidence >= Confidence::Possible)
                    .collect();
                if !found.is_empty() {
                    failures.push(format!("{}: negative {text:?}: {found:?}", d.id));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn readme_lists_every_detector() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
        let table = markdown_table();
        assert!(readme.contains(&table), "README's detector table differs from the code; expected:\n{table}");
    }

    #[test]
    fn ids_are_unique_snake_case_and_in_order() {
        let mut seen = std::collections::HashSet::new();
        for (i, d) in DETECTORS.iter().enumerate() {
            assert!(seen.insert(d.id), "{} twice", d.id);
            assert!(d.id.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'), "{}", d.id);
            assert!(d.keywords.iter().all(|k| k.bytes().all(|c| !c.is_ascii_uppercase())), "{}", d.id);
            let _ = i;
        }
        assert_eq!(DETECTORS[Builtin::Password as usize].id, "password");
        assert_eq!(DETECTORS[Builtin::DateOfBirth as usize].id, "date_of_birth");
        assert_eq!(DETECTORS[Builtin::Jwt as usize].id, "jwt");
    }
}
