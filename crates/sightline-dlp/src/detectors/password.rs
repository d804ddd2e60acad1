//! Passwords in configuration: a key ending in `password`, `passwd` or `pwd` (`DB_PASSWORD=...`,
//! `password: ...`, `"password": "..."`, `dbPassword := "..."`) and a value that is not a placeholder, a variable
//! or a path. Values after `key: ` without quotes are graded lower: prose uses that shape too.

use super::{is_placeholder, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "password",
    category: Category::Credentials,
    validator: "assignment syntax, non-placeholder value",
    description: "Passwords assigned in configuration files",
    keywords: &[],
    redaction: Style::Hidden,
    positive: &[
        "DB_PASSWORD=Winter2024!x",
        "{\"user\": \"app\", \"password\": \"c0rrect horse\"}",
        "  password: hunter22",
        "smtp_passwd = 'mX9#kq2!'",
    ],
    negative: &[
        "password=${DB_PASSWORD}",
        "\"password\": null",
        "password_policy = strict",
        "OLDPWD=/home/dev",
        "password: <your password>",
        "password = \"\"",
        "cd $(pwd)",
    ],
};

fn unquoted(c: u8) -> bool {
    c.is_ascii_graphic() && !matches!(c, b';' | b',' | b'&' | b'"' | b'\'' | b'<' | b')' | b'}' | b']')
}

/// Reads the value assigned to the key whose password keyword spans `kw_start..kw_end`. The flag is true when the
/// assignment belongs to a connection string.
pub(crate) fn confirm(hay: &[u8], kw_start: usize, kw_end: usize) -> Option<(Range<usize>, Confidence, bool)> {
    let _ = kw_start;
    let mut p = kw_end;
    if matches!(hay.get(p), Some(b'"' | b'\'')) {
        p += 1;
    }
    p += super::span_while(hay, p, 8, |c| c == b' ' || c == b'\t');
    let sep = match hay.get(p..(p + 2).min(hay.len())) {
        Some([b':', b'=', ..]) | Some([b'=', b'>', ..]) => 2,
        Some([b'=', ..]) | Some([b':', ..]) => 1,
        _ => return None,
    };
    let equals = hay[p] == b'=' || sep == 2;
    p += sep;
    p += super::span_while(hay, p, 8, |c| c == b' ' || c == b'\t');
    let (from, to, quoted) = match hay.get(p) {
        Some(&q @ (b'"' | b'\'')) => {
            let len = super::span_while(hay, p + 1, 201, |c| c != q && c != b'\n');
            if len > 200 || hay.get(p + 1 + len) != Some(&q) {
                return None;
            }
            (p + 1, p + 1 + len, true)
        }
        Some(_) => {
            let len = super::span_while(hay, p, 201, unquoted);
            if len > 200 {
                return None;
            }
            (p, p + len, false)
        }
        None => return None,
    };
    let value = &hay[from..to];
    if is_placeholder(value) || matches!(value.first(), Some(b'/' | b'~' | b'$' | b'%')) {
        return None;
    }
    let in_connection_string = equals && !quoted && super::connection_string_credentials::keyed_before(hay, kw_start);
    let confidence = if quoted || equals { Confidence::Likely } else { Confidence::Possible };
    Some((from..to, confidence, in_connection_string))
}
