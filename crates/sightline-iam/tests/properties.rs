//! Property tests of the policy parser and the evaluation engine.
//!
//! Random but valid policies are generated from small alphabets of actions, resources, principals and conditions
//! (so that statements often overlap with the request), together with a request by a user or role of one of two
//! accounts. The properties are the invariants AWS's evaluation logic guarantees whatever the policies say:
//!
//! 1. adding a `Deny` statement anywhere never turns a denial into an allow;
//! 2. removing an `Allow` statement never turns a denial into an allow;
//! 3. the decision does not depend on the order of statements or of policies;
//! 4. a matching unconditional `Deny` in an identity policy always denies, explicitly;
//! 5. parsing never panics, whatever the input.
//!
//! A last test checks the generator itself: allows, explicit denies and implicit denies must all be common, or the
//! properties above would hold vacuously.
//!
//! Runs are deterministic (a fixed seed) unless `PROPTEST_RNG_SEED` is set; `PROPTEST_CASES` raises the number of
//! cases. No regression files are written: a failure prints the policies and the request in full.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngSeed, TestRunner};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::{json, Map, Value};
use sightline_iam::eval::{Level, PolicyRef, PolicySource};
use sightline_iam::policy::PolicyType;
use sightline_iam::{
    add_principal_context, evaluate, Context, Decision, Explanation, PolicyDocument, PolicySet, PrincipalFacts,
    Request, RequestPrincipal,
};
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------------------------
// Alphabets
// ---------------------------------------------------------------------------------------------------------------

const ACTION_PATTERNS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "s3:List*",
    "s3:PutObject",
    "ec2:Describe*",
    "*",
    "iam:PassRole",
    "sts:AssumeRole",
    "sts:*",
    "kms:Decrypt",
    "kms:*",
];

const RESOURCE_PATTERNS: &[&str] = &[
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "*",
    "arn:aws:s3:::${aws:PrincipalTag/team}/*",
    "arn:aws:iam::111111111111:role/*",
    "arn:aws:iam::*:role/app",
    "arn:aws:iam::222222222222:role/app",
    "arn:aws:kms:*:111111111111:key/*",
    "arn:aws:kms:us-east-1:222222222222:key/k1",
];

/// Principals a resource-based policy or RCP statement may name.
const PRINCIPALS: &[&str] = &[
    "*",
    "111111111111",
    "arn:aws:iam::222222222222:root",
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::222222222222:user/bob",
    "arn:aws:iam::111111111111:role/app",
    "arn:aws:sts::111111111111:assumed-role/app/session",
    "arn:aws:iam::222222222222:role/app",
];

/// Callers of requests.
const CALLERS: &[&str] = &[
    "arn:aws:iam::111111111111:user/alice",
    "arn:aws:iam::222222222222:user/bob",
    "arn:aws:iam::111111111111:role/app",
    "arn:aws:iam::222222222222:role/app",
];

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "ec2:DescribeInstances",
    "iam:PassRole",
    "sts:AssumeRole",
    "kms:Decrypt",
];

const RESOURCES: &[&str] = &[
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/key.txt",
    "arn:aws:s3:::red/key.txt",
    "*",
    "arn:aws:iam::111111111111:role/app",
    "arn:aws:iam::222222222222:role/app",
    "arn:aws:kms:us-east-1:111111111111:key/k1",
    "arn:aws:kms:us-east-1:222222222222:key/k1",
];

/// Sensible (action, resource) pairs, so that requests often look like real ones.
const PAIRS: &[(&str, &str)] = &[
    ("s3:GetObject", "arn:aws:s3:::bucket/key.txt"),
    ("s3:GetObject", "arn:aws:s3:::red/key.txt"),
    ("s3:PutObject", "arn:aws:s3:::bucket/key.txt"),
    ("s3:ListBucket", "arn:aws:s3:::bucket"),
    ("ec2:DescribeInstances", "*"),
    ("iam:PassRole", "arn:aws:iam::111111111111:role/app"),
    ("sts:AssumeRole", "arn:aws:iam::111111111111:role/app"),
    ("sts:AssumeRole", "arn:aws:iam::222222222222:role/app"),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/k1"),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:222222222222:key/k1"),
];

