//! Principals outside the snapshot that roles' trust policies let in: AWS services, SAML and OIDC providers,
//! other accounts (and their users and roles), and everyone (`*`). Each `can-assume` edge from one of them is the
//! engine's answer to the request that principal would make (`sts:AssumeRole`, `sts:AssumeRoleWithSAML` or
//! `sts:AssumeRoleWithWebIdentity`), with the trust statement that allows it as its proof.
//!
//! The trust policy's text says only whom to ask about; the engine decides. A condition the caller cannot meet
//! keeps the edge out (an organization id an outside account lacks, MFA a stand-in caller does not have). Two
//! kinds of condition value are supplied with the request, because the caller chooses them rather than the
//! account: the claims of a provider's token (keys outside `aws:`, such as `token.actions.githubusercontent.com:sub`)
//! and `sts:` keys of the request itself (`sts:ExternalId`, which the trusted party is given). Their values are
//! taken from the trust statement (a `StringLike` pattern with `*` and `?` filled in) and named in the edge's
//! detail. A service is asked on behalf of a resource of the role's own account (`aws:SourceAccount`).
//!
//! Federated principals that are not provider ARNs (`accounts.google.com`, `cognito-identity.amazonaws.com`) are
//! not asked: the engine cannot stand in for them.

use crate::{Ctx, Edge, EdgeKind, Node, NodeKind};
use serde_json::Value;
use sightline_iam::Context;
use sightline_model::Principal;

/// The principals a policy's `Allow` statements name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    /// `AWS` entries: account ids, root ARNs, user and role ARNs.
    pub aws: Vec<String>,
    /// `Service` entries: `lambda.amazonaws.com`.
    pub services: Vec<String>,
    /// `Federated` entries: provider ARNs, `accounts.google.com`.
    pub federated: Vec<String>,
    /// `"Principal": "*"` or `{"AWS": "*"}`.
    pub everyone: bool,
}

