//! `sightline collect azure`: a live, read-only collection of an Azure tenant through the ARM, Resource Graph and
//! Microsoft Graph REST APIs (`sightline_collect_azure`), read into a snapshot by the same importer as
//! `import azure`, with a coverage record for every listing.

use anyhow::{bail, Result};
use clap::Args;
use sightline_azure::import::{Importer, Options};
use sightline_collect_azure::collect::{collect, Options as CollectOptions};
use sightline_collect_azure::rest::Rest;
use sightline_model::{Coverage, CoverageStatus};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The arguments of `sightline collect azure`.
#[derive(Args)]
pub(crate) struct AzureCollectArgs {
    /// The tenant (directory) id, when the identity sees several.
    #[arg(long)]
    tenant: Option<String>,
    /// Only these subscriptions (comma-separated ids; default: every subscription the identity can read).
    #[arg(long, value_delimiter = ',')]
    subscriptions: Vec<String>,
    /// Skip Microsoft Graph (users, groups, applications, directory roles).
    #[arg(long)]
    no_graph: bool,
    /// Send ARM and Resource Graph requests here instead of https://management.azure.com (a sovereign cloud, a
    /// replay server).
    #[arg(long, env = "SIGHTLINE_AZURE_ARM_URL")]
    arm_endpoint: Option<String>,
    /// Send Microsoft Graph requests here instead of https://graph.microsoft.com.
    #[arg(long, env = "SIGHTLINE_AZURE_GRAPH_URL")]
    graph_endpoint: Option<String>,
    /// Also write each API response, as `import azure` reads it, into this directory.
    #[arg(long)]
    save_responses: Option<PathBuf>,
    #[command(flatten)]
    db: super::DbArg,
}

/// Collects, imports the responses and saves the snapshot; prints what was denied or failed.
pub(crate) fn run(args: AzureCollectArgs) -> Result<ExitCode> {
    let tokens = sightline_collect_azure::identity::from_environment()
        .map_err(|e| anyhow::anyhow!("no Azure credentials: {e}"))?;
    let rest = Rest::new(tokens, args.arm_endpoint.as_deref(), args.graph_endpoint.as_deref());
    let options = CollectOptions {
        subscriptions: args.subscriptions.clone(),
        tenant: args.tenant.clone(),
        skip_graph: args.no_graph,
    };
    let collected = collect(&rest, &options);
    if collected.documents.is_empty() {
        let why: Vec<String> = collected.coverage.iter().filter_map(|c| c.detail.clone()).take(3).collect();
        bail!("nothing could be collected: {}", why.join("; "));
    }
    if let Some(dir) = &args.save_responses {
        std::fs::create_dir_all(dir)?;
        for d in &collected.documents {
            std::fs::write(dir.join(&d.name), serde_json::to_vec_pretty(&d.body)?)?;
        }
    }
    let mut importer = Importer::new(Options { shape: None, tenant: collected.tenant.clone() });
    for d in &collected.documents {
        importer.add_value(Path::new(&d.name), d.body.clone())?;
    }
    let import = importer.finish();
    for warning in &import.warnings {
        eprintln!("warning: {warning}");
    }
    let mut snapshot = import.snapshot;
    snapshot.source = "collect azure".into();
    merge_coverage(&mut snapshot.coverage, collected.coverage);
    for c in snapshot.coverage.iter().filter(|c| c.status != CoverageStatus::Collected) {
        eprintln!(
            "{}: {}:{} {}",
            c.account_id,
            c.service,
            c.operation,
            match c.status {
                CoverageStatus::Denied => format!("denied: {}", c.detail.as_deref().unwrap_or_default()),
                _ => format!("failed: {}", c.detail.as_deref().unwrap_or_default()),
            }
        );
    }
    super::save(&args.db.db, snapshot)
}

/// The collector's records of each listing join the importer's records of what the responses held; for a listing
/// both name, the collector's (which knows about denials) wins unless it says collected.
fn merge_coverage(into: &mut Vec<Coverage>, collected: Vec<Coverage>) {
    for c in collected {
        match into.iter_mut().find(|x| {
            x.account_id.eq_ignore_ascii_case(&c.account_id) && x.service == c.service && x.operation == c.operation
        }) {
            Some(existing) if c.status != CoverageStatus::Collected => *existing = c,
            Some(_) => {}
            None => into.push(c),
        }
    }
}
