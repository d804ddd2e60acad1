//! AWS Config: configuration recorders, what they record (RecordingGroup) and whether they are recording.
//!
//! `AWS::Config::ConfigurationRecorder` has the DescribeConfigurationRecorders shape (`Name`, `RoleARN`,
//! `RecordingGroup` with `AllSupported` and `IncludeGlobalResourceTypes`, `RecordingMode`...), merged with its
//! DescribeConfigurationRecorderStatus entry (`Recording`, `LastStatus`, `LastStartTime`, `LastErrorCode`...;
//! left out when that call fails). Keys are PascalCase like every Sightline property, although Config's own JSON
//! writes them in camelCase (`roleARN`, `recordingGroup.allSupported`).
//!
//! A region without a recorder yields no resource, while the coverage records DescribeConfigurationRecorders as
//! collected: a rule can tell "collected, and there is none" from "not collected".

use crate::json::{compact, s, t};
use crate::record::Recorder;
use aws_sdk_config::types::{ConfigurationRecorder, ConfigurationRecorderStatus, ResourceType};
use aws_types::SdkConfig;
use serde_json::{json, Map, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "config";

/// Raised for a recorder named in the request that does not exist (not expected without names, but harmless).
const NO_RECORDER: &[&str] = &["NoSuchConfigurationRecorderException"];

fn resource_types(list_of: &[ResourceType]) -> Value {
    Value::Array(list_of.iter().map(|x| json!(x.as_str())).collect())
}

/// The recorder's own settings.
fn recorder(c: &ConfigurationRecorder) -> Map<String, Value> {
    let group = c.recording_group().map(|g| {
        compact(json!({
            "AllSupported": g.all_supported(),
            "IncludeGlobalResourceTypes": g.include_global_resource_types(),
            "ResourceTypes": resource_types(g.resource_types()),
            "ExclusionByResourceTypes": g.exclusion_by_resource_types()
                .map(|e| json!({"ResourceTypes": resource_types(e.resource_types())})),
            "RecordingStrategy": g.recording_strategy()
                .map(|r| compact(json!({"UseOnly": r.use_only().map(|x| x.as_str())}))),
        }))
    });
    let mode = c.recording_mode().map(|m| {
        json!({
            "RecordingFrequency": m.recording_frequency().as_str(),
            "RecordingModeOverrides": m.recording_mode_overrides().iter().map(|o| compact(json!({
                "Description": s(o.description()),
                "ResourceTypes": resource_types(o.resource_types()),
                "RecordingFrequency": o.recording_frequency().as_str(),
            }))).collect::<Vec<_>>(),
        })
    });
    let props = compact(json!({
        "Name": s(c.name()),
        "Arn": s(c.arn()),
        "RoleARN": s(c.role_arn()),
        "RecordingGroup": group,
        "RecordingMode": mode,
        "RecordingScope": c.recording_scope().map(|x| x.as_str()),
        "ServicePrincipal": s(c.service_principal()),
    }));
    match props {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The recorder's status, without the name and ARN it shares with the recorder.
fn status(st: &ConfigurationRecorderStatus) -> Value {
    compact(json!({
        "Recording": st.recording(),
        "LastStatus": st.last_status().map(|x| x.as_str()),
        "LastStartTime": t(st.last_start_time()),
        "LastStopTime": t(st.last_stop_time()),
        "LastStatusChangeTime": t(st.last_status_change_time()),
        "LastErrorCode": s(st.last_error_code()),
        "LastErrorMessage": s(st.last_error_message()),
    }))
}

/// Collects the configuration recorders of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_config::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();

    let call = client.describe_configuration_recorders().send();
    let Some(described) = rec.fetch(SERVICE, r, "DescribeConfigurationRecorders", NO_RECORDER, call).await.value()
    else {
        return snapshot;
    };
    if described.configuration_recorders().is_empty() {
        return snapshot;
    }

    let call = client.describe_configuration_recorder_status().send();
    let statuses = rec
        .fetch(SERVICE, r, "DescribeConfigurationRecorderStatus", NO_RECORDER, call)
        .await
        .value()
        .map(|out| out.configuration_recorders_status().to_vec())
        .unwrap_or_default();

    for c in described.configuration_recorders() {
        let Some(name) = c.name() else { continue };
        let arn = c
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| format!("arn:aws:config:{region}:{account}:configuration-recorder/{name}"));
        let mut props = recorder(c);
        let matching = statuses.iter().find(|st| match (st.arn(), c.arn()) {
            (Some(a), Some(b)) => a == b,
            _ => st.name() == Some(name),
        });
        if let Some(Value::Object(st)) = matching.map(status) {
            props.extend(st);
        }
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::Config::ConfigurationRecorder".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name: name.to_string(),
            policy: None,
            tags: BTreeMap::new(),
            properties: Value::Object(props).into(),
        });
    }
    snapshot
}