impl Named {
    fn extend(&mut self, other: Named) {
        for (to, from) in [(&mut self.aws, other.aws), (&mut self.services, other.services)] {
            to.extend(from.into_iter().filter(|x| !to.contains(x)).collect::<Vec<_>>());
        }
        let federated: Vec<String> = other.federated.into_iter().filter(|x| !self.federated.contains(x)).collect();
        self.federated.extend(federated);
        self.everyone |= other.everyone;
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// The `Allow` statements of a policy document.
fn allow_statements(doc: &Value) -> Vec<&Value> {
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    statements.into_iter().filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow")).collect()
}

/// Whom one statement's `Principal` names (`NotPrincipal` is left to the engine: it names no one to ask about).
fn names_of(statement: &Value) -> Named {
    let mut named = Named::default();
    match statement.get("Principal") {
        Some(Value::String(s)) if s == "*" => named.everyone = true,
        Some(Value::Object(map)) => {
            for (kind, v) in map {
                let list = strings(v);
                match kind.as_str() {
                    "AWS" if list.iter().any(|a| a == "*") => named.everyone = true,
                    "AWS" => named.aws = list,
                    "Service" => named.services = list,
                    "Federated" => named.federated = list,
                    _ => {}
                }
            }
        }
        _ => {}
    }
    named
}

/// The principals the `Allow` statements of a policy (its JSON text) name; nothing when it cannot be read.
pub(crate) fn named(policy: &str) -> Named {
    let Ok(doc) = serde_json::from_str::<Value>(policy) else { return Named::default() };
    let mut all = Named::default();
    for s in allow_statements(&doc) {
        all.extend(names_of(s));
    }
    all
}

/// What kind of outside principal an entry of a policy is, and the node for it. `imported` tells whether an
/// account is in the snapshot (its principals are nodes already). `None` for a principal of an imported account.
pub(crate) fn aws_node(entry: &str, imported: &dyn Fn(&str) -> bool) -> Option<Node> {
    if entry == "*" {
        return Some(public());
    }
    let account = if entry.len() == 12 && entry.bytes().all(|b| b.is_ascii_digit()) {
        entry
    } else {
        sightline_iam::arn::account_of(entry).filter(|a| !a.is_empty())?
    };
    if imported(account) {
        return None;
    }
    if entry == account || entry.ends_with(":root") {
        return Some(external_account(account));
    }
    let rest = entry.splitn(6, ':').nth(5).unwrap_or(entry);
    Some(Node { id: entry.to_string(), kind: NodeKind::ExternalAccount, name: format!("{account}:{rest}") })
}

/// The node for an account outside the snapshot.
pub(crate) fn external_account(account: &str) -> Node {
    Node { id: format!("arn:aws:iam::{account}:root"), kind: NodeKind::ExternalAccount, name: account.to_string() }
}

/// The node for everyone (`*`).
pub(crate) fn public() -> Node {
    Node { id: "*".to_string(), kind: NodeKind::Public, name: "anyone".to_string() }
}

/// The node for an AWS service principal.
pub(crate) fn service(name: &str) -> Node {
    Node { id: name.to_string(), kind: NodeKind::ServicePrincipal, name: name.to_string() }
}

/// The node for a SAML or OIDC provider (its ARN).
pub(crate) fn provider(arn: &str) -> Node {
    let name = arn.split_once(":saml-provider/").or_else(|| arn.split_once(":oidc-provider/")).map_or(arn, |(_, n)| n);
    Node { id: arn.to_string(), kind: NodeKind::IdentityProvider, name: name.to_string() }
}

/// One outside principal a trust policy names, and how to ask the engine about it.
struct Candidate {
    node: Node,
    /// The principal of the request: the node itself, or a stand-in user of an account.
    caller: String,
    action: &'static str,
    /// Which condition keys the caller supplies (see the module's documentation).
    supplies: fn(&str) -> bool,
}

fn sts_key(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("sts:"))
}

fn claim_key(key: &str) -> bool {
    !key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

fn nothing(_: &str) -> bool {
    false
}

/// The stand-in caller for an account: an account named in a trust policy delegates to its users and roles (the
/// root user cannot assume roles); its own policies are unknown and taken to allow.
fn stand_in(account: &str) -> String {
    format!("arn:aws:iam::{account}:user/any-principal-of-the-account")
}

/// The account used to ask about everyone (`*`): one that is not in the snapshot.
fn anyone_account(imported: &dyn Fn(&str) -> bool) -> &'static str {
    ["000000000000", "999999999999", "123456789012"].into_iter().find(|a| !imported(a)).unwrap_or("000000000000")
}

/// Values for the condition keys the caller supplies, from the `Allow` statements of `doc` that name the caller
/// (`names_it`): the first value of each `StringEquals`, `StringEqualsIgnoreCase` or `StringLike` (with its
/// wildcards filled in). Returns the keys set, as `key = value`.
fn witness(
    doc: &Value,
    names_it: &dyn Fn(&Named) -> bool,
    supplies: fn(&str) -> bool,
    context: &mut Context,
) -> Vec<String> {
    let mut set = Vec::new();
    for statement in allow_statements(doc).into_iter().filter(|s| names_it(&names_of(s))) {
        let Some(Value::Object(operators)) = statement.get("Condition") else { continue };
        for (operator, block) in operators {
            let base = operator.trim_start_matches("ForAnyValue:").trim_start_matches("ForAllValues:");
            let base = base.strip_suffix("IfExists").unwrap_or(base);
            let like = base == "StringLike";
            if !(like || base == "StringEquals" || base == "StringEqualsIgnoreCase") {
                continue;
            }
            let Value::Object(keys) = block else { continue };
            for (key, values) in keys {
                if !supplies(key) || context.contains(key) {
                    continue;
                }
                let Some(value) = strings(values).into_iter().find(|v| !v.contains("${")) else { continue };
                let value = if like { value.replace('*', "").replace('?', "x") } else { value };
                set.push(format!("{key} = {value}"));
                context.insert(key, vec![value]);
            }
        }
    }
    set
}

/// The outside principals `role`'s trust policy lets assume it, as nodes, and their `can-assume` edges.
pub(crate) fn assume_edges(ctx: &Ctx<'_, '_>, role: &Principal) -> (Vec<Node>, Vec<Edge>) {
    let Some(trust) = role.trust_policy.as_ref() else { return Default::default() };
    let Ok(doc) = serde_json::from_str::<Value>(trust.get()) else { return Default::default() };
    let imported = |account: &str| ctx.snapshot.accounts.iter().any(|a| a.id == account);
    let named = named(trust.get());
    let mut candidates: Vec<Candidate> = Vec::new();
    if named.everyone {
        let caller = stand_in(anyone_account(&imported));
        candidates.push(Candidate { node: public(), caller, action: "sts:AssumeRole", supplies: sts_key });
    }
    for entry in &named.aws {
        let Some(node) = aws_node(entry, &imported) else { continue };
        let caller = match node.id.strip_suffix(":root") {
            Some(_) => stand_in(&node.name),
            None => node.id.clone(),
        };
        candidates.push(Candidate { node, caller, action: "sts:AssumeRole", supplies: sts_key });
    }
    for s in &named.services {
        candidates.push(Candidate { node: service(s), caller: s.clone(), action: "sts:AssumeRole", supplies: nothing });
    }
    for f in named.federated.iter().filter(|f| f.starts_with("arn:")) {
        let action = if f.contains(":saml-provider/") {
            "sts:AssumeRoleWithSAML"
        } else if f.contains(":oidc-provider/") {
            "sts:AssumeRoleWithWebIdentity"
        } else {
            continue;
        };
        candidates.push(Candidate { node: provider(f), caller: f.clone(), action, supplies: claim_key });
    }
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for c in candidates {
        if nodes.iter().any(|n: &Node| n.id == c.node.id) {
            continue;
        }
        let id = c.node.id.as_str();
        let names_it = |n: &Named| match c.node.kind {
            NodeKind::Public => n.everyone,
            NodeKind::ServicePrincipal => n.services.iter().any(|s| s == id),
            NodeKind::IdentityProvider => n.federated.iter().any(|f| f == id),
            _ => n.everyone || n.aws.iter().any(|a| a == id || (c.node.id.ends_with(":root") && (a == &c.node.name))),
        };
        let mut context = Context::default();
        let supplied = witness(&doc, &names_it, c.supplies, &mut context);
        if c.node.kind == NodeKind::ServicePrincipal {
            context.insert("aws:SourceAccount", vec![role.account_id.clone()]);
        }
        let Some(step) = ctx.allowed(&c.caller, c.action, &role.id, &context) else { continue };
        let who = match c.node.kind {
            NodeKind::ExternalAccount if c.caller != c.node.id => format!("principals of account {}", c.node.name),
            NodeKind::Public => "any AWS principal".to_string(),
            _ => c.node.name.clone(),
        };
        let mut how = vec![c.action.to_string()];
        if !supplied.is_empty() {
            how.push(format!("with {}", supplied.join(", ")));
        }
        if c.node.kind == NodeKind::ServicePrincipal {
            how.push(format!("on behalf of a resource of account {}", role.account_id));
        }
        let detail = format!("{who} can assume {} ({})", role.name, how.join(", "));
        edges.push(Edge {
            from: c.node.id.clone(),
            to: role.id.clone(),
            kind: EdgeKind::CanAssume,
            detail,
            proof: vec![step],
        });
        nodes.push(c.node);
    }
    (nodes, edges)
}
