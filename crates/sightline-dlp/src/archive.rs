//! Archives and compressed streams: gzip, zip and tar, nested in each other to a limit, each member scanned as an
//! object of its own, its format told by its first bytes or its name.
//!
//! Everything is streamed, except what needs random access (zip, docx, xlsx, Parquet): a file on disk is read in
//! place, and a stream or an archive member is first copied to a temporary file, up to
//! [`Limits::max_buffered_bytes`]. Every byte that comes out of a decompressor passes through a [`Guard`] that
//! counts it against the limits while it streams: sizes written in headers are never trusted.

use crate::documents;
use crate::format::Format;
use crate::scanner::{Match, ObjectOutcome, Scanner};
use crate::Error;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// Bytes read from an object or a member to tell its format: enough for the tar magic and a whole tar header.
const HEAD: usize = 512;

/// A member is not held to the compression ratio before it has expanded this much: small members of repeated
/// bytes (an empty form, a padded header) compress far beyond any ratio and are harmless.
pub const RATIO_GRACE: u64 = 1 << 20;

/// Limits against archive bombs. A limit reached stops the scan of the object ([`ObjectOutcome::Refused`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Archives or compressed streams opened inside each other (a `.tar.gz` is two). Default 5.
    pub max_depth: u32,
    /// Members of one archive. Default 10,000.
    pub max_members: u64,
    /// Bytes coming out of decompressors over the whole object, at every level. Default 1 GiB.
    pub max_expanded_bytes: u64,
    /// Expanded bytes per compressed byte read, per member or stream, measured while it streams once it has
    /// expanded [`RATIO_GRACE`] bytes. Default 100.
    pub max_ratio: u64,
    /// The largest stream or member copied to a temporary file because its format needs random access (zip,
    /// docx, xlsx, Parquet read from a stream or inside another archive). Default 256 MiB.
    pub max_buffered_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 5,
            max_members: 10_000,
            max_expanded_bytes: 1 << 30,
            max_ratio: 100,
            max_buffered_bytes: 256 << 20,
        }
    }
}

/// What kind of part of an object could not be read, or which limit stopped the scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Limit: archives nested deeper than [`Limits::max_depth`].
    Depth,
    /// Limit: an archive with more than [`Limits::max_members`] members.
    Members,
    /// Limit: more than [`Limits::max_expanded_bytes`] expanded.
    ExpandedBytes,
    /// Limit: a member or stream expanding more than [`Limits::max_ratio`] times.
    CompressionRatio,
    /// Limit: an archive needing random access larger than [`Limits::max_buffered_bytes`].
    TooLargeToBuffer,
    /// The data is truncated or corrupt there; what came before was scanned.
    Corrupt,
    /// An encrypted member, or a compression method or encoding this build does not read.
    Unsupported,
}

impl ProblemKind {
    /// A limit against archive bombs, which stops the scan of the object.
    pub fn is_limit(self) -> bool {
        !matches!(self, ProblemKind::Corrupt | ProblemKind::Unsupported)
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Depth => "depth",
            ProblemKind::Members => "members",
            ProblemKind::ExpandedBytes => "expanded_bytes",
            ProblemKind::CompressionRatio => "compression_ratio",
            ProblemKind::TooLargeToBuffer => "too_large_to_buffer",
            ProblemKind::Corrupt => "corrupt",
            ProblemKind::Unsupported => "unsupported",
        }
    }
}

/// A part of an object that could not be read, or the limit that stopped its scan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The member where it happened (`inner.tar!dir/file.csv`), none for the object itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// What it is.
    pub kind: ProblemKind,
    /// What happened, in words.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.member {
            Some(m) => write!(f, "{m}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// What the members of an archive or the parts of a document came to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Members {
    /// Members and parts scanned, at every level of nesting (archives inside count too).
    pub scanned: u64,
    /// Binary members skipped.
    pub skipped_binary: u64,
    /// Bytes that came out of decompressors.
    pub expanded_bytes: u64,
}

/// Where an object comes from: a file can be read in place when its format needs random access.
pub(crate) enum Input<'a> {
    File(&'a mut File),
    Stream(&'a mut dyn Read),
}

/// Counts shared by every guard of one object.
pub(crate) struct Budget {
    expanded: Cell<u64>,
    stop: RefCell<Option<Problem>>,
}

/// The scan of one object: where the limits stand and what was found wrong.
pub(crate) struct Walk<'a> {
    pub(crate) scanner: &'a Scanner,
    pub(crate) limits: Limits,
    pub(crate) budget: &'a Budget,
    pub(crate) sink: &'a mut dyn FnMut(Match),
    pub(crate) bytes: u64,
    pub(crate) members: Members,
    pub(crate) problems: Vec<Problem>,
    /// The object's format once its members told it (a zip found to be a docx).
    pub(crate) refined: Option<Format>,
}

