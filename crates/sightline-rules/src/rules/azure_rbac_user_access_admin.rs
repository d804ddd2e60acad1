//! No one holds User Access Administrator on a subscription or above it.

use super::azure::{assignments_of_role, az, each_subscription};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-rbac-user-access-admin",
        title: "User Access Administrator is not assigned at subscription, management group or root scope",
        severity: Severity::High,
        resource_type: "Microsoft.Authorization/roleAssignments",
        domain: Domain::AccessManagement,
        rationale: "User Access Administrator can grant any role, Owner included, to anyone: whoever holds it at a subscription or above can take over everything beneath. Global Administrators get it at root scope by elevating access and often forget to remove it. Assign it only at narrow scopes, or make it eligible through PIM.",
        remediation: Remediation {
            console: "Subscriptions > SUBSCRIPTION > Access control (IAM) > Role assignments > User Access Administrator > remove the assignment (for root scope: Microsoft Entra ID > Properties > Access management for Azure resources: No).",
            cli: "az role assignment delete --assignee PRINCIPAL_ID --role \"User Access Administrator\" --scope /subscriptions/SUBSCRIPTION",
            terraform: "# Remove the azurerm_role_assignment granting \"User Access Administrator\" at subscription or management group scope;\n# use azurerm_pim_eligible_role_assignment for time-bound, approved elevation instead.",
        },
        references: &["https://learn.microsoft.com/en-us/azure/role-based-access-control/elevate-access-global-admin", "https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/privileged#user-access-administrator"],
        controls: &[cis_azure("5.3.3"), nist("AC-6(1)"), nist("AC-2(7)")],
        needs: &[az("Microsoft.Authorization", "roleAssignments")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Authorization/roleAssignments/00000002-aaaa-bbbb-cccc-000000000002","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000002-aaaa-bbbb-cccc-000000000002","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9","principalId":"22222222-2222-2222-2222-222222222222","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod"}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}}]}"#, r#"{"resources":[{"id":"/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/"},"account_id":"00000000-0000-0000-0000-0000000000aa"}]}"#, r#"{"resources":[{"id":"/providers/Microsoft.Management/managementGroups/mg-platform/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/providers/Microsoft.Management/managementGroups/mg-platform"},"account_id":"00000000-0000-0000-0000-0000000000aa"}],"accounts":[{"provider":"azure","id":"00000000-0000-0000-0000-00000000000a","organization_id":"00000000-0000-0000-0000-0000000000aa","parent_id":"/providers/Microsoft.Management/managementGroups/mg-platform"}],"organizations":[{"provider":"azure","id":"00000000-0000-0000-0000-0000000000aa","units":[{"id":"/providers/Microsoft.Management/managementGroups/mg-platform","name":"Platform","parent_id":"/providers/Microsoft.Management/managementGroups/00000000-0000-0000-0000-0000000000aa"},{"id":"/providers/Microsoft.Management/managementGroups/00000000-0000-0000-0000-0000000000aa","name":"Tenant Root Group"}]}]}"#],
    },
};

/// The built-in User Access Administrator role.
const USER_ACCESS_ADMINISTRATOR: &str = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let found = assignments_of_role(scan, subscription, USER_ACCESS_ADMINISTRATOR, false);
        let held: Vec<Value> = found
            .iter()
            .map(|a| json!({ "principalId": a.properties.get("principalId").and_then(Props::as_str), "scope": a.properties.get("scope").and_then(Props::as_str) }))
            .collect();
        out.verdict(
            Subject::subscription(subscription),
            held.is_empty(),
            if held.is_empty() {
                "no active User Access Administrator assignment at or above the subscription".to_string()
            } else {
                format!("{} active User Access Administrator assignment(s) at or above the subscription", held.len())
            },
            json!({ "assignments": held }),
        );
    });
}
