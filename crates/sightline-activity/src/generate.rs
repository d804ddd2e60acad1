//! Synthetic CloudTrail logs, for benchmarks of `activity import`: `files` gzipped trail files of `events` events
//! in all, over 90 days of one account, from 400 roles and 100 users calling a mix of management and data events.

use serde_json::json;
use std::io::Write;
use std::path::Path;

const ACCOUNT: &str = "123456789012";

const CALLS: &[(&str, &str)] = &[
    ("s3.amazonaws.com", "GetObject"),
    ("s3.amazonaws.com", "PutObject"),
    ("s3.amazonaws.com", "ListObjects"),
    ("ec2.amazonaws.com", "DescribeInstances"),
    ("iam.amazonaws.com", "ListRoles"),
    ("sts.amazonaws.com", "AssumeRole"),
    ("kms.amazonaws.com", "Decrypt"),
    ("dynamodb.amazonaws.com", "Query"),
    ("lambda.amazonaws.com", "Invoke"),
    ("monitoring.amazonaws.com", "PutMetricData"),
];

/// Writes the files into `dir` (created if needed), named as a trail names them.
pub fn cloudtrail(dir: &Path, events: usize, files: usize, seed: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // A small linear congruential generator: the same seed gives the same files.
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    let mut next = |n: usize| -> usize {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n.max(1)
    };
    let files = files.max(1);
    let per_file = events.div_ceil(files);
    let start = chrono::DateTime::parse_from_rfc3339("2026-08-01T00:00:00Z").map_err(std::io::Error::other)?;
    let mut written = 0;
    for f in 0..files {
        let mut records = Vec::with_capacity(per_file);
        for _ in 0..per_file.min(events - written) {
            let (source, name) = CALLS[next(CALLS.len())];
            let who = next(500);
            let identity = if who % 5 == 0 {
                json!({"type": "IAMUser", "arn": format!("arn:aws:iam::{ACCOUNT}:user/user-{who}"), "accountId": ACCOUNT,
                       "accessKeyId": format!("AKIA{who:016}"), "userName": format!("user-{who}")})
            } else {
                json!({"type": "AssumedRole", "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/role-{who}/session"),
                       "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLE",
                       "sessionContext": {"sessionIssuer": {"type": "Role", "arn": format!("arn:aws:iam::{ACCOUNT}:role/role-{who}"), "accountId": ACCOUNT}}})
            };
            let at = start + chrono::Duration::seconds((written * 90 * 86_400 / events.max(1)) as i64);
            records.push(json!({
                "eventVersion": "1.09", "userIdentity": identity,
                "eventTime": at.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "eventSource": source, "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "10.0.0.1",
                "userAgent": "aws-cli/2.15", "requestParameters": {"bucketName": format!("bucket-{}", who % 20), "key": format!("data/{}.csv", next(50))},
                "responseElements": null, "eventID": format!("{f:08}-{written:012}"), "readOnly": name.starts_with(['G', 'L', 'D']),
                "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": ACCOUNT, "eventCategory": "Management"
            }));
            written += 1;
        }
        let name = format!("{ACCOUNT}_CloudTrail_us-east-1_20260801T0000Z_{f:06}.json.gz");
        let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(dir.join(name))?, flate2::Compression::fast());
        serde_json::to_writer(&mut gz, &json!({ "Records": records }))?;
        gz.flush()?;
        gz.finish()?;
    }
    Ok(())
}
