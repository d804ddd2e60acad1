//! PEM private keys: a `-----BEGIN ... PRIVATE KEY-----` line (RSA, EC, DSA, OpenSSH, encrypted, PKCS #8, PGP)
//! followed by base64. The whole block up to its END line is the match when the END line is within 8 KiB.

use super::Detector;
use crate::engine::MAX_MATCH;
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "private_key",
    category: Category::Credentials,
    validator: "BEGIN/END lines with a private key label, base64 body",
    description: "PEM and PGP private keys",
    keywords: &["private"],
    redaction: Style::PemBlock,
    positive: &[
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh\n-----END RSA PRIVATE KEY-----\n",
        "key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB\n",
    ],
    negative: &[
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6\n-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UEChMJQmFs\n",
        "paste it between -----BEGIN PRIVATE KEY----- and ... here",
    ],
};

fn b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')
}

/// Reads a block at `at` (its `-----BEGIN `).
pub(crate) fn confirm(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    let label_from = at + 11;
    let label_len = memchr::memmem::find(hay.get(label_from..(label_from + 48).min(hay.len()))?, b"-----")?;
    let label = &hay[label_from..label_from + label_len];
    if !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK")) {
        return None;
    }
    let body_from = label_from + label_len + 5;
    let limit = (at + MAX_MATCH).min(hay.len());
    let window = &hay[body_from..limit];
    // Base64 lines may follow headers (`Proc-Type:`, `Version:`): count only the body's base64 characters.
    let end_line = memchr::memmem::find(window, b"-----END ");
    let body = &window[..end_line.unwrap_or(window.len().min(256))];
    let significant = body.iter().filter(|&&c| b64(c)).count();
    if significant < 64 {
        return None;
    }
    match end_line {
        Some(e) => {
            let tail_from = body_from + e + 9;
            let close = memchr::memmem::find(&hay[tail_from..limit], b"-----")?;
            Some((at..tail_from + close + 5, Confidence::VeryLikely))
        }
        None => Some((at..body_from, Confidence::Likely)),
    }
}
