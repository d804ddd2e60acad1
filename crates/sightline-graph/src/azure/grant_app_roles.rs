//! `grant-app-roles`: grant oneself any Graph application permission, then any directory role.

use super::{AzureEdge, Ctx, Fixtures, Operation, Use};
use crate::{Edge, ADMIN};

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "grant-app-roles",
    title: "Grant oneself Graph application permissions",
    description: "The principal holds the Graph application permission `AppRoleAssignment.ReadWrite.All` (as the engine decides). It grants its own service principal `RoleManagement.ReadWrite.Directory` on Microsoft Graph, then assigns itself any directory role: administrator of the tenant. A move to `admin`.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "admin",
        positive: &[r#"{"sps": {"attacker": {"appId": "a0"}}, "app_permissions": [["attacker", "AppRoleAssignment.ReadWrite.All"]]}"#],
        negative: &[r#"{"sps": {"attacker": {"appId": "a0"}}, "app_permissions": [["attacker", "Application.Read.All"]]}"#],
    },
};

const APP_ROLE_ASSIGNMENTS: &str = "AppRoleAssignment.ReadWrite.All";

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    if !ctx.wants(ADMIN) {
        return Vec::new();
    }
    let op = Operation::app_permission(APP_ROLE_ASSIGNMENTS);
    ctx.holders(&op, "/", Use::Move)
        .into_iter()
        .map(|h| {
            let detail = format!(
                "with the Graph permission {APP_ROLE_ASSIGNMENTS}, grants itself RoleManagement.ReadWrite.Directory and then any directory role: administrator of tenant {}",
                ctx.tenant_of(&h.principal)
            );
            ctx.edge(EDGE.id, true, &h.principal, ADMIN, detail, vec![ctx.step(&op, "/", &h)])
        })
        .collect()
}
