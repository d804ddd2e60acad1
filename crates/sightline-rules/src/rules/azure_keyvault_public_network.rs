//! Key vaults are not reachable from public networks.

use super::azure::{az, public_network_disabled};
use super::util::judge_each;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-public-network",
        title: "Key vaults disable public network access",
        severity: Severity::Medium,
        resource_type: "Microsoft.KeyVault/vaults",
        domain: Domain::NetworkControls,
        rationale: "A vault closed to public networks is reachable only through private endpoints (and trusted services), so stolen tokens cannot be used against it from the internet.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Settings > Networking > Firewalls and virtual networks: Disable public access > Apply (add private endpoints first).",
            cli: "az keyvault update --name VAULT --resource-group RG --public-network-access Disabled",
            terraform: "resource \"azurerm_key_vault\" \"this\" {\n  # ...\n  public_network_access_enabled = false\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/general/network-security"],
        controls: &[cis_azure("8.3.7"), nist("SC-7")],
        needs: &[az("Microsoft.KeyVault", "vaults")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":true,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":true,"publicNetworkAccess":"Enabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults", public_network_disabled);
}
