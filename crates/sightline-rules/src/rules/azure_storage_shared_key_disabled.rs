//! Storage accounts only accept Microsoft Entra authorization, not the account keys.

use super::azure::{az, prop_bool};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-shared-key-disabled",
        title: "Storage accounts disallow Shared Key authorization",
        severity: Severity::Medium,
        resource_type: "Microsoft.Storage/storageAccounts",
        domain: Domain::Identity,
        rationale: "Account keys grant full access to all data in the account, cannot be scoped or tied to a person, and leak easily into scripts and connection strings. Without Shared Key authorization every request must carry a Microsoft Entra token governed by RBAC and conditional access.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Settings > Configuration > Allow storage account key access: Disabled > Save (move clients to Microsoft Entra ID first).",
            cli: "az storage account update --name ACCOUNT --resource-group RG --allow-shared-key-access false",
            terraform: "resource \"azurerm_storage_account\" \"this\" {\n  # ...\n  shared_access_key_enabled = false\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/storage/common/shared-key-authorization-prevent"],
        controls: &[cis_azure("9.3.1.3"), nist("IA-2"), nist("AC-2")],
        needs: &[az("Microsoft.Storage", "storageAccounts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":true,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    // Absent means allowed: the default until an administrator turns it off.
    let allowed = prop_bool(r, "allowSharedKeyAccess").unwrap_or(true);
    Ok(Some((!allowed, format!("allowSharedKeyAccess is {allowed}"), json!({ "allowSharedKeyAccess": allowed }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Storage/storageAccounts", judge);
}
