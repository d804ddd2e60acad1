//! `grant-role`: grant oneself any role, the mark of an Azure administrator.

use super::{AzureEdge, Ctx, Fixtures, Operation, Use};
use crate::{Edge, NodeKind, Step, ADMIN};
use std::collections::HashMap;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "grant-role",
    title: "Grant oneself any role",
    description: "The engine allows `Microsoft.Authorization/roleAssignments/write` at the root scope `/`, a management group or a subscription (active, unconditional, not removed by a deny assignment: any role that grants it counts, custom ones included, and `NotActions` that remove it are honoured), or `microsoft.directory/roleAssignments/allProperties/allTasks` tenant-wide (any directory role can be assigned), or the principal holds the Graph application permission `RoleManagement.ReadWrite.Directory`. It can assign itself Owner or Global Administrator: it is an administrator of that subscription, management group or tenant, and the edge leads to `admin`. A conditional grant (an ABAC condition limiting which roles may be assigned) is not counted and is reported. Role assignment rights on a resource group alone do not make an administrator: they give an edge to the resource group (not a move) saying the principal controls everything in it. A move to `admin`.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "admin",
        positive: &[
            r#"{"users": ["attacker"], "assign": [["attacker", "Owner", "/subscriptions/s1"]]}"#,
            // A custom role that grants role assignments, at a management group above the subscription.
            r#"{"users": ["attacker"], "roles": {"Access Delegate": {"actions": ["Microsoft.Authorization/roleAssignments/*"]}},
                "assign": [["attacker", "Access Delegate", "/providers/Microsoft.Management/managementGroups/prod"]]}"#,
            // At the root scope, through a group.
            r#"{"users": ["attacker"], "groups": {"ops": {"members": ["attacker"]}},
                "assign": [["ops", "User Access Administrator", "/"]]}"#,
            r#"{"users": ["attacker"], "directory": [["attacker", "Privileged Role Administrator", "/"]]}"#,
            r#"{"sps": {"attacker": {"appId": "a0"}}, "app_permissions": [["attacker", "RoleManagement.ReadWrite.Directory"]]}"#,
        ],
        negative: &[
            // Contributor's NotActions remove role assignments.
            r#"{"users": ["attacker"], "assign": [["attacker", "Contributor", "/subscriptions/s1"]]}"#,
            // A custom role whose NotActions remove it.
            r#"{"users": ["attacker"], "roles": {"Almost Owner": {"actions": ["*"], "notActions": ["Microsoft.Authorization/roleAssignments/write"]}},
                "assign": [["attacker", "Almost Owner", "/subscriptions/s1"]]}"#,
            // Owner of a resource group only.
            r#"{"users": ["attacker"], "assign": [["attacker", "Owner", "/subscriptions/s1/resourceGroups/rg1"]]}"#,
            // A deny assignment removes it.
            r#"{"users": ["attacker"], "assign": [["attacker", "Owner", "/subscriptions/s1"]],
                "deny": [["attacker", ["Microsoft.Authorization/roleAssignments/write"], "/subscriptions/s1"]]}"#,
            // Only under a condition on the roles it may assign.
            r#"{"users": ["attacker"], "assign": [["attacker", "User Access Administrator", "/subscriptions/s1",
                "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {acdd72a7-3385-48ef-bd42-f606fba81ae7}"]]}"#,
            // Eligible only: a role-eligible edge, not this one.
            r#"{"users": ["attacker"], "eligible": [["attacker", "Owner", "/subscriptions/s1"]]}"#,
            // A directory role that cannot assign roles.
            r#"{"users": ["attacker"], "directory": [["attacker", "Helpdesk Administrator", "/"]]}"#,
        ],
    },
};

