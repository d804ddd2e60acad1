//! `get-keys`: use the keys of a Key Vault (decrypt, unwrap, sign).

use super::{AzureEdge, Ctx, Fixtures};
use crate::Edge;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "get-keys",
    title: "Use a Key Vault's keys",
    description: "A vault in Azure RBAC mode: the engine allows one of the data actions `Microsoft.KeyVault/vaults/keys/decrypt/action`, `.../keys/unwrap/action` or `.../keys/sign/action` on the vault. A vault in access-policy mode: an entry of `properties.accessPolicies` for the principal (for a group, the edge is the group's) grants the key permission `decrypt`, `unwrapKey`, `sign` (or `all`), or the engine allows `Microsoft.KeyVault/vaults/accessPolicies/write` on the vault. The principal decrypts what the keys protect (data keys, disk keys) or signs as the vault. An access edge to the vault, not a move.",
    moves: false,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1",
        positive: &[
            r#"{"users": ["attacker"], "assign": [["attacker", "Key Vault Crypto User", "/subscriptions/s1"]],
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true}}}]}"#,
            r#"{"users": ["attacker"], "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {
                    "accessPolicies": [{"tenantId": "t1", "objectId": "attacker", "permissions": {"keys": ["get", "unwrapKey"]}}]}}}]}"#,
        ],
        negative: &[
            r#"{"users": ["attacker"], "assign": [["attacker", "Key Vault Secrets User", "/subscriptions/s1"]],
                "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {"enableRbacAuthorization": true}}}]}"#,
            r#"{"users": ["attacker"], "resources": [{"type": "Microsoft.KeyVault/vaults", "name": "kv1", "properties": {"properties": {
                    "accessPolicies": [{"tenantId": "t1", "objectId": "attacker", "permissions": {"keys": ["get", "list"]}}]}}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    super::vault_edges(
        ctx,
        EDGE.id,
        "keys",
        &[
            "Microsoft.KeyVault/vaults/keys/decrypt/action",
            "Microsoft.KeyVault/vaults/keys/unwrap/action",
            "Microsoft.KeyVault/vaults/keys/sign/action",
        ],
        &["decrypt", "unwrapKey", "sign"],
        "uses the keys of Key Vault",
    )
}
