//! Wildcard matching as IAM does it: `*` matches any run of characters (including none), `?` exactly one.

/// Whether `text` matches `pattern`, where `*` and `?` are wildcards.
///
/// Linear in practice: the classic greedy algorithm with one backtrack point, so patterns such as `a*a*a*b` cannot
/// blow up on long inputs.
pub fn matches(pattern: &str, text: &str) -> bool {
    matches_by(pattern.as_bytes(), text.as_bytes(), |a, b| a == b)
}

/// Like [`matches`], but ASCII letters compare case-insensitively (IAM action names, service prefixes).
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    matches_by(pattern.as_bytes(), text.as_bytes(), |a, b| a.eq_ignore_ascii_case(&b))
}

/// Whether the pattern contains a wildcard character.
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.bytes().any(|b| b == b'*' || b == b'?')
}

fn matches_by(p: &[u8], t: &[u8], eq: impl Fn(u8, u8) -> bool) -> bool {
    // `?` must match one character, not one byte: work on bytes but skip UTF-8 continuation bytes after a `?`.
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            pi += 1;
            star = Some((pi, ti));
        } else if pi < p.len() && p[pi] == b'?' {
            pi += 1;
            ti += utf8_len(t[ti]);
        } else if pi < p.len() && eq(p[pi], t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            let next = st + utf8_len(t[st]);
            pi = sp;
            ti = next;
            star = Some((sp, next));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len() && ti >= t.len()
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xff => 4,
        // A continuation byte cannot start a character in valid UTF-8 (`&str` guarantees validity).
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(matches("*", ""));
        assert!(matches("*", "anything"));
        assert!(matches("s3:Get*", "s3:GetObject"));
        assert!(!matches("s3:Get*", "s3:getObject"));
        assert!(matches_ignore_case("s3:get*", "s3:GetObject"));
        assert!(matches("iam:*Policy*", "iam:PutUserPolicy"));
        assert!(matches("a?c", "abc"));
        assert!(matches("a?c", "aéc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("a*a*a*b", "aaaaaaaaab"));
        assert!(!matches("a*a*a*b", "aaaaaaaaaa"));
        assert!(matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c"));
        assert!(!matches("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket"));
        assert!(matches("*/*", "a/b"));
        assert!(!matches("", "a"));
        assert!(matches("", ""));
    }
}
