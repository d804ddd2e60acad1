//! Resources in the graph: a node for each resource of the snapshot, `has-access` edges from the principals the
//! engine allows some of its actions (with the access levels), and `classified-as` edges to the kinds of data it
//! holds.
//!
//! # Data classifications
//!
//! A resource's `properties.sightline_classifications`, when present, is an array of labels (`["pii", "pci"]`)
//! naming the kinds of data it holds; the data scanner writes it. Each label becomes one classification node
//! (`classification:LABEL`), with a `classified-as` edge from every resource that carries it.

use crate::{outside, statement_ref, Ctx, Edge, EdgeKind, Node, NodeKind, Step};
use sightline_iam::actions::{AccessLevel, ActionDb};
use sightline_iam::{Context, Decision};
use sightline_model::{Principal, Provider, Resource};
use std::collections::BTreeMap;

/// The property that lists a resource's data classifications.
pub const CLASSIFICATIONS: &str = sightline_model::data::CLASSIFICATIONS;

/// Resource types that are identity providers: they are [`NodeKind::IdentityProvider`] nodes, not resources.
pub(crate) const PROVIDER_TYPES: &[&str] = &["AWS::IAM::SAMLProvider", "AWS::IAM::OIDCProvider"];

/// The node for a resource.
pub(crate) fn node(resource: &Resource) -> Node {
    let name = if resource.name.is_empty() {
        resource.id.rsplit(['/', ':']).next().unwrap_or(&resource.id).to_string()
    } else {
        resource.name.clone()
    };
    Node { id: resource.id.clone(), kind: NodeKind::Resource(resource.resource_type.clone()), name }
}

/// The classification labels a resource carries, from [`CLASSIFICATIONS`].
pub fn classifications(resource: &Resource) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let Some(list) = resource.properties.get(CLASSIFICATIONS).and_then(|v| v.as_array()) else { return labels };
    for label in list.iter().filter_map(|v| v.as_str()).map(str::trim).filter(|l| !l.is_empty()) {
        if !labels.iter().any(|l| l == label) {
            labels.push(label.to_string());
        }
    }
    labels
}

/// The node for a classification label.
pub(crate) fn classification(label: &str) -> Node {
    Node { id: format!("classification:{label}"), kind: NodeKind::Classification, name: label.to_string() }
}

/// The `classified-as` edges of a resource.
pub(crate) fn classified_edges(resource: &Resource) -> Vec<Edge> {
    classifications(resource)
        .into_iter()
        .map(|label| Edge {
            from: resource.id.clone(),
            to: classification(&label).id,
            kind: EdgeKind::ClassifiedAs,
            detail: format!("holds {label} data ({CLASSIFICATIONS})"),
            proof: Vec::new(),
        })
        .collect()
}

/// The ARNs a resource's actions are asked on: its own, and for a bucket `BUCKET/*` (its objects: `s3:GetObject`
/// and the other object actions take an object ARN).
fn targets(resource: &Resource) -> Vec<String> {
    let mut out = vec![resource.id.clone()];
    if resource.resource_type == "AWS::S3::Bucket" {
        out.push(format!("{}/*", resource.id));
    }
    out
}

/// One principal's allowed actions on a resource, by access level: how many, and the first one's proof.
#[derive(Default)]
struct Found {
    node: Option<Node>,
    levels: BTreeMap<AccessLevel, (usize, Step)>,
}

impl Found {
    fn add(&mut self, level: AccessLevel, step: impl FnOnce() -> Step) {
        self.levels.entry(level).and_modify(|(n, _)| *n += 1).or_insert_with(|| (1, step()));
    }
}

/// Everyone found so far, in the order first found.
#[derive(Default)]
struct Reached {
    found: BTreeMap<String, Found>,
    order: Vec<String>,
}

impl Reached {
    fn entry(&mut self, id: &str, node: Option<Node>) -> &mut Found {
        if !self.found.contains_key(id) {
            self.order.push(id.to_string());
        }
        let f = self.found.entry(id.to_string()).or_default();
        if f.node.is_none() {
            f.node = node;
        }
        f
    }
}

