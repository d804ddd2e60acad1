//! [`Permissions`] answered by the Azure RBAC and Entra engine, `sightline_azure::rbac::RbacIndex` (feature
//! `rbac-engine`). A thin translation: the engine decides, this only renames.

use super::{Access, Assignment, Decision, Grant, GrantSource, Operation, Permissions, Plane, Verdict};
use sightline_azure::rbac as engine;
use sightline_model::{Provider, Snapshot};
use std::collections::HashMap;

/// The engine over one snapshot.
pub struct Engine<'s> {
    index: engine::RbacIndex,
    /// Direct groups of each Azure principal (lowercase ids), for [`Permissions::groups_of`]: the engine computes
    /// transitive membership but does not expose it yet.
    direct_groups: HashMap<String, Vec<String>>,
    _snapshot: std::marker::PhantomData<&'s Snapshot>,
}

impl<'s> Engine<'s> {
    /// Indexes `snapshot` with the engine.
    pub fn new(snapshot: &'s Snapshot) -> Engine<'s> {
        let direct_groups = snapshot
            .principals
            .iter()
            .filter(|p| p.provider == Provider::Azure)
            .map(|p| (super::key(&p.id), p.groups.clone()))
            .collect();
        Engine { index: engine::RbacIndex::new(snapshot), direct_groups, _snapshot: std::marker::PhantomData }
    }

    /// Records of the snapshot the engine could not use.
    pub fn problems(&self) -> Vec<String> {
        self.index.problems().iter().map(|p| format!("{}: {}", p.record, p.message)).collect()
    }
}

fn operation(op: &Operation) -> engine::Operation {
    match op.plane {
        Plane::Action => engine::Operation::action(op.name.as_str()),
        Plane::DataAction => engine::Operation::data_action(op.name.as_str()),
        Plane::Directory => engine::Operation::directory(op.name.as_str()),
        Plane::AppPermission => engine::Operation::app_permission(op.name.as_str()),
    }
}

fn source(s: engine::GrantSource) -> GrantSource {
    match s {
        engine::GrantSource::RoleAssignment => GrantSource::RoleAssignment,
        engine::GrantSource::RoleEligibility => GrantSource::RoleEligibility,
        engine::GrantSource::DirectoryRoleAssignment => GrantSource::DirectoryRoleAssignment,
        engine::GrantSource::DirectoryRoleEligibility => GrantSource::DirectoryRoleEligibility,
        engine::GrantSource::Ownership => GrantSource::Ownership,
        engine::GrantSource::AppRoleAssignment => GrantSource::AppRoleAssignment,
    }
}

fn verdict(v: engine::Verdict) -> Verdict {
    match v {
        engine::Verdict::Allowed => Verdict::Allowed,
        engine::Verdict::Conditional => Verdict::Conditional,
        engine::Verdict::Eligible => Verdict::Eligible,
        engine::Verdict::Denied => Verdict::Denied,
        engine::Verdict::NotAllowed => Verdict::NotAllowed,
        engine::Verdict::NotEvaluated => Verdict::NotEvaluated,
    }
}

fn decision(d: engine::Decision) -> Decision {
    let grants = d
        .grants
        .into_iter()
        .map(|g| Grant {
            source: source(g.source),
            assignment: g.assignment,
            role_name: g.role_name,
            scope: g.scope,
            via_group: g.via_group,
            pattern: g.pattern,
            condition: g.condition,
        })
        .collect();
    Decision { verdict: verdict(d.verdict), summary: d.summary, grants }
}

impl Permissions for Engine<'_> {
    fn decide(&self, principal: &str, op: &Operation, scope: &str) -> Decision {
        decision(self.index.decide(principal, &operation(op), scope))
    }

    fn who_can(&self, op: &Operation, scope: &str) -> Vec<Access> {
        self.index
            .who_can(&operation(op), scope)
            .into_iter()
            .map(|a| Access { principal: a.principal, decision: decision(a.decision) })
            .collect()
    }

    fn assignments_of(&self, principal: &str) -> Vec<Assignment> {
        let mut out: Vec<Assignment> = self
            .index
            .assignments_of(principal)
            .into_iter()
            .map(|a| Assignment {
                source: source(a.source),
                assignment: a.assignment,
                role_name: a.role_name,
                scope: a.scope,
                via_group: a.via_group,
                condition: a.condition,
            })
            .collect();
        // The engine's app permissions, for completeness of "every assignment".
        out.extend(self.index.app_permissions(principal).into_iter().map(|p| Assignment {
            source: GrantSource::AppRoleAssignment,
            assignment: p.assignment,
            role_name: p.value,
            scope: p.resource,
            via_group: p.via_group,
            condition: None,
        }));
        out
    }

    fn owners_of(&self, object: &str) -> Vec<String> {
        self.index.owners_of(object)
    }

    fn groups_of(&self, principal: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut queue = vec![super::key(principal)];
        while let Some(p) = queue.pop() {
            for g in self.direct_groups.get(&p).into_iter().flatten() {
                if !out.iter().any(|o| super::same(o, g)) {
                    out.push(g.clone());
                    queue.push(super::key(g));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_fixtures, snapshot};
    use super::super::{graph, AzureEdge, Ctx};
    use super::Engine;
    use crate::Edge;
    use sightline_model::Snapshot;

    fn engine_edges(s: &Snapshot, kind: &AzureEdge) -> Vec<Edge> {
        let engine = Engine::new(s);
        let ctx = Ctx::new(s, &engine);
        (kind.find)(&ctx)
    }

    /// The fixtures of every edge kind, decided by the real engine.
    #[test]
    fn every_edge_meets_its_fixtures_with_the_engine() {
        let problems = check_fixtures(&engine_edges);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// A custom role granting role assignments makes an administrator; one whose NotActions remove them does not.
    #[test]
    fn custom_roles_with_the_engine() {
        let s = snapshot(
            r#"{"users": ["delegate", "almost"],
                "roles": {"Access Delegate": {"actions": ["Microsoft.Authorization/roleAssignments/write"]},
                          "Owner Lookalike": {"actions": ["*"], "notActions": ["Microsoft.Authorization/*/write"]}},
                "assign": [["delegate", "Access Delegate", "/subscriptions/s1"],
                           ["almost", "Owner Lookalike", "/providers/Microsoft.Management/managementGroups/t1"]]}"#,
        );
        let engine = Engine::new(&s);
        let g = graph(&s, &engine);
        assert!(g.admins.contains(&"delegate".to_string()), "{:?}", g.admins);
        assert!(!g.admins.contains(&"almost".to_string()), "{:?}", g.admins);
    }
}
