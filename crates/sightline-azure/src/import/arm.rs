//! ARM objects, whichever source gave them: ARM list responses, Resource Graph rows, `az` CLI output (flattened
//! or not), AzureHound's resource records.

use super::azcli;
use super::builder::{lower, str_of, subscription_of, tags_of, Builder, NO_TENANT};
use super::graph;
use super::types::canonical_type;
use serde_json::{Map, Value};
use sightline_model::{Account, OrganizationUnit, Policy, PolicyKind, Provider, Resource};

/// Columns Resource Graph (and `az resource list`, and AzureHound) add to the ARM object: dropped, so that the
/// stored object is the one ARM returns.
pub(crate) const ADDED_COLUMNS: [&str; 5] =
    ["subscriptionId", "resourceGroup", "tenantId", "resourceGroupId", "resourceGroupName"];

/// Resource Graph columns that ARM leaves out when empty.
const OPTIONAL_COLUMNS: [&str; 10] =
    ["kind", "managedBy", "location", "sku", "plan", "identity", "zones", "extendedLocation", "tags", "properties"];

const MANAGEMENT_GROUP_TYPE: &str = "Microsoft.Management/managementGroups";

/// Reads one record of a Resource Graph, ARM or `az` export: an ARM object, a subscription, or a Graph object.
pub(crate) fn record(b: &mut Builder, value: Value, tenant: Option<&str>) {
    let Value::Object(obj) = value else {
        b.counts.skipped += 1;
        b.warn(None, "not a JSON object: skipped");
        return;
    };
    if obj.contains_key("@odata.type") {
        graph::object(b, None, obj, tenant);
    } else if is_subscription(&obj) {
        subscription(b, obj, tenant);
    } else if str_of(&obj, "type").is_some_and(|t| t.contains('/')) && str_of(&obj, "id").is_some() {
        object(b, obj, tenant);
    } else if let Some(entity) = graph::sniff(&obj) {
        graph::object(b, Some(entity), obj, tenant);
    } else {
        b.counts.skipped += 1;
        let id = str_of(&obj, "id").map(str::to_string);
        b.warn(
            id.as_deref(),
            "not a record Sightline recognises (no ARM type, not a subscription, not a Graph object): skipped",
        );
    }
}

/// A subscription: from ARM (`/subscriptions/{id}` with `subscriptionId`), Resource Graph (`type`
/// `microsoft.resources/subscriptions`) or `az account list` (`id` the GUID, with `tenantId` and `state`).
fn is_subscription(obj: &Map<String, Value>) -> bool {
    if let Some(t) = str_of(obj, "type") {
        return t.eq_ignore_ascii_case("Microsoft.Resources/subscriptions");
    }
    let id = str_of(obj, "id").unwrap_or_default();
    let arm = subscription_of(id).is_some_and(|s| id.trim_end_matches('/').len() == "/subscriptions/".len() + s.len())
        && obj.contains_key("subscriptionId");
    let az = !id.contains('/')
        && obj.contains_key("tenantId")
        && obj.contains_key("state")
        && (obj.contains_key("isDefault") || obj.contains_key("homeTenantId") || obj.contains_key("cloudName"));
    arm || az
}

pub(crate) fn subscription(b: &mut Builder, obj: Map<String, Value>, tenant: Option<&str>) {
    let given = str_of(&obj, "id").unwrap_or_default();
    let Some(id) =
        str_of(&obj, "subscriptionId").or_else(|| subscription_of(given)).or((!given.is_empty()).then_some(given))
    else {
        b.counts.skipped += 1;
        b.warn(None, "a subscription without an id: skipped");
        return;
    };
    let id = id.to_string();
    let tenant = str_of(&obj, "tenantId").or(tenant).or_else(|| str_of(&obj, "homeTenantId")).map(|t| b.tenant(t));
    let name = str_of(&obj, "displayName").or_else(|| str_of(&obj, "name")).map(str::to_string);
    // Resource Graph lists the management groups above the subscription, nearest first.
    let parent = obj
        .get("properties")
        .and_then(|p| p.get("managementGroupAncestorsChain"))
        .and_then(|c| c.get(0))
        .and_then(|g| g.get("name"))
        .and_then(Value::as_str)
        .map(|name| format!("/providers/{MANAGEMENT_GROUP_TYPE}/{name}"));
    let account_tenant = tenant.clone().unwrap_or_else(|| NO_TENANT.to_string());
    b.covered(&account_tenant, "Microsoft.Resources", "subscriptions");
    b.account(Account {
        provider: Provider::Azure,
        id,
        name,
        organization_id: Some(account_tenant),
        parent_id: parent,
        tags: tags_of(&obj),
    });
    b.counts.imported += 1;
}

