//! AzureHound's JSON output: `{"data": [{"kind": "AZUser", "data": {...}}, ...], "meta": {"type": "azure",
//! "version": 5, "count": N}}` (older versions wrote one file per kind, `meta.type` naming it: `azusers`, ...).
//! Each record's `data` is a Graph or ARM object plus AzureHound's `tenantId` (and `subscriptionId`,
//! `resourceGroup`), or a list of members, owners or role assignments of one object.

use super::arm;
use super::builder::{str_of, Builder};
use super::graph::{self, Entity, Relation};
use serde_json::{Map, Value};

/// Whether a record is an AzureHound record.
pub(crate) fn is_record(v: &Value) -> bool {
    v.get("kind").and_then(Value::as_str).is_some_and(|k| k.starts_with("AZ")) && v.get("data").is_some()
}

/// Kinds AzureHound derives from role assignments it also writes (owners, contributors, user access
/// administrators of each resource): not imported, since the role assignments themselves are.
fn is_derived(kind: &str) -> bool {
    let derived_suffixes = ["Owner", "Contributor", "UserAccessAdmin", "AdminLogin", "DataReader", "KeyOperator"];
    let own_owner_lists = ["AZGroupOwner", "AZServicePrincipalOwner", "AZAppOwner", "AZDeviceOwner"];
    !own_owner_lists.contains(&kind) && derived_suffixes.iter().any(|s| kind.ends_with(s))
}

/// Reads one AzureHound record.
pub(crate) fn record(b: &mut Builder, value: Value) {
    let Value::Object(mut item) = value else {
        b.counts.skipped += 1;
        b.warn(None, "not a JSON object: skipped");
        return;
    };
    let kind = str_of(&item, "kind").unwrap_or_default().to_string();
    let Some(Value::Object(data)) = item.remove("data") else {
        b.counts.skipped += 1;
        b.warn(None, format!("an AzureHound {kind} record without data: skipped"));
        return;
    };
    let tenant = str_of(&data, "tenantId").map(|t| b.tenant(t));
    let tenant = tenant.as_deref();
    match kind.as_str() {
        "AZUser" => graph::object(b, Some(Entity::User), data, tenant),
        "AZGroup" => graph::object(b, Some(Entity::Group), data, tenant),
        "AZServicePrincipal" => graph::object(b, Some(Entity::ServicePrincipal), data, tenant),
        "AZApp" => graph::object(b, Some(Entity::Application), data, tenant),
        "AZRole" => graph::object(b, Some(Entity::RoleDefinition), data, tenant),
        "AZAppRoleAssignment" => {
            let mut data = data;
            data.remove("appId");
            graph::object(b, Some(Entity::AppRoleAssignment), data, tenant)
        }
        "AZRoleEligibilitySchedule" | "AZRoleEligibilityScheduleInstance" => {
            let entity = if kind.ends_with("Instance") {
                Entity::RoleEligibilityScheduleInstance
            } else {
                Entity::RoleEligibilitySchedule
            };
            match list(&data, &["roleEligibilitySchedules", "roleEligibilityScheduleInstances"]) {
                Some(items) => {
                    for o in items {
                        graph::object(b, Some(entity), o, tenant);
                    }
                }
                None => graph::object(b, Some(entity), data, tenant),
            }
        }
        "AZRoleAssignment" => match list(&data, &["roleAssignments"]) {
            // Entra role assignments of one role.
            Some(items) => {
                let imported = b.counts.imported;
                for o in items {
                    graph::object(b, Some(Entity::RoleAssignment), o, tenant);
                }
                b.counts.imported = imported + 1;
            }
            None => graph::object(b, Some(Entity::RoleAssignment), data, tenant),
        },
        "AZGroupMember" => relations(b, &data, "groupId", "members", "member", Relation::Members, tenant),
        "AZGroupOwner" => relations(b, &data, "groupId", "owners", "owner", Relation::Owners, tenant),
        "AZServicePrincipalOwner" => {
            relations(b, &data, "servicePrincipalId", "owners", "owner", Relation::Owners, tenant)
        }
        "AZAppOwner" => relations(b, &data, "appId", "owners", "owner", Relation::Owners, tenant),
        "AZSubscription" => arm::subscription(b, data, tenant),
        "AZTenant" => {
            b.counts.imported += 1;
        }
        "AZManagementGroupDescendant" => descendant(b, &data, tenant),
        _ if kind.ends_with("RoleAssignment") => {
            // Azure RBAC assignments of one scope: `{"roleAssignments": [{"roleAssignment": {ARM object}, ...}]}`.
            let imported = b.counts.imported;
            let items = data.get("roleAssignments").and_then(Value::as_array).cloned().unwrap_or_default();
            for item in items {
                match item.get("roleAssignment").or(item.get("assignee")) {
                    Some(Value::Object(o)) => {
                        let mut o = o.clone();
                        if !o.contains_key("type") {
                            o.insert(
                                "type".to_string(),
                                Value::String("Microsoft.Authorization/roleAssignments".to_string()),
                            );
                        }
                        arm::object(b, o, tenant);
                    }
                    _ => b.warn(None, format!("an item of an AzureHound {kind} without its role assignment: skipped")),
                }
            }
            b.counts.imported = imported + 1;
        }
        _ if is_derived(&kind) => {
            *b.counts.ignored_kinds.entry(kind).or_default() += 1;
        }
        _ => {
            // A resource (AZKeyVault, AZVM, AZResourceGroup, AZManagementGroup, AZStorageAccount, ...): an ARM object.
            if str_of(&data, "type").is_some_and(|t| t.contains('/')) && str_of(&data, "id").is_some() {
                arm::object(b, data, tenant);
            } else {
                *b.counts.ignored_kinds.entry(kind).or_default() += 1;
            }
        }
    }
}

