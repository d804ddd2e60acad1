//! IAM Access Analyzer: the analyzers of a region (CIS: an analyzer exists and is active in every region).
//!
//! `AWS::AccessAnalyzer::Analyzer` has the ListAnalyzers shape (`Arn`, `Name`, `Type` such as `ACCOUNT` or
//! `ORGANIZATION`, `Status` such as `ACTIVE`, `CreatedAt`, `Configuration` for unused-access analyzers). Keys are
//! PascalCase like every Sightline property, although Access Analyzer's own JSON writes them in camelCase. A
//! region without an analyzer yields no resource, while the coverage records ListAnalyzers as collected.

use crate::json::{compact, i, s, t};
use crate::record::Recorder;
use aws_sdk_accessanalyzer::types::{AnalyzerConfiguration, AnalyzerSummary};
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_model::{Provider, Resource, Snapshot};

const SERVICE: &str = "accessanalyzer";

fn configuration(c: &AnalyzerConfiguration) -> Value {
    match c {
        AnalyzerConfiguration::UnusedAccess(u) => {
            json!({"UnusedAccess": compact(json!({"UnusedAccessAge": i(u.unused_access_age())}))})
        }
        AnalyzerConfiguration::InternalAccess(_) => json!({"InternalAccess": {}}),
        _ => json!({}),
    }
}

fn analyzer(a: &AnalyzerSummary) -> Value {
    compact(json!({
        "Arn": a.arn(),
        "Name": a.name(),
        "Type": a.r#type().as_str(),
        "Status": a.status().as_str(),
        "StatusReason": a.status_reason().map(|r| json!({"Code": r.code().as_str()})),
        "CreatedAt": t(Some(a.created_at())),
        "LastResourceAnalyzed": s(a.last_resource_analyzed()),
        "LastResourceAnalyzedAt": t(a.last_resource_analyzed_at()),
        "Configuration": a.configuration().map(configuration),
    }))
}

/// Collects the analyzers of one region.
pub async fn collect(config: SdkConfig, rec: Recorder, region: String) -> Snapshot {
    let client = aws_sdk_accessanalyzer::Client::new(&config);
    let account = rec.account().to_string();
    let r = Some(region.as_str());
    let mut snapshot = Snapshot::default();

    // One pass over the pages; an error (moto has no Access Analyzer: an HTML 500) is recorded and ends it.
    let mut pages = client.list_analyzers().into_paginator().send();
    while let Some(page) = pages.next().await {
        let Some(page) = rec.fetch(SERVICE, r, "ListAnalyzers", &[], async { page }).await.value() else { break };
        for a in page.analyzers() {
            let tags = a.tags().map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
            snapshot.resources.push(Resource {
                provider: Provider::Aws,
                id: a.arn().to_string(),
                resource_type: "AWS::AccessAnalyzer::Analyzer".into(),
                account_id: account.clone(),
                region: Some(region.clone()),
                name: a.name().to_string(),
                policy: None,
                tags,
                properties: analyzer(a).into(),
            });
        }
    }
    snapshot
}
