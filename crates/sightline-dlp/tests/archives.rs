//! Archives, documents and Parquet: every fixture is built here, in memory, by the test that reads it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use flate2::write::GzEncoder;
use proptest::prelude::*;
use sightline_dlp::{Config, Format, Limits, Location, Match, Members, ObjectOutcome, Problem, ProblemKind, Scanner};
use std::io::Write;

const CSV: &[u8] = b"name,ssn\nJane,536-22-1874\n";
const KEY: &[u8] = b"deploy with AKIAZ4N7QTR2MXVW5KPL today\n";

fn scanner() -> Scanner {
    Scanner::new(&Config::default()).unwrap()
}

/// Scans `data` as a stream named `name`.
fn scan_with(scanner: &Scanner, data: &[u8], name: &str) -> (Vec<Match>, ObjectOutcome) {
    let mut found = Vec::new();
    let outcome = scanner.scan_named(data, name, &mut |m| found.push(m)).unwrap();
    (found, outcome)
}

fn scan(data: &[u8], name: &str) -> (Vec<Match>, ObjectOutcome) {
    scan_with(&scanner(), data, name)
}

/// Scans `data` written to a file named `name`: archives are then read in place.
fn scan_on_disk(data: &[u8], name: &str) -> (Vec<Match>, ObjectOutcome) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, data).unwrap();
    let mut found = Vec::new();
    let outcome = scanner().scan_file(&path, &mut |m| found.push(m)).unwrap();
    (found, outcome)
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

fn members(outcome: &ObjectOutcome) -> Members {
    outcome.members().cloned().unwrap()
}

fn ssn_in(found: &[Match]) -> &Match {
    found.iter().find(|m| m.detector == "us_ssn").unwrap_or_else(|| panic!("no ssn in {found:?}"))
}

#[test]
fn gzip_by_name_and_by_magic() {
    let (found, outcome) = scan(&gz(CSV), "people.csv.gz");
    let m = ssn_in(&found);
    assert_eq!(m.member.as_deref(), Some("people.csv"));
    assert_eq!(m.location, Location::Cell { row: 2, column: 2, header: Some("ssn".into()) });
    assert_eq!(&CSV[m.start as usize..m.end as usize], b"536-22-1874");
    assert!(matches!(outcome, ObjectOutcome::Scanned { format: Format::Gzip, .. }), "{outcome:?}");
    // Named like text, told by its magic bytes; the member is then named after the object.
    let (found, outcome) = scan(&gz(KEY), "blob.dat");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].member.as_deref(), Some("blob.dat~"));
    assert_eq!(outcome.format(), Some(Format::Gzip));
    // The serialized match names its member; a plain object's does not.
    let json = serde_json::to_value(&found[0]).unwrap();
    assert_eq!(json["member"], "blob.dat~");
    let (plain, _) = scan(KEY, "notes.txt");
    assert!(serde_json::to_value(&plain[0]).unwrap().get("member").is_none());
}

#[test]
fn zip_members_in_place_and_streamed() {
    let binary = [0u8, 1, 2, 3, 0, 0, 7].repeat(100);
    let data = zip_of(&[("dir/people.csv", CSV), ("keys.txt", KEY), ("image.bin", &binary), ("empty/", b"")]);
    for (found, outcome) in [scan(&data, "export.dat"), scan_on_disk(&data, "export.dat")] {
        let m = ssn_in(&found);
        assert_eq!(m.member.as_deref(), Some("dir/people.csv"));
        assert_eq!(m.location, Location::Cell { row: 2, column: 2, header: Some("ssn".into()) });
        let key = found.iter().find(|m| m.detector == "aws_access_key_id").unwrap();
        assert_eq!(key.member.as_deref(), Some("keys.txt"));
        assert_eq!(&KEY[key.start as usize..key.end as usize], b"AKIAZ4N7QTR2MXVW5KPL");
        assert!(matches!(outcome, ObjectOutcome::Scanned { format: Format::Zip, .. }), "{outcome:?}");
        let counts = members(&outcome);
        assert_eq!((counts.scanned, counts.skipped_binary), (2, 1), "{counts:?}");
    }
}

