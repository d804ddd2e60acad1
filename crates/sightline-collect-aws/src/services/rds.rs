//! RDS: DB instances (encryption, public access, backups, network placement, IAM authentication, deletion
//! protection), manual DB snapshots and manual DB cluster snapshots with their sharing attributes (`restore`
//! containing `all` means the snapshot is public).

use crate::json::{b, compact, i, list, s, t};
use crate::out::Out;
use crate::record::{Fetched, Recorder};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::Snapshot;
use std::collections::BTreeMap;

const SERVICE: &str = "rds";

fn tags(list: &[aws_sdk_rds::types::Tag]) -> BTreeMap<String, String> {
    list.iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect()
}

/// Snapshot attributes in the API's shape: `[{"AttributeName": "restore", "AttributeValues": ["all"]}]`.
fn attributes<'a>(list: impl Iterator<Item = (Option<&'a str>, &'a [String])>) -> Value {
    Value::Array(
        list.map(|(name, values)| json!({"AttributeName": s(name), "AttributeValues": crate::json::list(values)}))
            .collect(),
    )
}

/// Collects RDS in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_rds::Client::new(&config);
    let account = rec.account().to_string();
    let mut out = Out::new(&account, &region, "rds", ':');
    instances(&client, &rec, &mut out).await;
    snapshots(&client, &rec, &mut out).await;
    cluster_snapshots(&client, &rec, &mut out).await;
    out.snapshot
}

async fn instances(client: &aws_sdk_rds::Client, rec: &Recorder, out: &mut Out<'_>) {
    let region = out.region.to_string();
    let r = Some(region.as_str());
    let mut pages = client.describe_db_instances().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeDBInstances", &[], async { page }).await.value() else {
            break;
        };
        for db in page.db_instances() {
            let Some(id) = db.db_instance_identifier() else { continue };
            let arn = db.db_instance_arn().map(str::to_string).unwrap_or_else(|| out.arn("db", id));
            let subnet_group = db.db_subnet_group().map(|g| {
                compact(json!({
                    "DBSubnetGroupName": s(g.db_subnet_group_name()), "VpcId": s(g.vpc_id()),
                    "SubnetGroupStatus": s(g.subnet_group_status()),
                    "Subnets": g.subnets().iter().map(|x| compact(json!({"SubnetIdentifier": s(x.subnet_identifier()), "SubnetStatus": s(x.subnet_status())}))).collect::<Vec<_>>()
                }))
            });
            let security_groups: Vec<Value> = db
                .vpc_security_groups()
                .iter()
                .map(|g| compact(json!({"VpcSecurityGroupId": s(g.vpc_security_group_id()), "Status": s(g.status())})))
                .collect();
            let endpoint = db.endpoint().map(|e| {
                compact(json!({"Address": s(e.address()), "Port": i(e.port()), "HostedZoneId": s(e.hosted_zone_id())}))
            });
            let props = compact(json!({
                "DBInstanceIdentifier": id,
                "DBInstanceArn": arn,
                "DBInstanceClass": s(db.db_instance_class()),
                "Engine": s(db.engine()),
                "EngineVersion": s(db.engine_version()),
                "DBInstanceStatus": s(db.db_instance_status()),
                "DBClusterIdentifier": s(db.db_cluster_identifier()),
                "DbiResourceId": s(db.dbi_resource_id()),
                "InstanceCreateTime": t(db.instance_create_time()),
                "Endpoint": endpoint,
                "StorageType": s(db.storage_type()),
                "AllocatedStorage": i(db.allocated_storage()),
                "StorageEncrypted": b(db.storage_encrypted()),
                "KmsKeyId": s(db.kms_key_id()),
                "PubliclyAccessible": b(db.publicly_accessible()),
                "MultiAZ": b(db.multi_az()),
                "BackupRetentionPeriod": i(db.backup_retention_period()),
                "AutoMinorVersionUpgrade": b(db.auto_minor_version_upgrade()),
                "CopyTagsToSnapshot": b(db.copy_tags_to_snapshot()),
                "DBSubnetGroup": subnet_group,
                "VpcSecurityGroups": security_groups,
                "IAMDatabaseAuthenticationEnabled": b(db.iam_database_authentication_enabled()),
                "DeletionProtection": b(db.deletion_protection()),
                "CACertificateIdentifier": s(db.ca_certificate_identifier()),
                "EnabledCloudwatchLogsExports": list(db.enabled_cloudwatch_logs_exports()),
                "MonitoringInterval": i(db.monitoring_interval()),
                "PerformanceInsightsEnabled": b(db.performance_insights_enabled()),
                "PerformanceInsightsKMSKeyId": s(db.performance_insights_kms_key_id()),
                "MasterUsername": s(db.master_username())
            }));
            out.push("AWS::RDS::DBInstance", arn, id, tags(db.tag_list()), props);
        }
    }
}

