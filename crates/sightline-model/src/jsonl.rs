//! Snapshot export and import as JSON Lines: a header line, then one record per line.
//!
//! One record per line keeps exports streamable and diffable, and lets a reader report the exact line of a fault.

use crate::{
    Account, Activity, ActivityPeriod, Coverage, DataObject, Organization, Policy, Principal, Resource, Snapshot,
    FORMAT_VERSION,
};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// Why a JSON Lines snapshot could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum JsonlError {
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
    #[error("not a Sightline snapshot export: the first line has no \"sightline_snapshot\" header")]
    MissingHeader,
    #[error("snapshot format version {found} is newer than this Sightline understands ({supported})")]
    NewerVersion { found: u32, supported: u32 },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

#[derive(Serialize, Deserialize)]
struct Header {
    sightline_snapshot: u32,
    #[serde(default)]
    source: String,
    #[serde(default)]
    created_at: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Account(Account),
    Organization(Organization),
    Principal(Principal),
    Policy(Policy),
    Resource(Resource),
    Coverage(Coverage),
    Activity(Activity),
    ActivityPeriod(ActivityPeriod),
    DataObject(DataObject),
}

/// Writes `snapshot` as JSON Lines.
pub fn write_jsonl(snapshot: &Snapshot, mut out: impl Write) -> Result<(), JsonlError> {
    let header = Header {
        sightline_snapshot: snapshot.format_version,
        source: snapshot.source.clone(),
        created_at: snapshot.created_at.clone(),
    };
    serde_json::to_writer(&mut out, &header)?;
    out.write_all(b"\n")?;
    fn line<'a, T>(
        out: &mut impl Write,
        wrap: impl Fn(&'a T) -> RecordRef<'a>,
        items: &'a [T],
    ) -> Result<(), JsonlError> {
        for item in items {
            serde_json::to_writer(&mut *out, &wrap(item))?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
    line(&mut out, RecordRef::Account, &snapshot.accounts)?;
    line(&mut out, RecordRef::Organization, &snapshot.organizations)?;
    line(&mut out, RecordRef::Policy, &snapshot.policies)?;
    line(&mut out, RecordRef::Principal, &snapshot.principals)?;
    line(&mut out, RecordRef::Resource, &snapshot.resources)?;
    line(&mut out, RecordRef::Coverage, &snapshot.coverage)?;
    line(&mut out, RecordRef::Activity, &snapshot.activity)?;
    line(&mut out, RecordRef::ActivityPeriod, &snapshot.activity_periods)?;
    line(&mut out, RecordRef::DataObject, &snapshot.data_objects)?;
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum RecordRef<'a> {
    Account(&'a Account),
    Organization(&'a Organization),
    Principal(&'a Principal),
    Policy(&'a Policy),
    Resource(&'a Resource),
    Coverage(&'a Coverage),
    Activity(&'a Activity),
    ActivityPeriod(&'a ActivityPeriod),
    DataObject(&'a DataObject),
}

/// Whether the first bytes of a file look like a Sightline JSON Lines export.
pub fn looks_like_jsonl(first_bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(first_bytes);
    text.trim_start().starts_with("{\"sightline_snapshot\"")
}

/// How many bytes of the export one decoding task takes at a time.
const PIECE_BYTES: usize = 4 << 20;

/// The records of one piece of an export, by kind, and the first fault in it.
#[derive(Default)]
struct Piece {
    accounts: Vec<Account>,
    organizations: Vec<Organization>,
    principals: Vec<Principal>,
    policies: Vec<Policy>,
    resources: Vec<Resource>,
    coverage: Vec<Coverage>,
    activity: Vec<Activity>,
    activity_periods: Vec<ActivityPeriod>,
    data_objects: Vec<DataObject>,
    /// Lines in the piece, to number the lines of the next one.
    lines: usize,
    /// The first bad line: its index in the piece and what is wrong.
    fault: Option<(usize, String)>,
}

impl Piece {
    fn decode(text: &[u8]) -> Piece {
        let mut piece = Piece::default();
        for (index, line) in text.split(|b| *b == b'\n').enumerate() {
            piece.lines = index + 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Record>(line) {
                Ok(Record::Account(x)) => piece.accounts.push(x),
                Ok(Record::Organization(x)) => piece.organizations.push(x),
                Ok(Record::Principal(x)) => piece.principals.push(x),
                Ok(Record::Policy(x)) => piece.policies.push(x),
                Ok(Record::Resource(x)) => piece.resources.push(x),
                Ok(Record::Coverage(x)) => piece.coverage.push(x),
                Ok(Record::Activity(x)) => piece.activity.push(x),
                Ok(Record::ActivityPeriod(x)) => piece.activity_periods.push(x),
                Ok(Record::DataObject(x)) => piece.data_objects.push(x),
                Err(e) => {
                    piece.fault = Some((index, e.to_string()));
                    break;
                }
            }
        }
        piece
    }
}

/// Reads a JSON Lines snapshot. The text after the header is cut at line ends into pieces of a few megabytes,
/// which are decoded on every core straight from the bytes; records keep their order, and the first bad line of
/// the file is the one reported, as if the lines were read one after another.
pub fn read_jsonl(bytes: &[u8]) -> Result<Snapshot, JsonlError> {
    read_in_pieces(bytes, PIECE_BYTES)
}

fn read_in_pieces(bytes: &[u8], piece_bytes: usize) -> Result<Snapshot, JsonlError> {
    let (first, rest) = match memchr::memchr(b'\n', bytes) {
        Some(end) => (&bytes[..end], &bytes[end + 1..]),
        None => (bytes, &[][..]),
    };
    if first.iter().all(u8::is_ascii_whitespace) {
        return Err(JsonlError::MissingHeader);
    }
    let header: Header = serde_json::from_slice(first).map_err(|_| JsonlError::MissingHeader)?;
    if header.sightline_snapshot > FORMAT_VERSION {
        return Err(JsonlError::NewerVersion { found: header.sightline_snapshot, supported: FORMAT_VERSION });
    }
    // Pieces end just after a line end, so that no line is split.
    let mut bounds = vec![0];
    while let Some(&from) = bounds.last() {
        if from >= rest.len() {
            break;
        }
        let at = (from + piece_bytes).min(rest.len());
        let end = memchr::memchr(b'\n', &rest[at..]).map_or(rest.len(), |i| at + i + 1);
        bounds.push(end);
    }
    let texts: Vec<&[u8]> =
        bounds.windows(2).map(|w| &rest[w[0]..w[1]]).map(|t| t.strip_suffix(b"\n").unwrap_or(t)).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8).min(texts.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::OnceLock<Piece>> = texts.iter().map(|_| std::sync::OnceLock::new()).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(text) = texts.get(i) else { return };
                let _ = slots[i].set(Piece::decode(text));
            });
        }
    });
    let pieces: Vec<Piece> = slots.into_iter().map(|s| s.into_inner().unwrap_or_default()).collect();
    // The header is line 1.
    let mut line = 2;
    for piece in &pieces {
        if let Some((index, message)) = &piece.fault {
            return Err(JsonlError::Line { line: line + index, message: message.clone() });
        }
        line += piece.lines;
    }
    fn gather<T>(pieces: &mut [Piece], part: impl Fn(&mut Piece) -> &mut Vec<T>) -> Vec<T> {
        let mut all = Vec::with_capacity(pieces.iter_mut().map(|p| part(p).len()).sum());
        for piece in pieces {
            all.append(part(piece));
        }
        all
    }
    let mut pieces = pieces;
    Ok(Snapshot {
        format_version: FORMAT_VERSION,
        source: header.source,
        created_at: header.created_at,
        accounts: gather(&mut pieces, |p| &mut p.accounts),
        organizations: gather(&mut pieces, |p| &mut p.organizations),
        principals: gather(&mut pieces, |p| &mut p.principals),
        policies: gather(&mut pieces, |p| &mut p.policies),
        resources: gather(&mut pieces, |p| &mut p.resources),
        coverage: gather(&mut pieces, |p| &mut p.coverage),
        activity: gather(&mut pieces, |p| &mut p.activity),
        activity_periods: gather(&mut pieces, |p| &mut p.activity_periods),
        data_objects: gather(&mut pieces, |p| &mut p.data_objects),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PrincipalKind, Provider};

    fn sample() -> Snapshot {
        let mut s = Snapshot::new("test");
        s.accounts.push(Account {
            provider: Provider::Aws,
            id: "111111111111".into(),
            name: Some("dev".into()),
            organization_id: None,
            parent_id: None,
            tags: Default::default(),
        });
        s.principals.push(Principal {
            provider: Provider::Aws,
            id: "arn:aws:iam::111111111111:user/alice".into(),
            kind: PrincipalKind::User,
            account_id: "111111111111".into(),
            name: "alice".into(),
            path: Some("/".into()),
            unique_id: None,
            created_at: None,
            tags: Default::default(),
            attached_policies: vec![],
            inline_policies: vec![crate::InlinePolicy {
                name: "p".into(),
                document: serde_json::value::RawValue::from_string(r#"{"Version":"2012-10-17"}"#.into())
                    .unwrap_or_else(|_| unreachable!()),
            }],
            groups: vec![],
            permissions_boundary: None,
            trust_policy: None,
            properties: serde_json::Value::Null,
        });
        s.data_objects.push(crate::DataObject {
            provider: None,
            resource: None,
            object: "exports/customers.csv".into(),
            etag: None,
            size: Some(10),
            bytes_scanned: 10,
            scanned_at: "2026-11-29T00:00:00Z".into(),
            outcome: crate::DataOutcome::Scanned,
            reason: None,
            detections: vec![crate::DataDetection {
                detector: "email".into(),
                category: "personal".into(),
                confidence: "likely".into(),
                count: 1,
                samples: vec!["j***@example.com".into()],
                locations: vec!["line 2".into()],
            }],
        });
        s
    }

    #[test]
    fn round_trip() -> Result<(), JsonlError> {
        let mut buf = Vec::new();
        write_jsonl(&sample(), &mut buf)?;
        assert!(looks_like_jsonl(&buf));
        let back = read_jsonl(&buf[..])?;
        assert_eq!(back.accounts, sample().accounts);
        assert_eq!(back.principals.len(), 1);
        assert_eq!(back.data_objects, sample().data_objects);
        assert_eq!(back.principals[0].inline_policies[0].document.get(), r#"{"Version":"2012-10-17"}"#);
        Ok(())
    }

    #[test]
    fn pieces_keep_order_and_line_numbers() {
        let mut text = String::from("{\"sightline_snapshot\":1}\n");
        for i in 0..500 {
            text.push_str(&format!(
                "{{\"account\":{{\"provider\":\"aws\",\"id\":\"{i:012}\"}}}}\n{}",
                if i % 7 == 0 { "\n  \n" } else { "" }
            ));
        }
        for piece_bytes in [1, 10, 100, 1 << 20] {
            let got = read_in_pieces(text.as_bytes(), piece_bytes).unwrap();
            let ids: Vec<String> = got.accounts.iter().map(|a| a.id.clone()).collect();
            assert_eq!(ids, (0..500).map(|i| format!("{i:012}")).collect::<Vec<_>>());
        }
        // Two bad lines: the first one in the file is named, whatever the pieces.
        let mut lines: Vec<&str> = text.lines().collect();
        lines[301] = "{\"account\":";
        lines[402] = "not json";
        let bad = lines.join("\n");
        for piece_bytes in [1, 10, 100, 1 << 20] {
            match read_in_pieces(bad.as_bytes(), piece_bytes) {
                Err(JsonlError::Line { line, .. }) => assert_eq!(line, 302),
                other => unreachable!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn bad_line_is_named() {
        let text = "{\"sightline_snapshot\":1}\n{\"account\":{}}\n";
        match read_jsonl(text.as_bytes()) {
            Err(JsonlError::Line { line, .. }) => assert_eq!(line, 2),
            other => unreachable!("unexpected {other:?}"),
        }
    }

    #[test]
    fn newer_version_is_refused() {
        let text = "{\"sightline_snapshot\":999}\n";
        assert!(matches!(read_jsonl(text.as_bytes()), Err(JsonlError::NewerVersion { .. })));
        assert!(matches!(read_jsonl("not json".as_bytes()), Err(JsonlError::MissingHeader)));
    }
}
