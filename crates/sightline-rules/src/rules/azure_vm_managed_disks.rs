//! Virtual machines use managed disks.

use super::azure::{az, prop};
use super::util::{judge_each, Judgement};
use crate::meta::*;
use crate::scan::{Out, Scan};
use serde_json::json;
use sightline_model::{Props, Resource, Severity};

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-vm-managed-disks",
        title: "Virtual machines use managed disks",
        severity: Severity::Medium,
        resource_type: "Microsoft.Compute/virtualMachines",
        domain: Domain::Encryption,
        rationale: "Unmanaged disks are page blobs in a storage account the customer manages: anyone with the account key or a SAS can read or copy them, and they miss the encryption options, RBAC and snapshots of managed disks. Unmanaged disks are retired.",
        remediation: Remediation {
            console: "Virtual machines > VM > Overview > Migrate to managed disks (stop the VM first) > Migrate.",
            cli: "az vm deallocate --resource-group RG --name VM && az vm convert --resource-group RG --name VM",
            terraform: "resource \"azurerm_linux_virtual_machine\" \"this\" {\n  # ...\n  os_disk {\n    caching              = \"ReadWrite\"\n    storage_account_type = \"Premium_LRS\" # azurerm_*_virtual_machine only creates managed disks\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/virtual-machines/managed-disks-overview", "Not a control of CIS Microsoft Azure Foundations v6.0.0 (the setting is covered by the separate CIS Microsoft Azure Compute Services Benchmark, whose section numbers are not mapped here)"],
        controls: &[nist("SC-28"), nist("AC-3")],
        needs: &[az("Microsoft.Compute", "virtualMachines")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","resource_type":"Microsoft.Compute/virtualMachines","name":"vm-app-01","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","name":"vm-app-01","type":"Microsoft.Compute/virtualMachines","location":"westeurope","properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"},"storageProfile":{"osDisk":{"osType":"Linux","name":"vm-app-01-os","createOption":"FromImage","caching":"ReadWrite","managedDisk":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/disks/vm-app-01-os","storageAccountType":"Premium_LRS"}},"dataDisks":[{"lun":0,"name":"vm-app-01-data","createOption":"Attach","diskSizeGB":256,"managedDisk":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/disks/vm-app-01-data","storageAccountType":"Premium_LRS"}}]},"provisioningState":"Succeeded"}},"region":"westeurope"}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","resource_type":"Microsoft.Compute/virtualMachines","name":"vm-app-01","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","name":"vm-app-01","type":"Microsoft.Compute/virtualMachines","location":"westeurope","properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"},"storageProfile":{"osDisk":{"osType":"Linux","name":"vm-app-01-os","createOption":"FromImage","caching":"ReadWrite","vhd":{"uri":"https://stlegacyvhds.blob.core.windows.net/vhds/vm-app-01-os.vhd"}},"dataDisks":[{"lun":0,"name":"vm-app-01-data","createOption":"Attach","diskSizeGB":256,"managedDisk":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/disks/vm-app-01-data","storageAccountType":"Premium_LRS"}}]},"provisioningState":"Succeeded"}},"region":"westeurope"}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","resource_type":"Microsoft.Compute/virtualMachines","name":"vm-app-01","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/vm-app-01","name":"vm-app-01","type":"Microsoft.Compute/virtualMachines","location":"westeurope","properties":{"hardwareProfile":{"vmSize":"Standard_D2s_v5"},"storageProfile":{"osDisk":{"osType":"Linux","name":"vm-app-01-os","createOption":"FromImage","caching":"ReadWrite","managedDisk":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg-prod/providers/Microsoft.Compute/disks/vm-app-01-os","storageAccountType":"Premium_LRS"}},"dataDisks":[{"lun":0,"name":"vm-app-01-data","createOption":"Attach","diskSizeGB":256,"vhd":{"uri":"https://stlegacyvhds.blob.core.windows.net/vhds/vm-app-01-data.vhd"}}]},"provisioningState":"Succeeded"}},"region":"westeurope"}]}"#],
    },
};

fn judge(r: &Resource) -> Judgement {
    let Some(os) = prop(r, "storageProfile/osDisk") else {
        return Err("the virtual machine record has no properties.storageProfile.osDisk".into());
    };
    let data = prop(r, "storageProfile/dataDisks").and_then(Props::as_array).unwrap_or_default();
    let unmanaged: Vec<&str> = std::iter::once(os)
        .chain(data.iter())
        .filter(|d| d.get("managedDisk").is_none())
        .map(|d| d.get("name").and_then(Props::as_str).unwrap_or("(unnamed disk)"))
        .collect();
    Ok(Some((
        unmanaged.is_empty(),
        if unmanaged.is_empty() {
            "every disk is managed".to_string()
        } else {
            format!("unmanaged disk(s): {}", unmanaged.join(", "))
        },
        json!({ "unmanaged_disks": unmanaged }),
    )))
}

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    judge_each(scan, out, "Microsoft.Compute/virtualMachines", judge);
}
