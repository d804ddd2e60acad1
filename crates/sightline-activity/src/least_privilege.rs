//! A policy that allows exactly what one identity was seen doing: each action it called (and was allowed), on the
//! resources the logs name (on `*` when a call's log names none), checked with the IAM engine: every observed call
//! must be allowed by the new policy in place of the identity's own, and no other action of the services it names.

use crate::{activity_of, Error, Window, DEFAULT_WINDOW_DAYS};
use serde::Serialize;
use sightline_iam::actions::ActionDb;
use sightline_iam::authz::{Authorizer, Query};
use sightline_iam::{Context, Decision};
use sightline_model::{compact_document, InlinePolicy, PrincipalKind, Snapshot};
use std::collections::{BTreeMap, BTreeSet};

/// An action called on more resources than this under one path (`bucket/exports/...`) is allowed on the path
/// (`bucket/exports/*`) rather than on each resource.
pub const EXACT_RESOURCES: usize = 5;

/// IAM's limit on a managed policy's size (characters, whitespace excluded).
pub const MANAGED_POLICY_LIMIT: usize = 6144;

/// The policy written for one identity, and how it was checked.
#[derive(Debug, Serialize)]
pub struct LeastPrivilege {
    pub principal: String,
    /// The period whose calls the policy allows.
    pub period: String,
    /// Set when the logs read do not cover the whole period: calls made in the part not covered are missing, and
    /// the policy may refuse them.
    pub incomplete: Option<String>,
    pub policy: Policy,
    /// Its size as IAM counts it, and whether it fits a managed policy.
    pub size: usize,
    pub fits_managed_policy: bool,
    /// Distinct calls observed (action and resource) and allowed at the time.
    pub observed_calls: usize,
    /// Of those, how many the engine allows with the new policy in place of the identity's own.
    pub allowed_calls: usize,
    /// Observed calls the engine does not allow with the new policy (for instance because a condition of a
    /// boundary or an SCP depends on the request), with the engine's reason.
    pub not_allowed: Vec<String>,
    /// Actions of the services in the policy that were not observed and that the engine nevertheless allows with
    /// it (a resource policy, for instance); expected empty.
    pub beyond_observed: Vec<String>,
    /// Where many resources were written as their path (see [`EXACT_RESOURCES`]).
    pub generalized: Vec<String>,
    /// Observed actions left out of the policy, with why (not an IAM action; refused at the time).
    pub omitted: Vec<Omitted>,
    /// What the identity may do today that the policy takes away: actions allowed on any resource, and services.
    pub removed_actions: usize,
    pub removed_services: Vec<String>,
}

/// An IAM policy document, its elements in the order people write them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policy {
    pub version: &'static str,
    pub statement: Vec<Statement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    pub sid: String,
    pub effect: &'static str,
    pub action: Vec<String>,
    /// One resource is written as a string, several as a list.
    #[serde(serialize_with = "one_or_many")]
    pub resource: Vec<String>,
}

