//! The streaming scanner: an object is read in chunks with context on both sides, so memory stays bounded and a
//! match crossing a chunk boundary is reported once, with offsets absolute in the object.

use crate::archive::{self, Input, Limits, Members, Problem};
use crate::detectors::{aws_secret_access_key, is_placeholder, phone_number, Builtin, DETECTORS};
use crate::engine::{keyword_in, Engine, Found, MAX_MATCH};
use crate::format::{FieldValue, Format, Location, Locator};
use crate::redact::{redact, Style};
use crate::{Category, Confidence, Config, Error};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// The bytes scanned at once.
pub const CHUNK_SIZE: usize = 1 << 20;

/// Bytes kept on each side of a chunk: enough for the longest match and the keywords before it.
const CONTEXT: usize = 2 * MAX_MATCH;

/// Bytes examined to tell binary content from text.
const SNIFF: usize = 8 * 1024;

/// One finding. It holds a redacted sample, never the matched text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The detector's id.
    pub detector: String,
    /// The detector's category.
    pub category: Category,
    /// How likely the match is real.
    pub confidence: Confidence,
    /// The archive member or document part the match is in, outermost first and joined by `!`
    /// (`inner.tar!dir/file.csv`, `xl/sharedStrings.xml`); none when the offsets are in the object itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Offset of the first byte, in the object or in the member (for Parquet, in the value).
    pub start: u64,
    /// Offset after the last byte, in the object or in the member (for Parquet, in the value).
    pub end: u64,
    /// Where it is in the object's format.
    pub location: Location,
    /// The redacted text.
    pub sample: String,
}

/// What became of an object. The matches found were given to the sink whatever the outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ObjectOutcome {
    /// Read whole: every byte, and every member of an archive (binary members are skipped and counted).
    Scanned {
        /// The bytes given to the detectors: the object's size, or for an archive the expanded size of its members.
        bytes: u64,
        /// How it was read: for an archive, its outermost format.
        format: Format,
        /// For an archive or a document, what its members came to.
        #[serde(skip_serializing_if = "Option::is_none")]
        members: Option<Members>,
    },
    /// Read to the end, except parts that could not be read: a corrupt or truncated member (a broken stream ends
    /// the archive there), an unsupported compression method or encryption.
    Partial {
        /// The bytes given to the detectors.
        bytes: u64,
        /// How it was read.
        format: Format,
        /// What the members came to.
        #[serde(skip_serializing_if = "Option::is_none")]
        members: Option<Members>,
        /// What could not be read, each naming its member.
        problems: Vec<Problem>,
    },
    /// Its first 8 KiB hold NUL bytes or mostly invalid UTF-8: not scanned.
    SkippedBinary,
    /// A limit against archive bombs was reached ([`Limits`]): the scan of the object stopped there. Matches found
    /// before were reported.
    Refused {
        /// The bytes given to the detectors before the stop.
        bytes: u64,
        /// How it was read.
        format: Format,
        /// What the members came to before the stop.
        #[serde(skip_serializing_if = "Option::is_none")]
        members: Option<Members>,
        /// The limit reached, and where.
        reason: Problem,
        /// Parts that could not be read before the stop.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        problems: Vec<Problem>,
    },
}

impl ObjectOutcome {
    /// The bytes given to the detectors (0 for a skipped binary).
    pub fn bytes(&self) -> u64 {
        match self {
            ObjectOutcome::Scanned { bytes, .. }
            | ObjectOutcome::Partial { bytes, .. }
            | ObjectOutcome::Refused { bytes, .. } => *bytes,
            ObjectOutcome::SkippedBinary => 0,
        }
    }

    /// How the object was read, unless it was skipped.
    pub fn format(&self) -> Option<Format> {
        match self {
            ObjectOutcome::Scanned { format, .. }
            | ObjectOutcome::Partial { format, .. }
            | ObjectOutcome::Refused { format, .. } => Some(*format),
            ObjectOutcome::SkippedBinary => None,
        }
    }

    /// The member counts of an archive or document.
    pub fn members(&self) -> Option<&Members> {
        match self {
            ObjectOutcome::Scanned { members, .. }
            | ObjectOutcome::Partial { members, .. }
            | ObjectOutcome::Refused { members, .. } => members.as_ref(),
            ObjectOutcome::SkippedBinary => None,
        }
    }

    /// Every problem: the parts not read, then the limit that stopped the scan.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        let (list, reason): (&[Problem], Option<&Problem>) = match self {
            ObjectOutcome::Partial { problems, .. } => (problems, None),
            ObjectOutcome::Refused { problems, reason, .. } => (problems, Some(reason)),
            _ => (&[], None),
        };
        list.iter().chain(reason)
    }
}

/// A configured scanner. It is immutable and can be shared between threads.
pub struct Scanner {
    engine: Engine,
    min_confidence: Confidence,
    chunk_size: usize,
    limits: Limits,
}

impl Scanner {
    /// Builds a scanner: the built-in detectors less those disabled, and the custom ones.
    pub fn new(config: &Config) -> Result<Scanner, Error> {
        Ok(Scanner {
            engine: Engine::new(&config.disable, config.detectors.clone())?,
            min_confidence: config.min_confidence.unwrap_or(Confidence::Possible),
            chunk_size: CHUNK_SIZE,
            limits: Limits::default(),
        })
    }

