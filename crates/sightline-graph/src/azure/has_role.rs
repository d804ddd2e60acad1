//! `has-role`: a principal holds a role at a scope (an Azure role assignment, or an Entra directory role).

use super::{AzureEdge, Ctx, Fixtures, GrantSource};
use crate::{Edge, Step};
use sightline_model::Provider;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "has-role",
    title: "A principal holds a role at a scope",
    description: "An active Azure role assignment of the principal itself at a management group, subscription, resource group or resource (edge to that scope), or an active Entra directory role assignment (edge to the tenant, or to the object it is scoped to). Held through a group, the edge is the group's. What the role allows is told by the other edges. Not a move.",
    moves: false,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "/subscriptions/s1",
        positive: &[r#"{"users": ["attacker"], "assign": [["attacker", "Reader", "/subscriptions/s1"]]}"#],
        negative: &[
            // Held through a group: the edge is the group's.
            r#"{"users": ["attacker"], "groups": {"ops": {"members": ["attacker"]}},
                "assign": [["ops", "Reader", "/subscriptions/s1"]]}"#,
            // Eligible only: not held until activated.
            r#"{"users": ["attacker"], "eligible": [["attacker", "Reader", "/subscriptions/s1"]]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for p in ctx.snapshot.principals.iter().filter(|p| p.provider == Provider::Azure) {
        for a in ctx.perms.assignments_of(&p.id).into_iter().filter(|a| a.via_group.is_none()) {
            let role = a.role_name.clone().unwrap_or_else(|| a.assignment.clone());
            let (to, what) = match a.source {
                GrantSource::RoleAssignment => (a.scope.clone(), format!("role {role} at {}", ctx.name(&a.scope))),
                GrantSource::DirectoryRoleAssignment if a.scope == "/" => {
                    let tenant = ctx.tenant_of(&p.id);
                    (tenant.clone(), format!("directory role {role} in tenant {tenant}"))
                }
                GrantSource::DirectoryRoleAssignment
                    if !a.scope.to_ascii_lowercase().starts_with("/administrativeunits/") =>
                {
                    let object = a.scope.trim_start_matches('/').to_string();
                    (object.clone(), format!("directory role {role} over {}", ctx.name(&object)))
                }
                _ => continue,
            };
            let mut detail = format!("{} holds {what}", p.name);
            if let Some(c) = &a.condition {
                detail.push_str(&format!(" under the condition {c}"));
            }
            let proof = vec![Step {
                action: "role assignment".to_string(),
                resource: a.scope.clone(),
                statements: vec![format!("{role} at {} ({})", a.scope, a.assignment)],
            }];
            edges.push(ctx.edge(EDGE.id, false, &p.id, &to, detail, proof));
        }
    }
    edges
}