fn one_or_many<S: serde::Serializer>(list: &[String], s: S) -> Result<S::Ok, S::Error> {
    match list {
        [one] => s.serialize_str(one),
        many => many.serialize(s),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Omitted {
    pub action: String,
    pub reason: String,
}

/// Writes and checks the least-privilege policy of `principal` from its activity over the `days` days that end
/// with the last event read for its account (all of its activity when `days` is `None`).
pub fn least_privilege(snapshot: &Snapshot, principal: &str, days: Option<i64>) -> Result<LeastPrivilege, Error> {
    let p = snapshot
        .principals
        .iter()
        .find(|p| p.id == principal && matches!(p.kind, PrincipalKind::User | PrincipalKind::Role))
        .ok_or_else(|| Error::UnknownPrincipal(principal.to_string()))?;
    let db = ActionDb::try_embedded().map_err(|e| Error::ActionDb(e.to_string()))?;
    let window = Window::of(&snapshot.activity_periods, p.provider, &p.account_id, days.unwrap_or(DEFAULT_WINDOW_DAYS));
    let window = if days.is_some() || window.as_ref().is_some_and(|w| w.complete) { window } else { None };
    let calls = activity_of(snapshot, principal, window.as_ref());
    if calls.is_empty() {
        return Err(Error::NoActivity(format!(
            "{principal}: no activity recorded{} (import its account's CloudTrail logs with `sightline activity import`)",
            window.as_ref().map(|w| format!(" in {}", w.describe())).unwrap_or_default()
        )));
    }
    let mut omitted: BTreeMap<String, String> = BTreeMap::new();
    // Action -> resources (None: a call the log names no resource for, so `*`).
    let mut wanted: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    for c in &calls {
        if c.denied {
            if !calls.iter().any(|o| !o.denied && o.action == c.action) {
                omitted.insert(c.action.clone(), "every call was refused".to_string());
            }
            continue;
        }
        match db.action(&c.action) {
            Some(a) => {
                // A resource the action cannot be scoped to (or that the log names in another shape than the
                // action's resource types) is no use in a statement: such calls need `*`. IAM names come without
                // their path: the snapshot's principal of that name gives it back.
                let resource = c
                    .resource
                    .as_deref()
                    .map(|r| with_iam_path(snapshot, r))
                    .filter(|r| !db.resource_types_for(a, r).is_empty());
                wanted.entry(a.full_name()).or_default().insert(resource);
            }
            None => {
                omitted.insert(c.action.clone(), "not an action of the IAM action database".to_string());
            }
        }
    }
    // Statements: actions that share the same resources.
    let mut by_resources: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    let mut generalized = Vec::new();
    for (action, resources) in &wanted {
        let list: Vec<String> = if resources.contains(&None) {
            vec!["*".to_string()]
        } else {
            generalize(action, resources.iter().flatten(), &mut generalized).into_iter().map(|r| escape(&r)).collect()
        };
        by_resources.entry(list).or_default().push(action.clone());
    }
    let statement: Vec<Statement> = by_resources
        .into_iter()
        .enumerate()
        .map(|(i, (resource, action))| Statement {
            sid: format!("Observed{}", i + 1),
            effect: "Allow",
            action,
            resource,
        })
        .collect();
    let policy = Policy { version: "2012-10-17", statement };
    let text = serde_json::to_string(&policy).map_err(|e| Error::Engine(e.to_string()))?;
    let size = text.chars().filter(|c| !c.is_whitespace()).count();

    // The snapshot with the new policy in place of the identity's own (its boundary and the organization's
    // policies stay).
    let mut changed = snapshot.clone();
    changed.activity.clear();
    for q in changed.principals.iter_mut().filter(|q| q.id == principal) {
        q.attached_policies.clear();
        q.groups.clear();
        q.inline_policies = vec![InlinePolicy {
            name: "sightline-least-privilege".to_string(),
            document: compact_document(&text).map_err(|e| Error::Engine(e.to_string()))?,
        }];
    }
    let new_engine = Authorizer::new(&changed).map_err(|e| Error::Engine(describe_load(&e)))?;
    let allows = |authz: &Authorizer<'_>, action: &str, resource: &str| -> Result<bool, String> {
        let query = Query {
            principal: principal.to_string(),
            action: action.to_string(),
            resource: resource.to_string(),
            context: Context::default(),
            session_name: None,
            session_policy: None,
        };
        match authz.check(&query) {
            Ok(e) if e.decision == Decision::Allow => Ok(true),
            Ok(e) => Err(e.summary),
            Err(e) => Err(e.to_string()),
        }
    };
    let mut observed_calls = 0;
    let mut allowed_calls = 0;
    let mut not_allowed = Vec::new();
    for (action, resources) in &wanted {
        for r in resources {
            observed_calls += 1;
            let resource = r.as_deref().unwrap_or("*");
            match allows(&new_engine, action, resource) {
                Ok(_) => allowed_calls += 1,
                Err(why) => not_allowed.push(format!("{action} on {resource}: {why}")),
            }
        }
    }
    let services: BTreeSet<&str> = wanted.keys().filter_map(|a| a.split(':').next()).collect();
    let mut beyond_observed = Vec::new();
    for service in &services {
        // On any resource, and on each of the snapshot's resources of the service (a resource policy may grant one).
        let arns: Vec<&str> = snapshot
            .resources
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| id.split(':').nth(2) == Some(*service))
            .collect();
        for a in db.service(service).into_iter().flat_map(|s| s.actions.iter()) {
            let name = a.full_name();
            if wanted.contains_key(&name) {
                continue;
            }
            let on =
                std::iter::once("*").chain(arns.iter().copied().filter(|r| !db.resource_types_for(a, r).is_empty()));
            if let Some(r) = on.into_iter().find(|r| allows(&new_engine, &name, r).unwrap_or(false)) {
                beyond_observed.push(format!("{name} on {r}"));
            }
        }
    }
    // What the identity may do today, on any resource, that the policy drops.
    let old_engine = Authorizer::new(snapshot).map_err(|e| Error::Engine(describe_load(&e)))?;
    let mut removed_actions = 0;
    let mut removed_services: BTreeSet<String> = BTreeSet::new();
    for a in db.actions() {
        let name = a.full_name();
        if wanted.contains_key(&name) || !old_engine.identity_may_allow(principal, &name) {
            continue;
        }
        if allows(&old_engine, &name, "*").unwrap_or(false) {
            removed_actions += 1;
            if !services.contains(a.service.as_str()) {
                removed_services.insert(a.service.clone());
            }
        }
    }
    Ok(LeastPrivilege {
        principal: principal.to_string(),
        period: match &window {
            Some(w) => w.describe(),
            None => "all the CloudTrail activity read".to_string(),
        },
        incomplete: window.as_ref().and_then(Window::gap),
        policy,
        size,
        fits_managed_policy: size <= MANAGED_POLICY_LIMIT,
        observed_calls,
        allowed_calls,
        not_allowed,
        beyond_observed,
        generalized,
        omitted: omitted.into_iter().map(|(action, reason)| Omitted { action, reason }).collect(),
        removed_actions,
        removed_services: removed_services.into_iter().collect(),
    })
}

