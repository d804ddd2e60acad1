//! What the unused-access rules share: when an identity, service, action or key was last used, from IAM's own
//! records (relative to the scan's time) and from imported CloudTrail activity (over the window that ends with the
//! account's last event read).
//!
//! CloudTrail only proves use: a call it does not show may still have happened when the trail does not log that
//! kind of event. Management events are logged by default; data events (S3 objects, Lambda invocations, DynamoDB
//! items...) only when the trail asks for them; a trail may log reads or writes only, and may leave out KMS and
//! RDS Data API events; some permissions (`iam:PassRole`, session tags) are never calls of their own. So an action
//! is judged unused from CloudTrail only when the account's logs, over the window, show calls of its kind: a data
//! event of its service, a read when it is a read (as CloudTrail counts reads), a write otherwise, an event of KMS
//! for KMS; and a service only when every action it allows would show.

use crate::scan::Scan;
use sightline_activity::{parse_time, Usage, Window};
use sightline_iam::actions::{AccessLevel, ActionDb};
use sightline_model::{Principal, PrincipalKind, Provider};
use std::collections::BTreeSet;

/// The CloudTrail window of the identity's account, when its logs were read and cover the whole window.
pub(crate) fn window(scan: &Scan<'_>, account: &str) -> Result<Window, String> {
    match Window::of(&scan.snapshot.activity_periods, Provider::Aws, account, scan.unused_days) {
        None => Err("no CloudTrail logs of the account were imported".to_string()),
        Some(w) => match w.gap() {
            Some(gap) => Err(gap),
            None => Ok(w),
        },
    }
}

/// Whether `time` is within the unused window of the scan's time.
pub(crate) fn recent(scan: &Scan<'_>, time: &str) -> Option<bool> {
    let t = parse_time(time)?;
    Some((scan.now - t).num_days() <= scan.unused_days)
}

/// The last allowed call of the identity in the window, if any.
pub(crate) fn used_in<'s>(usage: &Usage<'s>, principal: &Principal, window: &Window) -> Option<&'s str> {
    let last = usage.principal(&principal.id)?.last;
    parse_time(last).is_some_and(|t| t >= window.from).then_some(last)
}

/// Data events: calls CloudTrail logs only when the trail is told to.
pub(crate) fn is_data_event(action: &str) -> bool {
    let Some((service, name)) = action.split_once(':') else { return false };
    match service {
        "s3" => {
            name.contains("Object")
                || matches!(
                    name,
                    "ListBucket" | "ListBucketVersions" | "ListMultipartUploadParts" | "AbortMultipartUpload"
                )
        }
        "s3-object-lambda" | "s3express" | "ssmmessages" => true,
        "s3-outposts" => name.contains("Object") && !name.contains("Bucket"),
        "ebs" => matches!(
            name,
            "GetSnapshotBlock"
                | "PutSnapshotBlock"
                | "ListChangedBlocks"
                | "ListSnapshotBlocks"
                | "StartSnapshot"
                | "CompleteSnapshot"
        ),
        "cloudtrail-data" => name == "PutAuditEvents",
        "verifiedpermissions" => name.starts_with("IsAuthorized") || name.starts_with("BatchIsAuthorized"),
        "lambda" => matches!(name, "InvokeFunction" | "InvokeFunctionUrl"),
        "dynamodb" => matches!(
            name,
            "GetItem"
                | "PutItem"
                | "UpdateItem"
                | "DeleteItem"
                | "BatchGetItem"
                | "BatchWriteItem"
                | "Query"
                | "Scan"
                | "ConditionCheckItem"
                | "PartiQLSelect"
                | "PartiQLInsert"
                | "PartiQLUpdate"
                | "PartiQLDelete"
                | "GetRecords"
                | "GetShardIterator"
        ),
        "sns" => name == "Publish",
        "sqs" => matches!(name, "SendMessage" | "ReceiveMessage" | "DeleteMessage" | "ChangeMessageVisibility"),
        "kinesis" => {
            matches!(name, "PutRecord" | "PutRecords" | "GetRecords" | "GetShardIterator" | "SubscribeToShard")
        }
        _ => false,
    }
}