const ACCOUNTS: &[&str] = &["111111111111", "222222222222"];
const TEAMS: &[&str] = &["red", "blue"];
const SOURCE_IPS: &[&str] = &["10.1.2.3", "192.0.2.7", "203.0.113.5"];
const MFA_AGES: &[&str] = &["100", "5000"];
const PREFIXES: &[&str] = &["home/", "home/alice/", "public/"];

// ---------------------------------------------------------------------------------------------------------------
// Generated model
// ---------------------------------------------------------------------------------------------------------------

/// One condition: `operator: { key: values }`.
#[derive(Debug, Clone)]
struct Cond {
    operator: String,
    key: &'static str,
    values: Vec<&'static str>,
}

#[derive(Debug, Clone)]
struct Stmt {
    allow: bool,
    not_action: bool,
    actions: Vec<&'static str>,
    not_resource: bool,
    resources: Vec<&'static str>,
    /// Rendered only in policies that take a principal (resource, trust, RCP).
    not_principal: bool,
    principals: Vec<&'static str>,
    conditions: Vec<Cond>,
    /// Also name the request's own action and resource, so that statements often apply to it.
    focus: bool,
}

impl Stmt {
    /// `{"Effect": "Deny", "Action": "*", "Resource": "*"}` (with `Principal: "*"` where a principal is needed).
    fn deny_all() -> Stmt {
        Stmt {
            allow: false,
            not_action: false,
            actions: vec!["*"],
            not_resource: false,
            resources: vec!["*"],
            not_principal: false,
            principals: vec!["*"],
            conditions: Vec::new(),
            focus: false,
        }
    }

    fn allow_all() -> Stmt {
        Stmt { allow: true, ..Stmt::deny_all() }
    }
}

type Policy = Vec<Stmt>;
/// Organization levels, root first; each level holds one or more policies.
type Levels = Vec<Vec<Policy>>;

#[derive(Debug, Clone)]
struct Req {
    caller: &'static str,
    action: &'static str,
    resource: &'static str,
    /// Account of resources whose ARN has none (S3); `None`: unknown.
    resource_account: Option<&'static str>,
    team: Option<&'static str>,
    source_ip: Option<&'static str>,
    mfa: Option<bool>,
    mfa_age: Option<&'static str>,
    secure_transport: Option<bool>,
    prefixes: Vec<&'static str>,
}

#[derive(Debug, Clone)]
struct Scenario {
    identity: Vec<Policy>,
    boundary: Option<Policy>,
    session: Option<Policy>,
    resource: Option<Policy>,
    scps: Option<Levels>,
    rcps: Option<Levels>,
    request: Req,
}

// ---------------------------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------------------------

fn modifiers() -> impl Strategy<Value = (&'static str, &'static str)> {
    (select(&["", "", "ForAnyValue:", "ForAllValues:"][..]), select(&["", "IfExists"][..]))
}

fn condition() -> impl Strategy<Value = Cond> {
    let string = (
        modifiers(),
        select(&["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIgnoreCase"][..]),
        select(&["aws:PrincipalTag/team", "s3:prefix", "aws:username", "aws:PrincipalAccount"][..]),
        subsequence(
            &["red", "blue", "RED", "home/*", "home/alice/", "public/", "111111111111", "alice", "*"][..],
            1..=2,
        ),
    );
    let boolean = (
        modifiers(),
        select(&["aws:MultiFactorAuthPresent", "aws:SecureTransport"][..]),
        select(&["true", "false"][..]),
    );
    let ip = (
        modifiers(),
        select(&["IpAddress", "NotIpAddress"][..]),
        subsequence(&["10.0.0.0/8", "192.0.2.0/24", "203.0.113.5"][..], 1..=2),
    );
    let numeric =
        (modifiers(), select(&["NumericLessThan", "NumericGreaterThanEquals", "NumericEquals"][..]), select(MFA_AGES));
    let arn = (
        modifiers(),
        select(&["ArnLike", "ArnNotEquals"][..]),
        subsequence(&["arn:aws:iam::111111111111:role/*", "arn:aws:iam::*:user/alice"][..], 1..=2),
    );
    let null = (
        select(&["aws:PrincipalTag/team", "aws:SourceIp", "aws:MultiFactorAuthPresent", "s3:prefix"][..]),
        select(&["true", "false"][..]),
    );
    let with = |(set, if_exists): (&str, &str), base: &str| format!("{set}{base}{if_exists}");
    prop_oneof![
        4 => string.prop_map(move |(m, op, key, values)| Cond { operator: with(m, op), key, values }),
        2 => boolean.prop_map(move |(m, key, v)| Cond { operator: with(m, "Bool"), key, values: vec![v] }),
        2 => ip.prop_map(move |(m, op, values)| Cond { operator: with(m, op), key: "aws:SourceIp", values }),
        1 => numeric.prop_map(move |(m, op, v)| Cond {
            operator: with(m, op),
            key: "aws:MultiFactorAuthAge",
            values: vec![v],
        }),
        1 => arn.prop_map(move |(m, op, values)| Cond { operator: with(m, op), key: "aws:PrincipalArn", values }),
        1 => null.prop_map(|(key, v)| Cond { operator: "Null".into(), key, values: vec![v] }),
    ]
}

