//! Defender for Key Vault is on in every subscription.

use super::azure::{az, defender_plan};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-defender-plan-key-vault",
        title: "Microsoft Defender for Key Vault is enabled",
        severity: Severity::Medium,
        resource_type: "Microsoft.Security/pricings",
        domain: Domain::Logging,
        rationale: "Defender for Key Vault detects unusual access to keys and secrets, such as access from Tor exit nodes or a sudden spike of secret reads. The plan is set per subscription: its pricing tier must be Standard.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Defender plans > Key Vault: On > Save.",
            cli: "az security pricing create --name KeyVaults --tier Standard",
            terraform: "resource \"azurerm_security_center_subscription_pricing\" \"key_vault\" {\n  tier          = \"Standard\"\n  resource_type = \"KeyVaults\"\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/defender-for-cloud-introduction", "https://learn.microsoft.com/en-us/rest/api/defenderforcloud/pricings/list"],
        controls: &[cis_azure("8.1.8.1"), nist("SI-4"), nist("RA-5")],
        needs: &[az("Microsoft.Security", "pricings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/KeyVaults","resource_type":"Microsoft.Security/pricings","name":"KeyVaults","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/KeyVaults","name":"KeyVaults","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z"}}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/StorageAccounts","resource_type":"Microsoft.Security/pricings","name":"StorageAccounts","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/StorageAccounts","name":"StorageAccounts","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/KeyVaults","resource_type":"Microsoft.Security/pricings","name":"KeyVaults","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/KeyVaults","name":"KeyVaults","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    defender_plan(scan, out, "KeyVaults");
}
