//! The security graph: who can become whom in an AWS estate, and who can become an administrator.
//!
//! Every edge is decided by the IAM engine ([`sightline_iam::authz::Authorizer`]), never by reading policy names:
//! an edge holds only when the engine allows each request the move needs (boundaries, SCPs, RCPs, resource
//! policies and explicit denies applied), and it keeps the statements that allowed them as its proof.
//!
//! - Nodes ([`NodeKind`]) are the snapshot's IAM users, groups and roles; the AWS services, SAML and OIDC providers
//!   and outside accounts that trust and resource policies let in ([`outside`]); the snapshot's resources and the
//!   data classifications they carry ([`resources`]); and one node, [`ADMIN`], for "administrator of the
//!   account": a principal the engine allows every action of a broad sample on any resource.
//! - Edges ([`EdgeKind`]) are membership in a group, assuming a role (from inside or outside the snapshot), the
//!   privilege-escalation techniques of [`techniques::TECHNIQUES`] (one file each), each checked against the
//!   snapshot with its prerequisites, passing a role to a service, access to a resource (with its access levels,
//!   when [`Options::access`] asks for it), and a resource's classifications.
//!
//! [`Graph::privesc`] finds, for every principal that is not an administrator, its shortest path to one. Paths
//! follow only the edges that let their source act as their target ([`EdgeKind::is_move`]).
//!
//! Azure joins the same graph through [`azure`]: Entra principals, applications, scopes and ARM resources, and
//! the Azure edge kinds, each decided by the Azure permission engine behind [`azure::Permissions`]
//! ([`Graph::add_azure`], [`azure::privesc`]).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod access;
pub mod azure;
pub mod export;
pub mod outside;
pub mod resources;
pub mod techniques;

use serde::Serialize;
use sightline_iam::actions::AccessLevel;
use sightline_iam::authz::{Authorizer, Query};
use sightline_iam::eval::StatementMatch;
use sightline_iam::{Context, Decision, PolicyType};
use sightline_model::{parallel_map, Principal, PrincipalKind, Provider, Snapshot};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

/// The node that stands for "administrator of the account".
pub const ADMIN: &str = "admin";

/// Actions an administrator is allowed on any resource. A principal the engine allows all of them is an effective
/// administrator, whatever its policies are called; one that lacks any is not (it may still reach one). An action
/// the organization's SCPs or RCPs forbid in the principal's account is left out for that account: guardrails bind
/// administrators too.
pub const ADMIN_PROBES: &[&str] = &[
    "iam:AttachRolePolicy",
    "iam:CreateUser",
    "iam:PutUserPolicy",
    "ssm:SendCommand",
    "ec2:RunInstances",
    "s3:GetObject",
    "s3:PutBucketPolicy",
    "kms:Decrypt",
    "lambda:UpdateFunctionCode",
    "secretsmanager:GetSecretValue",
    "organizations:ListAccounts",
    "cloudtrail:StopLogging",
];

/// What a node stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// An IAM user of the snapshot.
    User,
    /// An IAM group of the snapshot.
    Group,
    /// An IAM role of the snapshot.
    Role,
    /// An AWS service principal (`lambda.amazonaws.com`) that a trust or resource policy names.
    ServicePrincipal,
    /// A SAML or OIDC provider, by ARN: in the snapshot, or named as `Federated` in a trust policy.
    IdentityProvider,
    /// An AWS account outside the snapshot (`arn:aws:iam::ACCOUNT:root`), or a user or role of one (its ARN),
    /// that a trust or resource policy names.
    ExternalAccount,
    /// Anyone (`*`): a trust or resource policy that names every principal and lets some in.
    Public,
    /// A resource of the snapshot, with its type (`AWS::S3::Bucket`).
    Resource(String),
    /// A kind of data (`pii`) a resource holds, from its [`resources::CLASSIFICATIONS`] property.
    Classification,
    /// [`ADMIN`]: any effective administrator.
    Admin,
    /// A Microsoft Entra user (by object id).
    AzureUser,
    /// A Microsoft Entra group (by object id).
    AzureGroup,
    /// A Microsoft Entra service principal (by object id), not a managed identity.
    AzureServicePrincipal,
    /// An Azure managed identity (its service principal's object id).
    ManagedIdentity,
    /// A Microsoft Entra application registration (by object id).
    AzureApplication,
    /// A Microsoft Entra tenant (by tenant id).
    AzureTenant,
    /// An Azure management group (by its ARM id).
    ManagementGroup,
    /// An Azure subscription (`/subscriptions/{id}`).
    Subscription,
    /// An Azure resource group (by its ARM id).
    ResourceGroup,
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// The ARN; a service principal's name (`lambda.amazonaws.com`); `*` for [`NodeKind::Public`];
    /// `classification:LABEL`; or [`ADMIN`].
    pub id: String,
    pub kind: NodeKind,
    /// A short name for people: the principal's or resource's name, the account id, the label.
    pub name: String,
}

impl Node {
    fn principal(p: &Principal) -> Option<Node> {
        let kind = match p.kind {
            PrincipalKind::User => NodeKind::User,
            PrincipalKind::Group => NodeKind::Group,
            PrincipalKind::Role => NodeKind::Role,
            PrincipalKind::IdentityProvider => return Some(outside::provider(&p.id)),
            _ => return None,
        };
        Some(Node { id: p.id.clone(), kind, name: p.name.clone() })
    }
}

