//! Public and cross-account access through resource-based policies, decided by the IAM engine the way IAM Access
//! Analyzer decides it: every principal a policy names outside the snapshot's accounts (and everyone, for `*`) is
//! put through the engine for a set of sensitive actions, with a request context an outsider could present. A
//! condition the outsider cannot meet (`aws:SourceVpce`, `aws:PrincipalOrgID`, `aws:SourceArn`,
//! `aws:SourceAccount`, a private `aws:SourceIp` range) keeps the grant from counting.

use super::util::each_resource;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_iam::Context;
use sightline_model::Props;
use sightline_model::Resource;

/// Which outsiders a rule is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Everyone, authenticated or not (`Principal: "*"` without a limiting condition).
    Public,
    /// Named principals of accounts outside the snapshot.
    CrossAccount,
}

/// An action to try, on the resource itself or (S3) on an object in it.
pub(crate) struct Probe {
    pub action: &'static str,
    pub on_object: bool,
}

pub(crate) const fn on_resource(action: &'static str) -> Probe {
    Probe { action, on_object: false }
}

pub(crate) const fn on_object(action: &'static str) -> Probe {
    Probe { action, on_object: true }
}

/// The sensitive actions tried on s3 buckets.
pub(crate) const S3_BUCKET_PROBES: &[Probe] = &[
    on_object("s3:GetObject"),
    on_object("s3:PutObject"),
    on_object("s3:DeleteObject"),
    on_resource("s3:ListBucket"),
    on_resource("s3:PutBucketPolicy"),
];

/// The sensitive actions tried on sns topics.
pub(crate) const SNS_TOPIC_PROBES: &[Probe] =
    &[on_resource("sns:Publish"), on_resource("sns:Subscribe"), on_resource("sns:SetTopicAttributes")];

/// The sensitive actions tried on sqs queues.
pub(crate) const SQS_QUEUE_PROBES: &[Probe] = &[
    on_resource("sqs:SendMessage"),
    on_resource("sqs:ReceiveMessage"),
    on_resource("sqs:DeleteMessage"),
    on_resource("sqs:SetQueueAttributes"),
];

/// The sensitive actions tried on lambda functions.
pub(crate) const LAMBDA_FUNCTION_PROBES: &[Probe] = &[
    on_resource("lambda:InvokeFunction"),
    on_resource("lambda:UpdateFunctionCode"),
    on_resource("lambda:GetFunction"),
];

/// The sensitive actions tried on ecr repositorys.
pub(crate) const ECR_REPOSITORY_PROBES: &[Probe] = &[
    on_resource("ecr:BatchGetImage"),
    on_resource("ecr:GetDownloadUrlForLayer"),
    on_resource("ecr:PutImage"),
    on_resource("ecr:InitiateLayerUpload"),
];

/// The sensitive actions tried on kms keys.
pub(crate) const KMS_KEY_PROBES: &[Probe] = &[
    on_resource("kms:Decrypt"),
    on_resource("kms:Encrypt"),
    on_resource("kms:GenerateDataKey"),
    on_resource("kms:CreateGrant"),
    on_resource("kms:PutKeyPolicy"),
];

/// The sensitive actions tried on secretsmanager secrets.
pub(crate) const SECRETSMANAGER_SECRET_PROBES: &[Probe] = &[
    on_resource("secretsmanager:GetSecretValue"),
    on_resource("secretsmanager:PutSecretValue"),
    on_resource("secretsmanager:PutResourcePolicy"),
];

/// What an outsider's request carries: a public source address (documentation range) over TLS, and nothing that
/// ties it to the account (no VPC endpoint, organization, source ARN or account).
fn outsider_context() -> Context {
    let mut context = Context::default();
    context.insert("aws:SourceIp", vec!["203.0.113.10".into()]);
    context.insert("aws:SecureTransport", vec!["true".into()]);
    context
}

/// Checks every resource of a type with a resource-based policy: FAIL when an outsider of the kind `reach` says
/// can perform one of `probes`; PASS when none can (or the resource has no policy).
/// One principal outside the resource's account that its policy lets perform one probed action.
#[derive(Clone)]
pub(crate) struct Grant {
    pub action: &'static str,
    pub principal: String,
    /// `public`, `external account`, `external`, `service`, `identity provider` (as the engine names them).
    pub principal_type: &'static str,
    /// The statements that allow it: `statement N (Sid)`.
    pub statements: Vec<String>,
}

/// What the engine found about a resource's policy: the grants to principals outside its account for every
/// probed action, or why it could not tell.
pub(crate) type ExternalAccess = Result<Vec<Grant>, String>;

