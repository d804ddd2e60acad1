//! Guests see only their own directory objects.

use super::azure::{authorization_policy, az};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::{json, Value};
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-entra-guest-access-restricted",
        title: "Guest user access is restricted to their own directory objects",
        severity: Severity::Medium,
        resource_type: "Microsoft.Graph/authorizationPolicy",
        domain: Domain::AccessManagement,
        rationale: "By default a guest can enumerate users, groups and their memberships, which maps the organisation for an attacker who compromises or is a guest. The most restrictive guest role limits guests to their own objects.",
        remediation: Remediation {
            console: "Microsoft Entra admin center > Identity > External Identities > External collaboration settings > Guest user access: Guest user access is restricted to properties and memberships of their own directory objects (most restrictive) > Save.",
            cli: "az rest --method patch --url https://graph.microsoft.com/v1.0/policies/authorizationPolicy --body \"{\\\"guestUserRoleId\\\":\\\"2af84b1e-32c8-42b7-82bc-daa82404023b\\\"}\"",
            terraform: "# The azuread provider has no resource for the tenant authorization policy. Set it with the Microsoft Graph\n# provider (microsoft/msgraph), PATCH policies/authorizationPolicy with\n# { guestUserRoleId = \"2af84b1e-32c8-42b7-82bc-daa82404023b\" } (Restricted Guest User), or with the az rest command above.",
        },
        references: &["https://learn.microsoft.com/en-us/entra/identity/users/users-restrict-guest-permissions", "CIS Microsoft Azure Foundations Benchmark v6.0.0: the section number of this control could not be confirmed from public sources (v5.0.0 numbered it 5.15)", "https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy"],
        controls: &[nist("AC-3"), nist("AC-6")],
        needs: &[az("graph", "authorizationPolicy")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"10dae51f-b6af-4016-8d66-8c2a99b929b3","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#, r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"a0b1b346-4d3e-4e8b-98f8-753987be4970","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
    },
};

fn judge(policy: &Props) -> Result<(bool, String, Value), String> {
    // The guest roles, from most to least restricted: Restricted Guest User, Guest User, User (member access).
    const RESTRICTED: &str = "2af84b1e-32c8-42b7-82bc-daa82404023b";
    let role = policy
        .get("guestUserRoleId")
        .and_then(Props::as_str)
        .ok_or("the authorization policy has no guestUserRoleId")?;
    let level = match role {
        RESTRICTED => "restricted to their own objects",
        "10dae51f-b6af-4016-8d66-8c2a99b929b3" => "limited (Guest User)",
        "a0b1b346-4d3e-4e8b-98f8-753987be4970" => "the same as members",
        _ => "unknown",
    };
    Ok((role.eq_ignore_ascii_case(RESTRICTED), format!("guest access is {level}"), json!({ "guestUserRoleId": role })))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    authorization_policy(scan, out, judge);
}
