//! Azure edges on their fixtures, written in a short form that [`snapshot`] turns into records shaped as
//! `docs/azure.md` says:
//!
//! ```json
//! {"users": ["attacker", "victim"],
//!  "groups": {"ops": {"members": ["attacker"], "owners": ["x"], "properties": {"isAssignableToRole": true}}},
//!  "user_properties": {"victim": {"accountEnabled": false}},              // merged into the Graph user
//!  "sps": {"deployer": {"appId": "a1", "owners": ["attacker"], "accountEnabled": true}},  // service principals
//!  "apps": {"deployer-app": {"appId": "a1", "owners": ["attacker"]}},     // app registrations
//!  "identities": {"vm1-identity": "<resource id in alternativeNames>"},    // managed identities
//!  "roles": {"Custom": {"actions": [], "notActions": [], "dataActions": [], "notDataActions": []}},
//!  "assign": [["attacker", "Owner", "/subscriptions/s1", "optional condition"]],
//!  "eligible": [["attacker", "Owner", "/subscriptions/s1"]],
//!  "deny": [["attacker" | "everyone", ["actions"], "scope"]],
//!  "directory": [["attacker", "Helpdesk Administrator", "/"]], "directory_eligible": [...],
//!  "app_permissions": [["attacker", "Application.ReadWrite.All"]],
//!  "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "rg": "rg1", "properties": {}}]}
//! ```
//!
//! Object ids are the fixture names. Tenant `t1` has the root management group `t1`, the group `prod` under it
//! and subscription `s1` under `prod`; resources default to resource group `rg1`. Built-in roles are given as
//! their public definitions (the parts the fixtures need).
//!
//! [`Fake`], a stand-in for the permission engine `sightline_azure::rbac`, answers the
//! [`Permissions`] questions over the same records, so that every edge runs on its fixtures now. The same
//! fixtures run against the real engine through `azure::engine`.

use super::*;
use serde_json::{json, Value};

pub(crate) const TENANT: &str = "t1";
pub(crate) const ROOT_MG: &str = "/providers/Microsoft.Management/managementGroups/t1";
pub(crate) const PROD_MG: &str = "/providers/Microsoft.Management/managementGroups/prod";
pub(crate) const SUBSCRIPTION: &str = "s1";

