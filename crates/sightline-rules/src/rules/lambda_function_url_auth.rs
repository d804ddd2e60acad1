//! Lambda function URLs require IAM authentication.

use super::util::{each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Props;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-lambda-function-url-auth",
        title: "Lambda function URLs require IAM authentication",
        severity: Severity::High,
        resource_type: "AWS::Lambda::Function",
        domain: Domain::AccessManagement,
        rationale: "A function URL with AuthType NONE is an HTTPS endpoint anyone on the internet can call; the \
                    function's code alone then stands between the world and everything its role can do.",
        remediation: Remediation {
            console: "Lambda > Functions > FUNCTION > Configuration > Function URL > Edit: Auth type AWS_IAM (or put the function behind API Gateway with an authorizer).",
            cli: "aws lambda update-function-url-config --function-name FUNCTION --auth-type AWS_IAM",
            terraform: "resource \"aws_lambda_function_url\" \"this\" {\n  function_name      = aws_lambda_function.this.function_name\n  authorization_type = \"AWS_IAM\"\n}",
        },
        references: &["https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"],
        controls: &[nist("AC-3"), nist("IA-2"), pci("7.2.1")],
        needs: &[need("lambda", "ListFunctionUrlConfigs", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"resources":[{"id":"arn:aws:lambda:us-east-1:123456789012:function:f","resource_type":"AWS::Lambda::Function","region":"us-east-1","properties":{"FunctionUrlConfigs":[{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","AuthType":"AWS_IAM"}]}}]}"#,
            r#"{"resources":[{"id":"arn:aws:lambda:us-east-1:123456789012:function:f","resource_type":"AWS::Lambda::Function","region":"us-east-1","properties":{"FunctionUrlConfigs":[]}}]}"#,
        ],
        fail: &[r#"{"resources":[{"id":"arn:aws:lambda:us-east-1:123456789012:function:f","resource_type":"AWS::Lambda::Function","region":"us-east-1","properties":{"FunctionUrlConfigs":[{"FunctionUrl":"https://x.lambda-url.us-east-1.on.aws/","AuthType":"NONE"}]}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::Lambda::Function", RULE.meta.needs, |function, out| {
        let Some(urls) = function.properties.get("FunctionUrlConfigs").and_then(Props::as_array) else {
            out.not_evaluated(function, "the function record has no FunctionUrlConfigs");
            return;
        };
        let open: Vec<&str> = urls
            .iter()
            .filter(|u| u.get("AuthType").and_then(Props::as_str) == Some("NONE"))
            .filter_map(|u| u.get("FunctionUrl").and_then(Props::as_str))
            .collect();
        out.verdict(
            function,
            open.is_empty(),
            if urls.is_empty() {
                "no function URL".to_string()
            } else if open.is_empty() {
                "every function URL requires IAM authentication".to_string()
            } else {
                format!("callable by anyone: {}", open.join(", "))
            },
            json!({ "unauthenticated_urls": open }),
        );
    });
}