/// Scans an object: an archive or a document member by member, anything else as one stream. Only a failed read of
/// a plain object is an error; everything that goes wrong inside an archive is reported in the outcome.
pub(crate) fn scan_object(
    scanner: &Scanner,
    input: Input<'_>,
    name: Option<&str>,
    named: Format,
    sink: &mut dyn FnMut(Match),
) -> Result<ObjectOutcome, Error> {
    let mut input = input;
    let mut head = Vec::with_capacity(HEAD);
    match &mut input {
        // A file stays just past its head: the readers of gzip and tar take the head and then the rest; those of
        // zip and Parquet seek where they need.
        Input::File(f) => read_head(f, &mut head)?,
        Input::Stream(r) => read_head(r, &mut head)?,
    }
    let format = Format::detect(&head, named);
    if !format.is_container() {
        return match input {
            Input::File(f) => scanner.scan(io::Cursor::new(head).chain(f), format, true, sink),
            Input::Stream(r) => scanner.scan(io::Cursor::new(head).chain(r), format, true, sink),
        };
    }
    let budget = Budget { expanded: Cell::new(0), stop: RefCell::new(None) };
    let mut walk = Walk {
        scanner,
        limits: scanner.limits().clone(),
        budget: &budget,
        sink,
        bytes: 0,
        members: Members::default(),
        problems: Vec::new(),
        refined: None,
    };
    let name = name.unwrap_or("-");
    match input {
        Input::File(f) => walk.container(Input::File(f), head, name, None, format, 0),
        Input::Stream(r) => walk.container(Input::Stream(r), head, name, None, format, 0),
    }
    walk.members.expanded_bytes = budget.expanded.get();
    let members = Some(walk.members);
    let format = walk.refined.unwrap_or(format);
    let stop = budget.stop.borrow_mut().take();
    Ok(match stop {
        Some(reason) => ObjectOutcome::Refused { bytes: walk.bytes, format, members, reason, problems: walk.problems },
        None if walk.problems.is_empty() => ObjectOutcome::Scanned { bytes: walk.bytes, format, members },
        None => ObjectOutcome::Partial { bytes: walk.bytes, format, members, problems: walk.problems },
    })
}

/// Reads up to [`HEAD`] bytes, fewer only at the end of the stream.
fn read_head(r: &mut dyn Read, head: &mut Vec<u8>) -> io::Result<()> {
    head.clear();
    r.take(HEAD as u64).read_to_end(head)?;
    Ok(())
}

/// `outer!inner`.
fn join(path: Option<&str>, name: &str) -> String {
    match path {
        Some(p) => format!("{p}!{name}"),
        None => name.to_string(),
    }
}

/// The name of what a gzip stream holds: its own name less `.gz`; a `.tgz` holds a `.tar`.
fn gunzipped(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".tgz").map(|s| s.len()) {
        format!("{}.tar", &name[..stem])
    } else if let Some(stem) = lower.strip_suffix(".gz").or_else(|| lower.strip_suffix(".gzip")).map(str::len) {
        name[..stem].to_string()
    } else {
        // The gzip header may carry the original name, but it is the sender's word: the object's name plus a
        // marker keeps the member path honest.
        format!("{name}~")
    }
}

