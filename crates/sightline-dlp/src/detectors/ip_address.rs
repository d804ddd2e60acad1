//! IP addresses: dotted IPv4 (each part at most 255, not a version number such as `version 1.2.3.4`) and IPv6
//! in any form the standard library parses (`2001:db8::8a2e:370:7334`, `::ffff:192.0.2.1`).

use super::{before, is_word, Detector};
use crate::engine::{Number, Sep};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "ip_address",
    category: Category::Personal,
    validator: "IPv4 parts 0-255; IPv6 parsed",
    description: "IPv4 and IPv6 addresses",
    keywords: &["ip address", "ip:", "ip=", "client", "remote_addr", "source ip", "src", "host"],
    redaction: Style::Number,
    positive: &["client 203.0.113.45 connected", "from 2001:db8:85a3::8a2e:370:7334 over v6", "addr=10.20.30.40;"],
    negative: &[
        "version 1.2.3.4",
        "value 256.1.1.1",
        "oid 1.3.6.1.4.1",
        "at 10:30:45 UTC",
        "std::vector",
        "mac 00:1a:2b:3c:4d:5e",
        "v1.2.3.4",
    ],
};

/// Grades a numeric candidate as an IPv4 address.
pub(crate) fn confirm_ipv4(n: &Number) -> Option<Confidence> {
    if n.plus || n.paren || n.sep != Sep::Dot || n.groups.len() != 4 {
        return None;
    }
    let mut at = 0usize;
    for &g in n.groups {
        let g = usize::from(g);
        if g > 3 {
            return None;
        }
        let v = n.digits[at..at + g].iter().fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'));
        if v > 255 {
            return None;
        }
        at += g;
    }
    Some(Confidence::Possible)
}

/// Whether a version keyword closely precedes `at`.
pub(crate) fn version_before(hay: &[u8], at: usize) -> bool {
    let from = at.saturating_sub(12);
    let w = hay[from..at].to_ascii_lowercase();
    [&b"version"[..], b"ver ", b"ver.", b"release", b"build"].iter().any(|k| memchr::memmem::find(&w, k).is_some())
}

fn hexish(c: u8) -> bool {
    c.is_ascii_hexdigit() || c == b':'
}

/// Reads the IPv6-looking token around the colon at `at`; returns the address if it is one, and where the token
/// ends (its other colons need no second look).
pub(crate) fn confirm_ipv6(hay: &[u8], at: usize) -> (Option<(Range<usize>, Confidence)>, usize) {
    let mut l = at;
    while l > 0 && at - l < 39 && hexish(hay[l - 1]) {
        l -= 1;
    }
    let r = at + super::span_while(hay, at, 45, |c| hexish(c) || c == b'.');
    let mut end = r;
    while end > l && hay[end - 1] == b'.' {
        end -= 1;
    }
    let token = &hay[l..end];
    let colons = token.iter().filter(|&&c| c == b':').count();
    if colons < 2
        || token.len() < 3
        || before(hay, l).is_some_and(|c| is_word(c) || c == b'.')
        || hay.get(end).is_some_and(|&c| is_word(c))
    {
        return (None, r);
    }
    let Ok(s) = std::str::from_utf8(token) else { return (None, r) };
    match s.parse::<std::net::Ipv6Addr>() {
        Ok(ip) if !ip.is_unspecified() => (Some((l..end, Confidence::Possible)), r),
        _ => (None, r),
    }
}
