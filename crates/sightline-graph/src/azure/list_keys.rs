//! `list-keys`: list a storage account's keys, which give full access to its data.

use super::{AzureEdge, Ctx, Fixtures, Operation, Use};
use crate::Edge;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "list-keys",
    title: "List a storage account's keys",
    description: "The engine allows `Microsoft.Storage/storageAccounts/listKeys/action` on the storage account (Contributor and Storage Account Key Operator do). An account key is full access to every blob, file, queue and table of the account, whatever the data-plane roles say, unless the account refuses Shared Key authorization (`properties.allowSharedKeyAccess` false): then no edge. An access edge to the account, not a move.",
    moves: false,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/data1",
        positive: &[
            r#"{"users": ["attacker"], "assign": [["attacker", "Storage Account Key Operator Service Role", "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/data1"]],
                "resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "data1", "properties": {"properties": {}}}]}"#,
            r#"{"users": ["attacker"], "assign": [["attacker", "Contributor", "/subscriptions/s1"]],
                "resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "data1", "properties": {"properties": {"allowSharedKeyAccess": true}}}]}"#,
        ],
        negative: &[
            r#"{"users": ["attacker"], "assign": [["attacker", "Reader", "/subscriptions/s1"]],
                "resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "data1", "properties": {"properties": {}}}]}"#,
            // Shared Key authorization is off: the keys open nothing.
            r#"{"users": ["attacker"], "assign": [["attacker", "Contributor", "/subscriptions/s1"]],
                "resources": [{"type": "Microsoft.Storage/storageAccounts", "name": "data1", "properties": {"properties": {"allowSharedKeyAccess": false}}}]}"#,
        ],
    },
};

const LIST_KEYS: &str = "Microsoft.Storage/storageAccounts/listKeys/action";

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let op = Operation::action(LIST_KEYS);
    let mut edges = Vec::new();
    for account in ctx.resources("Microsoft.Storage/storageAccounts") {
        if account.properties.pointer("/properties/allowSharedKeyAccess").and_then(|v| v.as_bool()) == Some(false) {
            continue;
        }
        for h in ctx.holders(&op, &account.id, Use::Access) {
            let detail = format!("lists the keys of storage account {}: full access to its data", account.name);
            edges.push(ctx.edge(
                EDGE.id,
                false,
                &h.principal,
                &account.id,
                detail,
                vec![ctx.step(&op, &account.id, &h)],
            ));
        }
    }
    edges
}
