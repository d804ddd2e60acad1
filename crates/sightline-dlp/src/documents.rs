//! Documents made of parts: Word (docx) paragraphs, Excel (xlsx) cells and Parquet values, each scanned whole
//! with the column or field it sits under as context, as CSV headers and JSON field names are.
//!
//! Offsets: a docx or xlsx match has its member set to the XML part its text is in (`word/document.xml`,
//! `xl/sharedStrings.xml`, `xl/worksheets/sheet1.xml`), and its offsets are in that part (exact unless an entity
//! such as `&amp;` comes before the match in the same text node). The bytes of a Parquet file are encoded and
//! compressed: a Parquet match's offsets are in the value's text, which its location names.

use crate::archive::{Counted, Guard, ProblemKind, Walk, RATIO_GRACE};
use crate::format::Location;
use crate::scanner::{is_binary, Match};
use quick_xml::events::{BytesStart, Event};
use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};

/// The longest tag or text run of an XML part held at once: longer ones are corrupt or hostile.
const MAX_XML_EVENT: usize = 4 << 20;

/// The longest paragraph scanned at once; a longer one is scanned in pieces (a match across a cut is missed).
const MAX_PARAGRAPH: usize = 1 << 20;

/// The most shared-string text of a workbook held: cells whose strings are past it are not scanned (and said so).
const MAX_SHARED_STRINGS: usize = 64 << 20;

/// The most columns whose first-row text is kept as headers, and the most sheets read, as for CSV.
const MAX_COLUMNS: usize = 1024;
const MAX_SHEETS: usize = 10_000;

/// What each shared string costs besides its text, counted against [`MAX_SHARED_STRINGS`] so that a table of
/// millions of empty strings is bounded too.
const STRING_OVERHEAD: usize = 64;

/// The deepest Parquet nesting followed.
const MAX_PARQUET_DEPTH: usize = 64;

/// Fails a read when more than [`MAX_XML_EVENT`] bytes pass without a `<` or `>`: the XML reader holds one event
/// at a time, and this bounds it.
struct Delimited<R> {
    inner: R,
    run: usize,
}

impl<R: Read> Read for Delimited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        match memchr::memrchr2(b'<', b'>', chunk) {
            Some(last) => self.run = n - last - 1,
            None => self.run += n,
        }
        if self.run > MAX_XML_EVENT {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "an XML tag or text longer than 4 MiB"));
        }
        Ok(n)
    }
}

type Part<'z, 'b, R> = quick_xml::Reader<BufReader<Delimited<Guard<'b, zip::read::ZipFile<'z, Counted<'b, R>>>>>>;

/// Opens the part `name` of a document for XML reading, guarded like any archive member.
fn open_part<'z, 'a: 'b, 'b, R: Read + Seek>(
    walk: &mut Walk<'a>,
    archive: &'z mut zip::ZipArchive<Counted<'b, R>>,
    counted: &'b Cell<u64>,
    name: &str,
    member: &str,
) -> Option<Part<'z, 'b, R>> {
    let start = counted.get();
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(e) => {
            walk.problem(Some(member), ProblemKind::Corrupt, format!("cannot open the part: {e}"));
            return None;
        }
    };
    let guard = Guard::new(file, walk.budget, &walk.limits, member.to_string(), Some(counted)).from(start);
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(Delimited { inner: guard, run: 0 }));
    reader.config_mut().check_end_names = false;
    Some(reader)
}

