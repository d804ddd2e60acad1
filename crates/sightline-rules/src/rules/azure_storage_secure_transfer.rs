//! Storage accounts refuse requests over plain HTTP.

use super::azure::{az, prop_bool};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-secure-transfer",
        title: "Storage accounts require secure transfer (HTTPS only)",
        severity: Severity::High,
        resource_type: "Microsoft.Storage/storageAccounts",
        domain: Domain::Encryption,
        rationale: "With secure transfer required, the storage account rejects every REST request made over HTTP and every SMB connection without encryption, so account keys, SAS tokens and data never cross the network in clear text.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Settings > Configuration > Secure transfer required: Enabled > Save.",
            cli: "az storage account update --name ACCOUNT --resource-group RG --https-only true",
            terraform: "resource \"azurerm_storage_account\" \"this\" {\n  # ...\n  https_traffic_only_enabled = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/storage/common/storage-require-secure-transfer"],
        controls: &[cis_azure("9.3.4"), nist("SC-8"), pci("4.2.1")],
        needs: &[az("Microsoft.Storage", "storageAccounts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":false,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    match prop_bool(r, "supportsHttpsTrafficOnly") {
        None => Err("the storage account record has no properties.supportsHttpsTrafficOnly".into()),
        Some(on) => {
            Ok(Some((on, format!("supportsHttpsTrafficOnly is {on}"), json!({ "supportsHttpsTrafficOnly": on }))))
        }
    }
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Storage/storageAccounts", judge);
}
