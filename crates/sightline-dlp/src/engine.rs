//! The two-stage search: candidates from one multi-literal pass (Aho-Corasick over anchors such as `AKIA`, `ghp_`,
//! `-----BEGIN `, `://`, `password`) and one byte-class pass (digit runs, `@`, `:`), then each candidate confirmed
//! and validated by its detector. No per-detector regex ever runs over the input.

use crate::config::CustomDetector;
use crate::detectors::{self as d, before, is_word, Builtin, DETECTORS};
use crate::Confidence;
use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;

/// What a detector found in a window: offsets relative to the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Index into the detectors (built-ins first, then custom ones).
    pub detector: u16,
    pub start: usize,
    pub end: usize,
    pub confidence: Confidence,
    /// A keyword in the text already raised the confidence: a column or field name must not raise it again.
    pub raised: bool,
    /// Shape only, not yet validated (a plain 10-digit phone number): reported only if the column or field name
    /// supports it and it then validates.
    pub unvalidated: bool,
}

/// The furthest a match starts before the byte that reveals it (an email's local part before its `@`).
const LOOK_BACK: usize = 128;

/// Bytes before a match searched for its detector's keywords.
pub(crate) const KEYWORD_WINDOW: usize = 48;

/// The longest match any built-in detector reports (a PEM private key block), and so the context a window needs on
/// each side of the range it reports on.
pub(crate) const MAX_MATCH: usize = 8 * 1024;

#[derive(Clone, Copy, Debug)]
enum Anchor {
    AwsKeyId,
    Github,
    Gitlab,
    Slack,
    Stripe,
    Google,
    Jwt,
    Pem,
    Url,
    Password,
    Secret,
}

const ANCHORS: &[(&str, Anchor)] = &[
    ("AKIA", Anchor::AwsKeyId),
    ("ASIA", Anchor::AwsKeyId),
    ("ABIA", Anchor::AwsKeyId),
    ("ACCA", Anchor::AwsKeyId),
    ("ghp_", Anchor::Github),
    ("gho_", Anchor::Github),
    ("ghu_", Anchor::Github),
    ("ghs_", Anchor::Github),
    ("ghr_", Anchor::Github),
    ("github_pat_", Anchor::Github),
    ("glpat-", Anchor::Gitlab),
    ("gldt-", Anchor::Gitlab),
    ("glrt-", Anchor::Gitlab),
    ("glptt-", Anchor::Gitlab),
    ("xoxb-", Anchor::Slack),
    ("xoxp-", Anchor::Slack),
    ("xoxa-", Anchor::Slack),
    ("xoxr-", Anchor::Slack),
    ("xoxs-", Anchor::Slack),
    ("xoxe-", Anchor::Slack),
    ("sk_live_", Anchor::Stripe),
    ("rk_live_", Anchor::Stripe),
    ("sk_test_", Anchor::Stripe),
    ("rk_test_", Anchor::Stripe),
    ("AIza", Anchor::Google),
    ("eyJ", Anchor::Jwt),
    ("-----BEGIN ", Anchor::Pem),
    ("://", Anchor::Url),
    // Spelled out in the usual cases rather than searched case-insensitively, which would keep the automaton from
    // its vectorised prefilter.
    ("password", Anchor::Password),
    ("Password", Anchor::Password),
    ("PASSWORD", Anchor::Password),
    ("passwd", Anchor::Password),
    ("Passwd", Anchor::Password),
    ("PASSWD", Anchor::Password),
    ("pwd", Anchor::Password),
    ("Pwd", Anchor::Password),
    ("PWD", Anchor::Password),
    ("secret", Anchor::Secret),
    ("Secret", Anchor::Secret),
    ("SECRET", Anchor::Secret),
];

/// Byte classes of the second pass.
const DIGIT: u8 = 1;
const AT: u8 = 2;
const COLON: u8 = 3;
const PLUS_OR_PAREN: u8 = 4;

const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = DIGIT;
        c += 1;
    }
    t[b'@' as usize] = AT;
    t[b':' as usize] = COLON;
    t[b'+' as usize] = PLUS_OR_PAREN;
    t[b'(' as usize] = PLUS_OR_PAREN;
    t
};

