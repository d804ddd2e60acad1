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
