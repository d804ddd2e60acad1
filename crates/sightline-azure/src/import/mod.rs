//! Importers of offline Azure exports: Resource Graph query results, ARM list responses, Microsoft Graph list
//! responses, raw `az` CLI output and AzureHound output, told apart by their contents, read into one
//! [`Snapshot`] in the shapes of `docs/azure.md`. The accepted shapes are described in `docs/azure-import.md`.
//!
//! Bad input does not stop an import: a malformed record, a record of an unknown kind, a file cut short are
//! reported as [`Warning`]s naming the file and the record, and the rest is imported. Only a file that cannot be
//! read, or holds nothing recognisable, is an [`ImportError`].
//!
//! ```no_run
//! use sightline_azure::import::{import_paths, Options};
//! let import = import_paths(&["exports/".into()], &Options::default())?;
//! for warning in &import.warnings {
//!     eprintln!("warning: {warning}");
//! }
//! println!("{}", import.snapshot.summary());
//! # Ok::<(), sightline_azure::import::ImportError>(())
//! ```

mod arm;
mod azcli;
mod azurehound;
mod builder;
mod graph;
mod json;
mod types;

pub use azcli::RENAMES as AZ_CLI_RENAMES;
pub use types::{canonical_type, KNOWN_TYPES};

use builder::Builder;
use json::{Item, Parsed};
use serde_json::Value;
use sightline_model::Snapshot;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The label of snapshots made by these importers.
pub const SOURCE: &str = "import azure";

/// The kinds of export files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// Azure Resource Graph results: the REST response (`{"totalRecords", "count", "data": [...], "$skipToken"}`),
    /// `az graph query` output (`{"count", "data": [...], "skip_token"}`), or a bare array of rows.
    ResourceGraph,
    /// An ARM list response (`{"value": [...], "nextLink"}`) or a single ARM object.
    Arm,
    /// A Microsoft Graph list response (`{"@odata.context", "value": [...], "@odata.nextLink"}`), a single Graph
    /// object, or the member and owner wrapper.
    Graph,
    /// Raw `az` CLI output: a bare array of flattened ARM objects, subscriptions (`az account list`) or Graph
    /// objects (`az ad ... list`).
    AzCli,
    /// AzureHound output (`{"data": [{"kind": "AZUser", "data": {...}}], "meta": {...}}`).
    AzureHound,
}

impl Shape {
    /// Every shape.
    pub const ALL: [Shape; 5] = [Shape::ResourceGraph, Shape::Arm, Shape::Graph, Shape::AzCli, Shape::AzureHound];

    /// The shape's name, as `--shape` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Shape::ResourceGraph => "resource-graph",
            Shape::Arm => "arm",
            Shape::Graph => "graph",
            Shape::AzCli => "az-cli",
            Shape::AzureHound => "azurehound",
        }
    }

    /// The shape of a name given by [`Shape::name`].
    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read every file as this shape instead of telling each file's shape from its contents.
    pub shape: Option<Shape>,
    /// The tenant id of records that do not name theirs (Graph objects do not), when the files do not name
    /// exactly one tenant.
    pub tenant: Option<String>,
}

