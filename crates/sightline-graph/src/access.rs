//! Effective access, both ways: what one identity may do (by service and access level), and who may reach one
//! resource (by principal and access level). Every answer is the IAM engine's, for concrete requests.

use serde::Serialize;
use sightline_iam::actions::{AccessLevel, ActionDb};
use sightline_iam::authz::Authorizer;
use sightline_iam::{Context, Decision};
use sightline_model::{PrincipalKind, Snapshot};
use std::collections::BTreeMap;

/// One action an identity may perform, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    /// `service:Action`.
    pub action: String,
    pub access_level: AccessLevel,
    /// `*` when allowed on any resource; otherwise the snapshot's resources it is allowed on.
    pub resources: Vec<String>,
}

/// Counts of one service's permissions by access level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceAccess {
    pub service: String,
    /// Actions allowed on any resource, by access level.
    pub anywhere: BTreeMap<AccessLevel, usize>,
    /// Actions allowed only on some of the snapshot's resources, by access level.
    pub scoped: BTreeMap<AccessLevel, usize>,
}

/// The effective permissions of one identity.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityAccess {
    pub principal: String,
    /// `person` (a user) or `non-person` (a role: workloads, services, federation).
    pub identity: &'static str,
    pub services: Vec<ServiceAccess>,
    /// The kinds of harm its permissions allow, each with the actions (or the path) that allow it.
    pub risks: Vec<Risk>,
    pub permissions: Vec<Permission>,
}

/// One kind of harm an identity's permissions allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    /// `data_exfiltration`, `resource_exposure`, `credentials_exposure`, `privilege_escalation` or
    /// `infrastructure_modification`.
    pub category: &'static str,
    /// The allowed actions that carry it (for `privilege_escalation`: the techniques of the shortest path).
    pub evidence: Vec<String>,
}

/// Actions that read stored data or secrets out of a service.
const EXFILTRATION: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "dynamodb:GetItem",
    "dynamodb:Scan",
    "dynamodb:Query",
    "rds:DownloadDBLogFilePortion",
    "ec2:GetPasswordData",
];

/// Actions that hand out credentials: keys, passwords, tokens or sessions.
const CREDENTIALS: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "sts:GetFederationToken",
    "ecr:GetAuthorizationToken",
    "redshift:GetClusterCredentials",
    "rds-db:Connect",
    "sso:GetRoleCredentials",
    "lightsail:GetInstanceAccessDetails",
    "cognito-identity:GetCredentialsForIdentity",
];

/// The risk categories of a set of permissions, and whether (and how) the identity can escalate.
fn risks(permissions: &[Permission], escalation: Option<&crate::Escalation>) -> Vec<Risk> {
    let mut out = Vec::new();
    let mut add = |category: &'static str, evidence: Vec<String>| {
        if !evidence.is_empty() {
            out.push(Risk { category, evidence });
        }
    };
    let names = |keep: &dyn Fn(&Permission) -> bool| -> Vec<String> {
        permissions.iter().filter(|p| keep(p)).map(|p| p.action.clone()).collect()
    };
    add("data_exfiltration", names(&|p| EXFILTRATION.iter().any(|a| a.eq_ignore_ascii_case(&p.action))));
    add("resource_exposure", names(&|p| p.access_level == AccessLevel::PermissionsManagement));
    add("credentials_exposure", names(&|p| CREDENTIALS.iter().any(|a| a.eq_ignore_ascii_case(&p.action))));
    add(
        "privilege_escalation",
        escalation.map(|e| e.path.iter().map(|h| format!("{} -> {}", h.technique, h.to)).collect()).unwrap_or_default(),
    );
    add(
        "infrastructure_modification",
        names(&|p| p.access_level == AccessLevel::Write && p.resources.iter().any(|r| r == "*")),
    );
    out
}

/// Why an access question could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("{0}: no such user or role in the snapshot")]
    UnknownPrincipal(String),
    #[error("the action database could not be read: {0}")]
    ActionDb(String),
}

fn allowed(authz: &Authorizer<'_>, principal: &str, action: &str, resource: &str) -> bool {
    let query = crate::request(principal, action, resource, &Context::default());
    matches!(authz.check(&query), Ok(e) if e.decision == Decision::Allow)
}

