//! virtual network flow logs are sent to Log Analytics.

use super::azure::{az, flow_log_traffic_analytics};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-vnet-flow-logs-traffic-analytics",
        title: "Virtual network flow logs feed traffic analytics in Log Analytics",
        severity: Severity::Low,
        resource_type: "Microsoft.Network/networkWatchers/flowLogs",
        domain: Domain::Logging,
        rationale: "Flow logs in a storage account are raw files; traffic analytics processes them into a Log Analytics workspace where they can be queried, correlated with other logs and alerted on. CIS v6.0.0 lists this control as Manual; the setting is part of the flow log record, so Sightline decides it.",
        remediation: Remediation {
            console: "Network Watcher > Logs > Flow logs > FLOW_LOG > Traffic analytics: Enable, processing interval, Log Analytics workspace > Save.",
            cli: "az network watcher flow-log update --location westeurope --name FLOW_LOG --traffic-analytics true --workspace WORKSPACE_ID --interval 10",
            terraform: "resource \"azurerm_network_watcher_flow_log\" \"vnet\" {\n  # ...\n  traffic_analytics {\n    enabled               = true\n    workspace_id          = azurerm_log_analytics_workspace.security.workspace_id\n    workspace_region      = azurerm_log_analytics_workspace.security.location\n    workspace_resource_id = azurerm_log_analytics_workspace.security.id\n    interval_in_minutes   = 10\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/network-watcher/traffic-analytics"],
        controls: &[cis_azure("6.1.1.6"), nist("AU-6"), nist("SI-4")],
        needs: &[az("Microsoft.Network", "networkWatchers/flowLogs")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","resource_type":"Microsoft.Network/networkWatchers/flowLogs","name":"fl-vnet","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","name":"fl-vnet","type":"Microsoft.Network/networkWatchers/flowLogs","location":"westeurope","properties":{"targetResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","storageId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stflowlogs","enabled":true,"retentionPolicy":{"days":90,"enabled":true},"format":{"type":"JSON","version":2},"flowAnalyticsConfiguration":{"networkWatcherFlowAnalyticsConfiguration":{"enabled":true,"workspaceResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security","trafficAnalyticsInterval":10}}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","resource_type":"Microsoft.Network/networkWatchers/flowLogs","name":"fl-vnet","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","name":"fl-vnet","type":"Microsoft.Network/networkWatchers/flowLogs","location":"westeurope","properties":{"targetResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","storageId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stflowlogs","enabled":true,"retentionPolicy":{"days":90,"enabled":true},"format":{"type":"JSON","version":2},"flowAnalyticsConfiguration":{"networkWatcherFlowAnalyticsConfiguration":{"enabled":false,"workspaceResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security","trafficAnalyticsInterval":10}}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    flow_log_traffic_analytics(r, "virtualnetworks")
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/networkWatchers/flowLogs", judge);
}