#[test]
fn tar_and_tar_gz() {
    let tar = tar_of(&[("dir/people.csv", CSV), ("keys.txt", KEY)]);
    let (found, outcome) = scan(&tar, "backup.tar");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("dir/people.csv"));
    assert_eq!(outcome.format(), Some(Format::Tar));
    let (found, outcome) = scan_on_disk(&gz(&tar), "backup.tgz");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("backup.tar!dir/people.csv"));
    assert!(found.iter().any(|m| m.member.as_deref() == Some("backup.tar!keys.txt")));
    assert!(matches!(outcome, ObjectOutcome::Scanned { format: Format::Gzip, .. }), "{outcome:?}");
}

#[test]
fn nested_archives() {
    let inner = tar_of(&[("dir/file.csv", CSV), ("logs.txt.gz", &gz(KEY))]);
    let outer = zip_of(&[("readme.txt", b"nothing here"), ("inner.tar", &inner)]);
    let (found, outcome) = scan(&outer, "outer.zip");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("inner.tar!dir/file.csv"));
    let key = found.iter().find(|m| m.detector == "aws_access_key_id").unwrap();
    assert_eq!(key.member.as_deref(), Some("inner.tar!logs.txt.gz!logs.txt"));
    assert!(matches!(outcome, ObjectOutcome::Scanned { .. }), "{outcome:?}");
}

/// `levels` zips inside each other, the innermost holding the CSV.
fn nest(levels: usize) -> Vec<u8> {
    let mut data = zip_of(&[("people.csv", CSV)]);
    for level in (1..levels).rev() {
        data = zip_of(&[(&format!("level{level}.zip"), &data)]);
    }
    data
}

#[test]
fn nesting_to_the_limit_and_past_it() {
    let (found, outcome) = scan(&nest(5), "level0.zip");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("level1.zip!level2.zip!level3.zip!level4.zip!people.csv"));
    assert!(matches!(outcome, ObjectOutcome::Scanned { .. }), "{outcome:?}");
    let (found, outcome) = scan(&nest(6), "level0.zip");
    assert!(found.is_empty());
    let ObjectOutcome::Refused { reason, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(reason.kind, ProblemKind::Depth);
    assert_eq!(reason.member.as_deref(), Some("level1.zip!level2.zip!level3.zip!level4.zip!level5.zip"));
    assert!(reason.reason.contains("deeper than 5"), "{reason}");
}

#[test]
fn zip_bomb_refused_by_ratio_with_earlier_matches_kept() {
    let zeros = vec![b'0'; 64 << 20];
    let start = std::time::Instant::now();
    let data = zip_of(&[("a-keys.txt", KEY), ("zeros.csv", &zeros), ("z-after.csv", CSV)]);
    drop(zeros);
    assert!(data.len() < 1 << 20, "{}", data.len());
    let (found, outcome) = scan(&data, "bomb.zip");
    assert!(found.iter().any(|m| m.detector == "aws_access_key_id"), "{found:?}");
    assert!(!found.iter().any(|m| m.detector == "us_ssn"), "the scan goes no further than the bomb");
    let ObjectOutcome::Refused { reason, members, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(reason.kind, ProblemKind::CompressionRatio);
    assert_eq!(reason.member.as_deref(), Some("zeros.csv"));
    assert!(reason.to_string().starts_with("zeros.csv: compression ratio over 100:1"), "{reason}");
    // Stopped soon after the grace, not after expanding the whole member.
    assert!(members.as_ref().unwrap().expanded_bytes < 8 << 20, "{members:?}");
    assert!(start.elapsed().as_secs() < 30);
    // The same in a gzip stream.
    let (_, outcome) = scan(&gz(&vec![b' '; 8 << 20]), "spaces.txt.gz");
    let ObjectOutcome::Refused { reason, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!((reason.kind, reason.member.as_deref()), (ProblemKind::CompressionRatio, Some("spaces.txt")));
    // Binary content is skipped after its first 8 KiB, long before any limit.
    let (_, outcome) = scan(&gz(&vec![0u8; 8 << 20]), "zeros.bin.gz");
    assert_eq!(outcome.members().map(|m| m.skipped_binary), Some(1), "{outcome:?}");
}

#[test]
fn expanded_bytes_limit() {
    let text: Vec<u8> =
        (0..3_000_000u32).flat_map(|i| format!("{:x}\n", i.wrapping_mul(2_654_435_761)).into_bytes()).collect();
    let data = gz(&text);
    let limits = Limits { max_expanded_bytes: 1 << 20, ..Limits::default() };
    let (_, outcome) = scan_with(&scanner().with_limits(limits), &data, "log.txt.gz");
    let ObjectOutcome::Refused { reason, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(reason.kind, ProblemKind::ExpandedBytes);
    assert_eq!(reason.member.as_deref(), Some("log.txt"));
    // Within the default limits, the same object is scanned whole.
    let (_, outcome) = scan(&data, "log.txt.gz");
    assert!(matches!(outcome, ObjectOutcome::Scanned { .. }), "{outcome:?}");
}

#[test]
fn too_many_members() {
    let names: Vec<String> = (0..11).map(|i| format!("m{i:02}.txt")).collect();
    let list: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), KEY)).collect();
    let limited = scanner().with_limits(Limits { max_members: 10, ..Limits::default() });
    let (found, outcome) = scan_with(&limited, &zip_of(&list), "many.zip");
    assert!(found.is_empty(), "the central directory tells the count before any member is read");
    let ObjectOutcome::Refused { reason, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!((reason.kind, reason.member.as_deref()), (ProblemKind::Members, None));
    // A tar is counted as it streams: the first ten are scanned.
    let (found, outcome) = scan_with(&limited, &tar_of(&list), "many.tar");
    assert_eq!(found.len(), 10);
    let ObjectOutcome::Refused { reason, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(reason.kind, ProblemKind::Members);
    // Nested, the member that broke the limit is named.
    let outer = zip_of(&[("inner.tar", &tar_of(&list))]);
    let (_, outcome) = scan_with(&limited, &outer, "outer.zip");
    let ObjectOutcome::Refused { reason, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(reason.member.as_deref(), Some("inner.tar"));
}

/// Bytes that do not compress.
fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b'a' + (x % 26) as u8
        })
        .collect()
}