/// A problem with part of the input: the rest was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file; empty for a problem of the import as a whole.
    pub file: PathBuf,
    /// The index of the record in the file's list of records, when the problem is in one record.
    pub record: Option<usize>,
    /// The record's id, when known.
    pub id: Option<String>,
    /// What is wrong, and what was done about it.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.as_os_str().is_empty() {
            write!(f, "{}: ", self.file.display())?;
        }
        match (&self.record, &self.id) {
            (Some(i), Some(id)) => write!(f, "record {i} ({id}): ")?,
            (Some(i), None) => write!(f, "record {i}: ")?,
            (None, Some(id)) => write!(f, "{id}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

/// A file that could not be imported at all: unreadable, not JSON, or nothing in it recognisable.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct ImportError {
    /// The file (or directory) at fault.
    pub file: PathBuf,
    /// What is wrong with it.
    pub message: String,
}

fn error(file: &Path, message: impl Into<String>) -> ImportError {
    ImportError { file: file.to_path_buf(), message: message.into() }
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file, as named to the importer.
    pub file: PathBuf,
    /// The shape it was read as.
    pub shape: Shape,
    /// Records in the file (list items, or 1 for a single object).
    pub records: usize,
    /// Records imported.
    pub imported: usize,
    /// Records skipped (each with a warning).
    pub skipped: usize,
    /// Why the file could not be read whole, if it could not.
    pub problem: Option<String>,
}

/// The result of an import: the snapshot, the problems met, and what each file held.
#[derive(Debug)]
pub struct Import {
    /// Everything read, in the shapes of `docs/azure.md`.
    pub snapshot: Snapshot,
    /// The problems met, file by file, then those of the import as a whole.
    pub warnings: Vec<Warning>,
    /// What each file held, in the order read.
    pub files: Vec<FileReport>,
}

/// Reads export files into one snapshot, file by file; [`Importer::finish`] links and completes the records.
#[derive(Debug, Default)]
pub struct Importer {
    options: Options,
    builder: Builder,
    files: Vec<FileReport>,
}

impl Importer {
    /// An importer with these options.
    pub fn new(options: Options) -> Self {
        Importer { options, ..Default::default() }
    }

    /// Reads a file.
    pub fn add_file(&mut self, path: &Path) -> Result<&FileReport, ImportError> {
        let bytes = std::fs::read(path).map_err(|e| error(path, format!("cannot read: {e}")))?;
        self.add_bytes(path, &bytes)
    }

    /// Reads an export from `reader`, named `name` in messages.
    pub fn add_reader(&mut self, name: &Path, mut reader: impl Read) -> Result<&FileReport, ImportError> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| error(name, format!("cannot read: {e}")))?;
        self.add_bytes(name, &bytes)
    }

    /// Reads an export held in memory, named `name` in messages. After an error the importer may hold part of
    /// the file's records: an import that goes on after one says so to its user.
    pub fn add_bytes(&mut self, name: &Path, bytes: &[u8]) -> Result<&FileReport, ImportError> {
        let parsed = json::parse(bytes).map_err(|e| error(name, e))?;
        self.add_parsed(name, parsed)
    }

    /// Reads an export already parsed (a live collector's response), named `name` in messages.
    pub fn add_value(&mut self, name: &Path, value: Value) -> Result<&FileReport, ImportError> {
        let parsed = json::from_value(value).map_err(|e| error(name, e))?;
        self.add_parsed(name, parsed)
    }

    fn add_parsed(&mut self, name: &Path, parsed: Parsed) -> Result<&FileReport, ImportError> {
        let shape = match self.options.shape {
            Some(s) => s,
            None => detect(&parsed).ok_or_else(|| {
                error(
                    name,
                    "not an Azure export Sightline recognises (see docs/azure-import.md for the accepted shapes)",
                )
            })?,
        };
        let b = &mut self.builder;
        // A list with a record cut off or unreadable is not the whole list: its coverage says so.
        let incomplete = parsed.problem.is_some() || parsed.items.iter().any(|i| matches!(i, Item::Malformed(_)));
        b.place = builder::Place { file: name.to_path_buf(), index: None, truncated: incomplete };
        b.counts = Default::default();
        let warnings_before = b.warnings.len();
        let problem = parsed.problem.clone();
        read(b, shape, parsed, self.options.tenant.as_deref());
        let counts = std::mem::take(&mut b.counts);
        if let Some(p) = &problem {
            b.warn_file(format!("{p}: {} record(s) read before it were imported", counts.records));
        }
        if !counts.unknown_types.is_empty() {
            let n: usize = counts.unknown_types.values().sum();
            let list: Vec<String> = counts.unknown_types.iter().map(|(t, c)| format!("{t} ({c})")).collect();
            b.warn_file(format!("{n} record(s) of types Sightline does not know, kept as given: {}", list.join(", ")));
        }
        if !counts.ignored_kinds.is_empty() {
            let list: Vec<String> = counts.ignored_kinds.iter().map(|(t, c)| format!("{t} ({c})")).collect();
            b.warn_file(format!(
                "AzureHound records not imported (derived from role assignments, or of kinds Sightline does not \
                 read): {}",
                list.join(", ")
            ));
        }
        if counts.records > 0 && counts.imported == 0 && counts.ignored_kinds.is_empty() && problem.is_none() {
            // Nothing in the file was recognisable: an error, with the first reasons.
            let reasons: Vec<String> = b.warnings.drain(warnings_before..).take(3).map(|w| w.to_string()).collect();
            return Err(error(name, format!("no record Sightline recognises as {shape}: {}", reasons.join("; "))));
        }
        self.files.push(FileReport {
            file: name.to_path_buf(),
            shape,
            records: counts.records,
            imported: counts.imported,
            skipped: counts.skipped,
            problem,
        });
        let last = self.files.len() - 1;
        Ok(&self.files[last])
    }

    /// Links members to groups and owners to what they own, fills in the tenant, and returns the snapshot.
    pub fn finish(self) -> Import {
        let (snapshot, warnings) = self.builder.finish(SOURCE, self.options.tenant.as_deref());
        Import { snapshot, warnings, files: self.files }
    }
}

