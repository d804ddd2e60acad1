//! [`Permissions`] answered by the Azure RBAC and Entra engine, `sightline_azure::rbac::RbacIndex`. A thin
//! translation: the engine decides, this only renames.

use super::{Access, Assignment, Decision, Grant, GrantSource, Operation, Permissions, Plane};
use sightline_azure::rbac as engine;
use sightline_model::{Provider, Snapshot};
use std::collections::HashMap;

/// The engine over one snapshot.
pub struct Engine<'s> {
    index: engine::RbacIndex,
    /// Direct groups of each Azure principal (lowercase ids), for [`Permissions::groups_of`]: the engine computes
    /// transitive membership but does not expose it yet.
    direct_groups: HashMap<String, Vec<String>>,
    snapshot: &'s Snapshot,
}

impl<'s> Engine<'s> {
    /// Indexes `snapshot` with the engine.
    pub fn new(snapshot: &'s Snapshot) -> Engine<'s> {
        let direct_groups = snapshot
            .principals
            .iter()
            .filter(|p| p.provider == Provider::Azure)
            .map(|p| (super::key(&p.id), p.groups.clone()))
            .collect();
        Engine { index: engine::RbacIndex::new(snapshot), direct_groups, snapshot }
    }

    /// The object id of the Azure principal a user names (object id, user principal name, app id, or a display
    /// name only one principal has), as the engine resolves it: for the command line's `--from`.
    pub fn find_principal(&self, name: &str) -> Result<String, engine::LookupError> {
        self.index.find_principal(self.snapshot, name)
    }

    /// Records of the snapshot the engine could not use.
    pub fn problems(&self) -> Vec<String> {
        self.index.problems().iter().map(|p| format!("{}: {}", p.record, p.message)).collect()
    }
}

fn operation(op: &Operation) -> engine::Operation {
    match op.plane {
        Plane::Action => engine::Operation::action(op.name.as_str()),
        Plane::DataAction => engine::Operation::data_action(op.name.as_str()),
        Plane::Directory => engine::Operation::directory(op.name.as_str()),
        Plane::AppPermission => engine::Operation::app_permission(op.name.as_str()),
    }
}

fn decision(d: engine::Decision) -> Decision {
    let grants = d
        .grants
        .into_iter()
        .map(|g| Grant {
            source: g.source,
            assignment: g.assignment,
            role_name: g.role_name,
            scope: g.scope,
            via_group: g.via_group,
            pattern: g.pattern,
            condition: g.condition,
        })
        .collect();
    Decision { verdict: d.verdict, summary: d.summary, grants }
}

impl Permissions for Engine<'_> {
    fn decide(&self, principal: &str, op: &Operation, scope: &str) -> Decision {
        decision(self.index.decide(principal, &operation(op), scope))
    }

    fn who_can(&self, op: &Operation, scope: &str) -> Vec<Access> {
        self.index
            .who_can(&operation(op), scope)
            .into_iter()
            .map(|a| Access { principal: a.principal, decision: decision(a.decision) })
            .collect()
    }

    fn assignments_of(&self, principal: &str) -> Vec<Assignment> {
        let mut out: Vec<Assignment> = self
            .index
            .assignments_of(principal)
            .into_iter()
            .map(|a| Assignment {
                source: a.source,
                assignment: a.assignment,
                role_name: a.role_name,
                scope: a.scope,
                via_group: a.via_group,
                condition: a.condition,
            })
            .collect();
        // The engine's app permissions, for completeness of "every assignment".
        out.extend(self.index.app_permissions(principal).into_iter().map(|p| Assignment {
            source: GrantSource::AppRoleAssignment,
            assignment: p.assignment,
            role_name: p.value,
            scope: p.resource,
            via_group: p.via_group,
            condition: None,
        }));
        out
    }

    fn owners_of(&self, object: &str) -> Vec<String> {
        self.index.owners_of(object)
    }

