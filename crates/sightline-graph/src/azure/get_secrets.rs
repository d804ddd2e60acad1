//! `get-secrets`: read the secrets of a Key Vault.

use super::{AzureEdge, Ctx, Fixtures};
use crate::Edge;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "get-secrets",
    title: "Read a Key Vault's secrets",
    description: "A vault in Azure RBAC mode (`properties.enableRbacAuthorization`): the engine allows the data action `Microsoft.KeyVault/vaults/secrets/getSecret/action` on the vault. A vault in access-policy mode: an entry of `properties.accessPolicies` for the principal (for a group, the edge is the group's and its members reach it by member-of) grants the secret permission `get` (or `all`), or the engine allows `Microsoft.KeyVault/vaults/accessPolicies/write` on the vault, with which the principal adds such an entry for itself. An access edge to the vault, not a move.",
    moves: false,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1",
        positive: &[
            r#"{"users": ["attacker"], "assign": [["attacker", "Key Vault Secrets User", "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1"]],
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true}}}]}"#,
            // An access policy for a group the attacker is in, through a nested group.
            r#"{"users": ["attacker"], "groups": {"devs": {"members": ["attacker"]}, "ops": {"members": ["devs"]}},
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": false,
                    "accessPolicies": [{"tenantId": "t1", "objectId": "ops", "permissions": {"secrets": ["Get", "List"]}}]}}}]}"#,
            // May write the access policies itself.
            r#"{"users": ["attacker"], "assign": [["attacker", "Contributor", "/subscriptions/s1/resourceGroups/rg1"]],
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"accessPolicies": []}}}]}"#,
        ],
        negative: &[
            // In RBAC mode, access policies are ignored.
            r#"{"users": ["attacker"], "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true,
                    "accessPolicies": [{"tenantId": "t1", "objectId": "attacker", "permissions": {"secrets": ["get"]}}]}}}]}"#,
            // Listing is not reading.
            r#"{"users": ["attacker"], "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {
                    "accessPolicies": [{"tenantId": "t1", "objectId": "attacker", "permissions": {"secrets": ["list"]}}]}}}]}"#,
            // Key Vault Reader reads metadata only.
            r#"{"users": ["attacker"], "assign": [["attacker", "Key Vault Reader", "/subscriptions/s1/resourceGroups/rg1"]],
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true}}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    super::vault_edges(
        ctx,
        EDGE.id,
        "secrets",
        &["Microsoft.KeyVault/vaults/secrets/getSecret/action"],
        &["get"],
        "reads the secrets of Key Vault",
    )
}