/// The resources of one action: each one, but where more than [`EXACT_RESOURCES`] S3 objects share a bucket path,
/// the path with `/*` (noted in `notes`). Other resources (roles, keys, functions) are never widened: `role/*`
/// would hand over every role.
fn generalize<'a>(action: &str, resources: impl Iterator<Item = &'a String>, notes: &mut Vec<String>) -> Vec<String> {
    let mut by_path: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut out = Vec::new();
    for r in resources {
        match r.strip_prefix("arn:aws:s3:::").filter(|rest| rest.contains('/')).and_then(|_| r.rfind('/')) {
            Some(i) => by_path.entry(&r[..i]).or_default().push(r),
            None => out.push(r.clone()),
        }
    }
    for (path, list) in by_path {
        if list.len() > EXACT_RESOURCES {
            notes.push(format!("{action}: {} objects under {path}/ allowed as {path}/*", list.len()));
            out.push(format!("{path}/*"));
        } else {
            out.extend(list.into_iter().map(str::to_string));
        }
    }
    out.sort();
    out
}

/// A resource name as a policy must write it to mean exactly it: `*`, `?` and `$` in it (an S3 key may hold them)
/// escaped as `${*}`, `${?}` and `${$}`. The `/*` that [`generalize`] adds stays a wildcard.
fn escape(resource: &str) -> String {
    let (body, tail) = match resource.strip_suffix("/*") {
        Some(body) if resource.starts_with("arn:aws:s3:::") => (body, "/*"),
        _ => (resource, ""),
    };
    let mut out = String::with_capacity(resource.len());
    for c in body.chars() {
        match c {
            '*' => out.push_str("${*}"),
            '?' => out.push_str("${?}"),
            '$' => out.push_str("${$}"),
            c => out.push(c),
        }
    }
    out.push_str(tail);
    out
}

/// An IAM user, role or group ARN as the log builds it (`arn:aws:iam::ACCOUNT:role/NAME`, no path), with the path
/// of the snapshot's principal of that account, kind and name; other resources unchanged.
fn with_iam_path(snapshot: &Snapshot, resource: &str) -> String {
    let Some(rest) = resource.strip_prefix("arn:aws:iam::") else { return resource.to_string() };
    let Some((account, entity)) = rest.split_once(':') else { return resource.to_string() };
    let Some((kind, name)) = entity.split_once('/') else { return resource.to_string() };
    let kind = match kind {
        "user" => PrincipalKind::User,
        "role" => PrincipalKind::Role,
        "group" => PrincipalKind::Group,
        _ => return resource.to_string(),
    };
    snapshot
        .principals
        .iter()
        .find(|p| p.kind == kind && p.account_id == account && p.name == name)
        .map_or_else(|| resource.to_string(), |p| p.id.clone())
}

