//! An activity log alert watches Service Health events.

use super::azure::{activity_alerts, az, condition_equals, each_subscription};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-activity-alert-service-health",
        title: "An activity log alert exists for Service Health events",
        severity: Severity::Low,
        resource_type: "Microsoft.Insights/activityLogAlerts",
        domain: Domain::Logging,
        rationale: "Service Health events announce Azure outages, planned maintenance, health advisories and security advisories that affect the subscription. An alert routes them to the people who must respond instead of leaving them in the portal.",
        remediation: Remediation {
            console: "Monitor > Service Health > Health alerts > + Create service health alert: the subscription, all services and regions, event types, an action group > Create.",
            cli: "az monitor activity-log alert create --name alert-service-health --resource-group RG --scope /subscriptions/SUBSCRIPTION --condition category=ServiceHealth --action-group ACTION_GROUP_ID",
            terraform: "resource \"azurerm_monitor_activity_log_alert\" \"service_health\" {\n  name                = \"alert-service-health\"\n  resource_group_name = azurerm_resource_group.monitoring.name\n  location            = \"global\"\n  scopes              = [\"/subscriptions/${var.subscription_id}\"]\n  criteria {\n    category = \"ServiceHealth\"\n  }\n  action {\n    action_group_id = azurerm_monitor_action_group.secops.id\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/service-health/alerts-activity-log-service-notifications-portal"],
        controls: &[cis_azure("6.1.2.11"), nist("SI-5"), nist("IR-6")],
        needs: &[az("Microsoft.Insights", "activityLogAlerts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Insights/activityLogAlerts/alert-service-health","resource_type":"Microsoft.Insights/activityLogAlerts","name":"alert-service-health","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Insights/activityLogAlerts/alert-service-health","name":"alert-service-health","type":"Microsoft.Insights/activityLogAlerts","location":"Global","properties":{"scopes":["/subscriptions/00000000-0000-0000-0000-00000000000a"],"condition":{"allOf":[{"field":"category","equals":"ServiceHealth"},{"anyOf":[{"field":"properties.incidentType","equals":"Incident"}]}]},"actions":{"actionGroups":[{"actionGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/microsoft.insights/actionGroups/ag-secops"}]},"enabled":true,"description":""}},"region":"Global"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Insights/activityLogAlerts/alert-publicipaddresses-write","resource_type":"Microsoft.Insights/activityLogAlerts","name":"alert-publicipaddresses-write","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Insights/activityLogAlerts/alert-publicipaddresses-write","name":"alert-publicipaddresses-write","type":"Microsoft.Insights/activityLogAlerts","location":"Global","properties":{"scopes":["/subscriptions/00000000-0000-0000-0000-00000000000a"],"condition":{"allOf":[{"field":"category","equals":"Administrative"},{"field":"operationName","equals":"Microsoft.Network/publicIPAddresses/write"}]},"actions":{"actionGroups":[{"actionGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/microsoft.insights/actionGroups/ag-secops"}]},"enabled":true,"description":""}},"region":"Global"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let alerts =
            activity_alerts(scan, subscription, |all_of| condition_equals(all_of, "category", "ServiceHealth"));
        out.verdict(
            Subject::subscription(subscription),
            !alerts.is_empty(),
            if alerts.is_empty() {
                "no enabled activity log alert on the subscription watches Service Health".to_string()
            } else {
                format!("{} enabled Service Health alert(s)", alerts.len())
            },
            json!({ "alerts": alerts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>() }),
        );
    });
}
