//! Storage accounts are encrypted with a customer-managed key.

use super::azure::{az, prop_str};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-cmk",
        title: "Storage accounts use customer-managed keys",
        severity: Severity::Info,
        resource_type: "Microsoft.Storage/storageAccounts",
        domain: Domain::Encryption,
        rationale: "Azure encrypts all storage with Microsoft-managed keys. A customer-managed key in Key Vault adds control: the organisation can rotate, audit and revoke the key, and revoking it makes the data unreadable. Whether an account holds data that needs this is a call for the customer, so the finding is informational.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Security + networking > Encryption > Encryption type: Customer-managed keys, select a Key Vault key and identity > Save.",
            cli: "az storage account update --name ACCOUNT --resource-group RG --encryption-key-source Microsoft.Keyvault --encryption-key-vault https://VAULT.vault.azure.net --encryption-key-name KEY --identity-type SystemAssigned",
            terraform: "resource \"azurerm_storage_account_customer_managed_key\" \"this\" {\n  storage_account_id = azurerm_storage_account.this.id\n  key_vault_id       = azurerm_key_vault.this.id\n  key_name           = azurerm_key_vault_key.storage.name\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/storage/common/customer-managed-keys-overview", "Not an automated control of CIS Microsoft Azure Foundations v6.0.0 (earlier versions carried it as a manual one for critical data)"],
        controls: &[nist("SC-12"), nist("SC-28")],
        needs: &[az("Microsoft.Storage", "storageAccounts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Keyvault","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}},"keyvaultproperties":{"keyvaulturi":"https://kv-prod-secrets.vault.azure.net/","keyname":"cmk-storage"}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let source = prop_str(r, "encryption/keySource").unwrap_or("Microsoft.Storage");
    let cmk = source.eq_ignore_ascii_case("Microsoft.Keyvault");
    Ok(Some((cmk, format!("the encryption key source is {source}"), json!({ "keySource": source }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Storage/storageAccounts", judge);
}
