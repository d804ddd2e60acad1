//! The Blob client against Azurite, Microsoft's storage emulator, which `scripts/test.sh` starts
//! (`SIGHTLINE_AZURITE_URL=http://127.0.0.1:PORT/devstoreaccount1`). Without it the tests say so and pass, except
//! under `CI=true`, where a missing emulator is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use sightline_collect_azure::blob::{Auth, BlobError, BlobService};
use std::io::Read;

/// Azurite's documented development account and key.
const ACCOUNT: &str = "devstoreaccount1";
const KEY: &str = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn service() -> Option<BlobService> {
    match std::env::var("SIGHTLINE_AZURITE_URL") {
        Ok(url) => Some(BlobService::new(ACCOUNT, Some(&url), BlobService::shared_key(KEY).unwrap())),
        Err(_) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("SIGHTLINE_AZURITE_URL is not set: scripts/test.sh starts Azurite")
        }
        Err(_) => {
            eprintln!("skipped: SIGHTLINE_AZURITE_URL is not set (scripts/azurite.sh start)");
            None
        }
    }
}

#[test]
fn lists_pages_reads_ranges_and_reports_denials() {
    let Some(service) = service() else { return };
    let service = service.with_range_bytes(7).with_page_size(2);
    service.create_container("listing", None).unwrap();
    // Creating it again is no error.
    service.create_container("listing", None).unwrap();
    let names = ["a.txt", "dir/b c.csv", "dir/ünï.json", "z.log", "other/x.txt"];
    for (i, name) in names.iter().enumerate() {
        service.put_blob("listing", name, format!("content of blob number {i}").as_bytes()).unwrap();
    }
    // Three pages of two.
    let all = service.list("listing", "").unwrap();
    let mut listed: Vec<&str> = all.iter().map(|b| b.name.as_str()).collect();
    listed.sort();
    let mut expected = names.to_vec();
    expected.sort();
    assert_eq!(listed, expected);
    assert!(all.iter().all(|b| b.size > 0 && b.etag.is_some()));
    let dir = service.list("listing", "dir/").unwrap();
    assert_eq!(dir.len(), 2);

    // Read in ranges of 7 bytes, and only up to a limit.
    let blob = all.iter().find(|b| b.name == "dir/b c.csv").unwrap();
    let mut text = String::new();
    service.reader("listing", &blob.name, blob.size, u64::MAX).read_to_string(&mut text).unwrap();
    assert_eq!(text, "content of blob number 1");
    let mut head = String::new();
    service.reader("listing", &blob.name, blob.size, 10).read_to_string(&mut head).unwrap();
    assert_eq!(head, "content of");

    // Public access levels.
    service.create_container("open", Some("container")).unwrap();
    assert_eq!(service.public_access("open").unwrap().as_deref(), Some("container"));
    assert_eq!(service.public_access("listing").unwrap(), None);

    // A wrong key is refused, and said so; a missing container is not found.
    let url = std::env::var("SIGHTLINE_AZURITE_URL").unwrap();
    let wrong = BlobService::new(ACCOUNT, Some(&url), BlobService::shared_key("d3Jvbmcga2V5").unwrap());
    assert!(matches!(wrong.list("listing", ""), Err(BlobError::Denied { .. })), "{:?}", wrong.list("listing", ""));
    assert!(matches!(service.list("missing", ""), Err(BlobError::NotFound { .. })));
    // Anonymous callers read a public container only.
    let anonymous = BlobService::new(ACCOUNT, Some(&url), Auth::Anonymous);
    service.put_blob("open", "hello.txt", b"hello").unwrap();
    assert_eq!(anonymous.list("open", "").unwrap().len(), 1);
    assert!(anonymous.list("listing", "").is_err());
}
