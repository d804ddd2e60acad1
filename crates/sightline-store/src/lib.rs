//! The embedded store: snapshots kept in one SQLite file, one table per record kind, each record as JSON beside
//! the columns queries filter on. A snapshot is written in one transaction, so an interrupted write leaves none.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sightline_model::{Activity, ActivityPeriod, DataObject, Provider, Snapshot, FORMAT_VERSION};
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
CREATE TABLE IF NOT EXISTS activity (provider TEXT NOT NULL, account_id TEXT NOT NULL, principal TEXT NOT NULL, action TEXT NOT NULL, resource TEXT NOT NULL, access_key_id TEXT NOT NULL, denied INTEGER NOT NULL, count INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (provider, account_id, principal, action, resource, access_key_id, denied)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS activity_periods (provider TEXT NOT NULL, account_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS activity_files (name TEXT PRIMARY KEY, imported_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS data_objects (object TEXT PRIMARY KEY, resource TEXT NOT NULL, etag TEXT NOT NULL, body TEXT NOT NULL);
";

/// The indexes, created after the rows when a new database is written in bulk.
const INDEXES: &str = "
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
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
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
        if let Ok(x) = std::env::var("XPRAGMAS") {
            conn.execute_batch(&x).map_err(sql)?;
        }
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

    /// Saves a snapshot into the database at `path`, creating the database if there is none, and returns the
    /// snapshot's id.
    ///
    /// A new database is written faster than a snapshot is added to an existing one. It is built in a temporary
    /// file beside `path` with SQLite's journal off (nothing else can see that file, so there is nothing to roll
    /// back: an interrupted write leaves only the temporary file, which is removed on the next attempt), indexed
    /// once its rows are in, and then linked into place, which fails rather than replace a database that appeared
    /// in the meantime. An existing database takes the snapshot in one ordinary transaction.
    pub fn save_to(path: &Path, snapshot: &Snapshot) -> Result<i64, StoreError> {
        if !path.exists() {
            let temporary = temporary_path(path);
            let _ = std::fs::remove_file(&temporary);
            let built = build_new(&temporary, snapshot);
            let linked = built.and_then(|id| {
                std::fs::hard_link(&temporary, path)
                    .map(|()| id)
                    .map_err(|e| StoreError::Io { path: path.to_path_buf(), source: e })
            });
            let _ = std::fs::remove_file(&temporary);
            match linked {
                Ok(id) => return Ok(id),
                // Another writer created the database first, or this file system has no hard links: add the
                // snapshot to whatever is at `path` now.
                Err(StoreError::Io { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Store::open(path)?.save(snapshot)
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
        (snapshot.activity, snapshot.activity_periods) = self.activity()?;
        snapshot.data_objects = self.data_objects()?;
        Ok(snapshot)
    }

    /// Adds activity read from audit logs, and the periods and files it was read from, in one transaction.
    /// Activity is kept apart from snapshots: every snapshot loaded carries all of it. Records with the same key
    /// are merged (counts added, first and last times widened).
    pub fn add_activity(
        &mut self,
        activity: &[Activity],
        periods: &[ActivityPeriod],
        files: &[String],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = move |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(&sql)?;
        write_activity(&tx, activity, periods).map_err(&sql)?;
        {
            let mut st =
                tx.prepare("INSERT OR IGNORE INTO activity_files (name, imported_at) VALUES (?1, ?2)").map_err(&sql)?;
            let now = chrono_now();
            for f in files {
                st.execute(params![f, now]).map_err(&sql)?;
            }
        }
        tx.commit().map_err(&sql)?;
        Ok(())
    }

    /// Records what the data scanner found in objects, in one transaction. Like activity, data scans are kept
    /// apart from snapshots and come with every snapshot loaded; a later scan of an object replaces the earlier.
    pub fn add_data_objects(&mut self, objects: &[DataObject]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let sql = move |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(&sql)?;
        write_data_objects(&tx, objects).map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(())
    }

    /// The ETag the object had when it was last scanned whole (or as a sample), if it was: a scan that resumes,
    /// or runs again, skips objects that have not changed since.
    pub fn data_object_etag(&self, object: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT etag FROM data_objects WHERE object = ?1 AND etag != '' AND json_extract(body, '$.outcome') != 'error'",
                [object],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())
    }

    /// Every data-scan record stored, by object.
    pub fn data_objects(&self) -> Result<Vec<DataObject>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT object, body FROM data_objects ORDER BY object").map_err(self.sql())?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).map_err(self.sql())?;
        let mut objects = Vec::new();
        for row in rows {
            let (object, body) = row.map_err(self.sql())?;
            objects.push(serde_json::from_str(&body).map_err(|source| StoreError::Record {
                path: self.path.clone(),
                snapshot: 0,
                record: format!("data_objects#{object}"),
                source,
            })?);
        }
        Ok(objects)
    }

    /// Whether a log file of this name was imported before (CloudTrail names every file uniquely).
    pub fn activity_file_imported(&self, name: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT 1 FROM activity_files WHERE name = ?1", [name], |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
            .map_err(self.sql())
    }

    /// Every activity record and period stored.
    pub fn activity(&self) -> Result<(Vec<Activity>, Vec<ActivityPeriod>), StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT provider, account_id, principal, action, resource, access_key_id, denied, count, first_seen, \
                 last_seen FROM activity ORDER BY provider, account_id, principal, action, resource",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([], |r| {
                let provider: String = r.get(0)?;
                let text = |i: usize| -> rusqlite::Result<Option<String>> {
                    let t: String = r.get(i)?;
                    Ok((!t.is_empty()).then_some(t))
                };
                Ok(Activity {
                    provider: if provider == "azure" { Provider::Azure } else { Provider::Aws },
                    account_id: r.get(1)?,
                    principal: r.get(2)?,
                    action: r.get(3)?,
                    resource: text(4)?,
                    access_key_id: text(5)?,
                    denied: r.get(6)?,
                    count: r.get::<_, i64>(7)?.max(0).unsigned_abs(),
                    first_seen: r.get(8)?,
                    last_seen: r.get(9)?,
                })
            })
            .map_err(self.sql())?;
        let activity = rows.collect::<Result<Vec<_>, _>>().map_err(self.sql())?;
        let mut stmt =
            self.conn.prepare("SELECT rowid, body FROM activity_periods ORDER BY rowid").map_err(self.sql())?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))).map_err(self.sql())?;
        let mut periods = Vec::new();
        for row in rows {
            let (rowid, body) = row.map_err(self.sql())?;
            periods.push(serde_json::from_str(&body).map_err(|source| StoreError::Record {
                path: self.path.clone(),
                snapshot: 0,
                record: format!("activity_periods#{rowid}"),
                source,
            })?);
        }
        Ok((activity, periods))
    }

    /// Reads one table's records of snapshot `id`, in insertion order, decoding their JSON on every core while the
    /// rows are read (see [`sightline_model::decode_in_order`]).
    fn records<T: serde::de::DeserializeOwned + Send>(&self, id: i64, table: &str) -> Result<Vec<T>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT rowid, body FROM {table} WHERE snapshot_id = ?1 ORDER BY rowid"))
            .map_err(self.sql())?;
        let mut rows = stmt.query([id]).map_err(self.sql())?;
        let path = &self.path;
        sightline_model::decode_in_order(
            |emit| {
                while let Some(row) = rows.next().map_err(self.sql())? {
                    let rowid: i64 = row.get(0).map_err(self.sql())?;
                    emit(rowid, row.get(1).map_err(self.sql())?);
                }
                Ok(())
            },
            |rowid, body| {
                serde_json::from_str::<T>(body).map_err(|source| StoreError::Record {
                    path: path.clone(),
                    snapshot: id,
                    record: format!("{table}#{rowid}"),
                    source,
                })
            },
        )
    }
}

