use super::*;
use flate2::write::GzEncoder;
use serde_json::{json, Value};
use std::io::Write;

const ACCOUNT: &str = "111111111111";

fn user_event(name: &str, source: &str, time: &str, params: Value) -> Value {
    json!({
        "eventVersion": "1.08", "eventTime": time, "eventSource": source, "eventName": name,
        "awsRegion": "us-east-1", "recipientAccountId": ACCOUNT, "requestParameters": params,
        "userIdentity": {"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT}:user/alice"),
                         "accountId": ACCOUNT, "accessKeyId": "AKIAEXAMPLEALICE0001", "userName": "alice"}
    })
}

fn role_event(name: &str, source: &str, time: &str) -> Value {
    json!({
        "eventTime": time, "eventSource": source, "eventName": name, "recipientAccountId": ACCOUNT,
        "userIdentity": {"type": "AssumedRole", "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/app/i-123"),
                         "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLE",
                         "sessionContext": {"sessionIssuer": {"type": "Role", "arn": format!("arn:aws:iam::{ACCOUNT}:role/app"), "accountId": ACCOUNT}}}
    })
}

fn write_gz(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut gz = GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    gz.write_all(value.to_string().as_bytes()).unwrap();
    gz.finish().unwrap();
}

fn trail_dir(dir: &Path) -> PathBuf {
    let root = dir.join("AWSLogs").join(ACCOUNT);
    let day = root.join("CloudTrail/us-east-1/2026/11/20");
    write_gz(
        &day.join(format!("{ACCOUNT}_CloudTrail_us-east-1_20261120T0000Z_a.json.gz")),
        &json!({"Records": [
            user_event("ListObjects", "s3.amazonaws.com", "2026-11-20T10:00:00Z", json!({"bucketName": "data"})),
            user_event("GetObject", "s3.amazonaws.com", "2026-11-20T10:01:00Z", json!({"bucketName": "data", "key": "a/b.csv"})),
            user_event("GetObject", "s3.amazonaws.com", "2026-11-21T10:01:00Z", json!({"bucketName": "data", "key": "a/b.csv"})),
            user_event("DeleteBucket", "s3.amazonaws.com", "2026-11-20T10:02:00Z", json!({"bucketName": "data"})),
            role_event("UpdateFunctionCode20150331v2", "lambda.amazonaws.com", "2026-08-01T00:00:00Z"),
            role_event("GetMetricData", "monitoring.amazonaws.com", "2026-11-20T11:00:00Z"),
            {"eventTime": "2026-11-20T12:00:00Z", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole",
             "userIdentity": {"type": "AWSService", "invokedBy": "ec2.amazonaws.com"}, "recipientAccountId": ACCOUNT},
            user_event("ConsoleLogin", "signin.amazonaws.com", "2026-11-20T09:00:00Z", Value::Null),
        ]}),
    );
    // The same user, refused, in a plain JSON file.
    let mut denied =
        user_event("CreateUser", "iam.amazonaws.com", "2026-11-22T00:00:00Z", json!({"userName": "mallory"}));
    denied["errorCode"] = json!("AccessDenied");
    let plain = day.join(format!("{ACCOUNT}_CloudTrail_us-east-1_20261122T0000Z_b.json"));
    std::fs::write(&plain, json!({"Records": [denied]}).to_string()).unwrap();
    let digest = root.join("CloudTrail-Digest/us-east-1/2026/11/20/x.json.gz");
    write_gz(&digest, &json!({"digestStartTime": "x"}));
    std::fs::write(day.join("notes.txt"), "hello").unwrap();
    dir.join("AWSLogs")
}

