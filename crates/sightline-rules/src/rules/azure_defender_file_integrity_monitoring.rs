//! Defender for Servers watches critical files for changes.

use super::azure::{az, defender_servers_extension};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-defender-file-integrity-monitoring",
        title: "Defender for Servers file integrity monitoring is on",
        severity: Severity::Low,
        resource_type: "Microsoft.Security/pricings",
        domain: Domain::Logging,
        rationale: "File integrity monitoring records changes to operating system files, registry keys and application binaries, the traces most intrusions leave behind. CIS v6.0.0 lists this control as Manual; the setting is recorded on the VirtualMachines pricing, so Sightline decides it.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Defender plans > Servers (Plan 2) > Settings & monitoring > File Integrity Monitoring: On, a Log Analytics workspace > Continue > Save.",
            cli: "az rest --method put --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/providers/Microsoft.Security/pricings/VirtualMachines?api-version=2024-01-01\" --body \"{\\\"properties\\\":{\\\"pricingTier\\\":\\\"Standard\\\",\\\"subPlan\\\":\\\"P2\\\",\\\"extensions\\\":[{\\\"name\\\":\\\"FileIntegrityMonitoring\\\",\\\"isEnabled\\\":\\\"True\\\"}]}}\"",
            terraform: "resource \"azurerm_security_center_subscription_pricing\" \"servers\" {\n  tier          = \"Standard\"\n  resource_type = \"VirtualMachines\"\n  subplan       = \"P2\"\n  extension {\n    name = \"FileIntegrityMonitoring\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/file-integrity-monitoring-overview"],
        controls: &[cis_azure("8.1.3.5"), nist("SI-7")],
        needs: &[az("Microsoft.Security", "pricings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z","subPlan":"P2","extensions":[{"name":"AgentlessVmScanning","isEnabled":"True","additionalExtensionProperties":{"ExclusionTags":"[]"}},{"name":"FileIntegrityMonitoring","isEnabled":"True"},{"name":"MdeDesignatedSubscription","isEnabled":"False"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z","subPlan":"P2","extensions":[{"name":"AgentlessVmScanning","isEnabled":"False","additionalExtensionProperties":{"ExclusionTags":"[]"}},{"name":"FileIntegrityMonitoring","isEnabled":"False"},{"name":"MdeDesignatedSubscription","isEnabled":"False"}]}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    defender_servers_extension(scan, out, "FileIntegrityMonitoring", "file integrity monitoring");
}
