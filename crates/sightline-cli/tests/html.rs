//! The HTML report in a real browser: headless Chromium loads the file, runs its script without an error, shows
//! every finding, applies filters given in the address, and renders a screenshot.
//!
//! Needs Chromium (`chromium` on the PATH, or `SIGHTLINE_CHROMIUM`); `scripts/test.sh` installs it. Without it
//! the test is skipped, except under `CI=true`, where a missing browser is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SIGHTLINE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let found = ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|dir| Path::new(dir).join(name)).find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but no Chromium found (set SIGHTLINE_CHROMIUM)");
        eprintln!("skipping: no Chromium on the PATH");
    }
    found
}

/// Runs headless Chromium on a URL with extra arguments; returns (stdout, stderr).
fn browse(browser: &Path, profile: &Path, args: &[&str], url: &str) -> (String, String) {
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn html_report_works_in_chromium() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let bin = env!("CARGO_BIN_EXE_sightline");
    let status = Command::new(bin).args(["scan", "--demo", "--format", "html", "-o"]).arg(&report).status().unwrap();
    assert!(status.success());
    let json = Command::new(bin).args(["scan", "--demo", "--format", "json"]).output().unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    let failed = findings.iter().filter(|f| f["status"] == "FAIL").count();
    assert!(failed > 0);
    let url = format!("file://{}", report.display());
    let profile = dir.path().join("profile");

    let (dom, log) = browse(&browser, &profile, &["--dump-dom"], &url);
    assert!(dom.contains(r#"data-ready="true""#), "the report's script did not finish: {log}");
    assert!(!log.contains("Uncaught"), "script error: {log}");
    assert_eq!(dom.matches(r#"<tr class="finding""#).count(), findings.len());
    assert!(dom.contains(&format!("{} of {} shown", findings.len(), findings.len())));

    // Filters from the address: only the failures.
    let (dom, _) = browse(&browser, &profile, &["--dump-dom"], &format!("{url}#status=FAIL"));
    assert_eq!(dom.matches(r#"<tr class="finding""#).count(), failed);
    let (dom, _) = browse(&browser, &profile, &["--dump-dom"], &format!("{url}#q=northwind-www"));
    let matching = findings
        .iter()
        .filter(|f| {
            ["rule_id", "resource_id", "message"].iter().any(|k| f[*k].as_str().unwrap_or("").contains("northwind-www"))
        })
        .count();
    assert!(matching > 0);
    assert_eq!(dom.matches(r#"<tr class="finding""#).count(), matching);

    let shot = dir.path().join("report.png");
    browse(&browser, &profile, &[&format!("--screenshot={}", shot.display()), "--window-size=1280,1000"], &url);
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "screenshot of {} bytes", png.len());
}
