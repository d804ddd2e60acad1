//! Answers "is this request allowed?" and "who can do this?" over a snapshot, by gathering the policies that apply
//! to a request and handing them to the engine ([`crate::eval::evaluate`]).

use crate::context::Context;
use crate::eval::{
    add_principal_context, evaluate, Explanation, Level, PolicyRef, PolicySet, PolicySource, PrincipalFacts,
    PrincipalType, Request, RequestPrincipal,
};
use crate::policy::{PolicyDocument, PolicyError, PolicyType, ResourceMatcher};
use sightline_model::{PolicyKind, Principal, PrincipalKind, Provider, Resource, Snapshot};
use std::borrow::Cow;
/// Maps keyed by snapshot strings: foldhash, seeded per process, hashes short keys several times faster than
/// SipHash.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A policy in the snapshot that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{policy}: {error}")]
pub struct LoadError {
    /// Which policy: its ARN, or `PRINCIPAL#inline/NAME`, or `PRINCIPAL#trust`.
    pub policy: String,
    pub error: PolicyError,
}

/// Why a query could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("principal {0:?} is not in the snapshot (give a user, role, assumed-role session or root ARN of an imported account, an identity provider ARN, a service principal such as ec2.amazonaws.com, or \"anonymous\")")]
    UnknownPrincipal(String),
    #[error("invalid action {0:?}: actions are written \"service:ActionName\"")]
    InvalidAction(String),
    #[error("invalid resource {0:?}: give an ARN or \"*\"")]
    InvalidResource(String),
}

struct Parsed {
    source: PolicySource,
    document: PolicyDocument,
    /// For trust and resource policies: the index of the first policy with the same text (its own index when it
    /// is the first); requests on resources whose policies share a text can share one evaluation.
    same_text: usize,
}

struct PrincipalEntry {
    index: usize,
    identity: Vec<usize>,
    boundary: Option<usize>,
    trust: Option<usize>,
    service_linked: bool,
}

/// What the authorizer knows about an account's place in its organization.
#[derive(Default, Clone)]
struct OrgPath {
    org_id: String,
    /// Root, OUs, account: the ids along the path.
    path: Vec<String>,
    management: bool,
}

/// A query: may this principal perform this action on this resource?
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// User, role, assumed-role session or root ARN; a SAML/OIDC provider ARN; a service principal; `anonymous`.
    pub principal: String,
    pub action: String,
    pub resource: String,
    /// Request context given by the caller; principal- and resource-derived keys are added unless present.
    pub context: Context,
    /// Session name for role principals (default `sightline`).
    pub session_name: Option<String>,
    /// A session policy in force for the request.
    pub session_policy: Option<PolicyDocument>,
}

/// A principal allowed by `who_can`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Allowed {
    pub principal: String,
    pub principal_type: &'static str,
    pub explanation: Explanation,
}

/// The parsed policies of a snapshot, indexed for evaluation.
pub struct Authorizer<'s> {
    snapshot: &'s Snapshot,
    parsed: Vec<Parsed>,
    principals: Vec<PrincipalEntry>,
    principal_by_arn: HashMap<&'s str, usize>,
    role_by_account_name: HashMap<(&'s str, String), usize>,
    resource_by_arn: HashMap<&'s str, (usize, Option<usize>)>,
    /// For each organization policy id, its parsed index.
    org_policy: HashMap<&'s str, usize>,
    /// Organization policy attachments: target id -> policy ids.
    attachments: HashMap<&'s str, Vec<&'s str>>,
    org_paths: HashMap<&'s str, OrgPath>,
    scps_enabled: bool,
    rcps_enabled: bool,
    /// `aws:CurrentTime` and `aws:EpochTime` of requests: the moment the authorizer was built.
    now: (String, String),
    /// The source named in explanations for a query's session policy.
    session_source: PolicySource,
}

const DEFAULT_SESSION: &str = "sightline";

