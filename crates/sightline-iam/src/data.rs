//! Facts about AWS that the engine needs and that change over time: kept here as data, not spread through code.

/// Service prefixes whose actions resource control policies apply to, as the AWS Organizations user guide lists
/// them ("List of AWS services that support RCPs"). Sorted, for binary search.
pub const RCP_SERVICES: &[&str] = &[
    "aoss",
    "appconfig",
    "appstream",
    "autoscaling",
    "autoscaling-plans",
    "budgets",
    "clouddirectory",
    "cloudfront",
    "cloudsearch",
    "cloudtrail-data",
    "codeartifact",
    "codebuild",
    "codecommit",
    "codepipeline",
    "cognito-identity",
    "cognito-idp",
    "comprehend",
    "comprehendmedical",
    "compute-optimizer",
    "cost-optimization-hub",
    "dax",
    "dsql",
    "dynamodb",
    "ecr",
    "ecr-public",
    "events",
    "firehose",
    "fis",
    "fms",
    "gamelift",
    "health",
    "inspector-scan",
    "kendra",
    "kinesisvideo",
    "kms",
    "logs",
    "memorydb",
    "networkmonitor",
    "notifications",
    "opensearch",
    "pca-connector-ad",
    "personalize",
    "polly",
    "pricing",
    "resource-groups",
    "rolesanywhere",
    "s3",
    "secretsmanager",
    "servicediscovery",
    "signin",
    "sqs",
    "sts",
    "support",
    "swf",
    "textract",
    "timestream-influxdb",
    "transcribe",
    "transfer",
    "translate",
    "wafv2",
    "workspaces",
    "xray",
];

use crate::eval::{PrincipalType, RequestPrincipal};

/// Whether RCPs apply to a request: only for services that support them, never to service-linked roles (neither
/// their calls nor an AWS service assuming one) and never to `kms:RetireGrant`, as the Organizations and KMS guides
/// document.
pub fn rcps_apply(principal: &RequestPrincipal, action_lower: &str, resource: &str) -> bool {
    let service = action_lower.split(':').next().unwrap_or_default();
    if principal.service_linked || RCP_SERVICES.binary_search(&service).is_err() {
        return false;
    }
    if action_lower.starts_with("sts:assumerole") && resource.contains(":role/aws-service-role/") {
        return false;
    }
    action_lower != "kms:retiregrant"
}

/// What each kind of credential can never call, whatever the policies say (IAM User Guide, "Compare AWS STS
/// credentials"): the root user cannot assume roles; role sessions cannot get federation or session tokens;
/// federated-user sessions cannot call STS (but `GetCallerIdentity`) or IAM through the API.
pub fn credential_restriction(kind: PrincipalType, action_lower: &str) -> Option<&'static str> {
    match kind {
        PrincipalType::Root if action_lower.starts_with("sts:assumerole") => Some("the root user cannot assume a role"),
        PrincipalType::RoleSession if matches!(action_lower, "sts:getfederationtoken" | "sts:getsessiontoken") => {
            Some("role session credentials cannot call sts:GetFederationToken or sts:GetSessionToken")
        }
        PrincipalType::FederatedUser if action_lower.starts_with("sts:") && action_lower != "sts:getcalleridentity" => {
            Some("federated user sessions cannot call AWS STS operations other than GetCallerIdentity")
        }
        PrincipalType::FederatedUser if action_lower.starts_with("iam:") => {
            Some("federated user sessions cannot call IAM operations through the API")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rcp_services_are_sorted() {
        assert!(super::RCP_SERVICES.windows(2).all(|w| w[0] < w[1]));
    }
}
