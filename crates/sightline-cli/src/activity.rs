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
    /// What the imported activity holds: per identity, its calls, services and last call; or, for one identity,
    /// each action it called (with resources, counts and first and last calls).
    Show(ShowArgs),
}

#[derive(Args)]
pub struct ShowArgs {
    /// Only this user or role (ARN): its actions one by one.
    principal: Option<String>,
    #[command(flatten)]
    source: GraphSource,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
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
    #[arg(long, default_value_t = sightline_activity::DEFAULT_WINDOW_DAYS, value_parser = clap::value_parser!(i64).range(1..=3650))]
    days: i64,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `sightline activity ...`.
pub fn activity(command: ActivityCommand) -> Result<ExitCode> {
    let args = match command {
        ActivityCommand::Import(args) => args,
        ActivityCommand::Show(args) => return show(args),
    };
    let store = match &args.out {
        Some(_) => None,
        None => Some(Store::open(&args.db)?),
    };
    let failed = std::cell::RefCell::new(None);
    let already = |name: &str| match store.as_ref().map(|s| s.activity_file_imported(name)) {
        Some(Ok(seen)) => seen,
        Some(Err(e)) => {
            failed.borrow_mut().get_or_insert(e);
            true
        }
        None => false,
    };
    let got = sightline_activity::cloudtrail::import(&args.paths, &already)?;
    if let Some(e) = failed.into_inner() {
        return Err(e.into());
    }
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
    let lp = sightline_activity::least_privilege::least_privilege(&snapshot, &args.principal, Some(args.days))?;
    match args.format {
        Format::Json => crate::scan::print_out(&(serde_json::to_string_pretty(&lp)? + "\n"))?,
        Format::Text => {
            let mut out = String::new();
            let _ = writeln!(out, "# Least privilege for {}, from {}", lp.principal, lp.period);
            if let Some(gap) = &lp.incomplete {
                let _ = writeln!(out, "# INCOMPLETE: {gap}; calls made outside them are not in this policy");
            }
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
    if !lp.not_allowed.is_empty() || !lp.beyond_observed.is_empty() || lp.incomplete.is_some() {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// One identity's activity, summed up.
#[derive(serde::Serialize)]
struct Summary<'a> {
    principal: &'a str,
    account_id: &'a str,
    calls: u64,
    refused: u64,
    actions: usize,
    services: Vec<&'a str>,
    last_call: &'a str,
}

/// `sightline activity show [ARN]`.
fn show(args: ShowArgs) -> Result<ExitCode> {
    let snapshot = if args.source.demo { crate::demo::snapshot()? } else { args.source.source.load()? };
    if snapshot.activity.is_empty() {
        bail!("no activity recorded (import CloudTrail logs with `sightline activity import` first)");
    }
    let mut out = String::new();
    if let Some(principal) = &args.principal {
        let mut rows: Vec<&sightline_model::Activity> =
            snapshot.activity.iter().filter(|a| &a.principal == principal).collect();
        if rows.is_empty() {
            bail!("{principal}: no activity recorded for this identity");
        }
        rows.sort_by(|a, b| (&a.action, &a.resource).cmp(&(&b.action, &b.resource)));
        match args.format {
            Format::Json => out = serde_json::to_string_pretty(&rows)? + "\n",
            Format::Text => {
                let _ = writeln!(out, "{principal}: {} kinds of call", rows.len());
                for a in rows {
                    let _ = writeln!(
                        out,
                        "  {}{} on {}: {} call(s), {} to {}{}",
                        if a.denied { "REFUSED " } else { "" },
                        a.action,
                        a.resource.as_deref().unwrap_or("(no resource named)"),
                        a.count,
                        a.first_seen,
                        a.last_seen,
                        a.access_key_id.as_deref().map(|k| format!(", with key {k}")).unwrap_or_default(),
                    );
                }
            }
        }
    } else {
        let mut by: std::collections::BTreeMap<&str, Summary<'_>> = std::collections::BTreeMap::new();
        let mut actions: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> = Default::default();
        for a in &snapshot.activity {
            let s = by.entry(&a.principal).or_insert_with(|| Summary {
                principal: &a.principal,
                account_id: &a.account_id,
                calls: 0,
                refused: 0,
                actions: 0,
                services: Vec::new(),
                last_call: "",
            });
            if a.denied {
                s.refused += a.count;
                continue;
            }
            s.calls += a.count;
            if a.last_seen.as_str() > s.last_call {
                s.last_call = &a.last_seen;
            }
            let service = a.action.split(':').next().unwrap_or_default();
            if !s.services.contains(&service) {
                s.services.push(service);
            }
            actions.entry(&a.principal).or_default().insert(&a.action);
        }
        for s in by.values_mut() {
            s.services.sort_unstable();
            s.actions = actions.get(s.principal).map_or(0, |a| a.len());
        }
        let list: Vec<&Summary<'_>> = by.values().collect();
        match args.format {
            Format::Json => out = serde_json::to_string_pretty(&list)? + "\n",
            Format::Text => {
                for p in &snapshot.activity_periods {
                    let _ = writeln!(
                        out,
                        "account {}: {} to {} ({} events, from {})",
                        p.account_id, p.from, p.to, p.events, p.source
                    );
                }
                for s in list {
                    let _ = writeln!(
                        out,
                        "{}: {} call(s) of {} action(s) in {} service(s), last {}{}",
                        s.principal,
                        s.calls,
                        s.actions,
                        s.services.len(),
                        if s.last_call.is_empty() { "never allowed" } else { s.last_call },
                        if s.refused > 0 { format!("; {} refused", s.refused) } else { String::new() }
                    );
                }
            }
        }
    }
    crate::scan::print_out(&out)?;
    Ok(ExitCode::SUCCESS)
}
