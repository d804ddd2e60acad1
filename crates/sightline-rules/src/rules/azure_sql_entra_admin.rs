//! Azure SQL servers have a Microsoft Entra administrator.

use super::azure::{az, prop_str};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-sql-entra-admin",
        title: "Azure SQL servers have a Microsoft Entra administrator",
        severity: Severity::Medium,
        resource_type: "Microsoft.Sql/servers",
        domain: Domain::Identity,
        rationale: "With a Microsoft Entra administrator, database access can use Entra identities with MFA, Conditional Access and central deprovisioning instead of SQL logins whose passwords live in connection strings.",
        remediation: Remediation {
            console: "SQL servers > SERVER > Settings > Microsoft Entra ID > Set admin: a group of database administrators > Save (then consider Support only Microsoft Entra authentication).",
            cli: "az sql server ad-admin create --resource-group RG --server-name SERVER --display-name sql-admins --object-id GROUP_OBJECT_ID",
            terraform: "resource \"azurerm_mssql_server\" \"this\" {\n  # ...\n  azuread_administrator {\n    login_username = \"sql-admins\"\n    object_id      = azuread_group.sql_admins.object_id\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/azure-sql/database/authentication-aad-configure", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("IA-2"), nist("AC-2")],
        needs: &[az("Microsoft.Sql", "servers")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Disabled","administrators":{"administratorType":"ActiveDirectory","principalType":"Group","login":"sql-admins","sid":"55555555-5555-5555-5555-555555555555","tenantId":"00000000-0000-0000-0000-0000000000aa","azureADOnlyAuthentication":true}}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","resource_type":"Microsoft.Sql/servers","name":"sql-prod","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod","name":"sql-prod","type":"Microsoft.Sql/servers","location":"westeurope","kind":"v12.0","properties":{"fullyQualifiedDomainName":"sql-prod.database.windows.net","version":"12.0","state":"Ready","minimalTlsVersion":"1.2","publicNetworkAccess":"Disabled"}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let kind = prop_str(r, "administrators/administratorType");
    let ok =
        kind.is_some_and(|k| k.eq_ignore_ascii_case("ActiveDirectory")) && prop_str(r, "administrators/sid").is_some();
    Ok(Some((
        ok,
        if ok { "a Microsoft Entra administrator is set" } else { "no Microsoft Entra administrator is set" }
            .to_string(),
        json!({ "administratorType": kind }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Sql/servers", judge);
}