/// A built-in Azure role: name, actions, notActions, dataActions.
type BuiltIn = (&'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

/// Built-in Azure roles.
const AZURE_ROLES: &[BuiltIn] = &[
    ("Owner", &["*"], &[], &[]),
    (
        "Contributor",
        &["*"],
        &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
        ],
        &[],
    ),
    ("Reader", &["*/read"], &[], &[]),
    ("User Access Administrator", &["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], &[], &[]),
    (
        "Virtual Machine Contributor",
        &["Microsoft.Compute/virtualMachines/*", "Microsoft.Resources/subscriptions/resourceGroups/read"],
        &[],
        &[],
    ),
    (
        "Managed Identity Operator",
        &[
            "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
            "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
        ],
        &[],
        &[],
    ),
    (
        "Key Vault Reader",
        &["Microsoft.KeyVault/vaults/read"],
        &[],
        &["Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
    ),
    (
        "Key Vault Secrets User",
        &[],
        &[],
        &[
            "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        ],
    ),
    (
        "Key Vault Crypto User",
        &[],
        &[],
        &[
            "Microsoft.KeyVault/vaults/keys/read",
            "Microsoft.KeyVault/vaults/keys/encrypt/action",
            "Microsoft.KeyVault/vaults/keys/decrypt/action",
            "Microsoft.KeyVault/vaults/keys/wrap/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
            "Microsoft.KeyVault/vaults/keys/sign/action",
            "Microsoft.KeyVault/vaults/keys/verify/action",
        ],
    ),
    (
        "Storage Account Key Operator Service Role",
        &[
            "Microsoft.Storage/storageAccounts/listkeys/action",
            "Microsoft.Storage/storageAccounts/regeneratekey/action",
        ],
        &[],
        &[],
    ),
];

/// Built-in directory roles: name and allowed resource actions (the parts the fixtures need).
const DIRECTORY_ROLES: &[(&str, &[&str])] = &[
    (
        "Global Administrator",
        &[
            "microsoft.directory/applications/allProperties/allTasks",
            "microsoft.directory/groups/allProperties/allTasks",
            "microsoft.directory/roleAssignments/allProperties/allTasks",
            "microsoft.directory/servicePrincipals/allProperties/allTasks",
            "microsoft.directory/users/allProperties/allTasks",
        ],
    ),
    (
        "Privileged Role Administrator",
        &[
            "microsoft.directory/roleAssignments/allProperties/allTasks",
            "microsoft.directory/roleDefinitions/allProperties/allTasks",
        ],
    ),
    (
        "Helpdesk Administrator",
        &["microsoft.directory/users/password/update", "microsoft.directory/users/invalidateAllRefreshTokens"],
    ),
    (
        "Application Administrator",
        &[
            "microsoft.directory/applications/credentials/update",
            "microsoft.directory/servicePrincipals/credentials/update",
        ],
    ),
    (
        "Groups Administrator",
        &["microsoft.directory/groups/members/update", "microsoft.directory/groups/owners/update"],
    ),
    ("Directory Readers", &["microsoft.directory/users/standard/read", "microsoft.directory/groups/standard/read"]),
];

/// Microsoft Graph's application permissions the fixtures use.
const GRAPH_PERMISSIONS: &[&str] = &[
    "RoleManagement.ReadWrite.Directory",
    "Application.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
    "Application.Read.All",
];

fn slug(name: &str) -> String {
    name.to_ascii_lowercase().replace(' ', "-")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
}

fn azure_role(
    name: &str,
    actions: Value,
    not_actions: Value,
    data_actions: Value,
    not_data: Value,
    builtin: bool,
) -> Value {
    json!({"provider": "azure", "id": format!("/providers/Microsoft.Authorization/roleDefinitions/{}", slug(name)),
           "kind": "role_definition", "name": name,
           "document": {"roleName": name, "type": if builtin { "BuiltInRole" } else { "CustomRole" },
                        "permissions": [{"actions": actions, "notActions": not_actions,
                                         "dataActions": data_actions, "notDataActions": not_data}],
                        "assignableScopes": ["/"]}})
}

fn assignment_id(scope: &str, kind: &str, i: usize) -> String {
    format!("{}/providers/Microsoft.Authorization/{kind}/{kind}-{i}", scope.trim_end_matches('/'))
}

/// The snapshot a fixture describes.
pub(crate) fn snapshot(fixture: &str) -> Snapshot {
    let f: Value = serde_json::from_str(fixture).unwrap_or_else(|e| panic!("fixture: {e}\n{fixture}"));
    let mut principals: Vec<Value> = Vec::new();
    let mut groups_of: HashMap<String, Vec<String>> = HashMap::new();
    for (name, g) in f["groups"].as_object().into_iter().flatten() {
        for m in strings(&g["members"]) {
            groups_of.entry(m).or_default().push(name.clone());
        }
    }
    let principal = |name: &str, kind: &str, properties: Value| {
        json!({"provider": "azure", "id": name, "kind": kind, "account_id": TENANT, "name": name,
               "groups": groups_of.get(name).cloned().unwrap_or_default(), "properties": properties})
    };
    for name in strings(&f["users"]) {
        let mut props =
            json!({"userPrincipalName": format!("{name}@t1.example"), "accountEnabled": true, "userType": "Member"});
        for (k, v) in f["user_properties"][&name].as_object().into_iter().flatten() {
            props[k] = v.clone();
        }
        principals.push(principal(&name, "user", props));
    }
    for (name, g) in f["groups"].as_object().into_iter().flatten() {
        let mut props = g.get("properties").cloned().unwrap_or(json!({}));
        props["securityEnabled"] = json!(true);
        props["owners"] = json!(strings(&g["owners"]));
        principals.push(principal(name, "group", props));
    }
    for (name, sp) in f["sps"].as_object().into_iter().flatten() {
        principals.push(principal(
            name,
            "service_principal",
            json!({"appId": sp["appId"], "servicePrincipalType": "Application", "owners": strings(&sp["owners"]),
                   "accountEnabled": sp.get("accountEnabled").cloned().unwrap_or(json!(true))}),
        ));
    }
    for (name, alt) in f["identities"].as_object().into_iter().flatten() {
        principals.push(principal(
            name,
            "managed_identity",
            json!({"servicePrincipalType": "ManagedIdentity", "alternativeNames": [alt]}),
        ));
    }
    let app_roles: Vec<Value> = GRAPH_PERMISSIONS
        .iter()
        .map(|v| json!({"id": format!("role-{v}"), "value": v, "allowedMemberTypes": ["Application"]}))
        .collect();
    principals.push(principal(
        "graph",
        "service_principal",
        json!({"appId": "00000003-0000-0000-c000-000000000000", "servicePrincipalType": "Application", "appRoles": app_roles}),
    ));
    principals.last_mut().unwrap()["name"] = json!("Microsoft Graph");

    let mut policies: Vec<Value> = AZURE_ROLES
        .iter()
        .map(|(name, a, na, da)| azure_role(name, json!(a), json!(na), json!(da), json!([]), true))
        .collect();
    for (name, r) in f["roles"].as_object().into_iter().flatten() {
        let list = |k: &str| r.get(k).cloned().unwrap_or(json!([]));
        policies.push(azure_role(
            name,
            list("actions"),
            list("notActions"),
            list("dataActions"),
            list("notDataActions"),
            false,
        ));
    }
    for (name, actions) in DIRECTORY_ROLES {
        policies.push(
            json!({"provider": "azure", "id": format!("/providers/Microsoft.Graph/roleDefinitions/{}", slug(name)),
            "kind": "role_definition", "name": name,
            "document": {"displayName": name, "isBuiltIn": true, "templateId": slug(name),
                         "rolePermissions": [{"allowedResourceActions": actions}]}}),
        );
    }

    let mut resources: Vec<Value> = Vec::new();
    for (list, kind, resource_type) in [
        ("assign", "roleAssignments", "Microsoft.Authorization/roleAssignments"),
        ("eligible", "roleEligibilityScheduleInstances", "Microsoft.Authorization/roleEligibilityScheduleInstances"),
    ] {
        for (i, a) in f[list].as_array().into_iter().flatten().enumerate() {
            let (who, role, scope) = (a[0].as_str().unwrap(), a[1].as_str().unwrap(), a[2].as_str().unwrap());
            let mut props = json!({"roleDefinitionId": format!("/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{}", slug(role)),
                                   "principalId": who, "principalType": "User", "scope": scope});
            if let Some(c) = a.get(3) {
                props["condition"] = c.clone();
                props["conditionVersion"] = json!("2.0");
            }
            resources
                .push(json!({"provider": "azure", "id": assignment_id(scope, kind, i), "resource_type": resource_type,
                                  "account_id": SUBSCRIPTION, "name": format!("{kind}-{i}"), "properties": props}));
        }
    }
    for (i, d) in f["deny"].as_array().into_iter().flatten().enumerate() {
        let who = d[0].as_str().unwrap();
        let principal = if who == "everyone" {
            json!({"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"})
        } else {
            json!({"id": who, "type": "User"})
        };
        let scope = d[2].as_str().unwrap();
        resources.push(json!({"provider": "azure", "id": assignment_id(scope, "denyAssignments", i),
            "resource_type": "Microsoft.Authorization/denyAssignments", "account_id": SUBSCRIPTION, "name": format!("deny-{i}"),
            "properties": {"denyAssignmentName": format!("deny-{i}"), "scope": scope, "doNotApplyToChildScopes": false,
                           "permissions": [{"actions": d[1], "notActions": [], "dataActions": [], "notDataActions": []}],
                           "principals": [principal], "excludePrincipals": []}}));
    }
    for (list, resource_type) in [
        ("directory", "Microsoft.Graph/roleAssignments"),
        ("directory_eligible", "Microsoft.Graph/roleEligibilitySchedules"),
    ] {
        for (i, a) in f[list].as_array().into_iter().flatten().enumerate() {
            let role = slug(a[1].as_str().unwrap());
            resources.push(json!({"provider": "azure", "id": format!("{list}-{i}"), "resource_type": resource_type,
                "account_id": TENANT, "name": format!("{list}-{i}"),
                "properties": {"principalId": a[0], "roleDefinitionId": role, "directoryScopeId": a[2]}}));
        }
    }
    for (i, a) in f["app_permissions"].as_array().into_iter().flatten().enumerate() {
        resources.push(json!({"provider": "azure", "id": format!("app-role-assignment-{i}"),
            "resource_type": "Microsoft.Graph/appRoleAssignments", "account_id": TENANT, "name": format!("app-role-assignment-{i}"),
            "properties": {"principalId": a[0], "resourceId": "graph", "appRoleId": format!("role-{}", a[1].as_str().unwrap())}}));
    }
    for (name, app) in f["apps"].as_object().into_iter().flatten() {
        resources.push(json!({"provider": "azure", "id": name, "resource_type": "Microsoft.Graph/applications",
            "account_id": TENANT, "name": name, "properties": {"appId": app["appId"], "owners": strings(&app["owners"])}}));
    }
    for r in f["resources"].as_array().into_iter().flatten() {
        let (t, name) = (r["type"].as_str().unwrap(), r["name"].as_str().unwrap());
        let rg = r.get("rg").and_then(|v| v.as_str()).unwrap_or("rg1");
        let id = format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}/providers/{t}/{name}");
        resources.push(json!({"provider": "azure", "id": id, "resource_type": t, "account_id": SUBSCRIPTION,
            "region": "westeurope", "name": name, "properties": r["properties"]}));
    }
    let snapshot = json!({
        "format_version": 1,
        "organizations": [{"provider": "azure", "id": TENANT, "units": [
            {"id": ROOT_MG, "name": "Tenant Root Group"}, {"id": PROD_MG, "name": "prod", "parent_id": ROOT_MG}]}],
        "accounts": [{"provider": "azure", "id": SUBSCRIPTION, "name": "production", "organization_id": TENANT, "parent_id": PROD_MG}],
        "principals": principals,
        "policies": policies,
        "resources": resources,
    });
    serde_json::from_value(snapshot).unwrap_or_else(|e| panic!("fixture snapshot: {e}\n{fixture}"))
}

/// A stand-in for the permission engine over a fixture's records, for tests only: role assignments at the scope
/// or above (the management group tree included), nested groups, `NotActions`, deny assignments, conditions and
/// eligibilities; directory roles with `allProperties/allTasks`; ownership; app roles.
pub(crate) struct Fake<'s> {
    s: &'s Snapshot,
}

fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) => (0..=t.len()).any(|i| go(rest, &t[i..])),
            Some((c, rest)) => t.first().is_some_and(|x| x.eq_ignore_ascii_case(c)) && go(rest, &t[1..]),
        }
    }
    // `a/*/b` also covers `a/b`, as Managed Identity Operator's `userAssignedIdentities/*/assign/action` covers
    // `userAssignedIdentities/assign/action`.
    go(pattern.as_bytes(), text.as_bytes())
        || (pattern.contains("/*/") && go(pattern.replace("/*/", "/").as_bytes(), text.as_bytes()))
}

