//! `add-member`: add oneself to a group, and hold what the group holds.

use super::{AzureEdge, Ctx, Fixtures, GrantSource, Operation, Use};
use crate::{Edge, NodeKind};

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "add-member",
    title: "Add oneself to a group",
    description: "The engine allows `microsoft.directory/groups/members/update` on the group (owners of the group, and directory roles that grant it tenant-wide or on the group). The principal adds itself and holds the group's roles and permissions. Groups with dynamic membership take no members; a role-assignable group (`isAssignableToRole`) only takes members from its owners (and from Privileged Role Administrators, who are administrators already). A move to the group.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "ops",
        positive: &[
            r#"{"users": ["attacker", "other"], "groups": {"ops": {"members": ["other"], "owners": ["attacker"]}}}"#,
            r#"{"users": ["attacker"], "groups": {"ops": {"members": []}}, "directory": [["attacker", "Groups Administrator", "/"]]}"#,
            // An owner may change a role-assignable group's members.
            r#"{"users": ["attacker"], "groups": {"ops": {"owners": ["attacker"], "properties": {"isAssignableToRole": true}}}}"#,
        ],
        negative: &[
            // A Groups Administrator cannot change a role-assignable group.
            r#"{"users": ["attacker"], "groups": {"ops": {"properties": {"isAssignableToRole": true}}},
                "directory": [["attacker", "Groups Administrator", "/"]]}"#,
            // Dynamic membership: nobody adds members.
            r#"{"users": ["attacker"], "groups": {"ops": {"owners": ["attacker"], "properties": {"groupTypes": ["DynamicMembership"]}}}}"#,
            r#"{"users": ["attacker"], "groups": {"ops": {}}, "directory": [["attacker", "Directory Readers", "/"]]}"#,
        ],
    },
};

const MEMBERS_UPDATE: &str = "microsoft.directory/groups/members/update";

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let op = Operation::directory(MEMBERS_UPDATE);
    let mut edges = Vec::new();
    for group in ctx.principals(NodeKind::AzureGroup) {
        let dynamic = group
            .properties
            .get("groupTypes")
            .and_then(|v| v.as_array())
            .is_some_and(|t| t.iter().filter_map(|t| t.as_str()).any(|t| super::same(t, "DynamicMembership")));
        if dynamic || !ctx.wants(&group.id) {
            continue;
        }
        let role_assignable = group.properties.get("isAssignableToRole").and_then(|v| v.as_bool()) == Some(true);
        let scope = format!("/{}", group.id);
        for mut h in ctx.holders(&op, &scope, Use::Move) {
            if super::same(&h.principal, &group.id) {
                continue;
            }
            if ctx.groups_of(&h.principal).is_some_and(|g| g.contains(&super::key(&group.id))) {
                continue;
            }
            if role_assignable {
                h.grants.retain(|g| g.source == GrantSource::Ownership);
                if h.grants.is_empty() {
                    continue;
                }
            }
            let detail = format!("adds itself to group {} and holds what the group is granted", group.name);
            edges.push(ctx.edge(EDGE.id, true, &h.principal, &group.id, detail, vec![ctx.step(&op, &scope, &h)]));
        }
    }
    edges
}
