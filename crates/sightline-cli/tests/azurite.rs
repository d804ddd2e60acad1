//! `sightline dlp scan azure://...` against Azurite, Microsoft's storage emulator, which `scripts/test.sh` starts
//! (`SIGHTLINE_AZURITE_URL=http://127.0.0.1:PORT/devstoreaccount1`). Without it the test says so and passes,
//! except under `CI=true`, where a missing emulator is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use sightline_collect_azure::blob::BlobService;
use std::process::{Command, Output};

/// Azurite's documented development account and key.
const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn azurite_url() -> Option<String> {
    match std::env::var("SIGHTLINE_AZURITE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("SIGHTLINE_AZURITE_URL is not set: scripts/test.sh starts Azurite")
        }
        _ => {
            eprintln!("skipped: SIGHTLINE_AZURITE_URL is not set (scripts/azurite.sh start)");
            None
        }
    }
}

fn sightline(args: &[&str], key: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sightline"));
    cmd.args(args)
        .env_remove("AZURE_STORAGE_KEY")
        .env_remove("AZURE_STORAGE_SAS_TOKEN")
        .env_remove("AZURE_STORAGE_TOKEN")
        .env_remove("SIGHTLINE_AZURE_BLOB_ENDPOINT");
    if let Some(key) = key {
        cmd.env("AZURE_STORAGE_KEY", key);
    }
    cmd.output().unwrap()
}

#[test]
fn dlp_scans_blob_containers() {
    let Some(url) = azurite_url() else { return };
    let service = BlobService::new(ACCOUNT, Some(&url), BlobService::shared_key(KEY).unwrap());
    service.create_container("hr-exports", None).unwrap();
    service
        .put_blob(
            "hr-exports",
            "2026/staff.csv",
            b"name,ssn,iban\nAna Lima,536-22-1234,DE89370400440532013000\nBo Chen,401-58-7733,GB82WEST12345698765432\n",
        )
        .unwrap();
    service
        .put_blob("hr-exports", "2026/deploy.env", b"GITHUB_TOKEN=ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ\n")
        .unwrap();
    service.put_blob("hr-exports", "readme.txt", b"Nothing to see.\n").unwrap();
    service.put_blob("hr-exports", "logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01").unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("a.db");
    let target = format!("azure://{ACCOUNT}/hr-exports");
    let out = sightline(
        &["dlp", "scan", &target, "--azure-endpoint", &url, "--format", "json", "--db", db.to_str().unwrap()],
        Some(KEY),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let matches: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = |object: &str, detector: &str| {
        matches.as_array().unwrap().iter().filter(|m| m["object"] == object && m["detector"] == detector).count()
    };
    let staff = format!("azure://{ACCOUNT}/hr-exports/2026/staff.csv");
    assert_eq!(found(&staff, "us_ssn"), 2, "{matches}");
    assert_eq!(found(&staff, "iban"), 2, "{matches}");
    assert_eq!(found(&format!("azure://{ACCOUNT}/hr-exports/2026/deploy.env"), "github_token"), 1, "{matches}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("536-22-1234") && !text.contains("ghp_1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ"), "{text}");
    assert!(stderr.contains(&format!("skipped (binary): azure://{ACCOUNT}/hr-exports/logo.png")), "{stderr}");

    // Recorded under the container, with a sensitivity score.
    let store = sightline_store::Store::open(&db).unwrap();
    let records = store.data_objects().unwrap();
    assert_eq!(records.len(), 4);
    assert!(records.iter().all(|r| r.resource.as_deref() == Some("azure://devstoreaccount1/hr-exports")));
    let summary = sightline_model::data::summarize(&records);
    assert!(summary[0].labels.contains(&"github_token".to_string()) && summary[0].score >= 90, "{summary:?}");

    // Without credentials a private container cannot be listed: a clear error, exit status 2.
    let out = sightline(&["dlp", "scan", &target, "--azure-endpoint", &url], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&target) && stderr.contains("access denied"), "{stderr}");
    // A container that does not exist is named.
    let out = sightline(&["dlp", "scan", &format!("azure://{ACCOUNT}/nope"), "--azure-endpoint", &url], Some(KEY));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("azure://devstoreaccount1/nope"));
}

/// With an Azure snapshot in the database, blobs are recorded against their container's resource id, the
/// container is labelled, and `scan` fails an anonymous container holding sensitive data.
#[test]
fn dlp_records_blobs_against_the_snapshot_container() {
    let Some(url) = azurite_url() else { return };
    let service = BlobService::new(ACCOUNT, Some(&url), BlobService::shared_key(KEY).unwrap());
    service.create_container("payroll", None).unwrap();
    service.put_blob("payroll", "2026/staff.csv", b"name,ssn\nAna Lima,536-22-1234\nBo Chen,401-58-7733\n").unwrap();

    let tmp = tempfile::tempdir().unwrap();
    let account = format!(
        "/subscriptions/4f7c2e91-3a5b-4d6e-8f10-2b9c7d5e1a34/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}"
    );
    let container = format!("{account}/blobServices/default/containers/payroll");
    let export = serde_json::json!({"value": [
        {"id": account, "name": ACCOUNT, "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "kind": "StorageV2",
         "properties": {"allowBlobPublicAccess": true, "minimumTlsVersion": "TLS1_2"}},
        {"id": container, "name": "payroll", "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
         "properties": {"publicAccess": "Container"}}
    ]});
    let file = tmp.path().join("arm-storage.json");
    std::fs::write(&file, export.to_string()).unwrap();
    let db = tmp.path().join("a.db");
    let db = db.to_str().unwrap();
    let out = sightline(&["import", "azure", file.to_str().unwrap(), "--db", db], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // --snapshot-buckets finds the container in the snapshot.
    let out = sightline(&["dlp", "scan", "--snapshot-buckets", "--azure-endpoint", &url, "--db", db], Some(KEY));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = sightline_store::Store::open(std::path::Path::new(db)).unwrap();
    let records = store.data_objects().unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].resource.as_deref(), Some(container.as_str()));

    let out =
        sightline(&["scan", "--db", db, "--rule", "azure-storage-sensitive-data-public", "--format", "json"], None);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = report.as_array().unwrap().iter().find(|f| f["resource_id"] == container.as_str()).unwrap();
    assert_eq!(finding["status"], "FAIL", "{report}");
    assert!(finding["message"].as_str().unwrap().contains("us_ssn"), "{finding}");
}