/// The value of an attribute, by local name.
fn attribute(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Text collected from one or more XML text nodes, each remembered with its offset in the part.
#[derive(Default)]
struct Text {
    text: Vec<u8>,
    /// (offset in `text`, offset in the part) where each text node begins.
    nodes: Vec<(usize, u64)>,
}

impl Text {
    fn push(&mut self, s: &[u8], at: u64) {
        self.nodes.push((self.text.len(), at));
        self.text.extend_from_slice(s);
    }

    fn clear(&mut self) {
        self.text.clear();
        self.nodes.clear();
    }

    /// The part offset of `offset` in the text.
    fn in_part(&self, offset: u64) -> u64 {
        let i = self.nodes.partition_point(|(t, _)| *t as u64 <= offset);
        match i.checked_sub(1).and_then(|i| self.nodes.get(i)) {
            Some((t, at)) => at + (offset - *t as u64),
            None => offset,
        }
    }
}

/// Scans `text` as one value and gives its matches the member and offsets of the part it came from.
fn scan_text(walk: &mut Walk<'_>, text: &Text, member: &str, field: Option<&str>, location: &dyn Fn() -> Location) {
    if text.text.is_empty() {
        return;
    }
    walk.bytes += text.text.len() as u64;
    let scanner = walk.scanner;
    let sink = &mut *walk.sink;
    scanner.scan_value(&text.text, 0, field, location, &mut |mut m: Match| {
        let end = text.in_part(m.end.saturating_sub(1)) + 1;
        m.start = text.in_part(m.start);
        m.end = end.max(m.start);
        m.member = Some(member.to_string());
        sink(m)
    });
}

/// `outer!part`.
fn part_path(path: Option<&str>, part: &str) -> String {
    match path {
        Some(p) => format!("{p}!{part}"),
        None => part.to_string(),
    }
}

/// A Word document: the paragraphs of its body, headers, footers, footnotes, endnotes and comments.
pub(crate) fn docx<'a: 'b, 'b, R: Read + Seek>(
    walk: &mut Walk<'a>,
    archive: &mut zip::ZipArchive<Counted<'b, R>>,
    counted: &'b Cell<u64>,
    path: Option<&str>,
) {
    let mut parts: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| {
            let Some(stem) = n.strip_prefix("word/").and_then(|n| n.strip_suffix(".xml")) else { return false };
            stem == "document"
                || ["header", "footer"]
                    .iter()
                    .any(|p| stem.strip_prefix(p).is_some_and(|d| d.bytes().all(|c| c.is_ascii_digit())))
                || ["footnotes", "endnotes", "comments"].contains(&stem)
        })
        .collect();
    // The body first, then the rest in name order, so that output is stable.
    parts.sort_by_key(|p| (p != "word/document.xml", p.clone()));
    for part in parts {
        let member = part_path(path, &part);
        let Some(mut reader) = open_part(walk, archive, counted, &part, &member) else { continue };
        walk.members.scanned += 1;
        let mut buf = Vec::new();
        let mut text = Text::default();
        let mut paragraph = 0u64;
        let mut in_t = false;
        loop {
            buf.clear();
            let at = reader.buffer_position();
            let event = match reader.read_event_into(&mut buf) {
                Ok(e) => e,
                Err(e) => {
                    walk.read_failed(Some(&member), &format!("broken at byte {at}"), &e);
                    break;
                }
            };
            match event {
                Event::Start(e) if e.local_name().as_ref() == b"p" => {
                    scan_paragraph(walk, &text, &member, paragraph);
                    text.clear();
                    paragraph += 1;
                }
                Event::End(e) if e.local_name().as_ref() == b"p" => {
                    scan_paragraph(walk, &text, &member, paragraph);
                    text.clear();
                }
                Event::Start(e) if e.local_name().as_ref() == b"t" => in_t = true,
                Event::End(e) if e.local_name().as_ref() == b"t" => in_t = false,
                Event::Empty(e) if e.local_name().as_ref() == b"tab" => text.push(b"\t", at),
                Event::Empty(e) if matches!(e.local_name().as_ref(), b"br" | b"cr") => text.push(b"\n", at),
                Event::Text(e) if in_t => match e.unescape() {
                    Ok(s) => text.push(s.as_bytes(), at),
                    Err(_) => text.push(&e, at),
                },
                Event::Eof => break,
                _ => {}
            }
            if text.text.len() > MAX_PARAGRAPH {
                scan_paragraph(walk, &text, &member, paragraph);
                text.clear();
            }
            if walk.stopped() {
                return;
            }
        }
        scan_paragraph(walk, &text, &member, paragraph);
    }
}

fn scan_paragraph(walk: &mut Walk<'_>, text: &Text, member: &str, paragraph: u64) {
    scan_text(walk, text, member, None, &|| Location::Paragraph { paragraph: paragraph.max(1) });
}