    fn groups_of(&self, principal: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut queue = vec![super::key(principal)];
        while let Some(p) = queue.pop() {
            for g in self.direct_groups.get(&p).into_iter().flatten() {
                if !out.iter().any(|o| super::same(o, g)) {
                    out.push(g.clone());
                    queue.push(super::key(g));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_fixtures, check_small_tenant, snapshot};
    use super::super::{graph, AzureEdge, Ctx};
    use super::Engine;
    use crate::Edge;
    use sightline_model::Snapshot;

    fn engine_edges(s: &Snapshot, kind: &AzureEdge) -> Vec<Edge> {
        let engine = Engine::new(s);
        let ctx = Ctx::new(s, &engine);
        (kind.find)(&ctx)
    }

    /// The fixtures of every edge kind, decided by the real engine.
    #[test]
    fn every_edge_meets_its_fixtures_with_the_engine() {
        let problems = check_fixtures(&engine_edges);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Multi-hop escalations over a small tenant, decided by the real engine.
    #[test]
    fn privesc_over_a_small_tenant_with_the_engine() {
        check_small_tenant(&|s| Box::new(Engine::new(s)));
    }

    /// Access held through a group is one edge from the group, not one per member; a member reaches the resource
    /// through member-of.
    #[test]
    fn access_through_a_group_starts_at_the_group() {
        let vault = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1";
        let s = snapshot(
            r#"{"users": ["ana", "ben", "cy"],
                "groups": {"readers": {"members": ["ana", "ben"]}},
                "assign": [["readers", "Key Vault Secrets User", "/subscriptions/s1/resourceGroups/rg1"],
                           ["cy", "Key Vault Secrets User", "/subscriptions/s1/resourceGroups/rg1"]],
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true}}}]}"#,
        );
        let engine = Engine::new(&s);
        let g = graph(&s, &engine);
        let mut from: Vec<&str> =
            g.edges.iter().filter(|e| e.kind.id() == "get-secrets").map(|e| e.from.as_str()).collect();
        from.sort_unstable();
        assert_eq!(from, ["cy", "readers"]);
        let hops = |p: Option<Vec<crate::Hop>>| p.map(|p| p.iter().map(|h| h.technique).collect::<Vec<_>>());
        assert_eq!(
            hops(super::super::shortest_path(&s, &engine, "ana", vault)),
            Some(vec!["member-of", "get-secrets"])
        );
        assert_eq!(hops(super::super::shortest_path(&s, &engine, "cy", vault)), Some(vec!["get-secrets"]));
    }

    /// Streaming gives the graph `add_azure` builds: the same nodes with the same administrator flags, and the same
    /// edges; without access, the same less the access edges.
    #[test]
    fn streaming_gives_the_whole_graph() {
        let s = snapshot(
            r#"{"users": ["ana", "ben", "cy"],
                "groups": {"readers": {"members": ["ana", "ben"]}},
                "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"},
                "assign": [["readers", "Key Vault Secrets User", "/subscriptions/s1/resourceGroups/rg1"],
                           ["cy", "Owner", "/subscriptions/s1"],
                           ["ben", "Virtual Machine Contributor", "/subscriptions/s1/resourceGroups/rg1"]],
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true}}},
                              {"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {"identity": {"type": "SystemAssigned"}}},
                              {"type": "Microsoft.Compute/virtualMachines", "name": "vm2", "properties": {}}]}"#,
        );
        let engine = Engine::new(&s);
        let whole = graph(&s, &engine);
        for access in [true, false] {
            let (mut nodes, mut edges) = (Vec::new(), Vec::new());
            let problems = super::super::stream(&s, &engine, access, false, |item| {
                match item {
                    super::super::Item::Node(n, admin) => nodes.push((n.id.clone(), admin)),
                    super::super::Item::Edge(e) => edges.push(format!("{} {} {}", e.kind.id(), e.from, e.to)),
                }
                Ok::<(), ()>(())
            })
            .unwrap();
            let mut want_nodes: Vec<(String, bool)> = whole
                .nodes
                .iter()
                .map(|n| (n.id.clone(), n.kind == crate::NodeKind::Admin || whole.admins.contains(&n.id)))
                .collect();
            let is_access = |e: &Edge| {
                matches!(e.kind, crate::EdgeKind::Azure { moves: false, id }
                    if ["run-command", "get-secrets", "get-keys", "list-keys"].contains(&id))
            };
            let mut want_edges: Vec<String> = whole
                .edges
                .iter()
                .filter(|e| access || !is_access(e))
                .map(|e| format!("{} {} {}", e.kind.id(), e.from, e.to))
                .collect();
            nodes.sort();
            want_nodes.sort();
            edges.sort();
            want_edges.sort();
            assert_eq!(nodes, want_nodes, "access {access}");
            assert_eq!(edges, want_edges, "access {access}");
            assert!(edges.iter().any(|e| e.starts_with("run-command ben vm1-identity")), "{edges:?}");
            assert_eq!(edges.iter().any(|e| e.starts_with("get-secrets readers")), access);
            assert_eq!(problems, whole.problems);
        }
    }

    /// A custom role granting role assignments makes an administrator; one whose NotActions remove them does not.
    #[test]
    fn custom_roles_with_the_engine() {
        let s = snapshot(
            r#"{"users": ["delegate", "almost"],
                "roles": {"Access Delegate": {"actions": ["Microsoft.Authorization/roleAssignments/write"]},
                          "Owner Lookalike": {"actions": ["*"], "notActions": ["Microsoft.Authorization/*/write"]}},
                "assign": [["delegate", "Access Delegate", "/subscriptions/s1"],
                           ["almost", "Owner Lookalike", "/providers/Microsoft.Management/managementGroups/t1"]]}"#,
        );
        let engine = Engine::new(&s);
        let g = graph(&s, &engine);
        assert!(g.admins.contains(&"delegate".to_string()), "{:?}", g.admins);
        assert!(!g.admins.contains(&"almost".to_string()), "{:?}", g.admins);
    }
}