fn directory_match(pattern: &str, action: &str) -> bool {
    match pattern.strip_suffix("/allProperties/allTasks") {
        Some(entity) => key(action).starts_with(&format!("{}/", key(entity))),
        None => same(pattern, action),
    }
}

impl<'s> Fake<'s> {
    pub(crate) fn new(s: &'s Snapshot) -> Fake<'s> {
        Fake { s }
    }

    fn prop<'a>(r: &'a Resource, k: &str) -> Option<&'a str> {
        r.properties.get(k).and_then(|v| v.as_str())
    }

    fn subjects(&self, principal: &str) -> Vec<(String, Option<String>)> {
        let mut out = vec![(key(principal), None)];
        out.extend(self.groups_of(principal).into_iter().map(|g| (key(&g), Some(g))));
        out
    }

    fn ancestors(&self, scope: &str) -> Vec<String> {
        let mut out = Vec::new();
        let parts: Vec<&str> = scope.trim_matches('/').split('/').filter(|p| !p.is_empty()).collect();
        for n in (1..=parts.len()).rev() {
            out.push(key(&format!("/{}", parts[..n].join("/"))));
        }
        let mut parent = if parts.len() >= 2 && same(parts[0], "subscriptions") {
            self.s.accounts.iter().find(|a| same(&a.id, parts[1])).and_then(|a| a.parent_id.clone())
        } else {
            self.unit_parent(scope)
        };
        while let Some(p) = parent {
            out.push(key(&p));
            parent = self.unit_parent(&p);
        }
        out.push("/".to_string());
        out
    }

    fn unit_parent(&self, id: &str) -> Option<String> {
        self.s.organizations.iter().flat_map(|o| &o.units).find(|u| same(&u.id, id)).and_then(|u| u.parent_id.clone())
    }

    fn role(&self, id: &str) -> Option<&'s sightline_model::Policy> {
        let last = id.rsplit('/').next().unwrap_or(id);
        self.s
            .policies
            .iter()
            .find(|p| p.id.rsplit('/').next().is_some_and(|l| same(l, last)) && same_prefix(&p.id, id))
    }

    /// The pattern of `role` that grants `op`, `NotActions` applied.
    fn grants(role: &sightline_model::Policy, op: &Operation) -> Option<String> {
        let doc: Value = serde_json::from_str(role.document.get()).ok()?;
        let (allow, deny) = match op.plane {
            Plane::Action => ("actions", "notActions"),
            Plane::DataAction => ("dataActions", "notDataActions"),
            _ => return None,
        };
        doc["permissions"].as_array()?.iter().find_map(|b| {
            let hit = strings(&b[allow]).into_iter().find(|p| glob(p, &op.name))?;
            (!strings(&b[deny]).iter().any(|p| glob(p, &op.name))).then_some(hit)
        })
    }

    fn directory_grants(role: &sightline_model::Policy, op: &Operation) -> Option<String> {
        let doc: Value = serde_json::from_str(role.document.get()).ok()?;
        doc["rolePermissions"]
            .as_array()?
            .iter()
            .flat_map(|p| strings(&p["allowedResourceActions"]))
            .find(|p| directory_match(p, &op.name))
    }

    fn finish(op: &Operation, grants: Vec<Grant>, denied: bool) -> Decision {
        let verdict = if denied {
            Verdict::Denied
        } else if grants.iter().any(|g| g.source.is_active() && g.condition.is_none()) {
            Verdict::Allowed
        } else if grants.iter().any(|g| g.source.is_active()) {
            Verdict::Conditional
        } else if !grants.is_empty() {
            Verdict::Eligible
        } else {
            Verdict::NotAllowed
        };
        Decision { verdict, summary: format!("{verdict:?}: {}", op.name), grants }
    }

    fn resources_of(&self, t: &'static str) -> impl Iterator<Item = &'s Resource> {
        self.s.resources.iter().filter(move |r| same(&r.resource_type, t))
    }
}