fn step(action: &str, resource: &str, e: &sightline_iam::Explanation) -> Step {
    let mut statements: Vec<String> = Vec::new();
    for name in e.statements.iter().map(statement_ref) {
        if !statements.contains(&name) {
            statements.push(name);
        }
    }
    Step { action: action.to_string(), resource: resource.to_string(), statements }
}

/// The `has-access` edges to `resource`, from `actors` (the snapshot's users and roles) and from the outside
/// principals its own policy names (their nodes returned too). Each action of the resource's service that applies
/// to it is asked; an actor is asked only about actions its own policies may allow, unless the resource has a
/// policy of its own.
pub(crate) fn access_edges(ctx: &Ctx<'_, '_>, actors: &[&Principal], resource: &Resource) -> (Vec<Node>, Vec<Edge>) {
    if resource.provider != Provider::Aws {
        return Default::default();
    }
    let Ok(db) = ActionDb::try_embedded() else { return Default::default() };
    let Some(service) = sightline_iam::arn::Arn::parse(&resource.id).ok().and_then(|a| db.service(a.service)) else {
        return Default::default();
    };
    let has_policy = resource.policy.is_some();
    let mut reached = Reached::default();
    for arn in targets(resource) {
        let actions: Vec<(String, AccessLevel)> = service
            .actions
            .iter()
            .filter(|a| !db.resource_types_for(a, &arn).is_empty())
            .map(|a| (a.full_name(), a.access_level))
            .collect();
        if actions.is_empty() {
            continue;
        }
        for p in actors {
            let asked: Vec<&(String, AccessLevel)> =
                actions.iter().filter(|(a, _)| has_policy || ctx.authz.identity_may_allow(&p.id, a)).collect();
            if asked.is_empty() {
                continue;
            }
            let names: Vec<&str> = asked.iter().map(|(a, _)| a.as_str()).collect();
            match ctx.authz.check_actions(&p.id, &names, &arn, &Context::default()) {
                Ok(answers) => {
                    for ((action, level), e) in asked.iter().zip(answers) {
                        if e.decision == Decision::Allow {
                            reached.entry(&p.id, None).add(*level, || step(action, &arn, &e));
                        }
                    }
                }
                Err(e) => ctx.problem(format!("{} {} {arn}: {e}", p.id, names.join(","))),
            }
        }
        if !has_policy {
            continue;
        }
        let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
        match ctx.authz.external_access_actions(&names, &arn, &Context::default()) {
            Ok(lists) => {
                for ((action, level), allowed) in actions.iter().zip(lists) {
                    for a in allowed {
                        let node = match a.principal_type {
                            "public" => outside::public(),
                            "service" => outside::service(&a.principal),
                            "identity provider" => outside::provider(&a.principal),
                            _ => {
                                let imported = |acct: &str| ctx.snapshot.accounts.iter().any(|x| x.id == acct);
                                let Some(node) = outside::aws_node(&a.principal, &imported) else { continue };
                                node
                            }
                        };
                        let id = node.id.clone();
                        reached.entry(&id, Some(node)).add(*level, || step(action, &arn, &a.explanation));
                    }
                }
            }
            Err(e) => ctx.problem(format!("outside principals on {arn}: {e}")),
        }
    }
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for id in reached.order {
        let Some(f) = reached.found.remove(&id) else { continue };
        let levels: Vec<AccessLevel> = f.levels.keys().copied().collect();
        let counts: Vec<String> = f
            .levels
            .iter()
            .map(|(level, (n, _))| format!("{} ({n} action{})", level.as_str(), if *n == 1 { "" } else { "s" }))
            .collect();
        let name = if resource.name.is_empty() { resource.id.as_str() } else { resource.name.as_str() };
        edges.push(Edge {
            from: id,
            to: resource.id.clone(),
            kind: EdgeKind::HasAccess(levels),
            detail: format!("{} on {name}", counts.join(", ")),
            proof: f.levels.into_values().map(|(_, s)| s).collect(),
        });
        nodes.extend(f.node);
    }
    (nodes, edges)
}
