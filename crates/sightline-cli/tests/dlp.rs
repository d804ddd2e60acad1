//! Runs the real `sightline dlp scan` on a small directory of text, CSV, JSON and binary files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::process::{Command, Output};

fn sightline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sightline")).args(args).output().unwrap()
}

const SECRETS: &[&str] =
    &["4111 1111 1111 1111", "536-90-4399", "Tr0ub4dor&3x", "ghp_hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES"];

fn tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("nested/deeper")).unwrap();
    std::fs::write(root.join("notes.txt"), "card 4111 1111 1111 1111 exp 12/27\nnothing here\nSSN: 536-90-4399\n")
        .unwrap();
    std::fs::write(root.join("nested/users.csv"), "name,email,db_password\nJane,jane@example.org,Tr0ub4dor&3x\n")
        .unwrap();
    std::fs::write(
        root.join("nested/deeper/ci.json"),
        r#"{"env": {"GITHUB_TOKEN": "ghp_hGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES", "example": "AKIAIOSFODNN7EXAMPLE"}}"#,
    )
    .unwrap();
    std::fs::write(root.join("image.bin"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    tmp
}

#[test]
fn dlp_scan_json_lists_redacted_matches() {
    let tmp = tree();
    let out = sightline(&["dlp", "scan", tmp.path().to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let got: Vec<(String, String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            for field in ["category", "confidence", "start", "end", "location", "sample"] {
                assert!(!m[field].is_null(), "{field} missing in {m}");
            }
            let object = m["object"].as_str().unwrap();
            let file = std::path::Path::new(object).file_name().unwrap().to_str().unwrap().to_string();
            (file, m["detector"].as_str().unwrap().to_string(), m["sample"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("ci.json".into(), "github_token".into(), "ghp_****************8rES".into()),
            ("users.csv".into(), "email".into(), "j***@example.org".into()),
            ("users.csv".into(), "password".into(), "********".into()),
            ("notes.txt".into(), "credit_card".into(), "4111 **** **** 1111".into()),
            ("notes.txt".into(), "us_ssn".into(), "53*-**-**99".into()),
        ]
    );
    let ci = &v[0];
    assert_eq!(ci["location"], serde_json::json!({"kind": "json_path", "path": "$.env.GITHUB_TOKEN"}));
    assert_eq!(v[4]["location"], serde_json::json!({"kind": "line", "line": 3}));
    for s in SECRETS {
        assert!(!stdout.contains(s), "{s} printed in full");
    }
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("skipped (binary)") && stderr.contains("image.bin"), "{stderr}");
}

#[test]
fn dlp_scan_table_summarises_per_object() {
    let tmp = tree();
    let out = sightline(&["dlp", "scan", tmp.path().to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("users.csv (csv,"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("password") && l.contains("likely") && l.contains("row 2, column 3 (db_password)")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.contains("us_ssn") && l.contains("very_likely") && l.contains("line 3")), "{text}");
    assert!(text.contains("skipped (binary): "), "{text}");
    assert!(
        text.contains("3 object(s) scanned, 3 with findings, 5 match(es); 1 skipped (binary); 0 error(s)"),
        "{text}"
    );
    for s in SECRETS {
        assert!(!text.contains(s), "{s} printed in full");
    }
    let out = sightline(&[
        "dlp",
        "scan",
        tmp.path().to_str().unwrap(),
        "--min-confidence",
        "very_likely",
        "--fail-on",
        "likely",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn dlp_scan_usage_errors_exit_2_and_custom_config() {
    let tmp = tree();
    let root = tmp.path().to_str().unwrap();
    let missing = tmp.path().join("nope.txt");
    let out = sightline(&["dlp", "scan", root, missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 object(s) scanned"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.txt"));

    let out = sightline(&["dlp", "scan", root, "--min-confidence", "sure"]);
    assert_eq!(out.status.code(), Some(2));

    let config = tmp.path().join("dlp.toml");
    std::fs::write(&config, "disable = [\"email\", \"credit_card\"]\n[[detector]]\nid = \"employee_id\"\ncategory = \"personal\"\nregex = 'EMP-[0-9]{6}'\n").unwrap();
    std::fs::write(tmp.path().join("hr.txt"), "badge EMP-123456\n").unwrap();
    let out = sightline(&["dlp", "scan", root, "--config", config.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|m| m["detector"].as_str().unwrap()).collect();
    assert!(ids.contains(&"employee_id") && !ids.contains(&"email") && !ids.contains(&"credit_card"), "{ids:?}");

    std::fs::write(&config, "[[detector]]\nid = \"email\"\ncategory = \"personal\"\nregex = 'x'\n").unwrap();
    let out = sightline(&["dlp", "scan", root, "--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already taken"));
}

#[test]
fn generate_dlp_corpus_writes_the_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("corpus.txt");
    let out = sightline(&["generate", "dlp-corpus", "--size-mb", "1", "--seed", "5", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::metadata(&file).unwrap().len() >= 1 << 20);
}

/// An object with more matches than the JSON spool holds in memory (8 MiB, about 40,000 matches): every match is
/// reported, in order, as one valid JSON array, and the per-object record counts them all.
#[test]
fn dlp_scan_reports_every_match_of_an_object_with_very_many() {
    let tmp = tempfile::tempdir().unwrap();
    let n = 60_000;
    let text: String = (0..n).map(|i| format!("user{i:05}@example.org\n")).collect();
    std::fs::write(tmp.path().join("emails.txt"), text).unwrap();
    std::fs::write(tmp.path().join("zz.txt"), "SSN: 536-90-4399\n").unwrap();
    let db = tmp.path().join("dlp.db");
    let out =
        sightline(&["dlp", "scan", tmp.path().to_str().unwrap(), "--format", "json", "--db", db.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let matches = v.as_array().unwrap();
    assert_eq!(matches.len(), n + 1);
    let starts: Vec<u64> = matches[..n].iter().map(|m| m["start"].as_u64().unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "matches out of order");
    assert!(matches[..n].iter().all(|m| m["detector"] == "email"));
    assert_eq!(matches[n]["detector"], "us_ssn");
    let summary = sightline(&["dlp", "scan", tmp.path().to_str().unwrap()]);
    let table = String::from_utf8(summary.stdout).unwrap();
    let email = table.lines().find(|l| l.trim_start().starts_with("email ")).unwrap_or_else(|| panic!("{table}"));
    assert_eq!(email.split_whitespace().nth(1), Some("60000"), "{table}");
}
