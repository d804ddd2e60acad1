//! Sightline's live AWS collector: a read-only inventory of an account, or of every account of an organization,
//! on the official AWS SDK for Rust, written into the provider-neutral snapshot model.
//!
//! Every (service, region, operation) the collector tries is recorded in the snapshot's coverage as collected,
//! denied or failed, with the error, so that later checks say "not evaluated" rather than "pass". One failing
//! service or region never stops the rest.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod client;
mod json;
pub mod objects;
mod out;
mod record;
mod services;

pub use client::Endpoint;
pub use record::Recorder;

use sightline_model::{Account, Coverage, CoverageStatus, Provider, Snapshot};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Every service the collector knows, by the name `--services` takes.
pub const SERVICES: &[&str] = services::NAMES;

/// What to collect, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Named profile of the shared AWS config (`None`: the default credential chain).
    pub profile: Option<String>,
    /// Regions to collect; `None` means every region enabled for the account.
    pub regions: Option<Vec<String>>,
    /// Services to collect (names from [`SERVICES`]); `None` means all.
    pub services: Option<Vec<String>>,
    /// Send every request to this endpoint (an emulator such as moto, or a VPC endpoint proxy).
    pub endpoint: Option<Endpoint>,
    /// Also collect every member account of the organization through an assumed role.
    pub organization: bool,
    /// The role assumed in member accounts.
    pub member_role: String,
    /// How many requests may be in flight at once.
    pub concurrency: usize,
    /// How many member accounts are collected at once.
    pub account_concurrency: usize,
    /// Maximum attempts per request (the SDK's adaptive retry handles throttling).
    pub max_attempts: u32,
    /// Show progress bars.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            profile: None,
            regions: None,
            services: None,
            endpoint: None,
            organization: false,
            member_role: "OrganizationAccountAccessRole".into(),
            concurrency: 16,
            account_concurrency: 4,
            max_attempts: 5,
            progress: false,
        }
    }
}

/// A failure that stops collection before anything could be collected.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("no usable AWS credentials: {0}")]
    Credentials(String),
    #[error("unknown service {0:?} (known: {known})", known = SERVICES.join(", "))]
    UnknownService(String),
    #[error("unknown region {0:?}: the account has no such enabled region")]
    UnknownRegion(String),
    #[error("the organization could not be listed: {0}")]
    Organization(String),
}

/// The result of a collection: the snapshot, and a count of coverage by status.
pub struct Collected {
    pub snapshot: Snapshot,
    pub collected: usize,
    pub denied: usize,
    pub failed: usize,
}

