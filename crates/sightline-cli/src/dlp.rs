//! `sightline dlp scan` and `sightline generate dlp-corpus`: sensitive data in local files, S3 buckets and Azure
//! Blob containers (see `sightline-dlp`), with the results kept in the database for `scan`, `access` and `paths`.

use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use sightline_dlp::{Confidence, Config, Match, ObjectOutcome, Scanner};
use sightline_model::{DataDetection, DataObject, DataOutcome, Provider};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Subcommand)]
pub enum DlpCommand {
    /// Scan files, directories (recursively), S3 buckets and Azure Blob containers for sensitive data: cards, bank
    /// numbers, national ids, contact data, keys, tokens and passwords. Prints redacted samples only.
    Scan(ScanArgs),
}

#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum DlpFormat {
    /// Per object: each detector's count, highest confidence and first location; then skipped objects, errors,
    /// each bucket's or container's sensitivity, and totals.
    #[default]
    Table,
    /// An array of matches (skipped objects and errors go to standard error).
    Json,
}

#[derive(Args)]
pub struct ScanArgs {
    /// What to scan: files and directories (read recursively; symbolic links inside them are not followed),
    /// `s3://BUCKET[/PREFIX]`, `azure://ACCOUNT/CONTAINER[/PREFIX]`.
    #[arg(required_unless_present = "snapshot_buckets")]
    targets: Vec<String>,
    /// Scan every S3 bucket and Azure Blob container of the newest snapshot in the database given with --db (after
    /// any targets named).
    #[arg(long, requires = "db")]
    snapshot_buckets: bool,
    #[arg(long, value_enum, default_value_t)]
    format: DlpFormat,
    /// Custom detectors, disabled detectors and threshold (TOML, or JSON if the name ends in .json; see README).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Report matches at this confidence or higher: very_unlikely, unlikely, possible (default), likely,
    /// very_likely.
    #[arg(long, value_parser = parse_confidence)]
    min_confidence: Option<Confidence>,
    /// Exit with status 1 when a match at this confidence or higher is reported.
    #[arg(long, value_parser = parse_confidence)]
    fail_on: Option<Confidence>,
    /// Scan this percentage of the objects under each prefix (folder), at least one per prefix; the choice is the
    /// same from one run to the next.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u8).range(1..=100))]
    sample: u8,
    /// Read at most this many bytes of each object (`64MiB`, `1GB`, `4096`); a longer object is scanned in part
    /// and recorded so.
    #[arg(long, value_parser = parse_size)]
    max_object_bytes: Option<u64>,
    /// Keep the results in this database (one record per object, with redacted samples only), for `scan`,
    /// `access --resource`, `paths --to label:NAME`; objects recorded unchanged (same ETag) are skipped, so an
    /// interrupted scan resumes where it stopped.
    #[arg(long)]
    db: Option<PathBuf>,
    /// With --db: scan objects again even when they are recorded unchanged.
    #[arg(long, requires = "db")]
    rescan: bool,
    /// Objects scanned at once (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Named profile of the shared AWS configuration, for s3:// targets.
    #[arg(long)]
    profile: Option<String>,
    /// Send S3 requests to this endpoint (an emulator such as moto).
    #[arg(long)]
    endpoint_url: Option<String>,
    /// The Azure Blob endpoint for azure:// targets (default https://ACCOUNT.blob.core.windows.net; an emulator:
    /// http://127.0.0.1:10000/devstoreaccount1). Credentials come from AZURE_STORAGE_KEY (the account key),
    /// AZURE_STORAGE_SAS_TOKEN or AZURE_STORAGE_TOKEN (a Microsoft Entra token for https://storage.azure.com/);
    /// without any, only public containers can be read.
    #[arg(long, env = "SIGHTLINE_AZURE_BLOB_ENDPOINT")]
    azure_endpoint: Option<String>,
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    s.parse().map_err(|e: sightline_dlp::Error| e.to_string())
}

/// `4096`, `64KiB`, `64MiB`, `1GiB`, `10MB`, `1GB`.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: u64 =
        number.parse().map_err(|_| format!("invalid size {s:?}: expected a number and a unit such as 64MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => return Err(format!("invalid size unit {other:?} in {s:?} (B, KB, KiB, MB, MiB, GB, GiB)")),
    };
    number.checked_mul(factor).filter(|n| *n > 0).ok_or_else(|| format!("invalid size {s:?}"))
}