/// Whether `b` has a class of the second pass: a digit, `:`, `@`, `+` or `(`.
#[inline(always)]
fn interesting(b: u8) -> bool {
    (b.wrapping_sub(b'0') <= 10) | (b == b'@') | (b == b'+') | (b == b'(')
}

/// The first position from `i` before `stop` whose byte is [`interesting`], or `stop`. Most text is letters and
/// spaces: 32 bytes at a time are tested with arithmetic (not a table lookup, so that the compiler vectorises it),
/// and only a block that holds an interesting byte is looked at again, eight bytes at a time, for its position.
#[inline(always)]
fn next_interesting(hay: &[u8], mut i: usize, stop: usize) -> usize {
    let stop = stop.min(hay.len());
    while let Some(block) = hay.get(i..i + 32).filter(|_| i + 32 <= stop) {
        if !block.iter().fold(false, |any, &b| any | interesting(b)) {
            i += 32;
            continue;
        }
        for word in block.chunks_exact(8) {
            let bits = interesting_bits(u64::from_le_bytes(<[u8; 8]>::try_from(word).unwrap_or_default()));
            if bits != 0 {
                return i + (bits.trailing_zeros() / 8) as usize;
            }
            i += 8;
        }
    }
    while i < stop && !interesting(hay[i]) {
        i += 1;
    }
    i
}

const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HIGH: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `x` (little-endian) that is [`interesting`], and no other bit. Each byte's low seven
/// bits plus a constant below 0x81 never carries into the next byte, so every test is exact; bytes of 0x80 and above
/// are excluded at the end.
#[inline(always)]
fn interesting_bits(x: u64) -> u64 {
    let low = x & LOW7;
    let at_least_zero = low + ONES * (0x80 - u64::from(b'0'));
    let above_colon = low + ONES * (0x80 - u64::from(b':') - 1);
    let equal = |c: u8| !((low ^ (ONES * u64::from(c))) + LOW7);
    ((at_least_zero & !above_colon) | equal(b'@') | equal(b'+') | equal(b'(')) & !x & HIGH
}

/// The compiled search: anchors, enabled detectors, custom detectors.
pub(crate) struct Engine {
    anchors: AhoCorasick,
    enabled: [bool; DETECTORS.len()],
    custom: Vec<CustomDetector>,
    custom_regex: Option<regex_automata::meta::Regex>,
    /// Each detector's keywords (built-ins first, then custom ones), indexed by first byte.
    keywords: Vec<Keywords>,
}

impl Engine {
    pub(crate) fn new(disabled: &[String], custom: Vec<CustomDetector>) -> Result<Engine, crate::Error> {
        let anchors = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(ANCHORS.iter().map(|(a, _)| a))
            .map_err(|e| crate::Error::Config(format!("anchor automaton: {e}")))?;
        let mut enabled = [true; DETECTORS.len()];
        for id in disabled {
            let Some(i) = DETECTORS.iter().position(|d| d.id == id) else {
                return Err(crate::Error::Config(format!("disable: no built-in detector {id:?}")));
            };
            enabled[i] = false;
        }
        let custom_regex = if custom.is_empty() {
            None
        } else {
            let patterns: Vec<&str> = custom.iter().map(|c| c.regex.as_str()).collect();
            Some(
                regex_automata::meta::Regex::new_many(&patterns)
                    .map_err(|e| crate::Error::Config(format!("custom detector pattern: {e}")))?,
            )
        };
        let keywords = DETECTORS
            .iter()
            .map(|d| Keywords::new(d.keywords))
            .chain(custom.iter().map(|c| Keywords::new(&c.keywords)))
            .collect();
        Ok(Engine { anchors, enabled, custom, custom_regex, keywords })
    }

    /// The custom detectors, in index order after the built-ins.
    pub(crate) fn custom(&self) -> &[CustomDetector] {
        &self.custom
    }

    fn on(&self, b: Builtin) -> bool {
        self.enabled[b as usize]
    }

    /// Whether a built-in detector is on.
    pub(crate) fn enabled(&self, b: Builtin) -> bool {
        self.on(b)
    }

