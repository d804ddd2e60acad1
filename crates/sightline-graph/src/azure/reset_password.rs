//! `reset-password`: reset a user's password and sign in as the user.

use super::{AzureEdge, Ctx, Fixtures, GrantSource, Operation, Use};
use crate::{Edge, NodeKind};

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "reset-password",
    title: "Reset a user's password",
    description: "The engine allows `microsoft.directory/users/password/update` on the user (a directory role tenant-wide, or scoped to the user). The resetter sets a new password and signs in as the user, with the user's Azure roles and ownerships (multi-factor authentication, where the user has it, still stands in the way). Microsoft Entra lets only higher administrators reset the password of a user who holds a directory role, so the edge goes only to users with no directory role, active or eligible; a resetter that could reset administrators (Global Administrator) is an administrator already. Disabled accounts (`accountEnabled` false) and guests (`userType` Guest, who sign in at their home organization) are left out. A move.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "victim",
        positive: &[
            r#"{"users": ["attacker", "victim"], "directory": [["attacker", "Helpdesk Administrator", "/"]]}"#,
            // Scoped to the user itself.
            r#"{"users": ["attacker", "victim"], "directory": [["attacker", "Helpdesk Administrator", "/victim"]]}"#,
        ],
        negative: &[
            // The victim holds a directory role: only higher administrators may reset it.
            r#"{"users": ["attacker", "victim"], "directory": [["attacker", "Helpdesk Administrator", "/"],
                                                              ["victim", "Directory Readers", "/"]]}"#,
            // A directory role without the password action.
            r#"{"users": ["attacker", "victim"], "directory": [["attacker", "Directory Readers", "/"]]}"#,
            // A disabled account cannot sign in.
            r#"{"users": ["attacker", "victim"], "user_properties": {"victim": {"accountEnabled": false}},
                "directory": [["attacker", "Helpdesk Administrator", "/"]]}"#,
            // A guest signs in with its home organization's credentials, not a password of this tenant.
            r#"{"users": ["attacker", "victim"], "user_properties": {"victim": {"userType": "Guest"}},
                "directory": [["attacker", "Helpdesk Administrator", "/"]]}"#,
            // Scoped to another user.
            r#"{"users": ["attacker", "victim", "other"], "directory": [["attacker", "Helpdesk Administrator", "/other"]]}"#,
        ],
    },
};

const PASSWORD_UPDATE: &str = "microsoft.directory/users/password/update";

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let op = Operation::directory(PASSWORD_UPDATE);
    let mut edges = Vec::new();
    for user in ctx.principals(NodeKind::AzureUser) {
        let disabled = user.properties.get("accountEnabled").and_then(|v| v.as_bool()) == Some(false);
        let guest = user.properties.get("userType").and_then(|v| v.as_str()).is_some_and(|t| super::same(t, "Guest"));
        if disabled || guest || !ctx.wants(&user.id) {
            continue;
        }
        let directory_role =
            ctx.perms.assignments_of(&user.id).into_iter().any(|a| {
                matches!(a.source, GrantSource::DirectoryRoleAssignment | GrantSource::DirectoryRoleEligibility)
            });
        if directory_role {
            continue;
        }
        let scope = format!("/{}", user.id);
        for h in ctx.holders(&op, &scope, Use::Move).into_iter().filter(|h| !super::same(&h.principal, &user.id)) {
            let detail =
                format!("resets the password of {} (a user without a directory role) and signs in as it", user.name);
            edges.push(ctx.edge(EDGE.id, true, &h.principal, &user.id, detail, vec![ctx.step(&op, &scope, &h)]));
        }
    }
    edges
}
