//! The `az` CLI's flattened objects, mapped back to their ARM REST shape.
//!
//! The `az` CLI prints what the Azure SDK for Python makes of an ARM object: the members of `properties` are
//! lifted to the top level, and a few are renamed after the SDK's attribute names. An object is taken as flattened
//! when it has no `properties` object but has members that are not ARM envelope members. Its envelope members stay
//! where they are, `resourceGroup` (added by `az`) is dropped, and every other member moves into `properties`, under
//! its REST name where the SDK renamed it ([`RENAMES`]). Nested sub-resources the SDK flattened the same way
//! (network security rules, private endpoint connections) are mapped back too. docs/azure-import.md lists the map.

use serde_json::{Map, Value};

/// Members of an ARM object that sit beside `properties`, not in it.
const ENVELOPE: [&str; 14] = [
    "id",
    "name",
    "type",
    "location",
    "tags",
    "kind",
    "sku",
    "identity",
    "etag",
    "zones",
    "plan",
    "managedBy",
    "extendedLocation",
    "systemData",
];

/// Members `az` adds that ARM does not return.
const ADDED: [&str; 1] = ["resourceGroup"];

/// Members ARM keeps in `properties` for some types although they are envelope members for most: (type, member).
const IN_PROPERTIES: [(&str, &str); 2] =
    [("Microsoft.KeyVault/vaults", "sku"), ("Microsoft.KeyVault/vaults", "tenantId")];

/// Members at the top level of ARM objects of some types besides the envelope: (type, member).
const ALSO_ENVELOPE: [(&str, &str); 1] = [("Microsoft.Compute/virtualMachines", "resources")];

/// Members the SDK renamed: (type, SDK name, REST name). Applies inside `properties`.
pub const RENAMES: [(&str, &str, &str); 4] = [
    ("Microsoft.Storage/storageAccounts", "enableHttpsTrafficOnly", "supportsHttpsTrafficOnly"),
    ("Microsoft.Storage/storageAccounts", "networkRuleSet", "networkAcls"),
    ("Microsoft.Storage/storageAccounts", "enableNfsV3", "isNfsV3Enabled"),
    ("Microsoft.Authorization/roleDefinitions", "roleType", "type"),
];

/// Arrays of sub-resources flattened like their parent: (type, member).
const NESTED: [(&str, &str); 6] = [
    ("Microsoft.Network/networkSecurityGroups", "securityRules"),
    ("Microsoft.Network/networkSecurityGroups", "defaultSecurityRules"),
    ("Microsoft.Storage/storageAccounts", "privateEndpointConnections"),
    ("Microsoft.KeyVault/vaults", "privateEndpointConnections"),
    ("Microsoft.Sql/servers", "privateEndpointConnections"),
    ("Microsoft.Network/virtualNetworks", "subnets"),
];

fn is_envelope(resource_type: &str, key: &str) -> bool {
    if IN_PROPERTIES.iter().any(|(t, k)| t.eq_ignore_ascii_case(resource_type) && *k == key) {
        return false;
    }
    ENVELOPE.contains(&key) || ALSO_ENVELOPE.iter().any(|(t, k)| t.eq_ignore_ascii_case(resource_type) && *k == key)
}

/// Whether an object is in the `az` CLI's flattened shape.
pub(crate) fn is_flattened(obj: &Map<String, Value>) -> bool {
    if obj.get("properties").is_some_and(Value::is_object) {
        return false;
    }
    let resource_type = obj.get("type").and_then(Value::as_str).unwrap_or_default();
    obj.iter().any(|(k, v)| {
        !is_envelope(resource_type, k)
            && !ADDED.contains(&k.as_str())
            && !super::arm::ADDED_COLUMNS.contains(&k.as_str())
            && k != "properties"
            && !v.is_null()
    })
}

/// Moves the flattened members of an `az` object back into `properties`.
pub(crate) fn unflatten(resource_type: &str, obj: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    let mut properties = Map::new();
    for (key, value) in obj {
        if ADDED.contains(&key.as_str()) || key == "properties" {
            continue;
        }
        if is_envelope(resource_type, &key) {
            out.insert(key, value);
            continue;
        }
        let value = match NESTED.iter().find(|(t, k)| t.eq_ignore_ascii_case(resource_type) && *k == key) {
            Some(_) => match value {
                Value::Array(items) => Value::Array(
                    items
                        .into_iter()
                        .map(|item| match item {
                            Value::Object(o) if is_flattened(&o) => Value::Object(unflatten("", o)),
                            other => other,
                        })
                        .collect(),
                ),
                other => other,
            },
            None => value,
        };
        let key = RENAMES
            .iter()
            .find(|(t, sdk, _)| t.eq_ignore_ascii_case(resource_type) && *sdk == key)
            .map_or(key, |(_, _, rest)| (*rest).to_string());
        let value = if resource_type.eq_ignore_ascii_case("Microsoft.Storage/storageAccounts") && key == "networkAcls" {
            storage_network_rules(value)
        } else {
            value
        };
        properties.insert(key, value);
    }
    out.insert("properties".to_string(), Value::Object(properties));
    out
}

