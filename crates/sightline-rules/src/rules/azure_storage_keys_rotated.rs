//! The access keys of storage accounts were regenerated in the last 90 days.

use super::azure::{az, prop_bool, prop_str};
use super::util::{age_days, each_resource};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-keys-rotated",
        title: "Storage account access keys are regenerated within 90 days",
        severity: Severity::Medium,
        resource_type: "Microsoft.Storage/storageAccounts",
        domain: Domain::Identity,
        rationale: "Account keys never expire by themselves. Regenerating them regularly bounds how long a leaked key stays useful.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Security + networking > Access keys > Rotate key (key1, then key2 after clients moved).",
            cli: "az storage account keys renew --account-name ACCOUNT --resource-group RG --key primary",
            terraform: "# Keys are rotated by operations, not configuration: use a Key Vault managed storage account or an Azure Automation runbook\n# that runs `az storage account keys renew` every 90 days.",
        },
        references: &["https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage"],
        controls: &[cis_azure("9.3.1.2"), nist("IA-5(1)")],
        needs: &[az("Microsoft.Storage", "storageAccounts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":true,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2020-01-01T00:00:00Z","key2":"2020-01-01T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":true,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2025-01-01T00:00:00Z","key2":"2026-11-01T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_resource(scan, out, "Microsoft.Storage/storageAccounts", needs, |r, out| {
        if prop_bool(r, "allowSharedKeyAccess") == Some(false) {
            // Keys that cannot be used need no rotation.
            return out.pass(r, "Shared Key authorization is disabled: the keys cannot be used");
        }
        let mut old = Vec::new();
        for key in ["key1", "key2"] {
            match prop_str(r, &format!("keyCreationTime/{key}")).and_then(|t| age_days(scan, t)) {
                None => return out.not_evaluated(r, format!("the record has no creation time for {key}")),
                Some(days) if days > 90 => old.push(json!({ "key": key, "days": days })),
                Some(_) => {}
            }
        }
        out.verdict(
            r,
            old.is_empty(),
            if old.is_empty() {
                "both keys are at most 90 days old".to_string()
            } else {
                format!("{} key(s) older than 90 days", old.len())
            },
            json!({ "old_keys": old }),
        );
    });
}
