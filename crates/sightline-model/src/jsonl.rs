//! Snapshot export and import as JSON Lines: a header line, then one record per line.
//!
//! One record per line keeps exports streamable and diffable, and lets a reader report the exact line of a fault.

use crate::{Account, Coverage, Organization, Policy, Principal, Resource, Snapshot, FORMAT_VERSION};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

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
}

/// Whether the first bytes of a file look like a Sightline JSON Lines export.
pub fn looks_like_jsonl(first_bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(first_bytes);
    text.trim_start().starts_with("{\"sightline_snapshot\"")
}

/// How many bytes of lines the reading thread gathers before handing them to a decoder.
const BATCH_BYTES: usize = 1 << 20;

/// Reads a JSON Lines snapshot: lines are read in order and decoded on every core.
pub fn read_jsonl(input: impl BufRead) -> Result<Snapshot, JsonlError> {
    let mut lines = input.lines();
    let first = match lines.next() {
        Some(line) => line?,
        None => return Err(JsonlError::MissingHeader),
    };
    let header: Header = serde_json::from_str(&first).map_err(|_| JsonlError::MissingHeader)?;
    if header.sightline_snapshot > FORMAT_VERSION {
        return Err(JsonlError::NewerVersion { found: header.sightline_snapshot, supported: FORMAT_VERSION });
    }
    let mut snapshot = Snapshot {
        format_version: FORMAT_VERSION,
        source: header.source,
        created_at: header.created_at,
        ..Default::default()
    };
    // Lines are read here and decoded on every core: batches of about a megabyte go to decoder threads and
    // come back numbered, and are put back in order, so the snapshot and the first fault reported are the same as
    // a line-by-line read.
    let decoders = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let (to_decode, batches) = std::sync::mpsc::sync_channel::<(usize, Vec<(usize, String)>)>(decoders * 2);
    let batches = std::sync::Mutex::new(batches);
    let (to_collect, decoded) = std::sync::mpsc::channel();
    let read: Result<(), JsonlError> = std::thread::scope(|scope| {
        for _ in 0..decoders {
            let to_collect = to_collect.clone();
            let batches = &batches;
            scope.spawn(move || loop {
                let next = match batches.lock() {
                    Ok(receiver) => receiver.recv(),
                    Err(_) => return,
                };
                let Ok((n, batch)) = next else { return };
                let records: Vec<Result<Record, JsonlError>> = batch
                    .iter()
                    .map(|(line, text)| {
                        serde_json::from_str(text).map_err(|e| JsonlError::Line { line: *line, message: e.to_string() })
                    })
                    .collect();
                if to_collect.send((n, records)).is_err() {
                    return;
                }
            });
        }
        drop(to_collect);
        let mut batch = Vec::new();
        let (mut bytes, mut sent) = (0, 0);
        let result = (|| {
            for (index, line) in lines.enumerate() {
                let line = line?;
                if line.trim().is_empty() {
                    continue;
                }
                bytes += line.len();
                batch.push((index + 2, line));
                if bytes >= BATCH_BYTES {
                    bytes = 0;
                    // Decoders stop early only when this side has stopped listening, so a send cannot fail.
                    let _ = to_decode.send((sent, std::mem::take(&mut batch)));
                    sent += 1;
                }
            }
            if !batch.is_empty() {
                let _ = to_decode.send((sent, batch));
            }
            Ok(())
        })();
        drop(to_decode);
        result
    });
    read?;
    let mut parts: Vec<(usize, Vec<Result<Record, JsonlError>>)> = decoded.into_iter().collect();
    parts.sort_by_key(|(n, _)| *n);
    for record in parts.into_iter().flat_map(|(_, records)| records) {
        match record? {
            Record::Account(x) => snapshot.accounts.push(x),
            Record::Organization(x) => snapshot.organizations.push(x),
            Record::Principal(x) => snapshot.principals.push(x),
            Record::Policy(x) => snapshot.policies.push(x),
            Record::Resource(x) => snapshot.resources.push(x),
            Record::Coverage(x) => snapshot.coverage.push(x),
        }
    }
    Ok(snapshot)
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
        assert_eq!(back.principals[0].inline_policies[0].document.get(), r#"{"Version":"2012-10-17"}"#);
        Ok(())
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