#[test]
fn a_trail_directory_is_read_into_activity() {
    let dir = tempfile::tempdir().unwrap();
    let root = trail_dir(dir.path());
    let got = import(&[root], &|_| false).unwrap();
    assert_eq!(got.files.len(), 2);
    assert_eq!(got.skipped.len(), 2, "{:?}", got.skipped);
    assert!(got.skipped.iter().any(|(_, why)| why.contains("digest")));
    assert_eq!(got.events, 8);
    assert_eq!(got.ignored.values().sum::<u64>(), 1);
    assert!(got.ignored.keys().next().unwrap().contains("ec2.amazonaws.com"));
    let find = |action: &str| got.activity.iter().filter(|a| a.action == action).collect::<Vec<_>>();
    let list = find("s3:ListBucket");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].resource.as_deref(), Some("arn:aws:s3:::data"));
    assert_eq!(list[0].access_key_id.as_deref(), Some("AKIAEXAMPLEALICE0001"));
    let get = find("s3:GetObject");
    assert_eq!(get.len(), 1);
    assert_eq!(
        (get[0].count, get[0].first_seen.as_str(), get[0].last_seen.as_str()),
        (2, "2026-11-20T10:01:00Z", "2026-11-21T10:01:00Z")
    );
    assert_eq!(get[0].resource.as_deref(), Some("arn:aws:s3:::data/a/b.csv"));
    // A role's sessions count for the role; temporary keys are not access keys.
    let code = find("lambda:UpdateFunctionCode");
    assert_eq!(code[0].principal, format!("arn:aws:iam::{ACCOUNT}:role/app"));
    assert_eq!(code[0].access_key_id, None);
    assert_eq!(find("cloudwatch:GetMetricData").len(), 1);
    let refused = find("iam:CreateUser");
    assert!(refused[0].denied);
    assert_eq!(refused[0].resource.as_deref(), Some("arn:aws:iam::111111111111:user/mallory"));
    assert_eq!(got.unknown_actions.get("signin:ConsoleLogin"), Some(&1));
    // Two stretches: one day in August, then 20 to 22 November; the days between hold no event at all, so they are
    // a hole in the logs, not a quiet time.
    let spans: Vec<(&str, &str, u64)> =
        got.periods.iter().map(|p| (p.from.as_str(), p.to.as_str(), p.events)).collect();
    assert_eq!(
        spans,
        [("2026-08-01T00:00:00Z", "2026-08-01T00:00:00Z", 1), ("2026-11-20T09:00:00Z", "2026-11-22T00:00:00Z", 8)]
    );
}

#[test]
fn files_imported_before_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = trail_dir(dir.path());
    let got = import(&[root], &|name| name.ends_with("_a.json.gz")).unwrap();
    assert_eq!(got.files.len(), 1);
    assert!(got.skipped.iter().any(|(_, why)| why == "imported before"));
}

#[test]
fn lookup_events_output_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lookup.json");
    let event = user_event("ListUsers", "iam.amazonaws.com", "2026-11-20T10:00:00Z", Value::Null);
    std::fs::write(&path, json!({"Events": [{"EventId": "1", "CloudTrailEvent": event.to_string()}]}).to_string())
        .unwrap();
    let got = import(&[path], &|_| false).unwrap();
    assert_eq!(got.activity[0].action, "iam:ListUsers");
}

#[test]
fn bad_files_fail_the_import_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        json!({"Records": [user_event("ListUsers", "iam.amazonaws.com", "2026-11-20T10:00:00Z", Value::Null)]})
            .to_string(),
    )
    .unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"Records\": [").unwrap();
    let err = import(&[good.clone(), broken.clone()], &|_| false).unwrap_err().to_string();
    assert!(err.contains("broken.json") && err.contains("not valid JSON"), "{err}");

    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"Resources\": []}").unwrap();
    let err = import(&[other], &|_| false).unwrap_err().to_string();
    assert!(err.contains("other.json") && err.contains("not a CloudTrail log"), "{err}");

    let partial = dir.path().join("partial.json");
    std::fs::write(&partial, json!({"Records": [{"eventTime": "2026-11-20T10:00:00Z", "eventSource": "iam.amazonaws.com", "userIdentity": {}}]}).to_string()).unwrap();
    let err = import(&[partial], &|_| false).unwrap_err().to_string();
    assert!(err.contains("partial.json") && err.contains("event 1") && err.contains("eventName"), "{err}");

    // Two bad files: both named.
    let worse = dir.path().join("worse.json.gz");
    std::fs::write(&worse, [0x1f, 0x8b, 8, 0, 0]).unwrap();
    let err = import(&[good, broken, worse], &|_| false).unwrap_err().to_string();
    assert!(err.contains("2 files could not be read"), "{err}");
    assert!(err.contains("broken.json") && err.contains("worse.json.gz"), "{err}");
    // A path that does not exist is named.
    let err = import(&[dir.path().join("missing")], &|_| false).unwrap_err().to_string();
    assert!(err.contains("missing") && err.contains("No such file"), "{err}");
}

