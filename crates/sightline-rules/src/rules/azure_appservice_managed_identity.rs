//! App Service apps have a managed identity.

use super::azure::az;
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appservice-managed-identity",
        title: "App Service apps use a managed identity",
        severity: Severity::Low,
        resource_type: "Microsoft.Web/sites",
        domain: Domain::Identity,
        rationale: "A managed identity lets the app reach Key Vault, storage and databases with tokens Azure rotates, instead of secrets and connection strings stored in its settings.",
        remediation: Remediation {
            console: "App Services > APP > Settings > Identity > System assigned: Status On > Save (then grant it roles and remove stored secrets).",
            cli: "az webapp identity assign --resource-group RG --name APP",
            terraform: "resource \"azurerm_linux_web_app\" \"this\" {\n  # ...\n  identity {\n    type = \"SystemAssigned\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/app-service/overview-managed-identity", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Compute Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("IA-5"), nist("IA-9")],
        needs: &[az("Microsoft.Web", "sites")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let kind = r.properties.pointer("/identity/type").and_then(Props::as_str).unwrap_or("None");
    let ok = !kind.eq_ignore_ascii_case("None");
    Ok(Some((ok, format!("managed identity: {kind}"), json!({ "identity": kind }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Web/sites", judge);
}
