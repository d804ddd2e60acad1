//! Each subscription has two or three owners.

use super::azure::{assignments_of_role, az, each_subscription};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::json;
use sightline_model::{Props, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-rbac-subscription-owners",
        title: "Subscriptions have between 2 and 3 owners",
        severity: Severity::Medium,
        resource_type: "Microsoft.Authorization/roleAssignments",
        domain: Domain::AccessManagement,
        rationale: "With one owner, losing that account locks the subscription; with many, the most powerful role is spread beyond the few people who need it and each extra owner is an extra target. Two or three owners directly on the subscription balance the two.",
        remediation: Remediation {
            console: "Subscriptions > SUBSCRIPTION > Access control (IAM) > Role assignments > Owner: remove assignments beyond three, or add a second owner > Save.",
            cli: "az role assignment list --scope /subscriptions/SUBSCRIPTION --role Owner --query \"[].principalName\"  # then az role assignment create/delete",
            terraform: "resource \"azurerm_role_assignment\" \"owners\" {\n  for_each             = toset(var.subscription_owner_object_ids) # two or three\n  scope                = \"/subscriptions/${var.subscription_id}\"\n  role_definition_name = \"Owner\"\n  principal_id         = each.value\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/role-based-access-control/best-practices#limit-the-number-of-subscription-owners"],
        controls: &[cis_azure("5.7"), nist("AC-6"), nist("AC-5")],
        needs: &[az("Microsoft.Authorization", "roleAssignments")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000002-aaaa-bbbb-cccc-000000000002","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000002-aaaa-bbbb-cccc-000000000002","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"22222222-2222-2222-2222-222222222222","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000001-aaaa-bbbb-cccc-000000000001","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000001-aaaa-bbbb-cccc-000000000001","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"11111111-1111-1111-1111-111111111111","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000002-aaaa-bbbb-cccc-000000000002","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000002-aaaa-bbbb-cccc-000000000002","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"22222222-2222-2222-2222-222222222222","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000003-aaaa-bbbb-cccc-000000000003","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000003-aaaa-bbbb-cccc-000000000003","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"33333333-3333-3333-3333-333333333333","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}},{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleAssignments/00000004-aaaa-bbbb-cccc-000000000004","resource_type":"Microsoft.Authorization/roleAssignments","name":"00000004-aaaa-bbbb-cccc-000000000004","properties":{"roleDefinitionId":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","principalId":"44444444-4444-4444-4444-444444444444","principalType":"User","scope":"/subscriptions/00000000-0000-0000-0000-00000000000a"}}]}"#],
    },
};

/// The built-in Owner role.
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let mut owners: Vec<&str> = assignments_of_role(scan, subscription, OWNER, true)
            .iter()
            .filter_map(|a| a.properties.get("principalId").and_then(Props::as_str))
            .collect();
        owners.sort_unstable();
        owners.dedup();
        let n = owners.len();
        out.verdict(
            Subject::subscription(subscription),
            (2..=3).contains(&n),
            format!("{n} principal(s) hold Owner directly on the subscription"),
            json!({ "owners": owners }),
        );
    });
}
