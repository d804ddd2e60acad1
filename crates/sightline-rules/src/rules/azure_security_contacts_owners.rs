//! Subscription owners receive Defender for Cloud alert emails.

use super::azure::{az, each_subscription, in_account, prop, prop_bool, prop_str};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-security-contacts-owners",
        title: "Defender for Cloud emails alerts to subscription owners",
        severity: Severity::Low,
        resource_type: "Microsoft.Security/securityContacts",
        domain: Domain::Logging,
        rationale: "Subscription owners are accountable for what runs in it and often the first to know whether an alert is expected. Notifying the Owner role makes sure alerts reach someone even if the security mailbox is unattended.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Email notifications > All users with the following roles: Owner > Save.",
            cli: "az rest --method put --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview\" --body @contact.json  # notificationsByRole: {state: On, roles: [Owner]}",
            terraform: "resource \"azurerm_security_center_contact\" \"this\" {\n  name                = \"default\"\n  email               = \"secops@contoso.com\"\n  alert_notifications = true\n  alerts_to_admins    = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications"],
        controls: &[cis_azure("8.1.12"), nist("IR-6")],
        needs: &[az("Microsoft.Security", "securityContacts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["AccountAdmin"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"Off","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}}}]}"#, r#"{"resources":[]}"#],
    },
};

fn judge(contact: &Resource) -> Option<(bool, String, Value)> {
    let state = prop_str(contact, "notificationsByRole/state").unwrap_or("Off");
    let roles: Vec<&str> = prop(contact, "notificationsByRole/roles")
        .and_then(Props::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(Props::as_str)
        .collect();
    let ok = state.eq_ignore_ascii_case("On") && roles.iter().any(|r| r.eq_ignore_ascii_case("Owner"));
    Some((
        ok,
        format!(
            "role notifications are {state} for {}",
            if roles.is_empty() { "no role".to_string() } else { roles.join(", ") }
        ),
        json!({ "state": state, "roles": roles }),
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