/// Role definition ids compare by their last segment within the same family (Azure RBAC or Entra).
fn same_prefix(policy: &str, named: &str) -> bool {
    let graph = |s: &str| key(s).contains("microsoft.graph");
    graph(policy) == graph(named) || !named.contains('/')
}

impl Permissions for Fake<'_> {
    fn decide(&self, principal: &str, op: &Operation, scope: &str) -> Decision {
        let subjects = self.subjects(principal);
        let holds = |id: &str| subjects.iter().find(|(s, _)| *s == key(id)).map(|(_, via)| via.clone());
        let mut grants = Vec::new();
        let mut denied = false;
        match op.plane {
            Plane::Action | Plane::DataAction => {
                let above = self.ancestors(scope);
                for (t, source) in [
                    ("Microsoft.Authorization/roleAssignments", GrantSource::RoleAssignment),
                    ("Microsoft.Authorization/roleEligibilityScheduleInstances", GrantSource::RoleEligibility),
                ] {
                    for r in self.resources_of(t) {
                        let (Some(who), Some(at), Some(def)) =
                            (Self::prop(r, "principalId"), Self::prop(r, "scope"), Self::prop(r, "roleDefinitionId"))
                        else {
                            continue;
                        };
                        let (Some(via), true) = (holds(who), above.contains(&key(at))) else { continue };
                        let Some(role) = self.role(def) else { continue };
                        if let Some(pattern) = Self::grants(role, op) {
                            grants.push(Grant {
                                source,
                                assignment: r.id.clone(),
                                role_name: role.name.clone(),
                                scope: at.to_string(),
                                via_group: via,
                                pattern,
                                condition: Self::prop(r, "condition").map(str::to_string),
                            });
                        }
                    }
                }
                for r in self.resources_of("Microsoft.Authorization/denyAssignments") {
                    let at = Self::prop(r, "scope").unwrap_or_default();
                    let named =
                        r.properties.get("principals").and_then(|p| p.as_array()).unwrap_or_default().iter().any(|p| {
                            p.get("id")
                                .and_then(|v| v.as_str())
                                .is_some_and(|id| id == "00000000-0000-0000-0000-000000000000" || holds(id).is_some())
                        });
                    let covers =
                        r.properties.get("permissions").and_then(|p| p.as_array()).unwrap_or_default().iter().any(
                            |b| {
                                b.get("actions")
                                    .and_then(|a| a.as_array())
                                    .unwrap_or_default()
                                    .iter()
                                    .filter_map(|a| a.as_str())
                                    .any(|a| glob(a, &op.name))
                            },
                        );
                    denied |= named && covers && above.contains(&key(at));
                }
            }
            Plane::Directory => {
                for (t, source) in [
                    ("Microsoft.Graph/roleAssignments", GrantSource::DirectoryRoleAssignment),
                    ("Microsoft.Graph/roleEligibilitySchedules", GrantSource::DirectoryRoleEligibility),
                ] {
                    for r in self.resources_of(t) {
                        let (Some(who), Some(at), Some(def)) = (
                            Self::prop(r, "principalId"),
                            Self::prop(r, "directoryScopeId"),
                            Self::prop(r, "roleDefinitionId"),
                        ) else {
                            continue;
                        };
                        let Some(via) = holds(who) else { continue };
                        if at != "/" && !same(at, scope) {
                            continue;
                        }
                        let Some(role) =
                            self.s.policies.iter().find(|p| {
                                key(&p.id).ends_with(&format!("microsoft.graph/roledefinitions/{}", key(def)))
                            })
                        else {
                            continue;
                        };
                        if let Some(pattern) = Self::directory_grants(role, op) {
                            grants.push(Grant {
                                source,
                                assignment: r.id.clone(),
                                role_name: role.name.clone(),
                                scope: at.to_string(),
                                via_group: via,
                                pattern,
                                condition: None,
                            });
                        }
                    }
                }
                let object = scope.trim_start_matches('/');
                let owner_actions = [
                    "microsoft.directory/groups/members/update",
                    "microsoft.directory/applications/credentials/update",
                    "microsoft.directory/servicePrincipals/credentials/update",
                ];
                if !object.is_empty() && self.owners_of(object).iter().any(|o| same(o, principal)) {
                    if let Some(p) = owner_actions.iter().find(|a| same(a, &op.name)) {
                        grants.push(Grant {
                            source: GrantSource::Ownership,
                            assignment: object.to_string(),
                            role_name: format!("owner of {object}"),
                            scope: scope.to_string(),
                            via_group: None,
                            pattern: p.to_string(),
                            condition: None,
                        });
                    }
                }
            }
            Plane::AppPermission => {
                for r in self.resources_of("Microsoft.Graph/appRoleAssignments") {
                    let (Some(who), Some(role)) = (Self::prop(r, "principalId"), Self::prop(r, "appRoleId")) else {
                        continue;
                    };
                    let Some(via) = holds(who) else { continue };
                    if same(role, &format!("role-{}", op.name)) {
                        grants.push(Grant {
                            source: GrantSource::AppRoleAssignment,
                            assignment: r.id.clone(),
                            role_name: op.name.clone(),
                            scope: "Microsoft Graph".into(),
                            via_group: via,
                            pattern: op.name.clone(),
                            condition: None,
                        });
                    }
                }
            }
        }
        Fake::finish(op, grants, denied)
    }

    fn who_can(&self, op: &Operation, scope: &str) -> Vec<Access> {
        self.s
            .principals
            .iter()
            .filter(|p| p.provider == Provider::Azure)
            .map(|p| Access { principal: p.id.clone(), decision: self.decide(&p.id, op, scope) })
            .filter(|a| a.decision.verdict != Verdict::NotAllowed)
            .collect()
    }

    fn assignments_of(&self, principal: &str) -> Vec<Assignment> {
        let subjects = self.subjects(principal);
        let mut out = Vec::new();
        for (t, source, scope_key) in [
            ("Microsoft.Authorization/roleAssignments", GrantSource::RoleAssignment, "scope"),
            ("Microsoft.Authorization/roleEligibilityScheduleInstances", GrantSource::RoleEligibility, "scope"),
            ("Microsoft.Graph/roleAssignments", GrantSource::DirectoryRoleAssignment, "directoryScopeId"),
            ("Microsoft.Graph/roleEligibilitySchedules", GrantSource::DirectoryRoleEligibility, "directoryScopeId"),
        ] {
            for r in self.resources_of(t) {
                let Some(who) = Self::prop(r, "principalId") else { continue };
                let Some((_, via)) = subjects.iter().find(|(s, _)| *s == key(who)) else { continue };
                let def = Self::prop(r, "roleDefinitionId").unwrap_or_default();
                let role_name = if t.starts_with("Microsoft.Graph") {
                    self.s
                        .policies
                        .iter()
                        .find(|p| key(&p.id).ends_with(&format!("/{}", key(def))))
                        .map(|p| p.name.clone())
                } else {
                    self.role(def).map(|p| p.name.clone())
                };
                out.push(Assignment {
                    source,
                    assignment: r.id.clone(),
                    role_name,
                    scope: Self::prop(r, scope_key).unwrap_or_default().to_string(),
                    via_group: via.clone(),
                    condition: Self::prop(r, "condition").map(str::to_string),
                });
            }
        }
        out
    }

    fn owners_of(&self, object: &str) -> Vec<String> {
        if let Some(p) = self.s.principals.iter().find(|p| same(&p.id, object)) {
            return p.properties.get("owners").map(strings).unwrap_or_default();
        }
        self.s
            .resources
            .iter()
            .find(|r| same(&r.id, object))
            .and_then(|r| r.properties.get("owners"))
            .and_then(|o| o.as_array())
            .map(|o| o.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }

    fn groups_of(&self, principal: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut queue = vec![principal.to_string()];
        while let Some(p) = queue.pop() {
            let Some(found) = self.s.principals.iter().find(|x| same(&x.id, &p)) else { continue };
            for g in &found.groups {
                if !out.iter().any(|o| same(o, g)) {
                    out.push(g.clone());
                    queue.push(g.clone());
                }
            }
        }
        out
    }
}

