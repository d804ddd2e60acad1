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
    // Lines are read here and decoded on every core, in order (see `decode_in_order`).
    let records = crate::decode_in_order(
        |emit| {
            for (index, line) in lines.enumerate() {
                let line = line?;
                if !line.trim().is_empty() {
                    emit(index + 2, line);
                }
            }
            Ok(())
        },
        |line, text| {
            serde_json::from_str::<Record>(text).map_err(|e| JsonlError::Line { line: *line, message: e.to_string() })
        },
    )?;
    for record in records {
        match record {
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
