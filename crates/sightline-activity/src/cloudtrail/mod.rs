//! CloudTrail log files, as a trail delivers them to S3 (`AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/*.json.gz`,
//! each `{"Records": [...]}`), or as `aws cloudtrail lookup-events` and event data store exports give them: read on
//! every core and aggregated into [`Activity`] records, one per identity, action, resource, access key and outcome.

use crate::Error;
use serde::Deserialize;
use sightline_iam::actions::ActionDb;
use sightline_model::{Activity, ActivityPeriod, Provider};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most bytes one log file may expand to. CloudTrail files are a few megabytes (lookup-events output at most
/// tens); a file that expands past this is refused as a decompression bomb rather than read into memory. With one
/// file read per core, this bounds what reading takes.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// What one import read.
#[derive(Debug, Default)]
pub struct Import {
    pub activity: Vec<Activity>,
    /// Per account: the first and last event read.
    pub periods: Vec<ActivityPeriod>,
    /// The names of the trail log files read (CloudTrail names each file uniquely), to recognise them next time.
    /// Files named otherwise (lookup-events output) are not remembered: importing one twice counts its calls twice.
    pub files: Vec<String>,
    /// Files that were not read, and why (digest files, files of other kinds, files imported before).
    pub skipped: Vec<(PathBuf, String)>,
    /// Events read and turned into activity.
    pub events: u64,
    /// Events not attributed to an identity of the account, by reason (`AWSService` calls, ...).
    pub ignored: BTreeMap<String, u64>,
    /// Actions the calls map to that the action database does not know, with their number of calls: kept in the
    /// activity, but named here (an unknown service, or an event that is not an IAM action, such as
    /// `signin:ConsoleLogin`).
    pub unknown_actions: BTreeMap<String, u64>,
}

/// Reads every CloudTrail file under `paths` (files or directories, searched recursively): `.json` and `.json.gz`
/// files are read, digest files and other files are skipped and listed. `already` says whether a file name was
/// imported before (it is then skipped). Any file that cannot be read fails the whole import, naming the file: a
/// period with a hole in it would make calls look unused.
pub fn import(paths: &[PathBuf], already: &dyn Fn(&str) -> bool) -> Result<Import, Error> {
    import_limited(paths, already, MAX_FILE_BYTES)
}

pub(crate) fn import_limited(
    paths: &[PathBuf],
    already: &dyn Fn(&str) -> bool,
    max_file_bytes: u64,
) -> Result<Import, Error> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        walk(path, &mut files, &mut skipped)?;
    }
    files.sort();
    files.dedup();
    let mut todo = Vec::new();
    for f in files {
        if is_trail_file(&file_name(&f)) && already(&file_name(&f)) {
            skipped.push((f, "imported before".to_string()));
        } else {
            todo.push(Input::File(f));
        }
    }
    let source = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    let mut out = read_all(&todo, &source, max_file_bytes)?;
    out.skipped = skipped;
    Ok(out)
}

/// Reads one log held in memory (`name` stands for its path in messages), as [`import`] reads a file.
pub fn import_bytes(name: &str, bytes: &[u8]) -> Result<Import, Error> {
    read_all(&[Input::Bytes(PathBuf::from(name), bytes)], name, MAX_FILE_BYTES)
}

/// A log to read: a file, or bytes already in memory.
enum Input<'a> {
    File(PathBuf),
    Bytes(PathBuf, &'a [u8]),
}

impl Input<'_> {
    fn path(&self) -> &Path {
        match self {
            Input::File(p) | Input::Bytes(p, _) => p,
        }
    }
}

