//! `sightline import azure` on a directory of mixed Azure exports, and on files that are no Azure export.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sightline-azure/tests/fixtures")
}

fn sightline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sightline")).args(args).env_remove("SIGHTLINE_DB").output().unwrap()
}

#[test]
fn a_directory_of_mixed_exports_makes_one_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("azure.db");
    let db = db.to_str().unwrap();
    let fixtures = fixtures();
    let out = sightline(&["import", "azure", fixtures.to_str().unwrap(), "--db", db]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Bad records are warnings naming the file and the record; the rest is imported.
    assert!(stderr.contains("arm-resources-malformed.json: record 1: malformed JSON"), "{stderr}");
    assert!(stderr.contains("graph-users-truncated.json: the file is cut short"), "{stderr}");
    assert!(stderr.contains("contoso.widgets/widgetfactories (1)"), "{stderr}");
    assert!(stderr.contains("35 file(s): 2 subscription(s), 2 management group(s), 15 principal(s)"), "{stderr}");

    let out = sightline(&["snapshots", "--db", db, "--format", "json"]);
    assert!(out.status.success());
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let snapshot = &list[0];
    assert_eq!(snapshot["source"], "import azure");
    assert_eq!(snapshot["accounts"], 2);
    assert_eq!(snapshot["principals"], 15);
    assert_eq!(snapshot["policies"], 7);
    assert_eq!(snapshot["resources"], 37);

    let out = sightline(&["export", "snapshot", "--db", db]);
    assert!(out.status.success());
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let records = |kind: &str| lines.iter().filter_map(|l| l.get(kind)).collect::<Vec<_>>();
    assert!(records("principal").iter().all(|p| p["provider"] == "azure"));
    let organizations = records("organization");
    assert_eq!(organizations.len(), 1);
    assert_eq!(organizations[0]["units"].as_array().unwrap().len(), 2);
    let resources = records("resource");
    let storage = resources.iter().filter(|r| r["resource_type"] == "Microsoft.Storage/storageAccounts").count();
    assert_eq!(storage, 2);
    let roles = records("policy");
    assert!(roles.iter().all(|p| p["kind"] == "role_definition"));
    let coverage = records("coverage");
    assert!(coverage
        .iter()
        .any(|c| c["service"] == "graph" && c["operation"] == "users" && c["status"] == "collected"));
}

#[test]
fn a_file_that_is_no_azure_export_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("azure.db");
    for name in ["unrecognised.json", "not-json.json"] {
        let file = fixtures().join("bad").join(name);
        let out = sightline(&["import", "azure", file.to_str().unwrap(), "--db", db.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(name), "{stderr}");
    }
    assert!(!db.exists(), "nothing is stored");
}

#[test]
fn the_shape_flag_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("azure.db");
    let file = fixtures().join("resource-graph-resources.json");
    let out = sightline(&["import", "azure", file.to_str().unwrap(), "--shape", "arm", "--db", db.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("resource-graph-resources.json: arm, 5 record(s), 5 imported"), "{stderr}");
    let out = sightline(&["import", "azure", file.to_str().unwrap(), "--shape", "nonsense"]);
    assert_eq!(out.status.code(), Some(2));
}
