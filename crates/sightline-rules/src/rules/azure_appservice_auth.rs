//! App Service apps sign users in with App Service authentication.

use super::azure::{az, children, name, of, prop_bool};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-appservice-auth",
        title: "App Service apps have App Service authentication enabled",
        severity: Severity::Info,
        resource_type: "Microsoft.Web/sites",
        domain: Domain::Identity,
        rationale: "App Service authentication (Easy Auth) makes the platform authenticate every request with Microsoft Entra ID or another provider before it reaches the code, so an app cannot be reached anonymously because of a missing check in the application. Apps meant to be public, or that authenticate in code, can accept this finding.",
        remediation: Remediation {
            console: "App Services > APP > Settings > Authentication > Add identity provider: Microsoft, Restrict access: Require authentication > Add.",
            cli: "az webapp auth update --resource-group RG --name APP --enabled true --action LoginWithAzureActiveDirectory",
            terraform: "resource \"azurerm_linux_web_app\" \"this\" {\n  # ...\n  auth_settings_v2 {\n    auth_enabled           = true\n    require_authentication = true\n    active_directory_v2 {\n      client_id            = azuread_application.app.client_id\n      tenant_auth_endpoint = \"https://login.microsoftonline.com/${var.tenant_id}/v2.0\"\n    }\n    login {}\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/app-service/overview-authentication-authorization", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Compute Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("IA-2"), nist("AC-3")],
        needs: &[az("Microsoft.Web", "sites"), az("Microsoft.Web", "sites/config")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/authsettingsV2","resource_type":"Microsoft.Web/sites/config","name":"authsettingsV2","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/authsettingsV2","name":"authsettingsV2","type":"Microsoft.Web/sites/config","properties":{"platform":{"enabled":true,"runtimeVersion":"~1"},"globalValidation":{"requireAuthentication":true,"unauthenticatedClientAction":"RedirectToLoginPage"},"identityProviders":{"azureActiveDirectory":{"enabled":true}}}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","resource_type":"Microsoft.Web/sites","name":"app-portal","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal","name":"app-portal","type":"Microsoft.Web/sites","location":"westeurope","kind":"app,linux","identity":{"type":"SystemAssigned","principalId":"66666666-6666-6666-6666-666666666666","tenantId":"00000000-0000-0000-0000-0000000000aa"},"properties":{"state":"Running","httpsOnly":true,"defaultHostName":"app-portal.azurewebsites.net","serverFarmId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/serverfarms/asp-prod","siteConfig":{"minTlsVersion":null,"ftpsState":null}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/authsettingsV2","resource_type":"Microsoft.Web/sites/config","name":"authsettingsV2","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Web/sites/app-portal/config/authsettingsV2","name":"authsettingsV2","type":"Microsoft.Web/sites/config","properties":{"platform":{"enabled":false,"runtimeVersion":"~1"},"globalValidation":{"requireAuthentication":true,"unauthenticatedClientAction":"RedirectToLoginPage"},"identityProviders":{"azureActiveDirectory":{"enabled":true}}}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let configs = children(scan, "Microsoft.Web/sites/config");
    each_resource(scan, out, "Microsoft.Web/sites", needs, |app, out| {
        let settings = of(&configs, app).iter().find(|c| name(c).eq_ignore_ascii_case("authsettingsV2"));
        let Some(settings) = settings else {
            return out
                .not_evaluated(app, "no authentication settings (sites/config/authsettingsV2) record for this app");
        };
        let on = prop_bool(settings, "platform/enabled").unwrap_or(false);
        out.verdict(
            app,
            on,
            if on { "App Service authentication is on" } else { "App Service authentication is off" }.to_string(),
            json!({ "enabled": on }),
        );
    });
}