impl Walk<'_> {
    /// Records the limit that stops the scan (the first one only).
    pub(crate) fn refuse(&mut self, member: Option<&str>, kind: ProblemKind, reason: String) {
        stop(self.budget, member, kind, reason);
    }

    /// Counts `n` more expanded bytes; gives the total.
    pub(crate) fn budget_add(&self, n: u64) -> u64 {
        let total = self.budget.expanded.get().saturating_add(n);
        self.budget.expanded.set(total);
        total
    }

    /// Whether a limit stopped the scan.
    pub(crate) fn stopped(&self) -> bool {
        self.budget.stop.borrow().is_some()
    }

    /// Records a part that could not be read.
    pub(crate) fn problem(&mut self, member: Option<&str>, kind: ProblemKind, reason: impl Into<String>) {
        self.problems.push(Problem { member: member.map(str::to_string), kind, reason: reason.into() });
    }

    /// Reports a failed read inside an archive: nothing new when a limit caused it (the guard said so already).
    pub(crate) fn read_failed(&mut self, member: Option<&str>, what: &str, e: &dyn fmt::Display) {
        if !self.stopped() {
            self.problem(member, ProblemKind::Corrupt, format!("{what}: {e}"));
        }
    }

    /// A member or decompressed stream: told by its first bytes or its name, then scanned or opened.
    pub(crate) fn member(&mut self, reader: &mut dyn Read, name: &str, path: &str, depth: u32) {
        let mut head = Vec::with_capacity(HEAD);
        if let Err(e) = read_head(reader, &mut head) {
            self.read_failed(Some(path), "cannot read", &e);
            return;
        }
        let file_name = name.rsplit('/').next().unwrap_or(name);
        let format = Format::detect(&head, Format::from_path(std::path::Path::new(file_name)));
        if format.is_container() {
            self.container(Input::Stream(reader), head, name, Some(path), format, depth);
            return;
        }
        let sink = &mut *self.sink;
        let mut tag = |mut m: Match| {
            m.member = Some(path.to_string());
            sink(m)
        };
        match self.scanner.scan(io::Cursor::new(head).chain(reader), format, true, &mut tag) {
            Ok(outcome @ ObjectOutcome::Scanned { .. }) => {
                self.bytes += outcome.bytes();
                self.members.scanned += 1;
            }
            Ok(ObjectOutcome::SkippedBinary) => self.members.skipped_binary += 1,
            Ok(outcome) => self.bytes += outcome.bytes(),
            Err(Error::Read(e)) => self.read_failed(Some(path), "truncated or corrupt", &e),
            Err(e) => self.read_failed(Some(path), "read failed", &e),
        }
    }

    /// Opens an archive, a compressed stream or a document at nesting `depth` (the object itself is 0).
    fn container(
        &mut self,
        input: Input<'_>,
        head: Vec<u8>,
        name: &str,
        path: Option<&str>,
        format: Format,
        depth: u32,
    ) {
        if depth >= self.limits.max_depth {
            let reason =
                format!("{} nested deeper than {} archives: not opened", format.as_str(), self.limits.max_depth);
            self.refuse(path, ProblemKind::Depth, reason);
            return;
        }
        if path.is_some() {
            self.members.scanned += 1;
        }
        match format {
            Format::Gzip => {
                let rest: &mut dyn Read = match input {
                    Input::File(f) => f,
                    Input::Stream(r) => r,
                };
                let counted = Cell::new(0u64);
                let compressed = Counted { inner: io::Cursor::new(head).chain(rest), count: &counted };
                let inner = gunzipped(name);
                let inner_path = join(path, &inner);
                let mut guard = Guard::new(
                    flate2::read::MultiGzDecoder::new(compressed),
                    self.budget,
                    &self.limits,
                    inner_path.clone(),
                    Some(&counted),
                );
                self.member(&mut guard, &inner, &inner_path, depth + 1);
            }
            Format::Tar => {
                let rest: &mut dyn Read = match input {
                    Input::File(f) => f,
                    Input::Stream(r) => r,
                };
                self.tar(io::Cursor::new(head).chain(rest), path, depth);
            }
            Format::Zip | Format::Docx | Format::Xlsx | Format::Parquet => {
                let mut spooled;
                let file = match input {
                    Input::File(f) => f,
                    Input::Stream(r) => match self.spool(io::Cursor::new(head).chain(r), path, format) {
                        Some(f) => {
                            spooled = f;
                            &mut spooled
                        }
                        None => return,
                    },
                };
                self.random_access(file, path, format, depth);
            }
            _ => {}
        }
    }

    /// Copies a stream to a temporary file, up to the limit.
    fn spool(&mut self, mut reader: impl Read, path: Option<&str>, format: Format) -> Option<File> {
        let mut file = match tempfile::tempfile() {
            Ok(f) => f,
            Err(e) => {
                self.problem(path, ProblemKind::Unsupported, format!("no temporary file to read the archive: {e}"));
                return None;
            }
        };
        let max = self.limits.max_buffered_bytes;
        match io::copy(&mut (&mut reader).take(max + 1), &mut file) {
            Ok(n) if n > max => {
                let reason =
                    format!("{} larger than {max} bytes: needs random access, too large to buffer", format.as_str());
                self.refuse(path, ProblemKind::TooLargeToBuffer, reason);
                None
            }
            Ok(_) => match file.seek(SeekFrom::Start(0)) {
                Ok(_) => Some(file),
                Err(e) => {
                    self.read_failed(path, "temporary file", &e);
                    None
                }
            },
            Err(e) => {
                self.read_failed(path, "read failed", &e);
                None
            }
        }
    }

    /// A tar archive, entry by entry; a broken stream ends it.
    fn tar(&mut self, reader: impl Read, path: Option<&str>, depth: u32) {
        let mut archive = tar::Archive::new(reader);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => return self.read_failed(path, "not a tar archive", &e),
        };
        let mut count = 0u64;
        let mut last = String::new();
        let mut last_broke = false;
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                // A member that broke has said where already: the stream it broke is the archive's.
                Err(_) if last_broke => return,
                Err(e) => {
                    let at = if last.is_empty() { "at the first entry".to_string() } else { format!("after {last}") };
                    self.read_failed(path, &format!("tar archive broken {at}"), &e);
                    return;
                }
            };
            count += 1;
            if count > self.limits.max_members {
                let reason = format!("more than {} members", self.limits.max_members);
                return self.refuse(path, ProblemKind::Members, reason);
            }
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let member_path = join(path, &name);
            let before = self.problems.len();
            self.member(&mut entry, &name, &member_path, depth + 1);
            if self.stopped() {
                return;
            }
            last_broke = self.problems.len() > before;
            last = name;
        }
    }

    /// A zip, docx, xlsx or Parquet file, read with random access.
    fn random_access(&mut self, file: &mut File, path: Option<&str>, format: Format, depth: u32) {
        if format == Format::Parquet {
            return documents::parquet(self, file, path);
        }
        let counted = Cell::new(0u64);
        let mut archive = match zip::ZipArchive::new(Counted { inner: &mut *file, count: &counted }) {
            Ok(a) => a,
            Err(e) if format == Format::Zip => return self.zip_stream(file, path, depth, &e),
            Err(e) => return self.read_failed(path, "not a readable zip archive", &e),
        };
        if archive.index_for_name("word/document.xml").is_some() {
            if path.is_none() {
                self.refined = Some(Format::Docx);
            }
            return documents::docx(self, &mut archive, &counted, path);
        }
        if archive.index_for_name("xl/workbook.xml").is_some() {
            if path.is_none() {
                self.refined = Some(Format::Xlsx);
            }
            return documents::xlsx(self, &mut archive, &counted, path);
        }
        // The central directory lists every member before any is read: too many is known at once.
        if archive.len() as u64 > self.limits.max_members {
            let reason = format!("{} members, more than {}", archive.len(), self.limits.max_members);
            return self.refuse(path, ProblemKind::Members, reason);
        }
        for i in 0..archive.len() {
            let name = match archive.name_for_index(i) {
                Some(Ok(n)) => n.into_owned(),
                _ => format!("#{}", i + 1),
            };
            let member_path = join(path, &name);
            let start = counted.get();
            let member = match archive.by_index(i) {
                Ok(m) => m,
                Err(e) => {
                    let kind = match e {
                        zip::result::ZipError::UnsupportedArchive(_)
                        | zip::result::ZipError::CompressionMethodNotSupported(_)
                        | zip::result::ZipError::InvalidPassword => ProblemKind::Unsupported,
                        _ => ProblemKind::Corrupt,
                    };
                    self.problem(Some(&member_path), kind, format!("cannot open the member: {e}"));
                    continue;
                }
            };
            if !member.is_file() {
                continue;
            }
            if member.encrypted() {
                self.problem(Some(&member_path), ProblemKind::Unsupported, "encrypted member: not scanned");
                continue;
            }
            let mut guard =
                Guard::new(member, self.budget, &self.limits, member_path.clone(), Some(&counted)).from(start);
            self.member(&mut guard, &name, &member_path, depth + 1);
            if self.stopped() {
                return;
            }
        }
    }
}