fn statement_with(allow: bool, focus: f64) -> impl Strategy<Value = Stmt> {
    (
        Just(allow),
        prop::bool::weighted(0.15),
        subsequence(ACTION_PATTERNS, 1..=2),
        prop::bool::weighted(0.15),
        subsequence(RESOURCE_PATTERNS, 1..=2),
        prop::bool::weighted(0.15),
        subsequence(PRINCIPALS, 1..=2),
        prop_oneof![3 => Just(Vec::new()), 2 => prop::collection::vec(condition(), 1..=2)],
        prop::bool::weighted(focus),
    )
        .prop_map(
            |(allow, not_action, actions, not_resource, resources, not_principal, principals, conditions, focus)| {
                Stmt {
                    allow,
                    not_action,
                    actions,
                    not_resource,
                    resources,
                    not_principal,
                    principals,
                    conditions,
                    focus,
                }
            },
        )
}

/// Mostly allows, which name the request more often than denies do, so that both decisions are common.
fn statement() -> impl Strategy<Value = Stmt> {
    prop_oneof![4 => statement_with(true, 0.6), 1 => statement_with(false, 0.25)]
}

fn deny_statement() -> impl Strategy<Value = Stmt> {
    statement_with(false, 0.5)
}

fn policy(max: usize) -> impl Strategy<Value = Policy> {
    prop::collection::vec(statement(), 0..=max)
}

/// Organization levels: often the `FullAWSAccess`-style allow-all, sometimes narrower policies.
fn levels() -> impl Strategy<Value = Levels> {
    let level_policy = prop_oneof![
        1 => Just(vec![Stmt::allow_all()]),
        1 => prop::collection::vec(statement(), 1..=2),
    ];
    prop::collection::vec(prop::collection::vec(level_policy, 1..=2), 1..=2)
}

fn request() -> impl Strategy<Value = Req> {
    let action_resource = prop_oneof![3 => select(PAIRS), 1 => (select(ACTIONS), select(RESOURCES))];
    (
        select(CALLERS),
        action_resource,
        prop::option::of(select(ACCOUNTS)),
        prop::option::of(select(TEAMS)),
        prop::option::of(select(SOURCE_IPS)),
        prop::option::of(any::<bool>()),
        prop::option::of(select(MFA_AGES)),
        prop::option::of(any::<bool>()),
        subsequence(PREFIXES, 0..=2),
    )
        .prop_map(
            |(caller, (action, resource), resource_account, team, source_ip, mfa, mfa_age, secure, prefixes)| Req {
                caller,
                action,
                resource,
                resource_account,
                team,
                source_ip,
                mfa,
                mfa_age,
                secure_transport: secure,
                prefixes,
            },
        )
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(policy(3), 1..=3),
        prop::option::weighted(0.3, policy(3)),
        prop::option::weighted(0.15, policy(2)),
        prop::option::weighted(0.6, policy(3)),
        prop::option::weighted(0.4, levels()),
        prop::option::weighted(0.25, levels()),
        request(),
    )
        .prop_map(|(identity, boundary, session, resource, scps, rcps, request)| Scenario {
            identity,
            boundary,
            session,
            resource,
            scps,
            rcps,
            request,
        })
}

