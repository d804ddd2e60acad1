//! The streaming scanner: an object is read in chunks with context on both sides, so memory stays bounded and a
//! match crossing a chunk boundary is reported once, with offsets absolute in the object.

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
    /// Offset of the first byte, in the object.
    pub start: u64,
    /// Offset after the last byte, in the object.
    pub end: u64,
    /// Where it is in the object's format.
    pub location: Location,
    /// The redacted text.
    pub sample: String,
}

/// What became of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ObjectOutcome {
    /// Read to the end.
    Scanned {
        /// Its size.
        bytes: u64,
        /// How it was read.
        format: Format,
    },
    /// Its first 8 KiB hold NUL bytes or mostly invalid UTF-8: not scanned.
    SkippedBinary,
}

/// A configured scanner. It is immutable and can be shared between threads.
pub struct Scanner {
    engine: Engine,
    min_confidence: Confidence,
    chunk_size: usize,
}

impl Scanner {
    /// Builds a scanner: the built-in detectors less those disabled, and the custom ones.
    pub fn new(config: &Config) -> Result<Scanner, Error> {
        Ok(Scanner {
            engine: Engine::new(&config.disable, config.detectors.clone())?,
            min_confidence: config.min_confidence.unwrap_or(Confidence::Possible),
            chunk_size: CHUNK_SIZE,
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

    /// Scans bytes held in memory, as an object of `format`; binary content is scanned too.
    pub fn scan_slice(&self, data: &[u8], format: Format) -> Vec<Match> {
        let mut out = Vec::new();
        // Reading from a slice cannot fail.
        let _ = self.scan(data, format, false, &mut |m| out.push(m));
        out
    }

    /// Scans a file, its format told by its name.
    pub fn scan_file(&self, path: &Path, sink: &mut dyn FnMut(Match)) -> Result<ObjectOutcome, Error> {
        let file = std::fs::File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        self.scan_reader(file, Format::from_path(path), sink).map_err(|e| match e {
            Error::Read(source) => Error::Io { path: path.to_path_buf(), source },
            e => e,
        })
    }

    /// Scans a stream as an object of `format`, giving each match to `sink` as soon as it is found. Binary content
    /// is skipped and said so.
    pub fn scan_reader<R: Read>(
        &self,
        reader: R,
        format: Format,
        sink: &mut dyn FnMut(Match),
    ) -> Result<ObjectOutcome, Error> {
        self.scan(reader, format, true, sink)
    }

    fn scan<R: Read>(
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
                self.emit_cells(&mut cells, &found, buf_start, sink);
                if let Some(m) = self.finish(f, &buf, buf_start, locator.field(), || locator.location()) {
                    sink(m);
                }
            }
            locator.advance(&buf[located..rel_to], buf_start + located as u64, &mut cells);
            self.emit_cells(&mut cells, &found, buf_start, sink);
            if eof && keep_to == buf_end {
                return Ok(ObjectOutcome::Scanned { bytes: buf_end, format });
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
            start: buf_start + f.start as u64,
            end: buf_start + f.end as u64,
            location: location(),
            sample: redact(style, text),
        })
    }

    /// Reports the whole values of password and secret columns that no keyword in the text pointed at.
    fn emit_cells(&self, cells: &mut Vec<FieldValue>, found: &[Found], buf_start: u64, sink: &mut dyn FnMut(Match)) {
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
                start: cell.start,
                end: cell.end,
                location: Location::Cell { row: cell.row, column: cell.column, header: Some(cell.header.clone()) },
                sample: redact(d.redaction, &cell.value),
            });
        }
    }
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