/// One match as printed in JSON: the object it was found in, then the match's own fields.
#[derive(Serialize)]
struct JsonMatch<'a> {
    object: &'a str,
    #[serde(flatten)]
    m: &'a Match,
}

/// Where the objects of a target are.
enum Store {
    Local,
    #[cfg(feature = "live-aws")]
    S3(std::sync::Arc<sightline_collect_aws::objects::Bucket>),
    Azure {
        service: std::sync::Arc<sightline_collect_azure::blob::BlobService>,
        container: String,
    },
}

/// One object to scan.
pub(crate) struct Object {
    /// How results name it: a path, `s3://BUCKET/KEY`, `azure://ACCOUNT/CONTAINER/NAME`.
    url: String,
    /// The bucket or container holding it.
    resource: Option<String>,
    provider: Option<Provider>,
    /// A path, key or blob name.
    name: String,
    size: Option<u64>,
    etag: Option<String>,
    store: std::sync::Arc<Store>,
}

impl Object {
    /// An object of the demo's buckets, held in the binary.
    pub(crate) fn demo(bucket: &str, key: &str, size: u64) -> Object {
        Object {
            url: format!("s3://{bucket}/{key}"),
            resource: Some(format!("arn:aws:s3:::{bucket}")),
            provider: Some(Provider::Aws),
            name: key.to_string(),
            size: Some(size),
            etag: None,
            store: std::sync::Arc::new(Store::Local),
        }
    }

    fn open(&self, limit: u64) -> std::io::Result<Box<dyn Read + '_>> {
        match &*self.store {
            Store::Local => Ok(Box::new(std::fs::File::open(&self.name)?.take(limit))),
            #[cfg(feature = "live-aws")]
            Store::S3(bucket) => Ok(Box::new(bucket.reader(&self.name, self.size.unwrap_or(u64::MAX), limit))),
            Store::Azure { service, container } => {
                Ok(Box::new(service.reader(container, &self.name, self.size.unwrap_or(u64::MAX), limit)))
            }
        }
    }
}

/// What scanning one object gave. Matches are folded into per-detector counts as they are found, and (for JSON
/// output) written to a spool, so memory stays bounded however many matches an object holds.
pub(crate) struct Scanned {
    detections: BTreeMap<String, DataDetection>,
    count: usize,
    worst: Option<Confidence>,
    spool: Option<Spool>,
    outcome: Result<ObjectOutcome, String>,
}

/// One object's matches as JSON, kept in memory up to [`SPOOL_IN_MEMORY`] bytes and in a temporary file beyond.
struct Spool {
    object: String,
    memory: Vec<u8>,
    file: Option<std::fs::File>,
    error: Option<String>,
}

/// How much of one object's JSON matches is held in memory before the rest goes to a temporary file.
const SPOOL_IN_MEMORY: usize = 8 << 20;

impl Spool {
    fn push(&mut self, m: &Match) {
        if self.error.is_some() {
            return;
        }
        if !self.memory.is_empty() || self.file.is_some() {
            self.memory.extend_from_slice(b",\n  ");
        }
        if let Err(e) = serde_json::to_writer(&mut self.memory, &JsonMatch { object: &self.object, m }) {
            self.error = Some(format!("cannot write a match as JSON: {e}"));
            return;
        }
        if self.memory.len() >= SPOOL_IN_MEMORY {
            let written = match &mut self.file {
                Some(f) => f.write_all(&self.memory).map_err(|e| e.to_string()),
                None => tempfile::tempfile().map_err(|e| e.to_string()).and_then(|mut f| {
                    f.write_all(&self.memory).map_err(|e| e.to_string())?;
                    self.file = Some(f);
                    Ok(())
                }),
            };
            match written {
                Ok(()) => self.memory.clear(),
                Err(e) => self.error = Some(format!("cannot spool matches to a temporary file: {e}")),
            }
        }
    }

