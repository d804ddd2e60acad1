//! Lambda functions run on a supported runtime.

use super::util::{judge_each, need, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
#[allow(unused_imports)]
use serde_json::{json, Value};
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-lambda-runtime-supported",
        title: "Lambda functions run on a supported runtime",
        severity: Severity::Medium,
        resource_type: "AWS::Lambda::Function",
        domain: Domain::Application,
        rationale: "A deprecated runtime gets no more security patches from AWS, and its language version none from its maintainers.",
        remediation: Remediation {
            console: "Lambda > Functions > FUNCTION > Code > Runtime settings > Edit: a supported runtime version (test the code on it first).",
            cli: "aws lambda update-function-configuration --function-name FUNCTION --runtime python3.12",
            terraform: "resource \"aws_lambda_function\" \"this\" {\n  # ...\n  runtime = \"python3.12\"\n}",
        },
        references: &["https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated"],
        controls: &[nist("SI-2"), pci("6.3.3")],
        needs: &[need("lambda", "ListFunctions", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Lambda::Function","region":"us-east-1","properties":{"Runtime":"python3.12"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:x:us-east-1:123456789012:thing/r1","resource_type":"AWS::Lambda::Function","region":"us-east-1","properties":{"Runtime":"python3.7"}}]}"#],
    },
};

/// The verdict on one resource: `Ok(None)` when the rule does not apply to it, `Err` when the data it needs is
/// missing.
fn judge(r: &Resource) -> Judgement {
    let p = &r.properties;
    // Runtimes whose deprecation date has passed (AWS Lambda runtime deprecation list).
    const DEPRECATED: &[&str] = &[
        "python2.7",
        "python3.6",
        "python3.7",
        "python3.8",
        "nodejs",
        "nodejs4.3",
        "nodejs4.3-edge",
        "nodejs6.10",
        "nodejs8.10",
        "nodejs10.x",
        "nodejs12.x",
        "nodejs14.x",
        "nodejs16.x",
        "java8",
        "dotnetcore1.0",
        "dotnetcore2.0",
        "dotnetcore2.1",
        "dotnetcore3.1",
        "dotnet5.0",
        "dotnet6",
        "dotnet7",
        "go1.x",
        "ruby2.5",
        "ruby2.7",
        "provided",
    ];
    let Some(runtime) = p.get("Runtime").and_then(Props::as_str) else {
        // Container-image functions have no managed runtime.
        return Ok(None);
    };
    let old = DEPRECATED.contains(&runtime);
    Ok(Some((
        !old,
        if old { format!("runtime {runtime} is deprecated") } else { format!("runtime {runtime}") },
        json!({ "Runtime": runtime }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "AWS::Lambda::Function", judge);
}