/// Where a statement goes (or comes from).
#[derive(Debug, Clone)]
enum Place {
    /// An identity policy (picked by the index), or a new one when there is none.
    Identity(Index),
    NewIdentity,
    Boundary,
    Session,
    Resource,
    /// A policy of an SCP level (a new level when there are no SCPs).
    Scp(Index, Index),
    Rcp(Index, Index),
}

fn place() -> impl Strategy<Value = Place> {
    prop_oneof![
        3 => any::<Index>().prop_map(Place::Identity),
        1 => Just(Place::NewIdentity),
        2 => Just(Place::Boundary),
        1 => Just(Place::Session),
        2 => Just(Place::Resource),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(l, p)| Place::Scp(l, p)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(l, p)| Place::Rcp(l, p)),
    ]
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering, parsing and evaluation
// ---------------------------------------------------------------------------------------------------------------

fn one_or_many(items: &[&str]) -> Value {
    match items {
        [one] => json!(one),
        many => json!(many),
    }
}

fn render(policy: &Policy, kind: PolicyType, req: &Req) -> Value {
    let takes_principal = matches!(kind, PolicyType::Resource | PolicyType::Trust | PolicyType::ResourceControl);
    let statements: Vec<Value> = policy
        .iter()
        .map(|s| {
            let mut o = Map::new();
            o.insert("Effect".into(), json!(if s.allow { "Allow" } else { "Deny" }));
            if takes_principal {
                // IAM rejects NotPrincipal in trust policies and RCPs, and an RCP's Principal must be "*".
                let principal = if s.principals == ["*"] || kind == PolicyType::ResourceControl {
                    json!("*")
                } else {
                    json!({ "AWS": one_or_many(&s.principals) })
                };
                let negated = s.not_principal && kind == PolicyType::Resource;
                o.insert(if negated { "NotPrincipal" } else { "Principal" }.into(), principal);
            }
            let (mut actions, mut resources) = (s.actions.clone(), s.resources.clone());
            if s.focus {
                for (list, item) in [(&mut actions, req.action), (&mut resources, req.resource)] {
                    if !list.contains(&item) {
                        list.push(item);
                    }
                }
            }
            o.insert(if s.not_action { "NotAction" } else { "Action" }.into(), one_or_many(&actions));
            if kind != PolicyType::Trust {
                o.insert(if s.not_resource { "NotResource" } else { "Resource" }.into(), one_or_many(&resources));
            }
            if !s.conditions.is_empty() {
                let mut block = Map::new();
                for c in &s.conditions {
                    let entry = block.entry(c.operator.clone()).or_insert_with(|| json!({}));
                    entry[c.key] = one_or_many(&c.values);
                }
                o.insert("Condition".into(), Value::Object(block));
            }
            Value::Object(o)
        })
        .collect();
    json!({ "Version": "2012-10-17", "Statement": statements })
}

struct Parsed {
    source: PolicySource,
    document: PolicyDocument,
}

fn parse(policy: &Policy, kind: PolicyType, req: &Req, name: String) -> Parsed {
    let value = render(policy, kind, req);
    let document = PolicyDocument::from_value(&value, kind)
        .unwrap_or_else(|e| panic!("the generator made an invalid {name}: {e}\n{value:#}"));
    Parsed { source: PolicySource { policy_type: kind, id: name.clone(), name }, document }
}

fn to_ref(p: &Parsed) -> PolicyRef<'_> {
    PolicyRef { source: &p.source, document: &p.document }
}

fn resource_kind(req: &Req) -> PolicyType {
    if req.action.to_ascii_lowercase().starts_with("sts:assumerole") {
        PolicyType::Trust
    } else {
        PolicyType::Resource
    }
}

fn parse_levels(levels: &Option<Levels>, kind: PolicyType, req: &Req, prefix: &str) -> Option<Vec<Vec<Parsed>>> {
    levels.as_ref().map(|ls| {
        ls.iter()
            .enumerate()
            .map(|(l, ps)| {
                ps.iter().enumerate().map(|(i, p)| parse(p, kind, req, format!("{prefix}[{l}][{i}]"))).collect()
            })
            .collect()
    })
}

