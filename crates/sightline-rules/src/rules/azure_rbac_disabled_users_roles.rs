//! Disabled users hold no Azure role assignments.

use super::azure::{az, each_subscription, scopes_above};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{PrincipalKind, Props, Provider, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-rbac-disabled-users-roles",
        title: "Disabled user accounts have no Azure role assignments",
        severity: Severity::Medium,
        resource_type: "Microsoft.Authorization/roleAssignments",
        domain: Domain::AccessManagement,
        rationale: "A disabled account cannot sign in today, but its role assignments come back the moment someone re-enables it, and they clutter every access review. Remove the assignments when an account is disabled. CIS v6.0.0 lists this control (5.3.5) as Manual; the users and the role assignments are in the snapshot, so Sightline decides it.",
        remediation: Remediation {
            console: "Subscriptions > SUBSCRIPTION > Access control (IAM) > Role assignments > filter on the disabled user > Remove.",
            cli: "az role assignment delete --assignee USER_OBJECT_ID --scope /subscriptions/SUBSCRIPTION",
            terraform: "# Remove the azurerm_role_assignment resources whose principal_id is a disabled user.",
        },
        references: &["https://learn.microsoft.com/en-us/azure/role-based-access-control/role-assignments-remove"],
        controls: &[cis_azure("5.3.5"), nist("AC-2(3)"), nist("AC-2")],
        needs: &[az("Microsoft.Authorization", "roleAssignments"), az("graph", "users")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}}],"principals":[{"id":"11111111-1111-1111-1111-111111111111","kind":"user","name":"ana","account_id":"00000000-0000-0000-0000-0000000000aa","properties":{"id":"11111111-1111-1111-1111-111111111111","userPrincipalName":"ana@contoso.com","accountEnabled":true,"userType":"Member","displayName":"ana"}},{"id":"22222222-2222-2222-2222-222222222222","kind":"user","name":"leaver","account_id":"00000000-0000-0000-0000-0000000000aa","properties":{"id":"22222222-2222-2222-2222-222222222222","userPrincipalName":"leaver@contoso.com","accountEnabled":false,"userType":"Member","displayName":"leaver"}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Authorization/roleAssignments/00000002-aaaa-bbbb-cccc-000000000002","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000002-aaaa-bbbb-cccc-000000000002","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7","principalId":"22222222-2222-2222-2222-222222222222","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod"}}],"principals":[{"id":"11111111-1111-1111-1111-111111111111","kind":"user","name":"ana","account_id":"00000000-0000-0000-0000-0000000000aa","properties":{"id":"11111111-1111-1111-1111-111111111111","userPrincipalName":"ana@contoso.com","accountEnabled":true,"userType":"Member","displayName":"ana"}},{"id":"22222222-2222-2222-2222-222222222222","kind":"user","name":"leaver","account_id":"00000000-0000-0000-0000-0000000000aa","properties":{"id":"22222222-2222-2222-2222-222222222222","userPrincipalName":"leaver@contoso.com","accountEnabled":false,"userType":"Member","displayName":"leaver"}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    let users = [az("graph", "users")];
    let disabled: std::collections::HashMap<String, &str> = scan
        .azure_principals(PrincipalKind::User)
        .filter(|u| u.properties.get("accountEnabled").and_then(Value::as_bool) == Some(false))
        .map(|u| (u.id.to_ascii_lowercase(), u.name.as_str()))
        .collect();
    each_subscription(scan, out, needs, |subscription, out| {
        // The users are the tenant's: their listing must have been collected there.
        let tenant = scan
            .snapshot
            .accounts
            .iter()
            .find(|a| a.provider == Provider::Azure && a.id.eq_ignore_ascii_case(subscription))
            .and_then(|a| a.organization_id.as_deref());
        let Some(tenant) = tenant else {
            return out.not_evaluated(Subject::subscription(subscription), "the subscription's tenant is not known");
        };
        if let Some(why) = scan.gap(tenant, None, &users, true) {
            return out.not_evaluated(Subject::subscription(subscription), why);
        }
        let scopes = scopes_above(scan, subscription);
        let held: Vec<Value> = scan
            .resources("Microsoft.Authorization/roleAssignments")
            .filter(|a| {
                let scope = a.properties.get("scope").and_then(Props::as_str).unwrap_or("").to_ascii_lowercase();
                a.account_id.eq_ignore_ascii_case(subscription) || scopes.contains(&scope)
            })
            .filter_map(|a| {
                let principal = a.properties.get("principalId").and_then(Props::as_str)?;
                let user = disabled.get(&principal.to_ascii_lowercase())?;
                Some(json!({ "user": user, "principalId": principal, "scope": a.properties.get("scope").and_then(Props::as_str) }))
            })
            .collect();
        out.verdict(
            Subject::subscription(subscription),
            held.is_empty(),
            if held.is_empty() {
                "no disabled user holds a role on the subscription".to_string()
            } else {
                format!("{} role assignment(s) of disabled users", held.len())
            },
            json!({ "assignments": held }),
        );
    });
}