/// What an edge means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A user belongs to a group (and holds its policies).
    MemberOf,
    /// A principal can assume a role: `sts:AssumeRole` (allowed by the trust policy and the caller's policies), or
    /// for an identity provider `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity`.
    CanAssume,
    /// A privilege-escalation technique (its id in [`techniques::TECHNIQUES`]).
    Technique(&'static str),
    /// A principal may pass a role to a service its trust policy names (`iam:PassRole`). Passing alone does not
    /// make the principal the role: the techniques that use it are [`EdgeKind::Technique`] edges.
    CanPassRole,
    /// A principal may perform some of a resource's actions, at these access levels.
    HasAccess(Vec<AccessLevel>),
    /// A resource holds data of a classification.
    ClassifiedAs,
    /// An Azure edge (its id in [`azure::EDGES`]), decided by the Azure permission engine; `moves` tells whether it
    /// lets its source act as its target.
    Azure { id: &'static str, moves: bool },
}

impl EdgeKind {
    /// The id shown in paths: `member-of`, `sts-assume-role`, the technique's id, `can-pass-role`, `has-access`
    /// or `classified-as`.
    pub fn id(&self) -> &'static str {
        match self {
            EdgeKind::MemberOf => "member-of",
            EdgeKind::CanAssume => "sts-assume-role",
            EdgeKind::Technique(id) => id,
            EdgeKind::CanPassRole => "can-pass-role",
            EdgeKind::HasAccess(_) => "has-access",
            EdgeKind::ClassifiedAs => "classified-as",
            EdgeKind::Azure { id, .. } => id,
        }
    }

    /// Whether the edge lets its source act as its target (membership, assuming a role, a technique): the edges
    /// that paths to an administrator follow.
    pub fn is_move(&self) -> bool {
        matches!(self, EdgeKind::MemberOf | EdgeKind::CanAssume | EdgeKind::Technique(_))
            || matches!(self, EdgeKind::Azure { moves: true, .. })
    }
}

/// What [`Graph::build_with`] computes beyond the identities and their moves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// `has-access` edges: every action of each resource's service that applies to it, asked for every user and
    /// role (and the outside principals its policy names). Costs about one evaluation per principal, resource and
    /// action its policies may allow.
    pub access: bool,
}

/// One allowed request of a move, and the statements that allowed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub action: String,
    pub resource: String,
    /// `policy-id#statement` (with the Sid when there is one), as the engine matched them.
    pub statements: Vec<String>,
}

/// A directed edge with its proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// What the move does, in words.
    pub detail: String,
    /// The requests the move needs, each allowed by the engine.
    pub proof: Vec<Step>,
}

/// One hop of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    /// `sts-assume-role`, `member-of` or a technique id.
    pub technique: &'static str,
    /// The principal reached, or `admin`.
    pub to: String,
    pub detail: String,
    pub proof: Vec<Step>,
}

/// A principal that can become an administrator, and its shortest way there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    /// The principal's ARN.
    pub principal: String,
    pub path: Vec<Hop>,
}

/// The graph of one snapshot.
#[derive(Debug, Default)]
pub struct Graph {
    /// Every node: users, groups, roles, the outside principals policies let in, resources, classifications, and
    /// [`ADMIN`] when an edge leads to it.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Principals the engine allows every action of [`ADMIN_PROBES`] on any resource.
    pub admins: Vec<String>,
    /// What could not be decided (a request the engine refused to evaluate), for the report.
    pub problems: Vec<String>,
}

/// What techniques read: the snapshot, the engine, and answers computed once.
#[derive(Clone)]
pub struct Ctx<'a, 's> {
    pub snapshot: &'s Snapshot,
    pub authz: &'a Authorizer<'s>,
    /// Roles by the AWS service principal their trust policy lets assume them (`lambda.amazonaws.com`, ...).
    trusted_by: Arc<HashMap<&'static str, Vec<&'s Principal>>>,
    /// Resources of the snapshot with a resource-based policy, which may allow a request on their own.
    with_policy: Arc<std::collections::HashSet<&'s str>>,
    /// The snapshot's resources by type.
    by_type: Arc<HashMap<&'s str, Vec<&'s sightline_model::Resource>>>,
    problems: Arc<std::sync::Mutex<Vec<String>>>,
    /// When set, techniques look only for edges to this node (a principal ARN or [`ADMIN`]).
    focus: Option<Arc<str>>,
    /// For (user, group) pairs where the user may add itself to the group: whether it would then be an
    /// administrator (computed on first use, see [`Ctx::admin_as_member`]).
    as_member: Arc<std::sync::OnceLock<HashMap<(String, String), bool>>>,
}

/// Services a passed role can run as, for the pass-role techniques.
pub const SERVICES: &[&str] = &[
    "ec2.amazonaws.com",
    "lambda.amazonaws.com",
    "cloudformation.amazonaws.com",
    "glue.amazonaws.com",
    "datapipeline.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "codebuild.amazonaws.com",
    "sagemaker.amazonaws.com",
    "tasks.apprunner.amazonaws.com",
    "bedrock-agentcore.amazonaws.com",
];

impl<'a, 's> Ctx<'a, 's> {
    pub fn new(snapshot: &'s Snapshot, authz: &'a Authorizer<'s>) -> Ctx<'a, 's> {
        let with_policy = snapshot.resources.iter().filter(|r| r.policy.is_some()).map(|r| r.id.as_str()).collect();
        let mut by_type: HashMap<&str, Vec<&sightline_model::Resource>> = HashMap::new();
        for r in &snapshot.resources {
            by_type.entry(r.resource_type.as_str()).or_default().push(r);
        }
        let mut ctx = Ctx {
            snapshot,
            authz,
            trusted_by: Default::default(),
            with_policy: Arc::new(with_policy),
            by_type: Arc::new(by_type),
            problems: Default::default(),
            focus: None,
            as_member: Default::default(),
        };
        let mut trusted_by = HashMap::new();
        for service in SERVICES {
            let roles = ctx
                .principals(PrincipalKind::Role)
                .filter(|r| authz.trust_names_service(&r.id, service))
                .filter(|r| ctx.allowed(service, "sts:AssumeRole", &r.id, &Context::default()).is_some())
                .collect();
            trusted_by.insert(*service, roles);
        }
        ctx.trusted_by = Arc::new(trusted_by);
        ctx
    }

    /// The same context, looking only for edges to `node`.
    pub fn focused(&self, node: &str) -> Ctx<'a, 's> {
        Ctx { focus: Some(Arc::from(node)), ..self.clone() }
    }