fn ref_levels(levels: &Option<Vec<Vec<Parsed>>>) -> Option<Vec<Level<'_>>> {
    levels.as_ref().map(|ls| {
        ls.iter()
            .enumerate()
            .map(|(i, ps)| Level { target: format!("level {i}"), policies: ps.iter().map(to_ref).collect() })
            .collect()
    })
}

/// Evaluates the scenario's request against its policies.
fn run(s: &Scenario) -> Explanation {
    let req = &s.request;
    let identity: Vec<Parsed> = s
        .identity
        .iter()
        .enumerate()
        .map(|(i, p)| parse(p, PolicyType::Identity, req, format!("identity[{i}]")))
        .collect();
    let boundary = s.boundary.as_ref().map(|p| parse(p, PolicyType::PermissionsBoundary, req, "boundary".into()));
    let session = s.session.as_ref().map(|p| parse(p, PolicyType::Session, req, "session".into()));
    let resource = s.resource.as_ref().map(|p| parse(p, resource_kind(req), req, "resource".into()));
    let scps = parse_levels(&s.scps, PolicyType::ServiceControl, req, "scp");
    let rcps = parse_levels(&s.rcps, PolicyType::ResourceControl, req, "rcp");
    let set = PolicySet {
        identity: identity.iter().map(to_ref).collect(),
        boundary: boundary.as_ref().map(to_ref),
        session: session.as_ref().map(to_ref),
        scps: ref_levels(&scps),
        rcps: ref_levels(&rcps),
        resource: resource.as_ref().map(to_ref),
        ..PolicySet::default()
    };

    let principal = RequestPrincipal::from_arn(req.caller, "session").expect("caller ARNs are valid");
    let mut context = Context::default();
    if let Some(ip) = req.source_ip {
        context.insert("aws:SourceIp", vec![ip.into()]);
    }
    if let Some(mfa) = req.mfa {
        context.insert("aws:MultiFactorAuthPresent", vec![mfa.to_string()]);
    }
    if let Some(age) = req.mfa_age {
        context.insert("aws:MultiFactorAuthAge", vec![age.into()]);
    }
    if let Some(secure) = req.secure_transport {
        context.insert("aws:SecureTransport", vec![secure.to_string()]);
    }
    if !req.prefixes.is_empty() {
        context.insert("s3:prefix", req.prefixes.iter().map(|p| p.to_string()).collect());
    }
    let tags: BTreeMap<String, String> = req.team.map(|t| ("team".to_string(), t.to_string())).into_iter().collect();
    let facts = PrincipalFacts { tags: Some(&tags), ..Default::default() };
    add_principal_context(&mut context, &principal, &facts);
    let resource_account =
        sightline_iam::arn::account_of(req.resource).or(req.resource_account).filter(|_| req.resource != "*");
    if let Some(a) = resource_account {
        context.insert_default("aws:ResourceAccount", vec![a.into()]);
    }
    let request = Request {
        principal: &principal,
        action: req.action,
        resource: req.resource,
        resource_account,
        context: &context,
    };
    evaluate(&request, &set)
}

/// The scenario in full, as JSON policies, for failure messages.
fn describe(s: &Scenario) -> String {
    let req = &s.request;
    let levels = |ls: &Option<Levels>, kind| {
        ls.as_ref().map(|ls| {
            ls.iter().map(|ps| ps.iter().map(|p| render(p, kind, req)).collect::<Vec<_>>()).collect::<Vec<_>>()
        })
    };
    let value = json!({
        "identity_policies": s.identity.iter().map(|p| render(p, PolicyType::Identity, req)).collect::<Vec<_>>(),
        "permissions_boundary": s.boundary.as_ref().map(|p| render(p, PolicyType::PermissionsBoundary, req)),
        "session_policy": s.session.as_ref().map(|p| render(p, PolicyType::Session, req)),
        "resource_policy": s.resource.as_ref().map(|p| render(p, resource_kind(req), req)),
        "scps": levels(&s.scps, PolicyType::ServiceControl),
        "rcps": levels(&s.rcps, PolicyType::ResourceControl),
        "request": format!("{:?}", s.request),
    });
    format!("{value:#}")
}

