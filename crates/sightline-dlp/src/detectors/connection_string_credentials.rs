//! Credentials in connection strings: a URL with a password (`postgres://user:pass@host`,
//! `mongodb+srv://user:pass@cluster`, `https://user:pass@host`), or an ADO.NET/ODBC string with a `Password=` or
//! `Pwd=` (`Server=db;User Id=sa;Password=...;`). Placeholders (`${DB_PASS}`, `<password>`, `****`) are not
//! reported.

use super::{before, is_placeholder, is_word, Detector};
use crate::redact::Style;
use crate::{Category, Confidence};
use std::ops::Range;

/// See the module documentation.
pub static DETECTOR: Detector = Detector {
    id: "connection_string_credentials",
    category: Category::Credentials,
    validator: "URL or key=value syntax with a non-placeholder password",
    description: "Passwords in database URLs and connection strings",
    keywords: &["connection", "database", "dsn", "url", "uri"],
    redaction: Style::Url,
    positive: &[
        "DATABASE_URL=postgres://app:Tr0ub4dor3x@db.internal.example.net:5432/app",
        "mongodb+srv://svc:q8RzLw2vXk@cluster0.mongo.net/test",
        "Server=tcp:sql1,1433;User Id=sa;Password=Zq4!mv9Lr2;Encrypt=true",
    ],
    negative: &[
        "postgres://app:${DB_PASSWORD}@db/app",
        "https://example.com/path?a=b",
        "postgres://app@db/app",
        "Server=sql1;Integrated Security=true",
        "mysql://root:<password>@localhost/db",
    ],
};

fn scheme(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-')
}

fn userinfo(c: u8) -> bool {
    c.is_ascii_graphic() && !matches!(c, b'/' | b'@' | b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

fn host(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_')
}

/// Reads a URL around the `://` at `at`.
pub(crate) fn confirm_url(hay: &[u8], at: usize) -> Option<(Range<usize>, Confidence)> {
    let mut l = at;
    while l > 0 && at - l < 32 && scheme(hay[l - 1]) {
        l -= 1;
    }
    if l == at || !hay[l].is_ascii_alphabetic() || before(hay, l).is_some_and(is_word) {
        return None;
    }
    let info_from = at + 3;
    let info_len = super::span_while(hay, info_from, 257, userinfo);
    if info_len > 256 || hay.get(info_from + info_len) != Some(&b'@') {
        return None;
    }
    let info = &hay[info_from..info_from + info_len];
    let colon = memchr::memchr(b':', info)?;
    if is_placeholder(&info[colon + 1..]) {
        return None;
    }
    let host_from = info_from + info_len + 1;
    let host_len = super::span_while(hay, host_from, 253, host);
    if host_len == 0 {
        return None;
    }
    Some((l..host_from + host_len, Confidence::Likely))
}

/// Whether the `Password=` at `at` belongs to an ADO.NET or ODBC connection string: the same line, before it,
/// names a server.
pub(crate) fn keyed_before(hay: &[u8], at: usize) -> bool {
    let from = at.saturating_sub(256);
    let line_from = memchr::memrchr(b'\n', &hay[from..at]).map_or(from, |i| from + i + 1);
    let line = hay[line_from..at].to_ascii_lowercase();
    memchr::memchr(b';', &line).is_some()
        && [&b"server="[..], b"data source=", b"host=", b"address="]
            .iter()
            .any(|k| memchr::memmem::find(&line, k).is_some())
}
