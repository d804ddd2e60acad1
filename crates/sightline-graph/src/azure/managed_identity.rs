//! `managed-identity`: run code on a resource with a managed identity, or attach a user-assigned identity to a
//! resource one can run code on, and take the identity's tokens.

use super::{AzureEdge, Ctx, Fixtures, Holder, Operation, Use};
use crate::{Edge, Step};
use sightline_model::Resource;
use std::collections::{HashMap, HashSet};

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "managed-identity",
    title: "Act as a resource's managed identity",
    description: "A resource carries managed identities (`properties.identity`: system-assigned, or user-assigned ones matched by their resource id). A principal the engine allows to run code on the resource (virtual machines and scale sets: `extensions/write`; App Service sites: `Microsoft.Web/sites/write`; Automation accounts: `runbooks/write` and `jobs/write`; Logic Apps: `Microsoft.Logic/workflows/write`; container groups: `containers/exec/action`) requests tokens as each identity from inside it. A principal that may also change such a resource (`{type}/write`) and assign a user-assigned identity (`Microsoft.ManagedIdentity/userAssignedIdentities/assign/action` on the identity) attaches the identity, runs code there (on a VM, `runCommand/action` also does) and becomes it. Run Command on a VM's own identities is the `run-command` edge. A move.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "vm1-identity",
        positive: &[
            // A VM's system-assigned identity, through a custom script extension.
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"},
                "assign": [["attacker", "Virtual Machine Contributor", "/subscriptions/s1/resourceGroups/rg1"]],
                "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {"identity": {"type": "SystemAssigned"}}}]}"#,
            // A user-assigned identity of a web app.
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops"},
                "assign": [["attacker", "Contributor", "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Web/sites/web1"]],
                "resources": [{"type": "Microsoft.Web/sites", "name": "web1", "properties": {"identity": {"type": "UserAssigned",
                    "userAssignedIdentities": {"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops": {}}}}},
                              {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "name": "ops", "properties": {}}]}"#,
            // Attaching a user-assigned identity to a VM it controls.
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops"},
                "assign": [["attacker", "Virtual Machine Contributor", "/subscriptions/s1/resourceGroups/rg1"],
                           ["attacker", "Managed Identity Operator", "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops"]],
                "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {}},
                              {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "name": "ops", "properties": {}}]}"#,
        ],
        negative: &[
            // Reader runs no code.
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1"},
                "assign": [["attacker", "Reader", "/subscriptions/s1/resourceGroups/rg1"]],
                "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {"identity": {"type": "SystemAssigned"}}}]}"#,
            // Controls a VM but may not assign the identity.
            r#"{"users": ["attacker"], "identities": {"vm1-identity": "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops"},
                "assign": [["attacker", "Virtual Machine Contributor", "/subscriptions/s1/resourceGroups/rg1"]],
                "resources": [{"type": "Microsoft.Compute/virtualMachines", "name": "vm1", "properties": {}},
                              {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "name": "ops", "properties": {}}]}"#,
        ],
    },
};

/// The operations that run code on a resource of each type (all of them needed).
pub(crate) const RUN_CODE: &[(&str, &[&str])] = &[
    ("Microsoft.Compute/virtualMachines", &["Microsoft.Compute/virtualMachines/extensions/write"]),
    ("Microsoft.Compute/virtualMachineScaleSets", &["Microsoft.Compute/virtualMachineScaleSets/extensions/write"]),
    ("Microsoft.Web/sites", &["Microsoft.Web/sites/write"]),
    (
        "Microsoft.Automation/automationAccounts",
        &[
            "Microsoft.Automation/automationAccounts/runbooks/write",
            "Microsoft.Automation/automationAccounts/jobs/write",
        ],
    ),
    ("Microsoft.Logic/workflows", &["Microsoft.Logic/workflows/write"]),
    (
        "Microsoft.ContainerInstance/containerGroups",
        &["Microsoft.ContainerInstance/containerGroups/containers/exec/action"],
    ),
];

const ASSIGN_IDENTITY: &str = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action";
const RUN_COMMAND: &str = "Microsoft.Compute/virtualMachines/runCommand/action";

