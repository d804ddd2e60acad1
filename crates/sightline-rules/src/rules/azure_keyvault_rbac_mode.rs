//! Key vaults authorize data access with Azure RBAC.

use super::azure::{az, prop_bool};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-rbac-mode",
        title: "Key vaults use the Azure RBAC permission model",
        severity: Severity::Medium,
        resource_type: "Microsoft.KeyVault/vaults",
        domain: Domain::AccessManagement,
        rationale: "With the RBAC permission model, access to keys, secrets and certificates is granted by role assignments that can be scoped to one item, made eligible through PIM and reviewed with the rest of Azure access; legacy access policies are vault-wide and can be changed by anyone with write access to the vault.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Settings > Access configuration > Permission model: Azure role-based access control > Apply (grant the Key Vault roles first).",
            cli: "az keyvault update --name VAULT --resource-group RG --enable-rbac-authorization true",
            terraform: "resource \"azurerm_key_vault\" \"this\" {\n  # ...\n  enable_rbac_authorization = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide"],
        controls: &[cis_azure("8.3.6"), nist("AC-3"), nist("AC-6")],
        needs: &[az("Microsoft.KeyVault", "vaults")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":true,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":false,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[{"tenantId":"00000000-0000-0000-0000-0000000000aa","objectId":"11111111-1111-1111-1111-111111111111","permissions":{"secrets":["get","list","set"]}}]}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let rbac = prop_bool(r, "enableRbacAuthorization").unwrap_or(false);
    Ok(Some((rbac, format!("enableRbacAuthorization is {rbac}"), json!({ "enableRbacAuthorization": rbac }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults", judge);
}