/// The SDK's names inside a storage account's network rule set: `ipRules[].ipAddressOrRange` is REST's
/// `ipRules[].value`, `virtualNetworkRules[].virtualNetworkResourceId` is REST's `virtualNetworkRules[].id`.
fn storage_network_rules(mut value: Value) -> Value {
    let rename = |list: Option<&mut Value>, from: &str, to: &str| {
        if let Some(Value::Array(items)) = list {
            for item in items {
                if let Value::Object(o) = item {
                    if let Some(v) = o.remove(from) {
                        o.insert(to.to_string(), v);
                    }
                }
            }
        }
    };
    rename(value.get_mut("ipRules"), "ipAddressOrRange", "value");
    rename(value.get_mut("virtualNetworkRules"), "virtualNetworkResourceId", "id");
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(o) => o,
            _ => unreachable!(),
        }
    }

    #[test]
    fn storage_accounts_get_their_rest_names_back() {
        let o = obj(json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st", "name": "st",
            "type": "Microsoft.Storage/storageAccounts", "location": "eastus", "kind": "StorageV2",
            "sku": {"name": "Standard_LRS", "tier": "Standard"}, "resourceGroup": "rg",
            "enableHttpsTrafficOnly": true, "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false,
            "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices",
                               "ipRules": [{"action": "Allow", "ipAddressOrRange": "203.0.113.0/24"}], "virtualNetworkRules": []}
        }));
        assert!(is_flattened(&o));
        let u = unflatten("Microsoft.Storage/storageAccounts", o);
        assert_eq!(u["properties"]["supportsHttpsTrafficOnly"], true);
        assert_eq!(u["properties"]["networkAcls"]["ipRules"][0]["value"], "203.0.113.0/24");
        assert_eq!(u["sku"]["name"], "Standard_LRS");
        assert!(
            !u.contains_key("resourceGroup") && !u["properties"].as_object().unwrap().contains_key("resourceGroup")
        );
    }

    #[test]
    fn role_assignments_and_definitions_regain_properties() {
        let o = obj(json!({"id": "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/a", "name": "a",
            "type": "Microsoft.Authorization/roleAssignments", "principalId": "p", "principalType": "User",
            "roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/r", "scope": "/subscriptions/s",
            "condition": null, "resourceGroup": null}));
        assert!(is_flattened(&o));
        let u = unflatten("Microsoft.Authorization/roleAssignments", o);
        assert_eq!(u["properties"]["principalId"], "p");
        let d = unflatten(
            "Microsoft.Authorization/roleDefinitions",
            obj(
                json!({"id": "x", "type": "Microsoft.Authorization/roleDefinitions", "roleName": "Reader", "roleType": "BuiltInRole",
                       "permissions": [], "assignableScopes": ["/"]}),
            ),
        );
        assert_eq!(d["properties"]["type"], "BuiltInRole");
        assert_eq!(d["type"], "Microsoft.Authorization/roleDefinitions");
    }

    #[test]
    fn nested_security_rules_are_unflattened() {
        let u = unflatten(
            "Microsoft.Network/networkSecurityGroups",
            obj(json!({"id": "n", "type": "Microsoft.Network/networkSecurityGroups", "securityRules": [
                {"id": "n/securityRules/r", "name": "r", "access": "Allow", "direction": "Inbound", "destinationPortRange": "22",
                 "sourceAddressPrefix": "*", "resourceGroup": "rg", "type": "Microsoft.Network/networkSecurityGroups/securityRules"}]})),
        );
        let rule = &u["properties"]["securityRules"][0];
        assert_eq!(rule["properties"]["destinationPortRange"], "22");
        assert_eq!(rule["name"], "r");
    }

    #[test]
    fn key_vaults_keep_sku_and_tenant_in_properties() {
        let u = unflatten(
            "Microsoft.KeyVault/vaults",
            obj(
                json!({"id": "v", "type": "Microsoft.KeyVault/vaults", "sku": {"family": "A", "name": "standard"}, "tenantId": "t",
                       "enableRbacAuthorization": true}),
            ),
        );
        assert_eq!(u["properties"]["sku"]["name"], "standard");
        assert_eq!(u["properties"]["tenantId"], "t");
    }
}