/// Collects the account of the current credentials (and, with `options.organization`, every member account).
pub async fn collect(options: &Options) -> Result<Collected, CollectError> {
    if let Some(list) = &options.services {
        for s in list {
            if !SERVICES.contains(&s.as_str()) {
                return Err(CollectError::UnknownService(s.clone()));
            }
        }
    }
    let base = client::load(options, None).await;
    let identity = services::sts::caller_identity(&base).await.map_err(CollectError::Credentials)?;
    let progress = record::Progress::new(options.progress);
    let limit = Arc::new(Semaphore::new(options.concurrency.max(1)));

    let mut snapshot = Snapshot::new("collect aws");
    let mut accounts = vec![(identity.account.clone(), base.clone())];
    let wants_org = options.services.as_ref().is_none_or(|s| s.iter().any(|x| x == "organizations"));
    let org = if options.organization || wants_org {
        match services::organizations::describe(&base).await {
            Ok(org) => Some(org),
            Err(e) if options.organization => return Err(CollectError::Organization(e)),
            Err(e) => {
                // Not in an organization (a fact, collected), or not the management account (denied): not fatal.
                let status = if e.contains("AWSOrganizationsNotInUseException") {
                    CoverageStatus::Collected
                } else if e.contains("AccessDenied") {
                    CoverageStatus::Denied
                } else {
                    CoverageStatus::Failed
                };
                snapshot.coverage.push(Coverage {
                    provider: Provider::Aws,
                    account_id: identity.account.clone(),
                    service: "organizations".into(),
                    region: None,
                    operation: "DescribeOrganization".into(),
                    status,
                    detail: Some(e),
                });
                None
            }
        }
    } else {
        None
    };
    if let Some(org) = org {
        snapshot.coverage.push(Coverage {
            provider: Provider::Aws,
            account_id: identity.account.clone(),
            service: "organizations".into(),
            region: None,
            operation: "DescribeOrganization".into(),
            status: CoverageStatus::Collected,
            detail: None,
        });
        for member in org.member_accounts.iter().filter(|_| options.organization) {
            if member == &identity.account {
                continue;
            }
            let role_arn = format!("arn:aws:iam::{member}:role/{}", options.member_role);
            match client::assume(options, &base, &role_arn).await {
                Ok(config) => accounts.push((member.clone(), config)),
                Err(e) => snapshot.coverage.push(Coverage {
                    provider: Provider::Aws,
                    account_id: member.clone(),
                    service: "sts".into(),
                    region: None,
                    operation: format!("AssumeRole {role_arn}"),
                    status: if e.denied { CoverageStatus::Denied } else { CoverageStatus::Failed },
                    detail: Some(e.message),
                }),
            }
        }
        snapshot.merge(org.snapshot);
    }

    let account_limit = Arc::new(Semaphore::new(options.account_concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (account, config) in accounts {
        let options = options.clone();
        let limit = limit.clone();
        let account_limit = account_limit.clone();
        let progress = progress.clone();
        tasks.spawn(async move {
            let _permit = account_limit.acquire_owned().await;
            collect_account(&options, &account, config, limit, progress).await
        });
    }
    while let Some(result) = tasks.join_next().await {
        match result {
            Ok(Ok(part)) => snapshot.merge(part),
            Ok(Err(e)) => return Err(e),
            Err(join) => snapshot.coverage.push(Coverage {
                provider: Provider::Aws,
                account_id: identity.account.clone(),
                service: "collector".into(),
                region: None,
                operation: "collect account".into(),
                status: CoverageStatus::Failed,
                detail: Some(format!("a collection task stopped: {join}")),
            }),
        }
    }
    progress.finish();
    dedup_accounts(&mut snapshot);
    let count = |s| snapshot.coverage.iter().filter(|c| c.status == s).count();
    let (collected, denied, failed) =
        (count(CoverageStatus::Collected), count(CoverageStatus::Denied), count(CoverageStatus::Failed));
    Ok(Collected { snapshot, collected, denied, failed })
}

async fn collect_account(
    options: &Options,
    account: &str,
    config: aws_types::SdkConfig,
    limit: Arc<Semaphore>,
    progress: record::Progress,
) -> Result<Snapshot, CollectError> {
    let recorder = Recorder::new(account, limit, progress);
    let regions = match &options.regions {
        Some(list) => {
            let enabled = services::ec2::enabled_regions(&config, &recorder).await;
            if let Some(enabled) = &enabled {
                for r in list {
                    if !enabled.contains(r) {
                        return Err(CollectError::UnknownRegion(r.clone()));
                    }
                }
            }
            list.clone()
        }
        None => services::ec2::enabled_regions(&config, &recorder)
            .await
            .unwrap_or_else(|| vec![config.region().map(|r| r.to_string()).unwrap_or_else(|| "us-east-1".into())]),
    };
    let wanted = |name: &str| options.services.as_ref().is_none_or(|s| s.iter().any(|x| x == name));
    let out = services::collect_all(&config, options, &recorder, &regions, &wanted).await;
    let mut snapshot = out;
    snapshot.accounts.push(Account {
        provider: Provider::Aws,
        id: account.to_string(),
        name: None,
        organization_id: None,
        parent_id: None,
        tags: BTreeMap::new(),
    });
    snapshot.coverage.extend(recorder.take());
    Ok(snapshot)
}

/// Keeps one record per account, preferring the organization's view (name, parent).
fn dedup_accounts(snapshot: &mut Snapshot) {
    let mut by_id: BTreeMap<String, Account> = BTreeMap::new();
    for a in std::mem::take(&mut snapshot.accounts) {
        match by_id.get_mut(&a.id) {
            Some(existing) if a.organization_id.is_some() => *existing = a,
            Some(_) => {}
            None => {
                by_id.insert(a.id.clone(), a);
            }
        }
    }
    snapshot.accounts = by_id.into_values().collect();
}
