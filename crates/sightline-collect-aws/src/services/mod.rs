//! One module per AWS service. Global services run once per account; regional ones once per region, all
//! concurrently under the recorder's request limit.

pub mod accessanalyzer;
pub mod autoscaling;
pub mod cloudformation;
pub mod cloudtrail;
pub mod cloudwatch;
pub mod codebuild;
pub mod config;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod guardduty;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod organizations;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod securityhub;
pub mod sns;
pub mod sqs;
pub mod sts;

use crate::record::Recorder;
use crate::Options;
use aws_types::SdkConfig;
use sightline_model::Snapshot;
use std::future::Future;
use std::pin::Pin;

/// The services `--services` accepts.
pub const NAMES: &[&str] = &[
    "iam",
    "organizations",
    "s3",
    "ec2",
    "kms",
    "cloudtrail",
    "logs",
    "cloudwatch",
    "config",
    "guardduty",
    "securityhub",
    "accessanalyzer",
    "rds",
    "lambda",
    "sns",
    "sqs",
    "secretsmanager",
    "ecr",
    "efs",
    "cloudformation",
    "codebuild",
    "ecs",
    "autoscaling",
];

/// The regional services other than EC2 and KMS, each collected by `NAME::collect(config, recorder, region)`.
macro_rules! regional {
    ($tasks:ident, $wanted:ident, $regional:ident, $rec:ident, $region:ident, $($name:ident),*) => {
        $(
            if $wanted(stringify!($name)) {
                $tasks.push((
                    format!("{} {}", stringify!($name), $region),
                    Box::pin($name::collect($regional.clone(), $rec.clone(), $region.clone())),
                ));
            }
        )*
    };
}

type Task = Pin<Box<dyn Future<Output = Snapshot> + Send>>;

/// Runs every wanted service of one account, global ones once and regional ones in every region.
pub async fn collect_all(
    config: &SdkConfig,
    options: &Options,
    rec: &Recorder,
    regions: &[String],
    wanted: &(dyn Fn(&str) -> bool + Sync),
) -> Snapshot {
    let mut tasks: Vec<(String, Task)> = Vec::new();
    let endpoint = options.endpoint.as_ref().map(|e| e.url.clone());
    if wanted("iam") {
        tasks.push(("iam".into(), Box::pin(iam::collect(config.clone(), rec.clone()))));
    }
    if wanted("s3") {
        tasks.push(("s3".into(), Box::pin(s3::collect(config.clone(), rec.clone(), endpoint.clone()))));
    }
    for region in regions {
        let regional = crate::client::in_region(config, region);
        if wanted("ec2") {
            tasks
                .push((format!("ec2 {region}"), Box::pin(ec2::collect(regional.clone(), rec.clone(), region.clone()))));
        }
        if wanted("kms") {
            tasks
                .push((format!("kms {region}"), Box::pin(kms::collect(regional.clone(), rec.clone(), region.clone()))));
        }
        regional!(
            tasks,
            wanted,
            regional,
            rec,
            region,
            cloudtrail,
            logs,
            cloudwatch,
            config,
            guardduty,
            securityhub,
            accessanalyzer,
            rds,
            lambda,
            sns,
            sqs,
            secretsmanager,
            ecr,
            efs,
            cloudformation,
            codebuild,
            ecs,
            autoscaling
        );
    }
    rec.progress.add(tasks.len() as u64);
    let mut set = tokio::task::JoinSet::new();
    for (name, task) in tasks {
        let progress = rec.progress.clone();
        let account = rec.account().to_string();
        set.spawn(async move {
            let part = task.await;
            progress.done(format!("{account} {name}"));
            part
        });
    }
    let mut snapshot = Snapshot::default();
    while let Some(result) = set.join_next().await {
        match result {
            Ok(part) => snapshot.merge(part),
            Err(e) => rec.failed("collector", None, "service task", format!("a service task stopped: {e}")),
        }
    }
    snapshot
}
