//! `role-eligible`: a move that needs a PIM activation first.

use super::{AzureEdge, Ctx, Fixtures, ELIGIBLE};
use crate::Edge;
use std::collections::HashSet;

pub(crate) static EDGE: AzureEdge = AzureEdge {
    id: "role-eligible",
    title: "A move after activating an eligible role",
    description: "A PIM eligibility (Azure role or directory role) would, once the principal activates it, give a move of another kind (for instance `grant-role` for an eligible Owner of a subscription, or `reset-password` for an eligible Helpdesk Administrator). The other edge kinds are asked again with eligibilities counted as active; each move found that needs an eligibility becomes a `role-eligible` edge to the same target, whose detail starts with \"after activating\" the roles and names the move. A move.",
    moves: true,
    find,
    fixtures: Fixtures {
        from: "attacker",
        to: "admin",
        positive: &[
            r#"{"users": ["attacker"], "eligible": [["attacker", "Owner", "/subscriptions/s1"]]}"#,
            r#"{"users": ["attacker"], "directory_eligible": [["attacker", "Privileged Role Administrator", "/"]]}"#,
        ],
        negative: &[
            // Eligible for a role that cannot grant roles.
            r#"{"users": ["attacker"], "eligible": [["attacker", "Reader", "/subscriptions/s1"]]}"#,
            // Active already: a grant-role edge, no activation needed.
            r#"{"users": ["attacker"], "assign": [["attacker", "Owner", "/subscriptions/s1"]],
                "eligible": [["attacker", "Owner", "/subscriptions/s1"]]}"#,
        ],
    },
};

fn find(ctx: &Ctx<'_, '_>) -> Vec<Edge> {
    if ctx.is_activated() {
        return Vec::new();
    }
    // Only principals holding an eligibility (directly or through a group) can have a move that needs one.
    let eligible: Vec<String> = ctx
        .snapshot
        .principals
        .iter()
        .filter(|p| p.provider == sightline_model::Provider::Azure)
        .filter(|p| ctx.perms.assignments_of(&p.id).iter().any(|a| !a.source.is_active()))
        .map(|p| p.id.clone())
        .collect();
    if eligible.is_empty() {
        return Vec::new();
    }
    let activated = ctx.activated(&eligible);
    let mut edges = Vec::new();
    let mut seen = HashSet::new();
    for kind in super::EDGES.iter().filter(|k| k.moves && k.id != EDGE.id) {
        for e in (kind.find)(&activated) {
            if !e.kind.is_move() {
                continue;
            }
            let roles: Vec<String> = e
                .proof
                .iter()
                .flat_map(|s| &s.statements)
                .filter_map(|s| s.strip_prefix(ELIGIBLE))
                .map(|s| s.split(" (").next().unwrap_or(s).to_string())
                .collect();
            if roles.is_empty() || !seen.insert((super::key(&e.from), super::key(&e.to), e.kind.id())) {
                continue;
            }
            let detail = format!("after activating {} (PIM): {} [{}]", roles.join(", "), e.detail, e.kind.id());
            edges.push(ctx.edge(EDGE.id, true, &e.from, &e.to, detail, e.proof));
        }
    }
    edges
}
