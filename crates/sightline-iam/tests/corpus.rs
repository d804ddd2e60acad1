//! Runs the table-driven evaluation corpus (`tests/corpus/*.json`): each case states the policies in force, a
//! request, the AWS documentation page the expected outcome comes from, and the expected decision.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::Deserialize;
use sightline_iam::eval::{Level, PolicyRef, PolicySource};
use sightline_iam::policy::PolicyType;
use sightline_iam::{
    add_principal_context, evaluate, Context, Decision, PolicyDocument, PolicySet, PrincipalFacts, Request,
    RequestPrincipal,
};
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    doc: String,
    principal: CasePrincipal,
    #[serde(default)]
    identity_policies: Vec<serde_json::Value>,
    permissions_boundary: Option<serde_json::Value>,
    session_policy: Option<serde_json::Value>,
    resource_policy: Option<serde_json::Value>,
    resource_account: Option<String>,
    #[serde(default)]
    resource_management_account: bool,
    #[serde(default)]
    resource_tags: BTreeMap<String, String>,
    scps: Option<Vec<Vec<serde_json::Value>>>,
    rcps: Option<Vec<Vec<serde_json::Value>>>,
    request: CaseRequest,
    expect: String,
    expect_explicit_deny: Option<bool>,
    /// `service_control` or `resource_control` when an organization guardrail's missing Allow decided the
    /// denial, `none` when something else did.
    expect_guardrail: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CasePrincipal {
    arn: String,
    session_name: Option<String>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    service_linked: bool,
    #[serde(default)]
    management_account: bool,
    user_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseRequest {
    action: String,
    resource: String,
    #[serde(default)]
    context: BTreeMap<String, Vec<String>>,
}

struct Parsed {
    source: PolicySource,
    document: PolicyDocument,
}

fn parse(value: &serde_json::Value, kind: PolicyType, name: &str) -> Result<Parsed, String> {
    let document = PolicyDocument::from_value(value, kind).map_err(|e| format!("{name}: {e}"))?;
    Ok(Parsed { source: PolicySource { policy_type: kind, id: name.into(), name: name.into() }, document })
}

fn to_ref(p: &Parsed) -> PolicyRef<'_> {
    PolicyRef { source: &p.source, document: &p.document }
}

fn to_levels(ls: &Option<Vec<Vec<Parsed>>>) -> Option<Vec<Level<'_>>> {
    ls.as_ref().map(|ls| {
        ls.iter()
            .enumerate()
            .map(|(i, ps)| Level { target: format!("level {i}"), policies: ps.iter().map(to_ref).collect() })
            .collect()
    })
}

