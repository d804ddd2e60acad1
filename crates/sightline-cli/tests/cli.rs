//! Runs the real `sightline` binary on the bundled demo organization and on broken inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo/aws")
}

fn sightline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sightline")).args(args).env_remove("SIGHTLINE_DB").output().unwrap()
}

fn ok_json(args: &[&str]) -> Value {
    let out = sightline(args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn demo_can(principal: &str, action: &str, resource: &str, extra: &[&str]) -> Value {
    let dir = demo_dir();
    let mut args = vec!["can", principal, action, resource, "--input", dir.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    ok_json(&args)
}

fn demo_who_can(action: &str, resource: &str, extra: &[&str]) -> Vec<String> {
    let dir = demo_dir();
    let mut args = vec!["who-can", action, resource, "--input", dir.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let v = ok_json(&args);
    let mut names: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert!(a["explanation"]["summary"].is_string());
            a["principal"].as_str().unwrap().to_string()
        })
        .collect();
    names.sort();
    names
}

fn sorted(items: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

const PROD: &str = "arn:aws:iam::200000000002";
const DEV: &str = "arn:aws:iam::300000000003";

#[test]
fn who_can_read_customer_data() {
    let got = demo_who_can("s3:GetObject", "arn:aws:s3:::northwind-customer-data/customers.csv", &[]);
    assert_eq!(
        got,
        sorted(&[
            &format!("{PROD}:user/dana"),
            &format!("{PROD}:role/OrganizationAccountAccessRole"),
            &format!("{PROD}:role/DataAnalyst"),
            &format!("{PROD}:role/BreakGlass"),
            &format!("{PROD}:role/ec2-app-server"),
            "arn:aws:iam::777788889999:role/shipfast-label-printer",
        ])
    );
    // With MFA, the two admins join; from the reporting network, the reporting user does.
    let with_mfa = demo_who_can(
        "s3:GetObject",
        "arn:aws:s3:::northwind-customer-data/customers.csv",
        &["--context", "aws:MultiFactorAuthPresent=true", "--context", "aws:SourceIp=203.0.113.9"],
    );
    for extra in ["user/marcus.webb", "user/jordan.park", "user/metabase-reporting"] {
        assert!(with_mfa.contains(&format!("{PROD}:{extra}")), "{extra} missing from {with_mfa:?}");
    }
    // Over plain HTTP the bucket policy denies everyone.
    let insecure = demo_who_can(
        "s3:GetObject",
        "arn:aws:s3:::northwind-customer-data/customers.csv",
        &["--context", "aws:SecureTransport=false"],
    );
    assert!(insecure.is_empty(), "{insecure:?}");
}

#[test]
fn who_can_assume_prod_deployer_and_data_analyst() {
    let got = demo_who_can("sts:AssumeRole", &format!("{PROD}:role/ProdDeployer"), &[]);
    assert_eq!(
        got,
        sorted(&[
            &format!("{DEV}:role/jenkins-agent"),
            &format!("{DEV}:user/priya.nair"),
            &format!("{DEV}:user/tom.becker"),
            &format!("{DEV}:user/ravi.shah"),
            &format!("{DEV}:role/OrganizationAccountAccessRole"),
            &format!("{DEV}:role/dev-lambda-admin"),
        ])
    );
    let got = demo_who_can("sts:AssumeRole", &format!("{PROD}:role/DataAnalyst"), &[]);
    assert_eq!(
        got,
        sorted(&[
            &format!("{PROD}:user/sam.okafor"),
            &format!("{PROD}:user/lena.fischer"),
            &format!("{PROD}:role/OrganizationAccountAccessRole"),
            &format!("{PROD}:role/BreakGlass"),
            &format!("{PROD}:role/ProdDeployer"),
        ])
    );
}

#[test]
fn guarded_actions_have_one_holder() {
    assert_eq!(
        demo_who_can("s3:DeleteBucket", "arn:aws:s3:::northwind-customer-data", &[]),
        sorted(&[&format!("{PROD}:role/BreakGlass")])
    );
    assert_eq!(
        demo_who_can("cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:200000000002:trail/prod-data-events", &[]),
        sorted(&[&format!("{PROD}:role/SecurityAdmin")])
    );
    assert_eq!(
        demo_who_can(
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:200000000002:secret:prod/payments/stripe-api-key-Xk3p9Q",
            &[]
        ),
        sorted(&[&format!("{PROD}:role/BreakGlass"), &format!("{PROD}:role/PaymentsService")])
    );
    assert!(demo_who_can("sts:AssumeRole", &format!("{PROD}:role/ShipFastIntegration"), &[]).is_empty());
    // The key policy names PaymentsService, delegates to IAM for the admins, and a grant lets OrdersWorker in.
    assert_eq!(
        demo_who_can("kms:Decrypt", "arn:aws:kms:us-east-1:200000000002:key/6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", &[]),
        sorted(&[
            &format!("{PROD}:role/OrganizationAccountAccessRole"),
            &format!("{PROD}:role/BreakGlass"),
            &format!("{PROD}:role/OrdersWorker"),
            &format!("{PROD}:role/PaymentsService"),
        ])
    );
    let public = demo_who_can("sns:Subscribe", "arn:aws:sns:us-east-1:200000000002:order-events", &[]);
    assert!(public.contains(&"*".to_string()), "{public:?}");
}

#[test]
fn can_answers_with_reasons() {
    let v = demo_can(&format!("{PROD}:user/dana"), "iam:CreateUser", &format!("{PROD}:user/x"), &[]);
    assert_eq!(v["decision"], "deny");
    assert_eq!(v["explanation"]["explicit_deny"], false);
    assert!(v["explanation"]["summary"].as_str().unwrap().contains("permissions boundary"));

    let v = demo_can(&format!("{PROD}:user/dana"), "iam:CreateAccessKey", &format!("{PROD}:user/dana"), &[]);
    assert_eq!(v["decision"], "allow", "{v}");

    let v = demo_can(
        &format!("{DEV}:user/automation/ci-deploy"),
        "iam:PassRole",
        &format!("{DEV}:role/dev-lambda-admin"),
        &[],
    );
    assert_eq!(v["decision"], "allow");
    let statements = v["explanation"]["statements"].as_array().unwrap();
    assert!(statements.iter().any(|s| s["sid"] == "PassAnyRole" && s["policy_type"] == "identity"), "{v}");

    let v = demo_can(
        "arn:aws:iam::777788889999:role/shipfast-label-printer",
        "sts:AssumeRole",
        &format!("{PROD}:role/ShipFastIntegration"),
        &[],
    );
    assert_eq!(v["decision"], "deny");
    assert_eq!(v["explanation"]["explicit_deny"], true);
    assert_eq!(v["explanation"]["statements"][0]["policy_type"], "resource_control");

    let jordan = format!("{PROD}:user/jordan.park");
    let v = demo_can(&jordan, "iam:CreateUser", &format!("{PROD}:user/backdoor"), &[]);
    assert_eq!(v["decision"], "deny");
    assert_eq!(v["explanation"]["explicit_deny"], true);
    let v = demo_can(
        &jordan,
        "iam:CreateUser",
        &format!("{PROD}:user/backdoor"),
        &["--context", "aws:MultiFactorAuthPresent=true"],
    );
    assert_eq!(v["decision"], "allow");

    // Region guard-rail SCP.
    let priya = format!("{DEV}:user/priya.nair");
    let v = demo_can(&priya, "ec2:RunInstances", "arn:aws:ec2:ap-southeast-2:300000000003:instance/*", &[]);
    assert_eq!(v["decision"], "deny");
    assert_eq!(v["explanation"]["statements"][0]["policy_type"], "service_control");
    let v = demo_can(&priya, "ec2:RunInstances", "arn:aws:ec2:eu-west-1:300000000003:instance/*", &[]);
    assert_eq!(v["decision"], "allow");

    // Per-user home directories through ${aws:username}.
    let sam = format!("{PROD}:user/sam.okafor");
    let v = demo_can(&sam, "s3:PutObject", "arn:aws:s3:::northwind-home-dirs/home/sam.okafor/notes.txt", &[]);
    assert_eq!(v["decision"], "allow");
    let v = demo_can(&sam, "s3:GetObject", "arn:aws:s3:::northwind-home-dirs/home/lena.fischer/notes.txt", &[]);
    assert_eq!(v["decision"], "deny");
}

#[test]
fn text_explanation_is_stable() {
    let dir = demo_dir();
    let out = sightline(&[
        "can",
        "arn:aws:iam::777788889999:role/shipfast-label-printer",
        "sts:AssumeRole",
        "arn:aws:iam::200000000002:role/ShipFastIntegration",
        "--input",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn import_store_export_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let dir = demo_dir();
    let f = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let out = sightline(&[
        "import",
        "aws-iam",
        &f("100000000001-authorization-details.json"),
        &f("200000000002-authorization-details.json"),
        &f("300000000003-authorization-details-page1.json"),
        &f("300000000003-authorization-details-page2.json"),
        &f("400000000004-authorization-details.json"),
        "--organization",
        &f("organization.json"),
        "--resources",
        &f("resources.json"),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 account(s), 14 user(s), 7 group(s), 20 role(s)"));

    let v = ok_json(&[
        "can",
        &format!("{PROD}:user/dana"),
        "iam:CreateUser",
        &format!("{PROD}:user/x"),
        "--db",
        db.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v["decision"], "deny");

    let export = tmp.path().join("snap.jsonl");
    let out = sightline(&["export", "snapshot", "--db", db.to_str().unwrap(), "-o", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let db2 = tmp.path().join("t.db");
    let out = sightline(&["import", "snapshot", export.to_str().unwrap(), "--db", db2.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The export also works directly as --input.
    let names = {
        let v = ok_json(&[
            "who-can",
            "s3:DeleteBucket",
            "arn:aws:s3:::northwind-customer-data",
            "--input",
            export.to_str().unwrap(),
            "--format",
            "json",
        ]);
        v.as_array().unwrap().len()
    };
    assert_eq!(names, 1);
    let list = ok_json(&["snapshots", "--db", db2.to_str().unwrap(), "--format", "json"]);
    assert_eq!(list[0]["principals"], 41);
}

#[test]
fn demo_command_runs() {
    let out = sightline(&["demo"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Who can read the customer data?"));
    assert!(text.contains("EnforceOrgIdentitiesSTS"));
    let v = ok_json(&["demo", "--format", "json"]);
    let answers = v.as_array().unwrap();
    assert_eq!(answers.len(), 12);
    // The Azure tenant's questions, answered by the RBAC and Entra engine.
    let blob_readers: Vec<(&str, &str)> = answers[8]["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["principal_name"].as_str().unwrap(), a["decision"]["verdict"].as_str().unwrap()))
        .collect();
    assert!(blob_readers.contains(&("Frank Osei", "conditional")), "{blob_readers:?}");
    assert!(blob_readers.iter().all(|(_, v)| *v == "conditional"), "{blob_readers:?}");
    assert_eq!(answers[9]["decision"], "allowed");
    assert_eq!(answers[10]["decision"], "denied");
    let admins: Vec<(&str, &str)> = answers[11]["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["principal_name"].as_str().unwrap(), a["decision"]["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(admins, [("Alice Moreau", "allowed"), ("Bob Lindqvist", "eligible")]);
}

// ---- bad input: a clear error naming the file, the policy and the statement; exit status 2 ----

fn fails_with(args: &[&str], expected: &[&str]) {
    let out = sightline(args);
    assert_eq!(out.status.code(), Some(2), "{args:?} should fail with status 2");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    for e in expected {
        assert!(err.contains(e), "error for {args:?} should mention {e:?}:\n{err}");
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

const USER_WITH_POLICY: &str = r#"{"UserDetailList":[{"UserName":"alice","Arn":"arn:aws:iam::111111111111:user/alice","UserPolicyList":[{"PolicyName":"p1","PolicyDocument":POLICY}]}],"GroupDetailList":[],"RoleDetailList":[],"Policies":[]}"#;

fn with_policy(policy: &str) -> String {
    USER_WITH_POLICY.replace("POLICY", policy)
}

#[test]
fn bad_inputs_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let db = d.join("x.db");
    let db = db.to_str().unwrap();

    let f = write(d, "malformed.json", "{\"UserDetailList\": [");
    fails_with(&["import", "aws-iam", &f, "--db", db], &["malformed.json", "truncated"]);

    let f = write(d, "garbage.json", "{\"UserDetailList\": nope}");
    fails_with(&["import", "aws-iam", &f, "--db", db], &["garbage.json", "invalid JSON", "line 1"]);

    let f = write(
        d,
        "unknown-element.json",
        &with_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"*","Condtion":{}}]}"#,
        ),
    );
    fails_with(
        &["import", "aws-iam", &f, "--db", db],
        &["unknown-element.json", "UserDetailList[0] (alice)", "inline policy \"p1\"", "statement 1", "Condtion"],
    );

    let f = write(
        d,
        "bad-arn.json",
        &with_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Data","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3"}]}"#,
        ),
    );
    fails_with(&["import", "aws-iam", &f, "--db", db], &["bad-arn.json", "statement 0 (Sid \"Data\")", "arn:aws:s3"]);

    let f = write(
        d,
        "bad-operator.json",
        &with_policy(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqualsMaybe":{"aws:username":"x"}}}]}"#,
        ),
    );
    fails_with(
        &["import", "aws-iam", &f, "--db", db],
        &["bad-operator.json", "unknown condition operator", "StringEqualsMaybe"],
    );

    let f = write(
        d,
        "url-encoded.json",
        &with_policy(
            r#""%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A*%22%2C%22Resource%22%3A%22*%22%2C%22Bogus%22%3A1%7D%5D%7D""#,
        ),
    );
    fails_with(&["import", "aws-iam", &f, "--db", db], &["url-encoded.json", "statement 0", "Bogus"]);

    let page = write(
        d,
        "page1.json",
        r#"{"UserDetailList":[],"GroupDetailList":[],"RoleDetailList":[],"Policies":[],"IsTruncated":true,"Marker":"abc"}"#,
    );
    fails_with(&["import", "aws-iam", &page, "--db", db], &["page1.json", "incomplete", "IsTruncated"]);

    fails_with(
        &["import", "aws-iam", &d.join("missing.json").to_string_lossy(), "--db", db],
        &["missing.json", "cannot read"],
    );

    // Query mistakes.
    let good = write(
        d,
        "good.json",
        &with_policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#),
    );
    fails_with(
        &["can", "arn:aws:iam::111111111111:user/bob", "s3:GetObject", "arn:aws:s3:::b/k", "--input", &good],
        &["user/bob", "not in the snapshot"],
    );
    fails_with(
        &["can", "arn:aws:iam::111111111111:user/alice", "s3GetObject", "arn:aws:s3:::b/k", "--input", &good],
        &["invalid action"],
    );
    fails_with(
        &["can", "arn:aws:iam::111111111111:user/alice", "s3:GetObject", "bucket", "--input", &good],
        &["invalid resource"],
    );
    fails_with(
        &[
            "can",
            "arn:aws:iam::111111111111:user/alice",
            "s3:GetObject",
            "arn:aws:s3:::b",
            "--input",
            &good,
            "--context",
            "novalue",
        ],
        &["KEY=VALUE"],
    );
    fails_with(
        &["who-can", "s3:GetObject", "arn:aws:s3:::b/k", "--db", &d.join("none.db").to_string_lossy()],
        &["none.db", "no such database"],
    );

    // Organization file faults.
    let org = write(
        d,
        "org.json",
        r#"{"Organization":{"Id":"o-1","MasterAccountId":"111111111111"},"Roots":[{"Id":"r-1","Name":"Root"}],"Accounts":[{"Id":"111111111111","ParentId":"ou-missing"}]}"#,
    );
    fails_with(
        &["import", "aws-iam", &good, "--organization", &org, "--db", db],
        &["org.json", "Accounts[0]", "ou-missing"],
    );
}

#[test]
fn validate_policy_command() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(
        tmp.path(),
        "trust.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
    );
    let out = sightline(&["validate", "policy", &f, "--type", "trust"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    fails_with(
        &["validate", "policy", &f, "--type", "identity"],
        &["trust.json", "statement 0", "Principal is not allowed"],
    );
}

#[test]
fn actions_expand_with_access_levels() {
    let v = ok_json(&["actions", "iam:*Policy*", "--format", "json"]);
    let rows = v.as_array().unwrap();
    assert!(rows.len() > 20);
    assert!(rows.iter().any(|r| r["action"] == "iam:PutUserPolicy" && r["access_level"] == "Permissions management"));
    fails_with(&["actions", "nosuchservice:Foo"], &["no action matches"]);
    // NotAction complement: everything outside IAM and Organizations.
    let v = ok_json(&["actions", "--not", "iam:*", "organizations:*", "--format", "json"]);
    let rows = v.as_array().unwrap();
    assert!(rows.len() > 15_000);
    assert!(rows.iter().all(|r| {
        let a = r["action"].as_str().unwrap();
        !a.starts_with("iam:") && !a.starts_with("organizations:")
    }));
    assert!(rows.iter().any(|r| r["action"] == "s3:GetObject"));
}

#[test]
fn scan_reports_findings_in_every_format() {
    // JSON: an array of findings with the stable fields; the demo's admin policies fail.
    let out = sightline(&["scan", "--demo", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    for f in &findings {
        for key in ["id", "rule_id", "resource_id", "status", "severity", "domain", "message"] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    assert!(findings.iter().any(|f| f["rule_id"] == "aws-iam-no-full-admin-policies"
        && f["status"] == "FAIL"
        && f["resource_id"] == "arn:aws:iam::aws:policy/AdministratorAccess"));
    // An IAM export holds no password policy: those rules say NOT_EVALUATED, never PASS.
    assert!(findings
        .iter()
        .filter(|f| f["rule_id"] == "aws-iam-password-min-length")
        .all(|f| f["status"] == "NOT_EVALUATED"));
    // Finding ids are stable from one scan to the next.
    let again: Vec<Value> = serde_json::from_slice(&sightline(&["scan", "--demo", "--format", "json"]).stdout).unwrap();
    let ids = |v: &[Value]| v.iter().map(|f| f["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&findings), ids(&again));

    // Exit codes: 1 when something at or above --fail-on fails, 0 otherwise; 2 for a usage error.
    assert_eq!(sightline(&["scan", "--demo", "--fail-on", "high"]).status.code(), Some(1));
    let criticals = findings.iter().any(|f| f["status"] == "FAIL" && f["severity"] == "critical");
    assert_eq!(sightline(&["scan", "--demo", "--fail-on", "critical"]).status.code(), Some(i32::from(criticals)));
    let only_low = ["scan", "--demo", "--rule", "aws-iam-user-no-direct-policies", "--fail-on", "medium"];
    assert_eq!(sightline(&only_low).status.code(), Some(0), "a low-severity failure is below --fail-on medium");
    fails_with(&["scan", "--demo", "--rule", "aws-no-such-rule"], &["unknown rule", "aws-no-such-rule"]);

    // Table, CSV and the CIS summary.
    let table = String::from_utf8(sightline(&["scan", "--demo", "--framework", "cis-aws-5.0"]).stdout).unwrap();
    assert!(
        table.contains("HIGH") && table.contains("CIS Amazon Web Services Foundations Benchmark v5.0.0"),
        "{table}"
    );
    assert!(table.lines().any(|l| l.trim_start().starts_with("1.15") && l.contains("FAIL")), "{table}");
    let csv = String::from_utf8(sightline(&["scan", "--demo", "--format", "csv"]).stdout).unwrap();
    assert!(csv.starts_with("finding_id,rule_id,status,severity,"));
    assert_eq!(csv.lines().count(), findings.len() + 1);

    // SARIF 2.1.0: one result per finding, each pointing at its rule; failures at a level, the rest at none.
    let sarif: Value = serde_json::from_slice(&sightline(&["scan", "--demo", "--format", "sarif"]).stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for r in results {
        let rule = &run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        let failing = r["kind"] == "fail";
        assert_eq!(failing, r["level"] != "none", "{r}");
        assert!(r["partialFingerprints"]["sightlineFindingId/v1"].is_string());
    }
    // OCSF: Detection Finding events.
    let ocsf: Vec<Value> = serde_json::from_slice(&sightline(&["scan", "--demo", "--format", "ocsf"]).stdout).unwrap();
    assert_eq!(ocsf.len(), findings.len());
    for e in &ocsf {
        assert_eq!((e["class_uid"].as_u64(), e["type_uid"].as_u64()), (Some(2004), Some(200401)));
        assert!(e["finding_info"]["uid"].is_string() && e["resources"][0]["uid"].is_string());
        assert!(matches!(e["status_code"].as_str(), Some("PASS" | "FAIL" | "NOT_EVALUATED")));
    }

    // The rule catalogue.
    let list = String::from_utf8(sightline(&["rules", "list"]).stdout).unwrap();
    assert!(list.contains("aws-ec2-imdsv2") && list.trim_end().ends_with("rules"));
    let show = String::from_utf8(sightline(&["rules", "show", "aws-ec2-imdsv2"]).stdout).unwrap();
    for part in ["Severity: high", "5.7", "aws ec2 modify-instance-metadata-options", "http_tokens", "https://"] {
        assert!(show.contains(part), "{part} missing in {show}");
    }
    fails_with(&["rules", "show", "nope"], &["unknown rule"]);
}

#[test]
fn custom_rego_rules_run_beside_the_built_in_ones() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(demo_dir().join("../../rules/s3-owner-tag.rego"), d.join("s3-owner-tag.rego")).unwrap();
    write(d, "broken.rego", "package sightline.custom.broken\n\nmetadata := {\n deny contains x if {\n");
    write(
        d,
        "clash.rego",
        r#"package sightline.custom.clash
metadata := {"id": "aws-ec2-imdsv2", "title": "t", "severity": "low", "resource_type": "AWS::EC2::Instance", "domain": "configuration"}
deny contains "x" if { false }
"#,
    );
    let rules_dir = d.to_string_lossy().into_owned();
    let out = sightline(&["scan", "--demo", "--rules-dir", &rules_dir, "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.rego") && stderr.contains("does not compile"), "{stderr}");
    assert!(stderr.contains("clash.rego") && stderr.contains("built-in rule"), "{stderr}");
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    // The custom rule judged every bucket; the built-in rules still ran.
    let custom: Vec<&Value> = findings.iter().filter(|f| f["rule_id"] == "custom-s3-owner-tag").collect();
    assert_eq!(custom.len(), 5);
    assert!(custom.iter().any(|f| f["status"] == "FAIL" && f["message"] == "the bucket has no owner tag"));
    assert!(findings.iter().any(|f| f["rule_id"] == "aws-s3-bucket-policy-public"));
    // The files that did not load are findings too, naming the file.
    let broken = findings.iter().find(|f| f["rule_id"] == "custom-rule-file:broken.rego").unwrap();
    assert_eq!(broken["status"], "NOT_EVALUATED");
    assert!(broken["resource_id"].as_str().unwrap().ends_with("broken.rego"));

    // Custom rules carry their metadata into the other outputs and the catalogue.
    let sarif: Value =
        serde_json::from_slice(&sightline(&["scan", "--demo", "--rules-dir", &rules_dir, "--format", "sarif"]).stdout)
            .unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let descriptor = rules.iter().find(|r| r["id"] == "custom-s3-owner-tag").unwrap();
    assert_eq!(descriptor["shortDescription"]["text"], "S3 buckets carry an owner tag");
    let show =
        String::from_utf8(sightline(&["rules", "show", "custom-s3-owner-tag", "--rules-dir", &rules_dir]).stdout)
            .unwrap();
    assert!(show.contains("NIST SP 800-53 Rev. 5: CM-8"), "{show}");
    fails_with(
        &["scan", "--demo", "--rules-dir", &d.join("missing").to_string_lossy()],
        &["missing", "cannot read the rules directory"],
    );
}

#[test]
fn responsibility_report_separates_what_the_customer_holds() {
    let report = ok_json(&["responsibility", "--demo", "--format", "json"]);
    let services = report.as_array().unwrap();
    let names: Vec<&str> = services.iter().map(|s| s["service"].as_str().unwrap()).collect();
    for expected in ["IAM", "S3", "SNS", "KMS"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    for s in services {
        for d in s["domains"].as_array().unwrap() {
            let (owner, posture) = (d["owner"].as_str().unwrap(), d["posture"].as_str().unwrap());
            // Provider-held domains are inherited, never passed or failed; the customer's never are inherited.
            assert_eq!(owner == "provider", posture == "inherited", "{} {}: {d}", s["service"], d["domain"]);
            if ["data", "identity", "access_management"].contains(&d["domain"].as_str().unwrap()) {
                assert_eq!(owner, "customer");
            }
        }
    }
    let s3 = services.iter().find(|s| s["service"] == "S3").unwrap();
    assert_eq!((s3["model"].as_str(), s3["category"].as_str()), (Some("abstracted"), Some("SaaS")));
    let access = s3["domains"].as_array().unwrap().iter().find(|d| d["domain"] == "access_management").unwrap();
    assert_eq!(access["posture"], "FAIL", "the demo's public bucket policy: {access}");
    let text = String::from_utf8(sightline(&["responsibility", "--demo"]).stdout).unwrap();
    assert!(text.contains("S3 (abstracted service, SaaS") && text.contains("inherited"), "{text}");
}

/// `privesc` on the demo: the administrators come from effective permissions, and the two planted chains come out
/// shortest, with a proof for every request (demo README, Q19).
#[test]
fn privesc_finds_the_demo_chains() {
    let dir = demo_dir();
    let v = ok_json(&["privesc", "--input", dir.to_str().unwrap(), "--format", "json"]);
    let paths: Vec<(String, Vec<(String, String)>)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let hops = e["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    assert!(h["proof"].as_array().is_some_and(|p| !p.is_empty()), "{h}");
                    (h["technique"].as_str().unwrap().to_string(), h["to"].as_str().unwrap().to_string())
                })
                .collect();
            (e["principal"].as_str().unwrap().to_string(), hops)
        })
        .collect();
    let lambda = ("iam-pass-role-lambda-invoke".to_string(), format!("{DEV}:role/dev-lambda-admin"));
    let key = ("iam-create-access-key".to_string(), format!("{DEV}:user/automation/ci-deploy"));
    assert_eq!(
        paths,
        vec![
            (format!("{DEV}:user/automation/ci-deploy"), vec![lambda.clone()]),
            (format!("{DEV}:role/jenkins-agent"), vec![key, lambda]),
        ]
    );
    // Same answer from the demo flag, as text.
    let out = sightline(&["privesc", "--demo"]);
    let text = String::from_utf8_lossy(&out.stdout);
    // The demo adds an Azure tenant: 6 AWS administrators and 8 Azure ones (the planted Owner service principal,
    // the group with User Access Administrator at the root and its members, the app with
    // RoleManagement.ReadWrite.Directory, ...), and Carol's way through a VM's managed identity.
    assert!(out.status.success() && text.contains("Effective administrators (14)"), "{text}");
    assert!(text.contains(&format!("{DEV}:user/ravi.shah")), "{text}");
    assert!(text.contains("  9e6b2c1a-5d3f-4b1a-8eab-2f4c6d8a0b9b\n"), "{text}");
    assert!(text.contains("2d9a5b43-8c6e-4a4f-9d3a-5e7b9c1f3a24 (2 hops)\n    1. managed-identity"), "{text}");
}

#[test]
fn paths_between_principals() {
    let v = ok_json(&[
        "paths",
        "--demo",
        "--from",
        &format!("{DEV}:role/jenkins-agent"),
        "--to",
        &format!("{DEV}:user/automation/ci-deploy"),
        "--format",
        "json",
    ]);
    assert_eq!(v["path"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["path"][0]["technique"], "iam-create-access-key");
    let none =
        ok_json(&["paths", "--demo", "--from", &format!("{DEV}:user/priya.nair"), "--to", "admin", "--format", "json"]);
    assert!(none["path"].is_null(), "{none}");
    fails_with(
        &["paths", "--demo", "--from", "arn:aws:iam::300000000003:user/nobody", "--to", "admin"],
        &["user/nobody", "no such user or role"],
    );
    // From an Azure principal, by user principal name: Erin holds a custom role granting `*` in the dev
    // subscription.
    let v = ok_json(&[
        "paths",
        "--demo",
        "--from",
        "erin@northwindrobotics.onmicrosoft.com",
        "--to",
        "admin",
        "--format",
        "json",
    ]);
    assert_eq!(v["from"], "4f1c7d65-0e8a-4c6b-9f5c-7a9d1e3b5c46");
    assert_eq!(v["path"][0]["technique"], "grant-role", "{v}");
    // To data: a dev user reaches the customer data through two roles, then reads it (the demo's attack path).
    let data = "arn:aws:s3:::northwind-customer-data/customers.csv";
    let v =
        ok_json(&["paths", "--demo", "--from", &format!("{DEV}:user/priya.nair"), "--to", data, "--format", "json"]);
    let hops: Vec<(&str, &str)> = v["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["technique"].as_str().unwrap(), h["to"].as_str().unwrap()))
        .collect();
    let (deployer, analyst) = (format!("{PROD}:role/ProdDeployer"), format!("{PROD}:role/DataAnalyst"));
    assert_eq!(
        hops,
        [("sts-assume-role", deployer.as_str()), ("sts-assume-role", analyst.as_str()), ("has-access", data)]
    );
    assert!(v["path"][2]["detail"].as_str().unwrap().contains("s3:GetObject"));
    // Someone who can read it directly: one hop.
    let direct = ok_json(&["paths", "--demo", "--from", &analyst, "--to", data, "--format", "json"]);
    assert_eq!(direct["path"].as_array().unwrap().len(), 1);
    fails_with(&["paths", "--demo", "--from", &analyst, "--to", "not-an-arn"], &["not-an-arn", "not a resource ARN"]);

    // To data the scanner labelled: `label:NAME` reaches any resource carrying it, through its objects.
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("labelled.jsonl");
    let lines = [
        r#"{"sightline_snapshot":1,"source":"test"}"#,
        r#"{"account":{"provider":"aws","id":"111111111111"}}"#,
        r#"{"principal":{"provider":"aws","id":"arn:aws:iam::111111111111:user/ana","kind":"user","account_id":"111111111111","name":"ana","inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/reader"}]}}]}}"#,
        r#"{"principal":{"provider":"aws","id":"arn:aws:iam::111111111111:role/reader","kind":"role","account_id":"111111111111","name":"reader","trust_policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]},"inline_policies":[{"name":"p","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::cards/*"}]}}]}}"#,
        r#"{"resource":{"provider":"aws","id":"arn:aws:s3:::cards","resource_type":"AWS::S3::Bucket","account_id":"111111111111","name":"cards","properties":{"sightline_classifications":["credit_card"]}}}"#,
    ];
    std::fs::write(&export, lines.join("\n") + "\n").unwrap();
    let ana = "arn:aws:iam::111111111111:user/ana";
    let v = ok_json(&[
        "paths",
        "--from",
        ana,
        "--to",
        "label:credit_card",
        "--input",
        export.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v["to"], "arn:aws:s3:::cards/*", "{v}");
    let kinds: Vec<&str> = v["path"].as_array().unwrap().iter().map(|h| h["technique"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["sts-assume-role", "has-access"], "{v}");
    let none = ok_json(&[
        "paths",
        "--from",
        ana,
        "--to",
        "label:health",
        "--input",
        export.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(none["path"].is_null());
}

#[test]
fn graph_export_formats() {
    let dir = tempfile::tempdir().unwrap();
    for (format, edge) in [
        ("graphml", format!("source=\"{DEV}:role/jenkins-agent\" target=\"{DEV}:user/automation/ci-deploy\"")),
        (
            "dot",
            format!(
                "\"{DEV}:role/jenkins-agent\" -> \"{DEV}:user/automation/ci-deploy\" [label=\"iam-create-access-key\"]"
            ),
        ),
        ("cypher", "[r:CAN_ESCALATE {technique: 'iam-create-access-key'}]".to_string()),
    ] {
        let path = dir.path().join(format!("graph.{format}"));
        let out = sightline(&["graph", "export", "--demo", "--format", format, "-o", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&edge), "{format}: {edge}\n{text}");
        // The node and edge kinds beyond the identities: a service and an outside account that trust policies let
        // in, resources and who reaches them, and passing a role.
        let kinds: Vec<String> = match format {
            "graphml" => vec![
                "<data key=\"kind\">service</data>".into(),
                "<data key=\"kind\">external_account</data>".into(),
                "<data key=\"kind\">resource</data>".into(),
                "<data key=\"resource_type\">AWS::S3::Bucket</data>".into(),
                "<data key=\"edge\">CAN_PASS_ROLE</data>".into(),
                "<data key=\"edge\">HAS_ACCESS</data>".into(),
                "<data key=\"access_levels\">".into(),
                format!("source=\"lambda.amazonaws.com\" target=\"{PROD}:role/OrdersWorker\""),
            ],
            "dot" => vec![
                "shape=hexagon".into(),
                "shape=box3d".into(),
                "shape=cylinder".into(),
                format!("\"lambda.amazonaws.com\" -> \"{PROD}:role/OrdersWorker\" [label=\"sts-assume-role\"]"),
                "\"arn:aws:iam::777788889999:role/shipfast-label-printer\" -> \"arn:aws:s3:::northwind-customer-data\" [label=\"has-access: List, Read\"]".into(),
                "[label=\"can-pass-role\"]".into(),
                "[label=\"has-access: ".into(),
            ],
            _ => vec![
                ":AWSService {arn: 'lambda.amazonaws.com'}".into(),
                ":AWSAccount {arn: 'arn:aws:iam::777788889999:role/shipfast-label-printer'}".into(),
                ":Resource {arn: 'arn:aws:s3:::northwind-customer-data'}".into(),
                "[r:CAN_PASS_ROLE {technique: 'can-pass-role'}]".into(),
                "[r:HAS_ACCESS {technique: 'has-access'}]".into(),
                "r.access_levels = [".into(),
            ],
        };
        for kind in &kinds {
            assert!(text.contains(kind.as_str()), "{format}: {kind}\n{text}");
        }
        // The Azure tenant's edges follow the AWS ones: the CI service principal, Owner of nw-prod, administers it.
        if format == "dot" {
            assert!(
                text.contains("\"8d5a1b09-4c2e-4a0f-9d9a-1e3b5c7f9a8a\" -> \"admin\" [label=\"grant-role\"]"),
                "{text}"
            );
            assert_eq!(text.matches("\"admin\" [label=\"administrator\"").count(), 1, "one administrator node");
        }
        // ShipFastIntegration trusts the vendor's account, but the prod OU's RCP denies callers from outside the
        // organization: no can-assume edge.
        assert!(
            !text.lines().any(|l| l.contains("777788889999:root") && l.contains("ShipFastIntegration")),
            "{format}"
        );
    }
    // The vendor's role reads the customer data through the bucket policy (an outside principal, M8).
    let path = dir.path().join("graph.cypher");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.lines().any(|l| l.contains("{arn: 'arn:aws:iam::777788889999:role/shipfast-label-printer'}")
            && l.contains("{arn: 'arn:aws:s3:::northwind-customer-data'}")
            && l.contains("HAS_ACCESS")
            && l.contains("'Read'")),
        "{text}"
    );
    // Without has-access edges.
    let out = sightline(&["graph", "export", "--demo", "--format", "cypher", "--no-access"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("HAS_ACCESS") && text.contains("CAN_ASSUME"), "{text}");
}

#[test]
fn access_both_ways() {
    // A developer with PowerUserAccess: almost everything on any resource, but little of IAM.
    let v = ok_json(&["access", "--demo", &format!("{DEV}:user/priya.nair"), "--format", "json"]);
    assert_eq!(v["identity"], "person");
    let services = v["services"].as_array().unwrap();
    let iam = services.iter().find(|s| s["service"] == "iam").unwrap();
    assert!(iam["anywhere"].get("permissions_management").is_none(), "{iam}");
    let s3 = services.iter().find(|s| s["service"] == "s3").unwrap();
    assert!(s3["anywhere"]["read"].as_u64().unwrap() > 10, "{s3}");
    let roles = ok_json(&["access", "--demo", &format!("{DEV}:role/jenkins-agent"), "--format", "json"]);
    assert_eq!(roles["identity"], "non-person");
    let risk = |v: &Value, category: &str| -> Vec<String> {
        v["risks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["category"] == category)
            .map(|r| r["evidence"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert!(risk(&v, "data_exfiltration").contains(&"s3:GetObject".to_string()), "{}", v["risks"]);
    assert!(!risk(&v, "infrastructure_modification").is_empty());
    assert!(risk(&v, "privilege_escalation").is_empty());
    assert!(risk(&roles, "credentials_exposure").contains(&"iam:CreateAccessKey".to_string()));
    assert_eq!(risk(&roles, "privilege_escalation").len(), 2, "{}", roles["risks"]);
    // jenkins-agent may create access keys for one user only (M13).
    let keys = roles["permissions"].as_array().unwrap().iter().find(|p| p["action"] == "iam:CreateAccessKey").unwrap();
    assert_eq!(keys["resources"], serde_json::json!([format!("{DEV}:user/automation/ci-deploy")]));

    // Every identity at once, one summary each.
    let all = ok_json(&["access", "--all", "--demo", "--format", "json"]);
    let all = all.as_array().unwrap();
    let one = |arn: &str| all.iter().find(|a| a["principal"] == arn).unwrap_or_else(|| panic!("{arn}"));
    assert_eq!(one(&format!("{PROD}:user/dana"))["identity"], "person");
    assert_eq!(one(&format!("{DEV}:role/jenkins-agent"))["identity"], "non-person");
    assert!(one(&format!("{DEV}:role/jenkins-agent"))["risks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["category"] == "privilege_escalation"));
    assert!(!all.iter().any(|a| a["principal"].as_str().unwrap().contains("aws-service-role")));

    // Who reaches the customer data: the analysts' role reads it; the vendor's role too (M8).
    let reach = ok_json(&[
        "access",
        "--demo",
        "--resource",
        "arn:aws:s3:::northwind-customer-data/customers.csv",
        "--format",
        "json",
    ]);
    let who: Vec<&str> = reach.as_array().unwrap().iter().map(|r| r["principal"].as_str().unwrap()).collect();
    assert!(who.contains(&format!("{PROD}:role/DataAnalyst").as_str()), "{who:?}");
    assert!(who.contains(&"arn:aws:iam::777788889999:role/shipfast-label-printer"), "{who:?}");
    let analyst =
        reach.as_array().unwrap().iter().find(|r| r["principal"] == format!("{PROD}:role/DataAnalyst")).unwrap();
    assert!(analyst["actions"]["read"].as_array().unwrap().iter().any(|a| a == "s3:GetObject"), "{analyst}");
    fails_with(
        &["access", "--demo", "arn:aws:iam::300000000003:user/nobody"],
        &["user/nobody", "no such user or role"],
    );
}

fn demo_cloudtrail() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo/cloudtrail")
}

#[test]
fn activity_import_then_least_privilege() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let db = db.to_str().unwrap();
    let prod = demo_dir().join("200000000002-authorization-details.json");
    let out = sightline(&["import", "aws-iam", prod.to_str().unwrap(), "--db", db]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let trail = demo_cloudtrail();
    let out = sightline(&["activity", "import", trail.to_str().unwrap(), "--db", db]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("read 1102 events from 1 files") && text.contains("account 200000000002"), "{text}");
    assert!(text.contains("calls by AWS services (lambda.amazonaws.com)"), "{text}");
    // The same files again: recognised, nothing counted twice.
    let again = sightline(&["activity", "import", trail.to_str().unwrap(), "--db", db]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("imported before"));
    assert!(String::from_utf8_lossy(&again.stdout).contains("read 0 events from 0 files"));

    // What was imported, per identity and for one.
    let shown = ok_json(&["activity", "show", "--db", db, "--format", "json"]);
    let dana = shown.as_array().unwrap().iter().find(|s| s["principal"] == format!("{PROD}:user/dana")).unwrap();
    assert_eq!(
        (dana["calls"].as_u64(), dana["refused"].as_u64(), dana["actions"].as_u64()),
        (Some(28), Some(1), Some(2))
    );
    let calls = ok_json(&["activity", "show", &format!("{PROD}:user/dana"), "--db", db, "--format", "json"]);
    assert!(calls.as_array().unwrap().iter().any(|c| c["action"] == "ec2:TerminateInstances" && c["denied"] == true));

    // The app servers' role holds AmazonS3FullAccess but only read three assets and wrote the order exports.
    let arn = format!("{PROD}:role/ec2-app-server");
    let lp = ok_json(&["least-privilege", &arn, "--db", db, "--format", "json"]);
    assert_eq!(lp["allowed_calls"], lp["observed_calls"]);
    assert!(lp["not_allowed"].as_array().unwrap().is_empty() && lp["beyond_observed"].as_array().unwrap().is_empty());
    let statements = lp["policy"]["Statement"].as_array().unwrap();
    let mut actions: Vec<&str> =
        statements.iter().flat_map(|s| s["Action"].as_array().unwrap()).map(|a| a.as_str().unwrap()).collect();
    actions.sort();
    assert_eq!(actions, ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    let put = statements.iter().find(|s| s["Action"][0] == "s3:PutObject").unwrap();
    assert_eq!(put["Resource"], "arn:aws:s3:::northwind-customer-data/exports/*");
    assert!(lp["removed_actions"].as_u64().unwrap() > 100);
    // The text form is the policy, introduced by comments.
    let text = String::from_utf8(sightline(&["least-privilege", &arn, "--db", db]).stdout).unwrap();
    assert!(text.starts_with("# Least privilege for") && text.contains("\"Version\": \"2012-10-17\""), "{text}");
    // Someone who made no call: said so, with the way to fix it.
    fails_with(
        &["least-privilege", &format!("{PROD}:user/jordan.park"), "--db", db],
        &["no activity recorded", "activity import"],
    );

    // Without a database: the activity as an export file, given with --input beside the other exports.
    let export = tmp.path().join("activity.jsonl");
    let out = sightline(&["activity", "import", trail.to_str().unwrap(), "--out", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lp2 = ok_json(&[
        "least-privilege",
        &arn,
        "--input",
        prod.to_str().unwrap(),
        export.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(lp2["policy"], lp["policy"]);

    // A broken log fails the import, naming the file; nothing is stored.
    let bad = tmp.path().join("bad.json");
    std::fs::write(&bad, "{\"Records\": [").unwrap();
    fails_with(&["activity", "import", bad.to_str().unwrap(), "--db", db], &["bad.json", "not valid JSON"]);
}

#[test]
fn unused_access_in_the_demo_scan() {
    let v = ok_json(&[
        "scan",
        "--demo",
        "--rule",
        "aws-iam-unused-actions",
        "--rule",
        "aws-iam-unused-services",
        "--format",
        "json",
    ]);
    let findings = v.as_array().unwrap();
    let of = |rule: &str, who: &str| {
        findings
            .iter()
            .find(|f| f["rule_id"] == rule && f["resource_id"] == format!("{PROD}:{who}"))
            .unwrap_or_else(|| panic!("{rule} {who}"))
    };
    let app = of("aws-iam-unused-actions", "role/ec2-app-server");
    assert_eq!(app["status"], "FAIL");
    assert!(app["evidence"]["unused"]["write"].as_array().unwrap().iter().any(|a| a == "s3:DeleteObject"), "{app}");
    // The offboarded admin made no call: every service it may use is unused.
    assert_eq!(of("aws-iam-unused-services", "user/jordan.park")["status"], "FAIL");
    // Accounts without logs are not judged.
    assert!(findings.iter().any(|f| f["status"] == "NOT_EVALUATED"
        && f["resource_id"].as_str().unwrap().starts_with("arn:aws:iam::300000000003:")
        && f["message"].as_str().unwrap().contains("no CloudTrail logs")));
    // A window longer than the logs: nothing is called unused.
    let v =
        ok_json(&["scan", "--demo", "--rule", "aws-iam-unused-services", "--unused-days", "400", "--format", "json"]);
    let jordan = v.as_array().unwrap().iter().find(|f| f["resource_id"] == format!("{PROD}:user/jordan.park")).unwrap();
    assert_eq!(jordan["status"], "NOT_EVALUATED");
    assert!(jordan["message"].as_str().unwrap().contains("less than the 400-day window"), "{jordan}");
}
