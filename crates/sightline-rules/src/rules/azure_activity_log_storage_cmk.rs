//! The storage account that keeps the activity log is encrypted with a customer-managed key.

use super::azure::{az, children, each_subscription, prop_str, settings_of};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-activity-log-storage-cmk",
        title: "The activity log storage account uses a customer-managed key",
        severity: Severity::Low,
        resource_type: "Microsoft.Insights/diagnosticSettings",
        domain: Domain::Encryption,
        rationale: "Encrypting the archive of the activity log with a key the organisation holds in Key Vault lets it control, audit and revoke access to the audit trail independently of the storage account. CIS v6.0.0 lists this control as Manual; the diagnostic setting and the storage account's encryption are both in the snapshot, so Sightline decides it.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT (the activity log destination) > Security + networking > Encryption > Encryption type: Customer-managed keys, select the Key Vault key > Save.",
            cli: "az storage account update --name ACCOUNT --resource-group RG --encryption-key-source Microsoft.Keyvault --encryption-key-vault https://VAULT.vault.azure.net --encryption-key-name KEY --identity-type SystemAssigned",
            terraform: "resource \"azurerm_storage_account_customer_managed_key\" \"activity_log\" {\n  storage_account_id = azurerm_storage_account.activity_log.id\n  key_vault_id       = azurerm_key_vault.this.id\n  key_name           = azurerm_key_vault_key.activity_log.name\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/storage/common/customer-managed-keys-overview", "https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/activity-log?tabs=powershell#send-to-azure-storage"],
        controls: &[cis_azure("6.1.1.3"), nist("SC-12"), nist("AU-9")],
        needs: &[az("Microsoft.Insights", "diagnosticSettings"), az("Microsoft.Storage", "storageAccounts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","resource_type":"Microsoft.Insights/diagnosticSettings","name":"activity-to-law","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","name":"activity-to-law","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":true},{"category":"Security","enabled":true},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":true},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":true},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}],"storageAccountId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Keyvault","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}},"keyvaultproperties":{"keyvaulturi":"https://kv-prod-secrets.vault.azure.net/","keyname":"cmk-storage"}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","resource_type":"Microsoft.Insights/diagnosticSettings","name":"activity-to-law","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Insights/diagnosticSettings/activity-to-law","name":"activity-to-law","type":"Microsoft.Insights/diagnosticSettings","properties":{"logs":[{"category":"Administrative","enabled":true},{"category":"Security","enabled":true},{"category":"ServiceHealth","enabled":false},{"category":"Alert","enabled":true},{"category":"Recommendation","enabled":false},{"category":"Policy","enabled":true},{"category":"Autoscale","enabled":false},{"category":"ResourceHealth","enabled":false}],"storageAccountId":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let settings = children(scan, "Microsoft.Insights/diagnosticSettings");
    let accounts: Vec<&Resource> = scan.resources("Microsoft.Storage/storageAccounts").collect();
    each_subscription(scan, out, needs, |subscription, out| {
        let targets: Vec<&str> = settings_of(&settings, &format!("/subscriptions/{subscription}"))
            .iter()
            .filter_map(|s| prop_str(s, "storageAccountId"))
            .collect();
        if targets.is_empty() {
            return; // the activity log goes to no storage account: nothing to encrypt
        }
        for target in targets {
            let Some(account) = accounts.iter().find(|a| a.id.eq_ignore_ascii_case(target)) else {
                out.not_evaluated(
                    Subject::subscription(subscription),
                    format!("the activity log goes to {target}, which is not in the snapshot (another subscription?)"),
                );
                continue;
            };
            let source = prop_str(account, "encryption/keySource").unwrap_or("Microsoft.Storage");
            let cmk = source.eq_ignore_ascii_case("Microsoft.Keyvault");
            out.verdict(
                *account,
                cmk,
                if cmk {
                    "the activity log's storage account is encrypted with a customer-managed key".to_string()
                } else {
                    "the activity log's storage account is encrypted with a Microsoft-managed key".to_string()
                },
                json!({ "keySource": source }),
            );
        }
    });
}
