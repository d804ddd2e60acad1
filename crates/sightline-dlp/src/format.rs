//! Format readers: they follow the structure of an object as its bytes stream past, so that each match gets a
//! location (line, CSV cell, JSON path) and the column header or field name it sits under.

use serde::Serialize;
use std::fmt;
use std::path::Path;

/// How an object is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Lines of text.
    Text,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON document.
    Json,
    /// One JSON document per line.
    JsonLines,
    /// A gzip stream (one file compressed, or several gzip members one after the other).
    Gzip,
    /// A zip archive.
    Zip,
    /// A tar archive.
    Tar,
    /// A Word document (Office Open XML): a zip holding `word/document.xml`.
    Docx,
    /// An Excel workbook (Office Open XML): a zip holding `xl/workbook.xml`.
    Xlsx,
    /// An Apache Parquet file.
    Parquet,
}

impl Format {
    /// The format an object's name implies: `.csv`, `.tsv`/`.tab`, `.json`, `.jsonl`/`.ndjson`, `.gz`/`.gzip`/
    /// `.tgz`, `.zip`, `.tar`, `.docx`, `.xlsx`, `.parquet`, else text.
    pub fn from_path(path: &Path) -> Format {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        match ext.as_str() {
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "gz" | "gzip" | "tgz" => Format::Gzip,
            "zip" => Format::Zip,
            "tar" => Format::Tar,
            "docx" => Format::Docx,
            "xlsx" => Format::Xlsx,
            "parquet" => Format::Parquet,
            _ => Format::Text,
        }
    }

    /// The format of an object whose first bytes are `head` (at least 262 of them when there are) and whose name
    /// implies `named`: the magic bytes of gzip, zip, Parquet and POSIX tar win over the name; a zip named `.docx`
    /// or `.xlsx` keeps that name until its members are seen; a name that promises an archive the bytes do not
    /// hold is read as text.
    pub fn detect(head: &[u8], named: Format) -> Format {
        if head.starts_with(&[0x1f, 0x8b]) {
            Format::Gzip
        } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            if matches!(named, Format::Docx | Format::Xlsx) {
                named
            } else {
                Format::Zip
            }
        } else if head.starts_with(b"PAR1") {
            Format::Parquet
        } else if head.get(257..262) == Some(b"ustar") {
            Format::Tar
        } else if named == Format::Tar && head.len() >= 512 && tar_checksum_ok(&head[..512]) {
            // A pre-POSIX tar has no magic: only its header checksum tells it.
            Format::Tar
        } else if named.is_container() {
            Format::Text
        } else {
            named
        }
    }

    /// An archive, a compressed stream or a document made of parts.
    pub fn is_container(self) -> bool {
        matches!(self, Format::Gzip | Format::Zip | Format::Tar | Format::Docx | Format::Xlsx | Format::Parquet)
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::JsonLines => "json_lines",
            Format::Gzip => "gzip",
            Format::Zip => "zip",
            Format::Tar => "tar",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }
}

/// The checksum of a tar header: the sum of its bytes, the checksum field counted as spaces.
fn tar_checksum_ok(header: &[u8]) -> bool {
    let Some(field) = header.get(148..156) else { return false };
    let text = String::from_utf8_lossy(field);
    let Ok(stored) = u32::from_str_radix(text.trim_matches(|c: char| c == '\0' || c == ' '), 8) else {
        return false;
    };
    let sum: u32 =
        header.iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u32::from(b) }).sum();
    sum == stored
}

/// Where a match is, in terms of the object's format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// A line of text (1-based).
    Line {
        /// The line number.
        line: u64,
    },
    /// A CSV or TSV cell: record and field numbers (1-based, the header being row 1) and the column's header.
    Cell {
        /// The record number.
        row: u64,
        /// The field number.
        column: u64,
        /// The column's name in the header row.
        #[serde(skip_serializing_if = "Option::is_none")]
        header: Option<String>,
    },
    /// A JSON value, as a JSONPath (`$.users[3].ssn`), and for JSON Lines the line (1-based).
    JsonPath {
        /// The path.
        path: String,
        /// The line, for JSON Lines.
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
    },
    /// A spreadsheet cell (`Sheet1!B7`) and its column's header, the text of the sheet's first row.
    SheetCell {
        /// The sheet's name.
        sheet: String,
        /// The cell's reference.
        cell: String,
        /// The text of the first row's cell in the same column.
        #[serde(skip_serializing_if = "Option::is_none")]
        header: Option<String>,
    },
    /// A paragraph of a document part (1-based).
    Paragraph {
        /// The paragraph number.
        paragraph: u64,
    },
    /// A value of a Parquet file: its row (1-based) and its column's path (`address.zip`, `phones[2]`).
    Record {
        /// The row number.
        row: u64,
        /// The column's name, or the path of a nested field.
        column: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line { line } => write!(f, "line {line}"),
            Location::Cell { row, column, header: Some(h) } => write!(f, "row {row}, column {column} ({h})"),
            Location::Cell { row, column, header: None } => write!(f, "row {row}, column {column}"),
            Location::JsonPath { path, line: Some(l) } => write!(f, "line {l} {path}"),
            Location::JsonPath { path, line: None } => f.write_str(path),
            Location::SheetCell { sheet, cell, header: Some(h) } => write!(f, "{sheet}!{cell} ({h})"),
            Location::SheetCell { sheet, cell, header: None } => write!(f, "{sheet}!{cell}"),
            Location::Paragraph { paragraph } => write!(f, "paragraph {paragraph}"),
            Location::Record { row, column } => write!(f, "row {row}, column {column}"),
        }
    }
}