impl<'s> Authorizer<'s> {
    /// Parses every AWS policy of the snapshot. Every policy that cannot be read is reported; none is skipped.
    pub fn new(snapshot: &'s Snapshot) -> Result<Authorizer<'s>, Vec<LoadError>> {
        // Policies are gathered first and parsed together at the end, on every core. A policy's index is its place
        // in `jobs`. Reference faults are kept with the number of policies gathered before them, so that the
        // faults are reported in snapshot order whichever way they arise.
        let mut jobs: Vec<Job<'s>> = Vec::new();
        let mut errors: Vec<(usize, LoadError)> = Vec::new();
        let add = |source: PolicySource, text: Cow<'s, str>, kind: PolicyType, jobs: &mut Vec<Job<'s>>| {
            jobs.push(Job { source, text, kind });
            Some(jobs.len() - 1)
        };

        let mut managed: HashMap<&str, usize> = HashMap::default();
        let mut boundaries: HashMap<&str, usize> = HashMap::default();
        let mut org_policy = HashMap::default();
        let mut scps_enabled = false;
        let mut rcps_enabled = false;
        for p in snapshot.policies.iter().filter(|p| p.provider == Provider::Aws) {
            let (kind, map) = match p.kind {
                PolicyKind::CustomerManaged | PolicyKind::ProviderManaged => (PolicyType::Identity, &mut managed),
                PolicyKind::ServiceControl => {
                    scps_enabled = true;
                    (PolicyType::ServiceControl, &mut org_policy)
                }
                PolicyKind::ResourceControl => {
                    rcps_enabled = true;
                    (PolicyType::ResourceControl, &mut org_policy)
                }
                PolicyKind::RoleDefinition => continue,
            };
            if let Some(i) = add(source(kind, p.id.clone(), &p.name), Cow::Borrowed(p.document.get()), kind, &mut jobs)
            {
                map.insert(p.id.as_str(), i);
            }
        }
        // A managed policy used as a boundary is evaluated as a boundary: parse it again under that name.
        for pr in snapshot.principals.iter().filter(|p| p.provider == Provider::Aws) {
            if let Some(b) = &pr.permissions_boundary {
                if boundaries.contains_key(b.as_str()) {
                    continue;
                }
                if let Some(policy) = snapshot.policies.iter().find(|p| &p.id == b) {
                    let kind = PolicyType::PermissionsBoundary;
                    if let Some(i) = add(
                        source(kind, policy.id.clone(), &policy.name),
                        Cow::Borrowed(policy.document.get()),
                        kind,
                        &mut jobs,
                    ) {
                        boundaries.insert(b.as_str(), i);
                    }
                }
            }
        }

        let groups: HashMap<&str, &Principal> = snapshot
            .principals
            .iter()
            .filter(|p| p.provider == Provider::Aws && p.kind == PrincipalKind::Group)
            .map(|p| (p.id.as_str(), p))
            .collect();
        let mut group_inline: HashMap<&str, Vec<usize>> = HashMap::default();
        for g in groups.values() {
            let mut ids = Vec::new();
            for inline in &g.inline_policies {
                let id = format!("{}#inline/{}", g.id, inline.name);
                let name = format!("{} (inline in group {})", inline.name, g.name);
                if let Some(i) = add(
                    source(PolicyType::Identity, id, &name),
                    Cow::Borrowed(inline.document.get()),
                    PolicyType::Identity,
                    &mut jobs,
                ) {
                    ids.push(i);
                }
            }
            group_inline.insert(g.id.as_str(), ids);
        }

        let mut principals = Vec::new();
        let mut principal_by_arn = HashMap::default();
        let mut role_by_account_name = HashMap::default();
        for (index, pr) in snapshot.principals.iter().enumerate() {
            if pr.provider != Provider::Aws
                || !matches!(pr.kind, PrincipalKind::User | PrincipalKind::Role | PrincipalKind::IdentityProvider)
            {
                continue;
            }
            let mut identity = Vec::new();
            for inline in &pr.inline_policies {
                let id = format!("{}#inline/{}", pr.id, inline.name);
                let name = format!("{} (inline in {})", inline.name, pr.name);
                if let Some(i) = add(
                    source(PolicyType::Identity, id, &name),
                    Cow::Borrowed(inline.document.get()),
                    PolicyType::Identity,
                    &mut jobs,
                ) {
                    identity.push(i);
                }
            }
            for m in &pr.attached_policies {
                match managed.get(m.as_str()) {
                    Some(i) => identity.push(*i),
                    None => errors.push((jobs.len(), missing(&pr.id, m))),
                }
            }
            for g in &pr.groups {
                let Some(group) = groups.get(g.as_str()) else {
                    errors.push((
                        jobs.len(),
                        LoadError {
                            policy: pr.id.clone(),
                            error: PolicyError {
                                statement: None,
                                sid: None,
                                message: format!("member of group {g} which is not in the snapshot"),
                            },
                        },
                    ));
                    continue;
                };
                identity.extend(group_inline.get(g.as_str()).into_iter().flatten().copied());
                for m in &group.attached_policies {
                    match managed.get(m.as_str()) {
                        Some(i) => identity.push(*i),
                        None => errors.push((jobs.len(), missing(&group.id, m))),
                    }
                }
            }
            let boundary = match &pr.permissions_boundary {
                Some(b) => match boundaries.get(b.as_str()) {
                    Some(i) => Some(*i),
                    None => {
                        errors.push((jobs.len(), missing(&pr.id, b)));
                        None
                    }
                },
                None => None,
            };
            let trust = match &pr.trust_policy {
                Some(doc) => add(
                    source(PolicyType::Trust, format!("{}#trust", pr.id), &format!("trust policy of {}", pr.name)),
                    Cow::Borrowed(doc.get()),
                    PolicyType::Trust,
                    &mut jobs,
                ),
                None => None,
            };
            if pr.kind == PrincipalKind::Role {
                role_by_account_name.insert((pr.account_id.as_str(), pr.name.clone()), principals.len());
            }
            principal_by_arn.insert(pr.id.as_str(), principals.len());
            principals.push(PrincipalEntry {
                index,
                identity,
                boundary,
                trust,
                service_linked: pr.path.as_deref().is_some_and(|p| p.starts_with("/aws-service-role/")),
            });
        }

        let mut resource_by_arn = HashMap::default();
        for (index, r) in snapshot.resources.iter().enumerate().filter(|(_, r)| r.provider == Provider::Aws) {
            let text = match kms_grants_as_statements(r) {
                Some(with_grants) => Some(Cow::Owned(with_grants)),
                None => r.policy.as_ref().map(|d| Cow::Borrowed(d.get())),
            };
            let policy = match text {
                Some(doc) => add(
                    source(PolicyType::Resource, format!("{}#policy", r.id), &format!("policy of {}", r.name_or_id())),
                    doc,
                    PolicyType::Resource,
                    &mut jobs,
                ),
                None => None,
            };
            resource_by_arn.insert(r.id.as_str(), (index, policy));
        }

        let mut attachments: HashMap<&str, Vec<&str>> = HashMap::default();
        let mut org_paths = HashMap::default();
        for org in snapshot.organizations.iter().filter(|o| o.provider == Provider::Aws) {
            for a in &org.attachments {
                attachments.entry(a.target_id.as_str()).or_default().push(a.policy_id.as_str());
            }
            let parents: HashMap<&str, Option<&str>> =
                org.units.iter().map(|u| (u.id.as_str(), u.parent_id.as_deref())).collect();
            for account in snapshot.accounts.iter().filter(|a| a.organization_id.as_deref() == Some(org.id.as_str())) {
                let mut path = vec![account.id.clone()];
                let mut cursor = account.parent_id.as_deref();
                while let Some(unit) = cursor {
                    if path.len() > 64 || path.iter().any(|p| p == unit) {
                        break; // a cycle in malformed data; the importer rejects those
                    }
                    path.push(unit.to_string());
                    cursor = parents.get(unit).copied().flatten();
                }
                path.reverse();
                org_paths.insert(
                    account.id.as_str(),
                    OrgPath {
                        org_id: org.id.clone(),
                        path,
                        management: org.management_account_id.as_deref() == Some(account.id.as_str()),
                    },
                );
            }
        }

        let same_text: Vec<usize> = {
            let mut first: HashMap<&str, usize> = HashMap::default();
            jobs.iter()
                .enumerate()
                .map(|(i, j)| match j.kind {
                    PolicyType::Trust | PolicyType::Resource => *first.entry(j.text.as_ref()).or_insert(i),
                    _ => i,
                })
                .collect()
        };
        let mut parsed = parse_all(jobs, errors)?;
        for (p, same) in parsed.iter_mut().zip(same_text) {
            p.same_text = same;
        }
        Ok(Authorizer {
            snapshot,
            parsed,
            principals,
            principal_by_arn,
            role_by_account_name,
            resource_by_arn,
            org_policy,
            attachments,
            org_paths,
            scps_enabled,
            rcps_enabled,
            now: {
                let now = chrono::Utc::now();
                (now.format("%Y-%m-%dT%H:%M:%SZ").to_string(), now.timestamp().to_string())
            },
            session_source: PolicySource {
                policy_type: PolicyType::Session,
                id: "session-policy".into(),
                name: "session policy".into(),
            },
        })
    }

    fn policy_ref(&self, i: usize) -> PolicyRef<'_> {
        let p = &self.parsed[i];
        PolicyRef { source: &p.source, document: &p.document }
    }