/// A synthetic tenant for a rough measure of the Azure graph with the engine (`cargo test -p sightline-graph --
/// --ignored --nocapture scale`).
#[cfg(test)]
mod scale {
    use super::super::tests::snapshot;
    use super::super::{graph, privesc, Ctx, EDGES};
    use super::Engine;
    use serde_json::{json, Value};

    #[test]
    #[ignore = "a measure, not a check: run it by name with --ignored --nocapture"]
    fn azure_graph_at_scale() {
        let (users, groups, apps, vms, vaults, accounts, assignments) = (2000, 200, 200, 500, 150, 150, 2000);
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let user = |i: usize| format!("u{i}");
        let rg = |i: usize| format!("rg{}", i % 10);
        let mut group_map = serde_json::Map::new();
        for g in 0..groups {
            let members: Vec<String> = (0..10).map(|_| user(next(users))).collect();
            group_map.insert(format!("g{g}"), json!({"members": members, "owners": [user(next(users))]}));
        }
        let mut apps_map = serde_json::Map::new();
        let mut sps = serde_json::Map::new();
        for a in 0..apps {
            apps_map.insert(format!("app{a}"), json!({"appId": format!("a{a}"), "owners": [user(next(users))]}));
            sps.insert(format!("sp{a}"), json!({"appId": format!("a{a}")}));
        }
        let mut identities = serde_json::Map::new();
        let mut resources: Vec<Value> = Vec::new();
        for v in 0..vms {
            let r = rg(v);
            identities.insert(
                format!("vm{v}-identity"),
                json!(format!(
                    "/subscriptions/s1/resourceGroups/{r}/providers/Microsoft.Compute/virtualMachines/vm{v}"
                )),
            );
            resources.push(json!({"type": "Microsoft.Compute/virtualMachines", "name": format!("vm{v}"), "rg": r,
                                  "properties": {"identity": {"type": "SystemAssigned"}}}));
        }
        for k in 0..vaults {
            let policies: Vec<Value> = (0..5)
                .map(|_| json!({"tenantId": "t1", "objectId": format!("g{}", next(groups)), "permissions": {"secrets": ["get"], "keys": ["decrypt"]}}))
                .collect();
            resources.push(json!({"type": "Microsoft.KeyVault/vaults", "name": format!("kv{k}"), "rg": rg(k),
                                  "properties": {"properties": {"enableRbacAuthorization": k % 2 == 0, "accessPolicies": policies}}}));
        }
        for s in 0..accounts {
            resources.push(json!({"type": "Microsoft.Storage/storageAccounts", "name": format!("st{s}"), "rg": rg(s), "properties": {"properties": {}}}));
        }
        let roles = ["Reader", "Contributor", "Virtual Machine Contributor", "Key Vault Secrets User", "Owner"];
        let mut assign: Vec<Value> = Vec::new();
        for _ in 0..assignments {
            let who = if next(4) == 0 { format!("g{}", next(groups)) } else { user(next(users)) };
            let role = roles[next(roles.len())];
            let scope = match next(20) {
                0 => "/subscriptions/s1".to_string(),
                n if n < 8 => format!("/subscriptions/s1/resourceGroups/{}", rg(next(10))),
                _ => format!(
                    "/subscriptions/s1/resourceGroups/rg{}/providers/Microsoft.Compute/virtualMachines/vm{}",
                    0,
                    next(vms) / 10 * 10
                ),
            };
            assign.push(json!([who, role, scope]));
        }
        let directory: Vec<Value> =
            (0..50).map(|_| json!([user(next(users)), "Helpdesk Administrator", "/"])).collect();
        let users: Vec<String> = (0..users).map(user).collect();
        let fixture = json!({"users": users, "groups": group_map, "apps": apps_map, "sps": sps, "identities": identities,
                             "assign": assign, "directory": directory, "resources": resources});
        let s = snapshot(&fixture.to_string());
        let start = std::time::Instant::now();
        let engine = Engine::new(&s);
        eprintln!(
            "{} principals, {} resources: engine index {:?}",
            s.principals.len(),
            s.resources.len(),
            start.elapsed()
        );
        let ctx = Ctx::new(&s, &engine);
        for kind in EDGES {
            let t = std::time::Instant::now();
            let n = (kind.find)(&ctx).len();
            eprintln!("  {}: {n} edges in {:?}", kind.id, t.elapsed());
        }
        let t = std::time::Instant::now();
        let found = privesc(&s, &engine);
        eprintln!(
            "privesc (backwards from admin): {:?}, {} admins, {} escalations",
            t.elapsed(),
            found.admins.len(),
            found.escalations.len()
        );
        let t = std::time::Instant::now();
        let g = graph(&s, &engine);
        eprintln!("whole graph: {:?}, {} nodes, {} edges", t.elapsed(), g.nodes.len(), g.edges.len());
        let lengths =
            |e: &[crate::Escalation]| e.iter().map(|e| (e.principal.clone(), e.path.len())).collect::<Vec<_>>();
        assert_eq!(lengths(&found.escalations), lengths(&g.privesc()));
    }
}