/// Runs every edge kind on its fixtures with the permissions `perms` makes for each snapshot; returns what failed.
pub(crate) fn check_fixtures(edges_of: &dyn Fn(&Snapshot, &AzureEdge) -> Vec<Edge>) -> Vec<String> {
    let mut problems = Vec::new();
    for kind in EDGES {
        let f = &kind.fixtures;
        if f.positive.is_empty() || f.negative.is_empty() {
            problems.push(format!("{}: needs a positive and a negative fixture", kind.id));
        }
        // `from` holds the edge itself, or, for access edges, through a group it belongs to (they start at the group
        // that holds the access; its members reach it by member-of).
        let wanted = |s: &Snapshot, e: &Edge| {
            let through_group = ACCESS.contains(&kind.id) && groups_of(s, f.from).contains(&key(&e.from));
            e.kind.id() == kind.id && same(&e.to, f.to) && (same(&e.from, f.from) || through_group)
        };
        for (i, fixture) in f.positive.iter().enumerate() {
            let s = snapshot(fixture);
            let edges = edges_of(&s, kind);
            let wanted = |e: &Edge| wanted(&s, e);
            match edges.iter().find(|e| wanted(e)) {
                Some(e) if e.proof.is_empty() && !matches!(kind.id, "contains" | "member-of") => {
                    problems.push(format!("{}: positive {i}: no proof: {e:?}", kind.id));
                }
                Some(e) if e.proof.iter().any(|s| s.statements.is_empty()) => {
                    problems.push(format!("{}: positive {i}: a step without statements: {e:?}", kind.id));
                }
                Some(e) if e.detail.is_empty() => problems.push(format!("{}: positive {i}: no detail", kind.id)),
                Some(_) => {}
                None => problems.push(format!("{}: positive {i}: no edge {} -> {}: {edges:#?}", kind.id, f.from, f.to)),
            }
        }
        for (i, fixture) in f.negative.iter().enumerate() {
            let s = snapshot(fixture);
            let edges = edges_of(&s, kind);
            let wanted = |e: &Edge| wanted(&s, e);
            if let Some(e) = edges.iter().find(|e| wanted(e)) {
                problems.push(format!("{}: negative {i}: found {e:?}", kind.id));
            }
        }
    }
    problems
}

