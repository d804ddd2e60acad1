//! Azure SQL servers audit database events.

use super::azure::{always, az, judge_with_child, prop_str};
use super::util::Judgement;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-sql-auditing",
        title: "Azure SQL servers have auditing enabled",
        severity: Severity::Medium,
        resource_type: "Microsoft.Sql/servers",
        domain: Domain::Logging,
        rationale: "Server-level auditing records logins, queries and permission changes on every database of the server to Log Analytics, a storage account or an event hub: the trail needed to detect and investigate misuse of data.",
        remediation: Remediation {
            console: "SQL servers > SERVER > Security > Auditing > Enable Azure SQL Auditing: On, destination Log Analytics > Save.",
            cli: "az sql server audit-policy update --resource-group RG --name SERVER --state Enabled --lats Enabled --lawri WORKSPACE_ID",
            terraform: "resource \"azurerm_mssql_server_extended_auditing_policy\" \"this\" {\n  server_id              = azurerm_mssql_server.this.id\n  log_monitoring_enabled = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("AU-2"), nist("AU-12"), pci("10.2.1")],
        needs: &[az("Microsoft.Sql", "servers"), az("Microsoft.Sql", "servers/auditingSettings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Disabled","administrators":{"administratorType":"ActiveDirectory","principalType":"Group","login":"sql-admins","sid":"55555555-5555-5555-5555-555555555555","tenantId":"00000000-0000-0000-0000-0000000000aa","azureADOnlyAuthentication":true}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/auditingSettings/default","resource_type":"Microsoft.Sql/servers/auditingSettings","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/auditingSettings/default","name":"default","type":"Microsoft.Sql/servers/auditingSettings","properties":{"state":"Enabled","retentionDays":90,"isAzureMonitorTargetEnabled":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Disabled","administrators":{"administratorType":"ActiveDirectory","principalType":"Group","login":"sql-admins","sid":"55555555-5555-5555-5555-555555555555","tenantId":"00000000-0000-0000-0000-0000000000aa","azureADOnlyAuthentication":true}}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/auditingSettings/default","resource_type":"Microsoft.Sql/servers/auditingSettings","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/auditingSettings/default","name":"default","type":"Microsoft.Sql/servers/auditingSettings","properties":{"state":"Disabled","retentionDays":0,"isAzureMonitorTargetEnabled":true}}}]}"#],
    },
};

fn judge(_server: &Resource, auditing: &Resource) -> Judgement {
    let state = prop_str(auditing, "state").unwrap_or("Disabled");
    let ok = state.eq_ignore_ascii_case("Enabled");
    Ok(Some((ok, format!("server auditing is {state}"), json!({ "state": state }))))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_with_child(scan, out, "Microsoft.Sql/servers", "Microsoft.Sql/servers/auditingSettings", always, judge);
}