    /// Whether techniques should look for an edge to `node`.
    pub fn wants(&self, node: &str) -> bool {
        self.focus.as_deref().is_none_or(|f| f == node)
    }

    /// The snapshot's resources of one type (`AWS::EC2::Instance`), in snapshot order.
    pub fn resources_of(&self, resource_type: &str) -> &[&'s sightline_model::Resource] {
        self.by_type.get(resource_type).map_or(&[], Vec::as_slice)
    }

    /// The AWS principals of one kind.
    pub fn principals(&self, kind: PrincipalKind) -> impl Iterator<Item = &'s Principal> + '_ {
        self.snapshot.principals.iter().filter(move |p| p.provider == Provider::Aws && p.kind == kind)
    }

    /// The roles a service can assume.
    pub fn roles_trusted_by(&self, service: &str) -> &[&'s Principal] {
        self.trusted_by.get(service).map(Vec::as_slice).unwrap_or_default()
    }

    /// The engine's proof that `principal` may do `action` on `resource`, or `None` when it may not.
    pub fn allowed(&self, principal: &str, action: &str, resource: &str, context: &Context) -> Option<Step> {
        if !self.may_allow(principal, action, resource) {
            return None;
        }
        let query = request(principal, action, resource, context);
        match self.authz.check(&query) {
            Ok(e) => step_of(action, resource, &e),
            Err(e) => {
                if let Ok(mut problems) = self.problems.lock() {
                    problems.push(format!("{principal} {action} {resource}: {e}"));
                }
                None
            }
        }
    }

    /// The roles among `roles` that `principal` may assume, each with its proof: the engine asked once for all
    /// of them (the principal resolved once).
    pub fn assumable<'r>(&self, principal: &str, roles: &[&'r Principal]) -> Vec<(&'r Principal, Step)> {
        let roles: Vec<&Principal> =
            roles.iter().copied().filter(|r| self.may_allow(principal, "sts:AssumeRole", &r.id)).collect();
        if roles.is_empty() {
            return Vec::new();
        }
        let arns: Vec<&str> = roles.iter().map(|r| r.id.as_str()).collect();
        match self.authz.decide_resources(principal, "sts:AssumeRole", &arns, &Context::default()) {
            Ok(answers) => roles
                .into_iter()
                .zip(answers)
                .filter_map(|(r, e)| Some((r, step_of("sts:AssumeRole", &r.id, &e)?)))
                .collect(),
            Err(e) => {
                self.problem(format!("{principal} sts:AssumeRole: {e}"));
                Vec::new()
            }
        }
    }

    /// Records what could not be decided, for the report.
    pub(crate) fn problem(&self, problem: String) {
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(problem);
        }
    }

    /// Whether `user` would be an effective administrator as a member of `group`, with everything else about it
    /// unchanged (its own policies, its boundary, its account's guardrails). The engine answers for a copy of each
    /// user that may add itself to a group, made a member of that group, in a copy of the snapshot's IAM data; the
    /// copies are built once, for every such pair.
    pub fn admin_as_member(&self, user: &Principal, group: &Principal) -> bool {
        let answers = self.as_member.get_or_init(|| {
            let mut pairs: Vec<(&Principal, &Principal)> = Vec::new();
            for u in self.principals(PrincipalKind::User) {
                if !self.authz.identity_may_allow(&u.id, "iam:AddUserToGroup") {
                    continue;
                }
                for g in self.principals(PrincipalKind::Group).filter(|g| !u.groups.contains(&g.id)) {
                    pairs.push((u, g));
                }
            }
            if pairs.is_empty() {
                return HashMap::new();
            }
            let mut copy = Snapshot {
                accounts: self.snapshot.accounts.clone(),
                organizations: self.snapshot.organizations.clone(),
                policies: self.snapshot.policies.clone(),
                principals: self.snapshot.principals.clone(),
                ..Snapshot::new("membership probe")
            };
            let probe_id =
                |i: usize, u: &Principal| format!("arn:aws:iam::{}:user/sightline-membership-probe/{i}", u.account_id);
            for (i, (u, g)) in pairs.iter().enumerate() {
                let mut member = (*u).clone();
                member.id = probe_id(i, u);
                member.name = format!("sightline-membership-probe-{i}");
                member.groups.push(g.id.clone());
                copy.principals.push(member);
            }
            let Ok(authz) = Authorizer::new(&copy) else { return HashMap::new() };
            let ctx = Ctx::new(&copy, &authz);
            let admin = parallel_map(&pairs.iter().enumerate().collect::<Vec<_>>(), |(i, (u, _))| {
                let id = probe_id(*i, u);
                ctx.is_admin(&id)
            });
            pairs.iter().zip(admin).map(|((u, g), a)| ((u.id.clone(), g.id.clone()), a)).collect()
        });
        answers.get(&(user.id.clone(), group.id.clone())).copied().unwrap_or(false)
    }

    /// Whether the engine allows `principal` every action of [`ADMIN_PROBES`] on any resource (guardrails aside).
    pub fn is_admin(&self, principal: &str) -> bool {
        ADMIN_PROBES.iter().all(|a| self.admin_probe(principal, a))
    }

    /// Whether `principal` may do `action` on any resource, or is stopped only by an organization guardrail (an
    /// SCP or RCP), which binds every principal of its account.
    fn admin_probe(&self, principal: &str, action: &str) -> bool {
        if !self.may_allow(principal, action, "*") {
            return false;
        }
        let query = request(principal, action, "*", &Context::default());
        match self.authz.check(&query) {
            Ok(e) if e.decision == Decision::Allow => true,
            // Guardrails bind every principal of the account, administrators included.
            Ok(e) if e.explicit_deny => e
                .statements
                .iter()
                .all(|s| matches!(s.policy_type, PolicyType::ServiceControl | PolicyType::ResourceControl)),
            Ok(e) => e.guardrail.is_some(),
            Err(_) => false,
        }
    }

    /// A quick, sound test before asking the engine: false only when the request cannot be allowed, because the
    /// principal's identity policies never allow the action and no resource policy can grant it alone (IAM users,
    /// groups and policies, and resources not yet created, have none; roles have trust policies, so `sts:`
    /// requests are always asked).
    fn may_allow(&self, principal: &str, action: &str, resource: &str) -> bool {
        action.starts_with("sts:")
            || self.with_policy.contains(resource)
            || self.authz.identity_may_allow(principal, action)
    }

    /// The groups `user` belongs to.
    pub fn groups_of(&self, user: &Principal) -> impl Iterator<Item = &'s Principal> + '_ {
        let names: Vec<String> = user.groups.clone();
        self.principals(PrincipalKind::Group).filter(move |g| names.contains(&g.id))
    }

    /// How many access keys the snapshot shows for `user` (0 when it has none on record).
    pub fn access_keys(&self, user: &Principal) -> usize {
        self.resources_of("AWS::IAM::AccessKey")
            .iter()
            .filter(|r| r.account_id == user.account_id)
            .filter(|r| r.properties.get("UserName").and_then(|n| n.as_str()) == Some(user.name.as_str()))
            .count()
    }

    /// Whether `user` has a console password, from the account's credential report; `None` when unknown.
    pub fn has_password(&self, user: &Principal) -> Option<bool> {
        password_enabled(self.resources_of("AWS::IAM::CredentialReport").iter().copied(), user)
    }

    /// A resource ARN for something a principal would create in its own account (a Lambda function, a stack...).
    pub fn new_resource(&self, principal: &Principal, service: &str, kind: &str) -> String {
        match service {
            "lambda" => format!("arn:aws:lambda:us-east-1:{}:function:{kind}", principal.account_id),
            "cloudformation" => {
                format!("arn:aws:cloudformation:us-east-1:{}:stack/{kind}/new", principal.account_id)
            }
            "glue" => format!("arn:aws:glue:us-east-1:{}:devEndpoint/{kind}", principal.account_id),
            "datapipeline" => format!("arn:aws:datapipeline:us-east-1:{}:pipeline/{kind}", principal.account_id),
            "ec2" => format!("arn:aws:ec2:us-east-1:{}:instance/*", principal.account_id),
            _ => "*".to_string(),
        }
    }
}

