//! Subscriptions have Application Insights for their applications.

use super::azure::{az, each_subscription, in_account};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-application-insights-configured",
        title: "Application Insights is configured in the subscription",
        severity: Severity::Low,
        resource_type: "Microsoft.Insights/components",
        domain: Domain::Logging,
        rationale: "Application Insights collects requests, exceptions, dependencies and traces from applications: the application-level telemetry needed to see abuse, errors and performance problems that infrastructure logs cannot show.",
        remediation: Remediation {
            console: "Application Insights > + Create: resource group, name, region, a Log Analytics workspace > Review + create; then enable it on each App Service, Function or instrumented application.",
            cli: "az monitor app-insights component create --app appi-prod --location westeurope --resource-group RG --workspace WORKSPACE_ID",
            terraform: "resource \"azurerm_application_insights\" \"this\" {\n  name                = \"appi-prod\"\n  location            = azurerm_resource_group.this.location\n  resource_group_name = azurerm_resource_group.this.name\n  workspace_id        = azurerm_log_analytics_workspace.security.id\n  application_type    = \"web\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/azure-monitor/app/app-insights-overview"],
        controls: &[cis_azure("6.1.3.1"), nist("AU-12"), nist("SI-4")],
        needs: &[az("Microsoft.Insights", "components")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Insights/components/appi-prod","resource_type":"Microsoft.Insights/components","name":"appi-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Insights/components/appi-prod","name":"appi-prod","type":"Microsoft.Insights/components","location":"westeurope","kind":"web","properties":{"ApplicationId":"appi-prod","Application_Type":"web","IngestionMode":"LogAnalytics","WorkspaceResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let components: Vec<&str> =
            in_account(scan, "Microsoft.Insights/components", subscription).iter().map(|c| c.id.as_str()).collect();
        out.verdict(
            Subject::subscription(subscription),
            !components.is_empty(),
            format!("{} Application Insights component(s)", components.len()),
            json!({ "components": components }),
        );
    });
}
