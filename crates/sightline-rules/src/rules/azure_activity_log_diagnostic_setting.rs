//! Every subscription exports its activity log.

use super::azure::{az, children, each_subscription, enabled_categories, has_destination, name, settings_of};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-activity-log-diagnostic-setting",
        title: "A diagnostic setting exports the subscription activity log",
        severity: Severity::Medium,
        resource_type: "Microsoft.Insights/diagnosticSettings",
        domain: Domain::Logging,
        rationale: "The activity log records every management operation on the subscription but Azure keeps it only 90 days and only in the portal. A subscription diagnostic setting sends it to a Log Analytics workspace, storage account or event hub for retention, alerting and investigation.",
        remediation: Remediation {
            console: "Monitor > Activity log > Export Activity Logs > SUBSCRIPTION > + Add diagnostic setting: categories, destination Log Analytics workspace > Save.",
            cli: "az monitor diagnostic-settings subscription create --name activity-to-law --location westeurope --workspace WORKSPACE_ID --logs \"[{\\\"category\\\":\\\"Administrative\\\",\\\"enabled\\\":true},{\\\"category\\\":\\\"Security\\\",\\\"enabled\\\":true},{\\\"category\\\":\\\"Alert\\\",\\\"enabled\\\":true},{\\\"category\\\":\\\"Policy\\\",\\\"enabled\\\":true}]\"",
            terraform: "resource \"azurerm_monitor_diagnostic_setting\" \"activity\" {\n  name                       = \"activity-to-law\"\n  target_resource_id         = \"/subscriptions/${var.subscription_id}\"\n  log_analytics_workspace_id = azurerm_log_analytics_workspace.security.id\n  enabled_log { category = \"Administrative\" }\n  enabled_log { category = \"Security\" }\n  enabled_log { category = \"Alert\" }\n  enabled_log { category = \"Policy\" }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log?tabs=powershell#export-the-activity-log"],
        controls: &[cis_azure("6.1.1.1"), nist("AU-6"), nist("AU-9"), pci("10.5.1")],
        needs: &[az("Microsoft.Insights", "diagnosticSettings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","resource_type":"Microsoft.Insights/diagnosticSettings","name":"activity-to-law","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","name":"activity-to-law","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":true},{"category":"Security","enabled":true},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":true},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":true},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}],"workspaceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security"}}}]}"#],
        fail: &[r#"{"resources":[]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","resource_type":"Microsoft.Insights/diagnosticSettings","name":"activity-to-law","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","name":"activity-to-law","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":true},{"category":"Security","enabled":true},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":true},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":true},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}]}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let settings = children(scan, "Microsoft.Insights/diagnosticSettings");
    each_subscription(scan, out, needs, |subscription, out| {
        let exporting: Vec<&str> = settings_of(&settings, &format!("/subscriptions/{subscription}"))
            .iter()
            .filter(|s| has_destination(s) && !enabled_categories(s).is_empty())
            .map(|s| name(s))
            .collect();
        out.verdict(
            Subject::subscription(subscription),
            !exporting.is_empty(),
            if exporting.is_empty() {
                "no diagnostic setting exports the subscription's activity log".to_string()
            } else {
                format!("the activity log is exported by {}", exporting.join(", "))
            },
            json!({ "settings": exporting }),
        );
    });
}