/// The statement list at a place, created when missing.
fn policy_at<'a>(s: &'a mut Scenario, place: &Place) -> &'a mut Policy {
    fn level_policy<'a>(levels: &'a mut Option<Levels>, l: &Index, p: &Index) -> &'a mut Policy {
        let levels = levels.get_or_insert_with(Vec::new);
        if levels.is_empty() {
            levels.push(vec![Vec::new()]);
        }
        let level = l.index(levels.len());
        let policies = &mut levels[level];
        if policies.is_empty() {
            policies.push(Vec::new());
        }
        let i = p.index(policies.len());
        &mut policies[i]
    }
    match place {
        Place::Identity(i) if !s.identity.is_empty() => {
            let i = i.index(s.identity.len());
            &mut s.identity[i]
        }
        Place::Identity(_) | Place::NewIdentity => {
            s.identity.push(Vec::new());
            s.identity.last_mut().expect("just pushed")
        }
        Place::Boundary => s.boundary.get_or_insert_with(Vec::new),
        Place::Session => s.session.get_or_insert_with(Vec::new),
        Place::Resource => s.resource.get_or_insert_with(Vec::new),
        Place::Scp(l, p) => level_policy(&mut s.scps, l, p),
        Place::Rcp(l, p) => level_policy(&mut s.rcps, l, p),
    }
}

/// Every policy of the scenario, mutably (identity, boundary, session, resource, then SCP and RCP policies).
fn policies_mut(s: &mut Scenario) -> Vec<&mut Policy> {
    let mut out: Vec<&mut Policy> = s.identity.iter_mut().collect();
    out.extend(s.boundary.as_mut());
    out.extend(s.session.as_mut());
    out.extend(s.resource.as_mut());
    for levels in [s.scps.as_mut(), s.rcps.as_mut()].into_iter().flatten() {
        out.extend(levels.iter_mut().flatten());
    }
    out
}

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    // Deterministic unless a seed is asked for; 256 cases unless PROPTEST_CASES says otherwise.
    let rng_seed = match base.rng_seed {
        RngSeed::Random => RngSeed::Fixed(0x5167_6874_6c69_6e65),
        seed => seed,
    };
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { 256 };
    ProptestConfig { cases, rng_seed, failure_persistence: None, ..base }
}