/// The objects of the first of `keys` that holds an array.
fn list(data: &Map<String, Value>, keys: &[&str]) -> Option<Vec<Map<String, Value>>> {
    let items = keys.iter().find_map(|k| data.get(*k).and_then(Value::as_array))?;
    Some(items.iter().filter_map(|v| v.as_object().cloned()).collect())
}

/// A member or owner list of one object: `{"groupId": "...", "members": [{"groupId": "...", "member": {...}}]}`.
fn relations(
    b: &mut Builder,
    data: &Map<String, Value>,
    owner_key: &str,
    list_key: &str,
    item_key: &str,
    relation: Relation,
    tenant: Option<&str>,
) {
    let Some(owner) = str_of(data, owner_key).map(str::to_string) else {
        b.counts.skipped += 1;
        b.warn(None, format!("an AzureHound list of {list_key} without its {owner_key}: skipped"));
        return;
    };
    let imported = b.counts.imported;
    for item in data.get(list_key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
        if let Some(Value::Object(o)) = item.get(item_key) {
            graph::related(b, relation, &owner, o.clone(), tenant);
        }
    }
    b.counts.imported = imported + 1;
}

/// A management group's descendant: a subscription or a group, with its parent.
fn descendant(b: &mut Builder, data: &Map<String, Value>, tenant: Option<&str>) {
    let id = str_of(data, "id").unwrap_or_default();
    let properties = data.get("properties");
    let parent = properties.and_then(|p| p.get("parent")).and_then(|p| p.get("id")).and_then(Value::as_str);
    let (Some(parent), false) = (parent, id.is_empty()) else {
        b.counts.skipped += 1;
        b.warn(None, "a management group descendant without its id or parent: skipped");
        return;
    };
    let kind = str_of(data, "type").unwrap_or_default();
    if kind.eq_ignore_ascii_case("/subscriptions") {
        let sub = super::builder::subscription_of(id).unwrap_or(id).to_string();
        b.subscription_parent(&sub, parent);
    } else {
        let name = properties.and_then(|p| p.get("display_name").or(p.get("displayName"))).and_then(Value::as_str);
        b.unit_parent(tenant.map(str::to_string), id, name, parent);
    }
    b.counts.imported += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sightline_model::PrincipalKind;

    #[test]
    fn users_groups_members_and_rbac() {
        let mut b = Builder::default();
        let t = "6c12b0b0-b2cc-4a73-8252-0b94bfca2145";
        for r in [
            json!({"kind": "AZUser", "data": {"id": "u1", "displayName": "Ana", "userPrincipalName": "ana@contoso.com", "tenantId": t, "tenantName": "Contoso"}}),
            json!({"kind": "AZGroup", "data": {"id": "g1", "displayName": "Ops", "securityEnabled": true, "tenantId": t}}),
            json!({"kind": "AZGroupMember", "data": {"groupId": "g1", "members": [{"groupId": "g1", "member": {"@odata.type": "#microsoft.graph.user", "id": "u1"}}]}}),
            json!({"kind": "AZSubscriptionRoleAssignment", "data": {"subscriptionId": "s1", "roleAssignments": [{"subscriptionId": "s1", "roleAssignment": {
                "id": "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1", "name": "a1", "type": "Microsoft.Authorization/roleAssignments",
                "properties": {"principalId": "u1", "roleDefinitionId": "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "scope": "/subscriptions/s1"}}}]}}),
            json!({"kind": "AZSubscriptionOwner", "data": {"subscriptionId": "s1", "owners": []}}),
            json!({"kind": "AZManagementGroupDescendant", "data": {"id": "/subscriptions/s1", "name": "s1", "type": "/subscriptions",
                   "properties": {"display_name": "Prod", "parent": {"id": "/providers/Microsoft.Management/managementGroups/prod"}}}}),
            json!({"kind": "AZSubscription", "data": {"id": "/subscriptions/s1", "subscriptionId": "s1", "displayName": "Prod", "state": "Enabled", "tenantId": t}}),
        ] {
            assert!(is_record(&r));
            record(&mut b, r);
        }
        assert_eq!(b.counts.ignored_kinds["AZSubscriptionOwner"], 1);
        let (s, w) = b.finish("t", None);
        assert!(w.is_empty(), "{w:?}");
        let u = s.principals.iter().find(|p| p.id == "u1").unwrap();
        assert_eq!(u.kind, PrincipalKind::User);
        assert_eq!(u.groups, vec!["g1"]);
        assert_eq!(u.account_id, t);
        assert!(u.properties.get("tenantId").is_none());
        let ra = &s.resources[0];
        assert_eq!(ra.resource_type, "Microsoft.Authorization/roleAssignments");
        assert_eq!(ra.properties["principalId"], "u1");
        assert_eq!(ra.account_id, "s1");
        assert_eq!(s.accounts[0].parent_id.as_deref(), Some("/providers/Microsoft.Management/managementGroups/prod"));
    }
}
