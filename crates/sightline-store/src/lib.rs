//! The embedded store: snapshots kept in one SQLite file, one table per record kind, each record as JSON beside
//! the columns queries filter on. A snapshot is written in one transaction, so an interrupted write leaves none.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sightline_model::{Snapshot, FORMAT_VERSION};
use std::path::{Path, PathBuf};

/// Version of the database schema (SQLite `user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS snapshots (
    id INTEGER PRIMARY KEY,
    format_version INTEGER NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE, id TEXT NOT NULL, provider TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE, id TEXT NOT NULL, provider TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS principals (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE, id TEXT NOT NULL, provider TEXT NOT NULL, kind TEXT NOT NULL, account_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS policies (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE, id TEXT NOT NULL, provider TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE, id TEXT NOT NULL, provider TEXT NOT NULL, resource_type TEXT NOT NULL, account_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS coverage (snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE, provider TEXT NOT NULL, account_id TEXT NOT NULL, service TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS principals_by_snapshot ON principals(snapshot_id, id);
CREATE INDEX IF NOT EXISTS policies_by_snapshot ON policies(snapshot_id, id);
CREATE INDEX IF NOT EXISTS resources_by_snapshot ON resources(snapshot_id, resource_type, id);
CREATE INDEX IF NOT EXISTS accounts_by_snapshot ON accounts(snapshot_id);
CREATE INDEX IF NOT EXISTS organizations_by_snapshot ON organizations(snapshot_id);
CREATE INDEX IF NOT EXISTS coverage_by_snapshot ON coverage(snapshot_id);
";

/// A store fault, naming the database file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("{}: record {record} of snapshot {snapshot} is unreadable: {source}", path.display())]
    Record { path: PathBuf, snapshot: i64, record: String, source: serde_json::Error },
    #[error("{}: the database was written by a newer Sightline (schema {found}, this one knows {supported})", path.display())]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("{}: snapshot {id} has format version {found}, newer than this Sightline understands ({supported})", path.display())]
    NewerFormat { path: PathBuf, id: i64, found: i64, supported: u32 },
    #[error("{}: no snapshot {id}", path.display())]
    NoSnapshot { path: PathBuf, id: i64 },
    #[error("{}: the database holds no snapshot yet (import or collect one first)", path.display())]
    Empty { path: PathBuf },
}

/// One stored snapshot's summary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SnapshotInfo {
    pub id: i64,
    pub source: String,
    pub created_at: String,
    pub accounts: i64,
    pub principals: i64,
    pub policies: i64,
    pub resources: i64,
}

/// An open Sightline database.
pub struct Store {
    path: PathBuf,
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let sql = |source| StoreError::Sqlite { path: path.to_path_buf(), source };
        let conn = Connection::open(path).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        // In WAL mode NORMAL still commits atomically (an interrupted save leaves no snapshot behind); it only
        // skips an fsync per commit, which large imports feel.
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sql)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(sql)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        conn.execute_batch(SCHEMA).map_err(sql)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(sql)?;
        Ok(Store { path: path.to_path_buf(), conn })
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite { path: self.path.clone(), source }
    }

    /// Saves a snapshot in one transaction and returns its id.
    pub fn save(&mut self, snapshot: &Snapshot) -> Result<i64, StoreError> {
        let path = self.path.clone();
        let sql = move |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(&sql)?;
        let id = write(&tx, snapshot).map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(id)
    }

    /// The id of the newest snapshot.
    pub fn latest(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT max(id) FROM snapshots", [], |r| r.get::<_, Option<i64>>(0))
            .optional()
            .map_err(self.sql())?
            .flatten()
            .ok_or_else(|| StoreError::Empty { path: self.path.clone() })
    }

    /// Summaries of every stored snapshot, oldest first.
    pub fn list(&self) -> Result<Vec<SnapshotInfo>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.source, s.created_at,
                    (SELECT count(*) FROM accounts a WHERE a.snapshot_id = s.id),
                    (SELECT count(*) FROM principals p WHERE p.snapshot_id = s.id),
                    (SELECT count(*) FROM policies p WHERE p.snapshot_id = s.id),
                    (SELECT count(*) FROM resources r WHERE r.snapshot_id = s.id)
                 FROM snapshots s ORDER BY s.id",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SnapshotInfo {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    created_at: r.get(2)?,
                    accounts: r.get(3)?,
                    principals: r.get(4)?,
                    policies: r.get(5)?,
                    resources: r.get(6)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())
    }

    /// Loads snapshot `id` whole.
    pub fn load(&self, id: i64) -> Result<Snapshot, StoreError> {
        let header = self
            .conn
            .query_row("SELECT format_version, source, created_at FROM snapshots WHERE id = ?1", [id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()
            .map_err(self.sql())?
            .ok_or_else(|| StoreError::NoSnapshot { path: self.path.clone(), id })?;
        if header.0 > i64::from(FORMAT_VERSION) {
            return Err(StoreError::NewerFormat {
                path: self.path.clone(),
                id,
                found: header.0,
                supported: FORMAT_VERSION,
            });
        }
        let mut snapshot = Snapshot::new(header.1);
        snapshot.created_at = header.2;
        snapshot.accounts = self.records(id, "accounts")?;
        snapshot.organizations = self.records(id, "organizations")?;
        snapshot.policies = self.records(id, "policies")?;
        snapshot.principals = self.records(id, "principals")?;
        snapshot.resources = self.records(id, "resources")?;
        snapshot.coverage = self.records(id, "coverage")?;
        Ok(snapshot)
    }

    fn records<T: serde::de::DeserializeOwned>(&self, id: i64, table: &str) -> Result<Vec<T>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT rowid, body FROM {table} WHERE snapshot_id = ?1 ORDER BY rowid"))
            .map_err(self.sql())?;
        let mut rows = stmt.query([id]).map_err(self.sql())?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(self.sql())? {
            let rowid: i64 = row.get(0).map_err(self.sql())?;
            let body: String = row.get(1).map_err(self.sql())?;
            out.push(serde_json::from_str(&body).map_err(|source| StoreError::Record {
                path: self.path.clone(),
                snapshot: id,
                record: format!("{table}#{rowid}"),
                source,
            })?);
        }
        Ok(out)
    }
}

