//! Synthetic `get-account-authorization-details` exports of any size, for benchmarks and load tests.
//!
//! The shape mirrors real accounts: most principals have a few managed policies and one inline policy, some belong
//! to groups, some roles have boundaries, and policies mix wildcards, NotAction, conditions and denies.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const SERVICES: &[(&str, &[&str])] = &[
    ("s3", &["GetObject", "PutObject", "ListBucket", "DeleteObject", "GetBucketPolicy", "Get*", "*"]),
    ("ec2", &["DescribeInstances", "RunInstances", "TerminateInstances", "Describe*", "*"]),
    ("iam", &["PassRole", "GetRole", "CreateUser", "PutUserPolicy", "List*", "Get*"]),
    ("dynamodb", &["GetItem", "PutItem", "Query", "Scan", "*"]),
    ("lambda", &["InvokeFunction", "CreateFunction", "UpdateFunctionCode", "*"]),
    ("kms", &["Decrypt", "Encrypt", "GenerateDataKey", "*"]),
    ("sqs", &["SendMessage", "ReceiveMessage", "*"]),
    ("logs", &["CreateLogStream", "PutLogEvents", "*"]),
];

/// Size of a generated account.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub principals: usize,
    pub policies: usize,
    pub seed: u64,
}

fn statement(rng: &mut SmallRng, account: &str, i: usize) -> Value {
    let (service, actions) = SERVICES[rng.gen_range(0..SERVICES.len())];
    let action: Vec<String> =
        (0..rng.gen_range(1..4)).map(|_| format!("{service}:{}", actions[rng.gen_range(0..actions.len())])).collect();
    let resource = match service {
        "s3" => json!([format!("arn:aws:s3:::bucket-{}", i % 97), format!("arn:aws:s3:::bucket-{}/*", i % 97)]),
        "iam" => json!(format!("arn:aws:iam::{account}:role/app-{}-*", i % 13)),
        "dynamodb" => json!(format!("arn:aws:dynamodb:us-east-1:{account}:table/t{}", i % 50)),
        _ => json!("*"),
    };
    let mut s =
        json!({"Effect": if rng.gen_ratio(1, 10) { "Deny" } else { "Allow" }, "Action": action, "Resource": resource});
    if rng.gen_ratio(1, 5) {
        s["Condition"] = json!({"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}});
    }
    if rng.gen_ratio(1, 20) {
        s = json!({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"});
    }
    s
}

fn policy(rng: &mut SmallRng, account: &str, i: usize) -> Value {
    let n = rng.gen_range(1..5);
    json!({"Version": "2012-10-17", "Statement": (0..n).map(|k| statement(rng, account, i + k)).collect::<Vec<_>>()})
}

/// Generates one account's export as JSON text.
pub fn authorization_details(size: Size, account: &str) -> String {
    let mut rng = SmallRng::seed_from_u64(size.seed);
    let policies: Vec<Value> = (0..size.policies)
        .map(|i| {
            let arn = format!("arn:aws:iam::{account}:policy/generated/policy-{i}");
            json!({
                "PolicyName": format!("policy-{i}"), "PolicyId": format!("ANPAGEN{i:012}"), "Arn": arn, "Path": "/generated/",
                "DefaultVersionId": "v1", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
                "CreateDate": "2024-01-01T00:00:00Z", "UpdateDate": "2024-01-01T00:00:00Z",
                "PolicyVersionList": [{"Document": policy(&mut rng, account, i), "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2024-01-01T00:00:00Z"}]
            })
        })
        .collect();
    let groups = (size.principals / 50).max(1);
    let group_list: Vec<Value> = (0..groups)
        .map(|g| {
            json!({"Path": "/", "GroupName": format!("group-{g}"), "GroupId": format!("AGPAGEN{g:012}"),
                "Arn": format!("arn:aws:iam::{account}:group/group-{g}"), "CreateDate": "2024-01-01T00:00:00Z",
                "GroupPolicyList": [], "AttachedManagedPolicies": [{"PolicyName": "p", "PolicyArn": format!("arn:aws:iam::{account}:policy/generated/policy-{}", g % size.policies.max(1))}]})
        })
        .collect();
    let attach = |rng: &mut SmallRng| -> Vec<Value> {
        if size.policies == 0 {
            return Vec::new();
        }
        (0..rng.gen_range(1..5))
            .map(|_| {
                let k = rng.gen_range(0..size.policies);
                json!({"PolicyName": format!("policy-{k}"), "PolicyArn": format!("arn:aws:iam::{account}:policy/generated/policy-{k}")})
            })
            .collect()
    };
    let users = size.principals / 2;
    let mut user_list = Vec::with_capacity(users);
    for u in 0..users {
        let inline = vec![json!({"PolicyName": "inline", "PolicyDocument": policy(&mut rng, account, u)})];
        user_list.push(json!({
            "Path": "/", "UserName": format!("user-{u}"), "UserId": format!("AIDAGEN{u:012}"),
            "Arn": format!("arn:aws:iam::{account}:user/user-{u}"), "CreateDate": "2024-01-01T00:00:00Z",
            "UserPolicyList": inline, "GroupList": [format!("group-{}", u % groups)],
            "AttachedManagedPolicies": attach(&mut rng), "Tags": [{"Key": "team", "Value": format!("team-{}", u % 7)}]
        }));
    }
    let mut role_list = Vec::with_capacity(size.principals - users);
    for r in 0..size.principals - users {
        let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "sts:AssumeRole"}]});
        let mut role = json!({
            "Path": "/", "RoleName": format!("app-{r}"), "RoleId": format!("AROAGEN{r:012}"),
            "Arn": format!("arn:aws:iam::{account}:role/app-{r}"), "CreateDate": "2024-01-01T00:00:00Z",
            "AssumeRolePolicyDocument": trust, "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": "inline", "PolicyDocument": policy(&mut rng, account, r)}],
            "AttachedManagedPolicies": attach(&mut rng), "Tags": []
        });
        if r % 10 == 0 && size.policies > 0 {
            role["PermissionsBoundary"] = json!({"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": format!("arn:aws:iam::{account}:policy/generated/policy-0")});
        }
        role_list.push(role);
    }
    json!({"UserDetailList": user_list, "GroupDetailList": group_list, "RoleDetailList": role_list, "Policies": policies, "IsTruncated": false})
        .to_string()
}