    fn levels(&self, account: &str) -> Option<Vec<Level<'_>>> {
        let path = self.org_paths.get(account)?;
        Some(
            path.path
                .iter()
                .map(|target| Level {
                    target: target.clone(),
                    policies: self
                        .attachments
                        .get(target.as_str())
                        .into_iter()
                        .flatten()
                        .filter_map(|id| self.org_policy.get(id).map(|i| self.policy_ref(*i)))
                        .collect(),
                })
                .collect(),
        )
    }

    fn levels_of(&self, account: &str, kind: PolicyType) -> Option<Vec<Level<'_>>> {
        let mut levels = self.levels(account)?;
        for level in &mut levels {
            level.policies.retain(|p| p.source.policy_type == kind);
        }
        Some(levels)
    }

    /// The principals (users and roles) the authorizer knows, in snapshot order.
    pub fn principal_arns(&self) -> impl Iterator<Item = &str> {
        self.principals.iter().map(|e| self.snapshot.principals[e.index].id.as_str())
    }

    /// Resolves a principal argument into the caller of a request and, for IAM principals, its entry.
    fn resolve(&self, principal: &str, session_name: Option<&str>) -> Result<Caller<'_>, QueryError> {
        let unknown = || QueryError::UnknownPrincipal(principal.to_string());
        let mut caller =
            RequestPrincipal::from_arn(principal, session_name.unwrap_or(DEFAULT_SESSION)).ok_or_else(unknown)?;
        let outside = matches!(
            caller.principal_type,
            PrincipalType::User | PrincipalType::RoleSession | PrincipalType::FederatedUser
        ) && !self.snapshot.accounts.iter().any(|a| a.id == caller.account);
        if outside {
            // A principal of an account we know nothing about: its identity side is unknown.
            return Ok(Caller { principal: caller, entry: None, identity_unknown: true });
        }
        let entry = match caller.principal_type {
            PrincipalType::User => Some(*self.principal_by_arn.get(principal).ok_or_else(unknown)?),
            PrincipalType::RoleSession => {
                // A session ARN names the role without its path: find the role by account and name.
                let name = caller.role_arn.as_deref().and_then(|r| r.rsplit('/').next()).unwrap_or_default();
                let i =
                    *self.role_by_account_name.get(&(caller.account.as_str(), name.to_string())).ok_or_else(unknown)?;
                if principal.starts_with("arn:aws:iam::") && self.principal_by_arn.get(principal) != Some(&i) {
                    return Err(unknown());
                }
                Some(i)
            }
            // Identity providers are not part of an IAM authorization export: trust policies name them by ARN.
            PrincipalType::IdentityProvider => None,
            PrincipalType::FederatedUser => return Err(unknown()),
            _ => None,
        };
        let entry = entry.map(|i| &self.principals[i]);
        if let Some(e) = entry {
            let model = &self.snapshot.principals[e.index];
            if model.kind == PrincipalKind::Role {
                caller.role_arn = Some(model.id.clone());
            }
            caller.service_linked = e.service_linked;
        }
        Ok(Caller { principal: caller, entry, identity_unknown: false })
    }

    /// Finds the resource a request targets: the exact ARN, an S3 object's bucket, or a role (for `sts:AssumeRole*`).
    fn resource_of(&self, resource: &str) -> (Option<&'s Resource>, Option<usize>, Option<&'s Principal>) {
        if let Some((i, policy)) = self.resource_by_arn.get(resource) {
            return (Some(&self.snapshot.resources[*i]), *policy, None);
        }
        if let Some(rest) = resource.strip_prefix("arn:aws:s3:::") {
            if let Some((bucket, _key)) = rest.split_once('/') {
                let bucket_arn = format!("arn:aws:s3:::{bucket}");
                if let Some((i, policy)) = self.resource_by_arn.get(bucket_arn.as_str()) {
                    return (Some(&self.snapshot.resources[*i]), *policy, None);
                }
            }
        }
        if let Some(entry) = self.principal_by_arn.get(resource) {
            let entry = &self.principals[*entry];
            let model = &self.snapshot.principals[entry.index];
            if model.kind == PrincipalKind::Role {
                return (None, entry.trust, Some(model));
            }
        }
        (None, None, None)
    }

    /// Whether any identity-based policy of `principal` (its own or its groups') has an `Allow` statement whose
    /// `Action` covers `action`, whatever its resource and conditions. When false, only a resource-based policy
    /// could allow the request: a caller can skip requests on resources that have none. True for a principal the
    /// snapshot does not hold (its policies are unknown).
    pub fn identity_may_allow(&self, principal: &str, action: &str) -> bool {
        let Some(entry) = self.principal_by_arn.get(principal).map(|i| &self.principals[*i]) else { return true };
        let action = action.to_ascii_lowercase();
        entry.identity.iter().any(|i| {
            self.parsed[*i]
                .document
                .statements
                .iter()
                .any(|s| s.effect == crate::policy::Effect::Allow && s.action.covers(&action))
        })
    }

    /// Whether `role`'s trust policy has an `Allow` statement that names `principal` itself (its ARN), or every
    /// principal (`*` or a `NotPrincipal`): the grants that need nothing from the caller's own policies within the
    /// account. False for a role the snapshot does not hold.
    pub fn trust_names_directly(&self, role: &str, principal: &str) -> bool {
        self.direct_grants(role).any(|m| m.wildcard || m.negated || m.aws.iter().any(|a| a == principal))
    }

    /// Whom `role`'s trust policy names directly, as [`trust_names_directly`](Self::trust_names_directly) reads
    /// it: `(true, _)` when it names every principal, else the ARNs and account ids its `Allow` statements name.
    pub fn trust_named(&self, role: &str) -> (bool, Vec<&str>) {
        let mut named = Vec::new();
        for m in self.direct_grants(role) {
            if m.wildcard || m.negated {
                return (true, Vec::new());
            }
            named.extend(m.aws.iter().map(String::as_str));
        }
        (false, named)
    }

    /// The `Principal`/`NotPrincipal` elements of the `Allow` statements of `role`'s trust policy.
    fn direct_grants(&self, role: &str) -> impl Iterator<Item = &crate::policy::PrincipalMatcher> {
        let trust = self.principal_by_arn.get(role).and_then(|i| self.principals[*i].trust);
        trust
            .into_iter()
            .flat_map(|t| self.parsed[t].document.statements.iter())
            .filter(|s| s.effect == crate::policy::Effect::Allow)
            .filter_map(|s| s.principal.as_ref())
    }

    /// Whether `role`'s trust policy has an `Allow` statement that names the AWS service `service`
    /// (`lambda.amazonaws.com`) or every principal: the only trust policies that may let the service assume it.
    pub fn trust_names_service(&self, role: &str, service: &str) -> bool {
        let Some(trust) = self.principal_by_arn.get(role).and_then(|i| self.principals[*i].trust) else {
            return false;
        };
        self.parsed[trust].document.statements.iter().any(|s| {
            s.effect == crate::policy::Effect::Allow
                && s.principal
                    .as_ref()
                    .is_some_and(|m| m.wildcard || m.negated || m.service.iter().any(|x| x == service))
        })
    }

    /// Evaluates one query.
    pub fn check(&self, query: &Query) -> Result<Explanation, QueryError> {
        validate(&query.action, &query.resource)?;
        let caller = self.resolve(&query.principal, query.session_name.as_deref())?;
        let mut explanation = self.evaluate_for(&caller, query);
        explanation.notes.extend(request_notes(&query.action, &query.resource));
        Ok(explanation)
    }

    fn evaluate_for(&self, caller: &Caller<'_>, query: &Query) -> Explanation {
        let session = query.session_policy.as_ref().map(|d| PolicyRef { source: &self.session_source, document: d });
        let prepared = self.prepare(caller, &query.resource, &query.context, session);
        self.evaluate_prepared(caller, &prepared, &query.action, &query.resource)
    }

    /// What evaluating a request of `caller` on `resource` needs whatever its action: the request context with every
    /// key the caller and the resource imply, and the policies that apply.
    fn prepare<'a>(
        &'a self,
        caller: &Caller<'_>,
        resource_arn: &str,
        context: &Context,
        session: Option<PolicyRef<'a>>,
    ) -> Prepared<'a, 's> {
        let mut context = context.clone();
        self.fill_principal_context(&mut context, &caller.principal, caller.entry);
        self.prepare_filled(caller, resource_arn, context, session)
    }

    /// [`prepare`](Self::prepare) given a context that already holds the keys the caller implies.
    fn prepare_filled<'a>(
        &'a self,
        caller: &Caller<'_>,
        resource_arn: &str,
        mut context: Context,
        session: Option<PolicyRef<'a>>,
    ) -> Prepared<'a, 's> {
        let principal = &caller.principal;
        let entry = caller.entry;
        let (resource, resource_policy, role) = self.resource_of(resource_arn);
        let resource_account: Option<String> = resource
            .map(|r| r.account_id.clone())
            .or_else(|| role.map(|r| r.account_id.clone()))
            .or_else(|| crate::arn::account_of(resource_arn).map(str::to_string));
        if let Some(account) = &resource_account {
            context.insert_default("aws:ResourceAccount", vec![account.clone()]);
            if let Some(path) = self.org_paths.get(account.as_str()) {
                context.insert_default("aws:ResourceOrgID", vec![path.org_id.clone()]);
                context.insert_default("aws:ResourceOrgPaths", vec![org_path_string(path)]);
            }
        }
        // Keys every real request carries: AWS SDKs always use TLS, regional requests name their region, and a
        // request happens now. A caller can override each with --context.
        context.insert_default("aws:SecureTransport", vec!["true".into()]);
        context.insert_default("aws:RequestedRegion", vec![requested_region(resource_arn).to_string()]);
        context.insert_default("aws:CurrentTime", vec![self.now.0.clone()]);
        context.insert_default("aws:EpochTime", vec![self.now.1.clone()]);
        let tags = resource.map(|r| &r.tags).or_else(|| role.map(|r| &r.tags));
        for (k, v) in tags.into_iter().flatten() {
            context.insert_default(&format!("aws:ResourceTag/{k}"), vec![v.clone()]);
        }

        let external = entry.is_none();
        let mut set = PolicySet {
            identity_unknown: caller.identity_unknown,
            identity: entry.map(|e| e.identity.iter().map(|i| self.policy_ref(*i)).collect()).unwrap_or_default(),
            boundary: entry.and_then(|e| e.boundary).map(|i| self.policy_ref(i)),
            session,
            scps: None,
            rcps: None,
            resource: resource_policy.map(|i| self.policy_ref(i)),
        };
        if self.scps_enabled && !external {
            // (A caller outside the snapshot has no known organization path, so no SCP is applied to it.)
            if let Some(path) = self.org_paths.get(principal.account.as_str()) {
                if !path.management {
                    set.scps = self.levels_of(&principal.account, PolicyType::ServiceControl);
                }
            }
        }
        if self.rcps_enabled {
            if let Some(account) = &resource_account {
                if let Some(path) = self.org_paths.get(account.as_str()) {
                    if !path.management {
                        set.rcps = self.levels_of(account, PolicyType::ResourceControl);
                    }
                }
            }
        }
        Prepared {
            context,
            set,
            resource_account,
            in_snapshot: resource.is_some() || role.is_some(),
            is_role: role.is_some(),
            _snapshot: std::marker::PhantomData,
        }
    }

    /// Evaluates one action of a prepared request.
    fn evaluate_prepared(
        &self,
        caller: &Caller<'_>,
        prepared: &Prepared<'_, 's>,
        action: &str,
        resource: &str,
    ) -> Explanation {
        let is_assume_role = action.get(..14).is_some_and(|p| p.eq_ignore_ascii_case("sts:assumerole"));
        let request = Request {
            principal: &caller.principal,
            action,
            resource,
            resource_account: prepared.resource_account.as_deref(),
            context: &prepared.context,
        };
        let mut explanation = if is_assume_role && !prepared.is_role && prepared.set.resource.is_some() {
            // Only a role's trust policy is the resource policy of an AssumeRole request.
            let mut set = prepared.set.clone();
            set.resource = None;
            evaluate(&request, &set)
        } else {
            evaluate(&request, &prepared.set)
        };
        if unseen_policy(prepared.in_snapshot, resource) {
            explanation.notes.push(format!(
                "{resource} is not in the snapshot: a resource-based policy it may have was not evaluated"
            ));
        }
        if action.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("s3:")) {
            explanation.notes.push("S3 ACLs are not evaluated (bucket owner enforced is assumed)".into());
        }
        explanation
    }

    fn fill_principal_context(
        &self,
        context: &mut Context,
        principal: &RequestPrincipal,
        entry: Option<&PrincipalEntry>,
    ) {
        let model = entry.map(|e| &self.snapshot.principals[e.index]);
        let org = self.org_paths.get(principal.account.as_str());
        let org_path = org.map(org_path_string);
        let facts = PrincipalFacts {
            user_name: model.filter(|m| m.kind == PrincipalKind::User).map(|m| m.name.as_str()),
            unique_id: model.and_then(|m| m.unique_id.as_deref()),
            tags: model.map(|m| &m.tags),
            org_id: org.map(|o| o.org_id.as_str()),
            org_path: org_path.as_deref(),
        };
        add_principal_context(context, principal, &facts);
    }

    /// Principals named by the resource's policy (or role trust policy) that are not users or roles of an imported
    /// account: each account as its root ARN (standing for "some principal of that account"), specific external
    /// ARNs, services, identity providers, and `anonymous` for `*`.
    fn external_candidates(&self, resource: &str, action: &str) -> Vec<String> {
        let (_, policy, _) = self.resource_of(resource);
        let Some(policy) = policy else { return Vec::new() };
        let known = |arn: &str| self.principal_by_arn.contains_key(arn);
        let imported = |account: &str| self.snapshot.accounts.iter().any(|a| a.id == account);
        let mut out: Vec<String> = Vec::new();
        let is_assume = action.to_ascii_lowercase().starts_with("sts:assumerole");
        for s in &self.parsed[policy].document.statements {
            let Some(m) = &s.principal else { continue };
            if s.effect != crate::policy::Effect::Allow {
                continue;
            }
            if m.wildcard || m.negated {
                out.push("anonymous".into());
            }
            for a in &m.aws {
                let account = if a.len() == 12 { a.as_str() } else { crate::arn::account_of(a).unwrap_or_default() };
                if a.len() == 12 || a.ends_with(":root") {
                    if !imported(account) {
                        out.push(format!("arn:aws:iam::{account}:root"));
                    }
                } else if !known(a) && !imported(account) {
                    out.push(a.clone());
                }
            }
            out.extend(m.service.iter().cloned());
            if is_assume {
                out.extend(m.federated.iter().filter(|f| f.starts_with("arn:")).cloned());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Every user and role allowed to perform `action` on `resource`, each with its explanation.
    pub fn who_can(&self, action: &str, resource: &str, context: &Context) -> Result<Vec<Allowed>, QueryError> {
        let mut query = Query {
            principal: String::new(),
            action: action.into(),
            resource: resource.into(),
            context: context.clone(),
            session_name: None,
            session_policy: None,
        };
        // Validate once.
        validate(action, resource)?;
        let mut out = Vec::new();
        for entry in &self.principals {
            let model = &self.snapshot.principals[entry.index];
            if !matches!(model.kind, PrincipalKind::User | PrincipalKind::Role) {
                continue;
            }
            query.principal.clone_from(&model.id);
            let Ok(caller) = self.resolve(&model.id, None) else { continue };
            let explanation = self.evaluate_for(&caller, &query);
            if explanation.decision == crate::eval::Decision::Allow {
                out.push(Allowed {
                    principal: model.id.clone(),
                    principal_type: if model.kind == PrincipalKind::User { "user" } else { "role" },
                    explanation,
                });
            }
        }
        out.extend(self.external_access(action, resource, context)?);
        Ok(out)
    }

    /// The principals outside the snapshot that the resource's own policy names and lets perform `action` on
    /// `resource`: other accounts, their users and roles, services, identity providers, and everyone (`*`,
    /// reported as `public`). Each is evaluated like any request, so conditions the caller cannot meet (a VPC
    /// endpoint, an organization id, a source ARN absent from `context`) keep it out.
    pub fn external_access(&self, action: &str, resource: &str, context: &Context) -> Result<Vec<Allowed>, QueryError> {
        Ok(self.external_access_actions(&[action], resource, context)?.pop().unwrap_or_default())
    }

    /// [`external_access`](Self::external_access) for several actions on one resource, one list per action: each
    /// outside principal is resolved, and its request context built, once for all the actions.
    pub fn external_access_actions(
        &self,
        actions: &[&str],
        resource: &str,
        context: &Context,
    ) -> Result<Vec<Vec<Allowed>>, QueryError> {
        for action in actions {
            validate_action(action)?;
        }
        validate_resource(resource)?;
        let mut out: Vec<Vec<Allowed>> = actions.iter().map(|_| Vec::new()).collect();
        let is_assume = |a: &str| a.get(..14).is_some_and(|p| p.eq_ignore_ascii_case("sts:assumerole"));
        // Assume actions try accounts through a stand-in user and also federated principals: the two kinds of
        // action are asked separately.
        for assume in [false, true] {
            let group: Vec<usize> = (0..actions.len()).filter(|i| is_assume(actions[*i]) == assume).collect();
            let Some(&first) = group.first() else { continue };
            for candidate in self.external_candidates(resource, actions[first]) {
                // An account named in a trust policy delegates to its IAM users and roles: the root user itself
                // cannot assume roles, so the account is tried through one of its users (the account's own
                // policies, unknown here, are taken to allow).
                let stand_in = match candidate.strip_suffix(":root") {
                    Some(account) if assume => format!("{account}:user/any-principal-of-the-account"),
                    _ => candidate.clone(),
                };
                let Ok(caller) = self.resolve(&stand_in, None) else { continue };
                let prepared = self.prepare(&caller, resource, context, None);
                for &i in &group {
                    let explanation = self.evaluate_prepared(&caller, &prepared, actions[i], resource);
                    if explanation.decision != crate::eval::Decision::Allow {
                        continue;
                    }
                    let principal_type = match caller.principal.principal_type {
                        PrincipalType::Anonymous => "public",
                        PrincipalType::Service => "service",
                        PrincipalType::IdentityProvider => "identity provider",
                        PrincipalType::Root => "external account",
                        _ if stand_in != candidate => "external account",
                        _ => "external",
                    };
                    let principal = if caller.principal.principal_type == PrincipalType::Anonymous {
                        "*".to_string()
                    } else {
                        candidate.clone()
                    };
                    out[i].push(Allowed { principal, principal_type, explanation });
                }
            }
        }
        Ok(out)
    }

    /// [`check`](Self::check) for one action of one principal on several resources, one explanation per resource:
    /// the principal is resolved, and its part of the request context built, once for all the resources.
    pub fn check_resources(
        &self,
        principal: &str,
        action: &str,
        resources: &[&str],
        context: &Context,
    ) -> Result<Vec<Explanation>, QueryError> {
        self.answer_resources(principal, action, resources, context, true)
    }

    /// [`check_resources`](Self::check_resources) without the action database's warnings about each request (an
    /// unknown action, a resource of the wrong type) in the notes: for callers that keep only the decision and
    /// the statements, such as the security graph.
    pub fn decide_resources(
        &self,
        principal: &str,
        action: &str,
        resources: &[&str],
        context: &Context,
    ) -> Result<Vec<Explanation>, QueryError> {
        self.answer_resources(principal, action, resources, context, false)
    }

    fn answer_resources(
        &self,
        principal: &str,
        action: &str,
        resources: &[&str],
        context: &Context,
        with_request_notes: bool,
    ) -> Result<Vec<Explanation>, QueryError> {
        validate_action(action)?;
        for resource in resources {
            validate_resource(resource)?;
        }
        let caller = self.resolve(principal, None)?;
        let mut base = context.clone();
        self.fill_principal_context(&mut base, &caller.principal, caller.entry);
        let action_lower = action.to_ascii_lowercase();
        let caller_side = self.caller_resource_elements(&caller, &action_lower);
        let mut sides = Sides { account: Vec::new(), own: Vec::new() };
        let mut shared: HashMap<ShareKey<'_>, Shared> = HashMap::default();
        let mut answers = Vec::with_capacity(resources.len());
        for resource in resources {
            let key = caller_side.as_ref().and_then(|caller_side| {
                self.share_key(&caller, caller_side, &mut sides, &action_lower, resource, &base)
            });
            let mut explanation = match key.as_ref().and_then(|(key, _)| shared.get(key)) {
                Some(share) if share.reusable => share.for_resource(self, key.as_ref().and_then(|(_, policy)| *policy)),
                _ => {
                    let prepared = self.prepare_filled(&caller, resource, base.clone(), None);
                    let explanation = self.evaluate_prepared(&caller, &prepared, action, resource);
                    if let Some((key, policy)) = key {
                        shared.entry(key).or_insert_with(|| Shared::new(self, resource, policy, &explanation));
                    }
                    explanation
                }
            };
            if with_request_notes {
                explanation.notes.extend(request_notes(action, resource));
            }
            answers.push(explanation);
        }
        Ok(answers)
    }

    /// The `Resource` elements of the caller's own statements (identity policies, boundary, SCPs) that cover
    /// `action`: with the trust or resource policy's text and the resource's account, region and tags, which of
    /// them match is all an evaluation reads of the resource. `None` when one uses policy variables (its match
    /// would depend on the whole request context): then no two resources share an evaluation.
    fn caller_resource_elements(&self, caller: &Caller<'_>, action_lower: &str) -> Option<Vec<&ResourceMatcher>> {
        let mut policies: Vec<usize> = Vec::new();
        if let Some(entry) = caller.entry {
            policies.extend(&entry.identity);
            policies.extend(entry.boundary);
        }
        let mut elements = resource_elements(policies.iter().map(|i| &self.parsed[*i].document), action_lower)?;
        if self.scps_enabled && caller.entry.is_some() {
            for level in self.levels_of(&caller.principal.account, PolicyType::ServiceControl).into_iter().flatten() {
                elements.extend(resource_elements(level.policies.iter().map(|p| p.document), action_lower)?);
            }
        }
        Some(elements)
    }

    /// What an evaluation of `action` on `resource` reads of the resource (see [`ShareKey`]), with the index of
    /// its trust or resource policy; `None` when that cannot be told without evaluating.
    fn share_key<'k>(
        &'k self,
        caller: &Caller<'_>,
        caller_side: &[&ResourceMatcher],
        sides: &mut Sides<'k>,
        action_lower: &str,
        resource: &'k str,
        context: &Context,
    ) -> Option<(ShareKey<'k>, Option<usize>)> {
        let (model, policy, role) = self.resource_of(resource);
        let account: Option<&'k str> = model
            .map(|r| r.account_id.as_str())
            .or_else(|| role.map(|r| r.account_id.as_str()))
            .or_else(|| crate::arn::account_of(resource));
        // RCPs of the resource's account, once per account.
        let Sides { account: account_side, own: own_side } = sides;
        let rcps = match account_side.iter().position(|(a, _)| *a == account) {
            Some(i) => i,
            None => {
                let levels = account
                    .filter(|_| self.rcps_enabled)
                    .and_then(|a| self.org_paths.get(a).filter(|p| !p.management).map(|_| a))
                    .and_then(|a| self.levels_of(a, PolicyType::ResourceControl));
                let elements = levels.map_or(Some(Vec::new()), |levels| {
                    let mut all = Vec::new();
                    for level in &levels {
                        all.extend(resource_elements(level.policies.iter().map(|p| p.document), action_lower)?);
                    }
                    Some(all)
                });
                account_side.push((account, elements));
                account_side.len() - 1
            }
        };
        let rcp_side = account_side[rcps].1.as_ref()?;
        // The resource policy's own elements, once per policy text.
        let policy_text = policy.map(|i| self.parsed[i].same_text);
        let own = match (policy_text, own_side.iter().position(|(t, _)| *t == policy_text)) {
            (_, Some(i)) => i,
            (None, None) => {
                own_side.push((None, Some(Vec::new())));
                own_side.len() - 1
            }
            (Some(text), None) => {
                own_side
                    .push((Some(text), resource_elements(std::iter::once(&self.parsed[text].document), action_lower)));
                own_side.len() - 1
            }
        };
        let own = own_side[own].1.as_ref()?;
        if caller_side.len() + rcp_side.len() + own.len() > 128 {
            return None;
        }
        let mut matched: u128 = 0;
        for (bit, element) in caller_side.iter().chain(rcp_side).chain(own).enumerate() {
            if element.patterns.iter().any(|p| p.matches_arn(resource, context)) {
                matched |= 1 << bit;
            }
        }
        let key = ShareKey {
            policy_text,
            in_snapshot: model.is_some() || role.is_some(),
            unseen_policy: unseen_policy(model.is_some() || role.is_some(), resource),
            is_role: role.is_some(),
            account,
            region: requested_region(resource),
            tags: model.map(|r| &r.tags).or_else(|| role.map(|r| &r.tags)),
            rcps_apply: crate::data::rcps_apply(&caller.principal, action_lower, resource),
            explicit: crate::eval::needs_explicit_resource_allow(action_lower, resource),
            matched,
        };
        Some((key, policy))
    }

    /// [`check`](Self::check) for several actions of one principal on one resource, one explanation per action:
    /// the principal is resolved, and the request context built, once for all the actions.
    pub fn check_actions(
        &self,
        principal: &str,
        actions: &[&str],
        resource: &str,
        context: &Context,
    ) -> Result<Vec<Explanation>, QueryError> {
        for action in actions {
            validate_action(action)?;
        }
        validate_resource(resource)?;
        let caller = self.resolve(principal, None)?;
        let prepared = self.prepare(&caller, resource, context, None);
        Ok(actions
            .iter()
            .map(|action| {
                let mut explanation = self.evaluate_prepared(&caller, &prepared, action, resource);
                explanation.notes.extend(request_notes(action, resource));
                explanation
            })
            .collect())
    }
}

/// Warnings about the request itself, from the action database: an action AWS does not have (a typo never
/// matches what a policy meant), or a resource of a type the action does not take (such as `s3:GetObject` on a
/// bucket ARN rather than an object ARN): AWS would never authorize such a request, so its answer means little.
pub fn request_notes(action: &str, resource: &str) -> Vec<String> {
    let db = crate::actions::ActionDb::embedded();
    let Some(known) = db.action(action) else {
        let service = action.split(':').next().unwrap_or_default();
        return if db.service(service).is_some() {
            vec![format!("{action} is not an action of the {service} service (action data: {})", db.source())]
        } else {
            vec![format!("{service} is not a known AWS service prefix (action data: {})", db.source())]
        };
    };
    if resource == "*" || known.resource_types.is_empty() {
        return Vec::new();
    }
    if db.resource_types_for(known, resource).is_empty() {
        let types: Vec<&str> = known.resource_types.iter().map(|r| r.resource_type.as_str()).collect();
        return vec![format!(
            "{} acts on resources of type {}; {resource} is none of them, so AWS would not make this request",
            known.full_name(),
            types.join(", ")
        )];
    }
    Vec::new()
}

/// Checks that every policy, group and boundary a principal refers to is in the snapshot, without parsing any
/// document (an importer has already validated each one). [`Authorizer::new`] does this and much more.
pub fn check_references(snapshot: &Snapshot) -> Vec<LoadError> {
    let policies: std::collections::HashSet<&str> = snapshot.policies.iter().map(|p| p.id.as_str()).collect();
    let groups: std::collections::HashSet<&str> =
        snapshot.principals.iter().filter(|p| p.kind == PrincipalKind::Group).map(|p| p.id.as_str()).collect();
    let mut errors = Vec::new();
    for p in snapshot.principals.iter().filter(|p| p.provider == Provider::Aws) {
        for m in p.attached_policies.iter().chain(p.permissions_boundary.iter()) {
            if !policies.contains(m.as_str()) {
                errors.push(missing(&p.id, m));
            }
        }
        for g in &p.groups {
            if !groups.contains(g.as_str()) {
                errors.push(LoadError {
                    policy: p.id.clone(),
                    error: PolicyError {
                        statement: None,
                        sid: None,
                        message: format!("member of group {g} which is not in the snapshot"),
                    },
                });
            }
        }
    }
    errors
}

/// A resolved caller: the request principal, its snapshot entry (IAM principals of imported accounts), and whether
/// its identity side is unknown (a principal of an account outside the snapshot).
/// A request prepared for evaluation, whatever its action (see [`Authorizer::prepare`]).
struct Prepared<'a, 's> {
    context: Context,
    set: PolicySet<'a>,
    resource_account: Option<String>,
    /// The resource (or role) is in the snapshot, so its resource policy, if any, is in `set`.
    in_snapshot: bool,
    /// The resource is a role: for `sts:AssumeRole*`, its trust policy is the resource policy.
    is_role: bool,
    _snapshot: std::marker::PhantomData<&'s ()>,
}

/// Everything an evaluation reads of the resource of a request, the caller and action being fixed: two resources
/// with the same key get the same answer, except for the names of their own trust or resource policies.
#[derive(PartialEq, Eq, Hash)]
struct ShareKey<'k> {
    /// The first policy with the text of the resource's trust or resource policy.
    policy_text: Option<usize>,
    in_snapshot: bool,
    unseen_policy: bool,
    is_role: bool,
    account: Option<&'k str>,
    region: &'k str,
    tags: Option<&'k std::collections::BTreeMap<String, String>>,
    rcps_apply: bool,
    explicit: Option<&'static str>,
    /// Which `Resource` elements covering the action (caller's, RCPs', the resource policy's) match the resource,
    /// one bit each (at most 128; beyond that, nothing is shared).
    matched: u128,
}