/// The engine's question: may `principal` do `action` on `resource`?
pub(crate) fn request(principal: &str, action: &str, resource: &str, context: &Context) -> Query {
    Query {
        principal: principal.to_string(),
        action: action.to_string(),
        resource: resource.to_string(),
        context: context.clone(),
        session_name: None,
        session_policy: None,
    }
}

/// The proof of an allowed request: its action and resource and the statements that allowed it (SCPs and RCPs
/// allow at each level of the organization path: each statement is named once); `None` when it is not allowed.
fn step_of(action: &str, resource: &str, e: &sightline_iam::Explanation) -> Option<Step> {
    if e.decision != Decision::Allow {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for name in e.statements.iter().map(statement_ref) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Some(Step { action: action.to_string(), resource: resource.to_string(), statements: names })
}

impl From<&Edge> for Hop {
    fn from(e: &Edge) -> Hop {
        Hop { technique: e.kind.id(), to: e.to.clone(), detail: e.detail.clone(), proof: e.proof.clone() }
    }
}

/// The path from `start` along `next`, the first edge of a shortest path from each node.
fn follow<'e, E: std::borrow::Borrow<Edge> + 'e>(next: impl Fn(&str) -> Option<&'e E>, start: &str) -> Vec<Hop> {
    let mut path = Vec::new();
    let mut at = start.to_string();
    while let Some(e) = next(&at) {
        let e: &Edge = e.borrow();
        path.push(Hop::from(e));
        at.clone_from(&e.to);
    }
    path
}

/// The users and roles of the snapshot: the principals that can act.
fn actors(snapshot: &Snapshot) -> Vec<&Principal> {
    snapshot
        .principals
        .iter()
        .filter(|p| p.provider == Provider::Aws && matches!(p.kind, PrincipalKind::User | PrincipalKind::Role))
        .collect()
}

/// The actors that are effective administrators, on every core.
fn admins(ctx: &Ctx<'_, '_>, actors: &[&Principal]) -> Vec<String> {
    let flags = parallel_map(actors, |p| ctx.is_admin(&p.id));
    actors.iter().zip(flags).filter(|(_, a)| *a).map(|(p, _)| p.id.clone()).collect()
}

fn statement_ref(s: &StatementMatch) -> String {
    match &s.sid {
        Some(sid) => format!("{}#{} ({sid})", s.policy, s.statement),
        None => format!("{}#{}", s.policy, s.statement),
    }
}

/// Nodes in the order added, each once.
#[derive(Default)]
struct Nodes {
    list: Vec<Node>,
    seen: std::collections::HashSet<String>,
}

impl Nodes {
    fn add(&mut self, node: Node) {
        if self.seen.insert(node.id.clone()) {
            self.list.push(node);
        }
    }
}

/// Whether `user` has a console password, from the credential report of its account among `reports` (its row found
/// by ARN, or by name in a report without ARNs); `None` when no report says.
pub(crate) fn password_enabled<'r>(
    reports: impl IntoIterator<Item = &'r sightline_model::Resource>,
    user: &Principal,
) -> Option<bool> {
    let rows = reports
        .into_iter()
        .filter(|r| r.resource_type == "AWS::IAM::CredentialReport" && r.account_id == user.account_id)
        .find_map(|r| r.properties.get("Rows")?.as_array())?;
    let col = |row: &sightline_model::Props, k: &str| row.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let row = rows.iter().find(|row| match col(row, "arn") {
        Some(arn) => arn == user.id,
        None => col(row, "user").as_deref() == Some(user.name.as_str()),
    })?;
    col(row, "password_enabled").map(|v| v == "true")
}

/// Principals whose moves [`Graph::stream`] computes at once.
const STREAM_BATCH: usize = 256;

