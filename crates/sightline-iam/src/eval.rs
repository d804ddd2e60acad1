//! The evaluation engine: AWS's documented policy evaluation logic, one request at a time.
//!
//! Order, as AWS documents it: an explicit deny in any applicable policy decides; then every level of the resource
//! control policies (RCPs) and of the service control policies (SCPs) must allow; then, within one account, a
//! resource-based policy may allow by itself depending on which principal it names, otherwise the identity-based
//! policies must allow and the permissions boundary and session policy must not implicitly deny. Across accounts
//! both the identity side and the resource side must allow. Role trust policies and KMS key policies must allow
//! explicitly even within one account.

use crate::context::Context;
use crate::policy::{Effect, PolicyDocument, PolicyType, PrincipalMatcher, Statement};
use serde::Serialize;

/// Where a policy comes from, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicySource {
    pub policy_type: PolicyType,
    /// Stable identifier: the policy ARN, or `PRINCIPAL_ARN#inline/NAME` for inline policies.
    pub id: String,
    pub name: String,
}

/// A parsed policy with its source.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRef<'a> {
    pub source: &'a PolicySource,
    pub document: &'a PolicyDocument,
}

/// One level of an organization path (the root, an OU, or the account) and the policies attached there.
#[derive(Debug, Clone)]
pub struct Level<'a> {
    /// The root, OU or account id.
    pub target: String,
    pub policies: Vec<PolicyRef<'a>>,
}

/// Every policy that applies to one request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    /// The principal's identity-based policies (inline, managed, and its groups').
    pub identity: Vec<PolicyRef<'a>>,
    pub boundary: Option<PolicyRef<'a>>,
    pub session: Option<PolicyRef<'a>>,
    /// SCPs of the principal's account, root first; `None` where none apply (no organization, the management
    /// account, a service-linked role).
    pub scps: Option<Vec<Level<'a>>>,
    /// RCPs of the resource's account, root first; `None` where none apply.
    pub rcps: Option<Vec<Level<'a>>>,
    /// The resource-based policy (for `sts:AssumeRole*`, the role's trust policy).
    pub resource: Option<PolicyRef<'a>>,
    /// The caller belongs to an account whose policies are not known (outside the snapshot): its identity side is
    /// taken to allow, and the explanation says so. This answers "could anyone in that account get in?".
    pub identity_unknown: bool,
}

/// What kind of caller makes the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalType {
    /// An IAM user.
    User,
    /// A session of an IAM role (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`).
    RoleSession,
    /// An AWS STS federated user session (`arn:aws:sts::ACCOUNT:federated-user/NAME`).
    FederatedUser,
    /// The account's root user.
    Root,
    /// A SAML or OIDC provider calling `sts:AssumeRoleWithSAML` or `sts:AssumeRoleWithWebIdentity`.
    IdentityProvider,
    /// An AWS service principal such as `ec2.amazonaws.com`.
    Service,
    /// An unauthenticated caller.
    Anonymous,
}

impl PrincipalType {
    /// Callers that have no identity-based policies: only resource-based policies can allow them.
    fn is_external(self) -> bool {
        matches!(self, PrincipalType::IdentityProvider | PrincipalType::Service | PrincipalType::Anonymous)
    }
}

/// The caller of a request, as AWS sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestPrincipal {
    pub principal_type: PrincipalType,
    /// The caller's identity: user ARN, assumed-role session ARN, root ARN, provider ARN, or service name.
    pub arn: String,
    /// For a role session, the role's ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// The caller's account ("" for external callers).
    pub account: String,
    /// A service-linked role's session: exempt from SCPs and RCPs.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub service_linked: bool,
}