/// Where a new database at `path` is built before it is linked into place.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{}.new", std::process::id()));
    path.with_file_name(name)
}

/// Writes a new database holding one snapshot at `path`, which no one else knows of: no journal, indexes built
/// after the rows. The file must be on disk before it is linked into place; rather than wait for one flush of the
/// whole file at the end, a second thread flushes what has been written so far every little while, so that the
/// disk writes while this thread encodes and inserts.
fn build_new(path: &Path, snapshot: &Snapshot) -> Result<i64, StoreError> {
    let sql = |source| StoreError::Sqlite { path: path.to_path_buf(), source };
    let io = |source| StoreError::Io { path: path.to_path_buf(), source };
    let mut conn = Connection::open(path).map_err(sql)?;
    conn.pragma_update(None, "journal_mode", "OFF").map_err(sql)?;
    conn.pragma_update(None, "synchronous", "OFF").map_err(sql)?;
    conn.execute_batch(SCHEMA).map_err(sql)?;
    let file = std::fs::OpenOptions::new().write(true).open(path).map_err(io)?;
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let id = std::thread::scope(|scope| {
        let file = &file;
        let flusher = scope.spawn(move || -> std::io::Result<()> {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(FLUSH_EVERY) {
                file.sync_data()?;
            }
            Ok(())
        });
        let written = (|| {
            let tx = conn.transaction().map_err(sql)?;
            let id = write(&tx, snapshot).map_err(sql)?;
            tx.commit().map_err(sql)?;
            conn.execute_batch(INDEXES).map_err(sql)?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(sql)?;
            // The mode later connections use, recorded in the file, so that the first of them need not set it.
            conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
            Ok(id)
        })();
        drop(stop);
        let flushed = flusher.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let id = written?;
        flushed.map_err(io)?;
        Ok::<i64, StoreError>(id)
    })?;
    conn.close().map_err(|(_, source)| sql(source))?;
    file.sync_all().map_err(io)?;
    Ok(id)
}

