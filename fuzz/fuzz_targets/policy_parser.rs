//! Fuzzes the IAM policy parser, and the evaluation engine on every policy the parser accepts.
//!
//! The input is taken as UTF-8 text and parsed as each kind of policy (identity, permissions boundary, session,
//! SCP, RCP, resource-based, trust). A policy that parses is evaluated once, in the place its kind takes in a
//! `PolicySet`, against a fixed request by a role session, so that conditions, wildcards and policy variables the
//! fuzzer invents reach the engine too. Any panic (index out of range, slicing inside a UTF-8 character, arithmetic
//! overflow with debug assertions, unbounded recursion) is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sightline_iam::eval::{Level, PolicyRef, PolicySource};
use sightline_iam::{add_principal_context, evaluate, Context, PolicyDocument, PolicySet, PolicyType, PrincipalFacts};
use sightline_iam::{Request, RequestPrincipal};
use std::collections::BTreeMap;

const KINDS: [PolicyType; 7] = [
    PolicyType::Identity,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
    PolicyType::ServiceControl,
    PolicyType::ResourceControl,
    PolicyType::Resource,
    PolicyType::Trust,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(principal) = RequestPrincipal::from_arn("arn:aws:iam::111111111111:role/app", "session") else { return };
    let mut context = Context::default();
    context.insert("aws:SourceIp", vec!["10.1.2.3".into()]);
    context.insert("aws:MultiFactorAuthPresent", vec!["true".into()]);
    context.insert("aws:CurrentTime", vec!["2024-06-01T12:00:00Z".into()]);
    context.insert("s3:prefix", vec!["home/".into(), "public/".into()]);
    let tags: BTreeMap<String, String> = [("team".to_string(), "red".to_string())].into_iter().collect();
    let facts = PrincipalFacts { tags: Some(&tags), org_id: Some("o-example"), ..PrincipalFacts::default() };
    add_principal_context(&mut context, &principal, &facts);

    for kind in KINDS {
        let Ok(document) = PolicyDocument::parse(text, kind) else { continue };
        // A trust policy is the resource-based policy of `sts:AssumeRole`; every other kind is evaluated on an S3
        // read of a bucket in the caller's account.
        let (action, resource) = match kind {
            PolicyType::Trust => ("sts:AssumeRole", "arn:aws:iam::111111111111:role/target"),
            _ => ("s3:GetObject", "arn:aws:s3:::bucket/home/key.txt"),
        };
        let source = PolicySource { policy_type: kind, id: "fuzz".into(), name: "fuzz".into() };
        let policy = PolicyRef { source: &source, document: &document };
        let level = || Some(vec![Level { target: "r-root".into(), policies: vec![policy] }]);
        let mut set = PolicySet::default();
        match kind {
            PolicyType::Identity => set.identity.push(policy),
            PolicyType::PermissionsBoundary => set.boundary = Some(policy),
            PolicyType::Session => set.session = Some(policy),
            PolicyType::ServiceControl => set.scps = level(),
            PolicyType::ResourceControl => set.rcps = level(),
            PolicyType::Resource | PolicyType::Trust => set.resource = Some(policy),
        }
        let request = Request {
            principal: &principal,
            action,
            resource,
            resource_account: Some("111111111111"),
            context: &context,
        };
        let _ = evaluate(&request, &set);
    }
});
