//! Strings in policies that may hold wildcards and policy variables (`${aws:username}`, `${*}`, defaults).
//!
//! Most patterns have no variable and are matched straight from their text. A pattern with variables is resolved
//! against the request context first; the text a variable yields is always literal (a user named `a*b` does not
//! turn into a wildcard), and `${*}`, `${?}`, `${$}` yield a literal `*`, `?` and `$`.

use crate::context::Context;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Policy text: `*` and `?` in it are wildcards.
    Text(String),
    /// Literal text from an escape such as `${*}`.
    Exact(String),
    /// A context key (lower-cased), with the default value written after a comma, if any.
    Variable { key: String, default: Option<String> },
}

/// A policy string, with its variables parsed when the policy language version supports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    raw: String,
    tokens: Option<Vec<Token>>,
}

/// One character of a resolved pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PChar {
    Lit(char),
    Star,
    Any,
}

impl Pattern {
    /// Parses `text`; with `variables` false (policy version 2008-10-17) `${...}` is plain text.
    pub fn parse(text: &str, variables: bool) -> Result<Pattern, String> {
        if !variables || !text.contains("${") {
            return Ok(Pattern { raw: text.to_string(), tokens: None });
        }
        let mut tokens = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            if start > 0 {
                tokens.push(Token::Text(rest[..start].to_string()));
            }
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(format!("unterminated policy variable in {text:?}"));
            };
            let inner = after[..end].trim();
            tokens.push(match inner {
                "*" | "?" | "$" => Token::Exact(inner.to_string()),
                _ => {
                    let (key, default) = match inner.split_once(',') {
                        Some((key, default)) => {
                            let d = default.trim();
                            let d = d.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')).ok_or_else(|| {
                                format!("the default value of a policy variable must be quoted with ' in {text:?}")
                            })?;
                            (key.trim(), Some(d.to_string()))
                        }
                        None => (inner, None),
                    };
                    if key.is_empty() {
                        return Err(format!("empty policy variable in {text:?}"));
                    }
                    Token::Variable { key: key.to_ascii_lowercase(), default }
                }
            });
            rest = &after[end + 1..];
        }
        if !rest.is_empty() {
            tokens.push(Token::Text(rest.to_string()));
        }
        Ok(Pattern { raw: text.to_string(), tokens: Some(tokens) })
    }

    /// Parses a `Resource`/`NotResource` ARN: policy variables are substituted only in the resource part (after
    /// the fifth colon), never in the partition, service, region or account.
    pub fn parse_resource(text: &str, variables: bool) -> Result<Pattern, String> {
        let split = text.match_indices(':').nth(4).map(|(i, _)| i + 1);
        match split {
            Some(at) if variables && text[at..].contains("${") => {
                let rest = Pattern::parse(&text[at..], true)?;
                let mut tokens = vec![Token::Text(text[..at].to_string())];
                tokens.extend(rest.tokens.unwrap_or_default());
                Ok(Pattern { raw: text.to_string(), tokens: Some(tokens) })
            }
            _ => Ok(Pattern { raw: text.to_string(), tokens: None }),
        }
    }

    /// The text as written in the policy.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether the pattern uses policy variables.
    pub fn has_variables(&self) -> bool {
        self.tokens.is_some()
    }

    fn resolve(&self, ctx: &Context) -> Option<Vec<PChar>> {
        let tokens = self.tokens.as_ref()?;
        let mut out = Vec::new();
        for token in tokens {
            match token {
                Token::Text(t) => out.extend(t.chars().map(|c| match c {
                    '*' => PChar::Star,
                    '?' => PChar::Any,
                    c => PChar::Lit(c),
                })),
                Token::Exact(t) => out.extend(t.chars().map(PChar::Lit)),
                Token::Variable { key, default } => {
                    let value = match ctx.get(key) {
                        Some([single]) => single.as_str(),
                        // No value (or a set of values, which a variable cannot stand for): the default, if any.
                        _ => default.as_deref()?,
                    };
                    out.extend(value.chars().map(PChar::Lit));
                }
            }
        }
        Some(out)
    }

    /// The literal value, for exact-match operators: variables substituted, escapes unescaped. `None` when a
    /// variable has no value and no default.
    pub fn resolve_literal(&self, ctx: &Context) -> Option<std::borrow::Cow<'_, str>> {
        if self.tokens.is_none() {
            return Some(std::borrow::Cow::Borrowed(&self.raw));
        }
        let chars = self.resolve(ctx)?;
        Some(std::borrow::Cow::Owned(
            chars
                .into_iter()
                .map(|c| match c {
                    PChar::Lit(c) => c,
                    PChar::Star => '*',
                    PChar::Any => '?',
                })
                .collect(),
        ))
    }

    /// Wildcard match of the whole text (`StringLike`).
    pub fn matches(&self, text: &str, ctx: &Context, ignore_case: bool) -> bool {
        match &self.tokens {
            None if ignore_case => crate::glob::matches_ignore_case(&self.raw, text),
            None => crate::glob::matches(&self.raw, text),
            Some(_) => match self.resolve(ctx) {
                Some(p) => glob_chars(&p, &text.chars().collect::<Vec<_>>(), ignore_case),
                None => false,
            },
        }
    }

    /// ARN match segment by segment (`Resource`, `ArnLike`); see [`crate::arn::arn_matches`].
    pub fn matches_arn(&self, arn: &str, ctx: &Context) -> bool {
        if self.tokens.is_none() {
            return crate::arn::arn_matches(&self.raw, arn);
        }
        let Some(p) = self.resolve(ctx) else { return false };
        if p.len() == 1 && p[0] == PChar::Star {
            return true;
        }
        let pattern_segments = split_chars(&p, |c| *c == PChar::Lit(':'));
        let text: Vec<char> = arn.chars().collect();
        let text_segments = split_chars(&text, |c| *c == ':');
        if pattern_segments.len() != 6 || text_segments.len() != 6 {
            // As in `arn_matches`: an ARN never matches a pattern not shaped like one.
            return text_segments.len() != 6 && glob_chars(&p, &text, false);
        }
        pattern_segments.iter().zip(text_segments.iter()).all(|(p, t)| glob_chars(p, t, false))
    }
}