/// A whole CSV cell under a column whose header names a password or a secret: its value is a candidate although
/// no keyword is near it in the text.
pub(crate) struct FieldValue {
    pub start: u64,
    pub end: u64,
    pub value: Vec<u8>,
    pub header: String,
    pub row: u64,
    pub column: u64,
}

/// Follows an object's structure. `advance` is given the object's bytes in order, never twice.
pub(crate) enum Locator {
    Text { line: u64 },
    Csv(Box<Csv>),
    Json(Box<Json>),
}

impl Locator {
    pub(crate) fn new(format: Format) -> Locator {
        match format {
            // Containers never reach a locator: their members do.
            Format::Text | Format::Gzip | Format::Zip | Format::Tar | Format::Docx | Format::Xlsx | Format::Parquet => {
                Locator::Text { line: 1 }
            }
            Format::Csv => Locator::Csv(Box::new(Csv::new(b','))),
            Format::Tsv => Locator::Csv(Box::new(Csv::new(b'\t'))),
            Format::Json => Locator::Json(Box::new(Json::new(false))),
            Format::JsonLines => Locator::Json(Box::new(Json::new(true))),
        }
    }

    /// Takes in `bytes`, which begin at absolute offset `at`.
    pub(crate) fn advance(&mut self, bytes: &[u8], at: u64, cells: &mut Vec<FieldValue>) {
        match self {
            Locator::Text { line } => *line += memchr::memchr_iter(b'\n', bytes).count() as u64,
            Locator::Csv(c) => c.advance(bytes, at, cells),
            Locator::Json(j) => j.advance(bytes),
        }
    }

    /// Where the next byte is.
    pub(crate) fn location(&self) -> Location {
        match self {
            Locator::Text { line } => Location::Line { line: *line },
            Locator::Csv(c) => Location::Cell {
                row: c.row,
                column: c.col,
                header: if c.row > 1 { c.header.get(c.col as usize - 1).cloned() } else { None },
            },
            Locator::Json(j) => Location::JsonPath { path: j.path(), line: j.lines.then_some(j.line) },
        }
    }

    /// The column header or field name the next byte is under.
    pub(crate) fn field(&self) -> Option<&str> {
        match self {
            Locator::Text { .. } => None,
            Locator::Csv(c) if c.row > 1 => c.header.get(c.col as usize - 1).map(String::as_str),
            Locator::Csv(_) => None,
            Locator::Json(j) => j.field(),
        }
    }
}

const MAX_COLUMNS: usize = 1024;
const MAX_NAME: usize = 128;
const MAX_FIELD_VALUE: usize = 512;

/// Header words whose column's values are taken whole as candidates.
pub(crate) fn candidate_column(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    ["password", "passwd", "pwd", "secret"].iter().any(|k| h.contains(k))
}

pub(crate) struct Csv {
    delimiter: u8,
    row: u64,
    col: u64,
    in_quotes: bool,
    after_quote: bool,
    header: Vec<String>,
    candidate: Vec<bool>,
    cell: Vec<u8>,
    cell_start: u64,
    quoted_cell: bool,
    overflow: bool,
}

impl Csv {
    fn new(delimiter: u8) -> Csv {
        Csv {
            delimiter,
            row: 1,
            col: 1,
            in_quotes: false,
            after_quote: false,
            header: Vec::new(),
            candidate: Vec::new(),
            cell: Vec::new(),
            cell_start: 0,
            quoted_cell: false,
            overflow: false,
        }
    }

    fn collecting(&self) -> bool {
        self.row == 1 || self.candidate.get(self.col as usize - 1).copied().unwrap_or(false)
    }

