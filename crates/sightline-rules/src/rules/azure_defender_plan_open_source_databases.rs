//! Defender for open-source relational databases is on in every subscription.

use super::azure::{az, defender_plan};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-defender-plan-open-source-databases",
        title: "Microsoft Defender for open-source relational databases is enabled",
        severity: Severity::Medium,
        resource_type: "Microsoft.Security/pricings",
        domain: Domain::Logging,
        rationale: "Defender for open-source relational databases detects brute force, anomalous access and suspicious activity on Azure Database for PostgreSQL, MySQL and MariaDB. The plan is set per subscription: its pricing tier must be Standard.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Defender plans > open-source relational databases: On > Save.",
            cli: "az security pricing create --name OpenSourceRelationalDatabases --tier Standard",
            terraform: "resource \"azurerm_security_center_subscription_pricing\" \"open_source_databases\" {\n  tier          = \"Standard\"\n  resource_type = \"OpenSourceRelationalDatabases\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/defender-for-cloud-introduction", "https://learn.microsoft.com/en-us/rest/api/defenderforcloud/pricings/list"],
        controls: &[cis_azure("8.1.7.2"), nist("SI-4"), nist("RA-5")],
        needs: &[az("Microsoft.Security", "pricings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/OpenSourceRelationalDatabases","resource_type":"Microsoft.Security/pricings","name":"OpenSourceRelationalDatabases","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/OpenSourceRelationalDatabases","name":"OpenSourceRelationalDatabases","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/StorageAccounts","resource_type":"Microsoft.Security/pricings","name":"StorageAccounts","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/StorageAccounts","name":"StorageAccounts","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/OpenSourceRelationalDatabases","resource_type":"Microsoft.Security/pricings","name":"OpenSourceRelationalDatabases","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/OpenSourceRelationalDatabases","name":"OpenSourceRelationalDatabases","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    defender_plan(scan, out, "OpenSourceRelationalDatabases");
}
