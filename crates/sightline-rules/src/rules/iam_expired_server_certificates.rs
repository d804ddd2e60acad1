//! Expired certificates are removed from IAM.

use super::util::{age_days, each_resource, need};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "aws-iam-expired-server-certificates",
        title: "Expired SSL/TLS certificates are removed from IAM",
        severity: Severity::Low,
        resource_type: "AWS::IAM::ServerCertificate",
        domain: Domain::Configuration,
        rationale: "An expired certificate still in IAM can be attached to a load balancer or CloudFront by mistake, \
                    breaking clients or teaching users to click through certificate warnings.",
        remediation: Remediation {
            console: "Server certificates are not shown in the IAM console; use the AWS CLI (or move to AWS Certificate Manager).",
            cli: "aws iam delete-server-certificate --server-certificate-name NAME",
            terraform: "# Remove the aws_iam_server_certificate resource; prefer aws_acm_certificate, which renews itself.",
        },
        references: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html"],
        controls: &[cis("1.18"), nist("SC-17")],
        needs: &[need("iam", "ListServerCertificates", false)],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:server-certificate/web","resource_type":"AWS::IAM::ServerCertificate","properties":{"Expiration":"2030-01-01T00:00:00Z"}}]}"#],
        fail: &[r#"{"resources":[{"id":"arn:aws:iam::123456789012:server-certificate/old","resource_type":"AWS::IAM::ServerCertificate","properties":{"Expiration":"2012-05-08T01:02:03.004Z"}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    each_resource(scan, out, "AWS::IAM::ServerCertificate", RULE.meta.needs, |cert, out| {
        let expiration = cert.properties.get("Expiration").and_then(|e| e.as_str());
        match expiration.and_then(|e| age_days(scan, e).map(|days| (e, days))) {
            None => out.not_evaluated(cert, "the certificate record has no readable Expiration"),
            Some((e, days)) => out.verdict(
                cert,
                days < 0,
                if days < 0 { format!("expires {e}") } else { format!("expired {e} ({days} days ago)") },
                json!({ "Expiration": e }),
            ),
        }
    });
}