/// Actions CloudTrail never logs as calls of their own: permissions checked as part of another call
/// (`iam:PassRole`, session tags, source identity, S3 ownership and retention overrides) and API Gateway's
/// execution of an API. Nothing can say they went unused.
const NEVER_LOGGED: &[&str] = &[
    "iam:PassRole",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
    "s3:ObjectOwnerOverrideToBucketOwner",
    "s3:BypassGovernanceRetention",
    "execute-api:Invoke",
    "execute-api:InvalidateCache",
    "execute-api:ManageConnections",
];

/// Services whose management events a trail may leave out (`ExcludeManagementEventSources`): their actions are
/// judged only when the account's logs hold some event of theirs.
const EXCLUDABLE: &[&str] = &["kms", "rds-data"];

/// KMS's cryptographic operations: Write in the action database, but read-only events in CloudTrail (a trail that
/// logs writes only leaves them out).
fn logged_as_read(action: &str, level: AccessLevel) -> bool {
    matches!(level, AccessLevel::Read | AccessLevel::List)
        || matches!(
            action,
            "kms:Decrypt"
                | "kms:Encrypt"
                | "kms:ReEncryptFrom"
                | "kms:ReEncryptTo"
                | "kms:GenerateDataKey"
                | "kms:GenerateDataKeyPair"
                | "kms:GenerateDataKeyPairWithoutPlaintext"
                | "kms:GenerateDataKeyWithoutPlaintext"
                | "kms:GenerateMac"
                | "kms:VerifyMac"
                | "kms:Sign"
                | "kms:Verify"
                | "kms:GenerateRandom"
        )
}

/// What an account's CloudTrail logs, over the window, show they record: reads, writes, data events of which
/// services, and events of which of the services a trail may leave out.
#[derive(Debug, Default)]
pub(crate) struct Logged {
    data_services: BTreeSet<String>,
    services: BTreeSet<String>,
    reads: bool,
    writes: bool,
}

impl Logged {
    pub(crate) fn of(scan: &Scan<'_>, account: &str, window: Option<&Window>) -> Logged {
        let db = ActionDb::try_embedded().ok();
        let mut logged = Logged::default();
        let recent = |a: &&sightline_model::Activity| {
            window.is_none_or(|w| parse_time(&a.last_seen).is_some_and(|t| t >= w.from))
        };
        for a in scan.snapshot.activity.iter().filter(|a| a.account_id == account).filter(recent) {
            let service = a.action.split(':').next().unwrap_or_default();
            logged.services.insert(service.to_string());
            if is_data_event(&a.action) {
                logged.data_services.insert(service.to_string());
            } else if let Some(x) = db.and_then(|db| db.action(&a.action)) {
                if logged_as_read(&a.action, x.access_level) {
                    logged.reads = true;
                } else {
                    logged.writes = true;
                }
            }
        }
        logged
    }

    /// Whether a call of `action` (with this access level) would be in the logs.
    pub(crate) fn would_show(&self, action: &str, level: AccessLevel) -> bool {
        let service = action.split(':').next().unwrap_or_default();
        if NEVER_LOGGED.contains(&action) {
            return false;
        }
        if is_data_event(action) {
            return self.data_services.contains(service);
        }
        if EXCLUDABLE.contains(&service) && !self.services.contains(service) {
            return false;
        }
        if logged_as_read(action, level) {
            self.reads
        } else {
            self.writes
        }
    }
}

/// Users and roles the unused-access rules judge: not service-linked roles (AWS manages those).
pub(crate) fn judged(p: &Principal) -> bool {
    !p.path.as_deref().is_some_and(|path| path.starts_with("/aws-service-role/"))
}

/// Whether something was used in the window: `Used` (when), `Unused`, or not known (the data cannot tell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seen {
    Used(String),
    Unused,
    Unknown,
}

/// One identity's allowed services and actions, each judged used, unused or unknown.
#[derive(Debug, Default)]
pub(crate) struct Assessment {
    pub services: Vec<(String, Seen)>,
    /// The allowed actions of the services it used, with their access level.
    pub actions: Vec<(String, AccessLevel, Seen)>,
    /// Where the judgement comes from, in words.
    pub sources: Vec<String>,
}