/// The groups `principal` belongs to in `s`, nested ones included (lowercase ids).
fn groups_of(s: &Snapshot, principal: &str) -> HashSet<String> {
    let mut found = HashSet::new();
    let mut queue = vec![key(principal)];
    while let Some(p) = queue.pop() {
        for g in s.principals.iter().filter(|x| key(&x.id) == p).flat_map(|x| &x.groups) {
            if found.insert(key(g)) {
                queue.push(key(g));
            }
        }
    }
    found
}

fn fake_edges(s: &Snapshot, kind: &AzureEdge) -> Vec<Edge> {
    let fake = Fake::new(s);
    let ctx = Ctx::new(s, &fake);
    (kind.find)(&ctx)
}

#[test]
fn every_edge_meets_its_fixtures() {
    let problems = check_fixtures(&fake_edges);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_are_unique_documented_and_well_formed() {
    let docs = include_str!("../../../../docs/azure.md");
    let section = docs.split("## Attack-path edges").nth(1).expect("docs/azure.md has an Attack-path edges section");
    let mut seen = HashSet::new();
    for kind in EDGES {
        assert!(seen.insert(kind.id), "duplicate {}", kind.id);
        assert!(kind.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", kind.id);
        assert!(!kind.title.is_empty() && !kind.description.is_empty(), "{}", kind.id);
        assert!(section.contains(&format!("`{}`", kind.id)), "docs/azure.md does not list {}", kind.id);
    }
}

/// A VM without a managed identity: Run Command is access to the VM, not a move.
#[test]
fn run_command_without_identity_is_access() {
    let s = snapshot(
        r#"{"users": ["attacker"], "assign": [["attacker", "Virtual Machine Contributor", "/subscriptions/s1"]],
            "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {}}]}"#,
    );
    let edges = fake_edges(&s, edge_kind("run-command").unwrap());
    let vm = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1";
    assert_eq!(edges.len(), 1, "{edges:?}");
    assert!(edges[0].to == vm && !edges[0].kind.is_move(), "{edges:?}");
}

/// Custom roles decide administrators by what they grant, whatever they are called.
#[test]
fn custom_roles_make_or_unmake_administrators() {
    let s = snapshot(
        r#"{"users": ["delegate", "almost", "owner"],
            "roles": {"Access Delegate": {"actions": ["Microsoft.Authorization/roleAssignments/write"]},
                      "Owner Lookalike": {"actions": ["*"], "notActions": ["Microsoft.Authorization/*/write"]}},
            "assign": [["delegate", "Access Delegate", "/subscriptions/s1"],
                       ["almost", "Owner Lookalike", "/providers/Microsoft.Management/managementGroups/t1"],
                       ["owner", "Owner", "/providers/Microsoft.Management/managementGroups/prod"]]}"#,
    );
    let fake = Fake::new(&s);
    let g = graph(&s, &fake);
    assert!(g.admins.contains(&"delegate".to_string()), "{:?}", g.admins);
    assert!(g.admins.contains(&"owner".to_string()), "{:?}", g.admins);
    assert!(!g.admins.contains(&"almost".to_string()), "{:?}", g.admins);
    let owner = g.edges.iter().find(|e| e.from == "owner" && e.kind.id() == "grant-role").unwrap();
    // The management group, not the subscription below it, is what it administers.
    assert!(
        owner.detail.contains("management group prod") && !owner.detail.contains("subscription"),
        "{}",
        owner.detail
    );
    let delegate = g.edges.iter().find(|e| e.from == "delegate" && e.kind.id() == "grant-role").unwrap();
    assert!(delegate.detail.contains("subscription production (s1)"), "{}", delegate.detail);
    assert!(delegate.proof[0].statements[0].contains("Access Delegate"), "{:?}", delegate.proof);
}

/// Paths over a small tenant: several hops through Entra and Azure RBAC, activation marked, the administrator's
/// last hop saying what it administers, and the graph's other kinds of node in place.
#[test]
fn privesc_over_a_small_tenant() {
    check_small_tenant(&|s| Box::new(Fake::new(s)));
}

/// The permissions a test runs with, made for each snapshot.
pub(crate) type MakePermissions = dyn for<'s> Fn(&'s Snapshot) -> Box<dyn Permissions + 's>;