/// The `Resource` elements covering the action of one call of `check_resources`, found once: of the RCPs of each
/// account, and of each trust or resource policy text (`None` where one uses policy variables).
struct Sides<'k> {
    account: Vec<(Option<&'k str>, Option<Vec<&'k ResourceMatcher>>)>,
    own: Vec<(Option<usize>, Option<Vec<&'k ResourceMatcher>>)>,
}

/// An evaluation that other resources with the same [`ShareKey`] reuse.
struct Shared {
    explanation: Explanation,
    /// The trust or resource policy of the resource it was made for.
    policy: Option<usize>,
    /// False when the explanation names that resource or its policy in words (its summary or notes): such an
    /// answer is not reused.
    reusable: bool,
}

impl Shared {
    fn new(authz: &Authorizer<'_>, resource: &str, policy: Option<usize>, explanation: &Explanation) -> Shared {
        let source = policy.map(|i| &authz.parsed[i].source);
        let names = |text: &str| {
            text.contains(resource) || source.is_some_and(|s| text.contains(&s.id) || text.contains(&s.name))
        };
        let reusable = !names(&explanation.summary) && !explanation.notes.iter().any(|n| names(n));
        Shared { explanation: explanation.clone(), policy, reusable }
    }

    /// The answer for another resource with the same key, whose own trust or resource policy is `policy`.
    fn for_resource(&self, authz: &Authorizer<'_>, policy: Option<usize>) -> Explanation {
        let mut explanation = self.explanation.clone();
        if let (Some(from), Some(to)) = (self.policy, policy) {
            let (from, to) = (&authz.parsed[from].source, &authz.parsed[to].source);
            for m in
                explanation.statements.iter_mut().filter(|m| m.policy_type == from.policy_type && m.policy == from.id)
            {
                m.policy.clone_from(&to.id);
                m.policy_name.clone_from(&to.name);
            }
        }
        explanation
    }
}