impl RequestPrincipal {
    /// Builds the caller from an ARN as written in a query or a test: a user, role (a session of it named
    /// `session_name`), assumed-role session, federated user, root, SAML/OIDC provider, a service principal
    /// (`ec2.amazonaws.com`) or `anonymous`. Returns `None` for anything else.
    pub fn from_arn(text: &str, session_name: &str) -> Option<RequestPrincipal> {
        let make = |principal_type, arn: String, role_arn: Option<String>, account: &str| RequestPrincipal {
            principal_type,
            arn,
            role_arn,
            account: account.to_string(),
            service_linked: false,
        };
        if text == "anonymous" || text == "*" {
            return Some(make(PrincipalType::Anonymous, "*".into(), None, ""));
        }
        if !text.starts_with("arn:") {
            return text.ends_with(".amazonaws.com").then(|| make(PrincipalType::Service, text.into(), None, ""));
        }
        let arn = crate::arn::Arn::parse(text).ok()?;
        match (arn.service, arn.resource) {
            ("iam", "root") => Some(make(PrincipalType::Root, text.into(), None, arn.account)),
            ("iam", r) if r.starts_with("user/") => Some(make(PrincipalType::User, text.into(), None, arn.account)),
            ("iam", r) if r.starts_with("role/") => {
                let name = r.rsplit('/').next().unwrap_or(r);
                let session = format!("arn:aws:sts::{}:assumed-role/{name}/{session_name}", arn.account);
                let mut p = make(PrincipalType::RoleSession, session, Some(text.into()), arn.account);
                p.service_linked = r.starts_with("role/aws-service-role/");
                Some(p)
            }
            ("iam", r) if r.starts_with("saml-provider/") || r.starts_with("oidc-provider/") => {
                Some(make(PrincipalType::IdentityProvider, text.into(), None, ""))
            }
            ("sts", r) if r.starts_with("assumed-role/") => {
                let role = r.trim_start_matches("assumed-role/").split('/').next().unwrap_or_default();
                let role_arn = format!("arn:aws:iam::{}:role/{role}", arn.account);
                Some(make(PrincipalType::RoleSession, text.into(), Some(role_arn), arn.account))
            }
            ("sts", r) if r.starts_with("federated-user/") => {
                Some(make(PrincipalType::FederatedUser, text.into(), None, arn.account))
            }
            _ => None,
        }
    }
}

/// What is known about a caller beyond its ARN, for the principal's condition keys.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrincipalFacts<'a> {
    /// The IAM user name (users only).
    pub user_name: Option<&'a str>,
    /// The unique id of the user (`AIDA...`) or role (`AROA...`).
    pub unique_id: Option<&'a str>,
    pub tags: Option<&'a std::collections::BTreeMap<String, String>>,
    /// The organization id and `aws:PrincipalOrgPaths` value of the caller's account.
    pub org_id: Option<&'a str>,
    pub org_path: Option<&'a str>,
}

/// Adds the condition keys AWS derives from the caller (`aws:username`, `aws:userid`, `aws:PrincipalArn`,
/// `aws:PrincipalAccount`, `aws:PrincipalType`, `aws:PrincipalTag/*`, ...) unless the request already has them.
pub fn add_principal_context(context: &mut Context, p: &RequestPrincipal, facts: &PrincipalFacts<'_>) {
    let mut set = |key: &str, value: &str| context.insert_default(key, vec![value.to_string()]);
    match p.principal_type {
        PrincipalType::User => {
            let name = facts.user_name.or_else(|| p.arn.rsplit('/').next()).unwrap_or_default();
            set("aws:username", name);
            if let Some(id) = facts.unique_id {
                set("aws:userid", id);
            }
            set("aws:PrincipalArn", &p.arn);
            set("aws:PrincipalType", "User");
        }
        PrincipalType::RoleSession => {
            let session = p.arn.rsplit('/').next().unwrap_or_default();
            if let Some(id) = facts.unique_id {
                set("aws:userid", &format!("{id}:{session}"));
            }
            set("aws:PrincipalArn", p.role_arn.as_deref().unwrap_or_default());
            set("aws:PrincipalType", "AssumedRole");
        }
        PrincipalType::Root => {
            set("aws:userid", &p.account);
            set("aws:PrincipalArn", &p.arn);
            set("aws:PrincipalType", "Account");
        }
        PrincipalType::FederatedUser => {
            let name = p.arn.rsplit('/').next().unwrap_or_default();
            set("aws:userid", &format!("{}:{name}", p.account));
            set("aws:PrincipalArn", &p.arn);
            set("aws:PrincipalType", "FederatedUser");
        }
        PrincipalType::Service => {
            set("aws:PrincipalIsAWSService", "true");
            set("aws:PrincipalServiceName", &p.arn);
            return;
        }
        PrincipalType::Anonymous => {
            set("aws:PrincipalType", "Anonymous");
            set("aws:userid", "anonymous");
            set("aws:PrincipalAccount", "anonymous");
            return;
        }
        PrincipalType::IdentityProvider => return,
    }
    set("aws:PrincipalAccount", &p.account);
    set("aws:PrincipalIsAWSService", "false");
    if let Some(org) = facts.org_id {
        set("aws:PrincipalOrgID", org);
    }
    if let Some(path) = facts.org_path {
        set("aws:PrincipalOrgPaths", path);
    }
    if let Some(tags) = facts.tags {
        if p.principal_type != PrincipalType::Root {
            for (k, v) in tags {
                context.insert_default(&format!("aws:PrincipalTag/{k}"), vec![v.clone()]);
            }
        }
    }
}