/// The roles of the snapshot, with whom their trust policies name directly: who may assume a role without
/// `sts:AssumeRole` in its own policies.
struct Assumable<'a, 's> {
    roles: Vec<&'s Principal>,
    /// Roles (by index in `roles`) whose trust policy names every principal.
    open: Vec<usize>,
    /// Roles by the ARNs their trust policies name.
    named: HashMap<&'a str, Vec<usize>>,
}

impl<'a, 's> Assumable<'a, 's> {
    fn new(ctx: &Ctx<'a, 's>) -> Assumable<'a, 's> {
        let roles: Vec<&Principal> = ctx.principals(PrincipalKind::Role).collect();
        let mut open = Vec::new();
        let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, r) in roles.iter().enumerate() {
            match ctx.authz.trust_named(&r.id) {
                (true, _) => open.push(i),
                (false, arns) => arns.into_iter().for_each(|a| named.entry(a).or_default().push(i)),
            }
        }
        Assumable { roles, open, named }
    }

    /// The roles `p` might assume: every other role when its own policies may allow `sts:AssumeRole`, else those
    /// whose trust policy names it directly (in snapshot order).
    fn candidates(&self, p: &Principal, may_assume: bool) -> Vec<&'s Principal> {
        if may_assume {
            return self.roles.iter().copied().filter(|r| r.id != p.id).collect();
        }
        let mut picked: Vec<usize> =
            self.open.iter().chain(self.named.get(p.id.as_str()).into_iter().flatten()).copied().collect();
        picked.sort_unstable();
        picked.dedup();
        picked.into_iter().map(|i| self.roles[i]).filter(|r| r.id != p.id).collect()
    }
}

/// One principal's own moves: the roles it may assume, the roles it may pass, and (when it is not an administrator
/// already) the escalation techniques open to it.
fn moves(
    ctx: &Ctx<'_, '_>,
    p: &Principal,
    admin: bool,
    passable: &[(&Principal, Vec<String>)],
    assumable: &Assumable<'_, '_>,
) -> Vec<Edge> {
    let authz = ctx.authz;
    let mut edges = Vec::new();
    // Without `sts:AssumeRole` in its own policies, a principal can only assume roles whose trust policy names it
    // directly.
    let may_assume = authz.identity_may_allow(&p.id, "sts:AssumeRole");
    let candidates = assumable.candidates(p, may_assume);
    let assumed = ctx.assumable(&p.id, &candidates);
    edges.reserve(assumed.len());
    for (role, step) in assumed {
        edges.push(Edge {
            from: p.id.clone(),
            to: role.id.clone(),
            kind: EdgeKind::CanAssume,
            detail: format!("assumes {}", role.name),
            proof: vec![step],
        });
    }
    edges.extend(pass_role_edges(ctx, p, passable));
    if !admin {
        // An attacker whose own policies never allow the action a technique cannot do without is not asked.
        for technique in techniques::TECHNIQUES {
            if technique.needs.is_none_or(|a| authz.identity_may_allow(&p.id, a)) {
                edges.extend((technique.find)(ctx, p));
            }
        }
    }
    edges
}

/// The `can-pass-role` edges of `p`: to each role of `roles` (with the services its trust policy names) that the
/// engine allows it to pass to one of those services.
fn pass_role_edges(ctx: &Ctx<'_, '_>, p: &Principal, roles: &[(&Principal, Vec<String>)]) -> Vec<Edge> {
    if !ctx.authz.identity_may_allow(&p.id, "iam:PassRole") {
        return Vec::new();
    }
    let mut edges = Vec::new();
    for (role, services) in roles.iter().filter(|(r, _)| r.id != p.id) {
        let mut to: Vec<&str> = Vec::new();
        let mut proof: Vec<Step> = Vec::new();
        for service in services {
            let mut context = Context::default();
            context.insert("iam:PassedToService", vec![service.clone()]);
            if let Some(step) = ctx.allowed(&p.id, "iam:PassRole", &role.id, &context) {
                to.push(service);
                if !proof.contains(&step) {
                    proof.push(step);
                }
            }
        }
        if !to.is_empty() {
            edges.push(Edge {
                from: p.id.clone(),
                to: role.id.clone(),
                kind: EdgeKind::CanPassRole,
                detail: format!("may pass {} to {}", role.name, to.join(", ")),
                proof,
            });
        }
    }
    edges
}

impl Graph {
    /// Builds the graph of a snapshot with its engine, without `has-access` edges (see [`Graph::build_with`]).
    pub fn build(snapshot: &Snapshot, authz: &Authorizer<'_>) -> Graph {
        Graph::build_with(snapshot, authz, Options::default())
    }

    /// Builds the graph of a snapshot with its engine, with what `options` asks for.
    pub fn build_with(snapshot: &Snapshot, authz: &Authorizer<'_>, options: Options) -> Graph {
        let mut graph = Graph::default();
        let mut moves = Vec::new();
        let problems = Graph::stream(
            snapshot,
            authz,
            options,
            |nodes, admins, edges| {
                graph.nodes = nodes;
                graph.admins = admins;
                graph.edges = edges;
                Ok::<(), std::convert::Infallible>(())
            },
            |edges| {
                moves.extend(edges);
                Ok(())
            },
        );
        graph.edges.extend(moves);
        graph.problems = problems.unwrap_or_else(|never| match never {});
        // The administrator node, when an edge leads to it.
        if !graph.edges.iter().any(|e| e.to == ADMIN) {
            graph.nodes.retain(|n| n.kind != NodeKind::Admin);
        }
        graph
    }

    /// Builds the graph as [`build_with`](Self::build_with) does, without holding all its edges: `start` gets
    /// every node, the effective administrators and the edges that do not come from one principal's own moves
    /// (membership, trust from outside, access to resources, classifications); then `more` gets the moves of the
    /// principals (assuming roles, passing roles, techniques) a few hundred principals at a time, as they are
    /// computed on every core. Memory stays bounded by one batch whatever the number of edges. The
    /// [`ADMIN`] node is always among the nodes. Returns what could not be decided.
    pub fn stream<E>(
        snapshot: &Snapshot,
        authz: &Authorizer<'_>,
        options: Options,
        start: impl FnOnce(Vec<Node>, Vec<String>, Vec<Edge>) -> Result<(), E>,
        mut more: impl FnMut(Vec<Edge>) -> Result<(), E>,
    ) -> Result<Vec<String>, E> {
        Graph::stream_mapped(
            snapshot,
            authz,
            options,
            start,
            |_, edges| edges,
            |batch| more(batch.into_iter().flatten().collect()),
        )
    }

