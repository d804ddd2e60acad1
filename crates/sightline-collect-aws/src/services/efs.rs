//! EFS: file systems (encryption, state, protection, automatic backups) with their file system policies.

use crate::json::{compact, s, t};
use crate::record::{Fetched, Recorder};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "efs";

/// Collects EFS in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_efs::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut file_systems = Vec::new();
    let mut pages = client.describe_file_systems().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeFileSystems", &[], async { page }).await.value() else {
            break;
        };
        file_systems.extend(page.file_systems().iter().cloned());
    }
    for fs in file_systems {
        let id = fs.file_system_id().to_string();
        if id.is_empty() {
            continue;
        }
        let arn = fs
            .file_system_arn()
            .map(str::to_string)
            .unwrap_or_else(|| format!("arn:aws:elasticfilesystem:{region}:{account}:file-system/{id}"));
        let mut props = compact(json!({
            "FileSystemId": id,
            "FileSystemArn": arn,
            "OwnerId": fs.owner_id(),
            "CreationToken": fs.creation_token(),
            "CreationTime": t(Some(fs.creation_time())),
            "LifeCycleState": fs.life_cycle_state().as_str(),
            "Name": s(fs.name()),
            "NumberOfMountTargets": fs.number_of_mount_targets(),
            "PerformanceMode": fs.performance_mode().as_str(),
            "ThroughputMode": fs.throughput_mode().map(|x| x.as_str()),
            "Encrypted": fs.encrypted(),
            "KmsKeyId": s(fs.kms_key_id()),
            "AvailabilityZoneName": s(fs.availability_zone_name()),
            "FileSystemProtection": fs.file_system_protection().map(|p| compact(json!({
                "ReplicationOverwriteProtection": p.replication_overwrite_protection().map(|x| x.as_str())
            })))
        }));
        let tags: BTreeMap<String, String> =
            fs.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect();

        let call = client.describe_file_system_policy().file_system_id(&id).send();
        let absent = ["PolicyNotFound", "FileSystemNotFound"];
        let policy = match rec.fetch(SERVICE, r, "DescribeFileSystemPolicy", &absent, call).await {
            Fetched::Value(out) => out.policy().map(str::to_string),
            _ => None,
        };

        // Automatic backups (AWS Backup's default plan); PolicyNotFound means never configured, hence off.
        let call = client.describe_backup_policy().file_system_id(&id).send();
        let backup = match rec.fetch(SERVICE, r, "DescribeBackupPolicy", &absent, call).await {
            Fetched::Value(out) => Some(json!({"Status": out.backup_policy().map(|p| p.status().as_str())})),
            Fetched::Absent => Some(Value::Null),
            Fetched::Error => None,
        };
        if let (Some(backup), Some(map)) = (backup, props.as_object_mut()) {
            map.insert("BackupPolicy".into(), backup);
        }

        let policy = rec.policy_document(SERVICE, r, "DescribeFileSystemPolicy", &format!("file system {id}"), policy);
        let name = fs.name().filter(|n| !n.is_empty()).unwrap_or(&id).to_string();
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::EFS::FileSystem".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name,
            policy,
            tags,
            properties: props.into(),
        });
    }
    snapshot
}