fn read_all(todo: &[Input<'_>], source: &str, max_file_bytes: u64) -> Result<Import, Error> {
    let mut out = Import::default();
    let db = ActionDb::try_embedded().map_err(|e| Error::ActionDb(e.to_string()))?;
    let parts = sightline_model::parallel_map(todo, |f| read_file(f, max_file_bytes, db));
    let mut failures = Vec::new();
    let mut merged: foldhash::HashMap<ActivityKey, Activity> = Default::default();
    let mut days: BTreeMap<(String, String), (String, String, u64)> = BTreeMap::new();
    for (file, part) in todo.iter().zip(parts) {
        let part = match part {
            Ok(p) => p,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        out.events += part.events;
        for (k, v) in part.ignored {
            *out.ignored.entry(k).or_default() += v;
        }
        for (k, v) in part.unknown {
            *out.unknown_actions.entry(k).or_default() += v;
        }
        for a in part.activity {
            match merged.entry(key_of(&a)) {
                std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().absorb(&a),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(a);
                }
            }
        }
        for (key, (from, to, n)) in part.spans {
            let d = days.entry(key).or_insert_with(|| (from.clone(), to.clone(), 0));
            d.2 += n;
            if from < d.0 {
                d.0 = from;
            }
            if to > d.1 {
                d.1 = to;
            }
        }
        if is_trail_file(&file_name(file.path())) {
            out.files.push(file_name(file.path()));
        }
    }
    match failures.len() {
        0 => {}
        1 => return Err(failures.remove(0)),
        _ => return Err(Error::Several(failures)),
    }
    out.periods = periods_of(days, source);
    let mut activity: Vec<Activity> = merged.into_values().collect();
    activity.sort_by(|a, b| a.key().cmp(&b.key()));
    out.activity = activity;
    Ok(out)
}

/// The periods the logs cover, per account: runs of consecutive days with events. A day without a single event
/// of an account (not even one by an AWS service) is taken for a hole in its logs, and splits its period.
fn periods_of(days: BTreeMap<(String, String), (String, String, u64)>, source: &str) -> Vec<ActivityPeriod> {
    let next_day = |day: &str| {
        chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().and_then(|d| d.succ_opt()).map(|d| d.to_string())
    };
    let mut out: Vec<ActivityPeriod> = Vec::new();
    let mut last: Option<(String, String)> = None;
    for ((account, day), (from, to, n)) in days {
        let follows = last.as_ref().is_some_and(|(a, d)| *a == account && next_day(d).as_deref() == Some(day.as_str()));
        match out.last_mut() {
            Some(p) if follows => {
                p.to = to;
                p.events += n;
            }
            _ => out.push(ActivityPeriod {
                provider: Provider::Aws,
                account_id: account.clone(),
                from,
                to,
                events: n,
                source: source.to_string(),
            }),
        }
        last = Some((account, day));
    }
    out
}

type ActivityKey = (String, String, String, Option<String>, Option<String>, bool);

fn key_of(a: &Activity) -> ActivityKey {
    (a.account_id.clone(), a.principal.clone(), a.action.clone(), a.resource.clone(), a.access_key_id.clone(), a.denied)
}

/// Whether a file is named as a trail names its log files (`ACCOUNT_CloudTrail_REGION_TIME_ID.json.gz`): such
/// names are unique, so a file imported before is recognised by its name.
pub fn is_trail_file(name: &str) -> bool {
    let mut parts = name.split('_');
    parts.next().is_some_and(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        && parts.next() == Some("CloudTrail")
        && (name.ends_with(".json.gz") || name.ends_with(".json"))
}

/// The name a file is remembered by: its file name (CloudTrail's are unique per account, region and time).
fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

fn walk(path: &Path, files: &mut Vec<PathBuf>, skipped: &mut Vec<(PathBuf, String)>) -> Result<(), Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?
            .map(|e| e.map(|e| e.path()).map_err(|e| Error::Io { path: path.to_path_buf(), source: e }))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for e in entries {
            walk(&e, files, skipped)?;
        }
        return Ok(());
    }
    let name = file_name(path);
    let component = |c: &str| path.components().any(|x| x.as_os_str() == c);
    if component("CloudTrail-Digest") || name.contains("CloudTrail-Digest") {
        skipped.push((path.to_path_buf(), "a digest file (it holds hashes, not events)".to_string()));
    } else if component("CloudTrail-Insight") || name.contains("CloudTrail-Insight") {
        skipped.push((path.to_path_buf(), "an Insights file (it holds anomalies, not calls)".to_string()));
    } else if component("AWSLogs") && !component("CloudTrail") && !is_trail_file(&name) {
        // Log archive buckets also hold AWS Config snapshots, VPC flow logs and the like under AWSLogs/.
        skipped
            .push((path.to_path_buf(), "not under a CloudTrail folder of AWSLogs/ (Config, flow logs...)".to_string()));
    } else if name.ends_with(".json") || name.ends_with(".json.gz") {
        files.push(path.to_path_buf());
    } else {
        skipped.push((path.to_path_buf(), "not a .json or .json.gz file".to_string()));
    }
    Ok(())
}