/// One request to evaluate.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub principal: &'a RequestPrincipal,
    pub action: &'a str,
    pub resource: &'a str,
    /// The account that owns the resource, when known.
    pub resource_account: Option<&'a str>,
    pub context: &'a Context,
}

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Deny,
}

/// A statement that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementMatch {
    pub policy_type: PolicyType,
    pub policy: String,
    pub policy_name: String,
    /// 0-based index of the statement in its policy.
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    /// For SCPs and RCPs: the root, OU or account the policy is attached to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attached_to: Option<String>,
}

/// A decision and why it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub decision: Decision,
    /// True when an explicit `Deny` statement decided.
    pub explicit_deny: bool,
    /// One sentence: what decided.
    pub summary: String,
    /// The statements that decided (the denying ones, or the allowing ones on every layer that had to allow).
    pub statements: Vec<StatementMatch>,
    /// Further facts worth knowing (limits of the evaluation, layers that did not apply).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// For a denial by an organization guardrail: `service_control` when no SCP at some level of the caller's
    /// path allows the request, `resource_control` likewise for RCPs. Such a denial binds every principal of the
    /// account. (Explicit denies name their layer in `statements`.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guardrail: Option<crate::PolicyType>,
}

/// How a resource-based policy statement names the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Grant {
    /// The caller's account (`"123456789012"` or `arn:aws:iam::123456789012:root`): a delegation to the account's
    /// own IAM policies, which must allow too.
    Account,
    /// The role ARN of a role session: within one account, still limited by the boundary and session policy.
    RoleArn,
    /// The caller itself (user ARN, session ARN, `*`, a service or provider): enough on its own within one account.
    Direct,
}

fn statement_match(policy: PolicyRef<'_>, s: &Statement) -> StatementMatch {
    StatementMatch {
        policy_type: policy.source.policy_type,
        policy: policy.source.id.clone(),
        policy_name: policy.source.name.clone(),
        statement: s.index,
        sid: s.sid.clone(),
        effect: s.effect,
        attached_to: None,
    }
}

fn at_level(mut m: StatementMatch, level: &Level<'_>) -> StatementMatch {
    m.attached_to = Some(level.target.clone());
    m
}

/// Whether the statement's action, resource and conditions all cover the request (principal aside).
fn covers(s: &Statement, action_lower: &str, req: &Request<'_>) -> bool {
    if !s.action.covers(action_lower) {
        return false;
    }
    if let Some(resource) = &s.resource {
        let hit = resource.patterns.iter().any(|p| p.matches_arn(req.resource, req.context));
        if hit == resource.negated {
            return false;
        }
    }
    s.conditions.iter().all(|c| c.evaluate(req.context))
}

