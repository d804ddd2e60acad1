//! Azure SQL databases are encrypted at rest with TDE.

use super::azure::{az, judge_with_child, name, prop_str};
use super::util::Judgement;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-sql-tde",
        title: "Azure SQL databases have transparent data encryption on",
        severity: Severity::Medium,
        resource_type: "Microsoft.Sql/servers/databases",
        domain: Domain::Encryption,
        rationale: "Transparent data encryption encrypts database files, backups and logs at rest, so copies of storage media or backups cannot be read without the key. It is on by default for new databases and should never be turned off.",
        remediation: Remediation {
            console: "SQL databases > DATABASE > Security > Transparent data encryption: Data encryption On > Save.",
            cli: "az sql db tde set --resource-group RG --server SERVER --database DATABASE --status Enabled",
            terraform: "# TDE is on by default for azurerm_mssql_database and cannot be disabled from Terraform; to use your own key:\nresource \"azurerm_mssql_server_transparent_data_encryption\" \"this\" {\n  server_id        = azurerm_mssql_server.this.id\n  key_vault_key_id = azurerm_key_vault_key.tde.id\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/azure-sql/database/transparent-data-encryption-tde-overview", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Database Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("SC-28"), pci("3.5.1")],
        needs: &[az("Microsoft.Sql", "servers/databases"), az("Microsoft.Sql", "servers/databases/transparentDataEncryption")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb","resource_type":"Microsoft.Sql/servers/databases","name":"appdb","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb","name":"appdb","type":"Microsoft.Sql/servers/databases","location":"westeurope","sku":{"name":"GP_Gen5","tier":"GeneralPurpose","capacity":2},"properties":{"status":"Online","collation":"SQL_Latin1_General_CP1_CI_AS"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb/transparentDataEncryption/Current","resource_type":"Microsoft.Sql/servers/databases/transparentDataEncryption","name":"Current","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb/transparentDataEncryption/Current","name":"Current","type":"Microsoft.Sql/servers/databases/transparentDataEncryption","properties":{"state":"Enabled"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/master","resource_type":"Microsoft.Sql/servers/databases","name":"master","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/master","name":"master","type":"Microsoft.Sql/servers/databases","location":"westeurope","sku":{"name":"GP_Gen5","tier":"GeneralPurpose","capacity":2},"properties":{"status":"Online","collation":"SQL_Latin1_General_CP1_CI_AS"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb","resource_type":"Microsoft.Sql/servers/databases","name":"appdb","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb","name":"appdb","type":"Microsoft.Sql/servers/databases","location":"westeurope","sku":{"name":"GP_Gen5","tier":"GeneralPurpose","capacity":2},"properties":{"status":"Online","collation":"SQL_Latin1_General_CP1_CI_AS"}},"region":"westeurope"},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb/transparentDataEncryption/Current","resource_type":"Microsoft.Sql/servers/databases/transparentDataEncryption","name":"Current","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Sql/servers/sql-prod/databases/appdb/transparentDataEncryption/Current","name":"Current","type":"Microsoft.Sql/servers/databases/transparentDataEncryption","properties":{"state":"Disabled"}}}]}"#],
    },
};

fn user_database(r: &Resource) -> bool {
    !name(r).eq_ignore_ascii_case("master")
}

fn judge(_database: &Resource, tde: &Resource) -> Judgement {
    let state = prop_str(tde, "state").unwrap_or("Disabled");
    Ok(Some((
        state.eq_ignore_ascii_case("Enabled"),
        format!("transparent data encryption is {state}"),
        json!({ "state": state }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_with_child(
        scan,
        out,
        "Microsoft.Sql/servers/databases",
        "Microsoft.Sql/servers/databases/transparentDataEncryption",
        user_database,
        judge,
    );
}