    /// Copies the spooled matches to `out`; says whether there were any.
    fn drain(mut self, out: &mut impl Write) -> Result<bool> {
        if let Some(e) = self.error {
            anyhow::bail!("{}: {e}", self.object);
        }
        let any = self.file.is_some() || !self.memory.is_empty();
        if let Some(mut f) = self.file.take() {
            use std::io::Seek;
            f.seek(std::io::SeekFrom::Start(0)).context("cannot read back spooled matches")?;
            std::io::copy(&mut f, out).context("cannot write the report")?;
        }
        out.write_all(&self.memory).context("cannot write the report")?;
        Ok(any)
    }
}

impl Scanned {
    fn new(object: Option<&str>) -> Scanned {
        Scanned {
            detections: BTreeMap::new(),
            count: 0,
            worst: None,
            spool: object.map(|o| Spool { object: o.to_string(), memory: Vec::new(), file: None, error: None }),
            outcome: Ok(ObjectOutcome::SkippedBinary),
        }
    }

    /// Folds one match into the counts (a few redacted samples and locations per detector) and the spool.
    fn add(&mut self, m: Match) {
        self.count += 1;
        self.worst = self.worst.max(Some(m.confidence));
        if let Some(spool) = &mut self.spool {
            spool.push(&m);
        }
        let d = self.detections.entry(m.detector.clone()).or_insert_with(|| DataDetection {
            detector: m.detector.clone(),
            category: m.category.as_str().to_string(),
            confidence: m.confidence.as_str().to_string(),
            count: 0,
            samples: Vec::new(),
            locations: Vec::new(),
        });
        d.count += 1;
        if sightline_model::data::confidence_rank(m.confidence.as_str())
            > sightline_model::data::confidence_rank(&d.confidence)
        {
            d.confidence = m.confidence.as_str().to_string();
        }
        if d.samples.len() < 3 && !d.samples.contains(&m.sample) {
            d.samples.push(m.sample);
        }
        if d.locations.len() < 5 {
            d.locations.push(match &m.member {
                Some(member) => format!("{member}: {}", m.location),
                None => m.location.to_string(),
            });
        }
    }
}

/// Lists the files under `path`: itself if a file, its files recursively (sorted) if a directory.
fn files(path: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(String, String)>) {
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push((path.display().to_string(), e.to_string()));
            return;
        }
    };
    let mut children: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    children.sort_by_key(|e| e.file_name());
    for entry in children {
        let p = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => files(&p, out, errors),
            Ok(t) if t.is_file() => out.push(p),
            Ok(_) => {}
            Err(e) => errors.push((p.display().to_string(), e.to_string())),
        }
    }
}

/// A version tag for a local file: its size and modification time.
fn local_etag(meta: &std::fs::Metadata) -> Option<String> {
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{}-{}.{:09}", meta.len(), modified.as_secs(), modified.subsec_nanos()))
}

/// The objects of one target, or why it cannot be listed (a usage error: no such path, bucket or container).
fn list_target(
    args: &ScanArgs,
    target: &str,
    snapshot: Option<&sightline_model::Snapshot>,
    errors: &mut Vec<(String, String)>,
) -> Result<Vec<Object>> {
    if let Some(rest) = target.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            bail!("{target}: name a bucket (s3://BUCKET[/PREFIX])");
        }
        return list_s3(args, target, bucket, prefix);
    }
    if let Some(rest) = target.strip_prefix("azure://") {
        let mut parts = rest.splitn(3, '/');
        let (account, container, prefix) =
            (parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        if account.is_empty() || container.is_empty() {
            bail!("{target}: name an account and a container (azure://ACCOUNT/CONTAINER[/PREFIX])");
        }
        let auth = azure_auth()?;
        let service = sightline_collect_azure::blob::BlobService::new(account, args.azure_endpoint.as_deref(), auth);
        let blobs = service.list(container, prefix).with_context(|| format!("{target}: cannot list the container"))?;
        let store = std::sync::Arc::new(Store::Azure {
            service: std::sync::Arc::new(service.clone()),
            container: container.to_string(),
        });
        let resource = azure_resource(snapshot, account, container);
        return Ok(blobs
            .into_iter()
            .map(|b| Object {
                url: service.url_of(container, &b.name),
                resource: Some(resource.clone()),
                provider: Some(Provider::Azure),
                name: b.name,
                size: Some(b.size),
                etag: b.etag,
                store: store.clone(),
            })
            .collect());
    }
    let path = PathBuf::from(target);
    let meta = std::fs::metadata(&path).with_context(|| format!("{target}: no such file or directory"))?;
    let mut paths = Vec::new();
    if meta.is_dir() {
        files(&path, &mut paths, errors);
    } else {
        paths.push(path);
    }
    let store = std::sync::Arc::new(Store::Local);
    Ok(paths
        .into_iter()
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            Object {
                url: p.display().to_string(),
                resource: None,
                provider: None,
                name: p.display().to_string(),
                size: meta.as_ref().map(std::fs::Metadata::len),
                etag: meta.as_ref().and_then(local_etag),
                store: store.clone(),
            }
        })
        .collect())
}

