//! ECR: private repositories (scan on push, tag mutability, encryption) with their repository policies.
//!
//! Properties use the PascalCase names of the CloudFormation type (`ImageScanningConfiguration.ScanOnPush`), like
//! every other AWS resource here, although ECR's JSON API itself writes camelCase.

use crate::json::{compact, s, t};
use crate::record::{Fetched, Recorder};
use aws_types::SdkConfig;
use serde_json::json;
use sightline_model::{Provider, Resource, Snapshot};
use std::collections::BTreeMap;

const SERVICE: &str = "ecr";

/// Collects ECR in one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_ecr::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut repositories = Vec::new();
    let mut pages = client.describe_repositories().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "DescribeRepositories", &[], async { page }).await.value() else {
            break;
        };
        repositories.extend(page.repositories().iter().cloned());
    }
    for repo in repositories {
        let Some(name) = repo.repository_name().map(str::to_string) else { continue };
        let arn = repo
            .repository_arn()
            .map(str::to_string)
            .unwrap_or_else(|| format!("arn:aws:ecr:{region}:{account}:repository/{name}"));
        let props = compact(json!({
            "RepositoryName": name,
            "RepositoryArn": arn,
            "RegistryId": s(repo.registry_id()),
            "RepositoryUri": s(repo.repository_uri()),
            "CreatedAt": t(repo.created_at()),
            "ImageTagMutability": repo.image_tag_mutability().map(|x| x.as_str()),
            "ImageScanningConfiguration": repo.image_scanning_configuration().map(|x| json!({"ScanOnPush": x.scan_on_push()})),
            "EncryptionConfiguration": repo.encryption_configuration().map(|x| compact(json!({
                "EncryptionType": x.encryption_type().as_str(), "KmsKey": s(x.kms_key())
            })))
        }));

        let call = client
            .get_repository_policy()
            .repository_name(&name)
            .set_registry_id(repo.registry_id().map(str::to_string))
            .send();
        let absent = ["RepositoryPolicyNotFoundException", "RepositoryNotFoundException"];
        let policy = match rec.fetch(SERVICE, r, "GetRepositoryPolicy", &absent, call).await {
            Fetched::Value(out) => out.policy_text().map(str::to_string),
            _ => None,
        };

        let call = client.list_tags_for_resource().resource_arn(&arn).send();
        let tags = match rec.fetch(SERVICE, r, "ListTagsForResource", &["RepositoryNotFoundException"], call).await {
            Fetched::Value(out) => out.tags().iter().map(|t| (t.key().to_string(), t.value().to_string())).collect(),
            _ => BTreeMap::new(),
        };

        let policy = rec.policy_document(SERVICE, r, "GetRepositoryPolicy", &format!("repository {name}"), policy);
        snapshot.resources.push(Resource {
            provider: Provider::Aws,
            id: arn,
            resource_type: "AWS::ECR::Repository".into(),
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