/// How (if at all) a `Principal`/`NotPrincipal` element names the caller.
fn principal_grant(m: &PrincipalMatcher, p: &RequestPrincipal, effect: Effect, has_boundary: bool) -> Option<Grant> {
    if m.negated {
        // NotPrincipal: the statement applies unless every identity of the caller's chain is listed. With Deny it
        // always applies to a principal that has a permissions boundary, as AWS documents.
        if effect == Effect::Deny && has_boundary {
            return Some(Grant::Direct);
        }
        let listed = |arn: &str| m.aws.iter().any(|a| a == arn) || m.wildcard;
        let account_listed =
            m.wildcard || m.aws.iter().any(|a| a == &p.account || a == &format!("arn:aws:iam::{}:root", p.account));
        let excluded = match p.principal_type {
            PrincipalType::User | PrincipalType::FederatedUser => account_listed && listed(&p.arn),
            PrincipalType::RoleSession => account_listed && listed(&p.arn) && p.role_arn.as_deref().is_some_and(listed),
            PrincipalType::Root => account_listed,
            PrincipalType::Service => m.service.iter().any(|s| s == &p.arn),
            PrincipalType::IdentityProvider => m.federated.iter().any(|s| s == &p.arn),
            PrincipalType::Anonymous => m.wildcard,
        };
        return if excluded { None } else { Some(Grant::Direct) };
    }
    if m.wildcard {
        return Some(Grant::Direct);
    }
    let mut best: Option<Grant> = None;
    let mut offer = |g: Grant| best = Some(best.map_or(g, |b| b.max(g)));
    match p.principal_type {
        PrincipalType::User | PrincipalType::RoleSession | PrincipalType::FederatedUser | PrincipalType::Root => {
            for a in &m.aws {
                if a == &p.arn {
                    offer(Grant::Direct);
                } else if p.role_arn.as_deref() == Some(a.as_str()) {
                    offer(Grant::RoleArn);
                } else if !p.account.is_empty()
                    && (a == &p.account
                        || a.strip_prefix("arn:aws:iam::").and_then(|r| r.strip_suffix(":root")) == Some(&p.account))
                {
                    offer(if p.principal_type == PrincipalType::Root { Grant::Direct } else { Grant::Account });
                }
            }
        }
        PrincipalType::Service => {
            if m.service.iter().any(|s| s == &p.arn) {
                offer(Grant::Direct);
            }
        }
        PrincipalType::IdentityProvider => {
            if m.federated.iter().any(|s| s == &p.arn) {
                offer(Grant::Direct);
            }
        }
        PrincipalType::Anonymous => {}
    }
    best
}

/// Statements of one policy that cover the request with the given effect.
fn matching<'a>(
    policy: PolicyRef<'a>,
    effect: Effect,
    action_lower: &'a str,
    req: &'a Request<'a>,
) -> impl Iterator<Item = &'a Statement> + 'a {
    policy.document.statements.iter().filter(move |s| s.effect == effect && covers(s, action_lower, req))
}

/// Whether this action on this resource needs the resource-based policy to allow explicitly, even in one account.
pub(crate) fn needs_explicit_resource_allow(action_lower: &str, resource: &str) -> Option<&'static str> {
    if action_lower.starts_with("sts:assumerole") {
        Some("role trust policy")
    } else if action_lower.starts_with("kms:") && resource.starts_with("arn:") && resource.contains(":key/") {
        Some("KMS key policy")
    } else {
        None
    }
}