// ---------------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// 1. Adding a Deny statement (identity, boundary, session, resource, SCP or RCP policy) never turns a Deny into
    /// an Allow, and never takes away an explicit deny.
    #[test]
    fn adding_a_deny_never_allows(s in scenario(), deny in deny_statement(), place in place(), at in any::<Index>()) {
        let before = run(&s);
        let mut after_s = s.clone();
        let policy = policy_at(&mut after_s, &place);
        let position = at.index(policy.len() + 1);
        policy.insert(position, deny.clone());
        let after = run(&after_s);
        if before.decision == Decision::Deny {
            prop_assert_eq!(
                after.decision, Decision::Deny,
                "adding {:?} at {:?}[{}] allowed a denied request ({}): now {}\nscenario after:\n{}",
                deny, place, position, before.summary, after.summary, describe(&after_s)
            );
        }
        if before.explicit_deny {
            prop_assert!(
                after.explicit_deny,
                "adding {:?} at {:?}[{}] removed an explicit deny: now {}\nscenario after:\n{}",
                deny, place, position, after.summary, describe(&after_s)
            );
        }
    }

    /// 2. Removing an Allow statement never turns a Deny into an Allow, and never takes away an explicit deny.
    #[test]
    fn removing_an_allow_never_allows(s in scenario(), pick in any::<Index>()) {
        let mut after_s = s.clone();
        let allows: Vec<(usize, usize)> = policies_mut(&mut after_s)
            .iter()
            .enumerate()
            .flat_map(|(p, policy)| policy.iter().enumerate().filter(|(_, st)| st.allow).map(move |(i, _)| (p, i)))
            .collect();
        if allows.is_empty() {
            return Ok(());
        }
        let (p, i) = allows[pick.index(allows.len())];
        let removed = policies_mut(&mut after_s).swap_remove(p).remove(i);
        let before = run(&s);
        let after = run(&after_s);
        if before.decision == Decision::Deny {
            prop_assert_eq!(
                after.decision, Decision::Deny,
                "removing {:?} (policy #{}, statement {}) allowed a denied request ({}): now {}\nscenario before:\n{}",
                removed, p, i, before.summary, after.summary, describe(&s)
            );
        }
        if before.explicit_deny {
            prop_assert!(after.explicit_deny, "removing {:?} removed an explicit deny\nscenario before:\n{}", removed, describe(&s));
        }
    }

    /// 3. The decision (and whether an explicit deny made it) does not depend on the order of the statements within
    /// each policy, of the identity policies, or of the policies attached to one organization level.
    #[test]
    fn order_does_not_matter(s in scenario(), seed in any::<u64>()) {
        let mut rng = SmallRng::seed_from_u64(seed);
        let mut shuffled = s.clone();
        for policy in policies_mut(&mut shuffled) {
            policy.shuffle(&mut rng);
        }
        shuffled.identity.shuffle(&mut rng);
        for levels in [shuffled.scps.as_mut(), shuffled.rcps.as_mut()].into_iter().flatten() {
            for level in levels.iter_mut() {
                level.shuffle(&mut rng);
            }
        }
        let a = run(&s);
        let b = run(&shuffled);
        prop_assert_eq!(
            (a.decision, a.explicit_deny), (b.decision, b.explicit_deny),
            "reordering changed the decision: {} / {}\noriginal:\n{}\nreordered:\n{}",
            a.summary, b.summary, describe(&s), describe(&shuffled)
        );
    }

    /// 4. An unconditional `Deny` of every action on every resource in an identity policy always denies, explicitly.
    #[test]
    fn identity_deny_all_always_denies(s in scenario(), place in prop_oneof![
        3 => any::<Index>().prop_map(Place::Identity),
        1 => Just(Place::NewIdentity),
    ], at in any::<Index>()) {
        let mut s = s;
        let policy = policy_at(&mut s, &place);
        let position = at.index(policy.len() + 1);
        policy.insert(position, Stmt::deny_all());
        let e = run(&s);
        prop_assert!(
            e.decision == Decision::Deny && e.explicit_deny,
            "a Deny */* identity statement did not deny explicitly: {:?} {}\n{}",
            e.decision, e.summary, describe(&s)
        );
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Parsing is total
// ---------------------------------------------------------------------------------------------------------------

const ALL_KINDS: &[PolicyType] = &[
    PolicyType::Identity,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::ServiceControl,
    PolicyType::ResourceControl,
    PolicyType::Resource,
    PolicyType::Trust,
];

const POLICY_KEYS: &[&str] = &[
    "Version",
    "Id",
    "Statement",
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "AWS",
    "Service",
    "Federated",
    "CanonicalUser",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "StringEquals",
    "StringLike",
    "ForAnyValue:StringLike",
    "ForAllValues:StringNotEquals",
    "IpAddressIfExists",
    "NumericLessThan",
    "DateGreaterThan",
    "Bool",
    "ArnLike",
    "Null",
    "NullIfExists",
    "aws:SourceIp",
    "aws:PrincipalTag/team",
    "s3:prefix",
    "",
    "x",
];

const POLICY_STRINGS: &[&str] = &[
    "2012-10-17",
    "2008-10-17",
    "Allow",
    "Deny",
    "*",
    "s3:GetObject",
    "s3:*",
    "s3:",
    ":",
    "s*:G?t*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:iam::111111111111:role/app",
    "arn:aws:iam::*:root",
    "arn:",
    "arn:aws:s3",
    "arn:aws:s3:::${aws:username}/*",
    "${aws:username, 'x'}",
    "${",
    "${}",
    "${,}",
    "${a,'}",
    "${*}${?}${$}",
    "111111111111",
    "10.0.0.0/8",
    "::1/200",
    "2024-01-01T00:00:00Z",
    "1e308",
    "true",
    "é?*",
    "",
];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => any::<f64>().prop_map(|n| serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)),
        4 => select(POLICY_STRINGS).prop_map(|s| json!(s)),
        2 => any::<String>().prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (prop_oneof![4 => select(POLICY_KEYS).prop_map(String::from), 1 => any::<String>()], inner),
                0..6
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Policy-shaped values: an object with `Version` and a `Statement` of statement-like objects, so that the parser
/// is exercised past its first checks.
fn policy_shaped_value() -> impl Strategy<Value = Value> {
    let statement = prop::collection::vec((select(POLICY_KEYS), json_value()), 0..7)
        .prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect()))
        .boxed();
    (
        prop::option::of(json_leaf()),
        prop_oneof![statement.clone(), prop::collection::vec(statement, 0..4).prop_map(Value::Array)],
    )
        .prop_map(|(version, statement)| {
            let mut o = Map::new();
            if let Some(v) = version {
                o.insert("Version".into(), v);
            }
            o.insert("Statement".into(), statement);
            Value::Object(o)
        })
}

