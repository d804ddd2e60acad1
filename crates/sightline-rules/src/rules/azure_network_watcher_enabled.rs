//! Network Watcher runs in every location the subscription uses.

use super::azure::{az, each_subscription, in_account, prop_str};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{Provider, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-network-watcher-enabled",
        title: "Network Watcher is enabled in every location with resources",
        severity: Severity::Low,
        resource_type: "Microsoft.Network/networkWatchers",
        domain: Domain::Logging,
        rationale: "Network Watcher provides flow logs, connection troubleshooting and topology for a region; without it there is no network telemetry to investigate an incident there.",
        remediation: Remediation {
            console: "Network Watcher > Overview > select the subscription and each region in use > Enable network watcher.",
            cli: "az network watcher configure --resource-group NetworkWatcherRG --locations westeurope northeurope --enabled true",
            terraform: "resource \"azurerm_network_watcher\" \"this\" {\n  for_each            = toset([\"westeurope\", \"northeurope\"])\n  name                = \"NetworkWatcher_${each.key}\"\n  location            = each.key\n  resource_group_name = \"NetworkWatcherRG\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/network-watcher/network-watcher-create"],
        controls: &[cis_azure("7.6"), nist("AU-12"), nist("SI-4")],
        needs: &[az("Microsoft.Network", "networkWatchers")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","name":"vnet-prod","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet-app","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-app","properties":{"addressPrefix":"10.0.0.0/24","networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app"}}},{"name":"GatewaySubnet","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/GatewaySubnet","properties":{"addressPrefix":"10.0.0.0/24"}}],"enableDdosProtection":true,"ddosProtectionPlan":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-network/providers/Microsoft.Network/ddosProtectionPlans/ddos-plan"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope","resource_type":"Microsoft.Network/networkWatchers","name":"NetworkWatcher_westeurope","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope","name":"NetworkWatcher_westeurope","type":"Microsoft.Network/networkWatchers","location":"westeurope","properties":{"provisioningState":"Succeeded"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","name":"vnet-prod","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet-app","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-app","properties":{"addressPrefix":"10.0.0.0/24","networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app"}}},{"name":"GatewaySubnet","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/GatewaySubnet","properties":{"addressPrefix":"10.0.0.0/24"}}],"enableDdosProtection":true,"ddosProtectionPlan":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-network/providers/Microsoft.Network/ddosProtectionPlans/ddos-plan"}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_northeurope","resource_type":"Microsoft.Network/networkWatchers","name":"NetworkWatcher_northeurope","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_northeurope","name":"NetworkWatcher_northeurope","type":"Microsoft.Network/networkWatchers","location":"northeurope","properties":{"provisioningState":"Succeeded"}},"region":"northeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let mut used: std::collections::BTreeMap<&str, std::collections::BTreeSet<String>> = Default::default();
    for r in &scan.snapshot.resources {
        if let (Provider::Azure, Some(location)) = (r.provider, r.region.as_deref()) {
            let location = location.to_ascii_lowercase().replace(' ', "");
            if !location.is_empty() && location != "global" && !r.resource_type.starts_with("Microsoft.Graph/") {
                used.entry(r.account_id.as_str()).or_default().insert(location);
            }
        }
    }
    each_subscription(scan, out, needs, |subscription, out| {
        let watchers: Vec<String> = in_account(scan, "Microsoft.Network/networkWatchers", subscription)
            .iter()
            .filter(|w| prop_str(w, "provisioningState").is_none_or(|s| s.eq_ignore_ascii_case("Succeeded")))
            .filter_map(|w| w.region.as_deref().map(|l| l.to_ascii_lowercase().replace(' ', "")))
            .collect();
        let locations = used.get(subscription).cloned().unwrap_or_default();
        if locations.is_empty() {
            return out.pass(Subject::subscription(subscription), "the subscription has no regional resources");
        }
        for location in &locations {
            let on = watchers.contains(location);
            out.verdict(
                Subject::location(subscription, location),
                on,
                if on {
                    format!("Network Watcher runs in {location}")
                } else {
                    format!("no Network Watcher in {location}")
                },
                json!({ "location": location }),
            );
        }
    });
}
