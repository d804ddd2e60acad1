//! No custom role grants every action on a subscription.

use super::azure::{az, each_subscription, scopes_above};
use crate::meta::*;
use crate::scan::{Out, Scan, Subject};
use serde_json::{json, Value};
use sightline_model::{PolicyKind, Provider, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-rbac-custom-admin-roles",
        title: "No custom roles grant all actions (*) at subscription scope or above",
        severity: Severity::High,
        resource_type: "Microsoft.Authorization/roleDefinitions",
        domain: Domain::AccessManagement,
        rationale: "A custom role with the * action is an owner in all but name: it can change anything, including access, yet does not show up in reviews of Owner assignments. Use the built-in roles for administration and give custom roles only the actions they need.",
        remediation: Remediation {
            console: "Subscriptions > SUBSCRIPTION > Access control (IAM) > Roles > Type: Custom role > ROLE > Edit: replace * with the actions needed, or delete the role after moving its assignments.",
            cli: "az role definition delete --name \"ROLE NAME\" --scope /subscriptions/SUBSCRIPTION",
            terraform: "resource \"azurerm_role_definition\" \"ops\" {\n  name  = \"Operations\"\n  scope = \"/subscriptions/${var.subscription_id}\"\n  permissions {\n    actions = [\"Microsoft.Compute/virtualMachines/start/action\", \"Microsoft.Compute/virtualMachines/restart/action\"] # never \"*\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles"],
        controls: &[cis_azure("5.4"), nist("AC-6"), nist("AC-6(1)")],
        needs: &[az("Microsoft.Authorization", "roleDefinitions")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"policies":[{"provider":"azure","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/9f0e4a1c-5b2d-4c3e-8f7a-1b2c3d4e5f60","kind":"role_definition","name":"VM Operator","account_id":"00000000-0000-0000-0000-00000000000a","document":{"roleName":"VM Operator","type":"CustomRole","description":"","permissions":[{"actions":["Microsoft.Compute/virtualMachines/start/action","Microsoft.Compute/virtualMachines/read"],"notActions":[],"dataActions":[],"notDataActions":[]}],"assignableScopes":["/subscriptions/00000000-0000-0000-0000-00000000000a"]}},{"provider":"azure","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635","kind":"role_definition","name":"Owner","account_id":"00000000-0000-0000-0000-00000000000a","document":{"roleName":"Owner","type":"BuiltInRole","description":"","permissions":[{"actions":["*"],"notActions":[],"dataActions":[],"notDataActions":[]}],"assignableScopes":["/"]}}]}"#],
        fail: &[r#"{"policies":[{"provider":"azure","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/9f0e4a1c-5b2d-4c3e-8f7a-1b2c3d4e5f60","kind":"role_definition","name":"Subscription Admin","account_id":"00000000-0000-0000-0000-00000000000a","document":{"roleName":"Subscription Admin","type":"CustomRole","description":"","permissions":[{"actions":["*"],"notActions":[],"dataActions":[],"notDataActions":[]}],"assignableScopes":["/subscriptions/00000000-0000-0000-0000-00000000000a"]}}]}"#, r#"{"policies":[{"provider":"azure","id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Authorization/roleDefinitions/9f0e4a1c-5b2d-4c3e-8f7a-1b2c3d4e5f60","kind":"role_definition","name":"Platform Admin","account_id":"00000000-0000-0000-0000-00000000000a","document":{"roleName":"Platform Admin","type":"CustomRole","description":"","permissions":[{"actions":["*"],"notActions":[],"dataActions":[],"notDataActions":[]}],"assignableScopes":["/"]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let needs = out.meta().needs;
    each_subscription(scan, out, needs, |subscription, out| {
        let scopes = scopes_above(scan, subscription);
        let mut admin_roles: Vec<Value> = Vec::new();
        for policy in scan
            .snapshot
            .policies
            .iter()
            .filter(|p| p.provider == Provider::Azure && p.kind == PolicyKind::RoleDefinition)
        {
            let Ok(doc) = serde_json::from_str::<Value>(policy.document.get()) else { continue };
            if doc.get("type").and_then(Value::as_str) != Some("CustomRole") {
                continue;
            }
            let everything = doc.get("permissions").and_then(Value::as_array).into_iter().flatten().any(|p| {
                p.get("actions").and_then(Value::as_array).into_iter().flatten().any(|a| a.as_str() == Some("*"))
            });
            let here = doc
                .get("assignableScopes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .any(|s| {
                    let s = s.trim_end_matches('/').to_ascii_lowercase();
                    scopes.iter().any(|mine| *mine == s || (mine == "/" && s.is_empty()))
                });
            if everything && here {
                admin_roles.push(json!({ "id": policy.id, "roleName": policy.name }));
            }
        }
        out.verdict(
            Subject::subscription(subscription),
            admin_roles.is_empty(),
            if admin_roles.is_empty() {
                "no custom role assignable here grants every action".to_string()
            } else {
                format!("{} custom role(s) assignable here grant every action (*)", admin_roles.len())
            },
            json!({ "roles": admin_roles }),
        );
    });
}
