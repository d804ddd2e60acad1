//! Subscriptions with virtual machines have an Azure Bastion host.

use super::azure::{az, each_subscription, in_account};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-bastion-host-exists",
        title: "An Azure Bastion host serves subscriptions that run virtual machines",
        severity: Severity::Low,
        resource_type: "Microsoft.Network/bastionHosts",
        domain: Domain::NetworkControls,
        rationale: "Azure Bastion gives browser and native-client RDP/SSH to virtual machines over TLS without public IPs on the machines or management ports open to the internet.",
        remediation: Remediation {
            console: "Bastions > + Create: the virtual network of the machines, an AzureBastionSubnet (/26 or larger), a public IP > Review + create.",
            cli: "az network bastion create --name bas-prod --resource-group RG --vnet-name VNET --public-ip-address PIP --location westeurope --sku Standard",
            terraform: "resource \"azurerm_bastion_host\" \"this\" {\n  name                = \"bas-prod\"\n  location            = azurerm_resource_group.this.location\n  resource_group_name = azurerm_resource_group.this.name\n  sku                 = \"Standard\"\n  ip_configuration {\n    name                 = \"ipconf\"\n    subnet_id            = azurerm_subnet.bastion.id\n    public_ip_address_id = azurerm_public_ip.bastion.id\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/bastion/bastion-overview"],
        controls: &[cis_azure("8.4.1"), nist("AC-17")],
        needs: &[az("Microsoft.Compute", "virtualMachines"), az("Microsoft.Network", "bastionHosts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","resource_type":"Microsoft.Compute/virtualMachines","name":"vm-app-01","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","name":"vm-app-01","type":"Microsoft.Compute/virtualMachines","location":"westeurope","properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"},"storageProfile":{"osDisk":{"osType":"Linux","managedDisk":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/disks/vm-app-01-os"}}},"provisioningState":"Succeeded"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/bastionHosts/bas-prod","resource_type":"Microsoft.Network/bastionHosts","name":"bas-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/bastionHosts/bas-prod","name":"bas-prod","type":"Microsoft.Network/bastionHosts","location":"westeurope","sku":{"name":"Standard"},"properties":{"provisioningState":"Succeeded","ipConfigurations":[{"name":"ipconf","properties":{"subnet":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/AzureBastionSubnet"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","resource_type":"Microsoft.Compute/virtualMachines","name":"vm-app-01","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","name":"vm-app-01","type":"Microsoft.Compute/virtualMachines","location":"westeurope","properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"},"storageProfile":{"osDisk":{"osType":"Linux","managedDisk":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/disks/vm-app-01-os"}}},"provisioningState":"Succeeded"}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let machines = in_account(scan, "Microsoft.Compute/virtualMachines", subscription).len();
        if machines == 0 {
            return;
        }
        let bastions: Vec<&str> =
            in_account(scan, "Microsoft.Network/bastionHosts", subscription).iter().map(|b| b.id.as_str()).collect();
        out.verdict(
            Subject::subscription(subscription),
            !bastions.is_empty(),
            if bastions.is_empty() {
                format!("{machines} virtual machine(s) and no Azure Bastion host")
            } else {
                format!("{} Azure Bastion host(s) for {machines} virtual machine(s)", bastions.len())
            },
            json!({ "virtual_machines": machines, "bastion_hosts": bastions }),
        );
    });
}