/// The principals that may perform every operation of `ops` on `r`, each with its proof.
fn able(ctx: &Ctx<'_, '_>, r: &Resource, ops: &[&str]) -> Vec<(Holder, Vec<Step>)> {
    let Some((first, rest)) = ops.split_first() else { return Vec::new() };
    let op = Operation::action(first);
    ctx.holders(&op, &r.id, Use::Move)
        .into_iter()
        .filter_map(|h| {
            let mut proof = vec![ctx.step(&op, &r.id, &h)];
            for name in rest {
                let op = Operation::action(name);
                let more = ctx.allows(&h.principal, &op, &r.id, Use::Move)?;
                proof.push(ctx.step(&op, &r.id, &more));
            }
            Some((h, proof))
        })
        .collect()
}

fn short_type(t: &str) -> &str {
    t.rsplit('/').next().unwrap_or(t)
}

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    let mut edges = Vec::new();
    // Who may assign each user-assigned identity, asked once per identity.
    let assign = Operation::action(ASSIGN_IDENTITY);
    let assigners: Vec<(&Resource, &sightline_model::Principal, HashMap<String, Holder>)> = ctx
        .user_assigned_identities()
        .into_iter()
        .filter(|(_, mi)| ctx.wants(&mi.id))
        .map(|(uai, mi)| {
            let who =
                ctx.holders(&assign, &uai.id, Use::Move).into_iter().map(|h| (super::key(&h.principal), h)).collect();
            (uai, mi, who)
        })
        .filter(|(_, _, who): &(_, _, HashMap<String, Holder>)| !who.is_empty())
        .collect();
    // One way to each identity for each principal is enough (a user-assigned identity may sit on many resources).
    let mut attached: HashSet<(String, String)> = HashSet::new();
    for (resource_type, ops) in RUN_CODE {
        for r in ctx.resources(resource_type) {
            let identities = ctx.identities_of(r);
            let wanted: Vec<_> = identities.iter().filter(|(mi, _)| ctx.wants(&mi.id)).collect();
            if !wanted.is_empty() {
                for (h, proof) in able(ctx, r, ops) {
                    for (mi, how) in wanted.iter().filter(|(mi, _)| !super::same(&mi.id, &h.principal)) {
                        if !attached.insert((super::key(&h.principal), super::key(&mi.id))) {
                            continue;
                        }
                        let detail = format!(
                            "runs code on {} {} and takes the tokens of its {how} managed identity {}",
                            short_type(resource_type),
                            r.name,
                            mi.name
                        );
                        edges.push(ctx.edge(EDGE.id, true, &h.principal, &mi.id, detail, proof.clone()));
                    }
                }
            }
            if assigners.is_empty() {
                continue;
            }
            // Attaching a user-assigned identity: change the resource, run code on it, assign the identity.
            let write = format!("{resource_type}/write");
            let mut ways: Vec<Vec<&str>> = vec![std::iter::once(write.as_str()).chain(ops.iter().copied()).collect()];
            if super::same(resource_type, "Microsoft.Compute/virtualMachines") {
                ways.push(vec![write.as_str(), RUN_COMMAND]);
            }
            let mut controllers: Vec<(Holder, Vec<Step>)> = Vec::new();
            for way in &ways {
                for (h, mut proof) in able(ctx, r, way) {
                    proof.dedup();
                    if !controllers.iter().any(|(c, _)| super::same(&c.principal, &h.principal)) {
                        controllers.push((h, proof));
                    }
                }
            }
            for (h, proof) in &controllers {
                for (uai, mi, who) in &assigners {
                    let Some(assigner) = who.get(&super::key(&h.principal)) else { continue };
                    if super::same(&mi.id, &h.principal)
                        || identities.iter().any(|(i, _)| super::same(&i.id, &mi.id))
                        || !attached.insert((super::key(&h.principal), super::key(&mi.id)))
                    {
                        continue;
                    }
                    let mut proof = proof.clone();
                    proof.push(ctx.step(&assign, &uai.id, assigner));
                    let detail = format!(
                        "attaches the user-assigned identity {} to {} {}, runs code there and takes its tokens",
                        uai.name,
                        short_type(resource_type),
                        r.name
                    );
                    edges.push(ctx.edge(EDGE.id, true, &h.principal, &mi.id, detail, proof));
                }
            }
        }
    }
    edges
}