#[test]
fn a_decompression_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.json.gz");
    let mut gz = GzEncoder::new(std::fs::File::create(&path).unwrap(), flate2::Compression::best());
    gz.write_all(b"{\"Records\": [").unwrap();
    gz.write_all(&vec![b' '; 4 << 20]).unwrap();
    gz.write_all(b"]}").unwrap();
    gz.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 64 << 10);
    let err = import_limited(&[path], &|_| false, 1 << 20).unwrap_err().to_string();
    assert!(err.contains("bomb.json.gz") && err.contains("refused"), "{err}");
}

#[test]
fn event_sources_map_to_policy_actions() {
    let db = ActionDb::embedded();
    for (source, name, action) in [
        ("s3.amazonaws.com", "ListBuckets", "s3:ListAllMyBuckets"),
        ("s3.amazonaws.com", "HeadObject", "s3:GetObject"),
        ("lambda.amazonaws.com", "Invoke", "lambda:InvokeFunction"),
        ("lambda.amazonaws.com", "GetFunction20150331v2", "lambda:GetFunction"),
        ("lambda.amazonaws.com", "ListFunctions20150331", "lambda:ListFunctions"),
        ("monitoring.amazonaws.com", "PutMetricAlarm", "cloudwatch:PutMetricAlarm"),
        ("email.amazonaws.com", "SendEmail", "ses:SendEmail"),
        ("iam.amazonaws.com", "createaccesskey", "iam:CreateAccessKey"),
        ("kms.amazonaws.com", "Decrypt", "kms:Decrypt"),
    ] {
        assert_eq!(action_of(source, name, db), action, "{source} {name}");
    }
}

#[test]
fn fields_of_unexpected_types_are_read_as_absent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.json");
    // A key that is a number, an error code that is an object, request parameters with nested values, escaped
    // strings: the call is still attributed, and nothing else is made up.
    let mut odd = user_event(
        "GetObject",
        "s3.amazonaws.com",
        "2026-11-20T10:00:00Z",
        json!({"bucketName": "b\u{e9}", "key": 42, "nested": {"a": [1, 2]}}),
    );
    odd["errorCode"] = json!({"code": "x"});
    odd["userIdentity"]["arn"] = json!("arn:aws:iam::111111111111:user/al\\ice");
    std::fs::write(&path, json!({"Records": [odd]}).to_string()).unwrap();
    let got = import(&[path], &|_| false).unwrap();
    assert_eq!(got.activity.len(), 1);
    let a = &got.activity[0];
    assert_eq!((a.action.as_str(), a.resource.as_deref(), a.denied), ("s3:GetObject", None, false));
    assert_eq!(a.principal, "arn:aws:iam::111111111111:user/al\\ice");
}

#[test]
fn only_cloudtrail_files_of_a_log_archive_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("AWSLogs").join(ACCOUNT);
    let event = user_event("ListUsers", "iam.amazonaws.com", "2026-11-20T10:00:00Z", Value::Null);
    write_gz(
        &root.join(format!("CloudTrail/us-east-1/2026/11/20/{ACCOUNT}_CloudTrail_us-east-1_20261120T0000Z_x.json.gz")),
        &json!({"Records": [event]}),
    );
    // Insights events, AWS Config snapshots and flow logs share the bucket: skipped, not failed.
    write_gz(
        &root.join(format!("CloudTrail-Insight/us-east-1/2026/11/20/{ACCOUNT}_CloudTrail-Insight_us-east-1_x.json.gz")),
        &json!({"Records": [{"eventType": "AwsCloudTrailInsight"}]}),
    );
    write_gz(
        &root.join(format!(
            "Config/us-east-1/2026/11/20/ConfigSnapshot/{ACCOUNT}_Config_us-east-1_ConfigSnapshot_x.json.gz"
        )),
        &json!({"configurationItems": []}),
    );
    let got = import(&[dir.path().join("AWSLogs")], &|_| false).unwrap();
    assert_eq!(got.events, 1);
    assert_eq!(got.skipped.len(), 2, "{:?}", got.skipped);
    assert!(got.skipped.iter().any(|(_, why)| why.contains("Insights")));
    assert!(got.skipped.iter().any(|(_, why)| why.contains("Config")));
}

