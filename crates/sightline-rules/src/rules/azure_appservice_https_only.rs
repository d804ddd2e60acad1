//! App Service apps redirect HTTP to HTTPS.

use super::azure::{az, prop_bool};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appservice-https-only",
        title: "App Service apps accept HTTPS only",
        severity: Severity::Medium,
        resource_type: "Microsoft.Web/sites",
        domain: Domain::Encryption,
        rationale: "With HTTPS Only, App Service redirects every plain HTTP request to HTTPS, so cookies, tokens and form data never travel unencrypted.",
        remediation: Remediation {
            console: "App Services > APP > Settings > Configuration > General settings > HTTPS Only: On > Save.",
            cli: "az webapp update --resource-group RG --name APP --https-only true",
            terraform: "resource \"azurerm_linux_web_app\" \"this\" {\n  # ...\n  https_only = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-https", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Compute Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("SC-8"), pci("4.2.1")],
        needs: &[az("Microsoft.Web", "sites")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":false,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let on = prop_bool(r, "httpsOnly").unwrap_or(false);
    Ok(Some((on, format!("httpsOnly is {on}"), json!({ "httpsOnly": on }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Web/sites", judge);
}
