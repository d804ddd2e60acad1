//! Only administrators and guest inviters invite guests.

use super::azure::{authorization_policy, az};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::{json, Value};
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-entra-guest-invite-restricted",
        title: "Guest invitations are limited to administrators and the Guest Inviter role",
        severity: Severity::Medium,
        resource_type: "Microsoft.Graph/authorizationPolicy",
        domain: Domain::Identity,
        rationale: "When every member (or every guest) can invite guests, external accounts enter the directory without review. Limiting invitations to administrators and users in the Guest Inviter role keeps external access deliberate.",
        remediation: Remediation {
            console: "Microsoft Entra admin center > Identity > External Identities > External collaboration settings > Guest invite settings: Only users assigned to specific admin roles can invite guest users > Save.",
            cli: "az rest --method patch --url https://graph.microsoft.com/v1.0/policies/authorizationPolicy --body \"{\\\"allowInvitesFrom\\\":\\\"adminsAndGuestInviters\\\"}\"",
            terraform: "# The azuread provider has no resource for the tenant authorization policy. Set it with the Microsoft Graph\n# provider (microsoft/msgraph), PATCH policies/authorizationPolicy with\n# { allowInvitesFrom = \"adminsAndGuestInviters\" }, or with the az rest command above.",
        },
        references: &["https://learn.microsoft.com/en-us/entra/external-id/external-collaboration-settings-configure", "CIS Microsoft Azure Foundations Benchmark v6.0.0: the section number of this control could not be confirmed from public sources (v5.0.0 numbered it 5.16)", "https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy"],
        controls: &[nist("AC-2"), nist("AC-2(1)")],
        needs: &[az("graph", "authorizationPolicy")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#, r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"none","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"everyone","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#, r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsGuestInvitersAndAllMembers","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
    },
};

fn judge(policy: &Props) -> Result<(bool, String, Value), String> {
    let from = policy
        .get("allowInvitesFrom")
        .and_then(Props::as_str)
        .ok_or("the authorization policy has no allowInvitesFrom")?;
    let ok = ["adminsAndGuestInviters", "none"].iter().any(|v| v.eq_ignore_ascii_case(from));
    Ok((ok, format!("guests can be invited by: {from}"), json!({ "allowInvitesFrom": from })))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    authorization_policy(scan, out, judge);
}
