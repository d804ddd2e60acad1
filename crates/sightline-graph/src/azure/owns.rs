//! `owns`: a principal owns a group, application or service principal.

use super::{AzureEdge, Ctx, Fixtures};
use crate::{Edge, NodeKind, Step};

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "owns",
    title: "A principal owns an Entra object",
    description: "The engine names the principal among the owners of a group, application or service principal. Ownership is not a move by itself: what owners may do is told by `add-secret` (credentials of owned applications and service principals) and `add-member` (members of owned groups).",
    moves: false,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "deployer-app",
        positive: &[r#"{"users": ["attacker"], "apps": {"deployer-app": {"appId": "a1", "owners": ["attacker"]}}}"#],
        negative: &[r#"{"users": ["attacker", "other"], "apps": {"deployer-app": {"appId": "a1", "owners": ["other"]}}}"#],
    },
};

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let mut objects: Vec<(String, String, &str)> = Vec::new();
    for (kind, what) in [(NodeKind::AzureGroup, "group"), (NodeKind::AzureServicePrincipal, "service principal")] {
        objects.extend(ctx.principals(kind).map(|p| (p.id.clone(), p.name.clone(), what)));
    }
    objects
        .extend(ctx.resources("Microsoft.Graph/applications").map(|r| (r.id.clone(), r.name.clone(), "application")));
    let mut edges = Vec::new();
    for (id, name, what) in objects {
        for owner in ctx.perms.owners_of(&id) {
            let detail = format!("{} owns {what} {name}", ctx.name(&owner));
            let proof = vec![Step {
                action: "owner".into(),
                resource: id.clone(),
                statements: vec![format!("owners of {id}")],
            }];
            edges.push(ctx.edge(EDGE.id, false, &owner, &id, detail, proof));
        }
    }
    edges
}
