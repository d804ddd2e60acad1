//! `member-of`: an Entra principal is a direct member of a group (nested groups are chains of these edges).

use super::{AzureEdge, Ctx, Fixtures};
use crate::{Edge, EdgeKind, NodeKind};
use sightline_model::Provider;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "member-of",
    title: "A principal is a member of a group",
    description: "A user, service principal, managed identity or group is a direct member of a group (its `groups`), and holds what the group is granted: the group's role assignments reach nested members too, its directory roles and app permissions its direct members. A move.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "ops",
        positive: &[r#"{"users": ["attacker"], "groups": {"ops": {"members": ["attacker"]}}}"#],
        negative: &[r#"{"users": ["attacker", "other"], "groups": {"ops": {"members": ["other"]}}}"#],
    },
};

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for p in ctx.snapshot.principals.iter().filter(|p| p.provider == Provider::Azure) {
        for g in &p.groups {
            let Some(group) = ctx.principal(g).filter(|g| super::principal_kind(g) == Some(NodeKind::AzureGroup))
            else {
                continue;
            };
            if !ctx.wants(&group.id) {
                continue;
            }
            edges.push(Edge {
                from: p.id.clone(),
                to: group.id.clone(),
                kind: EdgeKind::MemberOf,
                detail: format!("{} is a member of group {}", p.name, group.name),
                proof: Vec::new(),
            });
        }
    }
    edges
}
