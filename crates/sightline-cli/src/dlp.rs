//! `sightline dlp scan` and `sightline generate dlp-corpus`: sensitive data in local files (see `sightline-dlp`).

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use sightline_dlp::{Confidence, Config, Match, ObjectOutcome, Scanner};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum DlpCommand {
    /// Scan files and directories (recursively) for sensitive data: cards, bank numbers, national ids, contact
    /// data, keys, tokens and passwords. Prints redacted samples only.
    Scan(ScanArgs),
}

#[derive(Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum DlpFormat {
    /// Per object: each detector's count, highest confidence and first location; then skipped objects, errors
    /// and totals.
    #[default]
    Table,
    /// An array of matches (skipped objects and errors go to standard error).
    Json,
}

#[derive(Args)]
pub struct ScanArgs {
    /// Files and directories (directories are read recursively; symbolic links inside them are not followed).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
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
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    s.parse().map_err(|e: sightline_dlp::Error| e.to_string())
}

/// One match as printed in JSON: the object it was found in, then the match's own fields.
#[derive(Serialize)]
struct JsonMatch<'a> {
    object: &'a str,
    #[serde(flatten)]
    m: &'a Match,
}

/// What the table shows for one detector in one object.
struct Tally {
    count: usize,
    highest: Confidence,
    first: String,
}

/// Lists the files under `path`: itself if a file, its files recursively (sorted) if a directory.
fn files(path: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push((path.to_path_buf(), e.to_string()));
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
            Err(e) => errors.push((p, e.to_string())),
        }
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

    // A path named on the command line that does not exist is a usage error (exit 2), reported after the others
    // are scanned; a file that cannot be read during the scan is reported with its object and the scan goes on.
    let mut missing = Vec::new();
    let mut objects = Vec::new();
    let mut errors: Vec<(PathBuf, String)> = Vec::new();
    for path in &args.paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => files(path, &mut objects, &mut errors),
            Ok(_) => objects.push(path.clone()),
            Err(e) => missing.push(format!("{}: {e}", path.display())),
        }
    }

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
    let mut write_error: Option<std::io::Error> = None;
    for object in &objects {
        let name = object.display().to_string();
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        let outcome = scanner.scan_file(object, &mut |m| {
            total += 1;
            worst = worst.max(Some(m.confidence));
            if json {
                let sep = if first_json { "  " } else { ",\n  " };
                first_json = false;
                let line = serde_json::to_string(&JsonMatch { object: &name, m: &m }).unwrap_or_default();
                if let Err(e) = write!(out, "{sep}{line}") {
                    write_error.get_or_insert(e);
                }
            } else {
                let t = tallies.entry(m.detector.clone()).or_insert_with(|| Tally {
                    count: 0,
                    highest: m.confidence,
                    first: m.location.to_string(),
                });
                t.count += 1;
                t.highest = t.highest.max(m.confidence);
            }
        });
        if let Some(e) = write_error.take() {
            return Err(e).context("cannot write the report");
        }
        match outcome {
            Ok(ObjectOutcome::SkippedBinary) => skipped.push(name),
            // Scanned whole, in part or stopped by a limit: the matches found are reported either way, and what
            // could not be read is listed with the errors.
            Ok(outcome) => {
                scanned += 1;
                let (bytes, format) = (outcome.bytes(), outcome.format().map_or("", |f| f.as_str()));
                errors.extend(outcome.problems().map(|p| (object.clone(), p.to_string())));
                if !tallies.is_empty() {
                    with_findings += 1;
                    writeln!(out, "{name} ({format}, {bytes} bytes)")?;
                    writeln!(out, "  {:<32} {:>7}  {:<12} FIRST AT", "DETECTOR", "COUNT", "HIGHEST")?;
                    for (id, t) in &tallies {
                        writeln!(out, "  {id:<32} {:>7}  {:<12} {}", t.count, t.highest.as_str(), t.first)?;
                    }
                }
            }
            Err(e) => errors.push((object.clone(), e.to_string())),
        }
    }
    if json {
        writeln!(out, "{}]", if first_json { "" } else { "\n" })?;
        out.flush()?;
        for s in &skipped {
            eprintln!("skipped (binary): {s}");
        }
        for (p, e) in &errors {
            eprintln!("error: {}: {e}", p.display());
        }
    } else {
        for s in &skipped {
            writeln!(out, "skipped (binary): {s}")?;
        }
        for (p, e) in &errors {
            let text = e.to_string();
            let shown =
                if text.starts_with(&p.display().to_string()) { text } else { format!("{}: {text}", p.display()) };
            writeln!(out, "error: {shown}")?;
        }
        writeln!(
            out,
            "{scanned} object(s) scanned, {with_findings} with findings, {total} match(es); {} skipped (binary); {} error(s)",
            skipped.len(),
            errors.len() + missing.len()
        )?;
        out.flush()?;
    }
    if !missing.is_empty() {
        anyhow::bail!("{}", missing.join("\n"));
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