/// A synthetic snapshot of `resources` resources in one account over four regions, as `sightline collect aws`
/// would record them (resource shapes, resource policies and coverage), for benchmarks of the posture scan. The
/// mix cycles through S3 buckets (a third with public policies), EC2 instances, security groups, volumes and
/// network ACLs, SQS queues, Lambda functions, KMS keys, RDS instances and log groups, with a share of each
/// misconfigured; the IAM side holds a few hundred roles and users.
pub fn snapshot(resources: usize, seed: u64) -> sightline_model::Snapshot {
    use sightline_model::{
        compact_document, Account, Coverage, CoverageStatus, Principal, PrincipalKind, Provider, Resource, Snapshot,
    };
    let mut rng = SmallRng::seed_from_u64(seed);
    let account = "123456789012";
    let regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];
    let mut s = Snapshot::new("generate snapshot");
    s.accounts.push(Account {
        provider: Provider::Aws,
        id: account.into(),
        name: None,
        organization_id: None,
        parent_id: None,
        tags: Default::default(),
    });
    let doc = |v: Value| compact_document(&v.to_string()).ok();
    for i in 0..resources {
        let region = regions[i % regions.len()];
        let bad = rng.gen_ratio(1, 4);
        let (resource_type, id, policy, properties) = match i % 10 {
            0 => {
                let arn = format!("arn:aws:s3:::bucket-{i}");
                let principal = if bad { json!("*") } else { json!({"AWS": format!("arn:aws:iam::{account}:root")}) };
                let policy = json!({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": format!("{arn}/*")},
                    {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [&arn, format!("{arn}/*")],
                     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]});
                let pab = if bad {
                    Value::Null
                } else {
                    json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true})
                };
                (
                    "AWS::S3::Bucket",
                    arn,
                    doc(policy),
                    json!({"PublicAccessBlockConfiguration": pab, "BucketEncryption": null,
                    "LoggingConfiguration": null, "Versioning": {"Status": if bad { "Suspended" } else { "Enabled" }},
                    "Acl": {"Grants": []}}),
                )
            }
            1 => (
                "AWS::EC2::Instance",
                format!("arn:aws:ec2:{region}:{account}:instance/i-{i:017x}"),
                None,
                json!({"State": "running", "MetadataOptions": {"HttpTokens": if bad { "optional" } else { "required" }, "HttpEndpoint": "enabled"}}),
            ),
            2 => (
                "AWS::EC2::SecurityGroup",
                format!("arn:aws:ec2:{region}:{account}:security-group/sg-{i:017x}"),
                None,
                json!({"GroupName": if i % 100 == 2 { "default" } else { "app" }, "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": if bad { 22 } else { 443 }, "ToPort": if bad { 22 } else { 443 }, "IpRanges": ["0.0.0.0/0"], "Ipv6Ranges": []}],
                    "IpPermissionsEgress": []}),
            ),
            3 => (
                "AWS::EC2::Volume",
                format!("arn:aws:ec2:{region}:{account}:volume/vol-{i:017x}"),
                None,
                json!({"Encrypted": !bad}),
            ),
            4 => {
                let arn = format!("arn:aws:sqs:{region}:{account}:queue-{i}");
                let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"AWS": if bad { "arn:aws:iam::999999999999:root".to_string() } else { format!("arn:aws:iam::{account}:root") }},
                    "Action": "sqs:SendMessage", "Resource": &arn}]});
                (
                    "AWS::SQS::Queue",
                    arn,
                    doc(policy),
                    json!({"SqsManagedSseEnabled": if bad { "false" } else { "true" }}),
                )
            }
            5 => (
                "AWS::Lambda::Function",
                format!("arn:aws:lambda:{region}:{account}:function:fn-{i}"),
                None,
                json!({"Runtime": if bad { "python3.7" } else { "python3.12" }, "Environment": {"Variables": {"STAGE": "prod"}}}),
            ),
            6 => {
                let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "kms:*", "Resource": "*"}]});
                (
                    "AWS::KMS::Key",
                    format!("arn:aws:kms:{region}:{account}:key/k-{i}"),
                    doc(policy),
                    json!({"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "KeyState": "Enabled", "KeyRotationEnabled": !bad}),
                )
            }
            7 => (
                "AWS::RDS::DBInstance",
                format!("arn:aws:rds:{region}:{account}:db:db-{i}"),
                None,
                json!({"StorageEncrypted": !bad, "PubliclyAccessible": bad, "AutoMinorVersionUpgrade": true, "BackupRetentionPeriod": 7,
                       "DeletionProtection": !bad, "MultiAZ": !bad}),
            ),
            8 => (
                "AWS::EC2::NetworkAcl",
                format!("arn:aws:ec2:{region}:{account}:network-acl/acl-{i:017x}"),
                None,
                json!({"Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": if bad { "allow" } else { "deny" }, "Egress": false, "CidrBlock": "0.0.0.0/0"}]}),
            ),
            _ => (
                "AWS::Logs::LogGroup",
                format!("arn:aws:logs:{region}:{account}:log-group:group-{i}"),
                None,
                if bad {
                    json!({"LogGroupName": format!("group-{i}")})
                } else {
                    json!({"LogGroupName": format!("group-{i}"), "RetentionInDays": 365})
                },
            ),
        };
        s.resources.push(Resource {
            provider: Provider::Aws,
            name: id.rsplit(['/', ':']).next().unwrap_or_default().to_string(),
            id,
            resource_type: resource_type.into(),
            account_id: account.into(),
            region: if resource_type == "AWS::S3::Bucket" { Some("us-east-1".into()) } else { Some(region.into()) },
            policy,
            tags: Default::default(),
            properties: properties.into(),
        });
    }
    for i in 0..500 {
        let role = i % 2 == 0;
        let trust = if role {
            doc(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            )
        } else {
            None
        };
        s.principals.push(Principal {
            provider: Provider::Aws,
            id: format!("arn:aws:iam::{account}:{}/p-{i}", if role { "role" } else { "user" }),
            kind: if role { PrincipalKind::Role } else { PrincipalKind::User },
            account_id: account.into(),
            name: format!("p-{i}"),
            path: Some("/".into()),
            unique_id: None,
            created_at: None,
            tags: Default::default(),
            attached_policies: Vec::new(),
            inline_policies: Vec::new(),
            groups: Vec::new(),
            permissions_boundary: None,
            trust_policy: trust,
            properties: Value::Null,
        });
    }
    let mut covered = |service: &str, operation: &str, region: Option<&str>| {
        s.coverage.push(Coverage {
            provider: Provider::Aws,
            account_id: account.into(),
            service: service.into(),
            region: region.map(str::to_string),
            operation: operation.into(),
            status: CoverageStatus::Collected,
            detail: None,
        });
    };
    covered("iam", "GetAccountAuthorizationDetails", None);
    for region in regions {
        for (service, operation) in [
            ("s3", "GetBucketPolicy"),
            ("s3", "GetPublicAccessBlock"),
            ("s3", "GetBucketEncryption"),
            ("s3", "GetBucketLogging"),
            ("s3", "GetBucketVersioning"),
            ("s3", "GetBucketAcl"),
            ("ec2", "DescribeInstances"),
            ("ec2", "DescribeSecurityGroups"),
            ("ec2", "DescribeVolumes"),
            ("ec2", "DescribeNetworkAcls"),
            ("sqs", "GetQueueAttributes"),
            ("lambda", "ListFunctions"),
            ("kms", "GetKeyPolicy"),
            ("kms", "GetKeyRotationStatus"),
            ("rds", "DescribeDBInstances"),
            ("logs", "DescribeLogGroups"),
        ] {
            covered(service, operation, Some(region));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_export_imports() {
        let text = authorization_details(Size { principals: 40, policies: 30, seed: 7 }, "123456789012");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gen.json");
        std::fs::write(&path, text).unwrap();
        let snapshot = crate::import::authorization_details(&[path]).unwrap();
        assert_eq!(snapshot.policies.len(), 30);
        assert_eq!(snapshot.principals.iter().filter(|p| p.kind != sightline_model::PrincipalKind::Group).count(), 40);
        sightline_iam::authz::Authorizer::new(&snapshot).unwrap();
    }
}
