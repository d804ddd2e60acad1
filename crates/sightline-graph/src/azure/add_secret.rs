//! `add-secret`: add a credential to an application or service principal, and sign in as the service principal.

use super::{AzureEdge, Ctx, Fixtures, Operation, Use};
use crate::{Edge, NodeKind};

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "add-secret",
    title: "Add a secret to an application or service principal",
    description: "The engine allows `microsoft.directory/applications/credentials/update` on an application (owners of the application, and directory roles that grant it tenant-wide) or `microsoft.directory/servicePrincipals/credentials/update` on a service principal, or the principal holds the Graph application permission `Application.ReadWrite.All`. It adds a client secret and signs in as the service principal (of the application with the same `appId`), with all its roles and permissions. Managed identities take no credentials, and a disabled service principal (`accountEnabled` false) gets no token. A move.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "deployer",
        positive: &[
            // Owner of the application registration.
            r#"{"users": ["attacker"], "apps": {"deployer-app": {"appId": "a1", "owners": ["attacker"]}},
                "sps": {"deployer": {"appId": "a1"}}}"#,
            // Owner of the service principal itself.
            r#"{"users": ["attacker"], "sps": {"deployer": {"appId": "a1", "owners": ["attacker"]}}}"#,
            // A directory role that grants the credentials action tenant-wide.
            r#"{"users": ["attacker"], "sps": {"deployer": {"appId": "a1"}},
                "directory": [["attacker", "Application Administrator", "/"]]}"#,
            // The Graph application permission.
            r#"{"sps": {"attacker": {"appId": "a0"}, "deployer": {"appId": "a1"}},
                "app_permissions": [["attacker", "Application.ReadWrite.All"]]}"#,
        ],
        negative: &[
            // The service principal is disabled: no token for it.
            r#"{"users": ["attacker"], "sps": {"deployer": {"appId": "a1", "owners": ["attacker"], "accountEnabled": false}}}"#,
            // Owns an application whose service principal is not in the tenant: nobody to become.
            r#"{"users": ["attacker"], "apps": {"deployer-app": {"appId": "a9", "owners": ["attacker"]}},
                "sps": {"deployer": {"appId": "a1"}}}"#,
            // A directory role without the credentials action.
            r#"{"users": ["attacker"], "sps": {"deployer": {"appId": "a1"}},
                "directory": [["attacker", "Directory Readers", "/"]]}"#,
            // A Graph permission to read applications only.
            r#"{"sps": {"attacker": {"appId": "a0"}, "deployer": {"appId": "a1"}},
                "app_permissions": [["attacker", "Application.Read.All"]]}"#,
        ],
    },
};

const APPLICATION_CREDENTIALS: &str = "microsoft.directory/applications/credentials/update";
const SERVICE_PRINCIPAL_CREDENTIALS: &str = "microsoft.directory/servicePrincipals/credentials/update";
const APPLICATION_READ_WRITE_ALL: &str = "Application.ReadWrite.All";

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let graph_permission = Operation::app_permission(APPLICATION_READ_WRITE_ALL);
    let writers = ctx.holders(&graph_permission, "/", Use::Move);
    let mut edges = Vec::new();
    // A disabled service principal gets no token, whatever its credentials.
    let service_principals: Vec<_> = ctx
        .principals(NodeKind::AzureServicePrincipal)
        .filter(|sp| sp.properties.get("accountEnabled").and_then(|v| v.as_bool()) != Some(false))
        .collect();
    let by_app_id: std::collections::HashMap<String, &sightline_model::Principal> = service_principals
        .iter()
        .filter_map(|sp| Some((sp.properties.get("appId")?.as_str()?.to_ascii_lowercase(), *sp)))
        .collect();
    for app in ctx.resources("Microsoft.Graph/applications") {
        let id = app.properties.get("appId").and_then(|v| v.as_str()).map(str::to_ascii_lowercase);
        let Some(sp) = id.and_then(|id| by_app_id.get(&id).copied()).filter(|sp| ctx.wants(&sp.id)) else { continue };
        let op = Operation::directory(APPLICATION_CREDENTIALS);
        let scope = format!("/{}", app.id);
        for h in ctx.holders(&op, &scope, Use::Move).into_iter().filter(|h| !super::same(&h.principal, &sp.id)) {
            let detail = format!(
                "adds a client secret to application {} and signs in as its service principal {}",
                app.name, sp.name
            );
            edges.push(ctx.edge(EDGE.id, true, &h.principal, &sp.id, detail, vec![ctx.step(&op, &scope, &h)]));
        }
    }
    for sp in service_principals.iter().filter(|sp| ctx.wants(&sp.id)) {
        let op = Operation::directory(SERVICE_PRINCIPAL_CREDENTIALS);
        let scope = format!("/{}", sp.id);
        for h in ctx.holders(&op, &scope, Use::Move).into_iter().filter(|h| !super::same(&h.principal, &sp.id)) {
            let detail = format!("adds a client secret to service principal {} and signs in as it", sp.name);
            edges.push(ctx.edge(EDGE.id, true, &h.principal, &sp.id, detail, vec![ctx.step(&op, &scope, &h)]));
        }
        for h in writers.iter().filter(|h| !super::same(&h.principal, &sp.id)) {
            let detail = format!(
                "with the Graph permission {APPLICATION_READ_WRITE_ALL}, adds a client secret to service principal {} and signs in as it",
                sp.name
            );
            edges.push(ctx.edge(
                EDGE.id,
                true,
                &h.principal,
                &sp.id,
                detail,
                vec![ctx.step(&graph_permission, "/", h)],
            ));
        }
    }
    edges
}
