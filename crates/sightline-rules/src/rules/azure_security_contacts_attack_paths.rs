//! Defender for Cloud emails attack path notifications.

use super::azure::{az, each_subscription, in_account, prop, prop_bool};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-security-contacts-attack-paths",
        title: "Defender for Cloud emails attack path notifications",
        severity: Severity::Low,
        resource_type: "Microsoft.Security/securityContacts",
        domain: Domain::Logging,
        rationale: "Attack paths (with Defender CSPM) chain misconfigurations into routes an attacker could take to critical assets. Emailing them at a minimal risk level makes new critical paths visible without someone checking the portal.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Email notifications > Notify about attack paths with the following risk level (or higher): Critical > Save.",
            cli: "az rest --method put --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview\" --body @contact.json  # notificationsSources: [{sourceType: AttackPath, minimalRiskLevel: Critical}]",
            terraform: "resource \"azurerm_security_center_contact\" \"this\" {\n  name                = \"default\"\n  email               = \"secops@contoso.com\"\n  alert_notifications = true\n  alerts_to_admins    = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications"],
        controls: &[cis_azure("8.1.15"), nist("IR-6"), nist("RA-3")],
        needs: &[az("Microsoft.Security", "securityContacts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"},{"sourceType":"AttackPath","minimalRiskLevel":"Critical"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}}}]}"#],
    },
};

fn judge(contact: &Resource) -> Option<(bool, String, Value)> {
    let sources = prop(contact, "notificationsSources").and_then(Props::as_array).unwrap_or_default();
    let level = sources
        .iter()
        .find(|s| s.get("sourceType").and_then(Props::as_str) == Some("AttackPath"))
        .and_then(|s| s.get("minimalRiskLevel").and_then(Props::as_str));
    Some((
        level.is_some(),
        match level {
            Some(l) => format!("attack paths of risk {l} and above are emailed"),
            None => "attack path notifications are off".to_string(),
        },
        json!({ "minimalRiskLevel": level }),
    ))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let contacts = in_account(scan, "Microsoft.Security/securityContacts", subscription);
        let verdicts: Vec<(bool, String, Value)> =
            contacts.iter().filter(|c| prop_bool(c, "isEnabled") != Some(false)).filter_map(|c| judge(c)).collect();
        match verdicts.iter().find(|v| v.0).or(verdicts.first()) {
            Some((ok, message, evidence)) => {
                out.verdict(Subject::subscription(subscription), *ok, message.clone(), evidence.clone())
            }
            None => out.fail(
                Subject::subscription(subscription),
                "the subscription has no enabled security contact configuration",
                json!({ "security_contacts": contacts.len() }),
            ),
        }
    });
}