/// A log's bytes, gunzipped when they are gzip (whatever the name), at most `limit`.
fn read_bytes(path: &Path, mut reader: impl std::io::BufRead, limit: u64, hint: u64) -> Result<Vec<u8>, Error> {
    let io = |e| Error::Io { path: path.to_path_buf(), source: e };
    let gzip = reader.fill_buf().map_err(io)?.starts_with(&[0x1f, 0x8b]);
    // The expanded size when known (a gzip member ends with it, modulo 4 GiB), to read into one allocation; a
    // forged trailer reserves no more than 256 MiB up front.
    let mut bytes = Vec::with_capacity(usize::try_from(hint.min(limit).min(256 << 20)).unwrap_or(0));
    if gzip {
        flate2::bufread::MultiGzDecoder::new(reader).take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    } else {
        reader.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    }
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge { path: path.to_path_buf(), limit });
    }
    Ok(bytes)
}

/// The size of a gzip member from its last four bytes.
fn gzip_size(tail: &[u8]) -> u64 {
    match tail.len().checked_sub(4).and_then(|at| tail.get(at..)) {
        Some(&[a, b, c, d]) => u64::from(u32::from_le_bytes([a, b, c, d])),
        _ => 0,
    }
}

/// How big a file is once read: its length, or for gzip the size its trailer gives. The file is left at its start.
fn size_hint(file: &mut std::fs::File) -> std::io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    let len = file.metadata()?.len();
    let mut head = [0u8; 2];
    let n = file.read(&mut head)?;
    let hint = if n == 2 && head == [0x1f, 0x8b] && len >= 18 {
        let mut tail = [0u8; 4];
        file.seek(SeekFrom::End(-4))?;
        file.read_exact(&mut tail)?;
        gzip_size(&tail)
    } else {
        len
    };
    file.seek(SeekFrom::Start(0))?;
    Ok(hint)
}

