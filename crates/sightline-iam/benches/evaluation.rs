//! Benchmarks of the evaluation engine over generated accounts (`sightline_aws::generate`).
//!
//! - `can/*`: one `Authorizer::check` on a typical account (200 principals, 500 managed policies), for a user and a
//!   role, allowed and denied. Goal: median under 10 µs.
//! - `who_can/10k_principals_50k_policies`: `Authorizer::who_can` over 10,000 principals and 50,000 policies. Goal:
//!   under 1 s.
//! - `authorizer_new/*`: `Authorizer::new` (parsing and indexing every policy) on both accounts.
//!
//! Run with `cargo bench -p sightline-iam --bench evaluation`; `scripts/bench.sh` runs it with the CLI measurements.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use sightline_aws::generate::{authorization_details, Size};
use sightline_aws::import::{authorization_details_from, Input};
use sightline_iam::authz::{Authorizer, Query};
use sightline_iam::{Context, Decision};
use sightline_model::Snapshot;
use std::path::PathBuf;
use std::time::Duration;

const ACCOUNT: &str = "123456789012";

fn snapshot(principals: usize, policies: usize) -> Snapshot {
    let text = authorization_details(Size { principals, policies, seed: 1 }, ACCOUNT);
    authorization_details_from(vec![Input { name: PathBuf::from("generated.json"), bytes: text.into_bytes() }])
        .expect("the generated export imports")
}

/// Requests that the generated policies often cover (see `sightline_aws::generate`).
fn candidate_requests() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in 0..97 {
        out.push(("s3:GetObject".to_string(), format!("arn:aws:s3:::bucket-{b}/key")));
        out.push(("s3:PutObject".to_string(), format!("arn:aws:s3:::bucket-{b}/key")));
        out.push(("s3:ListBucket".to_string(), format!("arn:aws:s3:::bucket-{b}")));
    }
    for t in 0..50 {
        out.push(("dynamodb:GetItem".to_string(), format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t{t}")));
    }
    for a in ["ec2:DescribeInstances", "ec2:RunInstances", "kms:Decrypt", "sqs:SendMessage", "logs:PutLogEvents"] {
        out.push((a.to_string(), "*".to_string()));
    }
    out.push(("iam:PassRole".to_string(), format!("arn:aws:iam::{ACCOUNT}:role/app-1-x")));
    out
}

/// Finds, for a principal of the given kind (`user` or `role`), a request it is allowed and one it is denied
/// (explicitly when `explicit`), so that each case measures the path it names.
fn find_case(authz: &Authorizer<'_>, kind: &str, decision: Decision, explicit: bool) -> Query {
    let prefix = format!("arn:aws:iam::{ACCOUNT}:{kind}/");
    let requests = candidate_requests();
    for principal in authz.principal_arns().filter(|p| p.starts_with(&prefix)) {
        for (action, resource) in &requests {
            let query = Query {
                principal: principal.to_string(),
                action: action.clone(),
                resource: resource.clone(),
                context: Context::default(),
                ..Default::default()
            };
            let e = authz.check(&query).expect("a valid query");
            if e.decision == decision && e.explicit_deny == explicit {
                return query;
            }
        }
    }
    panic!("no {kind} request with decision {decision:?} (explicit deny: {explicit}) in the generated account");
}

fn can(c: &mut Criterion) {
    let snapshot = snapshot(200, 500);
    let authz = Authorizer::new(&snapshot).expect("the generated account loads");
    let cases = [
        ("user_allow", find_case(&authz, "user", Decision::Allow, false)),
        ("user_implicit_deny", find_case(&authz, "user", Decision::Deny, false)),
        ("user_explicit_deny", find_case(&authz, "user", Decision::Deny, true)),
        ("role_allow", find_case(&authz, "role", Decision::Allow, false)),
        ("role_implicit_deny", find_case(&authz, "role", Decision::Deny, false)),
        ("role_explicit_deny", find_case(&authz, "role", Decision::Deny, true)),
    ];
    let mut group = c.benchmark_group("can");
    group.measurement_time(Duration::from_secs(3));
    for (name, query) in &cases {
        group.bench_with_input(BenchmarkId::from_parameter(name), query, |b, q| {
            b.iter(|| authz.check(black_box(q)).expect("a valid query"))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("authorizer_new");
    group.bench_function("200_principals_500_policies", |b| {
        b.iter(|| Authorizer::new(black_box(&snapshot)).map(|a| a.principal_arns().count()).expect("loads"))
    });
    group.finish();
}

fn large(c: &mut Criterion) {
    let snapshot = snapshot(10_000, 50_000);
    let authz = Authorizer::new(&snapshot).expect("the generated account loads");
    let resource = "arn:aws:s3:::bucket-1/key";
    let allowed = authz.who_can("s3:GetObject", resource, &Context::default()).expect("a valid query");
    eprintln!("who_can s3:GetObject {resource}: {} of 10,000 principals allowed", allowed.len());

    let mut group = c.benchmark_group("who_can");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(20));
    group.bench_function("10k_principals_50k_policies", |b| {
        b.iter(|| authz.who_can("s3:GetObject", black_box(resource), &Context::default()).expect("valid").len())
    });
    group.finish();

    let mut group = c.benchmark_group("authorizer_new");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(20));
    group.bench_function("10k_principals_50k_policies", |b| {
        b.iter(|| Authorizer::new(black_box(&snapshot)).map(|a| a.principal_arns().count()).expect("loads"))
    });
    group.finish();
}

criterion_group!(benches, can, large);
criterion_main!(benches);