    /// The same scanner reporting from another threshold.
    pub fn with_min_confidence(mut self, min: Confidence) -> Scanner {
        self.min_confidence = min;
        self
    }

    /// The same scanner reading `size`-byte chunks (1 KiB to 1 GiB): for tests of chunk boundaries.
    pub fn with_chunk_size(mut self, size: usize) -> Scanner {
        self.chunk_size = size.clamp(1024, 1 << 30);
        self
    }

    /// The same scanner with other limits against archive bombs.
    pub fn with_limits(mut self, limits: Limits) -> Scanner {
        self.limits = limits;
        self
    }

    /// The limits against archive bombs.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Scans bytes held in memory, as an object of `format`; binary content is scanned too.
    pub fn scan_slice(&self, data: &[u8], format: Format) -> Vec<Match> {
        let mut out = Vec::new();
        // Reading from a slice cannot fail.
        let _ = self.scan(data, format, false, &mut |m| out.push(m));
        out
    }

    /// Scans a file, its format told by its first bytes, else by its name. Archives and documents are read in
    /// place, without a copy.
    pub fn scan_file(&self, path: &Path, sink: &mut dyn FnMut(Match)) -> Result<ObjectOutcome, Error> {
        let mut file = std::fs::File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        archive::scan_object(self, Input::File(&mut file), name.as_deref(), Format::from_path(path), sink).map_err(
            |e| match e {
                Error::Read(source) => Error::Io { path: path.to_path_buf(), source },
                e => e,
            },
        )
    }

    /// Scans a stream as an object of `format`, giving each match to `sink` as soon as it is found. A gzip, zip,
    /// tar or Parquet stream is told by its first bytes whatever `format` says. Binary content is skipped and said
    /// so. A zip, docx, xlsx or Parquet stream needs random access: it is first copied to a temporary file, up to
    /// [`Limits::max_buffered_bytes`].
    pub fn scan_reader<R: Read>(
        &self,
        mut reader: R,
        format: Format,
        sink: &mut dyn FnMut(Match),
    ) -> Result<ObjectOutcome, Error> {
        archive::scan_object(self, Input::Stream(&mut reader), None, format, sink)
    }

    /// Scans a stream named `name` (an object key, a file name): the name gives the format when the first bytes do
    /// not, and names the content of a gzip stream (`data.csv.gz` holds `data.csv`).
    pub fn scan_named<R: Read>(
        &self,
        mut reader: R,
        name: &str,
        sink: &mut dyn FnMut(Match),
    ) -> Result<ObjectOutcome, Error> {
        let format = Format::from_path(Path::new(name));
        archive::scan_object(self, Input::Stream(&mut reader), Some(name), format, sink)
    }

    /// Scans one value (a spreadsheet cell, a Parquet value, a paragraph) held whole, under the column or field
    /// `field`; offsets are counted from `at`. Values of password and secret columns are candidates whole, as in
    /// CSV.
    pub(crate) fn scan_value(
        &self,
        value: &[u8],
        at: u64,
        field: Option<&str>,
        location: &dyn Fn() -> Location,
        sink: &mut dyn FnMut(Match),
    ) {
        let mut found = Vec::new();
        self.engine.scan(value, 0..value.len(), &mut found);
        for f in &found {
            if let Some(m) = self.finish(f, value, at, field, location) {
                sink(m);
            }
        }
        if let Some(header) = field.filter(|h| crate::format::candidate_column(h)) {
            let mut cells = vec![FieldValue {
                start: at,
                end: at + value.len() as u64,
                value: value.to_vec(),
                header: header.to_string(),
                row: 0,
                column: 0,
            }];
            self.emit_cells(&mut cells, &found, at, &|_| location(), sink);
        }
    }