/// [`privesc_over_a_small_tenant`] with the permissions `make` gives.
pub(crate) fn check_small_tenant(make: &MakePermissions) {
    let s = snapshot(
        r#"{"users": ["alice", "bob", "carol", "dave", "erin", "frank"],
            "groups": {"platform": {"owners": ["carol"]}},
            "apps": {"deployer-app": {"appId": "a1", "owners": ["alice"]}},
            "sps": {"deployer": {"appId": "a1"}},
            "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"},
            "assign": [["deployer", "Owner", "/subscriptions/s1"],
                       ["platform", "User Access Administrator", "/providers/Microsoft.Management/managementGroups/prod"],
                       ["erin", "Virtual Machine Contributor", "/subscriptions/s1/resourceGroups/rg1"],
                       ["frank", "Reader", "/subscriptions/s1"]],
            "eligible": [["dave", "Owner", "/subscriptions/s1"]],
            "directory": [["bob", "Helpdesk Administrator", "/carol"]],
            "app_permissions": [["vm1-identity", "AppRoleAssignment.ReadWrite.All"]],
            "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {"identity": {"type": "SystemAssigned"}}}]}"#,
    );
    let perms = make(&s);
    let found = privesc(&s, perms.as_ref());
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    let mut admins = found.admins.clone();
    admins.sort();
    assert_eq!(admins, vec!["deployer".to_string(), "platform".to_string()]);
    let path = |who: &str| -> Vec<(&str, String)> {
        let e = found
            .escalations
            .iter()
            .find(|e| e.principal == who)
            .unwrap_or_else(|| panic!("{who}: {:#?}", found.escalations));
        e.path.iter().map(|h| (h.technique, h.to.clone())).collect()
    };
    assert_eq!(path("alice"), vec![("add-secret", "deployer".to_string()), ("grant-role", ADMIN.to_string())]);
    assert_eq!(
        path("bob"),
        vec![
            ("reset-password", "carol".to_string()),
            ("add-member", "platform".to_string()),
            ("grant-role", ADMIN.to_string())
        ]
    );
    assert_eq!(path("carol"), vec![("add-member", "platform".to_string()), ("grant-role", ADMIN.to_string())]);
    assert_eq!(path("dave"), vec![("role-eligible", ADMIN.to_string())]);
    let erin = path("erin");
    assert_eq!(erin.len(), 2, "{erin:?}");
    assert!(matches!(erin[0].0, "run-command" | "managed-identity") && erin[0].1 == "vm1-identity", "{erin:?}");
    assert_eq!(erin[1], ("grant-app-roles", ADMIN.to_string()));
    assert!(!found.escalations.iter().any(|e| e.principal == "frank"));
    // What the last hop administers, and that the eligible path needs activating.
    let alice = &found.escalations.iter().find(|e| e.principal == "alice").unwrap().path;
    assert!(alice[1].detail.contains("administrator of subscription production (s1)"), "{}", alice[1].detail);
    let dave = &found.escalations.iter().find(|e| e.principal == "dave").unwrap().path;
    assert!(dave[0].detail.starts_with("after activating Owner at /subscriptions/s1"), "{}", dave[0].detail);
    // The whole graph's shortest path agrees, and has the scope tree and ownership (not moves) beside the moves.
    let g = graph(&s, perms.as_ref());
    assert_eq!(g.shortest_path("bob", ADMIN).map(|p| p.len()), Some(3));
    for who in ["alice", "bob", "carol", "dave", "erin", "frank"] {
        let lazy = shortest_path(&s, perms.as_ref(), who, ADMIN).map(|p| p.len());
        assert_eq!(lazy, g.shortest_path(who, ADMIN).map(|p| p.len()), "{who}");
    }
    assert_eq!(shortest_path(&s, perms.as_ref(), "bob", "platform").map(|p| p.len()), Some(2));
    // The backward search finds the same escalations as the whole graph (paths of the same length: ties may
    // pick another edge).
    let whole: Vec<(String, usize)> = g.privesc().iter().map(|e| (e.principal.clone(), e.path.len())).collect();
    let lazy: Vec<(String, usize)> = found.escalations.iter().map(|e| (e.principal.clone(), e.path.len())).collect();
    assert_eq!(lazy, whole);
    assert_eq!(found.admins, g.admins);
    let kind = |id: &str| g.nodes.iter().find(|n| n.id == id).map(|n| n.kind.clone());
    assert_eq!(kind("alice"), Some(NodeKind::AzureUser));
    assert_eq!(kind("vm1-identity"), Some(NodeKind::ManagedIdentity));
    assert_eq!(kind("deployer-app"), Some(NodeKind::AzureApplication));
    assert_eq!(kind("/subscriptions/s1"), Some(NodeKind::Subscription));
    assert_eq!(kind("/subscriptions/s1/resourceGroups/rg1"), Some(NodeKind::ResourceGroup));
    assert_eq!(kind(PROD_MG), Some(NodeKind::ManagementGroup));
    assert_eq!(kind(TENANT), Some(NodeKind::AzureTenant));
    let has =
        |from: &str, to: &str, id: &str| g.edges.iter().any(|e| e.from == from && e.to == to && e.kind.id() == id);
    assert!(has("alice", "deployer-app", "owns"));
    assert!(has(PROD_MG, "/subscriptions/s1", "contains"));
    assert!(has(ROOT_MG, PROD_MG, "contains"));
    assert!(has(TENANT, ROOT_MG, "contains"));
    assert!(has("frank", "/subscriptions/s1", "has-role"));
    assert!(has("bob", "carol", "has-role"));
}