    /// Every match in `hay` that starts within `keep`. The bytes outside `keep` are context: they let a match that
    /// starts inside it be seen whole, and its keywords be read.
    pub(crate) fn scan(&self, hay: &[u8], keep: Range<usize>, out: &mut Vec<Found>) {
        let first = out.len();
        self.anchored(hay, &keep, out);
        self.classes(hay, &keep, out);
        self.custom_pass(hay, &keep, out);
        out[first..].sort_by_key(|f| (f.start, f.detector, f.end));
        let mut kept = first;
        for i in first..out.len() {
            if kept > first && out[kept - 1] == out[i] {
                continue;
            }
            out.swap(kept, i);
            kept += 1;
        }
        out.truncate(kept);
    }

    fn push(
        &self,
        hay: &[u8],
        b: Builtin,
        span: Range<usize>,
        base: Confidence,
        keep: &Range<usize>,
        out: &mut Vec<Found>,
    ) {
        if !self.on(b) || !keep.contains(&span.start) {
            return;
        }
        let raised = self.keyword_near(hay, span.start, b as usize);
        out.push(Found {
            detector: b as u16,
            start: span.start,
            end: span.end,
            confidence: if raised { base.raised() } else { base },
            raised,
            unvalidated: false,
        });
    }

    fn anchored(&self, hay: &[u8], keep: &Range<usize>, out: &mut Vec<Found>) {
        // Anchors are searched a little before `keep` too: a match starting in `keep` may have its anchor after the
        // start (a URL's scheme, a password's key) but never more than MAX_MATCH after it.
        let to = keep.end.saturating_add(MAX_MATCH).min(hay.len());
        let from = keep.start.saturating_sub(MAX_MATCH);
        let input = aho_corasick::Input::new(hay).range(from..to);
        for m in self.anchors.find_iter(input) {
            let at = m.start();
            let Some((_, kind)) = ANCHORS.get(m.pattern().as_usize()) else { continue };
            // Tokens, keys and PEM blocks start at their anchor: outside `keep`, nothing they hold is reported here.
            let starts_at_anchor = !matches!(kind, Anchor::Url | Anchor::Password | Anchor::Secret);
            if starts_at_anchor && !keep.contains(&at) {
                continue;
            }
            match kind {
                Anchor::AwsKeyId => {
                    if let Some((s, c)) = d::aws_access_key_id::confirm(hay, at) {
                        self.push(hay, Builtin::AwsAccessKeyId, s, c, keep, out);
                    }
                }
                Anchor::Github => {
                    if let Some((s, c)) = d::github_token::confirm(hay, at) {
                        self.push(hay, Builtin::GithubToken, s, c, keep, out);
                    }
                }
                Anchor::Gitlab => {
                    if let Some((s, c)) = d::gitlab_token::confirm(hay, at) {
                        self.push(hay, Builtin::GitlabToken, s, c, keep, out);
                    }
                }
                Anchor::Slack => {
                    if let Some((s, c)) = d::slack_token::confirm(hay, at) {
                        self.push(hay, Builtin::SlackToken, s, c, keep, out);
                    }
                }
                Anchor::Stripe => {
                    if let Some((s, c)) = d::stripe_key::confirm(hay, at) {
                        self.push(hay, Builtin::StripeKey, s, c, keep, out);
                    }
                }
                Anchor::Google => {
                    if let Some((s, c)) = d::google_api_key::confirm(hay, at) {
                        self.push(hay, Builtin::GoogleApiKey, s, c, keep, out);
                    }
                }
                Anchor::Jwt => {
                    if let Some((s, c)) = d::jwt::confirm(hay, at) {
                        self.push(hay, Builtin::Jwt, s, c, keep, out);
                    }
                }
                Anchor::Pem => {
                    if let Some((s, c)) = d::private_key::confirm(hay, at) {
                        self.push(hay, Builtin::PrivateKey, s, c, keep, out);
                    }
                }
                Anchor::Url => {
                    if let Some((s, c)) = d::connection_string_credentials::confirm_url(hay, at) {
                        self.push(hay, Builtin::ConnectionStringCredentials, s, c, keep, out);
                    }
                }
                Anchor::Password => {
                    if let Some((s, c, in_connection_string)) = d::password::confirm(hay, at, m.end()) {
                        let b =
                            if in_connection_string { Builtin::ConnectionStringCredentials } else { Builtin::Password };
                        self.push(hay, b, s, c, keep, out);
                    }
                }
                Anchor::Secret => {
                    if let Some((s, c)) = d::aws_secret_access_key::confirm_after_keyword(hay, m.end()) {
                        self.push(hay, Builtin::AwsSecretAccessKey, s, c, keep, out);
                    }
                }
            }
        }
    }

