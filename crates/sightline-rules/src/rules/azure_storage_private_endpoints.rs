//! Storage accounts are reached through private endpoints.

use super::azure::{az, private_endpoints};
use super::util::judge_each;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-private-endpoints",
        title: "Storage accounts use private endpoints",
        severity: Severity::Low,
        resource_type: "Microsoft.Storage/storageAccounts",
        domain: Domain::NetworkControls,
        rationale: "A private endpoint gives the account an address inside a virtual network, so clients reach it over the Microsoft backbone and public network access can be turned off.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Security + networking > Networking > Private endpoint connections > + Private endpoint.",
            cli: "az network private-endpoint create --name pe-ACCOUNT --resource-group RG --vnet-name VNET --subnet SUBNET --private-connection-resource-id ACCOUNT_ID --group-id blob --connection-name ACCOUNT-blob",
            terraform: "resource \"azurerm_private_endpoint\" \"blob\" {\n  name                = \"pe-account-blob\"\n  location            = azurerm_storage_account.this.location\n  resource_group_name = azurerm_storage_account.this.resource_group_name\n  subnet_id           = azurerm_subnet.endpoints.id\n  private_service_connection {\n    name                           = \"blob\"\n    private_connection_resource_id = azurerm_storage_account.this.id\n    subresource_names              = [\"blob\"]\n    is_manual_connection           = false\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/storage/common/storage-private-endpoints"],
        controls: &[cis_azure("9.3.2.1"), nist("SC-7")],
        needs: &[az("Microsoft.Storage", "storageAccounts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs/privateEndpointConnections/pe1","properties":{"privateLinkServiceConnectionState":{"status":"Approved"}}}]}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","resource_type":"Microsoft.Storage/storageAccounts","name":"stprodlogs","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/stprodlogs","name":"stprodlogs","type":"Microsoft.Storage/storageAccounts","location":"westeurope","kind":"StorageV2","sku":{"name":"Standard_GRS","tier":"Standard"},"properties":{"provisioningState":"Succeeded","supportsHttpsTrafficOnly":true,"minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"allowSharedKeyAccess":false,"publicNetworkAccess":"Disabled","allowCrossTenantReplication":false,"defaultToOAuthAuthentication":true,"networkAcls":{"bypass":"AzureServices","defaultAction":"Deny","ipRules":[],"virtualNetworkRules":[]},"encryption":{"keySource":"Microsoft.Storage","requireInfrastructureEncryption":true,"services":{"blob":{"enabled":true},"file":{"enabled":true}}},"keyPolicy":{"keyExpirationPeriodInDays":90},"keyCreationTime":{"key1":"2026-10-01T00:00:00Z","key2":"2026-10-15T00:00:00Z"},"privateEndpointConnections":[]}},"region":"westeurope"}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Storage/storageAccounts", private_endpoints);
}