/// Parses with every policy type; a policy that parses is also evaluated once, so the engine runs on it too.
fn parse_everywhere(text: &str, value: Option<&Value>) {
    let principal = RequestPrincipal::from_arn("arn:aws:iam::111111111111:role/app", "session").expect("valid");
    let mut context = Context::default();
    context.insert("aws:SourceIp", vec!["10.1.2.3".into()]);
    add_principal_context(&mut context, &principal, &PrincipalFacts::default());
    let request = Request {
        principal: &principal,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::bucket/key.txt",
        resource_account: Some("111111111111"),
        context: &context,
    };
    for &kind in ALL_KINDS {
        let mut parsed = vec![PolicyDocument::parse(text, kind)];
        if let Some(v) = value {
            parsed.push(PolicyDocument::from_value(v, kind));
        }
        for document in parsed.into_iter().flatten() {
            let source = PolicySource { policy_type: kind, id: "fuzz".into(), name: "fuzz".into() };
            let policy = PolicyRef { source: &source, document: &document };
            let mut set = PolicySet::default();
            match kind {
                PolicyType::Identity => set.identity.push(policy),
                PolicyType::PermissionsBoundary => set.boundary = Some(policy),
                PolicyType::Session => set.session = Some(policy),
                PolicyType::ServiceControl => {
                    set.scps = Some(vec![Level { target: "r-root".into(), policies: vec![policy] }])
                }
                PolicyType::ResourceControl => {
                    set.rcps = Some(vec![Level { target: "r-root".into(), policies: vec![policy] }])
                }
                PolicyType::Resource | PolicyType::Trust => set.resource = Some(policy),
            }
            evaluate(&request, &set);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// 5a. Arbitrary strings.
    #[test]
    fn parsing_arbitrary_text_never_panics(text in any::<String>()) {
        parse_everywhere(&text, None);
    }

    /// 5b. Strings made of JSON punctuation and policy words, which reach further into the parser than random text.
    #[test]
    fn parsing_json_like_text_never_panics(
        parts in prop::collection::vec(prop_oneof![
            select(&["{", "}", "[", "]", ":", ",", "\"", "\\", " ", "0", "-1.5e3", "null", "true"][..]).prop_map(String::from),
            select(POLICY_KEYS).prop_map(|k| format!("\"{k}\"")),
            select(POLICY_STRINGS).prop_map(|k| format!("\"{k}\"")),
        ], 0..40)
    ) {
        parse_everywhere(&parts.concat(), None);
    }

    /// 5c. Arbitrary JSON values with policy-like keys, as values and as text.
    #[test]
    fn parsing_arbitrary_json_never_panics(value in prop_oneof![json_value(), policy_shaped_value()]) {
        parse_everywhere(&value.to_string(), Some(&value));
    }
}

/// The generator is not degenerate: both decisions, and explicit denies, come up often enough for the properties
/// above to mean something.
#[test]
fn scenarios_yield_both_decisions() {
    let mut runner = TestRunner::deterministic();
    let strategy = scenario();
    let (mut allow, mut explicit, total) = (0, 0, 2000);
    for _ in 0..total {
        let s = strategy.new_tree(&mut runner).expect("strategy").current();
        let e = run(&s);
        allow += usize::from(e.decision == Decision::Allow);
        explicit += usize::from(e.explicit_deny);
    }
    eprintln!(
        "scenarios: {allow} allowed, {explicit} explicitly denied, {} implicitly denied, of {total}",
        total - allow - explicit
    );
    assert!(allow * 10 >= total, "only {allow} of {total} scenarios are allowed");
    assert!(explicit * 20 >= total, "only {explicit} of {total} scenarios are explicitly denied");
    assert!((total - allow - explicit) * 20 >= total, "too few implicit denials");
}
