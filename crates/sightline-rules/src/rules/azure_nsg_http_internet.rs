//! No network security group lets the internet reach HTTP or HTTPS directly.

use super::azure::{az, nsg_closed};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-nsg-http-internet",
        title: "Network security groups do not allow HTTP(S) (80, 443) from the internet",
        severity: Severity::Low,
        resource_type: "Microsoft.Network/networkSecurityGroups",
        domain: Domain::NetworkControls,
        rationale: "Web servers published straight through an NSG get no web application firewall, DDoS tuning or central TLS policy. Publish them through Application Gateway with WAF or Azure Front Door and keep the NSG source to those services; where direct exposure is intended, document it and accept the finding.",
        remediation: Remediation {
            console: "Network security groups > NSG > Settings > Inbound security rules > narrow the source of rules allowing 80/443 from Any/Internet to the Application Gateway subnet or the AzureFrontDoor.Backend service tag > Save.",
            cli: "az network nsg rule update --resource-group RG --nsg-name NSG --name RULE --source-address-prefixes AzureFrontDoor.Backend",
            terraform: "resource \"azurerm_network_security_rule\" \"https\" {\n  # ...\n  destination_port_range = \"443\"\n  source_address_prefix  = \"AzureFrontDoor.Backend\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview", "https://learn.microsoft.com/en-us/azure/bastion/bastion-overview"],
        controls: &[cis_azure("7.4"), nist("SC-7")],
        needs: &[az("Microsoft.Network", "networkSecurityGroups")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-https-from-office","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-https-from-office","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"203.0.113.0/24","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRange":"443"}},{"name":"allow-ssh-from-bastion","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-ssh-from-bastion","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"10.0.1.0/26","destinationAddressPrefix":"*","access":"Allow","priority":110,"direction":"Inbound","destinationPortRange":"22"}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","resource_type":"Microsoft.Network/networkSecurityGroups","name":"nsg-app","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app","name":"nsg-app","type":"Microsoft.Network/networkSecurityGroups","location":"westeurope","properties":{"securityRules":[{"name":"allow-web","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Network/networkSecurityGroups/nsg-app/securityRules/allow-web","properties":{"protocol":"Tcp","sourcePortRange":"*","sourceAddressPrefix":"Internet","destinationAddressPrefix":"*","access":"Allow","priority":100,"direction":"Inbound","destinationPortRanges":["80","443"],"destinationPortRange":""}}],"defaultSecurityRules":[{"name":"DenyAllInBound","properties":{"protocol":"*","sourcePortRange":"*","destinationPortRange":"*","sourceAddressPrefix":"*","destinationAddressPrefix":"*","access":"Deny","priority":65500,"direction":"Inbound"}}]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    nsg_closed(scan, out, "HTTP or HTTPS (TCP 80, 443)", "Tcp", &[80, 443]);
}
