//! Defender for Servers scans machines without an agent.

use super::azure::{az, defender_servers_extension};
use crate::meta::*;
use crate::scan::{Out, Scan};
use sightline_model::Severity;

pub(crate) static RULE: Rule = Rule {
    meta: Meta {
        id: "azure-defender-agentless-scanning",
        title: "Defender for Servers agentless scanning is on",
        severity: Severity::Low,
        resource_type: "Microsoft.Security/pricings",
        domain: Domain::Logging,
        rationale: "Agentless scanning snapshots machine disks to find vulnerabilities, secrets and malware even on machines where no agent runs, so coverage does not depend on every machine being onboarded. CIS v6.0.0 lists this control as Manual; the setting is recorded on the VirtualMachines pricing, so Sightline decides it.",
        remediation: Remediation {
            console: "Microsoft Defender for Cloud > Environment settings > SUBSCRIPTION > Defender plans > Servers (Plan 2) > Settings & monitoring > Agentless scanning for machines: On > Continue > Save.",
            cli: "az rest --method put --url \"https://management.azure.com/subscriptions/SUBSCRIPTION/providers/Microsoft.Security/pricings/VirtualMachines?api-version=2023-01-01\" --body \"{\\\"properties\\\":{\\\"pricingTier\\\":\\\"Standard\\\",\\\"subPlan\\\":\\\"P2\\\",\\\"extensions\\\":[{\\\"name\\\":\\\"AgentlessVmScanning\\\",\\\"isEnabled\\\":\\\"True\\\"}]}}\"",
            terraform: "resource \"azurerm_security_center_subscription_pricing\" \"servers\" {\n  tier          = \"Standard\"\n  resource_type = \"VirtualMachines\"\n  subplan       = \"P2\"\n  extension {\n    name = \"AgentlessVmScanning\"\n  }\n}",
        },
        references: &["https://learn.microsoft.com/en-us/azure/defender-for-cloud/concept-agentless-data-collection"],
        controls: &[cis_azure("8.1.3.4"), nist("RA-5")],
        needs: &[az("Microsoft.Security", "pricings")],
    },
    check,
    fixtures: Fixtures {
        pass: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z","subPlan":"P2","extensions":[{"name":"AgentlessVmScanning","isEnabled":"True","additionalExtensionProperties":{"ExclusionTags":"[]"}},{"name":"FileIntegrityMonitoring","isEnabled":"True"},{"name":"MdeDesignatedSubscription","isEnabled":"False"}]}}}]}"#],
        fail: &[r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Standard","enablementTime":"2026-01-15T10:00:00Z","subPlan":"P2","extensions":[{"name":"AgentlessVmScanning","isEnabled":"False","additionalExtensionProperties":{"ExclusionTags":"[]"}},{"name":"FileIntegrityMonitoring","isEnabled":"False"},{"name":"MdeDesignatedSubscription","isEnabled":"False"}]}}}]}"#, r#"{"resources":[{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","resource_type":"Microsoft.Security/pricings","name":"VirtualMachines","properties":{"id":"/subscriptions/00000000-0000-0000-0000-00000000000a/providers/Microsoft.Security/pricings/VirtualMachines","name":"VirtualMachines","type":"Microsoft.Security/pricings","properties":{"pricingTier":"Free"}}}]}"#],
    },
};

fn check(scan: &Scan<'_>, out: &mut Out<'_>) {
    defender_servers_extension(scan, out, "AgentlessVmScanning", "agentless scanning");
}
