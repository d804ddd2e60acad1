//! Blob containers do not allow anonymous read access.

use super::azure::{az, prop_bool, prop_str};
use super::util::each_resource;
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Resource, Severity};
use std::collections::HashMap;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-storage-container-public",
        title: "Blob containers are not readable anonymously",
        severity: Severity::High,
        resource_type: "Microsoft.Storage/storageAccounts/blobServices/containers",
        domain: Domain::Data,
        rationale: "A container whose access level is Blob or Container serves its blobs (and, for Container, its listing) to anyone on the internet, without credentials and without a caller in the logs, unless the storage account disallows anonymous access. Whether a container is actually public takes both settings.",
        remediation: Remediation {
            console: "Storage accounts > ACCOUNT > Data storage > Containers > CONTAINER > Change access level > Private (no anonymous access); or disallow anonymous access on the account (Configuration > Allow Blob anonymous access: Disabled).",
            cli: "az storage container set-permission --account-name ACCOUNT --name CONTAINER --public-access off --auth-mode login",
            terraform: "resource \"azurerm_storage_container\" \"this\" {\n  # ...\n  container_access_type = \"private\"\n}",
        },
        references: &[
            "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-configure",
            "https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent",
        ],
        controls: &[nist("AC-3"), nist("AC-21"), pci("1.4.1")],
        needs: &[az("Microsoft.Storage", "storageAccounts/blobServices/containers")],
    },
    check,
    fixtures: Fixtures {
        pass: &[
            r#"{"resources":[
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1","resource_type":"Microsoft.Storage/storageAccounts","name":"st1","properties":{"properties":{"allowBlobPublicAccess":true}}},
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/exports","resource_type":"Microsoft.Storage/storageAccounts/blobServices/containers","name":"exports","properties":{"properties":{"publicAccess":"None"}}}]}"#,
            r#"{"resources":[
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1","resource_type":"Microsoft.Storage/storageAccounts","name":"st1","properties":{"properties":{"allowBlobPublicAccess":false}}},
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/exports","resource_type":"Microsoft.Storage/storageAccounts/blobServices/containers","name":"exports","properties":{"properties":{"publicAccess":"Container"}}}]}"#,
        ],
        fail: &[r#"{"resources":[
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1","resource_type":"Microsoft.Storage/storageAccounts","name":"st1","properties":{"properties":{"allowBlobPublicAccess":true}}},
              {"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default/containers/exports","resource_type":"Microsoft.Storage/storageAccounts/blobServices/containers","name":"exports","properties":{"properties":{"publicAccess":"Blob"}}}]}"#],
    },
};

/// The storage account a container (or anything below the account) belongs to.
pub(crate) fn account_of(id: &str) -> &str {
    match id.to_ascii_lowercase().find("/blobservices/") {
        Some(at) => &id[..at],
        None => id,
    }
}

/// Whether anonymous clients can read a container: its access level is `Blob` or `Container`, and its account
/// does not disallow anonymous access (absent on accounts created before the setting, where it is allowed). With
/// the level and the account setting that decided it.
pub(crate) fn anonymous_read(container: &Resource, accounts: &HashMap<String, &Resource>) -> (bool, String) {
    let level = prop_str(container, "publicAccess").unwrap_or("None");
    let account = accounts.get(&account_of(&container.id).to_ascii_lowercase());
    let allowed = account.and_then(|a| prop_bool(a, "allowBlobPublicAccess")).unwrap_or(true);
    let open = !level.eq_ignore_ascii_case("None") && allowed;
    let why = match (level.eq_ignore_ascii_case("None"), allowed) {
        (true, _) => "access level None (private)".to_string(),
        (false, false) => format!("access level {level}, but the account disallows anonymous access"),
        (false, true) => format!("access level {level}, and the account allows anonymous access"),
    };
    (open, why)
}

/// The snapshot's storage accounts by lowercase id.
pub(crate) fn accounts<'s>(scan: &Scan<'s>) -> HashMap<String, &'s Resource> {
    scan.resources("Microsoft.Storage/storageAccounts").map(|r| (r.id.to_ascii_lowercase(), r)).collect()
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    let accounts = accounts(scan);
    each_resource(scan, out, RULE.meta.resource_type, RULE.meta.needs, |c, out| {
        let (open, why) = anonymous_read(c, &accounts);
        let level = prop_str(c, "publicAccess").unwrap_or("None");
        out.verdict(c, !open, why, json!({ "publicAccess": level, "anonymous_read": open }));
    });
}
