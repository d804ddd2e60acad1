//! Runs the real `sightline` binary: imports a small Azure snapshot (JSON Lines) and asks `can` and `who-can`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SUB: &str = "11111111-1111-1111-1111-111111111111";
const ALICE: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const BOB: &str = "bbbbbbbb-0000-0000-0000-000000000002";
const CAROL: &str = "cccccccc-0000-0000-0000-000000000003";
const DAVE: &str = "dddddddd-0000-0000-0000-000000000004";
const OPS: &str = "99999999-0000-0000-0000-00000000000a";
const BOT: &str = "eeeeeeee-0000-0000-0000-000000000005";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/azure-rbac.jsonl")
}

fn sightline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sightline")).args(args).env_remove("SIGHTLINE_DB").output().unwrap()
}

/// A database holding the fixture, imported with `import snapshot`.
fn database() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sightline.db").to_str().unwrap().to_string();
    let out = sightline(&["import", "snapshot", fixture().to_str().unwrap(), "--db", &db]);
    assert!(out.status.success(), "import failed: {}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

fn json(args: &[&str]) -> Value {
    let out = sightline(args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rg(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/{name}")
}

#[test]
fn can_answers_azure_questions_with_explanations() {
    let (_dir, db) = database();
    let vm = format!("{}/providers/Microsoft.Compute/virtualMachines/vm1", rg("rg-app"));
    let start = "Microsoft.Compute/virtualMachines/start/action";

    // Bob, named by his UPN, through the group Ops.
    let v = json(&["can", "bob@contoso.com", start, &vm, "--db", &db, "--format", "json"]);
    assert_eq!(v["principal"], BOB);
    assert_eq!(v["principal_name"], "Bob");
    assert_eq!(v["plane"], "action");
    assert_eq!(v["decision"], "allowed");
    let grant = &v["explanation"]["grants"][0];
    assert_eq!(grant["source"], "role_assignment");
    assert_eq!(grant["role_name"], "Virtual Machine Contributor");
    assert_eq!(grant["via_group"], OPS);
    assert_eq!(grant["pattern"], "Microsoft.Compute/virtualMachines/*");
    assert_eq!(grant["permission_block"], 0);
    assert!(v["explanation"]["summary"].as_str().unwrap().contains("Virtual Machine Contributor"));

    // Carol is only eligible (PIM); Dave's data access depends on a condition; Owner grants no data action.
    let v = json(&["can", CAROL, start, &vm, "--db", &db, "--format", "json"]);
    assert_eq!(v["decision"], "eligible");
    assert_eq!(v["explanation"]["grants"][0]["source"], "role_eligibility");
    let container =
        format!("{}/providers/Microsoft.Storage/storageAccounts/sa1/blobServices/default/containers/c", rg("rg-app"));
    let blob_read = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
    let v = json(&["can", "Dave", blob_read, &container, "--plane", "data-action", "--db", &db, "--format", "json"]);
    assert_eq!(v["principal"], DAVE);
    assert_eq!(v["decision"], "conditional");
    assert!(v["explanation"]["grants"][0]["condition"].as_str().unwrap().contains("StringEquals 'public'"));
    assert_eq!(v["explanation"]["grants"][0]["condition_version"], "2.0");
    let v = json(&["can", ALICE, blob_read, &container, "--plane", "data-action", "--db", &db, "--format", "json"]);
    assert_eq!(v["decision"], "not_allowed");
    // Asked without --plane, the data action is evaluated as a control-plane action, and a note says so.
    let out = sightline(&["can", ALICE, blob_read, &container, "--db", &db]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--plane data-action"));

    // Alice is Owner of the subscription, but the deny assignment on rg-locked removes deletes.
    let locked_vm = format!("{}/providers/Microsoft.Compute/virtualMachines/vm9", rg("rg-locked"));
    let v =
        json(&["can", ALICE, "Microsoft.Compute/virtualMachines/delete", &locked_vm, "--db", &db, "--format", "json"]);
    assert_eq!(v["decision"], "denied");
    let denial = &v["explanation"]["denials"][0];
    assert_eq!(denial["name"], "locked by managed application");
    assert_eq!(denial["pattern"], "*/delete");
    assert_eq!(denial["matched_principal"], "00000000-0000-0000-0000-000000000000");
    let v =
        json(&["can", ALICE, "Microsoft.Compute/virtualMachines/write", &locked_vm, "--db", &db, "--format", "json"]);
    assert_eq!(v["decision"], "allowed");

    // Bob's Reader at the management group above the subscription reaches the resource.
    let v = json(&["can", BOB, "Microsoft.Storage/storageAccounts/read", &container, "--db", &db, "--format", "json"]);
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["explanation"]["grants"][0]["scope"], "/providers/Microsoft.Management/managementGroups/contoso");

    // Entra: a directory role, ownership, and an application permission.
    let v = json(&[
        "can",
        "Alice",
        "microsoft.directory/users/password/update",
        &format!("/{BOB}"),
        "--db",
        &db,
        "--format",
        "json",
    ]);
    assert_eq!(v["plane"], "directory");
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["explanation"]["grants"][0]["role_name"], "Helpdesk Administrator");
    let v = json(&[
        "can",
        CAROL,
        "microsoft.directory/groups/members/update",
        &format!("/{OPS}"),
        "--db",
        &db,
        "--format",
        "json",
    ]);
    assert_eq!(v["decision"], "allowed");
    assert_eq!(v["explanation"]["grants"][0]["source"], "ownership");
    let v = json(&["can", "deploy-bot", "RoleManagement.ReadWrite.Directory", "/", "--db", &db, "--format", "json"]);
    assert_eq!(v["plane"], "app_permission");
    assert_eq!(v["decision"], "allowed");

    // The text form leads with the verdict, and the exit status is 0 whatever the verdict, as for AWS.
    let out = sightline(&["can", CAROL, start, &vm, "--db", &db]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ELIGIBLE  Carol"), "{text}");
    assert!(text.contains("eligible (PIM)"), "{text}");

    // --input reads the export directly, without a database.
    let v = json(&["can", BOB, start, &vm, "--input", fixture().to_str().unwrap(), "--format", "json"]);
    assert_eq!(v["decision"], "allowed");
}

#[test]
fn who_can_lists_every_principal_with_its_verdict() {
    let (_dir, db) = database();
    let locked_vm = format!("{}/providers/Microsoft.Compute/virtualMachines/vm9", rg("rg-locked"));
    let v = json(&[
        "who-can",
        "Microsoft.Compute/virtualMachines/start/action",
        &locked_vm,
        "--db",
        &db,
        "--format",
        "json",
    ]);
    let rows: Vec<(String, String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert!(r["explanation"]["summary"].is_string());
            (
                r["principal"].as_str().unwrap().to_string(),
                r["principal_type"].as_str().unwrap().to_string(),
                r["decision"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (ALICE.to_string(), "user".to_string(), "allowed".to_string()),
            (CAROL.to_string(), "user".to_string(), "eligible".to_string()),
        ]
    );
    let vm = format!("{}/providers/Microsoft.Compute/virtualMachines/vm1", rg("rg-app"));
    let v = json(&["who-can", "Microsoft.Compute/virtualMachines/start/action", &vm, "--db", &db, "--format", "json"]);
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|r| r["principal_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Alice", "Bob", "Carol", "Ops"]);
    let v = json(&["who-can", "RoleManagement.ReadWrite.Directory", "/", "--db", &db, "--format", "json"]);
    assert_eq!(v[0]["principal"], BOT);
    assert_eq!(v[0]["principal_type"], "service_principal");

    // AWS questions still go to the IAM engine, and AWS-only options are refused for Azure.
    let out = sightline(&[
        "can",
        ALICE,
        "Microsoft.Compute/virtualMachines/read",
        &vm,
        "--db",
        &db,
        "--context",
        "aws:SourceIp=10.0.0.1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = sightline(&["can", "nobody@contoso.com", "Microsoft.Compute/virtualMachines/read", &vm, "--db", &db]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Azure principal"));
}

#[test]
fn text_explanations_are_stable() {
    let (_dir, db) = database();
    let vm = format!("{}/providers/Microsoft.Compute/virtualMachines/vm9", rg("rg-locked"));
    let out = sightline(&["who-can", "Microsoft.Compute/virtualMachines/delete", &vm, "--db", &db]);
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}
