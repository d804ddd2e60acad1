//! PostgreSQL flexible servers log checkpoints.

use super::azure::{az, server_parameter_on};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-postgres-log-checkpoints",
        title: "PostgreSQL flexible servers log checkpoints",
        severity: Severity::Low,
        resource_type: "Microsoft.DBforPostgreSQL/flexibleServers",
        domain: Domain::Logging,
        rationale: "Checkpoint logs show write activity and recovery behaviour of the server, which helps explain performance degradation and data loss after incidents.",
        remediation: Remediation {
            console: "Azure Database for PostgreSQL flexible servers > SERVER > Settings > Server parameters > log_checkpoints: ON > Save.",
            cli: "az postgres flexible-server parameter set --resource-group RG --server-name SERVER --name log_checkpoints --value on",
            terraform: "resource \"azurerm_postgresql_flexible_server_configuration\" \"log_checkpoints\" {\n  server_id = azurerm_postgresql_flexible_server.this.id\n  name      = \"log_checkpoints\"\n  value     = \"on\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-server-parameters", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("AU-2")],
        needs: &[az("Microsoft.DBforPostgreSQL", "flexibleServers"), az("Microsoft.DBforPostgreSQL", "flexibleServers/configurations")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers","name":"psql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","name":"psql-prod","type":"Microsoft.DBforPostgreSQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"16","state":"Ready","fullyQualifiedDomainName":"psql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_checkpoints","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","name":"log_checkpoints","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_checkpoints","name":"log_checkpoints","type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","properties":{"value":"on","source":"user-override","dataType":"Enumeration"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers","name":"psql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","name":"psql-prod","type":"Microsoft.DBforPostgreSQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"16","state":"Ready","fullyQualifiedDomainName":"psql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_checkpoints","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","name":"log_checkpoints","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_checkpoints","name":"log_checkpoints","type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","properties":{"value":"off","source":"user-override","dataType":"Enumeration"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    server_parameter_on(scan, out, "Microsoft.DBforPostgreSQL/flexibleServers", "log_checkpoints");
}
