//! The live AWS collector against a real moto server (started by `.ci/run`, or by hand with
//! `eval "$(scripts/moto.sh start)"` and `SIGHTLINE_MOTO_URL=$MOTO_URL`). Under `CI=true` a missing server is a
//! failure; elsewhere these tests say they are skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use sightline_model::{CoverageStatus, PrincipalKind, Resource, Snapshot};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;

/// Seeding resets moto: the tests take turns.
static MOTO: Mutex<()> = Mutex::new(());

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn moto_url() -> Option<String> {
    match std::env::var("SIGHTLINE_MOTO_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("SIGHTLINE_MOTO_URL is not set: .ci/run must start moto (scripts/moto.sh start)")
        }
        _ => {
            eprintln!("skipped: no moto server (set SIGHTLINE_MOTO_URL, see scripts/moto.sh)");
            None
        }
    }
}

fn seed(url: &str, org: bool) -> Value {
    let manifest = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(root().join("scripts/moto.sh"));
    cmd.args(["seed", url, "--quiet", "--manifest", manifest.path().to_str().unwrap()]);
    if org {
        cmd.arg("--org");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&std::fs::read_to_string(manifest.path()).unwrap()).unwrap()
}

fn sightline(args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sightline"));
    cmd.args(args)
        .env_remove("SIGHTLINE_DB")
        .env_remove("AWS_PROFILE")
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "sightline-test-secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn collect(endpoint: &str, db: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["collect", "aws", "--endpoint-url", endpoint, "--db", db.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(extra);
    sightline(&args, &[])
}

fn load(db: &Path) -> Snapshot {
    let store = sightline_store::Store::open(db).unwrap();
    store.load(store.latest().unwrap()).unwrap()
}

fn resource<'a>(s: &'a Snapshot, resource_type: &str, name: &str) -> &'a Resource {
    s.resources
        .iter()
        .find(|r| r.resource_type == resource_type && r.name == name)
        .unwrap_or_else(|| panic!("no {resource_type} named {name}"))
}

fn coverage(s: &Snapshot, service: &str, operation: &str) -> Vec<CoverageStatus> {
    s.coverage.iter().filter(|c| c.service == service && c.operation == operation).map(|c| c.status).collect()
}