/// Azure edges added to an AWS graph leave the AWS part as it was.
#[test]
fn azure_beside_aws() {
    let aws = crate::techniques::tests::snapshot(
        r#"{"attacker": [["Allow", "iam:CreateAccessKey", "arn:aws:iam::111111111111:user/boss"]], "users": {"boss": [["Allow", "*", "*"]]}}"#,
    );
    let azure = snapshot(r#"{"users": ["alice"], "assign": [["alice", "Owner", "/subscriptions/s1"]]}"#);
    let mut both = aws.clone();
    both.organizations.extend(azure.organizations.clone());
    both.accounts.extend(azure.accounts.clone());
    both.principals.extend(azure.principals.clone());
    both.policies.extend(azure.policies.clone());
    both.resources.extend(azure.resources.clone());
    let authz = sightline_iam::authz::Authorizer::new(&aws).unwrap();
    let alone = crate::Graph::build(&aws, &authz);
    let authz = sightline_iam::authz::Authorizer::new(&both).unwrap();
    let mut g = crate::Graph::build(&both, &authz);
    let fake = Fake::new(&both);
    g.add_azure(&both, &fake);
    assert_eq!(
        g.privesc().iter().filter(|e| e.principal.starts_with("arn:")).cloned().collect::<Vec<_>>(),
        alone.privesc()
    );
    assert!(g.admins.contains(&"alice".to_string()));
}

/// Paths to a resource end with the access edge; paths to a principal or to admin follow moves only.
#[test]
fn paths_to_resources_principals_and_admin() {
    let vault = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1";
    let s = snapshot(
        r#"{"users": ["alice", "bob"],
            "groups": {"readers": {"owners": ["alice"]}},
            "assign": [["readers", "Key Vault Secrets User", "/subscriptions/s1/resourceGroups/rg1"],
                       ["bob", "Owner", "/subscriptions/s1"]],
            "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true}}}]}"#,
    );
    let fake = Fake::new(&s);
    let hops =
        |p: Option<Vec<crate::Hop>>| p.map(|p| p.iter().map(|h| (h.technique, h.to.clone())).collect::<Vec<_>>());
    assert_eq!(
        hops(shortest_path(&s, &fake, "alice", vault)),
        Some(vec![("add-member", "readers".to_string()), ("get-secrets", vault.to_string())])
    );
    assert_eq!(hops(shortest_path(&s, &fake, "alice", "readers")), Some(vec![("add-member", "readers".to_string())]));
    assert_eq!(hops(shortest_path(&s, &fake, "alice", ADMIN)), None);
    // An administrator reaches the vault itself: Owner grants no data action, but it may grant itself one; the
    // graph shows the move to admin, not a made-up access edge.
    assert_eq!(hops(shortest_path(&s, &fake, "bob", ADMIN)), Some(vec![("grant-role", ADMIN.to_string())]));
    assert_eq!(hops(shortest_path(&s, &fake, "bob", vault)), None);
}

/// A list the engine cannot evaluate makes one grouped problem, not one per principal.
#[test]
fn problems_are_grouped() {
    struct Unknown;
    impl Permissions for Unknown {
        fn decide(&self, _: &str, op: &Operation, _: &str) -> Decision {
            Decision { verdict: Verdict::NotEvaluated, summary: format!("cannot tell {}", op.name), grants: Vec::new() }
        }
        fn who_can(&self, op: &Operation, scope: &str) -> Vec<Access> {
            ["a", "b", "c", "d", "e", "f", "g"]
                .iter()
                .map(|p| Access { principal: p.to_string(), decision: self.decide(p, op, scope) })
                .collect()
        }
        fn assignments_of(&self, _: &str) -> Vec<Assignment> {
            Vec::new()
        }
        fn owners_of(&self, _: &str) -> Vec<String> {
            Vec::new()
        }
        fn groups_of(&self, _: &str) -> Vec<String> {
            Vec::new()
        }
    }
    let s = snapshot(r#"{"users": ["a", "b", "c", "d", "e", "f", "g"]}"#);
    let g = graph(&s, &Unknown);
    assert!(g.edges.iter().all(|e| !e.kind.is_move()), "{:?}", g.edges);
    let reset: Vec<&String> =
        g.problems.iter().filter(|p| p.starts_with("microsoft.directory/users/password/update")).collect();
    assert_eq!(reset.len(), 1, "{:#?}", g.problems);
    assert!(reset[0].contains("and "), "{}", reset[0]);
}

/// Role assignment rights on a resource group: an edge to the group, not to admin, and none for an administrator
/// of the subscription above it.
#[test]
fn grant_role_on_a_resource_group() {
    let rg = "/subscriptions/s1/resourceGroups/rg1";
    let s = snapshot(
        r#"{"users": ["attacker", "boss"],
            "assign": [["attacker", "Owner", "/subscriptions/s1/resourceGroups/rg1"], ["boss", "Owner", "/subscriptions/s1"]],
            "resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "data1", "properties": {"properties": {}}}]}"#,
    );
    let edges = fake_edges(&s, edge_kind("grant-role").unwrap());
    let to_rg: Vec<&Edge> = edges.iter().filter(|e| e.to == rg).collect();
    assert_eq!(to_rg.len(), 1, "{edges:#?}");
    assert!(to_rg[0].from == "attacker" && !to_rg[0].kind.is_move(), "{:?}", to_rg[0]);
    assert!(!edges.iter().any(|e| e.from == "attacker" && e.to == ADMIN));
    let g = graph(&s, &Fake::new(&s));
    assert_eq!(g.admins, vec!["boss".to_string()]);
}