fn run(case: &Case) -> Result<(), String> {
    let mut principal =
        RequestPrincipal::from_arn(&case.principal.arn, case.principal.session_name.as_deref().unwrap_or("session"))
            .ok_or_else(|| format!("unsupported principal {}", case.principal.arn))?;
    principal.service_linked |= case.principal.service_linked;
    let identity: Vec<Parsed> = case
        .identity_policies
        .iter()
        .enumerate()
        .map(|(i, p)| parse(p, PolicyType::Identity, &format!("identity[{i}]")))
        .collect::<Result<_, _>>()?;
    let boundary = case
        .permissions_boundary
        .as_ref()
        .map(|p| parse(p, PolicyType::PermissionsBoundary, "boundary"))
        .transpose()?;
    let session = case.session_policy.as_ref().map(|p| parse(p, PolicyType::Session, "session")).transpose()?;
    let resource_kind = if case.request.action.to_ascii_lowercase().starts_with("sts:assumerole") {
        PolicyType::Trust
    } else {
        PolicyType::Resource
    };
    let resource = case.resource_policy.as_ref().map(|p| parse(p, resource_kind, "resource")).transpose()?;
    let levels = |levels: &Option<Vec<Vec<serde_json::Value>>>,
                  kind,
                  prefix: &str|
     -> Result<Option<Vec<Vec<Parsed>>>, String> {
        levels
            .as_ref()
            .map(|ls| {
                ls.iter()
                    .enumerate()
                    .map(|(l, ps)| {
                        ps.iter().enumerate().map(|(i, p)| parse(p, kind, &format!("{prefix}[{l}][{i}]"))).collect()
                    })
                    .collect()
            })
            .transpose()
    };
    let scps =
        if case.principal.management_account { None } else { levels(&case.scps, PolicyType::ServiceControl, "scp")? };
    let rcps =
        if case.resource_management_account { None } else { levels(&case.rcps, PolicyType::ResourceControl, "rcp")? };
    let set = PolicySet {
        identity: identity.iter().map(to_ref).collect(),
        boundary: boundary.as_ref().map(to_ref),
        session: session.as_ref().map(to_ref),
        scps: to_levels(&scps),
        rcps: to_levels(&rcps),
        resource: resource.as_ref().map(to_ref),
        identity_unknown: false,
    };
    let mut context = Context::default();
    for (k, v) in &case.request.context {
        context.insert(k, v.clone());
    }
    let facts = PrincipalFacts {
        user_name: None,
        unique_id: case.principal.user_id.as_deref(),
        tags: Some(&case.principal.tags),
        org_id: None,
        org_path: None,
    };
    add_principal_context(&mut context, &principal, &facts);
    let resource_account = case.resource_account.clone().or_else(|| {
        sightline_iam::arn::account_of(&case.request.resource)
            .map(str::to_string)
            .or_else(|| Some(principal.account.clone()))
    });
    if let Some(a) = &resource_account {
        context.insert_default("aws:ResourceAccount", vec![a.clone()]);
    }
    for (k, v) in &case.resource_tags {
        context.insert_default(&format!("aws:ResourceTag/{k}"), vec![v.clone()]);
    }
    let request = Request {
        principal: &principal,
        action: &case.request.action,
        resource: &case.request.resource,
        resource_account: resource_account.as_deref().filter(|a| !a.is_empty()),
        context: &context,
    };
    let explanation = evaluate(&request, &set);
    let expected = match case.expect.as_str() {
        "allow" => Decision::Allow,
        "deny" => Decision::Deny,
        other => return Err(format!("bad expect {other:?}")),
    };
    if explanation.decision != expected {
        return Err(format!("expected {expected:?}, got {:?}: {}", explanation.decision, explanation.summary));
    }
    if let Some(want) = &case.expect_guardrail {
        let got = explanation.guardrail.map_or("none", |t| match t {
            PolicyType::ServiceControl => "service_control",
            PolicyType::ResourceControl => "resource_control",
            _ => "other",
        });
        if got != want {
            return Err(format!("expected guardrail {want}, got {got}: {}", explanation.summary));
        }
    }
    if let Some(explicit) = case.expect_explicit_deny {
        if explanation.explicit_deny != explicit {
            return Err(format!(
                "expected explicit_deny={explicit}, got {}: {}",
                explanation.explicit_deny, explanation.summary
            ));
        }
    }
    Ok(())
}

#[test]
fn corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut total = 0;
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for file in files {
        let cases: Vec<Case> = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in &cases {
            total += 1;
            assert!(
                case.doc.starts_with("https://docs.aws.amazon.com/"),
                "{}: case {:?} cites no AWS page",
                file.display(),
                case.name
            );
            assert!(names.insert(case.name.clone()), "duplicate case name {:?}", case.name);
            if let Err(e) = run(case) {
                failures.push(format!(
                    "{} / {}: {e}\n    see {}",
                    file.file_name().unwrap().to_string_lossy(),
                    case.name,
                    case.doc
                ));
            }
        }
    }
    eprintln!("corpus: {total} cases");
    assert!(total >= 150, "the corpus has only {total} cases");
    assert!(failures.is_empty(), "{} of {total} corpus cases failed:\n{}", failures.len(), failures.join("\n"));
}