    fn end_cell(&mut self, end: u64, cells: &mut Vec<FieldValue>) {
        if self.row == 1 {
            if self.header.len() < MAX_COLUMNS {
                let name = String::from_utf8_lossy(&self.cell[..self.cell.len().min(MAX_NAME)]).trim().to_string();
                self.candidate.push(candidate_column(&name));
                self.header.push(name);
            }
        } else if self.collecting() && !self.overflow && !self.cell.is_empty() {
            let start = self.cell_start + u64::from(self.quoted_cell);
            let end = if self.quoted_cell { end.saturating_sub(1) } else { end };
            if let Some(h) = self.header.get(self.col as usize - 1) {
                cells.push(FieldValue {
                    start,
                    end: end.max(start),
                    value: std::mem::take(&mut self.cell),
                    header: h.clone(),
                    row: self.row,
                    column: self.col,
                });
            }
        }
        self.cell.clear();
        self.overflow = false;
        self.quoted_cell = false;
    }

    fn advance(&mut self, bytes: &[u8], at: u64, cells: &mut Vec<FieldValue>) {
        for (i, &c) in bytes.iter().enumerate() {
            let pos = at + i as u64;
            if self.in_quotes {
                if c == b'"' {
                    self.in_quotes = false;
                    self.after_quote = true;
                } else {
                    self.push(c);
                }
                continue;
            }
            if self.after_quote {
                self.after_quote = false;
                if c == b'"' {
                    self.in_quotes = true;
                    self.push(c);
                    continue;
                }
            }
            if c == self.delimiter {
                self.end_cell(pos, cells);
                self.col += 1;
                self.cell_start = pos + 1;
            } else if c == b'\n' {
                let end = if self.cell.last() == Some(&b'\r') { pos - 1 } else { pos };
                if self.cell.last() == Some(&b'\r') {
                    self.cell.pop();
                }
                self.end_cell(end, cells);
                self.row += 1;
                self.col = 1;
                self.cell_start = pos + 1;
            } else if c == b'"' && pos == self.cell_start {
                self.in_quotes = true;
                self.quoted_cell = true;
            } else {
                self.push(c);
            }
        }
    }

    fn push(&mut self, c: u8) {
        if self.collecting() {
            if self.cell.len() < MAX_FIELD_VALUE {
                self.cell.push(c);
            } else {
                self.overflow = true;
            }
        }
    }
}

enum Frame {
    Object { key: String },
    Array { index: u64 },
}

const MAX_DEPTH: usize = 256;

pub(crate) struct Json {
    lines: bool,
    line: u64,
    stack: Vec<Frame>,
    /// Levels deeper than [`MAX_DEPTH`], counted but not named.
    hidden: u64,
    in_string: bool,
    escape: bool,
    key: Option<Vec<u8>>,
    expect_key: bool,
}

impl Json {
    fn new(lines: bool) -> Json {
        Json {
            lines,
            line: 1,
            stack: Vec::new(),
            hidden: 0,
            in_string: false,
            escape: false,
            key: None,
            expect_key: false,
        }
    }