#[cfg(feature = "live-aws")]
fn list_s3(args: &ScanArgs, target: &str, bucket: &str, prefix: &str) -> Result<Vec<Object>> {
    let options = sightline_collect_aws::Options {
        profile: args.profile.clone(),
        endpoint: args.endpoint_url.clone().map(|url| sightline_collect_aws::Endpoint { url }),
        ..Default::default()
    };
    let store = sightline_collect_aws::objects::Bucket::open(&options, bucket)?;
    let listed = store.list(prefix).with_context(|| format!("{target}: cannot list the bucket"))?;
    let store = std::sync::Arc::new(Store::S3(std::sync::Arc::new(store)));
    let resource = format!("arn:aws:s3:::{bucket}");
    Ok(listed
        .into_iter()
        .map(|o| Object {
            url: format!("s3://{bucket}/{}", o.key),
            resource: Some(resource.clone()),
            provider: Some(Provider::Aws),
            name: o.key,
            size: Some(o.size),
            etag: o.etag,
            store: store.clone(),
        })
        .collect())
}

#[cfg(not(feature = "live-aws"))]
fn list_s3(_: &ScanArgs, target: &str, _: &str, _: &str) -> Result<Vec<Object>> {
    bail!("{target}: this sightline was built without the live-aws feature (the AWS SDK): rebuild with default features to scan S3")
}

/// Azure credentials from the environment (see `--azure-endpoint`).
fn azure_auth() -> Result<sightline_collect_azure::blob::Auth> {
    use sightline_collect_azure::blob::{Auth, BlobService};
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    Ok(if let Some(key) = var("AZURE_STORAGE_KEY") {
        BlobService::shared_key(&key).context("AZURE_STORAGE_KEY")?
    } else if let Some(sas) = var("AZURE_STORAGE_SAS_TOKEN") {
        Auth::Sas(sas)
    } else if let Some(token) = var("AZURE_STORAGE_TOKEN") {
        Auth::Bearer(token)
    } else {
        Auth::Anonymous
    })
}

/// The share of objects kept per prefix: the `percent` of each prefix's objects (at least one) whose names hash
/// lowest, so that the choice is stable from run to run and spread over the names.
fn sample(objects: Vec<Object>, percent: u8) -> (Vec<Object>, usize) {
    if percent >= 100 {
        return (objects, 0);
    }
    let hash =
        |s: &str| s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, o) in objects.iter().enumerate() {
        let prefix = o.name.rsplit_once('/').map_or("", |(p, _)| p);
        let key = format!("{}\u{0}{prefix}", o.resource.as_deref().unwrap_or_default());
        groups.entry(key).or_default().push(i);
    }
    let mut keep = vec![false; objects.len()];
    for members in groups.values_mut() {
        members.sort_by_key(|i| hash(&objects[*i].name));
        let wanted = (members.len() * usize::from(percent)).div_ceil(100).max(1);
        for i in members.iter().take(wanted) {
            keep[*i] = true;
        }
    }
    let total = objects.len();
    let kept: Vec<Object> = objects.into_iter().zip(keep).filter_map(|(o, k)| k.then_some(o)).collect();
    let left = total - kept.len();
    (kept, left)
}

