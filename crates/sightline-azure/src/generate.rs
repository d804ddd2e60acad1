//! A synthetic Azure tenant written as the files `sightline import azure` reads (Resource Graph results and
//! Microsoft Graph list responses), for benchmarks of import and analysis. The same parameters and seed always
//! give the same bytes.

use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

/// The size of the generated tenant.
#[derive(Debug, Clone, Copy)]
pub struct TenantSize {
    /// Users, groups, service principals and managed identities together.
    pub principals: usize,
    /// Azure role assignments (active), spread over every scope level.
    pub assignments: usize,
    /// Subscriptions (with ten resource groups each).
    pub subscriptions: usize,
    /// ARM resources (storage accounts, key vaults, virtual machines, network security groups).
    pub resources: usize,
    pub seed: u64,
}

impl Default for TenantSize {
    fn default() -> Self {
        TenantSize { principals: 20_000, assignments: 50_000, subscriptions: 50, resources: 20_000, seed: 1 }
    }
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub files: Vec<String>,
    pub bytes: u64,
}

/// A small deterministic generator (xorshift64*): the benchmark data must not change between runs or platforms.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn guid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// A built-in role: GUID, name, actions, notActions, dataActions.
type BuiltInRole =
    (&'static str, &'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

/// Built-in roles the generated assignments use.
const BUILT_IN: &[BuiltInRole] = &[
    ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", &["*"], &[], &[]),
    (
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Contributor",
        &["*"],
        &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
        ],
        &[],
    ),
    ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", &["*/read"], &[], &[]),
    (
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        "User Access Administrator",
        &["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
        &[],
        &[],
    ),
    (
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        "Storage Blob Data Reader",
        &["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
        &[],
        &["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
    ),
    (
        "4633458b-17de-408a-b874-0445c86b69e6",
        "Key Vault Secrets User",
        &[],
        &[],
        &["Microsoft.KeyVault/vaults/secrets/getSecret/action"],
    ),
    (
        "9980e02c-c2be-4d73-94e8-173b1dc7cf3c",
        "Virtual Machine Contributor",
        &["Microsoft.Compute/virtualMachines/*", "Microsoft.Network/networkInterfaces/*"],
        &[],
        &[],
    ),
];

/// Writes the tenant into `dir` (created if needed).
pub fn write_tenant(dir: &Path, size: TenantSize) -> std::io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(size.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let tenant = rng.guid();
    let mut written = Written::default();
    let mut put = |name: &str, value: &Value| -> std::io::Result<()> {
        let path = dir.join(name);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        serde_json::to_writer(&mut f, value)?;
        f.write_all(b"\n")?;
        f.flush()?;
        written.bytes += std::fs::metadata(&path)?.len();
        written.files.push(name.to_string());
        Ok(())
    };

    // Management groups: the root, 4 divisions, 4 teams under each.
    let root = format!("/providers/Microsoft.Management/managementGroups/{tenant}");
    let mut groups = vec![(root.clone(), None::<String>, "Tenant Root Group".to_string())];
    for d in 0..4 {
        let division = format!("/providers/Microsoft.Management/managementGroups/division-{d}");
        groups.push((division.clone(), Some(root.clone()), format!("Division {d}")));
        for t in 0..4 {
            let team = format!("/providers/Microsoft.Management/managementGroups/team-{d}-{t}");
            groups.push((team, Some(division.clone()), format!("Team {d}.{t}")));
        }
    }
    let leaves: Vec<String> = groups.iter().filter(|g| g.0.contains("/team-")).map(|g| g.0.clone()).collect();
    let mut containers: Vec<Value> = groups
        .iter()
        .map(|(id, parent, name)| {
            json!({"id": id, "name": id.rsplit('/').next(), "type": "microsoft.management/managementgroups", "tenantId": tenant,
                   "properties": {"displayName": name, "details": {"parent": parent.as_ref().map(|p| json!({"id": p}))}}})
        })
        .collect();
    let subscriptions: Vec<String> = (0..size.subscriptions).map(|_| rng.guid()).collect();
    let mut resource_groups = Vec::new();
    for (i, s) in subscriptions.iter().enumerate() {
        let parent = &leaves[i % leaves.len()];
        containers.push(json!({"id": format!("/subscriptions/{s}"), "name": format!("sub-{i:03}"), "type": "microsoft.resources/subscriptions",
            "tenantId": tenant, "subscriptionId": s,
            "properties": {"state": "Enabled", "managementGroupAncestorsChain": [{"name": parent.rsplit('/').next()}]}}));
        for g in 0..10 {
            let id = format!("/subscriptions/{s}/resourceGroups/rg-{g:02}");
            containers.push(json!({"id": id, "name": format!("rg-{g:02}"), "type": "microsoft.resources/subscriptions/resourcegroups",
                "tenantId": tenant, "subscriptionId": s, "resourceGroup": format!("rg-{g:02}"), "location": "westeurope",
                "properties": {"provisioningState": "Succeeded"}}));
            resource_groups.push((s.clone(), id));
        }
    }
    put("resourcegraph-containers.json", &resource_graph(containers))?;

    // Resources, round-robin over the resource groups.
    const KINDS: [(&str, &str); 4] = [
        ("Microsoft.Storage/storageAccounts", "st"),
        ("Microsoft.KeyVault/vaults", "kv"),
        ("Microsoft.Compute/virtualMachines", "vm"),
        ("Microsoft.Network/networkSecurityGroups", "nsg"),
    ];
    let mut resources = Vec::with_capacity(size.resources);
    let mut resource_ids = Vec::with_capacity(size.resources);
    for i in 0..size.resources {
        let (s, rg) = &resource_groups[i % resource_groups.len()];
        let (kind, prefix) = KINDS[i % KINDS.len()];
        let name = format!("{prefix}{i:06}");
        let id = format!("{rg}/providers/{kind}/{name}");
        let properties = match prefix {
            "st" => {
                json!({"allowBlobPublicAccess": rng.below(10) == 0, "minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": true})
            }
            "kv" => {
                json!({"tenantId": tenant, "enableRbacAuthorization": rng.below(2) == 0, "enablePurgeProtection": true})
            }
            "vm" => json!({"hardwareProfile": {"vmSize": "Standard_D2s_v5"}}),
            _ => json!({"securityRules": []}),
        };
        resources.push(json!({"id": id, "name": name, "type": kind.to_ascii_lowercase(), "tenantId": tenant,
            "location": "westeurope", "resourceGroup": rg.rsplit('/').next(), "subscriptionId": s, "properties": properties, "tags": {}}));
        resource_ids.push(id);
    }
    put("resourcegraph-resources.json", &resource_graph(resources))?;

    // Principals: 70% users, 10% groups, 15% service principals, 5% managed identities.
    let n_groups = size.principals / 10;
    let n_sps = size.principals * 15 / 100;
    let n_mis = size.principals / 20;
    let n_users = size.principals - n_groups - n_sps - n_mis;
    let users: Vec<String> = (0..n_users).map(|_| rng.guid()).collect();
    let group_ids: Vec<String> = (0..n_groups).map(|_| rng.guid()).collect();
    let sp_ids: Vec<String> = (0..n_sps + n_mis).map(|_| rng.guid()).collect();
    put(
        "graph-users.json",
        &graph_list(
            "users",
            users
                .iter()
                .enumerate()
                .map(|(i, id)| json!({"id": id, "displayName": format!("User {i}"), "userPrincipalName": format!("user{i}@example.onmicrosoft.com"),
                    "accountEnabled": true, "userType": if i % 20 == 0 { "Guest" } else { "Member" }}))
                .collect(),
        ),
    )?;
    // Each group: 5-25 users, and a tenth of the groups nest another group.
    let mut group_values = Vec::with_capacity(n_groups);
    for (i, id) in group_ids.iter().enumerate() {
        let mut members: Vec<Value> = (0..5 + rng.below(21))
            .map(|_| json!({"@odata.type": "#microsoft.graph.user", "id": users[rng.below(users.len())]}))
            .collect();
        if i % 10 == 0 && i + 1 < group_ids.len() {
            members.push(json!({"@odata.type": "#microsoft.graph.group", "id": group_ids[i + 1]}));
        }
        group_values
            .push(json!({"id": id, "displayName": format!("Group {i}"), "securityEnabled": true, "members": members,
            "owners": [{"@odata.type": "#microsoft.graph.user", "id": users[rng.below(users.len())]}]}));
    }
    put("graph-groups.json", &graph_list("groups(members(),owners())", group_values))?;
    put(
        "graph-service-principals.json",
        &graph_list(
            "servicePrincipals",
            sp_ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let managed = i >= n_sps;
                    json!({"id": id, "appId": format!("{:08x}-0000-4000-8000-{:012x}", i, i), "displayName": format!("sp-{i}"),
                        "servicePrincipalType": if managed { "ManagedIdentity" } else { "Application" }, "accountEnabled": true,
                        "passwordCredentials": [], "keyCredentials": []})
                })
                .collect(),
        ),
    )?;

    // Role definitions: the built-in ones and 200 custom roles.
    let mut authorization = Vec::new();
    for (guid, name, actions, not_actions, data_actions) in BUILT_IN {
        authorization.push(role_definition(&tenant, "", guid, name, "BuiltInRole", actions, not_actions, data_actions));
    }
    let mut custom = Vec::new();
    for i in 0..200 {
        let s = &subscriptions[i % subscriptions.len()];
        let guid = rng.guid();
        let actions = [
            "Microsoft.Compute/virtualMachines/read",
            "Microsoft.Compute/virtualMachines/runCommand/action",
            "Microsoft.Storage/storageAccounts/listKeys/action",
            "Microsoft.KeyVault/vaults/read",
            "Microsoft.Network/*/read",
        ];
        let pick: Vec<&str> = actions.iter().filter(|_| rng.below(2) == 0).copied().collect();
        authorization.push(role_definition(
            &tenant,
            &format!("/subscriptions/{s}"),
            &guid,
            &format!("Custom role {i}"),
            "CustomRole",
            &pick,
            &[],
            &[],
        ));
        custom.push((s.clone(), guid));
    }
    // Assignments: 5% at a management group, 25% at a subscription, 40% at a resource group, 30% at a resource;
    // principals drawn from every kind.
    let all_principals: Vec<(&str, &str)> = users
        .iter()
        .map(|u| (u.as_str(), "User"))
        .chain(group_ids.iter().map(|g| (g.as_str(), "Group")))
        .chain(sp_ids.iter().map(|s| (s.as_str(), "ServicePrincipal")))
        .collect();
    for _ in 0..size.assignments {
        let level = rng.below(100);
        let (scope, subscription) = if level < 5 {
            (groups[rng.below(groups.len())].0.clone(), None)
        } else if level < 30 {
            let s = &subscriptions[rng.below(subscriptions.len())];
            (format!("/subscriptions/{s}"), Some(s.clone()))
        } else if level < 70 {
            let (s, rg) = &resource_groups[rng.below(resource_groups.len())];
            (rg.clone(), Some(s.clone()))
        } else {
            let id = &resource_ids[rng.below(resource_ids.len())];
            (id.clone(), id.split('/').nth(2).map(str::to_string))
        };
        let role = if rng.below(10) == 0 {
            let (s, guid) = &custom[rng.below(custom.len())];
            format!("/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}")
        } else {
            let (guid, ..) = BUILT_IN[rng.below(BUILT_IN.len())];
            match &subscription {
                Some(s) => format!("/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
                None => format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
            }
        };
        let (principal, kind) = all_principals[rng.below(all_principals.len())];
        let guid = rng.guid();
        authorization.push(json!({"id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{guid}", scope.trim_end_matches('/')),
            "name": guid, "type": "microsoft.authorization/roleassignments", "tenantId": tenant, "subscriptionId": subscription.unwrap_or_default(),
            "properties": {"roleDefinitionId": role, "principalId": principal, "principalType": kind, "scope": scope}}));
    }
    put("resourcegraph-authorization.json", &resource_graph(authorization))?;
    Ok(written)
}

#[allow(clippy::too_many_arguments)]
fn role_definition(
    tenant: &str,
    prefix: &str,
    guid: &str,
    name: &str,
    kind: &str,
    actions: &[&str],
    not_actions: &[&str],
    data_actions: &[&str],
) -> Value {
    json!({"id": format!("{prefix}/providers/Microsoft.Authorization/roleDefinitions/{guid}"), "name": guid,
        "type": "microsoft.authorization/roledefinitions", "tenantId": tenant,
        "properties": {"roleName": name, "type": kind, "assignableScopes": [if prefix.is_empty() { "/" } else { prefix }],
            "permissions": [{"actions": actions, "notActions": not_actions, "dataActions": data_actions, "notDataActions": []}]}})
}

fn resource_graph(rows: Vec<Value>) -> Value {
    json!({"totalRecords": rows.len(), "count": rows.len(), "data": rows, "facets": [], "resultTruncated": "false"})
}

fn graph_list(entity: &str, items: Vec<Value>) -> Value {
    json!({"@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#{entity}"), "value": items})
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_bytes_and_the_counts_asked_for() {
        let (a, b) = (tempfile_dir("a"), tempfile_dir("b"));
        let size = TenantSize { principals: 400, assignments: 1_000, subscriptions: 4, resources: 200, seed: 7 };
        let wa = write_tenant(&a, size).unwrap();
        write_tenant(&b, size).unwrap();
        for f in &wa.files {
            assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f}");
        }
        let auth: Value =
            serde_json::from_slice(&std::fs::read(a.join("resourcegraph-authorization.json")).unwrap()).unwrap();
        let rows = auth["data"].as_array().unwrap();
        let assignments = rows.iter().filter(|r| r["type"] == "microsoft.authorization/roleassignments").count();
        assert_eq!(assignments, 1_000);
        let users: Value = serde_json::from_slice(&std::fs::read(a.join("graph-users.json")).unwrap()).unwrap();
        let groups: Value = serde_json::from_slice(&std::fs::read(a.join("graph-groups.json")).unwrap()).unwrap();
        let sps: Value =
            serde_json::from_slice(&std::fs::read(a.join("graph-service-principals.json")).unwrap()).unwrap();
        let total = [users, groups, sps].iter().map(|v| v["value"].as_array().unwrap().len()).sum::<usize>();
        assert_eq!(total, 400);
        std::fs::remove_dir_all(a).unwrap();
        std::fs::remove_dir_all(b).unwrap();
    }

    fn tempfile_dir(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("sightline-azure-gen-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }
}
