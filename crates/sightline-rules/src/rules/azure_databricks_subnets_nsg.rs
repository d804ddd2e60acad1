//! The subnets of a VNet-injected Azure Databricks workspace have network security groups.

use super::azure::{az, databricks_parameter, databricks_serverless, in_account, name, prop};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-databricks-subnets-nsg",
        title: "The subnets of VNet-injected Azure Databricks workspaces have network security groups",
        severity: Severity::Medium,
        resource_type: "Microsoft.Databricks/workspaces",
        domain: Domain::NetworkControls,
        rationale: "A workspace injected into a customer virtual network runs its cluster nodes in two subnets (host and container). Without a network security group on each, nothing filters the traffic reaching the nodes from the rest of the network or leaving them, and Databricks cannot apply its required rules. Workspaces on a Databricks-managed network are judged by azure-databricks-vnet-injection instead.",
        remediation: Remediation {
            console: "Virtual networks > VNET > Subnets > the workspace's host and container subnets > Network security group = an NSG for the workspace > Save.",
            cli: "az network vnet subnet update --resource-group RG --vnet-name VNET --name snet-dbw-host --network-security-group nsg-dbw && az network vnet subnet update --resource-group RG --vnet-name VNET --name snet-dbw-container --network-security-group nsg-dbw",
            terraform: "resource \"azurerm_subnet_network_security_group_association\" \"host\" {\n  subnet_id                 = azurerm_subnet.host.id\n  network_security_group_id = azurerm_network_security_group.dbw.id\n}\n\nresource \"azurerm_subnet_network_security_group_association\" \"container\" {\n  subnet_id                 = azurerm_subnet.container.id\n  network_security_group_id = azurerm_network_security_group.dbw.id\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/databricks/security/network/classic/vnet-inject"],
        controls: &[cis_azure("2.1.2"), nist("SC-7")],
        needs: &[az("Microsoft.Databricks", "workspaces"), az("Microsoft.Network", "virtualNetworks")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-dbw","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw","name":"vnet-dbw","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.20.0.0/16"]},"subnets":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw/subnets/snet-dbw-host","name":"snet-dbw-host","properties":{"addressPrefix":"10.20.1.0/24","delegations":[{"name":"dbx","properties":{"serviceName":"Microsoft.Databricks/workspaces"}}],"networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/networkSecurityGroups/nsg-dbw"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw/subnets/snet-dbw-container","name":"snet-dbw-container","properties":{"addressPrefix":"10.20.2.0/24","delegations":[{"name":"dbx","properties":{"serviceName":"Microsoft.Databricks/workspaces"}}],"networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/networkSecurityGroups/nsg-dbw"}}}]}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-managed","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net","name":"dbw-managed","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-managed"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw","resource_type":"Microsoft.Network/virtualNetworks","name":"vnet-dbw","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw","name":"vnet-dbw","type":"Microsoft.Network/virtualNetworks","location":"westeurope","properties":{"addressSpace":{"addressPrefixes":["10.20.0.0/16"]},"subnets":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw/subnets/snet-dbw-host","name":"snet-dbw-host","properties":{"addressPrefix":"10.20.1.0/24","delegations":[{"name":"dbx","properties":{"serviceName":"Microsoft.Databricks/workspaces"}}],"networkSecurityGroup":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/networkSecurityGroups/nsg-dbw"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw/subnets/snet-dbw-container","name":"snet-dbw-container","properties":{"addressPrefix":"10.20.2.0/24","delegations":[{"name":"dbx","properties":{"serviceName":"Microsoft.Databricks/workspaces"}}]}}]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_resource(scan, out, "Microsoft.Databricks/workspaces", needs, |workspace, out| {
        if databricks_serverless(workspace) {
            return;
        }
        let parameter =
            |key: &str| databricks_parameter(workspace, key).and_then(Props::as_str).filter(|v| !v.is_empty());
        // A workspace on a Databricks-managed network has no subnets of the customer's.
        let Some(vnet_id) = parameter("customVirtualNetworkId") else { return };
        let Some(vnet) = in_account(scan, "Microsoft.Network/virtualNetworks", &workspace.account_id)
            .into_iter()
            .find(|v| v.id.eq_ignore_ascii_case(vnet_id))
        else {
            return out
                .not_evaluated(workspace, format!("the workspace's virtual network {vnet_id} is not in the snapshot"));
        };
        let subnets = prop(vnet, "subnets").and_then(Props::as_array).unwrap_or_default();
        let mut unprotected = Vec::new();
        for key in ["customPublicSubnetName", "customPrivateSubnetName"] {
            let Some(subnet_name) = parameter(key) else {
                return out.not_evaluated(workspace, format!("the record does not give parameters.{key}"));
            };
            let Some(subnet) = subnets
                .iter()
                .find(|s| s.get("name").and_then(Props::as_str).is_some_and(|n| n.eq_ignore_ascii_case(subnet_name)))
            else {
                return out.not_evaluated(
                    workspace,
                    format!("subnet {subnet_name} is not in virtual network {}", name(vnet)),
                );
            };
            if subnet.pointer("/properties/networkSecurityGroup/id").and_then(Props::as_str).is_none_or(str::is_empty) {
                unprotected.push(subnet_name);
            }
        }
        out.verdict(
            workspace,
            unprotected.is_empty(),
            if unprotected.is_empty() {
                format!("both of the workspace's subnets in {} have a network security group", name(vnet))
            } else {
                format!("no network security group on subnet(s) {} of {}", unprotected.join(", "), name(vnet))
            },
            json!({ "virtualNetwork": vnet.id, "withoutNsg": unprotected }),
        );
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{snapshot, statuses};
    use sightline_model::FindingStatus;

    /// A workspace whose virtual network was not collected is NOT_EVALUATED, never PASS.
    #[test]
    fn missing_virtual_network_is_not_evaluated() {
        let fixture = RULE.fixtures.fail[0];
        let mut value: serde_json::Value = serde_json::from_str(fixture).unwrap();
        value["resources"].as_array_mut().unwrap().retain(|r| r["resource_type"] == "Microsoft.Databricks/workspaces");
        let got = statuses(&RULE, &snapshot(&RULE, &value.to_string(), false));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, FindingStatus::NotEvaluated);
        assert!(got[0].1.contains("is not in the snapshot"), "{got:?}");
    }
}
