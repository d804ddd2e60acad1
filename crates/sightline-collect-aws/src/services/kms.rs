//! KMS: customer keys with their rotation status, key policy and grants (AWS managed keys are listed too).

use crate::json::{compact, s, t};
use crate::record::Recorder;
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "kms";

/// Collects the KMS keys of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_kms::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut pages = client.list_keys().into_paginator().send();
    let mut keys = Vec::new();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListKeys", &[], async { page }).await.value() else { break };
        keys.extend(page.keys().iter().filter_map(|k| k.key_id()).map(str::to_string));
    }
    for key in keys {
        let Some(described) =
            rec.fetch(SERVICE, r, "DescribeKey", &[], client.describe_key().key_id(&key).send()).await.value()
        else {
            continue;
        };
        let Some(meta) = described.key_metadata() else { continue };
        let manager = meta.key_manager().map(|m| m.as_str().to_string());
        let arn = meta.arn().map(str::to_string).unwrap_or_else(|| format!("arn:aws:kms:{region}:{account}:key/{key}"));
        let mut props = serde_json::Map::new();
        props.insert("KeyId".into(), json!(key));
        props.insert("KeyManager".into(), json!(manager));
        props.insert("KeyState".into(), json!(meta.key_state().map(|x| x.as_str())));
        props.insert("KeySpec".into(), json!(meta.key_spec().map(|x| x.as_str())));
        props.insert("KeyUsage".into(), json!(meta.key_usage().map(|x| x.as_str())));
        props.insert("CreationDate".into(), t(meta.creation_date()));
        props.insert("Description".into(), s(meta.description()));
        let customer = manager.as_deref() == Some("CUSTOMER");
        if customer && meta.key_spec().map(|x| x.as_str()) == Some("SYMMETRIC_DEFAULT") {
            let call = client.get_key_rotation_status().key_id(&key).send();
            if let Some(rot) = rec.fetch(SERVICE, r, "GetKeyRotationStatus", &[], call).await.value() {
                props.insert("KeyRotationEnabled".into(), json!(rot.key_rotation_enabled()));
            }
        }
        let call = client.get_key_policy().key_id(&key).policy_name("default").send();
        let policy =
            rec.fetch(SERVICE, r, "GetKeyPolicy", &[], call).await.value().and_then(|p| p.policy().map(str::to_string));
        let mut grants = Vec::new();
        let mut gp = client.list_grants().key_id(&key).into_paginator().send();
        while let Some(page) = gp.next().await {
            let Some(page) = rec.fetch(SERVICE, r, "ListGrants", &[], async { page }).await.value() else { break };
            for g in page.grants() {
                grants.push(compact(json!({
                    "GrantId": s(g.grant_id()), "Name": s(g.name()), "GranteePrincipal": s(g.grantee_principal()),
                    "RetiringPrincipal": s(g.retiring_principal()), "IssuingAccount": s(g.issuing_account()),
                    "Operations": g.operations().iter().map(|o| o.as_str()).collect::<Vec<_>>(), "CreationDate": t(g.creation_date())
                })));
            }
        }
        props.insert("Grants".into(), Value::Array(grants));
        let policy = rec.policy_document(SERVICE, r, "GetKeyPolicy", &format!("key {key}"), policy);
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::KMS::Key".into(),
            account_id: account.clone(),
            region: Some(region.clone()),
            name: key.clone(),
            policy,
            tags: BTreeMap::new(),
            properties: Value::Object(props).into(),
        });
    }
    snapshot
}