    /// [`stream`](Self::stream), with each principal's moves handed to `map` (with the principal's place in the
    /// order of moves) on the core that computed them, and `more` getting what `map` made of a batch, in order.
    /// An exporter formats there, so that the text of millions of edges is written on every core.
    pub fn stream_mapped<T: Send, E>(
        snapshot: &Snapshot,
        authz: &Authorizer<'_>,
        options: Options,
        start: impl FnOnce(Vec<Node>, Vec<String>, Vec<Edge>) -> Result<(), E>,
        map: impl Fn(usize, Vec<Edge>) -> T + Sync,
        mut more: impl FnMut(Vec<T>) -> Result<(), E>,
    ) -> Result<Vec<String>, E> {
        let ctx = Ctx::new(snapshot, authz);
        let mut edges = Vec::new();
        let mut nodes = Nodes::default();
        let actors = actors(snapshot);
        for p in snapshot.principals.iter().filter(|p| p.provider == Provider::Aws) {
            if let Some(node) = Node::principal(p) {
                nodes.add(node);
            }
        }
        for user in ctx.principals(PrincipalKind::User) {
            for group in ctx.groups_of(user) {
                edges.push(Edge {
                    from: user.id.clone(),
                    to: group.id.clone(),
                    kind: EdgeKind::MemberOf,
                    detail: format!("{} is a member of {}", user.name, group.name),
                    proof: Vec::new(),
                });
            }
        }
        let admin_of = parallel_map(&actors, |p| ctx.is_admin(&p.id));
        let admins: Vec<String> =
            actors.iter().zip(&admin_of).filter(|(_, admin)| **admin).map(|(p, _)| p.id.clone()).collect();
        // Services, providers and accounts outside the snapshot that roles' trust policies let in.
        let roles: Vec<&Principal> = ctx.principals(PrincipalKind::Role).collect();
        for (found, found_edges) in parallel_map(&roles, |r| outside::assume_edges(&ctx, r)) {
            found.into_iter().for_each(|n| nodes.add(n));
            edges.extend(found_edges);
        }
        // Resources, what they hold, and who reaches them.
        let aws: Vec<&sightline_model::Resource> =
            snapshot.resources.iter().filter(|r| r.provider == Provider::Aws).collect();
        for r in &aws {
            if resources::PROVIDER_TYPES.contains(&r.resource_type.as_str()) {
                nodes.add(outside::provider(&r.id));
            } else {
                nodes.add(resources::node(r));
            }
        }
        for r in &aws {
            for label in resources::classifications(r) {
                nodes.add(resources::classification(&label));
            }
            edges.extend(resources::classified_edges(r));
        }
        if options.access {
            // IAM's own users and roles, when a collector lists them as resources too, are principals here.
            let principals: std::collections::HashSet<&str> =
                snapshot.principals.iter().map(|p| p.id.as_str()).collect();
            let reachable: Vec<&sightline_model::Resource> = aws
                .iter()
                .copied()
                .filter(|r| !resources::PROVIDER_TYPES.contains(&r.resource_type.as_str()))
                .filter(|r| !principals.contains(r.id.as_str()))
                .collect();
            for (found, found_edges) in parallel_map(&reachable, |r| resources::access_edges(&ctx, &actors, r)) {
                found.into_iter().for_each(|n| nodes.add(n));
                edges.extend(found_edges);
            }
        }
        nodes.add(Node { id: ADMIN.to_string(), kind: NodeKind::Admin, name: "administrator".to_string() });
        start(nodes.list, admins, edges)?;
        // Roles a service may be handed, with the services their trust policies name.
        let passable: Vec<(&Principal, Vec<String>)> = ctx
            .principals(PrincipalKind::Role)
            .filter_map(|r| {
                let services = outside::named(r.trust_policy.as_ref()?.get()).services;
                (!services.is_empty()).then_some((r, services))
            })
            .collect();
        let assumable = Assumable::new(&ctx);
        let indexed: Vec<(usize, (&Principal, bool))> = actors.iter().copied().zip(admin_of).enumerate().collect();
        for batch in indexed.chunks(STREAM_BATCH) {
            more(parallel_map(batch, |(i, (p, admin))| map(*i, moves(&ctx, p, *admin, &passable, &assumable))))?;
        }
        Ok(ctx.problems.lock().map(|p| p.clone()).unwrap_or_default())
    }

    /// The shortest path (fewest hops) from `from` to `to` (a principal ARN, or [`ADMIN`]: any administrator).
    pub fn shortest_path(&self, from: &str, to: &str) -> Option<Vec<Hop>> {
        let reached = |node: &str| {
            if to == ADMIN {
                node == ADMIN || self.admins.iter().any(|a| a == node)
            } else {
                node == to
            }
        };
        let mut out: HashMap<&str, Vec<&Edge>> = HashMap::new();
        for e in self.edges.iter().filter(|e| e.kind.is_move()) {
            out.entry(e.from.as_str()).or_default().push(e);
        }
        // Breadth first: the first time a node is reached is by a shortest path. Loops of roles end here too.
        let mut came_by: HashMap<&str, &Edge> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        let mut seen = std::collections::HashSet::from([from]);
        while let Some(node) = queue.pop_front() {
            if reached(node) && node != from {
                let mut hops = Vec::new();
                let mut at = node;
                while let Some(e) = came_by.get(at) {
                    hops.push(Hop::from(*e));
                    at = e.from.as_str();
                }
                hops.reverse();
                self.admin_hop(&mut hops, from);
                return Some(hops);
            }
            for e in out.get(node).into_iter().flatten() {
                if seen.insert(e.to.as_str()) {
                    came_by.insert(e.to.as_str(), e);
                    queue.push_back(e.to.as_str());
                }
            }
        }
        None
    }

