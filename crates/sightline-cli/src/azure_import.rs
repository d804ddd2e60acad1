//! `sightline import azure`: Azure exports (Resource Graph, ARM, Microsoft Graph, `az` CLI, AzureHound) into one
//! snapshot. The importers are in `sightline_azure::import`; this prints their warnings and a summary.

use anyhow::Result;
use clap::Args;
use sightline_azure::import::{import_paths, Options, Shape};
use std::path::PathBuf;
use std::process::ExitCode;

/// The arguments of `sightline import azure`.
#[derive(Args)]
pub(crate) struct AzureImportArgs {
    /// Export files or directories of `.json` files, of any mix of shapes (see docs/azure-import.md).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Read every file as this shape instead of telling it from the file's contents.
    #[arg(long, value_parser = parse_shape)]
    shape: Option<Shape>,
    /// The tenant id of Microsoft Graph records, when no file names exactly one tenant.
    #[arg(long)]
    tenant: Option<String>,
    #[command(flatten)]
    db: super::DbArg,
}

fn parse_shape(name: &str) -> Result<Shape, String> {
    Shape::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Shape::ALL.iter().map(|s| s.name()).collect();
        format!("unknown shape {name:?}: one of {}", names.join(", "))
    })
}

/// Imports the files, prints the warnings on standard error and a line per file, and saves the snapshot.
pub(crate) fn run(args: AzureImportArgs) -> Result<ExitCode> {
    let options = Options { shape: args.shape, tenant: args.tenant };
    let import = import_paths(&args.files, &options)?;
    for warning in &import.warnings {
        eprintln!("warning: {warning}");
    }
    for file in &import.files {
        let mut line =
            format!("{}: {}, {} record(s), {} imported", file.file.display(), file.shape, file.records, file.imported);
        if file.skipped > 0 {
            line.push_str(&format!(", {} skipped", file.skipped));
        }
        if file.problem.is_some() {
            line.push_str(", incomplete");
        }
        eprintln!("{line}");
    }
    let s = &import.snapshot;
    eprintln!(
        "{} file(s): {} subscription(s), {} management group(s), {} principal(s), {} role definition(s), {} resource(s), {} warning(s)",
        import.files.len(),
        s.accounts.len(),
        s.organizations.iter().map(|o| o.units.len()).sum::<usize>(),
        s.principals.len(),
        s.policies.len(),
        s.resources.len(),
        import.warnings.len()
    );
    super::save(&args.db.db, import.snapshot)
}