/// The effective permissions of `principal` (see [`allowed_actions`]), by service and access level, with the risks
/// they carry and its shortest path to administrator.
pub fn access_of(snapshot: &Snapshot, authz: &Authorizer<'_>, principal: &str) -> Result<IdentityAccess, AccessError> {
    let p = snapshot
        .principals
        .iter()
        .find(|p| p.id == principal && matches!(p.kind, PrincipalKind::User | PrincipalKind::Role))
        .ok_or_else(|| AccessError::UnknownPrincipal(principal.to_string()))?;
    let permissions = allowed_actions(snapshot, authz, &p.id)?;
    let mut services: BTreeMap<String, ServiceAccess> = BTreeMap::new();
    for perm in &permissions {
        let service = perm.action.split(':').next().unwrap_or_default().to_string();
        let entry = services.entry(service.clone()).or_insert_with(|| ServiceAccess { service, ..Default::default() });
        let counts = if perm.resources == ["*"] { &mut entry.anywhere } else { &mut entry.scoped };
        *counts.entry(perm.access_level).or_default() += 1;
    }
    let escalation = crate::shortest_path(snapshot, authz, &p.id, crate::ADMIN)
        .map(|path| crate::Escalation { principal: p.id.clone(), path });
    Ok(IdentityAccess {
        principal: p.id.clone(),
        identity: if p.kind == PrincipalKind::User { "person" } else { "non-person" },
        services: services.into_values().collect(),
        risks: risks(&permissions, escalation.as_ref()),
        permissions,
    })
}

/// Every action of the action database that `principal` may perform: on any resource (`*`), or on which of the
/// snapshot's resources (its IAM users, groups, roles and policies included). Actions its own policies never
/// mention are not asked (only a resource-based policy could grant them, and those are listed by [`who_can_reach`]
/// for each resource).
pub fn allowed_actions(
    snapshot: &Snapshot,
    authz: &Authorizer<'_>,
    principal: &str,
) -> Result<Vec<Permission>, AccessError> {
    let db = ActionDb::try_embedded().map_err(|e| AccessError::ActionDb(e.to_string()))?;
    // The snapshot's resources, and its IAM users, groups, roles and managed policies (IAM's resources), by
    // service, built when an action is allowed only on some resources.
    let mut by_service: Option<BTreeMap<&str, Vec<&str>>> = None;
    let mut permissions = Vec::new();
    for action in db.actions() {
        let name = action.full_name();
        if !authz.identity_may_allow(principal, &name) {
            continue;
        }
        let resources = if allowed(authz, principal, &name, "*") {
            vec!["*".to_string()]
        } else {
            let index = by_service.get_or_insert_with(|| {
                let mut index: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
                let arns = snapshot
                    .resources
                    .iter()
                    .map(|r| r.id.as_str())
                    .chain(snapshot.principals.iter().map(|p| p.id.as_str()))
                    .chain(snapshot.policies.iter().map(|p| p.id.as_str()));
                for arn in arns {
                    if let Some(service) = arn.split(':').nth(2) {
                        index.entry(service).or_default().push(arn);
                    }
                }
                index
            });
            index
                .get(action.service.as_str())
                .into_iter()
                .flatten()
                .filter(|arn| !db.resource_types_for(action, arn).is_empty())
                .filter(|arn| allowed(authz, principal, &name, arn))
                .map(|arn| arn.to_string())
                .collect()
        };
        if !resources.is_empty() {
            permissions.push(Permission { action: name, access_level: action.access_level, resources });
        }
    }
    Ok(permissions)
}

/// One principal's access to one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    pub principal: String,
    /// The actions it may perform on the resource, by access level.
    pub actions: BTreeMap<AccessLevel, Vec<String>>,
    /// Why, for its first allowed action: the engine's summary.
    pub how: String,
}

/// Every principal the engine allows some action of the resource's type on `resource` (inside the snapshot, and
/// outside principals its policy names), with the actions by access level.
pub fn who_can_reach(authz: &Authorizer<'_>, resource: &str) -> Result<Vec<Reach>, AccessError> {
    let db = ActionDb::try_embedded().map_err(|e| AccessError::ActionDb(e.to_string()))?;
    let service = sightline_iam::arn::Arn::parse(resource).map(|a| a.service.to_string()).unwrap_or_default();
    let mut reach: BTreeMap<String, Reach> = BTreeMap::new();
    let actions = db
        .service(&service)
        .into_iter()
        .flat_map(|s| s.actions.iter())
        .filter(|a| !db.resource_types_for(a, resource).is_empty());
    for action in actions {
        let name = action.full_name();
        let mut allowed = authz.who_can(&name, resource, &Context::default()).unwrap_or_default();
        allowed.extend(authz.external_access(&name, resource, &Context::default()).unwrap_or_default());
        for a in allowed {
            let entry = reach.entry(a.principal.clone()).or_insert_with(|| Reach {
                principal: a.principal.clone(),
                actions: BTreeMap::new(),
                how: a.explanation.summary.clone(),
            });
            let list = entry.actions.entry(action.access_level).or_default();
            if !list.contains(&name) {
                list.push(name.clone());
            }
        }
    }
    Ok(reach.into_values().collect())
}