fn external_access(scan: &Scan<'_>, r: &Resource, probes: &[Probe]) -> ExternalAccess {
    if r.policy.is_none() {
        return Ok(Vec::new());
    }
    let authz = scan.authorizer().map_err(str::to_string)?;
    let context = outsider_context();
    let mut grants = Vec::new();
    // The probes on the resource itself, then those on an object in it: one question to the engine for each.
    for on_object in [false, true] {
        let actions: Vec<&'static str> = probes.iter().filter(|p| p.on_object == on_object).map(|p| p.action).collect();
        if actions.is_empty() {
            continue;
        }
        let target = if on_object { format!("{}/sightline-probe-object", r.id) } else { r.id.clone() };
        let allowed = authz
            .external_access_actions(&actions, &target, &context)
            .map_err(|e| format!("{}: {e}", actions.join(", ")))?;
        for (action, allowed) in actions.iter().zip(allowed) {
            for a in allowed {
                let statements = a
                    .explanation
                    .statements
                    .iter()
                    .map(|s| match &s.sid {
                        Some(sid) => format!("statement {} ({sid})", s.statement),
                        None => format!("statement {}", s.statement),
                    })
                    .collect();
                grants.push(Grant { action, principal: a.principal, principal_type: a.principal_type, statements });
            }
        }
    }
    // In the order of the probes.
    grants.sort_by_key(|g| probes.iter().position(|p| p.action == g.action));
    Ok(grants)
}

/// The public (`Reach::Public`) or cross-account rule of one resource type: the engine is asked once per resource
/// and probe for every principal outside the account, and both rules of the type share the answer.
pub(crate) fn check(scan: &Scan<'_>, out: &mut Out<'_>, resource_type: &str, probes: &[Probe], reach: Reach) {
    let needs = out.meta().needs;
    each_resource(scan, out, resource_type, needs, |r, out| {
        if r.policy.is_none() {
            out.pass(r, "no resource-based policy");
            return;
        }
        {
            {
                let grants = match scan.external_access(r, |r| external_access(scan, r, probes)) {
                    Ok(grants) => grants,
                    Err(why) => {
                        out.not_evaluated(r, why);
                        return;
                    }
                };
                let counts = |g: &&Grant| match reach {
                    Reach::Public => g.principal_type == "public",
                    Reach::CrossAccount => matches!(g.principal_type, "external account" | "external"),
                };
                let grants: Vec<&Grant> = grants.iter().filter(counts).collect();
                let who = if reach == Reach::Public { "everyone" } else { "principals of other accounts" };
                if grants.is_empty() {
                    out.pass(r, format!("the policy gives {who} none of the sensitive actions checked"));
                } else if reach == Reach::Public && restricted_by_block_public_access(scan, r) {
                    out.pass(
                        r,
                        "the bucket policy is public, but Block Public Access (RestrictPublicBuckets) stops it",
                    );
                } else {
                    let actions: std::collections::BTreeSet<&str> = grants.iter().map(|g| g.action).collect();
                    let evidence: Vec<serde_json::Value> = grants
                        .iter()
                        .map(|g| json!({ "principal": g.principal, "action": g.action, "statements": g.statements }))
                        .collect();
                    out.fail(
                        r,
                        format!(
                            "the resource policy lets {who} {}",
                            actions.into_iter().collect::<Vec<_>>().join(", ")
                        ),
                        json!({ "grants": evidence }),
                    );
                }
            }
        }
    });
}

/// The read actions (`s3:GetObject`, `s3:ListBucket`) a bucket's policy gives everyone, unless Block Public Access
/// stops them: `None` when it gives none. ACLs are not read here (the ACL rule judges them).
pub(crate) fn publicly_readable<'s>(scan: &Scan<'s>, r: &'s Resource) -> Result<Option<Vec<&'static str>>, String> {
    if r.policy.is_none() {
        return Ok(None);
    }
    let grants = scan.external_access(r, |r| external_access(scan, r, S3_BUCKET_PROBES))?;
    let mut actions: Vec<&'static str> = grants
        .iter()
        .filter(|g| g.principal_type == "public" && matches!(g.action, "s3:GetObject" | "s3:ListBucket"))
        .map(|g| g.action)
        .collect();
    actions.dedup();
    if actions.is_empty() || restricted_by_block_public_access(scan, r) {
        return Ok(None);
    }
    Ok(Some(actions))
}

fn restricted_by_block_public_access(scan: &Scan<'_>, r: &Resource) -> bool {
    if r.resource_type != "AWS::S3::Bucket" {
        return false;
    }
    let on = |v: Option<&Props>| v.and_then(|c| c.get("RestrictPublicBuckets")).and_then(Props::as_bool) == Some(true);
    let account = super::util::find(scan, "AWS::S3::AccountPublicAccessBlock", &r.account_id, None)
        .and_then(|a| a.properties.get("PublicAccessBlockConfiguration"));
    on(r.properties.get("PublicAccessBlockConfiguration")) || on(account)
}
