//! Virtual networks are covered by a DDoS Network Protection plan.

use super::azure::{az, prop_bool, prop_str};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-vnet-ddos-protection",
        title: "Virtual networks have DDoS Network Protection",
        severity: Severity::Low,
        resource_type: "Microsoft.Network/virtualNetworks",
        domain: Domain::NetworkControls,
        rationale: "The free infrastructure protection only shields the Azure platform. DDoS Network Protection tunes mitigation to the public IPs of the network, adds attack telemetry and alerts, and gives access to rapid response.",
        remediation: Remediation {
            console: "Virtual networks > VNET > Settings > DDoS protection: Enable, select a DDoS protection plan > Save.",
            cli: "az network vnet update --resource-group RG --name VNET --ddos-protection true --ddos-protection-plan PLAN_ID",
            terraform: "resource \"azurerm_virtual_network\" \"this\" {\n  # ...\n  ddos_protection_plan {\n    id     = azurerm_network_ddos_protection_plan.this.id\n    enable = true\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/ddos-protection/ddos-protection-overview"],
        controls: &[cis_azure("8.5"), nist("SC-5")],
        needs: &[az("Microsoft.Network", "virtualNetworks")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","name":"vnet-prod","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet-app","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-app","properties":{"addressPrefix":"10.0.0.0/24","networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app"}}},{"name":"GatewaySubnet","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/GatewaySubnet","properties":{"addressPrefix":"10.0.0.0/24"}}],"enableDdosProtection":true,"ddosProtectionPlan":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-network/providers/Microsoft.Network/ddosProtectionPlans/ddos-plan"}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","name":"vnet-prod","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet-app","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-app","properties":{"addressPrefix":"10.0.0.0/24","networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app"}}},{"name":"GatewaySubnet","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/GatewaySubnet","properties":{"addressPrefix":"10.0.0.0/24"}}],"enableDdosProtection":false}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let on = prop_bool(r, "enableDdosProtection").unwrap_or(false) && prop_str(r, "ddosProtectionPlan/id").is_some();
    Ok(Some((
        on,
        if on { "a DDoS protection plan covers the network" } else { "no DDoS protection plan covers the network" }
            .to_string(),
        json!({ "enableDdosProtection": on }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/virtualNetworks", judge);
}