/// The `Resource`/`NotResource` elements of the statements of `documents` that cover `action_lower`; `None` when
/// one of them uses policy variables.
fn resource_elements<'d>(
    documents: impl Iterator<Item = &'d PolicyDocument>,
    action_lower: &str,
) -> Option<Vec<&'d ResourceMatcher>> {
    let mut elements = Vec::new();
    for document in documents {
        for s in document.statements.iter().filter(|s| s.action.covers(action_lower)) {
            if let Some(element) = &s.resource {
                if element.patterns.iter().any(|p| p.has_variables()) {
                    return None;
                }
                elements.push(element);
            }
        }
    }
    Some(elements)
}

struct Caller<'a> {
    principal: RequestPrincipal,
    entry: Option<&'a PrincipalEntry>,
    identity_unknown: bool,
}

/// Whether a resource-based policy the resource may have could not be evaluated: it is not in the snapshot (IAM
/// resources other than roles have no resource policy).
fn unseen_policy(in_snapshot: bool, resource: &str) -> bool {
    !in_snapshot && !resource.starts_with("arn:aws:iam::") && resource != "*"
}

/// `aws:RequestedRegion` of a request on `resource_arn`: the ARN's region, or `us-east-1` for global resources.
fn requested_region(resource_arn: &str) -> &str {
    crate::arn::Arn::parse(resource_arn)
        .ok()
        .map(|a| a.region)
        .filter(|r| !r.is_empty() && !r.contains('*'))
        .unwrap_or("us-east-1")
}

