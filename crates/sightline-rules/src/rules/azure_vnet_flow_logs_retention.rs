//! Virtual network flow logs are kept for at least 90 days.

use super::azure::{az, flow_log_retention};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-vnet-flow-logs-retention",
        title: "Virtual network flow logs are retained for 90 days or more",
        severity: Severity::Medium,
        resource_type: "Microsoft.Network/networkWatchers/flowLogs",
        domain: Domain::Logging,
        rationale: "Virtual network flow logs, which replace NSG flow logs, record traffic through a whole network; keeping them at least 90 days leaves time to investigate incidents discovered late.",
        remediation: Remediation {
            console: "Network Watcher > Logs > Flow logs > FLOW_LOG (target type Virtual network) > Retention days: 90 or more > Save.",
            cli: "az network watcher flow-log update --location westeurope --name FLOW_LOG --retention 90",
            terraform: "resource \"azurerm_network_watcher_flow_log\" \"vnet\" {\n  # ...\n  target_resource_id = azurerm_virtual_network.this.id\n  retention_policy {\n    enabled = true\n    days    = 90\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/network-watcher/vnet-flow-logs-overview"],
        controls: &[cis_azure("7.8"), nist("AU-11"), pci("10.5.1")],
        needs: &[az("Microsoft.Network", "networkWatchers/flowLogs")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","resource_type":"Microsoft.Network/networkWatchers/flowLogs","name":"fl-vnet","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","name":"fl-vnet","type":"Microsoft.Network/networkWatchers/flowLogs","location":"westeurope","properties":{"targetResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","storageId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stflowlogs","enabled":true,"retentionPolicy":{"days":120,"enabled":true},"format":{"type":"JSON","version":2},"flowAnalyticsConfiguration":{"networkWatcherFlowAnalyticsConfiguration":{"enabled":true,"workspaceResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security","trafficAnalyticsInterval":10}}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","resource_type":"Microsoft.Network/networkWatchers/flowLogs","name":"fl-vnet","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/flowLogs/fl-vnet","name":"fl-vnet","type":"Microsoft.Network/networkWatchers/flowLogs","location":"westeurope","properties":{"targetResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","storageId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stflowlogs","enabled":true,"retentionPolicy":{"days":7,"enabled":true},"format":{"type":"JSON","version":2},"flowAnalyticsConfiguration":{"networkWatcherFlowAnalyticsConfiguration":{"enabled":true,"workspaceResourceId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/law-security","trafficAnalyticsInterval":10}}}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    flow_log_retention(r, "virtualnetworks")
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/networkWatchers/flowLogs", judge);
}