impl Walk<'_> {
    /// A zip without a readable central directory (truncated, most often): its members read in order from their
    /// local headers, up to where it breaks.
    fn zip_stream(&mut self, file: &mut File, path: Option<&str>, depth: u32, why: &zip::result::ZipError) {
        if let Err(e) = file.seek(SeekFrom::Start(0)) {
            return self.read_failed(path, "cannot read", &e);
        }
        self.problem(
            path,
            ProblemKind::Corrupt,
            format!("no readable central directory ({why}): members read in order from their local headers"),
        );
        let counted = Cell::new(0u64);
        let mut reader = Counted { inner: io::BufReader::new(file), count: &counted };
        let mut count = 0u64;
        let mut last = String::new();
        loop {
            let start = counted.get();
            let member = match zip::read::read_zipfile_from_stream(&mut reader) {
                Ok(Some(m)) => m,
                Ok(None) => return,
                Err(e) => {
                    let at = if last.is_empty() { "at the first member".to_string() } else { format!("after {last}") };
                    return self.read_failed(path, &format!("zip archive broken {at}"), &e);
                }
            };
            count += 1;
            if count > self.limits.max_members {
                let reason = format!("more than {} members", self.limits.max_members);
                return self.refuse(path, ProblemKind::Members, reason);
            }
            let name = member.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("#{count}"));
            let member_path = join(path, &name);
            if !member.is_file() {
                continue;
            }
            if member.encrypted() {
                self.problem(Some(&member_path), ProblemKind::Unsupported, "encrypted member: not scanned");
                continue;
            }
            let mut guard =
                Guard::new(member, self.budget, &self.limits, member_path.clone(), Some(&counted)).from(start);
            self.member(&mut guard, &name, &member_path, depth + 1);
            if self.stopped() {
                return;
            }
            last = name;
        }
    }
}

