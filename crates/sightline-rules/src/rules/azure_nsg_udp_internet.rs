//! No network security group lets the internet send UDP traffic in.

use super::azure::{az, nsg_closed};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-nsg-udp-internet",
        title: "Network security groups do not allow UDP from the internet",
        severity: Severity::Medium,
        resource_type: "Microsoft.Network/networkSecurityGroups",
        domain: Domain::NetworkControls,
        rationale: "UDP services reachable from the internet (DNS, NTP, SSDP, CLDAP, Memcached...) are abused for reflection and amplification attacks, and UDP rules are easy to leave wider than intended.",
        remediation: Remediation {
            console: "Network security groups > NSG > Settings > Inbound security rules > delete rules allowing UDP (or Any protocol) from Any/Internet, or narrow their source > Save.",
            cli: "az network nsg rule delete --resource-group RG --nsg-name NSG --name RULE",
            terraform: "resource \"azurerm_network_security_rule\" \"udp\" {\n  # ...\n  protocol              = \"Udp\"\n  source_address_prefix = \"203.0.113.0/24\" # a known range, never \\\"*\\\" or \\\"Internet\\\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview", "https://learn.microsoft.com/en-us/azure/bastion/bastion-overview"],
        controls: &[cis_azure("7.3"), nist("SC-7"), nist("SC-5")],
        needs: &[az("Microsoft.Network", "networkSecurityGroups")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-https-from-office","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-https-from-office","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"203.0.113.0/24","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRange":"443"}},{"name":"allow-ssh-from-bastion","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-ssh-from-bastion","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"10.0.1.0/26","destinationAddressPrefix":"*","access":"Allow","priority":110,"direction":"Inbound","destinationPortRange":"22"}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-dns","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-dns","properties":{"protocol":"Udp","sourcePortRange":"*","sourceAddressPrefix":"Internet","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRange":"53"}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-all","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-all","properties":{"protocol":"*","sourcePortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRange":"*"}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    nsg_closed(scan, out, "UDP", "Udp", &[]);
}