#[test]
fn collects_the_seeded_account() {
    let Some(url) = moto_url() else { return };
    let _turn = MOTO.lock().unwrap_or_else(|p| p.into_inner());
    seed(&url, false);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("c.db");
    let out = collect(&url, &db, &["--regions", "us-east-1"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = load(&db);

    // IAM identities and policies, through the same importer as offline exports.
    let user = |name: &str| s.principals.iter().find(|p| p.kind == PrincipalKind::User && p.name == name);
    for name in ["alice-admin", "bob-mfa", "carol-cli", "dave-boundary", "erin-inline"] {
        assert!(user(name).is_some(), "user {name} missing");
    }
    let alice = user("alice-admin").unwrap();
    assert!(alice.attached_policies.iter().any(|p| p.ends_with("policy/AdministratorAccess")));
    assert!(alice.groups.iter().any(|g| g.ends_with("group/sl-admins")));
    let role = s.principals.iter().find(|p| p.name == "sl-cross-account-no-extid").unwrap();
    assert!(role.trust_policy.as_ref().unwrap().get().contains("999999999999"));
    let star = s.policies.iter().find(|p| p.name == "sl-star-star").unwrap();
    assert!(star.document.get().contains("\"*\""));

    // Account-level IAM settings.
    let pp = resource(&s, "AWS::IAM::PasswordPolicy", "password policy");
    assert_eq!(pp.properties["PasswordPolicy"]["MinimumPasswordLength"], 8);
    let keys: Vec<&Resource> = s
        .resources
        .iter()
        .filter(|r| r.resource_type == "AWS::IAM::AccessKey" && r.properties["UserName"] == "alice-admin")
        .collect();
    assert_eq!(keys.iter().filter(|k| k.properties["Status"] == "Active").count(), 2);
    let mfa: Vec<&Resource> = s.resources.iter().filter(|r| r.resource_type == "AWS::IAM::VirtualMFADevice").collect();
    assert!(mfa.iter().any(|d| d.properties["User"].as_str().is_some_and(|u| u.ends_with("user/bob-mfa"))));
    let report = resource(&s, "AWS::IAM::CredentialReport", "credential report");
    assert!(report.properties["Rows"].as_array().unwrap().iter().any(|r| r["user"] == "alice-admin"));

    // S3: policies, encryption, versioning, public access blocks.
    let public = resource(&s, "AWS::S3::Bucket", "sl-public-read");
    assert!(public.policy.as_ref().unwrap().get().contains("\"Principal\":\"*\""));
    assert_eq!(public.properties["BucketEncryption"], Value::Null);
    let enc = resource(&s, "AWS::S3::Bucket", "sl-encrypted-versioned");
    assert_eq!(
        enc.properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
            ["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "aws:kms"
    );
    // moto wraps its GetBucketVersioning answer in an element the SDK rejects: the gap is recorded as failed, and
    // the property is left out rather than reported as "off".
    assert!(enc.properties.get("VersioningConfiguration").is_none());
    assert!(coverage(&s, "s3", "GetBucketVersioning").contains(&CoverageStatus::Failed));
    assert_eq!(enc.properties["PublicAccessBlockConfiguration"]["BlockPublicAcls"], true);
    assert!(s.resources.iter().any(|r| r.resource_type == "AWS::S3::AccountPublicAccessBlock"));
    let acl = resource(&s, "AWS::S3::Bucket", "sl-public-acl");
    assert!(acl.properties["Acl"]["Grants"].to_string().contains("AllUsers"));

    // EC2: an SSH port open to the world, IMDSv1, unencrypted volumes, a public snapshot.
    let open_ssh = s.resources.iter().any(|r| {
        r.resource_type == "AWS::EC2::SecurityGroup"
            && r.properties["IpPermissions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["FromPort"] == 22 && p["IpRanges"].to_string().contains("0.0.0.0/0"))
    });
    assert!(open_ssh, "no security group open on 22");
    let tokens: Vec<&sightline_model::Props> = s
        .resources
        .iter()
        .filter(|r| r.resource_type == "AWS::EC2::Instance")
        .map(|r| &r.properties["MetadataOptions"]["HttpTokens"])
        .collect();
    assert!(tokens.iter().any(|t| *t == "optional") && tokens.iter().any(|t| *t == "required"), "{tokens:?}");
    assert!(s.resources.iter().any(|r| r.resource_type == "AWS::EC2::Volume" && r.properties["Encrypted"] == false));
    assert!(s.resources.iter().any(|r| r.resource_type == "AWS::EC2::Snapshot"
        && r.properties["CreateVolumePermissions"].to_string().contains("all")));

    // KMS: rotation and grants.
    let keys: Vec<&Resource> = s.resources.iter().filter(|r| r.resource_type == "AWS::KMS::Key").collect();
    assert!(keys.iter().any(|k| k.properties["KeyRotationEnabled"] == true));
    assert!(keys.iter().any(|k| k.properties["KeyRotationEnabled"] == false));
    assert!(keys.iter().any(|k| !k.properties["Grants"].as_array().unwrap().is_empty()));

    // What moto does not serve is recorded as failed, never dropped.
    assert_eq!(coverage(&s, "iam", "GenerateServiceLastAccessedDetails"), vec![CoverageStatus::Failed]);
    assert!(coverage(&s, "iam", "GetAccountAuthorizationDetails").iter().all(|c| *c == CoverageStatus::Collected));

    // The collected snapshot feeds the IAM engine directly.
    let out = sightline(
        &["who-can", "s3:GetObject", "arn:aws:s3:::sl-public-read/x", "--db", db.to_str().unwrap(), "--format", "json"],
        &[],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let allowed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        allowed.as_array().unwrap().iter().any(|a| a["principal"] == "*"),
        "the public bucket is not public: {allowed}"
    );

    // Resource policies of the other services are stored verbatim and read by the engine (an ECR policy has no
    // Resource element: it applies to its repository).
    for (action, resource) in [
        ("ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/sl-public-repo"),
        ("sns:Subscribe", "arn:aws:sns:us-east-1:123456789012:sl-open-topic"),
        ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:sl-public-fn"),
    ] {
        let out = sightline(&["who-can", action, resource, "--db", db.to_str().unwrap(), "--format", "json"], &[]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let allowed: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            allowed.as_array().unwrap().iter().any(|a| a["principal"] == "*"),
            "{resource} is not public: {allowed}"
        );
    }
    for (resource_type, name) in [
        ("AWS::CloudTrail::Trail", "sl-trail"),
        ("AWS::RDS::DBSnapshot", "sl-rds-public-snap"),
        ("AWS::Logs::MetricFilter", "sl-unauthorized-api-calls"),
    ] {
        assert!(
            s.resources.iter().any(|r| r.resource_type == resource_type && r.name == name),
            "{resource_type} {name}"
        );
    }

    scan_flags_the_seeded_mistakes(&db, &s);
}

/// `sightline scan` on the collected account: every seeded misconfiguration a rule covers is flagged by that rule,
/// and the resources seeded right pass it.
fn scan_flags_the_seeded_mistakes(db: &Path, s: &Snapshot) {
    let out = sightline(&["scan", "--db", &db.to_string_lossy(), "--format", "json", "--fail-on", "high"], &[]);
    assert_eq!(out.status.code(), Some(1), "high-severity failures exit 1: {}", String::from_utf8_lossy(&out.stderr));
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let status = |rule: &str, resource_id: &str| -> String {
        let hits: Vec<&Value> =
            findings.iter().filter(|f| f["rule_id"] == rule && f["resource_id"] == resource_id).collect();
        assert_eq!(hits.len(), 1, "{rule} on {resource_id}: {hits:?}");
        hits[0]["status"].as_str().unwrap().to_string()
    };
    let id = |resource_type: &str, name: &str| -> String {
        s.resources
            .iter()
            .find(|r| {
                r.resource_type == resource_type
                    && (r.name == name || r.tags.get("Name").map(String::as_str) == Some(name))
            })
            .unwrap_or_else(|| panic!("{resource_type} {name}"))
            .id
            .clone()
    };
    let user = |name: &str| format!("arn:aws:iam::123456789012:user/{name}");
    let role = |name: &str| {
        s.principals
            .iter()
            .find(|p| p.kind == PrincipalKind::Role && p.name == name)
            .unwrap_or_else(|| panic!("role {name}"))
            .id
            .clone()
    };
    let expect = [
        ("aws-iam-password-min-length", "arn:aws:iam::123456789012:password-policy".to_string(), "FAIL"),
        ("aws-iam-password-reuse", "arn:aws:iam::123456789012:password-policy".to_string(), "FAIL"),
        ("aws-iam-user-console-mfa", user("alice-admin"), "FAIL"),
        ("aws-iam-user-console-mfa", user("erin-inline"), "FAIL"),
        ("aws-iam-user-console-mfa", user("bob-mfa"), "PASS"),
        ("aws-iam-user-one-active-key", user("alice-admin"), "FAIL"),
        ("aws-iam-user-one-active-key", user("carol-cli"), "PASS"),
        // The developers group may pass any role to EC2 and run instances; sl-ec2-app holds *:*.
        ("aws-iam-privilege-escalation", user("carol-cli"), "FAIL"),
        ("aws-iam-privilege-escalation", user("bob-mfa"), "FAIL"),
        ("aws-iam-privilege-escalation", user("alice-admin"), "PASS"),
        ("aws-iam-privilege-escalation", user("erin-inline"), "PASS"),
        // frank-builder may start a build of sl-deploy, whose service role sl-ec2-app holds *:* (collected
        // CodeBuild project).
        ("aws-iam-privilege-escalation", user("frank-builder"), "FAIL"),
        // grace-tasks may run the task definition sl-worker, heidi-scaling may add a version to the launch template
        // sl-web-asg launches (collected ECS and Auto Scaling resources).
        ("aws-iam-privilege-escalation", user("grace-tasks"), "FAIL"),
        ("aws-iam-privilege-escalation", user("heidi-scaling"), "FAIL"),
        // Users created minutes ago are not unused, nor are the services they may use (moto serves no
        // service-last-accessed data and there is no CloudTrail log, which an older user would need).
        ("aws-iam-user-unused", user("carol-cli"), "PASS"),
        ("aws-iam-unused-services", user("carol-cli"), "PASS"),
        ("aws-ec2-imdsv2", id("AWS::EC2::Instance", "sl-imdsv1-web"), "FAIL"),
        ("aws-ec2-imdsv2", id("AWS::EC2::Instance", "sl-imdsv2-app"), "PASS"),
        ("aws-ec2-sg-admin-ports-ipv4", id("AWS::EC2::SecurityGroup", "sl-open-ssh"), "FAIL"),
        ("aws-ec2-sg-admin-ports-ipv4", id("AWS::EC2::SecurityGroup", "sl-open-rdp"), "FAIL"),
        ("aws-ec2-sg-admin-ports-ipv4", id("AWS::EC2::SecurityGroup", "sl-restricted"), "PASS"),
        ("aws-ec2-sg-admin-ports-ipv6", id("AWS::EC2::SecurityGroup", "sl-open-rdp"), "FAIL"),
        ("aws-ec2-sg-admin-ports-ipv6", id("AWS::EC2::SecurityGroup", "sl-open-ssh"), "PASS"),
        ("aws-ec2-nacl-admin-ports", id("AWS::EC2::NetworkAcl", "sl-open-nacl"), "FAIL"),
        (
            "aws-ec2-ebs-default-encryption",
            "arn:aws:ec2:us-east-1:123456789012:ebs-encryption-by-default".to_string(),
            "FAIL",
        ),
    ];
    let key = |alias: &str| -> String {
        s.resources
            .iter()
            .find(|r| {
                r.resource_type == "AWS::KMS::Key"
                    && r.properties["Description"].as_str().is_some_and(|d| d.ends_with(alias))
            })
            .unwrap_or_else(|| panic!("KMS key {alias}"))
            .id
            .clone()
    };
    let region = "arn:aws::us-east-1:123456789012:region";
    let default_vpc = s
        .resources
        .iter()
        .find(|r| r.resource_type == "AWS::EC2::VPC" && r.properties["IsDefault"] == true)
        .expect("default VPC")
        .id
        .clone();
    assert_eq!(status("aws-ec2-vpc-flow-logs", &default_vpc), "FAIL", "the default VPC has no flow log");
    let more = [
        ("aws-rds-not-public", id("AWS::RDS::DBInstance", "sl-rds-public"), "FAIL"),
        ("aws-rds-not-public", id("AWS::RDS::DBInstance", "sl-rds-private"), "PASS"),
        ("aws-rds-storage-encrypted", id("AWS::RDS::DBInstance", "sl-rds-public"), "FAIL"),
        ("aws-rds-storage-encrypted", id("AWS::RDS::DBInstance", "sl-rds-private"), "PASS"),
        ("aws-efs-encrypted", id("AWS::EFS::FileSystem", "sl-efs-plain"), "FAIL"),
        ("aws-cloudtrail-log-validation", id("AWS::CloudTrail::Trail", "sl-trail"), "FAIL"),
        ("aws-cloudtrail-kms-encryption", id("AWS::CloudTrail::Trail", "sl-trail"), "FAIL"),
        ("aws-s3-block-public-access", "arn:aws:s3:::sl-public-read".to_string(), "FAIL"),
        // Resource policies, through the IAM engine.
        ("aws-s3-bucket-policy-public", "arn:aws:s3:::sl-public-read".to_string(), "FAIL"),
        ("aws-s3-bucket-policy-public", "arn:aws:s3:::sl-data-pii".to_string(), "PASS"),
        ("aws-sns-topic-public", id("AWS::SNS::Topic", "sl-open-topic"), "FAIL"),
        ("aws-sns-topic-public", id("AWS::SNS::Topic", "sl-security-alarms"), "PASS"),
        ("aws-sqs-queue-public", id("AWS::SQS::Queue", "sl-open-queue"), "FAIL"),
        ("aws-sqs-queue-public", id("AWS::SQS::Queue", "sl-encrypted-queue"), "PASS"),
        ("aws-lambda-function-public", id("AWS::Lambda::Function", "sl-public-fn"), "FAIL"),
        ("aws-ecr-repository-public", id("AWS::ECR::Repository", "sl-public-repo"), "FAIL"),
        ("aws-kms-key-public", key("sl-unrotated"), "FAIL"),
        ("aws-kms-key-public", key("sl-rotated"), "PASS"),
        ("aws-secretsmanager-secret-cross-account", id("AWS::SecretsManager::Secret", "sl/db-password"), "FAIL"),
        ("aws-secretsmanager-secret-public", id("AWS::SecretsManager::Secret", "sl/db-password"), "PASS"),
        ("aws-s3-block-public-access", "arn:aws:s3:::sl-encrypted-versioned".to_string(), "PASS"),
        ("aws-kms-key-rotation", key("sl-unrotated"), "FAIL"),
        ("aws-kms-key-rotation", key("sl-rotated"), "PASS"),
        ("aws-ec2-vpc-flow-logs", id("AWS::EC2::VPC", "sl-vpc"), "PASS"),
        ("aws-iam-notaction-allow", "arn:aws:iam::123456789012:policy/sl-notaction".to_string(), "FAIL"),
        ("aws-iam-notaction-allow", "arn:aws:iam::123456789012:policy/sl-star-star".to_string(), "PASS"),
        // moto cannot answer ListFunctionUrlConfigs: the collector recorded it as failed.
        ("aws-lambda-function-url-auth", id("AWS::Lambda::Function", "sl-public-fn"), "NOT_EVALUATED"),
        ("aws-ec2-instance-profile", id("AWS::EC2::Instance", "sl-imdsv1-web"), "FAIL"),
        ("aws-ec2-instance-profile", id("AWS::EC2::Instance", "sl-imdsv2-app"), "PASS"),
        ("aws-iam-expired-server-certificates", id("AWS::IAM::ServerCertificate", "sl-expired-cert"), "FAIL"),
        ("aws-iam-user-no-direct-policies", user("alice-admin"), "FAIL"),
        ("aws-iam-user-no-direct-policies", user("bob-mfa"), "PASS"),
        ("aws-iam-support-role", "arn:aws:::123456789012:account".to_string(), "PASS"),
        ("aws-iam-role-trust-external-id", role("sl-cross-account-no-extid"), "FAIL"),
        ("aws-iam-role-trust-external-id", role("sl-partner-with-extid"), "PASS"),
        ("aws-iam-role-trust-oidc-subject", role("sl-github-deploy"), "FAIL"),
        ("aws-iam-role-trust-public", role("sl-github-deploy"), "PASS"),
        ("aws-s3-bucket-deny-http", "arn:aws:s3:::sl-data-pii".to_string(), "PASS"),
        ("aws-s3-bucket-deny-http", "arn:aws:s3:::sl-public-read".to_string(), "FAIL"),
        ("aws-cloudtrail-multi-region", "arn:aws:::123456789012:account".to_string(), "PASS"),
        ("aws-cloudtrail-s3-write-events", "arn:aws:::123456789012:account".to_string(), "FAIL"),
        ("aws-cloudtrail-s3-read-events", "arn:aws:::123456789012:account".to_string(), "FAIL"),
        ("aws-cloudtrail-cloudwatch-logs", "arn:aws:::123456789012:account".to_string(), "PASS"),
        ("aws-cloudtrail-bucket-access-logging", id("AWS::CloudTrail::Trail", "sl-trail"), "FAIL"),
        ("aws-guardduty-enabled", region.to_string(), "PASS"),
        // CIS 4.x: the seeded filter for unauthorized calls exists, but moto's DescribeAlarms answer is unreadable,
        // so whether an alarm watches it is unknown; no filter exists for root use.
        ("aws-cloudwatch-alarm-unauthorized-api-calls", "arn:aws:::123456789012:account".to_string(), "NOT_EVALUATED"),
        ("aws-cloudwatch-alarm-root-usage", "arn:aws:::123456789012:account".to_string(), "FAIL"),
        // Beyond CIS.
        ("aws-ec2-ami-public", id("AWS::EC2::Image", "sl-base-image"), "FAIL"),
        ("aws-ec2-snapshot-public", id("AWS::EC2::Snapshot", "sl-public-snapshot"), "FAIL"),
        ("aws-ec2-snapshot-encrypted", id("AWS::EC2::Snapshot", "sl-public-snapshot"), "FAIL"),
        ("aws-rds-snapshot-public", id("AWS::RDS::DBSnapshot", "sl-rds-public-snap"), "FAIL"),
        ("aws-rds-snapshot-encrypted", id("AWS::RDS::DBSnapshot", "sl-rds-public-snap"), "FAIL"),
        ("aws-ec2-volume-encrypted", id("AWS::EC2::Volume", "sl-vol-plain"), "FAIL"),
        ("aws-ec2-volume-encrypted", id("AWS::EC2::Volume", "sl-vol-encrypted"), "PASS"),
        ("aws-sqs-queue-encrypted", id("AWS::SQS::Queue", "sl-open-queue"), "FAIL"),
        ("aws-sqs-queue-encrypted", id("AWS::SQS::Queue", "sl-encrypted-queue"), "PASS"),
        ("aws-sns-topic-encrypted", id("AWS::SNS::Topic", "sl-open-topic"), "FAIL"),
        ("aws-sns-topic-encrypted", id("AWS::SNS::Topic", "sl-encrypted-topic"), "PASS"),
        ("aws-s3-bucket-default-encryption", "arn:aws:s3:::sl-public-read".to_string(), "FAIL"),
        ("aws-s3-bucket-default-encryption", "arn:aws:s3:::sl-encrypted-versioned".to_string(), "PASS"),
        ("aws-s3-bucket-access-logging", "arn:aws:s3:::sl-public-read".to_string(), "FAIL"),
        ("aws-s3-bucket-access-logging", "arn:aws:s3:::sl-encrypted-versioned".to_string(), "PASS"),
        ("aws-s3-bucket-acl-public", "arn:aws:s3:::sl-public-acl".to_string(), "FAIL"),
        ("aws-s3-bucket-acl-public", "arn:aws:s3:::sl-data-pii".to_string(), "PASS"),
        // moto answers GetBucketVersioning with a body the SDK rejects: recorded as failed.
        ("aws-s3-bucket-versioning", "arn:aws:s3:::sl-public-read".to_string(), "NOT_EVALUATED"),
        ("aws-logs-group-retention", id("AWS::Logs::LogGroup", "sl-cloudtrail"), "FAIL"),
        ("aws-lambda-runtime-supported", id("AWS::Lambda::Function", "sl-legacy-fn"), "FAIL"),
        ("aws-lambda-runtime-supported", id("AWS::Lambda::Function", "sl-public-fn"), "PASS"),
        ("aws-lambda-env-no-secrets", id("AWS::Lambda::Function", "sl-public-fn"), "FAIL"),
        ("aws-secretsmanager-rotation", id("AWS::SecretsManager::Secret", "sl/db-password"), "FAIL"),
        ("aws-rds-backups", id("AWS::RDS::DBInstance", "sl-rds-public"), "FAIL"),
        ("aws-rds-backups", id("AWS::RDS::DBInstance", "sl-rds-private"), "PASS"),
        ("aws-rds-deletion-protection", id("AWS::RDS::DBInstance", "sl-rds-public"), "FAIL"),
        ("aws-rds-deletion-protection", id("AWS::RDS::DBInstance", "sl-rds-private"), "PASS"),
        ("aws-rds-multi-az", id("AWS::RDS::DBInstance", "sl-rds-private"), "PASS"),
        ("aws-iam-no-full-admin-policies", "arn:aws:iam::123456789012:policy/sl-star-star".to_string(), "FAIL"),
        ("aws-iam-no-full-admin-policies", "arn:aws:iam::aws:policy/AdministratorAccess".to_string(), "FAIL"),
        ("aws-iam-no-full-admin-policies", "arn:aws:iam::aws:policy/ReadOnlyAccess".to_string(), "PASS"),
        ("aws-config-enabled-all-regions", region.to_string(), "PASS"),
        ("aws-securityhub-enabled", region.to_string(), "PASS"),
        // moto has no Access Analyzer: the collector recorded ListAnalyzers as failed.
        ("aws-accessanalyzer-enabled", region.to_string(), "NOT_EVALUATED"),
    ];
    for (rule, resource_id, want) in expect.into_iter().chain(more) {
        assert_eq!(status(rule, &resource_id), want, "{rule} on {resource_id}");
    }
    // moto's credential report has no root row: the root rules say so instead of passing.
    assert_eq!(status("aws-iam-root-mfa", "arn:aws:::123456789012:account"), "NOT_EVALUATED");

    // The same escalation from `privesc` on the collected database: carol passes sl-ec2-app to a new instance.
    let out = sightline(&["privesc", "--db", &db.to_string_lossy(), "--format", "json"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let escalations: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let carol = escalations.iter().find(|e| e["principal"] == user("carol-cli")).expect("carol-cli escalates");
    assert_eq!(carol["path"][0]["technique"], "iam-pass-role-ec2", "{carol}");
    assert_eq!(carol["path"][0]["to"], role("sl-ec2-app"), "{carol}");
    assert!(!escalations.iter().any(|e| e["principal"] == user("alice-admin")));
    let frank = escalations.iter().find(|e| e["principal"] == user("frank-builder")).expect("frank-builder escalates");
    assert_eq!(frank["path"][0]["technique"], "codebuild-start-build-existing-project", "{frank}");
    assert_eq!(frank["path"][0]["to"], role("sl-ec2-app"), "{frank}");
    // The collected project and stack carry the role they run with.
    let with_role = |resource_type: &str, key: &str| {
        s.resources.iter().any(|r| {
            r.resource_type == resource_type
                && r.properties.get(key).and_then(|v| v.as_str()) == Some(role("sl-ec2-app").as_str())
        })
    };
    assert!(with_role("AWS::CodeBuild::Project", "ServiceRole"));
    assert!(with_role("AWS::CloudFormation::Stack", "RoleARN"));

    // grace-tasks runs the existing task definition sl-worker with a command of her own and its administrator task
    // role; heidi-scaling adds a version with user data of her own to the launch template that sl-web-asg launches
    // at $Default, with the profile of sl-ec2-app.
    for (name, technique, to) in [
        ("grace-tasks", "iam-pass-role-ecs-existing-task-definition", "sl-ecs-task-admin"),
        ("heidi-scaling", "ec2-launch-template-new-version", "sl-ec2-app"),
    ] {
        let found = escalations.iter().find(|e| e["principal"] == user(name)).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(found["path"][0]["technique"], technique, "{found}");
        assert_eq!(found["path"][0]["to"], role(to), "{found}");
    }
    // The collected ECS resources carry the task role, and the task its task definition. (moto keeps no
    // enableExecuteCommand on a task, so the ECS Exec technique is tested with fixtures only.)
    let definition = resource(s, "AWS::ECS::TaskDefinition", "sl-worker:1");
    assert_eq!(definition.properties["TaskRoleArn"], role("sl-ecs-task-admin").as_str());
    assert!(definition.properties["Compatibilities"].to_string().contains("FARGATE"));
    assert_eq!(resource(s, "AWS::ECS::Cluster", "sl-apps").properties["Status"], "ACTIVE");
    assert_eq!(resource(s, "AWS::ECS::Service", "sl-worker-svc").properties["TaskDefinition"], definition.id.as_str());
    let task = s.resources.iter().find(|r| r.resource_type == "AWS::ECS::Task").expect("a running task");
    assert_eq!(task.properties["TaskDefinitionArn"], definition.id.as_str());
    assert!(task.properties["ClusterArn"].as_str().is_some_and(|c| c.ends_with("cluster/sl-apps")));
    for operation in ["ListClusters", "DescribeServices", "DescribeTasks", "DescribeTaskDefinition"] {
        assert_eq!(coverage(s, "ecs", operation), vec![CoverageStatus::Collected], "{operation}");
    }
    // The launch template names its profile; the group names the template and the version it launches.
    let template = resource(s, "AWS::EC2::LaunchTemplate", "sl-web-template");
    let versions = template.properties["Versions"].as_array().unwrap();
    assert_eq!(versions.len(), 1, "$Default and $Latest are one version: {versions:?}");
    assert_eq!(versions[0]["LaunchTemplateData"]["IamInstanceProfile"]["Name"], "sl-ec2-app-profile");
    let group = resource(s, "AWS::AutoScaling::AutoScalingGroup", "sl-web-asg");
    assert_eq!(group.properties["LaunchTemplate"]["LaunchTemplateId"], template.properties["LaunchTemplateId"]);
    assert_eq!(group.properties["LaunchTemplate"]["Version"], "$Default");
    assert_eq!(coverage(s, "autoscaling", "DescribeAutoScalingGroups"), vec![CoverageStatus::Collected]);
}

struct Proxy(Child, String);

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn proxy(upstream: &str, rules: &[&str]) -> Proxy {
    let mut cmd = Command::new(root().join("scripts/moto.sh"));
    cmd.args(["proxy", "--upstream", upstream, "--time-limit", "300"]);
    for r in rules {
        cmd.args(["--rule", r]);
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("PROXY_URL=").unwrap_or_else(|| panic!("proxy said {line:?}")).to_string();
    Proxy(child, url)
}

#[test]
fn denied_failed_and_throttled_calls() {
    let Some(url) = moto_url() else { return };
    let _turn = MOTO.lock().unwrap_or_else(|p| p.into_inner());
    seed(&url, false);
    let p = proxy(&url, &["kms=deny", "ec2:DescribeVolumes=error", "iam:GetAccountAuthorizationDetails=first:2"]);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("f.db");
    let out = collect(&p.1, &db, &["--regions", "us-east-1", "--services", "iam,s3,ec2,kms"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("denied") && text.contains("kms"), "{text}");
    let s = load(&db);
    assert_eq!(coverage(&s, "kms", "ListKeys"), vec![CoverageStatus::Denied]);
    assert_eq!(coverage(&s, "ec2", "DescribeVolumes"), vec![CoverageStatus::Failed]);
    // Throttled twice, then retried to success.
    assert_eq!(coverage(&s, "iam", "GetAccountAuthorizationDetails"), vec![CoverageStatus::Collected]);
    assert!(s.principals.iter().any(|p| p.name == "alice-admin"));
    // Everything else still collected.
    assert!(s.resources.iter().any(|r| r.resource_type == "AWS::EC2::SecurityGroup"));
    assert!(s.resources.iter().any(|r| r.resource_type == "AWS::S3::Bucket"));
    assert!(!s.resources.iter().any(|r| r.resource_type == "AWS::KMS::Key"));
}

#[test]
fn organization_into_one_snapshot() {
    let Some(url) = moto_url() else { return };
    let _turn = MOTO.lock().unwrap_or_else(|p| p.into_inner());
    let manifest = seed(&url, true);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("o.db");
    let out = collect(&url, &db, &["--regions", "us-east-1", "--services", "iam,s3,organizations", "--org"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = load(&db);
    let members: Vec<String> = manifest.to_string().matches("sl-member-").map(|_| String::new()).collect();
    assert!(!members.is_empty());
    assert!(s.accounts.len() >= 3, "{:?}", s.accounts);
    assert_eq!(s.organizations.len(), 1);
    assert!(s.policies.iter().any(|p| p.name == "sl-deny-leave-org"));
    let member_accounts: Vec<&str> =
        s.accounts.iter().filter(|a| a.id != "123456789012").map(|a| a.id.as_str()).collect();
    assert!(member_accounts.len() >= 2);
    for account in member_accounts {
        assert!(
            s.principals.iter().any(|p| p.account_id == account && p.name == "sl-member-user"),
            "no member user collected in {account}"
        );
        assert!(s.resources.iter().any(|r| r.account_id == account && r.resource_type == "AWS::S3::Bucket"));
    }
    // Members' principals are evaluated under the organization's SCPs.
    let member = s.accounts.iter().find(|a| a.id != "123456789012").unwrap();
    assert!(member.organization_id.is_some());
}

#[test]
fn unassumable_member_role_is_recorded() {
    let Some(url) = moto_url() else { return };
    let _turn = MOTO.lock().unwrap_or_else(|p| p.into_inner());
    seed(&url, true);
    let p = proxy(&url, &["sts:AssumeRole=deny"]);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("u.db");
    let out = collect(&p.1, &db, &["--regions", "us-east-1", "--services", "iam,organizations", "--org"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = load(&db);
    let denied: Vec<_> = s.coverage.iter().filter(|c| c.operation.starts_with("AssumeRole")).collect();
    assert!(denied.len() >= 2 && denied.iter().all(|c| c.status == CoverageStatus::Denied), "{denied:?}");
    assert!(s.principals.iter().any(|p| p.name == "alice-admin"), "the management account must still be collected");
}

#[test]
fn bad_configuration_is_a_clear_error() {
    let Some(url) = moto_url() else { return };
    let _turn = MOTO.lock().unwrap_or_else(|p| p.into_inner());
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("b.db");

    // An endpoint that is down.
    let out = collect("http://127.0.0.1:9", &db, &["--regions", "us-east-1", "--max-attempts", "1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no usable AWS credentials") && err.contains("127.0.0.1:9"), "{err}");

    // An unknown region.
    let out = collect(&url, &db, &["--regions", "mars-north-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mars-north-1"));

    // An unknown service.
    let out = collect(&url, &db, &["--services", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown service \"nosuch\""));

    // No credentials at all.
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sightline"));
    let out = cmd
        .args([
            "collect",
            "aws",
            "--endpoint-url",
            &url,
            "--db",
            db.to_str().unwrap(),
            "--quiet",
            "--max-attempts",
            "1",
        ])
        .env_clear()
        .env("HOME", &home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no usable AWS credentials"), "{err}");
    assert!(!db.exists() || load_count(&db) == 0, "nothing may be saved when nothing was collected");
}

fn load_count(db: &Path) -> usize {
    sightline_store::Store::open(db).unwrap().list().unwrap().len()
}

#[test]
fn interrupted_collection_saves_nothing() {
    let Some(url) = moto_url() else { return };
    let _turn = MOTO.lock().unwrap_or_else(|p| p.into_inner());
    seed(&url, false);
    // Every EC2 call is throttled, so the collection is still running when it is interrupted.
    let p = proxy(&url, &["ec2=fraction:1.0"]);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("i.db");
    let child = Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args([
            "collect",
            "aws",
            "--endpoint-url",
            &p.1,
            "--regions",
            "us-east-1",
            "--db",
            db.to_str().unwrap(),
            "--quiet",
        ])
        .env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "sightline-test-secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was saved"));
    assert!(!db.exists() || load_count(&db) == 0, "an interrupted collection must leave no snapshot");
}

/// `sightline dlp scan` of the seeded buckets: matches in the public bucket's customer export, the objects moto
/// refuses (the PII bucket denies plain-http reads) reported one by one while the scan goes on, the results kept in
/// the database, skipped when unchanged on the next run, and read by `scan` and `paths`.
#[test]
fn dlp_scans_the_seeded_buckets() {
    let Some(url) = moto_url() else { return };
    let _turn = MOTO.lock().unwrap_or_else(|p| p.into_inner());
    seed(&url, false);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("d.db");
    let db_arg = db.to_str().unwrap();
    let out = collect(&url, &db, &["--regions", "us-east-1", "--services", "iam,s3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let scan = |extra: &[&str]| {
        let mut args =
            vec!["dlp", "scan", "s3://sl-public-read", "s3://sl-data-pii", "--endpoint-url", &url, "--db", db_arg];
        args.extend_from_slice(extra);
        sightline(&args, &[])
    };
    let out = scan(&["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let matches: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = |object: &str, detector: &str| {
        matches.as_array().unwrap().iter().filter(|m| m["object"] == object && m["detector"] == detector).count()
    };
    let export = "s3://sl-public-read/exports/customers.csv";
    assert_eq!(found(export, "credit_card"), 2, "{matches}");
    assert_eq!(found(export, "email"), 2, "{matches}");
    // Samples are redacted: no card number in full anywhere in the output.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("4111111111111111") && !text.contains("5555555555554444"), "{text}");
    // The PII bucket refuses plain-http reads: each object is reported, none silently skipped.
    for key in ["customers/customers.csv", "config/app.env", "notes/readme.txt"] {
        assert!(stderr.contains(&format!("error: s3://sl-data-pii/{key}")), "{key}: {stderr}");
    }

    // Kept in the database: the public bucket is labelled, and the refused objects are recorded as errors.
    let store = sightline_store::Store::open(&db).unwrap();
    let records = store.data_objects().unwrap();
    let record = records.iter().find(|r| r.object == export).unwrap();
    assert_eq!(record.resource.as_deref(), Some("arn:aws:s3:::sl-public-read"));
    assert!(record.detections.iter().any(|d| d.detector == "credit_card" && d.samples.iter().all(|s| s.contains('*'))));
    assert!(records
        .iter()
        .filter(|r| r.object.starts_with("s3://sl-data-pii/"))
        .all(|r| r.outcome == sightline_model::DataOutcome::Error));

    // A second run skips what is recorded unchanged; the refused objects are tried again.
    let again = scan(&[]);
    let table = String::from_utf8_lossy(&again.stdout);
    assert!(table.contains("2 unchanged since their last scan"), "{table}");
    assert!(table.contains("3 error(s)"), "{table}");

    // `scan` reads the labels: the public bucket holds card data anyone can read.
    let findings =
        sightline(&["scan", "--db", db_arg, "--format", "json", "--rule", "aws-s3-sensitive-data-public"], &[]);
    let findings: Value = serde_json::from_slice(&findings.stdout).unwrap();
    let verdict = |bucket: &str| {
        findings
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["rule_id"] == "aws-s3-sensitive-data-public" && f["resource_id"] == format!("arn:aws:s3:::{bucket}")
            })
            .map(|f| f["status"].as_str().unwrap().to_string())
    };
    assert_eq!(verdict("sl-public-read").as_deref(), Some("FAIL"), "{findings}");
    // Nothing could be read in the PII bucket: no verdict rather than a pass.
    assert_eq!(verdict("sl-data-pii").as_deref(), Some("NOT_EVALUATED"), "{findings}");
    // And the graph reaches the labelled data.
    let paths = sightline(
        &[
            "paths",
            "--db",
            db_arg,
            "--from",
            "arn:aws:iam::123456789012:user/alice-admin",
            "--to",
            "label:credit_card",
            "--format",
            "json",
        ],
        &[],
    );
    let paths: Value = serde_json::from_slice(&paths.stdout).unwrap();
    assert!(paths["to"].as_str().unwrap().starts_with("arn:aws:s3:::sl-public-read"), "{paths}");
}