/// Records the limit that stops the scan, unless one did already.
fn stop(budget: &Budget, member: Option<&str>, kind: ProblemKind, reason: String) {
    let mut stop = budget.stop.borrow_mut();
    if stop.is_none() {
        *stop = Some(Problem { member: member.map(str::to_string), kind, reason });
    }
}

/// Counts the bytes read through it: the compressed side of a decompressor.
pub(crate) struct Counted<'c, R> {
    pub(crate) inner: R,
    pub(crate) count: &'c Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<'_, R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Stands between a decompressor and its reader: counts what comes out against the limits, and fails the read
/// once one is reached (and for every guard of the object after that).
pub(crate) struct Guard<'b, R> {
    inner: R,
    budget: &'b Budget,
    max_expanded: u64,
    max_ratio: u64,
    member: String,
    out: u64,
    compressed: Option<(&'b Cell<u64>, u64)>,
}

impl<'b, R: Read> Guard<'b, R> {
    /// Guards `inner`, the expansion of `member`, whose compressed bytes are counted by `compressed`.
    pub(crate) fn new(
        inner: R,
        budget: &'b Budget,
        limits: &Limits,
        member: String,
        compressed: Option<&'b Cell<u64>>,
    ) -> Guard<'b, R> {
        Guard {
            inner,
            budget,
            max_expanded: limits.max_expanded_bytes,
            max_ratio: limits.max_ratio,
            member,
            out: 0,
            compressed: compressed.map(|c| (c, c.get())),
        }
    }

    /// Counts compressed bytes from `start` (the counter's value before the member was opened).
    pub(crate) fn from(mut self, start: u64) -> Guard<'b, R> {
        if let Some((c, _)) = self.compressed {
            self.compressed = Some((c, start));
        }
        self
    }

    fn refuse(&self, kind: ProblemKind, reason: String) -> io::Error {
        stop(self.budget, Some(&self.member), kind, reason);
        io::Error::other("limit reached")
    }
}

impl<R: Read> Read for Guard<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget.stop.borrow().is_some() {
            return Err(io::Error::other("limit reached"));
        }
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let total = self.budget.expanded.get() + n as u64;
        self.budget.expanded.set(total);
        if total > self.max_expanded {
            let reason = format!("expands past {} bytes in all", self.max_expanded);
            return Err(self.refuse(ProblemKind::ExpandedBytes, reason));
        }
        if let Some((count, start)) = self.compressed {
            let read = count.get().saturating_sub(start).max(1);
            if self.out > RATIO_GRACE && self.out / read >= self.max_ratio {
                let reason = format!(
                    "compression ratio over {}:1 ({} bytes out of {read} compressed, and counting)",
                    self.max_ratio, self.out
                );
                return Err(self.refuse(ProblemKind::CompressionRatio, reason));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_content_names() {
        assert_eq!(gunzipped("a.csv.gz"), "a.csv");
        assert_eq!(gunzipped("B.TGZ"), "B.tar");
        assert_eq!(gunzipped("x.gzip"), "x");
        assert_eq!(gunzipped("blob"), "blob~");
        assert_eq!(join(Some("a.zip"), "b.csv"), "a.zip!b.csv");
    }
}
