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
    /// `person` or `non-person`: a role (workloads, services, federation) is not a person, nor is a user whose
    /// credential report shows no console password (a programmatic user: CI, integrations); any other user is.
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
        identity: identity_of(snapshot, p),
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
    let mut probe = Probe::new(snapshot, authz, principal);
    Ok(db.services().flat_map(|service| probe.service(service)).collect())
}

/// Asks the engine, action by action, where one principal may perform it (see [`allowed_actions`]).
pub struct Probe<'a, 's> {
    snapshot: &'s Snapshot,
    authz: &'a Authorizer<'s>,
    principal: &'a str,
    /// The snapshot's resources, and its IAM users, groups, roles and managed policies (IAM's resources), by
    /// service, built the first time an action is allowed only on some resources.
    by_service: Option<BTreeMap<&'s str, Vec<&'s str>>>,
}

impl<'a, 's> Probe<'a, 's> {
    pub fn new(snapshot: &'s Snapshot, authz: &'a Authorizer<'s>, principal: &'a str) -> Probe<'a, 's> {
        Probe { snapshot, authz, principal, by_service: None }
    }

    /// The actions of one service the principal may perform, and where (as [`permission`](Self::permission)
    /// gives them, in the service's order). The principal is resolved and its policies gathered once for all the
    /// actions asked on `*`, and once per snapshot resource of the service for the others.
    pub fn service(&mut self, service: &sightline_iam::actions::Service) -> Vec<Permission> {
        let names: Vec<String> = service.actions.iter().map(|a| a.full_name()).collect();
        let asked: Vec<usize> =
            (0..names.len()).filter(|&i| self.authz.identity_may_allow(self.principal, &names[i])).collect();
        if asked.is_empty() {
            return Vec::new();
        }
        let list: Vec<&str> = asked.iter().map(|&i| names[i].as_str()).collect();
        let anywhere: Vec<bool> = match self.authz.check_actions(self.principal, &list, "*", &Context::default()) {
            Ok(answers) => answers.iter().map(|e| e.decision == Decision::Allow).collect(),
            Err(_) => vec![false; list.len()],
        };
        let mut found: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        let mut rest = Vec::new();
        for (&i, anywhere) in asked.iter().zip(anywhere) {
            if anywhere {
                found.insert(i, vec!["*".to_string()]);
            } else {
                rest.push(i);
            }
        }
        // The others, resource by resource: each asked once for the actions that apply to it.
        if !rest.is_empty() {
            if let Ok(db) = ActionDb::try_embedded() {
                let arns: Vec<&str> = self.index().get(service.prefix.as_str()).cloned().unwrap_or_default();
                for arn in arns {
                    let apply: Vec<usize> = rest
                        .iter()
                        .copied()
                        .filter(|&i| !db.resource_types_for(&service.actions[i], arn).is_empty())
                        .collect();
                    if apply.is_empty() {
                        continue;
                    }
                    let list: Vec<&str> = apply.iter().map(|&i| names[i].as_str()).collect();
                    let Ok(answers) = self.authz.check_actions(self.principal, &list, arn, &Context::default()) else {
                        continue;
                    };
                    for (&i, e) in apply.iter().zip(answers) {
                        if e.decision == Decision::Allow {
                            found.entry(i).or_default().push(arn.to_string());
                        }
                    }
                }
            }
        }
        found
            .into_iter()
            .map(|(i, resources)| Permission {
                action: names[i].clone(),
                access_level: service.actions[i].access_level,
                resources,
            })
            .collect()
    }

    /// The snapshot's resources, and its IAM users, groups, roles and managed policies (IAM's resources), by
    /// service.
    fn index(&mut self) -> &BTreeMap<&'s str, Vec<&'s str>> {
        let snapshot = self.snapshot;
        self.by_service.get_or_insert_with(|| {
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
        })
    }

    /// Where the principal may perform `action`: `*`, the snapshot's resources it may perform it on, or `None`.
    pub fn permission(&mut self, action: &sightline_iam::actions::Action) -> Option<Permission> {
        let name = action.full_name();
        if !self.authz.identity_may_allow(self.principal, &name) {
            return None;
        }
        if allowed(self.authz, self.principal, &name, "*") {
            return Some(Permission { action: name, access_level: action.access_level, resources: vec!["*".into()] });
        }
        self.scoped(action, &name)
    }

    /// The snapshot's resources the principal may perform `action` (not allowed on `*`) on.
    fn scoped(&mut self, action: &sightline_iam::actions::Action, name: &str) -> Option<Permission> {
        let db = ActionDb::try_embedded().ok()?;
        let (authz, principal) = (self.authz, self.principal);
        let resources: Vec<String> = self
            .index()
            .get(action.service.as_str())
            .into_iter()
            .flatten()
            .filter(|arn| !db.resource_types_for(action, arn).is_empty())
            .filter(|arn| allowed(authz, principal, name, arn))
            .map(|arn| arn.to_string())
            .collect();
        (!resources.is_empty()).then(|| Permission {
            action: name.to_string(),
            access_level: action.access_level,
            resources,
        })
    }
}

/// Whether an identity is a person's: see [`IdentityAccess::identity`].
fn identity_of(snapshot: &Snapshot, p: &sightline_model::Principal) -> &'static str {
    if p.kind != PrincipalKind::User {
        return "non-person";
    }
    let password = crate::password_enabled(&snapshot.resources, p);
    match password {
        Some(false) => "non-person",
        _ => "person",
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_without_a_console_password_are_not_people() {
        let snapshot: Snapshot = serde_json::from_value(serde_json::json!({
            "format_version": 1,
            "principals": [
                {"provider": "aws", "id": "arn:aws:iam::111111111111:user/ci", "kind": "user", "account_id": "111111111111", "name": "ci"},
                {"provider": "aws", "id": "arn:aws:iam::111111111111:user/ana", "kind": "user", "account_id": "111111111111", "name": "ana"},
                {"provider": "aws", "id": "arn:aws:iam::111111111111:user/new", "kind": "user", "account_id": "111111111111", "name": "new"}],
            "resources": [{"provider": "aws", "id": "arn:aws:iam::111111111111:credential-report", "resource_type": "AWS::IAM::CredentialReport",
                "account_id": "111111111111", "properties": {"Rows": [
                    {"user": "ci", "arn": "arn:aws:iam::111111111111:user/ci", "password_enabled": "false", "access_key_1_active": "true"},
                    {"user": "ana", "arn": "arn:aws:iam::111111111111:user/ana", "password_enabled": "true"}]}}]
        }))
        .unwrap();
        let identity =
            |name: &str| identity_of(&snapshot, snapshot.principals.iter().find(|p| p.name == name).unwrap());
        assert_eq!(identity("ci"), "non-person");
        assert_eq!(identity("ana"), "person");
        // Not in the report (created since): a user is taken for a person.
        assert_eq!(identity("new"), "person");
    }
}
