//! A deterministic labelled corpus: mixed text (prose, logs, configuration lines) with planted entities of every
//! built-in detector at known offsets, and hard negatives that look like them but must not be reported
//! (Luhn-invalid cards, SSNs with invalid areas, IBANs with bad checksums, UUIDs, SHA-1 and SHA-256 digests, AWS's
//! example keys, version strings, timestamps). Tests measure precision and recall on it; benchmarks scan it.

use serde::Serialize;

/// An entity put in the corpus: which detector must find it, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Planted {
    /// The detector's id.
    pub detector: &'static str,
    /// Offset of its first byte.
    pub start: usize,
    /// Offset after its last byte.
    pub end: usize,
}

/// SplitMix64: small, fast and the same everywhere, so a seed always gives the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len() as u64) as usize]
    }
    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(*self.pick(alphabet))).collect()
    }
    fn digits(&mut self, n: usize) -> String {
        self.chars(b"0123456789", n)
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const HEX: &[u8] = b"0123456789abcdef";
const WORDS: &[&str] = &[
    "the",
    "service",
    "request",
    "returned",
    "after",
    "deploy",
    "cluster",
    "queue",
    "worker",
    "started",
    "finished",
    "with",
    "status",
    "for",
    "region",
    "bucket",
    "object",
    "policy",
    "review",
    "quarterly",
    "report",
    "team",
    "meeting",
    "notes",
    "about",
    "migration",
    "latency",
    "improved",
    "customer",
    "ticket",
    "closed",
    "pending",
    "update",
    "release",
    "branch",
    "merged",
    "into",
    "main",
    "build",
    "passed",
    "failed",
    "retry",
    "scheduled",
    "backup",
    "completed",
    "in",
    "seconds",
    "and",
    "then",
    "was",
    "moved",
    "to",
    "archive",
    "owner",
    "approved",
    "change",
    "window",
    "tonight",
    "on",
    "call",
    "rotation",
    "handover",
    "summary",
    "metrics",
    "dashboard",
];

fn luhn_digit(partial: &str) -> char {
    // The check digit makes the whole number pass: double every second digit counting from the check digit.
    let mut sum = 0u32;
    for (i, c) in partial.bytes().rev().enumerate() {
        let mut v = u32::from(c - b'0');
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn card(r: &mut Rng, valid: bool) -> String {
    let (prefix, len) =
        *r.pick(&[("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15), ("6011", 16), ("3530", 16)]);
    let mut s = prefix.to_string();
    s.push_str(&r.digits(len - 1 - prefix.len()));
    let check = luhn_digit(&s);
    s.push(if valid { check } else { char::from(b'0' + ((check as u8 - b'0' + 1 + r.below(8) as u8) % 10)) });
    match (r.below(3), len) {
        (0, _) => s,
        (_, 15) => format!("{} {} {}", &s[..4], &s[4..10], &s[10..]),
        (k, _) => {
            let sep = if k == 1 { " " } else { "-" };
            format!("{}{sep}{}{sep}{}{sep}{}", &s[..4], &s[4..8], &s[8..12], &s[12..])
        }
    }
}

fn iban(r: &mut Rng, valid: bool) -> String {
    let (country, bban) = match r.below(4) {
        0 => ("DE", r.digits(18)),
        1 => ("GB", format!("{}{}", r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4), r.digits(14))),
        2 => ("NL", format!("{}{}", r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4), r.digits(10))),
        _ => ("ES", r.digits(20)),
    };
    let mut rem = 0u32;
    for c in format!("{bban}{country}00").bytes() {
        rem = if c.is_ascii_digit() {
            (rem * 10 + u32::from(c - b'0')) % 97
        } else {
            (rem * 100 + u32::from(c - b'A') + 10) % 97
        };
    }
    let mut check = 98 - rem;
    if !valid {
        check = (check + 1 + r.below(90) as u32) % 97 + 2;
        if check == 98 - rem {
            check = if check > 2 { check - 1 } else { check + 1 };
        }
    }
    let compact = format!("{country}{check:02}{bban}");
    if r.below(2) == 0 {
        compact
    } else {
        compact.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }
}

fn ssn(r: &mut Rng) -> String {
    loop {
        let area = r.range(1, 899);
        if area == 666 || (area == 78 || area == 219) {
            continue;
        }
        return format!("{area:03}-{:02}-{:04}", r.range(1, 99), r.range(1, 9999));
    }
}

fn itin(r: &mut Rng) -> String {
    let group = *r.pick(&[50u64, 55, 62, 65, 70, 77, 88, 90, 92, 94, 99]);
    format!("9{}-{group}-{}", r.digits(2), r.digits(4))
}

fn aba(r: &mut Rng, valid: bool) -> String {
    let prefix = *r.pick(&["01", "02", "03", "05", "11", "12", "21", "26", "31", "32", "61", "67", "71", "80"]);
    let mut d: Vec<u32> = prefix.bytes().map(|c| u32::from(c - b'0')).collect();
    for _ in 0..6 {
        d.push(r.below(10) as u32);
    }
    let partial = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5]);
    let check = (10 - partial % 10) % 10;
    d.push(if valid { check } else { (check + 1 + r.below(9) as u32) % 10 });
    d.iter().map(|v| char::from(b'0' + *v as u8)).collect()
}

fn phone(r: &mut Rng) -> String {
    let area = *r.pick(&["212", "310", "415", "617", "312", "206", "303", "512", "646", "718", "202", "404"]);
    let exchange = loop {
        let e = r.range(200, 999);
        if e % 100 != 11 && e != 555 {
            break e;
        }
    };
    let line = r.digits(4);
    match r.below(5) {
        0 => format!("({area}) {exchange}-{line}"),
        1 => format!("{area}-{exchange}-{line}"),
        2 => format!("+1 {area} {exchange} {line}"),
        3 => format!("+1-{area}-{exchange}-{line}"),
        _ => format!("+44 20 7946 0{}", r.digits(3)),
    }
}

fn ip(r: &mut Rng) -> String {
    if r.below(4) == 0 {
        format!("2001:db8:{:x}:{:x}::{:x}", r.below(65536), r.below(65536), r.range(1, 65535))
    } else {
        format!("{}.{}.{}.{}", r.range(1, 223), r.below(256), r.below(256), r.range(1, 254))
    }
}

fn birth(r: &mut Rng) -> String {
    let (y, m, d) = (r.range(1940, 2005), r.range(1, 12), r.range(1, 28));
    match r.below(3) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{m:02}/{d:02}/{y}"),
        _ => format!("{d:02}.{m:02}.{y}"),
    }
}

fn secret40(r: &mut Rng) -> String {
    loop {
        let s = r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 40);
        if s.bytes().any(|c| c.is_ascii_uppercase())
            && s.bytes().any(|c| c.is_ascii_lowercase())
            && s.bytes().any(|c| c.is_ascii_digit())
        {
            return s;
        }
    }
}