/// An Excel workbook: every sheet's cells, shared strings resolved, the first row's text as column headers.
pub(crate) fn xlsx<'a: 'b, 'b, R: Read + Seek>(
    walk: &mut Walk<'a>,
    archive: &mut zip::ZipArchive<Counted<'b, R>>,
    counted: &'b Cell<u64>,
    path: Option<&str>,
) {
    // Sheet names and the parts that hold them, in workbook order.
    let mut sheets: Vec<(String, String)> = Vec::new();
    let mut targets: HashMap<String, String> = HashMap::new();
    each_element(walk, archive, counted, path, "xl/_rels/workbook.xml.rels", &mut |e| {
        if e.local_name().as_ref() == b"Relationship" {
            if let (Some(id), Some(target)) = (attribute(e, b"Id"), attribute(e, b"Target")) {
                let target = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                };
                if targets.len() < MAX_SHEETS {
                    targets.insert(id, target);
                }
            }
        }
    });
    each_element(walk, archive, counted, path, "xl/workbook.xml", &mut |e| {
        if e.local_name().as_ref() == b"sheet" {
            if let (Some(name), Some(id)) = (attribute(e, b"name"), attribute(e, b"id")) {
                if let Some(target) = targets.get(&id).filter(|_| sheets.len() < MAX_SHEETS) {
                    sheets.push((name, target.clone()));
                }
            }
        }
    });
    if walk.stopped() {
        return;
    }
    let shared = shared_strings(walk, archive, counted, path);
    for (sheet, part) in sheets {
        if archive.index_for_name(&part).is_none() {
            walk.problem(Some(&part_path(path, &part)), ProblemKind::Corrupt, format!("sheet {sheet} is missing"));
            continue;
        }
        sheet_cells(walk, archive, counted, path, &sheet, &part, &shared);
        if walk.stopped() {
            return;
        }
    }
}

/// Calls `f` on every start or empty element of a small part (relationships, the workbook).
fn each_element<'a: 'b, 'b, R: Read + Seek>(
    walk: &mut Walk<'a>,
    archive: &mut zip::ZipArchive<Counted<'b, R>>,
    counted: &'b Cell<u64>,
    path: Option<&str>,
    part: &str,
    f: &mut dyn FnMut(&BytesStart<'_>),
) {
    let member = part_path(path, part);
    let Some(mut reader) = open_part(walk, archive, counted, part, &member) else { return };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => f(&e),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                walk.read_failed(Some(&member), "broken", &e);
                break;
            }
        }
    }
}

/// The shared strings of a workbook, each with its offset in `xl/sharedStrings.xml`.
struct SharedStrings {
    member: String,
    strings: Vec<Text>,
}

fn shared_strings<'a: 'b, 'b, R: Read + Seek>(
    walk: &mut Walk<'a>,
    archive: &mut zip::ZipArchive<Counted<'b, R>>,
    counted: &'b Cell<u64>,
    path: Option<&str>,
) -> SharedStrings {
    let part = "xl/sharedStrings.xml";
    let member = part_path(path, part);
    let mut strings = Vec::new();
    if archive.index_for_name(part).is_none() {
        return SharedStrings { member, strings };
    }
    let Some(mut reader) = open_part(walk, archive, counted, part, &member) else {
        return SharedStrings { member, strings };
    };
    walk.members.scanned += 1;
    let mut buf = Vec::new();
    let mut held = 0usize;
    let mut current = Text::default();
    // Phonetic runs (`rPh`) repeat a string's reading, not its text.
    let (mut in_t, mut in_phonetic) = (false, false);
    loop {
        buf.clear();
        let at = reader.buffer_position();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"si" => current = Text::default(),
                b"t" => in_t = true,
                b"rPh" => in_phonetic = true,
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"si" => {
                    held += STRING_OVERHEAD;
                    strings.push(std::mem::take(&mut current));
                }
                b"t" => in_t = false,
                b"rPh" => in_phonetic = false,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"si" => {
                held += STRING_OVERHEAD;
                strings.push(Text::default());
            }
            Ok(Event::Text(e)) if in_t && !in_phonetic => {
                held += e.len();
                match e.unescape() {
                    Ok(s) => current.push(s.as_bytes(), at),
                    Err(_) => current.push(&e, at),
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                walk.read_failed(Some(&member), &format!("broken at byte {at}"), &e);
                break;
            }
        }
        if held > MAX_SHARED_STRINGS {
            let reason = format!(
                "shared strings past {MAX_SHARED_STRINGS} bytes are not held: the cells using them are not scanned"
            );
            walk.problem(Some(&member), ProblemKind::Unsupported, reason);
            break;
        }
        if walk.stopped() {
            break;
        }
    }
    SharedStrings { member, strings }
}

