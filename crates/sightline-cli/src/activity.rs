//! `sightline activity import` and `sightline least-privilege`: what identities actually did (see
//! `sightline-activity`).

use crate::graph::GraphSource;
use crate::Format;
use anyhow::{bail, Context as _, Result};
use clap::{Args, Subcommand};
use sightline_model::Snapshot;
use sightline_store::Store;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ActivityCommand {
    /// Read CloudTrail logs (a trail's S3 files, gzip or not, or `aws cloudtrail lookup-events` output; files or
    /// directories) into the database, or into a snapshot export with --out.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// CloudTrail files or directories (searched recursively; digest files are skipped).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The Sightline database to add the activity to (files imported before are skipped).
    #[arg(long, env = "SIGHTLINE_DB", default_value = "sightline.db")]
    db: PathBuf,
    /// Write the activity as a snapshot export (JSON Lines) to this file instead, to give with --input.
    #[arg(long, conflicts_with = "db")]
    out: Option<PathBuf>,
}

#[derive(Args)]
pub struct LeastPrivilegeArgs {
    /// The user or role (ARN).
    principal: String,
    #[command(flatten)]
    source: GraphSource,
    /// The days of activity to allow: those that end with the last event read for the account.
    #[arg(long, default_value_t = sightline_activity::DEFAULT_WINDOW_DAYS)]
    days: i64,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `sightline activity ...`.
pub fn activity(command: ActivityCommand) -> Result<ExitCode> {
    let ActivityCommand::Import(args) = command;
    let store = match &args.out {
        Some(_) => None,
        None => Some(Store::open(&args.db)?),
    };
    let already = |name: &str| store.as_ref().is_some_and(|s| s.activity_file_imported(name).unwrap_or(false));
    let got = sightline_activity::cloudtrail::import(&args.paths, &already)?;
    for (path, why) in &got.skipped {
        eprintln!("skipped {}: {why}", path.display());
    }
    let mut summary = format!(
        "read {} events from {} files: {} activity records for {} identities",
        got.events,
        got.files.len(),
        got.activity.len(),
        got.activity.iter().map(|a| a.principal.as_str()).collect::<std::collections::BTreeSet<_>>().len()
    );
    for p in &got.periods {
        let _ = write!(summary, "\n  account {}: {} to {} ({} events)", p.account_id, p.from, p.to, p.events);
    }
    for (reason, n) in &got.ignored {
        let _ = write!(summary, "\n  not attributed to an identity of the account: {n} event(s), {reason}");
    }
    if !got.unknown_actions.is_empty() {
        let names: Vec<String> = got.unknown_actions.iter().map(|(a, n)| format!("{a} ({n})")).collect();
        let _ = write!(summary, "\n  calls that are not actions of the IAM action database: {}", names.join(", "));
    }
    match (&args.out, store) {
        (Some(out), _) => {
            let mut snapshot = Snapshot::new("activity import");
            snapshot.activity = got.activity;
            snapshot.activity_periods = got.periods;
            let file = std::fs::File::create(out).with_context(|| format!("{}: cannot create", out.display()))?;
            sightline_model::write_jsonl(&snapshot, std::io::BufWriter::new(file))
                .with_context(|| format!("{}: cannot write", out.display()))?;
            println!("{summary}\nwritten to {}", out.display());
        }
        (None, Some(mut store)) => {
            store.add_activity(&got.activity, &got.periods, &got.files)?;
            println!("{summary}\nadded to {}", args.db.display());
        }
        (None, None) => bail!("no database and no --out"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `sightline least-privilege ARN`.
pub fn least_privilege(args: LeastPrivilegeArgs) -> Result<ExitCode> {
    let snapshot = if args.source.demo { crate::demo::snapshot()? } else { args.source.source.load()? };
    if args.days <= 0 {
        bail!("--days must be at least 1");
    }
    let lp = sightline_activity::least_privilege::least_privilege(&snapshot, &args.principal, Some(args.days))?;
    match args.format {
        Format::Json => crate::scan::print_out(&(serde_json::to_string_pretty(&lp)? + "\n"))?,
        Format::Text => {
            let mut out = String::new();
            let _ = writeln!(out, "# Least privilege for {}, from {}", lp.principal, lp.period);
            let _ = writeln!(
                out,
                "# checked with the IAM engine: {} of {} distinct observed calls (action and resource) allowed with this policy in place of the identity's own",
                lp.allowed_calls, lp.observed_calls
            );
            for n in lp.not_allowed.iter().take(20) {
                let _ = writeln!(out, "#   NOT allowed: {n}");
            }
            if lp.not_allowed.len() > 20 {
                let _ = writeln!(out, "#   ... and {} more (see --format json)", lp.not_allowed.len() - 20);
            }
            for g in &lp.generalized {
                let _ = writeln!(out, "# generalized: {g}");
            }
            for b in &lp.beyond_observed {
                let _ = writeln!(out, "#   also allowed though not observed: {b}");
            }
            for o in &lp.omitted {
                let _ = writeln!(out, "# left out: {} ({})", o.action, o.reason);
            }
            let _ = writeln!(
                out,
                "# takes away {} actions allowed today on any resource{}",
                lp.removed_actions,
                if lp.removed_services.is_empty() {
                    String::new()
                } else {
                    format!(", and every action of: {}", lp.removed_services.join(", "))
                }
            );
            let _ = writeln!(
                out,
                "# size {} characters{}",
                lp.size,
                if lp.fits_managed_policy { "" } else { " (over the 6,144 of a managed policy: split it)" }
            );
            out.push_str(&serde_json::to_string_pretty(&lp.policy)?);
            out.push('\n');
            crate::scan::print_out(&out)?;
        }
    }
    if !lp.not_allowed.is_empty() || !lp.beyond_observed.is_empty() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