fn org_path_string(path: &OrgPath) -> String {
    // aws:PrincipalOrgPaths: o-id/r-id/ou-id/.../ (the account itself is not part of it).
    let mut s = format!("{}/", path.org_id);
    for unit in path.path.iter().take(path.path.len().saturating_sub(1)) {
        s.push_str(unit);
        s.push('/');
    }
    s
}

/// A KMS key's grants (as `ListGrants` returns them, under the resource's `Grants` property) allow their grantee
/// the listed operations: they are evaluated as extra statements of the key policy, each named `Grant NAME`.
/// Grant constraints (encryption context) are not modelled.
fn kms_grants_as_statements(r: &Resource) -> Option<String> {
    if r.resource_type != "AWS::KMS::Key" {
        return None;
    }
    let grants = r.properties.get("Grants")?.as_array()?;
    if grants.is_empty() {
        return None;
    }
    let mut policy: serde_json::Value = match &r.policy {
        Some(doc) => serde_json::from_str(doc.get()).ok()?,
        None => serde_json::json!({"Version": "2012-10-17", "Statement": []}),
    };
    let statements = match policy.get_mut("Statement") {
        Some(serde_json::Value::Array(items)) => items,
        Some(single) => {
            let one = single.take();
            *single = serde_json::Value::Array(vec![one]);
            single.as_array_mut()?
        }
        None => return None,
    };
    for g in grants {
        let Some(grantee) = g.get("GranteePrincipal").and_then(|v| v.as_str()) else { continue };
        let operations: Vec<String> = g
            .get("Operations")
            .and_then(|v| v.as_array())
            .map(|ops| ops.iter().filter_map(|o| o.as_str()).map(|o| format!("kms:{o}")).collect())
            .unwrap_or_default();
        if operations.is_empty() {
            continue;
        }
        let name = g.get("Name").or_else(|| g.get("GrantId")).and_then(|v| v.as_str()).unwrap_or("grant");
        let principal = if grantee.starts_with("arn:") {
            serde_json::json!({"AWS": grantee})
        } else {
            serde_json::json!({"Service": grantee})
        };
        statements.push(serde_json::json!({
            "Sid": format!("Grant {name}"), "Effect": "Allow", "Principal": principal, "Action": operations, "Resource": "*"
        }));
    }
    Some(policy.to_string())
}

/// A policy to parse, gathered by [`Authorizer::new`].
struct Job<'s> {
    source: PolicySource,
    text: Cow<'s, str>,
    kind: PolicyType,
}

/// Below this many policies, parsing stays on the calling thread.
const PARALLEL_FROM: usize = 2_000;