/// IAM's service-last-accessed record of a principal (`ServicesLastAccessed`, as GetServiceLastAccessedDetails
/// returns it), when the snapshot has one.
fn iam_last_accessed(p: &Principal) -> Option<&Vec<serde_json::Value>> {
    p.properties.get("ServicesLastAccessed").and_then(|v| v.as_array())
}

/// Judges every service the identity may use (by the engine), and with `actions` every action of the services it
/// used, from IAM's last-accessed record and the account's CloudTrail window; why not, when neither is there.
pub(crate) fn assess(
    scan: &Scan<'_>,
    authz: &sightline_iam::authz::Authorizer<'_>,
    usage: &Usage<'_>,
    p: &Principal,
    actions: bool,
    logged: &mut std::collections::HashMap<String, Logged>,
) -> Result<Assessment, String> {
    let iam = iam_last_accessed(p);
    let trail = window(scan, &p.account_id);
    if iam.is_none() {
        if let Err(why) = &trail {
            return Err(format!("the snapshot has no service-last-accessed record for it, and {why}"));
        }
    }
    let db = ActionDb::try_embedded().map_err(|e| e.to_string())?;
    // What the account's logs record, read once per account.
    let logged: &Logged =
        logged.entry(p.account_id.clone()).or_insert_with(|| Logged::of(scan, &p.account_id, trail.as_ref().ok()));
    let mine = usage.principal(&p.id);
    let mut probe = sightline_graph::access::Probe::new(scan.snapshot, authz, &p.id);
    let mut out = Assessment::default();
    if iam.is_some() {
        out.sources.push("IAM service last accessed".to_string());
    }
    if let Ok(w) = &trail {
        out.sources.push(w.describe());
    }
    let in_window = |t: &str| trail.as_ref().is_ok_and(|w| parse_time(t).is_some_and(|t| t >= w.from));
    for service in db.services() {
        let name = service.prefix.as_str();
        let record =
            iam.and_then(|list| list.iter().find(|s| s.get("ServiceNamespace").and_then(|n| n.as_str()) == Some(name)));
        let iam_seen = match record {
            None => Seen::Unknown,
            Some(r) => match r.get("LastAuthenticated").and_then(|t| t.as_str()) {
                Some(t) => match recent(scan, t) {
                    Some(true) => Seen::Used(t.to_string()),
                    Some(false) => Seen::Unused,
                    None => Seen::Unknown,
                },
                None => Seen::Unused,
            },
        };
        let trail_used = mine.and_then(|m| m.services.get(name)).filter(|t| in_window(t));
        // Which of its actions the identity may perform.
        let allowed = probe.service(service);
        // A service is unused, from the logs, only if a call of any of its allowed actions would be in them.
        let shows = allowed.iter().all(|perm| logged.would_show(&perm.action, perm.access_level));
        if allowed.is_empty() {
            continue;
        }
        let trail_seen = match (&trail, trail_used) {
            (Err(_), _) => Seen::Unknown,
            (Ok(_), Some(t)) => Seen::Used(t.to_string()),
            (Ok(_), None) if shows => Seen::Unused,
            (Ok(_), None) => Seen::Unknown,
        };
        let seen = combine(iam_seen, trail_seen);
        if actions && matches!(seen, Seen::Used(_)) {
            for perm in &allowed {
                let tracked = record
                    .and_then(|r| r.get("TrackedActionsLastAccessed"))
                    .and_then(|t| t.as_array())
                    .and_then(|list| {
                        let name = perm.action.split(':').nth(1).unwrap_or_default();
                        list.iter().find(|a| a.get("ActionName").and_then(|n| n.as_str()) == Some(name))
                    });
                let iam_action = match tracked {
                    None => Seen::Unknown,
                    Some(a) => match a.get("LastAccessedTime").and_then(|t| t.as_str()) {
                        Some(t) => match recent(scan, t) {
                            Some(true) => Seen::Used(t.to_string()),
                            Some(false) => Seen::Unused,
                            None => Seen::Unknown,
                        },
                        None => Seen::Unused,
                    },
                };
                let trail_action = match (&trail, mine.and_then(|m| m.actions.get(perm.action.as_str()))) {
                    (Err(_), _) => Seen::Unknown,
                    (Ok(_), Some(t)) if in_window(t) => Seen::Used(t.to_string()),
                    (Ok(_), _) if logged.would_show(&perm.action, perm.access_level) => Seen::Unused,
                    (Ok(_), _) => Seen::Unknown,
                };
                out.actions.push((perm.action.clone(), perm.access_level, combine(iam_action, trail_action)));
            }
        }
        out.services.push((name.to_string(), seen));
    }
    Ok(out)
}

