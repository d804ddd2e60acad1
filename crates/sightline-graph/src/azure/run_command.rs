//! `run-command`: run a command on a virtual machine.

use super::{AzureEdge, Ctx, Fixtures, Operation, Use};
use crate::Edge;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "run-command",
    title: "Run a command on a virtual machine",
    description: "The engine allows `Microsoft.Compute/virtualMachines/runCommand/action` on the VM. The command runs as SYSTEM or root; on a VM with managed identities it takes their tokens, a move to each identity. On a VM without one, an access edge to the VM (not a move).",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "vm1-identity",
        positive: &[
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"},
                "roles": {"Operator": {"actions": ["Microsoft.Compute/virtualMachines/runCommand/action"]}},
                "assign": [["attacker", "Operator", "/subscriptions/s1"]],
                "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {"identity": {"type": "SystemAssigned"}}}]}"#,
        ],
        negative: &[
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"},
                "roles": {"Login": {"actions": ["Microsoft.Compute/virtualMachines/read"], "dataActions": ["Microsoft.Compute/virtualMachines/login/action"]}},
                "assign": [["attacker", "Login", "/subscriptions/s1"]],
                "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {"identity": {"type": "SystemAssigned"}}}]}"#,
            // A deny assignment on the VM removes it.
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"},
                "assign": [["attacker", "Virtual Machine Contributor", "/subscriptions/s1"]],
                "deny": [["everyone", ["Microsoft.Compute/virtualMachines/runCommand/action"], "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"]],
                "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {"identity": {"type": "SystemAssigned"}}}]}"#,
        ],
    },
};

const RUN_COMMAND: &str = "Microsoft.Compute/virtualMachines/runCommand/action";

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let op = Operation::action(RUN_COMMAND);
    let mut edges = Vec::new();
    for vm in ctx.resources("Microsoft.Compute/virtualMachines") {
        let mut identities = ctx.identities_of(vm);
        let any_identity = !identities.is_empty();
        identities.retain(|(mi, _)| ctx.wants(&mi.id));
        // A VM with identities: moves to those wanted. Without one: an access edge, if access edges are wanted.
        let nothing_wanted =
            if any_identity { identities.is_empty() } else { !(ctx.wants_access() && ctx.wants(&vm.id)) };
        if nothing_wanted {
            continue;
        }
        let use_ = if identities.is_empty() { Use::Access } else { Use::Move };
        for h in ctx.holders(&op, &vm.id, use_) {
            let proof = vec![ctx.step(&op, &vm.id, &h)];
            if identities.is_empty() {
                let detail = format!("runs commands on VM {} as SYSTEM or root (it has no managed identity)", vm.name);
                edges.push(ctx.edge(EDGE.id, false, &h.principal, &vm.id, detail, proof));
                continue;
            }
            for (mi, how) in identities.iter().filter(|(mi, _)| !super::same(&mi.id, &h.principal)) {
                let detail = format!(
                    "runs a command on VM {} and takes the tokens of its {how} managed identity {}",
                    vm.name, mi.name
                );
                edges.push(ctx.edge(EDGE.id, true, &h.principal, &mi.id, detail, proof.clone()));
            }
        }
    }
    edges
}
