//! Secrets Manager: secrets (encryption key, rotation, last access) and their resource policies. Secret values
//! are never read (no GetSecretValue).

use crate::json::{b, compact, i, s, t};
use crate::record::{Fetched, Recorder};
use aws_types::SdkConfig;
use serde_json::json;
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "secretsmanager";

/// Collects Secrets Manager in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_secretsmanager::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut secrets = Vec::new();
    let mut pages = client.list_secrets().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListSecrets", &[], async { page }).await.value() else { break };
        secrets.extend(page.secret_list().iter().cloned());
    }
    for secret in secrets {
        let Some(name) = secret.name().map(str::to_string) else { continue };
        let arn = secret
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| format!("arn:aws:secretsmanager:{region}:{account}:secret:{name}"));
        let rules = secret.rotation_rules().map(|x| {
            compact(json!({
                "AutomaticallyAfterDays": i(x.automatically_after_days()), "Duration": s(x.duration()),
                "ScheduleExpression": s(x.schedule_expression())
            }))
        });
        let props = compact(json!({
            "ARN": arn,
            "Name": name,
            "Description": s(secret.description()),
            "KmsKeyId": s(secret.kms_key_id()),
            "RotationEnabled": b(secret.rotation_enabled()),
            "RotationLambdaARN": s(secret.rotation_lambda_arn()),
            "RotationRules": rules,
            "LastRotatedDate": t(secret.last_rotated_date()),
            "LastChangedDate": t(secret.last_changed_date()),
            "LastAccessedDate": t(secret.last_accessed_date()),
            "NextRotationDate": t(secret.next_rotation_date()),
            "DeletedDate": t(secret.deleted_date()),
            "CreatedDate": t(secret.created_date()),
            "OwningService": s(secret.owning_service()),
            "PrimaryRegion": s(secret.primary_region())
        }));
        let tags: BTreeMap<String, String> = secret
            .tags()
            .iter()
            .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
            .collect();

        // No policy: the answer has no ResourcePolicy. ResourceNotFoundException: deleted since it was listed.
        let call = client.get_resource_policy().secret_id(&arn).send();
        let policy = match rec.fetch(SERVICE, r, "GetResourcePolicy", &["ResourceNotFoundException"], call).await {
            Fetched::Value(out) => out.resource_policy().filter(|p| !p.trim().is_empty()).map(str::to_string),
            _ => None,
        };
        let policy = rec.policy_document(SERVICE, r, "GetResourcePolicy", &format!("secret {name}"), policy);
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::SecretsManager::Secret".into(),
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