/// Parses every gathered policy, on every core for large snapshots. Returns the parsed policies in the order of
/// `jobs`, or every fault: the reference faults (each tagged with the number of policies gathered before it) and
/// the parse faults, in the order they were met.
fn parse_all(jobs: Vec<Job<'_>>, references: Vec<(usize, LoadError)>) -> Result<Vec<Parsed>, Vec<LoadError>> {
    let parse = |jobs: &[Job<'_>]| -> Vec<Result<PolicyDocument, PolicyError>> {
        jobs.iter().map(|j| PolicyDocument::parse(&j.text, j.kind)).collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let results: Vec<Result<PolicyDocument, PolicyError>> = if threads > 1 && jobs.len() >= PARALLEL_FROM {
        let chunk = jobs.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = jobs.chunks(chunk).map(|part| scope.spawn(move || parse(part))).collect();
            // A parse never panics on input; if a worker did, re-raise its panic rather than lose its policies.
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        })
    } else {
        parse(&jobs)
    };
    if references.is_empty() && results.iter().all(Result::is_ok) {
        return Ok(jobs
            .into_iter()
            .zip(results)
            .filter_map(|(job, result)| {
                result.ok().map(|document| Parsed { source: job.source, document, same_text: 0 })
            })
            .collect());
    }
    let mut errors = Vec::new();
    let mut references = references.into_iter().peekable();
    for (i, (job, result)) in jobs.into_iter().zip(results).enumerate() {
        while let Some((_, e)) = references.next_if(|(before, _)| *before <= i) {
            errors.push(e);
        }
        if let Err(error) = result {
            errors.push(LoadError { policy: job.source.id, error });
        }
    }
    errors.extend(references.map(|(_, e)| e));
    Err(errors)
}

/// Refuses an action that is not one `service:Name` (no wildcards) or a resource that is neither `*` nor an ARN.
fn validate(action: &str, resource: &str) -> Result<(), QueryError> {
    validate_action(action)?;
    validate_resource(resource)
}

fn validate_action(action: &str) -> Result<(), QueryError> {
    if !action.contains(':') || action.contains('*') || action.contains('?') {
        return Err(QueryError::InvalidAction(action.into()));
    }
    Ok(())
}

fn validate_resource(resource: &str) -> Result<(), QueryError> {
    if resource != "*" && crate::arn::Arn::parse(resource).is_err() {
        return Err(QueryError::InvalidResource(resource.into()));
    }
    Ok(())
}

fn source(policy_type: PolicyType, id: String, name: &str) -> PolicySource {
    PolicySource { policy_type, id, name: name.to_string() }
}

fn missing(principal: &str, policy: &str) -> LoadError {
    LoadError {
        policy: principal.to_string(),
        error: PolicyError {
            statement: None,
            sid: None,
            message: format!("attached policy {policy} is not in the snapshot"),
        },
    }
}

trait NameOrId {
    fn name_or_id(&self) -> &str;
}