fn json<T: serde::Serialize>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn name<T: serde::Serialize>(value: &T) -> rusqlite::Result<String> {
    Ok(json(value)?.trim_matches('"').to_string())
}

fn write(tx: &Transaction<'_>, s: &Snapshot) -> rusqlite::Result<i64> {
    let created_at = if s.created_at.is_empty() { chrono_now() } else { s.created_at.clone() };
    tx.execute(
        "INSERT INTO snapshots (format_version, source, created_at) VALUES (?1, ?2, ?3)",
        params![s.format_version, s.source, created_at],
    )?;
    let id = tx.last_insert_rowid();
    {
        let mut st = tx.prepare("INSERT INTO accounts VALUES (?1, ?2, ?3, ?4)")?;
        for a in &s.accounts {
            st.execute(params![id, a.id, name(&a.provider)?, json(a)?])?;
        }
        let mut st = tx.prepare("INSERT INTO organizations VALUES (?1, ?2, ?3, ?4)")?;
        for o in &s.organizations {
            st.execute(params![id, o.id, name(&o.provider)?, json(o)?])?;
        }
        let mut st = tx.prepare("INSERT INTO principals VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for p in &s.principals {
            st.execute(params![id, p.id, name(&p.provider)?, name(&p.kind)?, p.account_id, json(p)?])?;
        }
        let mut st = tx.prepare("INSERT INTO policies VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for p in &s.policies {
            st.execute(params![id, p.id, name(&p.provider)?, name(&p.kind)?, json(p)?])?;
        }
        let mut st = tx.prepare("INSERT INTO resources VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for r in &s.resources {
            st.execute(params![id, r.id, name(&r.provider)?, r.resource_type, r.account_id, json(r)?])?;
        }
        let mut st = tx.prepare("INSERT INTO coverage VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        for c in &s.coverage {
            st.execute(params![id, name(&c.provider)?, c.account_id, c.service, name(&c.status)?, json(c)?])?;
        }
    }
    Ok(id)
}

/// Current UTC time in RFC 3339, without pulling a date crate into the store.
fn chrono_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let days = secs / 86_400;
    let (h, m, s) = ((secs % 86_400) / 3600, (secs % 3600) / 60, secs % 60);
    // Civil-from-days (proleptic Gregorian), after Howard Hinnant's public-domain algorithm.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_model::{Account, Provider};

    #[test]
    fn save_load_list() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut store = Store::open(&path).unwrap();
        assert!(matches!(store.latest(), Err(StoreError::Empty { .. })));
        let mut s = Snapshot::new("test");
        s.accounts.push(Account {
            provider: Provider::Aws,
            id: "1".into(),
            name: None,
            organization_id: None,
            parent_id: None,
            tags: Default::default(),
        });
        let a = store.save(&s).unwrap();
        let b = store.save(&s).unwrap();
        assert!(b > a);
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.latest().unwrap(), b);
        let back = store.load(a).unwrap();
        assert_eq!(back.accounts, s.accounts);
        assert!(back.created_at.ends_with('Z'));
        assert_eq!(store.list().unwrap().len(), 2);
        assert!(matches!(store.load(99), Err(StoreError::NoSnapshot { .. })));
    }

    #[test]
    fn not_a_database_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        std::fs::write(&path, b"this is not sqlite at all, just text that is long enough to look like a header")
            .unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(err.to_string().contains("x.db"), "{err}");
    }
}