/// How often a new database's file is flushed while it is written.
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

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
        insert_all(&s.accounts, |a, body| st.execute(params![id, a.id, name(&a.provider)?, body]))?;
        let mut st = tx.prepare("INSERT INTO organizations VALUES (?1, ?2, ?3, ?4)")?;
        insert_all(&s.organizations, |o, body| st.execute(params![id, o.id, name(&o.provider)?, body]))?;
        let mut st = tx.prepare("INSERT INTO principals VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        insert_all(&s.principals, |p, body| {
            st.execute(params![id, p.id, name(&p.provider)?, name(&p.kind)?, p.account_id, body])
        })?;
        let mut st = tx.prepare("INSERT INTO policies VALUES (?1, ?2, ?3, ?4, ?5)")?;
        insert_all(&s.policies, |p, body| st.execute(params![id, p.id, name(&p.provider)?, name(&p.kind)?, body]))?;
        let mut st = tx.prepare("INSERT INTO resources VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        insert_all(&s.resources, |r, body| {
            st.execute(params![id, r.id, name(&r.provider)?, r.resource_type, r.account_id, body])
        })?;
        let mut st = tx.prepare("INSERT INTO coverage VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        insert_all(&s.coverage, |c, body| {
            st.execute(params![id, name(&c.provider)?, c.account_id, c.service, name(&c.status)?, body])
        })?;
    }
    write_activity(tx, &s.activity, &s.activity_periods)?;
    write_data_objects(tx, &s.data_objects)?;
    Ok(id)
}

/// Stores data-scan records, each replacing the earlier record of its object.
fn write_data_objects(tx: &Transaction<'_>, objects: &[DataObject]) -> rusqlite::Result<()> {
    let mut st = tx.prepare("INSERT OR REPLACE INTO data_objects VALUES (?1, ?2, ?3, ?4)")?;
    for o in objects {
        st.execute(params![
            o.object,
            o.resource.as_deref().unwrap_or_default(),
            o.etag.as_deref().unwrap_or_default(),
            json(o)?
        ])?;
    }
    Ok(())
}