const ROLE_ASSIGNMENTS_WRITE: &str = "Microsoft.Authorization/roleAssignments/write";
const DIRECTORY_ROLE_ASSIGNMENTS: &str = "microsoft.directory/roleAssignments/allProperties/allTasks";
const ROLE_MANAGEMENT: &str = "RoleManagement.ReadWrite.Directory";

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    // For each principal, in order first found: what it administers, and the proof.
    let mut order: Vec<String> = Vec::new();
    let mut found: HashMap<String, Vec<(String, String, Step)>> = HashMap::new();
    let mut note = |principal: &str, scope: &str, what: String, step: Step| {
        let k = super::key(principal);
        if !found.contains_key(&k) {
            order.push(principal.to_string());
        }
        found.entry(k).or_default().push((scope.to_string(), what, step));
    };
    let mut scopes: Vec<(String, String)> =
        vec![("/".to_string(), "every subscription (the root scope /)".to_string())];
    for k in &ctx.order {
        let Some(n) = ctx.nodes.get(k) else { continue };
        match n.kind {
            NodeKind::ManagementGroup => scopes.push((n.id.clone(), format!("management group {}", n.name))),
            NodeKind::Subscription => {
                let id = n.id.trim_start_matches("/subscriptions/");
                let what =
                    if n.name == id { format!("subscription {id}") } else { format!("subscription {} ({id})", n.name) };
                scopes.push((n.id.clone(), what));
            }
            _ => {}
        }
    }
    let wants_admin = ctx.wants(ADMIN);
    if !wants_admin {
        scopes.clear();
    }
    let op = Operation::action(ROLE_ASSIGNMENTS_WRITE);
    for (scope, what) in &scopes {
        for h in ctx.holders(&op, scope, Use::Move) {
            note(&h.principal, scope, what.clone(), ctx.step(&op, scope, &h));
        }
    }
    let op = Operation::directory(DIRECTORY_ROLE_ASSIGNMENTS);
    for h in ctx.holders(&op, "/", Use::Move).into_iter().filter(|_| wants_admin) {
        let what = format!("tenant {} (may assign any directory role)", ctx.tenant_of(&h.principal));
        note(&h.principal, "", what, ctx.step(&op, "/", &h));
    }
    let op = Operation::app_permission(ROLE_MANAGEMENT);
    for h in ctx.holders(&op, "/", Use::Move).into_iter().filter(|_| wants_admin) {
        let what = format!(
            "tenant {} (Graph permission {ROLE_MANAGEMENT}: may assign any directory role)",
            ctx.tenant_of(&h.principal)
        );
        note(&h.principal, "", what, ctx.step(&op, "/", &h));
    }
    let mut edges = Vec::new();
    for principal in order {
        let Some(grants) = found.get(&super::key(&principal)) else { continue };
        // A scope below another one it administers adds nothing to say.
        let kept: Vec<&(String, String, Step)> = grants
            .iter()
            .filter(|(scope, _, _)| {
                scope.is_empty()
                    || !grants.iter().any(|(other, _, _)| {
                        !other.is_empty() && !super::same(other, scope) && ctx.within(scope, other)
                    })
            })
            .collect();
        let whats: Vec<&str> = kept.iter().map(|(_, w, _)| w.as_str()).collect();
        let detail = format!("may grant itself any role: administrator of {}", whats.join("; "));
        let proof = kept.iter().map(|(_, _, s)| s.clone()).collect();
        edges.push(ctx.edge(EDGE.id, true, &principal, ADMIN, detail, proof));
    }
    // Resource groups: control of everything in one, short of an administrator.
    let op = Operation::action(ROLE_ASSIGNMENTS_WRITE);
    for k in &ctx.order {
        let Some(rg) = ctx.nodes.get(k).filter(|n| n.kind == NodeKind::ResourceGroup && ctx.wants(&n.id)) else {
            continue;
        };
        for h in ctx.holders(&op, &rg.id, Use::Move) {
            let above = found.get(&super::key(&h.principal)).is_some_and(|grants| {
                grants.iter().any(|(scope, _, _)| !scope.is_empty() && ctx.within(&rg.id, scope))
            });
            if above {
                continue;
            }
            let detail = format!("may grant itself any role on resource group {}: controls everything in it", rg.name);
            edges.push(ctx.edge(EDGE.id, false, &h.principal, &rg.id, detail, vec![ctx.step(&op, &rg.id, &h)]));
        }
    }
    edges
}