fn b64url_json(json: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn password_value(r: &mut Rng) -> String {
    let n = r.range(10, 18) as usize;
    let mut s = r.chars(b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", 2);
    s.push_str(&r.chars(b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%^*", n));
    s
}

/// A planted line: text before, the entity, text after.
fn planted(r: &mut Rng, detector: &'static str) -> (String, String, String) {
    let s = |v: &str| v.to_string();
    match detector {
        "credit_card" => {
            (s(r.pick_str(&["card number ", "paid with visa ", "charged ", "cc: "])), card(r, true), s(" today"))
        }
        "iban" => (s(r.pick_str(&["IBAN ", "pay to ", "bank account "])), iban(r, true), s(" by friday")),
        "us_ssn" => (s(r.pick_str(&["SSN: ", "social security number ", "employee "])), ssn(r), s(" on file")),
        "us_itin" => (s(r.pick_str(&["ITIN ", "taxpayer id ", "filer "])), itin(r), s(" (W-7)")),
        "aba_routing" => (s(r.pick_str(&["routing number ", "ABA: ", "routing "])), aba(r, true), s(" checking")),
        "email" => {
            let user = format!(
                "{}.{}",
                r.pick(&["jane", "omar", "li", "sam", "ana"]),
                r.pick(&["doe", "khan", "wei", "ito", "ruiz"])
            );
            let domain = *r.pick(&["example.com", "northwind.co.uk", "mail.example.org", "corp.example.net"]);
            (s(r.pick_str(&["contact ", "from: ", "cc "])), format!("{user}{}@{domain}", r.below(100)), s(" about it"))
        }
        "phone_number" => (s(r.pick_str(&["call ", "phone: ", "reach me at ", "mobile "])), phone(r), s(" after 5pm")),
        "ip_address" => (s(r.pick_str(&["client ", "connection from ", "src="])), ip(r), s(" accepted")),
        "date_of_birth" => (s(r.pick_str(&["DOB: ", "date of birth ", "born "])), birth(r), s(" per record")),
        "aws_access_key_id" => (
            s(r.pick_str(&["aws_access_key_id = ", "AccessKeyId: ", "key "])),
            format!("AKIA{}", r.chars(B32, 16)),
            s(""),
        ),
        "aws_secret_access_key" => (
            s(r.pick_str(&["aws_secret_access_key = ", "\"SecretAccessKey\": \"", "AWS_SECRET_ACCESS_KEY="])),
            secret40(r),
            s(""),
        ),
        "github_token" => (
            s(r.pick_str(&["GITHUB_TOKEN=", "token: ", "auth "])),
            format!("{}{}", r.pick(&["ghp_", "gho_", "ghs_"]), r.chars(ALNUM, 36)),
            s(""),
        ),
        "gitlab_token" => {
            (s(r.pick_str(&["GITLAB_TOKEN=", "private-token: "])), format!("glpat-{}", r.chars(ALNUM, 20)), s(""))
        }
        "slack_token" => {
            (s("SLACK_BOT_TOKEN="), format!("xoxb-{}-{}-{}", r.digits(11), r.digits(13), r.chars(ALNUM, 24)), s(""))
        }
        "stripe_key" => (
            s(r.pick_str(&["STRIPE_SECRET_KEY=", "stripe key "])),
            {
                let n = 24 + r.below(10) as usize;
                format!("sk_live_{}", r.chars(ALNUM, n))
            },
            s(""),
        ),
        "google_api_key" => (
            s(r.pick_str(&["GOOGLE_API_KEY=", "maps key "])),
            format!("AIza{}", r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 35)),
            s(""),
        ),
        "jwt" => {
            let header = b64url_json(r#"{"alg":"HS256","typ":"JWT"}"#);
            let payload = b64url_json(&format!(
                r#"{{"sub":"user-{}","exp":{}}}"#,
                r.below(100_000),
                r.range(1_700_000_000, 1_900_000_000)
            ));
            (
                s("Authorization: Bearer "),
                format!(
                    "{header}.{payload}.{}",
                    r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 43)
                ),
                s(""),
            )
        }
        "private_key" => {
            let body: Vec<String> = (0..6)
                .map(|_| r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 64))
                .collect();
            (
                s(""),
                format!("-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----", body.join("\n")),
                s(""),
            )
        }
        "connection_string_credentials" => {
            if r.below(3) == 0 {
                (s("Server=tcp:sql1.corp.internal,1433;User Id=app;Password="), password_value(r), s(";Encrypt=true"))
            } else {
                let scheme = *r.pick(&["postgres", "mysql", "mongodb+srv", "redis", "amqp"]);
                (
                    s("DATABASE_URL="),
                    format!("{scheme}://svc{}:{}@db{}.corp.internal", r.below(10), r.chars(ALNUM, 14), r.below(10)),
                    s(":5432/app"),
                )
            }
        }
        _ => {
            let (before, after) = *r.pick(&[
                ("DB_PASSWORD=", ""),
                ("password: \"", "\""),
                ("\"password\": \"", "\","),
                ("smtp_passwd = '", "'"),
            ]);
            (s(before), password_value(r), s(after))
        }
    }
}

fn negative(r: &mut Rng) -> String {
    match r.below(20) {
        0 => format!("card {} declined", card(r, false)),
        // Areas 9XX with groups outside the ITIN ranges: neither an SSN nor an ITIN.
        1 => format!(
            "ssn {}-{:02}-{:04} rejected",
            r.pick(&["000", "666", "900", "943", "999"]),
            r.range(10, 49),
            r.range(1, 9999)
        ),
        2 => format!("ssn {:03}-00-{:04} invalid", r.range(1, 665), r.range(1, 9999)),
        3 => format!("IBAN {} bounced", iban(r, false)),
        4 => format!(
            "request id {}-{}-4{}-a{}-{}",
            r.chars(HEX, 8),
            r.chars(HEX, 4),
            r.chars(HEX, 3),
            r.chars(HEX, 3),
            r.chars(HEX, 12)
        ),
        5 => format!("sha1 {} sha256 {}", r.chars(HEX, 40), r.chars(HEX, 64)),
        6 => s_example_keys(r),
        7 => format!(
            "upgraded to v{}.{}.{} (version {}.{}.{}.{})",
            r.below(10),
            r.below(30),
            r.below(100),
            r.below(10),
            r.below(10),
            r.below(10),
            r.below(100)
        ),
        8 => format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z worker started",
            r.range(2015, 2025),
            r.range(1, 12),
            r.range(1, 28),
            r.below(24),
            r.below(60),
            r.below(60)
        ),
        9 => format!("ts={} elapsed={}ms", r.range(1_500_000_000, 1_800_000_000), r.below(100_000)),
        10 => format!("routing {} unknown", aba(r, false)),
        11 => format!("order #{} total ${}.{:02}", r.range(10_000, 99_999_999), r.below(5000), r.below(100)),
        12 => "password=${DB_PASSWORD} password: <set me> \"password\": null".to_string(),
        13 => format!(
            "at {:02}:{:02}:{:02} mac {}:{}:{}:{}:{}:{}",
            r.below(24),
            r.below(60),
            r.below(60),
            r.chars(HEX, 2),
            r.chars(HEX, 2),
            r.chars(HEX, 2),
            r.chars(HEX, 2),
            r.chars(HEX, 2),
            r.chars(HEX, 2)
        ),
        14 => format!("commit {} tag build-{}", r.chars(HEX, 40), r.digits(6)),
        // No card network issues numbers starting with 9.
        15 => format!("ref {} and 9{}", r.digits(9), r.digits(15)),
        16 => format!("ext 123-456-{}", r.digits(4)),
        17 => format!(
            "{}-{:02}-{:02} {:02}:{:02} rotated",
            r.range(2015, 2025),
            r.range(1, 12),
            r.range(1, 28),
            r.below(24),
            r.below(60)
        ),
        18 => format!("token {}", r.chars(ALNUM, 32)),
        _ => format!("oid 1.3.6.1.4.1.{} port {}", r.below(60000), r.range(1024, 65535)),
    }
}

fn s_example_keys(r: &mut Rng) -> String {
    match r.below(3) {
        0 => "aws_access_key_id = AKIAIOSFODNN7EXAMPLE".to_string(),
        1 => "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_string(),
        _ => "AccessKeyId: AKIAI44QH8DHBEXAMPLE SecretAccessKey: je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY".to_string(),
    }
}

fn prose(r: &mut Rng, out: &mut String) {
    let n = r.range(6, 18);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(r.pick_str(WORDS));
    }
}

/// Generates about `size_bytes` of corpus from `seed`, and the entities planted in it in order.
pub fn generate(seed: u64, size_bytes: usize) -> (Vec<u8>, Vec<Planted>) {
    let mut r = Rng(seed);
    let mut text = String::with_capacity(size_bytes + 512);
    let mut planted_list = Vec::new();
    let ids: Vec<&'static str> = crate::DETECTORS.iter().map(|d| d.id).collect();
    while text.len() < size_bytes {
        let kind = r.below(100);
        if kind < 70 {
            prose(&mut r, &mut text);
            text.push_str(".\n");
        } else if kind < 85 {
            text.push_str(&negative(&mut r));
            text.push('\n');
        } else {
            let detector = *r.pick(&ids);
            let (before, entity, after) = planted(&mut r, detector);
            prose(&mut r, &mut text);
            text.push_str(": ");
            text.push_str(&before);
            let start = text.len();
            text.push_str(&entity);
            planted_list.push(Planted { detector, start, end: text.len() });
            text.push_str(&after);
            text.push('\n');
        }
    }
    (text.into_bytes(), planted_list)
}