    fn advance(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            if self.in_string {
                if self.escape {
                    self.escape = false;
                    if let Some(k) = &mut self.key {
                        if k.len() < MAX_NAME {
                            k.push(bytes[i]);
                        }
                    }
                    i += 1;
                    continue;
                }
                // Most of a JSON document is string contents: skip to the next quote or backslash.
                let Some(n) = memchr::memchr3(b'"', b'\\', b'\n', &bytes[i..]) else {
                    self.key_bytes(&bytes[i..]);
                    return;
                };
                self.key_bytes(&bytes[i..i + n]);
                i += n;
                match bytes[i] {
                    b'\\' => self.escape = true,
                    b'"' => {
                        self.in_string = false;
                        if let Some(k) = self.key.take() {
                            if let Some(Frame::Object { key }) = self.stack.last_mut() {
                                *key = String::from_utf8_lossy(&k).into_owned();
                            }
                        }
                    }
                    // A raw newline cannot be inside a JSON string: the document is broken; recover at the line.
                    _ => self.newline(),
                }
                i += 1;
                continue;
            }
            match bytes[i] {
                b'"' => {
                    self.in_string = true;
                    let in_object = matches!(self.stack.last(), Some(Frame::Object { .. })) && self.hidden == 0;
                    self.key = (in_object && self.expect_key).then(Vec::new);
                }
                b'{' => {
                    self.push(Frame::Object { key: String::new() });
                    self.expect_key = true;
                }
                b'[' => {
                    self.push(Frame::Array { index: 0 });
                    self.expect_key = false;
                }
                b'}' | b']' => {
                    if self.hidden > 0 {
                        self.hidden -= 1;
                    } else {
                        self.stack.pop();
                    }
                    self.expect_key = false;
                }
                b':' => self.expect_key = false,
                b',' => match self.stack.last_mut() {
                    Some(Frame::Array { index }) if self.hidden == 0 => *index += 1,
                    Some(Frame::Object { .. }) if self.hidden == 0 => self.expect_key = true,
                    _ => {}
                },
                b'\n' => self.newline(),
                _ => {}
            }
            i += 1;
        }
    }

    fn newline(&mut self) {
        self.line += 1;
        if self.lines {
            self.stack.clear();
            self.hidden = 0;
            self.in_string = false;
            self.escape = false;
            self.key = None;
        }
    }

    fn key_bytes(&mut self, b: &[u8]) {
        if let Some(k) = &mut self.key {
            let room = MAX_NAME.saturating_sub(k.len());
            k.extend_from_slice(&b[..b.len().min(room)]);
        }
    }

    fn push(&mut self, frame: Frame) {
        if self.stack.len() < MAX_DEPTH && self.hidden == 0 {
            self.stack.push(frame);
        } else {
            self.hidden += 1;
        }
    }

    fn path(&self) -> String {
        let mut p = String::from("$");
        for f in &self.stack {
            match f {
                Frame::Object { key } if key.is_empty() => {}
                Frame::Object { key } if key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') => {
                    p.push('.');
                    p.push_str(key);
                }
                Frame::Object { key } => {
                    p.push_str("[\"");
                    p.push_str(&key.replace('\\', "\\\\").replace('"', "\\\""));
                    p.push_str("\"]");
                }
                Frame::Array { index } => p.push_str(&format!("[{index}]")),
            }
        }
        if self.hidden > 0 {
            p.push_str("...");
        }
        p
    }

    fn field(&self) -> Option<&str> {
        self.stack.iter().rev().find_map(|f| match f {
            Frame::Object { key } if !key.is_empty() => Some(key.as_str()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(format: Format, text: &str, needle: &str) -> (Location, Option<String>) {
        let mut l = Locator::new(format);
        let i = text.find(needle).unwrap();
        let mut cells = Vec::new();
        l.advance(&text.as_bytes()[..i], 0, &mut cells);
        (l.location(), l.field().map(str::to_string))
    }

    #[test]
    fn json_paths() {
        let doc = r#"{"users": [{"name": "a"}, {"name": "b", "ssn": "123-45-6789"}], "x y": {"k": "v"}}"#;
        assert_eq!(
            at(Format::Json, doc, "123-"),
            (Location::JsonPath { path: "$.users[1].ssn".into(), line: None }, Some("ssn".into()))
        );
        assert_eq!(at(Format::Json, doc, "v\"").0, Location::JsonPath { path: "$[\"x y\"].k".into(), line: None });
        let lines = "{\"a\": 1}\n{\"b\": [\"x\", \"secret\"]}\n";
        assert_eq!(
            at(Format::JsonLines, lines, "secret").0,
            Location::JsonPath { path: "$.b[1]".into(), line: Some(2) }
        );
    }

    #[test]
    fn formats_by_magic_then_name() {
        let p = |n: &str| Format::from_path(Path::new(n));
        assert_eq!(Format::detect(b"\x1f\x8b\x08\x00", Format::Text), Format::Gzip);
        assert_eq!(Format::detect(b"PK\x03\x04rest", p("export.dat")), Format::Zip);
        assert_eq!(Format::detect(b"PK\x03\x04rest", p("report.xlsx")), Format::Xlsx);
        assert_eq!(Format::detect(b"PAR1", p("x.csv")), Format::Parquet);
        let mut tar = vec![0u8; 512];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(Format::detect(&tar, p("x.bin")), Format::Tar);
        // A name that promises an archive the bytes do not hold is text; other names stand.
        assert_eq!(Format::detect(b"a,b\n1,2\n", p("x.zip")), Format::Text);
        assert_eq!(Format::detect(b"a,b\n1,2\n", p("x.csv")), Format::Csv);
        assert_eq!(p("x.TGZ"), Format::Gzip);
        assert_eq!(p("x.parquet"), Format::Parquet);
    }

    #[test]
    fn csv_cells() {
        let doc = "name,ssn\n\"Doe, Jane\",123-45-6789\n";
        assert_eq!(
            at(Format::Csv, doc, "123-"),
            (Location::Cell { row: 2, column: 2, header: Some("ssn".into()) }, Some("ssn".into()))
        );
        let mut l = Locator::new(Format::Csv);
        let mut cells = Vec::new();
        let doc = "user,password\nbob,\"s3cr\"\"et!\"\n";
        l.advance(doc.as_bytes(), 0, &mut cells);
        assert_eq!(cells.len(), 1);
        assert_eq!(cells[0].value, b"s3cr\"et!");
        assert_eq!(&doc[cells[0].start as usize..cells[0].end as usize], "s3cr\"\"et!");
        assert!(candidate_column("DB Password"));
    }
}