/// The column letters of a cell reference (`B` of `B7`).
fn column_of(reference: &str) -> &str {
    let end = reference.bytes().position(|c| !c.is_ascii_alphabetic()).unwrap_or(reference.len());
    &reference[..end]
}

/// Column letters for a 1-based column number.
fn column_letters(mut n: u64) -> String {
    let mut letters = Vec::new();
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        letters.push(b'A' + d);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

fn sheet_cells<'a: 'b, 'b, R: Read + Seek>(
    walk: &mut Walk<'a>,
    archive: &mut zip::ZipArchive<Counted<'b, R>>,
    counted: &'b Cell<u64>,
    path: Option<&str>,
    sheet: &str,
    part: &str,
    shared: &SharedStrings,
) {
    let member = part_path(path, part);
    let Some(mut reader) = open_part(walk, archive, counted, part, &member) else { return };
    walk.members.scanned += 1;
    let mut buf = Vec::new();
    // The first row's text by column letters, once that row has ended.
    let mut headers: HashMap<String, String> = HashMap::new();
    let mut first_row: Option<String> = None;
    let mut row = String::new();
    let mut column = 0u64;
    let mut cell = String::new();
    let mut kind = String::new();
    let mut value = Text::default();
    let mut in_value = false;
    loop {
        buf.clear();
        let at = reader.buffer_position();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"row" => {
                    row = attribute(&e, b"r").unwrap_or_default();
                    column = 0;
                    if first_row.is_none() {
                        first_row = Some(row.clone());
                    }
                }
                b"c" => {
                    column += 1;
                    cell = attribute(&e, b"r").unwrap_or_else(|| format!("{}{row}", column_letters(column)));
                    kind = attribute(&e, b"t").unwrap_or_default();
                    value.clear();
                }
                b"v" | b"t" => in_value = true,
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"v" | b"t" => in_value = false,
                b"c" => {
                    let in_first = first_row.as_deref() == Some(row.as_str());
                    let col = column_of(&cell).to_string();
                    let (text, from) = if kind == "s" {
                        let index = std::str::from_utf8(&value.text).ok().and_then(|v| v.trim().parse::<usize>().ok());
                        match index.and_then(|i| shared.strings.get(i)) {
                            Some(s) => (s, shared.member.as_str()),
                            None => (&value, member.as_str()),
                        }
                    } else {
                        (&value, member.as_str())
                    };
                    if in_first && headers.len() < MAX_COLUMNS {
                        headers.insert(col.clone(), String::from_utf8_lossy(&text.text).trim().to_string());
                    }
                    let header = if in_first { None } else { headers.get(&col).filter(|h| !h.is_empty()) };
                    let location = || Location::SheetCell {
                        sheet: sheet.to_string(),
                        cell: cell.clone(),
                        header: header.cloned(),
                    };
                    scan_text(walk, text, from, header.map(String::as_str), &location);
                    value.clear();
                }
                _ => {}
            },
            Ok(Event::Text(e)) if in_value => match e.unescape() {
                Ok(s) => value.push(s.as_bytes(), at),
                Err(_) => value.push(&e, at),
            },
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                walk.read_failed(Some(&member), &format!("broken at byte {at}"), &e);
                break;
            }
        }
        if value.text.len() > MAX_PARAGRAPH {
            value.clear();
        }
        if walk.stopped() {
            return;
        }
    }
}

/// A Parquet file, row by row: every value with its column's path as context.
pub(crate) fn parquet(walk: &mut Walk<'_>, file: &mut File, path: Option<&str>) {
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let handle = match file.try_clone() {
        Ok(h) => h,
        Err(e) => return walk.read_failed(path, "cannot read", &e),
    };
    // The Parquet reader trusts more of a file's structure than the other readers: a malformed file must cost this
    // object, never the caller's scan of the others.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_parquet(walk, handle, size, path)));
    match result {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            let text = e.to_string();
            let kind = if text.contains("feature") || text.contains("not supported") || text.contains("NYI") {
                ProblemKind::Unsupported
            } else {
                ProblemKind::Corrupt
            };
            if !walk.stopped() {
                walk.problem(path, kind, format!("Parquet: {text}"));
            }
        }
        Err(_) => walk.problem(path, ProblemKind::Corrupt, "Parquet: the reader failed on malformed data"),
    }
}