    pub(crate) fn scan<R: Read>(
        &self,
        mut reader: R,
        format: Format,
        sniff: bool,
        sink: &mut dyn FnMut(Match),
    ) -> Result<ObjectOutcome, Error> {
        let chunk = self.chunk_size;
        let mut buf: Vec<u8> = Vec::new();
        let mut buf_start = 0u64;
        let mut keep_from = 0u64;
        let mut eof = false;
        let mut sniffed = !sniff;
        let mut locator = Locator::new(format);
        let mut found = Vec::new();
        let mut cells = Vec::new();
        loop {
            let want = (keep_from - buf_start) as usize + chunk + CONTEXT;
            while !eof && buf.len() < want {
                let filled = buf.len();
                // Grow by reads of at most 256 KiB: a stream shorter than a chunk never costs a chunk of memory.
                buf.resize(want.min(filled + (256 << 10)), 0);
                match reader.read(&mut buf[filled..]) {
                    Ok(0) => {
                        buf.truncate(filled);
                        eof = true;
                    }
                    Ok(n) => buf.truncate(filled + n),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(filled),
                    Err(e) => return Err(Error::Read(e)),
                }
            }
            if !sniffed {
                sniffed = true;
                if is_binary(&buf[..buf.len().min(SNIFF)]) {
                    return Ok(ObjectOutcome::SkippedBinary);
                }
            }
            let buf_end = buf_start + buf.len() as u64;
            let keep_to = if eof { buf_end } else { (keep_from + chunk as u64).min(buf_end - CONTEXT as u64) };
            let rel_from = (keep_from - buf_start) as usize;
            let rel_to = (keep_to - buf_start) as usize;
            found.clear();
            self.engine.scan(&buf, rel_from..rel_to, &mut found);
            let mut located = rel_from;
            for f in &found {
                locator.advance(&buf[located..f.start], buf_start + located as u64, &mut cells);
                located = f.start;
                self.emit_cells(&mut cells, &found, buf_start, &csv_location, sink);
                if let Some(m) = self.finish(f, &buf, buf_start, locator.field(), || locator.location()) {
                    sink(m);
                }
            }
            locator.advance(&buf[located..rel_to], buf_start + located as u64, &mut cells);
            self.emit_cells(&mut cells, &found, buf_start, &csv_location, sink);
            if eof && keep_to == buf_end {
                return Ok(ObjectOutcome::Scanned { bytes: buf_end, format, members: None });
            }
            keep_from = keep_to;
            let drop = ((keep_from - buf_start) as usize).saturating_sub(CONTEXT);
            buf.drain(..drop);
            buf_start += drop as u64;
        }
    }

    /// Gives a found candidate its final confidence (raised by a column or field name), redacts it and builds the
    /// match, unless it stays below the threshold.
    fn finish(
        &self,
        f: &Found,
        buf: &[u8],
        buf_start: u64,
        field: Option<&str>,
        location: impl FnOnce() -> Location,
    ) -> Option<Match> {
        let (id, category, style, by_field) = match DETECTORS.get(usize::from(f.detector)) {
            Some(d) => {
                (d.id, d.category, d.redaction, !f.raised && field.is_some_and(|name| keyword_in(name, d.keywords)))
            }
            None => {
                let c = self.engine.custom().get(usize::from(f.detector) - DETECTORS.len())?;
                (
                    c.id.as_str(),
                    c.category,
                    Style::Secret,
                    !f.raised && field.is_some_and(|name| keyword_in(name, &c.keywords)),
                )
            }
        };
        let text = buf.get(f.start..f.end)?;
        let mut confidence = f.confidence;
        if f.unvalidated {
            if !by_field || !phone_number::valid(text) {
                return None;
            }
            confidence = Confidence::Unlikely.raised();
        } else if by_field {
            confidence = confidence.raised();
        }
        if confidence < self.min_confidence {
            return None;
        }
        Some(Match {
            detector: id.to_string(),
            category,
            confidence,
            member: None,
            start: buf_start + f.start as u64,
            end: buf_start + f.end as u64,
            location: location(),
            sample: redact(style, text),
        })
    }

    /// Reports the whole values of password and secret columns that no keyword in the text pointed at.
    fn emit_cells(
        &self,
        cells: &mut Vec<FieldValue>,
        found: &[Found],
        buf_start: u64,
        location: &dyn Fn(&FieldValue) -> Location,
        sink: &mut dyn FnMut(Match),
    ) {
        for cell in cells.drain(..) {
            let header = cell.header.to_ascii_lowercase();
            let (b, confidence) = if header.contains("secret") {
                if !aws_secret_access_key::looks_like_secret(&cell.value) {
                    continue;
                }
                let d = DETECTORS[Builtin::AwsSecretAccessKey as usize];
                let c =
                    if keyword_in(&header, d.keywords) { Confidence::Possible.raised() } else { Confidence::Possible };
                (Builtin::AwsSecretAccessKey, c)
            } else {
                if is_placeholder(&cell.value) || cell.value.iter().any(|c| c.is_ascii_whitespace()) {
                    continue;
                }
                (Builtin::Password, Confidence::Likely)
            };
            if !self.engine.enabled(b) || confidence < self.min_confidence {
                continue;
            }
            let already = found.iter().any(|f| f.detector == b as u16 && buf_start + f.start as u64 == cell.start);
            if already {
                continue;
            }
            let d = DETECTORS[b as usize];
            sink(Match {
                detector: d.id.to_string(),
                category: d.category,
                confidence,
                member: None,
                start: cell.start,
                end: cell.end,
                location: location(&cell),
                sample: redact(d.redaction, &cell.value),
            });
        }
    }
}

/// Where a whole CSV cell is.
fn csv_location(cell: &FieldValue) -> Location {
    Location::Cell { row: cell.row, column: cell.column, header: Some(cell.header.clone()) }
}

/// NUL bytes, or more than one byte in ten not valid UTF-8, in an object's first bytes.
pub(crate) fn is_binary(head: &[u8]) -> bool {
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let mut invalid = 0usize;
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => break,
            Err(e) => match e.error_len() {
                Some(n) => {
                    invalid += n;
                    rest = &rest[e.valid_up_to() + n..];
                }
                // A character cut by the end of the sample.
                None => break,
            },
        }
    }
    invalid * 10 > head.len()
}