#[test]
fn truncated_archives_keep_what_came_before() {
    let big = noise(200_000);
    let data = zip_of(&[("first.csv", CSV), ("second.txt", &big), ("third.txt", KEY)]);
    let cut = &data[..data.len() / 2];
    let (found, outcome) = scan(cut, "cut.zip");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("first.csv"));
    let ObjectOutcome::Partial { problems, .. } = &outcome else { panic!("{outcome:?}") };
    assert!(problems.iter().any(|p| p.member.as_deref() == Some("second.txt")), "{problems:?}");
    assert!(problems.iter().all(|p| p.kind == ProblemKind::Corrupt));

    let tgz = gz(&tar_of(&[("first.csv", CSV), ("second.txt", &big), ("third.txt", KEY)]));
    let cut = &tgz[..tgz.len() / 2];
    let (found, outcome) = scan_on_disk(cut, "cut.tar.gz");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("cut.tar!first.csv"));
    let ObjectOutcome::Partial { problems, .. } = &outcome else { panic!("{outcome:?}") };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].member.as_deref(), Some("cut.tar!second.txt"));
}

#[test]
fn corrupt_member_does_not_stop_the_others() {
    let mut data = zip_of(&[("a.txt", &noise(10_000)), ("b.csv", CSV)]);
    // Garble the first member's deflate stream (past its 30-byte local header and name).
    for b in &mut data[60..200] {
        *b = 0xff;
    }
    let (found, outcome) = scan(&data, "garbled.zip");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("b.csv"));
    let problems: Vec<&Problem> = outcome.problems().collect();
    assert_eq!(problems.len(), 1, "{outcome:?}");
    assert_eq!(problems[0].member.as_deref(), Some("a.txt"));
}

fn docx() -> Vec<u8> {
    let types =
        br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
    // The number is split over two runs, as Word does when it marks a spelling error.
    let document = br#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Contract &amp; terms</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">SSN: 536-22</w:t></w:r><w:r><w:t>-1874</w:t></w:r></w:p></w:body></w:document>"#;
    let header = br#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>key AKIAZ4N7QTR2MXVW5KPL</w:t></w:r></w:p></w:hdr>"#;
    zip_of(&[("[Content_Types].xml", types), ("word/document.xml", document), ("word/header1.xml", header)])
}