/// Splits at the first five separators, as an ARN's resource part may hold more.
fn split_chars<T>(items: &[T], is_sep: impl Fn(&T) -> bool) -> Vec<&[T]> {
    let mut out = Vec::with_capacity(6);
    let mut start = 0;
    for (i, item) in items.iter().enumerate() {
        if out.len() == 5 {
            break;
        }
        if is_sep(item) {
            out.push(&items[start..i]);
            start = i + 1;
        }
    }
    out.push(&items[start..]);
    out
}

fn glob_chars(p: &[PChar], t: &[char], ignore_case: bool) -> bool {
    let eq = |a: char, b: char| if ignore_case { a.to_lowercase().eq(b.to_lowercase()) } else { a == b };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(PChar::Star) => {
                pi += 1;
                star = Some((pi, ti));
            }
            Some(PChar::Any) => {
                pi += 1;
                ti += 1;
            }
            Some(PChar::Lit(c)) if eq(*c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&PChar::Star) {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, &str)]) -> Context {
        let mut c = Context::default();
        for (k, v) in pairs {
            c.insert(k, vec![v.to_string()]);
        }
        c
    }

    #[test]
    fn variables() {
        let c = ctx(&[("aws:username", "a*b")]);
        let p = Pattern::parse("arn:aws:s3:::home/${aws:username}/*", true).unwrap();
        assert!(p.matches_arn("arn:aws:s3:::home/a*b/file", &c));
        // The variable's `*` is literal.
        assert!(!p.matches_arn("arn:aws:s3:::home/axxb/file", &c));
        // Without the key, the pattern matches nothing.
        assert!(!p.matches_arn("arn:aws:s3:::home/a*b/file", &Context::default()));
        let d = Pattern::parse("${aws:username, 'nobody'}", true).unwrap();
        assert_eq!(d.resolve_literal(&Context::default()).unwrap(), "nobody");
        let e = Pattern::parse("x${*}y${?}${$}", true).unwrap();
        assert_eq!(e.resolve_literal(&Context::default()).unwrap(), "x*y?$");
        assert!(e.matches("x*y?$", &Context::default(), false));
        assert!(!e.matches("xzy?$", &Context::default(), false));
        // Version 2008-10-17: literal text.
        let old = Pattern::parse("${aws:username}", false).unwrap();
        assert_eq!(old.resolve_literal(&c).unwrap(), "${aws:username}");
        assert!(Pattern::parse("${aws:username", true).is_err());
    }
}