impl NameOrId for Resource {
    fn name_or_id(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_model::{compact_document, InlinePolicy, Policy};

    fn policy(i: usize, document: &str) -> Policy {
        Policy {
            provider: Provider::Aws,
            id: format!("arn:aws:iam::123456789012:policy/p{i}"),
            kind: PolicyKind::CustomerManaged,
            name: format!("p{i}"),
            account_id: Some("123456789012".into()),
            document: compact_document(document).unwrap(),
            properties: serde_json::Value::Null,
        }
    }

    fn user(name: &str, attached: &[&str], inline: Option<&str>) -> Principal {
        Principal {
            provider: Provider::Aws,
            id: format!("arn:aws:iam::123456789012:user/{name}"),
            kind: PrincipalKind::User,
            account_id: "123456789012".into(),
            name: name.into(),
            path: None,
            unique_id: None,
            created_at: None,
            tags: Default::default(),
            attached_policies: attached.iter().map(|a| a.to_string()).collect(),
            inline_policies: inline
                .map(|d| InlinePolicy { name: "inline".into(), document: compact_document(d).unwrap() })
                .into_iter()
                .collect(),
            groups: Vec::new(),
            permissions_boundary: None,
            trust_policy: None,
            properties: serde_json::Value::Null,
        }
    }

    /// Large snapshots are parsed on several threads; every fault is still reported, in snapshot order, whether it
    /// is a policy that cannot be read or a reference to something missing.
    #[test]
    fn faults_are_reported_in_snapshot_order_when_parsed_in_parallel() {
        let good =
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let bad = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Bogus":1}]}"#;
        let mut s = Snapshot::new("test");
        let n = PARALLEL_FROM * 2;
        s.policies = (0..n).map(|i| policy(i, if i == 10 || i == n - 3 { bad } else { good })).collect();
        s.principals.push(user("a", &["arn:aws:iam::123456789012:policy/missing"], None));
        s.principals.push(user("b", &[], Some(bad)));
        s.principals.push(user("c", &["arn:aws:iam::123456789012:policy/p1"], Some(good)));
        let errors = Authorizer::new(&s).err().unwrap();
        let named: Vec<&str> = errors.iter().map(|e| e.policy.as_str()).collect();
        assert_eq!(
            named,
            vec![
                "arn:aws:iam::123456789012:policy/p10".to_string(),
                format!("arn:aws:iam::123456789012:policy/p{}", n - 3),
                "arn:aws:iam::123456789012:user/a".to_string(),
                "arn:aws:iam::123456789012:user/b#inline/inline".to_string(),
            ]
        );
        assert!(errors[0].to_string().contains("Bogus"), "{}", errors[0]);

        // Without faults, the same snapshot is evaluated with every policy in place.
        s.policies[10] = policy(10, good);
        s.policies[n - 3] = policy(n - 3, good);
        s.principals.truncate(0);
        s.principals.push(user("c", &["arn:aws:iam::123456789012:policy/p1"], Some(good)));
        let authz = Authorizer::new(&s).unwrap();
        let query = Query {
            principal: "arn:aws:iam::123456789012:user/c".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::b/k".into(),
            ..Default::default()
        };
        assert_eq!(authz.check(&query).unwrap().decision, crate::Decision::Allow);
    }

    /// One principal asked about many roles at once (roles sharing trust policy texts, tags, accounts and
    /// organization policies, so that many evaluations are shared) gets, role by role, what asking about each one
    /// gives, proofs included.
    #[test]
    fn many_resources_at_once_answer_like_one_at_a_time() {
        use rand::{Rng, SeedableRng};
        let doc = |statements: &str| {
            compact_document(&format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)).unwrap()
        };
        let trusts = [
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/u1"},"Action":"sts:AssumeRole"}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:ResourceTag/team":"a"}}}"#,
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/u2"},"Action":"sts:*"}"#,
            r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
        ];
        let grants = [
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/app-*"}"#,
            r#"{"Effect":"Allow","Action":"sts:*","Resource":"arn:aws:iam::111111111111:role/*"}"#,
            r#"{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/app-1*"}"#,
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","NotResource":"arn:aws:iam::123456789012:role/ops/*"}"#,
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"b"}}}"#,
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/${aws:username}-*"}"#,
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
        ];
        for seed in 0..40u64 {
            let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
            let mut s = Snapshot::new("test");
            for (id, parent) in [("123456789012", "ou-1"), ("111111111111", "r-1")] {
                s.accounts.push(sightline_model::Account {
                    provider: Provider::Aws,
                    id: id.into(),
                    name: None,
                    organization_id: Some("o-1".into()),
                    parent_id: Some(parent.into()),
                    tags: Default::default(),
                });
            }
            let org_policy = |id: &str, kind: PolicyKind, statements: &str| Policy {
                provider: Provider::Aws,
                id: id.into(),
                kind,
                name: id.into(),
                account_id: None,
                document: doc(statements),
                properties: serde_json::Value::Null,
            };
            let all = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;
            let rcp_deny = if rng.gen_bool(0.5) {
                r#",{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/app-2*"}"#
            } else {
                ""
            };
            let rcp_all = r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#;
            s.policies.push(org_policy("p-rcp", PolicyKind::ResourceControl, &format!("{rcp_all}{rcp_deny}")));
            s.policies.push(org_policy("p-scp", PolicyKind::ServiceControl, all));
            s.organizations.push(sightline_model::Organization {
                provider: Provider::Aws,
                id: "o-1".into(),
                management_account_id: Some("999999999999".into()),
                units: vec![
                    sightline_model::OrganizationUnit { id: "r-1".into(), name: "root".into(), parent_id: None },
                    sightline_model::OrganizationUnit {
                        id: "ou-1".into(),
                        name: "ou".into(),
                        parent_id: Some("r-1".into()),
                    },
                ],
                attachments: ["p-rcp", "p-scp"]
                    .iter()
                    .map(|p| sightline_model::PolicyAttachment { policy_id: p.to_string(), target_id: "r-1".into() })
                    .collect(),
            });
            let mut roles = Vec::new();
            for i in 0..30 {
                let account = if rng.gen_bool(0.7) { "123456789012" } else { "111111111111" };
                let path = if rng.gen_bool(0.2) { "ops/" } else { "" };
                let name = format!("{}-{i}", if rng.gen_bool(0.6) { "app" } else { "u1" });
                let mut role = user(&name, &[], None);
                role.kind = PrincipalKind::Role;
                role.account_id = account.into();
                role.id = format!("arn:aws:iam::{account}:role/{path}{name}");
                role.trust_policy = Some(doc(trusts[rng.gen_range(0..trusts.len())]));
                if let Some(team) = [Some("a"), Some("b"), None][rng.gen_range(0..3)] {
                    role.tags.insert("team".into(), team.into());
                }
                roles.push(role.id.clone());
                s.principals.push(role);
            }
            for u in 0..4 {
                let picked: Vec<&str> = grants.iter().copied().filter(|_| rng.gen_bool(0.35)).collect();
                let inline = (!picked.is_empty())
                    .then(|| format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, picked.join(",")));
                s.principals.push(user(&format!("u{u}"), &[], inline.as_deref()));
            }
            let authz = Authorizer::new(&s).unwrap();
            let mut resources: Vec<&str> = roles.iter().map(String::as_str).collect();
            resources.extend(["*", "arn:aws:s3:::b/k", "arn:aws:iam::123456789012:role/missing"]);
            for u in 0..4 {
                let principal = format!("arn:aws:iam::123456789012:user/u{u}");
                for action in ["sts:AssumeRole", "s3:GetObject"] {
                    let together = authz.check_resources(&principal, action, &resources, &Context::default()).unwrap();
                    let decided = authz.decide_resources(&principal, action, &resources, &Context::default()).unwrap();
                    for (with_notes, without) in together.iter().zip(&decided) {
                        assert_eq!(
                            (with_notes.decision, &with_notes.statements, &with_notes.summary),
                            (without.decision, &without.statements, &without.summary)
                        );
                    }
                    for (resource, together) in resources.iter().zip(&together) {
                        let query = Query {
                            principal: principal.clone(),
                            action: action.into(),
                            resource: resource.to_string(),
                            ..Default::default()
                        };
                        assert_eq!(
                            *together,
                            authz.check(&query).unwrap(),
                            "seed {seed}: {principal} {action} {resource}"
                        );
                    }
                }
            }
        }
    }

    /// Asking about several actions at once gives, action by action, what asking about each one gives.
    #[test]
    fn several_actions_at_once_answer_like_one_at_a_time() {
        let mut s = Snapshot::new("test");
        s.accounts.push(sightline_model::Account {
            provider: Provider::Aws,
            id: "123456789012".into(),
            name: None,
            organization_id: None,
            parent_id: None,
            tags: Default::default(),
        });
        let bucket_policy = r#"{"Version":"2012-10-17","Statement":[
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
            {"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["s3:ListBucket","s3:PutObject"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]},
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/r"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}},
            {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        s.resources.push(sightline_model::Resource {
            provider: Provider::Aws,
            id: "arn:aws:s3:::b".into(),
            resource_type: "AWS::S3::Bucket".into(),
            account_id: "123456789012".into(),
            region: Some("us-east-1".into()),
            name: "b".into(),
            policy: Some(compact_document(bucket_policy).unwrap()),
            tags: Default::default(),
            properties: Default::default(),
        });
        let mut role = user("x", &[], None);
        role.kind = PrincipalKind::Role;
        role.id = "arn:aws:iam::123456789012:role/x".into();
        role.trust_policy = Some(
            compact_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#)
                .unwrap(),
        );
        s.principals.push(role);
        let authz = Authorizer::new(&s).unwrap();
        let summary = |allowed: &[Allowed]| -> Vec<(String, &str, crate::Decision, Vec<usize>)> {
            allowed
                .iter()
                .map(|a| {
                    let statements = a.explanation.statements.iter().map(|s| s.statement).collect();
                    (a.principal.clone(), a.principal_type, a.explanation.decision, statements)
                })
                .collect()
        };
        for secure in ["true", "false"] {
            let mut context = Context::default();
            context.insert("aws:SecureTransport", vec![secure.into()]);
            let cases: [(&[&str], &str); 3] = [
                (&["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "arn:aws:s3:::b/k"),
                (&["s3:ListBucket", "s3:PutBucketPolicy"], "arn:aws:s3:::b"),
                (&["sts:AssumeRole", "sts:TagSession", "iam:GetRole"], "arn:aws:iam::123456789012:role/x"),
            ];
            for (actions, resource) in cases {
                let all = authz.external_access_actions(actions, resource, &context).unwrap();
                assert_eq!(all.len(), actions.len());
                for (action, together) in actions.iter().zip(&all) {
                    let alone = authz.external_access(action, resource, &context).unwrap();
                    assert_eq!(summary(together), summary(&alone), "{action} on {resource}");
                }
                let checked = authz.check_actions("anonymous", actions, resource, &context).unwrap();
                for (action, together) in actions.iter().zip(&checked) {
                    let query = Query {
                        principal: "anonymous".into(),
                        action: action.to_string(),
                        resource: resource.into(),
                        context: context.clone(),
                        ..Default::default()
                    };
                    assert_eq!(*together, authz.check(&query).unwrap(), "{action} on {resource}");
                }
            }
            let public = authz.external_access("s3:GetObject", "arn:aws:s3:::b/k", &context).unwrap();
            assert_eq!(public.iter().any(|a| a.principal_type == "public"), secure == "true");
            // One action on several resources at once: the same answers as one request at a time.
            let resources = ["arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:iam::123456789012:role/x", "*"];
            for (principal, action) in
                [("anonymous", "s3:GetObject"), ("arn:aws:iam::111122223333:root", "sts:AssumeRole")]
            {
                let together = authz.check_resources(principal, action, &resources, &context).unwrap();
                for (resource, together) in resources.iter().zip(&together) {
                    let query = Query {
                        principal: principal.into(),
                        action: action.into(),
                        resource: resource.to_string(),
                        context: context.clone(),
                        ..Default::default()
                    };
                    assert_eq!(*together, authz.check(&query).unwrap(), "{principal} {action} on {resource}");
                }
            }
        }
        assert!(authz.check_resources("anonymous", "s3:GetObject", &["not-an-arn"], &Context::default()).is_err());
        assert!(authz.external_access_actions(&["s3:Get*"], "arn:aws:s3:::b", &Context::default()).is_err());
        assert!(authz.check_actions("anonymous", &["s3:GetObject"], "not-an-arn", &Context::default()).is_err());
    }
}

#[cfg(test)]
mod external_tests {
    use super::*;
    use sightline_model::compact_document;

    /// An account named in a trust policy is reported as able to assume the role (through its own users and
    /// roles: its root user cannot assume roles), unless a condition it cannot meet stands in the way.
    #[test]
    fn accounts_named_in_a_trust_policy_can_assume_the_role() {
        let role = |name: &str, trust: &str| Principal {
            provider: Provider::Aws,
            id: format!("arn:aws:iam::123456789012:role/{name}"),
            kind: PrincipalKind::Role,
            account_id: "123456789012".into(),
            name: name.into(),
            path: None,
            unique_id: None,
            created_at: None,
            tags: Default::default(),
            attached_policies: Vec::new(),
            inline_policies: Vec::new(),
            groups: Vec::new(),
            permissions_boundary: None,
            trust_policy: Some(compact_document(trust).unwrap()),
            properties: serde_json::Value::Null,
        };
        let mut s = Snapshot::new("test");
        s.principals.push(role(
            "open",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"999999999999"},"Action":"sts:AssumeRole"}]}"#,
        ));
        s.principals.push(role(
            "guarded",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"k"}}}]}"#,
        ));
        let authz = Authorizer::new(&s).unwrap();
        let ctx = Context::default();
        let open = authz.external_access("sts:AssumeRole", "arn:aws:iam::123456789012:role/open", &ctx).unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(
            (open[0].principal.as_str(), open[0].principal_type),
            ("arn:aws:iam::999999999999:root", "external account")
        );
        assert!(authz
            .external_access("sts:AssumeRole", "arn:aws:iam::123456789012:role/guarded", &ctx)
            .unwrap()
            .is_empty());
        let mut with_id = Context::default();
        with_id.insert("sts:ExternalId", vec!["k".into()]);
        assert_eq!(
            authz.external_access("sts:AssumeRole", "arn:aws:iam::123456789012:role/guarded", &with_id).unwrap().len(),
            1
        );
    }
}
