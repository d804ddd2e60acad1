//! Every subnet of a virtual network has a network security group.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-vnet-subnets-nsg",
        title: "Subnets are associated with a network security group",
        severity: Severity::Medium,
        resource_type: "Microsoft.Network/virtualNetworks",
        domain: Domain::NetworkControls,
        rationale: "A subnet without a network security group filters nothing: every machine in it is reachable from the rest of the network and from any public address it is given. Subnets Azure reserves for gateways, firewalls and route servers are exempt, as they must not or need not carry one.",
        remediation: Remediation {
            console: "Virtual networks > VNET > Settings > Subnets > SUBNET > Network security group: select an NSG > Save.",
            cli: "az network vnet subnet update --resource-group RG --vnet-name VNET --name SUBNET --network-security-group NSG",
            terraform: "resource \"azurerm_subnet_network_security_group_association\" \"app\" {\n  subnet_id                 = azurerm_subnet.app.id\n  network_security_group_id = azurerm_network_security_group.app.id\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/virtual-network/network-security-group-how-it-works"],
        controls: &[cis_azure("7.11"), nist("SC-7"), pci("1.2.1")],
        needs: &[az("Microsoft.Network", "virtualNetworks")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","name":"vnet-prod","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet-app","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-app","properties":{"addressPrefix":"10.0.0.0/24","networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app"}}},{"name":"GatewaySubnet","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/GatewaySubnet","properties":{"addressPrefix":"10.0.0.0/24"}}],"enableDdosProtection":true,"ddosProtectionPlan":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-network/providers/Microsoft.Network/ddosProtectionPlans/ddos-plan"}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod","name":"vnet-prod","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]},"subnets":[{"name":"snet-app","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-app","properties":{"addressPrefix":"10.0.0.0/24","networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app"}}},{"name":"snet-data","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/snet-data","properties":{"addressPrefix":"10.0.0.0/24"}}],"enableDdosProtection":true,"ddosProtectionPlan":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-network/providers/Microsoft.Network/ddosProtectionPlans/ddos-plan"}}},"region":"westeurope"}]}"#],
    },
};

/// Subnets Azure reserves for its own appliances: they cannot, or need not, have a network security group.
const EXEMPT: [&str; 5] = [
    "gatewaysubnet",
    "azurefirewallsubnet",
    "azurefirewallmanagementsubnet",
    "routeserversubnet",
    "azurebastionsubnet",
];

fn judge(r: &Resource) -> Judgement {
    let Some(subnets) = prop(r, "subnets").and_then(Props::as_array) else {
        return Err("the virtual network record has no properties.subnets".into());
    };
    let bare: Vec<&str> = subnets
        .iter()
        .filter(|s| {
            let name = s.get("name").and_then(Props::as_str).unwrap_or("");
            !EXEMPT.contains(&name.to_ascii_lowercase().as_str())
                && s.pointer("/properties/networkSecurityGroup/id").and_then(Props::as_str).is_none()
        })
        .map(|s| s.get("name").and_then(Props::as_str).unwrap_or("(unnamed)"))
        .collect();
    Ok(Some((
        bare.is_empty(),
        if bare.is_empty() {
            "every subnet has a network security group".to_string()
        } else {
            format!("subnet(s) without a network security group: {}", bare.join(", "))
        },
        json!({ "subnets_without_nsg": bare }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Network/virtualNetworks", judge);
}