/// Runs `judge` on the assessment (see [`assess`], with `actions`) of every user and role the unused-access rules
/// judge; NOT_EVALUATED where the IAM data or the engine is missing or neither source can tell, PASS for an
/// identity created within the window.
pub(crate) fn each_assessed(
    scan: &Scan<'_>,
    out: &mut crate::scan::Out<'_>,
    actions: bool,
    mut judge: impl FnMut(&Principal, Assessment, &mut crate::scan::Out<'_>),
) {
    use crate::scan::Subject;
    let needs = out.meta().needs;
    for account in scan.aws_accounts().collect::<Vec<_>>() {
        if let Some(why) = scan.gap(account, None, needs, false) {
            out.not_evaluated(Subject::account(account), why);
        }
    }
    let authz = match scan.authorizer() {
        Ok(a) => a,
        Err(why) => {
            for account in scan.aws_accounts().collect::<Vec<_>>() {
                out.not_evaluated(Subject::account(account), why.to_string());
            }
            return;
        }
    };
    let usage = Usage::of(scan.snapshot);
    let mut logged = std::collections::HashMap::new();
    let principals = scan.principals(PrincipalKind::User).chain(scan.principals(PrincipalKind::Role));
    for p in principals.filter(|p| judged(p)) {
        if let Some(why) = scan.gap(&p.account_id, None, needs, false) {
            out.not_evaluated(p, why);
            continue;
        }
        if let Some(age) = p.created_at.as_deref().and_then(|c| super::util::age_days(scan, c)) {
            if age <= scan.unused_days {
                out.pass(p, format!("created {age} days ago, within the {}-day window", scan.unused_days));
                continue;
            }
        }
        match assess(scan, authz, &usage, p, actions, &mut logged) {
            Ok(a) => judge(p, a, out),
            Err(why) => out.not_evaluated(p, why),
        }
    }
}

/// Used if either source saw a use; unused if one saw none and neither saw a use; else unknown.
fn combine(a: Seen, b: Seen) -> Seen {
    match (a, b) {
        (Seen::Used(x), Seen::Used(y)) => Seen::Used(x.max(y)),
        (Seen::Used(x), _) | (_, Seen::Used(x)) => Seen::Used(x),
        (Seen::Unused, _) | (_, Seen::Unused) => Seen::Unused,
        _ => Seen::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_logs_would_show() {
        let only_reads = Logged { reads: true, ..Logged::default() };
        assert!(only_reads.would_show("ec2:DescribeInstances", AccessLevel::List));
        assert!(!only_reads.would_show("ec2:TerminateInstances", AccessLevel::Write));
        // KMS's crypto operations are reads to CloudTrail, and KMS events must be in the logs at all.
        assert!(!only_reads.would_show("kms:Decrypt", AccessLevel::Write));
        let with_kms = Logged { reads: true, services: ["kms".to_string()].into(), ..Logged::default() };
        assert!(with_kms.would_show("kms:Decrypt", AccessLevel::Write));
        let everything = Logged {
            reads: true,
            writes: true,
            services: ["kms".to_string()].into(),
            data_services: ["s3".to_string()].into(),
        };
        assert!(everything.would_show("s3:GetObject", AccessLevel::Read));
        assert!(!everything.would_show("iam:PassRole", AccessLevel::Write));
        assert!(!everything.would_show("dynamodb:GetItem", AccessLevel::Read));
    }

    #[test]
    fn data_events_are_told_apart() {
        for a in ["s3:GetObject", "s3:ListBucket", "lambda:InvokeFunction", "dynamodb:Query", "sqs:SendMessage"] {
            assert!(is_data_event(a), "{a}");
        }
        for a in ["s3:CreateBucket", "s3:GetBucketPolicy", "lambda:UpdateFunctionCode", "iam:CreateUser", "kms:Decrypt"]
        {
            assert!(!is_data_event(a), "{a}");
        }
    }
}
