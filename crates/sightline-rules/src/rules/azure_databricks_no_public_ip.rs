//! Azure Databricks cluster nodes have no public IP addresses.

use super::azure::{az, databricks_parameter, databricks_serverless};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-databricks-no-public-ip",
        title: "Azure Databricks workspaces use secure cluster connectivity (No Public IP)",
        severity: Severity::High,
        resource_type: "Microsoft.Databricks/workspaces",
        domain: Domain::NetworkControls,
        rationale: "Without secure cluster connectivity every cluster node gets a public IP address and an inbound port open to the Databricks control plane, so the nodes are reachable from the internet. With No Public IP the nodes have private addresses only and open an outbound tunnel to the control plane instead. Serverless-only workspaces have no classic compute plane and are not judged.",
        remediation: Remediation {
            console: "Azure Databricks > WORKSPACE > Settings > Networking > Deploy Azure Databricks workspace with Secure Cluster Connectivity (No Public IP) = Yes > Save (a workspace on a Databricks-managed network may need a NAT gateway or VNet injection first).",
            cli: "az databricks workspace update --name WORKSPACE --resource-group RG --enable-no-public-ip true",
            terraform: "resource \"azurerm_databricks_workspace\" \"this\" {\n  name                = \"dbw-analytics\"\n  resource_group_name = azurerm_resource_group.analytics.name\n  location            = azurerm_resource_group.analytics.location\n  sku                 = \"premium\"\n  custom_parameters {\n    no_public_ip = true\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/databricks/security/network/classic/secure-cluster-connectivity"],
        controls: &[cis_azure("2.1.9"), nist("SC-7")],
        needs: &[az("Microsoft.Databricks", "workspaces")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-serverless","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net","computeMode":"Serverless","name":"dbw-serverless","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-serverless"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":false},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    if databricks_serverless(r) {
        return Ok(None);
    }
    let Some(no_public_ip) = databricks_parameter(r, "enableNoPublicIp").and_then(Props::as_bool) else {
        return Err("the record does not give parameters.enableNoPublicIp".into());
    };
    Ok(Some((
        no_public_ip,
        if no_public_ip {
            "cluster nodes have no public IP addresses".to_string()
        } else {
            "cluster nodes get public IP addresses (enableNoPublicIp is false)".to_string()
        },
        json!({ "enableNoPublicIp": no_public_ip }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Databricks/workspaces", judge);
}
