//! Azure Databricks workspaces run their clusters in the customer's own virtual network.

use super::azure::{az, databricks_parameter, databricks_serverless};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-databricks-vnet-injection",
        title: "Azure Databricks workspaces are deployed in a customer-managed virtual network",
        severity: Severity::Medium,
        resource_type: "Microsoft.Databricks/workspaces",
        domain: Domain::NetworkControls,
        rationale: "A workspace deployed without VNet injection runs its clusters in a virtual network Databricks creates and locks, so the customer can put no network security group, route table, firewall or private endpoint around them. Injecting the workspace into the customer's virtual network brings the cluster nodes under the customer's own network controls. The choice is made when the workspace is created. Serverless-only workspaces have no classic compute plane and are not judged.",
        remediation: Remediation {
            console: "VNet injection cannot be added to an existing workspace: create a new workspace (Azure Databricks > + Create > Networking > Deploy Azure Databricks workspace in your own Virtual Network (VNet) = Yes, with a host and a container subnet delegated to Microsoft.Databricks/workspaces) and move the workloads to it.",
            cli: "az databricks workspace create --name dbw-analytics --resource-group RG --location LOCATION --sku premium --vnet VNET_ID --public-subnet snet-dbw-host --private-subnet snet-dbw-container",
            terraform: "resource \"azurerm_databricks_workspace\" \"this\" {\n  name                = \"dbw-analytics\"\n  resource_group_name = azurerm_resource_group.analytics.name\n  location            = azurerm_resource_group.analytics.location\n  sku                 = \"premium\"\n  custom_parameters {\n    virtual_network_id                                   = azurerm_virtual_network.dbw.id\n    public_subnet_name                                   = azurerm_subnet.host.name\n    private_subnet_name                                  = azurerm_subnet.container.name\n    public_subnet_network_security_group_association_id  = azurerm_subnet_network_security_group_association.host.id\n    private_subnet_network_security_group_association_id = azurerm_subnet_network_security_group_association.container.id\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/databricks/security/network/classic/vnet-inject"],
        controls: &[cis_azure("2.1.1"), nist("SC-7")],
        needs: &[az("Microsoft.Databricks", "workspaces")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-serverless","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net","computeMode":"Serverless","name":"dbw-serverless","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-serverless"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    if databricks_serverless(r) {
        return Ok(None);
    }
    let vnet = databricks_parameter(r, "customVirtualNetworkId").and_then(Props::as_str).filter(|v| !v.is_empty());
    Ok(Some((
        vnet.is_some(),
        match vnet {
            Some(vnet) => format!("the workspace's clusters run in virtual network {vnet}"),
            None => "the workspace's clusters run in a virtual network managed by Databricks".to_string(),
        },
        json!({ "customVirtualNetworkId": vnet }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Databricks/workspaces", judge);
}