fn read_parquet(
    walk: &mut Walk<'_>,
    file: File,
    size: u64,
    path: Option<&str>,
) -> Result<(), parquet::errors::ParquetError> {
    use parquet::file::reader::FileReader;
    let reader = parquet::file::serialized_reader::SerializedFileReader::new(file)?;
    // Sizes written in the footer are the writer's word, but one that already says too much is believed.
    for group in reader.metadata().row_groups() {
        for column in group.columns() {
            let declared = u64::try_from(column.uncompressed_size()).unwrap_or(u64::MAX);
            if declared > walk.limits.max_expanded_bytes {
                let reason = format!(
                    "column {} declares {declared} bytes, more than {} expanded",
                    column.column_path(),
                    walk.limits.max_expanded_bytes
                );
                walk.refuse(path, ProblemKind::ExpandedBytes, reason);
                return Ok(());
            }
        }
    }
    let mut values = Values { walk, path, size: size.max(1), row: 0 };
    for row in reader.get_row_iter(None)? {
        let row = row?;
        values.row += 1;
        for (name, field) in row.get_column_iter() {
            values.field(field, name, name, 0);
            if values.walk.stopped() {
                return Ok(());
            }
        }
    }
    Ok(())
}

struct Values<'w, 'a> {
    walk: &'w mut Walk<'a>,
    path: Option<&'w str>,
    size: u64,
    row: u64,
}

impl Values<'_, '_> {
    fn field(&mut self, field: &parquet::record::Field, column: &str, name: &str, depth: usize) {
        use parquet::record::Field;
        if depth > MAX_PARQUET_DEPTH || self.walk.stopped() {
            return;
        }
        match field {
            Field::Null => {}
            Field::Str(s) => self.value(s.as_bytes(), column, name),
            Field::Bytes(b) => {
                let data = b.data();
                if !is_binary(&data[..data.len().min(8 << 10)]) {
                    self.value(data, column, name);
                }
            }
            Field::Group(row) => {
                for (key, f) in row.get_column_iter() {
                    self.field(f, &format!("{column}.{key}"), key, depth + 1);
                }
            }
            Field::ListInternal(list) => {
                for (i, f) in list.elements().iter().enumerate() {
                    self.field(f, &format!("{column}[{i}]"), name, depth + 1);
                }
            }
            Field::MapInternal(map) => {
                for (k, v) in map.entries() {
                    self.field(k, &format!("{column}.key"), name, depth + 1);
                    self.field(v, &format!("{column}.value"), name, depth + 1);
                }
            }
            other => self.value(other.to_string().as_bytes(), column, name),
        }
    }

    fn value(&mut self, value: &[u8], column: &str, name: &str) {
        let walk = &mut *self.walk;
        let total = walk.budget_add(value.len() as u64);
        if total > walk.limits.max_expanded_bytes {
            let reason = format!("expands past {} bytes in all", walk.limits.max_expanded_bytes);
            return walk.refuse(self.path, ProblemKind::ExpandedBytes, reason);
        }
        if total > RATIO_GRACE && total / self.size >= walk.limits.max_ratio {
            let reason = format!(
                "compression ratio over {}:1 ({total} bytes of values out of a {}-byte file, and counting)",
                walk.limits.max_ratio, self.size
            );
            return walk.refuse(self.path, ProblemKind::CompressionRatio, reason);
        }
        walk.bytes += value.len() as u64;
        let row = self.row;
        let location = || Location::Record { row, column: column.to_string() };
        let member = self.path.map(str::to_string);
        let scanner = walk.scanner;
        let sink = &mut *walk.sink;
        scanner.scan_value(value, 0, Some(name), &location, &mut |mut m: Match| {
            m.member.clone_from(&member);
            sink(m)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_columns() {
        assert_eq!(column_of("AB12"), "AB");
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(28), "AB");
        let mut t = Text::default();
        t.push(b"abc", 100);
        t.push(b"def", 200);
        assert_eq!(t.in_part(1), 101);
        assert_eq!(t.in_part(4), 201);
    }
}
