//! The scanner on the generated labelled corpus: precision and recall per detector, chunk boundaries, redaction,
//! and arbitrary bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use sightline_dlp::corpus::{generate, Planted};
use sightline_dlp::{Confidence, Config, Format, Match, Scanner, DETECTORS};
use std::collections::BTreeMap;

fn scanner() -> Scanner {
    Scanner::new(&Config::default()).unwrap()
}

fn overlaps(m: &Match, p: &Planted) -> bool {
    m.detector == p.detector && (m.start as usize) < p.end && p.start < m.end as usize
}

/// Precision and recall per detector, counting a finding correct when it overlaps a planted entity of its
/// detector.
fn measure(matches: &[Match], planted: &[Planted]) -> BTreeMap<&'static str, (f64, f64, usize, usize)> {
    let mut result = BTreeMap::new();
    for d in DETECTORS {
        let found: Vec<&Match> = matches.iter().filter(|m| m.detector == d.id).collect();
        let truth: Vec<&Planted> = planted.iter().filter(|p| p.detector == d.id).collect();
        let correct = found.iter().filter(|m| truth.iter().any(|p| overlaps(m, p))).count();
        let recalled = truth.iter().filter(|p| found.iter().any(|m| overlaps(m, p))).count();
        let precision = if found.is_empty() { 1.0 } else { correct as f64 / found.len() as f64 };
        let recall = if truth.is_empty() { 1.0 } else { recalled as f64 / truth.len() as f64 };
        result.insert(d.id, (precision, recall, found.len(), truth.len()));
    }
    result
}

#[test]
fn precision_and_recall_per_detector() {
    let (data, planted) = generate(42, 2 << 20);
    let matches = scanner().scan_slice(&data, Format::Text);
    let mut failures = Vec::new();
    for (id, (precision, recall, found, truth)) in measure(&matches, &planted) {
        println!("{id:32} precision {precision:.3} recall {recall:.3} ({found} found, {truth} planted)");
        assert!(truth >= 20, "{id}: only {truth} planted");
        if precision < 0.95 || recall < 0.95 {
            failures.push(id);
        }
    }
    if !failures.is_empty() {
        for m in &matches {
            if failures.contains(&m.detector.as_str()) && !planted.iter().any(|p| overlaps(m, p)) {
                println!(
                    "false positive {m:?}: {:?}",
                    String::from_utf8_lossy(&data[m.start as usize..m.end as usize])
                );
            }
        }
        for p in &planted {
            if failures.contains(&p.detector) && !matches.iter().any(|m| overlaps(m, p)) {
                println!("missed {p:?}: {:?}", String::from_utf8_lossy(&data[p.start..p.end]));
            }
        }
    }
    assert!(failures.is_empty(), "below 0.95: {failures:?}");
}

#[test]
fn chunk_boundaries_neither_lose_nor_duplicate() {
    let (data, _) = generate(7, 600 << 10);
    let whole = scanner().with_chunk_size(64 << 20).scan_slice(&data, Format::Text);
    for chunk in [1024, 4093, 65_536] {
        let chunked = scanner().with_chunk_size(chunk).scan_slice(&data, Format::Text);
        assert_eq!(chunked.len(), whole.len(), "chunk {chunk}");
        assert_eq!(chunked, whole, "chunk {chunk}");
    }
}

#[test]
fn a_match_across_a_chunk_boundary_is_found_once() {
    for shift in 0..24 {
        let mut text = vec![b'x'; 2048 - 8 + shift];
        text.extend_from_slice(b" card 4111 1111 1111 1111 end");
        let found: Vec<Match> = scanner()
            .with_chunk_size(2048)
            .scan_slice(&text, Format::Text)
            .into_iter()
            .filter(|m| m.detector == "credit_card")
            .collect();
        assert_eq!(found.len(), 1, "shift {shift}: {found:?}");
        assert_eq!(&text[found[0].start as usize..found[0].end as usize], b"4111 1111 1111 1111");
    }
}

#[test]
fn no_planted_entity_appears_in_output() {
    let (data, planted) = generate(99, 512 << 10);
    let matches = scanner().with_min_confidence(Confidence::VeryUnlikely).scan_slice(&data, Format::Text);
    let json = serde_json::to_string(&matches).unwrap();
    let table: String = matches.iter().map(|m| format!("{} {} {}\n", m.detector, m.location, m.sample)).collect();
    for p in &planted {
        let secret = std::str::from_utf8(&data[p.start..p.end]).unwrap();
        assert!(!json.contains(secret), "{} appears in the JSON output", p.detector);
        assert!(!table.contains(secret), "{} appears in the table output", p.detector);
    }
}

#[test]
fn binary_content_is_skipped_and_said_so() {
    let mut data = b"ssn 123-45-6789 ".to_vec();
    data.extend_from_slice(&[0u8, 1, 2, 3]);
    let mut n = 0;
    let outcome = scanner().scan_reader(&data[..], Format::Text, &mut |_| n += 1).unwrap();
    assert_eq!(outcome, sightline_dlp::ObjectOutcome::SkippedBinary);
    assert_eq!(n, 0);
    let outcome = scanner().scan_reader(&b"ssn 123-45-6789"[..], Format::Text, &mut |_| n += 1).unwrap();
    assert!(matches!(outcome, sightline_dlp::ObjectOutcome::Scanned { bytes: 15, .. }));
    assert_eq!(n, 1);
}