#[test]
fn docx_paragraphs_and_headers() {
    for (found, outcome) in [scan(&docx(), "contract.docx"), scan_on_disk(&docx(), "contract.bin")] {
        let m = ssn_in(&found);
        assert_eq!(m.member.as_deref(), Some("word/document.xml"));
        assert_eq!(m.location, Location::Paragraph { paragraph: 2 });
        let key = found.iter().find(|m| m.detector == "aws_access_key_id").unwrap();
        assert_eq!(key.member.as_deref(), Some("word/header1.xml"));
        assert_eq!(key.location, Location::Paragraph { paragraph: 1 });
        assert_eq!(outcome.format(), Some(Format::Docx));
    }
    // Offsets are in the part: the match starts on the first digit in document.xml.
    let (found, _) = scan(&docx(), "contract.docx");
    let m = ssn_in(&found);
    let part = br#"<w:t xml:space="preserve">SSN: 536-22</w:t>"#;
    let xml = String::from_utf8_lossy(&unzip(&docx(), "word/document.xml")).into_owned();
    let at = xml.find(std::str::from_utf8(part).unwrap()).unwrap() + r#"<w:t xml:space="preserve">SSN: "#.len();
    assert_eq!(m.start as usize, at);
}

fn unzip(data: &[u8], name: &str) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(data)).unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut a.by_name(name).unwrap(), &mut out).unwrap();
    out
}

fn xlsx() -> Vec<u8> {
    let workbook = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="People" sheetId="1" r:id="rId1"/><sheet name="Cards" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#;
    let shared = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>name</t></si><si><t>ssn</t></si><si><t>Jane</t></si><si><t>536-22-1874</t></si></sst>"#;
    let sheet1 = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="7"><c r="A7" t="s"><v>2</v></c><c r="B7" t="s"><v>3</v></c></row></sheetData></worksheet>"#;
    let sheet2 = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>card number</t></is></c><c r="B1" t="inlineStr"><is><t>db password</t></is></c></row><row r="2"><c r="A2"><v>4111111111111111</v></c><c r="B2" t="inlineStr"><is><t>Tr0ub4dor&amp;3x</t></is></c></row></sheetData></worksheet>"#;
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet1),
        ("xl/worksheets/sheet2.xml", sheet2),
    ])
}

#[test]
fn xlsx_cells_with_headers() {
    let (found, outcome) = scan(&xlsx(), "people.xlsx");
    let m = ssn_in(&found);
    assert_eq!(
        m.location,
        Location::SheetCell { sheet: "People".into(), cell: "B7".into(), header: Some("ssn".into()) }
    );
    assert_eq!(m.location.to_string(), "People!B7 (ssn)");
    assert_eq!(m.member.as_deref(), Some("xl/sharedStrings.xml"));
    let shared = unzip(&xlsx(), "xl/sharedStrings.xml");
    assert_eq!(&shared[m.start as usize..m.end as usize], b"536-22-1874");
    // The header raises a plain 9-digit-like value as it does in CSV.
    assert_eq!(m.confidence, sightline_dlp::Confidence::VeryLikely);
    let card = found.iter().find(|m| m.detector == "credit_card").unwrap();
    assert_eq!(card.member.as_deref(), Some("xl/worksheets/sheet2.xml"));
    assert_eq!(card.location.to_string(), "Cards!A2 (card number)");
    let sheet2 = unzip(&xlsx(), "xl/worksheets/sheet2.xml");
    assert_eq!(&sheet2[card.start as usize..card.end as usize], b"4111111111111111");
    // A password column's values are candidates whole, as in CSV.
    let password = found.iter().find(|m| m.detector == "password").unwrap();
    assert_eq!(password.location.to_string(), "Cards!B2 (db password)");
    assert_eq!(outcome.format(), Some(Format::Xlsx));
    assert!(matches!(outcome, ObjectOutcome::Scanned { .. }), "{outcome:?}");
}

