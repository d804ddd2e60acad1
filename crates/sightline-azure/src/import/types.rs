//! The canonical ARM casing of the resource types Sightline knows. Resource Graph lowercases every type
//! (`microsoft.storage/storageaccounts`); ARM and the `az` CLI give them as the provider registered them.

/// Types whose Resource Graph name differs from the ARM type by more than case: (Resource Graph, ARM).
const RENAMED: [(&str, &str); 1] =
    [("microsoft.resources/subscriptions/resourcegroups", "Microsoft.Resources/resourceGroups")];

/// Every type Sightline knows, in its canonical ARM casing.
pub const KNOWN_TYPES: &[&str] = &[
    "Microsoft.Resources/subscriptions",
    "Microsoft.Resources/resourceGroups",
    "Microsoft.Resources/deployments",
    "Microsoft.Management/managementGroups",
    "Microsoft.Authorization/roleAssignments",
    "Microsoft.Authorization/roleDefinitions",
    "Microsoft.Authorization/denyAssignments",
    "Microsoft.Authorization/roleEligibilityScheduleInstances",
    "Microsoft.Authorization/roleEligibilitySchedules",
    "Microsoft.Authorization/roleAssignmentScheduleInstances",
    "Microsoft.Authorization/roleAssignmentSchedules",
    "Microsoft.Authorization/roleManagementPolicies",
    "Microsoft.Authorization/roleManagementPolicyAssignments",
    "Microsoft.Authorization/classicAdministrators",
    "Microsoft.Authorization/locks",
    "Microsoft.Authorization/policyAssignments",
    "Microsoft.Authorization/policyDefinitions",
    "Microsoft.Authorization/policySetDefinitions",
    "Microsoft.Authorization/policyExemptions",
    "Microsoft.ManagedIdentity/userAssignedIdentities",
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
    "Microsoft.Storage/storageAccounts",
    "Microsoft.Storage/storageAccounts/blobServices",
    "Microsoft.Storage/storageAccounts/blobServices/containers",
    "Microsoft.Storage/storageAccounts/fileServices",
    "Microsoft.Storage/storageAccounts/fileServices/shares",
    "Microsoft.Storage/storageAccounts/queueServices",
    "Microsoft.Storage/storageAccounts/tableServices",
    "Microsoft.Storage/storageAccounts/managementPolicies",
    "Microsoft.Storage/storageAccounts/privateEndpointConnections",
    "Microsoft.KeyVault/vaults",
    "Microsoft.KeyVault/vaults/keys",
    "Microsoft.KeyVault/vaults/secrets",
    "Microsoft.KeyVault/vaults/certificates",
    "Microsoft.KeyVault/vaults/accessPolicies",
    "Microsoft.KeyVault/vaults/privateEndpointConnections",
    "Microsoft.KeyVault/managedHSMs",
    "Microsoft.Compute/virtualMachines",
    "Microsoft.Compute/virtualMachines/extensions",
    "Microsoft.Compute/virtualMachineScaleSets",
    "Microsoft.Compute/virtualMachineScaleSets/virtualMachines",
    "Microsoft.Compute/disks",
    "Microsoft.Compute/snapshots",
    "Microsoft.Compute/images",
    "Microsoft.Compute/availabilitySets",
    "Microsoft.Compute/diskEncryptionSets",
    "Microsoft.Compute/galleries",
    "Microsoft.Compute/sshPublicKeys",
    "Microsoft.Network/networkSecurityGroups",
    "Microsoft.Network/networkSecurityGroups/securityRules",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Network/virtualNetworks/subnets",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    "Microsoft.Network/networkInterfaces",
    "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/publicIPPrefixes",
    "Microsoft.Network/loadBalancers",
    "Microsoft.Network/applicationGateways",
    "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
    "Microsoft.Network/azureFirewalls",
    "Microsoft.Network/firewallPolicies",
    "Microsoft.Network/bastionHosts",
    "Microsoft.Network/networkWatchers",
    "Microsoft.Network/networkWatchers/flowLogs",
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Network/privateDnsZones",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    "Microsoft.Network/dnsZones",
    "Microsoft.Network/routeTables",
    "Microsoft.Network/natGateways",
    "Microsoft.Network/virtualNetworkGateways",
    "Microsoft.Network/localNetworkGateways",
    "Microsoft.Network/connections",
    "Microsoft.Network/frontDoors",
    "Microsoft.Network/ddosProtectionPlans",
    "Microsoft.Network/applicationSecurityGroups",
    "Microsoft.Network/serviceEndpointPolicies",
    "Microsoft.Sql/servers",
    "Microsoft.Sql/servers/databases",
    "Microsoft.Sql/servers/firewallRules",
    "Microsoft.Sql/servers/auditingSettings",
    "Microsoft.Sql/servers/securityAlertPolicies",
    "Microsoft.Sql/servers/vulnerabilityAssessments",
    "Microsoft.Sql/servers/encryptionProtector",
    "Microsoft.Sql/servers/administrators",
    "Microsoft.Sql/servers/databases/transparentDataEncryption",
    "Microsoft.Sql/servers/databases/auditingSettings",
    "Microsoft.Sql/managedInstances",
    "Microsoft.DBforPostgreSQL/servers",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforPostgreSQL/flexibleServers/configurations",
    "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules",
    "Microsoft.DBforMySQL/servers",
    "Microsoft.DBforMySQL/flexibleServers",
    "Microsoft.DBforMySQL/flexibleServers/configurations",
    "Microsoft.DocumentDB/databaseAccounts",
    "Microsoft.Cache/Redis",
    "Microsoft.Web/sites",
    "Microsoft.Web/sites/slots",
    "Microsoft.Web/sites/config",
    "Microsoft.Web/serverFarms",
    "Microsoft.Web/staticSites",
    "Microsoft.ContainerService/managedClusters",
    "Microsoft.ContainerRegistry/registries",
    "Microsoft.ContainerInstance/containerGroups",
    "Microsoft.App/containerApps",
    "Microsoft.App/managedEnvironments",
    "Microsoft.Logic/workflows",
    "Microsoft.Automation/automationAccounts",
    "Microsoft.Automation/automationAccounts/runbooks",
    "Microsoft.Insights/diagnosticSettings",
    "Microsoft.Insights/activityLogAlerts",
    "Microsoft.Insights/metricAlerts",
    "Microsoft.Insights/actionGroups",
    "Microsoft.Insights/components",
    "Microsoft.Insights/dataCollectionRules",
    "Microsoft.OperationalInsights/workspaces",
    "Microsoft.OperationsManagement/solutions",
    "Microsoft.Security/pricings",
    "Microsoft.Security/securityContacts",
    "Microsoft.Security/autoProvisioningSettings",
    "Microsoft.Security/settings",
    "Microsoft.Security/assessments",
    "Microsoft.Security/workspaceSettings",
    "Microsoft.EventHub/namespaces",
    "Microsoft.ServiceBus/namespaces",
    "Microsoft.EventGrid/topics",
    "Microsoft.EventGrid/systemTopics",
    "Microsoft.CognitiveServices/accounts",
    "Microsoft.MachineLearningServices/workspaces",
    "Microsoft.Databricks/workspaces",
    "Microsoft.Synapse/workspaces",
    "Microsoft.DataFactory/factories",
    "Microsoft.Search/searchServices",
    "Microsoft.SignalRService/SignalR",
    "Microsoft.ApiManagement/service",
    "Microsoft.RecoveryServices/vaults",
    "Microsoft.DataProtection/backupVaults",
    "Microsoft.HybridCompute/machines",
    "Microsoft.Kusto/clusters",
    "Microsoft.AppConfiguration/configurationStores",
    "Microsoft.Graph/applications",
    "Microsoft.Graph/roleAssignments",
    "Microsoft.Graph/roleEligibilitySchedules",
    "Microsoft.Graph/roleEligibilityScheduleInstances",
    "Microsoft.Graph/appRoleAssignments",
    "Microsoft.Graph/conditionalAccessPolicies",
    "Microsoft.Graph/authorizationPolicy",
    "Microsoft.Graph/userRegistrationDetails",
    "Microsoft.Graph/identitySecurityDefaultsEnforcementPolicy",
    "Microsoft.Graph/administrativeUnits",
];

