//! Storage accounts have a key expiration policy.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-key-rotation-reminder",
        title: "Storage accounts set a key expiration (rotation reminder) period",
        severity: Severity::Low,
        resource_type: "Microsoft.Storage/storageAccounts",
        domain: Domain::Identity,
        rationale: "A key expiration policy makes Azure flag account keys older than the period, so keys that were never rotated show up instead of staying valid forever.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Security + networking > Access keys > Set rotation reminder > Enable key rotation reminders, every 90 days > Save.",
            cli: "az storage account update --name ACCOUNT --resource-group RG --key-exp-days 90",
            terraform: "# azurerm_storage_account has no argument for the key policy: set it with azapi.\nresource \"azapi_update_resource\" \"key_policy\" {\n  type        = \"Microsoft.Storage/storageAccounts@2023-05-01\"\n  resource_id = azurerm_storage_account.this.id\n  body = {\n    properties = { keyPolicy = { keyExpirationPeriodInDays = 90 } }\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage"],
        controls: &[cis_azure("9.3.1.1"), nist("IA-5(1)")],
        needs: &[az("Microsoft.Storage", "storageAccounts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":365},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let days = prop(r, "keyPolicy/keyExpirationPeriodInDays").and_then(Props::as_i64);
    let ok = days.is_some_and(|d| d > 0 && d <= 90);
    Ok(Some((
        ok,
        match days {
            Some(d) => format!("keys expire after {d} days"),
            None => "no key expiration period is set".to_string(),
        },
        json!({ "keyExpirationPeriodInDays": days }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Storage/storageAccounts", judge);
}
