//! Every enabled member user has registered a multifactor authentication method.

use super::azure::{az, each_tenant};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::{json, Value};
use sightline_model::{PrincipalKind, Props, Severity};
use std::collections::HashMap;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-entra-users-mfa-registered",
        title: "Every enabled member user has registered for multifactor authentication",
        severity: Severity::High,
        resource_type: "Microsoft.Graph/users",
        domain: Domain::Identity,
        rationale: "A policy that requires MFA protects only users who have registered a second factor: until then Entra lets them sign in with a password alone and asks them to register, and whoever holds the password can register their own device first. The authentication-methods registration report (isMfaRegistered) shows who has not. Guests register MFA in their home tenant and disabled users cannot sign in, so both are left out.",
        remediation: Remediation {
            console: "Microsoft Entra admin center > Protection > Authentication methods > User registration details: filter Multifactor authentication registered = Not registered; have each user register at https://aka.ms/mysecurityinfo, or enforce registration with the Microsoft Entra ID Protection MFA registration policy or a registration campaign.",
            cli: "az rest --method get --url \"https://graph.microsoft.com/v1.0/reports/authenticationMethods/userRegistrationDetails?\\$filter=isMfaRegistered eq false and userType eq 'member'\"",
            terraform: "resource \"azuread_conditional_access_policy\" \"register_mfa\" {\n  display_name = \"Require MFA registration from trusted locations\"\n  state        = \"enabled\"\n  conditions {\n    client_app_types = [\"all\"]\n    users {\n      included_users = [\"All\"]\n      excluded_users = [var.break_glass_object_id]\n    }\n    applications {\n      included_user_actions = [\"urn:user:registersecurityinfo\"]\n    }\n    locations {\n      included_locations = [\"All\"]\n      excluded_locations = [\"AllTrusted\"]\n    }\n  }\n  grant_controls {\n    operator          = \"OR\"\n    built_in_controls = [\"block\"]\n  }\n}",
        },
        references: &[
            "https://learn.microsoft.com/en-us/graph/api/authenticationmethodsroot-list-userregistrationdetails",
            "https://learn.microsoft.com/en-us/entra/identity/authentication/howto-authentication-methods-activity",
        ],
        controls: &[cis_azure("5.1.3"), nist("IA-2(1)"), nist("IA-2(2)"), pci("8.4.2")],
        needs: &[az("graph", "users"), az("graph", "userRegistrationDetails")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"principals":[{"id":"10000000-0000-0000-0000-000000000001","kind":"user","name":"Ana","properties":{"id":"10000000-0000-0000-0000-000000000001","displayName":"Ana","userPrincipalName":"ana@contoso.onmicrosoft.com","userType":"Member","accountEnabled":true}},{"id":"10000000-0000-0000-0000-000000000003","kind":"user","name":"Guest","properties":{"id":"10000000-0000-0000-0000-000000000003","displayName":"Guest","userPrincipalName":"guest_fabrikam.com#EXT#@contoso.onmicrosoft.com","userType":"Guest","accountEnabled":true}},{"id":"10000000-0000-0000-0000-000000000004","kind":"user","name":"Old","properties":{"id":"10000000-0000-0000-0000-000000000004","displayName":"Old","userPrincipalName":"old@contoso.onmicrosoft.com","userType":"Member","accountEnabled":false}}],"resources":[{"id":"/reports/authenticationMethods/userRegistrationDetails/10000000-0000-0000-0000-000000000001","resource_type":"Microsoft.Graph/userRegistrationDetails","name":"ana@contoso.onmicrosoft.com","properties":{"id":"10000000-0000-0000-0000-000000000001","userPrincipalName":"ana@contoso.onmicrosoft.com","userType":"member","isAdmin":false,"isMfaRegistered":true,"isMfaCapable":true,"methodsRegistered":["microsoftAuthenticatorPush"]}},{"id":"/reports/authenticationMethods/userRegistrationDetails/10000000-0000-0000-0000-000000000003","resource_type":"Microsoft.Graph/userRegistrationDetails","name":"guest_fabrikam.com#EXT#@contoso.onmicrosoft.com","properties":{"id":"10000000-0000-0000-0000-000000000003","userPrincipalName":"guest_fabrikam.com#EXT#@contoso.onmicrosoft.com","userType":"guest","isAdmin":false,"isMfaRegistered":false,"isMfaCapable":false,"methodsRegistered":[]}},{"id":"/reports/authenticationMethods/userRegistrationDetails/10000000-0000-0000-0000-000000000004","resource_type":"Microsoft.Graph/userRegistrationDetails","name":"old@contoso.onmicrosoft.com","properties":{"id":"10000000-0000-0000-0000-000000000004","userPrincipalName":"old@contoso.onmicrosoft.com","userType":"member","isAdmin":false,"isMfaRegistered":false,"isMfaCapable":false,"methodsRegistered":[]}}]}"#],
        fail: &[r#"{"principals":[{"id":"10000000-0000-0000-0000-000000000001","kind":"user","name":"Ana","properties":{"id":"10000000-0000-0000-0000-000000000001","displayName":"Ana","userPrincipalName":"ana@contoso.onmicrosoft.com","userType":"Member","accountEnabled":true}},{"id":"10000000-0000-0000-0000-000000000002","kind":"user","name":"Bo","properties":{"id":"10000000-0000-0000-0000-000000000002","displayName":"Bo","userPrincipalName":"bo@contoso.onmicrosoft.com","userType":"Member","accountEnabled":true}}],"resources":[{"id":"/reports/authenticationMethods/userRegistrationDetails/10000000-0000-0000-0000-000000000001","resource_type":"Microsoft.Graph/userRegistrationDetails","name":"ana@contoso.onmicrosoft.com","properties":{"id":"10000000-0000-0000-0000-000000000001","userPrincipalName":"ana@contoso.onmicrosoft.com","userType":"member","isAdmin":false,"isMfaRegistered":true,"isMfaCapable":true,"methodsRegistered":["microsoftAuthenticatorPush"]}},{"id":"/reports/authenticationMethods/userRegistrationDetails/10000000-0000-0000-0000-000000000002","resource_type":"Microsoft.Graph/userRegistrationDetails","name":"bo@contoso.onmicrosoft.com","properties":{"id":"10000000-0000-0000-0000-000000000002","userPrincipalName":"bo@contoso.onmicrosoft.com","userType":"member","isAdmin":false,"isMfaRegistered":false,"isMfaCapable":false,"methodsRegistered":[]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_tenant(scan, out, needs, |tenant, out| {
        // By user: whether MFA is registered, and whether the report calls the user a guest.
        let registered: HashMap<String, (Option<bool>, bool)> = scan
            .resources("Microsoft.Graph/userRegistrationDetails")
            .filter(|r| r.account_id.eq_ignore_ascii_case(tenant))
            .filter_map(|r| {
                let user = r.properties.get("id").and_then(Props::as_str)?;
                let mfa = r.properties.get("isMfaRegistered").and_then(Props::as_bool);
                let guest = r
                    .properties
                    .get("userType")
                    .and_then(Props::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("guest"));
                Some((user.to_ascii_lowercase(), (mfa, guest)))
            })
            .collect();
        for user in scan.azure_principals(PrincipalKind::User).filter(|u| u.account_id.eq_ignore_ascii_case(tenant)) {
            let field = |k: &str| user.properties.get(k);
            // Graph spells the user type `Member` on users and `member` in the report.
            let guest = field("userType").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case("Guest"));
            if guest || field("accountEnabled").and_then(Value::as_bool) == Some(false) {
                continue;
            }
            // A user record without `userType` (some exports leave it out): the report's says whether it is a guest.
            match registered.get(&user.id.to_ascii_lowercase()) {
                Some((_, true)) => {}
                None => out.not_evaluated(user, "the registration report has no record for this user"),
                Some((None, _)) => {
                    out.not_evaluated(user, "the user's registration record does not give isMfaRegistered")
                }
                Some((Some(true), _)) => out.pass(user, "a multifactor authentication method is registered"),
                Some((Some(false), _)) => out.fail(
                    user,
                    "no multifactor authentication method is registered",
                    json!({ "isMfaRegistered": false }),
                ),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{snapshot, statuses};

    /// A guest whose user record gives no `userType` (some exports leave it out) is told by the report's record,
    /// and left out like any guest.
    #[test]
    fn guests_are_told_by_the_report_too() {
        let fixture = r#"{"principals":[{"id":"g1","kind":"user","name":"Guest","properties":{"id":"g1","accountEnabled":true}}],
            "resources":[{"id":"/reports/authenticationMethods/userRegistrationDetails/g1","resource_type":"Microsoft.Graph/userRegistrationDetails","name":"guest","properties":{"id":"g1","userType":"guest","isMfaRegistered":false}}]}"#;
        assert!(statuses(&RULE, &snapshot(&RULE, fixture, false)).is_empty());
        let member = fixture.replace(r#""userType":"guest""#, r#""userType":"member""#);
        let got = statuses(&RULE, &snapshot(&RULE, &member, false));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, sightline_model::FindingStatus::Fail);
    }
}