fn parquet_file(compression: parquet::basic::Compression) -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let schema = parquet::schema::parser::parse_message_type(
        "message people { required binary name (UTF8); required binary ssn (UTF8); required int64 card; }",
    )
    .unwrap();
    let props = WriterProperties::builder().set_compression(compression).build();
    let mut out = Vec::new();
    let mut w = SerializedFileWriter::new(&mut out, Arc::new(schema), Arc::new(props)).unwrap();
    let mut rg = w.next_row_group().unwrap();
    let names: Vec<ByteArray> = (1..=12).map(|i| ByteArray::from(format!("person {i}").as_str())).collect();
    let ssns: Vec<ByteArray> = (1..=12).map(|i| ByteArray::from(if i == 12 { "536-22-1874" } else { "n/a" })).collect();
    let cards: Vec<i64> = (1..=12).map(|i| if i == 3 { 4_111_111_111_111_111 } else { i }).collect();
    let mut col = rg.next_column().unwrap().unwrap();
    col.typed::<ByteArrayType>().write_batch(&names, None, None).unwrap();
    col.close().unwrap();
    let mut col = rg.next_column().unwrap().unwrap();
    col.typed::<ByteArrayType>().write_batch(&ssns, None, None).unwrap();
    col.close().unwrap();
    let mut col = rg.next_column().unwrap().unwrap();
    col.typed::<Int64Type>().write_batch(&cards, None, None).unwrap();
    col.close().unwrap();
    rg.close().unwrap();
    w.close().unwrap();
    out
}

#[test]
fn parquet_values_with_column_context() {
    for compression in [parquet::basic::Compression::SNAPPY, parquet::basic::Compression::UNCOMPRESSED] {
        let data = parquet_file(compression);
        for (found, outcome) in [scan(&data, "people.parquet"), scan_on_disk(&data, "people.bin")] {
            let m = ssn_in(&found);
            assert_eq!(m.location, Location::Record { row: 12, column: "ssn".into() });
            assert_eq!(m.location.to_string(), "row 12, column ssn");
            assert_eq!((m.start, m.end, m.member.as_deref()), (0, 11, None));
            let card = found.iter().find(|m| m.detector == "credit_card").unwrap();
            assert_eq!(card.location, Location::Record { row: 3, column: "card".into() });
            assert!(matches!(outcome, ObjectOutcome::Scanned { format: Format::Parquet, .. }), "{outcome:?}");
        }
    }
    // Inside a tar, the Parquet file is the member.
    let (found, _) =
        scan(&tar_of(&[("data/people.parquet", &parquet_file(parquet::basic::Compression::SNAPPY))]), "t.tar");
    assert_eq!(ssn_in(&found).member.as_deref(), Some("data/people.parquet"));
}

#[test]
fn outcome_serialization() {
    let (_, outcome) = scan(&nest(6), "level0.zip");
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json["outcome"], "refused");
    assert_eq!(json["reason"]["kind"], "depth");
    let (_, outcome) = scan(CSV, "a.csv");
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json, serde_json::json!({"outcome": "scanned", "bytes": CSV.len(), "format": "csv"}));
}

fn mutations() -> impl Strategy<Value = (usize, Vec<(usize, u8)>, usize)> {
    (0usize..6, proptest::collection::vec((0usize..4096, any::<u8>()), 0..8), 0usize..4096)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Arbitrary bytes under every archive name never panic, and the scan always gives an outcome.
    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048), magic in 0usize..5) {
        let mut data = data;
        let prefix: &[u8] = [&b"PK\x03\x04"[..], &[0x1f, 0x8b, 8, 0], b"PAR1", b"", b"PK\x05\x06"][magic];
        data.splice(0..0, prefix.iter().copied());
        for name in ["x.zip", "x.tar", "x.gz", "x.docx", "x.xlsx", "x.parquet", "x.bin"] {
            let _ = scan(&data, name);
        }
    }

    /// Valid archives with a few bytes changed and a cut never panic either.
    #[test]
    fn damaged_archives_never_panic((which, changes, cut) in mutations()) {
        let mut data = match which {
            0 => zip_of(&[("a.csv", CSV), ("b.txt", KEY)]),
            1 => gz(&tar_of(&[("a.csv", CSV), ("b.txt", KEY)])),
            2 => docx(),
            3 => xlsx(),
            4 => nest(3),
            _ => parquet_file(parquet::basic::Compression::SNAPPY),
        };
        for (at, byte) in changes {
            let len = data.len();
            data[at % len] = byte;
        }
        data.truncate(data.len() - cut % (data.len() / 4 + 1));
        let _ = scan(&data, "damaged");
        let _ = scan_on_disk(&data, "damaged.bin");
    }
}