async fn snapshots(client: &aws_sdk_rds::Client, rec: &Recorder, out: &mut Out<'_>) {
    let region = out.region.to_string();
    let r = Some(region.as_str());
    // Only manual snapshots can be shared; automated ones are always private.
    let mut pages = client.describe_db_snapshots().snapshot_type("manual").into_paginator().send();
    let mut found = Vec::new();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeDBSnapshots", &[], async { page }).await.value() else {
            break;
        };
        found.extend(page.db_snapshots().iter().cloned());
    }
    for snap in found {
        let Some(id) = snap.db_snapshot_identifier() else { continue };
        let arn = snap.db_snapshot_arn().map(str::to_string).unwrap_or_else(|| out.arn("snapshot", id));
        let mut props = compact(json!({
            "DBSnapshotIdentifier": id,
            "DBSnapshotArn": arn,
            "DBInstanceIdentifier": s(snap.db_instance_identifier()),
            "SnapshotType": s(snap.snapshot_type()),
            "Status": s(snap.status()),
            "Engine": s(snap.engine()),
            "EngineVersion": s(snap.engine_version()),
            "SnapshotCreateTime": t(snap.snapshot_create_time()),
            "VpcId": s(snap.vpc_id()),
            "Encrypted": b(snap.encrypted()),
            "KmsKeyId": s(snap.kms_key_id()),
            "IAMDatabaseAuthenticationEnabled": b(snap.iam_database_authentication_enabled())
        }));
        let call = client.describe_db_snapshot_attributes().db_snapshot_identifier(id).send();
        match rec.fetch(SERVICE, r, "DescribeDBSnapshotAttributes", &["DBSnapshotNotFound"], call).await {
            Fetched::Value(attrs) => {
                let list =
                    attrs.db_snapshot_attributes_result().map(|x| x.db_snapshot_attributes()).unwrap_or_default();
                if let Some(map) = props.as_object_mut() {
                    map.insert(
                        "DBSnapshotAttributes".into(),
                        attributes(list.iter().map(|a| (a.attribute_name(), a.attribute_values()))),
                    );
                }
            }
            // Deleted since it was listed.
            Fetched::Absent => continue,
            Fetched::Error => {}
        }
        out.push("AWS::RDS::DBSnapshot", arn, id, tags(snap.tag_list()), props);
    }
}

async fn cluster_snapshots(client: &aws_sdk_rds::Client, rec: &Recorder, out: &mut Out<'_>) {
    let region = out.region.to_string();
    let r = Some(region.as_str());
    let mut pages = client.describe_db_cluster_snapshots().snapshot_type("manual").into_paginator().send();
    let mut found = Vec::new();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeDBClusterSnapshots", &[], async { page }).await.value() else {
            break;
        };
        found.extend(page.db_cluster_snapshots().iter().cloned());
    }
    for snap in found {
        let Some(id) = snap.db_cluster_snapshot_identifier() else { continue };
        let arn = snap.db_cluster_snapshot_arn().map(str::to_string).unwrap_or_else(|| out.arn("cluster-snapshot", id));
        let mut props = compact(json!({
            "DBClusterSnapshotIdentifier": id,
            "DBClusterSnapshotArn": arn,
            "DBClusterIdentifier": s(snap.db_cluster_identifier()),
            "SnapshotType": s(snap.snapshot_type()),
            "Status": s(snap.status()),
            "Engine": s(snap.engine()),
            "EngineVersion": s(snap.engine_version()),
            "SnapshotCreateTime": t(snap.snapshot_create_time()),
            "VpcId": s(snap.vpc_id()),
            "StorageEncrypted": b(snap.storage_encrypted()),
            "KmsKeyId": s(snap.kms_key_id()),
            "IAMDatabaseAuthenticationEnabled": b(snap.iam_database_authentication_enabled())
        }));
        let call = client.describe_db_cluster_snapshot_attributes().db_cluster_snapshot_identifier(id).send();
        match rec
            .fetch(SERVICE, r, "DescribeDBClusterSnapshotAttributes", &["DBClusterSnapshotNotFoundFault"], call)
            .await
        {
            Fetched::Value(attrs) => {
                let list = attrs
                    .db_cluster_snapshot_attributes_result()
                    .map(|x| x.db_cluster_snapshot_attributes())
                    .unwrap_or_default();
                if let Some(map) = props.as_object_mut() {
                    map.insert(
                        "DBClusterSnapshotAttributes".into(),
                        attributes(list.iter().map(|a| (a.attribute_name(), a.attribute_values()))),
                    );
                }
            }
            Fetched::Absent => continue,
            Fetched::Error => {}
        }
        out.push("AWS::RDS::DBClusterSnapshot", arn, id, tags(snap.tag_list()), props);
    }
}
