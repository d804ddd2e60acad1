//! PostgreSQL flexible servers log disconnections.

use super::azure::{az, server_parameter_on};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-postgres-log-disconnections",
        title: "PostgreSQL flexible servers log disconnections",
        severity: Severity::Low,
        resource_type: "Microsoft.DBforPostgreSQL/flexibleServers",
        domain: Domain::Logging,
        rationale: "Logging disconnections records the end and length of every session, which together with connection logs shows what each session covered.",
        remediation: Remediation {
            console: "Azure Database for PostgreSQL flexible servers > SERVER > Settings > Server parameters > log_disconnections: ON > Save.",
            cli: "az postgres flexible-server parameter set --resource-group RG --server-name SERVER --name log_disconnections --value on",
            terraform: "resource \"azurerm_postgresql_flexible_server_configuration\" \"log_disconnections\" {\n  server_id = azurerm_postgresql_flexible_server.this.id\n  name      = \"log_disconnections\"\n  value     = \"on\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-server-parameters", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("AU-2"), nist("AU-12")],
        needs: &[az("Microsoft.DBforPostgreSQL", "flexibleServers"), az("Microsoft.DBforPostgreSQL", "flexibleServers/configurations")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers","name":"psql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","name":"psql-prod","type":"Microsoft.DBforPostgreSQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"16","state":"Ready","fullyQualifiedDomainName":"psql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_disconnections","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","name":"log_disconnections","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_disconnections","name":"log_disconnections","type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","properties":{"value":"on","source":"user-override","dataType":"Enumeration"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers","name":"psql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod","name":"psql-prod","type":"Microsoft.DBforPostgreSQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"16","state":"Ready","fullyQualifiedDomainName":"psql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_disconnections","resource_type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","name":"log_disconnections","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-prod/configurations/log_disconnections","name":"log_disconnections","type":"Microsoft.DBforPostgreSQL/flexibleServers/configurations","properties":{"value":"off","source":"user-override","dataType":"Enumeration"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    server_parameter_on(scan, out, "Microsoft.DBforPostgreSQL/flexibleServers", "log_disconnections");
}