    /// Every user and role that is not an administrator but can become one, with its shortest path. Service-linked
    /// roles are left out as starting points: only their AWS service can use them.
    ///
    /// One breadth-first search backwards from every administrator (and the [`ADMIN`] node) gives each principal
    /// its distance to the nearest one and the first edge of a shortest path there, for all principals at once.
    pub fn privesc(&self) -> Vec<Escalation> {
        let mut into: HashMap<&str, Vec<&Edge>> = HashMap::new();
        for e in self.edges.iter().filter(|e| e.kind.is_move()) {
            into.entry(e.to.as_str()).or_default().push(e);
        }
        let mut next: HashMap<&str, &Edge> = HashMap::new();
        let mut queue: VecDeque<&str> = VecDeque::from([ADMIN]);
        queue.extend(self.admins.iter().map(String::as_str));
        let mut seen: std::collections::HashSet<&str> = queue.iter().copied().collect();
        while let Some(node) = queue.pop_front() {
            for e in into.get(node).into_iter().flatten() {
                if seen.insert(e.from.as_str()) {
                    next.insert(e.from.as_str(), e);
                    queue.push_back(e.from.as_str());
                }
            }
        }
        self.nodes
            .iter()
            .filter(|n| {
                matches!(
                    n.kind,
                    NodeKind::User
                        | NodeKind::Role
                        | NodeKind::AzureUser
                        | NodeKind::AzureServicePrincipal
                        | NodeKind::ManagedIdentity
                ) && !self.admins.contains(&n.id)
                    && !n.id.contains(":role/aws-service-role/")
            })
            .filter_map(|n| {
                let mut path = follow(|id| next.get(id), n.id.as_str());
                self.admin_hop(&mut path, &n.id);
                (!path.is_empty()).then(|| Escalation { principal: n.id.clone(), path })
            })
            .collect()
    }

    /// A path that ends at an administrator which is one by an edge to [`ADMIN`] (Azure: `grant-role`, which says
    /// what it administers) gets that edge as its last hop. AWS administrators have no such edge (no technique is
    /// asked for them), so AWS paths are unchanged.
    fn admin_hop(&self, path: &mut Vec<Hop>, from: &str) {
        let last = path.last().map_or(from, |h| h.to.as_str());
        if path.is_empty() || last == ADMIN || !self.admins.iter().any(|a| a == last) {
            return;
        }
        if let Some(e) = self.edges.iter().find(|e| e.from == last && e.to == ADMIN && e.kind.is_move()) {
            path.push(Hop::from(e));
        }
    }
}

/// The answer to "who can become an administrator", computed without building the whole graph.
#[derive(Debug, Default)]
pub struct Privesc {
    /// Principals the engine allows every action of [`ADMIN_PROBES`] on any resource.
    pub admins: Vec<String>,
    /// Every user and role that can become an administrator, with its shortest path (as [`Graph::privesc`]).
    pub escalations: Vec<Escalation>,
    /// What could not be decided, for the report.
    pub problems: Vec<String>,
}

/// [`Graph::privesc`] without the whole graph: one breadth-first search backwards from the administrators, asking
/// at each node reached which principals have an edge to it (the techniques look only for edges to that node).
/// Only the edges that can lie on a path to an administrator are ever evaluated, which keeps large accounts
/// tractable; the answer is the same (a test compares them).
pub fn privesc(snapshot: &Snapshot, authz: &Authorizer<'_>) -> Privesc {
    let ctx = Ctx::new(snapshot, authz);
    let actors = actors(snapshot);
    let admins = admins(&ctx, &actors);
    let mut sources = vec![ADMIN.to_string()];
    sources.extend(admins.iter().cloned());
    let next = search_back(&ctx, &actors, sources, None);
    let escalations = actors
        .iter()
        .filter(|p| !admins.contains(&p.id) && !p.id.contains(":role/aws-service-role/"))
        .filter_map(|p| {
            let path = follow(|n| next.get(n), p.id.as_str());
            (!path.is_empty()).then(|| Escalation { principal: p.id.clone(), path })
        })
        .collect();
    let problems = ctx.problems.lock().map(|p| p.clone()).unwrap_or_default();
    Privesc { admins, escalations, problems }
}

