//! Redaction: the only way a match's text leaves the engine. Every output (JSON, table, tests) shows these samples,
//! never the matched text.

/// How a detector's matches are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Numbers and identifiers (cards, IBANs, SSNs, phones, addresses): separators kept, at most a quarter of the
    /// significant characters shown at each end, never more than 4 at each end.
    Number,
    /// Keys and tokens: the first 4 and last 4 characters of a 20-character or longer secret with at most 16
    /// asterisks between; at most the first 2 of a shorter one.
    Secret,
    /// Passwords: nothing shown at all, not even the length.
    Hidden,
    /// Emails: the first character of the local part, then the domain.
    Email,
    /// URLs with credentials: scheme, the first 2 characters of the user, a hidden password, and the host.
    Url,
    /// PEM blocks: the BEGIN line only.
    PemBlock,
}

const MASK: char = '*';

/// The redacted sample of `text` (the matched bytes) in `style`.
pub fn redact(style: Style, text: &[u8]) -> String {
    match style {
        Style::Number => number(text),
        Style::Secret => secret(text),
        Style::Hidden => "********".to_string(),
        Style::Email => email(text),
        Style::Url => url(text),
        Style::PemBlock => pem(text),
    }
}

fn number(text: &[u8]) -> String {
    let significant = text.iter().filter(|c| c.is_ascii_alphanumeric()).count();
    let keep = (significant / 4).min(4);
    let mut seen = 0usize;
    let mut out = String::with_capacity(text.len());
    for &c in text {
        if c.is_ascii_alphanumeric() {
            if seen < keep || seen >= significant - keep {
                out.push(char::from(c));
            } else {
                out.push(MASK);
            }
            seen += 1;
        } else if c.is_ascii() && !c.is_ascii_control() {
            out.push(char::from(c));
        } else {
            out.push(MASK);
        }
    }
    out
}

fn printable(c: u8) -> char {
    if c.is_ascii_graphic() || c == b' ' {
        char::from(c)
    } else {
        MASK
    }
}

fn secret(text: &[u8]) -> String {
    let n = text.len();
    let mut out = String::new();
    if n < 20 {
        // A short secret keeps at most its first 2 characters, and the mask does not tell its length.
        out.extend(text[..n / 8].iter().map(|&c| printable(c)));
        out.push_str("********");
        return out;
    }
    out.extend(text[..4].iter().map(|&c| printable(c)));
    out.extend(std::iter::repeat_n(MASK, (n - 8).min(16)));
    out.extend(text[n - 4..].iter().map(|&c| printable(c)));
    out
}

fn email(text: &[u8]) -> String {
    let Some(at) = memchr::memrchr(b'@', text) else { return secret(text) };
    let mut out = String::new();
    if let Some(&first) = text.first() {
        out.push(printable(first));
    }
    out.push_str("***");
    out.extend(text[at..].iter().map(|&c| printable(c)));
    out
}

fn url(text: &[u8]) -> String {
    // ADO.NET and ODBC strings: the match is the password value alone.
    let Some(scheme_end) = memchr::memmem::find(text, b"://") else { return "********".to_string() };
    let rest = &text[scheme_end + 3..];
    let Some(at) = memchr::memrchr(b'@', rest) else { return secret(text) };
    let userinfo = &rest[..at];
    let user = userinfo.split(|c| *c == b':').next().unwrap_or_default();
    let mut out: String = text[..scheme_end + 3].iter().map(|&c| printable(c)).collect();
    out.extend(user.iter().take(2).map(|&c| printable(c)));
    out.push_str("***:********");
    out.extend(rest[at..].iter().map(|&c| printable(c)));
    out
}

fn pem(text: &[u8]) -> String {
    let line_end = memchr::memchr(b'\n', text).unwrap_or(text.len());
    let first = &text[..line_end];
    // The BEGIN line names the key type only; everything after it is the key.
    let header_end = memchr::memmem::rfind(first, b"-----").map_or(first.len().min(40), |i| i + 5);
    let mut out: String = first[..header_end].iter().map(|&c| printable(c)).collect();
    out.push_str(" ********");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples() {
        assert_eq!(redact(Style::Number, b"4111 1111 1111 1111"), "4111 **** **** 1111");
        assert_eq!(redact(Style::Number, b"4111111111111111"), "4111********1111");
        assert_eq!(redact(Style::Number, b"123-45-6789"), "12*-**-**89");
        assert_eq!(redact(Style::Secret, b"AKIAIOSFODNN7EXAMPLE"), "AKIA************MPLE");
        assert_eq!(redact(Style::Secret, b"short"), "********");
        assert_eq!(redact(Style::Email, b"jane.doe@example.com"), "j***@example.com");
        assert_eq!(
            redact(Style::Url, b"postgres://admin:s3cret@db.example.com"),
            "postgres://ad***:********@db.example.com"
        );
        assert_eq!(redact(Style::Hidden, b"hunter2"), "********");
        assert_eq!(
            redact(Style::PemBlock, b"-----BEGIN RSA PRIVATE KEY-----\nMIIEow"),
            "-----BEGIN RSA PRIVATE KEY----- ********"
        );
    }

    #[test]
    fn never_the_whole_text() {
        for text in ["a", "ab", "abcdefgh", "0123456789", "abcdefghijklmnopqrstuvwxyz0123456789"] {
            for style in [Style::Number, Style::Secret, Style::Hidden, Style::Email, Style::Url, Style::PemBlock] {
                assert_ne!(redact(style, text.as_bytes()), text, "{style:?}");
            }
        }
    }
}
