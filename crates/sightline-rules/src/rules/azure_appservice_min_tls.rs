//! App Service apps refuse TLS versions older than 1.2.

use super::azure::{az, children, name, of, prop_str};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appservice-min-tls",
        title: "App Service apps require TLS 1.2 or newer",
        severity: Severity::Medium,
        resource_type: "Microsoft.Web/sites",
        domain: Domain::Encryption,
        rationale: "TLS 1.0 and 1.1 are deprecated and weak. Setting the minimum inbound TLS version to 1.2 (or 1.3) refuses clients that would negotiate them.",
        remediation: Remediation {
            console: "App Services > APP > Settings > Configuration > General settings > Minimum Inbound TLS Version: 1.2 > Save.",
            cli: "az webapp config set --resource-group RG --name APP --min-tls-version 1.2",
            terraform: "resource \"azurerm_linux_web_app\" \"this\" {\n  # ...\n  site_config {\n    minimum_tls_version = \"1.2\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/app-service/overview-tls", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Compute Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("SC-8"), pci("4.2.1")],
        needs: &[az("Microsoft.Web", "sites"), az("Microsoft.Web", "sites/config")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","resource_type":"Microsoft.Web/sites/config","name":"web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","name":"web","type":"Microsoft.Web/sites/config","properties":{"minTlsVersion":"1.2","ftpsState":"Disabled","http20Enabled":true,"scmMinTlsVersion":"1.2","remoteDebuggingEnabled":false}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","resource_type":"Microsoft.Web/sites/config","name":"web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","name":"web","type":"Microsoft.Web/sites/config","properties":{"minTlsVersion":"1.0","ftpsState":"Disabled","http20Enabled":true,"scmMinTlsVersion":"1.2","remoteDebuggingEnabled":false}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let configs = children(scan, "Microsoft.Web/sites/config");
    each_resource(scan, out, "Microsoft.Web/sites", needs, |app, out| {
        // The app's settings are in its `web` configuration resource; the site object's siteConfig is mostly empty.
        let Some(web) = of(&configs, app).iter().find(|c| name(c).eq_ignore_ascii_case("web")) else {
            return out.not_evaluated(app, "no web configuration (sites/config/web) record for this app");
        };
        let version = prop_str(web, "minTlsVersion").unwrap_or("1.0");
        let ok = matches!(version, "1.2" | "1.3");
        out.verdict(app, ok, format!("the minimum TLS version is {version}"), json!({ "minTlsVersion": version }));
    });
}