#[test]
fn csv_headers_and_json_fields_are_context() {
    let csv = "name,dob,phone,db_password\nJane,1984-03-09,4158672331,Tr0ub4dor&3x\n";
    let found = scanner().scan_slice(csv.as_bytes(), Format::Csv);
    let ids: Vec<&str> = found.iter().map(|m| m.detector.as_str()).collect();
    assert_eq!(ids, ["date_of_birth", "phone_number", "password"], "{found:?}");
    assert_eq!(found[0].location.to_string(), "row 2, column 2 (dob)");
    assert_eq!(found[2].sample, "********");
    let json = r#"{"users": [{"name": "a"}, {"name": "b", "ssn": "536904399", "card": "4111111111111111"}]}"#;
    let found = scanner().scan_slice(json.as_bytes(), Format::Json);
    let got: Vec<(String, String, Confidence)> =
        found.iter().map(|m| (m.detector.clone(), m.location.to_string(), m.confidence)).collect();
    assert_eq!(
        got,
        [
            ("us_ssn".to_string(), "$.users[1].ssn".to_string(), Confidence::Likely),
            ("credit_card".to_string(), "$.users[1].card".to_string(), Confidence::VeryLikely),
        ]
    );
    let lines = "{\"a\": \"x\"}\n{\"contact\": {\"email\": \"jane@example.org\"}}\n";
    let found = scanner().scan_slice(lines.as_bytes(), Format::JsonLines);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].location.to_string(), "line 2 $.contact.email");
    assert_eq!(found[0].sample, "j***@example.org");
}

#[test]
fn custom_detectors_from_config() {
    let config = Config::from_toml(
        "disable = [\"email\"]\n[[detector]]\nid = \"employee_id\"\ncategory = \"personal\"\nregex = 'EMP-[0-9]{6}'\nkeywords = [\"staff\"]\n\n[[detector]]\nid = \"member_card\"\ncategory = \"financial\"\nregex = 'MC[0-9]{16}'\nvalidator = \"luhn\"\nconfidence = \"likely\"\n",
    )
    .unwrap();
    let s = Scanner::new(&config).unwrap();
    let found = s.scan_slice(b"staff EMP-123456, and much later in another paragraph of text: EMP-654321 jane@example.org MC4111111111111111 MC4111111111111112", Format::Text);
    let got: Vec<(&str, Confidence)> = found.iter().map(|m| (m.detector.as_str(), m.confidence)).collect();
    assert_eq!(
        got,
        [
            ("employee_id", Confidence::VeryLikely),
            ("employee_id", Confidence::Possible),
            ("member_card", Confidence::Likely)
        ]
    );
}

#[test]
fn large_streams_stay_bounded() {
    // 24 MiB through a reader that hands out small pieces: the scanner keeps one chunk and its context only.
    struct Repeat(Vec<u8>, usize);
    impl std::io::Read for Repeat {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1 == 0 {
                return Ok(0);
            }
            self.1 -= 1;
            let n = buf.len().min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            Ok(n)
        }
    }
    let (piece, planted) = generate(3, 64 << 10);
    let per = planted.iter().filter(|p| p.detector == "email").count();
    let mut emails = 0;
    let reader = Repeat(piece.clone(), 24 * 16);
    let outcome =
        scanner().scan_reader(reader, Format::Text, &mut |m| emails += usize::from(m.detector == "email")).unwrap();
    assert!(matches!(outcome, sightline_dlp::ObjectOutcome::Scanned { .. }));
    assert!(emails >= per * 24 * 16 * 95 / 100, "{emails} of {}", per * 24 * 16);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..4096), format in 0usize..5) {
        let format = [Format::Text, Format::Csv, Format::Tsv, Format::Json, Format::JsonLines][format];
        for m in scanner().with_min_confidence(Confidence::VeryUnlikely).with_chunk_size(1024).scan_slice(&data, format) {
            prop_assert!(m.start < m.end && m.end as usize <= data.len());
        }
    }

    #[test]
    fn text_offsets_fall_on_char_boundaries(text in "[ -~\\n\u{e9}\u{4e2d}0-9@:.+-]{0,2048}", format in 0usize..5) {
        let format = [Format::Text, Format::Csv, Format::Tsv, Format::Json, Format::JsonLines][format];
        for m in scanner().with_min_confidence(Confidence::VeryUnlikely).scan_slice(text.as_bytes(), format) {
            prop_assert!(text.is_char_boundary(m.start as usize) && text.is_char_boundary(m.end as usize), "{m:?}");
        }
    }

    #[test]
    fn planted_entities_survive_any_chunking(seed in 0u64..1000, chunk in 1024usize..8192) {
        let (data, _) = generate(seed, 24 << 10);
        let whole = scanner().scan_slice(&data, Format::Text);
        let chunked = scanner().with_chunk_size(chunk).scan_slice(&data, Format::Text);
        prop_assert_eq!(whole, chunked);
    }
}
