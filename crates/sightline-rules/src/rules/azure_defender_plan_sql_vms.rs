//! Defender for SQL servers on machines is on in every subscription.

use super::azure::{az, defender_plan};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-defender-plan-sql-vms",
        title: "Microsoft Defender for SQL servers on machines is enabled",
        severity: Severity::Medium,
        resource_type: "Microsoft.Security/pricings",
        domain: Domain::Logging,
        rationale: "Defender for SQL servers on machines extends vulnerability assessment and threat detection to SQL Server running on virtual machines and Arc-connected servers. The plan is set per subscription: its pricing tier must be Standard.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Defender plans > SQL servers on machines: On > Save.",
            cli: "az security pricing create --name SqlServerVirtualMachines --tier Standard",
            terraform: "resource \"azurerm_security_center_subscription_pricing\" \"sql_vms\" {\n  tier          = \"Standard\"\n  resource_type = \"SqlServerVirtualMachines\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/defender-for-cloud-introduction", "https://learn.microsoft.com/en-us/rest/api/defenderforcloud/pricings/list"],
        controls: &[cis_azure("8.1.7.4"), nist("SI-4"), nist("RA-5")],
        needs: &[az("Microsoft.Security", "pricings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/SqlServerVirtualMachines","resource_type":"Microsoft.Security/pricings","name":"SqlServerVirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/SqlServerVirtualMachines","name":"SqlServerVirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/StorageAccounts","resource_type":"Microsoft.Security/pricings","name":"StorageAccounts","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/StorageAccounts","name":"StorageAccounts","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/SqlServerVirtualMachines","resource_type":"Microsoft.Security/pricings","name":"SqlServerVirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/SqlServerVirtualMachines","name":"SqlServerVirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    defender_plan(scan, out, "SqlServerVirtualMachines");
}
