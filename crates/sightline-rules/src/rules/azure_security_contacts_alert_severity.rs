//! Defender for Cloud emails alerts of high severity or lower.

use super::azure::{az, each_subscription, in_account, prop, prop_bool};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-security-contacts-alert-severity",
        title: "Defender for Cloud emails alerts of severity High (or lower thresholds)",
        severity: Severity::Medium,
        resource_type: "Microsoft.Security/securityContacts",
        domain: Domain::Logging,
        rationale: "Alert notifications are sent only for alerts at or above the chosen minimal severity. A threshold of High, Medium or Low makes sure at least every high-severity alert reaches the security contacts by email.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Email notifications > Notify about alerts with the following severity (or higher): High > Save.",
            cli: "az rest --method put --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview\" --body @contact.json  # notificationsSources: [{sourceType: Alert, minimalSeverity: High}]",
            terraform: "resource \"azurerm_security_center_contact\" \"this\" {\n  name                = \"default\"\n  email               = \"secops@contoso.com\"\n  alert_notifications = true\n  alerts_to_admins    = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications"],
        controls: &[cis_azure("8.1.14"), nist("IR-6")],
        needs: &[az("Microsoft.Security", "securityContacts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"Medium"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[]}}}]}"#],
    },
};

fn judge(contact: &Resource) -> Option<(bool, String, Value)> {
    let sources = prop(contact, "notificationsSources").and_then(Props::as_array).unwrap_or_default();
    let severity = sources
        .iter()
        .find(|s| s.get("sourceType").and_then(Props::as_str) == Some("Alert"))
        .and_then(|s| s.get("minimalSeverity").and_then(Props::as_str));
    let ok = severity.is_some_and(|s| ["High", "Medium", "Low"].iter().any(|l| l.eq_ignore_ascii_case(s)));
    Some((
        ok,
        match severity {
            Some(s) => format!("alerts of severity {s} and above are emailed"),
            None => "alert notifications are off".to_string(),
        },
        json!({ "minimalSeverity": severity }),
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