/// A file's events, aggregated: `{"Records": [...]}` (a trail's files), `{"Events": [{"CloudTrailEvent": "..."}]}`
/// (`aws cloudtrail lookup-events`), or a bare array of events. Events are decoded straight from the file's bytes,
/// their strings borrowed where they have no escapes, and only the fields below are looked at.
fn read_file(input: &Input<'_>, limit: u64, db: &ActionDb) -> Result<Part, Error> {
    let bytes = match input {
        Input::File(path) => {
            let io = |e| Error::Io { path: path.clone(), source: e };
            let mut file = std::fs::File::open(path).map_err(io)?;
            let hint = size_hint(&mut file).map_err(io)?;
            read_bytes(path, std::io::BufReader::new(file), limit, hint)?
        }
        Input::Bytes(path, bytes) => {
            let hint = if bytes.starts_with(&[0x1f, 0x8b]) { gzip_size(bytes) } else { bytes.len() as u64 };
            read_bytes(path, *bytes, limit, hint)?
        }
    };
    let path = input.path();
    let bad = |e: serde_json::Error| Error::Json { path: path.to_path_buf(), message: e.to_string() };
    #[derive(Deserialize)]
    struct Top<'a> {
        #[serde(borrow, rename = "Records", default)]
        records: Option<Vec<Event<'a>>>,
        #[serde(rename = "Events", default)]
        events: Option<Vec<LookupEvent>>,
    }
    #[derive(Deserialize)]
    struct LookupEvent {
        #[serde(rename = "CloudTrailEvent")]
        event: String,
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let checked = |events: Vec<Event<'_>>| -> Result<Part, Error> {
        for (i, ev) in events.iter().enumerate() {
            ev.check()
                .map_err(|m| Error::Json { path: path.to_path_buf(), message: format!("event {}: {m}", i + 1) })?;
        }
        Ok(aggregate(&events, db))
    };
    match first {
        Some(b'[') => checked(serde_json::from_slice::<Vec<Event<'_>>>(&bytes).map_err(bad)?),
        Some(b'{') => {
            let top: Top<'_> = serde_json::from_slice(&bytes).map_err(bad)?;
            match (top.records, top.events) {
                (Some(records), _) => checked(records),
                (None, Some(lookup)) => {
                    let texts: Vec<String> = lookup.into_iter().map(|e| e.event).collect();
                    let events = texts
                        .iter()
                        .map(|t| serde_json::from_str::<Event<'_>>(t).map_err(bad))
                        .collect::<Result<Vec<_>, _>>()?;
                    checked(events)
                }
                (None, None) => Err(Error::Shape { path: path.to_path_buf() }),
            }
        }
        _ => Err(match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
            Err(e) => bad(e),
            Ok(_) => Error::Shape { path: path.to_path_buf() },
        }),
    }
}

/// A string field, read leniently: a JSON string (borrowed from the file when it holds no escapes); any other
/// value (a number, an object, `null`) counts as absent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Text<'a>(Option<Cow<'a, str>>);

