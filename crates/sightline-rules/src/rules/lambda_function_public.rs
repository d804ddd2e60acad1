//! Lambda function policies do not give access to everyone.

use super::resource_access::{check as check_access, Reach, LAMBDA_FUNCTION_PROBES};
use super::util::need;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-lambda-function-public",
        title: "Lambda function policies do not give access to everyone",
        severity: Severity::Critical,
        resource_type: "AWS::Lambda::Function",
        domain: Domain::AccessManagement,
        rationale: "A resource-based policy that lets \"*\" act on the resource, with no condition an outsider cannot meet, opens it to anyone on the internet, signed in to AWS or not.",
        remediation: Remediation {
            console: "Lambda > Functions > FUNCTION > Configuration > Permissions > Resource-based policy statements: delete the statement, or limit it with conditions on aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn.",
            cli: "aws lambda remove-permission --function-name FUNCTION --statement-id STATEMENT_ID",
            terraform: "resource \"aws_lambda_permission\" \"this\" {\n  function_name = aws_lambda_function.this.function_name\n  action        = \"lambda:InvokeFunction\"\n  principal     = \"events.amazonaws.com\"\n  source_arn    = aws_cloudwatch_event_rule.this.arn # never principal = \"*\" without a source\n}",
        },
        references: &["https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html"],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[need("lambda", "GetPolicy", true)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:lambda:us-east-1:123456789012:function:f","resource_type":"AWS::Lambda::Function","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0123456789abcdef0"}}}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:lambda:us-east-1:123456789012:function:f","resource_type":"AWS::Lambda::Function","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}]},"properties":{}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:lambda:us-east-1:123456789012:function:f","resource_type":"AWS::Lambda::Function","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}]},"properties":{}}]}"#, r#"{"resources":[{"id":"arn:aws:lambda:us-east-1:123456789012:function:f","resource_type":"AWS::Lambda::Function","region":"us-east-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]},"properties":{}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    check_access(scan, out, "AWS::Lambda::Function", LAMBDA_FUNCTION_PROBES, Reach::Public);
}
