//! `sightline collect aws`: runs the live collector, then saves the snapshot in one transaction.

use crate::{CollectAwsArgs, Format};
use anyhow::{bail, Context as _, Result};
use sightline_collect_aws::{collect, Endpoint, Options};
use sightline_model::CoverageStatus;
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn aws(args: CollectAwsArgs) -> Result<ExitCode> {
    let regions = match args.regions.trim() {
        "all" | "" => None,
        list => Some(list.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect()),
    };
    let options = Options {
        profile: args.profile.clone(),
        regions,
        services: (!args.services.is_empty()).then(|| args.services.clone()),
        endpoint: args.endpoint_url.clone().map(|url| Endpoint { url }),
        organization: args.org,
        member_role: args.member_role.clone(),
        concurrency: args.concurrency,
        max_attempts: args.max_attempts,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        ..Options::default()
    };
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        tokio::select! {
            r = collect(&options) => Some(r),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    let Some(result) = result else {
        eprintln!("interrupted: nothing was saved");
        return Ok(ExitCode::from(130));
    };
    let collected = result?;
    if collected.collected == 0 {
        let reasons: Vec<String> = collected
            .snapshot
            .coverage
            .iter()
            .take(5)
            .map(|c| format!("  {} {}: {}", c.service, c.operation, c.detail.as_deref().unwrap_or("")))
            .collect();
        bail!("nothing could be collected:\n{}", reasons.join("\n"));
    }
    let snapshot = collected.snapshot;
    if let Some(path) = &args.output {
        let file = std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
        sightline_model::write_jsonl(&snapshot, std::io::BufWriter::new(file))?;
    }
    let id = sightline_store::Store::save_to(&args.db.db, &snapshot)?;
    match args.format {
        Format::Json => {
            let gaps: Vec<&sightline_model::Coverage> =
                snapshot.coverage.iter().filter(|c| c.status != CoverageStatus::Collected).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "snapshot": id, "database": args.db.db, "accounts": snapshot.accounts.len(),
                    "principals": snapshot.principals.len(), "policies": snapshot.policies.len(), "resources": snapshot.resources.len(),
                    "coverage": {"collected": collected.collected, "denied": collected.denied, "failed": collected.failed},
                    "gaps": gaps
                }))?
            );
        }
        Format::Text => {
            println!("snapshot {id} saved to {}: {}", args.db.db.display(), snapshot.summary());
            println!(
                "coverage: {} call(s) collected, {} denied, {} failed",
                collected.collected, collected.denied, collected.failed
            );
            for c in snapshot.coverage.iter().filter(|c| c.status != CoverageStatus::Collected) {
                let status = if c.status == CoverageStatus::Denied { "denied" } else { "failed" };
                println!(
                    "  {status:<6} {} {} {}{}",
                    c.account_id,
                    c.service,
                    c.operation,
                    c.region.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