/// The storage account and container names of a Blob container resource of the snapshot.
fn azure_container_of(r: &sightline_model::Resource) -> Option<(&str, &str)> {
    if r.provider != Provider::Azure
        || !r.resource_type.eq_ignore_ascii_case("Microsoft.Storage/storageAccounts/blobServices/containers")
    {
        return None;
    }
    let after = |key: &str| {
        let at = r.id.to_ascii_lowercase().find(&key.to_ascii_lowercase())? + key.len();
        r.id[at..].split('/').next().filter(|s| !s.is_empty())
    };
    Some((after("/storageAccounts/")?, after("/containers/")?))
}

/// What the objects of a container are recorded against: the container's resource id when the snapshot has the
/// container, else the storage account's, else `azure://ACCOUNT/CONTAINER`.
fn azure_resource(snapshot: Option<&sightline_model::Snapshot>, account: &str, container: &str) -> String {
    if let Some(snapshot) = snapshot {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        if let Some(r) = snapshot
            .resources
            .iter()
            .find(|r| azure_container_of(r).is_some_and(|(a, c)| same(a, account) && c == container))
        {
            return r.id.clone();
        }
        if let Some(r) = snapshot.resources.iter().find(|r| {
            r.provider == Provider::Azure
                && same(&r.resource_type, "Microsoft.Storage/storageAccounts")
                && same(&r.name, account)
        }) {
            return r.id.clone();
        }
    }
    format!("azure://{account}/{container}")
}

/// Scans one object; `json` keeps its matches for a JSON report.
fn scan_object(scanner: &Scanner, object: &Object, limit: u64, json: bool) -> Scanned {
    let mut scanned = Scanned::new(json.then_some(object.url.as_str()));
    scanned.outcome = match object.open(limit) {
        Err(e) => Err(e.to_string()),
        Ok(reader) => scanner.scan_named(reader, &object.name, &mut |m| scanned.add(m)).map_err(|e| e.to_string()),
    };
    scanned
}

/// Scans bytes held in memory as an object named `name`.
pub(crate) fn scan_bytes(scanner: &Scanner, name: &str, bytes: &[u8]) -> Scanned {
    let mut scanned = Scanned::new(None);
    scanned.outcome = scanner.scan_named(bytes, name, &mut |m| scanned.add(m)).map_err(|e| e.to_string());
    scanned
}

/// The record kept of one scanned object: each detector's count, highest confidence, a few redacted samples and
/// locations.
pub(crate) fn record(object: &Object, scanned: &Scanned, limit: u64, now: &str) -> DataObject {
    let (outcome, reason, bytes) = match &scanned.outcome {
        Ok(ObjectOutcome::SkippedBinary) => {
            (DataOutcome::SkippedBinary, Some("binary content in no format the scanner reads".into()), 0)
        }
        // Read in part (a corrupt member, a limit against archive bombs) or whole.
        Ok(o) => {
            let mut why: Vec<String> = o.problems().map(ToString::to_string).collect();
            if object.size.is_some_and(|size| size > limit) {
                why.push(format!("read the first {limit} bytes (--max-object-bytes)"));
            }
            if why.is_empty() {
                (DataOutcome::Scanned, None, o.bytes())
            } else {
                (DataOutcome::Partial, Some(why.join("; ")), o.bytes())
            }
        }
        Err(e) => (DataOutcome::Error, Some(e.clone()), 0),
    };
    DataObject {
        provider: object.provider,
        resource: object.resource.clone(),
        object: object.url.clone(),
        etag: object.etag.clone(),
        size: object.size,
        bytes_scanned: bytes,
        scanned_at: now.to_string(),
        outcome,
        reason,
        detections: scanned.detections.values().cloned().collect(),
    }
}