fn describe_load(errors: &[sightline_iam::authz::LoadError]) -> String {
    errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const USER: &str = "arn:aws:iam::111111111111:user/alice";

    fn snapshot(boundary: Option<serde_json::Value>) -> Snapshot {
        let call = |action: &str, resource: Option<&str>, denied: bool, last: &str| {
            json!({"provider": "aws", "account_id": "111111111111", "principal": USER, "action": action,
                   "resource": resource, "denied": denied, "count": 2, "first_seen": "2026-10-01T00:00:00Z", "last_seen": last})
        };
        let mut policies = vec![];
        let mut user = json!({"provider": "aws", "id": USER, "kind": "user", "account_id": "111111111111", "name": "alice",
            "inline_policies": [{"name": "broad", "document": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:*", "iam:*", "sqs:*"], "Resource": "*"}]}}]});
        if let Some(b) = boundary {
            policies.push(
                json!({"provider": "aws", "id": "arn:aws:iam::111111111111:policy/b", "kind": "customer_managed",
                                 "name": "b", "account_id": "111111111111", "document": b}),
            );
            user["permissions_boundary"] = json!("arn:aws:iam::111111111111:policy/b");
        }
        serde_json::from_value(json!({
            "format_version": 1,
            "accounts": [{"provider": "aws", "id": "111111111111"}],
            "principals": [user],
            "policies": policies,
            "activity": [
                call("s3:GetObject", Some("arn:aws:s3:::data/a.csv"), false, "2026-11-20T00:00:00Z"),
                call("s3:GetObject", Some("arn:aws:s3:::data/b.csv"), false, "2026-11-21T00:00:00Z"),
                call("s3:ListAllMyBuckets", Some("arn:aws:s3:::data"), false, "2026-11-20T00:00:00Z"),
                call("sqs:ListQueues", None, false, "2026-11-20T00:00:00Z"),
                call("iam:CreateUser", Some("arn:aws:iam::111111111111:user/x"), true, "2026-11-20T00:00:00Z"),
                call("signin:ConsoleLogin", None, false, "2026-11-20T00:00:00Z"),
                // Used once, long before the window.
                call("sqs:DeleteQueue", None, false, "2026-01-01T00:00:00Z"),
            ],
            "activity_periods": [{"provider": "aws", "account_id": "111111111111", "from": "2026-01-01T00:00:00Z",
                                  "to": "2026-11-27T00:00:00Z", "events": 100}]
        }))
        .unwrap()
    }

    #[test]
    fn the_policy_allows_exactly_the_observed_calls() {
        let lp = least_privilege(&snapshot(None), USER, Some(90)).unwrap();
        let policy = serde_json::to_value(&lp.policy).unwrap();
        let statements = policy["Statement"].as_array().unwrap();
        let find =
            |action: &str| statements.iter().find(|s| s["Action"].as_array().unwrap().iter().any(|a| a == action));
        // Objects as the log named them; an action that takes no resource on `*`.
        assert_eq!(
            find("s3:GetObject").unwrap()["Resource"],
            json!(["arn:aws:s3:::data/a.csv", "arn:aws:s3:::data/b.csv"])
        );
        assert_eq!(find("s3:ListAllMyBuckets").unwrap()["Resource"], json!("*"));
        assert_eq!(find("sqs:ListQueues").unwrap()["Resource"], json!("*"));
        // Outside the window, refused, or not an action: left out.
        assert!(find("sqs:DeleteQueue").is_none());
        assert!(find("iam:CreateUser").is_none());
        let omitted: Vec<&str> = lp.omitted.iter().map(|o| o.action.as_str()).collect();
        assert_eq!(omitted, ["iam:CreateUser", "signin:ConsoleLogin"]);
        assert_eq!((lp.observed_calls, lp.allowed_calls), (4, 4));
        assert!(lp.not_allowed.is_empty() && lp.beyond_observed.is_empty(), "{lp:?}");
        assert!(lp.removed_services.contains(&"iam".to_string()));
        assert!(lp.removed_actions > 100);
        assert!(lp.fits_managed_policy);
        assert!(lp.generalized.is_empty());
        // Written as people write policies: Version first.
        assert!(serde_json::to_string(&lp.policy)
            .unwrap()
            .starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"#));
    }

    #[test]
    fn many_resources_under_one_path_are_allowed_as_the_path() {
        let mut notes = Vec::new();
        let keys: Vec<String> =
            (0..8).map(|i| format!("arn:aws:s3:::b/logs/{i}.log")).chain(["arn:aws:s3:::b/x".to_string()]).collect();
        let got = generalize("s3:PutObject", keys.iter(), &mut notes);
        assert_eq!(got, ["arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/x"]);
        assert_eq!(notes, ["s3:PutObject: 8 objects under arn:aws:s3:::b/logs/ allowed as arn:aws:s3:::b/logs/*"]);
        let few: Vec<String> = (0..5).map(|i| format!("arn:aws:s3:::b/logs/{i}.log")).collect();
        assert_eq!(generalize("s3:PutObject", few.iter(), &mut notes).len(), 5);
        // Roles are never widened to role/*.
        let roles: Vec<String> = (0..8).map(|i| format!("arn:aws:iam::111111111111:role/r{i}")).collect();
        assert_eq!(generalize("sts:AssumeRole", roles.iter(), &mut notes).len(), 8);
        // Keys with wildcard characters are escaped; the added /* is not.
        assert_eq!(escape("arn:aws:s3:::b/a*b?$c"), "arn:aws:s3:::b/a${*}b${?}${$}c");
        assert_eq!(escape("arn:aws:s3:::b/logs/*"), "arn:aws:s3:::b/logs/*");
    }

    #[test]
    fn calls_the_new_policy_would_not_allow_are_reported() {
        // The boundary allows S3 only from one network: checked without that request context, the engine does not
        // allow it.
        let boundary = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
            {"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}]});
        let lp = least_privilege(&snapshot(Some(boundary)), USER, Some(90)).unwrap();
        assert_eq!(lp.observed_calls, 4);
        assert_eq!(lp.allowed_calls, 1);
        assert_eq!(lp.not_allowed.len(), 3, "{:?}", lp.not_allowed);
    }

    #[test]
    fn iam_paths_come_back_and_short_logs_are_flagged() {
        let mut s = snapshot(None);
        s.principals.push(
            serde_json::from_value(
                json!({"provider": "aws", "id": "arn:aws:iam::111111111111:role/service-role/deployer",
                "kind": "role", "account_id": "111111111111", "name": "deployer", "path": "/service-role/"}),
            )
            .unwrap(),
        );
        s.activity.push(
            serde_json::from_value(json!({"provider": "aws", "account_id": "111111111111", "principal": USER,
                "action": "iam:GetRole", "resource": "arn:aws:iam::111111111111:role/deployer", "count": 1,
                "first_seen": "2026-11-20T00:00:00Z", "last_seen": "2026-11-20T00:00:00Z"}))
            .unwrap(),
        );
        let lp = least_privilege(&s, USER, Some(90)).unwrap();
        let text = serde_json::to_string(&lp.policy).unwrap();
        assert!(text.contains("arn:aws:iam::111111111111:role/service-role/deployer"), "{text}");
        assert!(lp.incomplete.is_none());
        // 400 days asked, 330 read.
        let lp = least_privilege(&s, USER, Some(400)).unwrap();
        assert!(
            lp.incomplete.as_deref().is_some_and(|g| g.contains("less than the 400-day window")),
            "{:?}",
            lp.incomplete
        );
    }

    #[test]
    fn unknown_identities_and_missing_activity_are_errors() {
        let s = snapshot(None);
        assert!(matches!(
            least_privilege(&s, "arn:aws:iam::111111111111:user/nobody", None),
            Err(Error::UnknownPrincipal(_))
        ));
        let mut quiet = s.clone();
        quiet.activity.clear();
        let err = least_privilege(&quiet, USER, None).unwrap_err().to_string();
        assert!(err.contains("no activity recorded") && err.contains("activity import"), "{err}");
    }
}
