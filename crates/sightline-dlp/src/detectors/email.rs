//! Email addresses: a local part and a domain with a dot and an alphabetic top-level domain. The user and host of
//! a URL (`postgres://user:pass@host`) are not an address.

use super::{before, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "email",
    category: Category::Personal,
    validator: "address syntax, dotted domain with alphabetic TLD",
    description: "Email addresses",
    keywords: &["email", "e-mail", "mail", "contact"],
    redaction: Style::Email,
    positive: &["contact jane.doe+news@mail.example.org today", "<a.b@c-d.io>", "From: ops@northwind.co.uk."],
    negative: &["@decorator", "user@localhost", "postgres://app:s3cr3tPass@db.internal.net/x", "a@b.c", "x@@y.com"],
};

fn local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn domain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// Reads the address around the `@` at `at`.
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    let mut l = at;
    while l > 0 && at - l < 64 && local(hay[l - 1]) {
        l -= 1;
    }
    if l == at || hay[l] == b'.' || hay[at - 1] == b'.' || matches!(before(hay, l), Some(b':' | b'/' | b'@')) {
        return None;
    }
    let mut r = at + 1 + super::span_while(hay, at + 1, 253, domain);
    while r > at + 1 && matches!(hay[r - 1], b'.' | b'-') {
        r -= 1;
    }
    let dom = &hay[at + 1..r];
    if hay.get(r) == Some(&b'@') || dom.is_empty() || dom.starts_with(b".") || dom.starts_with(b"-") {
        return None;
    }
    let tld_start = memchr::memrchr(b'.', dom)? + 1;
    let tld = &dom[tld_start..];
    if tld.len() < 2 || !tld.iter().all(u8::is_ascii_alphabetic) || memchr::memmem::find(dom, b"..").is_some() {
        return None;
    }
    Some((l..r, Confidence::Likely))
}