/// `sightline dlp ...`.
pub fn dlp(command: DlpCommand) -> Result<ExitCode> {
    let DlpCommand::Scan(args) = command;
    let mut config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    if let Some(min) = args.min_confidence {
        config.min_confidence = Some(min);
    }
    let scanner = Scanner::new(&config)?;
    let limit = args.max_object_bytes.unwrap_or(u64::MAX);
    let mut store = match &args.db {
        Some(path) => Some(sightline_store::Store::open(path)?),
        None => None,
    };

    // A target that cannot be listed (no such path, bucket or container, or listing denied) is a usage error
    // (exit 2), reported after the others are scanned; an object that cannot be read is reported with its name
    // and the scan goes on.
    let mut unlisted = Vec::new();
    let mut objects = Vec::new();
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut targets = args.targets.clone();
    // The newest snapshot, if any: it names the buckets and containers to scan, and the Azure resources that
    // results are recorded against. Loaded only then: a scan of local files or S3 buckets alone needs none.
    let needs_snapshot = args.snapshot_buckets || targets.iter().any(|t| t.starts_with("azure://"));
    let snapshot = match &store {
        Some(db) if needs_snapshot => match db.latest() {
            Ok(id) => Some(db.load(id)?),
            Err(e) if args.snapshot_buckets => return Err(e.into()),
            Err(_) => None,
        },
        _ => None,
    };
    if args.snapshot_buckets {
        if let Some(snapshot) = &snapshot {
            let buckets = snapshot.resources.iter().filter(|r| r.resource_type == "AWS::S3::Bucket");
            targets.extend(buckets.map(|b| format!("s3://{}", b.name)));
            targets.extend(snapshot.resources.iter().filter_map(|r| {
                let (account, container) = azure_container_of(r)?;
                Some(format!("azure://{account}/{container}"))
            }));
        }
    }
    for target in &targets {
        match list_target(&args, target, snapshot.as_ref(), &mut errors) {
            Ok(listed) => objects.extend(listed),
            Err(e) => unlisted.push(format!("{e:#}")),
        }
    }
    let (objects, not_sampled) = sample(objects, args.sample);
    let mut unchanged = 0usize;
    let objects: Vec<Object> = match &store {
        Some(db) if !args.rescan => {
            let mut fresh = Vec::new();
            for o in objects {
                match (&o.etag, db.data_object_etag(&o.url)?) {
                    (Some(now), Some(before)) if *now == before => unchanged += 1,
                    _ => fresh.push(o),
                }
            }
            fresh
        }
        _ => objects,
    };

    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let json = args.format == DlpFormat::Json;
    if json {
        writeln!(out, "[")?;
    }
    let mut first_json = true;
    let mut skipped = Vec::new();
    let mut scanned = 0usize;
    let mut with_findings = 0usize;
    let mut total = 0usize;
    let mut worst: Option<Confidence> = None;
    let mut records: Vec<DataObject> = Vec::new();
    // Objects are scanned a batch at a time on every core, and reported (and saved) in order.
    for batch in objects.chunks(threads * 4) {
        let batch_records = records.len();
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<Scanned>> = (0..batch.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.min(batch.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(object) = batch.get(i) else { break };
                            done.push((i, scan_object(&scanner, object, limit, json)));
                        }
                        done
                    })
                })
                .collect();
            for worker in workers {
                // A scan never panics on input; if a worker did, re-raise its panic rather than lose its objects.
                for (i, s) in worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)) {
                    results[i] = Some(s);
                }
            }
        });
        for (object, result) in batch.iter().zip(results) {
            let Some(mut result) = result else { continue };
            let name = &object.url;
            total += result.count;
            worst = worst.max(result.worst);
            if let Some(spool) = result.spool.take() {
                if result.count > 0 {
                    out.write_all(if first_json { b"  " } else { b",\n  " })?;
                    first_json = false;
                }
                spool.drain(&mut out)?;
            }
            let rec = record(object, &result, limit, &now);
            match &result.outcome {
                Ok(ObjectOutcome::SkippedBinary) => skipped.push(name.clone()),
                // Scanned whole, in part or stopped by a limit: the matches found are reported either way, and
                // what could not be read is listed with the errors.
                Ok(o) => {
                    scanned += 1;
                    errors.extend(o.problems().map(|p| (name.clone(), p.to_string())));
                    if result.count > 0 {
                        with_findings += 1;
                        if !json {
                            let format = o.format().map_or("", |f| f.as_str());
                            let part = if rec.outcome == DataOutcome::Partial { ", read in part" } else { "" };
                            writeln!(out, "{name} ({format}, {} bytes{part})", o.bytes())?;
                            writeln!(out, "  {:<32} {:>7}  {:<12} FIRST AT", "DETECTOR", "COUNT", "HIGHEST")?;
                            for d in &rec.detections {
                                let first = d.locations.first().map_or("", String::as_str);
                                writeln!(out, "  {:<32} {:>7}  {:<12} {first}", d.detector, d.count, d.confidence)?;
                            }
                        }
                    }
                }
                Err(e) => errors.push((name.clone(), e.clone())),
            }
            records.push(rec);
        }
        if let Some(db) = store.as_mut() {
            // Saved batch by batch: an interrupted scan keeps what it did, and the next run resumes after it.
            db.add_data_objects(&records[batch_records..])?;
        }
    }
    let summaries = sightline_model::data::summarize(&records);
    if json {
        writeln!(out, "{}]", if first_json { "" } else { "\n" })?;
        out.flush()?;
        for s in &skipped {
            eprintln!("skipped (binary): {s}");
        }
        for (p, e) in &errors {
            eprintln!("error: {p}: {e}");
        }
    } else {
        for s in &skipped {
            writeln!(out, "skipped (binary): {s}")?;
        }
        for (p, e) in &errors {
            let shown = if e.starts_with(p.as_str()) { e.clone() } else { format!("{p}: {e}") };
            writeln!(out, "error: {shown}")?;
        }
        for s in summaries.iter().filter(|s| !s.resource.is_empty()) {
            let labels = if s.labels.is_empty() { "nothing sensitive".to_string() } else { s.labels.join(", ") };
            writeln!(
                out,
                "{}: sensitivity {}/100 ({labels}); {} object(s) scanned, {} with sensitive data",
                s.resource, s.score, s.objects, s.sensitive_objects
            )?;
        }
        let mut tail = format!(
            "{scanned} object(s) scanned, {with_findings} with findings, {total} match(es); {} skipped (binary); {} error(s)",
            skipped.len(),
            errors.len() + unlisted.len()
        );
        if not_sampled > 0 {
            tail.push_str(&format!("; {not_sampled} not in the {}% sample", args.sample));
        }
        if unchanged > 0 {
            tail.push_str(&format!("; {unchanged} unchanged since their last scan (--rescan to scan them again)"));
        }
        writeln!(out, "{tail}")?;
        out.flush()?;
    }
    if let Some(path) = &args.db {
        eprintln!("{} object record(s) saved in {}", records.len(), path.display());
    }
    if !unlisted.is_empty() {
        bail!("{}", unlisted.join("\n"));
    }
    let failed = args.fail_on.is_some_and(|t| worst.is_some_and(|w| w >= t));
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `sightline generate dlp-corpus`: the labelled corpus of the DLP tests, for benchmarks.
pub fn generate_corpus(size_mb: usize, seed: u64, output: &Path) -> Result<ExitCode> {
    let (data, planted) = sightline_dlp::corpus::generate(seed, size_mb << 20);
    std::fs::write(output, &data).with_context(|| format!("{}: cannot write", output.display()))?;
    println!("{} bytes with {} planted entities written to {}", data.len(), planted.len(), output.display());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_with_their_units() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("10MB"), Ok(10_000_000));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert!(parse_size("0").is_err() && parse_size("ten").is_err() && parse_size("5XB").is_err());
    }

    #[test]
    fn samples_keep_a_share_of_each_prefix_and_at_least_one() {
        let store = std::sync::Arc::new(Store::Local);
        let object = |name: &str| Object {
            url: name.into(),
            resource: Some("arn:aws:s3:::b".into()),
            provider: None,
            name: name.into(),
            size: None,
            etag: None,
            store: store.clone(),
        };
        let mut objects: Vec<Object> = (0..10).map(|i| object(&format!("logs/{i}.txt"))).collect();
        objects.push(object("exports/only.csv"));
        let names = |o: &[Object]| o.iter().map(|o| o.name.clone()).collect::<Vec<_>>();
        let (kept, left) = sample(objects, 20);
        assert_eq!(left, 8);
        assert_eq!(kept.iter().filter(|o| o.name.starts_with("logs/")).count(), 2);
        assert!(kept.iter().any(|o| o.name == "exports/only.csv"));
        // The same choice every time.
        let again: Vec<Object> = (0..10).map(|i| object(&format!("logs/{i}.txt"))).collect();
        let (kept_again, _) = sample(again, 20);
        assert_eq!(names(&kept)[..2], names(&kept_again)[..]);
    }
}