    fn classes(&self, hay: &[u8], keep: &Range<usize>, out: &mut Vec<Found>) {
        // Context before `keep` lets a digit run or an address that crosses its start be read from its beginning.
        let mut i = keep.start.saturating_sub(MAX_MATCH);
        // And a little after it: an address or an IBAN that starts in `keep` may be recognised from a byte after
        // its end (its `@`, its first colon, its first digit).
        let stop = keep.end.saturating_add(LOOK_BACK).min(hay.len());
        let mut ipv6_done = 0usize;
        loop {
            i = next_interesting(hay, i, stop);
            let Some(&b) = hay.get(i).filter(|_| i < stop) else { break };
            match CLASS[usize::from(b)] {
                DIGIT => i = self.digit_run(hay, i, keep, out),
                PLUS_OR_PAREN => {
                    if hay.get(i + 1).is_some_and(u8::is_ascii_digit) {
                        i = self.digit_run(hay, i, keep, out);
                    } else {
                        i += 1;
                    }
                }
                AT => {
                    if let Some((s, c)) = d::email::confirm(hay, i) {
                        self.push(hay, Builtin::Email, s, c, keep, out);
                    }
                    i += 1;
                }
                COLON => {
                    if i >= ipv6_done {
                        let (found, end) = d::ip_address::confirm_ipv6(hay, i);
                        ipv6_done = end;
                        if let Some((s, c)) = found {
                            self.push(hay, Builtin::IpAddress, s, c, keep, out);
                        }
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    /// Reads the digit run starting at `at` (a digit, or `+` or `(` before one), reports what it holds, and returns
    /// where the search goes on.
    fn digit_run(&self, hay: &[u8], at: usize, keep: &Range<usize>, out: &mut Vec<Found>) -> usize {
        // IBANs begin with two capital letters just before the run.
        if at >= 2 && hay[at].is_ascii_digit() && self.on(Builtin::Iban) {
            if let Some((s, c)) = d::iban::confirm(hay, at - 2) {
                let end = s.end;
                self.push(hay, Builtin::Iban, s, c, keep, out);
                return end;
            }
        }
        let run = Run::read(hay, at);
        let end = run.end.max(at + 1);
        if !run.left_bounded(hay) || !run.right_bounded(hay) || run.count == 0 {
            return end;
        }
        // Every candidate of the run starts inside it: a run wholly in the context before or after `keep` reports
        // nothing here, and how its groups would be split does not change where the search goes on.
        if run.end <= keep.start || run.start >= keep.end {
            return end;
        }
        let n = run.count;
        let mut i = 0;
        while i < n {
            if i > 0 && !run.soft_before(hay, i) {
                i += 1;
                continue;
            }
            let mut matched = false;
            for j in (i..n.min(i + MAX_GROUPS_PER_MATCH)).rev() {
                if j + 1 < n && !run.soft_before(hay, j + 1) {
                    continue;
                }
                if self.numeric(hay, &run, i, j, keep, out) {
                    matched = true;
                    i = j + 1;
                    break;
                }
            }
            if !matched {
                i += 1;
            }
        }
        end
    }

    /// Offers groups `i..=j` of a run to every numeric detector; true when one accepts.
    fn numeric(&self, hay: &[u8], run: &Run, i: usize, j: usize, keep: &Range<usize>, out: &mut Vec<Found>) -> bool {
        let start = if i == 0 { run.start } else { run.group(i).start };
        let end = run.group(j).end;
        let mut digits = [0u8; 64];
        let mut lens = [0u8; MAX_GROUPS_PER_MATCH];
        let mut nd = 0;
        for (k, g) in (i..=j).map(|k| run.group(k)).enumerate() {
            let len = g.end - g.start;
            if nd + len > digits.len() {
                return false;
            }
            digits[nd..nd + len].copy_from_slice(&hay[g]);
            nd += len;
            lens[k] = len as u8;
        }
        let mut sep = Sep::None;
        for k in i + 1..=j {
            let s = Sep::of(&hay[run.group(k - 1).end..run.group(k).start]);
            sep = if k == i + 1 || sep == s { s } else { Sep::Mixed };
        }
        let number = Number {
            text: &hay[start..end],
            digits: &digits[..nd],
            groups: &lens[..=j - i],
            sep,
            plus: i == 0 && run.plus,
            paren: i == 0 && run.paren,
        };
        let mut accepted = false;
        let numeric: [(Builtin, Confirm); 6] = [
            (Builtin::CreditCard, d::credit_card::confirm),
            (Builtin::UsSsn, d::us_ssn::confirm),
            (Builtin::UsItin, d::us_itin::confirm),
            (Builtin::AbaRouting, d::aba_routing::confirm),
            (Builtin::IpAddress, d::ip_address::confirm_ipv4),
            (Builtin::DateOfBirth, d::date_of_birth::confirm),
        ];
        for (b, confirm) in numeric {
            if !self.on(b) {
                continue;
            }
            let Some(c) = confirm(&number) else { continue };
            if b == Builtin::IpAddress && d::ip_address::version_before(hay, start) {
                continue;
            }
            accepted = true;
            self.push(hay, b, start..end, c, keep, out);
        }
        if self.on(Builtin::PhoneNumber) {
            let near = || self.keyword_near(hay, start, Builtin::PhoneNumber as usize);
            match d::phone_number::confirm(&number, near) {
                d::phone_number::Verdict::Valid(c) => {
                    accepted = true;
                    self.push(hay, Builtin::PhoneNumber, start..end, c, keep, out);
                }
                d::phone_number::Verdict::Unvalidated => {
                    accepted = true;
                    if keep.contains(&start) {
                        out.push(Found {
                            detector: Builtin::PhoneNumber as u16,
                            start,
                            end,
                            confidence: Confidence::VeryUnlikely,
                            raised: false,
                            unvalidated: true,
                        });
                    }
                }
                d::phone_number::Verdict::No => {}
            }
        }
        accepted
    }

    fn custom_pass(&self, hay: &[u8], keep: &Range<usize>, out: &mut Vec<Found>) {
        let Some(re) = &self.custom_regex else { return };
        let to = keep.end.saturating_add(MAX_MATCH).min(hay.len());
        let input = regex_automata::Input::new(hay).range(keep.start..to);
        for m in re.find_iter(input) {
            if !keep.contains(&m.start()) {
                continue;
            }
            let index = m.pattern().as_usize();
            let Some(c) = self.custom.get(index) else { continue };
            let text = &hay[m.range()];
            if !c.validator.check(text) {
                continue;
            }
            let raised = self.keyword_near(hay, m.start(), DETECTORS.len() + index);
            out.push(Found {
                detector: (DETECTORS.len() + index) as u16,
                start: m.start(),
                end: m.end(),
                confidence: if raised { c.confidence.raised() } else { c.confidence },
                raised,
                unvalidated: false,
            });
        }
    }
}

/// The start of the window searched for keywords before `at`: [`KEYWORD_WINDOW`] bytes, on the same line (a
/// keyword on the line above belongs to another record).
fn keyword_window(hay: &[u8], at: usize) -> usize {
    let mut from = at.saturating_sub(KEYWORD_WINDOW);
    if let Some(nl) = memchr::memrchr(b'\n', &hay[from..at]) {
        from += nl + 1;
    }
    from
}

/// The most keywords a detector's tables index; a custom detector with more is searched keyword by keyword.
const INDEXED_KEYWORDS: usize = 16;

/// A detector's keywords, indexed by their first two bytes (in either case), so that the window before a match is
/// read once rather than once per keyword, no lowercase copy of it is made, and a keyword is compared only where
/// its first two bytes are.
struct Keywords {
    words: Vec<Vec<u8>>,
    /// Bit `k` of `first[b]` is set when keyword `k` begins with `b` lowercased.
    first: Box<[u16; 256]>,
    /// Bit `k` of `second[b]` is set when keyword `k`'s second byte is `b` lowercased, or when it has one byte.
    second: Box<[u16; 256]>,
    /// The bits of the one-byte keywords: the only ones that can begin at the window's last byte.
    single: u16,
}

impl Keywords {
    fn new<S: AsRef<str>>(keywords: &[S]) -> Keywords {
        // An empty keyword never matches: it gets no bit.
        let words: Vec<Vec<u8>> =
            keywords.iter().map(|k| k.as_ref().as_bytes().to_vec()).filter(|k| !k.is_empty()).collect();
        let mut first = Box::new([0u16; 256]);
        let mut second = Box::new([0u16; 256]);
        let mut single = 0u16;
        for (k, w) in words.iter().enumerate().take(INDEXED_KEYWORDS) {
            let bit = 1u16 << k;
            if w.len() == 1 {
                single |= bit;
            }
            for b in 0..=255u8 {
                let lower = b.to_ascii_lowercase();
                if w.first() == Some(&lower) {
                    first[usize::from(b)] |= bit;
                }
                if w.get(1).is_none_or(|&c| c == lower) {
                    second[usize::from(b)] |= bit;
                }
            }
        }
        Keywords { words, first, second, single }
    }

    /// Whether one of the keywords occurs, case-insensitively, in `window`. Keywords are lowercase: one with a
    /// capital letter never matches, as the window is compared lowercased.
    fn any_in(&self, window: &[u8]) -> bool {
        if self.words.len() > INDEXED_KEYWORDS {
            let lower = window.to_ascii_lowercase();
            return self.words.iter().any(|w| contains(&lower, w));
        }
        let Some((&last, _)) = window.split_last() else { return false };
        for (p, pair) in window.windows(2).enumerate() {
            let mask = self.first[usize::from(pair[0])] & self.second[usize::from(pair[1])];
            if mask != 0 && self.compare(window, p, mask) {
                return true;
            }
        }
        self.first[usize::from(last)] & self.single != 0
    }

    /// Whether one of the keywords of `mask`, whose first two bytes are known to match, occurs whole at `p`.
    #[cold]
    fn compare(&self, window: &[u8], p: usize, mut mask: u16) -> bool {
        while mask != 0 {
            let w = &self.words[mask.trailing_zeros() as usize];
            mask &= mask - 1;
            if let Some(tail) = window.get(p + 1..p + w.len()) {
                if tail.iter().zip(&w[1..]).all(|(a, b)| a.to_ascii_lowercase() == *b) {
                    return true;
                }
            }
        }
        false
    }
}

impl Engine {
    /// Whether one of detector `index`'s keywords (lowercase) occurs in the [`KEYWORD_WINDOW`] bytes before `at`, on
    /// the same line.
    fn keyword_near(&self, hay: &[u8], at: usize, index: usize) -> bool {
        let Some(k) = self.keywords.get(index) else { return false };
        if k.words.is_empty() || at > hay.len() {
            return false;
        }
        k.any_in(&hay[keyword_window(hay, at)..at])
    }
}

/// The reference for [`Engine::keyword_near`]: the window lowercased, then each keyword searched in it.
#[cfg(test)]
fn keyword_near<S: AsRef<str>>(hay: &[u8], at: usize, keywords: &[S]) -> bool {
    if keywords.is_empty() || at > hay.len() {
        return false;
    }
    let w = hay[keyword_window(hay, at)..at].to_ascii_lowercase();
    keywords.iter().any(|k| contains(&w, k.as_ref().as_bytes()))
}

/// Substring search for a short needle in a short haystack, byte by byte: no setup, no library call per position.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return false };
    if hay.len() < needle.len() {
        return false;
    }
    (0..=hay.len() - needle.len())
        .any(|i| hay[i] == first && hay[i + 1..i + needle.len()].iter().zip(rest).all(|(a, b)| a == b))
}

/// Whether one of `keywords` (lowercase) occurs in a column header or field name.
pub(crate) fn keyword_in<S: AsRef<str>>(name: &str, keywords: &[S]) -> bool {
    let lower = name.to_ascii_lowercase();
    keywords.iter().any(|k| lower.contains(k.as_ref()))
}

/// The most digit groups one numeric match spans (a 19-digit card in groups of four has five).
const MAX_GROUPS_PER_MATCH: usize = 6;
/// Digit groups read into one run; a longer run goes on as another.
const MAX_GROUPS: usize = 24;
/// A longer group of digits is no number any detector knows.
const MAX_GROUP_DIGITS: usize = 19;

/// The separator between the digit groups of a numeric candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sep {
    /// A single group.
    None,
    /// One space.
    Space,
    /// One hyphen.
    Dash,
    /// One dot.
    Dot,
    /// One slash.
    Slash,
    /// Different separators, or two-character ones such as `) `.
    Mixed,
}

impl Sep {
    fn of(s: &[u8]) -> Sep {
        match s {
            b" " => Sep::Space,
            b"-" => Sep::Dash,
            b"." => Sep::Dot,
            b"/" => Sep::Slash,
            _ => Sep::Mixed,
        }
    }
}

/// A numeric detector's confirmation.
type Confirm = fn(&Number) -> Option<Confidence>;

/// A numeric candidate as detectors see it.
pub(crate) struct Number<'a> {
    /// The candidate's bytes, separators included.
    pub text: &'a [u8],
    /// Its digits only.
    pub digits: &'a [u8],
    /// The length of each digit group.
    pub groups: &'a [u8],
    /// The separator between groups.
    pub sep: Sep,
    /// It begins with `+`.
    pub plus: bool,
    /// It begins with `(`.
    pub paren: bool,
}

impl Number<'_> {
    /// Whether the groups have exactly these lengths.
    pub(crate) fn shape(&self, lens: &[u8]) -> bool {
        self.groups == lens
    }
}

/// Digit groups joined by separators of one or two characters among space, `-`, `.`, `/`, `(` and `)`.
struct Run {
    start: usize,
    end: usize,
    plus: bool,
    paren: bool,
    bounds: [(u32, u32); MAX_GROUPS],
    count: usize,
}

fn is_sep(c: u8) -> bool {
    matches!(c, b' ' | b'-' | b'.' | b'/' | b'(' | b')')
}

impl Run {
    fn read(hay: &[u8], at: usize) -> Run {
        let mut pos = at;
        let (plus, paren) = match hay.get(at) {
            Some(b'+') => (true, false),
            Some(b'(') => (false, true),
            _ => (false, false),
        };
        if plus || paren {
            pos += 1;
        }
        // Offsets relative to `at`, so that they fit in 32 bits: a run is at most a few hundred bytes.
        let mut run = Run { start: at, end: at, plus, paren, bounds: [(0, 0); MAX_GROUPS], count: 0 };
        loop {
            let g = pos;
            let len = d::span_while(hay, g, usize::MAX, |c| c.is_ascii_digit());
            pos = g + len;
            if len > MAX_GROUP_DIGITS {
                // Too long for any detector: the run ends before it and the search goes on after it.
                if run.count == 0 {
                    run.end = pos;
                    return run;
                }
                pos = g;
                break;
            }
            run.bounds[run.count] = ((g - at) as u32, (pos - at) as u32);
            run.count += 1;
            if run.count == MAX_GROUPS {
                break;
            }
            let s = d::span_while(hay, pos, 2, is_sep);
            if s == 0 || !hay.get(pos + s).is_some_and(u8::is_ascii_digit) {
                break;
            }
            pos += s;
        }
        run.end = if run.count > 0 { run.group(run.count - 1).end } else { pos };
        run
    }

