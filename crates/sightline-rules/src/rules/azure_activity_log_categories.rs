//! The exported activity log includes the security-relevant categories.

use super::azure::{az, children, each_subscription, enabled_categories, has_destination, settings_of};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-activity-log-categories",
        title: "The activity log export covers Administrative, Security, Alert and Policy events",
        severity: Severity::Medium,
        resource_type: "Microsoft.Insights/diagnosticSettings",
        domain: Domain::Logging,
        rationale: "Administrative events record changes to resources and access, Security events come from Defender for Cloud, Alert events record fired alerts and Policy events record Azure Policy effects. An export that leaves any of them out leaves a gap in the audit trail.",
        remediation: Remediation {
            console: "Monitor > Activity log > Export Activity Logs > SUBSCRIPTION > DIAGNOSTIC_SETTING > Edit setting: check Administrative, Security, Alert and Policy > Save.",
            cli: "az monitor diagnostic-settings subscription create --name activity-to-law --location westeurope --workspace WORKSPACE_ID --logs \"[{\\\"category\\\":\\\"Administrative\\\",\\\"enabled\\\":true},{\\\"category\\\":\\\"Security\\\",\\\"enabled\\\":true},{\\\"category\\\":\\\"Alert\\\",\\\"enabled\\\":true},{\\\"category\\\":\\\"Policy\\\",\\\"enabled\\\":true}]\"",
            terraform: "resource \"azurerm_monitor_diagnostic_setting\" \"activity\" {\n  name                       = \"activity-to-law\"\n  target_resource_id         = \"/subscriptions/${var.subscription_id}\"\n  log_analytics_workspace_id = azurerm_log_analytics_workspace.security.id\n  enabled_log { category = \"Administrative\" }\n  enabled_log { category = \"Security\" }\n  enabled_log { category = \"Alert\" }\n  enabled_log { category = \"Policy\" }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log-schema"],
        controls: &[cis_azure("6.1.1.2"), nist("AU-2"), nist("AU-12")],
        needs: &[az("Microsoft.Insights", "diagnosticSettings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","resource_type":"Microsoft.Insights/diagnosticSettings","name":"activity-to-law","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","name":"activity-to-law","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":true},{"category":"Security","enabled":true},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":true},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":true},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}],"workspaceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security"}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/a","resource_type":"Microsoft.Insights/diagnosticSettings","name":"a","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/a","name":"a","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":true},{"category":"Security","enabled":true},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":false},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":false},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}],"workspaceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/b","resource_type":"Microsoft.Insights/diagnosticSettings","name":"b","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/b","name":"b","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":false},{"category":"Security","enabled":false},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":true},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":true},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}],"workspaceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","resource_type":"Microsoft.Insights/diagnosticSettings","name":"activity-to-law","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","name":"activity-to-law","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":true},{"category":"Security","enabled":false},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":false},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":false},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}],"workspaceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security"}}}]}"#, r#"{"resources":[]}"#],
    },
};

const REQUIRED: [&str; 4] = ["administrative", "security", "alert", "policy"];

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let settings = children(scan, "Microsoft.Insights/diagnosticSettings");
    each_subscription(scan, out, needs, |subscription, out| {
        let mut exported: Vec<String> = settings_of(&settings, &format!("/subscriptions/{subscription}"))
            .iter()
            .filter(|s| has_destination(s))
            .flat_map(|s| enabled_categories(s))
            .collect();
        exported.sort();
        exported.dedup();
        let all = exported.iter().any(|c| c == "alllogs");
        let missing: Vec<&str> =
            REQUIRED.iter().copied().filter(|c| !all && !exported.iter().any(|e| e == c)).collect();
        out.verdict(
            Subject::subscription(subscription),
            missing.is_empty(),
            if missing.is_empty() {
                "the activity log export covers Administrative, Security, Alert and Policy".to_string()
            } else {
                format!("the activity log export misses {}", missing.join(", "))
            },
            json!({ "exported": exported, "missing": missing }),
        );
    });
}
