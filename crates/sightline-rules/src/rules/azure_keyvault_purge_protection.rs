//! Key vaults cannot be purged before their retention period ends.

use super::azure::{az, prop_bool};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-purge-protection",
        title: "Key vaults have soft delete and purge protection",
        severity: Severity::High,
        resource_type: "Microsoft.KeyVault/vaults",
        domain: Domain::Backup,
        rationale: "Soft delete keeps a deleted vault and its keys, secrets and certificates recoverable; purge protection stops anyone, administrators included, from purging them before the retention period ends. Without it, one compromised account can destroy keys that encrypt data elsewhere and make that data unreadable.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Settings > Properties > Purge protection: Enable purge protection > Save (it cannot be turned off again).",
            cli: "az keyvault update --name VAULT --resource-group RG --enable-purge-protection true",
            terraform: "resource \"azurerm_key_vault\" \"this\" {\n  # ...\n  soft_delete_retention_days = 90\n  purge_protection_enabled   = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview"],
        controls: &[cis_azure("8.3.5"), nist("CP-9"), nist("SC-12")],
        needs: &[az("Microsoft.KeyVault", "vaults")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":true,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enableRbacAuthorization":true,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":false,"softDeleteRetentionInDays":90,"enablePurgeProtection":false,"enableRbacAuthorization":true,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    // Soft delete is on for every vault since 2020 and reported as absent on some; purge protection is opt-in.
    let soft_delete = prop_bool(r, "enableSoftDelete").unwrap_or(true);
    let purge_protection = prop_bool(r, "enablePurgeProtection").unwrap_or(false);
    let ok = soft_delete && purge_protection;
    Ok(Some((
        ok,
        format!("soft delete is {soft_delete}, purge protection is {purge_protection}"),
        json!({ "enableSoftDelete": soft_delete, "enablePurgeProtection": purge_protection }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults", judge);
}
