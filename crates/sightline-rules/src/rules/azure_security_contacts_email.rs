//! Defender for Cloud has a security contact email address.

use super::azure::{az, each_subscription, in_account, prop_bool, prop_str};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-security-contacts-email",
        title: "Defender for Cloud has a security contact email",
        severity: Severity::Medium,
        resource_type: "Microsoft.Security/securityContacts",
        domain: Domain::Logging,
        rationale: "Microsoft and Defender for Cloud send security alerts and notices of compromised resources to the subscription's security contacts. Without an address, those messages go nowhere the security team reads.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Email notifications > Additional email addresses: the security team's mailbox > Save.",
            cli: "az rest --method put --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/providers/Microsoft.Security/securityContacts/default?api-version=2023-12-01-preview\" --body @contact.json  # emails: secops@contoso.com",
            terraform: "resource \"azurerm_security_center_contact\" \"this\" {\n  name                = \"default\"\n  email               = \"secops@contoso.com\"\n  alert_notifications = true\n  alerts_to_admins    = true\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/configure-email-notifications"],
        controls: &[cis_azure("8.1.13"), nist("IR-6"), pci("12.10.1")],
        needs: &[az("Microsoft.Security", "securityContacts")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"secops@contoso.com","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","resource_type":"Microsoft.Security/securityContacts","name":"default","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/securityContacts/default","name":"default","type":"Microsoft.Security/securityContacts","properties":{"emails":"","phone":"","isEnabled":true,"notificationsByRole":{"state":"On","roles":["Owner"]},"notificationsSources":[{"sourceType":"Alert","minimalSeverity":"High"}]}}}]}"#],
    },
};

fn judge(contact: &Resource) -> Option<(bool, String, Value)> {
    let emails = prop_str(contact, "emails").unwrap_or("").trim();
    let ok = emails.contains('@');
    Some((
        ok,
        if ok { format!("alerts go to {emails}") } else { "no security contact email".to_string() },
        json!({ "emails": emails }),
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