/// The canonical casing of a known type, whatever the case it is given in; `None` for a type Sightline does not
/// know.
pub fn canonical_type(given: &str) -> Option<&'static str> {
    if let Some((_, arm)) = RENAMED.iter().find(|(graph, _)| graph.eq_ignore_ascii_case(given)) {
        return Some(arm);
    }
    KNOWN_TYPES.iter().find(|t| t.eq_ignore_ascii_case(given)).copied()
}

/// The provider namespace of a type (`Microsoft.Storage`) and the rest (`storageAccounts/blobServices`).
pub(crate) fn split_type(t: &str) -> (&str, &str) {
    t.split_once('/').unwrap_or((t, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_graph_types_get_their_arm_casing() {
        assert_eq!(canonical_type("microsoft.storage/storageaccounts"), Some("Microsoft.Storage/storageAccounts"));
        assert_eq!(canonical_type("Microsoft.KeyVault/vaults"), Some("Microsoft.KeyVault/vaults"));
        assert_eq!(
            canonical_type("microsoft.resources/subscriptions/resourcegroups"),
            Some("Microsoft.Resources/resourceGroups")
        );
        assert_eq!(canonical_type("microsoft.contoso/widgets"), None);
    }

    #[test]
    fn the_table_has_no_duplicates() {
        for (i, a) in KNOWN_TYPES.iter().enumerate() {
            assert!(KNOWN_TYPES[i + 1..].iter().all(|b| !a.eq_ignore_ascii_case(b)), "{a}");
            assert!(a.contains('/'), "{a}");
        }
    }
}
