//! Key vaults are reached through private endpoints.

use super::azure::{az, private_endpoints};
use super::util::judge_each;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-keyvault-private-endpoints",
        title: "Key vaults use private endpoints",
        severity: Severity::Low,
        resource_type: "Microsoft.KeyVault/vaults",
        domain: Domain::NetworkControls,
        rationale: "A private endpoint gives the vault an address inside a virtual network, so applications fetch keys and secrets without crossing the internet and public access can be turned off.",
        remediation: Remediation {
            console: "Key vaults > VAULT > Settings > Networking > Private endpoint connections > + Create.",
            cli: "az network private-endpoint create --name pe-VAULT --resource-group RG --vnet-name VNET --subnet SUBNET --private-connection-resource-id VAULT_ID --group-id vault --connection-name VAULT",
            terraform: "resource \"azurerm_private_endpoint\" \"vault\" {\n  name                = \"pe-vault\"\n  location            = azurerm_key_vault.this.location\n  resource_group_name = azurerm_key_vault.this.resource_group_name\n  subnet_id           = azurerm_subnet.endpoints.id\n  private_service_connection {\n    name                           = \"vault\"\n    private_connection_resource_id = azurerm_key_vault.this.id\n    subresource_names              = [\"vault\"]\n    is_manual_connection           = false\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/key-vault/general/private-link-service"],
        controls: &[cis_azure("8.3.8"), nist("SC-7")],
        needs: &[az("Microsoft.KeyVault", "vaults")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":true,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}],"accessPolicies":[]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","resource_type":"Microsoft.KeyVault/vaults","name":"kv-prod-secrets","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-prod-secrets","name":"kv-prod-secrets","type":"Microsoft.KeyVault/vaults","location":"westeurope","properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A","name":"standard"},"vaultUri":"https://kv-prod-secrets.vault.azure.net/","enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true,"enableRbacAuthorization":true,"publicNetworkAccess":"Disabled","networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"accessPolicies":[]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.KeyVault/vaults", private_endpoints);
}
