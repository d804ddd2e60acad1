//! AWS Organizations: the organization, its OUs and accounts, and its SCPs and RCPs with their targets. The
//! answers are gathered into the documented organization file shape and read by the same importer as offline
//! exports, so a live and an offline organization become the same snapshot.

use aws_sdk_organizations::types::PolicyType;
use aws_types::SdkConfig;
use serde_json::{json, Value};
use sightline_aws::import::organization_from;
use sightline_model::Snapshot;

/// The organization as collected.
pub struct Org {
    pub member_accounts: Vec<String>,
    pub snapshot: Snapshot,
}

fn e<E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static, R: std::fmt::Debug>(
    op: &str,
    err: aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> String {
    format!("{op}: {}", crate::record::describe(&err))
}

/// Describes the organization of the caller's account. Requires the management account or a delegated
/// administrator.
pub async fn describe(config: &SdkConfig) -> Result<Org, String> {
    let client = aws_sdk_organizations::Client::new(config);
    let org = client.describe_organization().send().await.map_err(|x| e("DescribeOrganization", x))?;
    let org = org.organization().ok_or("DescribeOrganization returned nothing")?;
    let roots = client.list_roots().send().await.map_err(|x| e("ListRoots", x))?;
    let mut out_roots = Vec::new();
    let mut units = Vec::new();
    let mut accounts = Vec::new();
    let mut queue: Vec<String> = Vec::new();
    for r in roots.roots() {
        let id = r.id().unwrap_or_default().to_string();
        out_roots.push(json!({"Id": id, "Name": r.name().unwrap_or_default()}));
        queue.push(id);
    }
    // Walk the tree breadth first: OUs and accounts under each parent.
    while let Some(parent) = queue.pop() {
        let mut ous = client.list_organizational_units_for_parent().parent_id(&parent).into_paginator().send();
        while let Some(page) = ous.next().await {
            let page = page.map_err(|x| e("ListOrganizationalUnitsForParent", x))?;
            for ou in page.organizational_units() {
                let id = ou.id().unwrap_or_default().to_string();
                units.push(json!({"Id": id, "Name": ou.name().unwrap_or_default(), "ParentId": parent}));
                queue.push(id);
            }
        }
        let mut list = client.list_accounts_for_parent().parent_id(&parent).into_paginator().send();
        while let Some(page) = list.next().await {
            let page = page.map_err(|x| e("ListAccountsForParent", x))?;
            for a in page.accounts() {
                accounts.push(json!({
                    "Id": a.id().unwrap_or_default(), "Name": a.name(), "Email": a.email(),
                    "Status": a.status().map(|s| s.as_str()), "ParentId": parent
                }));
            }
        }
    }
    let mut policies = Vec::new();
    for (filter, type_name) in [
        (PolicyType::ServiceControlPolicy, "SERVICE_CONTROL_POLICY"),
        (PolicyType::ResourceControlPolicy, "RESOURCE_CONTROL_POLICY"),
    ] {
        let mut pages = client.list_policies().filter(filter).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(p) => p,
                // A policy type that is not enabled (RCPs often are not) is simply absent.
                Err(_) => break,
            };
            for summary in page.policies() {
                let id = summary.id().unwrap_or_default().to_string();
                let policy =
                    client.describe_policy().policy_id(&id).send().await.map_err(|x| e("DescribePolicy", x))?;
                let content = policy.policy().and_then(|p| p.content()).unwrap_or_default().to_string();
                let mut targets = Vec::new();
                let mut tp = client.list_targets_for_policy().policy_id(&id).into_paginator().send();
                while let Some(t) = tp.next().await {
                    let t = t.map_err(|x| e("ListTargetsForPolicy", x))?;
                    targets.extend(t.targets().iter().filter_map(|t| t.target_id()).map(str::to_string));
                }
                policies.push(json!({
                    "Id": id, "Name": summary.name().unwrap_or_default(), "Type": type_name,
                    "AwsManaged": summary.aws_managed(), "Content": content, "Targets": targets
                }));
            }
        }
    }
    let member_accounts: Vec<String> =
        accounts.iter().filter_map(|a| a.get("Id").and_then(Value::as_str)).map(str::to_string).collect();
    let document = json!({
        "Organization": {"Id": org.id().unwrap_or_default(), "MasterAccountId": org.master_account_id().unwrap_or_default()},
        "Roots": out_roots, "OrganizationalUnits": units, "Accounts": accounts, "Policies": policies
    });
    let bytes = serde_json::to_vec(&document).map_err(|x| x.to_string())?;
    let snapshot = organization_from(std::path::Path::new("organizations API"), &bytes).map_err(|x| x.to_string())?;
    Ok(Org { member_accounts, snapshot })
}
