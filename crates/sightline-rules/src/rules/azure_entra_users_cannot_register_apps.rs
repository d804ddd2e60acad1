//! Only administrators register applications in Microsoft Entra ID.

use super::azure::{authorization_policy, az};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::{json, Value};
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-entra-users-cannot-register-apps",
        title: "Users cannot register applications",
        severity: Severity::Medium,
        resource_type: "Microsoft.Graph/authorizationPolicy",
        domain: Domain::Identity,
        rationale: "An application registered by an ordinary user can request consent to company data and carry its own credentials, outside any review. Letting only administrators (or the Application Developer role) register applications keeps every app identity accountable.",
        remediation: Remediation {
            console: "Microsoft Entra admin center > Identity > Users > User settings > Users can register applications: No > Save.",
            cli: "az rest --method patch --url https://graph.microsoft.com/v1.0/policies/authorizationPolicy --body \"{\\\"defaultUserRolePermissions\\\":{\\\"allowedToCreateApps\\\":false}}\"",
            terraform: "# The azuread provider has no resource for the tenant authorization policy. Set it with the Microsoft Graph\n# provider (microsoft/msgraph), PATCH policies/authorizationPolicy with\n# { defaultUserRolePermissions = { allowedToCreateApps = false } }, or with the az rest command above.",
        },
        references: &["https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/delegate-app-roles", "CIS Microsoft Azure Foundations Benchmark v6.0.0: the section number of this control could not be confirmed from public sources (v5.0.0 numbered it 5.14)", "https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy"],
        controls: &[nist("AC-2"), nist("CM-7")],
        needs: &[az("graph", "authorizationPolicy")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":true,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
    },
};

fn judge(policy: &Props) -> Result<(bool, String, Value), String> {
    let allowed = policy
        .pointer("/defaultUserRolePermissions/allowedToCreateApps")
        .and_then(Props::as_bool)
        .ok_or("the authorization policy has no defaultUserRolePermissions.allowedToCreateApps")?;
    Ok((!allowed, format!("users can register applications: {allowed}"), json!({ "allowedToCreateApps": allowed })))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    authorization_policy(scan, out, judge);
}
