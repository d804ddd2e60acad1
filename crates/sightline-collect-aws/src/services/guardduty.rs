//! GuardDuty: detectors (at most one per region), whether they are enabled, and which data sources and features
//! they use.
//!
//! `AWS::GuardDuty::Detector` has the GetDetector shape (`Status`, `FindingPublishingFrequency`, `ServiceRole`,
//! `DataSources`, `Features`), plus `DetectorId`. A region without a detector yields no resource, while the
//! coverage records ListDetectors as collected. A detector whose GetDetector call fails is kept with its
//! `DetectorId` only.

use crate::json::{compact, s, t};
use crate::record::{Fetched, Recorder};
use aws_sdk_guardduty::operation::get_detector::GetDetectorOutput;
use aws_sdk_guardduty::types::{DataSourceConfigurationsResult, DataSourceStatus, DetectorFeatureConfigurationResult};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "guardduty";

/// A detector deleted between ListDetectors and GetDetector.
const GONE: &[&str] = &["ResourceNotFoundException"];

/// `{"Status": ...}`, the shape of every data source.
fn status(st: Option<&DataSourceStatus>) -> Value {
    compact(json!({"Status": st.map(|x| x.as_str())}))
}

/// The legacy data sources (CloudTrail, DNS logs, flow logs, S3 logs, EKS audit logs, malware protection).
fn data_sources(d: &DataSourceConfigurationsResult) -> Value {
    compact(json!({
        "CloudTrail": d.cloud_trail().map(|x| status(x.status())),
        "DNSLogs": d.dns_logs().map(|x| status(x.status())),
        "FlowLogs": d.flow_logs().map(|x| status(x.status())),
        "S3Logs": d.s3_logs().map(|x| status(x.status())),
        "Kubernetes": d.kubernetes().map(|k| compact(json!({"AuditLogs": k.audit_logs().map(|a| status(a.status()))}))),
        "MalwareProtection": d.malware_protection().map(|m| compact(json!({
            "ScanEc2InstanceWithFindings": m.scan_ec2_instance_with_findings().map(|sc| compact(json!({
                "EbsVolumes": sc.ebs_volumes().map(|e| compact(json!({
                    "Status": e.status().map(|x| x.as_str()),
                    "Reason": s(e.reason()),
                }))),
            }))),
            "ServiceRole": s(m.service_role()),
        }))),
    }))
}

/// The features (the successor of data sources: S3 data events, EKS, RDS login events, runtime monitoring...).
fn features(list_of: &[DetectorFeatureConfigurationResult]) -> Value {
    Value::Array(
        list_of
            .iter()
            .map(|f| {
                compact(json!({
                    "Name": f.name().map(|x| x.as_str()),
                    "Status": f.status().map(|x| x.as_str()),
                    "UpdatedAt": t(f.updated_at()),
                    "AdditionalConfiguration": f.additional_configuration().iter().map(|a| compact(json!({
                        "Name": a.name().map(|x| x.as_str()),
                        "Status": a.status().map(|x| x.as_str()),
                        "UpdatedAt": t(a.updated_at()),
                    }))).collect::<Vec<_>>(),
                }))
            })
            .collect(),
    )
}

fn detector(id: &str, d: &GetDetectorOutput) -> Value {
    // DataSources is deprecated in favour of Features, but still answered, and the only one older detectors and
    // moto fill in.
    #[allow(deprecated)]
    let sources = d.data_sources().map(data_sources);
    compact(json!({
        "DetectorId": id,
        "Status": d.status().map(|x| x.as_str()),
        "FindingPublishingFrequency": d.finding_publishing_frequency().map(|x| x.as_str()),
        "ServiceRole": s(d.service_role()),
        "CreatedAt": s(d.created_at()),
        "UpdatedAt": s(d.updated_at()),
        "DataSources": sources,
        "Features": features(d.features()),
    }))
}

/// Collects the GuardDuty detectors of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_guardduty::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();

    let mut ids = Vec::new();
    let mut pages = client.list_detectors().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListDetectors", &[], async { page }).await.value() else { break };
        ids.extend(page.detector_ids().iter().cloned());
    }

    for id in ids {
        let call = client.get_detector().detector_id(&id).send();
        // When GetDetector fails the detector is still recorded, with its id only: it exists, its status is
        // unknown (the failure is in the coverage).
        let (properties, tags) = match rec.fetch(SERVICE, r, "GetDetector", GONE, call).await {
            Fetched::Value(d) => {
                let tags = d.tags().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
                (detector(&id, &d), tags.unwrap_or_default())
            }
            Fetched::Absent => continue,
            Fetched::Error => (json!({"DetectorId": id}), BTreeMap::new()),
        };
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: format!("arn:aws:guardduty:{region}:{account}:detector/{id}"),
            resource_type: "AWS::GuardDuty::Detector".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name: id.clone(),
            policy: None,
            tags,
            properties: properties.into(),
        });
    }
    snapshot
}
