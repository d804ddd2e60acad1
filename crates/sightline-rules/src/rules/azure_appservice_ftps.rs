//! App Service apps do not accept plain FTP.

use super::azure::{az, children, name, of, prop_str};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appservice-ftps",
        title: "App Service apps disable FTP or require FTPS",
        severity: Severity::Medium,
        resource_type: "Microsoft.Web/sites",
        domain: Domain::Encryption,
        rationale: "Plain FTP sends deployment credentials and code in clear text. Allowing only FTPS, or disabling FTP deployment altogether, removes that path.",
        remediation: Remediation {
            console: "App Services > APP > Settings > Configuration > General settings > FTP state: Disabled (or FTPS only) > Save.",
            cli: "az webapp config set --resource-group RG --name APP --ftps-state Disabled",
            terraform: "resource \"azurerm_linux_web_app\" \"this\" {\n  # ...\n  site_config {\n    ftps_state = \"Disabled\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/app-service/deploy-ftp#enforce-ftps", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Compute Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("SC-8"), nist("CM-7")],
        needs: &[az("Microsoft.Web", "sites"), az("Microsoft.Web", "sites/config")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","resource_type":"Microsoft.Web/sites/config","name":"web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","name":"web","type":"Microsoft.Web/sites/config","properties":{"minTlsVersion":"1.2","ftpsState":"Disabled","http20Enabled":true,"scmMinTlsVersion":"1.2","remoteDebuggingEnabled":false}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","resource_type":"Microsoft.Web/sites/config","name":"web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","name":"web","type":"Microsoft.Web/sites/config","properties":{"minTlsVersion":"1.2","ftpsState":"FtpsOnly","http20Enabled":true,"scmMinTlsVersion":"1.2","remoteDebuggingEnabled":false}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","resource_type":"Microsoft.Web/sites/config","name":"web","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/web","name":"web","type":"Microsoft.Web/sites/config","properties":{"minTlsVersion":"1.2","ftpsState":"AllAllowed","http20Enabled":true,"scmMinTlsVersion":"1.2","remoteDebuggingEnabled":false}}}]}"#],
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
        let state = prop_str(web, "ftpsState").unwrap_or("AllAllowed");
        let ok = state.eq_ignore_ascii_case("Disabled") || state.eq_ignore_ascii_case("FtpsOnly");
        out.verdict(app, ok, format!("the FTP state is {state}"), json!({ "ftpsState": state }));
    });
}