impl Text<'_> {
    fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }

    fn owned(&self) -> Option<String> {
        self.0.as_deref().map(str::to_string)
    }

    fn is_some(&self) -> bool {
        self.0.is_some()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Some(Cow::Owned(v))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_unit<E>(self) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_none<E>(self) -> Result<Text<'a>, E> {
                Ok(Text(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Text<'a>, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Text<'a>, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The fields of a CloudTrail event that say who did what, when, on what, and whether it was allowed. Other
/// fields are skipped.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event<'a> {
    #[serde(borrow, default)]
    event_time: Text<'a>,
    #[serde(borrow, default)]
    event_source: Text<'a>,
    #[serde(borrow, default)]
    event_name: Text<'a>,
    #[serde(borrow, default)]
    error_code: Text<'a>,
    #[serde(borrow, default)]
    user_identity: Option<UserIdentity<'a>>,
    #[serde(borrow, default)]
    resources: Option<Vec<EventResource<'a>>>,
    #[serde(borrow, default)]
    request_parameters: Option<Params<'a>>,
    #[serde(borrow, default)]
    recipient_account_id: Text<'a>,
    #[serde(borrow, default)]
    aws_region: Text<'a>,
    #[serde(borrow, default)]
    response_elements: Option<ResponseElements<'a>>,
}

/// What a response says, where it tells a refusal without an error code (a failed console sign-in).
#[derive(Debug, Deserialize)]
struct ResponseElements<'a> {
    #[serde(borrow, rename = "ConsoleLogin", default)]
    console_login: Text<'a>,
}

impl Event<'_> {
    /// Events without the fields every CloudTrail event has are refused, naming the field.
    fn check(&self) -> Result<(), String> {
        if let Some(t) = self.event_time.as_deref() {
            if chrono::DateTime::parse_from_rfc3339(t).is_err() {
                return Err(format!("eventTime {t:?} is not an RFC 3339 time"));
            }
        }
        for (name, present) in [
            ("eventTime", self.event_time.is_some()),
            ("eventSource", self.event_source.is_some()),
            ("eventName", self.event_name.is_some()),
            ("userIdentity", self.user_identity.is_some()),
        ] {
            if !present {
                return Err(format!("missing {name} (is this a CloudTrail log?)"));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserIdentity<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Text<'a>,
    #[serde(borrow, default)]
    arn: Text<'a>,
    #[serde(borrow, default)]
    account_id: Text<'a>,
    #[serde(borrow, default)]
    access_key_id: Text<'a>,
    #[serde(borrow, default)]
    session_context: Option<SessionContext<'a>>,
    #[serde(borrow, default)]
    invoked_by: Text<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionContext<'a> {
    #[serde(borrow, default)]
    session_issuer: Option<SessionIssuer<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionIssuer<'a> {
    #[serde(borrow, default)]
    arn: Text<'a>,
    #[serde(borrow, default)]
    account_id: Text<'a>,
}

#[derive(Debug, Deserialize)]
struct EventResource<'a> {
    #[serde(borrow, rename = "ARN", default)]
    arn: Text<'a>,
    #[serde(borrow, rename = "type", default)]
    kind: Text<'a>,
}

/// The request parameters that name a resource, for the services whose ARNs they give.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params<'a> {
    #[serde(borrow, default)]
    bucket_name: Text<'a>,
    #[serde(borrow, default)]
    key: Text<'a>,
    #[serde(borrow, default)]
    policy_arn: Text<'a>,
    #[serde(borrow, default)]
    role_name: Text<'a>,
    #[serde(borrow, default)]
    group_name: Text<'a>,
    #[serde(borrow, default)]
    user_name: Text<'a>,
    #[serde(borrow, default)]
    role_arn: Text<'a>,
    #[serde(borrow, default)]
    function_name: Text<'a>,
    #[serde(borrow, default)]
    version_id: Text<'a>,
}

/// One file's events, aggregated.
#[derive(Default)]
struct Part {
    activity: Vec<Activity>,
    events: u64,
    ignored: BTreeMap<String, u64>,
    unknown: BTreeMap<String, u64>,
    /// Per account: first and last event time, and events.
    /// Per account and day (`YYYY-MM-DD`): first and last event time, and events.
    spans: BTreeMap<(String, String), (String, String, u64)>,
}

fn aggregate(events: &[Event<'_>], db: &ActionDb) -> Part {
    let mut part = Part::default();
    let mut index: foldhash::HashMap<ActivityKey, usize> = Default::default();
    for ev in events {
        let time = normalize_time(ev.event_time.as_deref().unwrap_or_default());
        let Some(identity) = &ev.user_identity else { continue };
        // The log is the receiving account's: it covers this moment for that account, whoever called.
        let log_account = ev.recipient_account_id.owned().or_else(|| identity.account_id.owned()).unwrap_or_default();
        if !log_account.is_empty() {
            let day = time.get(..10).unwrap_or_default().to_string();
            let span = part.spans.entry((log_account, day)).or_insert_with(|| (time.clone(), time.clone(), 0));
            span.2 += 1;
            if time < span.0 {
                span.0.clone_from(&time);
            }
            if time > span.1 {
                span.1.clone_from(&time);
            }
        }
        let principal = match principal_of(identity) {
            Ok(p) => p,
            Err(reason) => {
                *part.ignored.entry(reason).or_default() += 1;
                continue;
            }
        };
        let (principal, account) = principal;
        let source = ev.event_source.as_deref().unwrap_or_default();
        let name = ev.event_name.as_deref().unwrap_or_default();
        let mut action = action_of(source, name, db);
        // A call on one version of an object needs the version's permission.
        let versioned =
            ev.request_parameters.as_ref().is_some_and(|p| p.version_id.as_deref().is_some_and(|v| !v.is_empty()));
        if versioned
            && matches!(
                action.as_str(),
                "s3:GetObject"
                    | "s3:DeleteObject"
                    | "s3:GetObjectAcl"
                    | "s3:PutObjectAcl"
                    | "s3:GetObjectTagging"
                    | "s3:PutObjectTagging"
                    | "s3:DeleteObjectTagging"
            )
        {
            action = action.replacen("Object", "ObjectVersion", 1);
        }
        if db.action(&action).is_none() {
            *part.unknown.entry(action.clone()).or_default() += 1;
        }
        let resource = resource_of(ev, &action, &account);
        let access_key_id = identity.access_key_id.as_deref().filter(|k| k.starts_with("AKIA")).map(str::to_string);
        let denied = ev.error_code.as_deref().is_some_and(is_denial)
            || ev.response_elements.as_ref().is_some_and(|r| r.console_login.as_deref() == Some("Failure"));
        part.events += 1;
        let record = Activity {
            provider: Provider::Aws,
            account_id: account,
            principal,
            action,
            resource,
            access_key_id,
            denied,
            count: 1,
            first_seen: time.clone(),
            last_seen: time,
        };
        match index.get(&key_of(&record)) {
            Some(&i) => part.activity[i].absorb(&record),
            None => {
                index.insert(key_of(&record), part.activity.len());
                part.activity.push(record);
            }
        }
    }
    part
}

/// Event times as `YYYY-MM-DDTHH:MM:SSZ`, so that they compare as text.
fn normalize_time(t: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(t) {
        Ok(d) => d.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        Err(_) => t.to_string(),
    }
}

/// The identity of the account that made a call, and its account: a user, a role (for any of its sessions), or
/// the root user. Calls by AWS services and other accounts' identities are not the account's own.
fn principal_of(id: &UserIdentity) -> Result<(String, String), String> {
    let kind = id.kind.as_deref().unwrap_or("Unknown");
    let pick = |arn: &Text<'_>, account: &Text<'_>| -> Result<(String, String), String> {
        match (arn.as_deref(), account.as_deref().or(id.account_id.as_deref())) {
            (Some(arn), Some(account)) => Ok((arn.to_string(), account.to_string())),
            _ => Err(format!("{kind} identity without an ARN")),
        }
    };
    match kind {
        "IAMUser" | "Root" => pick(&id.arn, &id.account_id),
        "AssumedRole" | "FederatedUser" => {
            let issuer = id.session_context.as_ref().and_then(|c| c.session_issuer.as_ref());
            match issuer {
                Some(i) => pick(&i.arn, &i.account_id),
                None => Err(format!("{kind} identity without its session issuer")),
            }
        }
        "AWSService" => {
            Err(format!("calls by AWS services ({})", id.invoked_by.as_deref().unwrap_or("service not named")))
        }
        other => Err(format!("{other} identities (not an IAM user or role of the account)")),
    }
}

/// Whether an error code means the caller was refused: by access control, or for want of valid credentials.
/// A service's own refusal further on (such as `KMSAccessDeniedException` when Lambda cannot decrypt) is not the
/// caller's: the call itself was allowed.
fn is_denial(code: &str) -> bool {
    const CODES: &[&str] = &[
        "AccessDenied",
        "AccessDeniedException",
        "Client.UnauthorizedOperation",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "UnauthorizedException",
        "NotAuthorizedException",
        "ForbiddenException",
        "AuthorizationError",
        "AuthorizationErrorException",
        "AuthFailure",
        "Client.AuthFailure",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "MissingAuthenticationToken",
    ];
    CODES.contains(&code)
}

/// Services whose CloudTrail event source differs from their prefix in policies.
const SOURCE_PREFIX: &[(&str, &str)] = &[
    ("monitoring", "cloudwatch"),
    ("email", "ses"),
    ("api.ecr", "ecr"),
    ("api.mediatailor", "mediatailor"),
    ("api.pricing", "pricing"),
    ("data.iot", "iot"),
    ("iot-data", "iot"),
    ("runtime.sagemaker", "sagemaker"),
    ("runtime.lex", "lex"),
    ("models.lex", "lex"),
    ("pinpoint", "mobiletargeting"),
];

/// S3 API operations whose permission has another name.
const S3_PERMISSION: &[(&str, &str)] = &[
    ("ListObjects", "ListBucket"),
    ("ListObjectsV2", "ListBucket"),
    ("HeadBucket", "ListBucket"),
    ("HeadObject", "GetObject"),
    ("SelectObjectContent", "GetObject"),
    ("ListBuckets", "ListAllMyBuckets"),
    ("DeleteObjects", "DeleteObject"),
    ("CreateMultipartUpload", "PutObject"),
    ("UploadPart", "PutObject"),
    ("UploadPartCopy", "PutObject"),
    ("CompleteMultipartUpload", "PutObject"),
    ("CopyObject", "PutObject"),
    ("ListObjectVersions", "ListBucketVersions"),
    ("ListParts", "ListMultipartUploadParts"),
    ("ListMultipartUploads", "ListBucketMultipartUploads"),
    ("GetBucketEncryption", "GetEncryptionConfiguration"),
    ("PutBucketEncryption", "PutEncryptionConfiguration"),
    ("DeleteBucketEncryption", "PutEncryptionConfiguration"),
    ("GetBucketLifecycle", "GetLifecycleConfiguration"),
    ("GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"),
    ("PutBucketLifecycle", "PutLifecycleConfiguration"),
    ("PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"),
    ("DeleteBucketLifecycle", "PutLifecycleConfiguration"),
    ("DeleteBucketCors", "PutBucketCORS"),
    ("GetBucketCors", "GetBucketCORS"),
    ("PutBucketCors", "PutBucketCORS"),
    ("GetBucketReplication", "GetReplicationConfiguration"),
    ("PutBucketReplication", "PutReplicationConfiguration"),
    ("DeleteBucketReplication", "PutReplicationConfiguration"),
    ("DeleteBucketTagging", "PutBucketTagging"),
    ("GetBucketNotificationConfiguration", "GetBucketNotification"),
    ("PutBucketNotificationConfiguration", "PutBucketNotification"),
    ("GetObjectLockConfiguration", "GetBucketObjectLockConfiguration"),
    ("PutObjectLockConfiguration", "PutBucketObjectLockConfiguration"),
    ("DeleteBucketWebsite", "DeleteBucketWebsite"),
    ("DeleteBucketOwnershipControls", "PutBucketOwnershipControls"),
    ("DeleteBucketAnalyticsConfiguration", "PutAnalyticsConfiguration"),
    ("DeleteBucketMetricsConfiguration", "PutMetricsConfiguration"),
    ("DeleteBucketInventoryConfiguration", "PutInventoryConfiguration"),
    ("DeleteBucketIntelligentTieringConfiguration", "PutIntelligentTieringConfiguration"),
    ("DeletePublicAccessBlock", "PutBucketPublicAccessBlock"),
    ("GetPublicAccessBlock", "GetBucketPublicAccessBlock"),
    ("PutPublicAccessBlock", "PutBucketPublicAccessBlock"),
];

/// Operations of other services whose permission has another name: (prefix, event name, action name).
const RENAMED: &[(&str, &str, &str)] = &[
    ("dynamodb", "TransactGetItems", "GetItem"),
    ("dynamodb", "ExecuteStatement", "PartiQLSelect"),
    ("sqs", "SendMessageBatch", "SendMessage"),
    ("sqs", "DeleteMessageBatch", "DeleteMessage"),
    ("sqs", "ChangeMessageVisibilityBatch", "ChangeMessageVisibility"),
    ("sns", "PublishBatch", "Publish"),
    ("lambda", "InvokeWithResponseStream", "InvokeFunction"),
];

/// The policy action a call needed: the event source's service prefix and the event name, with the renames IAM
/// makes (S3 operations named after their permission, Lambda's versioned event names, `Invoke`).
pub fn action_of(source: &str, name: &str, db: &ActionDb) -> String {
    let service = source.strip_suffix(".amazonaws.com").unwrap_or(source);
    let prefix = SOURCE_PREFIX.iter().find(|(s, _)| *s == service).map_or(service, |(_, p)| *p);
    let mut op: Cow<'_, str> = Cow::Borrowed(name);
    if prefix == "s3" {
        if let Some((_, p)) = S3_PERMISSION.iter().find(|(o, _)| *o == name) {
            op = Cow::Borrowed(p);
        }
    }
    if let Some((_, _, a)) = RENAMED.iter().find(|(p, n, _)| *p == prefix && *n == name) {
        op = Cow::Borrowed(a);
    }
    if prefix == "lambda" && !matches!(op, Cow::Borrowed("InvokeFunction")) {
        // `UpdateFunctionCode20150331v2`, `Invoke` (the permission is `InvokeFunction`).
        let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == 'v');
        let trimmed = if trimmed.len() + 8 <= name.len() { trimmed } else { name };
        op = Cow::Owned(if trimmed == "Invoke" { "InvokeFunction".to_string() } else { trimmed.to_string() });
    }
    let action = format!("{prefix}:{op}");
    // Keep the database's spelling of a known action.
    match db.action(&action) {
        Some(a) => a.full_name(),
        None => action,
    }
}

/// The resource a call was made on, as the policy would name it: for S3 and IAM, what the request parameters name
/// (bucket and key; user, role, group or policy); for STS and Lambda, the role ARN or function ARN they name, else
/// the event's single resource; for other services, the event's single resource; `None` when the log does not
/// say. IAM ARNs are built without a path (the log gives only the name): `least-privilege` puts the path back
/// from the snapshot.
fn resource_of(ev: &Event<'_>, action: &str, account: &str) -> Option<String> {
    let (service, op) = action.split_once(':')?;
    let none = Params::default();
    let params = ev.request_parameters.as_ref().unwrap_or(&none);
    let param = |k: &str| {
        let field = match k {
            "bucketName" => &params.bucket_name,
            "key" => &params.key,
            "policyArn" => &params.policy_arn,
            "roleName" => &params.role_name,
            "groupName" => &params.group_name,
            "userName" => &params.user_name,
            "roleArn" => &params.role_arn,
            "functionName" => &params.function_name,
            _ => return None,
        };
        field.as_deref().filter(|s| !s.is_empty())
    };
    let account = ev.recipient_account_id.as_deref().unwrap_or(account);
    match service {
        "s3" => {
            let bucket = param("bucketName")?;
            let object_level =
                op.contains("Object") || op == "ListMultipartUploadParts" || op == "AbortMultipartUpload";
            match param("key") {
                Some(key) if object_level => Some(format!("arn:aws:s3:::{bucket}/{key}")),
                _ if object_level => None,
                _ => Some(format!("arn:aws:s3:::{bucket}")),
            }
        }
        "iam" => {
            if let Some(p) = param("policyArn") {
                if op.contains("PolicyVersion") || op == "GetPolicy" || op == "DeletePolicy" {
                    return Some(p.to_string());
                }
            }
            if let Some(r) = param("roleName") {
                return Some(format!("arn:aws:iam::{account}:role/{r}"));
            }
            if let Some(g) = param("groupName") {
                return Some(format!("arn:aws:iam::{account}:group/{g}"));
            }
            if let Some(u) = param("userName") {
                return Some(format!("arn:aws:iam::{account}:user/{u}"));
            }
            None
        }
        "sts" => param("roleArn").map(str::to_string).or_else(|| event_arn(ev, None)),
        "lambda" => match param("functionName") {
            Some(f) if f.starts_with("arn:") => Some(f.to_string()),
            // A bare name: the function of that name in the call's region and account.
            Some(f) if !f.contains(':') => {
                ev.aws_region.as_deref().map(|region| format!("arn:aws:lambda:{region}:{account}:function:{f}"))
            }
            _ => event_arn(ev, Some("AWS::Lambda::Function")),
        },
        _ => event_arn(ev, None),
    }
}

/// The event's single resource ARN (of `kind` if given); `None` when it lists none or several.
fn event_arn(ev: &Event<'_>, kind: Option<&str>) -> Option<String> {
    let list = ev.resources.as_ref()?;
    let mut arns =
        list.iter().filter(|r| kind.is_none_or(|k| r.kind.as_deref() == Some(k))).filter_map(|r| r.arn.owned());
    let first = arns.next()?;
    arns.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests;