    /// Group `k`'s bytes.
    fn group(&self, k: usize) -> Range<usize> {
        let (s, e) = self.bounds[k];
        self.start + s as usize..self.start + e as usize
    }

    /// Not the tail of a word, a version or a hash: `v1.2.3.4`, `a1b2-1234`.
    fn left_bounded(&self, hay: &[u8]) -> bool {
        match before(hay, self.start) {
            None => true,
            Some(c) if is_word(c) => false,
            Some(b'-' | b'.' | b'/' | b'+') => !before(hay, self.start - 1).is_some_and(is_word),
            Some(_) => true,
        }
    }

    /// Not followed by a word or by `.x`, `-x`.
    fn right_bounded(&self, hay: &[u8]) -> bool {
        match hay.get(self.end) {
            None => true,
            Some(&c) if is_word(c) => false,
            Some(b'-' | b'.' | b'/') => !hay.get(self.end + 1).is_some_and(|&c| is_word(c)),
            Some(_) => true,
        }
    }

    /// Whether the separator before group `k` holds a space or a parenthesis: only there may a match start or
    /// end inside a run.
    fn soft_before(&self, hay: &[u8], k: usize) -> bool {
        let sep = &hay[self.group(k - 1).end..self.group(k).start];
        sep.iter().any(|c| matches!(c, b' ' | b'(' | b')'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &'static str)> {
        let e = Engine::new(&[], Vec::new()).unwrap();
        let mut out = Vec::new();
        e.scan(text.as_bytes(), 0..text.len(), &mut out);
        out.iter()
            .filter(|f| f.confidence >= Confidence::Possible)
            .map(|f| (text[f.start..f.end].to_string(), DETECTORS[usize::from(f.detector)].id))
            .collect()
    }

    use proptest::prelude::*;

    proptest! {
        /// The indexed keyword search finds exactly what lowercasing the window and searching each keyword finds.
        #[test]
        fn keyword_tables_agree_with_the_plain_search(
            text in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b' '), Just(b':'), Just(b'#'), Just(0xC3u8), b'a'..=b'z', b'A'..=b'Z', b'0'..=b'9'],
                0..160,
            ),
            words in proptest::collection::vec("[a-zA-Z #:]{0,6}", 0..40),
            at in 0usize..170,
        ) {
            let mut hay = text.clone();
            // Plant a few keywords so that hits are common.
            for (k, w) in words.iter().enumerate().take(3) {
                let pos = (k * 37) % (hay.len() + 1);
                hay.splice(pos..pos, w.to_uppercase().bytes());
            }
            let custom = CustomDetector {
                id: "c".into(),
                category: crate::Category::Personal,
                regex: "x".into(),
                keywords: words.clone(),
                validator: crate::validate::Validator::None,
                confidence: Confidence::Possible,
            };
            let e = Engine::new(&[], vec![custom]).unwrap();
            for (index, d) in DETECTORS.iter().enumerate() {
                prop_assert_eq!(e.keyword_near(&hay, at, index), keyword_near(&hay, at, d.keywords), "{}", d.id);
            }
            prop_assert_eq!(e.keyword_near(&hay, at, DETECTORS.len()), keyword_near(&hay, at, &words));
        }
    }