/// Breadth-first search backwards from `sources`: for each node reached, which actors have an edge to it (the
/// techniques look only for edges to that node, and only attackers whose policies may allow each technique's key
/// action are asked). Returns, for every actor reached, the first edge of a shortest path to a source. Stops
/// early once `until` is reached.
fn search_back(
    ctx: &Ctx<'_, '_>,
    actors: &[&Principal],
    sources: Vec<String>,
    until: Option<&str>,
) -> HashMap<String, Edge> {
    let authz = ctx.authz;
    let may_assume: Vec<bool> = actors.iter().map(|p| authz.identity_may_allow(&p.id, "sts:AssumeRole")).collect();
    // For each technique, the attackers whose own policies may allow the action it cannot do without.
    let able: Vec<Vec<bool>> = techniques::TECHNIQUES
        .iter()
        .map(|t| actors.iter().map(|p| t.needs.is_none_or(|a| authz.identity_may_allow(&p.id, a))).collect())
        .collect();
    // Principals by ARN, and which actors were reached (by index), without hashing ARNs in the inner loop.
    let roles: HashMap<&str, &Principal> = ctx.principals(PrincipalKind::Role).map(|r| (r.id.as_str(), r)).collect();
    let users: std::collections::HashSet<&str> = ctx.principals(PrincipalKind::User).map(|u| u.id.as_str()).collect();
    let index: HashMap<&str, usize> = actors.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let mut reached = vec![false; actors.len()];
    let mut seen: std::collections::HashSet<String> = sources.iter().cloned().collect();
    for s in &sources {
        if let Some(&i) = index.get(s.as_str()) {
            reached[i] = true;
        }
    }
    let mut queue: VecDeque<String> = sources.into_iter().collect();
    let mut next: HashMap<String, Edge> = HashMap::new();
    while let Some(node) = queue.pop_front() {
        if until.is_some_and(|u| seen.contains(u)) {
            break;
        }
        let focused = ctx.focused(&node);
        let role = roles.get(node.as_str()).copied();
        let kind = if node == ADMIN {
            Some(techniques::Reaches::Admin)
        } else if role.is_some() {
            Some(techniques::Reaches::Role)
        } else if users.contains(node.as_str()) {
            Some(techniques::Reaches::User)
        } else {
            None
        };
        // The techniques that lead to a node of this kind.
        let relevant: Vec<usize> =
            (0..techniques::TECHNIQUES.len()).filter(|t| Some(techniques::TECHNIQUES[*t].reaches) == kind).collect();
        let candidates: Vec<(usize, &Principal)> = actors
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                !reached[*i]
                    && (relevant.iter().any(|t| able[*t][*i])
                        || role.is_some_and(|r| may_assume[*i] || authz.trust_names_directly(&r.id, &p.id)))
            })
            .map(|(i, p)| (i, *p))
            .collect();
        let found = parallel_map(&candidates, |(i, p)| {
            if let Some(role) = role.filter(|r| r.id != p.id) {
                if may_assume[*i] || authz.trust_names_directly(&role.id, &p.id) {
                    if let Some(step) = ctx.allowed(&p.id, "sts:AssumeRole", &role.id, &Context::default()) {
                        return Some(Edge {
                            from: p.id.clone(),
                            to: role.id.clone(),
                            kind: EdgeKind::CanAssume,
                            detail: format!("assumes {}", role.name),
                            proof: vec![step],
                        });
                    }
                }
            }
            relevant
                .iter()
                .filter(|t| able[**t][*i])
                .find_map(|t| (techniques::TECHNIQUES[*t].find)(&focused, p).into_iter().next())
        });
        for ((i, p), edge) in candidates.iter().zip(found) {
            if let Some(edge) = edge {
                reached[*i] = true;
                seen.insert(p.id.clone());
                queue.push_back(p.id.clone());
                next.insert(p.id.clone(), edge);
            }
        }
    }
    next
}

/// The shortest path from `from` to `to` (a principal ARN, or [`ADMIN`]: any administrator), found like
/// [`privesc`] by searching backwards from the target, without the whole graph. `None` when there is none.
pub fn shortest_path(snapshot: &Snapshot, authz: &Authorizer<'_>, from: &str, to: &str) -> Option<Vec<Hop>> {
    let ctx = Ctx::new(snapshot, authz);
    let actors = actors(snapshot);
    let sources = if to == ADMIN {
        let mut sources = vec![ADMIN.to_string()];
        sources.extend(admins(&ctx, &actors));
        sources
    } else {
        vec![to.to_string()]
    };
    if sources.iter().any(|s| s == from) {
        return None;
    }
    let next = search_back(&ctx, &actors, sources, Some(from));
    let path = follow(|n| next.get(n), from);
    (!path.is_empty()).then_some(path)
}

/// The shortest way from `from` to `resource` (any resource ARN): the moves to a principal the engine allows some
/// action on it, then a last `has-access` hop with the actions by access level, proved on the first of them. A
/// principal that reaches the resource itself gets that one hop. `Ok(None)` when nothing leads there.
pub fn path_to_resource(
    snapshot: &Snapshot,
    authz: &Authorizer<'_>,
    from: &str,
    resource: &str,
) -> Result<Option<Vec<Hop>>, access::AccessError> {
    let reach = access::who_can_reach(authz, resource)?;
    let ctx = Ctx::new(snapshot, authz);
    let actors = actors(snapshot);
    let last_hop = |r: &access::Reach| -> Option<Hop> {
        let (_, actions) = r.actions.iter().next()?;
        let step = ctx.allowed(&r.principal, actions.first()?, resource, &Context::default())?;
        let levels: Vec<String> =
            r.actions.iter().map(|(level, a)| format!("{} ({})", level.as_str(), a.join(", "))).collect();
        Some(Hop { technique: "has-access", to: resource.to_string(), detail: levels.join("; "), proof: vec![step] })
    };
    if let Some(r) = reach.iter().find(|r| r.principal == from) {
        return Ok(last_hop(r).map(|h| vec![h]));
    }
    let sources: Vec<String> =
        reach.iter().filter(|r| actors.iter().any(|a| a.id == r.principal)).map(|r| r.principal.clone()).collect();
    if sources.is_empty() {
        return Ok(None);
    }
    let next = search_back(&ctx, &actors, sources, Some(from));
    let mut path = follow(|n| next.get(n), from);
    let Some(end) = path.last().map(|h| h.to.clone()) else { return Ok(None) };
    let Some(hop) = reach.iter().find(|r| r.principal == end).and_then(last_hop) else { return Ok(None) };
    path.push(hop);
    Ok(Some(path))
}

/// The shortest way from `from` to any resource the data scanner labelled `label` (see
/// [`resources::classifications`]): [`path_to_resource`] for each, on a bucket's objects as well as the bucket, and
/// the one with the fewest hops. `Ok(None)` when no labelled resource is reached.
pub fn path_to_label(
    snapshot: &Snapshot,
    authz: &Authorizer<'_>,
    from: &str,
    label: &str,
) -> Result<Option<(String, Vec<Hop>)>, access::AccessError> {
    let mut best: Option<(String, Vec<Hop>)> = None;
    for r in snapshot.resources.iter().filter(|r| resources::classifications(r).iter().any(|l| l == label)) {
        let mut targets = vec![r.id.clone()];
        if r.resource_type == "AWS::S3::Bucket" {
            targets.push(format!("{}/*", r.id));
        }
        for target in targets {
            if let Some(path) = path_to_resource(snapshot, authz, from, &target)? {
                if best.as_ref().is_none_or(|(_, b)| path.len() < b.len()) {
                    best = Some((target, path));
                }
            }
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests;
