//! Only administrators create new Microsoft Entra tenants.

use super::azure::{authorization_policy, az};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::{json, Value};
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-entra-users-cannot-create-tenants",
        title: "Non-admin users cannot create tenants",
        severity: Severity::Medium,
        resource_type: "Microsoft.Graph/authorizationPolicy",
        domain: Domain::Identity,
        rationale: "A user who creates a tenant becomes its Global Administrator, outside the company policies and monitoring; such shadow tenants can hold company data and apps nobody governs.",
        remediation: Remediation {
            console: "Microsoft Entra admin center > Identity > Users > User settings > Restrict non-admin users from creating tenants: Yes > Save.",
            cli: "az rest --method patch --url https://graph.microsoft.com/v1.0/policies/authorizationPolicy --body \"{\\\"defaultUserRolePermissions\\\":{\\\"allowedToCreateTenants\\\":false}}\"",
            terraform: "# The azuread provider has no resource for the tenant authorization policy. Set it with the Microsoft Graph\n# provider (microsoft/msgraph), PATCH policies/authorizationPolicy with\n# { defaultUserRolePermissions = { allowedToCreateTenants = false } }, or with the az rest command above.",
        },
        references: &["https://learn.microsoft.com/en-us/entra/fundamentals/users-default-permissions#restrict-member-users-default-permissions", "CIS Microsoft Azure Foundations Benchmark v6.0.0: the section number of this control could not be confirmed from public sources (v5.0.0 numbered it 5.4)", "https://learn.microsoft.com/en-us/graph/api/resources/authorizationpolicy"],
        controls: &[nist("AC-2"), nist("CM-7")],
        needs: &[az("graph", "authorizationPolicy")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":false,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
        fail: &[r#"{"resources":[{"id":"authorizationPolicy","resource_type":"Microsoft.Graph/authorizationPolicy","name":"Authorization Policy","properties":{"id":"authorizationPolicy","displayName":"Authorization Policy","allowInvitesFrom":"adminsAndGuestInviters","allowedToSignUpEmailBasedSubscriptions":false,"allowEmailVerifiedUsersToJoinOrganization":false,"blockMsolPowerShell":true,"guestUserRoleId":"2af84b1e-32c8-42b7-82bc-daa82404023b","defaultUserRolePermissions":{"allowedToCreateApps":false,"allowedToCreateSecurityGroups":false,"allowedToCreateTenants":true,"allowedToReadBitlockerKeysForOwnedDevice":true,"allowedToReadOtherUsers":true}}}]}"#],
    },
};

fn judge(policy: &Props) -> Result<(bool, String, Value), String> {
    let allowed = policy
        .pointer("/defaultUserRolePermissions/allowedToCreateTenants")
        .and_then(Props::as_bool)
        .ok_or("the authorization policy has no defaultUserRolePermissions.allowedToCreateTenants")?;
    Ok((
        !allowed,
        format!("non-admin users can create tenants: {allowed}"),
        json!({ "allowedToCreateTenants": allowed }),
    ))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    authorization_policy(scan, out, judge);
}
