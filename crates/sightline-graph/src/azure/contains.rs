//! `contains`: the scope tree, from the tenant down to each resource.

use super::{AzureEdge, Ctx, Fixtures};
use crate::Edge;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "contains",
    title: "A scope contains another scope or a resource",
    description: "The tenant contains its root management group, a management group its child groups and subscriptions, a subscription its resource groups, a resource group its resources, a resource its child resources. Role assignments at a scope apply to everything it contains. Not a move.",
    moves: false,
    find,
    fixtures: Fixtures {
        from: "/subscriptions/s1/resourceGroups/rg1",
        to: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1",
        positive: &[r#"{"resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {}}]}"#],
        negative: &[
            // The VM is in another resource group.
            r#"{"resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "rg": "rg2", "properties": {}}]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for k in &ctx.order {
        let (Some(child), Some(parent)) = (ctx.nodes.get(k), ctx.parents.get(k)) else { continue };
        let parent_name = ctx.name(parent);
        let detail = format!("{parent_name} contains {}", child.name);
        edges.push(ctx.edge(EDGE.id, false, parent, &child.id, detail, Vec::new()));
    }
    edges
}
