//! MySQL flexible servers write an audit log.

use super::azure::{az, server_parameter_on};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-mysql-audit-log",
        title: "MySQL flexible servers have the audit log enabled",
        severity: Severity::Low,
        resource_type: "Microsoft.DBforMySQL/flexibleServers",
        domain: Domain::Logging,
        rationale: "The audit log records connections, queries and administrative statements on the server; without it there is no trace of who read or changed data. Send it on with a diagnostic setting (MySqlAuditLogs).",
        remediation: Remediation {
            console: "Azure Database for MySQL flexible servers > SERVER > Settings > Server parameters > audit_log_enabled: ON, audit_log_events: CONNECTION,ADMIN,DDL (at least) > Save.",
            cli: "az mysql flexible-server parameter set --resource-group RG --server-name SERVER --name audit_log_enabled --value ON",
            terraform: "resource \"azurerm_mysql_flexible_server_configuration\" \"audit\" {\n  server_id = azurerm_mysql_flexible_server.this.id\n  name      = \"audit_log_enabled\"\n  value     = \"ON\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/mysql/flexible-server/concepts-audit-logs", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("AU-2"), nist("AU-12")],
        needs: &[az("Microsoft.DBforMySQL", "flexibleServers"), az("Microsoft.DBforMySQL", "flexibleServers/configurations")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","resource_type":"Microsoft.DBforMySQL/flexibleServers","name":"mysql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","name":"mysql-prod","type":"Microsoft.DBforMySQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"8.0.21","state":"Ready","fullyQualifiedDomainName":"mysql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/audit_log_enabled","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"audit_log_enabled","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/audit_log_enabled","name":"audit_log_enabled","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"ON","source":"user-override","dataType":"Enumeration"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","resource_type":"Microsoft.DBforMySQL/flexibleServers","name":"mysql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod","name":"mysql-prod","type":"Microsoft.DBforMySQL/flexibleServers","location":"westeurope","sku":{"name":"Standard_D2ds_v5","tier":"GeneralPurpose"},"properties":{"version":"8.0.21","state":"Ready","fullyQualifiedDomainName":"mysql-prod.postgres.database.azure.com"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/audit_log_enabled","resource_type":"Microsoft.DBforMySQL/flexibleServers/configurations","name":"audit_log_enabled","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.DBforMySQL/flexibleServers/mysql-prod/configurations/audit_log_enabled","name":"audit_log_enabled","type":"Microsoft.DBforMySQL/flexibleServers/configurations","properties":{"value":"OFF","source":"user-override","dataType":"Enumeration"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    server_parameter_on(scan, out, "Microsoft.DBforMySQL/flexibleServers", "audit_log_enabled");
}
