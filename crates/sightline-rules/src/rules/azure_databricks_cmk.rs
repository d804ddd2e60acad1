//! Azure Databricks workspaces encrypt their critical data with customer-managed keys.

use super::azure::{az, databricks_parameter, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-databricks-cmk",
        title: "Azure Databricks workspaces encrypt notebooks, managed disks and the DBFS root with customer-managed keys",
        severity: Severity::Low,
        resource_type: "Microsoft.Databricks/workspaces",
        domain: Domain::Encryption,
        rationale: "A workspace holds its critical data in three places: managed services (notebook source, secrets, query text and results in the control plane), the managed disks of its cluster nodes, and the DBFS root storage account. Each is encrypted with Microsoft-managed keys unless a customer-managed key in Key Vault is configured, and only a customer-managed key lets the customer audit its use, rotate it and revoke access to the data. Customer-managed keys need the Premium tier.",
        remediation: Remediation {
            console: "Azure Databricks > WORKSPACE > Settings > Encryption: Use your own key for managed services, for managed disks and for DBFS root > Key Vault key > Save.",
            cli: "az databricks workspace update --name WORKSPACE --resource-group RG --key-source Microsoft.Keyvault --key-name KEY --key-vault https://VAULT.vault.azure.net/ --key-version VERSION",
            terraform: "resource \"azurerm_databricks_workspace\" \"this\" {\n  name                = \"dbw-analytics\"\n  resource_group_name = azurerm_resource_group.analytics.name\n  location            = azurerm_resource_group.analytics.location\n  sku                 = \"premium\"\n  managed_services_cmk_key_vault_key_id = azurerm_key_vault_key.services.id\n  managed_disk_cmk_key_vault_key_id     = azurerm_key_vault_key.disks.id\n  customer_managed_key_enabled          = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/databricks/security/keys/customer-managed-keys"],
        controls: &[cis_azure("2.1.8"), nist("SC-12"), nist("SC-28")],
        needs: &[az("Microsoft.Databricks", "workspaces")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}},"managedDisk":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"disks","keyVersion":"1"},"rotationToLatestKeyVersionEnabled":true}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","resource_type":"Microsoft.Databricks/workspaces","name":"dbw-analytics","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics","name":"dbw-analytics","type":"Microsoft.Databricks/workspaces","location":"westeurope","sku":{"name":"premium"},"properties":{"managedResourceGroupId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/databricks-rg-dbw-analytics","parameters":{"customVirtualNetworkId":{"type":"String","value":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Network/virtualNetworks/vnet-dbw"},"customPublicSubnetName":{"type":"String","value":"snet-dbw-host"},"customPrivateSubnetName":{"type":"String","value":"snet-dbw-container"},"enableNoPublicIp":{"type":"Bool","value":true},"encryption":{"type":"Object","value":{"KeySource":"Microsoft.Keyvault","KeyName":"dbfs","keyversion":"1","keyvaulturi":"https://kv-analytics.vault.azure.net/"}}},"publicNetworkAccess":"Disabled","requiredNsgRules":"NoAzureDatabricksRules","privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-analytics/providers/Microsoft.Databricks/workspaces/dbw-analytics/privateEndpointConnections/pe-ui","properties":{"groupIds":["databricks_ui_api"],"privateLinkServiceConnectionState":{"status":"Approved"}}}],"encryption":{"entities":{"managedServices":{"keySource":"Microsoft.Keyvault","keyVaultProperties":{"keyVaultUri":"https://kv-analytics.vault.azure.net/","keyName":"services","keyVersion":"1"}}}},"provisioningState":"Succeeded","workspaceUrl":"adb-1234567890123456.7.azuredatabricks.net"}},"region":"westeurope"}]}"#],
    },
};

/// Whether a key source names Key Vault (`Microsoft.Keyvault`, in any case).
fn customer_managed(key_source: Option<&Props>) -> bool {
    key_source.and_then(Props::as_str).is_some_and(|s| s.eq_ignore_ascii_case("Microsoft.Keyvault"))
}

fn judge(r: &Resource) -> Judgement {
    let entities = prop(r, "encryption").and_then(|e| e.get("entities"));
    let entity = |name: &str| entities.and_then(|e| e.get(name)).and_then(|e| e.get("keySource"));
    // The DBFS root's key is a workspace parameter, spelled `KeySource` by ARM and `keySource` by some clients.
    let dbfs = databricks_parameter(r, "encryption").and_then(|e| e.get("KeySource").or_else(|| e.get("keySource")));
    let parts = [
        ("managed services", customer_managed(entity("managedServices"))),
        ("managed disks", customer_managed(entity("managedDisk"))),
        ("DBFS root", customer_managed(dbfs)),
    ];
    let microsoft: Vec<&str> = parts.iter().filter(|(_, cmk)| !cmk).map(|(what, _)| *what).collect();
    Ok(Some((
        microsoft.is_empty(),
        if microsoft.is_empty() {
            "managed services, managed disks and the DBFS root use customer-managed keys".to_string()
        } else {
            let listed = match microsoft.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => microsoft.join(""),
            };
            format!("Microsoft-managed keys encrypt the workspace's {listed}")
        },
        json!({ "microsoftManagedKeys": microsoft }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Databricks/workspaces", judge);
}