/// An ARM object (flattened by `az` or not), by its type.
pub(crate) fn object(b: &mut Builder, mut obj: Map<String, Value>, tenant: Option<&str>) {
    let given = str_of(&obj, "type").unwrap_or_default().to_string();
    let id = str_of(&obj, "id").unwrap_or_default().to_string();
    let canonical = canonical_type(&given);
    if canonical.is_none() {
        *b.counts.unknown_types.entry(given.clone()).or_default() += 1;
    }
    let resource_type = canonical.map_or_else(|| given.clone(), str::to_string);
    let tenant = str_of(&obj, "tenantId").or(tenant).map(|t| b.tenant(t));
    if azcli::is_flattened(&obj) {
        obj = azcli::unflatten(&resource_type, obj);
    } else {
        for column in ADDED_COLUMNS {
            obj.remove(column);
        }
        for column in OPTIONAL_COLUMNS {
            if obj.get(column).is_some_and(|v| v.is_null() || v.as_str() == Some("")) {
                obj.remove(column);
            }
        }
    }
    obj.insert("type".to_string(), Value::String(resource_type.clone()));
    let tenant_or_none = || tenant.clone().unwrap_or_else(|| NO_TENANT.to_string());
    match lower(&resource_type).as_str() {
        "microsoft.resources/subscriptions" => subscription(b, obj, tenant.as_deref()),
        "microsoft.management/managementgroups" => management_group(b, obj, tenant),
        "microsoft.authorization/roledefinitions" => role_definition(b, obj, &id),
        "microsoft.authorization/roleassignments"
        | "microsoft.authorization/roleeligibilityscheduleinstances"
        | "microsoft.authorization/roleeligibilityschedules"
        | "microsoft.authorization/roleassignmentscheduleinstances"
        | "microsoft.authorization/roleassignmentschedules"
        | "microsoft.authorization/denyassignments" => {
            let properties = match obj.remove("properties") {
                Some(Value::Object(p)) => p,
                _ => {
                    b.warn(Some(&id), "an assignment without properties: kept, but it names no principal or role");
                    Map::new()
                }
            };
            let scope = properties.get("scope").and_then(Value::as_str).unwrap_or_default();
            let account =
                subscription_of(&id).or_else(|| subscription_of(scope)).map_or_else(tenant_or_none, str::to_string);
            b.covered_type(&account, &resource_type);
            let name = str_of(&obj, "name").unwrap_or_default().to_string();
            b.resource(Resource {
                provider: Provider::Azure,
                id,
                resource_type,
                account_id: account,
                region: None,
                name,
                policy: None,
                tags: Default::default(),
                properties: Value::Object(properties).into(),
            });
            b.counts.imported += 1;
        }
        _ => {
            if id.is_empty() {
                b.counts.skipped += 1;
                b.warn(None, format!("a {resource_type} without an id: skipped"));
                return;
            }
            let account = subscription_of(&id).map_or_else(tenant_or_none, str::to_string);
            b.covered_type(&account, &resource_type);
            // A Databricks workspace's diagnostic setting shows that the workspaces' settings were listed (the
            // subscription's or a vault's say nothing about them).
            if lower(&resource_type) == "microsoft.insights/diagnosticsettings"
                && lower(&id).contains("/providers/microsoft.databricks/workspaces/")
            {
                b.covered(&account, "Microsoft.Databricks", "workspaces/diagnosticSettings");
            }
            let region = str_of(&obj, "location").map(str::to_string);
            let name = str_of(&obj, "name").unwrap_or_default().to_string();
            let tags = tags_of(&obj);
            b.resource(Resource {
                provider: Provider::Azure,
                id,
                resource_type,
                account_id: account,
                region,
                name,
                policy: None,
                tags,
                properties: Value::Object(obj).into(),
            });
            b.counts.imported += 1;
        }
    }
}

fn management_group(b: &mut Builder, obj: Map<String, Value>, tenant: Option<String>) {
    let Some(id) = str_of(&obj, "id").map(str::to_string) else {
        b.counts.skipped += 1;
        b.warn(None, "a management group without an id: skipped");
        return;
    };
    let properties = obj.get("properties").and_then(Value::as_object);
    let tenant = properties.and_then(|p| str_of(p, "tenantId")).map(|t| b.tenant(t)).or(tenant);
    let name = properties
        .and_then(|p| str_of(p, "displayName"))
        .or_else(|| str_of(&obj, "name"))
        .unwrap_or_default()
        .to_string();
    let parent = properties
        .and_then(|p| p.get("details"))
        .and_then(|d| d.get("parent"))
        .and_then(|p| p.get("id"))
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    b.covered(tenant.as_deref().unwrap_or(NO_TENANT), "Microsoft.Management", "managementGroups");
    if let Some(children) = properties.and_then(|p| p.get("children")).and_then(Value::as_array) {
        children_of(b, &id, children, tenant.clone());
    }
    b.unit(tenant, OrganizationUnit { id, name, parent_id: parent });
    b.counts.imported += 1;
}