/// Merges activity records into the activity table and adds the periods.
fn write_activity(tx: &Transaction<'_>, activity: &[Activity], periods: &[ActivityPeriod]) -> rusqlite::Result<()> {
    let mut st = tx.prepare(
        "INSERT INTO activity VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT DO UPDATE SET count = count + excluded.count, first_seen = min(first_seen, excluded.first_seen), \
         last_seen = max(last_seen, excluded.last_seen)",
    )?;
    for a in activity {
        st.execute(params![
            name(&a.provider)?,
            a.account_id,
            a.principal,
            a.action,
            a.resource.as_deref().unwrap_or_default(),
            a.access_key_id.as_deref().unwrap_or_default(),
            a.denied,
            i64::try_from(a.count).unwrap_or(i64::MAX),
            a.first_seen,
            a.last_seen
        ])?;
    }
    let mut st = tx.prepare("INSERT INTO activity_periods VALUES (?1, ?2, ?3)")?;
    for p in periods {
        st.execute(params![name(&p.provider)?, p.account_id, json(p)?])?;
    }
    Ok(())
}

/// Records per batch handed from the encoding thread to the inserting one.
const ENCODE_BATCH: usize = 512;

/// Inserts every record with `insert`, in order, given each record and its JSON body. For more than one batch of
/// records, a second thread encodes the bodies while this one inserts them (SQLite connections stay on their
/// thread); the queue between them holds a few batches, so memory stays bounded.
fn insert_all<T: serde::Serialize + Sync>(
    items: &[T],
    mut insert: impl FnMut(&T, String) -> rusqlite::Result<usize>,
) -> rusqlite::Result<()> {
    if items.len() <= ENCODE_BATCH {
        for item in items {
            insert(item, json(item)?)?;
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (to_insert, encoded) = std::sync::mpsc::sync_channel::<Vec<rusqlite::Result<String>>>(4);
        scope.spawn(move || {
            for batch in items.chunks(ENCODE_BATCH) {
                // The inserting side stops listening only when it has failed; then there is nothing left to do.
                if to_insert.send(batch.iter().map(json).collect()).is_err() {
                    return;
                }
            }
        });
        for (batch, bodies) in items.chunks(ENCODE_BATCH).zip(encoded) {
            for (item, body) in batch.iter().zip(bodies) {
                insert(item, body?)?;
            }
        }
        Ok(())
    })
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
    use sightline_model::{Account, Policy, PolicyKind, Provider};

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

    /// A snapshot large enough to be written and read through the encoder and decoder threads.
    fn many_policies(n: usize) -> Snapshot {
        let mut s = Snapshot::new("test");
        for i in 0..n {
            s.policies.push(Policy {
                provider: Provider::Aws,
                id: format!("arn:aws:iam::123456789012:policy/p{i}"),
                kind: PolicyKind::CustomerManaged,
                name: format!("p{i}"),
                account_id: Some("123456789012".into()),
                document: sightline_model::compact_document(&format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b{i}/{}"}}]}}"#,
                    "k".repeat(i % 300)
                ))
                .unwrap(),
                properties: serde_json::Value::Null,
            });
        }
        s
    }

    #[test]
    fn data_scans_replace_earlier_ones_and_come_with_every_snapshot() {
        use sightline_model::{DataDetection, DataOutcome};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let mut store = Store::open(&path).unwrap();
        let id = store.save(&Snapshot::new("one")).unwrap();
        let object = |etag: &str, outcome: DataOutcome, count: u64| DataObject {
            provider: Some(Provider::Aws),
            resource: Some("arn:aws:s3:::b".into()),
            object: "s3://b/customers.csv".into(),
            etag: Some(etag.into()),
            size: Some(100),
            bytes_scanned: 100,
            scanned_at: "2026-11-29T00:00:00Z".into(),
            outcome,
            reason: None,
            detections: vec![DataDetection {
                detector: "credit_card".into(),
                category: "financial".into(),
                confidence: "very_likely".into(),
                count,
                samples: vec!["4111 **** **** 1111".into()],
                locations: vec!["row 2, column card".into()],
            }],
        };
        store.add_data_objects(&[object("e1", DataOutcome::Scanned, 3)]).unwrap();
        assert_eq!(store.data_object_etag("s3://b/customers.csv").unwrap().as_deref(), Some("e1"));
        store.add_data_objects(&[object("e2", DataOutcome::Scanned, 5)]).unwrap();
        let back = store.load(id).unwrap();
        assert_eq!(back.data_objects, vec![object("e2", DataOutcome::Scanned, 5)]);
        // A failed read is kept, but does not let a later scan skip the object.
        store.add_data_objects(&[object("e3", DataOutcome::Error, 0)]).unwrap();
        assert_eq!(store.data_object_etag("s3://b/customers.csv").unwrap(), None);
        assert_eq!(store.data_object_etag("s3://b/other").unwrap(), None);
    }

    #[test]
    fn activity_is_merged_and_comes_with_every_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).unwrap();
        store.save(&Snapshot::new("one")).unwrap();
        let call = |count: u64, first: &str, last: &str| Activity {
            provider: Provider::Aws,
            account_id: "1".into(),
            principal: "arn:aws:iam::1:user/a".into(),
            action: "s3:GetObject".into(),
            resource: Some("arn:aws:s3:::b/k".into()),
            access_key_id: None,
            denied: false,
            count,
            first_seen: first.into(),
            last_seen: last.into(),
        };
        let period = ActivityPeriod {
            provider: Provider::Aws,
            account_id: "1".into(),
            from: "2026-01-01T00:00:00Z".into(),
            to: "2026-02-01T00:00:00Z".into(),
            events: 3,
            source: "logs".into(),
        };
        store
            .add_activity(
                &[call(2, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")],
                std::slice::from_ref(&period),
                &["f1".into()],
            )
            .unwrap();
        store.add_activity(&[call(1, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")], &[], &["f2".into()]).unwrap();
        assert!(store.activity_file_imported("f1").unwrap() && store.activity_file_imported("f2").unwrap());
        assert!(!store.activity_file_imported("f3").unwrap());
        let back = store.load(store.latest().unwrap()).unwrap();
        assert_eq!(back.activity, vec![call(3, "2026-01-01T00:00:00Z", "2026-01-06T00:00:00Z")]);
        assert_eq!(back.activity_periods, vec![period]);
    }

    #[test]
    fn a_new_database_is_built_aside_and_linked_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        // A temporary file left by an interrupted attempt of this same process is replaced, not reused.
        std::fs::write(temporary_path(&path), b"leftover").unwrap();
        let s = many_policies(12_000);
        let first = Store::save_to(&path, &s).unwrap();
        assert!(!temporary_path(&path).exists());
        let store = Store::open(&path).unwrap();
        let mode: String = store.conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let indexes: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 6);
        let back = store.load(first).unwrap();
        assert_eq!(back.policies.len(), s.policies.len());
        for (a, b) in back.policies.iter().zip(&s.policies) {
            assert_eq!((&a.id, a.document.get()), (&b.id, b.document.get()));
        }
        drop(store);
        // An existing database takes the next snapshot in a transaction.
        let second = Store::save_to(&path, &many_policies(3)).unwrap();
        assert!(second > first);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.list().unwrap().iter().map(|i| i.policies).collect::<Vec<_>>(), vec![12_000, 3]);
    }

    #[test]
    fn an_unreadable_record_is_named_even_among_many() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let id = Store::save_to(&path, &many_policies(9_000)).unwrap();
        let store = Store::open(&path).unwrap();
        store.conn.execute("UPDATE policies SET body = '{\"broken\"' WHERE rowid IN (7000, 8000)", []).unwrap();
        let err = store.load(id).err().unwrap().to_string();
        assert!(err.contains("policies#7000"), "{err}");
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
