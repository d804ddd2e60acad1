//! No network security group lets the internet reach SSH.

use super::azure::{az, nsg_closed};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-nsg-ssh-internet",
        title: "Network security groups do not allow SSH (22) from the internet",
        severity: Severity::High,
        resource_type: "Microsoft.Network/networkSecurityGroups",
        domain: Domain::NetworkControls,
        rationale: "SSH open to the internet draws constant credential-stuffing and exploit attempts. Reach Linux machines through Azure Bastion, a VPN or just-in-time access instead.",
        remediation: Remediation {
            console: "Network security groups > NSG > Settings > Inbound security rules > delete the rule allowing 22 from Any/Internet, or narrow its source to known addresses > Save.",
            cli: "az network nsg rule update --resource-group RG --nsg-name NSG --name RULE --source-address-prefixes 10.0.1.0/26",
            terraform: "resource \"azurerm_network_security_rule\" \"ssh\" {\n  # ...\n  direction                  = \"Inbound\"\n  access                     = \"Allow\"\n  protocol                   = \"Tcp\"\n  destination_port_range     = \"22\"\n  source_address_prefix      = \"10.0.1.0/26\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview", "https://learn.microsoft.com/en-us/azure/bastion/bastion-overview"],
        controls: &[cis_azure("7.2"), nist("SC-7"), nist("AC-17"), pci("1.3.1")],
        needs: &[az("Microsoft.Network", "networkSecurityGroups")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-https-from-office","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-https-from-office","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"203.0.113.0/24","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRange":"443"}},{"name":"allow-ssh-from-bastion","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-ssh-from-bastion","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"10.0.1.0/26","destinationAddressPrefix":"*","access":"Allow","priority":110,"direction":"Inbound","destinationPortRange":"22"}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-ssh","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-ssh","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRange":"22"}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-admin","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-admin","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"Any","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRanges":["22","3389"],"destinationPortRange":""}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    nsg_closed(scan, out, "SSH (TCP 22)", "Tcp", &[22]);
}
