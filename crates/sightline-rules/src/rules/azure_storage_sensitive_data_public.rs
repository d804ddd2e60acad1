//! Blob containers holding sensitive data are not readable anonymously.

use super::azure::az;
use super::azure_storage_container_public::{accounts, anonymous_read};
use super::data_scan::{evidence, unread};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::data::{summarize, DataSummary};
use sightline_model::Severity;
use std::collections::HashMap;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-sensitive-data-public",
        title: "Blob containers holding sensitive data are not readable anonymously",
        severity: Severity::Critical,
        resource_type: "Microsoft.Storage/storageAccounts/blobServices/containers",
        domain: Domain::Data,
        rationale: "An anonymous container is a misconfiguration; an anonymous container holding personal, financial, health or credential data is a breach waiting to be found. The data scanner's labels and the container's effective access level (container and account settings together) tell which public containers matter most.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Configuration > Allow Blob anonymous access: Disabled (or set the container's access level to Private); then review who read the data (storage logs through diagnostic settings).",
            cli: "az storage account update --name ACCOUNT --resource-group RG --allow-blob-public-access false",
            terraform: "resource \"azurerm_storage_account\" \"this\" {\n  # ...\n  allow_nested_items_to_be_public = false\n}",
        },
        references: &[
            "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent",
            "https://learn.microsoft.com/en-us/azure/defender-for-cloud/sensitive-info-types",
        ],
        controls: &[nist("AC-3"), nist("AC-21"), pci("7.2.1")],
        needs: &[az("Microsoft.Storage", "storageAccounts/blobServices/containers")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1","resource_type":"Microsoft.Storage/storageAccounts","name":"st1","properties":{"properties":{"allowBlobPublicAccess":false}}},
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/exports","resource_type":"Microsoft.Storage/storageAccounts/blobServices/containers","name":"exports","properties":{"properties":{"publicAccess":"Container"}}}],
            "data_objects":[{"provider":"azure","resource":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/exports","object":"https://st1.blob.core.windows.net/exports/staff.csv","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                             "detections":[{"detector":"us_ssn","category":"personal","confidence":"very_likely","count":5}]}]}"#],
        fail: &[r#"{"resources":[
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1","resource_type":"Microsoft.Storage/storageAccounts","name":"st1","properties":{"properties":{"allowBlobPublicAccess":true}}},
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/exports","resource_type":"Microsoft.Storage/storageAccounts/blobServices/containers","name":"exports","properties":{"properties":{"publicAccess":"Blob"}}}],
            "data_objects":[{"provider":"azure","resource":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/exports","object":"https://st1.blob.core.windows.net/exports/staff.csv","bytes_scanned":10,"scanned_at":"2026-11-28T00:00:00Z","outcome":"scanned",
                             "detections":[{"detector":"us_ssn","category":"personal","confidence":"very_likely","count":5}]}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let summaries = summarize(&scan.snapshot.data_objects);
    let by_resource: HashMap<String, &DataSummary> =
        summaries.iter().map(|s| (s.resource.to_ascii_lowercase(), s)).collect();
    let accounts = accounts(scan);
    each_resource(scan, out, RULE.meta.resource_type, RULE.meta.needs, |c, out| {
        let Some(s) = by_resource.get(&c.id.to_ascii_lowercase()) else {
            out.not_evaluated(
                c,
                "no blob of this container was scanned for sensitive data (sightline dlp scan azure://ACCOUNT/CONTAINER --db DB)",
            );
            return;
        };
        if s.labels.is_empty() {
            match unread(s) {
                Some(why) => out.not_evaluated(c, why),
                None => out.pass(c, "no sensitive data found in the container"),
            }
            return;
        }
        let (open, why) = anonymous_read(c, &accounts);
        if open {
            let mut evidence = evidence(s);
            evidence["anonymous_read"] = serde_json::json!(why);
            out.fail(c, format!("holds {} and is readable anonymously: {why}", s.labels.join(", ")), evidence);
        } else {
            out.pass(c, format!("holds {} but is not readable anonymously: {why}", s.labels.join(", ")));
        }
    });
}