/// Tells a file's shape from its envelope and first records.
fn detect(parsed: &Parsed) -> Option<Shape> {
    let env = &parsed.envelope;
    let first = parsed.items.iter().find_map(|i| match i {
        Item::Ok(v) => Some(v),
        Item::Malformed(_) => None,
    });
    let meta_type = env.get("meta").and_then(|m| m.get("type")).and_then(Value::as_str);
    if first.is_some_and(azurehound::is_record) || meta_type.is_some_and(|t| t.to_ascii_lowercase().starts_with("az")) {
        return Some(Shape::AzureHound);
    }
    if env.contains_key("@odata.context")
        || graph::is_wrapper(env)
        || graph::is_batch(env)
        || first.is_some_and(|v| v.get("@odata.type").is_some())
    {
        return Some(Shape::Graph);
    }
    if parsed.records_key.as_deref() == Some("data") {
        return Some(Shape::ResourceGraph);
    }
    if parsed.records_key.as_deref() == Some("value") {
        return Some(Shape::Arm);
    }
    if parsed.bare_array {
        let Some(Value::Object(row)) = first else {
            // An empty array, or one whose first record is broken: any shape reads it the same.
            return Some(Shape::AzCli);
        };
        let resource_graph_row = row.contains_key("subscriptionId")
            && row.contains_key("tenantId")
            && row.get("type").and_then(Value::as_str).is_some_and(|t| t == t.to_ascii_lowercase());
        return Some(if resource_graph_row { Shape::ResourceGraph } else { Shape::AzCli });
    }
    // A single ARM object.
    let is_arm =
        env.get("id").and_then(Value::as_str).is_some_and(|id| id.starts_with('/')) && env.contains_key("type");
    is_arm.then_some(Shape::Arm)
}

/// Reads the records of a parsed file.
fn read(b: &mut Builder, shape: Shape, parsed: Parsed, tenant: Option<&str>) {
    if shape == Shape::Graph {
        graph::file(b, parsed, tenant);
        return;
    }
    let items = if parsed.records_key.is_none() && !parsed.bare_array {
        vec![Item::Ok(Value::Object(parsed.envelope))]
    } else {
        parsed.items
    };
    for (index, item) in items.into_iter().enumerate() {
        b.place.index = Some(index);
        b.counts.records += 1;
        match item {
            Item::Malformed(e) => {
                b.counts.skipped += 1;
                b.warn(None, format!("malformed JSON: {e}: skipped"));
            }
            Item::Ok(v) if shape == Shape::AzureHound => azurehound::record(b, v),
            Item::Ok(v) => arm::record(b, v, tenant),
        }
    }
    b.place.index = None;
}

/// Lists the files to read: the files given, and the `.json` files of the directories given (not their
/// subdirectories), sorted by name.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ImportError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| error(path, format!("cannot read directory: {e}")))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")))
                .collect();
            if found.is_empty() {
                return Err(error(path, "the directory holds no .json file"));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Imports files and directories of files (their `.json` files) into one snapshot.
pub fn import_paths(paths: &[PathBuf], options: &Options) -> Result<Import, ImportError> {
    let mut importer = Importer::new(options.clone());
    for file in expand_paths(paths)? {
        importer.add_file(&file)?;
    }
    Ok(importer.finish())
}

/// Imports one export read from `reader`, named `name` in messages.
pub fn import_reader(name: &Path, reader: impl Read, options: &Options) -> Result<Import, ImportError> {
    let mut importer = Importer::new(options.clone());
    importer.add_reader(name, reader)?;
    Ok(importer.finish())
}