#[test]
fn refusals_versions_and_renamed_operations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.json");
    let mut failed_login = user_event("ConsoleLogin", "signin.amazonaws.com", "2026-11-20T10:00:00Z", Value::Null);
    failed_login["responseElements"] = json!({"ConsoleLogin": "Failure"});
    let mut expired = user_event("ListUsers", "iam.amazonaws.com", "2026-11-20T10:00:00Z", Value::Null);
    expired["errorCode"] = json!("ExpiredToken");
    // The service's own refusal further on: the caller's call was allowed.
    let mut kms = role_event("Invoke", "lambda.amazonaws.com", "2026-11-20T10:00:00Z");
    kms["errorCode"] = json!("KMSAccessDeniedException");
    let version = user_event(
        "GetObject",
        "s3.amazonaws.com",
        "2026-11-20T10:00:00Z",
        json!({"bucketName": "b", "key": "k", "versionId": "3"}),
    );
    let encryption =
        user_event("GetBucketEncryption", "s3.amazonaws.com", "2026-11-20T10:00:00Z", json!({"bucketName": "b"}));
    let batch = role_event("SendMessageBatch", "sqs.amazonaws.com", "2026-11-20T10:00:00Z");
    let mut named = role_event("GetFunction20150331v2", "lambda.amazonaws.com", "2026-11-20T10:00:00Z");
    named["awsRegion"] = json!("eu-west-1");
    named["requestParameters"] = json!({"functionName": "orders"});
    std::fs::write(
        &path,
        json!({"Records": [failed_login, expired, kms, version, encryption, batch, named]}).to_string(),
    )
    .unwrap();
    let got = import(&[path], &|_| false).unwrap();
    let find = |action: &str| {
        got.activity.iter().find(|a| a.action == action).unwrap_or_else(|| panic!("{action}: {:?}", got.activity))
    };
    assert!(find("signin:ConsoleLogin").denied);
    assert!(find("iam:ListUsers").denied);
    assert!(!find("lambda:InvokeFunction").denied);
    assert_eq!(find("s3:GetObjectVersion").resource.as_deref(), Some("arn:aws:s3:::b/k"));
    assert_eq!(find("s3:GetEncryptionConfiguration").resource.as_deref(), Some("arn:aws:s3:::b"));
    find("sqs:SendMessage");
    assert_eq!(
        find("lambda:GetFunction").resource.as_deref(),
        Some("arn:aws:lambda:eu-west-1:111111111111:function:orders")
    );
    assert!(got.unknown_actions.keys().all(|a| a == "signin:ConsoleLogin"), "{:?}", got.unknown_actions);
}

#[test]
fn a_log_covers_the_account_that_received_the_calls() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.json");
    // A role of another account calls into this one: the log is this account's.
    let mut call = role_event("ListQueues", "sqs.amazonaws.com", "2026-11-20T10:00:00Z");
    call["userIdentity"]["accountId"] = json!("999999999999");
    call["userIdentity"]["sessionContext"]["sessionIssuer"]["accountId"] = json!("999999999999");
    std::fs::write(&path, json!({"Records": [call]}).to_string()).unwrap();
    let got = import(std::slice::from_ref(&path), &|_| false).unwrap();
    let accounts: Vec<&str> = got.periods.iter().map(|p| p.account_id.as_str()).collect();
    assert_eq!(accounts, [ACCOUNT]);
    assert_eq!(got.activity[0].account_id, "999999999999");
    // An event time that is not a time is refused, naming the event.
    let bad = user_event("ListUsers", "iam.amazonaws.com", "yesterday", Value::Null);
    std::fs::write(&path, json!({"Records": [bad]}).to_string()).unwrap();
    let err = import(&[path], &|_| false).unwrap_err().to_string();
    assert!(err.contains("event 1") && err.contains("RFC 3339"), "{err}");
}
