//! CodeBuild: projects, with the service role their builds run with (for the escalation techniques that start a
//! build of an existing project or change it).

use crate::json::{compact, s, t};
use crate::record::Recorder;
use aws_types::SdkConfig;
use serde_json::json;
use sightline_model::{Provider, Resource, Snapshot};

const SERVICE: &str = "codebuild";

/// Collects the projects of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_codebuild::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();
    let mut names = Vec::new();
    let mut pages = client.list_projects().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListProjects", &[], async { page }).await.value() else {
            return snapshot;
        };
        names.extend(page.projects().iter().cloned());
    }
    // BatchGetProjects takes at most 100 names.
    for batch in names.chunks(100) {
        let call = client.batch_get_projects().set_names(Some(batch.to_vec())).send();
        let Some(out) = rec.fetch(SERVICE, r, "BatchGetProjects", &[], call).await.value() else { continue };
        for p in out.projects() {
            let name = p.name().unwrap_or_default().to_string();
            let id = p
                .arn()
                .map(str::to_string)
                .unwrap_or_else(|| format!("arn:aws:codebuild:{region}:{account}:project/{name}"));
            let props = compact(json!({
                "Name": name,
                "Arn": id,
                "ServiceRole": s(p.service_role()),
                "Created": t(p.created()),
                "EncryptionKey": s(p.encryption_key()),
            }));
            let tags = p
                .tags()
                .iter()
                .map(|t| (t.key().unwrap_or_default().to_string(), t.value().unwrap_or_default().to_string()))
                .collect();
            snapshot.resources.push(Resource {
                provider: Provider::Aws,
                id,
                resource_type: "AWS::CodeBuild::Project".into(),
                account_id: account.clone(),
                region: Some(region.clone()),
                name,
                policy: None,
                tags,
                properties: props.into(),
            });
        }
    }
    snapshot
}