/// Evaluates one request against its policies.
pub fn evaluate(req: &Request<'_>, set: &PolicySet<'_>) -> Explanation {
    let action_lower = req.action.to_ascii_lowercase();
    let action = action_lower.as_str();
    let has_boundary = set.boundary.is_some();
    let mut notes = Vec::new();
    // Service-linked roles are exempt from SCPs and RCPs; RCPs apply only to the services that support them.
    let service = action.split(':').next().unwrap_or_default();
    let scps = set.scps.as_ref().filter(|_| !req.principal.service_linked);
    let rcps = set.rcps.as_ref().filter(|_| crate::data::rcps_apply(req.principal, action, req.resource));
    let resource_account =
        req.resource_account.map(str::to_string).or_else(|| crate::arn::account_of(req.resource).map(str::to_string));
    let _ = service;

    // Requests whose outcome does not depend on policies at all.
    if action == "sts:getcalleridentity" && req.principal.principal_type != PrincipalType::Anonymous {
        return Explanation {
            decision: Decision::Allow,
            explicit_deny: false,
            summary: "allowed: sts:GetCallerIdentity needs no permission and cannot be denied".into(),
            statements: Vec::new(),
            notes,
            guardrail: None,
        };
    }
    if let Some(why) = crate::data::credential_restriction(req.principal.principal_type, action) {
        return Explanation {
            decision: Decision::Deny,
            explicit_deny: false,
            summary: format!("denied: {why}"),
            statements: Vec::new(),
            notes,
            guardrail: None,
        };
    }
    // S3 lets the bucket owner's root user manage the bucket policy whatever it says (lock-out protection), and
    // no one from another account.
    let bucket_policy_action = matches!(action, "s3:getbucketpolicy" | "s3:putbucketpolicy" | "s3:deletebucketpolicy");
    let owner_root = bucket_policy_action
        && req.principal.principal_type == PrincipalType::Root
        && resource_account.as_deref().is_none_or(|a| a == req.principal.account);

    // 1. Explicit deny anywhere.
    let mut denies = Vec::new();
    let mut collect_denies = |policy: PolicyRef<'_>, check_principal: bool, level: Option<&Level<'_>>| {
        for s in matching(policy, Effect::Deny, action, req) {
            let applies = !check_principal
                || match &s.principal {
                    Some(m) => principal_grant(m, req.principal, Effect::Deny, has_boundary).is_some(),
                    None => true,
                };
            if applies {
                let m = statement_match(policy, s);
                denies.push(match level {
                    Some(l) => at_level(m, l),
                    None => m,
                });
            }
        }
    };
    let external = req.principal.principal_type.is_external();
    if !external {
        for p in &set.identity {
            collect_denies(*p, false, None);
        }
        if let Some(p) = set.boundary {
            collect_denies(p, false, None);
        }
        if let Some(p) = set.session {
            collect_denies(p, false, None);
        }
        for level in scps.into_iter().flatten() {
            for p in &level.policies {
                collect_denies(*p, false, Some(level));
            }
        }
    }
    for level in rcps.into_iter().flatten() {
        for p in &level.policies {
            collect_denies(*p, true, Some(level));
        }
    }
    if let Some(p) = set.resource {
        if !owner_root {
            collect_denies(p, true, None);
        }
    }
    if !denies.is_empty() {
        let first = &denies[0];
        let summary = format!(
            "explicitly denied by statement {}{} of {} {}",
            first.statement,
            first.sid.as_ref().map(|s| format!(" ({s})")).unwrap_or_default(),
            first.policy_type.as_str(),
            first.policy_name
        );
        return Explanation {
            decision: Decision::Deny,
            explicit_deny: true,
            summary,
            statements: denies,
            notes,
            guardrail: None,
        };
    }

    let mut allowing = Vec::new();
    let implicit = |summary: String, statements: Vec<StatementMatch>, notes: Vec<String>| Explanation {
        decision: Decision::Deny,
        explicit_deny: false,
        summary,
        statements,
        notes,
        guardrail: None,
    };
    if bucket_policy_action && resource_account.as_deref().is_some_and(|a| a != req.principal.account) {
        return implicit(
            "denied: only identities of the bucket owner's account can read, change or delete a bucket policy".into(),
            Vec::new(),
            notes,
        );
    }

    // 2. RCPs: every level of the resource account's path must allow.
    if let Some(levels) = rcps {
        for level in levels {
            let hit = level.policies.iter().find_map(|p| {
                matching(*p, Effect::Allow, action, req)
                    .find(|s| {
                        s.principal
                            .as_ref()
                            .is_none_or(|m| principal_grant(m, req.principal, Effect::Allow, has_boundary).is_some())
                    })
                    .map(|s| at_level(statement_match(*p, s), level))
            });
            match hit {
                Some(m) => allowing.push(m),
                None => {
                    return Explanation {
                        guardrail: Some(crate::PolicyType::ResourceControl),
                        ..implicit(
                            format!(
                                "implicitly denied: no resource control policy attached to {} allows it",
                                level.target
                            ),
                            Vec::new(),
                            notes,
                        )
                    }
                }
            }
        }
    }

    // 3. SCPs: every level of the principal account's path must allow.
    if let (Some(levels), false) = (scps, external) {
        for level in levels {
            let hit = level.policies.iter().find_map(|p| {
                matching(*p, Effect::Allow, action, req).next().map(|s| at_level(statement_match(*p, s), level))
            });
            match hit {
                Some(m) => allowing.push(m),
                None => {
                    return Explanation {
                        guardrail: Some(crate::PolicyType::ServiceControl),
                        ..implicit(
                            format!(
                                "implicitly denied: no service control policy attached to {} allows it",
                                level.target
                            ),
                            Vec::new(),
                            notes,
                        )
                    }
                }
            }
        }
    }

    // 4. The resource-based policy, and how it names the caller.
    let mut resource_allows: Vec<(Grant, StatementMatch)> = Vec::new();
    if let Some(p) = set.resource {
        for s in matching(p, Effect::Allow, action, req) {
            let grant = match &s.principal {
                Some(m) => principal_grant(m, req.principal, Effect::Allow, has_boundary),
                None => None,
            };
            if let Some(g) = grant {
                resource_allows.push((g, statement_match(p, s)));
            }
        }
    }
    resource_allows.sort_by_key(|a| std::cmp::Reverse(a.0));
    let best_grant = resource_allows.first().map(|(g, _)| *g);
    let resource_statements = || resource_allows.iter().map(|(_, m)| m.clone()).collect::<Vec<_>>();

    // The identity side: identity policies, then the boundary and the session policy.
    let identity_allow: Vec<StatementMatch> = if req.principal.principal_type == PrincipalType::Root {
        notes.push("the root user has every permission in its own account unless a policy denies it".into());
        Vec::new()
    } else {
        set.identity
            .iter()
            .flat_map(|p| matching(*p, Effect::Allow, action, req).map(move |s| statement_match(*p, s)))
            .collect()
    };
    if set.identity_unknown {
        notes.push(format!(
            "account {} is not in the snapshot: its own identity-based policies are assumed to allow the request",
            req.principal.account
        ));
    }
    let identity_ok =
        req.principal.principal_type == PrincipalType::Root || set.identity_unknown || !identity_allow.is_empty();
    // A federated user session without a session policy has no permissions from identity policies.
    let federated_without_session =
        req.principal.principal_type == PrincipalType::FederatedUser && set.session.is_none();
    let boundary_allow =
        set.boundary.map(|p| matching(p, Effect::Allow, action, req).next().map(|s| statement_match(p, s)));
    let session_allow =
        set.session.map(|p| matching(p, Effect::Allow, action, req).next().map(|s| statement_match(p, s)));
    let boundary_ok = !matches!(boundary_allow, Some(None));
    let session_ok = !matches!(session_allow, Some(None));
    let identity_side = |mut statements: Vec<StatementMatch>| -> Result<Vec<StatementMatch>, String> {
        if federated_without_session {
            return Err("a federated user session without a session policy has no identity-based permissions".into());
        }
        if !identity_ok {
            return Err("no identity-based policy allows it".into());
        }
        statements.extend(identity_allow.iter().cloned());
        match &boundary_allow {
            Some(None) => return Err("the permissions boundary does not allow it".into()),
            Some(Some(m)) => statements.push(m.clone()),
            None => {}
        }
        match &session_allow {
            Some(None) => return Err("the session policy does not allow it".into()),
            Some(Some(m)) => statements.push(m.clone()),
            None => {}
        }
        Ok(statements)
    };

    let same_account = match &resource_account {
        Some(a) => !external && *a == req.principal.account,
        None => {
            if !external {
                notes.push("the resource's account is unknown: taken to be the caller's".into());
            }
            !external
        }
    };
    let explicit_needed = needs_explicit_resource_allow(action, req.resource);
    if set.resource.is_none() {
        if let Some(kind) = explicit_needed {
            notes.push(format!("no {kind} was found for {}", req.resource));
        }
    }

    let allow = |summary: String, statements: Vec<StatementMatch>, notes: Vec<String>| Explanation {
        decision: Decision::Allow,
        explicit_deny: false,
        summary,
        statements,
        notes,
        guardrail: None,
    };
    let resource_kind = explicit_needed.unwrap_or("resource-based policy");

    if same_account {
        // Within one account a resource-based policy that names the caller itself is enough; one naming the role
        // (not the session) is still limited by the boundary and session policy; one naming the account only
        // delegates to the identity-based policies.
        // A role trust policy naming the caller directly is still limited by the caller's permissions boundary.
        let trust_limited_by_boundary = explicit_needed == Some("role trust policy") && !boundary_ok;
        match best_grant {
            Some(Grant::Direct) if trust_limited_by_boundary => {
                notes.push(
                    "the role trust policy names the caller, but its permissions boundary does not allow it".into(),
                );
            }
            Some(Grant::Direct) => {
                let mut statements = allowing;
                statements.extend(resource_statements());
                return allow(format!("allowed by the {resource_kind}, which names the caller"), statements, notes);
            }
            Some(Grant::RoleArn) if boundary_ok && session_ok => {
                let mut statements = allowing;
                statements.extend(resource_statements());
                statements.extend(boundary_allow.clone().flatten());
                statements.extend(session_allow.clone().flatten());
                return allow(format!("allowed by the {resource_kind}, which names the role"), statements, notes);
            }
            Some(Grant::RoleArn) => {
                let why = if boundary_ok { "the session policy" } else { "the permissions boundary" };
                notes.push(format!("the {resource_kind} names the role ARN, so {why} still limits it"));
            }
            Some(Grant::Account) | None => {}
        }
        if explicit_needed.is_some() && best_grant.is_none() {
            return implicit(
                format!("implicitly denied: the {resource_kind} does not allow the caller"),
                Vec::new(),
                notes,
            );
        }
        let mut statements = allowing;
        statements.extend(resource_statements());
        return match identity_side(statements) {
            Ok(statements) => allow(
                if best_grant == Some(Grant::Account) {
                    format!("allowed: the {resource_kind} trusts the account and the identity-based policies allow it")
                } else {
                    "allowed by the identity-based policies".to_string()
                },
                statements,
                notes,
            ),
            Err(why) => implicit(format!("implicitly denied: {why}"), Vec::new(), notes),
        };
    }

    // Across accounts (or for callers with no identity policies): the resource side must allow, and so must the
    // identity side.
    if best_grant.is_none() {
        let who = if external { "the caller" } else { "the caller's account" };
        return implicit(
            format!("implicitly denied: the {resource_kind} of the resource's account does not allow {who}"),
            Vec::new(),
            notes,
        );
    }
    let mut statements = allowing;
    statements.extend(resource_statements());
    if external {
        return allow(format!("allowed by the {resource_kind}"), statements, notes);
    }
    match identity_side(statements) {
        Ok(statements) => allow(
            if set.identity_unknown {
                format!("allowed across accounts by the {resource_kind}, if the caller's own account allows it too")
            } else {
                format!("allowed across accounts: the {resource_kind} and the caller's identity-based policies both allow it")
            },
            statements,
            notes,
        ),
        Err(why) => implicit(format!("implicitly denied across accounts: {why}"), Vec::new(), notes),
    }
}