/// The `children` of a management group (`$expand=children`, recursively with `$recurse=true`).
fn children_of(b: &mut Builder, parent: &str, children: &[Value], tenant: Option<String>) {
    for child in children {
        let Some(child) = child.as_object() else { continue };
        let Some(id) = str_of(child, "id") else { continue };
        let kind = str_of(child, "type").unwrap_or_default();
        if kind.eq_ignore_ascii_case("/subscriptions") || kind.eq_ignore_ascii_case("Microsoft.Resources/subscriptions")
        {
            if let Some(sub) = subscription_of(id) {
                b.subscription_parent(sub, parent);
            }
        } else if kind.eq_ignore_ascii_case(MANAGEMENT_GROUP_TYPE) {
            b.unit_parent(tenant.clone(), id, str_of(child, "displayName"), parent);
            if let Some(grandchildren) = child.get("children").and_then(Value::as_array) {
                children_of(b, id, grandchildren, tenant.clone());
            }
        }
    }
}

fn role_definition(b: &mut Builder, mut obj: Map<String, Value>, id: &str) {
    if id.is_empty() {
        b.counts.skipped += 1;
        b.warn(None, "a role definition without an id: skipped");
        return;
    }
    let properties = match obj.remove("properties") {
        Some(Value::Object(p)) => p,
        _ => {
            b.counts.skipped += 1;
            b.warn(Some(id), "a role definition without properties: skipped");
            return;
        }
    };
    let name = str_of(&properties, "roleName").or_else(|| str_of(&obj, "name")).unwrap_or(id).to_string();
    let built_in = str_of(&properties, "type").is_some_and(|t| t.eq_ignore_ascii_case("BuiltInRole"));
    let account = if built_in { None } else { subscription_of(id).map(str::to_string) };
    let document = match serde_json::value::to_raw_value(&properties) {
        Ok(d) => d,
        Err(e) => {
            b.counts.skipped += 1;
            b.warn(Some(id), format!("a role definition that cannot be stored: {e}"));
            return;
        }
    };
    // A built-in role is the same role whichever subscription it is listed under: kept once, by its GUID.
    let guid = id.rsplit('/').next().unwrap_or(id);
    let key = if built_in { format!("builtin:{}", lower(guid)) } else { lower(id) };
    let covered_account = account.clone().or_else(|| subscription_of(id).map(str::to_string));
    b.covered_type(covered_account.as_deref().unwrap_or(NO_TENANT), "Microsoft.Authorization/roleDefinitions");
    b.policy(
        key,
        Policy {
            provider: Provider::Azure,
            id: id.to_string(),
            kind: PolicyKind::RoleDefinition,
            name,
            account_id: account,
            document,
            properties: Value::Null,
        },
        |_| false,
    );
    b.counts.imported += 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(values: Vec<Value>) -> sightline_model::Snapshot {
        let mut b = Builder::default();
        for v in values {
            record(&mut b, v, None);
        }
        b.finish("test", None).0
    }

    #[test]
    fn resource_graph_rows_become_arm_objects() {
        let s = run(vec![json!({
            "id": "/subscriptions/1f0c5a3e-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1",
            "name": "st1", "type": "microsoft.storage/storageaccounts", "tenantId": "t", "kind": "StorageV2",
            "location": "westeurope", "resourceGroup": "rg", "subscriptionId": "1f0c5a3e-0000-4000-8000-000000000001",
            "managedBy": "", "sku": {"name": "Standard_LRS"}, "plan": null, "properties": {"minimumTlsVersion": "TLS1_0"},
            "tags": {"env": "prod"}, "identity": null, "zones": null, "extendedLocation": null
        })]);
        let r = &s.resources[0];
        assert_eq!(r.resource_type, "Microsoft.Storage/storageAccounts");
        assert_eq!(r.account_id, "1f0c5a3e-0000-4000-8000-000000000001");
        assert_eq!(r.region.as_deref(), Some("westeurope"));
        assert_eq!(r.properties["type"], "Microsoft.Storage/storageAccounts");
        assert_eq!(r.properties["properties"]["minimumTlsVersion"], "TLS1_0");
        assert!(r.properties.get("subscriptionId").is_none() && r.properties.get("plan").is_none());
        assert_eq!(r.tags["env"], "prod");
        assert_eq!(s.coverage[0].service, "Microsoft.Storage");
        assert_eq!(s.coverage[0].operation, "storageAccounts");
        assert_eq!(s.organizations[0].id, "t");
    }

    #[test]
    fn built_in_roles_are_kept_once_and_without_account() {
        let role = |sub: &str| {
            json!({"id": format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"),
                   "type": "Microsoft.Authorization/roleDefinitions", "name": "b24988ac-6180-42a0-ab88-20f7382dd24c",
                   "properties": {"roleName": "Contributor", "type": "BuiltInRole", "permissions": [{"actions": ["*"]}], "assignableScopes": ["/"]}})
        };
        let s = run(vec![role("a"), role("b")]);
        assert_eq!(s.policies.len(), 1);
        assert_eq!(s.policies[0].account_id, None);
        assert_eq!(s.policies[0].name, "Contributor");
        assert!(s.policies[0].document.get().contains("\"roleName\":\"Contributor\""));
    }

    #[test]
    fn management_groups_and_subscriptions_form_the_tree() {
        let s = run(vec![
            json!({"id": "/providers/Microsoft.Management/managementGroups/root-tenant", "type": "microsoft.management/managementgroups",
                   "name": "root-tenant", "tenantId": "T1", "properties": {"displayName": "Tenant Root Group", "details": {"parent": {"id": null}}}}),
            json!({"id": "/providers/Microsoft.Management/managementGroups/prod", "type": "microsoft.management/managementgroups",
                   "name": "prod", "tenantId": "T1", "properties": {"displayName": "Production",
                   "details": {"parent": {"id": "/providers/Microsoft.Management/managementGroups/root-tenant"}}}}),
            json!({"id": "/subscriptions/s1", "type": "microsoft.resources/subscriptions", "name": "Prod 1", "tenantId": "T1",
                   "subscriptionId": "s1", "properties": {"state": "Enabled", "managementGroupAncestorsChain": [{"name": "prod", "displayName": "Production"}]}}),
        ]);
        assert_eq!(s.organizations.len(), 1);
        let units = &s.organizations[0].units;
        assert_eq!(units.len(), 2);
        assert!(units
            .iter()
            .any(|u| u.name == "Production" && u.parent_id.as_deref().is_some_and(|p| p.ends_with("root-tenant"))));
        assert_eq!(s.accounts[0].id, "s1");
        assert_eq!(s.accounts[0].parent_id.as_deref(), Some("/providers/Microsoft.Management/managementGroups/prod"));
        assert_eq!(s.accounts[0].organization_id.as_deref(), Some("T1"));
    }

    #[test]
    fn az_management_group_output_is_read_flattened() {
        // `az account management-group list`, and `show --expand --recurse`.
        let s = run(vec![
            json!({"displayName": "Production", "id": "/providers/Microsoft.Management/managementGroups/prod",
                   "name": "prod", "tenantId": "T1", "type": "Microsoft.Management/managementGroups"}),
            json!({"displayName": "Platform", "id": "/providers/Microsoft.Management/managementGroups/platform", "name": "platform",
                   "tenantId": "T1", "type": "Microsoft.Management/managementGroups",
                   "details": {"parent": {"id": "/providers/Microsoft.Management/managementGroups/T1", "name": "T1"}},
                   "children": [{"displayName": "Shared", "id": "/subscriptions/s9", "name": "s9", "type": "/subscriptions", "children": null}]}),
            json!({"cloudName": "AzureCloud", "homeTenantId": "T1", "id": "s9", "isDefault": false, "name": "Shared",
                   "state": "Enabled", "tenantId": "T1"}),
        ]);
        let units = &s.organizations[0].units;
        assert_eq!(units.len(), 2);
        let platform = units.iter().find(|u| u.name == "Platform").unwrap();
        assert_eq!(platform.parent_id.as_deref(), Some("/providers/Microsoft.Management/managementGroups/T1"));
        assert_eq!(
            s.accounts[0].parent_id.as_deref(),
            Some("/providers/Microsoft.Management/managementGroups/platform")
        );
    }

    #[test]
    fn unknown_types_are_kept_and_counted() {
        let mut b = Builder::default();
        record(
            &mut b,
            json!({"id": "/subscriptions/s/resourceGroups/r/providers/Contoso.Widgets/widgets/w", "type": "contoso.widgets/widgets", "properties": {}}),
            None,
        );
        assert_eq!(b.counts.unknown_types["contoso.widgets/widgets"], 1);
        let (s, _) = b.finish("t", Some("tenant"));
        assert_eq!(s.resources[0].resource_type, "contoso.widgets/widgets");
    }
}