    #[test]
    fn interesting_bytes_found_in_words_and_blocks() {
        for b in 0..=255u8 {
            for k in 0..8 {
                let mut w = [b'a'; 8];
                w[k] = b;
                let bits = interesting_bits(u64::from_le_bytes(w));
                assert_eq!(bits, if interesting(b) { 0x80 << (8 * k) } else { 0 }, "byte {b} at {k}");
            }
        }
        let mut hay = vec![b'x'; 100];
        for at in [0, 7, 31, 32, 63, 70, 99] {
            hay[at] = b'5';
            assert_eq!(next_interesting(&hay, 0, 100), at);
            assert_eq!(next_interesting(&hay, 0, at), at, "stops at `stop`");
            hay[at] = b'x';
        }
        assert_eq!(next_interesting(&hay, 0, 100), 100);
    }

    #[test]
    fn keywords_before_a_match() {
        let e = Engine::new(&[], Vec::new()).unwrap();
        let phone = Builtin::PhoneNumber as usize;
        let hay = b"Office PHONE: 415 867 2331\nx 4158672331";
        assert!(e.keyword_near(hay, 14, phone));
        assert!(!e.keyword_near(hay, 29, phone), "a keyword on the line above does not count");
        assert!(!e.keyword_near(hay, 3, phone));
    }

    #[test]
    fn runs_split_at_spaces_only() {
        assert_eq!(found("card 4111 1111 1111 1111 12/27"), vec![("4111 1111 1111 1111".into(), "credit_card")]);
        assert_eq!(found("v1.2.3.4 and 1.2.3.4.5"), vec![]);
        assert_eq!(found("at 10.0.0.1, done"), vec![("10.0.0.1".into(), "ip_address")]);
    }
}
